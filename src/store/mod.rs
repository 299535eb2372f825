//! The register on disk: one SQLite file, the only module that speaks SQL. Every change of a case
//! is one `BEGIN IMMEDIATE` transaction that writes the case and appends its timeline event.

mod accounts;
mod board;
mod cases;
mod chain;
mod check;
mod evidence;
mod loop_sums;
mod records;
mod replay;
mod schema;
mod search;
mod stats;
mod urge;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use crate::config::Config;
use crate::domain::{FieldError, Refusal};

pub use accounts::{LOCK_MINUTES, LoginError, MAX_FAILURES, NewAccount};
pub use board::{BoardFilter, BoardRow, Header, Held, ListFilter, Listing, Match, Seek, Selection};
pub use cases::{PersonMatch, Writer};
pub use chain::{Head, hex};
pub use check::{Depth, Problem};
pub use evidence::{FormPrint, NewEvidence, PrintFormError};
pub use records::{QueueCount, RecordHit, RecordPaper, ReportFilter, Suggested, VisitFilter};
pub use search::{SearchError, SearchPage, bigrams, match_expression};
pub use stats::{ExportCase, ExportFilter, StatFilter, StatsTable};
pub use urge::{UrgeError, UrgeNotice, default_note};

/// Why the register could not do what was asked, in words for the clerk.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{0} 不是 minshi 的数据库（可能是其他程序的文件），未做任何改动；请换一个主目录（--home）"
    )]
    NotOurs(PathBuf),
    #[error("数据库文件 {0} 已损坏或不是数据库：{1}。请用 minshi backup 做的备份恢复")]
    Damaged(PathBuf, String),
    #[error(
        "数据库 {path} 由更新版本的 minshi 创建（结构版本{found}，本程序只认到{supported}），请升级 minshi"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("数据库正忙：另一个窗口或程序正在写入，这次没有保存（填写的内容都还在），请稍后再试")]
    Busy,
    #[error("磁盘已满，未能保存；请清理磁盘后重试")]
    DiskFull,
    #[error("数据库文件只读，无法保存；请检查主目录的权限")]
    ReadOnly,
    #[error("找不到案件 {0}")]
    NotFound(String),
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<FieldError>),
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    InvalidRecord(Vec<crate::domain::records::RecordError>),
    /// A visit, report or meeting that is not there: what was looked for, in words.
    #[error("找不到{0}")]
    Missing(String),
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error(
        "缺少证据：{}。请先补充证据；确需先打印或归档的，须值班长确认（记入办理过程）",
        .0.iter().map(|k| k.label()).collect::<Vec<_>>().join("、")
    )]
    NeedsConfirmation(Vec<crate::domain::EvidenceKind>),
    #[error("数据库中有无法识别的值（{0}），数据可能已损坏；请运行 minshi check 检查")]
    Undecodable(String),
    #[error("数据库出错：{0}")]
    Sqlite(rusqlite::Error),
    #[error("文件读写出错：{0}")]
    Io(#[from] std::io::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
                StoreError::Damaged(PathBuf::new(), e.to_string())
            }
            _ => match e {
                rusqlite::Error::FromSqlConversionFailure(_, _, cause) => {
                    StoreError::Undecodable(cause.to_string())
                }
                rusqlite::Error::IntegralValueOutOfRange(i, v) => {
                    StoreError::Undecodable(format!("第{i}列的数值 {v} 超出范围"))
                }
                e => StoreError::Sqlite(e),
            },
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// `file:` URI of `path` with `immutable=1`, every byte outside the unreserved set escaped.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for &b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// An open register.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    config: Arc<Config>,
    /// The home's shared lock, held while the register is open (a restore waits for none).
    _lock: Option<std::fs::File>,
    /// Whether paper can print a character: text that could not be printed is refused when it
    /// is written. The front ends set the embedded fonts' coverage (`Home` does).
    printable: fn(char) -> bool,
}

impl Store {
    /// Open (creating and migrating if needed) the register at `path`.
    pub fn open(path: &Path, config: Arc<Config>) -> Result<Store> {
        let damaged = |e: rusqlite::Error| match StoreError::from(e) {
            StoreError::Damaged(_, detail) => StoreError::Damaged(path.to_path_buf(), detail),
            other => other,
        };
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(damaged)?;
        conn.busy_timeout(Duration::from_secs(30))?;
        // Reading the header is the first thing that fails on a file that is not a database.
        let app_id: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(damaged)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(damaged)?;
        let has_tables: bool = conn
            .query_row("SELECT EXISTS (SELECT 1 FROM sqlite_schema)", [], |r| {
                r.get(0)
            })
            .map_err(damaged)?;
        if app_id != schema::APPLICATION_ID && (has_tables || version != 0) {
            return Err(StoreError::NotOurs(path.to_path_buf()));
        }
        if version > schema::latest() {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                supported: schema::latest(),
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(damaged)?;
        // A number printed on a slip must never be issued twice, even after a power cut.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "cache_size", -16_000)?;
        // Events write the columns they set, so updates come in a few dozen shapes.
        conn.set_prepared_statement_cache_capacity(128);
        if version < schema::latest() {
            schema::migrate(&mut conn).map_err(damaged)?;
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            config,
            _lock: None,
            printable: crate::domain::any_char,
        })
    }

    /// Open the register at `path` to read it, changing nothing on disk: for a home the clerk
    /// may look at but not write. SQLite reads a WAL database through an index file (`-shm`)
    /// that it creates next to it, which a read-only folder does not allow (and which root would
    /// leave behind). When no WAL file is waiting to be read, every commit is in the database
    /// file itself, and it is opened as immutable: nothing is created, nothing locked.
    /// A second connection for reading beside this one (`check` uses it), opened as
    /// `open_read_only` opens: it never creates journal files.
    pub(crate) fn reader(&self) -> Result<Connection> {
        Ok(read_connection(&self.path)?)
    }

    pub fn open_read_only(path: &Path, config: Arc<Config>) -> Result<Store> {
        let damaged = |e: rusqlite::Error| match StoreError::from(e) {
            StoreError::Damaged(_, detail) => StoreError::Damaged(path.to_path_buf(), detail),
            other => other,
        };
        let conn = read_connection(path).map_err(damaged)?;
        let found = (|| -> rusqlite::Result<(i64, i64)> {
            Ok((
                conn.query_row("PRAGMA application_id", [], |r| r.get(0))?,
                conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
            ))
        })();
        let (app_id, version) = found.map_err(damaged)?;
        if app_id != schema::APPLICATION_ID {
            return Err(StoreError::NotOurs(path.to_path_buf()));
        }
        if version > schema::latest() {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                supported: schema::latest(),
            });
        }
        if version < schema::latest() {
            // An older register must be migrated, which is a write.
            return Err(StoreError::ReadOnly);
        }
        conn.busy_timeout(Duration::from_secs(30))?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            config,
            _lock: None,
            printable: crate::domain::any_char,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How long a write waits for another process's write to finish before it gives up with
    /// `StoreError::Busy`. The screen waits briefly and says so rather than freeze.
    pub fn set_busy_timeout(&self, wait: Duration) -> Result<()> {
        self.conn.busy_timeout(wait)?;
        Ok(())
    }

    /// The judge of what paper can print, for every text written from now on.
    pub fn set_printable(&mut self, printable: fn(char) -> bool) {
        self.printable = printable;
    }

    /// Keep the home's lock for as long as the register is open.
    pub fn hold(&mut self, lock: std::fs::File) {
        self._lock = Some(lock);
    }

    pub fn case_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))?)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn config_arc(&self) -> Arc<Config> {
        Arc::clone(&self.config)
    }

    /// Begin a write: everything done through the writer commits together, or not at all.
    pub fn write(&mut self) -> Result<Writer<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok(Writer::new(tx, &self.config, self.printable))
    }

    /// The head of the timeline's hash chain: what `minshi digest` prints.
    pub fn head(&self) -> Result<Option<Head>> {
        Ok(chain::head(&self.conn)?)
    }

    /// Changes whenever another connection commits: a cheap way for a screen to notice.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Less durability for bulk loading (the demo): commits survive a crash of the process but
    /// not of the machine.
    pub fn set_bulk_mode(&self, on: bool) -> Result<()> {
        self.conn
            .pragma_update(None, "synchronous", if on { "NORMAL" } else { "FULL" })?;
        // A million cases make indexes far larger than the usual page cache: a bulk load
        // touching them at random would read the same pages from the OS again and again.
        self.conn
            .pragma_update(None, "cache_size", if on { -1_000_000 } else { -16_000 })?;
        // FTS5 writes the terms it holds to a new segment of its index whenever they pass its
        // hash size (1 MB), and merges segments as they pile up: a bulk load's commit of
        // thousands of rows made hundreds. Held in memory up to 256 MB, a commit makes one.
        let hash_size: i64 = if on { 256 << 20 } else { 1 << 20 };
        for table in ["search", "record_search"] {
            self.conn.execute(
                &format!("INSERT INTO {table} ({table}, rank) VALUES ('hashsize', ?1)"),
                [hash_size],
            )?;
        }
        Ok(())
    }

    /// An online copy of the database to `dest`, safe while other processes write: `VACUUM INTO`
    /// reads one snapshot, so writers go on (the page-by-page backup API restarts whenever
    /// another process commits, and under steady registration might never finish).
    pub fn backup(&self, dest: &Path) -> Result<()> {
        let tmp = dest.with_extension("partial");
        // Created empty and owner-only first: SQLite keeps the mode of a file it is given.
        crate::owner_only::create_fresh(&tmp)?;
        self.conn
            .execute("VACUUM INTO ?1", [tmp.to_string_lossy().as_ref()])?;
        std::fs::rename(&tmp, dest)?;
        Ok(())
    }
}

/// A read-only connection that creates nothing beside the file: without a `-wal` file the
/// database is opened immutable (a read-only folder could not hold the shared-memory file).
fn read_connection(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if Path::new(&wal).exists() {
        Connection::open_with_flags(path, flags)
    } else {
        Connection::open_with_flags(immutable_uri(path), flags | OpenFlags::SQLITE_OPEN_URI)
    }
}
