//! The screens of 一本、一单、一会 as the application holds them: made afresh for each account
//! that logs in (their drafts are that account's), told when the register changed, their forms
//! written to drafts along with the registration form's.

use super::component::Component;
use super::ctx::Ctx;
use super::draft::DraftFile;
use super::meetings::Meetings;
use super::notebook::{Notebook, keeps_own};
use super::reports::Reports;
use crate::domain::records::RecordKey;
use crate::domain::{Op, Session, authorize};
use crate::home::Home;
use crate::store::RecordHit;

/// Which of the three screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// 报告单 (F7).
    Reports,
    /// 民心沟通会 (F8).
    Meetings,
    /// 民情笔记本 (F9).
    Notebook,
}

impl Which {
    /// The tab in the title.
    pub fn tab(&self) -> &'static str {
        match self {
            Which::Reports => "F7 报告单",
            Which::Meetings => "F8 沟通会",
            Which::Notebook => "F9 笔记本",
        }
    }

    pub const ALL: [Which; 3] = [Which::Reports, Which::Meetings, Which::Notebook];
}

/// A visit (by id), a report or a meeting (by key), as search found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Visit(i64),
    Report(RecordKey),
    Meeting(RecordKey),
}

impl Found {
    pub fn of(hit: &RecordHit) -> Found {
        match hit {
            RecordHit::Visit(v) => Found::Visit(v.id),
            RecordHit::Report(r) => Found::Report(r.key),
            RecordHit::Meeting(m) => Found::Meeting(m.key),
        }
    }
}

pub struct RecordScreens {
    pub reports: Reports,
    pub notebook: Notebook,
    pub meetings: Meetings,
}

impl Default for RecordScreens {
    fn default() -> Self {
        RecordScreens {
            reports: Reports::new(None, true),
            notebook: Notebook::new(None, false),
            meetings: Meetings::new(None),
        }
    }
}

impl RecordScreens {
    /// The screens of the account just logged in: the queue for those who triage, the cadre's
    /// own notebook for a cadre.
    pub fn for_account(home: &Home, session: &Session) -> RecordScreens {
        let dir = home.drafts_dir();
        let drafts = Some((dir.as_path(), session.login()));
        let triages = authorize(session.account(), Op::Triage).is_ok();
        RecordScreens {
            reports: Reports::new(drafts, triages),
            notebook: Notebook::new(drafts, keeps_own(session.role())),
            meetings: Meetings::new(drafts),
        }
    }

    pub fn get(&self, which: Which) -> &dyn Component {
        match which {
            Which::Reports => &self.reports,
            Which::Meetings => &self.meetings,
            Which::Notebook => &self.notebook,
        }
    }

    pub fn get_mut(&mut self, which: Which) -> &mut dyn Component {
        match which {
            Which::Reports => &mut self.reports,
            Which::Meetings => &mut self.meetings,
            Which::Notebook => &mut self.notebook,
        }
    }

    /// Another process (or another screen) changed the register: read again when shown.
    pub fn stale(&mut self) {
        self.reports.stale = true;
        self.notebook.stale = true;
        self.meetings.stale = true;
    }

    /// Load what the screen up now shows; true when something changed.
    pub fn load(&mut self, which: Which, ctx: &mut Ctx) -> bool {
        match which {
            Which::Reports => self.reports.load(ctx),
            Which::Meetings => self.meetings.load(ctx),
            Which::Notebook => self.notebook.load(ctx),
        }
    }

    /// Open a visit, report or meeting found by search on its own screen; the screen, when it
    /// could be read.
    pub fn open(&mut self, found: Found, ctx: &mut Ctx) -> Option<Which> {
        let (which, opened) = match found {
            Found::Visit(id) => (Which::Notebook, self.notebook.open(id, ctx)),
            Found::Report(key) => (Which::Reports, self.reports.open(key, ctx)),
            Found::Meeting(key) => (Which::Meetings, self.meetings.open(key, ctx)),
        };
        opened.then_some(which)
    }

    /// A report, visit or meeting is opened (or a form), not the list.
    pub fn is_open(&self, which: Which) -> bool {
        match which {
            Which::Reports => self.reports.is_open(),
            Which::Meetings => self.meetings.is_open(),
            Which::Notebook => self.notebook.is_open(),
        }
    }

    /// Some form changed since its draft was written.
    pub fn dirty(&self) -> bool {
        self.reports.has_drafts_to_save()
            || self.notebook.has_drafts_to_save()
            || self.meetings.has_drafts_to_save()
    }

    /// Every form in progress with something in it, as its draft file would hold it (for the
    /// panic hook's mirror).
    pub fn drafts(&self) -> Vec<(DraftFile, serde_json::Value)> {
        let mut out = self.reports.drafts();
        out.extend(self.notebook.drafts());
        out.extend(self.meetings.drafts());
        out
    }

    /// The actions on reports and meetings left unfinished in drafts (立案, 答复, 并案, 引导,
    /// 意见), each with where to go on with it: told at login.
    pub fn unfinished(&self, ctx: &mut Ctx) -> Vec<String> {
        let mut out = self.reports.unfinished(ctx);
        out.extend(self.meetings.unfinished(ctx));
        out
    }

    /// Write every form in progress to its draft.
    pub fn save_drafts(&mut self) -> anyhow::Result<()> {
        self.reports.save_drafts()?;
        self.notebook.save_drafts()?;
        self.meetings.save_drafts()
    }
}
