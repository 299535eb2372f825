//! The registration form in progress, kept on disk so that a crash, a killed process or a closed
//! SSH session loses nothing: one JSON file per clerk in the home's `drafts/`, replaced atomically
//! (written to a temporary file, synced, renamed over the old one). The other forms (a visit, a
//! report, a meeting, a report's 立案) keep theirs the same way, one file per kind and clerk; a
//! dialog that acts on one record (a report's 答复, 并案 or 引导, a meeting's 意见) keeps one file
//! per kind, record and clerk, so that each comes back on the record it was typed for.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::NewCaseInput;

/// Where one clerk's draft lives.
#[derive(Debug, Clone)]
pub struct DraftFile {
    path: PathBuf,
}

impl DraftFile {
    pub fn new(drafts_dir: &Path, user: &str) -> DraftFile {
        DraftFile::named(drafts_dir, "register", user)
    }

    /// One clerk's draft of a kind of form (`visit`, `report`, `meeting`, `triage`).
    pub fn named(drafts_dir: &Path, kind: &str, user: &str) -> DraftFile {
        let safe: String = user
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '_' })
            .collect();
        DraftFile {
            path: drafts_dir.join(format!("{kind}-{safe}.json")),
        }
    }

    /// One clerk's draft of a kind of dialog on one record (`answered`, `opinion`; the record's
    /// key as written, `2026-000012`).
    pub fn of_record(drafts_dir: &Path, kind: &str, record: &str, user: &str) -> DraftFile {
        DraftFile::named(drafts_dir, &format!("{kind}-{record}"), user)
    }

    /// Every draft of `kind` one clerk keeps on some record, with the record's key as its file
    /// names it (no folder yet: none).
    pub fn of_records(drafts_dir: &Path, kind: &str, user: &str) -> Vec<(String, DraftFile)> {
        let ours = DraftFile::of_record(drafts_dir, kind, "", user);
        let Some(name) = ours.path.file_name().and_then(|n| n.to_str()) else {
            return Vec::new();
        };
        // `{kind}--{user}.json`: the record goes between the two dashes. A user's part holds no
        // dash (`named` replaces it), so the end is the user's alone.
        let (head, tail) = name.split_at(kind.len() + 1);
        let Ok(entries) = std::fs::read_dir(drafts_dir) else {
            return Vec::new();
        };
        let mut out: Vec<(String, DraftFile)> = entries
            .filter_map(|e| {
                let name = e.ok()?.file_name().into_string().ok()?;
                let record = name.strip_prefix(head)?.strip_suffix(tail)?;
                (!record.is_empty()).then(|| {
                    let path = drafts_dir.join(&name);
                    (record.to_string(), DraftFile { path })
                })
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Write the draft: a reader sees the old file or the new one, never half of one.
    pub fn save(&self, input: &NewCaseInput) -> Result<()> {
        self.save_value(input)
    }

    /// Write any form's draft, as `save` does.
    pub fn save_value<T: Serialize>(&self, input: &T) -> Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        crate::owner_only::create_dir_all(dir)
            .with_context(|| format!("无法创建草稿目录 {}", dir.display()))?;
        let tmp = self
            .path
            .with_extension(format!("{}.tmp", std::process::id()));
        let json = serde_json::to_vec_pretty(input)?;
        {
            // Owner-only: a draft holds a full ID number and phone.
            let mut f = crate::owner_only::create_fresh(&tmp)
                .with_context(|| format!("无法写入草稿 {}", tmp.display()))?;
            f.write_all(&json)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &self.path)
            .with_context(|| format!("无法保存草稿 {}", self.path.display()))?;
        Ok(())
    }

    /// The saved draft, if there is one with anything in it.
    pub fn load(&self) -> Option<NewCaseInput> {
        crate::owner_only::refuse_link(&self.path).ok()?;
        let bytes = std::fs::read(&self.path).ok()?;
        let input: NewCaseInput = serde_json::from_slice(&bytes).ok()?;
        (!is_blank(&input)).then_some(input)
    }

    /// Any form's saved draft, if there is one that reads.
    pub fn load_value<T: DeserializeOwned>(&self) -> Option<T> {
        crate::owner_only::refuse_link(&self.path).ok()?;
        let bytes = std::fs::read(&self.path).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    pub fn remove(&self) -> Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("无法删除草稿 {}", self.path.display()))
            }
            _ => Ok(()),
        }
    }
}

/// Nothing typed yet (defaults such as a channel chosen for every case do not count).
pub fn is_blank(input: &NewCaseInput) -> bool {
    [
        &input.name,
        &input.id_number,
        &input.phone,
        &input.address,
        &input.request,
        &input.facts,
        &input.reasons,
        &input.place,
    ]
    .iter()
    .all(|s| s.trim().is_empty())
        && input.representatives.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_round_trips_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let d = DraftFile::new(dir.path(), "clerk 1");
        assert!(d.load().is_none());
        let input = NewCaseInput {
            name: "王芳".into(),
            request: "讨要工资\n第二行".into(),
            ..NewCaseInput::default()
        };
        d.save(&input).unwrap();
        assert_eq!(d.load(), Some(input));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["register-clerk_1.json"]);
        d.remove().unwrap();
        assert!(d.load().is_none());
    }

    #[test]
    fn drafts_on_records_are_found_by_kind_and_clerk() {
        let dir = tempfile::tempdir().unwrap();
        let save = |kind: &str, record: &str, user: &str| {
            DraftFile::of_record(dir.path(), kind, record, user)
                .save_value(&record)
                .unwrap();
        };
        save("answered", "2026-000012", "zhang-li");
        save("answered", "2026-000003", "zhang-li");
        save("answered", "2026-000012", "li");
        save("opinion", "2026-000012", "zhang-li");
        DraftFile::named(dir.path(), "answered", "zhang-li")
            .save_value(&"not on a record")
            .unwrap();
        let found: Vec<String> = DraftFile::of_records(dir.path(), "answered", "zhang-li")
            .into_iter()
            .map(|(record, d)| {
                assert_eq!(d.load_value::<String>().as_deref(), Some(record.as_str()));
                record
            })
            .collect();
        assert_eq!(found, ["2026-000003", "2026-000012"]);
        assert_eq!(DraftFile::of_records(dir.path(), "answered", "li").len(), 1);
        assert!(DraftFile::of_records(&dir.path().join("none"), "answered", "li").is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_draft_is_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let drafts = dir.path().join("drafts");
        let d = DraftFile::new(&drafts, "clerk");
        d.save(&NewCaseInput {
            id_number: "11010519491231002X".into(),
            ..NewCaseInput::default()
        })
        .unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(d.path()), 0o600);
        assert_eq!(mode(&drafts), 0o700);
    }
}
