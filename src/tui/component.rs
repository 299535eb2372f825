//! What every screen is to the application (after gitui's `Component`): the scopes of its keys
//! (which drive key handling, the status-bar hints and F1), a key or typed text → used or not,
//! drawing itself, and notes for F1 beyond its keys. The application asks the current screen
//! and never matches on which one it is, so a new screen slots in by implementing this.

use chrono::{DateTime, FixedOffset};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::ctx::Ctx;
use super::keys::Scope;
use crate::config::Config;

/// What a screen needs to draw itself.
pub struct View<'a> {
    pub config: &'a Config,
    pub now: DateTime<FixedOffset>,
}

pub trait Component {
    /// The scopes of what has the keyboard, most specific first.
    fn scopes(&self) -> Vec<Scope>;

    /// A text field has the keyboard: plain letters are text, not commands.
    fn is_typing(&self) -> bool;

    /// A key; true when the screen used it.
    fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) -> bool;

    /// Text typed through an input method or pasted; true when the screen took it.
    fn type_text(&mut self, s: &str, ctx: &mut Ctx) -> bool;

    /// Draw into `area`; where the terminal cursor belongs, if anywhere.
    fn render(&self, buf: &mut Buffer, area: Rect, view: &View) -> Option<(u16, u16)>;

    /// Lines for F1 beyond the keys (label, explanation), under their headings.
    fn help_notes(&self, _view: &View) -> Vec<(&'static str, Vec<(String, String)>)> {
        Vec::new()
    }
}
