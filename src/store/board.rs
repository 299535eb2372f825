//! The deadline board: open cases by due date, a page at a time, with filters, and the header's
//! counts and rates. Every query rides a partial index over open cases, so a page costs the same
//! on a million cases as on a hundred.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{Row, ToSql};

use super::{Result, Store};
use crate::clock;
use crate::domain::{CaseKey, Level, Route, Status};

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

    /// The board's WHERE clause and its parameters: open cases, naming `status < 3` literally
    /// so that SQLite can use the partial indexes.
    fn clause(&self, today: NaiveDate) -> (String, Vec<Box<dyn ToSql>>) {
        let (sql, params, _) = clause(Listing::Open, self, &[], (None, None), today);
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
    fn clause(&self, today: NaiveDate) -> (String, Vec<Box<dyn ToSql>>, &'static str) {
        clause(
            self.listing,
            &self.board,
            &[],
            (self.received_from, self.received_to),
            today,
        )
    }
}

/// A value of a statistics break-down that the board's own filters cannot say: with them, the
/// cases behind a row of a statistics table (see `StatsTable::cases`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    Village(String),
    /// Not routed to a unit yet (a table's 未分流).
    NoUnit,
    Channel(String),
    Route(Route),
    /// `None`: no level yet (未分流).
    Level(Option<Level>),
    /// The clerk who registered the case, by real name.
    Clerk(String),
}

/// Which cases a listing shows: `minshi list`'s filter with break-down values besides — the
/// statistics screen's drill-down into a row. (`ListFilter` is this without `matches`.)
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub listing: Listing,
    pub board: BoardFilter,
    pub matches: Vec<Match>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
}

impl Selection {
    /// "乡镇：首阳镇 · 渠道：来访 · 受理 2026-03-01 至 2026-03-31 · 含已结束", for the board.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let board = self.board.describe();
        if !board.is_empty() {
            parts.push(board);
        }
        for m in &self.matches {
            parts.push(match m {
                Match::Village(v) => format!("村：{v}"),
                Match::NoUnit => "单位：未分流".to_string(),
                Match::Channel(c) => format!("渠道：{c}"),
                Match::Route(r) => format!("办理方式：{}", r.label()),
                Match::Level(l) => format!("层级：{}", l.map_or("未分流", |l| l.label())),
                Match::Clerk(c) => format!("受理人：{c}"),
            });
        }
        let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
        match (day(self.received_from), day(self.received_to)) {
            (Some(f), Some(t)) => parts.push(format!("受理 {f} 至 {t}")),
            (Some(f), None) => parts.push(format!("受理 {f} 起")),
            (None, Some(t)) => parts.push(format!("受理 {t} 止")),
            (None, None) => {}
        }
        parts.push(
            match self.listing {
                Listing::Open => "在办",
                Listing::Closed => "已结束",
                Listing::All => "含已结束",
            }
            .to_string(),
        );
        parts.join(" · ")
    }

    pub(super) fn clause(&self, today: NaiveDate) -> (String, Vec<Box<dyn ToSql>>, &'static str) {
        clause(
            self.listing,
            &self.board,
            &self.matches,
            (self.received_from, self.received_to),
            today,
        )
    }
}

/// The one WHERE clause of every list of cases (the board, `minshi list`, a statistics row's
/// cases), its parameters and its order. Open cases ride the board's partial indexes, so
/// `status < 3` is named literally; the others ride the index on `received_date` (a range of it
/// with dates, newest first without), so `status` is kept out of index choice with a unary `+`.
fn clause(
    listing: Listing,
    b: &BoardFilter,
    matches: &[Match],
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    today: NaiveDate,
) -> (String, Vec<Box<dyn ToSql>>, &'static str) {
    let open = listing == Listing::Open;
    let mut sql = String::from(match listing {
        Listing::Open => "status < 3",
        Listing::Closed => "+status >= 3",
        Listing::All => "1",
    });
    let mut params: Vec<Box<dyn ToSql>> = Vec::new();
    let mut add = |condition: &str, value: Option<Box<dyn ToSql>>| {
        sql.push_str(" AND ");
        sql.push_str(condition);
        params.extend(value);
    };
    for (condition, value) in [
        ("town = ?", &b.town),
        ("unit = ?", &b.unit),
        ("category = ?", &b.category),
    ] {
        if let Some(v) = value {
            add(condition, Some(Box::new(v.clone())));
        }
    }
    if let Some(st) = b.status {
        let condition = if open { "status = ?" } else { "+status = ?" };
        add(condition, Some(Box::new(st.code())));
    }
    if b.overdue_only {
        let condition = if open {
            "due_date < ?"
        } else {
            "+status < 3 AND due_date < ?"
        };
        add(
            condition,
            Some(Box::new(today.format("%Y-%m-%d").to_string())),
        );
    }
    for m in matches {
        match m {
            Match::Village(v) => add("village = ?", Some(Box::new(v.clone()))),
            Match::NoUnit => add("unit IS NULL", None),
            Match::Channel(c) => add("channel = ?", Some(Box::new(c.clone()))),
            Match::Route(r) => add("route = ?", Some(Box::new(r.code()))),
            Match::Level(Some(l)) => add("level = ?", Some(Box::new(l.code()))),
            Match::Level(None) => add("level IS NULL", None),
            Match::Clerk(c) => add("clerk = ?", Some(Box::new(c.clone()))),
        }
    }
    for (condition, day) in [("received_date >= ?", from), ("received_date <= ?", to)] {
        if let Some(d) = day {
            add(condition, Some(Box::new(d.format("%Y-%m-%d").to_string())));
        }
    }
    let order = if open {
        "due_date, id"
    } else {
        "received_date DESC, id DESC"
    };
    (sql, params, order)
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
        self.page_where(
            clause(Listing::Open, filter, &[], (None, None), today),
            offset,
            limit,
        )
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
        self.count_where(&clause, &params)
    }

    /// Counts for the filter's open cases (the rates are `header_rates`, over a period).
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
        Ok(Header {
            open,
            overdue,
            due_today,
            registered_today,
        })
    }

    /// A page of `minshi list`.
    pub fn list(
        &self,
        filter: &ListFilter,
        today: NaiveDate,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<BoardRow>> {
        self.page_where(filter.clause(today), offset, limit)
    }

    /// How many cases `minshi list` would show without a limit.
    pub fn list_count(&self, filter: &ListFilter, today: NaiveDate) -> Result<u64> {
        let (clause, params, _) = filter.clause(today);
        self.count_where(&clause, &params)
    }

    /// A page of a selection (a statistics row's cases), in its listing's order.
    pub fn select(
        &self,
        selection: &Selection,
        today: NaiveDate,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<BoardRow>> {
        self.page_where(selection.clause(today), offset, limit)
    }

    /// How many cases a selection holds.
    pub fn select_count(&self, selection: &Selection, today: NaiveDate) -> Result<u64> {
        let (clause, params, _) = selection.clause(today);
        self.count_where(&clause, &params)
    }

    fn page_where(
        &self,
        (clause, mut params, order): (String, Vec<Box<dyn ToSql>>, &str),
        offset: usize,
        limit: usize,
    ) -> Result<Vec<BoardRow>> {
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

    fn count_where(&self, clause: &str, params: &[Box<dyn ToSql>]) -> Result<u64> {
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
