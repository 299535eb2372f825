//! Backup and restore of a whole register: one owner-only tar archive holding a snapshot of the
//! database (taken while others write), every evidence file it references, and a manifest with
//! their SHA-256 hashes and the chain's digest. `restore` verifies all of it before it touches
//! the home, keeps what it replaces aside, and leaves a register on which `check` passes.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::evidence_files;
use crate::home::Home;
use crate::owner_only;
use crate::store::Store;

const MANIFEST: &str = "manifest.json";
const DATABASE: &str = "minshi.db";

/// What an archive holds, written into it as `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub format: u32,
    pub created_at: String,
    pub center: String,
    /// The chain head of the snapshot (`N:hex`), or empty for a register without events.
    pub digest: String,
    pub cases: i64,
    pub files: Vec<ManifestFile>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ManifestFile {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

/// An archive written, with its manifest.
#[derive(Debug, Clone)]
pub struct Made {
    pub path: PathBuf,
    pub manifest: Manifest,
    pub bytes: u64,
}

fn sha256_file(path: &Path) -> Result<(String, u64)> {
    let mut f = File::open(path).with_context(|| format!("无法读取 {}", path.display()))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        size += n as u64;
    }
    Ok((crate::store::hex(&h.finalize()), size))
}

/// The default name of an archive made now, under the home's `backups/`.
pub fn default_path(home: &Home, now: DateTime<FixedOffset>) -> PathBuf {
    home.backups_dir()
        .join(format!("minshi-{}.tar", now.format("%Y%m%d-%H%M%S")))
}

/// Make an archive of the register at `dest` (which must not exist).
pub fn make(store: &Store, home: &Home, dest: &Path, now: DateTime<FixedOffset>) -> Result<Made> {
    if dest.exists() {
        bail!(
            "{} 已存在，请换一个文件名（不会覆盖已有文件）",
            dest.display()
        );
    }
    let work = tempfile::Builder::new()
        .prefix(".backup-")
        .tempdir_in(home.root())
        .context("无法在主目录中建立临时目录")?;
    let snapshot = work.path().join(DATABASE);
    store.backup(&snapshot)?;
    // Read the snapshot, not the live register: its evidence list and digest are the archive's.
    let copy = Store::open(&snapshot, store.config_arc())?;
    let digest = copy.head()?.map(|h| h.digest()).unwrap_or_default();
    let cases = copy.case_count()?;
    let mut evidence: Vec<String> = copy
        .evidence_files()?
        .into_iter()
        .map(|(_, _, sha, _)| sha)
        .collect();
    drop(copy);
    evidence.sort();
    evidence.dedup();
    let (db_sha, db_size) = sha256_file(&snapshot)?;
    let mut files = vec![ManifestFile {
        path: DATABASE.into(),
        sha256: db_sha,
        size: db_size,
    }];
    let dir = home.evidence_dir();
    let mut sources = vec![(DATABASE.to_string(), snapshot.clone())];
    for sha in &evidence {
        let source = evidence_files::path_of(&dir, sha);
        let (actual, size) = sha256_file(&source)
            .with_context(|| format!("证据文件 {} 不在主目录中，备份中止", source.display()))?;
        if &actual != sha {
            bail!(
                "证据文件 {} 的内容与登记的 SHA-256 不符（已被改动），备份中止；请先运行 minshi evidence verify",
                source.display()
            );
        }
        let name = format!("evidence/{}/{sha}", &sha[..2]);
        files.push(ManifestFile {
            path: name.clone(),
            sha256: actual,
            size,
        });
        sources.push((name, source));
    }
    let manifest = Manifest {
        format: 1,
        created_at: crate::clock::format(&now),
        center: store.config().center.name.clone(),
        digest,
        cases,
        files,
    };
    let partial = dest.with_extension("tar.partial");
    {
        let out = owner_only::create_fresh(&partial)
            .with_context(|| format!("无法新建 {}", partial.display()))?;
        let mut tar = tar::Builder::new(std::io::BufWriter::new(out));
        let json = serde_json::to_vec_pretty(&manifest)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o600);
        header.set_mtime(now.timestamp().max(0) as u64);
        header.set_cksum();
        tar.append_data(&mut header, MANIFEST, json.as_slice())?;
        for (name, source) in &sources {
            let mut f = File::open(source)?;
            tar.append_file(name, &mut f)
                .with_context(|| format!("无法写入备份 {}", partial.display()))?;
        }
        let mut w = tar.into_inner()?;
        w.flush()?;
        w.into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()
            .context("无法写入备份")?;
    }
    std::fs::rename(&partial, dest).with_context(|| format!("无法写入备份 {}", dest.display()))?;
    let bytes = std::fs::metadata(dest)?.len();
    tracing::info!(path = %dest.display(), bytes, "backup made");
    Ok(Made {
        path: dest.to_path_buf(),
        manifest,
        bytes,
    })
}

/// Unpack and verify an archive into `into`: every file present with its hash, nothing else,
/// no path that leaves the folder. Returns the manifest.
fn unpack_verified(archive: &Path, into: &Path) -> Result<Manifest> {
    let file = File::open(archive).with_context(|| format!("无法打开 {}", archive.display()))?;
    let mut tar = tar::Archive::new(std::io::BufReader::new(file));
    let mut manifest: Option<Manifest> = None;
    let mut seen = Vec::new();
    for entry in tar
        .entries()
        .context("不是 minshi 的备份文件（无法按 tar 读取）")?
    {
        let mut entry = entry.context("备份文件已损坏（tar 结构有误）")?;
        let name = entry.path()?.to_string_lossy().into_owned();
        let safe = !name.starts_with('/')
            && !name.split('/').any(|p| p == ".." || p.is_empty())
            && entry.header().entry_type().is_file();
        if !safe {
            bail!("备份文件中有不该有的条目「{name}」，拒绝恢复");
        }
        if name == MANIFEST {
            let mut text = String::new();
            entry.read_to_string(&mut text)?;
            manifest = Some(
                serde_json::from_str(&text).context("备份文件的清单（manifest.json）无法解读")?,
            );
            continue;
        }
        let target = into.join(&name);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut out = owner_only::create_fresh(&target)
            .with_context(|| format!("无法新建 {}", target.display()))?;
        std::io::copy(&mut entry, &mut out)?;
        out.sync_all()?;
        seen.push(name);
    }
    let Some(manifest) = manifest else {
        bail!("不是 minshi 的备份文件：缺少清单 manifest.json");
    };
    for f in &manifest.files {
        let path = into.join(&f.path);
        let (sha, size) =
            sha256_file(&path).with_context(|| format!("备份中缺少清单所列的 {}", f.path))?;
        if sha != f.sha256 || size != f.size {
            bail!(
                "备份中的 {} 与清单记录的 SHA-256 不符：备份已损坏，拒绝恢复",
                f.path
            );
        }
    }
    if let Some(extra) = seen
        .iter()
        .find(|n| !manifest.files.iter().any(|f| &f.path == *n))
    {
        bail!("备份中有清单未列的文件 {extra}，拒绝恢复");
    }
    Ok(manifest)
}

/// What `restore` did.
#[derive(Debug, Clone)]
pub struct Restored {
    pub manifest: Manifest,
    /// Where the files it replaced were put.
    pub kept_aside: Option<PathBuf>,
}

/// Restore the archive into `home`: verify it fully (hashes, `check`, the digest), refuse while
/// another minshi process has the register open, move the current database and evidence aside,
/// and put the archive's in place.
pub fn restore(home: &Home, archive: &Path, now: DateTime<FixedOffset>) -> Result<Restored> {
    home.create()?;
    let _exclusive = home.lock_exclusive()?;
    let work = tempfile::Builder::new()
        .prefix(".restore-")
        .tempdir_in(home.root())
        .context("无法在主目录中建立临时目录")?;
    let manifest = unpack_verified(archive, work.path())?;
    let config = std::sync::Arc::new(home.config()?);
    {
        let store = Store::open(&work.path().join(DATABASE), config)?;
        let digest = (!manifest.digest.is_empty()).then_some(manifest.digest.as_str());
        let (problems, proven) = store.check_against(digest, crate::store::Depth::Full)?;
        if let Some(p) = problems.first() {
            bail!(
                "备份中的登记簿未通过检查（{p}{}），拒绝恢复",
                if problems.len() > 1 {
                    format!(" 等{}处问题", problems.len())
                } else {
                    String::new()
                }
            );
        }
        if proven == Some(false) {
            bail!("备份中的登记簿与清单记录的摘要不符，拒绝恢复");
        }
    }
    // Keep what is there now.
    let stamp = format!("restore-kept-{}", now.format("%Y%m%d-%H%M%S"));
    let mut aside = home.root().join(&stamp);
    let mut n = 2;
    while aside.exists() {
        aside = home.root().join(format!("{stamp}-{n}"));
        n += 1;
    }
    let mut moved = false;
    for name in ["minshi.db", "minshi.db-wal", "minshi.db-shm", "evidence"] {
        let from = home.root().join(name);
        if std::fs::symlink_metadata(&from).is_ok() {
            if !moved {
                owner_only::create_dir_all(&aside)?;
                moved = true;
            }
            std::fs::rename(&from, aside.join(name))
                .with_context(|| format!("无法把 {} 移到 {}", from.display(), aside.display()))?;
        }
    }
    std::fs::rename(work.path().join(DATABASE), home.db_path()).context("无法放回数据库")?;
    let evidence = work.path().join("evidence");
    if evidence.exists() {
        std::fs::rename(&evidence, home.evidence_dir()).context("无法放回证据文件")?;
    }
    home.create()?;
    home.mark_initialized()?;
    tracing::info!(archive = %archive.display(), "restored");
    Ok(Restored {
        manifest,
        kept_aside: moved.then_some(aside),
    })
}

/// The daily backup: if `backups/` has no archive of today, make one; then keep the newest
/// `keep`. Returns the archive made, if one was.
/// A backup cut short (the program quit while it was written) leaves a `.tar.partial`: one an
/// hour old is no other process's work in progress, and goes.
fn remove_stale_partials(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        let partial = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with(".tar.partial"));
        let stale = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(3600));
        if partial && stale {
            tracing::info!(path = %path.display(), "removed a backup cut short");
            let _ = std::fs::remove_file(&path);
        }
    }
}

pub fn daily(
    store: &Store,
    home: &Home,
    now: DateTime<FixedOffset>,
    keep: u32,
) -> Result<Option<Made>> {
    let dir = home.backups_dir();
    remove_stale_partials(&dir);
    let today = format!("minshi-{}-", now.format("%Y%m%d"));
    let mut archives: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name().is_some_and(|n| {
                        let n = n.to_string_lossy();
                        n.starts_with("minshi-") && n.ends_with(".tar")
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let made = if archives.iter().any(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(&today))
    }) {
        None
    } else {
        let m = make(store, home, &default_path(home, now), now)?;
        archives.push(m.path.clone());
        Some(m)
    };
    archives.sort();
    let keep = keep.max(1) as usize;
    if archives.len() > keep {
        for old in &archives[..archives.len() - keep] {
            let _ = std::fs::remove_file(old);
        }
    }
    Ok(made)
}

#[cfg(test)]
mod partial_tests {
    use super::*;

    #[test]
    fn a_backup_cut_short_long_ago_is_removed_and_a_fresh_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("minshi-20261128-101010.tar.partial");
        let fresh = dir.path().join("minshi-20261129-101010.tar.partial");
        let kept = dir.path().join("minshi-20261127-101010.tar");
        for p in [&old, &fresh, &kept] {
            std::fs::write(p, b"x").unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        for p in [&old, &kept] {
            File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(two_hours_ago)
                .unwrap();
        }
        remove_stale_partials(dir.path());
        assert!(!old.exists());
        assert!(fresh.exists(), "another process may be writing it");
        assert!(kept.exists(), "finished backups are rotation's business");
    }
}
