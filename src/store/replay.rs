//! `check`'s replay: recompute the hash chain from the first event, and rebuild every case, its
//! evidence list, its 办理书 number and every account from the events, comparing each with what
//! the tables hold. Reports name the case number. Memory stays flat: cases, events, evidence and
//! forms are read side by side in case order.

use rusqlite::{Connection, Rows};
use serde_json::{Map, Value};

use super::Result;
use super::chain::{self, GENESIS, Hash, Record};
use super::check::Problem;
use crate::domain::EventKind;

/// At most this many problems of one kind are listed one by one.
const LIST: usize = 20;

fn short(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Null => "空".to_string(),
        other => other.to_string(),
    };
    let cut: String = s.chars().take(24).collect();
    if cut.chars().count() < s.chars().count() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// Recompute the chain. A broken link is reported at the event where it breaks, and checking
/// goes on from the stored hash, so each changed event is named once. Returns whether the
/// recomputed chain passes through `digest`, when one was given. The numbers of the 督办通知单
/// found on the way are collected into `urges`, for `check` to find gaps in their series.
pub fn chain(
    conn: &Connection,
    digest: Option<&str>,
    problems: &mut Vec<Problem>,
    urges: &mut super::urge::Issued,
) -> Result<Option<bool>> {
    let wanted = match digest {
        None => None,
        Some(d) => Some(parse_digest(d).ok_or_else(|| {
            super::StoreError::Refused(crate::domain::Refusal(format!(
                "「{d}」不是摘要：应为 minshi digest 打印的“事件数:十六进制”形式"
            )))
        })?),
    };
    let mut stmt = conn.prepare(
        "SELECT e.id, e.case_id, e.account_id, e.at, e.actor, e.actor_name, e.kind, e.data, e.hash,
                (SELECT case_no FROM cases c WHERE c.id = e.case_id)
         FROM events e ORDER BY e.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut resync: Hash = GENESIS;
    let mut pure: Hash = GENESIS;
    let mut pure_ok = true;
    let mut count: i64 = 0;
    let mut expected_id = 1;
    let mut broken = Vec::new();
    let mut proven = None;
    while let Some(r) = rows.next()? {
        count += 1;
        let id: i64 = r.get(0)?;
        let at: String = r.get(3)?;
        let actor: String = r.get(4)?;
        let actor_name: String = r.get(5)?;
        let data: String = r.get(7)?;
        let stored: Vec<u8> = r.get(8)?;
        let case_no: Option<String> = r.get(9)?;
        let record = Record {
            id,
            case_id: r.get(1)?,
            account_id: r.get(2)?,
            at: &at,
            actor: &actor,
            actor_name: &actor_name,
            kind: r.get(6)?,
            data: &data,
        };
        if record.kind == EventKind::Urge.code() {
            urges.note(&data);
        }
        let where_ = case_no.map_or_else(|| format!("事件{id}"), |c| format!("{c} 的事件{id}"));
        if id != expected_id {
            broken.push(format!(
                "{where_}：前面缺少事件{expected_id}至{}（被删除）",
                id - 1
            ));
        }
        expected_id = id + 1;
        let again = chain::hash(&resync, &record);
        if stored.as_slice() != again {
            broken.push(format!("{where_}：与哈希链不符（被改动、插入或调换）"));
        }
        resync = <Hash>::try_from(stored.as_slice()).unwrap_or(GENESIS);
        if pure_ok {
            pure = chain::hash(&pure, &record);
            pure_ok = pure == resync;
        }
        if let Some((n, h)) = &wanted
            && *n == count
        {
            proven = Some(pure_ok && pure == *h);
        }
    }
    if let Some((n, _)) = &wanted
        && proven.is_none()
    {
        problems.push(Problem(format!(
            "时间线只有{count}条事件，少于摘要记录时的{n}条：有事件被删除"
        )));
        proven = Some(false);
    }
    report(problems, broken, "时间线");
    Ok(proven)
}

fn parse_digest(d: &str) -> Option<(i64, Hash)> {
    let (n, hex) = d.trim().split_once(':')?;
    let n: i64 = n.trim().parse().ok()?;
    let hex = hex.trim();
    if hex.len() != 64 {
        return None;
    }
    let mut h = GENESIS;
    for (i, b) in h.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some((n, h))
}

fn report(problems: &mut Vec<Problem>, list: Vec<String>, what: &str) {
    let n = list.len();
    for p in list.into_iter().take(LIST) {
        problems.push(Problem(p));
    }
    if n > LIST {
        problems.push(Problem(format!("{what}还有{}处问题未逐一列出", n - LIST)));
    }
}

/// A row of a table keyed by a case id, read in order beside the cases.
struct Cursor<'s> {
    rows: Rows<'s>,
    next: Option<(i64, Map<String, Value>)>,
}

impl<'s> Cursor<'s> {
    fn new(mut rows: Rows<'s>) -> Result<Cursor<'s>> {
        let next = Self::read(&mut rows)?;
        Ok(Cursor { rows, next })
    }

    fn read(rows: &mut Rows<'s>) -> Result<Option<(i64, Map<String, Value>)>> {
        match rows.next()? {
            None => Ok(None),
            Some(r) => {
                let mut m = chain::row_json(r, false)?;
                let id = m.remove("case_id").and_then(|v| v.as_i64()).unwrap_or(-1);
                Ok(Some((id, m)))
            }
        }
    }

    /// The rows of case `id`, and the case ids below it that have rows but no case.
    fn take(&mut self, id: i64, orphans: &mut Vec<i64>) -> Result<Vec<Map<String, Value>>> {
        let mut out = Vec::new();
        while let Some((cid, _)) = &self.next {
            if *cid > id {
                break;
            }
            let (cid, m) = self.next.take().unwrap_or_default();
            if cid < id {
                if orphans.last() != Some(&cid) {
                    orphans.push(cid);
                }
            } else {
                out.push(m);
            }
            self.next = Self::read(&mut self.rows)?;
        }
        Ok(out)
    }
}

/// What the events of one case say it should be.
#[derive(Default)]
struct Replayed {
    set: Map<String, Value>,
    evidence: Vec<Value>,
    form: Option<Value>,
    damage: Vec<String>,
    /// The case's statistical facts, folded from the same events.
    stat: crate::domain::stats::CaseStat,
}

fn replay(events: &[Map<String, Value>]) -> Replayed {
    let mut out = Replayed::default();
    for e in events {
        let id = e.get("id").and_then(Value::as_i64).unwrap_or(0);
        let kind = e
            .get("kind")
            .and_then(Value::as_i64)
            .and_then(EventKind::from_code);
        let Some(kind) = kind else {
            out.damage.push(format!("事件{id}的类型代码无法识别"));
            continue;
        };
        let text = e.get("data").and_then(Value::as_str).unwrap_or("");
        let data: Map<String, Value> = match serde_json::from_str(text) {
            Ok(Value::Object(m)) => m,
            _ => {
                out.damage.push(format!("事件{id}的内容无法解读"));
                continue;
            }
        };
        if kind == EventKind::Migrate {
            out.set.clear();
            out.stat = Default::default();
        }
        if let Some(Value::Object(set)) = data.get("set") {
            for (k, v) in set {
                out.set.insert(k.clone(), v.clone());
            }
            if let Err(e) = out.stat.apply(set) {
                out.damage.push(format!("事件{id}中有无法识别的值：{e}"));
            }
        }
        if let Some(ev) = data.get("evidence") {
            out.evidence.push(ev.clone());
        }
        if let Some(Value::Array(all)) = data.get("evidence_all") {
            out.evidence = all.clone();
        }
        if let Some(f) = data.get("form") {
            out.form = Some(f.clone());
        }
    }
    out
}

/// One line per record whose fields differ from what its events set.
fn differences(
    label: &str,
    expected: &Map<String, Value>,
    actual: &Map<String, Value>,
) -> Option<String> {
    let mut fields = Vec::new();
    for (k, v) in actual {
        let e = expected.get(k).unwrap_or(&Value::Null);
        if e != v {
            fields.push(format!(
                "{k}（时间线为「{}」，表中为「{}」）",
                short(e),
                short(v)
            ));
        }
    }
    for k in expected.keys() {
        if !actual.contains_key(k) {
            fields.push(format!("{k}（表中没有这一栏）"));
        }
    }
    match fields.len() {
        0 => None,
        n if n <= 3 => Some(format!("{label}：{} 与时间线不符", fields.join("；"))),
        n => Some(format!(
            "{label}：{}等{n}项与时间线不符",
            fields[..3].join("；")
        )),
    }
}

/// Rebuild every case from its events and compare with its row, evidence and 办理书 number.
pub fn cases(conn: &Connection, problems: &mut Vec<Problem>) -> Result<()> {
    let mut case_stmt = conn.prepare("SELECT * FROM cases ORDER BY id")?;
    let mut event_stmt = conn.prepare(
        "SELECT case_id, id, kind, data FROM events WHERE case_id IS NOT NULL ORDER BY case_id, id",
    )?;
    let mut evidence_stmt = conn.prepare(
        "SELECT case_id, seq, kind, title, pages, file_name, size, sha256, added_at, added_by
         FROM evidence ORDER BY case_id, seq",
    )?;
    let mut form_stmt = conn.prepare(
        "SELECT case_id, year, seq, first_printed_at, print_count FROM forms ORDER BY case_id",
    )?;
    let mut stat_stmt = conn.prepare(
        "SELECT case_id, first_end, first_kind, first_on_time, fu FROM case_stats ORDER BY case_id",
    )?;
    let mut stat_rows = Cursor::new(stat_stmt.query([])?)?;
    let mut recount = super::stats::Recount::default();
    let mut events = Cursor::new(event_stmt.query([])?)?;
    let mut evidence = Cursor::new(evidence_stmt.query([])?)?;
    let mut forms = Cursor::new(form_stmt.query([])?)?;
    let mut found = Vec::new();
    let mut orphans = Vec::new();
    let columns = super::cases::CaseColumns::of(&case_stmt)?;
    let mut rows = case_stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get("id")?;
        let row = match chain::row_json(r, true) {
            Ok(m) => m,
            Err(e) => {
                found.push(format!("案件（内部编号{id}）的记录无法读取：{e}"));
                continue;
            }
        };
        let label = row
            .get("case_no")
            .and_then(Value::as_str)
            .map_or_else(|| format!("案件（内部编号{id}）"), str::to_string);
        if let Err(e) = super::cases::case_from_row_at(r, &columns) {
            found.push(format!(
                "{label}：有无法识别的值（{}）",
                super::StoreError::from(e)
            ));
        }
        let history = events.take(id, &mut orphans)?;
        if history.is_empty() {
            found.push(format!("{label}：时间线中没有它的任何事件"));
            continue;
        }
        let starts = history[0]
            .get("kind")
            .and_then(Value::as_i64)
            .and_then(EventKind::from_code);
        if !matches!(
            starts,
            Some(EventKind::Register | EventKind::Legacy | EventKind::Migrate)
        ) {
            found.push(format!("{label}：时间线缺少它的登记事件（被删除）"));
            continue;
        }
        let replayed = replay(&history);
        for d in replayed.damage {
            found.push(format!("{label}：{d}"));
        }
        found.extend(differences(&label, &replayed.set, &row));
        let stored: Vec<Value> = evidence
            .take(id, &mut Vec::new())?
            .into_iter()
            .map(Value::Object)
            .collect();
        if stored != replayed.evidence {
            found.push(format!(
                "{label}：证据清单与时间线不符（时间线记录{}件，表中{}件，或内容被改动）",
                replayed.evidence.len(),
                stored.len()
            ));
        }
        let form = forms.take(id, &mut Vec::new())?.pop().map(Value::Object);
        if form != replayed.form {
            found.push(format!("{label}：办理书编号或打印次数与时间线不符"));
        }
        let stored = stat_rows.take(id, &mut Vec::new())?.pop();
        match super::stats::stored_history(stored.as_ref()) {
            Ok(history) => recount.case(&label, &replayed.stat, &history),
            Err(e) => found.push(format!("{label}：统计用的历史记录无法识别（{e}）")),
        }
    }
    recount.finish(conn, problems)?;
    // Events left over belong to cases that are gone.
    let _ = events.take(i64::MAX, &mut orphans)?;
    for id in orphans {
        found.push(format!(
            "时间线中有内部编号{id}的案件的事件，但案件表中没有这件案件（被删除）"
        ));
    }
    report(problems, found, "案件");
    Ok(())
}

/// Rebuild every account from its events and compare with the accounts table.
pub fn accounts(conn: &Connection, problems: &mut Vec<Problem>) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT account_id AS case_id, id, kind, data FROM events
         WHERE account_id IS NOT NULL ORDER BY account_id, id",
    )?;
    let mut events = Cursor::new(stmt.query([])?)?;
    let mut table = conn.prepare(
        "SELECT id, login, real_name, role, center, active, os_user, password, created_at
         FROM accounts ORDER BY id",
    )?;
    let mut rows = table.query([])?;
    let mut found = Vec::new();
    let mut orphans = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let row = chain::row_json(r, true)?;
        let label = format!(
            "账号 {}",
            row.get("login").and_then(Value::as_str).unwrap_or("?")
        );
        let history = events.take(id, &mut orphans)?;
        if history.is_empty() {
            found.push(format!("{label}：时间线中没有新建它的记录"));
            continue;
        }
        let replayed = replay(&history);
        found.extend(differences(&label, &replayed.set, &row));
    }
    let _ = events.take(i64::MAX, &mut orphans)?;
    for id in orphans {
        found.push(format!(
            "时间线中有内部编号{id}的账号，但账号表中没有（被删除）"
        ));
    }
    report(problems, found, "账号");
    Ok(())
}

/// Rebuild every visit, report and meeting (with its feedback and opinions) from its events
/// and compare with the tables.
pub fn records(conn: &Connection, problems: &mut Vec<Problem>) -> Result<()> {
    use super::records::Table;
    let mut found = Vec::new();
    for table in Table::ALL {
        let key = table.key();
        let mut stmt = conn.prepare(&format!(
            "SELECT json_extract(data, '$.{key}') AS case_id, id, kind, data
             FROM events INDEXED BY events_records
             WHERE case_id IS NULL AND account_id IS NULL
               AND json_extract(data, '$.{key}') IS NOT NULL
             ORDER BY 1, id"
        ))?;
        let mut events = Cursor::new(stmt.query([])?)?;
        let mut rows = conn.prepare(&format!("SELECT * FROM {} ORDER BY id", table.name()))?;
        let mut rows = rows.query([])?;
        let mut orphans = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get("id")?;
            let row = chain::row_json(r, true)?;
            let label = format!("{}（内部编号{id}）", table.label());
            let history = events.take(id, &mut orphans)?;
            if history.is_empty() {
                found.push(format!("{label}：时间线中没有记录它的事件"));
                continue;
            }
            let replayed = replay(&history);
            found.extend(replayed.damage.iter().map(|d| format!("{label}：{d}")));
            found.extend(differences(&label, &replayed.set, &row));
        }
        let _ = events.take(i64::MAX, &mut orphans)?;
        for id in orphans {
            found.push(format!(
                "时间线中有内部编号{id}的{}，但表中没有（被删除）",
                table.label()
            ));
        }
    }
    report(problems, found, "走访、报告单和沟通会");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_parse_back() {
        let h = [7u8; 32];
        let d = format!("12:{}", chain::hex(&h));
        assert_eq!(parse_digest(&d), Some((12, h)));
        assert_eq!(parse_digest("12:abc"), None);
        assert_eq!(parse_digest("x"), None);
    }
}
