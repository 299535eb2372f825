//! Accounts of the register: adding, changing and reading them, and proving who someone is (a
//! password checked against its argon2id hash, or the OS user an account is bound to). Every
//! change of an account is an event on the chain, like a change of a case.

use chrono::{DateTime, Duration, FixedOffset};
use rusqlite::{OptionalExtension, Row, params};

use super::cases::{code, time};
use super::{Result, Store, StoreError};
use crate::clock;
use crate::domain::{
    Account, Center, Effects, EventKind, Op, Refusal, Role, Session, authorize, check_login,
    check_password,
};

/// Failed logins that lock an account, and for how long.
pub const MAX_FAILURES: i64 = 5;
pub const LOCK_MINUTES: i64 = 5;

/// What a new account needs.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub login: String,
    pub real_name: String,
    pub role: Role,
    pub center: Center,
    pub os_user: Option<String>,
}

/// Why a login did not succeed, in words for the person at the keyboard.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error("登录名或密码不对（再错{left}次将锁定{LOCK_MINUTES}分钟）")]
    Wrong { left: i64 },
    #[error("登录名或密码不对")]
    Unknown,
    #[error("该账号因连续输错密码已锁定，请在{until}以后再试")]
    Locked { until: String },
    #[error("该账号已停用，请找管理员")]
    Disabled,
}

pub fn hash_password(password: &str) -> Result<String> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&bytes)
        .map_err(|e| StoreError::Refused(Refusal(format!("无法生成密码摘要：{e}"))))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Refused(Refusal(format!("无法生成密码摘要：{e}"))))
}

fn verify_password(password: &str, stored: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(stored).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

const COLUMNS: &str = "id, login, real_name, role, center, active, os_user, created_at";

fn account_from(r: &Row) -> rusqlite::Result<Account> {
    Ok(Account {
        id: r.get(0)?,
        login: r.get(1)?,
        real_name: r.get(2)?,
        role: code("role", r.get(3)?, Role::from_code)?,
        center: Center::from_code(&r.get::<_, String>(4)?),
        active: r.get(5)?,
        os_user: r.get(6)?,
        created_at: time("created_at", &r.get::<_, String>(7)?)?,
    })
}

fn refused(s: String) -> StoreError {
    StoreError::Refused(Refusal(s))
}

impl Store {
    pub fn accounts(&self) -> Result<Vec<Account>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM accounts ORDER BY id"))?;
        let list = stmt
            .query_map([], account_from)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(list)
    }

    pub fn has_accounts(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM accounts)", [], |r| r.get(0))?)
    }

    pub fn account(&self, login: &str) -> Result<Option<Account>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM accounts WHERE login = ?1"),
                [login.trim()],
                account_from,
            )
            .optional()?)
    }

    fn account_or_refuse(&self, login: &str) -> Result<Account> {
        self.account(login)?
            .ok_or_else(|| refused(format!("没有登录名为「{}」的账号", login.trim())))
    }

    /// The session of the account bound to this OS user, if one is (and it is active).
    pub fn session_for_os_user(&self, os_user: &str) -> Result<Option<Session>> {
        let found = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM accounts WHERE os_user = ?1"),
                [os_user],
                account_from,
            )
            .optional()?;
        match found {
            Some(a) if !a.active => Err(refused(format!(
                "系统用户 {os_user} 绑定的账号 {} 已停用，请找管理员",
                a.login
            ))),
            Some(a) => Ok(Some(Session::new(a))),
            None => Ok(None),
        }
    }

    /// Check a password: five failures in a row lock the account for five minutes.
    pub fn login(
        &mut self,
        login: &str,
        password: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<std::result::Result<Session, LoginError>> {
        let Some(account) = self.account(login)? else {
            // Spend the same time as a real check, so a login name cannot be guessed by timing.
            static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            let dummy = DUMMY.get_or_init(|| hash_password("minshi-dummy").unwrap_or_default());
            let _ = verify_password(password, dummy);
            return Ok(Err(LoginError::Unknown));
        };
        let (failures, locked_until): (i64, Option<String>) = self
            .conn
            .query_row(
                "SELECT failures, locked_until FROM login_failures WHERE account_id = ?1",
                [account.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or((0, None));
        if let Some(until) = locked_until.as_deref().and_then(clock::parse)
            && until > now
        {
            return Ok(Err(LoginError::Locked {
                until: until.format("%H:%M").to_string(),
            }));
        }
        if !account.active {
            return Ok(Err(LoginError::Disabled));
        }
        let stored: String = self.conn.query_row(
            "SELECT password FROM accounts WHERE id = ?1",
            [account.id],
            |r| r.get(0),
        )?;
        if verify_password(password, &stored) {
            self.conn.execute(
                "DELETE FROM login_failures WHERE account_id = ?1",
                [account.id],
            )?;
            tracing::info!(login = account.login, "logged in");
            return Ok(Ok(Session::new(account)));
        }
        // A lock that ran out starts the count again.
        let failures = if locked_until.is_some() {
            1
        } else {
            failures + 1
        };
        let lock = (failures >= MAX_FAILURES)
            .then(|| clock::format(&(now + Duration::minutes(LOCK_MINUTES))));
        self.conn.execute(
            "INSERT INTO login_failures (account_id, failures, locked_until) VALUES (?1, ?2, ?3)
             ON CONFLICT (account_id) DO UPDATE SET failures = ?2, locked_until = ?3",
            params![account.id, failures, lock],
        )?;
        tracing::warn!(login = account.login, failures, "failed login");
        Ok(Err(match lock {
            Some(until) => LoginError::Locked {
                until: clock::parse(&until)
                    .map(|t| t.format("%H:%M").to_string())
                    .unwrap_or(until),
            },
            None => LoginError::Wrong {
                left: MAX_FAILURES - failures,
            },
        }))
    }

    /// Add an account. `by` is the 管理员 adding it; `None` only for the first account of a
    /// register, which must be a 管理员 (what `minshi init` makes).
    pub fn add_account(
        &mut self,
        new: &NewAccount,
        password: &str,
        by: Option<&Session>,
        now: DateTime<FixedOffset>,
    ) -> Result<Account> {
        check_login(&new.login).map_err(refused)?;
        check_password(password).map_err(refused)?;
        let real_name = new.real_name.trim();
        if real_name.is_empty() || real_name.chars().count() > 30 {
            return Err(refused("真实姓名须填写，最多30个字".into()));
        }
        if real_name.chars().any(char::is_control) {
            return Err(refused("真实姓名中有控制字符".into()));
        }
        match by {
            Some(s) => authorize(s.account(), Op::ManageAccounts)?,
            None => {
                if self.has_accounts()? {
                    return Err(refused("已有账号，新建账号须由管理员办理".into()));
                }
                if new.role != Role::Admin {
                    return Err(refused("第一个账号必须是管理员".into()));
                }
            }
        }
        if self.account(&new.login)?.is_some() {
            return Err(refused(format!("登录名「{}」已被使用", new.login)));
        }
        if let Some(os) = &new.os_user
            && self.session_for_os_user(os).ok().flatten().is_some()
        {
            return Err(refused(format!("系统用户 {os} 已绑定了其他账号")));
        }
        let hash = hash_password(password)?;
        let at = clock::format(&now);
        let e = Effects::new(EventKind::AddAccount)
            .set("login", new.login.as_str())
            .set("real_name", real_name)
            .set("role", new.role.code())
            .set("center", new.center.code())
            .set("active", 1)
            .set("os_user", new.os_user.clone())
            .set("password", hash.as_str())
            .set("created_at", at.as_str())
            .note("what", format!("新建{}账号", new.role.label()));
        let mut w = self.write()?;
        w.tx_not_cases().execute(
            "INSERT INTO accounts (login, real_name, role, center, active, os_user, password, created_at)
             VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7)",
            params![
                new.login,
                real_name,
                new.role.code(),
                new.center.code(),
                new.os_user,
                hash,
                at
            ],
        )?;
        let id = w.tx_not_cases().last_insert_rowid();
        let added = w.tx_not_cases().query_row(
            &format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1"),
            [id],
            account_from,
        )?;
        let actor = by.map_or(&added, Session::account).clone();
        w.record(None, Some(id), &actor, &now, &e)?;
        w.commit()?;
        tracing::info!(
            login = added.login,
            role = added.role.label(),
            "account added"
        );
        Ok(added)
    }

    /// Change an account (password, active flag, OS binding), on the chain.
    fn change_account(
        &mut self,
        login: &str,
        by: &Session,
        now: DateTime<FixedOffset>,
        e: Effects,
    ) -> Result<Account> {
        let target = self.account_or_refuse(login)?;
        let mut w = self.write()?;
        for (column, value) in &e.set {
            let column = match column.as_str() {
                c @ ("password" | "active" | "os_user" | "real_name" | "role" | "center") => c,
                other => return Err(refused(format!("内部错误：账号没有字段 {other}"))),
            };
            w.tx_not_cases().execute(
                &format!("UPDATE accounts SET {column} = ?2 WHERE id = ?1"),
                params![target.id, super::chain::to_sql(value)],
            )?;
        }
        let e = e
            .set("login", target.login.as_str())
            .note("login", target.login.as_str());
        w.record(None, Some(target.id), by.account(), &now, &e)?;
        w.commit()?;
        self.account_or_refuse(login)
    }

    /// A new password: a 管理员 sets anyone's, everyone their own.
    pub fn set_password(
        &mut self,
        login: &str,
        password: &str,
        by: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<Account> {
        if by.login() != login.trim() {
            authorize(by.account(), Op::ManageAccounts)?;
        }
        check_password(password).map_err(refused)?;
        let hash = hash_password(password)?;
        let e = Effects::new(EventKind::ChangeAccount)
            .set("password", hash)
            .note("what", "修改密码");
        let a = self.change_account(login, by, now, e)?;
        self.conn
            .execute("DELETE FROM login_failures WHERE account_id = ?1", [a.id])?;
        Ok(a)
    }

    pub fn disable_account(
        &mut self,
        login: &str,
        by: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<Account> {
        authorize(by.account(), Op::ManageAccounts)?;
        if by.login() == login.trim() {
            return Err(refused("不能停用自己的账号".into()));
        }
        let e = Effects::new(EventKind::ChangeAccount)
            .set("active", 0)
            .note("what", "停用");
        self.change_account(login, by, now, e)
    }

    pub fn bind_os_user(
        &mut self,
        login: &str,
        os_user: &str,
        by: &Session,
        now: DateTime<FixedOffset>,
    ) -> Result<Account> {
        authorize(by.account(), Op::ManageAccounts)?;
        let os_user = os_user.trim();
        if os_user.is_empty() || os_user.chars().any(|c| c.is_control() || c == '/') {
            return Err(refused(format!("「{os_user}」不是有效的系统用户名")));
        }
        if let Some(other) = self
            .accounts()?
            .into_iter()
            .find(|a| a.os_user.as_deref() == Some(os_user) && a.login != login.trim())
        {
            return Err(refused(format!(
                "系统用户 {os_user} 已绑定账号 {}",
                other.login
            )));
        }
        let e = Effects::new(EventKind::ChangeAccount)
            .set("os_user", os_user)
            .note("what", format!("绑定系统用户 {os_user}"));
        self.change_account(login, by, now, e)
    }
}
