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

    /// Create the folder if needed and open the register.
    pub fn open(&self) -> Result<Store> {
        self.create()?;
        let config = Arc::new(self.config()?);
        let store = Store::open(&self.db_path(), config)?;
        restrict(&self.db_path())?;
        Ok(store)
    }
}

#[cfg(unix)]
fn restrict(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = if path.is_dir() { 0o700 } else { 0o600 };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .with_context(|| format!("无法设置 {} 的权限", path.display()))
}

#[cfg(not(unix))]
fn restrict(_: &Path) -> Result<()> {
    Ok(())
}
