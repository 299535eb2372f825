//! The sums behind 报告单研判及时率 and 反馈率 (`loop_agg`): per day and per month, by town and
//! village, the report forms triaged (and how many in time) and the ended cases fed back at a
//! 民心沟通会 (once per case, at its first feedback, in the month it ended). `Writer` moves them
//! in the same transaction as the triage or the feedback; the statistics read a period as
//! `stats::tiles` cuts it, so a year or all history reads a few thousand rows, not every form;
//! `check` recounts them from the forms and the meetings.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::Result;
use super::check::Problem;
use super::stats::{DAY, MONTH, tiles, ymd};
use crate::domain::stats::LoopCounts;

/// A town, a village and a month (`2026-03`): the finest place and time the loop is counted by.
pub(super) type Place = (String, String, String);

/// What a row of `loop_agg` holds: forms triaged, of them in time, cases fed back.
type Sums = [i64; 3];

/// The sums `loop_agg` should hold, from the forms and the meetings: the migration fills the
/// table with it, `check` compares the table with it.
const EXPECTED: &str = "
    WITH parts (grain, period, town, village, triaged, in_time, fed_back) AS (
        SELECT 0, CAST(strftime('%Y%m%d', substr(triaged_at, 1, 10)) AS INTEGER), town, village,
               count(*), coalesce(sum(triage_in_time), 0), 0
        FROM reports WHERE triaged_at IS NOT NULL GROUP BY 2, 3, 4
        UNION ALL
        SELECT 1, CAST(strftime('%Y%m', substr(triaged_at, 1, 10)) AS INTEGER), town, village,
               count(*), coalesce(sum(triage_in_time), 0), 0
        FROM reports WHERE triaged_at IS NOT NULL GROUP BY 2, 3, 4
        UNION ALL
        SELECT 0, CAST(strftime('%Y%m%d', ended_on) AS INTEGER), town, village, 0, 0, count(*)
        FROM meeting_cases
        WHERE id IN (SELECT min(id) FROM meeting_cases GROUP BY case_id)
        GROUP BY 2, 3, 4
        UNION ALL
        SELECT 1, CAST(strftime('%Y%m', ended_on) AS INTEGER), town, village, 0, 0, count(*)
        FROM meeting_cases
        WHERE id IN (SELECT min(id) FROM meeting_cases GROUP BY case_id)
        GROUP BY 2, 3, 4
    )
    SELECT grain, period, town, village, sum(triaged), sum(in_time), sum(fed_back)
    FROM parts GROUP BY 1, 2, 3, 4";

/// Migration 6 fills the table from the forms and meetings already registered.
pub(super) fn fill(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(&format!(
        "INSERT INTO loop_agg (grain, period, town, village, triaged, in_time, fed_back)
         {EXPECTED}"
    ))
}

/// Moves of the sums by this write, written at commit.
#[derive(Default)]
pub(super) struct Pending {
    sums: HashMap<(i64, i64, String, String), Sums>,
}

impl Pending {
    fn add(&mut self, day: NaiveDate, town: &str, village: &str, by: Sums) {
        let d = ymd(day);
        for (grain, period) in [(DAY, d), (MONTH, d / 100)] {
            let s = self
                .sums
                .entry((grain, period, town.to_string(), village.to_string()))
                .or_default();
            for (a, b) in s.iter_mut().zip(by) {
                *a += b;
            }
        }
    }

    /// A form triaged on `day`, within the limit or not.
    pub(super) fn triaged(&mut self, day: NaiveDate, town: &str, village: &str, in_time: bool) {
        self.add(day, town, village, [1, i64::from(in_time), 0]);
    }

    /// A case fed back for the first time, counted in the month it ended.
    pub(super) fn fed_back(&mut self, ended: NaiveDate, town: &str, village: &str) {
        self.add(ended, town, village, [0, 0, 1]);
    }

    pub(super) fn flush(&mut self, tx: &Connection) -> Result<()> {
        if self.sums.is_empty() {
            return Ok(());
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO loop_agg (grain, period, town, village, triaged, in_time, fed_back)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (grain, period, town, village) DO UPDATE SET
                triaged = triaged + excluded.triaged,
                in_time = in_time + excluded.in_time,
                fed_back = fed_back + excluded.fed_back",
        )?;
        for ((grain, period, town, village), s) in self.sums.drain() {
            stmt.execute(params![grain, period, town, village, s[0], s[1], s[2]])?;
        }
        Ok(())
    }
}

/// The loop's counts of a period by town, village and month, within a town or a village.
pub(super) fn counts(
    conn: &Connection,
    town: Option<&str>,
    village: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(Place, LoopCounts)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT period, town, village, triaged, in_time, fed_back FROM loop_agg
         WHERE grain = ?1 AND period BETWEEN ?2 AND ?3
           AND (?4 IS NULL OR town = ?4) AND (?5 IS NULL OR village = ?5)",
    )?;
    let mut out: BTreeMap<Place, LoopCounts> = BTreeMap::new();
    for (grain, a, b) in tiles(from, to) {
        let mut rows = stmt.query(params![grain, a, b, town, village])?;
        while let Some(r) = rows.next()? {
            let period: i64 = r.get(0)?;
            let ym = if grain == DAY { period / 100 } else { period };
            let month = format!("{}-{:02}", ym / 100, ym % 100);
            let e = out.entry((r.get(1)?, r.get(2)?, month)).or_default();
            e.triaged += r.get::<_, i64>(3)?;
            e.triaged_in_time += r.get::<_, i64>(4)?;
            e.fed_back += r.get::<_, i64>(5)?;
        }
    }
    Ok(out.into_iter().collect())
}

/// `check`: the sums as stored against a recount from the forms and the meetings.
pub(super) fn recount(conn: &Connection, problems: &mut Vec<Problem>) -> Result<()> {
    let read = |sql: &str| -> Result<HashMap<(i64, i64, String, String), Sums>> {
        let mut stmt = conn.prepare(sql)?;
        let mut rows = stmt.query([])?;
        let mut out = HashMap::new();
        while let Some(r) = rows.next()? {
            let s: Sums = [r.get(4)?, r.get(5)?, r.get(6)?];
            if s != [0; 3] {
                out.insert((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?), s);
            }
        }
        Ok(out)
    };
    let mut expected = read(EXPECTED)?;
    let stored =
        read("SELECT grain, period, town, village, triaged, in_time, fed_back FROM loop_agg")?;
    let mut wrong = Vec::new();
    for (key, s) in stored {
        if expected.remove(&key) != Some(s) {
            wrong.push(key);
        }
    }
    wrong.extend(expected.into_keys());
    if let Some((_, period, town, village)) = wrong.iter().min() {
        problems.push(Problem(format!(
            "研判及时率、反馈率的汇总有{}行与报告单和沟通会记录重算的结果不符（如 {town}{village} {period}）",
            wrong.len()
        )));
    }
    Ok(())
}
