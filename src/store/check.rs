//! `minshi check`: the register's integrity — SQLite's own checks, number series without gaps,
//! a timeline that explains every case, states that agree with their fields, and the statistics.

use super::{Result, Store, StoreError, replay};

/// How deep SQLite's own check goes. The replay checks every record either way; `Full` also
/// proves every index agrees with its table (`integrity_check`, a third of the time at 1M
/// cases), `Quick` checks the file's structure (`quick_check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    Quick,
    Full,
}

/// One thing found wrong, in words for the person who must fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem(pub String);

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Store {
    /// Every check, SQLite's full `integrity_check` included.
    pub fn check(&self) -> Result<Vec<Problem>> {
        Ok(self.check_against(None, Depth::Full)?.0)
    }

    /// `check`, and whether the chain as recomputed passes through `digest` (`N:hex`, what
    /// `minshi digest` printed): the history up to it is then unchanged.
    pub fn check_against(
        &self,
        digest: Option<&str>,
        depth: Depth,
    ) -> Result<(Vec<Problem>, Option<bool>)> {
        let mut problems = Vec::new();
        // The chain is recomputed on a second connection beside the replay: the two passes are
        // independent (each consistent in its own snapshot) and each takes a core.
        let second = self.reader();
        let mut urges = super::urge::Issued::default();
        let urges_seen = &mut urges;
        let (chained, proven) =
            std::thread::scope(|scope| -> Result<(Vec<Problem>, Option<bool>)> {
                let chain = scope.spawn(move || -> Result<(Vec<Problem>, Option<bool>)> {
                    let conn = second?;
                    // Busy waits as long as the register's own connection would.
                    conn.busy_timeout(std::time::Duration::from_secs(30))?;
                    let mut found = Vec::new();
                    let proven = replay::chain(&conn, digest, &mut found, urges_seen)?;
                    Ok((found, proven))
                });
                replay::cases(&self.conn, &mut problems)?;
                replay::accounts(&self.conn, &mut problems)?;
                replay::records(&self.conn, &mut problems)?;
                super::loop_sums::recount(&self.conn, &mut problems)?;
                chain.join().unwrap_or_else(|_| {
                    Err(StoreError::Refused(crate::domain::Refusal(
                        "检查哈希链时出错".into(),
                    )))
                })
            })?;
        problems.splice(0..0, chained);
        urges.check(&self.conn, &mut problems)?;
        let mut found = |s: String| problems.push(Problem(s));

        let mut stmt = self.conn.prepare(match depth {
            Depth::Full => "PRAGMA integrity_check",
            Depth::Quick => "PRAGMA quick_check",
        })?;
        for line in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let line = line?;
            if line != "ok" {
                found(format!("数据库完整性检查：{line}"));
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let n = stmt.query_map([], |_| Ok(()))?.count();
        if n > 0 {
            found(format!("有{n}条记录引用了不存在的案件"));
        }

        for (series, table, label) in [
            ("case", "cases", "案件编号"),
            ("form", "forms", "办理书编号"),
            ("report", "reports", "民意报告单编号"),
            ("meeting", "meetings", "民心沟通会编号"),
        ] {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT t.year, COUNT(*), MIN(t.seq), MAX(t.seq), c.last
                 FROM {table} t LEFT JOIN counters c ON c.series = ?1 AND c.year = t.year
                 GROUP BY t.year"
            ))?;
            let rows = stmt.query_map([series], |r| {
                Ok((
                    r.get::<_, i32>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                ))
            })?;
            for row in rows {
                let (year, count, min, max, last) = row?;
                if min != 1 || max != count {
                    found(format!(
                        "{year}年{label}不连续：共{count}个，最小{min}，最大{max}"
                    ));
                }
                if last != Some(max) {
                    found(format!(
                        "{year}年{label}计数器（{}）与已用的最大编号（{max}）不符",
                        last.map_or("无".to_string(), |l| l.to_string())
                    ));
                }
            }
        }

        let checks: [(&str, &str); 9] = [
            (
                "SELECT case_no FROM cases c WHERE NOT EXISTS
                   (SELECT 1 FROM events e WHERE e.case_id = c.id AND e.kind IN (0, 18, 19))",
                "没有登记记录（时间线缺失）",
            ),
            (
                "SELECT case_no FROM cases c WHERE EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id
                   AND e.id < (SELECT MIN(id) FROM events f WHERE f.case_id = c.id AND f.kind IN (0, 18)))",
                "时间线中有早于登记的记录",
            ),
            (
                "SELECT case_no FROM cases
                 WHERE (status IN (3, 4) OR (status = 5 AND decline_reason IS NULL)) AND closed_at IS NULL",
                "状态为办结以后，却没有办结记录",
            ),
            (
                "SELECT case_no FROM cases
                 WHERE (status = 4 OR (status = 5 AND decline_reason IS NULL)) AND fu_date IS NULL",
                "状态为已回访或已归档，却没有回访记录",
            ),
            (
                "SELECT case_no FROM cases WHERE status = 7 AND duplicate_of IS NULL",
                "状态为已合并，却没有合并目标",
            ),
            (
                "SELECT case_no FROM cases WHERE status = 6 AND decline_reason IS NULL",
                "状态为不予受理，却没有理由",
            ),
            (
                "SELECT case_no FROM cases WHERE status = 1 AND unit IS NULL",
                "已分流，却没有责任单位",
            ),
            (
                "SELECT case_no FROM cases WHERE status NOT BETWEEN 0 AND 7 OR route NOT BETWEEN 0 AND 4",
                "状态或办理方式的代码无效",
            ),
            (
                "SELECT c.case_no FROM cases c WHERE c.closed_at IS NOT NULL AND NOT EXISTS
                   (SELECT 1 FROM events e WHERE e.case_id = c.id AND e.kind IN (7, 18, 19))",
                "已办结，时间线中却没有办结记录",
            ),
        ];
        for (sql, what) in checks {
            let mut stmt = self.conn.prepare(sql)?;
            let numbers: Vec<String> = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if !numbers.is_empty() {
                let shown: Vec<&str> = numbers.iter().take(10).map(String::as_str).collect();
                let more = if numbers.len() > 10 {
                    format!(" 等{}件", numbers.len())
                } else {
                    String::new()
                };
                found(format!("{}{more}：{what}", shown.join("、")));
            }
        }

        let indexed: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM search", [], |r| r.get(0))?;
        let cases: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))?;
        if indexed != cases {
            found(format!("搜索索引有{indexed}条，案件有{cases}件，两者不符"));
        }
        Ok((problems, proven))
    }
}
