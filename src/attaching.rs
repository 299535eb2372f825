//! Attaching an evidence file to a case, for every front end: the file copied into the home
//! (`evidence_files`), checked, listed on the case (`Store::add_evidence`, on the timeline), and
//! what the clerk should be told — whether the same bytes were already kept, and whether the
//! 办理书 can carry the file as an annex page or says 附件另附.

use std::path::Path;

use anyhow::{Result, bail};
use chrono::{DateTime, FixedOffset};

use crate::domain::{CaseKey, Evidence, EvidenceKind, Session};
use crate::evidence_files;
use crate::home::Home;
use crate::store::{NewEvidence, Store};

/// What the clerk asked to attach.
pub struct Attach<'a> {
    pub file: &'a Path,
    pub kind: EvidenceKind,
    /// Empty: the file's name.
    pub title: &'a str,
    pub pages: u32,
}

/// An evidence file attached.
#[derive(Debug, Clone)]
pub struct Attached {
    pub evidence: Evidence,
    /// False when the same bytes were already kept (stored once).
    pub new_file: bool,
    /// A JPEG or PNG, which the 办理书 can carry as an annex page; anything else (a PDF) is
    /// listed as 附件另附 and printed separately.
    pub annexable: bool,
}

impl Attached {
    /// The sentence for the status line or the terminal.
    pub fn message(&self) -> String {
        let e = &self.evidence;
        let mut s = format!(
            "已添加证据{}：{}（{}，{}页，SHA-256 {}）",
            e.seq,
            crate::text::neutralize(&e.title, false),
            e.kind.label(),
            e.pages,
            &e.sha256[..12.min(e.sha256.len())]
        );
        if !self.new_file {
            s.push_str("（相同文件已存过，未重复保存）");
        }
        if !self.annexable {
            s.push_str("；此文件不是图片，办理书附件页不能并入，证据清单将注明「附件另附」，请另行打印附上");
        }
        s
    }
}

pub fn attach(
    store: &mut Store,
    home: &Home,
    key: CaseKey,
    what: &Attach,
    who: &Session,
    now: DateTime<FixedOffset>,
) -> Result<Attached> {
    if what.pages == 0 {
        bail!("页数至少为1");
    }
    store.case(key)?;
    let file_name = what
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let typed = !what.title.trim().is_empty();
    let title = if typed {
        what.title.trim().to_string()
    } else {
        file_name.clone()
    };
    // The default title is the file's name, which may hold anything a file system allows.
    crate::domain::check_text("证据名称", &title, false, 100, &crate::intake::printable).map_err(
        |e| match typed {
            true => anyhow::anyhow!(e),
            false => anyhow::anyhow!("{e}（文件名不宜作名称，请另起证据名称）"),
        },
    )?;
    let stored = evidence_files::store(&home.evidence_dir(), what.file)?;
    let annexable = is_image(what.file)?;
    let evidence = store.add_evidence(
        key,
        &NewEvidence {
            kind: what.kind,
            title,
            pages: what.pages,
            file_name,
            size: stored.size,
            sha256: stored.sha256.clone(),
        },
        who,
        now,
    )?;
    Ok(Attached {
        evidence,
        new_file: stored.new,
        annexable,
    })
}

/// Whether a file is a JPEG or PNG, by its first bytes.
fn is_image(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut head = Vec::with_capacity(4);
    std::fs::File::open(path)?.take(4).read_to_end(&mut head)?;
    Ok(head.starts_with(&[0xFF, 0xD8, 0xFF]) || head.starts_with(&[0x89, b'P', b'N', b'G']))
}
