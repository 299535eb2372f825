//! clap's refusals and help in Chinese. clap has no translations, so a refusal is written anew
//! from its context (what was typed, what was expected, what clap suggests), and help has
//! clap's few fixed English words (headings, `[OPTIONS]`, "Print help") replaced. Exit codes
//! stay clap's: 0 for help and version, 2 for a refusal.

use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::text::neutralize;

/// clap's words in help output, longest first so that none is cut by a shorter one.
const HELP_WORDS: &[(&str, &str)] = &[
    (
        "Print this message or the help of the given subcommand(s)",
        "显示本帮助或某个命令的帮助",
    ),
    (
        "Print help (see more with '--help')",
        "显示帮助（--help 更详细）",
    ),
    (
        "Print help (see a summary with '-h')",
        "显示帮助（-h 只看摘要）",
    ),
    ("Print help for the subcommand(s)", "显示某个命令的帮助"),
    ("Print help", "显示帮助"),
    ("Print version", "显示版本"),
    ("Usage: ", "用法："),
    ("Usage:", "用法："),
    ("Commands:", "命令："),
    ("Arguments:", "参数："),
    ("Options:", "选项："),
    ("[OPTIONS]", "[选项]"),
    ("<COMMAND>", "<命令>"),
    ("[COMMAND]", "[命令]"),
    ("[possible values: ", "[可选："),
    ("[default: ", "[默认："),
    ("[env: ", "[环境变量："),
    ("[aliases: ", "[别名："),
];

/// Help text with clap's English words in Chinese.
pub fn help_text(english: &str) -> String {
    HELP_WORDS
        .iter()
        .fold(english.to_string(), |text, (en, zh)| text.replace(en, zh))
}

/// Report clap's refusal (or help, or version) in Chinese and give the exit code.
pub fn refuse(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            print!("{}", help_text(&e.render().to_string()));
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprint!("{}", help_text(&e.render().to_string()));
            ExitCode::from(2)
        }
        _ => {
            eprintln!(
                "错误：{}\n（运行 {} --help 查看用法）",
                neutralize(&message(&e), false),
                command_path()
            );
            ExitCode::from(2)
        }
    }
}

fn string(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(list) => Some(list.join("、")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        _ => None,
    }
}

fn strings(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(list)) => list.clone(),
        _ => Vec::new(),
    }
}

/// "，是不是「--limit」？" when clap has a suggestion.
fn did_you_mean(e: &clap::Error, kind: ContextKind) -> String {
    let list = strings(e, kind);
    if list.is_empty() {
        return String::new();
    }
    let quoted: Vec<String> = list.iter().map(|s| format!("「{s}」")).collect();
    format!("，是不是{}？", quoted.join("或"))
}

/// What went wrong, in Chinese, from the refusal's context.
fn message(e: &clap::Error) -> String {
    let arg = string(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = string(e, ContextKind::InvalidValue).unwrap_or_default();
    match e.kind() {
        ErrorKind::InvalidValue if value.is_empty() => format!("{arg} 后面要写一个值"),
        ErrorKind::InvalidValue => {
            let valid = strings(e, ContextKind::ValidValue);
            let mut text = format!("{arg}「{value}」不是可选的值");
            if !valid.is_empty() {
                text.push_str(&format!("，可选：{}", valid.join("、")));
            }
            text + &did_you_mean(e, ContextKind::SuggestedValue)
        }
        ErrorKind::ValueValidation => match std::error::Error::source(e) {
            // Our own parsers (numbers, dates) already say it in Chinese.
            Some(reason) => format!("{arg}：{reason}"),
            None => format!("{arg}「{value}」无效"),
        },
        ErrorKind::UnknownArgument => {
            let looks_negative = arg
                .strip_prefix('-')
                .is_some_and(|d| d.starts_with(|c: char| c.is_ascii_digit()));
            if looks_negative {
                format!("「{arg}」不是这个命令的选项（这里不能写负数）")
            } else if arg.starts_with('-') {
                format!(
                    "没有「{arg}」这个选项{}",
                    did_you_mean(e, ContextKind::SuggestedArg)
                )
            } else {
                format!("多余的参数「{arg}」（含空格的文字请加引号）")
            }
        }
        ErrorKind::InvalidSubcommand => format!(
            "没有「{}」这个命令{}",
            string(e, ContextKind::InvalidSubcommand).unwrap_or_default(),
            did_you_mean(e, ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::MissingSubcommand => format!(
            "「{}」后面要写一个子命令",
            string(e, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::MissingRequiredArgument => {
            format!(
                "缺少必须写的参数：{}",
                strings(e, ContextKind::InvalidArg).join("、")
            )
        }
        ErrorKind::ArgumentConflict => match string(e, ContextKind::PriorArg) {
            Some(prior) if prior != arg => format!("{arg} 不能与 {prior} 同时使用"),
            _ => format!("{arg} 只能写一次"),
        },
        ErrorKind::NoEquals => format!("{arg} 的值要用等号连写，如 {arg}=值"),
        ErrorKind::TooManyValues => format!("{arg} 多出了值「{value}」"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 的值的个数不对")
        }
        ErrorKind::InvalidUtf8 => "命令行中有不是 UTF-8 编码的文字".to_string(),
        _ => "命令行写得不对".to_string(),
    }
}

/// The command that was being written (`minshi list`, `minshi user add`), from the command
/// line itself (clap's errors do not all carry it). Words that are no subcommand (option
/// values, positional arguments) are passed over.
fn command_path() -> String {
    use clap::CommandFactory;
    let mut cmd = crate::cli::Cli::command();
    let mut path = vec![cmd.get_name().to_string()];
    for arg in std::env::args().skip(1) {
        if arg.starts_with('-') {
            continue;
        }
        match cmd.find_subcommand(&arg) {
            Some(sub) => {
                path.push(sub.get_name().to_string());
                let next = sub.clone();
                cmd = next;
            }
            None => continue,
        }
    }
    path.join(" ")
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if matches!(id, "help" | "version") {
                continue;
            }
            match arg.get_help() {
                Some(h) if h.to_string().chars().any(|c| c > '\u{2e80}') => {}
                _ => missing.push(format!("{path} {id}")),
            }
        }
        for sub in cmd.get_subcommands() {
            if sub.get_about().is_none() {
                missing.push(format!("{path} {}（命令）", sub.get_name()));
            }
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }

    #[test]
    fn every_option_of_every_command_has_a_chinese_help_text() {
        let mut missing = Vec::new();
        walk(&crate::cli::Cli::command(), "minshi", &mut missing);
        assert!(missing.is_empty(), "no Chinese help: {missing:#?}");
    }

    #[test]
    fn help_words_are_translated() {
        assert_eq!(
            super::help_text("Usage: minshi list [OPTIONS]\n\nOptions:\n  -h, --help  Print help"),
            "用法：minshi list [选项]\n\n选项：\n  -h, --help  显示帮助"
        );
    }
}
