//! Evidence files in the home folder, content-addressed: `evidence/ab/abcdef…` named by the
//! SHA-256 of their bytes, copied byte for byte (temporary file, fsync, rename), stored once
//! however often they are attached, and verified against their hash. Folders and files are
//! created owner-only; a symbolic link among them is refused, never followed.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::owner_only::refuse_link;

/// A file copied into the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub sha256: String,
    pub size: u64,
    /// False when the same bytes were already there.
    pub new: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum EvidenceFileError {
    #[error("无法读取证据文件 {path}：{source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("无法保存证据文件到 {path}：{source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("证据文件 {0} 是空文件")]
    Empty(PathBuf),
    #[error(transparent)]
    Link(#[from] crate::owner_only::SymlinkRefused),
}

pub fn path_of(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(&sha256[..2.min(sha256.len())]).join(sha256)
}

fn hash_reader(mut r: impl Read) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = r.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((format!("{:x}", hasher.finalize()), size))
}

/// Copy `source` into `dir` under its hash.
pub fn store(dir: &Path, source: &Path) -> Result<Stored, EvidenceFileError> {
    let read = |e| EvidenceFileError::Read {
        path: source.to_path_buf(),
        source: e,
    };
    let bytes = std::fs::read(source).map_err(read)?;
    if bytes.is_empty() {
        return Err(EvidenceFileError::Empty(source.to_path_buf()));
    }
    let (sha256, size) = hash_reader(bytes.as_slice()).map_err(read)?;
    let dest = path_of(dir, &sha256);
    let parent = dest.parent().expect("hash path has a parent");
    for path in [dir, parent, dest.as_path()] {
        refuse_link(path)?;
    }
    if dest.exists() && verify(dir, &sha256).unwrap_or(false) {
        return Ok(Stored {
            sha256,
            size,
            new: false,
        });
    }
    let write = |e| EvidenceFileError::Write {
        path: dest.clone(),
        source: e,
    };
    crate::owner_only::create_dir_all(parent).map_err(write)?;
    let tmp = parent.join(format!(".{sha256}.partial"));
    {
        let mut f = crate::owner_only::create_fresh(&tmp).map_err(write)?;
        f.write_all(&bytes).map_err(write)?;
        f.sync_all().map_err(write)?;
    }
    std::fs::rename(&tmp, &dest).map_err(write)?;
    Ok(Stored {
        sha256,
        size,
        new: true,
    })
}

/// The stored file of `sha256`, refused (as an error) if it or its folders are links.
fn stored_path(dir: &Path, sha256: &str) -> std::io::Result<PathBuf> {
    let path = path_of(dir, sha256);
    for p in path.ancestors().take(3) {
        refuse_link(p)?;
    }
    Ok(path)
}

/// Whether the stored file still has the bytes its name promises.
pub fn verify(dir: &Path, sha256: &str) -> std::io::Result<bool> {
    let f = File::open(stored_path(dir, sha256)?)?;
    Ok(hash_reader(f)?.0 == sha256)
}

pub fn read(dir: &Path, sha256: &str) -> std::io::Result<Vec<u8>> {
    std::fs::read(stored_path(dir, sha256)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_file_is_stored_once_and_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("调解协议书.jpg");
        std::fs::write(&src, b"\xff\xd8\xff\xe0 pretend jpeg").unwrap();
        let store_dir = dir.path().join("evidence");
        let a = store(&store_dir, &src).unwrap();
        let b = store(&store_dir, &src).unwrap();
        assert!(a.new && !b.new);
        assert_eq!(a.sha256, b.sha256);
        assert_eq!(
            read(&store_dir, &a.sha256).unwrap(),
            std::fs::read(&src).unwrap()
        );
        assert!(verify(&store_dir, &a.sha256).unwrap());
        std::fs::write(path_of(&store_dir, &a.sha256), b"tampered").unwrap();
        assert!(!verify(&store_dir, &a.sha256).unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn stored_files_are_owner_only_and_links_are_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("笔录.pdf");
        std::fs::write(&src, b"%PDF-1.4 pretend").unwrap();
        let store_dir = dir.path().join("evidence");
        let a = store(&store_dir, &src).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let file = path_of(&store_dir, &a.sha256);
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(file.parent().unwrap()), 0o700);
        assert_eq!(mode(&store_dir), 0o700);

        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let linked = dir.path().join("linked");
        std::os::unix::fs::symlink(&elsewhere, &linked).unwrap();
        assert!(matches!(
            store(&linked, &src),
            Err(EvidenceFileError::Link(_))
        ));
        assert!(std::fs::read_dir(&elsewhere).unwrap().next().is_none());
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(&src, &file).unwrap();
        assert!(
            read(&store_dir, &a.sha256).is_err(),
            "a linked file is not read"
        );
        assert!(verify(&store_dir, &a.sha256).is_err());
    }
}
