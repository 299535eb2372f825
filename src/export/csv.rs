//! CSV for WPS and Excel on Chinese Windows: UTF-8 with a byte-order mark (without one they read
//! the file as GBK and show mojibake), a Chinese header, one row per case or per table row.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::file::write_whole;
use super::register::{COLUMNS, cell_text};
use super::{ExportError, OnProgress, Progress, Stream};
use crate::domain::stats::Figure;
use crate::store::StatsTable;

type Out<'f> = csv::Writer<BufWriter<&'f mut File>>;

/// A refused write (a full disk) in the words of every export; anything else as csv says it.
fn csv_error(e: csv::Error, path: &Path) -> ExportError {
    if !e.is_io_error() {
        return ExportError::Csv(e.to_string());
    }
    match e.into_kind() {
        csv::ErrorKind::Io(io) => super::file::io_error(io, path, false),
        other => ExportError::Csv(format!("{other:?}")),
    }
}

/// A CSV writer on `file`, the BOM written.
fn bom_csv<'f>(file: &'f mut File, path: &Path) -> Result<Out<'f>, ExportError> {
    let mut out = BufWriter::new(file);
    // WPS and Excel on Chinese Windows read UTF-8 without a BOM as GBK.
    out.write_all("\u{FEFF}".as_bytes())
        .map_err(|e| super::file::io_error(e, path, false))?;
    Ok(csv::Writer::from_writer(out))
}

fn finish(mut w: Out, path: &Path) -> Result<(), ExportError> {
    w.flush().map_err(|e| super::file::io_error(e, path, false))
}

pub(super) fn register(stream: &mut Stream, path: &Path) -> Result<u64, ExportError> {
    let mut n = 0;
    write_whole(path, |file| {
        let mut w = bom_csv(file, path)?;
        w.write_record(COLUMNS).map_err(|e| csv_error(e, path))?;
        n = stream.rows(&mut |cells| {
            w.write_record(cells.iter().map(cell_text))
                .map_err(|e| csv_error(e, path))
        })?;
        finish(w, path)
    })?;
    Ok(n)
}

pub(super) fn statistics(
    t: &StatsTable,
    path: &Path,
    progress: OnProgress,
) -> Result<(), ExportError> {
    let mut at = Progress {
        done: 0,
        total: t.rows.len() as u64 + 1,
        saving: false,
    };
    if progress(at).is_break() {
        return Err(ExportError::Cancelled);
    }
    write_whole(path, |file| {
        let mut w = bom_csv(file, path)?;
        let mut head = vec![t.by.label().to_string()];
        head.extend(Figure::ALL.iter().map(|f| f.label().to_string()));
        w.write_record(&head).map_err(|e| csv_error(e, path))?;
        let rows = t
            .rows
            .iter()
            .map(|(k, f)| (k.as_str(), f))
            .chain([("合计", &t.total)]);
        for (k, f) in rows {
            let mut rec = vec![k.to_string()];
            rec.extend(Figure::ALL.iter().map(|fig| fig.shown(f)));
            w.write_record(&rec).map_err(|e| csv_error(e, path))?;
            at.done += 1;
            if progress(at).is_break() {
                return Err(ExportError::Cancelled);
            }
        }
        finish(w, path)
    })
}
