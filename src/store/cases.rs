//! Registering cases, acting on them, and reading them back: the writes go through `Writer`, one
//! transaction that takes the number, writes the case, appends the event and moves the statistics.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::chain::{self, Head};
use super::{Result, Store, StoreError, search};
use crate::clock;
use crate::config::Config;
use crate::domain::stats::CaseStat;
use crate::domain::{
    Account, Action, Case, CaseFacts, CaseKey, Effects, Event, EventKind, Extension, FollowUp,
    Gender, IdNumber, Level, NewCase, NewCaseInput, Op, Outcome, Person, Phone, Refusal,
    Resolution, Route, Satisfaction, Session, Status, action_label, authorize, authorize_case,
    describe, effects, registration, validate_new_case,
};

/// A write in progress. Dropped without `commit`, it leaves nothing behind.
pub struct Writer<'a> {
    tx: Transaction<'a>,
    config: &'a Config,
    /// Search rows written at commit, all in a few statements: FTS5 flushes its pending terms
    /// at every statement savepoint, so one insert per case among other writes made a tiny
    /// segment per case and merging them dominated bulk loads.
    pending_search: Vec<search::Row>,
    /// Where each case's row is in `pending_search`.
    pending_search_at: std::collections::HashMap<i64, usize>,
    /// Cases already in the search table whose entry must be written again at commit (a 更正
    /// of a searched field, a unit that changes the area), from their row as it is then.
    reindex: Vec<i64>,
    /// The chain's head, read at the first event of this write.
    head: Option<Option<Head>>,
    printable: fn(char) -> bool,
    /// Search rows of visits, reports and meetings, written at commit as the cases' are.
    pending_record_search: Vec<search::Row>,
    /// Statistics sums moved by this write, written at commit (see `stats::Pending`).
    stats: super::stats::Pending,
    /// The loop's sums (triage, feedback) moved by this write, written at commit.
    pub(super) loop_sums: super::loop_sums::Pending,
    /// The statistical facts of each case this write touched, as stored before it (none for a
    /// case it registered) and as they are now, in the order first touched: the sums move and
    /// `case_stats` is written once per case at commit, not once per event (a bulk load writes
    /// a case's whole history in one transaction).
    touched: Vec<(i64, Option<CaseStat>, CaseStat)>,
    stat_cache: std::collections::HashMap<i64, usize>,
    /// Case fields set by this write's events and not yet written, merged per case in the
    /// order first set: a case's row is updated once, before anything reads `cases` in SQL
    /// (see `tx`) or at commit, not once per event. A bulk load writes a case's whole history
    /// in one transaction, and rewriting the row and its indexes per event was its largest cost.
    unwritten: Vec<(i64, serde_json::Map<String, serde_json::Value>)>,
    unwritten_at: std::collections::HashMap<i64, usize>,
    /// What `act` reads of the cases this write touched (`ACTED_COLUMNS`, as stored values),
    /// kept up to date with the fields its events set.
    acted: std::collections::HashMap<i64, Vec<serde_json::Value>>,
    acted_key: std::collections::HashMap<CaseKey, i64>,
}

/// The columns `Writer::act` reads of a case, in the order `Current::decode` takes them.
const ACTED_COLUMNS: [&str; 14] = [
    "id",
    "case_no",
    "status",
    "route",
    "category",
    "received_date",
    "due_date",
    "ext_days",
    "unit",
    "on_time",
    "fu_satisfaction",
    "decline_reason",
    "town",
    "village",
];

/// The case fields the statistics read: an event setting none of them moves no figure.
const STAT_FIELDS: [&str; 15] = [
    "received_date",
    "town",
    "village",
    "unit",
    "category",
    "channel",
    "clerk",
    "route",
    "level",
    "repeat",
    "status",
    "outcome",
    "due_date",
    "closed_at",
    "fu_date",
];

/// The columns of `cases` an event may set: anything else in a payload is refused, so a column
/// name never reaches SQL from anywhere but here.
pub(super) const CASE_COLUMNS: [&str; 49] = [
    "year",
    "seq",
    "case_no",
    "received_at",
    "received_date",
    "registered_at",
    "channel",
    "clerk",
    "clerk_id",
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "town",
    "village",
    "address",
    "group_size",
    "representatives",
    "category",
    "request",
    "facts",
    "reasons",
    "place",
    "urgent",
    "legal",
    "repeat",
    "route",
    "level",
    "unit",
    "due_date",
    "due_basis",
    "ext_days",
    "ext_previous_due",
    "ext_reason",
    "ext_approver",
    "status",
    "outcome",
    "result",
    "result_basis",
    "closed_at",
    "on_time",
    "fu_date",
    "fu_way",
    "fu_satisfaction",
    "fu_notes",
    "decline_reason",
    "duplicate_of",
    "updated_at",
];

/// An earlier case of the person being registered, and what matched.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonMatch {
    pub row: super::BoardRow,
    pub by_id: bool,
    pub by_phone: bool,
    pub by_name: bool,
}

/// A stored value that cannot be read back as what it should be: damage, never a default.
pub(super) fn damaged(column: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("{column}「{value}」无法识别").into(),
    )
}

pub(super) fn date(column: &str, s: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| damaged(column, s))
}

pub(super) fn time(column: &str, s: &str) -> rusqlite::Result<DateTime<FixedOffset>> {
    clock::parse(s).ok_or_else(|| damaged(column, s))
}

pub(super) fn code<T>(column: &str, c: i64, f: fn(i64) -> Option<T>) -> rusqlite::Result<T> {
    f(c).ok_or_else(|| damaged(column, &c.to_string()))
}

fn opt_code<T>(
    column: &str,
    c: Option<i64>,
    f: fn(i64) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    c.map(|c| code(column, c, f)).transpose()
}

impl<'a> Writer<'a> {
    pub(super) fn new(
        tx: Transaction<'a>,
        config: &'a Config,
        printable: fn(char) -> bool,
    ) -> Writer<'a> {
        Writer {
            tx,
            config,
            pending_search: Vec::new(),
            pending_search_at: std::collections::HashMap::new(),
            reindex: Vec::new(),
            pending_record_search: Vec::new(),
            head: None,
            printable,
            stats: super::stats::Pending::default(),
            loop_sums: super::loop_sums::Pending::default(),
            touched: Vec::new(),
            stat_cache: std::collections::HashMap::new(),
            unwritten: Vec::new(),
            unwritten_at: std::collections::HashMap::new(),
            acted: std::collections::HashMap::new(),
            acted_key: std::collections::HashMap::new(),
        }
    }

    pub fn commit(mut self) -> Result<()> {
        self.write_cases()?;
        self.reindex_now()?;
        search::insert(&self.tx, search::Table::Cases, &mut self.pending_search)?;
        search::insert(
            &self.tx,
            search::Table::Records,
            &mut self.pending_record_search,
        )?;
        for (case_id, before, after) in std::mem::take(&mut self.touched) {
            if before.as_ref() != Some(&after) {
                self.stats.change(before.as_ref(), &after);
                super::stats::save(&self.tx, case_id, before.as_ref(), &after)?;
                super::stats::save_pairs(&self.tx, case_id, before.as_ref(), &after)?;
            }
        }
        self.stats.flush(&self.tx)?;
        self.loop_sums.flush(&self.tx)?;
        self.tx.commit()?;
        Ok(())
    }

    /// The transaction, for statements that may read or write `cases`: the case fields this
    /// write has set are written first.
    pub(super) fn tx(&mut self) -> Result<&Transaction<'a>> {
        self.write_cases()?;
        Ok(&self.tx)
    }

    /// The transaction, for statements on other tables only (records, accounts): the case
    /// fields this write has set may not be written yet.
    pub(super) fn tx_not_cases(&self) -> &Transaction<'a> {
        &self.tx
    }

    /// Write the case fields set so far: one `UPDATE` per case.
    fn write_cases(&mut self) -> Result<()> {
        self.unwritten_at.clear();
        for (case_id, set) in std::mem::take(&mut self.unwritten) {
            let mut assignments = Vec::with_capacity(set.len());
            let mut values = Vec::with_capacity(set.len() + 1);
            values.push(rusqlite::types::Value::Integer(case_id));
            for (i, (column, value)) in set.iter().enumerate() {
                assignments.push(format!("{column} = ?{}", i + 2));
                values.push(chain::to_sql(value));
            }
            let sql = format!("UPDATE cases SET {} WHERE id = ?1", assignments.join(", "));
            self.tx
                .prepare_cached(&sql)?
                .execute(rusqlite::params_from_iter(values.iter()))?;
        }
        Ok(())
    }

    pub(super) fn config(&self) -> &'a Config {
        self.config
    }

    pub(super) fn printable(&self) -> fn(char) -> bool {
        self.printable
    }

    /// Take the next number of a series for a year; part of the caller's transaction, so a
    /// rolled-back write leaves no gap.
    pub(super) fn next_number(&self, series: &str, year: i32) -> Result<u32> {
        // Not `RETURNING`: it builds an ephemeral table per call, which dominated bulk loads.
        self.tx
            .prepare_cached(
                "INSERT INTO counters (series, year, last) VALUES (?1, ?2, 1)
                 ON CONFLICT (series, year) DO UPDATE SET last = last + 1",
            )?
            .execute(params![series, year])?;
        let n: u32 = self
            .tx
            .prepare_cached("SELECT last FROM counters WHERE series = ?1 AND year = ?2")?
            .query_row(params![series, year], |r| r.get(0))?;
        Ok(n)
    }

    /// Append an event to the chain: on a case, or about an account.
    pub(super) fn record(
        &mut self,
        case_id: Option<i64>,
        account_id: Option<i64>,
        who: &Account,
        now: &DateTime<FixedOffset>,
        e: &Effects,
    ) -> Result<()> {
        let head = match self.head {
            Some(h) => h,
            None => chain::head(&self.tx)?,
        };
        let data = e.payload_text();
        let at = clock::format(now);
        let new = chain::append(
            &self.tx,
            head,
            &chain::Entry {
                case_id,
                account_id,
                at: &at,
                actor: &who.login,
                actor_name: &who.real_name,
                kind: e.kind(),
                data: &data,
            },
        )?;
        self.head = Some(Some(new));
        Ok(())
    }

    /// Move the statistics of a case by what an event sets on it: the domain folds the fields
    /// into the case's statistical facts; the sums move by the difference.
    fn move_stats(
        &mut self,
        case_id: i64,
        set: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<()> {
        if !set.keys().any(|k| STAT_FIELDS.contains(&k.as_str())) {
            return Ok(());
        }
        let i = match self.stat_cache.get(&case_id) {
            Some(i) => *i,
            None => {
                self.write_cases()?;
                let stored = super::stats::load(&self.tx, case_id)?;
                self.touched.push((case_id, Some(stored.clone()), stored));
                self.stat_cache.insert(case_id, self.touched.len() - 1);
                self.touched.len() - 1
            }
        };
        self.touched[i]
            .2
            .apply(set)
            .map_err(StoreError::Undecodable)?;
        Ok(())
    }

    /// A case's search row, written at commit: replacing the one this write made before.
    fn index_case(&mut self, row: search::Row) {
        match self.pending_search_at.get(&row.id()) {
            Some(i) => self.pending_search[*i] = row,
            None => {
                self.pending_search_at
                    .insert(row.id(), self.pending_search.len());
                self.pending_search.push(row);
            }
        }
    }

    /// Write a case's search entry again at commit, from its row as it is then.
    pub(super) fn reindex_later(&mut self, case_id: i64) {
        if !self.reindex.contains(&case_id) {
            self.reindex.push(case_id);
        }
    }

    fn reindex_now(&mut self) -> Result<()> {
        for case_id in std::mem::take(&mut self.reindex) {
            let row = self
                .tx
                .query_row("SELECT * FROM cases WHERE id = ?1", [case_id], |r| {
                    chain::row_json(r, true)
                })?;
            if !self.pending_search_at.contains_key(&case_id) {
                search::delete(&self.tx, case_id)?;
            }
            self.index_case(search::Row::new(case_id, &row));
        }
        Ok(())
    }

    /// A search row of a visit, report or meeting, written at commit.
    pub(super) fn index_later(&mut self, row: search::Row) {
        self.pending_record_search.push(row);
    }

    /// Set the fields an event sets on an existing case: merged with the fields set before in
    /// this write, written by `write_cases`.
    fn apply(
        &mut self,
        case_id: i64,
        set: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<()> {
        if set.is_empty() {
            return Ok(());
        }
        if let Some(column) = set
            .keys()
            .find(|c| !CASE_COLUMNS.contains(&c.as_str()) || *c == "year" || *c == "seq")
        {
            return Err(StoreError::Refused(Refusal(format!(
                "内部错误：事件要改动不存在或不可改动的字段 {column}"
            ))));
        }
        let i = match self.unwritten_at.get(&case_id) {
            Some(i) => *i,
            None => {
                self.unwritten.push((case_id, serde_json::Map::new()));
                self.unwritten_at.insert(case_id, self.unwritten.len() - 1);
                self.unwritten.len() - 1
            }
        };
        let merged = &mut self.unwritten[i].1;
        for (column, value) in set {
            merged.insert(column.clone(), value.clone());
        }
        // Sent to a unit: the centers whose search finds the case change with it.
        if let Some(unit) = set.get("unit") {
            match self.pending_search_at.get(&case_id) {
                Some(at) => self.pending_search[*at].sent_to(unit.as_str()),
                None => self.reindex_later(case_id),
            }
        }
        if let Some(row) = self.acted.get_mut(&case_id) {
            for (i, column) in ACTED_COLUMNS.iter().enumerate() {
                if let Some(value) = set.get(*column) {
                    row[i] = value.clone();
                }
            }
        }
        Ok(())
    }

    /// Persist one event on a case: its fields, its statistics, its place on the chain.
    fn persist(
        &mut self,
        case_id: i64,
        who: &Account,
        now: &DateTime<FixedOffset>,
        e: &Effects,
    ) -> Result<()> {
        self.move_stats(case_id, &e.set)?;
        self.apply(case_id, &e.set)?;
        self.record(Some(case_id), None, who, now, e)
    }

    /// Register a checked case; returns its row id and key.
    pub fn register(
        &mut self,
        c: &NewCase,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<(i64, CaseKey)> {
        let account = who.account();
        authorize(account, Op::Register)?;
        authorize_case(
            account,
            "新案件",
            &c.town,
            &c.village,
            c.unit.as_deref(),
            self.config,
        )?;
        let year = chrono::Datelike::year(&now);
        // Whether the person came before reads the ID numbers and phones of the register.
        if self
            .unwritten
            .iter()
            .any(|(_, set)| set.contains_key("id_number") || set.contains_key("phone"))
        {
            self.write_cases()?;
        }
        let repeat: bool = self
            .tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM cases WHERE id_number = ?1)
                     OR EXISTS (SELECT 1 FROM cases WHERE phone = ?2)",
            )?
            .query_row(
                params![
                    c.id_number.as_ref().map(IdNumber::as_str),
                    c.phone.as_ref().map(Phone::as_str)
                ],
                |r| r.get(0),
            )?;
        let mut events = registration(c, now, repeat, account, self.config)?;
        let seq = self.next_number("case", year)?;
        let case_no = self.config.case_number(year, seq);
        let first = events.remove(0);
        let first = first
            .set("year", year)
            .set("seq", seq)
            .set("case_no", case_no.as_str());
        let columns: Vec<&String> = first.set.keys().collect();
        for c in &columns {
            if !CASE_COLUMNS.contains(&c.as_str()) {
                return Err(StoreError::Refused(Refusal(format!(
                    "内部错误：登记要写入不存在的字段 {c}"
                ))));
            }
        }
        let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO cases ({}) VALUES ({})",
            columns
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            placeholders.join(", ")
        );
        let values: Vec<rusqlite::types::Value> = first.set.values().map(chain::to_sql).collect();
        self.tx
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values.iter()))?;
        let id = self.tx.last_insert_rowid();
        let mut stat = CaseStat::default();
        stat.apply(&first.set).map_err(StoreError::Undecodable)?;
        self.touched.push((id, None, stat));
        self.stat_cache.insert(id, self.touched.len() - 1);
        self.index_case(search::Row::new(id, &first.set));
        let row = ACTED_COLUMNS
            .iter()
            .map(|c| match *c {
                "id" => serde_json::Value::from(id),
                c => first.set.get(c).cloned().unwrap_or(serde_json::Value::Null),
            })
            .collect();
        self.acted.insert(id, row);
        self.acted_key.insert(CaseKey { year, seq }, id);
        self.record(Some(id), None, account, &now, &first)?;
        for e in &events {
            self.persist(id, account, &now, e)?;
        }
        Ok((id, CaseKey { year, seq }))
    }

    /// What an action needs to know of a case: a narrow read, since bulk loads do this often,
    /// and none at all for a case this write has touched.
    fn load(&mut self, key: CaseKey) -> Result<Current> {
        if let Some(row) = self.acted_key.get(&key).and_then(|id| self.acted.get(id)) {
            return Current::decode(row).map_err(StoreError::from);
        }
        self.write_cases()?;
        let row: Vec<serde_json::Value> = self
            .tx
            .prepare_cached(&format!(
                "SELECT {} FROM cases WHERE year = ?1 AND seq = ?2",
                ACTED_COLUMNS.join(", ")
            ))?
            .query_row(params![key.year, key.seq], |r| {
                (0..ACTED_COLUMNS.len())
                    .map(|i| {
                        chain::to_json(r.get_ref(i)?).map_err(|e| {
                            rusqlite::Error::FromSqlConversionFailure(
                                i,
                                rusqlite::types::Type::Blob,
                                e.into(),
                            )
                        })
                    })
                    .collect()
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound(key.to_string()))?;
        let current = Current::decode(&row)?;
        self.acted.insert(current.id, row);
        self.acted_key.insert(key, current.id);
        Ok(current)
    }

    /// Take an action on a case, if the account may and the lifecycle allows it.
    pub fn act(
        &mut self,
        key: CaseKey,
        action: &Action,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        self.act_noted(key, action, who, now, &[])
    }

    /// As `act`, with notes added to the event (a confirmation, say).
    pub fn act_noted(
        &mut self,
        key: CaseKey,
        action: &Action,
        who: &Session,
        now: DateTime<FixedOffset>,
        notes: &[(&str, &str)],
    ) -> Result<()> {
        let notes: Vec<(&str, serde_json::Value)> =
            notes.iter().map(|(k, v)| (*k, (*v).into())).collect();
        self.act_with(key, action, who, now, &notes)
    }

    /// As `act_noted`, with notes of any JSON value (a 督办通知单's number and series).
    pub(super) fn act_with(
        &mut self,
        key: CaseKey,
        action: &Action,
        who: &Session,
        now: DateTime<FixedOffset>,
        notes: &[(&str, serde_json::Value)],
    ) -> Result<()> {
        let account = who.account();
        authorize(account, Op::Act(action.kind()))?;
        for (label, value, multiline, max) in crate::domain::texts(action, &self.config.limits) {
            crate::domain::check_text(label, value.trim(), multiline, max, &self.printable)
                .map_err(Refusal)?;
        }
        let case = self.load(key)?;
        authorize_case(
            account,
            &case.facts.case_no,
            &case.town,
            &case.village,
            case.facts.unit.as_deref(),
            self.config,
        )?;
        let target = match action {
            Action::Merge { into } => Some(self.load(*into)?),
            _ => None,
        };
        let planned = effects(
            &case.facts,
            action,
            now,
            self.config,
            &account.real_name,
            target.as_ref().map(|t| &t.facts),
        )?;
        let mut on_case = planned.on_case;
        if let Some(t) = &target {
            on_case = on_case.set("duplicate_of", t.id);
        }
        for (k, v) in notes {
            on_case = on_case.note(k, v.clone());
        }
        self.persist(case.id, account, &now, &on_case)?;
        if let (Some(t), Some(e)) = (&target, &planned.on_target) {
            self.persist(t.id, account, &now, e)?;
        }
        Ok(())
    }

    /// Record that something was printed or attached: an event that sets no case field.
    pub(super) fn note_event(
        &mut self,
        case_id: i64,
        who: &Account,
        now: &DateTime<FixedOffset>,
        e: &Effects,
    ) -> Result<()> {
        self.persist(case_id, who, now, e)
    }
}

/// What `Writer::act` reads of a case.
struct Current {
    id: i64,
    town: String,
    village: String,
    facts: CaseFacts,
}

impl Current {
    /// From the values of `ACTED_COLUMNS`, as a row stores them.
    fn decode(v: &[serde_json::Value]) -> rusqlite::Result<Current> {
        use serde_json::Value;
        let text = |i: usize| -> rusqlite::Result<String> {
            v[i].as_str()
                .map(str::to_string)
                .ok_or_else(|| damaged(ACTED_COLUMNS[i], &v[i].to_string()))
        };
        let opt_text = |i: usize| -> rusqlite::Result<Option<String>> {
            match &v[i] {
                Value::Null => Ok(None),
                _ => text(i).map(Some),
            }
        };
        let int = |i: usize| -> rusqlite::Result<Option<i64>> {
            match &v[i] {
                Value::Null => Ok(None),
                Value::Bool(b) => Ok(Some(i64::from(*b))),
                Value::Number(n) => n
                    .as_i64()
                    .map(Some)
                    .ok_or_else(|| damaged(ACTED_COLUMNS[i], &n.to_string())),
                other => Err(damaged(ACTED_COLUMNS[i], &other.to_string())),
            }
        };
        let need = |i: usize| -> rusqlite::Result<i64> {
            int(i)?.ok_or_else(|| damaged(ACTED_COLUMNS[i], "空"))
        };
        Ok(Current {
            id: need(0)?,
            town: text(12)?,
            village: text(13)?,
            facts: CaseFacts {
                case_no: text(1)?,
                status: code("status", need(2)?, Status::from_code)?,
                route: code("route", need(3)?, Route::from_code)?,
                category: text(4)?,
                received_date: date("received_date", &text(5)?)?,
                due_date: date("due_date", &text(6)?)?,
                extended: !v[7].is_null(),
                unit: opt_text(8)?,
                on_time: int(9)?.map(|n| n != 0),
                satisfaction: opt_code("fu_satisfaction", int(10)?, Satisfaction::from_code)?,
                decline_reason: opt_text(11)?,
            },
        })
    }
}

pub(super) fn case_from_row(r: &Row) -> rusqlite::Result<Case> {
    case_from_row_at(r, &CaseColumns::of(r.as_ref())?)
}

/// Where each field of a case is among a statement's columns, found once per statement: a
/// lookup by name is a pass over the statement's column names, and a case has 46 fields.
macro_rules! case_columns {
    ($($field:ident),* $(,)?) => {
        pub(super) struct CaseColumns {
            $($field: usize,)*
        }

        impl CaseColumns {
            pub(super) fn of(stmt: &rusqlite::Statement) -> rusqlite::Result<CaseColumns> {
                Ok(CaseColumns {
                    $($field: stmt.column_index(stringify!($field))?,)*
                })
            }
        }
    };
}

case_columns!(
    id,
    year,
    seq,
    case_no,
    received_at,
    channel,
    clerk,
    name,
    gender,
    birth_date,
    id_number,
    phone,
    town,
    village,
    address,
    group_size,
    representatives,
    category,
    request,
    facts,
    reasons,
    place,
    urgent,
    legal,
    repeat,
    route,
    level,
    unit,
    due_date,
    due_basis,
    ext_days,
    ext_previous_due,
    ext_reason,
    ext_approver,
    status,
    outcome,
    result,
    result_basis,
    closed_at,
    on_time,
    fu_date,
    fu_way,
    fu_satisfaction,
    fu_notes,
    decline_reason,
    updated_at,
);

/// A case from a row whose columns `c` has found.
pub(super) fn case_from_row_at(r: &Row, c: &CaseColumns) -> rusqlite::Result<Case> {
    let s = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let opt = |i: usize| -> rusqlite::Result<Option<String>> { r.get(i) };
    let due_date = date("due_date", &s(c.due_date)?)?;
    let extension = match r.get::<_, Option<u32>>(c.ext_days)? {
        Some(days) => Some(Extension {
            days,
            previous_due: date("ext_previous_due", &s(c.ext_previous_due)?)?,
            new_due: due_date,
            reason: s(c.ext_reason)?,
            approver: s(c.ext_approver)?,
        }),
        None => None,
    };
    let resolution = match opt(c.closed_at)? {
        Some(closed_at) => Some(Resolution {
            outcome: code("outcome", r.get(c.outcome)?, Outcome::from_code)?,
            result: s(c.result)?,
            basis: opt(c.result_basis)?.unwrap_or_default(),
            closed_at: time("closed_at", &closed_at)?,
            on_time: r.get(c.on_time)?,
        }),
        None => None,
    };
    let follow_up = match opt(c.fu_date)? {
        Some(d) => Some(FollowUp {
            date: date("fu_date", &d)?,
            way: s(c.fu_way)?,
            satisfaction: code(
                "fu_satisfaction",
                r.get(c.fu_satisfaction)?,
                Satisfaction::from_code,
            )?,
            notes: opt(c.fu_notes)?.unwrap_or_default(),
        }),
        None => None,
    };
    let representatives = s(c.representatives)?;
    Ok(Case {
        id: r.get(c.id)?,
        key: CaseKey {
            year: r.get(c.year)?,
            seq: r.get(c.seq)?,
        },
        case_no: s(c.case_no)?,
        received_at: time("received_at", &s(c.received_at)?)?,
        channel: s(c.channel)?,
        clerk: s(c.clerk)?,
        person: Person {
            name: s(c.name)?,
            gender: r
                .get::<_, Option<bool>>(c.gender)?
                .map(|female| if female { Gender::Female } else { Gender::Male }),
            birth_date: opt(c.birth_date)?
                .map(|d| date("birth_date", &d))
                .transpose()?,
            id_number: opt(c.id_number)?
                .map(|i| IdNumber::parse(&i).map_err(|_| damaged("id_number", &i)))
                .transpose()?,
            phone: opt(c.phone)?
                .map(|p| Phone::parse(&p).map_err(|_| damaged("phone", &p)))
                .transpose()?,
            town: s(c.town)?,
            village: s(c.village)?,
            address: s(c.address)?,
        },
        group_size: r.get(c.group_size)?,
        representatives: serde_json::from_str(&representatives)
            .map_err(|_| damaged("representatives", &representatives))?,
        category: s(c.category)?,
        request: s(c.request)?,
        facts: s(c.facts)?,
        reasons: s(c.reasons)?,
        place: s(c.place)?,
        urgent: r.get(c.urgent)?,
        legal: r.get(c.legal)?,
        repeat: r.get(c.repeat)?,
        route: code("route", r.get(c.route)?, Route::from_code)?,
        level: opt_code("level", r.get(c.level)?, Level::from_code)?,
        unit: opt(c.unit)?,
        due_date,
        due_basis: s(c.due_basis)?,
        extension,
        status: code("status", r.get(c.status)?, Status::from_code)?,
        resolution,
        follow_up,
        decline_reason: opt(c.decline_reason)?,
        duplicate_of: None,
        duplicates: Vec::new(),
        updated_at: time("updated_at", &s(c.updated_at)?)?,
    })
}

/// One timeline event from its stored row (`at, actor_name, kind, data`).
pub(super) fn event_from_row(r: &Row) -> rusqlite::Result<Event> {
    let kind = code("kind", r.get(2)?, EventKind::from_code)?;
    let text: String = r.get(3)?;
    let data: serde_json::Value =
        serde_json::from_str(&text).map_err(|_| damaged("data", &text))?;
    Ok(Event {
        at: time("at", &r.get::<_, String>(0)?)?,
        actor: r.get(1)?,
        action: action_label(kind, &data),
        details: describe(kind, &data),
        kind,
    })
}

impl Store {
    /// Check and register one case, durably; returns it as stored.
    pub fn register(
        &mut self,
        input: &NewCaseInput,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<Case> {
        // The store knows no fonts: the front ends check printability before they call this.
        let checked = validate_new_case(input, self.config(), now, &self.printable)
            .map_err(StoreError::Invalid)?;
        let mut w = self.write()?;
        let (_, key) = w.register(&checked, who, now)?;
        w.commit()?;
        tracing::info!(%key, actor = who.login(), "registered");
        self.case(key)
    }

    /// Take an action on a case, durably; returns the case as it is now.
    pub fn act(
        &mut self,
        key: CaseKey,
        action: &Action,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<Case> {
        self.act_confirmed(key, action, who, None, now)
    }

    /// As `act`; 归档 of a case missing required evidence needs `confirmer`, a 值班长, whose
    /// confirmation goes on the timeline.
    pub fn act_confirmed(
        &mut self,
        key: CaseKey,
        action: &Action,
        who: &Session,
        confirmer: Option<&Session>,
        now: DateTime<FixedOffset>,
    ) -> Result<Case> {
        let confirmed = match action {
            Action::Archive { .. } => self.confirm_missing(key, confirmer)?,
            _ => None,
        };
        let notes: Vec<(&str, &str)> = match &confirmed {
            Some((missing, by)) => vec![("missing_evidence", missing), ("confirmed_by", by)],
            None => Vec::new(),
        };
        let mut w = self.write()?;
        w.act_noted(key, action, who, now, &notes)?;
        w.commit()?;
        tracing::info!(%key, actor = who.login(), action = action.kind().verb(), "acted");
        self.case(key)
    }

    /// 更正 one registered field of a case, with the reason; the old and new values go on the
    /// timeline. A clerk may correct what they registered on the same day, a 值班长 anything.
    pub fn correct(
        &mut self,
        key: CaseKey,
        (field, value, reason): (&str, &str, &str),
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<Case> {
        let case = self.case(key)?;
        let account = who.account();
        let (clerk_id, registered_at): (Option<i64>, String) = self.conn.query_row(
            "SELECT clerk_id, registered_at FROM cases WHERE id = ?1",
            [case.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let own_today = clerk_id == Some(account.id)
            && time("registered_at", &registered_at)?.date_naive() == now.date_naive();
        if own_today {
            authorize(account, Op::CorrectOwnSameDay)?;
        } else if authorize(account, Op::CorrectAny).is_err() {
            authorize(account, Op::CorrectOwnSameDay)?;
            return Err(StoreError::Refused(Refusal(format!(
                "{}（{}）只能更正本人当天登记的案件；{} 须由值班长或管理员更正",
                account.real_name,
                account.role.label(),
                case.case_no
            ))));
        }
        authorize_case(
            account,
            &case.case_no,
            &case.person.town,
            &case.person.village,
            case.unit.as_deref(),
            self.config(),
        )?;
        let e = crate::domain::correction_effects(
            &case,
            field,
            value,
            reason,
            now,
            self.config(),
            &self.printable,
        )
        .map_err(|e| match e {
            crate::domain::CorrectionError::Invalid(list) => StoreError::Invalid(list),
            crate::domain::CorrectionError::Refused(r) => StoreError::Refused(r),
        })?;
        let mut w = self.write()?;
        w.persist(case.id, account, &now, &e)?;
        if e.set.keys().any(|k| search::SEARCHED.contains(&k.as_str())) {
            w.reindex_later(case.id);
        }
        w.commit()?;
        tracing::info!(%key, actor = who.login(), field, "corrected");
        self.case(key)
    }

    /// One case with its links to duplicates.
    pub fn case(&self, key: CaseKey) -> Result<Case> {
        let mut case = self
            .conn
            .query_row(
                "SELECT * FROM cases WHERE year = ?1 AND seq = ?2",
                params![key.year, key.seq],
                case_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(key.to_string()))?;
        case.duplicate_of = self
            .conn
            .query_row(
                "SELECT t.year, t.seq FROM cases c JOIN cases t ON t.id = c.duplicate_of WHERE c.id = ?1",
                [case.id],
                |r| Ok(CaseKey { year: r.get(0)?, seq: r.get(1)? }),
            )
            .optional()?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT year, seq FROM cases WHERE duplicate_of = ?1 ORDER BY id")?;
        case.duplicates = stmt
            .query_map([case.id], |r| {
                Ok(CaseKey {
                    year: r.get(0)?,
                    seq: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(case)
    }

    /// The timeline of a case, oldest first.
    pub fn timeline(&self, key: CaseKey) -> Result<Vec<Event>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.at, e.actor_name, e.kind, e.data FROM events e
             JOIN cases c ON c.id = e.case_id WHERE c.year = ?1 AND c.seq = ?2 ORDER BY e.id",
        )?;
        let events = stmt
            .query_map(params![key.year, key.seq], event_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(events)
    }

    /// Earlier cases with the same ID number, phone or name, newest first: a repeat visit must be
    /// seen before saving.
    pub fn earlier_cases(
        &self,
        id_number: Option<&str>,
        phone: Option<&str>,
        name: Option<&str>,
        limit: usize,
    ) -> Result<Vec<PersonMatch>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {cols}, id_number = ?1, phone = ?2, name = ?3 FROM cases
             WHERE id IN (SELECT id FROM cases WHERE id_number = ?1
                          UNION SELECT id FROM cases WHERE phone = ?2
                          UNION SELECT id FROM cases WHERE name = ?3)
             ORDER BY id DESC LIMIT ?4",
            cols = super::board::ROW_COLUMNS
        ))?;
        let n = super::board::ROW_COLUMN_COUNT;
        let rows = stmt
            .query_map(params![id_number, phone, name, limit as i64], |r| {
                Ok(PersonMatch {
                    row: super::board::row_from(r)?,
                    by_id: r.get::<_, Option<bool>>(n)?.unwrap_or(false),
                    by_phone: r.get::<_, Option<bool>>(n + 1)?.unwrap_or(false),
                    by_name: r.get::<_, Option<bool>>(n + 2)?.unwrap_or(false),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
