//! How minshi creates what holds people's data — files 0600, folders 0700, from the moment they
//! exist rather than after a `chmod` — and the refusal of symbolic links where minshi keeps its
//! own files: following one would write ID numbers elsewhere, or change the permissions of
//! whatever it points to.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// A symbolic link found where minshi expects its own file or folder.
#[derive(Debug, thiserror::Error)]
#[error(
    "{0} 是符号链接：minshi 不跟随主目录中的链接（以免把个人信息写到别处或改动别处文件的权限），\
     请换成真实的文件夹或文件"
)]
pub struct SymlinkRefused(pub PathBuf);

impl From<SymlinkRefused> for io::Error {
    fn from(e: SymlinkRefused) -> io::Error {
        io::Error::other(e)
    }
}

/// Refuses `path` if it is a symbolic link; a path that does not exist passes.
pub fn refuse_link(path: &Path) -> Result<(), SymlinkRefused> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(SymlinkRefused(path.to_path_buf())),
        _ => Ok(()),
    }
}

/// A new file, readable and writable by the owner only. Fails if anything (a file, a link) is
/// already at `path`: callers write to a fresh temporary name and rename it into place.
pub fn create_file(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// `create_file` at a temporary name of our own: whatever was left there by a crash (or put
/// there as a link) is removed first, never written through.
pub fn create_fresh(path: &Path) -> io::Result<File> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    create_file(path)
}

/// A folder and any missing parents, each created owner-only. Folders that exist are left as
/// they are: minshi changes the permissions only of what it creates.
pub fn create_dir_all(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn files_and_folders_are_created_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a").join("b");
        create_dir_all(&deep).unwrap();
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        assert_eq!(mode(&deep), 0o700);
        let f = deep.join("x.pdf");
        create_file(&f).unwrap();
        assert_eq!(mode(&f), 0o600);
        assert!(create_file(&f).is_err(), "never writes over what is there");
    }

    #[test]
    fn a_link_at_a_temporary_name_is_removed_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, b"keep").unwrap();
        let tmp = dir.path().join("x.partial");
        std::os::unix::fs::symlink(&target, &tmp).unwrap();
        assert!(refuse_link(&tmp).is_err());
        create_fresh(&tmp).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"keep");
        assert!(refuse_link(&tmp).is_ok());
        assert!(refuse_link(&dir.path().join("missing")).is_ok());
    }
}
