//! Search by any two or more characters of a name, address or request, by four or more digits
//! of a phone, or by ID number. Text is cut into overlapping character pairs in Rust and kept in a
//! contentless FTS5 table; a query becomes a phrase of its pairs, so 王芳 and 工资 are found
//! (an FTS5 trigram index silently returns nothing for two-character queries).

use rusqlite::{Connection, OptionalExtension, params};

use super::board::{ROW_COLUMNS, row_from};
use super::{BoardRow, Result, Store};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    #[error("请至少输入2个字（号码至少4位）再搜索")]
    TooShort,
}

/// Runs of letters, digits and ideographs; punctuation and spaces separate runs.
fn runs(text: &str) -> impl Iterator<Item = Vec<char>> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|r| !r.is_empty())
        .map(|r| r.chars().flat_map(char::to_lowercase).collect())
}

/// `王芳在家` → `王芳 芳在 在家`: each run's overlapping pairs (a lone character stands alone).
pub fn bigrams(text: &str) -> String {
    let mut out = String::new();
    for run in runs(text) {
        if run.len() == 1 {
            out.push(run[0]);
            out.push(' ');
            continue;
        }
        for pair in run.windows(2) {
            out.push(pair[0]);
            out.push(pair[1]);
            out.push(' ');
        }
        // Runs are separated by a token no query can produce (the ascii tokenizer keeps non-ASCII
        // symbols as token characters), so a phrase cannot span two runs.
        out.push_str("｜ ");
    }
    out
}

/// The FTS5 MATCH expression for what a clerk typed: every run must appear as a phrase.
pub fn match_expression(query: &str) -> std::result::Result<String, SearchError> {
    let mut phrases = Vec::new();
    for run in runs(query) {
        let digits = run.iter().all(char::is_ascii_digit);
        if run.len() < 2 || (digits && run.len() < 4) {
            continue;
        }
        let pairs: Vec<String> = run.windows(2).map(|p| p.iter().collect()).collect();
        phrases.push(format!("\"{}\"", pairs.join(" ")));
    }
    if phrases.is_empty() {
        return Err(SearchError::TooShort);
    }
    Ok(phrases.join(" AND "))
}

/// The two search tables: cases, and visits, reports and meetings (`record_search`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
    Cases,
    Records,
}

/// The columns of a case that feed its search entry (`Row::new`): a 更正 of one of them
/// rewrites the entry, as a change of unit does (its area).
pub(super) const SEARCHED: [&str; 10] = [
    "name",
    "town",
    "village",
    "address",
    "place",
    "request",
    "facts",
    "reasons",
    "phone",
    "id_number",
];

/// One entry of a search table: a case's, or a record's.
pub(super) struct Row {
    id: i64,
    columns: [String; 5],
    /// A case's town and village, kept to recompute its area when it is sent to a unit before
    /// the row is written; none for a record.
    place: Option<(String, String)>,
    /// The area tokens: a case's (`area_tokens`) or a record's (`record_area`).
    area: String,
}

impl Row {
    /// From the five columns' text, cut into bigrams here, and its area (`record_area`): a
    /// record's.
    pub(super) fn of_texts(id: i64, texts: [&str; 5], area: String) -> Row {
        Row {
            id,
            columns: texts.map(bigrams),
            place: None,
            area,
        }
    }

    /// From the stored fields of a case (column name → value), as registration and 更正 set them.
    pub(super) fn new(id: i64, c: &Map<String, Value>) -> Row {
        let f = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("");
        let address = format!(
            "{} {} {} {}",
            f("town"),
            f("village"),
            f("address"),
            f("place")
        );
        let body = format!("{}\n{}\n{}", f("request"), f("facts"), f("reasons"));
        let digits: String = f("phone").chars().filter(char::is_ascii_digit).collect();
        let unit = c.get("unit").and_then(Value::as_str);
        Row {
            id,
            columns: [
                bigrams(f("name")),
                bigrams(&address),
                bigrams(&body),
                bigrams(&digits),
                bigrams(f("id_number")),
            ],
            area: area_tokens(f("town"), f("village"), unit),
            place: Some((f("town").to_string(), f("village").to_string())),
        }
    }

    pub(super) fn id(&self) -> i64 {
        self.id
    }

    /// The case was sent to `unit` before its row was written: its area follows.
    pub(super) fn sent_to(&mut self, unit: Option<&str>) {
        if let Some((town, village)) = &self.place {
            self.area = area_tokens(town, village, unit);
        }
    }
}

/// The text of a case's area column: one token for its town, one for its town and village,
/// and one for every prefix of its unit's name, since a center covers the cases sent to a unit
/// named after it (`Center::covers`). A center's search then asks the index for its own tokens
/// (`area_match`) instead of reading every match's row. Hex-encoded, so the ASCII tokenizer keeps
/// each whole and no typed text can produce one.
fn area_tokens(town: &str, village: &str, unit: Option<&str>) -> String {
    let mut out = format!("t{} v{}x{}", hex(town), hex(town), hex(village));
    if let Some(unit) = unit {
        out.push_str(" u");
        for (i, c) in unit.char_indices() {
            out.push_str(" u");
            out.push_str(&hex(&unit[..i + c.len_utf8()]));
        }
    }
    out
}

fn hex(s: &str) -> String {
    super::chain::hex(s.as_bytes())
}

/// Who may find a visit, report or meeting, as tokens of the records' area column: a visit or
/// report by the cadre who wrote it (`author`) and by the centers covering its town and village;
/// a report also by the centers containing the center it came to; a meeting (marked `m`) by the
/// centers covering its place, cadres included. The tokens are the cases' (`area_tokens`).
pub(super) fn record_area(
    town: &str,
    village: &str,
    author: Option<&str>,
    center: Option<&crate::domain::Center>,
) -> String {
    use crate::domain::Center;
    let mut out = format!("t{} v{}x{}", hex(town), hex(town), hex(village));
    match author {
        Some(login) => {
            out.push_str(" c");
            out.push_str(&hex(login));
        }
        None => out.push_str(" m"),
    }
    match center {
        Some(Center::Town(t)) => out.push_str(&format!(" t{}", hex(t))),
        Some(Center::Village { town, village }) => {
            out.push_str(&format!(" t{} v{}x{}", hex(town), hex(town), hex(village)))
        }
        Some(Center::County) | None => {}
    }
    out
}

/// The FTS5 expression that keeps the records an account may see (`record_area`); none for
/// those of the county's center who are not cadres, who see every record.
pub(super) fn record_area_match(who: &crate::domain::Account) -> Option<String> {
    use crate::domain::{Center, Role};
    let place = match &who.center {
        Center::County => None,
        Center::Town(t) => Some(format!("t{}", hex(t))),
        Center::Village { town, village } => Some(format!("v{}x{}", hex(town), hex(village))),
    };
    if who.role == Role::Cadre {
        let meetings = match place {
            Some(p) => format!("(m AND {p})"),
            None => "m".into(),
        };
        return Some(format!("area : (c{} OR {meetings})", hex(&who.login)));
    }
    place.map(|p| format!("area : {p}"))
}

/// The FTS5 expression that keeps a center's area, as `Center::covers` decides it; none for
/// the county's, which covers every case.
fn area_match(center: &crate::domain::Center) -> Option<String> {
    use crate::domain::Center;
    match center {
        Center::County => None,
        Center::Town(t) => Some(format!("area : (t{} OR u{})", hex(t), hex(t))),
        Center::Village { town, village } => Some(format!(
            "area : (v{}x{} OR u{})",
            hex(town),
            hex(village),
            hex(&format!("{town}{village}"))
        )),
    }
}

/// Take a case out of the search table before its row is written again.
pub(super) fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?
        .execute([id])?;
    Ok(())
}

/// Write search rows, all in one statement, in rowid order. FTS5 writes what it holds in
/// memory to a new segment of its index at the start of every statement that writes (its
/// savepoint), when it holds more than its hash size, and whenever a row comes with a rowid
/// lower than the one before: rows in chunks, or visits, reports and meetings in the order
/// written, made many small segments, and merging them was most of the cost of a bulk load's
/// search index.
pub(super) fn insert(conn: &Connection, table: Table, rows: &mut [Row]) -> Result<()> {
    Ok(insert_rows(conn, table, rows)?)
}

fn insert_rows(conn: &Connection, table: Table, rows: &mut [Row]) -> rusqlite::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    rows.sort_unstable_by_key(|r| r.id);
    let list: Vec<(i64, &[String; 5], &str)> = rows
        .iter()
        .map(|r| (r.id, &r.columns, r.area.as_str()))
        .collect();
    let json = serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
    let sql = match table {
        Table::Cases => {
            "INSERT INTO search (rowid, name, address, body, phone, id_number, area)
             SELECT value ->> 0, value ->> '$[1][0]', value ->> '$[1][1]', value ->> '$[1][2]',
                    value ->> '$[1][3]', value ->> '$[1][4]', value ->> 2
             FROM json_each(?1)"
        }
        Table::Records => {
            "INSERT INTO record_search (rowid, name, address, body, phone, id_number, area)
             SELECT value ->> 0, value ->> '$[1][0]', value ->> '$[1][1]', value ->> '$[1][2]',
                    value ->> '$[1][3]', value ->> '$[1][4]', value ->> 2
             FROM json_each(?1)"
        }
    };
    conn.prepare_cached(sql)?.execute([json])?;
    Ok(())
}

/// Fill both search tables from the register (they are empty): migration 8 gave them the area
/// column, which only the rows' own fields can fill.
pub(super) fn rebuild(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    rebuild_cases(tx)?;
    super::records::rebuild_search(tx, &mut |rows| insert_rows(tx, Table::Records, rows))
}

fn rebuild_cases(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    let columns: Vec<&str> = SEARCHED.iter().copied().chain(["unit"]).collect();
    let mut stmt = tx.prepare(&format!(
        "SELECT id, {} FROM cases ORDER BY id",
        columns.join(", ")
    ))?;
    let mut rows = stmt.query([])?;
    let mut batch = Vec::new();
    while let Some(r) = rows.next()? {
        let mut fields = Map::new();
        for (i, name) in columns.iter().enumerate() {
            if let Some(text) = r.get::<_, Option<String>>(i + 1)? {
                fields.insert(name.to_string(), Value::String(text));
            }
        }
        batch.push(Row::new(r.get(0)?, &fields));
        if batch.len() == 20_000 {
            insert_rows(tx, Table::Cases, &mut batch)?;
            batch.clear();
        }
    }
    insert_rows(tx, Table::Cases, &mut batch)
}

impl Store {
    /// The newest `limit` cases matching the query.
    pub fn search(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<std::result::Result<Vec<BoardRow>, SearchError>> {
        let expr = match match_expression(query) {
            Ok(e) => e,
            Err(e) => return Ok(Err(e)),
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ROW_COLUMNS} FROM cases WHERE id IN
                (SELECT rowid FROM search WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT ?2)
             ORDER BY id DESC"
        ))?;
        let rows = stmt
            .query_map(params![expr, limit as i64], row_from)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Ok(rows))
    }
}

/// A page of search results and how many cases matched in all.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    pub rows: Vec<BoardRow>,
    pub total: u64,
}
impl Store {
    /// Cases matching a search within a center's area (the county's: every case), newest
    /// first: what the board and `minshi search` list for the account asking.
    pub fn search_within(
        &self,
        query: &str,
        center: &crate::domain::Center,
        offset: usize,
        limit: usize,
    ) -> Result<std::result::Result<SearchPage, SearchError>> {
        let expr = match match_expression(query) {
            Ok(e) => e,
            Err(e) => return Ok(Err(e)),
        };
        // The area is a condition on the index itself: the page and the count come from it
        // without reading a case that is not shown.
        let expr = match area_match(center) {
            Some(area) => format!("({expr}) AND {area}"),
            None => expr,
        };
        Ok(Ok(self.matching(&expr, offset, limit)?))
    }

    /// The cases an FTS5 expression matches, newest first, `limit` from `offset`, and how many
    /// in all.
    fn matching(&self, expr: &str, offset: usize, limit: usize) -> Result<SearchPage> {
        let total: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM search WHERE search MATCH ?1")?
            .query_row([expr], |r| r.get(0))?;
        let rows = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ROW_COLUMNS} FROM cases WHERE id IN
                    (SELECT rowid FROM search WHERE search MATCH ?1
                     ORDER BY rowid DESC LIMIT ?2 OFFSET ?3)
                 ORDER BY id DESC"
            ))?
            .query_map(params![expr, limit as i64, offset as i64], row_from)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(SearchPage {
            rows,
            total: total.max(0) as u64,
        })
    }

    /// Matching cases newest first, `limit` from `offset`, and how many match in all. `keep`
    /// limits the matches to those an account may see; without it the page and the count come
    /// straight from the index.
    pub fn search_page(
        &self,
        query: &str,
        offset: usize,
        limit: usize,
        keep: Option<&dyn Fn(&BoardRow) -> bool>,
    ) -> Result<std::result::Result<SearchPage, SearchError>> {
        let expr = match match_expression(query) {
            Ok(e) => e,
            Err(e) => return Ok(Err(e)),
        };
        let Some(keep) = keep else {
            return Ok(Ok(self.matching(&expr, offset, limit)?));
        };
        // Every match is read to be judged and counted: one row lookup each.
        let mut ids = self
            .conn
            .prepare_cached("SELECT rowid FROM search WHERE search MATCH ?1 ORDER BY rowid DESC")?;
        let mut row = self
            .conn
            .prepare_cached(&format!("SELECT {ROW_COLUMNS} FROM cases WHERE id = ?1"))?;
        let mut page = SearchPage {
            rows: Vec::new(),
            total: 0,
        };
        let mut matches = ids.query([&expr])?;
        while let Some(m) = matches.next()? {
            let id: i64 = m.get(0)?;
            let Some(r) = row.query_row([id], row_from).optional()? else {
                continue;
            };
            if keep(&r) {
                let n = page.total as usize;
                if n >= offset && n < offset.saturating_add(limit) {
                    page.rows.push(r);
                }
                page.total += 1;
            }
        }
        Ok(Ok(page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_overlap_and_runs_are_kept_apart() {
        assert_eq!(bigrams("王芳"), "王芳 ｜ ");
        assert_eq!(bigrams("讨要工资，欠薪"), "讨要 要工 工资 ｜ 欠薪 ｜ ");
        assert_eq!(bigrams("张"), "张 ");
        assert!(bigrams("ID 11010519491231002X").starts_with("id ｜ 11 10 01 "));
    }

    #[test]
    fn a_cases_area_names_its_town_its_village_and_every_prefix_of_its_unit() {
        let tokens = area_tokens("首阳镇", "南门村", Some("首阳镇司法所"));
        let has = |t: String| tokens.split(' ').any(|x| x == t);
        assert!(has(format!("t{}", hex("首阳镇"))));
        assert!(has(format!("v{}x{}", hex("首阳镇"), hex("南门村"))));
        for prefix in ["", "首", "首阳镇", "首阳镇司法所"] {
            assert!(has(format!("u{}", hex(prefix))), "{prefix}");
        }
        assert!(!has(format!("u{}", hex("首阳镇司法所X"))));
        assert!(!area_tokens("巩昌镇", "", None).contains('u'));
        assert!(
            tokens
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ' ')
        );
    }

    #[test]
    fn queries_become_phrases() {
        assert_eq!(match_expression("王芳"), Ok("\"王芳\"".into()));
        assert_eq!(match_expression("宅基地"), Ok("\"宅基 基地\"".into()));
        assert_eq!(match_expression("1234"), Ok("\"12 23 34\"".into()));
        assert_eq!(
            match_expression("首阳 工资"),
            Ok("\"首阳\" AND \"工资\"".into())
        );
        assert_eq!(match_expression("王"), Err(SearchError::TooShort));
        assert_eq!(match_expression("123"), Err(SearchError::TooShort));
        assert_eq!(match_expression("\"*"), Err(SearchError::TooShort));
    }
}
