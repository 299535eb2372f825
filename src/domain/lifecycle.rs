//! The lifecycle as a function from (state, action) to the next state or the reason why not:
//! 受理 → 分流 → 签收 (or 退单) → 办理 (进展, 延期, 督办) → 办结 → 回访 → 归档; 重办 when the person is
//! not satisfied; 不予受理 and 合并 as endings. The TUI, the CLI and the tests all go through here.

use chrono::NaiveDate;

use super::{CaseKey, Level, Outcome, Route, Satisfaction, Status};
use crate::config::Limits;

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
    /// 进展: a progress note.
    Progress { note: String },
    /// 延期: once, before the deadline, with approval.
    Extend {
        days: u32,
        reason: String,
        approver: String,
    },
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
#[derive(Debug, Clone, Copy)]
pub struct CaseFacts {
    pub status: Status,
    pub route: Route,
    pub due_date: NaiveDate,
    pub extended: bool,
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

/// Decide whether `action` may be taken on a case in `facts` today, and where it leads.
pub fn transition(
    facts: CaseFacts,
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
        Action::Progress { note: text } => {
            require(text, "进展情况", kind, note)?;
            facts.status
        }
        Action::Urge { note: text } => {
            require(text, "督办意见", kind, note)?;
            facts.status
        }
        Action::Extend {
            days,
            reason,
            approver,
        } => {
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
            require(approver, "批准人", kind, 30)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    fn facts(status: Status) -> CaseFacts {
        CaseFacts {
            status,
            route: Route::Timed,
            due_date: NaiveDate::from_ymd_opt(2026, 3, 30).unwrap(),
            extended: false,
        }
    }

    fn go(f: CaseFacts, a: &Action) -> Result<Status, Refusal> {
        transition(f, a, today(), &Config::embedded().limits).map(|t| t.to)
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
            &Action::Progress { note: note("x") },
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
            approver: note("李主任"),
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
        let no_approver = Action::Extend {
            days: 10,
            reason: note("x"),
            approver: String::new(),
        };
        assert!(
            go(facts(Status::InProgress), &no_approver)
                .unwrap_err()
                .0
                .contains("批准人")
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
}
