//! The home folder: `--home DIR`, else `$MINSHI_HOME`, else the platform data folder. It holds the
//! database, evidence files, drafts, printouts, backups, the optional config.toml and the log.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::config::Config;
use crate::store::Store;

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
            std::fs::write(
                self.marker_path(),
                "minshi 登记簿主目录。删除数据库后请用 minshi restore 恢复，不要新建。\n",
            )
            .with_context(|| format!("无法写入 {}", self.marker_path().display()))?;
            restrict(&self.marker_path())?;
        }
        Ok(())
    }

    fn lock_path(&self) -> PathBuf {
        self.root.join("minshi.lock")
    }

    fn lock_file(&self) -> Result<std::fs::File> {
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
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
                anyhow::bail!("正在从备份恢复登记簿，请稍后再试")
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
            Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
                "另有 minshi 程序正在使用这个登记簿（全屏界面或命令行）；请全部退出后再恢复"
            ),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("无法锁定 {}", self.lock_path().display()))
            }
        }
    }

    fn db_present(&self) -> bool {
        std::fs::metadata(self.db_path()).is_ok_and(|m| m.len() > 0)
    }

    /// Create the folder and its subfolders, readable by the owner only.
    pub fn create(&self) -> Result<()> {
        for dir in [
            self.root.clone(),
            self.evidence_dir(),
            self.drafts_dir(),
            self.printouts_dir(),
            self.backups_dir(),
        ] {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("无法创建目录 {}", dir.display()))?;
            restrict(&dir)?;
        }
        Ok(())
    }

    /// The configuration: embedded defaults overridden by `config.toml`.
    pub fn config(&self) -> Result<Config> {
        Ok(Config::load(&self.root)?)
    }

    /// Open the register of an initialized home.
    pub fn open(&self) -> Result<Store> {
        if !self.db_present() {
            if self.is_initialized() {
                anyhow::bail!(
                    "主目录 {} 已建立登记簿，但数据库 minshi.db 不见了或是空的。\
                     为免重复编号，不会新建空的登记簿；请用 minshi restore 备份文件 从备份恢复",
                    self.root.display()
                );
            }
            anyhow::bail!(
                "主目录 {} 还没有登记簿：请先运行 minshi init（或用 minshi demo 生成演示数据）",
                self.root.display()
            );
        }
        self.open_or_create()
    }

    /// Create the folder and the register if needed, and open it: for `init` and `demo`.
    pub fn open_or_create(&self) -> Result<Store> {
        if self.is_initialized() && !self.db_present() {
            return self.open();
        }
        self.create()?;
        let lock = self.lock_shared()?;
        let config = Arc::new(self.config()?);
        let mut store = Store::open(&self.db_path(), config)?;
        store.hold(lock);
        restrict(&self.db_path())?;
        self.mark_initialized()?;
        Ok(store)
    }
}

/// A new file readable by the owner only (it may hold personal data).
pub fn create_private(path: &Path) -> Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .with_context(|| format!("无法新建 {}", path.display()))
}

#[cfg(unix)]
pub(crate) fn restrict(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = if path.is_dir() { 0o700 } else { 0o600 };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .with_context(|| format!("无法设置 {} 的权限", path.display()))
}

#[cfg(not(unix))]
pub(crate) fn restrict(_: &Path) -> Result<()> {
    Ok(())
}
