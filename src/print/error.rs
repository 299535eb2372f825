//! What can stop a document from being printed, in words a clerk can act on.

use super::fonts::Unprintable;

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// Characters the fonts do not have: printing would leave blanks, so nothing is printed.
    #[error("{}", unprintable_message(.0))]
    Unprintable(Vec<Unprintable>),
    /// An annex image that cannot be embedded.
    #[error(
        "附件{seq}「{title}」的图片无法放入办理书：{reason}。请重新扫描或另存为 JPEG / PNG 后再附上"
    )]
    Image {
        seq: u32,
        title: String,
        reason: String,
    },
    /// A period whose end is before its start.
    #[error("登记簿的起止日期有误：起始日期 {from} 晚于截止日期 {to}")]
    Period {
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    },
}

fn unprintable_message(list: &[Unprintable]) -> String {
    const SHOWN: usize = 10;
    let mut msg = String::from("有字符无法打印，未生成文档：");
    let shown: Vec<String> = list.iter().take(SHOWN).map(|u| u.to_string()).collect();
    msg.push_str(&shown.join("；"));
    if list.len() > SHOWN {
        msg.push_str(&format!("；另有{}处", list.len() - SHOWN));
    }
    msg.push_str("。请改用常用字（生僻字可用同音字加注说明）或删除这些字符后再打印");
    msg
}
