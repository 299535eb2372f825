//! Exports from the statistics screen: a statistics row's cases (the register export of the
//! row's `Selection`) or the whole table, written by `crate::export` in a thread of its own
//! with its own read connection, so the screen keeps drawing and answering keys. The screen
//! shows a gauge of rows done out of rows counted; Esc stops the export and leaves no file.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;

use chrono::{DateTime, FixedOffset, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::widgets::{Gauge, Widget};

use super::widgets::{self, put};
use crate::domain::Session;
use crate::export::{self, ExportError, Format, Progress};
use crate::home::Home;
use crate::store::{Selection, StatsTable};

/// What is exported.
#[derive(Debug, Clone)]
pub enum Content {
    /// A row's cases, as the register export writes them; `described` for the 说明 sheet.
    Cases {
        selection: Selection,
        described: String,
    },
    Table(Box<StatsTable>),
}

/// An export to start: what, as what, where, and a few words for the screen.
#[derive(Debug, Clone)]
pub struct Order {
    pub content: Content,
    pub format: Format,
    pub path: PathBuf,
    /// "该行的案件（乡镇：首阳镇）", for the gauge and the status line.
    pub what: String,
}

/// How an export ended.
#[derive(Debug)]
pub enum Ended {
    /// Rows written (cases, or the table's rows with the total).
    Done(u64),
    Cancelled,
    Failed(String),
}

/// What the thread and the screen share: how far it got, and whether to stop.
#[derive(Default)]
struct Shared {
    done: AtomicU64,
    total: AtomicU64,
    saving: AtomicBool,
    cancel: AtomicBool,
}

/// An export under way.
pub struct Job {
    pub order: Order,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<Ended>>,
}

impl Job {
    /// Start writing `order` for `who`, reading the register through a connection of the
    /// thread's own.
    pub fn start(
        home: &Home,
        who: &Session,
        order: Order,
        today: NaiveDate,
        now: DateTime<FixedOffset>,
    ) -> Job {
        let shared = Arc::new(Shared::default());
        let (home, who, work, mine) = (home.clone(), who.clone(), order.clone(), shared.clone());
        let thread = std::thread::spawn(move || {
            let mut progress = |p: Progress| {
                mine.done.store(p.done, Ordering::Relaxed);
                mine.total.store(p.total, Ordering::Relaxed);
                mine.saving.store(p.saving, Ordering::Relaxed);
                if mine.cancel.load(Ordering::Relaxed) {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            };
            let result = run(&home, &who, work, today, now, &mut progress);
            match result {
                Ok(n) => Ended::Done(n),
                Err(Failure::Export(ExportError::Cancelled)) => Ended::Cancelled,
                Err(Failure::Export(e)) => Ended::Failed(e.to_string()),
                Err(Failure::Open(e)) => Ended::Failed(format!("{e:#}")),
            }
        });
        Job {
            order,
            shared,
            thread: Some(thread),
        }
    }

    pub fn progress(&self) -> Progress {
        Progress {
            done: self.shared.done.load(Ordering::Relaxed),
            total: self.shared.total.load(Ordering::Relaxed),
            saving: self.shared.saving.load(Ordering::Relaxed),
        }
    }

    /// Ask the thread to stop at the next row (or the next chunk of the save).
    pub fn cancel(&self) {
        self.shared.cancel.store(true, Ordering::Relaxed);
    }

    pub fn cancelling(&self) -> bool {
        self.shared.cancel.load(Ordering::Relaxed)
    }

    /// How it ended, once it has.
    pub fn ended(&mut self) -> Option<Ended> {
        if !self.thread.as_ref().is_some_and(|t| t.is_finished()) {
            return None;
        }
        let thread = self.thread.take()?;
        Some(
            thread
                .join()
                .unwrap_or_else(|_| Ended::Failed("导出时程序出错（详见 minshi.log）".into())),
        )
    }
}

impl Drop for Job {
    /// Leaving the program (or the account) stops the export and waits for its partial file
    /// to be removed.
    fn drop(&mut self) {
        self.cancel();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

enum Failure {
    Open(anyhow::Error),
    Export(ExportError),
}

fn run(
    home: &Home,
    who: &Session,
    order: Order,
    today: NaiveDate,
    now: DateTime<FixedOffset>,
    progress: export::OnProgress,
) -> Result<u64, Failure> {
    let path = &order.path;
    match order.content {
        Content::Table(t) => {
            export::statistics(&t, who, now, order.format, path, progress).map_err(Failure::Export)
        }
        Content::Cases {
            selection,
            described,
        } => {
            let store = home.open_read().map_err(Failure::Open)?;
            let spec = export::Register {
                who,
                selection,
                described,
                mask: export::masks(who, false),
                today,
                now,
            };
            export::register(&store, &spec, order.format, path, progress).map_err(Failure::Export)
        }
    }
}

/// A file name for an export, without characters a folder or Windows would refuse, and not
/// taken yet in `dir` (`-2`, `-3` … after the name when it is).
pub fn free_path(dir: &Path, stem: &str, format: Format) -> PathBuf {
    let clean: String = stem
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => '-',
            c => c,
        })
        .collect();
    let ext = format.extension();
    let taken = |p: &Path| p.exists() || export::partial_path(p).exists();
    let mut path = dir.join(format!("{clean}.{ext}"));
    let mut n = 2;
    while taken(&path) {
        path = dir.join(format!("{clean}-{n}.{ext}"));
        n += 1;
    }
    path
}

/// The gauge an export shows over the screen: what goes where, rows done out of rows, and how
/// to stop it. Drawn from a `Progress`, so a snapshot can show any moment of an export.
pub struct GaugeView<'a> {
    pub what: &'a str,
    /// Where the file goes, as the clerk finds it (relative to the home when inside).
    pub to: &'a str,
    pub progress: Progress,
    pub cancelling: bool,
}

impl Widget for GaugeView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let rect = widgets::centered(area, area.width.saturating_sub(8).min(72), 8);
        let inner = widgets::popup(buf, rect, "导出");
        if inner.height < 5 {
            return;
        }
        let w = inner.width;
        put(buf, inner.x + 1, inner.y, self.what, w - 2, Style::new());
        put(
            buf,
            inner.x + 1,
            inner.y + 1,
            &format!("到 {}", self.to),
            w - 2,
            widgets::dim(),
        );
        let p = self.progress;
        let label = if p.saving {
            format!("{}条已写完，正在压缩保存……", p.done)
        } else if p.total == 0 && p.done == 0 {
            "正在清点……".to_string()
        } else {
            format!("已写入 {}/{}（{:.0}%）", p.done, p.total, p.ratio() * 100.0)
        };
        Gauge::default()
            .gauge_style(Style::new().fg(Color::Cyan).bg(Color::DarkGray))
            .ratio(p.ratio())
            .label(label)
            .use_unicode(true)
            .render(Rect::new(inner.x + 1, inner.y + 3, w - 2, 1), buf);
        let hint = if self.cancelling {
            "正在取消……"
        } else {
            "Esc 取消导出（不留下文件）；导出时可以切换到其他画面"
        };
        put(buf, inner.x + 1, inner.y + 5, hint, w - 2, widgets::dim());
    }
}
