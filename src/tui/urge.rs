//! 督办 from the screens (the board, and the statistics by 责任单位): who may, what the
//! 督办通知单 to a unit would list, the supervisor's y or n over it, and the print
//! (`paper::print_urge`). The screens only say which unit.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::ctx::Ctx;
use super::keys::{self, Cmd, Scope};
use super::widgets;
use crate::domain::{ActionKind, Op, authorize};

/// What a 督办通知单 about to be printed would say: to which unit, how many cases, reply by when.
pub struct UrgeAsk {
    unit: String,
    cases: usize,
    oldest: i64,
    reply_by: NaiveDate,
}

/// What the supervisor answered.
pub enum Answer {
    /// y: the notice is numbered, recorded on each case and printed.
    Issued,
    /// n, or the print failed (the status line says which).
    Done,
    /// Any other key: still asking.
    Waiting(UrgeAsk),
}

/// Whether the account at the keyboard may urge; when not, the status line says why.
pub fn allowed(ctx: &mut Ctx) -> bool {
    match authorize(ctx.user.account(), Op::Act(ActionKind::Urge)) {
        Ok(()) => true,
        Err(e) => {
            ctx.error(e.to_string());
            false
        }
    }
}

impl UrgeAsk {
    /// The question for `unit`, or `None` (said in the status line) when the account may not
    /// urge or the unit has nothing overdue.
    pub fn new(ctx: &mut Ctx, unit: String) -> Option<UrgeAsk> {
        if !allowed(ctx) {
            return None;
        }
        let today = ctx.clock.today();
        match ctx.store.overdue_of_unit(ctx.user, &unit, today) {
            Ok(cases) if cases.is_empty() => {
                ctx.error(format!("{unit}没有超期未办结的案件，无需督办"));
                None
            }
            Ok(cases) => Some(UrgeAsk {
                oldest: cases
                    .iter()
                    .map(|c| (today - c.due_date).num_days())
                    .max()
                    .unwrap_or(0),
                cases: cases.len(),
                reply_by: crate::printing::default_reply_by(ctx.store, today),
                unit,
            }),
            Err(e) => {
                ctx.error(format!("读取超期案件出错：{e}"));
                None
            }
        }
    }

    /// The scopes while the question is up.
    pub fn scopes() -> Vec<Scope> {
        vec![Scope::Global, Scope::Confirm]
    }

    /// y prints the notice, n leaves everything as it was.
    pub fn answer(self, ev: &KeyEvent, ctx: &mut Ctx) -> Answer {
        match keys::lookup(Scope::Confirm, ev) {
            Some(Cmd::Yes) if super::paper::print_urge(ctx, &self.unit) => Answer::Issued,
            Some(Cmd::Yes) => Answer::Done,
            Some(Cmd::No) => {
                ctx.info(format!("未督办{}", self.unit));
                Answer::Done
            }
            _ => Answer::Waiting(self),
        }
    }

    pub fn render(&self, buf: &mut Buffer, area: Rect) {
        let body = format!(
            "向{}打印督办通知单？\n列出超期未办结案件{}件（最长超期{}天），回复期限{}（3个工作日）。\n将占用一个督办编号，并在每件案件的办理过程中记入督办。\n\ny 确认打印　n 取消",
            self.unit,
            self.cases,
            self.oldest,
            self.reply_by.format("%Y-%m-%d")
        );
        let h = widgets::wrapped_height(&body, 52) + 2;
        let rect = widgets::centered(area, 56, h);
        let inner = widgets::popup(buf, rect, "督办");
        widgets::wrapped(buf, inner, &body, Style::new());
    }
}
