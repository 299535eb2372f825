//! Evidence attached to a case: what the 办理书's evidence list shows. The file itself lives in the
//! home folder's `evidence/`, named by its SHA-256.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// The kinds of evidence the 民事办理书 lists (事项来源, 会议记录, 调解笔录, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EvidenceKind {
    Source,
    Minutes,
    MediationRecord,
    MediationAgreement,
    Document,
    Photo,
    FollowUpRecord,
    Other,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 8] = [
        EvidenceKind::Source,
        EvidenceKind::Minutes,
        EvidenceKind::MediationRecord,
        EvidenceKind::MediationAgreement,
        EvidenceKind::Document,
        EvidenceKind::Photo,
        EvidenceKind::FollowUpRecord,
        EvidenceKind::Other,
    ];

    pub fn label(&self) -> &'static str {
        match self {
            EvidenceKind::Source => "事项来源",
            EvidenceKind::Minutes => "会议记录",
            EvidenceKind::MediationRecord => "调解笔录",
            EvidenceKind::MediationAgreement => "调解协议书",
            EvidenceKind::Document => "文件资料",
            EvidenceKind::Photo => "现场照片",
            EvidenceKind::FollowUpRecord => "回访记录",
            EvidenceKind::Other => "其他",
        }
    }

    pub fn from_label(s: &str) -> Option<EvidenceKind> {
        Self::ALL.into_iter().find(|k| k.label() == s.trim())
    }

    /// The stored form: the position in `ALL` (append kinds, never reorder).
    pub fn code(&self) -> i64 {
        Self::ALL
            .iter()
            .position(|k| k == self)
            .unwrap_or(Self::ALL.len() - 1) as i64
    }

    pub fn from_code(code: i64) -> Option<EvidenceKind> {
        Self::ALL.get(usize::try_from(code).ok()?).copied()
    }
}

impl Serialize for EvidenceKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

/// One attached file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// 序号 within the case, from 1.
    pub seq: u32,
    pub kind: EvidenceKind,
    pub title: String,
    pub pages: u32,
    pub file_name: String,
    pub size: u64,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub added_at: DateTime<FixedOffset>,
    pub added_by: String,
}

/// The evidence a case in its state should have but does not: 事项来源 once it is resolved
/// (unless it was registered from a 民意报告单, which is its source and is in the register), and
/// 回访记录 once it has been followed up — unless the follow-up itself was recorded (on the case,
/// or as a 回访 step on its timeline), which is the record. Printing the final 办理书 or 归档
/// with something missing needs a 值班长's confirmation (`Op::ConfirmMissingEvidence`).
pub fn missing_evidence(
    case: &super::Case,
    evidence: &[Evidence],
    events: &[super::Event],
) -> Vec<EvidenceKind> {
    use super::{EventKind, Status};
    let has = |kind| evidence.iter().any(|e| e.kind == kind);
    let resolved = matches!(
        case.status,
        Status::Resolved | Status::FollowedUp | Status::Archived
    ) || case.resolution.is_some();
    let recorded = case.follow_up.is_some() || events.iter().any(|e| e.kind == EventKind::FollowUp);
    let mut missing = Vec::new();
    let from_report = events.iter().any(|e| e.kind == EventKind::LinkReport);
    if resolved && !has(EvidenceKind::Source) && !from_report {
        missing.push(EvidenceKind::Source);
    }
    if case.status == Status::FollowedUp && !recorded && !has(EvidenceKind::FollowUpRecord) {
        missing.push(EvidenceKind::FollowUpRecord);
    }
    missing
}
