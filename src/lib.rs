//! minshi (民事直通车): the register, deadline board and paper of a 综治中心 counter.
//! See ARCHITECTURE.md for the code map.

pub mod attaching;
pub mod backup;
pub mod calendar;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod export;
pub mod home;
pub mod intake;
pub mod lines;
pub mod store;
pub mod text;
pub mod tui;

/// The full-screen program, opened when `minshi` runs without a command.
pub fn tui_entry(home: &home::Home) -> anyhow::Result<std::process::ExitCode> {
    tui::run(home)
}
pub mod evidence_files;
pub mod logging;
pub mod owner_only;
pub mod print;
pub mod printing;
