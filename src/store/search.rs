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

/// One entry of a search table: a case's, or a record's.
pub(super) struct Row {
    id: i64,
    columns: [String; 5],
}

impl Row {
    /// From the five columns' text, cut into bigrams here.
    pub(super) fn of_texts(id: i64, texts: [&str; 5]) -> Row {
        Row {
            id,
            columns: texts.map(bigrams),
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
        Row {
            id,
            columns: [
                bigrams(f("name")),
                bigrams(&address),
                bigrams(&body),
                bigrams(&digits),
                bigrams(f("id_number")),
            ],
        }
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
    if rows.is_empty() {
        return Ok(());
    }
    rows.sort_unstable_by_key(|r| r.id);
    let list: Vec<(i64, &[String; 5])> = rows.iter().map(|r| (r.id, &r.columns)).collect();
    let json = serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
    let table = match table {
        Table::Cases => "search",
        Table::Records => "record_search",
    };
    conn.prepare_cached(&format!(
        "INSERT INTO {table} (rowid, name, address, body, phone, id_number)
         SELECT value ->> 0, value ->> '$[1][0]', value ->> '$[1][1]', value ->> '$[1][2]',
                value ->> '$[1][3]', value ->> '$[1][4]'
         FROM json_each(?1)"
    ))?
    .execute([json])?;
    Ok(())
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

/// A center's area in SQL over `cases c`, as `Center::covers` decides it (the cases of its town,
/// or village, and those sent to a unit named after it), with its values from `?2`; none for
/// the county's, which covers every case.
fn area_clause(center: &crate::domain::Center) -> Option<(&'static str, Vec<String>)> {
    use crate::domain::Center;
    match center {
        Center::County => None,
        Center::Town(t) => Some((
            "(c.town = ?2 OR substr(c.unit, 1, length(?2)) = ?2)",
            vec![t.clone()],
        )),
        Center::Village { town, village } => Some((
            "((c.town = ?2 AND c.village = ?3) OR substr(c.unit, 1, length(?2 || ?3)) = ?2 || ?3)",
            vec![town.clone(), village.clone()],
        )),
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
        let Some((area, values)) = area_clause(center) else {
            return self.search_page(query, offset, limit, None);
        };
        let expr = match match_expression(query) {
            Ok(e) => e,
            Err(e) => return Ok(Err(e)),
        };
        // The index gives the matches newest first; each is looked up for its area in SQL, and
        // the page stops at its last row.
        let from = format!(
            "FROM search JOIN cases c ON c.id = search.rowid WHERE search MATCH ?1 AND {area}"
        );
        let mut p: Vec<rusqlite::types::Value> = vec![expr.into()];
        p.extend(values.into_iter().map(Into::into));
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) {from}"))?
            .query_row(rusqlite::params_from_iter(&p), |r| r.get(0))?;
        p.push((limit as i64).into());
        p.push((offset as i64).into());
        let n = p.len();
        let rows = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ROW_COLUMNS} FROM cases WHERE id IN
                    (SELECT c.id {from} ORDER BY search.rowid DESC LIMIT ?{} OFFSET ?{n})
                 ORDER BY id DESC",
                n - 1
            ))?
            .query_map(rusqlite::params_from_iter(&p), row_from)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Ok(SearchPage {
            rows,
            total: total.max(0) as u64,
        }))
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
            let total: i64 = self.conn.query_row(
                "SELECT count(*) FROM search WHERE search MATCH ?1",
                [&expr],
                |r| r.get(0),
            )?;
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {ROW_COLUMNS} FROM cases WHERE id IN
                    (SELECT rowid FROM search WHERE search MATCH ?1
                     ORDER BY rowid DESC LIMIT ?2 OFFSET ?3)
                 ORDER BY id DESC"
            ))?;
            let rows = stmt
                .query_map(params![expr, limit as i64, offset as i64], row_from)?
                .collect::<rusqlite::Result<_>>()?;
            return Ok(Ok(SearchPage {
                rows,
                total: total.max(0) as u64,
            }));
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
