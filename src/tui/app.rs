//! The application: which screen is up, the overlays above it (help, confirmations), the status
//! line, and the chores between key presses (noticing other processes' commits, keeping the
//! draft on disk). One synchronous loop: event → screen → state → draw.

use std::cell::Cell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::board::Board;
use super::case_view::CaseView;
use super::component::{Component, View};
use super::ctx::{Clock, Ctx, Request};
use super::draft::{DraftFile, is_blank};
use super::form::Form;
use super::keys::{self, Cmd, Scope};
use super::login::Login;
use super::records::{RecordScreens, Which};
use super::stats::Stats;
use super::text;
use super::widgets::{self, put};
use crate::calendar::Band;
use crate::config::Config;
use crate::domain::{NewCaseInput, Op, Session, authorize};
use crate::home::Home;
use crate::store::Store;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// How often to ask SQLite whether another process committed.
const POLL_EVERY: Duration = Duration::from_millis(500);
/// A draft is written at most this often while the clerk types (and at once on exit).
const DRAFT_EVERY: Duration = Duration::from_millis(300);

/// How the status line's message reads: done, done but look, or not done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Ok,
    Warn,
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Board,
    Form,
    Case,
    Stats,
    /// 报告单, 沟通会 or 民情笔记本.
    Records(Which),
}

enum Overlay {
    Help,
    ConfirmQuit,
    /// Leaving from a case: a `q` meant as "back" must not end the program.
    ConfirmLeave,
    RestoreDraft(Box<NewCaseInput>),
    ConfirmClearForm,
}

pub struct App {
    store: Store,
    home: Home,
    config: Arc<Config>,
    /// Who is logged in; `None` until the first login.
    session: Option<Session>,
    /// The login screen, over everything: at start, and whenever the screen is locked.
    login: Option<Login>,
    clock: Clock,
    /// The logged-in clerk's draft file.
    draft: Option<DraftFile>,
    /// When the last key was pressed: the screen locks after `idle_lock_minutes`.
    last_input: Instant,
    pub screen: Screen,
    board: Board,
    pub form: Form,
    case: Option<CaseView>,
    /// Where Esc in the case view goes back to.
    case_from: Screen,
    /// A visit, report or meeting opened from the board's search: back there when it closes.
    record_from: Option<Screen>,
    stats: Stats,
    /// Where Esc on the statistics goes back to.
    stats_from: Screen,
    /// 一本、一单、一会: the logged-in account's.
    records: RecordScreens,
    overlay: Option<Overlay>,
    /// How far the help is scrolled, and how far it can be (learnt when drawing).
    help_scroll: u16,
    help_max: Cell<u16>,
    help_page: Cell<u16>,
    status: Option<(String, Tone)>,
    pub quit: bool,
    data_version: i64,
    last_poll: Instant,
    last_draft: Instant,
    /// The forms in progress after the last event, for the panic hook.
    mirror: super::DraftMirror,
}

impl App {
    /// The program at its login screen.
    pub fn new(store: Store, home: &Home, clock: Clock) -> App {
        let config = store.config_arc();
        let form = Form::for_counter(&config);
        let data_version = store.data_version().unwrap_or(0);
        App {
            store,
            home: home.clone(),
            config,
            session: None,
            login: Some(Login::new()),
            clock,
            draft: None,
            last_input: Instant::now(),
            screen: Screen::Board,
            board: Board::new(),
            form,
            case: None,
            case_from: Screen::Board,
            record_from: None,
            stats: Stats::new(),
            stats_from: Screen::Board,
            records: RecordScreens::default(),
            overlay: None,
            help_scroll: 0,
            help_max: Cell::new(0),
            help_page: Cell::new(1),
            status: None,
            quit: false,
            data_version,
            last_poll: Instant::now(),
            last_draft: Instant::now(),
            mirror: Default::default(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    pub fn is_locked(&self) -> bool {
        self.login.is_some()
    }

    /// Cover the work with the lock screen: the form and its draft stay as they are.
    pub fn lock(&mut self) {
        if let Some(account) = self.session.as_ref().map(|s| s.account().clone()) {
            self.save_draft();
            self.login = Some(Login::locked(&account));
            self.overlay = None;
        }
    }

    /// Lock the screen when nobody has pressed a key for the configured time; true if it did.
    pub fn lock_if_idle(&mut self, idle: Duration) -> bool {
        let limit = self.config.security.idle_lock_minutes;
        if limit > 0
            && self.session.is_some()
            && self.login.is_none()
            && idle >= Duration::from_secs(u64::from(limit) * 60)
        {
            self.lock();
            return true;
        }
        false
    }

    /// Someone proved who they are at the login or lock screen.
    fn logged_in(&mut self, session: Session) {
        let same = self
            .session
            .as_ref()
            .is_some_and(|s| s.account().id == session.account().id);
        self.login = None;
        if same {
            self.status = Some(("已解锁".into(), Tone::Ok));
            return;
        }
        // Another clerk takes the counter: the form in progress goes to its owner's draft.
        if self.session.is_some() {
            self.save_draft();
            self.case = None;
            self.screen = Screen::Board;
        }
        // A fresh form, in this clerk's own town and village; a draft restored replaces it all.
        let (town, village) = super::reports::home_place(session.center());
        self.form.set_home_place(&town, &village);
        self.form.clear();
        self.form.draft_dirty = false;
        // Another account's period and break-down are not this one's to see.
        self.stats = Stats::new();
        let draft = DraftFile::new(&self.home.drafts_dir(), session.login());
        self.overlay = draft.load().map(|d| Overlay::RestoreDraft(Box::new(d)));
        self.status = Some((
            format!(
                "{}（{}）已登录",
                session.real_name(),
                session.role().label()
            ),
            Tone::Ok,
        ));
        // The 管理员 is the one who can add a missing holiday table: told at login.
        if session.role() == crate::domain::Role::Admin {
            let missing = self.config.calendar.missing_ahead(self.clock.today(), None);
            if let Some(notice) = crate::calendar::missing_tables_warning(&missing) {
                self.status = Some((
                    format!(
                        "{}（{}）已登录。{notice}（minshi check 列出要加的内容）",
                        session.real_name(),
                        session.role().label()
                    ),
                    Tone::Warn,
                ));
            }
        }
        self.board.scope_to(match session.center() {
            crate::domain::Center::County => None,
            crate::domain::Center::Town(t) | crate::domain::Center::Village { town: t, .. } => {
                Some(t.clone())
            }
        });
        self.draft = Some(draft);
        self.records = RecordScreens::for_account(&self.home, &session);
        // A cadre's work is the notebook.
        if super::notebook::keeps_own(session.role()) {
            self.screen = Screen::Records(Which::Notebook);
        }
        self.session = Some(session);
        // Drafts of actions on reports and meetings come back on their record: say which.
        let unfinished = self.with_ctx(|_, p, ctx| p.records.unfinished(ctx));
        if !unfinished.is_empty() {
            let said = self.status.take().map(|(s, _)| s).unwrap_or_default();
            self.status = Some((
                format!("{said}；未完成的草稿：{}", unfinished.join("、")),
                Tone::Warn,
            ));
        }
        self.board.stale = true;
        self.with_ctx(|b, _, ctx| b.load(ctx));
    }

    /// What the panic hook saves: every form in progress as it was after the last event.
    pub fn draft_mirror(&self) -> super::DraftMirror {
        Arc::clone(&self.mirror)
    }

    /// Run `f` on the screens with a context; then carry out what they asked for. Nothing
    /// runs before someone has logged in.
    fn with_ctx<R: Default>(
        &mut self,
        f: impl FnOnce(&mut Board, &mut ScreenParts, &mut Ctx) -> R,
    ) -> R {
        let Some(user) = self.session.as_ref() else {
            return R::default();
        };
        let mut ctx = Ctx {
            store: &mut self.store,
            home: &self.home,
            config: Arc::clone(&self.config),
            user,
            clock: self.clock,
            requests: Vec::new(),
        };
        let mut parts = ScreenParts {
            form: &mut self.form,
            case: &mut self.case,
            stats: &mut self.stats,
            records: &mut self.records,
        };
        let r = f(&mut self.board, &mut parts, &mut ctx);
        let requests = std::mem::take(&mut ctx.requests);
        for req in requests {
            self.request(req);
        }
        r
    }

    fn request(&mut self, req: Request) {
        match req {
            Request::Info(s) => self.status = Some((s, Tone::Ok)),
            Request::Warn(s) => self.status = Some((s, Tone::Warn)),
            Request::Error(s) => self.status = Some((s, Tone::Error)),
            Request::GoBoard => self.screen = Screen::Board,
            Request::CloseCase => {
                self.screen = self.case_from;
                if self.screen == Screen::Form {
                    self.status = Some(("已回到登记表（表单内容保留）".into(), Tone::Ok));
                }
            }
            Request::ConfirmClearForm => self.overlay = Some(Overlay::ConfirmClearForm),
            Request::BoardStale => self.board.stale = true,
            Request::Drill(drill) => {
                self.board.drill(*drill);
                self.screen = Screen::Board;
            }
            Request::CloseStats => self.screen = self.stats_from,
            Request::GoStats => {
                self.stats.stale = true;
                self.screen = Screen::Stats;
            }
            Request::OpenRecord(found) => {
                let from = self.screen;
                if let Some(which) = self.with_ctx(|_, p, ctx| p.records.open(found, ctx)) {
                    self.screen = Screen::Records(which);
                    self.record_from = Some(from);
                }
            }
            Request::Search => {
                self.screen = Screen::Board;
                self.board.start_search();
            }
            Request::OpenCase(key) => {
                let opened = self.with_ctx(|_, _, ctx| CaseView::open(key, ctx));
                if let Some(v) = opened {
                    self.case = Some(v);
                    if self.screen != Screen::Case {
                        self.case_from = self.screen;
                    }
                    self.screen = Screen::Case;
                }
            }
        }
    }

    /// The scopes of what has the keyboard now, most specific first (for keys and hints).
    pub fn scopes(&self) -> Vec<Scope> {
        if let Some(l) = &self.login {
            return l.scopes();
        }
        match &self.overlay {
            Some(Overlay::Help) if self.help_max.get() > 0 => {
                return vec![Scope::LongHelp, Scope::Global];
            }
            Some(Overlay::Help) => return vec![Scope::Global],
            Some(_) => return vec![Scope::Confirm],
            None => {}
        }
        self.current()
            .map_or(vec![Scope::Global, Scope::Browse], |c| c.scopes())
    }

    /// The screen up now.
    fn current(&self) -> Option<&dyn Component> {
        match self.screen {
            Screen::Board => Some(&self.board),
            Screen::Form => Some(&self.form),
            Screen::Case => self.case.as_ref().map(|c| c as &dyn Component),
            Screen::Stats => Some(&self.stats),
            Screen::Records(w) => Some(self.records.get(w)),
        }
    }

    /// Run `f` on the screen up now, with a context.
    fn on_current<R: Default>(&mut self, f: impl FnOnce(&mut dyn Component, &mut Ctx) -> R) -> R {
        let screen = self.screen;
        self.with_ctx(|board, parts, ctx| {
            let current: Option<&mut dyn Component> = match screen {
                Screen::Board => Some(board),
                Screen::Form => Some(&mut *parts.form),
                Screen::Case => parts.case.as_mut().map(|c| c as &mut dyn Component),
                Screen::Stats => Some(&mut *parts.stats),
                Screen::Records(w) => Some(parts.records.get_mut(w)),
            };
            current.map(|c| f(c, ctx)).unwrap_or_default()
        })
    }

    fn is_typing(&self) -> bool {
        self.current().is_some_and(|c| c.is_typing())
    }

    pub fn handle(&mut self, event: Event) {
        match event {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.key(k),
            Event::Paste(s) => self.paste(&s),
            Event::Resize(w, h) => self.resized(w, h),
            _ => {}
        }
        self.after_event();
    }

    fn paste(&mut self, s: &str) {
        self.last_input = Instant::now();
        if let Some(l) = self.login.as_mut() {
            l.type_text(s);
            return;
        }
        if self.overlay.is_some() {
            return;
        }
        let used = self.on_current(|c, ctx| c.type_text(s, ctx));
        if !used {
            self.status = Some(("这里不能粘贴文字".into(), Tone::Error));
        }
    }

    fn key(&mut self, ev: KeyEvent) {
        self.last_input = Instant::now();
        if let Some(mut login) = self.login.take() {
            if keys::lookup(Scope::Global, &ev) == Some(Cmd::Quit) {
                // Leaving from the lock screen keeps the draft for its owner.
                self.save_draft();
                self.quit = true;
                self.login = Some(login);
                return;
            }
            match login.handle_key(&ev, &mut self.store, self.clock.now()) {
                Some(session) => self.logged_in(session),
                None => self.login = Some(login),
            }
            return;
        }
        if let Some(overlay) = self.overlay.take() {
            self.overlay_key(overlay, &ev);
            return;
        }
        // Global keys work everywhere, even while typing.
        if let Some(cmd) = keys::lookup(Scope::Global, &ev) {
            if cmd != Cmd::Help {
                self.record_from = None;
            }
            match cmd {
                Cmd::Help => self.open_help(),
                Cmd::GoForm => self.screen = Screen::Form,
                Cmd::GoBoard => self.screen = Screen::Board,
                Cmd::GoStats => self.open_stats(),
                Cmd::GoReports => self.screen = Screen::Records(Which::Reports),
                Cmd::GoMeetings => self.screen = Screen::Records(Which::Meetings),
                Cmd::GoNotebook => self.screen = Screen::Records(Which::Notebook),
                Cmd::Lock => self.lock(),
                Cmd::Quit => self.ask_quit(),
                _ => {}
            }
            return;
        }
        let used = self.on_current(|c, ctx| c.handle_key(&ev, ctx));
        // A record opened from the search, closed: back to the search's results.
        if let (Screen::Records(w), Some(from)) = (self.screen, self.record_from)
            && !self.records.is_open(w)
        {
            self.screen = from;
            self.record_from = None;
        }
        if used || self.is_typing() {
            return;
        }
        match keys::lookup(Scope::Browse, &ev) {
            Some(Cmd::Help) => self.open_help(),
            Some(Cmd::Quit) => self.ask_quit(),
            _ => {}
        }
    }

    fn open_help(&mut self) {
        self.help_scroll = 0;
        self.help_max.set(0);
        self.overlay = Some(Overlay::Help);
    }

    /// F4: the statistics, for those who may see them; anyone else is told who may.
    fn open_stats(&mut self) {
        let Some(session) = &self.session else {
            return;
        };
        if let Err(refusal) = authorize(session.account(), Op::Statistics) {
            self.status = Some((format!("不能打开统计：{refusal}"), Tone::Error));
            return;
        }
        if self.screen != Screen::Stats {
            self.stats_from = self.screen;
        }
        self.stats.stale = true;
        self.screen = Screen::Stats;
    }

    /// Whether the account at the keyboard may see the statistics (their tab shows then).
    fn sees_statistics(&self) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| authorize(s.account(), Op::Statistics).is_ok())
    }

    fn ask_quit(&mut self) {
        if !self.form.is_blank() {
            self.overlay = Some(Overlay::ConfirmQuit);
        } else if self.screen == Screen::Case || self.record_open() {
            self.overlay = Some(Overlay::ConfirmLeave);
        } else {
            self.quit = true;
        }
    }

    /// A report, visit or meeting is open: there too a `q` may be meant as "back".
    fn record_open(&self) -> bool {
        match self.screen {
            Screen::Records(w) => self.records.is_open(w),
            _ => false,
        }
    }

    fn overlay_key(&mut self, overlay: Overlay, ev: &KeyEvent) {
        match overlay {
            // Any key closes the help, but those that scroll a help longer than the screen.
            Overlay::Help => {
                let max = self.help_max.get();
                let step = self.help_page.get().saturating_sub(1).max(1);
                let scroll = match keys::lookup(Scope::LongHelp, ev) {
                    _ if max == 0 => None,
                    Some(Cmd::Up) => Some(self.help_scroll.saturating_sub(1)),
                    Some(Cmd::Down) => Some(self.help_scroll + 1),
                    Some(Cmd::PageUp) => Some(self.help_scroll.saturating_sub(step)),
                    Some(Cmd::PageDown) => Some(self.help_scroll + step),
                    _ => None,
                };
                if let Some(s) = scroll {
                    self.help_scroll = s.min(max);
                    self.overlay = Some(Overlay::Help);
                }
            }
            Overlay::ConfirmQuit => match keys::lookup(Scope::Confirm, ev) {
                Some(Cmd::Yes) => {
                    self.save_draft();
                    self.quit = true;
                }
                Some(Cmd::Discard) => {
                    if let Some(d) = &self.draft {
                        let _ = d.remove();
                    }
                    self.form.clear();
                    self.form.draft_dirty = false;
                    self.quit = true;
                }
                Some(Cmd::No) => {}
                _ => self.overlay = Some(Overlay::ConfirmQuit),
            },
            Overlay::ConfirmClearForm => match keys::lookup(Scope::Confirm, ev) {
                Some(Cmd::Yes) => {
                    self.form.clear();
                    self.status = Some(("表单已清空".into(), Tone::Ok));
                }
                Some(Cmd::No) => self.status = Some(("未清空表单".into(), Tone::Ok)),
                _ => self.overlay = Some(Overlay::ConfirmClearForm),
            },
            Overlay::ConfirmLeave => match keys::lookup(Scope::Confirm, ev) {
                Some(Cmd::Yes) => self.quit = true,
                Some(Cmd::No) => {}
                _ => self.overlay = Some(Overlay::ConfirmLeave),
            },
            Overlay::RestoreDraft(input) => match keys::lookup(Scope::Confirm, ev) {
                Some(Cmd::Yes) => {
                    self.form.load(&input);
                    self.with_ctx(|_, p, ctx| p.form.refresh_matches(ctx));
                    self.screen = Screen::Form;
                    self.status = Some(("已恢复上次未保存的登记草稿".into(), Tone::Ok));
                }
                Some(Cmd::Discard) => {
                    if let Some(d) = &self.draft {
                        let _ = d.remove();
                    }
                    self.status = Some(("已丢弃草稿".into(), Tone::Ok));
                }
                Some(Cmd::No) => {
                    self.status = Some((
                        "草稿暂不恢复（仍保留，开始填写新登记后将被覆盖）".into(),
                        Tone::Ok,
                    ));
                }
                _ => self.overlay = Some(Overlay::RestoreDraft(input)),
            },
        }
    }

    /// Load what the current screen needs before it is drawn (cheap: one page).
    fn after_event(&mut self) {
        // Every event: a form saved or left since must leave the mirror too.
        self.mirror_drafts();
        match self.screen {
            Screen::Board => {
                self.with_ctx(|b, _, ctx| b.load(ctx));
            }
            Screen::Stats => {
                self.with_ctx(|_, p, ctx| p.stats.load(ctx));
            }
            Screen::Form | Screen::Case | Screen::Records(_) => {}
        }
        if let Screen::Records(w) = self.screen {
            self.with_ctx(|_, p, ctx| p.records.load(w, ctx));
        }
    }

    /// The frame size is known: load the rows that fit (before the first frame, and on resize).
    pub fn resized(&mut self, width: u16, height: u16) {
        // Title, counts (2), filters, table head, status and hints take 7 rows.
        self.board.set_page(height.saturating_sub(7) as usize);
        let _ = width;
        self.after_event();
    }

    /// Chores between events; true when something changed on screen.
    pub fn tick(&mut self) -> bool {
        let mut changed = self.lock_if_idle(self.last_input.elapsed());
        if self.last_poll.elapsed() >= POLL_EVERY {
            self.last_poll = Instant::now();
            if let Ok(v) = self.store.data_version()
                && v != self.data_version
            {
                self.data_version = v;
                self.board.stale = true;
                self.stats.stale = true;
                self.records.stale();
                if self.screen == Screen::Case {
                    self.with_ctx(|_, p, ctx| {
                        if let Some(c) = p.case.as_mut() {
                            c.reload(ctx);
                        }
                    });
                }
                changed = true;
            }
        }
        // An export goes on (and ends, and says so) whichever screen is up.
        changed |= self.with_ctx(|_, p, ctx| p.stats.poll_export(ctx));
        match self.screen {
            Screen::Board => changed |= self.with_ctx(|b, _, ctx| b.load(ctx)),
            Screen::Stats => changed |= self.with_ctx(|_, p, ctx| p.stats.load(ctx)),
            Screen::Form | Screen::Case | Screen::Records(_) => {}
        }
        if let Screen::Records(w) = self.screen {
            changed |= self.with_ctx(|_, p, ctx| p.records.load(w, ctx));
        }
        if (self.form.draft_dirty || self.records.dirty())
            && self.last_draft.elapsed() >= DRAFT_EVERY
        {
            self.save_draft();
        }
        changed
    }

    /// Work that may wait until the frame is on screen (the header's counts).
    pub fn deferred(&mut self) -> bool {
        if self.screen == Screen::Board {
            return self.with_ctx(|b, _, ctx| b.load_header(ctx));
        }
        false
    }

    /// Copy every form in progress to the mirror the panic hook saves from.
    fn mirror_drafts(&self) {
        let mut drafts = self.records.drafts();
        if let Some(d) = &self.draft {
            let input = self.form.input();
            if !is_blank(&input)
                && let Ok(value) = serde_json::to_value(&input)
            {
                drafts.push((d.clone(), value));
            }
        }
        if let Ok(mut m) = self.mirror.lock() {
            *m = drafts;
        }
    }

    /// Write the forms to their draft files now (or remove a file whose form is empty).
    pub fn save_draft(&mut self) {
        self.mirror_drafts();
        self.last_draft = Instant::now();
        if let Err(e) = self.records.save_drafts() {
            self.status = Some((format!("草稿未能保存：{e:#}"), Tone::Error));
        }
        self.form.draft_dirty = false;
        let Some(draft) = &self.draft else {
            return;
        };
        let input = self.form.input();
        let result = if is_blank(&input) {
            draft.remove()
        } else {
            draft.save(&input)
        };
        if let Err(e) = result {
            self.status = Some((format!("草稿未能保存：{e:#}"), Tone::Error));
        }
    }

    pub fn draw(&self, frame: &mut Frame) {
        let area = frame.area();
        let buf = frame.buffer_mut();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let msg = format!(
                "窗口太小：现在 {}×{}，至少需要 {MIN_WIDTH}×{MIN_HEIGHT}。请放大终端窗口（或缩小字体）。",
                area.width, area.height
            );
            widgets::wrapped(buf, area, &msg, widgets::warn());
            return;
        }
        self.draw_title(buf, Rect::new(area.x, area.y, area.width, 1));
        if let Some(login) = &self.login {
            let body = Rect::new(area.x, area.y + 1, area.width, area.height - 2);
            let cursor = login.render(buf, body, &self.config);
            self.draw_hints(buf, Rect::new(area.x, area.bottom() - 1, area.width, 1));
            if let Some(c) = cursor {
                frame.set_cursor_position(c);
            }
            return;
        }
        // A long message (a print with its warnings) wraps onto up to five rows.
        let status_rows = self
            .status
            .as_ref()
            .map_or(1, |(m, _)| {
                widgets::wrapped_height(&status_line(m), area.width - 1)
            })
            .clamp(1, 5);
        let body = Rect::new(
            area.x,
            area.y + 1,
            area.width,
            area.height - 2 - status_rows,
        );
        let view = View {
            config: &self.config,
            now: self.clock.now(),
        };
        let mut cursor = self.current().and_then(|c| c.render(buf, body, &view));
        self.draw_status(
            buf,
            Rect::new(
                area.x,
                area.bottom() - 1 - status_rows,
                area.width,
                status_rows,
            ),
        );
        match &self.overlay {
            None => {}
            Some(Overlay::Help) => {
                cursor = None;
                self.draw_help(buf, body);
            }
            Some(Overlay::ConfirmQuit) => {
                cursor = None;
                confirm(
                    buf,
                    body,
                    "退出",
                    "登记表有未保存的内容。\n\ny  退出（草稿保留，下次启动时可恢复）\nd  丢弃草稿并退出\nn  取消，继续填写",
                );
            }
            Some(Overlay::ConfirmLeave) => {
                cursor = None;
                let back = if self.screen == Screen::Case {
                    "n  取消，回到案件（回看板请按 Esc）"
                } else {
                    "n  取消（回列表请按 Esc）"
                };
                confirm(
                    buf,
                    body,
                    "退出",
                    &format!("退出民事直通车？\n\ny  退出\n{back}"),
                );
            }
            Some(Overlay::ConfirmClearForm) => {
                cursor = None;
                confirm(
                    buf,
                    body,
                    "清空表单",
                    "清空登记表？已填写的内容将被删除。\n\ny  清空\nn  取消，继续填写",
                );
            }
            Some(Overlay::RestoreDraft(input)) => {
                cursor = None;
                let what = if input.name.trim().is_empty() {
                    String::new()
                } else {
                    format!("（当事人：{}）", input.name.trim())
                };
                confirm(
                    buf,
                    body,
                    "发现未保存的登记草稿",
                    &format!(
                        "上次退出时有一份未保存的登记{what}。\n\ny  恢复草稿，继续填写\nd  丢弃草稿\nn  暂不处理"
                    ),
                );
            }
        }
        // After the overlays: the help learns as it is drawn whether it scrolls.
        self.draw_hints(buf, Rect::new(area.x, area.bottom() - 1, area.width, 1));
        if let Some(c) = cursor {
            frame.set_cursor_position(c);
        }
    }

    fn draw_title(&self, buf: &mut Buffer, area: Rect) {
        buf.set_style(area, widgets::title());
        let mut tabs = vec![(Screen::Form, "F2 登记"), (Screen::Board, "F3 看板")];
        if self.sees_statistics() {
            tabs.push((Screen::Stats, "F4 统计"));
        }
        tabs.push((Screen::Case, "案件"));
        let mut x = area.x;
        x += put(buf, x, area.y, " 民事直通车 ", 12, widgets::title());
        for (s, label) in tabs {
            let style = if s == self.screen {
                Style::new()
                    .fg(ratatui::style::Color::White)
                    .bg(ratatui::style::Color::Blue)
            } else {
                widgets::title()
            };
            x += put(buf, x, area.y, &format!(" {label} "), 12, style);
        }
        // 一本、一单、一会 while there is room beside the clock and who is working; the screen
        // up always.
        let room = self.session.as_ref().map_or(8, |s| {
            text::width(&format!(
                "2026-03-05 10:00 · {}（{}） ",
                s.real_name(),
                s.role().label()
            )) as u16
        });
        for which in Which::ALL.into_iter().filter(|_| self.login.is_none()) {
            let tab = format!(" {} ", which.tab());
            let w = text::width(&tab) as u16;
            let up = self.screen == Screen::Records(which);
            if !up && x + w + room > area.right() {
                continue;
            }
            let style = if up {
                Style::new()
                    .fg(ratatui::style::Color::White)
                    .bg(ratatui::style::Color::Blue)
            } else {
                widgets::title()
            };
            x += put(buf, x, area.y, &tab, w, style);
        }
        let who = match (&self.session, &self.login) {
            (Some(s), None) => format!("{}（{}）", s.real_name(), s.role().label()),
            (Some(_), Some(_)) => "已锁屏".to_string(),
            (None, _) => "未登录".to_string(),
        };
        // Who is working always shows; the center and the clock when there is room.
        let time = self.clock.now().format("%Y-%m-%d %H:%M").to_string();
        let candidates = [
            format!("{} · {time} · {who} ", self.config.center.name),
            format!("{time} · {who} "),
            format!("{who} "),
        ];
        if let Some(right) = candidates
            .iter()
            .find(|r| x + (text::width(r) as u16) < area.right())
        {
            let w = text::width(right) as u16;
            put(buf, area.right() - w, area.y, right, w, widgets::title());
        }
    }

    fn draw_status(&self, buf: &mut Buffer, area: Rect) {
        if let Some((msg, tone)) = &self.status {
            let style = match tone {
                Tone::Ok => widgets::ok(),
                Tone::Warn => widgets::warn(),
                Tone::Error => widgets::error(),
            };
            let inner = Rect::new(area.x + 1, area.y, area.width - 1, area.height);
            widgets::wrapped(buf, inner, &status_line(msg), style);
        }
    }

    fn draw_hints(&self, buf: &mut Buffer, area: Rect) {
        buf.set_style(
            area,
            Style::new().bg(ratatui::style::Color::Rgb(30, 30, 30)),
        );
        let mut x = area.x + 1;
        for (key, desc) in keys::hints(&self.scopes()) {
            let w = text::width(key) + text::width(desc) + 3;
            if x as usize + w > area.right() as usize {
                break;
            }
            x += put(buf, x, area.y, key, 12, widgets::focus_label());
            x += put(buf, x + 1, area.y, desc, 20, Style::new()) + 3;
        }
    }

    fn draw_help(&self, buf: &mut Buffer, area: Rect) {
        let scopes = self.current().map_or(vec![Scope::Global], |c| c.scopes());
        let view = View {
            config: &self.config,
            now: self.clock.now(),
        };
        let mut lines: Vec<HelpEntry> = Vec::new();
        let heading = |t: &str| HelpEntry {
            label: t.to_string(),
            desc: String::new(),
            style: widgets::warn(),
        };
        let plain = |label: String, desc: String| HelpEntry {
            label,
            desc,
            style: Style::new(),
        };
        for s in &scopes {
            lines.push(heading(s.title()));
            // The keys that change screens, in one entry: they are the title's tabs too.
            let mut screens = Vec::new();
            let at = lines.len();
            for b in keys::help(&scopes).into_iter().filter(|b| b.scope == *s) {
                if matches!(
                    b.cmd,
                    Cmd::GoForm
                        | Cmd::GoBoard
                        | Cmd::GoStats
                        | Cmd::GoReports
                        | Cmd::GoMeetings
                        | Cmd::GoNotebook
                ) {
                    screens.push(format!("{} {}", b.label, b.desc));
                    continue;
                }
                lines.push(plain(b.label.to_string(), b.desc.to_string()));
            }
            if !screens.is_empty() {
                lines.insert(at, plain("F2–F9".into(), screens.join("　")));
            }
        }
        // What the colours of deadlines mean, wherever they are shown.
        if matches!(self.screen, Screen::Board | Screen::Case) {
            lines.push(heading("颜色"));
            for (band, what) in [
                (Band::Overdue, "已超过办理期限"),
                (Band::Within1, "1个工作日内到期"),
                (Band::Within3, "2至3个工作日内到期"),
            ] {
                let sample = match band {
                    Band::Overdue => "红底",
                    Band::Within1 => "红字",
                    _ => "黄字",
                };
                lines.push(HelpEntry {
                    label: sample.to_string(),
                    desc: what.to_string(),
                    style: widgets::band(band),
                });
            }
        }
        for (title, notes) in self
            .current()
            .map(|c| c.help_notes(&view))
            .unwrap_or_default()
        {
            lines.push(heading(title));
            lines.extend(notes.into_iter().map(|(k, d)| plain(k, d)));
        }
        // Reasons and definitions are sentences: the case's help is wider, and the statistics'
        // (fourteen definitions) takes the screen's width.
        let w = match self.screen {
            Screen::Case => 100,
            Screen::Stats => 120,
            Screen::Records(_) => 100,
            Screen::Board | Screen::Form => 64,
        };
        let rect = widgets::centered(area, w, area.height);
        let (inner_w, inner_h) = (rect.width.saturating_sub(2), rect.height.saturating_sub(2));
        let layout = HelpLayout::new(&lines, inner_w, inner_h, self.help_scroll);
        self.help_max.set(layout.max_scroll);
        self.help_page.set(inner_h);
        let title = if layout.max_scroll > 0 {
            "帮助：本屏的按键（↑↓ PgUp PgDn 翻看，其他键关闭）"
        } else {
            "帮助：本屏的按键（按任意键关闭）"
        };
        let inner = widgets::popup(buf, rect, title);
        let label_w = layout.label_w;
        for (col, row, r) in &layout.rows {
            let x = inner.x + col * layout.col_w;
            if x + 4 > inner.right() || *row >= inner.height {
                continue;
            }
            let y = inner.y + row;
            let desc_x = x + label_w + 2;
            let desc_w = layout.col_w.saturating_sub(label_w + 3);
            match r {
                HelpRow::Heading(e) => {
                    put(
                        buf,
                        x,
                        y,
                        &format!("【{}】", e.label),
                        layout.col_w,
                        e.style,
                    );
                }
                HelpRow::First(e, text) => {
                    if e.style == Style::new() {
                        put(buf, x + 1, y, &e.label, label_w, widgets::focus_label());
                    } else {
                        // A colour sample, then what it means.
                        put(buf, x + 1, y, &format!(" {} ", e.label), label_w, e.style);
                    }
                    put(buf, desc_x, y, text, desc_w, Style::new());
                }
                HelpRow::More(text) => {
                    put(buf, desc_x, y, text, desc_w, Style::new());
                }
            }
        }
    }
}

/// A line of the F1 help: a heading (no description), or a key or colour sample and what it
/// means.
struct HelpEntry {
    label: String,
    desc: String,
    style: Style,
}

/// A row of the help as drawn: a heading, an entry's first row, or its description's next.
enum HelpRow<'a> {
    Heading(&'a HelpEntry),
    First(&'a HelpEntry, String),
    More(String),
}

/// Where the help's rows go: one column when it fits, two when that does, else one column
/// scrolled. Descriptions wrap under themselves (never cut); an entry never starts at the
/// bottom of one column and goes on at the top of the next.
struct HelpLayout<'a> {
    col_w: u16,
    label_w: u16,
    /// (column, row, what).
    rows: Vec<(u16, u16, HelpRow<'a>)>,
    max_scroll: u16,
}

impl<'a> HelpLayout<'a> {
    fn new(entries: &'a [HelpEntry], width: u16, height: u16, scroll: u16) -> HelpLayout<'a> {
        let label_w = entries
            .iter()
            .filter(|e| !e.desc.is_empty())
            .map(|e| text::width(&e.label) as u16)
            .max()
            .unwrap_or(0)
            .clamp(10, 14);
        let height = height.max(1);
        let groups = |col_w: u16| -> Vec<Vec<HelpRow<'a>>> {
            let desc_w = col_w.saturating_sub(label_w + 3).max(2) as usize;
            entries
                .iter()
                .map(|e| {
                    if e.desc.is_empty() {
                        return vec![HelpRow::Heading(e)];
                    }
                    let mut rows = Vec::new();
                    for (i, l) in text::wrap(&e.desc, desc_w).iter().enumerate() {
                        let mut line = &e.desc[l.start..l.end];
                        if i > 0 {
                            line = line.strip_prefix(' ').unwrap_or(line);
                        }
                        let line = line.trim_end_matches('\n').to_string();
                        rows.push(if i == 0 {
                            HelpRow::First(e, line)
                        } else {
                            HelpRow::More(line)
                        });
                    }
                    if rows.is_empty() {
                        rows.push(HelpRow::First(e, String::new()));
                    }
                    rows
                })
                .collect()
        };
        for columns in [1u16, 2] {
            let col_w = width / columns;
            let mut placed = Vec::new();
            let (mut col, mut row) = (0u16, 0u16);
            let mut fits = true;
            for g in groups(col_w) {
                let n = g.len() as u16;
                if row + n > height && row > 0 {
                    col += 1;
                    row = 0;
                }
                if col >= columns || row + n > height {
                    fits = false;
                    break;
                }
                for r in g {
                    placed.push((col, row, r));
                    row += 1;
                }
            }
            if fits {
                return HelpLayout {
                    col_w,
                    label_w,
                    rows: placed,
                    max_scroll: 0,
                };
            }
        }
        // Longer than two columns: one column, scrolled.
        let all: Vec<HelpRow> = groups(width).into_iter().flatten().collect();
        let max_scroll = (all.len() as u16).saturating_sub(height);
        let scroll = scroll.min(max_scroll);
        let rows = all
            .into_iter()
            .skip(scroll as usize)
            .take(height as usize)
            .enumerate()
            .map(|(i, r)| (0, i as u16, r))
            .collect();
        HelpLayout {
            col_w: width,
            label_w,
            rows,
            max_scroll,
        }
    }
}

/// The screens other than the board, borrowed together for a context call.
pub struct ScreenParts<'a> {
    pub form: &'a mut Form,
    pub case: &'a mut Option<CaseView>,
    pub stats: &'a mut Stats,
    pub records: &'a mut RecordScreens,
}

/// A message on the status line: its own line breaks become separators.
fn status_line(msg: &str) -> String {
    msg.replace('\n', "；")
}

fn confirm(buf: &mut Buffer, area: Rect, title: &str, body: &str) {
    let h = widgets::wrapped_height(body, 52) + 2;
    let rect = widgets::centered(area, 56, h);
    let inner = widgets::popup(buf, rect, title);
    widgets::wrapped(buf, inner, body, Style::new());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(label: &str, desc: &str) -> HelpEntry {
        HelpEntry {
            label: label.into(),
            desc: desc.into(),
            style: Style::new(),
        }
    }

    fn texts<'a>(l: &'a HelpLayout) -> Vec<(u16, u16, &'a str)> {
        l.rows
            .iter()
            .map(|(c, r, row)| match row {
                HelpRow::Heading(e) => (*c, *r, e.label.as_str()),
                HelpRow::First(_, t) | HelpRow::More(t) => (*c, *r, t.as_str()),
            })
            .collect()
    }

    #[test]
    fn help_wraps_what_is_long_instead_of_cutting_it() {
        let entries = vec![
            entry("统计", ""),
            entry("化解率", "化解数 ÷ 受理数"),
            entry(
                "平均办理天数",
                "办结数中，自受理到首次办结的平均自然日数，按自然日计",
            ),
        ];
        let l = HelpLayout::new(&entries, 40, 10, 0);
        assert_eq!(l.max_scroll, 0);
        assert_eq!(l.label_w, 12, "the longest label sets the column");
        let rows = texts(&l);
        let desc_w = (40 - 12 - 3) as usize;
        assert!(rows.len() > 3, "{rows:?}");
        assert!(rows.iter().all(|(_, _, t)| text::width(t) <= desc_w));
        let joined: String = rows[2..].iter().map(|(_, _, t)| *t).collect();
        assert_eq!(joined, entries[2].desc);
    }

    #[test]
    fn help_takes_two_columns_then_scrolls() {
        let many: Vec<HelpEntry> = (0..30).map(|i| entry(&format!("k{i}"), "说明")).collect();
        let two = HelpLayout::new(&many, 80, 20, 0);
        assert_eq!(two.max_scroll, 0);
        assert!(two.rows.iter().any(|(c, _, _)| *c == 1));
        let scrolled = HelpLayout::new(&many, 80, 10, 100);
        assert_eq!(scrolled.max_scroll, 20);
        let rows = texts(&scrolled);
        assert_eq!(rows.len(), 10);
        assert_eq!(rows[9], (0, 9, "说明"), "the last page ends with the last");
    }

    #[test]
    fn an_entry_does_not_break_across_columns() {
        // 25 characters: two rows in one column of 62, three in each of two columns.
        let long = "一二三四五六七八九十一二三四五六七八九十一二三四五";
        let entries: Vec<HelpEntry> = (0..4).map(|i| entry(&format!("k{i}"), long)).collect();
        let l = HelpLayout::new(&entries, 62, 7, 0);
        assert_eq!(l.max_scroll, 0);
        let firsts: Vec<(u16, u16)> = l
            .rows
            .iter()
            .filter(|(_, _, r)| matches!(r, HelpRow::First(..)))
            .map(|(c, r, _)| (*c, *r))
            .collect();
        // The third entry would have begun on the last row of the first column: it moves.
        assert_eq!(firsts, [(0, 0), (0, 3), (1, 0), (1, 3)]);
    }
}
