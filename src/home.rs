//! The home folder: `--home DIR`, else `$MINSHI_HOME`, else the platform data folder. It holds the
//! database, evidence files, drafts, printouts, exports, backups, the optional config.toml and
//! the log. Everything minshi creates there is owner-only; links among its own files are refused;
//! a read-only home can be read without being changed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};

use crate::config::Config;
use crate::owner_only;
use crate::store::{Store, StoreError};

#[derive(Debug, Clone)]
pub struct Home {
    root: PathBuf,
}

impl Home {
    /// Where the home folder is, by the order above (not created yet).
    pub fn resolve(arg: Option<PathBuf>) -> Result<Home> {
        let root = match arg {
            Some(dir) => dir,
            None => match std::env::var_os("MINSHI_HOME").filter(|v| !v.is_empty()) {
                Some(dir) => PathBuf::from(dir),
                None => directories::ProjectDirs::from("", "", "minshi")
                    .map(|d| d.data_dir().to_path_buf())
                    .context("找不到用户数据目录，请用 --home 指定主目录")?,
            },
        };
        Ok(Home { root })
    }

    pub fn at(root: &Path) -> Home {
        Home {
            root: root.to_path_buf(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn db_path(&self) -> PathBuf {
        self.root.join("minshi.db")
    }

    pub fn evidence_dir(&self) -> PathBuf {
        self.root.join("evidence")
    }

    pub fn drafts_dir(&self) -> PathBuf {
        self.root.join("drafts")
    }

    pub fn printouts_dir(&self) -> PathBuf {
        self.root.join("printouts")
    }

    /// Where exports from the screen go unless the clerk names another place.
    pub fn exports_dir(&self) -> PathBuf {
        self.root.join("exports")
    }

    pub fn backups_dir(&self) -> PathBuf {
        self.root.join("backups")
    }

    pub fn log_path(&self) -> PathBuf {
        self.root.join("minshi.log")
    }

    /// Every place inside the home where minshi keeps its own files or folders.
    fn own_paths(&self) -> Vec<PathBuf> {
        let db = self.db_path();
        let with = |suffix: &str| {
            let mut name = db.clone().into_os_string();
            name.push(suffix);
            PathBuf::from(name)
        };
        vec![
            self.evidence_dir(),
            self.drafts_dir(),
            self.printouts_dir(),
            self.exports_dir(),
            self.backups_dir(),
            with("-wal"),
            with("-shm"),
            db,
            self.log_path(),
        ]
    }

    /// Refuse symbolic links among the home's own folders and files (the home folder itself may
    /// be one: it is where the clerk or the administrator chose to keep it).
    pub fn refuse_links(&self) -> Result<()> {
        for path in self.own_paths() {
            owner_only::refuse_link(&path)?;
        }
        Ok(())
    }

    /// Written when the register is made: from then on a missing database is an accident to
    /// restore from a backup, never a reason to start a new register (its numbers would be
    /// issued a second time).
    pub fn marker_path(&self) -> PathBuf {
        self.root.join("minshi.home")
    }

    pub fn is_initialized(&self) -> bool {
        self.marker_path().exists()
    }

    pub fn mark_initialized(&self) -> Result<()> {
        if !self.is_initialized() {
            let mut f = owner_only::create_file(&self.marker_path())
                .with_context(|| format!("无法写入 {}", self.marker_path().display()))?;
            std::io::Write::write_all(
                &mut f,
                "minshi 登记簿主目录。删除数据库后请用 minshi restore 恢复，不要新建。\n"
                    .as_bytes(),
            )?;
        }
        Ok(())
    }

    fn lock_path(&self) -> PathBuf {
        self.root.join("minshi.lock")
    }

    fn lock_file(&self) -> Result<std::fs::File> {
        match owner_only::create_file(&self.lock_path()) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(e).with_context(|| format!("无法打开 {}", self.lock_path().display()));
            }
            _ => {}
        }
        std::fs::OpenOptions::new()
            .write(true)
            .open(self.lock_path())
            .with_context(|| format!("无法打开 {}", self.lock_path().display()))
    }

    /// Held (shared) by every process that has the register open.
    fn lock_shared(&self) -> Result<std::fs::File> {
        let f = self.lock_file()?;
        match f.try_lock_shared() {
            Ok(()) => Ok(f),
            Err(std::fs::TryLockError::WouldBlock) => {
                bail!("正在从备份恢复登记簿，请稍后再试")
            }
            Err(std::fs::TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("无法锁定 {}", self.lock_path().display()))
            }
        }
    }

    /// Held by a restore: only when no other process has the register open.
    pub fn lock_exclusive(&self) -> Result<std::fs::File> {
        let f = self.lock_file()?;
        match f.try_lock() {
            Ok(()) => Ok(f),
            Err(std::fs::TryLockError::WouldBlock) => {
                bail!("另有 minshi 程序正在使用这个登记簿（全屏界面或命令行）；请全部退出后再恢复")
            }
            Err(std::fs::TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("无法锁定 {}", self.lock_path().display()))
            }
        }
    }

    fn db_present(&self) -> bool {
        std::fs::metadata(self.db_path()).is_ok_and(|m| m.len() > 0)
    }

    /// A missing or empty database: an error that says what to do, never a new register.
    fn refuse_missing(&self) -> Result<()> {
        if self.db_present() {
            return Ok(());
        }
        if self.is_initialized() {
            bail!(
                "主目录 {} 已建立登记簿，但数据库 minshi.db 不见了或是空的。\
                 为免重复编号，不会新建空的登记簿；请用 minshi restore 备份文件 从备份恢复",
                self.root.display()
            );
        }
        bail!(
            "主目录 {} 还没有登记簿：请先运行 minshi init（或用 minshi demo 生成演示数据）",
            self.root.display()
        )
    }

    /// The home folder or its database without any write permission (by its mode bits: even
    /// for root, who could write anyway): the home is for looking at only.
    pub fn read_only_part(&self) -> Option<PathBuf> {
        [self.root.clone(), self.db_path()]
            .into_iter()
            .find(|path| std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()))
    }

    fn refuse_read_only(&self) -> Result<()> {
        match self.read_only_part() {
            Some(path) => bail!(
                "{} 是只读的：只能查看（list、show、search、check、due），不能登记、办理、打印或备份；\
                 需要修改时请让管理员开放写权限",
                path.display()
            ),
            None => Ok(()),
        }
    }

    /// Create the folder and the missing subfolders, readable by the owner only. What exists is
    /// left as it is.
    pub fn create(&self) -> Result<()> {
        self.refuse_links()?;
        for dir in [
            self.root.clone(),
            self.evidence_dir(),
            self.drafts_dir(),
            self.printouts_dir(),
            self.backups_dir(),
        ] {
            owner_only::create_dir_all(&dir)
                .with_context(|| format!("无法创建目录 {}", dir.display()))?;
        }
        Ok(())
    }

    /// The configuration: embedded defaults overridden by `config.toml`.
    pub fn config(&self) -> Result<Config> {
        Ok(Config::load(&self.root)?)
    }

    /// Open the register of an initialized home to change it.
    pub fn open(&self) -> Result<Store> {
        self.refuse_links()?;
        self.refuse_missing()?;
        self.open_or_create()
    }

    /// Create the folder and the register if needed, and open it: for `init` and `demo`. The
    /// database file is created owner-only before SQLite sees it, so that its journal files
    /// are owner-only too.
    pub fn open_or_create(&self) -> Result<Store> {
        if self.is_initialized() {
            self.refuse_missing()?;
        }
        self.refuse_read_only()?;
        self.create()?;
        let lock = self.lock_shared()?;
        let db = self.db_path();
        match owner_only::create_file(&db) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(e).with_context(|| format!("无法创建数据库 {}", db.display()));
            }
            _ => {}
        }
        let config = Arc::new(self.config()?);
        let mut store = Store::open(&db, config)?;
        store.hold(lock);
        store.set_printable(crate::intake::printable);
        self.mark_initialized()?;
        Ok(store)
    }

    /// Open the register to read it: nothing is created and no permission is changed, so a
    /// read-only home (a copy, a colleague's folder, a read-only disk) can be looked at.
    pub fn open_read(&self) -> Result<Store> {
        self.refuse_links()?;
        self.refuse_missing()?;
        let db = self.db_path();
        let config = Arc::new(self.config()?);
        if self.read_only_part().is_some() {
            return Ok(Store::open_read_only(&db, config)?);
        }
        let lock = self.lock_shared()?;
        match Store::open(&db, Arc::clone(&config)) {
            Err(StoreError::ReadOnly) => Ok(Store::open_read_only(&db, config)?),
            other => {
                let mut store = other?;
                store.hold(lock);
                Ok(store)
            }
        }
    }
}
