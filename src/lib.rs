//! minshi (民事直通车): the register, deadline board and paper of a 综治中心 counter.
//! See ARCHITECTURE.md for the code map.

pub mod calendar;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod home;
pub mod store;

/// The full-screen program, opened when `minshi` runs without a command.
pub fn tui_entry(_home: &home::Home, _user: &str) -> anyhow::Result<std::process::ExitCode> {
    eprintln!("全屏终端界面尚在开发中；现在请使用命令行（minshi --help）。");
    Ok(std::process::ExitCode::from(2))
}
pub mod evidence_files;
pub mod logging;
pub mod print;
