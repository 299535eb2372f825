//! What the database knows of evidence and of printed papers: the evidence list of a case, the
//! 办理书 number series (issued at the first print, kept by every reprint), and print events.
//! The evidence files themselves are copied by `crate::evidence_files`.

use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError};
use crate::clock;
use crate::domain::{CaseKey, Evidence, EvidenceKind};

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

fn kind_code(kind: EvidenceKind) -> i64 {
    EvidenceKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(EvidenceKind::ALL.len() - 1) as i64
}

fn kind_from(code: i64) -> EvidenceKind {
    usize::try_from(code)
        .ok()
        .and_then(|i| EvidenceKind::ALL.get(i).copied())
        .unwrap_or(EvidenceKind::Other)
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
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Evidence> {
        let id = self.case_id(key)?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let seq: u32 = tx.query_row(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM evidence WHERE case_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let at = clock::format(&now);
        tx.execute(
            "INSERT INTO evidence (case_id, seq, kind, title, pages, file_name, size, sha256, added_at, added_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![id, seq, kind_code(e.kind), e.title, e.pages, e.file_name, e.size as i64, e.sha256, at, actor],
        )?;
        tx.execute(
            "INSERT INTO events (case_id, at, actor, action, details) VALUES (?1, ?2, ?3, '添加证据', ?4)",
            params![
                id,
                at,
                actor,
                format!("{}：{}（{}页，SHA-256 {}）", e.kind.label(), e.title, e.pages, &e.sha256[..12.min(e.sha256.len())])
            ],
        )?;
        tx.execute(
            "UPDATE cases SET updated_at = ?2 WHERE id = ?1",
            params![id, at],
        )?;
        tx.commit()?;
        Ok(Evidence {
            seq,
            kind: e.kind,
            title: e.title.clone(),
            pages: e.pages,
            file_name: e.file_name.clone(),
            size: e.size,
            sha256: e.sha256.clone(),
            added_at: now,
            added_by: actor.to_string(),
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
                    kind: kind_from(r.get(1)?),
                    title: r.get(2)?,
                    pages: r.get(3)?,
                    file_name: r.get(4)?,
                    size: r.get::<_, i64>(5)? as u64,
                    sha256: r.get(6)?,
                    added_at: clock::parse(&r.get::<_, String>(7)?).unwrap_or_default(),
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
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<FormPrint> {
        self.print_form_with(key, actor, now, |_| Ok::<(), std::convert::Infallible>(()))
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
        actor: &str,
        now: DateTime<FixedOffset>,
        render: impl FnOnce(&FormPrint) -> std::result::Result<T, E>,
    ) -> std::result::Result<(FormPrint, T), PrintFormError<E>> {
        let id = self.case_id(key)?;
        let config = self.config_arc();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let at = clock::format(&now);
        let existing: Option<(i32, u32, String)> = tx
            .query_row(
                "SELECT year, seq, first_printed_at FROM forms WHERE case_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (year, seq, first) = match existing {
            Some(found) => {
                tx.execute(
                    "UPDATE forms SET print_count = print_count + 1 WHERE case_id = ?1",
                    [id],
                )?;
                found
            }
            None => {
                let year = chrono::Datelike::year(&now);
                tx.execute(
                    "INSERT INTO counters (series, year, last) VALUES ('form', ?1, 1)
                     ON CONFLICT (series, year) DO UPDATE SET last = last + 1",
                    [year],
                )?;
                let seq: u32 = tx.query_row(
                    "SELECT last FROM counters WHERE series = 'form' AND year = ?1",
                    [year],
                    |r| r.get(0),
                )?;
                tx.execute(
                    "INSERT INTO forms (case_id, year, seq, first_printed_at, print_count) VALUES (?1, ?2, ?3, ?4, 1)",
                    params![id, year, seq, at],
                )?;
                (year, seq, at.clone())
            }
        };
        let count: u32 = tx.query_row(
            "SELECT print_count FROM forms WHERE case_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let form_no = config.form_number(year, seq);
        let details = if count == 1 {
            format!("首次打印民事办理书，编号{form_no}")
        } else {
            format!("补打民事办理书{form_no}（第{count}次打印）")
        };
        tx.execute(
            "INSERT INTO events (case_id, at, actor, action, details) VALUES (?1, ?2, ?3, '打印办理书', ?4)",
            params![id, at, actor, details],
        )?;
        let print = FormPrint {
            form_no,
            year,
            seq,
            print_count: count,
            first_printed_at: clock::parse(&first).unwrap_or(now),
        };
        let paper = render(&print).map_err(PrintFormError::Render)?;
        tx.commit()?;
        Ok((print, paper))
    }

    /// Record that a receipt slip was printed for the case.
    pub fn record_slip_print(
        &mut self,
        key: CaseKey,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let id = self.case_id(key)?;
        self.conn.execute(
            "INSERT INTO events (case_id, at, actor, action, details) VALUES (?1, ?2, ?3, '打印回执', '打印受理回执')",
            params![id, clock::format(&now), actor],
        )?;
        Ok(())
    }
}
