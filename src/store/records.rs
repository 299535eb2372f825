//! 一本、一单、一会 in the register: visits, report forms and their triage, meetings with the
//! cases fed back, the revisits and the opinions raised. Every row is written through `Writer`
//! with a chained event that sets it (case_id and account_id NULL, the row's id under the
//! table's key in the payload), so `check` rebuilds these tables from the timeline as it does
//! cases and accounts.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{OptionalExtension, Row, params};
use serde_json::{Map, Value};

use super::cases::{code, date, time};
use super::chain;
use super::{Result, Store, StoreError, Writer, search};
use crate::clock;
use crate::domain::records::{
    Feedback, Meeting, NewMeeting, NewReport, NewVisit, Opinion, RecordKey, Report, ReportBrief,
    ReportStatus, TriageRecord, Visit, meeting_covers,
};
use crate::domain::{
    Account, Action, CaseKey, Center, Effects, EventKind, IdNumber, NewCaseInput, Op, Phone,
    Refusal, Satisfaction, Session, authorize, authorize_case, mask_name, validate_new_case,
};

/// The tables of this module: their names, the payload key that names a row, the columns an
/// event may set (anything else is refused, so no other name reaches SQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
    Visits,
    Reports,
    Meetings,
    MeetingCases,
    MeetingOpinions,
}

impl Table {
    pub(super) const ALL: [Table; 5] = [
        Table::Visits,
        Table::Reports,
        Table::Meetings,
        Table::MeetingCases,
        Table::MeetingOpinions,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            Table::Visits => "visits",
            Table::Reports => "reports",
            Table::Meetings => "meetings",
            Table::MeetingCases => "meeting_cases",
            Table::MeetingOpinions => "meeting_opinions",
        }
    }

    /// The payload key holding the row's id.
    pub(super) fn key(self) -> &'static str {
        match self {
            Table::Visits => "visit",
            Table::Reports => "report",
            Table::Meetings => "meeting",
            Table::MeetingCases => "meeting_case",
            Table::MeetingOpinions => "meeting_opinion",
        }
    }

    /// What a row is called in `check`'s findings.
    pub(super) fn label(self) -> &'static str {
        match self {
            Table::Visits => "走访记录",
            Table::Reports => "民意报告单",
            Table::Meetings => "民心沟通会",
            Table::MeetingCases => "沟通会反馈",
            Table::MeetingOpinions => "沟通会意见",
        }
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Visits => &[
                "visited_on",
                "cadre_id",
                "cadre",
                "cadre_name",
                "companions",
                "name",
                "phone",
                "town",
                "village",
                "grp",
                "address",
                "kind",
                "situation",
                "raised",
                "answered",
                "follow_up",
                "recorded_at",
            ],
            Table::Reports => &[
                "year",
                "seq",
                "report_no",
                "source",
                "reporter",
                "reporter_id",
                "reporter_phone",
                "name",
                "id_number",
                "phone",
                "town",
                "village",
                "address",
                "request",
                "facts",
                "opinion",
                "center",
                "visit_id",
                "meeting_id",
                "received_at",
                "received_date",
                "recorded_at",
                "recorded_by",
                "recorded_by_name",
                "status",
                "triaged_at",
                "triaged_by",
                "triaged_by_name",
                "triage_text",
                "triage_in_time",
                "case_id",
                "prints",
            ],
            Table::Meetings => &[
                "year",
                "seq",
                "meeting_no",
                "title",
                "held_at",
                "place",
                "host",
                "chair",
                "recorder",
                "units",
                "attendance",
                "representatives",
                "town",
                "village",
                "items",
                "plans",
                "recorded_at",
                "recorded_by",
                "recorded_by_name",
                "minutes_prints",
                "notice_prints",
            ],
            Table::MeetingCases => &[
                "meeting_id",
                "case_id",
                "ended_on",
                "town",
                "village",
                "told",
                "satisfaction",
                "revisit_note",
            ],
            Table::MeetingOpinions => &["meeting_id", "seq", "speaker", "text", "report_id"],
        }
    }

    /// The search table's row id of a record of this table.
    fn search_id(self, id: i64) -> Option<i64> {
        match self {
            Table::Visits => Some(id * 4),
            Table::Reports => Some(id * 4 + 1),
            Table::Meetings => Some(id * 4 + 2),
            _ => None,
        }
    }
}

/// A record's search entry from its stored fields (column name → value), as inserted.
fn search_row(table: Table, id: i64, set: &Map<String, Value>) -> Option<search::Row> {
    let rowid = table.search_id(id)?;
    let f = |k: &str| set.get(k).and_then(Value::as_str).unwrap_or("");
    let (name, body) = match table {
        Table::Visits => (
            f("name").to_string(),
            format!(
                "{}\n{}\n{}\n{}",
                f("situation"),
                f("raised"),
                f("answered"),
                f("follow_up")
            ),
        ),
        Table::Reports => (
            format!("{} {}", f("name"), f("reporter")),
            format!("{}\n{}\n{}", f("request"), f("facts"), f("opinion")),
        ),
        _ => (
            format!("{} {}", f("chair"), f("representatives")),
            format!("{}\n{}\n{}", f("title"), f("items"), f("plans")),
        ),
    };
    let address = format!(
        "{} {} {} {}",
        f("town"),
        f("village"),
        f("address"),
        f("place")
    );
    let digits: String = f("phone").chars().filter(char::is_ascii_digit).collect();
    let area = match table {
        Table::Visits => search::record_area(f("town"), f("village"), Some(f("cadre")), None),
        Table::Reports => search::record_area(
            f("town"),
            f("village"),
            Some(f("recorded_by")),
            Some(&crate::domain::Center::from_code(f("center"))),
        ),
        _ => search::record_area(f("town"), f("village"), None, None),
    };
    Some(search::Row::of_texts(
        rowid,
        [&name, &address, &body, &digits, f("id_number")],
        area,
    ))
}

/// Hand every visit's, report's and meeting's search entry to `insert`, a batch at a time, in
/// row id order per table (migration 8 fills the emptied table so).
pub(super) fn rebuild_search(
    tx: &rusqlite::Transaction,
    insert: &mut dyn FnMut(&mut [search::Row]) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    for table in [Table::Visits, Table::Reports, Table::Meetings] {
        let mut stmt = tx.prepare(&format!("SELECT * FROM {} ORDER BY id", table.name()))?;
        let mut rows = stmt.query([])?;
        let mut batch = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get("id")?;
            let set = chain::row_json(r, true)?;
            batch.extend(search_row(table, id, &set));
            if batch.len() == 20_000 {
                insert(&mut batch)?;
                batch.clear();
            }
        }
        insert(&mut batch)?;
    }
    Ok(())
}

fn refused(s: String) -> StoreError {
    StoreError::Refused(Refusal(s))
}

fn opt_str<T: AsRef<str>>(v: Option<T>) -> Value {
    v.map_or(Value::Null, |s| Value::from(s.as_ref()))
}

fn json_list(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

fn list_from(column: &str, text: &str) -> rusqlite::Result<Vec<String>> {
    serde_json::from_str(text).map_err(|_| super::cases::damaged(column, text))
}

impl<'a> Writer<'a> {
    /// Insert a row of one of this module's tables and chain the event that sets it.
    fn insert_record(
        &mut self,
        table: Table,
        e: Effects,
        who: &Account,
        now: &DateTime<FixedOffset>,
    ) -> Result<i64> {
        let columns: Vec<&String> = e.set.keys().collect();
        if let Some(c) = columns
            .iter()
            .find(|c| !table.columns().contains(&c.as_str()))
        {
            return Err(refused(format!(
                "内部错误：{}要写入不存在的字段 {c}",
                table.label()
            )));
        }
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            table.name(),
            columns
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            (1..=columns.len())
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let values: Vec<rusqlite::types::Value> = e.set.values().map(chain::to_sql).collect();
        self.tx_not_cases()
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values.iter()))?;
        let id = self.tx_not_cases().last_insert_rowid();
        self.index_record(table, id, &e.set)?;
        let e = e.note(table.key(), id);
        self.record(None, None, who, now, &e)?;
        Ok(id)
    }

    /// Set fields of an existing row and chain the event.
    fn update_record(
        &mut self,
        table: Table,
        id: i64,
        e: Effects,
        who: &Account,
        now: &DateTime<FixedOffset>,
    ) -> Result<()> {
        let mut assignments = Vec::new();
        let mut values: Vec<rusqlite::types::Value> = vec![rusqlite::types::Value::Integer(id)];
        for (i, (column, value)) in e.set.iter().enumerate() {
            if !table.columns().contains(&column.as_str()) {
                return Err(refused(format!(
                    "内部错误：{}要改动不存在的字段 {column}",
                    table.label()
                )));
            }
            assignments.push(format!("{column} = ?{}", i + 2));
            values.push(chain::to_sql(value));
        }
        if !assignments.is_empty() {
            let sql = format!(
                "UPDATE {} SET {} WHERE id = ?1",
                table.name(),
                assignments.join(", ")
            );
            self.tx_not_cases()
                .prepare_cached(&sql)?
                .execute(rusqlite::params_from_iter(values.iter()))?;
        }
        let e = e.note(table.key(), id);
        self.record(None, None, who, now, &e)
    }

    /// A visit, report or meeting in the search table, as a case is in its own (at commit).
    fn index_record(&mut self, table: Table, id: i64, set: &Map<String, Value>) -> Result<()> {
        if let Some(row) = search_row(table, id, set) {
            self.index_later(row);
        }
        Ok(())
    }

    /// Record a visit and the reports that came of it, in this write.
    pub fn add_visit(
        &mut self,
        v: &NewVisit,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<(i64, Vec<RecordKey>)> {
        let account = who.account();
        authorize(account, Op::RecordVisit)?;
        self.check_area(account, &v.town, &v.village)?;
        let e = Effects::new(EventKind::AddVisit)
            .set("visited_on", v.visited_on.to_string())
            .set("cadre_id", account.id)
            .set("cadre", account.login.as_str())
            .set("cadre_name", account.real_name.as_str())
            .set("companions", json_list(&v.companions))
            .set("name", v.name.as_str())
            .set("phone", opt_str(v.phone.as_ref().map(Phone::as_str)))
            .set("town", v.town.as_str())
            .set("village", v.village.as_str())
            .set("grp", v.group.as_str())
            .set("address", v.address.as_str())
            .set("kind", v.kind.as_str())
            .set("situation", v.situation.as_str())
            .set("raised", v.raised.as_str())
            .set("answered", v.answered.as_str())
            .set("follow_up", v.follow_up.as_str())
            .set("recorded_at", clock::format(&now));
        let id = self.insert_record(Table::Visits, e, account, &now)?;
        let mut keys = Vec::new();
        for r in &v.reports {
            let mut r = r.clone();
            r.visit = Some(id);
            keys.push(self.add_report(&r, who, now, None)?.1);
        }
        Ok((id, keys))
    }

    /// A cadre records only in their own area; the county's people anywhere.
    fn check_area(&self, account: &Account, town: &str, village: &str) -> Result<()> {
        if account.center.covers(town, village, None) {
            Ok(())
        } else {
            Err(refused(format!(
                "{town}{village}不在{}的范围内",
                account.center.label(self.config())
            )))
        }
    }

    /// Record a report form: its number, its row, its event. `meeting` links a report raised
    /// at a 民心沟通会.
    pub fn add_report(
        &mut self,
        r: &NewReport,
        who: &Session,
        now: DateTime<FixedOffset>,
        meeting: Option<i64>,
    ) -> Result<(i64, RecordKey)> {
        let account = who.account();
        authorize(account, Op::RecordReport)?;
        let center = r.center.clone().unwrap_or_else(|| account.center.clone());
        if !r.town.is_empty() {
            self.check_area(account, &r.town, &r.village)?;
        }
        if let Some(visit) = r.visit {
            let cadre: Option<i64> = self
                .tx_not_cases()
                .prepare_cached("SELECT cadre_id FROM visits WHERE id = ?1")?
                .query_row([visit], |row| row.get(0))
                .optional()?;
            match cadre {
                None => return Err(StoreError::Missing(format!("走访记录{visit}"))),
                Some(c) if c != account.id && account.role == crate::domain::Role::Cadre => {
                    return Err(refused(format!("走访记录{visit}不是您记录的")));
                }
                Some(_) => {}
            }
        }
        let received_at = r.received_at.unwrap_or(now);
        let year = chrono::Datelike::year(&received_at);
        let seq = self.next_number("report", year)?;
        let report_no = self.config().report_number(year, seq);
        let (reporter, reporter_id) = if r.reporter.is_empty() {
            (account.real_name.clone(), Some(account.id))
        } else {
            (r.reporter.clone(), None)
        };
        let e = Effects::new(EventKind::AddReport)
            .set("year", year)
            .set("seq", seq)
            .set("report_no", report_no.as_str())
            .set("source", r.source.as_str())
            .set("reporter", reporter.as_str())
            .set("reporter_id", reporter_id)
            .set(
                "reporter_phone",
                opt_str(r.reporter_phone.as_ref().map(Phone::as_str)),
            )
            .set("name", r.name.as_str())
            .set(
                "id_number",
                opt_str(r.id_number.as_ref().map(IdNumber::as_str)),
            )
            .set("phone", opt_str(r.phone.as_ref().map(Phone::as_str)))
            .set("town", r.town.as_str())
            .set("village", r.village.as_str())
            .set("address", r.address.as_str())
            .set("request", r.request.as_str())
            .set("facts", r.facts.as_str())
            .set("opinion", r.opinion.as_str())
            .set("center", center.code())
            .set("visit_id", r.visit)
            .set("meeting_id", meeting)
            .set("received_at", clock::format(&received_at))
            .set("received_date", received_at.date_naive().to_string())
            .set("recorded_at", clock::format(&now))
            .set("recorded_by", account.login.as_str())
            .set("recorded_by_name", account.real_name.as_str())
            .set("status", ReportStatus::Pending.code())
            .set("triaged_at", Value::Null)
            .set("triaged_by", Value::Null)
            .set("triaged_by_name", Value::Null)
            .set("triage_text", Value::Null)
            .set("triage_in_time", Value::Null)
            .set("case_id", Value::Null);
        let id = self.insert_record(Table::Reports, e, account, &now)?;
        Ok((id, RecordKey { year, seq }))
    }

    /// A report that may be triaged by this account: pending, and in its center's area.
    fn pending_report(&self, key: RecordKey, account: &Account) -> Result<Pending> {
        type Row = (i64, String, i64, String, String, String, String);
        let row: Option<Row> = self
            .tx_not_cases()
            .prepare_cached(
                "SELECT id, report_no, status, center, received_date, town, village FROM reports
                 WHERE year = ?1 AND seq = ?2",
            )?
            .query_row(params![key.year, key.seq], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .optional()?;
        let Some((id, no, status, center, received, town, village)) = row else {
            return Err(StoreError::Missing(format!("民意报告单 {key}")));
        };
        let center = Center::from_code(&center);
        if !account.center.contains(&center) {
            return Err(refused(format!(
                "{no} 报送{}，不在{}的范围内",
                center.label(self.config()),
                account.center.label(self.config())
            )));
        }
        let status = code("status", status, ReportStatus::from_code)?;
        if status != ReportStatus::Pending {
            return Err(refused(format!(
                "{no} 已研判（{}），不能再研判",
                status.label()
            )));
        }
        Ok(Pending {
            id,
            no,
            received: date("received_date", &received)?,
            town,
            village,
        })
    }

    /// What triage sets on a report, and whether it came within the limit (working days
    /// after receipt, `records.triage_working_days`); the loop's sums move with it.
    fn triage_effects(
        &mut self,
        p: &Pending,
        status: ReportStatus,
        text: &str,
        case_id: Option<i64>,
        account: &Account,
        now: &DateTime<FixedOffset>,
    ) -> Effects {
        let config = self.config();
        let limit = config
            .calendar
            .add_working_days(p.received, config.records.triage_working_days);
        let in_time = now.date_naive() <= limit;
        self.loop_sums
            .triaged(now.date_naive(), &p.town, &p.village, in_time);
        Effects::new(EventKind::Triage)
            .set("status", status.code())
            .set("triaged_at", clock::format(now))
            .set("triaged_by", account.login.as_str())
            .set("triaged_by_name", account.real_name.as_str())
            .set("triage_text", text)
            .set("triage_in_time", i64::from(in_time))
            .set("case_id", case_id)
            .note("report_no", p.no.as_str())
    }

    /// 研判 ending in 当场答复 (`Answered`, the answer) or 引导 (`Guided`, the channel and why).
    pub fn triage_answer(
        &mut self,
        key: RecordKey,
        status: ReportStatus,
        text: &str,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let account = who.account();
        authorize(account, Op::Triage)?;
        let p = self.pending_report(key, account)?;
        let what = match status {
            ReportStatus::Answered => "答复内容",
            ReportStatus::Guided => "引导的渠道和理由",
            _ => return Err(refused("内部错误：此研判结果须用立案或并案".into())),
        };
        let text = text.trim();
        if text.is_empty() {
            return Err(refused(format!("{what}：必填")));
        }
        crate::domain::check_text(
            what,
            text,
            true,
            self.config().limits.note,
            &self.printable(),
        )
        .map_err(Refusal)?;
        let e = self.triage_effects(&p, status, text, None, account, &now);
        self.update_record(Table::Reports, p.id, e, account, &now)
    }

    /// 研判 ending in 并案: the same matter as an existing case, which records the repeat.
    pub fn triage_merge(
        &mut self,
        key: RecordKey,
        case: CaseKey,
        note: &str,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let account = who.account();
        authorize(account, Op::Triage)?;
        let p = self.pending_report(key, account)?;
        let (case_id, case_no, town, village, unit) = self.case_place(case)?;
        authorize_case(
            account,
            &case_no,
            &town,
            &village,
            unit.as_deref(),
            self.config(),
        )?;
        crate::domain::check_text(
            "说明",
            note.trim(),
            true,
            self.config().limits.note,
            &self.printable(),
        )
        .map_err(Refusal)?;
        let e = self
            .triage_effects(
                &p,
                ReportStatus::Merged,
                note.trim(),
                Some(case_id),
                account,
                &now,
            )
            .note("case_no", case_no.as_str());
        self.update_record(Table::Reports, p.id, e, account, &now)?;
        let link = Effects::new(EventKind::RepeatReport).note("report_no", p.no.as_str());
        self.note_event(case_id, account, &now, &link)
    }

    /// 研判 ending in 立案: the checked case registered, linked both ways, in this write.
    pub fn triage_register(
        &mut self,
        key: RecordKey,
        case: &crate::domain::NewCase,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<CaseKey> {
        let account = who.account();
        authorize(account, Op::Triage)?;
        let p = self.pending_report(key, account)?;
        let (case_id, case_key) = self.register(case, who, now)?;
        let case_no = self.config().case_number(case_key.year, case_key.seq);
        let e = self
            .triage_effects(
                &p,
                ReportStatus::Registered,
                "",
                Some(case_id),
                account,
                &now,
            )
            .note("case_no", case_no.as_str());
        self.update_record(Table::Reports, p.id, e, account, &now)?;
        let link = Effects::new(EventKind::LinkReport).note("report_no", p.no.as_str());
        self.note_event(case_id, account, &now, &link)?;
        Ok(case_key)
    }

    fn case_place(
        &mut self,
        key: CaseKey,
    ) -> Result<(i64, String, String, String, Option<String>)> {
        self.tx()?
            .prepare_cached(
                "SELECT id, case_no, town, village, unit FROM cases WHERE year = ?1 AND seq = ?2",
            )?
            .query_row(params![key.year, key.seq], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound(key.to_string()))
    }

    /// Record a meeting.
    pub fn add_meeting(
        &mut self,
        m: &NewMeeting,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<(i64, RecordKey)> {
        let account = who.account();
        authorize(account, Op::KeepMeeting)?;
        self.check_area(account, &m.town, &m.village)?;
        let year = chrono::Datelike::year(&m.held_at);
        let seq = self.next_number("meeting", year)?;
        let meeting_no = self.config().meeting_number(year, seq);
        let e = Effects::new(EventKind::AddMeeting)
            .set("year", year)
            .set("seq", seq)
            .set("meeting_no", meeting_no.as_str())
            .set("title", m.title.as_str())
            .set("held_at", clock::format(&m.held_at))
            .set("place", m.place.as_str())
            .set("host", m.host.as_str())
            .set("chair", m.chair.as_str())
            .set("recorder", m.recorder.as_str())
            .set("units", json_list(&m.units))
            .set("attendance", m.attendance)
            .set("representatives", json_list(&m.representatives))
            .set("town", m.town.as_str())
            .set("village", m.village.as_str())
            .set("items", m.items.as_str())
            .set("plans", m.plans.as_str())
            .set("recorded_at", clock::format(&now))
            .set("recorded_by", account.login.as_str())
            .set("recorded_by_name", account.real_name.as_str());
        let id = self.insert_record(Table::Meetings, e, account, &now)?;
        Ok((id, RecordKey { year, seq }))
    }

    /// A meeting this account may keep: its id, number, place and time.
    fn meeting_row(&self, key: RecordKey, account: &Account) -> Result<MeetingRow> {
        let row = self
            .tx_not_cases()
            .prepare_cached(
                "SELECT id, meeting_no, town, village, held_at FROM meetings
                 WHERE year = ?1 AND seq = ?2",
            )?
            .query_row(params![key.year, key.seq], |r| {
                Ok(MeetingRow {
                    id: r.get(0)?,
                    no: r.get(1)?,
                    town: r.get(2)?,
                    village: r.get(3)?,
                    held_at: time("held_at", &r.get::<_, String>(4)?)?,
                })
            })
            .optional()?
            .ok_or_else(|| StoreError::Missing(format!("民心沟通会 {key}")))?;
        authorize(account, Op::KeepMeeting)?;
        self.check_area(account, &row.town, &row.village)?;
        Ok(row)
    }

    /// A fed-back case of a meeting: the case must be of the meeting's area and have ended.
    fn meeting_case(&mut self, m: &MeetingRow, case: CaseKey) -> Result<FedCase> {
        type Row = (i64, String, String, String, Option<String>, Option<String>);
        let row: Option<Row> = self
            .tx()?
            .prepare_cached(
                "SELECT c.id, c.case_no, c.town, c.village, c.closed_at, s.first_end
                 FROM cases c LEFT JOIN case_stats s ON s.case_id = c.id
                 WHERE c.year = ?1 AND c.seq = ?2",
            )?
            .query_row(params![case.year, case.seq], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .optional()?;
        let Some((case_id, case_no, town, village, closed_at, first_end)) = row else {
            return Err(StoreError::NotFound(case.to_string()));
        };
        if !meeting_covers(&m.town, &m.village, &town, &village) {
            return Err(refused(format!(
                "{case_no} 属于{town}{village}，不是{}{}的案件",
                m.town, m.village
            )));
        }
        let Some(closed_at) = closed_at else {
            return Err(refused(format!(
                "{case_no} 尚未办结，沟通会上只反馈已办结的案件"
            )));
        };
        let existing: Option<i64> = self
            .tx_not_cases()
            .prepare_cached("SELECT id FROM meeting_cases WHERE meeting_id = ?1 AND case_id = ?2")?
            .query_row(params![m.id, case_id], |r| r.get(0))
            .optional()?;
        let ended_on = match first_end {
            Some(d) => d,
            None => time("closed_at", &closed_at)?.date_naive().to_string(),
        };
        Ok(FedCase {
            id: case_id,
            no: case_no,
            town,
            village,
            ended_on,
            existing,
        })
    }

    /// Feed a case back at a meeting, with the outcome as told (the case's result if empty).
    pub fn feedback(
        &mut self,
        meeting: RecordKey,
        case: CaseKey,
        told: &str,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let account = who.account();
        let m = self.meeting_row(meeting, account)?;
        let c = self.meeting_case(&m, case)?;
        let (case_id, case_no) = (c.id, c.no.clone());
        if c.existing.is_some() {
            return Err(refused(format!("{case_no} 已在{}上反馈过", m.no)));
        }
        let told = match told.trim() {
            "" => self.told_of(case_id)?,
            t => t.to_string(),
        };
        crate::domain::check_text(
            "反馈情况",
            &told,
            true,
            self.config().limits.note,
            &self.printable(),
        )
        .map_err(Refusal)?;
        let e = Effects::new(EventKind::Feedback)
            .set("meeting_id", m.id)
            .set("case_id", case_id)
            .set("ended_on", c.ended_on.as_str())
            .set("town", c.town.as_str())
            .set("village", c.village.as_str())
            .set("told", told.as_str())
            .set("satisfaction", Value::Null)
            .set("revisit_note", Value::Null)
            .note("meeting_no", m.no.as_str())
            .note("case_no", case_no.as_str());
        // 反馈率 counts a case once, at its first feedback.
        let fed_before: bool = self
            .tx_not_cases()
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM meeting_cases WHERE case_id = ?1)")?
            .query_row([case_id], |r| r.get(0))?;
        self.insert_record(Table::MeetingCases, e, account, &now)?;
        if !fed_before {
            let ended = date("ended_on", &c.ended_on)?;
            self.loop_sums.fed_back(ended, &c.town, &c.village);
        }
        Ok(())
    }

    /// The outcome of a case as a meeting is told it: `调解成功：…`.
    fn told_of(&mut self, case_id: i64) -> Result<String> {
        let (outcome, result): (Option<i64>, Option<String>) = self
            .tx()?
            .prepare_cached("SELECT outcome, result FROM cases WHERE id = ?1")?
            .query_row([case_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let outcome = outcome
            .and_then(crate::domain::Outcome::from_code)
            .map_or("", |o| o.label());
        Ok(format!("{outcome}：{}", result.unwrap_or_default()))
    }

    /// Revisit a case's party at a meeting: a 回访 on the case (way 沟通会, the meeting's day)
    /// and the satisfaction on the meeting's record, fed back first if it was not.
    pub fn revisit(
        &mut self,
        meeting: RecordKey,
        case: CaseKey,
        satisfaction: Satisfaction,
        note: &str,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let account = who.account();
        let m = self.meeting_row(meeting, account)?;
        let c = self.meeting_case(&m, case)?;
        let (case_id, case_no) = (c.id, c.no);
        let row = match c.existing {
            Some(id) => id,
            None => {
                self.feedback(meeting, case, "", who, now)?;
                self.tx_not_cases()
                    .prepare_cached(
                        "SELECT id FROM meeting_cases WHERE meeting_id = ?1 AND case_id = ?2",
                    )?
                    .query_row(params![m.id, case_id], |r| r.get(0))?
            }
        };
        let notes = if note.trim().is_empty() {
            format!("在{}上回访", m.no)
        } else {
            format!("在{}上回访：{}", m.no, note.trim())
        };
        self.act(
            case,
            &Action::FollowUp {
                date: m.held_at.date_naive(),
                way: "沟通会".into(),
                satisfaction,
                notes,
            },
            who,
            now,
        )?;
        let e = Effects::new(EventKind::Feedback)
            .set("satisfaction", satisfaction.code())
            .set("revisit_note", note.trim())
            .note("meeting_no", m.no.as_str())
            .note("case_no", case_no.as_str());
        self.update_record(Table::MeetingCases, row, e, account, &now)
    }

    /// An opinion raised at a meeting; with `report`, it becomes a 民意报告单 (source
    /// 民心沟通会) sent to the meeting's center, and the two are linked.
    pub fn opinion(
        &mut self,
        meeting: RecordKey,
        speaker: &str,
        text: &str,
        report: bool,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<(u32, Option<RecordKey>)> {
        let account = who.account();
        let m = self.meeting_row(meeting, account)?;
        let limits = &self.config().limits;
        let (name_max, note_max) = (limits.name, limits.note);
        let text = text.trim();
        if text.is_empty() {
            return Err(refused("意见内容：必填".into()));
        }
        crate::domain::check_text("意见内容", text, true, note_max, &self.printable())
            .map_err(Refusal)?;
        crate::domain::check_text("发言人", speaker.trim(), false, name_max, &self.printable())
            .map_err(Refusal)?;
        let seq: u32 = self
            .tx_not_cases()
            .prepare_cached(
                "SELECT coalesce(max(seq), 0) + 1 FROM meeting_opinions WHERE meeting_id = ?1",
            )?
            .query_row([m.id], |r| r.get(0))?;
        let made = if report {
            let center = if m.village.is_empty() {
                Center::Town(m.town.clone())
            } else {
                Center::Village {
                    town: m.town.clone(),
                    village: m.village.clone(),
                }
            };
            let request: String = text.chars().take(200).collect();
            let r = NewReport {
                source: "民心沟通会".into(),
                reporter: speaker.trim().to_string(),
                reporter_phone: None,
                name: speaker.trim().to_string(),
                id_number: None,
                phone: None,
                town: m.town.clone(),
                village: m.village.clone(),
                address: String::new(),
                request: request.lines().next().unwrap_or("").to_string(),
                facts: text.to_string(),
                opinion: String::new(),
                center: Some(center),
                visit: None,
                received_at: Some(now),
            };
            if !self.config().channels.iter().any(|c| c == "民心沟通会")
                || !self
                    .config()
                    .records
                    .report_sources
                    .iter()
                    .any(|c| c == "民心沟通会")
            {
                return Err(refused(
                    "配置的报告单来源中没有「民心沟通会」，无法转为报告单；请管理员在 records.report_sources 和 channels 中加上".into(),
                ));
            }
            Some(self.add_report(&r, who, now, Some(m.id))?)
        } else {
            None
        };
        let report_no = made
            .map(|(_, k)| self.config().report_number(k.year, k.seq))
            .unwrap_or_default();
        let mut e = Effects::new(EventKind::AddOpinion)
            .set("meeting_id", m.id)
            .set("seq", seq)
            .set("speaker", speaker.trim())
            .set("text", text)
            .set("report_id", made.map(|(id, _)| id))
            .note("meeting_no", m.no.as_str());
        if made.is_some() {
            e = e.note("report_no", format!("转为民意报告单{report_no}"));
        }
        self.insert_record(Table::MeetingOpinions, e, account, &now)?;
        Ok((seq, made.map(|(_, k)| k)))
    }
}

/// A case about to be fed back at a meeting.
struct FedCase {
    id: i64,
    no: String,
    town: String,
    village: String,
    ended_on: String,
    existing: Option<i64>,
}

/// A report waiting for triage, as triage needs it.
struct Pending {
    id: i64,
    no: String,
    received: NaiveDate,
    town: String,
    village: String,
}

struct MeetingRow {
    id: i64,
    no: String,
    town: String,
    village: String,
    held_at: DateTime<FixedOffset>,
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Which visits to list.
#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    pub cadre: Option<String>,
    pub town: Option<String>,
    pub village: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: Option<usize>,
}

/// Which reports to list.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub pending: bool,
    pub limit: Option<usize>,
    pub offset: usize,
}

/// The queue's head: how many wait, and how many have waited past the triage limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueCount {
    pub pending: u64,
    pub late: u64,
}

const VISIT_COLUMNS: &str = "id, visited_on, cadre, cadre_name, companions, name, phone, town, \
     village, grp, address, kind, situation, raised, answered, follow_up, recorded_at";

fn visit_from(r: &Row) -> rusqlite::Result<Visit> {
    let phone: Option<String> = r.get(6)?;
    Ok(Visit {
        id: r.get(0)?,
        visited_on: date("visited_on", &r.get::<_, String>(1)?)?,
        cadre: r.get(2)?,
        cadre_name: r.get(3)?,
        companions: list_from("companions", &r.get::<_, String>(4)?)?,
        name: r.get(5)?,
        phone: phone
            .map(|p| Phone::parse(&p).map_err(|_| super::cases::damaged("phone", &p)))
            .transpose()?,
        town: r.get(7)?,
        village: r.get(8)?,
        group: r.get(9)?,
        address: r.get(10)?,
        kind: r.get(11)?,
        situation: r.get(12)?,
        raised: r.get(13)?,
        answered: r.get(14)?,
        follow_up: r.get(15)?,
        recorded_at: time("recorded_at", &r.get::<_, String>(16)?)?,
        reports: Vec::new(),
    })
}

const REPORT_COLUMNS: &str = "r.id, r.year, r.seq, r.report_no, r.source, r.reporter, \
     (SELECT login FROM accounts WHERE id = r.reporter_id), r.reporter_phone, r.name, \
     r.id_number, r.phone, r.town, r.village, r.address, r.request, r.facts, r.opinion, \
     r.center, r.visit_id, (SELECT year || '-' || seq FROM meetings WHERE id = r.meeting_id), \
     r.received_at, r.recorded_by_name, r.recorded_at, r.status, r.triaged_at, r.triaged_by, \
     r.triaged_by_name, r.triage_text, c.year, c.seq, c.case_no, r.recorded_by, r.prints";

fn report_from(r: &Row) -> rusqlite::Result<Report> {
    let phone = |i: usize| -> rusqlite::Result<Option<Phone>> {
        r.get::<_, Option<String>>(i)?
            .map(|p| Phone::parse(&p).map_err(|_| super::cases::damaged("phone", &p)))
            .transpose()
    };
    let triage = match r.get::<_, Option<String>>(24)? {
        Some(at) => Some(TriageRecord {
            at: time("triaged_at", &at)?,
            by: r.get::<_, Option<String>>(25)?.unwrap_or_default(),
            by_name: r.get::<_, Option<String>>(26)?.unwrap_or_default(),
            text: r.get::<_, Option<String>>(27)?.unwrap_or_default(),
        }),
        None => None,
    };
    let case = match (r.get::<_, Option<i32>>(28)?, r.get::<_, Option<u32>>(29)?) {
        (Some(year), Some(seq)) => Some(CaseKey { year, seq }),
        _ => None,
    };
    let meeting = r
        .get::<_, Option<String>>(19)?
        .map(|k| {
            k.parse::<RecordKey>()
                .map_err(|_| super::cases::damaged("meeting_id", &k))
        })
        .transpose()?;
    Ok(Report {
        id: r.get(0)?,
        key: RecordKey {
            year: r.get(1)?,
            seq: r.get(2)?,
        },
        report_no: r.get(3)?,
        source: r.get(4)?,
        reporter: r.get(5)?,
        reporter_login: r.get(6)?,
        reporter_phone: phone(7)?,
        name: r.get(8)?,
        id_number: r
            .get::<_, Option<String>>(9)?
            .map(|i| IdNumber::parse(&i).map_err(|_| super::cases::damaged("id_number", &i)))
            .transpose()?,
        phone: phone(10)?,
        town: r.get(11)?,
        village: r.get(12)?,
        address: r.get(13)?,
        request: r.get(14)?,
        facts: r.get(15)?,
        opinion: r.get(16)?,
        center: Center::from_code(&r.get::<_, String>(17)?),
        visit: r.get(18)?,
        meeting,
        received_at: time("received_at", &r.get::<_, String>(20)?)?,
        recorded_by: r.get(21)?,
        recorded_at: time("recorded_at", &r.get::<_, String>(22)?)?,
        status: code("status", r.get(23)?, ReportStatus::from_code)?,
        triage,
        case,
        case_no: r.get(30)?,
        recorded_by_login: r.get(31)?,
        prints: r.get::<_, Option<u32>>(32)?.unwrap_or(0),
    })
}

const MEETING_COLUMNS: &str = "id, year, seq, meeting_no, title, held_at, place, host, chair, \
     recorder, units, attendance, representatives, town, village, items, plans, \
     recorded_by_name, recorded_at, minutes_prints, notice_prints";

fn meeting_from(r: &Row) -> rusqlite::Result<Meeting> {
    Ok(Meeting {
        id: r.get(0)?,
        key: RecordKey {
            year: r.get(1)?,
            seq: r.get(2)?,
        },
        meeting_no: r.get(3)?,
        title: r.get(4)?,
        held_at: time("held_at", &r.get::<_, String>(5)?)?,
        place: r.get(6)?,
        host: r.get(7)?,
        chair: r.get(8)?,
        recorder: r.get(9)?,
        units: list_from("units", &r.get::<_, String>(10)?)?,
        attendance: r.get(11)?,
        representatives: list_from("representatives", &r.get::<_, String>(12)?)?,
        town: r.get(13)?,
        village: r.get(14)?,
        items: r.get(15)?,
        plans: r.get(16)?,
        recorded_by: r.get(17)?,
        recorded_at: time("recorded_at", &r.get::<_, String>(18)?)?,
        minutes_prints: r.get::<_, Option<u32>>(19)?.unwrap_or(0),
        notice_prints: r.get::<_, Option<u32>>(20)?.unwrap_or(0),
        feedback: Vec::new(),
        opinions: Vec::new(),
    })
}

/// A case a meeting may feed back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggested {
    pub case: CaseKey,
    pub case_no: String,
    pub name_masked: String,
    pub village: String,
    pub category: String,
    pub closed_on: NaiveDate,
    pub told: String,
    /// The case's state now: whether its party can still be revisited.
    pub status: crate::domain::Status,
}

use serde::Serialize;

impl Store {
    fn may_see_visit(who: &Account, v: &Visit) -> bool {
        if who.role == crate::domain::Role::Cadre {
            v.cadre == who.login
        } else {
            who.center.covers(&v.town, &v.village, None)
        }
    }

    fn may_see_report(who: &Account, r: &Report) -> bool {
        if who.role == crate::domain::Role::Cadre {
            r.recorded_by_login == who.login
        } else {
            who.center.contains(&r.center) || who.center.covers(&r.town, &r.village, None)
        }
    }

    fn report_briefs(&self, clause: &str, id: i64) -> Result<Vec<ReportBrief>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT year, seq, report_no, request, status FROM reports WHERE {clause} = ?1 ORDER BY id"
        ))?;
        let list = stmt
            .query_map([id], |r| {
                Ok(ReportBrief {
                    key: RecordKey {
                        year: r.get(0)?,
                        seq: r.get(1)?,
                    },
                    report_no: r.get(2)?,
                    request: r.get(3)?,
                    status: code("status", r.get(4)?, ReportStatus::from_code)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    /// One visit with the reports that came of it.
    pub fn visit(&self, id: i64, who: &Session) -> Result<Visit> {
        let mut v = self
            .conn
            .query_row(
                &format!("SELECT {VISIT_COLUMNS} FROM visits WHERE id = ?1"),
                [id],
                visit_from,
            )
            .optional()?
            .ok_or_else(|| StoreError::Missing(format!("走访记录{id}")))?;
        if !Self::may_see_visit(who.account(), &v) {
            return Err(refused(format!("走访记录{id}不在您可查看的范围内")));
        }
        v.reports = self.report_briefs("visit_id", id)?;
        Ok(v)
    }

    /// Visits, newest first, as this account may see them.
    pub fn visits(&self, f: &VisitFilter, who: &Session) -> Result<Vec<Visit>> {
        let account = who.account();
        let mut clauses = vec!["1".to_string()];
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        let mut push = |clause: &str, v: rusqlite::types::Value| {
            values.push(v);
            clauses.push(format!("{clause} ?{}", values.len()));
        };
        if account.role == crate::domain::Role::Cadre {
            push("cadre_id =", account.id.into());
        }
        if let Some(c) = &f.cadre {
            push("cadre =", c.clone().into());
        }
        if let Some(t) = &f.town {
            push("town =", t.clone().into());
        }
        if let Some(v) = &f.village {
            push("village =", v.clone().into());
        }
        if let Some(d) = f.from {
            push("visited_on >=", d.to_string().into());
        }
        if let Some(d) = f.to {
            push("visited_on <=", d.to_string().into());
        }
        let limit = f.limit.unwrap_or(10_000) as i64;
        let sql = format!(
            "SELECT {VISIT_COLUMNS} FROM visits WHERE {} ORDER BY visited_on DESC, id DESC",
            clauses.join(" AND ")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let v = visit_from(r)?;
            if Self::may_see_visit(account, &v) {
                out.push(v);
                if out.len() as i64 >= limit {
                    break;
                }
            }
        }
        for v in &mut out {
            v.reports = self.report_briefs("visit_id", v.id)?;
        }
        Ok(out)
    }

    /// One report.
    pub fn report(&self, key: RecordKey, who: &Session) -> Result<Report> {
        let r = self
            .conn
            .query_row(
                &format!(
                    "SELECT {REPORT_COLUMNS} FROM reports r LEFT JOIN cases c ON c.id = r.case_id
                     WHERE r.year = ?1 AND r.seq = ?2"
                ),
                params![key.year, key.seq],
                report_from,
            )
            .optional()?
            .ok_or_else(|| StoreError::Missing(format!("民意报告单 {key}")))?;
        if !Self::may_see_report(who.account(), &r) {
            return Err(refused(format!("{} 不在您可查看的范围内", r.report_no)));
        }
        Ok(r)
    }

    /// The one definition of which reports an account's list holds, for the list, its count
    /// and the board header's queue alike: a WHERE clause over `reports r` and the values bound
    /// to its `?N`s (numbered from `first`). The queue (`pending`) is what the account may
    /// triage — waiting, and sent to its center or one under it; the whole list is what it may
    /// see, which for a town or village also takes in the reports about its area sent
    /// elsewhere. A cadre's list, queue or not, is the reports they filled in.
    fn reports_where(
        f: &ReportFilter,
        account: &Account,
        first: usize,
    ) -> (String, Vec<rusqlite::types::Value>) {
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        let mut bind = |v: String| {
            values.push(v.into());
            format!("?{}", first + values.len() - 1)
        };
        let mut clauses = Vec::new();
        if f.pending {
            clauses.push("r.status = 0".to_string());
        }
        if account.role == crate::domain::Role::Cadre {
            clauses.push(format!("r.recorded_by = {}", bind(account.login.clone())));
        } else {
            match &account.center {
                Center::County => {}
                Center::Town(t) => {
                    // Its own center, or a village's under it: codes `镇` and `镇/村`.
                    let own = format!(
                        "r.center = {} OR (r.center > {} AND r.center < {})",
                        bind(t.clone()),
                        bind(format!("{t}/")),
                        bind(format!("{t}0"))
                    );
                    clauses.push(if f.pending {
                        format!("({own})")
                    } else {
                        format!("({own} OR r.town = {})", bind(t.clone()))
                    });
                }
                Center::Village { town, village } => {
                    let own = format!("r.center = {}", bind(account.center.code()));
                    clauses.push(if f.pending {
                        own
                    } else {
                        format!(
                            "({own} OR (r.town = {} AND r.village = {}))",
                            bind(town.clone()),
                            bind(village.clone())
                        )
                    });
                }
            }
        }
        if clauses.is_empty() {
            clauses.push("1".to_string());
        }
        (clauses.join(" AND "), values)
    }

    /// Reports as this account may see them: the queue (待研判, oldest first) or all (newest
    /// first).
    pub fn reports(&self, f: &ReportFilter, who: &Session) -> Result<Vec<Report>> {
        let order = if f.pending {
            "r.received_at, r.id"
        } else {
            "r.id DESC"
        };
        let (clause, mut values) = Self::reports_where(f, who.account(), 3);
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM reports r LEFT JOIN cases c ON c.id = r.case_id
             WHERE {clause} ORDER BY {order} LIMIT ?1 OFFSET ?2"
        );
        values.insert(0, (f.offset as i64).into());
        values.insert(0, (f.limit.unwrap_or(10_000) as i64).into());
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let list = stmt
            .query_map(rusqlite::params_from_iter(values.iter()), report_from)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    /// How many reports `reports` would list without a limit (for the screen's 第3/12张), and
    /// how many of them wait for triage since before `late_before`.
    pub fn reports_count(
        &self,
        f: &ReportFilter,
        who: &Session,
        late_before: NaiveDate,
    ) -> Result<(u64, u64)> {
        let (clause, mut values) = Self::reports_where(f, who.account(), 2);
        let sql = format!(
            "SELECT count(*), coalesce(sum(r.status = 0 AND r.received_at < ?1), 0)
             FROM reports r WHERE {clause}"
        );
        values.insert(0, format!("{late_before}T00:00:00+08:00").into());
        let (n, late): (i64, i64) = self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(values.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        Ok((n.max(0) as u64, late.max(0) as u64))
    }

    /// The queue on the board's header: how many reports `reports` lists as waiting for this
    /// account, and how many of them past the triage limit (received before `late_before`).
    pub fn queue_count(&self, who: &Session, late_before: NaiveDate) -> Result<QueueCount> {
        let queue = ReportFilter {
            pending: true,
            ..ReportFilter::default()
        };
        let (pending, late) = self.reports_count(&queue, who, late_before)?;
        Ok(QueueCount { pending, late })
    }

    /// One meeting with its feedback and opinions.
    pub fn meeting(&self, key: RecordKey, who: &Session) -> Result<Meeting> {
        let mut m = self
            .conn
            .query_row(
                &format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE year = ?1 AND seq = ?2"),
                params![key.year, key.seq],
                meeting_from,
            )
            .optional()?
            .ok_or_else(|| StoreError::Missing(format!("民心沟通会 {key}")))?;
        if !who.account().center.covers(&m.town, &m.village, None) {
            return Err(refused(format!("{} 不在您可查看的范围内", m.meeting_no)));
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.year, c.seq, c.case_no, c.name, c.category, mc.told, mc.satisfaction,
                    mc.revisit_note, c.status
             FROM meeting_cases mc JOIN cases c ON c.id = mc.case_id
             WHERE mc.meeting_id = ?1 ORDER BY mc.id",
        )?;
        m.feedback = stmt
            .query_map([m.id], |r| {
                Ok(Feedback {
                    case: CaseKey {
                        year: r.get(0)?,
                        seq: r.get(1)?,
                    },
                    case_no: r.get(2)?,
                    name_masked: mask_name(&r.get::<_, String>(3)?),
                    category: r.get(4)?,
                    told: r.get(5)?,
                    satisfaction: r
                        .get::<_, Option<i64>>(6)?
                        .map(|c| code("satisfaction", c, Satisfaction::from_code))
                        .transpose()?,
                    revisit_note: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                    status: code("status", r.get(8)?, crate::domain::Status::from_code)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.seq, o.speaker, o.text, r.year, r.seq, r.report_no
             FROM meeting_opinions o LEFT JOIN reports r ON r.id = o.report_id
             WHERE o.meeting_id = ?1 ORDER BY o.seq",
        )?;
        m.opinions = stmt
            .query_map([m.id], |r| {
                let report = match (r.get::<_, Option<i32>>(3)?, r.get::<_, Option<u32>>(4)?) {
                    (Some(year), Some(seq)) => Some(RecordKey { year, seq }),
                    _ => None,
                };
                Ok(Opinion {
                    seq: r.get(0)?,
                    speaker: r.get(1)?,
                    text: r.get(2)?,
                    report,
                    report_no: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(m)
    }

    /// Meetings in this account's area, newest first.
    pub fn meetings(&self, who: &Session, limit: usize) -> Result<Vec<Meeting>> {
        let account = who.account();
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {MEETING_COLUMNS} FROM meetings ORDER BY held_at DESC, id DESC"
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let m = meeting_from(r)?;
            if account.center.covers(&m.town, &m.village, None) {
                out.push(m);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// The cases a meeting should feed back: those of its town (or village) ended since the
    /// last meeting there (or in the 90 days before, at the first), not yet fed back at it.
    pub fn suggested_cases(&self, key: RecordKey, limit: usize) -> Result<Vec<Suggested>> {
        let (id, town, village, held_at): (i64, String, String, String) = self
            .conn
            .query_row(
                "SELECT id, town, village, held_at FROM meetings WHERE year = ?1 AND seq = ?2",
                params![key.year, key.seq],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::Missing(format!("民心沟通会 {key}")))?;
        let held = time("held_at", &held_at)?;
        let since: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT max(held_at) FROM meetings
                 WHERE town = ?1 AND village = ?2 AND held_at < ?3 AND id <> ?4",
            )?
            .query_row(params![town, village, held_at, id], |r| r.get(0))?;
        let since = match since {
            Some(s) => s,
            None => clock::format(&(held - chrono::Duration::days(90))),
        };
        // A town's meeting reads the town's cases by ending, a village's its village's.
        let mut stmt = self.conn.prepare_cached(if village.is_empty() {
            "SELECT c.year, c.seq, c.case_no, c.name, c.village, c.category, c.closed_at,
                    c.outcome, c.result, c.status
             FROM cases c INDEXED BY cases_town_closed
             WHERE c.town = ?1 AND c.closed_at > ?2 AND c.closed_at <= ?3 AND ?4 = ''
               AND NOT EXISTS (SELECT 1 FROM meeting_cases mc
                               WHERE mc.meeting_id = ?5 AND mc.case_id = c.id)
             ORDER BY c.closed_at DESC LIMIT ?6"
        } else {
            "SELECT c.year, c.seq, c.case_no, c.name, c.village, c.category, c.closed_at,
                    c.outcome, c.result, c.status
             FROM cases c INDEXED BY cases_village
             WHERE c.town = ?1 AND c.village = ?4 AND c.closed_at > ?2 AND c.closed_at <= ?3
               AND NOT EXISTS (SELECT 1 FROM meeting_cases mc
                               WHERE mc.meeting_id = ?5 AND mc.case_id = c.id)
             ORDER BY c.closed_at DESC LIMIT ?6"
        })?;
        let list = stmt
            .query_map(
                params![town, since, held_at, village, id, limit as i64],
                |r| {
                    let outcome = r
                        .get::<_, Option<i64>>(7)?
                        .and_then(crate::domain::Outcome::from_code)
                        .map_or("", |o| o.label());
                    Ok(Suggested {
                        case: CaseKey {
                            year: r.get(0)?,
                            seq: r.get(1)?,
                        },
                        case_no: r.get(2)?,
                        name_masked: mask_name(&r.get::<_, String>(3)?),
                        village: r.get(4)?,
                        category: r.get(5)?,
                        closed_on: time("closed_at", &r.get::<_, String>(6)?)?.date_naive(),
                        told: format!(
                            "{outcome}：{}",
                            r.get::<_, Option<String>>(8)?.unwrap_or_default()
                        ),
                        status: code("status", r.get(9)?, crate::domain::Status::from_code)?,
                    })
                },
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    /// The reports linked to a case (立案 from, or 并案 into it).
    pub fn reports_of_case(&self, case_id: i64) -> Result<Vec<ReportBrief>> {
        self.report_briefs("case_id", case_id)
    }

    /// Visits, reports and meetings matching a search, newest first, as the account may see.
    pub fn search_records(
        &self,
        query: &str,
        who: &Session,
        limit: usize,
    ) -> Result<std::result::Result<Vec<RecordHit>, super::SearchError>> {
        let expr = match super::match_expression(query) {
            Ok(e) => e,
            Err(e) => return Ok(Err(e)),
        };
        // Those the account may not see are left out by the index (`search::record_area`);
        // each record listed is still read through the checks of its own screen.
        let expr = match super::search::record_area_match(who.account()) {
            Some(area) => format!("({expr}) AND {area}"),
            None => expr,
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT rowid FROM record_search WHERE record_search MATCH ?1 ORDER BY rowid DESC",
        )?;
        let ids: Vec<i64> = stmt
            .query_map([&expr], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for rowid in ids {
            if out.len() >= limit {
                break;
            }
            let id = rowid / 4;
            let hit = match rowid % 4 {
                0 => self
                    .visit(id, who)
                    .ok()
                    .map(|v| RecordHit::Visit(Box::new(v))),
                1 => {
                    let key: Option<(i32, u32)> = self
                        .conn
                        .query_row("SELECT year, seq FROM reports WHERE id = ?1", [id], |r| {
                            Ok((r.get(0)?, r.get(1)?))
                        })
                        .optional()?;
                    key.and_then(|(year, seq)| self.report(RecordKey { year, seq }, who).ok())
                        .map(|r| RecordHit::Report(Box::new(r)))
                }
                _ => {
                    let key: Option<(i32, u32)> = self
                        .conn
                        .query_row("SELECT year, seq FROM meetings WHERE id = ?1", [id], |r| {
                            Ok((r.get(0)?, r.get(1)?))
                        })
                        .optional()?;
                    key.and_then(|(year, seq)| self.meeting(RecordKey { year, seq }, who).ok())
                        .map(|m| RecordHit::Meeting(Box::new(m)))
                }
            };
            out.extend(hit);
        }
        // Row ids give the newest of each kind; across kinds, the day each happened decides.
        out.sort_by_key(|h| std::cmp::Reverse(h.day()));
        Ok(Ok(out))
    }
}

/// A visit, report or meeting found by search.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordHit {
    Visit(Box<Visit>),
    Report(Box<Report>),
    Meeting(Box<Meeting>),
}

impl RecordHit {
    /// The day it happened: visited, received, held.
    pub fn day(&self) -> NaiveDate {
        match self {
            RecordHit::Visit(v) => v.visited_on,
            RecordHit::Report(r) => r.received_at.date_naive(),
            RecordHit::Meeting(m) => m.held_at.date_naive(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The use cases, each one durable transaction

impl Store {
    fn printable_fn(&self) -> fn(char) -> bool {
        self.printable
    }

    /// Check and record a visit with its reports.
    pub fn add_visit(
        &mut self,
        input: &crate::domain::records::VisitInput,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<(Visit, Vec<RecordKey>)> {
        let printable = self.printable_fn();
        let v = crate::domain::records::validate_visit(input, self.config(), now, &printable)
            .map_err(StoreError::InvalidRecord)?;
        let mut w = self.write()?;
        let (id, keys) = w.add_visit(&v, who, now)?;
        w.commit()?;
        Ok((self.visit(id, who)?, keys))
    }

    /// Check and record a report.
    pub fn add_report(
        &mut self,
        input: &crate::domain::records::ReportInput,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<Report> {
        let printable = self.printable_fn();
        let r = crate::domain::records::validate_report(input, self.config(), now, &printable)
            .map_err(StoreError::InvalidRecord)?;
        let mut w = self.write()?;
        let (_, key) = w.add_report(&r, who, now, None)?;
        w.commit()?;
        self.report(key, who)
    }

    /// 研判 ending in 当场答复 or 引导.
    pub fn triage_answer(
        &mut self,
        key: RecordKey,
        status: ReportStatus,
        text: &str,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<Report> {
        let mut w = self.write()?;
        w.triage_answer(key, status, text, who, now)?;
        w.commit()?;
        self.report(key, who)
    }

    /// 研判 ending in 并案 into `case`.
    pub fn triage_merge(
        &mut self,
        key: RecordKey,
        case: CaseKey,
        note: &str,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<Report> {
        let mut w = self.write()?;
        w.triage_merge(key, case, note, who, now)?;
        w.commit()?;
        self.report(key, who)
    }

    /// 研判 ending in 立案: `input` is the registration (prefilled from the report by
    /// `case_input_from`, completed by the clerk).
    pub fn triage_register(
        &mut self,
        key: RecordKey,
        input: &NewCaseInput,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<(Report, crate::domain::Case)> {
        let printable = self.printable_fn();
        let checked = validate_new_case(input, self.config(), now, &printable)
            .map_err(StoreError::Invalid)?;
        let mut w = self.write()?;
        let case = w.triage_register(key, &checked, who, now)?;
        w.commit()?;
        Ok((self.report(key, who)?, self.case(case)?))
    }

    /// Check and record a meeting.
    pub fn add_meeting(
        &mut self,
        input: &crate::domain::records::MeetingInput,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<Meeting> {
        let printable = self.printable_fn();
        let m = crate::domain::records::validate_meeting(input, self.config(), now, &printable)
            .map_err(StoreError::InvalidRecord)?;
        let mut w = self.write()?;
        let (_, key) = w.add_meeting(&m, who, now)?;
        w.commit()?;
        self.meeting(key, who)
    }

    /// Feed cases back at a meeting, all or none.
    pub fn feedback(
        &mut self,
        meeting: RecordKey,
        cases: &[(CaseKey, String)],
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<Meeting> {
        let mut w = self.write()?;
        for (case, told) in cases {
            w.feedback(meeting, *case, told, who, now)?;
        }
        w.commit()?;
        self.meeting(meeting, who)
    }

    /// Revisit a case's party at a meeting.
    pub fn revisit(
        &mut self,
        meeting: RecordKey,
        case: CaseKey,
        satisfaction: Satisfaction,
        note: &str,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<Meeting> {
        let mut w = self.write()?;
        w.revisit(meeting, case, satisfaction, note, who, now)?;
        w.commit()?;
        self.meeting(meeting, who)
    }

    /// Record an opinion raised at a meeting, as a report form if asked.
    pub fn opinion(
        &mut self,
        meeting: RecordKey,
        speaker: &str,
        text: &str,
        report: bool,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<(Meeting, Option<RecordKey>)> {
        let mut w = self.write()?;
        let (_, made) = w.opinion(meeting, speaker, text, report, who, now)?;
        w.commit()?;
        Ok((self.meeting(meeting, who)?, made))
    }

    /// Record a print of a record's paper on the timeline, as a case's prints are: the count
    /// on the report's or meeting's row moves by one in a chained event (case_id NULL, the
    /// row's id in the payload); a notebook's print names the cadre and the period. Only what
    /// `who` may read can be recorded as printed by them. Returns how often it has been
    /// printed now (a notebook: 1, it has no count).
    pub fn record_print(
        &mut self,
        paper: &RecordPaper,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<u32> {
        let account = who.account();
        let (table, id, column, e) = match paper {
            RecordPaper::Report(key) => {
                let r = self.report(*key, who)?;
                let e = Effects::new(EventKind::PrintRecord)
                    .note("paper", "report")
                    .note("report_no", r.report_no.as_str());
                (Table::Reports, r.id, "prints", e)
            }
            RecordPaper::Minutes(key) | RecordPaper::Notice(key) => {
                let m = self.meeting(*key, who)?;
                let (paper, column) = match paper {
                    RecordPaper::Minutes(_) => ("minutes", "minutes_prints"),
                    _ => ("notice", "notice_prints"),
                };
                let e = Effects::new(EventKind::PrintRecord)
                    .note("paper", paper)
                    .note("meeting_no", m.meeting_no.as_str());
                (Table::Meetings, m.id, column, e)
            }
            RecordPaper::Notebook {
                cadre,
                cadre_name,
                from,
                to,
                visits,
            } => {
                let e = Effects::new(EventKind::PrintRecord)
                    .note("paper", "notebook")
                    .note("notebook", cadre.as_str())
                    .note("cadre_name", cadre_name.as_str())
                    .note("from", from.to_string())
                    .note("to", to.to_string())
                    .note("visits", *visits as i64);
                let mut w = self.write()?;
                w.record(None, None, account, &now, &e)?;
                w.commit()?;
                return Ok(1);
            }
        };
        let mut w = self.write()?;
        // The column is one of the table's own (checked again by `update_record`).
        let before: Option<u32> = w
            .tx_not_cases()
            .prepare_cached(&format!(
                "SELECT {column} FROM {} WHERE id = ?1",
                table.name()
            ))?
            .query_row([id], |r| r.get(0))?;
        let count = before.unwrap_or(0) + 1;
        w.update_record(table, id, e.set(column, count), account, &now)?;
        w.commit()?;
        Ok(count)
    }
}

/// The paper of a record whose print goes on the timeline.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordPaper {
    /// A filled 民意报告单.
    Report(RecordKey),
    /// A meeting's 会议记录.
    Minutes(RecordKey),
    /// A meeting's 情况通报 for the notice board (公示).
    Notice(RecordKey),
    /// A cadre's 民情笔记本 for a period, and how many visits it held.
    Notebook {
        cadre: String,
        cadre_name: String,
        from: NaiveDate,
        to: NaiveDate,
        visits: usize,
    },
}
