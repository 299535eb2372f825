//! The log file in the home folder. Never the terminal: while the full-screen program runs, a
//! line on stderr would tear the screen. `MINSHI_LOG` sets the level (default `info`).

use std::fs::OpenOptions;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

use crate::home::Home;

/// Start logging to `home/minshi.log`; quietly does nothing if the file cannot be opened, since
/// a missing log must not stop the counter. The file is created owner-only (it names cases and
/// clerks); a link in its place is not followed, and a read-only home gets no log.
pub fn init(home: &Home) {
    let path = home.log_path();
    if home.read_only_part().is_some()
        || crate::owner_only::create_dir_all(home.root()).is_err()
        || crate::owner_only::refuse_link(&path).is_err()
    {
        return;
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let Ok(file) = options.open(&path) else {
        return;
    };
    let filter = EnvFilter::try_from_env("MINSHI_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .try_init();
}
