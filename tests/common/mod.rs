//! Helpers shared by the integration tests: a fresh home folder, a register on a real file, the
//! real binary with a fixed clock.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use minshi::config::Config;
use minshi::domain::NewCaseInput;
use minshi::store::Store;

pub fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("test times are valid")
}

pub fn open(dir: &Path) -> Store {
    Store::open(&dir.join("minshi.db"), Arc::new(Config::embedded())).expect("store opens")
}

pub fn input(name: &str, category: &str, request: &str) -> NewCaseInput {
    NewCaseInput {
        name: name.into(),
        phone: "13812341234".into(),
        town: "首阳镇".into(),
        village: "南门村".into(),
        channel: "来访".into(),
        category: category.into(),
        route: "限时办理".into(),
        request: request.into(),
        ..NewCaseInput::default()
    }
}

/// The real binary on `home`, with the clock fixed at `now`.
pub fn minshi(home: &Path, now: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_minshi"));
    cmd.env("MINSHI_HOME", home)
        .env("MINSHI_NOW", now)
        .env("USER", "测试员");
    cmd
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
