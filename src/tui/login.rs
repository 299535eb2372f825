//! 登录: the screen before anything else, and the lock screen that covers the work when the
//! counter is left alone (idle or on a key). Five wrong passwords lock an account for five
//! minutes; the register counts them, so the screen and the command line agree.
//!
//! The lock screen asks for the password of the clerk whose work it covers, their login shown:
//! the one who comes back to the counter is most often that clerk, who types only the password.
//! A clerk taking over presses Tab to the login, which is selected (as every value put there
//! for the clerk is: pick lists, dialogs), so what they type replaces it.

use chrono::{DateTime, FixedOffset};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::board::Board;
use super::keys::{self, Cmd, Scope};
use super::text::TextField;
use super::widgets::{self, put};
use crate::config::Config;
use crate::domain::{Account, Session};
use crate::store::Store;

pub struct Login {
    login: TextField,
    /// The login put there by the lock: shown selected while its field has the focus, replaced
    /// by what is typed, removed whole by Backspace — never appended to. Moving in it makes it
    /// ordinary text.
    login_selected: bool,
    password: TextField,
    on_password: bool,
    message: Option<String>,
    /// The account whose work is under the lock (`None` at start).
    locked: Option<Account>,
}

impl Login {
    pub fn new() -> Login {
        Login {
            login: TextField::new(false),
            login_selected: false,
            password: TextField::new(false),
            on_password: false,
            message: None,
            locked: None,
        }
    }

    /// The lock screen over `account`'s work: its login there (selected), the password asked.
    pub fn locked(account: &Account) -> Login {
        let mut l = Login::new();
        l.login.set(&account.login);
        l.login_selected = true;
        l.on_password = true;
        l.locked = Some(account.clone());
        l
    }

    pub fn locked_account(&self) -> Option<&Account> {
        self.locked.as_ref()
    }

    pub fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Login, Scope::Field]
    }

    fn field(&mut self) -> &mut TextField {
        if self.on_password {
            &mut self.password
        } else {
            &mut self.login
        }
    }

    pub fn type_text(&mut self, s: &str) {
        let line: String = s.chars().filter(|c| !c.is_control()).collect();
        self.replace_selected();
        self.field().insert(&line);
    }

    /// Typing into the selected login: it goes first.
    fn replace_selected(&mut self) {
        if !self.on_password && std::mem::take(&mut self.login_selected) {
            self.login.clear();
        }
    }

    /// Handle a key; a session when the password was right.
    pub fn handle_key(
        &mut self,
        ev: &KeyEvent,
        store: &mut Store,
        now: DateTime<FixedOffset>,
    ) -> Option<Session> {
        match keys::lookup(Scope::Login, ev) {
            Some(Cmd::NextField) => {
                self.on_password = !self.on_password;
                return None;
            }
            Some(Cmd::Submit) => {
                if !self.on_password || self.password.is_empty() {
                    self.on_password = !self.login.is_empty();
                    return None;
                }
                return self.submit(store, now);
            }
            _ => {}
        }
        if !self.on_password && self.login_selected {
            match keys::lookup(Scope::Field, ev) {
                Some(Cmd::DeleteBack | Cmd::DeleteForward) => {
                    self.replace_selected();
                    return None;
                }
                Some(Cmd::Left | Cmd::Right | Cmd::LineStart | Cmd::LineEnd) => {
                    self.login_selected = false;
                }
                Some(_) => {}
                None => {
                    if matches!(ev.code, KeyCode::Char(_))
                        && !ev
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    {
                        self.replace_selected();
                    }
                }
            }
        }
        Board::edit(self.field(), ev);
        None
    }

    fn submit(&mut self, store: &mut Store, now: DateTime<FixedOffset>) -> Option<Session> {
        let login = self.login.text().trim().to_string();
        let password = self.password.text().to_string();
        self.password.clear();
        match store.login(&login, &password, now) {
            Ok(Ok(session)) => {
                self.message = None;
                Some(session)
            }
            Ok(Err(e)) => {
                self.message = Some(e.to_string());
                None
            }
            Err(e) => {
                self.message = Some(e.to_string());
                None
            }
        }
    }

    pub fn render(&self, buf: &mut Buffer, area: Rect, config: &Config) -> Option<(u16, u16)> {
        let title = if self.locked.is_some() {
            "已锁屏"
        } else {
            "登录"
        };
        let rect = widgets::centered(area, 60, 14);
        let inner = widgets::popup(buf, rect, title);
        let mut y = inner.y;
        put(
            buf,
            inner.x + 1,
            y,
            &config.center.name,
            inner.width - 2,
            widgets::label(),
        );
        y += 1;
        if let Some(a) = &self.locked {
            put(
                buf,
                inner.x + 1,
                y,
                &format!(
                    "{}（{}）的工作已锁定，填写的内容都保留着。",
                    a.real_name,
                    a.role.label()
                ),
                inner.width - 2,
                Style::new(),
            );
            y += 1;
            put(
                buf,
                inner.x + 1,
                y,
                "输入密码解锁；换人请改登录名（原登记草稿保存给原账号）。",
                inner.width - 2,
                widgets::dim(),
            );
        }
        y += 2;
        let (cursor, y) = widgets::credentials(
            buf,
            (inner.x + 1, y, inner.width.saturating_sub(2)),
            ("登录名", 8),
            (&self.login, self.login_selected),
            &self.password,
            self.on_password,
            2,
        );
        if let Some(m) = &self.message {
            let ma = Rect::new(
                inner.x + 1,
                y,
                inner.width - 2,
                inner.bottom().saturating_sub(y),
            );
            widgets::wrapped(buf, ma, m, widgets::error());
        }
        cursor
    }
}

impl Default for Login {
    fn default() -> Self {
        Login::new()
    }
}
