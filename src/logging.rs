//! The log file in the home folder. Never the terminal: while the full-screen program runs, a
//! line on stderr would tear the screen. `MINSHI_LOG` sets the level (default `info`).

use std::fs::OpenOptions;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

use crate::home::Home;

/// Start logging to `home/minshi.log`; quietly does nothing if the file cannot be opened, since
/// a missing log must not stop the counter.
pub fn init(home: &Home) {
    if std::fs::create_dir_all(home.root()).is_err() {
        return;
    }
    let Ok(file) = OpenOptions::new()
        .create(true)
        .append(true)
        .open(home.log_path())
    else {
        return;
    };
    let filter = EnvFilter::try_from_env("MINSHI_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .try_init();
}
