//! What a screen gets while it handles a key: the register, the configuration, who is working,
//! the time, and a way to ask the application for things beyond the screen (open a case, show a
//! message in the status line).

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::config::Config;
use crate::domain::{CaseKey, Session};
use crate::home::Home;
use crate::store::Store;

/// The clock the screens read: the real one, or a fixed instant for tests and snapshots.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(DateTime<FixedOffset>),
}

impl Clock {
    pub fn now(&self) -> DateTime<FixedOffset> {
        match self {
            Clock::System => crate::clock::now(),
            Clock::Fixed(t) => *t,
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// Something a screen asks the application to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    OpenCase(CaseKey),
    /// A visit, report or meeting found by search: open it on its own screen.
    OpenRecord(super::records::Found),
    /// `/` away from the board: search there.
    Search,
    GoBoard,
    /// Leave the case view for the screen it was opened from.
    CloseCase,
    /// Ctrl-L on a form with something in it: ask first.
    ConfirmClearForm,
    /// Something changed in the register: the board must reload.
    BoardStale,
    /// A statistics row's cases, on the board.
    Drill(Box<super::board::Drill>),
    /// Leave the statistics for the screen they were opened from.
    CloseStats,
    /// Back from a statistics row's cases to the statistics.
    GoStats,
    Info(String),
    /// Done, but with something the clerk must read (missing evidence, printer trouble).
    Warn(String),
    Error(String),
}

pub struct Ctx<'a> {
    pub store: &'a mut Store,
    /// Where printouts and evidence files go.
    pub home: &'a Home,
    pub config: Arc<Config>,
    /// Who is logged in: every write is theirs.
    pub user: &'a Session,
    pub clock: Clock,
    pub requests: Vec<Request>,
}

impl Ctx<'_> {
    pub fn info(&mut self, s: impl Into<String>) {
        self.requests.push(Request::Info(s.into()));
    }

    pub fn warn(&mut self, s: impl Into<String>) {
        self.requests.push(Request::Warn(s.into()));
    }

    pub fn error(&mut self, s: impl Into<String>) {
        self.requests.push(Request::Error(s.into()));
    }
}
