//! The lifecycle as a function from (state, action) to the next state or the reason why not:
//! 受理 → 分流 → 签收 (or 退单) → 办理 (进展, 延期, 督办) → 办结 → 回访 → 归档; 重办 when the person is
//! not satisfied; 不予受理 and 合并 as endings. The TUI, the CLI and the tests all go through here.

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::{
    Account, CaseKey, Effects, EventKind, Gender, Level, NewCase, Outcome, Route, Satisfaction,
    Status, check_text,
};
use crate::clock;
use crate::config::{Config, Limits};

/// What someone does to a case, with what the action needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// 分流: route to a unit at a level.
    Dispatch {
        level: Level,
        unit: String,
        note: String,
    },
    /// 签收: the unit takes the case.
    Accept { note: String },
    /// 退单: the unit sends it back to the center.
    Return { reason: String },
    /// 进展: a progress note, with the day it happened when that was not today.
    Progress {
        note: String,
        happened_on: Option<NaiveDate>,
    },
    /// 延期: once, before the deadline; the 值班长 who takes it is the approver.
    Extend { days: u32, reason: String },
    /// 督办: urging a late or slow case.
    Urge { note: String },
    /// 办结: closed with an outcome.
    Close {
        outcome: Outcome,
        result: String,
        basis: String,
    },
    /// 回访: the follow-up visit or call.
    FollowUp {
        date: NaiveDate,
        way: String,
        satisfaction: Satisfaction,
        notes: String,
    },
    /// 归档
    Archive { note: String },
    /// 重办: reopened when the person is not satisfied.
    Reopen { reason: String },
    /// 不予受理 / 引导: an ending, with the reason and where the person was guided.
    Decline { reason: String },
    /// 合并: a duplicate merged into an earlier case.
    Merge { into: CaseKey },
}

/// The kinds of action, with their Chinese names: what a menu lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    Dispatch,
    Accept,
    Return,
    Progress,
    Extend,
    Urge,
    Close,
    FollowUp,
    Archive,
    Reopen,
    Decline,
    Merge,
}

impl ActionKind {
    pub const ALL: [ActionKind; 12] = [
        ActionKind::Dispatch,
        ActionKind::Accept,
        ActionKind::Return,
        ActionKind::Progress,
        ActionKind::Extend,
        ActionKind::Urge,
        ActionKind::Close,
        ActionKind::FollowUp,
        ActionKind::Archive,
        ActionKind::Reopen,
        ActionKind::Decline,
        ActionKind::Merge,
    ];

    pub fn label(&self) -> &'static str {
        match self {
            ActionKind::Dispatch => "分流",
            ActionKind::Accept => "签收",
            ActionKind::Return => "退单",
            ActionKind::Progress => "进展",
            ActionKind::Extend => "延期",
            ActionKind::Urge => "督办",
            ActionKind::Close => "办结",
            ActionKind::FollowUp => "回访",
            ActionKind::Archive => "归档",
            ActionKind::Reopen => "重办",
            ActionKind::Decline => "不予受理",
            ActionKind::Merge => "合并",
        }
    }

    /// The English verb the command line takes (`minshi act KEY dispatch ...`).
    pub fn verb(&self) -> &'static str {
        match self {
            ActionKind::Dispatch => "dispatch",
            ActionKind::Accept => "accept",
            ActionKind::Return => "return",
            ActionKind::Progress => "progress",
            ActionKind::Extend => "extend",
            ActionKind::Urge => "urge",
            ActionKind::Close => "close",
            ActionKind::FollowUp => "follow-up",
            ActionKind::Archive => "archive",
            ActionKind::Reopen => "reopen",
            ActionKind::Decline => "decline",
            ActionKind::Merge => "merge",
        }
    }

    /// Either the Chinese name or the English verb.
    pub fn parse(s: &str) -> Option<ActionKind> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.label() == s || k.verb() == s)
    }

    /// The states in which this action may be taken (before any check of its details).
    fn allowed_in(&self, status: Status) -> bool {
        use Status::*;
        match self {
            ActionKind::Dispatch => matches!(status, Registered | Dispatched),
            ActionKind::Accept | ActionKind::Return => status == Dispatched,
            ActionKind::Progress | ActionKind::Urge | ActionKind::Merge => status.is_open(),
            ActionKind::Extend => matches!(status, Dispatched | InProgress),
            ActionKind::Close => matches!(status, Registered | InProgress),
            ActionKind::FollowUp => status == Resolved,
            ActionKind::Archive => matches!(status, FollowedUp | Declined),
            ActionKind::Reopen => matches!(status, Resolved | FollowedUp),
            ActionKind::Decline => matches!(status, Registered | Dispatched),
        }
    }
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Dispatch { .. } => ActionKind::Dispatch,
            Action::Accept { .. } => ActionKind::Accept,
            Action::Return { .. } => ActionKind::Return,
            Action::Progress { .. } => ActionKind::Progress,
            Action::Extend { .. } => ActionKind::Extend,
            Action::Urge { .. } => ActionKind::Urge,
            Action::Close { .. } => ActionKind::Close,
            Action::FollowUp { .. } => ActionKind::FollowUp,
            Action::Archive { .. } => ActionKind::Archive,
            Action::Reopen { .. } => ActionKind::Reopen,
            Action::Decline { .. } => ActionKind::Decline,
            Action::Merge { .. } => ActionKind::Merge,
        }
    }
}

/// Why an action was refused: a sentence for the clerk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

/// The part of a case the lifecycle rules look at.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub case_no: String,
    pub status: Status,
    pub route: Route,
    pub category: String,
    pub received_date: NaiveDate,
    pub due_date: NaiveDate,
    pub extended: bool,
    pub unit: Option<String>,
    /// Set once the case was closed: whether on time.
    pub on_time: Option<bool>,
    pub satisfaction: Option<Satisfaction>,
    pub decline_reason: Option<String>,
}

/// The state a permitted action leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub to: Status,
}

/// The actions a case in this state can take, for menus and hints.
pub fn allowed_actions(status: Status, route: Route) -> Vec<ActionKind> {
    ActionKind::ALL
        .into_iter()
        .filter(|k| k.allowed_in(status))
        .filter(|k| {
            *k != ActionKind::Close || status != Status::Registered || route == Route::OnTheSpot
        })
        .collect()
}

/// Every action with whether it can be taken on this case today, and if not, why: the menu
/// offers only what can be done now, and F1 says why the rest cannot (an extension after the
/// one allowed, or after the deadline, is not offered to be refused once its dialog is filled).
pub fn availability(facts: &CaseFacts, today: NaiveDate) -> Vec<(ActionKind, Result<(), String>)> {
    use Status::*;
    let allowed = allowed_actions(facts.status, facts.route);
    ActionKind::ALL
        .into_iter()
        .map(|kind| {
            let why = if !allowed.contains(&kind) {
                let needs = match kind {
                    ActionKind::Dispatch => "分流须在签收前",
                    ActionKind::Accept | ActionKind::Return => "分流后才能签收或退单",
                    ActionKind::Extend => "分流后、办结前才能延期",
                    ActionKind::Close if facts.status == Registered => {
                        "非当场办结的案件须先分流、签收才能办结"
                    }
                    ActionKind::Close => "签收后才能办结",
                    ActionKind::FollowUp => "办结后才能回访",
                    ActionKind::Archive => "回访后或不予受理后才能归档",
                    ActionKind::Reopen => "办结或回访后才能重办",
                    ActionKind::Decline => "只能在分流、签收前不予受理",
                    ActionKind::Progress | ActionKind::Urge | ActionKind::Merge => "案件已终结",
                };
                Err(format!("案件「{}」：{needs}", facts.status.label()))
            } else if kind == ActionKind::Extend && facts.extended {
                Err("已延期一次，不能再次延期（《信访工作条例》第三十四条）".to_string())
            } else if kind == ActionKind::Extend && today > facts.due_date {
                Err(format!(
                    "已超过办理期限（{}），延期须在期限届满前申请；可督办",
                    facts.due_date.format("%Y-%m-%d")
                ))
            } else {
                Ok(())
            };
            (kind, why)
        })
        .collect()
}

fn require(value: &str, what: &str, action: ActionKind, max: usize) -> Result<(), Refusal> {
    let len = value.trim().chars().count();
    if len == 0 {
        Err(Refusal(format!("「{}」须填写{what}", action.label())))
    } else if len > max {
        Err(Refusal(format!("{what}最多{max}个字（现为{len}个字）")))
    } else {
        Ok(())
    }
}

/// The texts an action carries: label, text, whether it may have line breaks, its limit. The
/// store checks them against the fonts as well (the domain knows no fonts).
pub fn texts<'a>(action: &'a Action, limits: &Limits) -> Vec<(&'static str, &'a str, bool, usize)> {
    let note = limits.note;
    match action {
        Action::Dispatch { unit, note: n, .. } => {
            vec![("责任单位", unit, false, 100), ("说明", n, true, note)]
        }
        Action::Accept { note: n } | Action::Archive { note: n } => vec![("说明", n, true, note)],
        Action::Return { reason } => vec![("退单理由", reason, true, note)],
        Action::Progress { note: n, .. } => vec![("进展情况", n, true, note)],
        Action::Extend { reason, .. } => vec![("延期理由", reason, true, note)],
        Action::Urge { note: n } => vec![("督办意见", n, true, note)],
        Action::Close { result, basis, .. } => vec![
            ("办理结果", result, true, note),
            ("办理依据", basis, true, note),
        ],
        Action::FollowUp { way, notes, .. } => {
            vec![
                ("回访方式", way, false, 30),
                ("回访情况", notes, true, note),
            ]
        }
        Action::Reopen { reason } => vec![("重办理由", reason, true, note)],
        Action::Decline { reason } => vec![("不予受理理由及引导渠道", reason, true, note)],
        Action::Merge { .. } => Vec::new(),
    }
}

/// Decide whether `action` may be taken on a case in `facts` today, and where it leads.
pub fn transition(
    facts: &CaseFacts,
    action: &Action,
    today: NaiveDate,
    limits: &Limits,
) -> Result<Transition, Refusal> {
    let kind = action.kind();
    if !allowed_actions(facts.status, facts.route).contains(&kind) {
        let can: Vec<&str> = allowed_actions(facts.status, facts.route)
            .iter()
            .map(ActionKind::label)
            .collect();
        let hint = if kind == ActionKind::Close && facts.status == Status::Registered {
            "（非当场办结的案件须先分流、签收）".to_string()
        } else {
            String::new()
        };
        let can = if can.is_empty() {
            "该案件已终结，不能再操作".to_string()
        } else {
            format!("当前可做：{}", can.join("、"))
        };
        return Err(Refusal(format!(
            "案件状态为「{}」，不能「{}」{hint}；{can}",
            facts.status.label(),
            kind.label()
        )));
    }
    let note = limits.note;
    // Every text an action carries follows the rules of registered text: no control, bidi or
    // invisible characters, no line breaks where one line is meant, bounded length.
    for (label, value, multiline, max) in texts(action, limits) {
        check_text(label, value.trim(), multiline, max, &super::any_char).map_err(Refusal)?;
    }
    let to = match action {
        Action::Dispatch { unit, note: _, .. } => {
            require(unit, "责任单位", kind, 100)?;
            Status::Dispatched
        }
        Action::Accept { .. } => Status::InProgress,
        Action::Return { reason } => {
            require(reason, "退单理由", kind, note)?;
            Status::Registered
        }
        Action::Progress {
            note: text,
            happened_on,
        } => {
            require(text, "进展情况", kind, note)?;
            if let Some(day) = happened_on {
                if *day > today {
                    return Err(Refusal("进展发生日期不能晚于今天".into()));
                }
                if *day < facts.received_date {
                    return Err(Refusal(format!(
                        "进展发生日期不能早于受理日期（{}）",
                        facts.received_date.format("%Y-%m-%d")
                    )));
                }
            }
            facts.status
        }
        Action::Urge { note: text } => {
            require(text, "督办意见", kind, note)?;
            facts.status
        }
        Action::Extend { days, reason } => {
            if facts.extended {
                return Err(Refusal(
                    "该案件已延期一次，不能再次延期（《信访工作条例》第三十四条）".into(),
                ));
            }
            if today > facts.due_date {
                return Err(Refusal(format!(
                    "已超过办理期限（{}），延期须在期限届满前申请",
                    facts.due_date.format("%Y-%m-%d")
                )));
            }
            if *days == 0 || *days > limits.extension_max_days {
                return Err(Refusal(format!(
                    "延期天数应为1至{}日",
                    limits.extension_max_days
                )));
            }
            require(reason, "延期理由", kind, note)?;
            facts.status
        }
        Action::Close { result, basis, .. } => {
            require(result, "办理结果", kind, note)?;
            if basis.chars().count() > note {
                return Err(Refusal(format!("办理依据最多{note}个字")));
            }
            Status::Resolved
        }
        Action::FollowUp { date, way, .. } => {
            require(way, "回访方式", kind, 30)?;
            if *date > today {
                return Err(Refusal("回访日期不能晚于今天".into()));
            }
            if *date < facts.received_date {
                return Err(Refusal(format!(
                    "回访日期不能早于受理日期（{}）",
                    facts.received_date.format("%Y-%m-%d")
                )));
            }
            Status::FollowedUp
        }
        Action::Archive { .. } => Status::Archived,
        Action::Reopen { reason } => {
            require(reason, "重办理由", kind, note)?;
            Status::InProgress
        }
        Action::Decline { reason } => {
            require(reason, "不予受理理由及引导渠道", kind, note)?;
            Status::Declined
        }
        Action::Merge { .. } => Status::Merged,
    };
    Ok(Transition { to })
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// What an action does to the register: the event on the case, and for a merge the event on
/// the case it is merged into.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub on_case: Effects,
    pub on_target: Option<Effects>,
}

/// Every effect of taking `action` on a case: the new status and fields, the event, the tally
/// changes, a new due date. The store persists these and nothing else, so a second storage
/// engine implements no rule. `target` is the case a merge goes into, `approver` the real name
/// of whoever takes the action (the approver of an extension).
pub fn effects(
    case: &CaseFacts,
    action: &Action,
    now: DateTime<FixedOffset>,
    config: &Config,
    approver: &str,
    target: Option<&CaseFacts>,
) -> Result<Planned, Refusal> {
    let today = now.date_naive();
    let next = transition(case, action, today, &config.limits)?.to;
    let at = clock::format(&now);
    let kind = match action.kind() {
        ActionKind::Dispatch => EventKind::Dispatch,
        ActionKind::Accept => EventKind::Accept,
        ActionKind::Return => EventKind::Return,
        ActionKind::Progress => EventKind::Progress,
        ActionKind::Extend => EventKind::Extend,
        ActionKind::Urge => EventKind::Urge,
        ActionKind::Close => EventKind::Close,
        ActionKind::FollowUp => EventKind::FollowUp,
        ActionKind::Archive => EventKind::Archive,
        ActionKind::Reopen => EventKind::Reopen,
        ActionKind::Decline => EventKind::Decline,
        ActionKind::Merge => EventKind::Merge,
    };
    let mut e = Effects::new(kind).set("updated_at", at.as_str());
    if next != case.status {
        e = e.set("status", next.code());
    }
    let unit = case.unit.clone().unwrap_or_default();
    let mut on_target = None;
    e = match action {
        Action::Dispatch { level, unit, note } => {
            let unit = unit.trim();
            if !config.is_unit(unit) {
                return Err(Refusal(format!("「{unit}」不在责任单位清单中")));
            }
            e.set("level", level.code())
                .set("unit", unit)
                .note("note", note.trim())
        }
        Action::Accept { note } => e.note("unit", unit).note("note", note.trim()),
        Action::Return { reason } => e.note("unit", unit).note("reason", reason.trim()),
        Action::Progress { note, happened_on } => {
            let e = e.note("note", note.trim());
            match happened_on {
                Some(d) if *d != today => e.note("happened_on", day(*d)),
                _ => e,
            }
        }
        Action::Urge { note } | Action::Archive { note } => e.note("note", note.trim()),
        Action::Extend { days, reason } => {
            let new_due = config.calendar.add_days(case.due_date, *days);
            e.set("due_date", day(new_due))
                .set("ext_days", *days)
                .set("ext_previous_due", day(case.due_date))
                .set("ext_reason", reason.trim())
                .set("ext_approver", approver)
        }
        Action::Close {
            outcome,
            result,
            basis,
        } => {
            let on_time = today <= case.due_date;
            e.set("outcome", outcome.code())
                .set("result", result.trim())
                .set("result_basis", basis.trim())
                .set("closed_at", at.as_str())
                .set("on_time", i64::from(on_time))
        }
        Action::FollowUp {
            date,
            way,
            satisfaction,
            notes,
        } => e
            .set("fu_date", day(*date))
            .set("fu_way", way.trim())
            .set("fu_satisfaction", satisfaction.code())
            .set("fu_notes", notes.trim()),
        Action::Reopen { reason } => {
            // A case solved on the spot that comes back is no longer an on-the-spot matter: it
            // gets the deadline of its category, not a same-day one that is overdue at once.
            let route = if case.route == Route::OnTheSpot {
                Route::Timed
            } else {
                case.route
            };
            let rule = config.deadline_rule(route, &case.category);
            let due = config.calendar.due(today, rule.span);
            let mut e = e;
            for column in [
                "outcome",
                "result",
                "result_basis",
                "closed_at",
                "on_time",
                "fu_date",
                "fu_way",
                "fu_satisfaction",
                "fu_notes",
            ] {
                e = e.set(column, serde_json::Value::Null);
            }
            if route != case.route {
                e = e.set("route", route.code());
            }
            e.set("due_date", day(due.date))
                .note("reason", reason.trim())
        }
        Action::Decline { reason } => e.set("decline_reason", reason.trim()),
        Action::Merge { .. } => {
            let Some(t) = target else {
                return Err(Refusal("找不到要合并到的案件".into()));
            };
            if t.case_no == case.case_no {
                return Err(Refusal("不能合并到案件自身".into()));
            }
            if t.status == Status::Merged {
                return Err(Refusal(format!(
                    "{} 本身已合并到其他案件，请合并到最早的案件",
                    t.case_no
                )));
            }
            on_target = Some(
                Effects::new(EventKind::AbsorbDuplicate)
                    .set("updated_at", at.as_str())
                    .note("duplicate", case.case_no.as_str()),
            );
            // The store sets `duplicate_of` to the target's row id, which only it knows.
            e.note("into", t.case_no.as_str())
        }
    };
    Ok(Planned {
        on_case: e,
        on_target,
    })
}

/// The case fields a checked registration sets, as stored (the person, the matter, the route).
/// Registration and 更正 both take their columns from here.
pub fn case_columns(c: &NewCase) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::Value;
    let mut m = serde_json::Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    put("name", c.name.clone().into());
    put(
        "gender",
        c.gender
            .map_or(Value::Null, |g| i64::from(g == Gender::Female).into()),
    );
    put(
        "birth_date",
        c.birth_date.map_or(Value::Null, |d| day(d).into()),
    );
    put(
        "id_number",
        c.id_number
            .as_ref()
            .map_or(Value::Null, |i| i.as_str().into()),
    );
    put(
        "phone",
        c.phone.as_ref().map_or(Value::Null, |p| p.as_str().into()),
    );
    put("town", c.town.clone().into());
    put("village", c.village.clone().into());
    put("address", c.address.clone().into());
    put("channel", c.channel.clone().into());
    put("category", c.category.clone().into());
    put("group_size", c.group_size.into());
    put(
        "representatives",
        serde_json::to_string(&c.representatives)
            .unwrap_or_else(|_| "[]".into())
            .into(),
    );
    put("request", c.request.clone().into());
    put("facts", c.facts.clone().into());
    put("reasons", c.reasons.clone().into());
    put("place", c.place.clone().into());
    put("urgent", i64::from(c.urgent).into());
    put("legal", i64::from(c.legal).into());
    m
}

/// The events of registering a checked case: the registration itself (every field of the new
/// case row but its number, which the store takes), and a dispatch when a unit was chosen at
/// the counter. `repeat` says whether the person has come before.
pub fn registration(
    c: &NewCase,
    now: DateTime<FixedOffset>,
    repeat: bool,
    clerk: &Account,
    config: &Config,
) -> Result<Vec<Effects>, Refusal> {
    let received = c.received_at.unwrap_or(now);
    let rule = config.deadline_rule(c.route, &c.category);
    let due = config.calendar.due(received.date_naive(), rule.span);
    let basis = if rule.basis.trim().is_empty() {
        rule.span.label()
    } else {
        rule.basis.clone()
    };
    let at = clock::format(&now);
    let mut register = Effects::new(EventKind::Register);
    register.set = case_columns(c);
    let mut register = register
        .set("received_at", clock::format(&received))
        .set("received_date", day(received.date_naive()))
        .set("registered_at", at.as_str())
        .set("clerk", clerk.real_name.as_str())
        .set("clerk_id", clerk.id)
        .set("repeat", i64::from(repeat))
        .set("route", c.route.code())
        .set("level", c.level.map(|l| l.code()))
        .set("unit", c.unit.clone())
        .set("due_date", day(due.date))
        .set("due_basis", basis)
        .set("status", Status::Registered.code())
        .set("updated_at", at.as_str());
    if let Some(w) = due.warning() {
        register = register.note("warning", w);
    }
    let mut events = vec![register];
    // The case as just registered, for the actions taken in the same breath.
    let facts = CaseFacts {
        case_no: String::new(),
        status: Status::Registered,
        route: c.route,
        category: c.category.clone(),
        received_date: received.date_naive(),
        due_date: due.date,
        extended: false,
        unit: None,
        on_time: None,
        satisfaction: None,
        decline_reason: None,
    };
    if c.route != Route::OnTheSpot
        && let Some(unit) = &c.unit
    {
        // A unit chosen at the counter is a dispatch in the same breath, at the unit's level
        // unless the clerk said otherwise.
        let level = c.level.unwrap_or_else(|| config.level_of_unit(unit));
        let dispatch = Action::Dispatch {
            level,
            unit: unit.clone(),
            note: String::new(),
        };
        events.push(effects(&facts, &dispatch, now, config, &clerk.real_name, None)?.on_case);
    }
    if let Some(answer) = &c.answer {
        // Solved at the counter: closed in the same breath, with the answer given.
        let close = Action::Close {
            outcome: answer.outcome,
            result: answer.result.clone(),
            basis: answer.basis.clone(),
        };
        events.push(effects(&facts, &close, now, config, &clerk.real_name, None)?.on_case);
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    fn facts(status: Status) -> CaseFacts {
        CaseFacts {
            case_no: "陇综民〔2026〕1号".into(),
            status,
            route: Route::Timed,
            category: "邻里".into(),
            received_date: NaiveDate::from_ymd_opt(2026, 2, 27).unwrap(),
            due_date: NaiveDate::from_ymd_opt(2026, 3, 30).unwrap(),
            extended: false,
            unit: None,
            on_time: None,
            satisfaction: None,
            decline_reason: None,
        }
    }

    fn go(f: CaseFacts, a: &Action) -> Result<Status, Refusal> {
        transition(&f, a, today(), &Config::embedded().limits).map(|t| t.to)
    }

    fn note(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn the_whole_happy_path() {
        let dispatch = Action::Dispatch {
            level: Level::Township,
            unit: note("首阳镇司法所"),
            note: String::new(),
        };
        assert_eq!(
            go(facts(Status::Registered), &dispatch),
            Ok(Status::Dispatched)
        );
        let accept = Action::Accept {
            note: String::new(),
        };
        assert_eq!(
            go(facts(Status::Dispatched), &accept),
            Ok(Status::InProgress)
        );
        let close = Action::Close {
            outcome: Outcome::Mediated,
            result: note("双方达成协议"),
            basis: String::new(),
        };
        assert_eq!(go(facts(Status::InProgress), &close), Ok(Status::Resolved));
        let follow = Action::FollowUp {
            date: today(),
            way: note("电话"),
            satisfaction: Satisfaction::Satisfied,
            notes: String::new(),
        };
        assert_eq!(go(facts(Status::Resolved), &follow), Ok(Status::FollowedUp));
        let archive = Action::Archive {
            note: String::new(),
        };
        assert_eq!(
            go(facts(Status::FollowedUp), &archive),
            Ok(Status::Archived)
        );
    }

    #[test]
    fn an_action_not_allowed_says_what_is() {
        let err = go(
            facts(Status::Resolved),
            &Action::Dispatch {
                level: Level::County,
                unit: note("县司法局"),
                note: String::new(),
            },
        )
        .unwrap_err();
        assert!(err.0.contains("「已办结」"), "{err}");
        assert!(err.0.contains("回访"), "{err}");
        let err = go(
            facts(Status::Archived),
            &Action::Progress {
                note: note("x"),
                happened_on: None,
            },
        )
        .unwrap_err();
        assert!(err.0.contains("已终结"), "{err}");
    }

    #[test]
    fn only_on_the_spot_cases_close_without_dispatch() {
        let close = Action::Close {
            outcome: Outcome::Explained,
            result: note("当场解答"),
            basis: String::new(),
        };
        assert!(go(facts(Status::Registered), &close).is_err());
        let spot = CaseFacts {
            route: Route::OnTheSpot,
            ..facts(Status::Registered)
        };
        assert_eq!(go(spot, &close), Ok(Status::Resolved));
    }

    #[test]
    fn extension_is_once_before_the_deadline_and_at_most_thirty_days() {
        let extend = |days| Action::Extend {
            days,
            reason: note("需现场勘查"),
        };
        assert_eq!(
            go(facts(Status::InProgress), &extend(30)),
            Ok(Status::InProgress)
        );
        assert!(go(facts(Status::InProgress), &extend(31)).is_err());
        let again = CaseFacts {
            extended: true,
            ..facts(Status::InProgress)
        };
        assert!(go(again, &extend(10)).unwrap_err().0.contains("已延期一次"));
        let late = CaseFacts {
            due_date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            ..facts(Status::InProgress)
        };
        assert!(go(late, &extend(10)).unwrap_err().0.contains("期限届满前"));
        let no_reason = Action::Extend {
            days: 10,
            reason: String::new(),
        };
        assert!(
            go(facts(Status::InProgress), &no_reason)
                .unwrap_err()
                .0
                .contains("延期理由")
        );
    }

    #[test]
    fn dissatisfied_cases_can_be_reopened() {
        let reopen = Action::Reopen {
            reason: note("群众不满意"),
        };
        assert_eq!(
            go(facts(Status::FollowedUp), &reopen),
            Ok(Status::InProgress)
        );
        assert!(go(facts(Status::Archived), &reopen).is_err());
    }

    #[test]
    fn endings_need_reasons() {
        assert!(
            go(
                facts(Status::Registered),
                &Action::Decline {
                    reason: String::new()
                }
            )
            .is_err()
        );
        assert_eq!(
            go(
                facts(Status::Registered),
                &Action::Decline {
                    reason: note("属诉讼事项，已引导至法院")
                }
            ),
            Ok(Status::Declined)
        );
        assert!(
            go(
                facts(Status::Dispatched),
                &Action::Return { reason: " ".into() }
            )
            .is_err()
        );
    }

    #[test]
    fn action_kinds_parse_from_either_language() {
        assert_eq!(ActionKind::parse("分流"), Some(ActionKind::Dispatch));
        assert_eq!(ActionKind::parse("follow-up"), Some(ActionKind::FollowUp));
        assert_eq!(ActionKind::parse("飞"), None);
    }

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-03-02T10:00:00+08:00").unwrap()
    }

    #[test]
    fn reopening_an_on_the_spot_case_gives_it_the_deadline_of_its_category() {
        let config = Config::embedded();
        let spot = CaseFacts {
            route: Route::OnTheSpot,
            on_time: Some(true),
            due_date: NaiveDate::from_ymd_opt(2026, 2, 27).unwrap(),
            ..facts(Status::Resolved)
        };
        let planned = effects(
            &spot,
            &Action::Reopen {
                reason: note("群众不满意"),
            },
            now(),
            &config,
            "李主任",
            None,
        )
        .unwrap();
        let e = planned.on_case;
        assert_eq!(e.set["route"], Route::Timed.code());
        // 邻里 is a dispute: 30 days from the day reopened.
        assert_eq!(e.set["due_date"], "2026-04-01");
        assert_eq!(e.set["status"], Status::InProgress.code());
        // The ending is undone: the statistics count the first ending from the events.
        assert_eq!(e.set["closed_at"], serde_json::Value::Null);
        assert_eq!(e.set["on_time"], serde_json::Value::Null);
    }

    #[test]
    fn closing_sets_the_outcome_and_counts_on_time() {
        let config = Config::embedded();
        let e = effects(
            &facts(Status::InProgress),
            &Action::Close {
                outcome: Outcome::Mediated,
                result: note(" 双方达成协议 "),
                basis: String::new(),
            },
            now(),
            &config,
            "张丽",
            None,
        )
        .unwrap()
        .on_case;
        assert_eq!(e.kind(), EventKind::Close);
        assert_eq!(e.set["result"], "双方达成协议");
        assert_eq!(e.set["on_time"], 1);
    }

    #[test]
    fn the_approver_of_an_extension_is_who_takes_it() {
        let config = Config::embedded();
        let e = effects(
            &facts(Status::InProgress),
            &Action::Extend {
                days: 10,
                reason: note("需现场勘查"),
            },
            now(),
            &config,
            "李主任",
            None,
        )
        .unwrap()
        .on_case;
        assert_eq!(e.set["ext_approver"], "李主任");
        assert_eq!(e.set["ext_previous_due"], "2026-03-30");
    }

    #[test]
    fn a_follow_up_may_not_predate_the_case() {
        let err = go(
            facts(Status::Resolved),
            &Action::FollowUp {
                date: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                way: note("电话"),
                satisfaction: Satisfaction::Satisfied,
                notes: String::new(),
            },
        )
        .unwrap_err();
        assert!(err.0.contains("早于受理日期"), "{err}");
    }

    #[test]
    fn action_texts_follow_the_rules_of_registered_text() {
        let err = go(
            facts(Status::InProgress),
            &Action::Progress {
                note: note("已约谈\u{1b}[2J双方"),
                happened_on: None,
            },
        )
        .unwrap_err();
        assert!(err.0.contains("进展情况"), "{err}");
        let err = go(
            facts(Status::Resolved),
            &Action::FollowUp {
                date: today(),
                way: note("电话\n上门"),
                satisfaction: Satisfaction::Satisfied,
                notes: String::new(),
            },
        )
        .unwrap_err();
        assert!(err.0.contains("回访方式"), "{err}");
    }
}
