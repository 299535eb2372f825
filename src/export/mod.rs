//! Spreadsheets out of the register, for every front end: the register (one row per case) and
//! the statistics table, as XLSX or as CSV with a BOM. Rows stream from the store's query into
//! the file (constant memory); the caller hears how far it got and may stop it at any row; a
//! file is written whole or not at all.
//!
//! `register.rs` is what a case's row says, `xlsx.rs` and `csv.rs` how each format writes it,
//! `file.rs` how a file gets onto the disk.

mod csv;
mod file;
mod register;
mod xlsx;

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::domain::Session;
use crate::store::{Selection, StatsTable, Store, StoreError};

pub use file::partial as partial_path;
pub use register::COLUMNS;
pub use xlsx::column_width;

/// The two kinds of file an export can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Xlsx, Format::Csv];

    pub fn label(&self) -> &'static str {
        match self {
            Format::Xlsx => "Excel 工作簿（XLSX）",
            Format::Csv => "CSV（UTF-8 带 BOM）",
        }
    }

    pub fn from_label(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.label() == s)
    }

    pub fn extension(&self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }
}

/// How far an export is: rows written of the rows there are (counted before the first is
/// written), then, for a workbook, the file being compressed and saved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
    /// Every row is written; the workbook is being saved.
    pub saving: bool,
}

impl Progress {
    /// The share done, 0 to 1 (a case registered after the count does not push it past 1).
    pub fn ratio(&self) -> f64 {
        if self.total == 0 {
            return if self.saving { 1.0 } else { 0.0 };
        }
        (self.done as f64 / self.total as f64).min(1.0)
    }
}

/// Told of every row written (and of the saving); `Break` stops the export and leaves no file.
pub type OnProgress<'a> = &'a mut (dyn FnMut(Progress) -> ControlFlow<()> + Send);

/// Why an export wrote no file, in words for the clerk: what went wrong, where, what to do.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("已取消导出，没有留下文件")]
    Cancelled,
    #[error("{}", file_words(.doing, .path, .source))]
    File {
        doing: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("生成 Excel 文件出错：{0}")]
    Xlsx(rust_xlsxwriter::XlsxError),
    #[error("写入 CSV 出错：{0}")]
    Csv(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Link(#[from] crate::owner_only::SymlinkRefused),
}

/// "无法创建文件 X：磁盘已满，请腾出空间或换一个位置".
fn file_words(doing: &str, path: &Path, e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::StorageFull => "磁盘已满，请腾出空间或换一个位置保存".to_string(),
        K::PermissionDenied => "没有写入权限，请换一个位置保存".to_string(),
        K::ReadOnlyFilesystem => "磁盘是只读的，请换一个位置保存".to_string(),
        K::NotFound => "目录不存在，请先建立目录或换一个位置".to_string(),
        K::IsADirectory => "这是一个目录，请写上文件名".to_string(),
        _ => e.to_string(),
    };
    format!("无法{doing} {}：{what}", path.display())
}

/// Personal data in an export is masked when asked, and always for a role that may not see it:
/// the same rule for the command line and the screen.
pub fn masks(who: &Session, asked: bool) -> bool {
    asked || !who.sees_personal_data()
}

/// An export of the register: which cases, and how their rows are written.
#[derive(Debug, Clone)]
pub struct Register<'a> {
    pub who: &'a Session,
    pub selection: Selection,
    /// The period and filters in words, for the 说明 sheet.
    pub described: String,
    /// ID numbers, phones and names masked (see `masks`).
    pub mask: bool,
    /// The day overdue days are counted to.
    pub today: NaiveDate,
    /// When it was exported, for the 说明 sheet.
    pub now: DateTime<FixedOffset>,
}

/// Write the register's cases to `path`, counting them first; how many were written.
pub fn register(
    store: &Store,
    spec: &Register,
    format: Format,
    path: &Path,
    progress: OnProgress,
) -> Result<u64, ExportError> {
    let total = store.export_count(spec.who, &spec.selection, spec.today)?;
    let mut stream = Stream {
        store,
        spec,
        progress,
        at: Progress {
            done: 0,
            total,
            saving: false,
        },
    };
    stream.tell()?;
    match format {
        Format::Csv => csv::register(&mut stream, path),
        Format::Xlsx => xlsx::register(&mut stream, path),
    }
}

/// The register's cases on their way to a file, and who hears of each.
struct Stream<'a> {
    store: &'a Store,
    spec: &'a Register<'a>,
    progress: OnProgress<'a>,
    at: Progress,
}

impl Stream<'_> {
    fn tell(&mut self) -> Result<(), ExportError> {
        match (self.progress)(self.at) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(ExportError::Cancelled),
        }
    }

    /// Each case's cells to `write`, in number order, telling the progress after each row;
    /// how many there were.
    fn rows(
        &mut self,
        write: &mut dyn FnMut(&[register::Cell]) -> Result<(), ExportError>,
    ) -> Result<u64, ExportError> {
        let (store, spec) = (self.store, self.spec);
        // The failure a row met, kept here: the store carries only words back.
        let mut failed: Option<ExportError> = None;
        let result = store.export_cases(spec.who, &spec.selection, spec.today, &mut |case| {
            let cells = register::cells(&case, spec.mask, spec.today);
            let written = write(&cells).and_then(|()| {
                self.at.done += 1;
                self.tell()
            });
            written.map_err(|e| {
                let words = e.to_string();
                failed = Some(e);
                words
            })
        });
        match (result, failed) {
            (Ok(n), _) => Ok(n),
            (Err(_), Some(e)) => Err(e),
            (Err(e), None) => Err(e.into()),
        }
    }
}

/// Write a statistics table (its rows and the total) to `path`; how many rows were written.
pub fn statistics(
    table: &StatsTable,
    who: &Session,
    now: DateTime<FixedOffset>,
    format: Format,
    path: &Path,
    progress: OnProgress,
) -> Result<u64, ExportError> {
    let total = table.rows.len() as u64 + 1;
    match format {
        Format::Csv => csv::statistics(table, path, progress)?,
        Format::Xlsx => xlsx::statistics(table, who, now, path, progress)?,
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Listing;

    struct Demo {
        _dir: tempfile::TempDir,
        store: Store,
        who: Session,
        now: DateTime<FixedOffset>,
    }

    /// The demo's register of `cases` cases, with its 值班长 logged in.
    fn demo(cases: u64) -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let home = crate::home::Home::at(dir.path());
        let mut store = home.open_or_create().unwrap();
        let now = DateTime::parse_from_rfc3339("2026-03-05T10:00:00+08:00").unwrap();
        crate::demo::accounts(&mut store, now).unwrap();
        crate::demo::generate(&mut store, cases, 7, now, &mut |_| {}).unwrap();
        let who = store
            .login("wangfang", crate::demo::DEMO_PASSWORD, now)
            .unwrap()
            .unwrap();
        Demo {
            _dir: dir,
            store,
            who,
            now,
        }
    }

    fn every_case(r: &Demo) -> Register<'_> {
        Register {
            who: &r.who,
            selection: Selection {
                listing: Listing::All,
                ..Selection::default()
            },
            described: "全部".into(),
            mask: false,
            today: r.now.date_naive(),
            now: r.now,
        }
    }

    /// The files in a folder, by name.
    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn progress_counts_every_row_up_to_the_total_then_the_saving() {
        let r = demo(60);
        let out = tempfile::tempdir().unwrap();
        for format in Format::ALL {
            let path = out.path().join(format!("register.{}", format.extension()));
            let mut seen = Vec::new();
            let n = register(&r.store, &every_case(&r), format, &path, &mut |p| {
                seen.push(p);
                ControlFlow::Continue(())
            })
            .unwrap();
            assert_eq!(n, 60, "{format:?}");
            let rows: Vec<u64> = seen.iter().filter(|p| !p.saving).map(|p| p.done).collect();
            assert_eq!(rows, (0..=60).collect::<Vec<_>>(), "{format:?}");
            assert!(seen.iter().all(|p| p.total == 60), "{format:?}");
            // A workbook is saved after its rows; a CSV is done with its last row.
            let saving = seen.iter().skip_while(|p| !p.saving).collect::<Vec<_>>();
            match format {
                Format::Xlsx => {
                    assert!(!saving.is_empty());
                    assert!(saving.iter().all(|p| p.saving && p.done == 60));
                }
                Format::Csv => assert!(saving.is_empty()),
            }
            assert!(path.exists());
        }
        assert_eq!(files(out.path()), ["register.csv", "register.xlsx"]);
    }

    #[test]
    fn the_statistics_table_counts_its_rows_and_the_total() {
        let r = demo(60);
        let out = tempfile::tempdir().unwrap();
        let today = r.now.date_naive();
        let period = crate::domain::stats::Period::named("本年", today).unwrap();
        let table = r
            .store
            .statistics(&r.who, period, crate::domain::stats::Dim::Town, today)
            .unwrap();
        for format in Format::ALL {
            let path = out.path().join(format!("stats.{}", format.extension()));
            let mut done = Vec::new();
            let n = statistics(&table, &r.who, r.now, format, &path, &mut |p| {
                if !p.saving {
                    done.push(p.done);
                }
                ControlFlow::Continue(())
            })
            .unwrap();
            assert_eq!(n, table.rows.len() as u64 + 1);
            assert_eq!(done, (0..=n).collect::<Vec<_>>(), "{format:?}");
        }
    }

    #[test]
    fn a_cancel_leaves_no_file_and_keeps_the_one_there_was() {
        let r = demo(60);
        let out = tempfile::tempdir().unwrap();
        for format in Format::ALL {
            let path = out.path().join(format!("register.{}", format.extension()));
            std::fs::write(&path, "an earlier export").unwrap();
            // Stopped at the fifth row, and (for a workbook) while saving.
            let stops: [fn(&Progress) -> bool; 2] = [|p| p.done == 5, |p| p.saving];
            for stop in stops {
                let result = register(&r.store, &every_case(&r), format, &path, &mut |p| {
                    if stop(&p) {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                });
                if format == Format::Csv && result.is_ok() {
                    // A CSV has no saving to stop.
                    std::fs::write(&path, "an earlier export").unwrap();
                    continue;
                }
                assert!(
                    matches!(result, Err(ExportError::Cancelled)),
                    "{format:?}: {result:?}"
                );
                assert_eq!(std::fs::read_to_string(&path).unwrap(), "an earlier export");
            }
        }
        assert_eq!(files(out.path()), ["register.csv", "register.xlsx"]);
    }

    #[test]
    fn a_folder_that_is_not_there_is_named_in_chinese() {
        let r = demo(5);
        let out = tempfile::tempdir().unwrap();
        let path = out.path().join("没有这个目录").join("register.csv");
        let e = register(&r.store, &every_case(&r), Format::Csv, &path, &mut |_| {
            ControlFlow::Continue(())
        })
        .unwrap_err();
        let words = e.to_string();
        assert!(words.starts_with("无法创建文件 "), "{words}");
        assert!(
            words.ends_with("：目录不存在，请先建立目录或换一个位置"),
            "{words}"
        );
    }
}
