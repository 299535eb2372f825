//! What the database knows of evidence and of printed papers: the evidence list of a case, the
//! 办理书 number series (issued at the first print, kept by every reprint), and print events.
//! The evidence files themselves are copied by `crate::evidence_files`.

use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, params};

use super::cases::{code, time};
use super::{Result, Store, StoreError};
use crate::clock;
use crate::domain::{
    CaseKey, Effects, EventKind, Evidence, EvidenceKind, Op, Session, authorize, authorize_case,
};

/// A file about to be attached, already copied and hashed.
#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub kind: EvidenceKind,
    pub title: String,
    pub pages: u32,
    pub file_name: String,
    pub size: u64,
    pub sha256: String,
}

/// A print of the 办理书 that did not happen: the register refused, or the paper could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PrintFormError<E> {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Render(E),
}

impl<E> From<rusqlite::Error> for PrintFormError<E> {
    fn from(e: rusqlite::Error) -> Self {
        PrintFormError::Store(e.into())
    }
}

/// The number a 办理书 carries and how many times it has been printed, this print included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPrint {
    pub form_no: String,
    pub year: i32,
    pub seq: u32,
    pub print_count: u32,
    pub first_printed_at: DateTime<FixedOffset>,
}

impl FormPrint {
    pub fn is_reprint(&self) -> bool {
        self.print_count > 1
    }
}

impl Store {
    fn case_id(&self, key: CaseKey) -> Result<i64> {
        self.conn
            .prepare_cached("SELECT id FROM cases WHERE year = ?1 AND seq = ?2")?
            .query_row(params![key.year, key.seq], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(key.to_string()))
    }

    /// Attach evidence to a case, with its timeline event.
    pub fn add_evidence(
        &mut self,
        key: CaseKey,
        e: &NewEvidence,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<Evidence> {
        let account = who.account();
        authorize(account, Op::AddEvidence)?;
        // The title is printed on the 办理书's evidence list: the rules of every stored text.
        crate::domain::check_text("证据名称", e.title.trim(), false, 100, &self.printable)
            .map_err(|r| StoreError::Refused(crate::domain::Refusal(r)))?;
        let case = self.case(key)?;
        authorize_case(
            account,
            &case.case_no,
            &case.person.town,
            &case.person.village,
            case.unit.as_deref(),
            self.config(),
        )?;
        let id = case.id;
        let mut w = self.write()?;
        let seq: u32 = w.tx()?.query_row(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM evidence WHERE case_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let at = clock::format(&now);
        let row = serde_json::json!({
            "seq": seq,
            "kind": e.kind.code(),
            "title": e.title,
            "pages": e.pages,
            "file_name": e.file_name,
            "size": e.size,
            "sha256": e.sha256,
            "added_at": at,
            "added_by": account.real_name,
        });
        w.tx()?.execute(
            "INSERT INTO evidence (case_id, seq, kind, title, pages, file_name, size, sha256, added_at, added_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![id, seq, e.kind.code(), e.title, e.pages, e.file_name, e.size as i64, e.sha256, at, account.real_name],
        )?;
        let event = Effects::new(EventKind::AddEvidence)
            .set("updated_at", at.as_str())
            .note("evidence", row);
        w.note_event(id, account, &now, &event)?;
        w.commit()?;
        Ok(Evidence {
            seq,
            kind: e.kind,
            title: e.title.clone(),
            pages: e.pages,
            file_name: e.file_name.clone(),
            size: e.size,
            sha256: e.sha256.clone(),
            added_at: now,
            added_by: account.real_name.clone(),
        })
    }

    /// The evidence list of a case, in the order added.
    pub fn evidence(&self, key: CaseKey) -> Result<Vec<Evidence>> {
        let id = self.case_id(key)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, kind, title, pages, file_name, size, sha256, added_at, added_by
             FROM evidence WHERE case_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(Evidence {
                    seq: r.get(0)?,
                    kind: code("kind", r.get(1)?, EvidenceKind::from_code)?,
                    title: r.get(2)?,
                    pages: r.get(3)?,
                    file_name: r.get(4)?,
                    size: r.get::<_, i64>(5)? as u64,
                    sha256: r.get(6)?,
                    added_at: time("added_at", &r.get::<_, String>(7)?)?,
                    added_by: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every stored evidence file the database refers to: (case number, sequence, SHA-256, size).
    pub fn evidence_files(&self) -> Result<Vec<(String, u32, String, u64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT c.case_no, e.seq, e.sha256, e.size FROM evidence e JOIN cases c ON c.id = e.case_id
             ORDER BY e.id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? as u64))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Record a print of the 办理书: the first print takes the next number of the year's series
    /// in the same transaction; a reprint keeps it and counts. Both go on the timeline.
    pub fn print_form(
        &mut self,
        key: CaseKey,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<FormPrint> {
        self.print_form_with(key, who, now, |_| Ok::<(), std::convert::Infallible>(()))
            .map(|(print, ())| print)
            .map_err(|e| match e {
                PrintFormError::Store(e) => e,
                PrintFormError::Render(never) => match never {},
            })
    }

    /// As `print_form`, with the paper made inside the transaction: the number is issued (and
    /// the print recorded) only if `render` succeeds.
    pub fn print_form_with<T, E>(
        &mut self,
        key: CaseKey,
        who: &Session,
        now: DateTime<FixedOffset>,
        render: impl FnOnce(&FormPrint) -> std::result::Result<T, E>,
    ) -> std::result::Result<(FormPrint, T), PrintFormError<E>> {
        self.print_form_confirmed(key, who, None, now, render)
    }

    /// As `print_form_with`, with a 值班长's confirmation for a case whose required evidence is
    /// missing (`StoreError::NeedsConfirmation` without one); the confirmation is recorded.
    pub fn print_form_confirmed<T, E>(
        &mut self,
        key: CaseKey,
        who: &Session,
        confirmer: Option<&Session>,
        now: DateTime<FixedOffset>,
        render: impl FnOnce(&FormPrint) -> std::result::Result<T, E>,
    ) -> std::result::Result<(FormPrint, T), PrintFormError<E>> {
        let account = who.account();
        authorize(account, Op::Print).map_err(StoreError::from)?;
        let confirmed = self.confirm_missing(key, confirmer)?;
        let id = self.case_id(key)?;
        let config = self.config_arc();
        let at = clock::format(&now);
        let mut w = self.write()?;
        let existing: Option<(i32, u32, String, u32)> = w
            .tx()?
            .query_row(
                "SELECT year, seq, first_printed_at, print_count FROM forms WHERE case_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let (year, seq, first, count) = match existing {
            Some((year, seq, first, count)) => (year, seq, first, count + 1),
            None => {
                let year = chrono::Datelike::year(&now);
                let seq = w.next_number("form", year)?;
                (year, seq, at.clone(), 1)
            }
        };
        w.tx()?.execute(
            "INSERT INTO forms (case_id, year, seq, first_printed_at, print_count)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (case_id) DO UPDATE SET print_count = ?5",
            params![id, year, seq, first, count],
        )?;
        let form_no = config.form_number(year, seq);
        let event = Effects::new(EventKind::PrintForm)
            .note(
                "form",
                serde_json::json!({
                    "year": year,
                    "seq": seq,
                    "first_printed_at": first,
                    "print_count": count,
                }),
            )
            .note("form_no", form_no.as_str())
            .note("print_count", count);
        let event = match confirmed {
            Some((missing, by)) => event
                .note("missing_evidence", missing)
                .note("confirmed_by", by),
            None => event,
        };
        w.note_event(id, account, &now, &event)?;
        let print = FormPrint {
            form_no,
            year,
            seq,
            print_count: count,
            first_printed_at: clock::parse(&first).unwrap_or(now),
        };
        let paper = render(&print).map_err(PrintFormError::Render)?;
        w.commit()?;
        Ok((print, paper))
    }

    /// What a 值班长 confirms for a case missing required evidence: `None` when nothing is
    /// missing, else the missing kinds (as words) and the confirmer's real name. Without an
    /// authorised confirmer, `NeedsConfirmation`.
    pub(super) fn confirm_missing(
        &self,
        key: CaseKey,
        confirmer: Option<&Session>,
    ) -> Result<Option<(String, String)>> {
        let case = self.case(key)?;
        let missing =
            crate::domain::missing_evidence(&case, &self.evidence(key)?, &self.timeline(key)?);
        if missing.is_empty() {
            return Ok(None);
        }
        let Some(by) = confirmer else {
            return Err(StoreError::NeedsConfirmation(missing));
        };
        authorize(by.account(), Op::ConfirmMissingEvidence)?;
        let words: Vec<&str> = missing.iter().map(|k| k.label()).collect();
        Ok(Some((words.join("、"), by.real_name().to_string())))
    }

    /// Record that a receipt slip was printed for the case.
    pub fn record_slip_print(
        &mut self,
        key: CaseKey,
        who: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        authorize(who.account(), Op::Print)?;
        let id = self.case_id(key)?;
        let mut w = self.write()?;
        w.note_event(id, who.account(), &now, &Effects::new(EventKind::PrintSlip))?;
        w.commit()?;
        Ok(())
    }
}
