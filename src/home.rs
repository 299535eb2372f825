//! The home folder: `--home DIR`, else `$MINSHI_HOME`, else the platform data folder. It holds the
//! database, evidence files, drafts, printouts, backups, the optional config.toml and the log.
//! Everything minshi creates there is owner-only; links among its own files are refused; a
//! read-only home can be read without being changed.

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

    /// Create the folder if needed and open the register to change it. The database file is
    /// created owner-only before SQLite sees it, so that its journal files are owner-only too.
    pub fn open(&self) -> Result<Store> {
        self.refuse_read_only()?;
        self.create()?;
        let db = self.db_path();
        match owner_only::create_file(&db) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(e).with_context(|| format!("无法创建数据库 {}", db.display()));
            }
            _ => {}
        }
        let config = Arc::new(self.config()?);
        Ok(Store::open(&db, config)?)
    }

    /// Open the register to read it: when it exists nothing is created and no permission is
    /// changed, so a read-only home (a copy, a colleague's folder, a read-only disk) can be
    /// looked at. A home without a register yet is set up as by [`Home::open`].
    pub fn open_read(&self) -> Result<Store> {
        self.refuse_links()?;
        let db = self.db_path();
        if !db.exists() {
            return self.open();
        }
        let config = Arc::new(self.config()?);
        if self.read_only_part().is_some() {
            return Ok(Store::open_read_only(&db, config)?);
        }
        match Store::open(&db, Arc::clone(&config)) {
            Err(StoreError::ReadOnly) => Ok(Store::open_read_only(&db, config)?),
            other => Ok(other?),
        }
    }
}
