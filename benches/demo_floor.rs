//! What SQLite alone needs to store what `demo --cases 1000000` makes, with no logic at all: a
//! lower bound for any way of generating that register on this machine. Every table of the
//! benchmark register (`common::register`, made by the demo) is copied row for row into a new
//! database of the same schema under the most favourable settings there are (no journal, no
//! sync, exclusive lock, a 1 GB cache, indexes built after the rows, the search tables fed in
//! rowid order with a 256 MB in-memory term hash and no merging while loading), then the
//! search tables are filled from the same texts the writer indexes. The rows are copied with
//! `INSERT … SELECT *`, which SQLite turns into a record-for-record transfer: cheaper than any
//! insert a generator could make, so the figure is a bound from below. The source is read
//! once beforehand (not counted) to report each table's size.
//! Prints figures; run with `cargo bench --bench demo_floor` (`MINSHI_BENCH_REUSE=1` keeps
//! the register made before).

use std::time::Instant;

use rusqlite::{Connection, params};

mod common;

/// The texts a search row is made of, per table: as `search::Row::new` (cases) and
/// `Writer::index_record` (visits, reports, meetings) put them together.
const SEARCH_SOURCES: [(&str, &str, &str); 4] = [
    (
        "search",
        "cases",
        "id, name, town || ' ' || village || ' ' || address || ' ' || place, \
         request || char(10) || facts || char(10) || reasons, coalesce(phone, ''), \
         coalesce(id_number, '')",
    ),
    (
        "record_search",
        "visits",
        "id * 4, name, town || ' ' || village || ' ' || address, \
         situation || char(10) || raised || char(10) || answered || char(10) || follow_up, \
         coalesce(phone, ''), ''",
    ),
    (
        "record_search",
        "reports",
        "id * 4 + 1, name || ' ' || reporter, town || ' ' || village || ' ' || address, \
         request || char(10) || facts || char(10) || opinion, coalesce(phone, ''), \
         coalesce(id_number, '')",
    ),
    (
        "record_search",
        "meetings",
        "id * 4 + 2, chair || ' ' || representatives, town || ' ' || village || ' ' || place, \
         title || char(10) || items || char(10) || plans, '', ''",
    ),
];

fn main() {
    let (source, cases) = common::register();
    let dir = source
        .parent()
        .and_then(|p| p.parent())
        .expect("target folder")
        .join("bench-floor");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("floor folder");
    let path = dir.join("floor.db");
    let mut db = Connection::open(&path).expect("open");
    db.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;
         PRAGMA cache_size = -1000000; PRAGMA temp_store = MEMORY;
         PRAGMA foreign_keys = OFF;",
    )
    .expect("pragmas");
    db.execute("ATTACH DATABASE ?1 AS src", [source.to_string_lossy()])
        .expect("attach");

    let schema: Vec<(String, String, String)> = {
        let mut stmt = db
            .prepare(
                "SELECT type, name, sql FROM src.sqlite_schema
                 WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
            )
            .expect("schema");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("schema")
            .collect::<rusqlite::Result<_>>()
            .expect("schema")
    };
    let virtual_tables: Vec<&str> = schema
        .iter()
        .filter(|(_, _, sql)| sql.starts_with("CREATE VIRTUAL TABLE"))
        .map(|(_, name, _)| name.as_str())
        .collect();
    let shadow = |name: &str| {
        virtual_tables
            .iter()
            .any(|v| name.starts_with(&format!("{v}_")))
    };
    let tables: Vec<&(String, String, String)> = schema
        .iter()
        .filter(|(kind, name, _)| kind == "table" && !shadow(name))
        .collect();
    for (_, name, sql) in &tables {
        db.execute_batch(sql).expect("create table");
        if virtual_tables.contains(&name.as_str()) {
            db.execute_batch(&format!(
                "INSERT INTO {name} ({name}, rank) VALUES ('automerge', 0);
                 INSERT INTO {name} ({name}, rank) VALUES ('hashsize', 268435456);"
            ))
            .expect("search settings");
        }
    }

    let mut copying = 0.0;
    println!("copying the rows of {cases} demo cases' register:");
    for (_, name, _) in tables
        .iter()
        .filter(|(_, name, _)| !virtual_tables.contains(&name.as_str()))
    {
        let (rows, bytes) = read_all(&db, name);
        let t = Instant::now();
        db.execute_batch(&format!("INSERT INTO main.{name} SELECT * FROM src.{name}"))
            .expect("copy");
        let copy_s = t.elapsed().as_secs_f64();
        copying += copy_s;
        println!(
            "  {name:<18} {rows:>9} rows {:>7.0} MB, copied in {copy_s:>6.1} s",
            bytes as f64 / 1e6
        );
    }
    let t = Instant::now();
    for (_, name, sql) in schema
        .iter()
        .filter(|(kind, name, _)| kind == "index" && !shadow(name))
    {
        let t = Instant::now();
        db.execute_batch(sql).expect("index");
        println!("  index {name:<28} {:>6.1} s", t.elapsed().as_secs_f64());
    }
    let indexes = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let mut documents = 0u64;
    for (table, from, columns) in SEARCH_SOURCES {
        let tx = db.transaction().expect("tx");
        {
            let mut read = tx
                .prepare(&format!("SELECT {columns} FROM src.{from} ORDER BY id"))
                .expect("search source");
            let mut insert = tx
                .prepare(&format!(
                    "INSERT INTO {table} (rowid, name, address, body, phone, id_number)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                ))
                .expect("search insert");
            let mut rows = read.query([]).expect("search rows");
            while let Some(r) = rows.next().expect("search row") {
                let text = |i: usize| -> String {
                    r.get::<_, Option<String>>(i)
                        .ok()
                        .flatten()
                        .unwrap_or_default()
                };
                let digits: String = text(4).chars().filter(char::is_ascii_digit).collect();
                insert
                    .execute(params![
                        r.get::<_, i64>(0).expect("rowid"),
                        minshi::store::bigrams(&text(1)),
                        minshi::store::bigrams(&text(2)),
                        minshi::store::bigrams(&text(3)),
                        minshi::store::bigrams(&digits),
                        minshi::store::bigrams(&text(5)),
                    ])
                    .expect("search insert");
                documents += 1;
            }
        }
        tx.commit().expect("commit");
    }
    let search = t.elapsed().as_secs_f64();
    let total = copying + indexes + search;
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("  indexes built after the rows: {indexes:.1} s");
    println!("  search tables, {documents} documents (bigrams cut in Rust): {search:.1} s");
    println!(
        "floor for {cases} cases: {total:.1} s (rows {copying:.1} s, indexes {indexes:.1} s, \
         search {search:.1} s); {:.0} MB",
        size as f64 / 1e6
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Read every value of every row of a source table, as the copy does: its rows and bytes.
fn read_all(db: &Connection, table: &str) -> (i64, i64) {
    let names: Vec<String> = {
        let mut stmt = db
            .prepare(&format!(
                "SELECT name FROM pragma_table_info('{table}', 'src')"
            ))
            .expect("columns");
        stmt.query_map([], |r| r.get(0))
            .expect("columns")
            .collect::<rusqlite::Result<_>>()
            .expect("columns")
    };
    let lengths: Vec<String> = names
        .iter()
        .map(|n| format!("coalesce(length(CAST(\"{n}\" AS BLOB)), 0)"))
        .collect();
    db.query_row(
        &format!(
            "SELECT count(*), coalesce(sum({}), 0) FROM src.{table}",
            lengths.join(" + ")
        ),
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .expect("read")
}
