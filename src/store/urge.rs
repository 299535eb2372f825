//! 督办: the open cases of a unit past their due date, the overdue cases by unit for the monthly
//! report, and issuing a 督办通知单 — one transaction that takes the notice's number from its
//! own series (`urge`) and records a 督办 with that number on the timeline of every case it
//! lists, so that a number is never taken without its cases, nor a case urged without its notice.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use rusqlite::{Connection, params};
use serde_json::{Value, json};

use super::board::{ROW_COLUMNS, row_from};
use super::check::Problem;
use super::{BoardRow, Result, StatFilter, Store, StoreError};
use crate::domain::{Action, ActionKind, Op, Refusal, Session, authorize};

/// The counter series of the 督办通知单 numbers.
pub(super) const SERIES: &str = "urge";

/// A 督办通知单 as issued: its number, the unit, the cases it lists (most overdue first) and
/// the day the unit must reply by.
#[derive(Debug, Clone, PartialEq)]
pub struct UrgeNotice {
    pub number: String,
    pub year: i32,
    pub seq: u32,
    pub unit: String,
    pub cases: Vec<BoardRow>,
    pub reply_by: NaiveDate,
    pub issued_at: DateTime<FixedOffset>,
}

/// Why a notice was not issued: the register refused, or the paper could not be made (then
/// nothing was recorded and no number taken).
#[derive(Debug)]
pub enum UrgeError<E> {
    Store(StoreError),
    Render(E),
}

impl<E> From<StoreError> for UrgeError<E> {
    fn from(e: StoreError) -> Self {
        UrgeError::Store(e)
    }
}

impl<E> From<rusqlite::Error> for UrgeError<E> {
    fn from(e: rusqlite::Error) -> Self {
        UrgeError::Store(e.into())
    }
}

/// A unit's open cases due before `today`, most overdue first, within `who`'s area.
fn overdue_rows(
    conn: &Connection,
    who: &Session,
    unit: &str,
    today: NaiveDate,
) -> Result<Vec<BoardRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ROW_COLUMNS} FROM cases WHERE status < 3 AND unit = ?1 AND due_date < ?2
         ORDER BY due_date, id"
    ))?;
    let rows: Vec<BoardRow> = stmt
        .query_map(
            params![unit, today.format("%Y-%m-%d").to_string()],
            row_from,
        )?
        .collect::<rusqlite::Result<_>>()?;
    let center = who.center();
    Ok(rows
        .into_iter()
        .filter(|r| center.covers(&r.town, &r.village, r.unit.as_deref()))
        .collect())
}

/// What a case's 督办 says when the supervisor wrote nothing: how late it is and by when to
/// reply.
pub fn default_note(days_overdue: i64, reply_by: NaiveDate) -> String {
    format!(
        "已超期{days_overdue}天，请于{}前办结并书面回复",
        reply_by.format("%Y-%m-%d")
    )
}

impl Store {
    /// The open cases of `unit` past their due date as of `today` that `who`'s center covers,
    /// most overdue first: what a 督办通知单 to the unit would list.
    pub fn overdue_of_unit(
        &self,
        who: &Session,
        unit: &str,
        today: NaiveDate,
    ) -> Result<Vec<BoardRow>> {
        overdue_rows(&self.conn, who, unit, today)
    }

    /// Issue a 督办通知单 to `unit`: in one transaction, take the next number of the year's
    /// series and record a 督办 on each of the unit's overdue open cases (the notice's number
    /// in the event, `note` or the default words as the 督办意见). `render` makes the paper
    /// inside the transaction: if it fails, nothing is recorded and no number is taken. Only a
    /// 值班长 or 管理员 may; a unit without overdue cases is refused before a number is taken.
    pub fn issue_urge<T, E>(
        &mut self,
        unit: &str,
        (reply_by, note): (NaiveDate, &str),
        who: &Session,
        now: DateTime<FixedOffset>,
        render: impl FnOnce(&UrgeNotice) -> std::result::Result<T, E>,
    ) -> std::result::Result<(UrgeNotice, T), UrgeError<E>> {
        authorize(who.account(), Op::Act(ActionKind::Urge)).map_err(StoreError::from)?;
        let today = now.date_naive();
        if reply_by < today {
            return Err(StoreError::Refused(Refusal(format!(
                "回复期限（{}）早于今天，请重新确定回复期限",
                reply_by.format("%Y-%m-%d")
            )))
            .into());
        }
        let config = self.config_arc();
        let mut w = self.write()?;
        let cases = overdue_rows(w.tx()?, who, unit, today)?;
        if cases.is_empty() {
            return Err(StoreError::Refused(Refusal(format!(
                "{unit}目前没有超期未办结的案件，无需督办；未生成督办通知单，也未占用编号"
            )))
            .into());
        }
        let year = now.year();
        let seq = w.next_number(SERIES, year)?;
        let number = config.urge_number(year, seq);
        for c in &cases {
            let days = (today - c.due_date).num_days();
            let words = if note.trim().is_empty() {
                default_note(days, reply_by)
            } else {
                note.trim().to_string()
            };
            w.act_with(
                c.key,
                &Action::Urge { note: words },
                who,
                now,
                &[
                    ("urge_no", json!(number)),
                    ("urge", json!({ "year": year, "seq": seq })),
                    ("reply_by", json!(reply_by.format("%Y-%m-%d").to_string())),
                ],
            )?;
        }
        let notice = UrgeNotice {
            number,
            year,
            seq,
            unit: unit.to_string(),
            cases,
            reply_by,
            issued_at: now,
        };
        let paper = render(&notice).map_err(UrgeError::Render)?;
        w.commit()?;
        tracing::info!(
            number = %notice.number,
            unit,
            cases = notice.cases.len(),
            actor = who.login(),
            "urged"
        );
        Ok((notice, paper))
    }

    /// Open cases due before `before`, by unit, within a statistics area: how many and the
    /// earliest due date, most cases first. A case not yet routed counts under `None`.
    pub fn overdue_by_unit(
        &self,
        filter: &StatFilter,
        before: NaiveDate,
    ) -> Result<Vec<(Option<String>, u64, NaiveDate)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT unit, COUNT(*), MIN(due_date) FROM cases
             WHERE status < 3 AND due_date < ?1
               AND (?2 IS NULL OR town = ?2) AND (?3 IS NULL OR village = ?3)
               AND (?4 IS NULL OR unit = ?4) AND (?5 IS NULL OR category = ?5)
             GROUP BY unit",
        )?;
        let mut out: Vec<(Option<String>, u64, NaiveDate)> = stmt
            .query_map(
                params![
                    before.format("%Y-%m-%d").to_string(),
                    filter.town,
                    filter.village,
                    filter.unit,
                    filter.category
                ],
                |r| {
                    let due: String = r.get(2)?;
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        r.get::<_, i64>(1)?.max(0) as u64,
                        super::cases::date("due_date", &due)?,
                    ))
                },
            )?
            .collect::<rusqlite::Result<_>>()?;
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(&b.2)));
        Ok(out)
    }
}

/// The 督办通知单 numbers the timeline holds, by year: what `check` holds the series against.
/// Collected while the chain is recomputed, which reads every event anyway.
#[derive(Debug, Default)]
pub struct Issued {
    years: BTreeMap<i32, BTreeSet<u32>>,
    unreadable: usize,
}

impl Issued {
    /// The notice a 督办 event's payload names, if it names one (a 督办 taken on a case by
    /// itself has none).
    pub(super) fn note(&mut self, data: &str) {
        let Ok(v) = serde_json::from_str::<Value>(data) else {
            self.unreadable += 1;
            return;
        };
        let Some(u) = v.get("urge") else {
            return;
        };
        let number = |k: &str| u.get(k).and_then(Value::as_i64);
        match (
            number("year").and_then(|y| i32::try_from(y).ok()),
            number("seq").and_then(|s| u32::try_from(s).ok()),
        ) {
            (Some(year), Some(seq)) if seq > 0 => {
                self.years.entry(year).or_default().insert(seq);
            }
            _ => self.unreadable += 1,
        }
    }

    /// Each year's notices numbered 1, 2, 3 … without a gap, up to what the counter issued.
    pub(super) fn check(&self, conn: &Connection, problems: &mut Vec<Problem>) -> Result<()> {
        const LABEL: &str = "督办通知单编号";
        let mut stmt = conn.prepare("SELECT year, last FROM counters WHERE series = ?1")?;
        let counters: BTreeMap<i32, i64> = stmt
            .query_map([SERIES], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let years: BTreeSet<i32> = self.years.keys().chain(counters.keys()).copied().collect();
        for year in years {
            let empty = BTreeSet::new();
            let seqs = self.years.get(&year).unwrap_or(&empty);
            let max = i64::from(seqs.last().copied().unwrap_or(0));
            let missing: Vec<String> = (1..max)
                .filter(|n| u32::try_from(*n).is_ok_and(|n| !seqs.contains(&n)))
                .take(10)
                .map(|n| format!("{n}号"))
                .collect();
            if !missing.is_empty() {
                problems.push(Problem(format!(
                    "{year}年{LABEL}不连续：共{}个，最大{max}号，缺少{}",
                    seqs.len(),
                    missing.join("、")
                )));
            }
            let last = counters.get(&year).copied();
            if last != Some(max) {
                problems.push(Problem(format!(
                    "{year}年{LABEL}计数器（{}）与已用的最大编号（{}）不符",
                    last.map_or("无".to_string(), |l| l.to_string()),
                    if max == 0 {
                        "无".to_string()
                    } else {
                        max.to_string()
                    }
                )));
            }
        }
        if self.unreadable > 0 {
            problems.push(Problem(format!(
                "有{}条督办记录中的督办通知单编号无法识别",
                self.unreadable
            )));
        }
        Ok(())
    }
}
