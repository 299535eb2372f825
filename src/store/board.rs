//! The deadline board: open cases by due date, a page at a time, with filters, and the header's
//! counts and rates. Every query rides a partial index over open cases, so a page costs the same
//! on a million cases as on a hundred.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{Row, ToSql};

use super::{Result, Store};
use crate::clock;
use crate::domain::{CaseKey, Route, Status};

/// What the board shows of a case.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardRow {
    pub key: CaseKey,
    pub case_no: String,
    pub received_at: DateTime<FixedOffset>,
    pub name: String,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub town: String,
    pub village: String,
    pub category: String,
    pub request: String,
    pub route: Route,
    pub unit: Option<String>,
    pub status: Status,
    pub due_date: NaiveDate,
    pub urgent: bool,
}

pub(super) const ROW_COLUMNS: &str = "year, seq, case_no, received_at, name, phone, id_number, \
    town, village, category, substr(request, 1, 60), route, unit, status, due_date, urgent";
pub(super) const ROW_COLUMN_COUNT: usize = 16;

pub(super) fn row_from(r: &Row) -> rusqlite::Result<BoardRow> {
    Ok(BoardRow {
        key: CaseKey {
            year: r.get(0)?,
            seq: r.get(1)?,
        },
        case_no: r.get(2)?,
        received_at: clock::parse(&r.get::<_, String>(3)?).unwrap_or_default(),
        name: r.get(4)?,
        phone: r.get(5)?,
        id_number: r.get(6)?,
        town: r.get(7)?,
        village: r.get(8)?,
        category: r.get(9)?,
        request: r.get(10)?,
        route: Route::from_code(r.get(11)?).unwrap_or(Route::Timed),
        unit: r.get(12)?,
        status: Status::from_code(r.get(13)?).unwrap_or(Status::Registered),
        due_date: NaiveDate::parse_from_str(&r.get::<_, String>(14)?, "%Y-%m-%d")
            .unwrap_or_default(),
        urgent: r.get(15)?,
    })
}

/// Which open cases the board shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardFilter {
    pub town: Option<String>,
    pub unit: Option<String>,
    pub category: Option<String>,
    pub status: Option<Status>,
    pub overdue_only: bool,
}

impl BoardFilter {
    pub fn is_empty(&self) -> bool {
        *self == BoardFilter::default()
    }

    /// The WHERE clause and its parameters. It always names `status < 3` literally so
    /// that SQLite can use the partial indexes.
    fn clause(&self, today: NaiveDate) -> (String, Vec<Box<dyn ToSql>>) {
        let mut sql = String::from("status < 3");
        let mut params: Vec<Box<dyn ToSql>> = Vec::new();
        if let Some(t) = &self.town {
            sql.push_str(" AND town = ?");
            params.push(Box::new(t.clone()));
        }
        if let Some(u) = &self.unit {
            sql.push_str(" AND unit = ?");
            params.push(Box::new(u.clone()));
        }
        if let Some(c) = &self.category {
            sql.push_str(" AND category = ?");
            params.push(Box::new(c.clone()));
        }
        if let Some(s) = self.status {
            sql.push_str(" AND status = ?");
            params.push(Box::new(s.code()));
        }
        if self.overdue_only {
            sql.push_str(" AND due_date < ?");
            params.push(Box::new(today.format("%Y-%m-%d").to_string()));
        }
        (sql, params)
    }

    /// "乡镇：首阳镇 · 只看超期", for the board's title.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(t) = &self.town {
            parts.push(format!("乡镇：{t}"));
        }
        if let Some(u) = &self.unit {
            parts.push(format!("单位：{u}"));
        }
        if let Some(c) = &self.category {
            parts.push(format!("类别：{c}"));
        }
        if let Some(s) = self.status {
            parts.push(format!("状态：{}", s.label()));
        }
        if self.overdue_only {
            parts.push("只看超期".to_string());
        }
        parts.join(" · ")
    }
}

/// A column of names `Store::holds` can look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    Town,
    Unit,
    Category,
}

/// Which cases `minshi list` shows: the board's open cases, the ended ones, or all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Listing {
    #[default]
    Open,
    Closed,
    All,
}

/// `minshi list`: the board's filters over open, ended or all cases, and the days of receipt
/// (Beijing dates, both ends included). Open cases come in board order (most urgent first), the
/// others newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub listing: Listing,
    /// Town, unit, category, status; `overdue_only` is for open cases only.
    pub board: BoardFilter,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
}

impl ListFilter {
    /// The WHERE clause, its parameters and the order. Open cases ride the board's partial
    /// indexes; the others the index on `received_date` (a range of it with `--from`/`--to`,
    /// newest first without), so `status` is kept out of index choice with a unary `+`.
    fn clause(&self, today: NaiveDate) -> (String, Vec<Box<dyn ToSql>>, &'static str) {
        let (mut sql, mut params, order) = match self.listing {
            Listing::Open => {
                let (sql, params) = self.board.clause(today);
                (sql, params, "due_date, id")
            }
            Listing::Closed | Listing::All => {
                let b = &self.board;
                let mut sql = String::from(match self.listing {
                    Listing::Closed => "+status >= 3",
                    _ => "1",
                });
                let mut params: Vec<Box<dyn ToSql>> = Vec::new();
                for (column, value) in [
                    ("town", &b.town),
                    ("unit", &b.unit),
                    ("category", &b.category),
                ] {
                    if let Some(v) = value {
                        sql.push_str(&format!(" AND {column} = ?"));
                        params.push(Box::new(v.clone()));
                    }
                }
                if let Some(st) = b.status {
                    sql.push_str(" AND +status = ?");
                    params.push(Box::new(st.code()));
                }
                if b.overdue_only {
                    sql.push_str(" AND +status < 3 AND due_date < ?");
                    params.push(Box::new(today.format("%Y-%m-%d").to_string()));
                }
                (sql, params, "received_date DESC, id DESC")
            }
        };
        if let Some(from) = self.received_from {
            sql.push_str(" AND received_date >= ?");
            params.push(Box::new(from.format("%Y-%m-%d").to_string()));
        }
        if let Some(to) = self.received_to {
            sql.push_str(" AND received_date <= ?");
            params.push(Box::new(to.format("%Y-%m-%d").to_string()));
        }
        (sql, params, order)
    }
}

/// Where a page of the board starts, relative to a case already on screen or to the end: what
/// moving needs without counting its way there with OFFSET (which walks every row it skips).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seek {
    /// The rows after this case, in board order.
    After(CaseKey),
    /// This case (if still shown) and the rows after it.
    From(CaseKey),
    /// The rows just before this case, ending next to it.
    Before(CaseKey),
    /// The last rows of the board.
    Last,
}

/// The board's header: today's load and the register's rates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Header {
    pub open: u64,
    pub overdue: u64,
    pub due_today: u64,
    pub registered_today: u64,
    pub received: u64,
    pub closed: u64,
    pub on_time: u64,
    pub followed_up: u64,
    pub satisfied: u64,
}

fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

impl Header {
    /// 化解率 = 办结 ÷ 受理
    pub fn resolution_rate(&self) -> Option<f64> {
        rate(self.closed, self.received)
    }
    /// 按时办结率 = 按时办结 ÷ 办结
    pub fn on_time_rate(&self) -> Option<f64> {
        rate(self.on_time, self.closed)
    }
    /// 回访率 = 回访 ÷ 办结
    pub fn follow_up_rate(&self) -> Option<f64> {
        rate(self.followed_up, self.closed)
    }
    /// 满意率 = (非常满意 + 满意 + 基本满意) ÷ 回访
    pub fn satisfaction_rate(&self) -> Option<f64> {
        rate(self.satisfied, self.followed_up)
    }
}

impl Store {
    /// A page of the board, most urgent first.
    pub fn board(
        &self,
        filter: &BoardFilter,
        today: NaiveDate,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<BoardRow>> {
        let (clause, mut params) = filter.clause(today);
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM cases WHERE {clause} ORDER BY due_date, id LIMIT ? OFFSET ?"
        );
        params.push(Box::new(limit as i64));
        params.push(Box::new(offset as i64));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), row_from)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Up to `limit` rows of the board placed by `seek`, in board order. Each costs one index
    /// range however deep into the board it starts. A case that is no longer open still marks
    /// its place (by its due date and row), so a page can be found from a row that just closed.
    pub fn board_seek(
        &self,
        filter: &BoardFilter,
        today: NaiveDate,
        seek: Seek,
        limit: usize,
    ) -> Result<Vec<BoardRow>> {
        let (clause, mut params) = filter.clause(today);
        let anchor = "(SELECT due_date, id FROM cases WHERE year = ? AND seq = ?)";
        let (cond, order, key) = match seek {
            Seek::After(k) => (format!(" AND (due_date, id) > {anchor}"), "", Some(k)),
            Seek::From(k) => (format!(" AND (due_date, id) >= {anchor}"), "", Some(k)),
            Seek::Before(k) => (format!(" AND (due_date, id) < {anchor}"), " DESC", Some(k)),
            Seek::Last => (String::new(), " DESC", None),
        };
        if let Some(k) = key {
            params.push(Box::new(k.year));
            params.push(Box::new(k.seq));
        }
        params.push(Box::new(limit as i64));
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM cases WHERE {clause}{cond} \
             ORDER BY due_date{order}, id{order} LIMIT ?"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows: Vec<BoardRow> = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), row_from)?
            .collect::<rusqlite::Result<_>>()?;
        if !order.is_empty() {
            rows.reverse();
        }
        Ok(rows)
    }

    /// How many open cases the filter shows.
    pub fn board_count(&self, filter: &BoardFilter, today: NaiveDate) -> Result<u64> {
        let (clause, params) = filter.clause(today);
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT COUNT(*) FROM cases WHERE {clause}"))?;
        Ok(
            stmt.query_row(rusqlite::params_from_iter(params.iter()), |r| {
                r.get::<_, i64>(0)
            })? as u64,
        )
    }

    /// Counts for the filter's open cases, and the register's rates.
    pub fn header(&self, filter: &BoardFilter, today: NaiveDate) -> Result<Header> {
        let (clause, params) = filter.clause(today);
        let today_s = today.format("%Y-%m-%d").to_string();
        let count = |extra: &str| -> Result<u64> {
            let mut stmt = self
                .conn
                .prepare_cached(&format!("SELECT COUNT(*) FROM cases WHERE {clause}{extra}"))?;
            let mut p: Vec<&dyn ToSql> = params.iter().map(|b| b.as_ref()).collect();
            if !extra.is_empty() {
                p.push(&today_s);
            }
            Ok(stmt.query_row(p.as_slice(), |r| r.get::<_, i64>(0))? as u64)
        };
        let open = count("")?;
        let overdue = if filter.overdue_only {
            open
        } else {
            count(" AND due_date < ?")?
        };
        let due_today = count(" AND due_date = ?")?;
        let registered_today = self.conn.query_row(
            "SELECT COUNT(*) FROM cases WHERE received_date = ?1",
            [&today_s],
            |r| r.get::<_, i64>(0),
        )? as u64;
        let mut header = Header {
            open,
            overdue,
            due_today,
            registered_today,
            ..Header::default()
        };
        let mut stmt = self.conn.prepare_cached("SELECT name, n FROM tallies")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let n: i64 = r.get(1)?;
            let n = n.max(0) as u64;
            match r.get::<_, String>(0)?.as_str() {
                "received" => header.received = n,
                "closed" => header.closed = n,
                "on_time" => header.on_time = n,
                "followed_up" => header.followed_up = n,
                "satisfied" => header.satisfied = n,
                _ => {}
            }
        }
        Ok(header)
    }

    /// A page of `minshi list`.
    pub fn list(
        &self,
        filter: &ListFilter,
        today: NaiveDate,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<BoardRow>> {
        let (clause, mut params, order) = filter.clause(today);
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM cases WHERE {clause} ORDER BY {order} LIMIT ? OFFSET ?"
        );
        params.push(Box::new(limit as i64));
        params.push(Box::new(offset as i64));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), row_from)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// How many cases `minshi list` would show without a limit.
    pub fn list_count(&self, filter: &ListFilter, today: NaiveDate) -> Result<u64> {
        let (clause, params, _) = filter.clause(today);
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT COUNT(*) FROM cases WHERE {clause}"))?;
        Ok(
            stmt.query_row(rusqlite::params_from_iter(params.iter()), |r| {
                r.get::<_, i64>(0)
            })? as u64,
        )
    }

    /// The query plan of a `minshi list` page, one line per step: for the tests that pin the
    /// indexes it uses.
    pub fn list_plan(&self, filter: &ListFilter, today: NaiveDate) -> Result<Vec<String>> {
        let (clause, mut params, order) = filter.clause(today);
        params.push(Box::new(50_i64));
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT {ROW_COLUMNS} FROM cases WHERE {clause} ORDER BY {order} LIMIT ?"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                r.get::<_, String>(3)
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Whether any case has this town, unit or category: a name no longer configured is still
    /// a name the register holds (a renamed unit, a corrected village list).
    pub fn holds(&self, field: Held, value: &str) -> Result<bool> {
        let column = match field {
            Held::Town => "town",
            Held::Unit => "unit",
            Held::Category => "category",
        };
        let found: bool = self.conn.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM cases WHERE {column} = ?1)"),
            [value],
            |r| r.get(0),
        )?;
        Ok(found)
    }

    /// The latest deadline of an open case (one step down the open-cases index).
    pub fn latest_open_due(&self) -> Result<Option<NaiveDate>> {
        let last: Option<String> = self.conn.query_row(
            "SELECT max(due_date) FROM cases WHERE status < 3",
            [],
            |r| r.get(0),
        )?;
        last.map(|d| {
            NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map_err(|_| super::StoreError::Undecodable(format!("期限「{d}」不是日期")))
        })
        .transpose()
    }

    /// Cases registered in a period (by the day received), oldest first: the ledger.
    pub fn received_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<crate::domain::Case>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT * FROM cases WHERE received_date BETWEEN ?1 AND ?2 ORDER BY received_at, id",
        )?;
        let columns = super::cases::CaseColumns::of(&stmt)?;
        let rows = stmt
            .query_map(
                [
                    from.format("%Y-%m-%d").to_string(),
                    to.format("%Y-%m-%d").to_string(),
                ],
                |r| super::cases::case_from_row_at(r, &columns),
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
