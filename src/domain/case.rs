//! A case of the register as the rest of the program sees it: the person, the matter, where it
//! was routed, its deadline and its state, and the timeline events that record every change.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Gender, IdNumber, Level, Outcome, Phone, Route, Satisfaction, Status};

/// The sortable key of a case, `2026-000123`: the year received and its number in that year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseKey {
    pub year: i32,
    pub seq: u32,
}

impl fmt::Display for CaseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:06}", self.year, self.seq)
    }
}

impl FromStr for CaseKey {
    type Err = String;

    /// Takes `2026-000123`, `2026-123` or the printed number `陇综民〔2026〕123号`, with the year
    /// in any bracket a keyboard gives: 〔〕 [] 【】 () （） ［］.
    fn from_str(s: &str) -> Result<CaseKey, String> {
        let s = s.trim();
        let bad = || format!("「{s}」不是案件编号，应为 2026-000123 或 陇综民〔2026〕123号 的形式");
        let open = ['〔', '[', '【', '(', '（', '［'];
        let close = ['〕', ']', '】', ')', '）', '］'];
        let (year, seq) = if let Some((_, rest)) = s.split_once(open) {
            let (year, rest) = rest.split_once(close).ok_or_else(bad)?;
            let seq = rest.strip_suffix('号').unwrap_or(rest);
            (year, seq)
        } else {
            s.split_once('-').ok_or_else(bad)?
        };
        let year: i32 = year.parse().map_err(|_| bad())?;
        let seq: u32 = seq.parse().map_err(|_| bad())?;
        if !(1900..=9999).contains(&year) || seq == 0 {
            return Err(bad());
        }
        Ok(CaseKey { year, seq })
    }
}

impl Serialize for CaseKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CaseKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// The person who brought the matter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub name: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<NaiveDate>,
    pub id_number: Option<IdNumber>,
    pub phone: Option<Phone>,
    pub town: String,
    pub village: String,
    pub address: String,
}

/// An approved extension of the deadline (at most one per case).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extension {
    pub days: u32,
    pub previous_due: NaiveDate,
    pub new_due: NaiveDate,
    pub reason: String,
    pub approver: String,
}

/// How the case was closed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolution {
    pub outcome: Outcome,
    pub result: String,
    pub basis: String,
    pub closed_at: DateTime<FixedOffset>,
    pub on_time: bool,
}

/// The follow-up visit or call after closing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUp {
    pub date: NaiveDate,
    pub way: String,
    pub satisfaction: Satisfaction,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    #[serde(skip)]
    pub id: i64,
    pub key: CaseKey,
    pub case_no: String,
    pub received_at: DateTime<FixedOffset>,
    pub channel: String,
    pub clerk: String,
    pub person: Person,
    pub group_size: u32,
    pub representatives: Vec<String>,
    pub category: String,
    pub request: String,
    pub facts: String,
    pub reasons: String,
    pub place: String,
    pub urgent: bool,
    pub legal: bool,
    pub repeat: bool,
    pub route: Route,
    pub level: Option<Level>,
    pub unit: Option<String>,
    pub due_date: NaiveDate,
    pub due_basis: String,
    pub extension: Option<Extension>,
    pub status: Status,
    pub resolution: Option<Resolution>,
    pub follow_up: Option<FollowUp>,
    pub decline_reason: Option<String>,
    pub duplicate_of: Option<CaseKey>,
    pub duplicates: Vec<CaseKey>,
    pub updated_at: DateTime<FixedOffset>,
}

impl Case {
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due_date < today
    }

    /// What the lifecycle's rules look at.
    pub fn facts(&self) -> super::CaseFacts {
        super::CaseFacts {
            case_no: self.case_no.clone(),
            status: self.status,
            route: self.route,
            category: self.category.clone(),
            received_date: self.received_at.date_naive(),
            due_date: self.due_date,
            extended: self.extension.is_some(),
            unit: self.unit.clone(),
            on_time: self.resolution.as_ref().map(|r| r.on_time),
            satisfaction: self.follow_up.as_ref().map(|f| f.satisfaction),
            decline_reason: self.decline_reason.clone(),
        }
    }
}

/// One line of a case's timeline: who did what, when. The audit log and the source of the
/// 办理书's 办理过程.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub at: DateTime<FixedOffset>,
    /// The real name of whoever acted.
    pub actor: String,
    /// What happened, in words (`kind`'s label; an event from before accounts keeps its own).
    pub action: String,
    pub details: String,
    #[serde(skip)]
    pub kind: super::EventKind,
}

impl Event {
    /// A step in handling the matter (see `EventKind::is_handling_step`); an old event by the
    /// label it was recorded with.
    pub fn is_handling_step(&self) -> bool {
        match self.kind {
            super::EventKind::Legacy => {
                super::EventKind::from_label(&self.action).is_some_and(|k| k.is_handling_step())
            }
            kind => kind.is_handling_step(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_key_parses_every_written_form() {
        let k = CaseKey {
            year: 2026,
            seq: 12,
        };
        assert_eq!(k.to_string(), "2026-000012");
        assert_eq!("2026-000012".parse::<CaseKey>(), Ok(k));
        assert_eq!("2026-12".parse::<CaseKey>(), Ok(k));
        assert_eq!("陇综民〔2026〕12号".parse::<CaseKey>(), Ok(k));
        for typed in [
            "陇综民[2026]12号",
            "陇综民【2026】12号",
            "陇综民(2026)12号",
            "陇综民（2026）12",
        ] {
            assert_eq!(typed.parse::<CaseKey>(), Ok(k), "{typed}");
        }
        assert!("2026-0".parse::<CaseKey>().is_err());
        assert!("abc".parse::<CaseKey>().is_err());
    }
}
