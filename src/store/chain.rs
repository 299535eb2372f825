//! The timeline as a hash chain: every event carries SHA-256 over the hash of the event before it
//! and a canonical encoding of itself (its number, case, account, time, actor, kind and payload).
//! Changing, deleting, inserting or reordering an event breaks the chain from there on; the chain
//! head (`digest`) kept elsewhere proves a history unchanged up to it.

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::domain::EventKind;

pub type Hash = [u8; 32];

/// The last event of the chain: where the next one hangs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub id: i64,
    pub hash: Hash,
    /// How many events the chain holds.
    pub count: i64,
}

impl Head {
    /// `N:hex`, what `minshi digest` prints and `check --digest` takes.
    pub fn digest(&self) -> String {
        format!("{}:{}", self.count, hex(&self.hash))
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One event as the chain sees it.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    pub id: i64,
    pub case_id: Option<i64>,
    pub account_id: Option<i64>,
    pub at: &'a str,
    pub actor: &'a str,
    pub actor_name: &'a str,
    pub kind: i64,
    pub data: &'a str,
}

/// SHA-256 over the previous hash and the canonical encoding of the record: a JSON object
/// with sorted keys, the payload carried as the exact text stored.
pub fn hash(prev: &Hash, r: &Record) -> Hash {
    let mut h = Feed(Sha256::new());
    h.0.update(prev);
    // Writing into a hasher cannot fail.
    let _ = encode_into(&mut h, r);
    h.0.finalize().into()
}

/// The hasher as a place to write the encoding into, piece by piece.
struct Feed(Sha256);

impl std::io::Write for Feed {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `{"account":…,"actor":…,"actor_name":…,"at":…,"case":…,"data":…,"id":…,"kind":…}`: keys
/// sorted, strings escaped as serde_json escapes them. Written out rather than built as a JSON
/// value, and straight into the hasher, since every write hashes an event and `check` millions.
fn encode_into(w: &mut impl std::io::Write, r: &Record) -> std::io::Result<()> {
    fn number(w: &mut impl std::io::Write, n: Option<i64>) -> std::io::Result<()> {
        match n {
            Some(n) => write!(w, "{n}"),
            None => w.write_all(b"null"),
        }
    }
    w.write_all(b"{\"account\":")?;
    number(w, r.account_id)?;
    w.write_all(b",\"actor\":")?;
    serde_json::to_writer(&mut *w, r.actor)?;
    w.write_all(b",\"actor_name\":")?;
    serde_json::to_writer(&mut *w, r.actor_name)?;
    w.write_all(b",\"at\":")?;
    serde_json::to_writer(&mut *w, r.at)?;
    w.write_all(b",\"case\":")?;
    number(w, r.case_id)?;
    w.write_all(b",\"data\":")?;
    serde_json::to_writer(&mut *w, r.data)?;
    write!(w, ",\"id\":{},\"kind\":{}}}", r.id, r.kind)
}

#[cfg(test)]
fn encode(r: &Record) -> String {
    let mut out = Vec::new();
    let _ = encode_into(&mut out, r);
    String::from_utf8(out).unwrap_or_default()
}

pub const GENESIS: Hash = [0; 32];

/// The head of the chain, if it has any event.
pub fn head(conn: &Connection) -> rusqlite::Result<Option<Head>> {
    let last = conn
        .prepare_cached("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .optional()?;
    let Some((id, bytes)) = last else {
        return Ok(None);
    };
    // Events are numbered 1, 2, 3… by `append` (a gap is what `check` reports as a deletion),
    // so the last number is the count: no scan of millions of rows on every write.
    Ok(Some(Head {
        id,
        hash: to_hash(&bytes),
        count: id,
    }))
}

fn to_hash(bytes: &[u8]) -> Hash {
    let mut h = GENESIS;
    if bytes.len() == 32 {
        h.copy_from_slice(bytes);
    }
    h
}

/// An event about to be appended.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub case_id: Option<i64>,
    pub account_id: Option<i64>,
    pub at: &'a str,
    pub actor: &'a str,
    pub actor_name: &'a str,
    pub kind: EventKind,
    pub data: &'a str,
}

/// Append one event after `prev` (the head, or none for the first): its number is the next
/// one, its hash chains it. Returns the new head.
pub fn append(tx: &Transaction, prev: Option<Head>, e: &Entry) -> rusqlite::Result<Head> {
    let (id, prev_hash, count) = match prev {
        Some(h) => (h.id + 1, h.hash, h.count + 1),
        None => (1, GENESIS, 1),
    };
    let Entry {
        case_id,
        account_id,
        at,
        actor,
        actor_name,
        kind,
        data,
    } = *e;
    let record = Record {
        id,
        case_id,
        account_id,
        at,
        actor,
        actor_name,
        kind: kind.code(),
        data,
    };
    let h = hash(&prev_hash, &record);
    tx.prepare_cached(
        "INSERT INTO events (id, case_id, account_id, at, actor, actor_name, kind, data, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        id,
        case_id,
        account_id,
        at,
        actor,
        actor_name,
        kind.code(),
        data,
        &h[..]
    ])?;
    Ok(Head { id, hash: h, count })
}

/// A stored value as the payload writes it: the same JSON whether read from a row or an event.
pub fn to_json(v: ValueRef) -> Result<Value, String> {
    match v {
        ValueRef::Null => Ok(Value::Null),
        ValueRef::Integer(i) => Ok(Value::from(i)),
        ValueRef::Text(t) => std::str::from_utf8(t)
            .map(|s| Value::from(s.to_string()))
            .map_err(|_| "文字不是有效的 UTF-8".to_string()),
        ValueRef::Real(f) => Ok(Value::from(f)),
        ValueRef::Blob(_) => Err("应为文字或数字，却是二进制数据".to_string()),
    }
}

pub fn to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => n
            .as_i64()
            .map(SqlValue::Integer)
            .unwrap_or_else(|| SqlValue::Real(n.as_f64().unwrap_or(0.0))),
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

/// Every column of a row but `id`, as JSON.
pub fn row_json(r: &Row, skip_id: bool) -> rusqlite::Result<Map<String, Value>> {
    let stmt = r.as_ref();
    let mut m = Map::new();
    for i in 0..stmt.column_count() {
        let name = stmt.column_name(i)?;
        if skip_id && name == "id" {
            continue;
        }
        let v = to_json(r.get_ref(i)?).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Blob, e.into())
        })?;
        m.insert(name.to_string(), v);
    }
    Ok(m)
}

/// Schema 2: give the events of a register made before accounts their payloads, record each
/// case as it stands (so that replay has something to start from), and chain everything.
pub fn migrate_legacy(tx: &Transaction) -> rusqlite::Result<()> {
    {
        let mut read = tx.prepare("SELECT id, action, details FROM temp.legacy_events")?;
        let mut write = tx.prepare("UPDATE events SET data = ?2 WHERE id = ?1")?;
        let rows = read.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (id, action, details) = row?;
            let data = serde_json::json!({ "action": action, "text": details }).to_string();
            write.execute(params![id, data])?;
        }
    }
    tx.execute_batch("DROP TABLE temp.legacy_events")?;
    let now = crate::clock::format(&crate::clock::now());
    let mut head = None;
    // Existing events first: give each its hash, in order.
    {
        let mut read = tx.prepare(
            "SELECT id, case_id, account_id, at, actor, actor_name, kind, data FROM events ORDER BY id",
        )?;
        let mut write = tx.prepare("UPDATE events SET hash = ?2 WHERE id = ?1")?;
        let mut rows = read.query([])?;
        let mut count = 0;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let record = Record {
                id,
                case_id: r.get(1)?,
                account_id: r.get(2)?,
                at: &r.get::<_, String>(3)?,
                actor: &r.get::<_, String>(4)?,
                actor_name: &r.get::<_, String>(5)?,
                kind: r.get(6)?,
                data: &r.get::<_, String>(7)?,
            };
            let prev = head.map_or(GENESIS, |h: Head| h.hash);
            let h = hash(&prev, &record);
            write.execute(params![id, &h[..]])?;
            count += 1;
            head = Some(Head { id, hash: h, count });
        }
    }
    // Then one snapshot per case: its row, evidence and 办理书 number as they are now.
    let mut cases = tx.prepare("SELECT * FROM cases ORDER BY id")?;
    let mut evidence = tx.prepare(
        "SELECT seq, kind, title, pages, file_name, size, sha256, added_at, added_by
         FROM evidence WHERE case_id = ?1 ORDER BY seq",
    )?;
    let mut forms = tx
        .prepare("SELECT year, seq, first_printed_at, print_count FROM forms WHERE case_id = ?1")?;
    let mut rows = cases.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get("id")?;
        let set = row_json(r, true)?;
        let mut data = Map::new();
        data.insert("set".into(), Value::Object(set));
        let ev: Vec<Value> = evidence
            .query_map([id], |e| row_json(e, false).map(Value::Object))?
            .collect::<rusqlite::Result<_>>()?;
        if !ev.is_empty() {
            data.insert("evidence_all".into(), Value::Array(ev));
        }
        if let Some(f) = forms.query_row([id], |f| row_json(f, false)).optional()? {
            data.insert("form".into(), Value::Object(f));
        }
        let data = Value::Object(data).to_string();
        head = Some(append(
            tx,
            head,
            &Entry {
                case_id: Some(id),
                account_id: None,
                at: &now,
                actor: "minshi",
                actor_name: "系统升级",
                kind: EventKind::Migrate,
                data: &data,
            },
        )?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_encoding_is_json_with_sorted_keys() {
        let r = Record {
            id: 7,
            case_id: Some(3),
            account_id: None,
            at: "2026-03-05T10:00:00+08:00",
            actor: "zhangli",
            actor_name: "张丽\"\n",
            kind: 4,
            data: r#"{"note":"已约谈","set":{"status":2}}"#,
        };
        let expected = serde_json::json!({
            "id": r.id,
            "case": r.case_id,
            "account": r.account_id,
            "at": r.at,
            "actor": r.actor,
            "actor_name": r.actor_name,
            "kind": r.kind,
            "data": r.data,
        })
        .to_string();
        assert_eq!(encode(&r), expected);
        let mut h = Sha256::new();
        h.update(GENESIS);
        h.update(expected.as_bytes());
        let by_text: Hash = h.finalize().into();
        assert_eq!(hash(&GENESIS, &r), by_text);
    }
}
