//! Workbooks for WPS and Excel: the register in constant memory (rows go to a temporary file
//! beside the export as they are written), the statistics table with a native chart, and on
//! each a 说明 sheet: what was exported, by whom, when, and what every figure means. Dates are
//! date cells, the header row is frozen, column widths follow the display width of Chinese.

use std::fs::File;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use super::file::{Asking, io_error, write_whole};
use super::register::{COLUMNS, Cell};
use super::{ExportError, OnProgress, Progress, Stream};
use crate::clock;
use crate::domain::Session;
use crate::domain::stats::{Figure, NOT_YET};
use crate::store::StatsTable;

fn xlsx_error(e: XlsxError) -> ExportError {
    ExportError::Xlsx(e)
}

/// The display width of text in spreadsheet columns: a Chinese character is two (the
/// writer's own autofit counts it as one and leaves Chinese columns too narrow).
pub fn column_width(text: &str) -> f64 {
    let widest = text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0);
    (widest as f64 * 1.1 + 2.0).clamp(6.0, 60.0)
}

/// Keeps the widest text of each column while rows stream past.
struct Widths(Vec<f64>);

impl Widths {
    fn new(headers: &[&str]) -> Widths {
        Widths(headers.iter().map(|h| column_width(h)).collect())
    }

    fn see(&mut self, col: usize, text: &str) {
        if let Some(w) = self.0.get_mut(col) {
            *w = w.max(column_width(text));
        }
    }

    fn apply(&self, sheet: &mut Worksheet) -> Result<(), ExportError> {
        for (i, w) in self.0.iter().enumerate() {
            sheet.set_column_width(i as u16, *w).map_err(xlsx_error)?;
        }
        Ok(())
    }
}

/// The 说明 sheet: what was exported, by whom, when, and what every figure means.
fn notes_sheet(
    book: &mut Workbook,
    lines: &[(&str, String)],
    with_definitions: bool,
) -> Result<(), ExportError> {
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let sheet = book.add_worksheet();
    sheet.set_name("说明").map_err(xlsx_error)?;
    let mut row = 0u32;
    for (k, v) in lines {
        sheet
            .write_with_format(row, 0, *k, &bold)
            .map_err(xlsx_error)?;
        sheet.write(row, 1, v.as_str()).map_err(xlsx_error)?;
        row += 1;
    }
    if with_definitions {
        row += 1;
        sheet
            .write_with_format(row, 0, "指标", &bold)
            .map_err(xlsx_error)?;
        sheet
            .write_with_format(row, 1, "定义", &bold)
            .map_err(xlsx_error)?;
        row += 1;
        for f in Figure::ALL {
            sheet.write(row, 0, f.label()).map_err(xlsx_error)?;
            sheet
                .write_with_format(row, 1, f.definition(), &wrap)
                .map_err(xlsx_error)?;
            row += 1;
        }
        sheet.write(row, 0, "未统计").map_err(xlsx_error)?;
        sheet
            .write_with_format(row, 1, NOT_YET, &wrap)
            .map_err(xlsx_error)?;
    }
    sheet.set_column_width(0, 16).map_err(xlsx_error)?;
    sheet.set_column_width(1, 80).map_err(xlsx_error)?;
    Ok(())
}

/// Save the workbook into `file` (the temporary file of `path`), asking `go_on` between chunks.
fn save_into(
    book: &mut Workbook,
    file: &mut File,
    path: &Path,
    go_on: &mut (dyn FnMut() -> bool + Send),
) -> Result<(), ExportError> {
    let mut out = Asking::new(std::io::BufWriter::new(file), go_on);
    match book.save_to_writer(&mut out) {
        Ok(()) => Ok(()),
        Err(XlsxError::IoError(e)) => Err(io_error(e, path, out.stopped)),
        Err(_) if out.stopped => Err(ExportError::Cancelled),
        Err(e) => Err(xlsx_error(e)),
    }
}

/// The statistics workbook: the table (rates as percentages), a column chart of 受理数 and
/// 化解数 by row, and the 说明 sheet with every definition.
pub(super) fn statistics(
    t: &StatsTable,
    who: &Session,
    now: DateTime<FixedOffset>,
    path: &Path,
    progress: OnProgress,
) -> Result<(), ExportError> {
    // The file is made first: a folder that is not there or not writable is said at once.
    write_whole(path, |file| {
        statistics_into(t, who, now, (path, file), progress)
    })
}

fn statistics_into(
    t: &StatsTable,
    who: &Session,
    now: DateTime<FixedOffset>,
    (path, file): (&Path, &mut File),
    progress: OnProgress,
) -> Result<(), ExportError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");
    let days = Format::new().set_num_format("0.0");
    let name = "统计表";
    let total = t.rows.len() as u64 + 1;
    let mut at = Progress {
        done: 0,
        total,
        saving: false,
    };
    let mut tell = |at: Progress| match progress(at) {
        std::ops::ControlFlow::Continue(()) => Ok(()),
        std::ops::ControlFlow::Break(()) => Err(ExportError::Cancelled),
    };
    tell(at)?;
    {
        let sheet = book.add_worksheet();
        sheet.set_name(name).map_err(xlsx_error)?;
        let mut headers = vec![t.by.label()];
        headers.extend(Figure::ALL.iter().map(|f| f.label()));
        let mut widths = Widths::new(&headers);
        for (c, h) in headers.iter().enumerate() {
            sheet
                .write_with_format(0, c as u16, *h, &bold)
                .map_err(xlsx_error)?;
        }
        let rows = t
            .rows
            .iter()
            .map(|(k, f)| (k.as_str(), f))
            .chain([("合计", &t.total)]);
        for (r, (key, f)) in rows.enumerate() {
            let r = r as u32 + 1;
            widths.see(0, key);
            if key == "合计" {
                sheet
                    .write_with_format(r, 0, key, &bold)
                    .map_err(xlsx_error)?;
            } else {
                sheet.write(r, 0, key).map_err(xlsx_error)?;
            }
            for (c, figure) in Figure::ALL.iter().enumerate() {
                let c = c as u16 + 1;
                match f.value(*figure) {
                    None => {
                        sheet.write(r, c, "—").map_err(xlsx_error)?;
                    }
                    Some(v) if figure.is_rate() => {
                        sheet.write_with_format(r, c, v, &pct).map_err(xlsx_error)?;
                    }
                    Some(v) if *figure == Figure::AvgDays => {
                        sheet
                            .write_with_format(r, c, v, &days)
                            .map_err(xlsx_error)?;
                    }
                    Some(v) => {
                        sheet.write(r, c, v).map_err(xlsx_error)?;
                    }
                }
            }
            at.done += 1;
            tell(at)?;
        }
        widths.apply(sheet)?;
        sheet.set_freeze_panes(1, 1).map_err(xlsx_error)?;
        if !t.rows.is_empty() {
            let last = t.rows.len() as u32;
            let mut chart = Chart::new(ChartType::Column);
            for (col, figure) in [(1u16, Figure::Received), (3u16, Figure::Resolved)] {
                chart
                    .add_series()
                    .set_name(figure.label())
                    .set_categories((name, 1, 0, last, 0))
                    .set_values((name, 1, col, last, col));
            }
            chart
                .title()
                .set_name(&format!("{}（{}）", t.by.label(), t.period.describe()));
            chart.set_width(720).set_height(360);
            sheet
                .insert_chart(last + 3, 0, &chart)
                .map_err(xlsx_error)?;
        }
    }
    notes_sheet(
        &mut book,
        &[
            ("统计期间", t.period.describe()),
            ("范围", t.filter.describe()),
            ("分组", t.by.label().to_string()),
            ("导出人", who.real_name().to_string()),
            ("导出时间", clock::format(&now)),
        ],
        true,
    )?;
    at.saving = true;
    save_into(&mut book, file, path, &mut || tell(at).is_ok())
}

/// The register workbook: one row per case, streamed in constant memory.
pub(super) fn register(stream: &mut Stream, path: &Path) -> Result<u64, ExportError> {
    // The file is made first: a folder that is not there or not writable is said before a
    // row is read.
    let mut n = 0;
    write_whole(path, |file| {
        n = register_into(stream, path, file)?;
        Ok(())
    })?;
    Ok(n)
}

fn register_into(stream: &mut Stream, path: &Path, file: &mut File) -> Result<u64, ExportError> {
    let spec = stream.spec;
    let mut book = Workbook::new();
    // At the default level 6 compressing took a quarter of a 100,000-case export. Measured on
    // one: level 3 was as fast as level 1 (3.2 s against 5.3 s at level 6) for a file a seventh
    // larger than level 6's (21.9 MB against 19.1), where level 1's was half again larger.
    book.set_zip_compression_level(3);
    // Rows stream to a temporary file beside the export, not into memory.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        book.set_tempdir(dir).map_err(xlsx_error)?;
    }
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut widths = Widths::new(&COLUMNS);
    let n;
    {
        let sheet = book
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        sheet.set_name("登记簿").map_err(xlsx_error)?;
        for (c, h) in COLUMNS.iter().enumerate() {
            sheet
                .write_with_format(0, c as u16, *h, &bold)
                .map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 1).map_err(xlsx_error)?;
        let mut row = 0u32;
        n = stream.rows(&mut |cells| {
            row += 1;
            for (c, cell) in cells.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Cell::Text(s) if s.is_empty() => continue,
                    Cell::Text(s) => {
                        widths.see(c, s);
                        sheet.write(row, col, s.as_str())
                    }
                    Cell::Date(None) | Cell::Number(None) => continue,
                    Cell::Date(Some(d)) => {
                        widths.see(c, "2026-11-29");
                        sheet.write_date_with_format(row, col, d, &date)
                    }
                    Cell::Number(Some(v)) => sheet.write(row, col, *v as f64),
                }
                .map_err(xlsx_error)?;
            }
            Ok(())
        })?;
        sheet
            .autofilter(0, 0, row.max(1), (COLUMNS.len() - 1) as u16)
            .map_err(xlsx_error)?;
        widths.apply(sheet)?;
    }
    notes_sheet(
        &mut book,
        &[
            ("内容", "民声登记簿（每件案件一行）".to_string()),
            ("期间与筛选", spec.described.clone()),
            ("案件数", n.to_string()),
            (
                "个人信息",
                if spec.mask {
                    "已遮蔽"
                } else {
                    "完整（注意保密）"
                }
                .to_string(),
            ),
            ("导出人", spec.who.real_name().to_string()),
            ("导出时间", clock::format(&spec.now)),
            (
                "超期天数",
                "在办案件为今天超过办理期限的天数；已结束的为办结日期超过办理期限的天数"
                    .to_string(),
            ),
        ],
        true,
    )?;
    let mut at = stream.at;
    at.saving = true;
    let progress = &mut *stream.progress;
    save_into(&mut book, file, path, &mut || progress(at).is_continue())?;
    Ok(n)
}
