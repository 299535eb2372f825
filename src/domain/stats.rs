//! The figures of RULES.md "Statistics", as pure code: what a case contributes to them (a fold
//! over the fields its events set, so the writer, `check` and a migration share one rule), the
//! break-downs, periods in words, and each figure's Chinese name and definition.
//!
//! A case contributes counts on days: on the day received (受理, 重复, 化解 and its level), on the
//! day of its first ending (办结, 按期, days taken, 办结 with a 回访), on each 回访's day (回访,
//! 满意), and while open on its due date (for 超期在办). Summing those counts over the days of a
//! period gives every figure; the store keeps the sums per day and month.
//!
//! 报告单研判及时率 and 反馈率 are not case counts: the store counts them from the report forms
//! and the meetings' fed-back cases (`LoopCounts`), by town, village and month.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Map, Value};

use super::{Level, Outcome, Route, Satisfaction, Status};

labeled!(
    /// How a table of figures is broken down. Stored as `code()` (all but `Month`, which is
    /// derived from the day): append, never reorder.
    Dim {
        Town => "乡镇",
        Village => "村",
        Unit => "责任单位",
        Category => "类别",
        Channel => "渠道",
        Route => "办理方式",
        Level => "层级",
        Clerk => "受理人",
        Month => "月份",
    }
);

impl Dim {
    /// The break-downs kept as sums per day: every one but the month.
    pub const STORED: [Dim; 8] = [
        Dim::Town,
        Dim::Village,
        Dim::Unit,
        Dim::Category,
        Dim::Channel,
        Dim::Route,
        Dim::Level,
        Dim::Clerk,
    ];

    /// The English word the command line takes (`--by town`).
    pub fn word(&self) -> &'static str {
        match self {
            Dim::Town => "town",
            Dim::Village => "village",
            Dim::Unit => "unit",
            Dim::Category => "category",
            Dim::Channel => "channel",
            Dim::Route => "route",
            Dim::Level => "level",
            Dim::Clerk => "clerk",
            Dim::Month => "month",
        }
    }

    /// The Chinese name or the English word.
    pub fn parse(s: &str) -> Option<Dim> {
        let s = s.trim();
        Dim::ALL
            .into_iter()
            .find(|d| d.label() == s || d.word() == s)
    }
}

/// The label of a case without a unit or level in a break-down.
pub const UNROUTED: &str = "未分流";

/// The counts a case contributes, by index. Stored as columns of the same names: append only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    Received,
    Repeated,
    Resolved,
    ResolvedVillage,
    ResolvedTownship,
    ResolvedCounty,
    Ended,
    OnTime,
    Days,
    EndedClosed,
    ClosedFollowedUp,
    FollowUps,
    Satisfied,
    OpenDue,
    /// 回访 followed by a later one of the same case, dated at the earlier: what a period's
    /// 满意率 leaves out when the later one is in the period too (see `CaseStat::superseded`).
    Superseded,
    SupersededSatisfied,
}

pub const COUNTERS: usize = 16;

impl Counter {
    pub const ALL: [Counter; COUNTERS] = [
        Counter::Received,
        Counter::Repeated,
        Counter::Resolved,
        Counter::ResolvedVillage,
        Counter::ResolvedTownship,
        Counter::ResolvedCounty,
        Counter::Ended,
        Counter::OnTime,
        Counter::Days,
        Counter::EndedClosed,
        Counter::ClosedFollowedUp,
        Counter::FollowUps,
        Counter::Satisfied,
        Counter::OpenDue,
        Counter::Superseded,
        Counter::SupersededSatisfied,
    ];

    /// The stored column.
    pub fn column(&self) -> &'static str {
        match self {
            Counter::Received => "received",
            Counter::Repeated => "repeated",
            Counter::Resolved => "resolved",
            Counter::ResolvedVillage => "res_village",
            Counter::ResolvedTownship => "res_township",
            Counter::ResolvedCounty => "res_county",
            Counter::Ended => "ended",
            Counter::OnTime => "on_time",
            Counter::Days => "days",
            Counter::EndedClosed => "ended_closed",
            Counter::ClosedFollowedUp => "closed_fu",
            Counter::FollowUps => "fu",
            Counter::Satisfied => "fu_satisfied",
            Counter::OpenDue => "open_due",
            Counter::Superseded => "fu_superseded",
            Counter::SupersededSatisfied => "fu_superseded_sat",
        }
    }
}

/// Sums of counters, indexed by `Counter as usize`.
pub type Counts = [i64; COUNTERS];

/// How a case first ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndKind {
    /// 办结 (an outcome was recorded).
    Closed,
    /// 不予受理 / 引导.
    Declined,
    /// 合并 into an earlier case.
    Merged,
}

impl EndKind {
    pub fn code(&self) -> i64 {
        match self {
            EndKind::Closed => 0,
            EndKind::Declined => 1,
            EndKind::Merged => 2,
        }
    }

    pub fn from_code(c: i64) -> Option<EndKind> {
        match c {
            0 => Some(EndKind::Closed),
            1 => Some(EndKind::Declined),
            2 => Some(EndKind::Merged),
            _ => None,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            EndKind::Closed => "办结",
            EndKind::Declined => "不予受理",
            EndKind::Merged => "合并",
        }
    }
}

/// The first time a case left the open states: the day, how, and whether by its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstEnd {
    pub date: NaiveDate,
    pub kind: EndKind,
    pub on_time: bool,
}

/// What a case is, for the figures: its break-down values, where it stands, and the history
/// the case row forgets (its first ending, every 回访; a 重办 clears both from the row).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CaseStat {
    pub received: Option<NaiveDate>,
    pub town: String,
    pub village: String,
    pub unit: Option<String>,
    pub category: String,
    pub channel: String,
    pub route: Option<Route>,
    pub level: Option<Level>,
    pub clerk: String,
    pub repeat: bool,
    pub status: Option<Status>,
    pub outcome: Option<Outcome>,
    pub due: Option<NaiveDate>,
    pub closed: Option<NaiveDate>,
    pub first_end: Option<FirstEnd>,
    /// Every 回访, oldest first.
    pub follow_ups: Vec<(NaiveDate, Satisfaction)>,
}

fn day_of(v: &Value, key: &str) -> Result<Option<NaiveDate>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => {
            // Dates, or times whose first ten characters are the Beijing date.
            let d = s.get(..10).unwrap_or(s);
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| format!("{key}「{s}」"))
        }
        other => Err(format!("{key}「{other}」")),
    }
}

fn code_of<T>(v: &Value, key: &str, f: fn(i64) -> Option<T>) -> Result<Option<T>, String> {
    match v {
        Value::Null => Ok(None),
        other => other
            .as_i64()
            .and_then(f)
            .map(Some)
            .ok_or_else(|| format!("{key}「{other}」")),
    }
}

fn text_of(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// 化解: ended with one of these outcomes.
pub fn is_resolving(o: Outcome) -> bool {
    matches!(
        o,
        Outcome::Mediated | Outcome::Supported | Outcome::Explained
    )
}

impl CaseStat {
    /// Fold one event's fields into the case. `set` is what the event sets on the case row;
    /// every lifecycle event sets `updated_at`, the moment it happened. An undecodable value
    /// is an error naming it, never a default.
    pub fn apply(&mut self, set: &Map<String, Value>) -> Result<(), String> {
        for (k, v) in set {
            match k.as_str() {
                "received_date" => self.received = day_of(v, k)?,
                "town" => self.town = text_of(v).unwrap_or_default(),
                "village" => self.village = text_of(v).unwrap_or_default(),
                "unit" => self.unit = text_of(v),
                "category" => self.category = text_of(v).unwrap_or_default(),
                "channel" => self.channel = text_of(v).unwrap_or_default(),
                "clerk" => self.clerk = text_of(v).unwrap_or_default(),
                "route" => self.route = code_of(v, k, Route::from_code)?,
                "level" => self.level = code_of(v, k, Level::from_code)?,
                "repeat" => self.repeat = v.as_i64().unwrap_or(0) != 0 || v.as_bool() == Some(true),
                "status" => self.status = code_of(v, k, Status::from_code)?,
                "outcome" => self.outcome = code_of(v, k, Outcome::from_code)?,
                "due_date" => self.due = day_of(v, k)?,
                "closed_at" => self.closed = day_of(v, k)?,
                _ => {}
            }
        }
        if let Some(Some(date)) = set
            .get("fu_date")
            .map(|v| day_of(v, "fu_date"))
            .transpose()?
        {
            let s = set
                .get("fu_satisfaction")
                .map(|v| code_of(v, "fu_satisfaction", Satisfaction::from_code))
                .transpose()?
                .flatten()
                .ok_or_else(|| "回访没有满意度".to_string())?;
            self.follow_ups.push((date, s));
        }
        if self.first_end.is_none()
            && let Some(status) = self.status
            && !status.is_open()
        {
            let when = match set.get("closed_at") {
                Some(v) if !v.is_null() => day_of(v, "closed_at")?,
                _ => match set.get("updated_at") {
                    Some(v) => day_of(v, "updated_at")?,
                    None => None,
                },
            };
            let date = when
                .or(self.closed)
                .or(self.received)
                .ok_or_else(|| "案件结束了，却没有结束日期".to_string())?;
            let kind = match status {
                Status::Merged => EndKind::Merged,
                Status::Declined => EndKind::Declined,
                _ if self.closed.is_none() && self.outcome.is_none() => EndKind::Declined,
                _ => EndKind::Closed,
            };
            self.first_end = Some(FirstEnd {
                date,
                kind,
                on_time: self.due.is_none_or(|due| date <= due),
            });
        }
        Ok(())
    }

    pub fn is_open(&self) -> bool {
        self.status.is_none_or(|s| s.is_open())
    }

    /// 化解: not open, ended with 调解成功, 支持 or 解释说明.
    pub fn is_resolved(&self) -> bool {
        !self.is_open() && self.outcome.is_some_and(is_resolving)
    }

    /// 重复: marked repeat at registration, or merged as a duplicate.
    pub fn is_repeated(&self) -> bool {
        self.repeat || self.status == Some(Status::Merged)
    }

    /// The value of a stored break-down for this case: (town, value). The town goes with every
    /// value so that a town's center can break its own figures down.
    pub fn value(&self, dim: Dim) -> String {
        match dim {
            Dim::Town => self.town.clone(),
            Dim::Village => self.village.clone(),
            Dim::Unit => self.unit.clone().unwrap_or_else(|| UNROUTED.into()),
            Dim::Category => self.category.clone(),
            Dim::Channel => self.channel.clone(),
            Dim::Route => self.route.map_or("", |r| r.label()).to_string(),
            Dim::Level => self.level.map_or(UNROUTED, |l| l.label()).to_string(),
            Dim::Clerk => self.clerk.clone(),
            Dim::Month => self
                .received
                .map(|d| format!("{}-{:02}", d.year(), d.month()))
                .unwrap_or_default(),
        }
    }

    /// Every count this case contributes, on its day.
    pub fn contributions(&self) -> Vec<(NaiveDate, Counter, i64)> {
        let mut out = Vec::new();
        let Some(received) = self.received else {
            return out;
        };
        out.push((received, Counter::Received, 1));
        if self.is_repeated() {
            out.push((received, Counter::Repeated, 1));
        }
        if self.is_resolved() {
            out.push((received, Counter::Resolved, 1));
            match self.level {
                Some(Level::Village) => out.push((received, Counter::ResolvedVillage, 1)),
                Some(Level::Township) => out.push((received, Counter::ResolvedTownship, 1)),
                Some(Level::County) => out.push((received, Counter::ResolvedCounty, 1)),
                None => {}
            }
        }
        if let Some(end) = &self.first_end {
            out.push((end.date, Counter::Ended, 1));
            if end.on_time {
                out.push((end.date, Counter::OnTime, 1));
            }
            let days = (end.date - received).num_days();
            if days != 0 {
                out.push((end.date, Counter::Days, days));
            }
            if end.kind == EndKind::Closed {
                out.push((end.date, Counter::EndedClosed, 1));
                if !self.follow_ups.is_empty() {
                    out.push((end.date, Counter::ClosedFollowedUp, 1));
                }
            }
        }
        for (date, s) in &self.follow_ups {
            out.push((*date, Counter::FollowUps, 1));
            if s.is_satisfied() {
                out.push((*date, Counter::Satisfied, 1));
            }
        }
        for (date, s) in self.superseded_pairs() {
            out.push((date, Counter::Superseded, 1));
            if s.is_satisfied() {
                out.push((date, Counter::SupersededSatisfied, 1));
            }
        }
        if self.is_open()
            && let Some(due) = self.due
        {
            out.push((due, Counter::OpenDue, 1));
        }
        out
    }

    /// Each 回访 that a later one follows: its date, the next one's, and its satisfaction.
    pub fn follow_up_pairs(
        &self,
    ) -> impl Iterator<Item = (NaiveDate, NaiveDate, Satisfaction)> + '_ {
        self.follow_ups
            .windows(2)
            .map(|pair| (pair[0].0, pair[1].0, pair[0].1))
    }

    fn superseded_pairs(&self) -> impl Iterator<Item = (NaiveDate, Satisfaction)> + '_ {
        self.follow_up_pairs().map(|(d1, _, s)| (d1, s))
    }

    /// What the day sums over-count for 满意率, which takes only the latest 回访 of a case in
    /// the period: every 回访 in [from, to] whose next 回访 is in it too, with whether it was
    /// satisfied. Only cases with two or more 回访 have any.
    pub fn superseded(&self, from: NaiveDate, to: NaiveDate) -> (i64, i64) {
        let mut n = 0;
        let mut satisfied = 0;
        for pair in self.follow_ups.windows(2) {
            let (d1, s1) = pair[0];
            let (d2, _) = pair[1];
            if d1 >= from && d2 <= to && d1 <= to {
                n += 1;
                satisfied += i64::from(s1.is_satisfied());
            }
        }
        (n, satisfied)
    }

    /// The history the case row does not keep, as stored beside it: the 回访 list as
    /// `2026-10-05:1;2026-11-03:3` (date and satisfaction code).
    pub fn follow_up_text(&self) -> String {
        self.follow_ups
            .iter()
            .map(|(d, s)| format!("{}:{}", d.format("%Y-%m-%d"), s.code()))
            .collect::<Vec<_>>()
            .join(";")
    }

    pub fn parse_follow_ups(text: &str) -> Result<Vec<(NaiveDate, Satisfaction)>, String> {
        if text.is_empty() {
            return Ok(Vec::new());
        }
        text.split(';')
            .map(|item| {
                let bad = || format!("回访记录「{item}」");
                let (d, s) = item.split_once(':').ok_or_else(bad)?;
                let d = NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| bad())?;
                let s = s
                    .parse::<i64>()
                    .ok()
                    .and_then(Satisfaction::from_code)
                    .ok_or_else(bad)?;
                Ok((d, s))
            })
            .collect()
    }
}

/// A period of Beijing dates, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

fn month_start(y: i32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
}

/// The last day of the month of `d`.
pub fn month_end(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    month_start(y, m) - Duration::days(1)
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, String> {
        if from > to {
            return Err(format!(
                "起始日期（{}）晚于截止日期（{}）",
                from.format("%Y-%m-%d"),
                to.format("%Y-%m-%d")
            ));
        }
        Ok(Period { from, to })
    }

    /// 本月, 上月, 本季度, 上季度, 本年, 上年 (or this-month and the like) relative to `today`;
    /// a month `2026-11`; a year `2026`.
    pub fn named(word: &str, today: NaiveDate) -> Result<Period, String> {
        let (y, m) = (today.year(), today.month());
        let month = |y: i32, m: u32| {
            let s = month_start(y, m);
            Period {
                from: s,
                to: month_end(s),
            }
        };
        let quarter = |y: i32, q: u32| Period {
            from: month_start(y, q * 3 + 1),
            to: month_end(month_start(y, q * 3 + 3)),
        };
        let year = |y: i32| Period {
            from: month_start(y, 1),
            to: month_end(month_start(y, 12)),
        };
        let w = word.trim();
        Ok(match w {
            "本月" | "this-month" => month(y, m),
            "上月" | "last-month" => {
                if m == 1 {
                    month(y - 1, 12)
                } else {
                    month(y, m - 1)
                }
            }
            "本季度" | "this-quarter" => quarter(y, (m - 1) / 3),
            "上季度" | "last-quarter" => {
                let q = (m - 1) / 3;
                if q == 0 {
                    quarter(y - 1, 3)
                } else {
                    quarter(y, q - 1)
                }
            }
            "本年" | "今年" | "this-year" => year(y),
            "上年" | "去年" | "last-year" => year(y - 1),
            other => {
                if let Ok(d) = NaiveDate::parse_from_str(&format!("{other}-01"), "%Y-%m-%d") {
                    month(d.year(), d.month())
                } else if let Ok(y) = other.parse::<i32>()
                    && (1900..=9999).contains(&y)
                {
                    year(y)
                } else {
                    return Err(format!(
                        "「{other}」不是统计期间：可用 本月、上月、本季度、上季度、本年、上年，2026-11（某月）或 2026（某年）"
                    ));
                }
            }
        })
    }

    /// The `n` whole months up to and including the month of `day` (a trend's span).
    pub fn months_ending(day: NaiveDate, n: u32) -> Period {
        let back = i64::from(n.max(1)) - 1;
        let index = i64::from(day.year()) * 12 + i64::from(day.month0()) - back;
        let (y, m) = (index.div_euclid(12), index.rem_euclid(12) + 1);
        Period {
            from: month_start(y as i32, m as u32),
            to: month_end(day),
        }
    }

    /// The months the period touches, as (first day, last day) within the period.
    pub fn months(&self) -> Vec<Period> {
        let mut out = Vec::new();
        let mut start = self.from;
        while start <= self.to {
            let end = month_end(start).min(self.to);
            out.push(Period {
                from: start,
                to: end,
            });
            start = end + Duration::days(1);
        }
        out
    }

    /// `2026-01-01 至 2026-11-29`
    pub fn describe(&self) -> String {
        format!(
            "{} 至 {}",
            self.from.format("%Y-%m-%d"),
            self.to.format("%Y-%m-%d")
        )
    }
}

/// The figures of one row of a table, from its counts.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Figures {
    pub counts: Counts,
    /// 超期在办 as of the row's reference day.
    pub overdue_open: i64,
    /// 回访 in the period that a later one in the period supersedes, and how many of them
    /// were satisfied (see `CaseStat::superseded`).
    pub superseded: (i64, i64),
    /// The level a case without one was resolved at: the center that registered it.
    pub own_level: Option<Level>,
    /// 报告单 and 沟通会 counts, where the row's break-down has them (乡镇, 村, 月份, total).
    pub loop_counts: Option<LoopCounts>,
}

/// 一本、一单、一会 in a row of figures: report forms triaged in the period and how many within
/// the triage limit; the row's ended cases fed back at a 民心沟通会.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoopCounts {
    pub triaged: i64,
    pub triaged_in_time: i64,
    pub fed_back: i64,
}

impl LoopCounts {
    pub fn add(&mut self, other: &LoopCounts) {
        self.triaged += other.triaged;
        self.triaged_in_time += other.triaged_in_time;
        self.fed_back += other.fed_back;
    }
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Figures {
    pub fn get(&self, c: Counter) -> i64 {
        self.counts[c as usize]
    }

    pub fn add(&mut self, other: &Figures) {
        for (x, n) in self.counts.iter_mut().zip(other.counts) {
            *x += n;
        }
        self.overdue_open += other.overdue_open;
        self.superseded.0 += other.superseded.0;
        self.superseded.1 += other.superseded.1;
    }

    pub fn received(&self) -> i64 {
        self.get(Counter::Received)
    }
    pub fn ended(&self) -> i64 {
        self.get(Counter::Ended)
    }
    pub fn resolved(&self) -> i64 {
        self.get(Counter::Resolved)
    }
    pub fn repeated(&self) -> i64 {
        self.get(Counter::Repeated)
    }
    pub fn on_time(&self) -> i64 {
        self.get(Counter::OnTime)
    }
    /// 回访 counted for 满意率: the latest per case in the period.
    pub fn follow_ups(&self) -> i64 {
        self.get(Counter::FollowUps) - self.superseded.0
    }
    pub fn satisfied(&self) -> i64 {
        self.get(Counter::Satisfied) - self.superseded.1
    }
    pub fn resolved_rate(&self) -> Option<f64> {
        ratio(self.resolved(), self.received())
    }
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(self.on_time(), self.ended())
    }
    pub fn avg_days(&self) -> Option<f64> {
        ratio(self.get(Counter::Days), self.ended())
    }
    pub fn follow_up_rate(&self) -> Option<f64> {
        ratio(
            self.get(Counter::ClosedFollowedUp),
            self.get(Counter::EndedClosed),
        )
    }
    pub fn satisfaction_rate(&self) -> Option<f64> {
        ratio(self.satisfied(), self.follow_ups())
    }
    pub fn repeat_rate(&self) -> Option<f64> {
        ratio(self.repeated(), self.received())
    }
    /// Of 化解数, those handled at `level`; a case resolved without being routed (当场办结) was
    /// handled at the level of the center that registered it.
    pub fn resolved_at(&self, level: Level) -> i64 {
        let routed = self.get(Counter::ResolvedVillage)
            + self.get(Counter::ResolvedTownship)
            + self.get(Counter::ResolvedCounty);
        let own = if self.own_level == Some(level) {
            self.resolved() - routed
        } else {
            0
        };
        own + match level {
            Level::Village => self.get(Counter::ResolvedVillage),
            Level::Township => self.get(Counter::ResolvedTownship),
            Level::County => self.get(Counter::ResolvedCounty),
        }
    }
    pub fn level_share(&self, level: Level) -> Option<f64> {
        ratio(self.resolved_at(level), self.resolved())
    }

    pub fn value(&self, f: Figure) -> Option<f64> {
        match f {
            Figure::Received => Some(self.received() as f64),
            Figure::Ended => Some(self.ended() as f64),
            Figure::Resolved => Some(self.resolved() as f64),
            Figure::ResolvedRate => self.resolved_rate(),
            Figure::OnTimeRate => self.on_time_rate(),
            Figure::OverdueOpen => Some(self.overdue_open as f64),
            Figure::AvgDays => self.avg_days(),
            Figure::FollowUpRate => self.follow_up_rate(),
            Figure::SatisfactionRate => self.satisfaction_rate(),
            Figure::Repeated => Some(self.repeated() as f64),
            Figure::RepeatRate => self.repeat_rate(),
            Figure::VillageShare => self.level_share(Level::Village),
            Figure::TownshipShare => self.level_share(Level::Township),
            Figure::CountyShare => self.level_share(Level::County),
            Figure::TriageOnTimeRate => self
                .loop_counts
                .and_then(|l| ratio(l.triaged_in_time, l.triaged)),
            Figure::FeedbackRate => self
                .loop_counts
                .and_then(|l| ratio(l.fed_back, self.ended())),
        }
    }
}

/// A figure of a statistics table: its Chinese name, its English key, and its definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Received,
    Ended,
    Resolved,
    ResolvedRate,
    OnTimeRate,
    OverdueOpen,
    AvgDays,
    FollowUpRate,
    SatisfactionRate,
    Repeated,
    RepeatRate,
    VillageShare,
    TownshipShare,
    CountyShare,
    TriageOnTimeRate,
    FeedbackRate,
}

impl Figure {
    pub const ALL: [Figure; 16] = [
        Figure::Received,
        Figure::Ended,
        Figure::Resolved,
        Figure::ResolvedRate,
        Figure::OnTimeRate,
        Figure::OverdueOpen,
        Figure::AvgDays,
        Figure::FollowUpRate,
        Figure::SatisfactionRate,
        Figure::Repeated,
        Figure::RepeatRate,
        Figure::VillageShare,
        Figure::TownshipShare,
        Figure::CountyShare,
        Figure::TriageOnTimeRate,
        Figure::FeedbackRate,
    ];

    pub fn label(&self) -> &'static str {
        match self {
            Figure::Received => "受理数",
            Figure::Ended => "办结数",
            Figure::Resolved => "化解数",
            Figure::ResolvedRate => "化解率",
            Figure::OnTimeRate => "按期办结率",
            Figure::OverdueOpen => "超期在办",
            Figure::AvgDays => "平均办理天数",
            Figure::FollowUpRate => "回访率",
            Figure::SatisfactionRate => "满意率",
            Figure::Repeated => "重复",
            Figure::RepeatRate => "重复率",
            Figure::VillageShare => "村级化解占比",
            Figure::TownshipShare => "乡镇化解占比",
            Figure::CountyShare => "县级化解占比",
            Figure::TriageOnTimeRate => "研判及时率",
            Figure::FeedbackRate => "反馈率",
        }
    }

    /// The key in JSON output.
    pub fn key(&self) -> &'static str {
        match self {
            Figure::Received => "received",
            Figure::Ended => "ended",
            Figure::Resolved => "resolved",
            Figure::ResolvedRate => "resolved_rate",
            Figure::OnTimeRate => "on_time_rate",
            Figure::OverdueOpen => "overdue_open",
            Figure::AvgDays => "avg_days",
            Figure::FollowUpRate => "follow_up_rate",
            Figure::SatisfactionRate => "satisfaction_rate",
            Figure::Repeated => "repeated",
            Figure::RepeatRate => "repeat_rate",
            Figure::VillageShare => "village_share",
            Figure::TownshipShare => "township_share",
            Figure::CountyShare => "county_share",
            Figure::TriageOnTimeRate => "triage_on_time_rate",
            Figure::FeedbackRate => "feedback_rate",
        }
    }

    /// A fraction shown as a percentage (the rest are counts or days).
    pub fn is_rate(&self) -> bool {
        !matches!(
            self,
            Figure::Received
                | Figure::Ended
                | Figure::Resolved
                | Figure::OverdueOpen
                | Figure::AvgDays
                | Figure::Repeated
        )
    }

    /// The definition shown with the figure (F1, the 说明 sheet, a footnote): RULES.md's words.
    pub fn definition(&self) -> &'static str {
        match self {
            Figure::Received => "期间内受理的案件数（含作为重复件合并的案件，另计入“重复”）",
            Figure::Ended => "首次办结（办结、不予受理/引导、合并）日期在期间内的案件数",
            Figure::Resolved => {
                "期间内受理、以调解成功、支持或解释说明办结（含当场办结）且未重新办理的案件数"
            }
            Figure::ResolvedRate => "化解数 ÷ 受理数",
            Figure::OnTimeRate => {
                "办结数中，首次办结日期不晚于办理期限（含经批准延期后的期限）的比例"
            }
            Figure::OverdueOpen => "仍在办理、办理期限早于期间截止日（或今天，取较早者）的案件数",
            Figure::AvgDays => "办结数中，自受理到首次办结的平均自然日数",
            Figure::FollowUpRate => "期间内以“办结”首次办结的案件中，至少回访过一次的比例",
            Figure::SatisfactionRate => {
                "期间内的回访（每件案件取期间内最近一次）中，非常满意、满意、基本满意的比例"
            }
            Figure::Repeated => "期间内受理、标记为重复来访或已合并的案件数",
            Figure::RepeatRate => "重复 ÷ 受理数",
            Figure::VillageShare => {
                "化解数中在村级化解的比例（小事不出村）；未分流的当场办结按受理中心的层级计"
            }
            Figure::TownshipShare => "化解数中在乡镇级化解的比例（大事不出镇）",
            Figure::CountyShare => "化解数中在县级化解的比例（矛盾不上交）",
            Figure::TriageOnTimeRate => {
                "报告单研判及时率：期间内研判的民意报告单中，在研判时限（收到后若干个工作日，默认3个）内研判的比例"
            }
            Figure::FeedbackRate => {
                "办结数中，已在民心沟通会上向所在乡镇或村的群众反馈办理结果的案件所占比例"
            }
        }
    }
}

/// A fraction as people read it: `84.5%`, or `—` when there is nothing to divide by.
pub fn percent(v: Option<f64>) -> String {
    v.map_or("—".to_string(), |v| format!("{:.1}%", v * 100.0))
}

impl Figure {
    /// The figure of a row as people read it: counts whole, days with one decimal, rates as
    /// percentages, `—` where there is nothing to divide by (every table, screen and sheet).
    pub fn shown(&self, f: &Figures) -> String {
        match (self, f.value(*self)) {
            (_, None) => "—".to_string(),
            (Figure::AvgDays, Some(v)) => format!("{v:.1}"),
            (fig, Some(v)) if fig.is_rate() => percent(Some(v)),
            (_, Some(v)) => format!("{v:.0}"),
        }
    }
}

/// What the tables leave out, and why: said wherever the definitions are.
pub const NOT_YET: &str = "研判及时率、反馈率按乡镇、村、月份分组计算（报告单和沟通会不分责任单位、类别等），按其他方式分组或筛选单位、类别时只在合计行计算或不计算。";

/// The reference day of 超期在办 for a period: its end, or today if earlier. A case is overdue
/// when its due date is before this day.
pub fn overdue_reference(period: &Period, today: NaiveDate) -> NaiveDate {
    period.to.min(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn set(pairs: &[(&str, Value)]) -> Map<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn registered() -> CaseStat {
        let mut c = CaseStat::default();
        c.apply(&set(&[
            ("received_date", "2026-03-02".into()),
            ("town", "首阳镇".into()),
            ("village", "南门村".into()),
            ("category", "邻里".into()),
            ("channel", "来访".into()),
            ("clerk", "张丽".into()),
            ("route", Route::Timed.code().into()),
            ("level", Value::Null),
            ("unit", Value::Null),
            ("repeat", 0.into()),
            ("status", Status::Registered.code().into()),
            ("due_date", "2026-04-01".into()),
            ("updated_at", "2026-03-02T09:00:00+08:00".into()),
        ]))
        .unwrap();
        c
    }

    fn close(c: &mut CaseStat, at: &str, outcome: Outcome) {
        c.apply(&set(&[
            ("status", Status::Resolved.code().into()),
            ("outcome", outcome.code().into()),
            ("closed_at", format!("{at}T10:00:00+08:00").into()),
            ("updated_at", format!("{at}T10:00:00+08:00").into()),
        ]))
        .unwrap();
    }

    #[test]
    fn the_first_ending_stays_after_a_reopening() {
        let mut c = registered();
        close(&mut c, "2026-03-10", Outcome::Mediated);
        assert!(c.is_resolved());
        c.apply(&set(&[
            ("status", Status::InProgress.code().into()),
            ("outcome", Value::Null),
            ("closed_at", Value::Null),
            ("due_date", "2026-05-01".into()),
            ("updated_at", "2026-03-12T10:00:00+08:00".into()),
        ]))
        .unwrap();
        assert!(!c.is_resolved());
        assert_eq!(c.first_end.unwrap().date, d("2026-03-10"));
        close(&mut c, "2026-04-20", Outcome::Mediated);
        assert_eq!(c.first_end.unwrap().date, d("2026-03-10"));
        assert!(c.is_resolved());
    }

    #[test]
    fn ending_on_the_due_date_is_on_time() {
        let mut c = registered();
        close(&mut c, "2026-04-01", Outcome::Supported);
        assert!(c.first_end.unwrap().on_time);
        let mut late = registered();
        close(&mut late, "2026-04-02", Outcome::Supported);
        assert!(!late.first_end.unwrap().on_time);
    }

    #[test]
    fn a_merge_is_an_ending_and_a_repeat() {
        let mut c = registered();
        c.apply(&set(&[
            ("status", Status::Merged.code().into()),
            ("duplicate_of", 1.into()),
            ("updated_at", "2026-03-03T10:00:00+08:00".into()),
        ]))
        .unwrap();
        let end = c.first_end.unwrap();
        assert_eq!((end.date, end.kind), (d("2026-03-03"), EndKind::Merged));
        assert!(c.is_repeated());
        assert!(!c.is_resolved());
    }

    #[test]
    fn only_the_latest_follow_up_in_a_period_counts() {
        let mut c = registered();
        c.follow_ups = vec![
            (d("2026-03-05"), Satisfaction::Dissatisfied),
            (d("2026-03-20"), Satisfaction::Satisfied),
        ];
        assert_eq!(c.superseded(d("2026-03-01"), d("2026-03-31")), (1, 0));
        assert_eq!(c.superseded(d("2026-03-01"), d("2026-03-10")), (0, 0));
        assert_eq!(c.superseded(d("2026-03-10"), d("2026-03-31")), (0, 0));
    }

    #[test]
    fn periods_in_words() {
        let today = d("2026-01-15");
        assert_eq!(
            Period::named("上月", today).unwrap(),
            Period {
                from: d("2025-12-01"),
                to: d("2025-12-31")
            }
        );
        assert_eq!(Period::named("本季度", today).unwrap().to, d("2026-03-31"));
        assert_eq!(Period::named("上年", today).unwrap().from, d("2025-01-01"));
        assert_eq!(Period::named("2024-02", today).unwrap().to, d("2024-02-29"));
        assert!(Period::named("明年", today).is_err());
        let p = Period::new(d("2026-01-20"), d("2026-03-05")).unwrap();
        assert_eq!(p.months().len(), 3);
        assert_eq!(p.months()[1].to, d("2026-02-28"));
    }

    #[test]
    fn twelve_months_end_with_the_month_of_the_day() {
        let p = Period::months_ending(d("2026-03-31"), 12);
        assert_eq!((p.from, p.to), (d("2025-04-01"), d("2026-03-31")));
        assert_eq!(p.months().len(), 12);
        let p = Period::months_ending(d("2026-12-15"), 12);
        assert_eq!((p.from, p.to), (d("2026-01-01"), d("2026-12-31")));
        let p = Period::months_ending(d("2026-01-10"), 1);
        assert_eq!((p.from, p.to), (d("2026-01-01"), d("2026-01-31")));
    }

    #[test]
    fn figures_read_as_people_read_them() {
        let mut f = Figures::default();
        assert_eq!(Figure::ResolvedRate.shown(&f), "—");
        assert_eq!(Figure::Received.shown(&f), "0");
        f.counts[Counter::Received as usize] = 13_786;
        f.counts[Counter::Resolved as usize] = 11_649;
        f.counts[Counter::Ended as usize] = 4;
        f.counts[Counter::Days as usize] = 10;
        assert_eq!(Figure::Received.shown(&f), "13786");
        assert_eq!(Figure::ResolvedRate.shown(&f), "84.5%");
        assert_eq!(Figure::AvgDays.shown(&f), "2.5");
    }

    #[test]
    fn follow_ups_round_trip_as_text() {
        let mut c = registered();
        c.follow_ups = vec![(d("2026-03-05"), Satisfaction::Dissatisfied)];
        let text = c.follow_up_text();
        assert_eq!(CaseStat::parse_follow_ups(&text).unwrap(), c.follow_ups);
        assert!(CaseStat::parse_follow_ups("x").is_err());
    }
}
