//! Statistics from the store: the per-day and per-month sums (`stat_agg`) that `Writer` keeps in
//! the same transaction as every write, the per-case history the case row forgets
//! (`case_stats`: first ending, every 回访), the queries that sum them for a period and a
//! break-down, and their recount in `check`. The rules are `domain::stats`; nothing here decides
//! what a figure means.
//!
//! A period is cut into whole months (one row per month and value) and the days at its edges
//! (one row per day and value), so any period reads a few thousand rows at most. Figures the
//! sums cannot give exactly — a filter on two break-downs at once, or a village center's
//! break-down by anything but its village — are counted case by case with the same rules.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde_json::Value;

use super::check::Problem;
use super::{BoardFilter, Listing, Match, Result, Selection, Store, StoreError};
use crate::domain::stats::{
    COUNTERS, CaseStat, Counter, Counts, Dim, EndKind, Figures, FirstEnd, LoopCounts, Period,
    UNROUTED, month_end, overdue_reference,
};
use crate::domain::{
    Center, EventKind, Level, Op, Outcome, Refusal, Route, Session, Status, authorize,
};

/// `grain` of a `stat_agg` row.
pub(super) const DAY: i64 = 0;
pub(super) const MONTH: i64 = 1;

pub(super) fn ymd(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 10_000 + i64::from(d.month()) * 100 + i64::from(d.day())
}

fn ym(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 100 + i64::from(d.month())
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The `stat_agg` ranges that exactly cover [from, to]: the days of a partial first month, the
/// whole months, the days of a partial last month.
pub(super) fn tiles(from: NaiveDate, to: NaiveDate) -> Vec<(i64, i64, i64)> {
    let mut out = Vec::new();
    if from > to {
        return out;
    }
    let mut next = from;
    if from.day() != 1 {
        let end = crate::domain::stats::month_end(from).min(to);
        out.push((DAY, ymd(from), ymd(end)));
        next = end + Duration::days(1);
    }
    if next > to {
        return out;
    }
    let last_whole = if crate::domain::stats::month_end(to) == to {
        Some(to)
    } else {
        month_start(to).checked_sub_signed(Duration::days(1))
    };
    if let Some(last) = last_whole
        && last >= next
    {
        out.push((MONTH, ym(next), ym(last)));
        next = last + Duration::days(1);
    }
    if next <= to {
        out.push((DAY, ymd(next), ymd(to)));
    }
    out
}

/// Sums waiting to be written at commit, keyed by interned names so that a bulk load does not
/// allocate a string per count.
#[derive(Default)]
pub(super) struct Pending {
    names: HashMap<String, u32>,
    list: Vec<String>,
    /// Hashed, not ordered: a bulk load looks up a sum for every count it moves (a B-tree
    /// search was the largest cost of the demo's statistics); sorted once at flush instead.
    sums: HashMap<SumKey, Counts, BuildHasherDefault<Fx>>,
}

type SumKey = (i64, i64, i64, u32, u32);

/// A multiply-rotate hash (the one rustc uses) for the sums' small integer keys: they come
/// from this program, not from outside, and SipHash's care against flooding cost a tenth of a
/// bulk load's statistics.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_i64(&mut self, n: i64) {
        self.write_u64(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn by_day(s: &CaseStat) -> Vec<(NaiveDate, Counts)> {
    let mut out: Vec<(NaiveDate, Counts)> = Vec::new();
    for (date, c, n) in s.contributions() {
        match out.iter_mut().find(|(d, _)| *d == date) {
            Some((_, counts)) => counts[c as usize] += n,
            None => {
                let mut counts = [0; COUNTERS];
                counts[c as usize] += n;
                out.push((date, counts));
            }
        }
    }
    out
}

fn same_values(a: &CaseStat, b: &CaseStat) -> bool {
    a.town == b.town
        && a.village == b.village
        && a.unit == b.unit
        && a.category == b.category
        && a.channel == b.channel
        && a.route == b.route
        && a.level == b.level
        && a.clerk == b.clerk
}

impl Pending {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(id) = self.names.get(name) {
            return *id;
        }
        let id = self.list.len() as u32;
        self.list.push(name.to_string());
        self.names.insert(name.to_string(), id);
        id
    }

    fn add(&mut self, s: &CaseStat, days: &[(NaiveDate, Counts)], sign: i64) {
        if days.is_empty() {
            return;
        }
        let town = self.id(&s.town);
        let values: Vec<(i64, u32)> = Dim::STORED
            .iter()
            .map(|d| (d.code(), self.id(&s.value(*d))))
            .collect();
        for (date, counts) in days {
            if counts.iter().all(|n| *n == 0) {
                continue;
            }
            for (dim, value) in &values {
                for key in [
                    (DAY, *dim, ymd(*date), town, *value),
                    (MONTH, *dim, ym(*date), town, *value),
                ] {
                    let sum = self.sums.entry(key).or_insert([0; COUNTERS]);
                    for (i, n) in counts.iter().enumerate() {
                        sum[i] += sign * n;
                    }
                }
            }
        }
    }

    /// A case went from `old` (none when new) to `new`: move its counts.
    pub(super) fn change(&mut self, old: Option<&CaseStat>, new: &CaseStat) {
        match old {
            Some(o) if same_values(o, new) => {
                let before = by_day(o);
                let mut after = by_day(new);
                for (date, counts) in &before {
                    match after.iter_mut().find(|(d, _)| d == date) {
                        Some((_, a)) => {
                            for (x, n) in a.iter_mut().zip(counts) {
                                *x -= n;
                            }
                        }
                        None => after.push((*date, counts.map(|n| -n))),
                    }
                }
                self.add(new, &after, 1);
            }
            Some(o) => {
                self.add(o, &by_day(o), -1);
                self.add(new, &by_day(new), 1);
            }
            None => self.add(new, &by_day(new), 1),
        }
    }

    /// Write the sums into `stat_agg` and forget them.
    pub(super) fn flush(&mut self, tx: &Connection) -> Result<()> {
        self.flush_counters(tx, &Counter::ALL)
    }

    /// Write the sums of `counters` (the columns the table has at a migration's time) and
    /// forget them all.
    fn flush_counters(&mut self, tx: &Connection, counters: &[Counter]) -> Result<()> {
        if self.sums.is_empty() {
            return Ok(());
        }
        let columns: Vec<&str> = counters.iter().map(|c| c.column()).collect();
        let sql = format!(
            "INSERT INTO stat_agg (grain, dim, period, town, value, {}) VALUES (?1, ?2, ?3, ?4, ?5, {})
             ON CONFLICT (grain, dim, period, town, value) DO UPDATE SET {}",
            columns.join(", "),
            (6..6 + columns.len())
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", "),
            columns
                .iter()
                .map(|c| format!("{c} = {c} + excluded.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut stmt = tx.prepare_cached(&sql)?;
        let mut sums: Vec<_> = std::mem::take(&mut self.sums).into_iter().collect();
        // In key order, so the upserts walk the table's B-tree from one end to the other.
        sums.sort_unstable_by_key(|(k, _)| *k);
        for ((grain, dim, period, town, value), counts) in sums {
            let counts: Vec<i64> = counters.iter().map(|c| counts[*c as usize]).collect();
            if counts.iter().all(|n| *n == 0) {
                continue;
            }
            let mut p: Vec<rusqlite::types::Value> = vec![
                grain.into(),
                dim.into(),
                period.into(),
                self.list[town as usize].clone().into(),
                self.list[value as usize].clone().into(),
            ];
            p.extend(counts.iter().map(|n| rusqlite::types::Value::from(*n)));
            stmt.execute(rusqlite::params_from_iter(p))?;
        }
        Ok(())
    }
}

/// The columns `stat_from_row` reads, from `cases c LEFT JOIN case_stats s`.
pub(super) const STAT_COLUMNS: &str = "c.received_date, c.town, c.village, c.unit, c.category, \
    c.channel, c.route, c.level, c.clerk, c.repeat, c.status, c.outcome, c.due_date, \
    c.closed_at, s.first_end, s.first_kind, s.first_on_time, s.fu";
pub(super) const STAT_COLUMN_COUNT: usize = 18;

fn bad(column: &str, value: &str) -> rusqlite::Error {
    super::cases::damaged(column, value)
}

/// A case's statistical facts from its row and its `case_stats` row, starting at column `at`.
pub(super) fn stat_from_row(r: &Row, at: usize) -> rusqlite::Result<CaseStat> {
    let date = |i: usize, name: &str| -> rusqlite::Result<Option<NaiveDate>> {
        match r.get::<_, Option<String>>(at + i)? {
            None => Ok(None),
            Some(s) => NaiveDate::parse_from_str(s.get(..10).unwrap_or(&s), "%Y-%m-%d")
                .map(Some)
                .map_err(|_| bad(name, &s)),
        }
    };
    fn code<T>(v: Option<i64>, name: &str, f: fn(i64) -> Option<T>) -> rusqlite::Result<Option<T>> {
        v.map(|c| f(c).ok_or_else(|| bad(name, &c.to_string())))
            .transpose()
    }
    let first_end = match date(14, "first_end")? {
        None => None,
        Some(date) => Some(FirstEnd {
            date,
            kind: code(r.get(at + 15)?, "first_kind", EndKind::from_code)?
                .ok_or_else(|| bad("first_kind", "空"))?,
            on_time: r.get::<_, Option<bool>>(at + 16)?.unwrap_or(false),
        }),
    };
    let fu: Option<String> = r.get(at + 17)?;
    let follow_ups = match fu {
        None => Vec::new(),
        Some(text) => CaseStat::parse_follow_ups(&text).map_err(|_| bad("fu", &text))?,
    };
    Ok(CaseStat {
        received: date(0, "received_date")?,
        town: r.get(at + 1)?,
        village: r.get(at + 2)?,
        unit: r.get(at + 3)?,
        category: r.get(at + 4)?,
        channel: r.get(at + 5)?,
        route: code(r.get(at + 6)?, "route", Route::from_code)?,
        level: code(r.get(at + 7)?, "level", Level::from_code)?,
        clerk: r.get(at + 8)?,
        repeat: r.get(at + 9)?,
        status: code(r.get(at + 10)?, "status", Status::from_code)?,
        outcome: code(r.get(at + 11)?, "outcome", Outcome::from_code)?,
        due: date(12, "due_date")?,
        closed: date(13, "closed_at")?,
        first_end,
        follow_ups,
    })
}

/// The statistical facts of a case as stored, read before an event changes them.
pub(super) fn load(tx: &Connection, case_id: i64) -> Result<CaseStat> {
    tx.prepare_cached(&format!(
        "SELECT {STAT_COLUMNS} FROM cases c LEFT JOIN case_stats s ON s.case_id = c.id WHERE c.id = ?1"
    ))?
    .query_row([case_id], |r| stat_from_row(r, 0))
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("内部编号{case_id}")))
}

/// Keep the history the case row forgets, when it changed.
pub(super) fn save(
    tx: &Connection,
    case_id: i64,
    old: Option<&CaseStat>,
    new: &CaseStat,
) -> Result<()> {
    if old.is_some_and(|o| o.first_end == new.first_end && o.follow_ups == new.follow_ups)
        || (old.is_none() && new.first_end.is_none() && new.follow_ups.is_empty())
    {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT OR REPLACE INTO case_stats (case_id, first_end, first_kind, first_on_time, fu, multi_fu)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        case_id,
        new.first_end.map(|e| e.date.format("%Y-%m-%d").to_string()),
        new.first_end.map(|e| e.kind.code()),
        new.first_end.map(|e| e.on_time),
        new.follow_up_text(),
        new.follow_ups.len() > 1,
    ])?;
    Ok(())
}

/// Keep `fu_pairs` (migration 9) as a case's 回访 list or its break-down values change.
pub(super) fn save_pairs(
    tx: &Connection,
    case_id: i64,
    old: Option<&CaseStat>,
    new: &CaseStat,
) -> Result<()> {
    let unchanged = old.is_some_and(|o| {
        o.follow_ups == new.follow_ups && same_values(o, new) && o.received == new.received
    });
    if unchanged {
        return Ok(());
    }
    if let Some(o) = old {
        for (d1, d2, _) in o.follow_up_pairs() {
            tx.prepare_cached("DELETE FROM fu_pairs WHERE d1 = ?1 AND d2 = ?2 AND case_id = ?3")?
                .execute(params![ymd_text(d1), ymd_text(d2), case_id])?;
        }
    }
    for (d1, d2, sat) in new.follow_up_pairs() {
        insert_pair(tx, case_id, (d1, d2, sat.is_satisfied()), new)?;
    }
    Ok(())
}

fn ymd_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A pair of successive 回访 of a case, with the case's break-down values beside it.
fn insert_pair(
    tx: &Connection,
    case_id: i64,
    (d1, d2, satisfied): (NaiveDate, NaiveDate, bool),
    s: &CaseStat,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO fu_pairs (d1, d2, case_id, satisfied, received, town, village,
             unit, category, channel, route, level, clerk)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        ymd_text(d1),
        ymd_text(d2),
        case_id,
        satisfied,
        s.received.map(ymd_text),
        s.town,
        s.village,
        s.unit,
        s.category,
        s.channel,
        s.route.map(|r| r.code()),
        s.level.map(|l| l.code()),
        s.clerk,
    ])?;
    Ok(())
}

/// The pairs of successive 回访 whose first is in [from, to] (`?1`, `?2`) and whose second is
/// after it, within a filter (`?3`–`?6`: town, village, unit, category), counted with how many
/// of the first were satisfied, by the town and the break-down `by`: grouped in SQL, as
/// `stat_from_row` reads a case (the other values empty), so a month's thousands of pairs
/// come back as a few rows.
fn straddling_sql(by: Dim) -> String {
    let keep = |d: Dim, column: &str, empty: &str| {
        if d == by || d == Dim::Town {
            column.to_string()
        } else {
            empty.to_string()
        }
    };
    let values = [
        keep(Dim::Month, "substr(received, 1, 7) || '-01'", "NULL"),
        keep(Dim::Town, "town", "''"),
        keep(Dim::Village, "village", "''"),
        keep(Dim::Unit, "unit", "NULL"),
        keep(Dim::Category, "category", "''"),
        keep(Dim::Channel, "channel", "''"),
        keep(Dim::Route, "route", "NULL"),
        keep(Dim::Level, "level", "NULL"),
        keep(Dim::Clerk, "clerk", "''"),
    ];
    format!(
        "SELECT {values}, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                count(*), sum(satisfied)
         FROM fu_pairs
         WHERE d1 BETWEEN ?1 AND ?2 AND d2 > ?2
           AND (?3 IS NULL OR town = ?3) AND (?4 IS NULL OR village = ?4)
           AND (?5 IS NULL OR unit = ?5) AND (?6 IS NULL OR category = ?6)
         GROUP BY {groups}",
        values = values.join(", "),
        groups = (1..=values.len())
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Migration 9: the sums of 回访 superseded by a later one, and the pairs they come from, for
/// the cases already registered (only those with two or more 回访 have any).
pub(super) fn fill_superseded(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    let mut pending = Pending::default();
    let mut stmt = tx.prepare(&format!(
        "SELECT c.id, {STAT_COLUMNS} FROM case_stats s JOIN cases c ON c.id = s.case_id
         WHERE s.multi_fu"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let case_id: i64 = r.get(0)?;
        let stat = stat_from_row(r, 1)?;
        let mut days: Vec<(NaiveDate, Counts)> = Vec::new();
        for (d1, d2, sat) in stat.follow_up_pairs() {
            insert_pair(tx, case_id, (d1, d2, sat.is_satisfied()), &stat)?;
        }
        for (date, c, n) in stat.contributions() {
            if !matches!(c, Counter::Superseded | Counter::SupersededSatisfied) {
                continue;
            }
            match days.iter_mut().find(|(d, _)| *d == date) {
                Some((_, counts)) => counts[c as usize] += n,
                None => {
                    let mut counts = [0; COUNTERS];
                    counts[c as usize] += n;
                    days.push((date, counts));
                }
            }
        }
        pending.add(&stat, &days, 1);
    }
    pending.flush(tx).map_err(|e| match e {
        StoreError::Sqlite(e) => e,
        other => rusqlite::Error::ToSqlConversionFailure(other.to_string().into()),
    })
}

/// Fold one case's events (their `kind` and payload) into its statistical facts.
pub(super) fn fold<'a>(
    events: impl Iterator<Item = (Option<EventKind>, &'a serde_json::Map<String, Value>)>,
) -> std::result::Result<CaseStat, String> {
    let mut stat = CaseStat::default();
    for (kind, data) in events {
        if kind == Some(EventKind::Migrate) {
            stat = CaseStat::default();
        }
        if let Some(Value::Object(set)) = data.get("set") {
            stat.apply(set)?;
        }
    }
    Ok(stat)
}

/// An event of a case as the backfill reads it: its kind and payload.
type Recorded = (Option<EventKind>, serde_json::Map<String, Value>);

/// Schema 3: the sums and histories of a register made before statistics, from its events.
pub(super) fn backfill(tx: &Transaction) -> rusqlite::Result<()> {
    let mut pending = Pending::default();
    let mut stmt = tx.prepare(
        "SELECT case_id, kind, data FROM events WHERE case_id IS NOT NULL ORDER BY case_id, id",
    )?;
    let mut rows = stmt.query([])?;
    let mut current: Option<i64> = None;
    let mut history: Vec<Recorded> = Vec::new();
    let mut done = 0usize;
    let mut finish =
        |id: i64, history: &mut Vec<Recorded>, pending: &mut Pending| -> rusqlite::Result<()> {
            let stat = fold(history.iter().map(|(k, d)| (*k, d))).map_err(|e| bad("data", &e))?;
            history.clear();
            pending.change(None, &stat);
            save(tx, id, None, &stat).map_err(|e| bad("case_stats", &e.to_string()))?;
            done += 1;
            if done.is_multiple_of(50_000) {
                pending
                    .flush_counters(tx, &Counter::ALL[..MIGRATION_3_COUNTERS])
                    .map_err(|e| bad("stat_agg", &e.to_string()))?;
            }
            Ok(())
        };
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if current.is_some_and(|c| c != id)
            && let Some(c) = current
        {
            finish(c, &mut history, &mut pending)?;
        }
        current = Some(id);
        let kind = EventKind::from_code(r.get(1)?);
        let text: String = r.get(2)?;
        let data = match serde_json::from_str(&text) {
            Ok(Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        history.push((kind, data));
    }
    if let Some(c) = current {
        finish(c, &mut history, &mut pending)?;
    }
    pending
        .flush_counters(tx, &Counter::ALL[..MIGRATION_3_COUNTERS])
        .map_err(|e| bad("stat_agg", &e.to_string()))?;
    Ok(())
}

/// How many of `Counter::ALL` (in order; later ones are appended) `stat_agg` had when
/// migration 3 made it; those added later are filled by the migration that adds their columns
/// (`fill_superseded`).
const MIGRATION_3_COUNTERS: usize = 14;

/// What `case_stats` holds of a case: its first ending and its 回访.
pub(super) type History = (
    Option<FirstEnd>,
    Vec<(NaiveDate, crate::domain::Satisfaction)>,
);

/// A `case_stats` row as `check` reads it (a JSON map of its columns; none: no row).
pub(super) fn stored_history(
    row: Option<&serde_json::Map<String, Value>>,
) -> std::result::Result<History, String> {
    let Some(row) = row else {
        return Ok((None, Vec::new()));
    };
    let text = |k: &str| row.get(k).and_then(Value::as_str);
    let first = match text("first_end") {
        None => None,
        Some(d) => Some(FirstEnd {
            date: NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| format!("first_end「{d}」"))?,
            kind: row
                .get("first_kind")
                .and_then(Value::as_i64)
                .and_then(EndKind::from_code)
                .ok_or_else(|| "first_kind".to_string())?,
            on_time: row.get("first_on_time").and_then(Value::as_i64) == Some(1),
        }),
    };
    Ok((first, CaseStat::parse_follow_ups(text("fu").unwrap_or(""))?))
}

/// `check`'s recount: the facts replayed from each case's events, compared with `case_stats`,
/// and their sums compared with `stat_agg`.
#[derive(Default)]
pub(super) struct Recount {
    expected: Pending,
    found: Vec<String>,
    /// How many pairs of successive 回访 the replayed cases have (`fu_pairs` should hold them).
    pairs: i64,
}

impl Recount {
    /// One case as its events make it, beside what `case_stats` holds for it.
    pub(super) fn case(&mut self, label: &str, replayed: &CaseStat, stored: &History) {
        if stored.0 != replayed.first_end || stored.1 != replayed.follow_ups {
            self.found
                .push(format!("{label}：统计用的首次办结或回访记录与时间线不符"));
        }
        self.expected.change(None, replayed);
        self.pairs += replayed.follow_up_pairs().count() as i64;
    }

    pub(super) fn finish(mut self, conn: &Connection, problems: &mut Vec<Problem>) -> Result<()> {
        let columns: Vec<&str> = Counter::ALL.iter().map(|c| c.column()).collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT grain, dim, period, town, value, {} FROM stat_agg",
            columns.join(", ")
        ))?;
        let mut rows = stmt.query([])?;
        let mut wrong = 0usize;
        let mut example = None;
        while let Some(r) = rows.next()? {
            let key_town: String = r.get(3)?;
            let key_value: String = r.get(4)?;
            let mut counts = [0i64; COUNTERS];
            for (i, c) in counts.iter_mut().enumerate() {
                *c = r.get(5 + i)?;
            }
            let (grain, dim, period): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let key = match (
                self.expected.names.get(&key_town),
                self.expected.names.get(&key_value),
            ) {
                (Some(t), Some(v)) => Some((grain, dim, period, *t, *v)),
                _ => None,
            };
            let expected = key
                .and_then(|k| self.expected.sums.remove(&k))
                .unwrap_or([0; COUNTERS]);
            if expected != counts {
                wrong += 1;
                example.get_or_insert_with(|| {
                    let dim = Dim::from_code(dim).map_or("?", |d| d.label());
                    format!("{dim}「{key_value}」（{key_town}）{period}")
                });
            }
        }
        let missing = self
            .expected
            .sums
            .values()
            .filter(|c| c.iter().any(|n| *n != 0))
            .count();
        wrong += missing;
        let pairs: i64 = conn.query_row("SELECT count(*) FROM fu_pairs", [], |r| r.get(0))?;
        if pairs != self.pairs {
            self.found.push(format!(
                "回访前后对照（fu_pairs）有{pairs}行，按时间线应为{}行",
                self.pairs
            ));
        }
        if wrong > 0 {
            self.found.push(format!(
                "统计汇总有{wrong}行与时间线重算的结果不符{}",
                example.map_or(String::new(), |e| format!("（如 {e}）"))
            ));
        }
        let n = self.found.len();
        for f in self.found.into_iter().take(20) {
            problems.push(Problem(f));
        }
        if n > 20 {
            problems.push(Problem(format!("统计还有{}处问题未逐一列出", n - 20)));
        }
        Ok(())
    }
}

/// The label of a row: the value, with its town for a village (village names repeat).
fn row_label(by: Dim, town: &str, value: &str) -> String {
    match by {
        Dim::Town => town.to_string(),
        Dim::Village => format!("{town}/{value}"),
        _ => value.to_string(),
    }
}

/// Which cases a table counts: an area, and at most a unit and a category.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatFilter {
    pub town: Option<String>,
    pub village: Option<String>,
    pub unit: Option<String>,
    pub category: Option<String>,
}

impl StatFilter {
    /// The area a center sees: the county all, a town or village its own cases (by the case's
    /// town and village; cases of other towns routed to its units count in their own town).
    pub fn of_center(center: &Center) -> StatFilter {
        match center {
            Center::County => StatFilter::default(),
            Center::Town(t) => StatFilter {
                town: Some(t.clone()),
                ..StatFilter::default()
            },
            Center::Village { town, village } => StatFilter {
                town: Some(town.clone()),
                village: Some(village.clone()),
                ..StatFilter::default()
            },
        }
    }

    /// The one break-down whose sums carry this filter (besides the town, which every sum
    /// carries), or none when the filter needs two.
    fn carrier(&self) -> Option<Option<(Dim, &str)>> {
        let mut set = Vec::new();
        if let Some(v) = &self.village {
            set.push((Dim::Village, v.as_str()));
        }
        if let Some(u) = &self.unit {
            set.push((Dim::Unit, u.as_str()));
        }
        if let Some(c) = &self.category {
            set.push((Dim::Category, c.as_str()));
        }
        match set.len() {
            0 => Some(None),
            1 => Some(Some(set[0])),
            _ => None,
        }
    }

    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (label, v) in [
            ("乡镇", &self.town),
            ("村", &self.village),
            ("责任单位", &self.unit),
            ("类别", &self.category),
        ] {
            if let Some(v) = v {
                parts.push(format!("{label}：{v}"));
            }
        }
        if parts.is_empty() {
            "全县".to_string()
        } else {
            parts.join("，")
        }
    }
}

/// A table of figures: one row per value of the break-down, and the total.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsTable {
    pub period: Period,
    pub by: Dim,
    pub filter: StatFilter,
    pub today: NaiveDate,
    pub rows: Vec<(String, Figures)>,
    pub total: Figures,
}

impl StatsTable {
    /// The cases behind a row, named by its label as the table has it (`None`: the total row):
    /// received in the period (in the row's month, by month), with the row's value, in the
    /// table's area — as many as the row's 受理数. `None` for a label the table cannot have.
    pub fn cases(&self, row: Option<&str>) -> Option<Selection> {
        let mut s = Selection {
            listing: Listing::All,
            received_from: Some(self.period.from),
            received_to: Some(self.period.to),
            ..Selection::default()
        };
        s.board.town = self.filter.town.clone();
        s.board.unit = self.filter.unit.clone();
        s.board.category = self.filter.category.clone();
        if let Some(v) = &self.filter.village {
            s.matches.push(Match::Village(v.clone()));
        }
        let Some(label) = row else {
            return Some(s);
        };
        let other_town = |t: &str| s.board.town.as_ref().is_some_and(|own| own != t);
        match self.by {
            Dim::Town => {
                if other_town(label) {
                    return None;
                }
                s.board.town = Some(label.to_string());
            }
            Dim::Village => {
                let (town, village) = label.split_once('/')?;
                if other_town(town) {
                    return None;
                }
                s.board.town = Some(town.to_string());
                let m = Match::Village(village.to_string());
                if !s.matches.contains(&m) {
                    s.matches.push(m);
                }
            }
            Dim::Unit if label == UNROUTED => s.matches.push(Match::NoUnit),
            Dim::Unit => s.board.unit = Some(label.to_string()),
            Dim::Category => s.board.category = Some(label.to_string()),
            Dim::Channel => s.matches.push(Match::Channel(label.to_string())),
            Dim::Route => s.matches.push(Match::Route(Route::from_label(label)?)),
            Dim::Level if label == UNROUTED => s.matches.push(Match::Level(None)),
            Dim::Level => s
                .matches
                .push(Match::Level(Some(Level::from_label(label)?))),
            Dim::Clerk => s.matches.push(Match::Clerk(label.to_string())),
            Dim::Month => {
                let first = NaiveDate::parse_from_str(&format!("{label}-01"), "%Y-%m-%d").ok()?;
                s.received_from = Some(first.max(self.period.from));
                s.received_to = Some(month_end(first).min(self.period.to));
            }
        }
        Some(s)
    }
}

impl Store {
    /// The statistics table for a period and a break-down, over the area the account's center
    /// covers. Only 值班长 and 管理员 may.
    pub fn statistics(
        &self,
        who: &Session,
        period: Period,
        by: Dim,
        today: NaiveDate,
    ) -> Result<StatsTable> {
        authorize(who.account(), Op::Statistics)?;
        self.statistics_for(&StatFilter::of_center(who.center()), period, by, today)
    }

    /// The table for any filter (the caller has checked who may see it).
    pub fn statistics_for(
        &self,
        filter: &StatFilter,
        period: Period,
        by: Dim,
        today: NaiveDate,
    ) -> Result<StatsTable> {
        let own_level = Some(self.config().center.level);
        let mut rows: Vec<(String, Figures)> = if by == Dim::Month {
            period
                .months()
                .into_iter()
                .map(|m| {
                    let f = self.total(filter, &m, today)?;
                    Ok((format!("{}-{:02}", m.from.year(), m.from.month()), f))
                })
                .collect::<Result<_>>()?
        } else {
            self.grouped(filter, &period, by, today)?
                .into_iter()
                .filter(|(_, f)| {
                    f.received() != 0
                        || f.ended() != 0
                        || f.overdue_open != 0
                        || f.get(Counter::FollowUps) != 0
                })
                .collect()
        };
        for (_, f) in rows.iter_mut() {
            f.own_level = own_level;
        }
        if by != Dim::Month {
            rows.sort_by(|a, b| {
                b.1.received()
                    .cmp(&a.1.received())
                    .then_with(|| a.0.cmp(&b.0))
            });
        }
        let mut total = self.total(filter, &period, today)?;
        total.own_level = own_level;
        self.add_loop_counts(filter, &period, by, &mut rows, &mut total)?;
        Ok(StatsTable {
            period,
            by,
            filter: filter.clone(),
            today,
            rows,
            total,
        })
    }

    /// 报告单研判及时率 and 反馈率: reports and meetings know their town, village and month
    /// but no unit or category, so rows of other break-downs (and tables filtered by a unit or
    /// a category) leave them out; the total has them unless filtered so.
    fn add_loop_counts(
        &self,
        filter: &StatFilter,
        period: &Period,
        by: Dim,
        rows: &mut [(String, Figures)],
        total: &mut Figures,
    ) -> Result<()> {
        if filter.unit.is_some() || filter.category.is_some() {
            return Ok(());
        }
        let counts = super::loop_sums::counts(
            &self.conn,
            filter.town.as_deref(),
            filter.village.as_deref(),
            period.from,
            period.to,
        )?;
        let mut sum = LoopCounts::default();
        let mut by_row: BTreeMap<String, LoopCounts> = BTreeMap::new();
        for ((town, village, month), c) in &counts {
            sum.add(c);
            let label = match by {
                Dim::Town => town.clone(),
                Dim::Village => row_label(Dim::Village, town, village),
                Dim::Month => month.clone(),
                _ => continue,
            };
            by_row.entry(label).or_default().add(c);
        }
        total.loop_counts = Some(sum);
        if matches!(by, Dim::Town | Dim::Village | Dim::Month) {
            for (label, f) in rows.iter_mut() {
                f.loop_counts = Some(by_row.get(label).copied().unwrap_or_default());
            }
        }
        Ok(())
    }

    /// The board header's figures: the board's town, unit and category over a period (its
    /// status and overdue filters say which open cases to list, not which cases to count),
    /// within the account's area.
    pub fn header_rates(
        &self,
        who: &Session,
        filter: &BoardFilter,
        period: Period,
        today: NaiveDate,
    ) -> Result<Figures> {
        let mut f = StatFilter::of_center(who.center());
        if let Some(t) = &filter.town {
            if f.town.as_ref().is_some_and(|own| own != t) {
                return Ok(Figures::default());
            }
            f.town = Some(t.clone());
        }
        f.unit = filter.unit.clone();
        f.category = filter.category.clone();
        let mut figures = self.total(&f, &period, today)?;
        figures.own_level = Some(self.config().center.level);
        Ok(figures)
    }

    fn total(&self, filter: &StatFilter, period: &Period, today: NaiveDate) -> Result<Figures> {
        let mut total = Figures::default();
        for (_, f) in self.grouped(filter, period, Dim::Town, today)? {
            total.add(&f);
        }
        Ok(total)
    }

    /// Figures by the values of `by` (not the month), from the sums when they carry the
    /// filter, else case by case.
    fn grouped(
        &self,
        filter: &StatFilter,
        period: &Period,
        by: Dim,
        today: NaiveDate,
    ) -> Result<BTreeMap<String, Figures>> {
        let Some(carrier) = filter.carrier() else {
            return self.counted(filter, period, by, today);
        };
        let (dim, only) = match carrier {
            None => (by, None),
            Some((d, v)) if d == by || by == Dim::Town => (d, Some(v)),
            Some(_) => return self.counted(filter, period, by, today),
        };
        let key_of = |town: &str, value: &str| row_label(by, town, value);
        let mut out: BTreeMap<String, Figures> = BTreeMap::new();
        let reference = overdue_reference(period, today);
        let mut ranges: Vec<(i64, i64, i64, bool)> = tiles(period.from, period.to)
            .into_iter()
            .map(|(g, a, b)| (g, a, b, false))
            .collect();
        // 超期在办: open cases due before the reference day, from all history.
        if let Some(before) = reference.checked_sub_signed(Duration::days(1)) {
            let start = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
            ranges.extend(
                tiles(start, before)
                    .into_iter()
                    .map(|(g, a, b)| (g, a, b, true)),
            );
        }
        let columns: Vec<&str> = Counter::ALL.iter().map(|c| c.column()).collect();
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT town, value, {} FROM stat_agg
             WHERE grain = ?1 AND dim = ?2 AND period BETWEEN ?3 AND ?4
               AND (?5 IS NULL OR value = ?5) AND (?6 IS NULL OR town = ?6)",
            columns.join(", ")
        ))?;
        let mut overdue_stmt = self.conn.prepare_cached(
            "SELECT town, value, open_due FROM stat_agg
             WHERE grain = ?1 AND dim = ?2 AND period BETWEEN ?3 AND ?4 AND open_due != 0
               AND (?5 IS NULL OR value = ?5) AND (?6 IS NULL OR town = ?6)",
        )?;
        for (grain, a, b, overdue) in ranges {
            let p = params![grain, dim.code(), a, b, only, filter.town.as_deref()];
            let mut rows = if overdue {
                overdue_stmt.query(p)?
            } else {
                stmt.query(p)?
            };
            while let Some(r) = rows.next()? {
                let town: String = r.get(0)?;
                let value: String = r.get(1)?;
                if filter.town.as_ref().is_some_and(|t| *t != town)
                    || only.is_some_and(|v| v != value)
                {
                    continue;
                }
                let f = out.entry(key_of(&town, &value)).or_default();
                if overdue {
                    f.overdue_open += r.get::<_, i64>(2)?;
                } else {
                    for (i, c) in f.counts.iter_mut().enumerate() {
                        *c += r.get::<_, i64>(2 + i)?;
                    }
                }
            }
        }
        // 满意率 takes the latest 回访 of a case in the period. The sums count every 回访 that a
        // later one follows, at its own date; those whose later one falls after the period
        // are not superseded in it, and are taken back here one by one (none when the period
        // ends today).
        for f in out.values_mut() {
            for (counter, to) in [
                (Counter::Superseded, &mut f.superseded.0),
                (Counter::SupersededSatisfied, &mut f.superseded.1),
            ] {
                *to += std::mem::take(&mut f.counts[counter as usize]);
            }
        }
        // None when no pair ends after the period (as for any period ending today).
        let last: Option<String> =
            self.conn
                .query_row("SELECT max(d2) FROM fu_pairs", [], |r| r.get(0))?;
        let to = ymd_text(period.to);
        if last.is_none_or(|l| l <= to) {
            return Ok(out);
        }
        let mut straddling = self.conn.prepare_cached(&straddling_sql(by))?;
        let mut rows = straddling.query(params![
            ymd_text(period.from),
            to,
            filter.town,
            filter.village,
            filter.unit,
            filter.category
        ])?;
        while let Some(r) = rows.next()? {
            let s = stat_from_row(r, 0)?;
            let (n, satisfied): (i64, i64) =
                (r.get(STAT_COLUMN_COUNT)?, r.get(STAT_COLUMN_COUNT + 1)?);
            let f = out.entry(key_of(&s.town, &s.value(by))).or_default();
            f.superseded.0 -= n;
            f.superseded.1 -= satisfied;
        }
        Ok(out)
    }

    /// Figures counted case by case, by the same rules as the sums: for filters the sums do
    /// not carry. Reads every case of the filter's area.
    fn counted(
        &self,
        filter: &StatFilter,
        period: &Period,
        by: Dim,
        today: NaiveDate,
    ) -> Result<BTreeMap<String, Figures>> {
        let mut sql = format!(
            "SELECT {STAT_COLUMNS} FROM cases c LEFT JOIN case_stats s ON s.case_id = c.id WHERE 1"
        );
        let mut p: Vec<String> = Vec::new();
        for (col, v) in [
            ("c.town", &filter.town),
            ("c.village", &filter.village),
            ("c.unit", &filter.unit),
            ("c.category", &filter.category),
        ] {
            if let Some(v) = v {
                p.push(v.clone());
                sql.push_str(&format!(" AND {col} = ?{}", p.len()));
            }
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(p))?;
        let mut out: BTreeMap<String, Figures> = BTreeMap::new();
        let reference = overdue_reference(period, today);
        while let Some(r) = rows.next()? {
            let s = stat_from_row(r, 0)?;
            let f = out.entry(row_label(by, &s.town, &s.value(by))).or_default();
            for (date, c, n) in s.contributions() {
                if matches!(c, Counter::Superseded | Counter::SupersededSatisfied) {
                    // Counted exactly below.
                    continue;
                }
                if c == Counter::OpenDue {
                    if date < reference {
                        f.overdue_open += n;
                    }
                } else if date >= period.from && date <= period.to {
                    f.counts[c as usize] += n;
                }
            }
            let (n, sat) = s.superseded(period.from, period.to);
            f.superseded.0 += n;
            f.superseded.1 += sat;
        }
        Ok(out)
    }
}

/// A case for the register export: the case and the history its row forgets.
#[derive(Debug, Clone)]
pub struct ExportCase {
    pub case: crate::domain::Case,
    pub stat: CaseStat,
}

/// Which cases `export register` writes: received in the period, with optional filters.
#[derive(Debug, Clone)]
pub struct ExportFilter {
    pub period: Period,
    pub town: Option<String>,
    pub unit: Option<String>,
    pub category: Option<String>,
    pub status: Option<Status>,
}

impl ExportFilter {
    /// The same cases as a selection: every case received in the period, open or ended.
    pub fn selection(&self) -> Selection {
        Selection {
            listing: Listing::All,
            board: BoardFilter {
                town: self.town.clone(),
                unit: self.unit.clone(),
                category: self.category.clone(),
                status: self.status,
                overdue_only: false,
            },
            matches: Vec::new(),
            received_from: Some(self.period.from),
            received_to: Some(self.period.to),
        }
    }
}

impl Store {
    /// The WHERE clause of an export: the selection within the area of the account's center.
    /// Only 值班长 and 管理员 may export; a center outside its own area is refused.
    fn export_clause(
        &self,
        who: &Session,
        selection: &Selection,
        today: NaiveDate,
    ) -> Result<(String, Vec<Box<dyn rusqlite::ToSql>>)> {
        authorize(who.account(), Op::Statistics)?;
        let area = StatFilter::of_center(who.center());
        let mut s = selection.clone();
        let refuse =
            |own: &str| StoreError::Refused(Refusal(format!("只能导出本中心辖区（{own}）的案件")));
        if let Some(own) = &area.town {
            match &s.board.town {
                Some(t) if t != own => return Err(refuse(own)),
                Some(_) => {}
                None => s.board.town = Some(own.clone()),
            }
        }
        if let Some(own) = &area.village {
            let elsewhere = s
                .matches
                .iter()
                .any(|m| matches!(m, Match::Village(v) if v != own));
            if elsewhere {
                return Err(refuse(own));
            }
            let m = Match::Village(own.clone());
            if !s.matches.contains(&m) {
                s.matches.push(m);
            }
        }
        let (clause, params, _) = s.clause(today);
        Ok((clause, params))
    }

    /// How many cases an export of the selection writes (asked first, for its progress).
    pub fn export_count(
        &self,
        who: &Session,
        selection: &Selection,
        today: NaiveDate,
    ) -> Result<u64> {
        let (clause, params) = self.export_clause(who, selection, today)?;
        self.conn
            .query_row(
                &format!("SELECT COUNT(*) FROM cases WHERE {clause}"),
                rusqlite::params_from_iter(params.iter()),
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .map_err(Into::into)
    }

    /// Every case of the selection, in number order, one at a time (constant memory). Only
    /// 值班长 and 管理员 may; a center sees its own area. `each` stops the export by
    /// returning an error, which comes back as a refusal with its words.
    pub fn export_cases(
        &self,
        who: &Session,
        selection: &Selection,
        today: NaiveDate,
        each: &mut dyn FnMut(ExportCase) -> std::result::Result<(), String>,
    ) -> Result<u64> {
        let (clause, params) = self.export_clause(who, selection, today)?;
        // The selection's columns are the case's own: `case_stats` names none of them.
        let sql = format!(
            "SELECT c.*, {STAT_COLUMNS} FROM cases c LEFT JOIN case_stats s ON s.case_id = c.id
             WHERE {clause} ORDER BY c.year, c.seq"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let width = stmt.column_count() - STAT_COLUMN_COUNT;
        let columns = super::cases::CaseColumns::of(&stmt)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            let case = super::cases::case_from_row_at(r, &columns)?;
            let stat = stat_from_row(r, width)?;
            each(ExportCase { case, stat }).map_err(|e| StoreError::Refused(Refusal(e)))?;
            n += 1;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The sums with the pairs straddling a period's end give what counting case by case
    /// gives, under every filter the sums carry and for periods ending before the last 回访.
    #[test]
    fn the_sums_and_the_cases_agree_on_superseded_follow_ups() {
        let dir = tempfile::tempdir().unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-05T10:00:00+08:00").unwrap();
        let mut store = Store::open(
            &dir.path().join("minshi.db"),
            std::sync::Arc::new(crate::config::Config::embedded()),
        )
        .unwrap();
        crate::demo::accounts(&mut store, now).unwrap();
        crate::demo::generate(&mut store, 1500, 9, now, &mut |_| {}).unwrap();
        let straddling: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM fu_pairs WHERE d1 <= '2026-01-31' AND d2 > '2026-01-31'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(straddling > 0, "the demo revisits across a month's end");
        let unit: String = store
            .conn
            .query_row(
                "SELECT unit FROM fu_pairs WHERE unit IS NOT NULL GROUP BY unit
                 ORDER BY count(*) DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let filters = [
            StatFilter::default(),
            StatFilter {
                town: Some("首阳镇".into()),
                ..StatFilter::default()
            },
            StatFilter {
                unit: Some(unit),
                ..StatFilter::default()
            },
            StatFilter {
                category: Some("劳动争议".into()),
                ..StatFilter::default()
            },
        ];
        let today = d("2026-03-05");
        for (from, to) in [
            ("2026-01-01", "2026-01-31"),
            ("2025-12-10", "2026-02-14"),
            ("2025-06-01", "2026-03-05"),
        ] {
            let period = Period::new(d(from), d(to)).unwrap();
            for filter in &filters {
                for by in [Dim::Town, Dim::Village, Dim::Unit, Dim::Level, Dim::Clerk] {
                    let summed = store.grouped(filter, &period, by, today).unwrap();
                    let counted = store.counted(filter, &period, by, today).unwrap();
                    let superseded = |m: &BTreeMap<String, Figures>| -> Vec<(String, (i64, i64))> {
                        m.iter()
                            .map(|(k, f)| (k.clone(), f.superseded))
                            .filter(|(_, s)| *s != (0, 0))
                            .collect()
                    };
                    assert_eq!(
                        superseded(&summed),
                        superseded(&counted),
                        "{from}..{to} {filter:?} {by:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn tiles_cover_a_period_exactly() {
        assert_eq!(
            tiles(d("2026-01-15"), d("2026-04-10")),
            vec![
                (DAY, 20260115, 20260131),
                (MONTH, 202602, 202603),
                (DAY, 20260401, 20260410)
            ]
        );
        assert_eq!(
            tiles(d("2026-01-01"), d("2026-12-31")),
            vec![(MONTH, 202601, 202612)]
        );
        assert_eq!(
            tiles(d("2026-03-05"), d("2026-03-09")),
            vec![(DAY, 20260305, 20260309)]
        );
        assert_eq!(
            tiles(d("2026-02-01"), d("2026-02-27")),
            vec![(DAY, 20260201, 20260227)]
        );
    }
}
