//! `minshi act KEY ACTION [...]`: the lifecycle's actions from the command line.

use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::Args;
use clap::builder::PossibleValuesParser;

use crate::clock;
use crate::config::Config;
use crate::domain::{Action, ActionKind, FOLLOW_UP_WAYS, Level, Outcome, Satisfaction};

#[derive(Debug, Args)]
#[command(after_help = "各操作需要的参数：\n  \
    分流 dispatch   --unit 单位 [--level 村|乡镇|县] [--note 说明]\n  \
    签收 accept     [--note 说明]\n  \
    退单 return     --reason 理由\n  \
    进展 progress   --note 进展情况 [--date 发生日期]\n  \
    延期 extend     --days 天数 --reason 理由（值班长办理，即为批准人）\n  \
    督办 urge       --note 督办意见\n  \
    办结 close      --outcome 支持|解释说明|不予支持|调解成功|调解不成 --result 办理结果 [--basis 依据]\n  \
    回访 follow-up  --satisfaction 非常满意|满意|基本满意|不满意|非常不满意 --way 电话|上门|当面|来访|短信|微信|沟通会 [--date 日期] [--note 情况]\n  \
    归档 archive    [--note 说明] [--confirmed-by 值班长登录名]（缺少必需证据时）\n  \
    重办 reopen     --reason 理由\n  \
    不予受理 decline --reason 理由及引导渠道\n  \
    合并 merge      --into 目标案件编号\n  \
    更正 correct    --field 项目（如 name 或 姓名） --value 新值 --reason 更正理由")]
pub struct ActArgs {
    /// 案件编号：2026-000012、12（今年的）或 陇综民〔2026〕12号
    #[arg(value_name = "编号")]
    pub key: String,
    /// 操作：中文名或英文（如 分流 或 dispatch），见下表
    #[arg(value_name = "操作")]
    pub action: String,
    /// 分流到的责任单位，如 首阳镇司法所、县人力资源和社会保障局（分流）
    #[arg(long, value_name = "单位")]
    pub unit: Option<String>,
    /// 单位的层级（分流；不写则按单位名称判断）
    #[arg(long, value_name = "层级", value_parser = PossibleValuesParser::new(Level::labels()))]
    pub level: Option<String>,
    /// 说明、进展情况或督办意见（分流、签收、进展、督办、归档）
    #[arg(long, value_name = "文字")]
    pub note: Option<String>,
    /// 理由（退单、延期、重办、不予受理、更正）
    #[arg(long, value_name = "文字")]
    pub reason: Option<String>,
    /// 延期的天数（延期；不超过配置的上限）
    #[arg(long, value_name = "N", value_parser = super::numbers::extension_days, allow_negative_numbers = true)]
    pub days: Option<u32>,
    /// 办理结果的类别（办结）
    #[arg(long, value_name = "结果", value_parser = PossibleValuesParser::new(Outcome::labels()))]
    pub outcome: Option<String>,
    /// 办理结果：给群众的答复或调解的结果（办结）
    #[arg(long, value_name = "文字")]
    pub result: Option<String>,
    /// 依据：法律、政策或协议（办结，可不写）
    #[arg(long, value_name = "文字")]
    pub basis: Option<String>,
    /// 群众的满意程度（回访）
    #[arg(long, value_name = "满意度", value_parser = PossibleValuesParser::new(Satisfaction::labels()))]
    pub satisfaction: Option<String>,
    /// 回访方式（回访）
    #[arg(long, value_name = "方式", value_parser = PossibleValuesParser::new(FOLLOW_UP_WAYS))]
    pub way: Option<String>,
    /// 回访日期或进展发生日期 YYYY-MM-DD（默认今天）
    #[arg(long, value_name = "日期")]
    pub date: Option<String>,
    /// 更正的项目：登记 JSON 的键或中文名（如 name 或 姓名）
    #[arg(long, value_name = "项目")]
    pub field: Option<String>,
    /// 更正后的新值
    #[arg(long, value_name = "新值")]
    pub value: Option<String>,
    /// 合并到的案件（合并：本件是它的重复件）
    #[arg(long, value_name = "编号")]
    pub into: Option<String>,
    /// 缺少必需证据仍要归档时，由值班长确认：值班长的登录名（本人是值班长时写自己的）；
    /// 其密码从提示或环境变量 MINSHI_CONFIRM_PASSWORD 读取
    #[arg(long, value_name = "登录名")]
    pub confirmed_by: Option<String>,
    /// 输出操作后的案件 JSON（英文键名）
    #[arg(long)]
    pub json: bool,
}

fn need(value: &Option<String>, flag: &str, kind: ActionKind) -> Result<String> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
        _ => bail!("「{}」需要 --{flag}", kind.label()),
    }
}

/// What `minshi act` was asked to do: a lifecycle action, or a 更正.
pub enum Asked {
    Action(Action),
    Correct {
        field: String,
        value: String,
        reason: String,
    },
}

fn date_arg(d: &Option<String>) -> Result<Option<NaiveDate>> {
    d.as_ref()
        .map(|d| {
            NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                .map_err(|_| anyhow::anyhow!("--date「{d}」应为 YYYY-MM-DD"))
        })
        .transpose()
}

impl ActArgs {
    pub fn asked(&self, config: &Config) -> Result<Asked> {
        if matches!(self.action.trim(), "更正" | "correct") {
            let field = match &self.field {
                Some(f) if !f.trim().is_empty() => f.trim().to_string(),
                _ => bail!("「更正」需要 --field（如 name 或 姓名）"),
            };
            let Some(value) = self.value.clone() else {
                bail!("「更正」需要 --value 新值");
            };
            let reason = match &self.reason {
                Some(r) if !r.trim().is_empty() => r.trim().to_string(),
                _ => bail!("「更正」需要 --reason 更正理由"),
            };
            return Ok(Asked::Correct {
                field,
                value,
                reason,
            });
        }
        self.to_action(config).map(Asked::Action)
    }

    pub fn to_action(&self, config: &Config) -> Result<Action> {
        let Some(kind) = ActionKind::parse(&self.action) else {
            let mut all: Vec<&str> = ActionKind::ALL.iter().map(ActionKind::label).collect();
            all.push("更正");
            bail!("没有「{}」这个操作，可用：{}", self.action, all.join("、"));
        };
        let note = self.note.clone().unwrap_or_default();
        Ok(match kind {
            ActionKind::Dispatch => {
                let unit = need(&self.unit, "unit", kind)?;
                if !config.is_unit(&unit) {
                    bail!("「{unit}」不在责任单位清单中");
                }
                let level = match &self.level {
                    Some(l) => Level::from_label(l).ok_or_else(|| {
                        anyhow::anyhow!("--level 应为 {}", Level::labels().join("、"))
                    })?,
                    None => config.level_of_unit(&unit),
                };
                Action::Dispatch { level, unit, note }
            }
            ActionKind::Accept => Action::Accept { note },
            ActionKind::Return => Action::Return {
                reason: need(&self.reason, "reason", kind)?,
            },
            ActionKind::Progress => Action::Progress {
                note: need(&self.note, "note", kind)?,
                happened_on: date_arg(&self.date)?,
            },
            ActionKind::Extend => Action::Extend {
                days: self
                    .days
                    .ok_or_else(|| anyhow::anyhow!("「延期」需要 --days"))?,
                reason: need(&self.reason, "reason", kind)?,
            },
            ActionKind::Urge => Action::Urge {
                note: need(&self.note, "note", kind)?,
            },
            ActionKind::Close => {
                let o = need(&self.outcome, "outcome", kind)?;
                Action::Close {
                    outcome: Outcome::from_label(&o).ok_or_else(|| {
                        anyhow::anyhow!("--outcome 应为 {}", Outcome::labels().join("、"))
                    })?,
                    result: need(&self.result, "result", kind)?,
                    basis: self.basis.clone().unwrap_or_default(),
                }
            }
            ActionKind::FollowUp => {
                let s = need(&self.satisfaction, "satisfaction", kind)?;
                let date = date_arg(&self.date)?.unwrap_or_else(clock::today);
                Action::FollowUp {
                    date,
                    way: need(&self.way, "way", kind)?,
                    satisfaction: Satisfaction::from_label(&s).ok_or_else(|| {
                        anyhow::anyhow!("--satisfaction 应为 {}", Satisfaction::labels().join("、"))
                    })?,
                    notes: note,
                }
            }
            ActionKind::Archive => Action::Archive { note },
            ActionKind::Reopen => Action::Reopen {
                reason: need(&self.reason, "reason", kind)?,
            },
            ActionKind::Decline => Action::Decline {
                reason: need(&self.reason, "reason", kind)?,
            },
            ActionKind::Merge => Action::Merge {
                into: need(&self.into, "into", kind)?
                    .parse()
                    .map_err(anyhow::Error::msg)?,
            },
        })
    }
}
