//! Helpers shared by the integration tests: a fresh home folder, a register on a real file, the
//! real binary with a fixed clock.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use minshi::config::Config;
use minshi::domain::{Center, NewCaseInput, Role, Session};
use minshi::store::{NewAccount, Store};

/// The password of the accounts the tests make.
pub const PASSWORD: &str = "test-pass-1";

pub fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("test times are valid")
}

/// The register in `dir`, with a 管理员 (`admin`), a 值班长 (`wangfang`) and a 受理员
/// (`zhangli`) when it has no accounts yet.
pub fn open(dir: &Path) -> Store {
    let mut store =
        Store::open(&dir.join("minshi.db"), Arc::new(Config::embedded())).expect("store opens");
    if !store.has_accounts().expect("accounts readable") {
        let now = at("2026-01-01T08:00:00+08:00");
        let account = |login: &str, name: &str, role| NewAccount {
            login: login.into(),
            real_name: name.into(),
            role,
            center: Center::County,
            // The binary, run by `minshi()` as the OS user `tester`, acts as the 管理员.
            os_user: (role == Role::Admin).then(|| "tester".to_string()),
        };
        let admin = store
            .add_account(
                &account("admin", "王建国", Role::Admin),
                PASSWORD,
                None,
                now,
            )
            .expect("first admin");
        let admin = login(&mut store, &admin.login);
        for (l, n, r) in [
            ("wangfang", "王芳", Role::Supervisor),
            ("zhangli", "张丽", Role::Clerk),
        ] {
            store
                .add_account(&account(l, n, r), PASSWORD, Some(&admin), now)
                .expect("test account");
        }
    }
    store
}

pub fn login(store: &mut Store, login: &str) -> Session {
    store
        .login(login, PASSWORD, at("2026-01-01T08:00:00+08:00"))
        .expect("login readable")
        .expect("right password")
}

/// The 值班长 of the test register: allowed every case action.
pub fn who(store: &mut Store) -> Session {
    login(store, "wangfang")
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

/// The real binary on `home`, with the clock fixed at `now`, run by the OS user `tester`.
pub fn minshi_raw(home: &Path, now: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_minshi"));
    cmd.env("MINSHI_HOME", home)
        .env("MINSHI_NOW", now)
        .env("USER", "tester")
        .env_remove("MINSHI_PASSWORD")
        .env_remove("MINSHI_NEW_PASSWORD")
        .env_remove("MINSHI_CONFIRM_PASSWORD");
    cmd
}

/// As `minshi_raw`, on a home initialized (once) with the 管理员 `tester` (测试员) bound to the
/// OS user `tester`, so commands act as that 管理员.
pub fn minshi(home: &Path, now: &str) -> Command {
    if !home.join("minshi.home").exists() {
        let out = minshi_raw(home, now)
            .args(["init", "--admin-name", "测试员"])
            .env("MINSHI_PASSWORD", PASSWORD)
            .output()
            .expect("init runs");
        assert!(out.status.success(), "init: {}", stderr(&out));
    }
    minshi_raw(home, now)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
