//! 值班长确认: printing the final 办理书 or 归档 a case whose required evidence is missing needs a
//! supervisor. A 值班长 at the keyboard confirms with y; a clerk calls one over, who proves who
//! they are with their own login and password. The register records who confirmed.

use chrono::{DateTime, FixedOffset};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::keys::{self, Cmd, Scope};
use super::text::TextField;
use super::widgets::{self, put};
use crate::domain::{Action, Op, Session, authorize};
use crate::store::Store;

/// What waits for the confirmation.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    PrintForm { annex: bool },
    Archive(Action),
}

pub enum Answer {
    Cancel,
    /// Confirmed by this 值班长.
    Confirmed(Session),
}

pub struct Confirm {
    pub pending: Pending,
    missing: String,
    /// The one at the keyboard may confirm: y is enough.
    by_self: Option<Session>,
    login: TextField,
    password: TextField,
    on_password: bool,
    error: Option<String>,
}

impl Confirm {
    pub fn new(pending: Pending, missing: String, user: &Session) -> Confirm {
        let by_self = authorize(user.account(), Op::ConfirmMissingEvidence)
            .is_ok()
            .then(|| user.clone());
        Confirm {
            pending,
            missing,
            by_self,
            login: TextField::new(false),
            password: TextField::new(false),
            on_password: false,
            error: None,
        }
    }

    pub fn scopes(&self) -> Vec<Scope> {
        if self.by_self.is_some() {
            vec![Scope::Global, Scope::Confirm]
        } else {
            vec![Scope::Global, Scope::Supervisor, Scope::Field]
        }
    }

    fn what(&self) -> &'static str {
        match self.pending {
            Pending::PrintForm { .. } => "打印民事办理书",
            Pending::Archive(_) => "归档",
        }
    }

    pub fn type_text(&mut self, s: &str) {
        if self.by_self.is_none() {
            self.field().insert(s);
        }
    }

    fn field(&mut self) -> &mut TextField {
        if self.on_password {
            &mut self.password
        } else {
            &mut self.login
        }
    }

    pub fn handle_key(
        &mut self,
        ev: &KeyEvent,
        store: &mut Store,
        now: DateTime<FixedOffset>,
    ) -> Option<Answer> {
        if let Some(me) = &self.by_self {
            return match keys::lookup(Scope::Confirm, ev) {
                Some(Cmd::Yes) => Some(Answer::Confirmed(me.clone())),
                Some(Cmd::No) => Some(Answer::Cancel),
                _ => None,
            };
        }
        match keys::lookup(Scope::Supervisor, ev) {
            Some(Cmd::NextField) => self.on_password = !self.on_password,
            Some(Cmd::Submit) if !self.on_password => self.on_password = true,
            Some(Cmd::Submit) => return self.check(store, now),
            Some(Cmd::Back) => return Some(Answer::Cancel),
            _ => match keys::lookup(Scope::Field, ev) {
                Some(Cmd::DeleteBack) => {
                    self.field().delete_back();
                }
                Some(Cmd::Left) => {
                    self.field().left();
                }
                Some(Cmd::Right) => {
                    self.field().right();
                }
                _ => {
                    if let KeyCode::Char(c) = ev.code
                        && !ev
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    {
                        self.field().insert(&c.to_string());
                    }
                }
            },
        }
        None
    }

    /// The supervisor's login and password: a session of someone who may confirm, or the
    /// reason in the dialog.
    fn check(&mut self, store: &mut Store, now: DateTime<FixedOffset>) -> Option<Answer> {
        let login = self.login.text().trim().to_string();
        let password = self.password.text().to_string();
        // Whatever the answer, the next try starts from an empty login.
        self.password.clear();
        self.login.clear();
        self.on_password = false;
        match store.login(&login, &password, now) {
            Ok(Ok(session)) => match authorize(session.account(), Op::ConfirmMissingEvidence) {
                Ok(()) => Some(Answer::Confirmed(session)),
                Err(_) => {
                    self.error = Some(format!(
                        "{}是{}，不能确认；请值班长输入自己的登录名和密码",
                        session.real_name(),
                        session.role().label()
                    ));
                    None
                }
            },
            Ok(Err(e)) => {
                self.error = Some(e.to_string());
                None
            }
            Err(e) => {
                self.error = Some(format!("无法核对账号：{e}"));
                None
            }
        }
    }

    pub fn render(&self, buf: &mut Buffer, area: Rect) -> Option<(u16, u16)> {
        let rect = widgets::centered(area, 64, 13);
        let inner = widgets::popup(buf, rect, "须值班长确认");
        let body = format!(
            "该案件缺少证据：{}。民事办理书须附相关佐证资料；请先用 e 补充证据。确需现在{}的，由值班长确认，确认人记入办理过程。",
            self.missing,
            self.what()
        );
        let text_area = Rect::new(inner.x + 1, inner.y, inner.width.saturating_sub(2), 4);
        let y = inner.y + widgets::wrapped(buf, text_area, &body, Style::new()) + 1;
        if let Some(me) = &self.by_self {
            put(
                buf,
                inner.x + 1,
                y,
                &format!("y  由{}（{}）确认", me.real_name(), me.role().label()),
                inner.width - 2,
                widgets::ok(),
            );
            put(
                buf,
                inner.x + 1,
                y + 1,
                "n  取消",
                inner.width - 2,
                Style::new(),
            );
            return None;
        }
        let (cursor, y) = widgets::credentials(
            buf,
            (inner.x + 1, y, inner.width.saturating_sub(2)),
            ("值班长登录名", 13),
            (&self.login, false),
            &self.password,
            self.on_password,
            1,
        );
        let msg = self
            .error
            .clone()
            .unwrap_or_else(|| "Enter 确认，Esc 取消".to_string());
        let style = if self.error.is_some() {
            widgets::error()
        } else {
            widgets::dim()
        };
        let ma = Rect::new(
            inner.x + 1,
            y + 1,
            inner.width - 2,
            inner.bottom().saturating_sub(y + 1),
        );
        widgets::wrapped(buf, ma, &msg, style);
        cursor
    }
}
