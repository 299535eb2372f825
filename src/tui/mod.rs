//! The full-screen program clerks and supervisors use all day: the registration form, the
//! deadline board and the case view; the report queue, the meetings and the cadres' notebook.
//! It owns the terminal (raw mode, alternate screen, bracketed paste) and gives it back on every
//! way out: quit, error, panic, SIGTERM and SIGHUP.

pub mod app;
pub mod board;
pub mod case_view;
pub mod component;
pub mod confirm;
pub mod ctx;
pub mod dialog;
pub mod draft;
pub mod export;
pub mod form;
pub mod keys;
pub mod login;
pub mod meetings;
pub mod notebook;
pub mod paper;
pub mod pick;
pub mod record_form;
pub mod records;
pub mod reports;
pub mod stats;
pub mod text;
pub mod urge;
pub mod widgets;

use std::io::{Write, stdout};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::{cursor, event, execute, terminal};

pub use app::App;
pub use ctx::Clock;

use crate::home::Home;
pub use draft::DraftFile;

/// Put the terminal back as we found it: every mode we (or a crash) may have left on.
pub fn restore_terminal() {
    let mut out = stdout();
    let _ = execute!(
        out,
        event::DisableBracketedPaste,
        event::DisableMouseCapture,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

/// Every form in progress as it was after the last event — the registration and those of a
/// visit, a report, a meeting or a report's 立案 — each with the draft file it belongs in, for
/// the panic hook and a stuck exit: a panic can strike between two draft saves, and the hook
/// cannot reach the application it unwinds from.
pub type DraftMirror = Arc<Mutex<Vec<(DraftFile, serde_json::Value)>>>;

/// Write what the mirror holds (best effort: a lock or a disk that fails is passed over,
/// nothing here may panic or wait).
fn save_mirrored(mirror: &DraftMirror) {
    if let Ok(guard) = mirror.try_lock() {
        for (draft, value) in guard.iter() {
            let _ = draft.save_value(value);
        }
    }
}

/// On a panic: save every form in progress to its draft, give the terminal back, then report
/// as usual.
pub fn install_panic_hook(mirror: DraftMirror) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        save_mirrored(&mirror);
        restore_terminal();
        previous(info);
    }));
}

/// After SIGTERM or SIGHUP the event loop should leave within a poll interval. When the terminal
/// itself is gone (a closed SSH session, a killed tmux), crossterm's poll can spin on the
/// hung-up tty and never return: then this thread saves the drafts from the mirror, gives back
/// what it can of the terminal, and ends the process rather than leave it burning a core.
fn watch_for_a_stuck_exit(stop: Arc<AtomicBool>, mirror: DraftMirror) {
    const GRACE: Duration = Duration::from_secs(2);
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(100));
        }
        // The event loop gets its chance to save and restore in order.
        std::thread::sleep(GRACE);
        save_mirrored(&mirror);
        restore_terminal();
        std::process::exit(1);
    });
}

/// Open the register and run the program until the clerk quits.
pub fn run(home: &Home) -> Result<ExitCode> {
    let store = home.open()?;
    // Another process's long write (a bulk import, a backup's snapshot) must not freeze the
    // counter: give up after a moment, say so, keep what was typed.
    store.set_busy_timeout(Duration::from_millis(300))?;
    daily_backup(home, store.config().backup.keep);
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(sig, Arc::clone(&stop))
            .context("无法注册信号处理（SIGTERM/SIGHUP）")?;
    }
    let mut app = App::new(store, home, Clock::System);

    install_panic_hook(app.draft_mirror());
    watch_for_a_stuck_exit(Arc::clone(&stop), app.draft_mirror());
    terminal::enable_raw_mode().context("无法把终端切换到全屏模式（raw mode）")?;
    let entered = execute!(
        stdout(),
        terminal::EnterAlternateScreen,
        terminal::Clear(terminal::ClearType::All),
        event::EnableBracketedPaste
    );
    let result = entered.context("无法进入全屏模式").and_then(|_| {
        // Not `Terminal::clear`: it asks the terminal where the cursor is, and a terminal that
        // does not answer (some emulators, test harnesses) would stall the start.
        let mut terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
        event_loop(&mut terminal, &mut app, &stop)
    });
    // Whatever happened, the typed form is on disk before we leave.
    app.save_draft();
    restore_terminal();
    result?;
    Ok(ExitCode::SUCCESS)
}

/// The first start of the screen each day makes the day's backup, beside the work: a
/// snapshot of a large register takes a while, and the clerk should not wait for it.
fn daily_backup(home: &Home, keep: u32) {
    let home = home.clone();
    std::thread::spawn(move || {
        let result = home
            .open()
            .and_then(|store| crate::backup::daily(&store, &home, crate::clock::now(), keep));
        match result {
            Ok(Some(made)) => tracing::info!(path = %made.path.display(), "daily backup"),
            Ok(None) => {}
            Err(e) => tracing::error!("daily backup failed: {e:#}"),
        }
    });
}

fn event_loop<B: ratatui::backend::Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    stop: &AtomicBool,
) -> Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size()?;
    app.resized(size.width, size.height);
    terminal.draw(|f| app.draw(f))?;
    if app.deferred() {
        terminal.draw(|f| app.draw(f))?;
    }
    while !app.quit {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let mut redraw = false;
        if event::poll(Duration::from_millis(200))? {
            // Everything already waiting (a paste, fast typing) before one frame.
            loop {
                app.handle(event::read()?);
                redraw = true;
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        redraw |= app.tick();
        if redraw {
            terminal.draw(|f| app.draw(f))?;
        }
        if app.deferred() {
            terminal.draw(|f| app.draw(f))?;
        }
    }
    Ok(())
}
