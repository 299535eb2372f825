//! How an export reaches the disk: written under a temporary name beside the file and renamed
//! into place when complete, owner-only (exports carry names, IDs and phones). Whatever stops
//! it — a full disk, a refusal, the clerk's Esc — removes the temporary file, and a file already
//! at the path is left as it was.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::ExportError;

/// `path` with `.partial` after its name: where the file grows until it is whole.
pub fn partial(path: &Path) -> PathBuf {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".partial");
    PathBuf::from(tmp)
}

/// Write a whole file at `path` through `write`, or leave nothing.
pub(super) fn write_whole(
    path: &Path,
    write: impl FnOnce(&mut File) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    crate::owner_only::refuse_link(path)?;
    let tmp = partial(path);
    // Errors name the file the clerk asked for: the temporary name is ours to know.
    let mut file = crate::owner_only::create_fresh(&tmp).map_err(|source| ExportError::File {
        doing: "创建文件",
        path: path.to_path_buf(),
        source,
    })?;
    let done = write(&mut file).and_then(|()| {
        file.sync_all().map_err(|source| ExportError::File {
            doing: "写入文件",
            path: path.to_path_buf(),
            source,
        })
    });
    if let Err(e) = done {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, path).map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        ExportError::File {
            doing: "写入文件",
            path: path.to_path_buf(),
            source,
        }
    })
}

/// What a write error means: the clerk's Esc (told through `stopped`), or the disk's refusal.
pub(super) fn io_error(e: io::Error, path: &Path, stopped: bool) -> ExportError {
    if stopped {
        ExportError::Cancelled
    } else {
        ExportError::File {
            doing: "写入文件",
            path: path.to_path_buf(),
            source: e,
        }
    }
}

/// A writer that asks before each chunk whether to go on: a workbook's save (compressing every
/// row written) can take a while, and Esc must stop it too. After the first refusal (the
/// clerk's, or the disk's) it swallows what follows: the zip writer finishes its archive when
/// dropped and would otherwise print its own failure to the terminal the screen is drawn on.
pub(super) struct Asking<'a, W> {
    pub inner: W,
    pub go_on: &'a mut (dyn FnMut() -> bool + Send),
    /// Set when `go_on` said no, so the error it causes reads as a cancel.
    pub stopped: bool,
    failed: bool,
}

impl<'a, W> Asking<'a, W> {
    pub(super) fn new(inner: W, go_on: &'a mut (dyn FnMut() -> bool + Send)) -> Self {
        Asking {
            inner,
            go_on,
            stopped: false,
            failed: false,
        }
    }
}

impl<W: Write> Write for Asking<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.stopped || self.failed {
            return Ok(buf.len());
        }
        if !(self.go_on)() {
            self.stopped = true;
            return Err(io::Error::other("export cancelled"));
        }
        self.inner.write(buf).inspect_err(|_| self.failed = true)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.stopped || self.failed {
            return Ok(());
        }
        self.inner.flush().inspect_err(|_| self.failed = true)
    }
}
