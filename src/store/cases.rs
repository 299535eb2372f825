//! Registering cases, acting on them, and reading them back: the writes go through `Writer`, one
//! transaction that takes the number, writes the case, appends the event and keeps the tallies.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::{Result, Store, StoreError, search};
use crate::clock;
use crate::config::Config;
use crate::domain::{
    Action, Case, CaseFacts, CaseKey, Event, Extension, FollowUp, Gender, IdNumber, Level, NewCase,
    NewCaseInput, Outcome, Person, Phone, Resolution, Route, Satisfaction, Status, transition,
    validate_new_case,
};

/// A write in progress. Dropped without `commit`, it leaves nothing behind.
pub struct Writer<'a> {
    tx: Transaction<'a>,
    config: &'a Config,
    /// Search rows written at commit, all in a few statements: FTS5 flushes its pending terms
    /// at every statement savepoint, so one insert per case among other writes made a tiny
    /// segment per case and merging them dominated bulk loads.
    pending_search: Vec<search::Row>,
}

/// The fields of a case that actions read.
struct Current {
    id: i64,
    case_no: String,
    status: Status,
    route: Route,
    due_date: NaiveDate,
    extended: bool,
    unit: Option<String>,
    category: String,
    on_time: Option<bool>,
    satisfaction: Option<Satisfaction>,
}

/// An earlier case of the person being registered, and what matched.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonMatch {
    pub row: super::BoardRow,
    pub by_id: bool,
    pub by_phone: bool,
    pub by_name: bool,
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn time(s: &str) -> DateTime<FixedOffset> {
    clock::parse(s).unwrap_or_default()
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl<'a> Writer<'a> {
    pub(super) fn new(tx: Transaction<'a>, config: &'a Config) -> Writer<'a> {
        Writer {
            tx,
            config,
            pending_search: Vec::new(),
        }
    }

    pub fn commit(self) -> Result<()> {
        search::insert(&self.tx, &self.pending_search)?;
        self.tx.commit()?;
        Ok(())
    }

    /// Take the next number of a series for a year; part of the caller's transaction, so a
    /// rolled-back write leaves no gap.
    fn next_number(&self, series: &str, year: i32) -> Result<u32> {
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

    /// Statements are cached: bulk loads run the same few thousands of times.
    fn exec(&self, sql: &str, params: impl rusqlite::Params) -> Result<usize> {
        Ok(self.tx.prepare_cached(sql)?.execute(params)?)
    }

    fn tally(&self, name: &str, delta: i64) -> Result<()> {
        if delta != 0 {
            self.exec(
                "UPDATE tallies SET n = n + ?2 WHERE name = ?1",
                params![name, delta],
            )?;
        }
        Ok(())
    }

    fn event(
        &self,
        case_id: i64,
        at: &DateTime<FixedOffset>,
        actor: &str,
        action: &str,
        details: &str,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO events (case_id, at, actor, action, details) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![case_id, clock::format(at), actor, action, details])?;
        Ok(())
    }

    /// Register a checked case; returns its key.
    pub fn register(
        &mut self,
        c: &NewCase,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<(i64, CaseKey)> {
        let received = c.received_at.unwrap_or(now);
        let year = chrono::Datelike::year(&now);
        let seq = self.next_number("case", year)?;
        let case_no = self.config.case_number(year, seq);
        let rule = self.config.deadline_rule(c.route, &c.category);
        let due = self.config.calendar.due(received.date_naive(), rule.span);
        let basis = if rule.basis.trim().is_empty() {
            rule.span.label()
        } else {
            rule.basis.clone()
        };
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
        let representatives =
            serde_json::to_string(&c.representatives).unwrap_or_else(|_| "[]".into());
        self.tx
            .prepare_cached(
                "INSERT INTO cases (year, seq, case_no, received_at, received_date, registered_at,
                    channel, clerk, name, gender, birth_date, id_number, phone, town, village, address,
                    group_size, representatives, category, request, facts, reasons, place,
                    urgent, legal, repeat, route, level, unit, due_date, due_basis, status, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?6)",
            )?
            .execute(params![
                year,
                seq,
                case_no,
                clock::format(&received),
                day(received.date_naive()),
                clock::format(&now),
                c.channel,
                actor,
                c.name,
                c.gender.map(|g| g == Gender::Female),
                c.birth_date.map(day),
                c.id_number.as_ref().map(IdNumber::as_str),
                c.phone.as_ref().map(Phone::as_str),
                c.town,
                c.village,
                c.address,
                c.group_size,
                representatives,
                c.category,
                c.request,
                c.facts,
                c.reasons,
                c.place,
                c.urgent,
                c.legal,
                repeat,
                c.route.code(),
                c.level.map(|l| l.code()),
                c.unit,
                day(due.date),
                basis,
                Status::Registered.code(),
            ])?;
        let id = self.tx.last_insert_rowid();
        self.pending_search.push(search::Row::new(id, c));
        let mut details = format!(
            "{}受理，{}，{}，办理期限至{}",
            c.channel,
            c.category,
            c.route.label(),
            due.date.format("%Y-%m-%d")
        );
        if let Some(w) = due.warning() {
            details.push('；');
            details.push_str(&w);
        }
        self.event(id, &now, actor, "登记", &details)?;
        if c.route != Route::OnTheSpot
            && let Some(unit) = &c.unit
        {
            // A unit chosen at the counter is a dispatch in the same breath.
            let level = c.level.unwrap_or(self.config.center.level);
            self.dispatch(id, level, unit, "", actor, &now)?;
        }
        self.tally("received", 1)?;
        Ok((id, CaseKey { year, seq }))
    }

    fn dispatch(
        &self,
        id: i64,
        level: Level,
        unit: &str,
        note: &str,
        actor: &str,
        now: &DateTime<FixedOffset>,
    ) -> Result<()> {
        self.exec(
            "UPDATE cases SET status = ?2, level = ?3, unit = ?4, updated_at = ?5 WHERE id = ?1",
            params![
                id,
                Status::Dispatched.code(),
                level.code(),
                unit,
                clock::format(now)
            ],
        )?;
        let mut details = format!("分流至{unit}（{}级）", level.label());
        if !note.trim().is_empty() {
            details.push('：');
            details.push_str(note.trim());
        }
        self.event(id, now, actor, "分流", &details)
    }

    /// What an action needs to know of a case: a narrow read, since bulk loads do this often.
    fn load(&self, key: CaseKey) -> Result<Current> {
        self.tx
            .prepare_cached(
                "SELECT id, case_no, status, route, due_date, ext_days IS NOT NULL, unit, category,
                        on_time, fu_satisfaction
                 FROM cases WHERE year = ?1 AND seq = ?2",
            )?
            .query_row(params![key.year, key.seq], |r| {
                Ok(Current {
                    id: r.get(0)?,
                    case_no: r.get(1)?,
                    status: Status::from_code(r.get(2)?).unwrap_or(Status::Registered),
                    route: Route::from_code(r.get(3)?).unwrap_or(Route::Timed),
                    due_date: date(&r.get::<_, String>(4)?),
                    extended: r.get(5)?,
                    unit: r.get(6)?,
                    category: r.get(7)?,
                    on_time: r.get(8)?,
                    satisfaction: r
                        .get::<_, Option<i64>>(9)?
                        .and_then(Satisfaction::from_code),
                })
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound(key.to_string()))
    }

    /// Take an action on a case, if the lifecycle allows it.
    pub fn act(
        &mut self,
        key: CaseKey,
        action: &Action,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let case = self.load(key)?;
        let today = now.date_naive();
        let facts = CaseFacts {
            status: case.status,
            route: case.route,
            due_date: case.due_date,
            extended: case.extended,
        };
        let next = transition(facts, action, today, &self.config.limits)?.to;
        let id = case.id;
        let at = clock::format(&now);
        let set_status = |w: &Writer| -> Result<()> {
            w.exec(
                "UPDATE cases SET status = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, next.code(), at],
            )?;
            Ok(())
        };
        let label = action.kind().label();
        match action {
            Action::Dispatch { level, unit, note } => {
                if !self.config.is_unit(unit.trim()) {
                    return Err(StoreError::Refused(crate::domain::Refusal(format!(
                        "「{}」不在责任单位清单中",
                        unit.trim()
                    ))));
                }
                self.dispatch(id, *level, unit.trim(), note, actor, &now)?;
            }
            Action::Accept { note } => {
                set_status(self)?;
                let unit = case.unit.clone().unwrap_or_default();
                self.event(id, &now, actor, label, &join(&format!("{unit}签收"), note))?;
            }
            Action::Return { reason } => {
                set_status(self)?;
                let unit = case.unit.clone().unwrap_or_default();
                self.event(
                    id,
                    &now,
                    actor,
                    label,
                    &format!("{unit}退回中心：{}", reason.trim()),
                )?;
            }
            Action::Progress { note } | Action::Urge { note } => {
                set_status(self)?;
                self.event(id, &now, actor, label, note.trim())?;
            }
            Action::Extend {
                days,
                reason,
                approver,
            } => {
                let new_due = self.config.calendar.add_days(case.due_date, *days);
                self.exec(
                    "UPDATE cases SET due_date = ?2, ext_days = ?3, ext_previous_due = ?4,
                        ext_reason = ?5, ext_approver = ?6, updated_at = ?7 WHERE id = ?1",
                    params![
                        id,
                        day(new_due),
                        days,
                        day(case.due_date),
                        reason.trim(),
                        approver.trim(),
                        at
                    ],
                )?;
                self.event(
                    id,
                    &now,
                    actor,
                    label,
                    &format!(
                        "延期{days}日，期限由{}延至{}，理由：{}，批准人：{}",
                        case.due_date.format("%Y-%m-%d"),
                        new_due.format("%Y-%m-%d"),
                        reason.trim(),
                        approver.trim()
                    ),
                )?;
            }
            Action::Close {
                outcome,
                result,
                basis,
            } => {
                let on_time = today <= case.due_date;
                self.exec(
                    "UPDATE cases SET status = ?2, outcome = ?3, result = ?4, result_basis = ?5,
                        closed_at = ?6, on_time = ?7, updated_at = ?6 WHERE id = ?1",
                    params![
                        id,
                        next.code(),
                        outcome.code(),
                        result.trim(),
                        basis.trim(),
                        at,
                        on_time
                    ],
                )?;
                self.tally("closed", 1)?;
                self.tally("on_time", i64::from(on_time))?;
                let late = if on_time { "" } else { "（超期办结）" };
                self.event(
                    id,
                    &now,
                    actor,
                    label,
                    &format!("{}：{}{late}", outcome.label(), result.trim()),
                )?;
            }
            Action::FollowUp {
                date,
                way,
                satisfaction,
                notes,
            } => {
                self.exec(
                    "UPDATE cases SET status = ?2, fu_date = ?3, fu_way = ?4, fu_satisfaction = ?5,
                        fu_notes = ?6, updated_at = ?7 WHERE id = ?1",
                    params![
                        id,
                        next.code(),
                        day(*date),
                        way.trim(),
                        satisfaction.code(),
                        notes.trim(),
                        at
                    ],
                )?;
                self.tally("followed_up", 1)?;
                self.tally("satisfied", i64::from(satisfaction.is_satisfied()))?;
                self.event(
                    id,
                    &now,
                    actor,
                    label,
                    &join(
                        &format!("{}回访，{}", way.trim(), satisfaction.label()),
                        notes,
                    ),
                )?;
            }
            Action::Archive { note } => {
                set_status(self)?;
                self.event(id, &now, actor, label, note.trim())?;
            }
            Action::Reopen { reason } => {
                if let Some(on_time) = case.on_time {
                    self.tally("closed", -1)?;
                    self.tally("on_time", -i64::from(on_time))?;
                }
                if let Some(satisfaction) = case.satisfaction {
                    self.tally("followed_up", -1)?;
                    self.tally("satisfied", -i64::from(satisfaction.is_satisfied()))?;
                }
                let rule = self.config.deadline_rule(case.route, &case.category);
                let due = self.config.calendar.due(today, rule.span);
                self.exec(
                    "UPDATE cases SET status = ?2, outcome = NULL, result = NULL, result_basis = NULL,
                        closed_at = NULL, on_time = NULL, fu_date = NULL, fu_way = NULL,
                        fu_satisfaction = NULL, fu_notes = NULL, due_date = ?3, updated_at = ?4
                     WHERE id = ?1",
                    params![id, next.code(), day(due.date), at],
                )?;
                self.event(
                    id,
                    &now,
                    actor,
                    label,
                    &format!(
                        "{}；重新办理，期限至{}",
                        reason.trim(),
                        due.date.format("%Y-%m-%d")
                    ),
                )?;
            }
            Action::Decline { reason } => {
                self.exec(
                    "UPDATE cases SET status = ?2, decline_reason = ?3, updated_at = ?4 WHERE id = ?1",
                    params![id, next.code(), reason.trim(), at],
                )?;
                self.event(id, &now, actor, label, reason.trim())?;
            }
            Action::Merge { into } => {
                let target = self.load(*into)?;
                if target.id == id {
                    return Err(StoreError::Refused(crate::domain::Refusal(
                        "不能合并到案件自身".into(),
                    )));
                }
                if target.status == Status::Merged {
                    return Err(StoreError::Refused(crate::domain::Refusal(format!(
                        "{} 本身已合并到其他案件，请合并到最早的案件",
                        target.case_no
                    ))));
                }
                self.exec(
                    "UPDATE cases SET status = ?2, duplicate_of = ?3, updated_at = ?4 WHERE id = ?1",
                    params![id, next.code(), target.id, at],
                )?;
                self.exec(
                    "UPDATE cases SET updated_at = ?2 WHERE id = ?1",
                    params![target.id, at],
                )?;
                self.event(
                    id,
                    &now,
                    actor,
                    label,
                    &format!("作为重复件合并至{}", target.case_no),
                )?;
                self.event(
                    target.id,
                    &now,
                    actor,
                    label,
                    &format!("合并重复件{}", case.case_no),
                )?;
            }
        }
        Ok(())
    }
}

fn join(head: &str, note: &str) -> String {
    if note.trim().is_empty() {
        head.to_string()
    } else {
        format!("{head}：{}", note.trim())
    }
}

pub(super) fn case_from_row(r: &Row) -> rusqlite::Result<Case> {
    let s = |name: &str| -> rusqlite::Result<String> { r.get(name) };
    let opt = |name: &str| -> rusqlite::Result<Option<String>> { r.get(name) };
    let route: i64 = r.get("route")?;
    let status: i64 = r.get("status")?;
    let extension = match r.get::<_, Option<u32>>("ext_days")? {
        Some(days) => Some(Extension {
            days,
            previous_due: date(&s("ext_previous_due")?),
            new_due: date(&s("due_date")?),
            reason: s("ext_reason")?,
            approver: s("ext_approver")?,
        }),
        None => None,
    };
    let resolution = match opt("closed_at")? {
        Some(closed_at) => Some(Resolution {
            outcome: Outcome::from_code(r.get("outcome")?).unwrap_or(Outcome::Explained),
            result: s("result")?,
            basis: opt("result_basis")?.unwrap_or_default(),
            closed_at: time(&closed_at),
            on_time: r.get("on_time")?,
        }),
        None => None,
    };
    let follow_up = match opt("fu_date")? {
        Some(d) => Some(FollowUp {
            date: date(&d),
            way: s("fu_way")?,
            satisfaction: Satisfaction::from_code(r.get("fu_satisfaction")?)
                .unwrap_or(Satisfaction::Satisfied),
            notes: opt("fu_notes")?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Case {
        id: r.get("id")?,
        key: CaseKey {
            year: r.get("year")?,
            seq: r.get("seq")?,
        },
        case_no: s("case_no")?,
        received_at: time(&s("received_at")?),
        channel: s("channel")?,
        clerk: s("clerk")?,
        person: Person {
            name: s("name")?,
            gender: r
                .get::<_, Option<bool>>("gender")?
                .map(|female| if female { Gender::Female } else { Gender::Male }),
            birth_date: opt("birth_date")?.map(|d| date(&d)),
            id_number: opt("id_number")?.and_then(|i| IdNumber::parse(&i).ok()),
            phone: opt("phone")?.and_then(|p| Phone::parse(&p).ok()),
            town: s("town")?,
            village: s("village")?,
            address: s("address")?,
        },
        group_size: r.get("group_size")?,
        representatives: serde_json::from_str(&s("representatives")?).unwrap_or_default(),
        category: s("category")?,
        request: s("request")?,
        facts: s("facts")?,
        reasons: s("reasons")?,
        place: s("place")?,
        urgent: r.get("urgent")?,
        legal: r.get("legal")?,
        repeat: r.get("repeat")?,
        route: Route::from_code(route).unwrap_or(Route::Timed),
        level: r.get::<_, Option<i64>>("level")?.and_then(Level::from_code),
        unit: opt("unit")?,
        due_date: date(&s("due_date")?),
        due_basis: s("due_basis")?,
        extension,
        status: Status::from_code(status).unwrap_or(Status::Registered),
        resolution,
        follow_up,
        decline_reason: opt("decline_reason")?,
        duplicate_of: None,
        duplicates: Vec::new(),
        updated_at: time(&s("updated_at")?),
    })
}

impl Store {
    /// Check and register one case, durably; returns it as stored.
    pub fn register(
        &mut self,
        input: &NewCaseInput,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Case> {
        // The store knows no fonts: the front ends check printability before they call this.
        let checked = validate_new_case(input, self.config(), now, &crate::domain::any_char)
            .map_err(StoreError::Invalid)?;
        let mut w = self.write()?;
        let (_, key) = w.register(&checked, actor, now)?;
        w.commit()?;
        tracing::info!(%key, actor, "registered");
        self.case(key)
    }

    /// Take an action on a case, durably; returns the case as it is now.
    pub fn act(
        &mut self,
        key: CaseKey,
        action: &Action,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Case> {
        let mut w = self.write()?;
        w.act(key, action, actor, now)?;
        w.commit()?;
        tracing::info!(%key, actor, action = action.kind().verb(), "acted");
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
            "SELECT e.at, e.actor, e.action, e.details FROM events e
             JOIN cases c ON c.id = e.case_id WHERE c.year = ?1 AND c.seq = ?2 ORDER BY e.id",
        )?;
        let events = stmt
            .query_map(params![key.year, key.seq], |r| {
                Ok(Event {
                    at: time(&r.get::<_, String>(0)?),
                    actor: r.get(1)?,
                    action: r.get(2)?,
                    details: r.get(3)?,
                })
            })?
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
