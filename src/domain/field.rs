//! The fields of a registration, named once: the JSON key `register` reads, the Chinese label
//! the form and every message use. Validation errors, the form's fields and 更正 all say which
//! field by this enum, so a field cannot be misspelt in one place and not another.

/// One field of `NewCaseInput`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Name,
    IdNumber,
    Phone,
    Gender,
    Town,
    Village,
    Address,
    Channel,
    Category,
    Request,
    Facts,
    Reasons,
    Place,
    GroupSize,
    Representatives,
    Urgent,
    Legal,
    Route,
    Level,
    Unit,
    /// 当场办结: the kind of answer given at the counter.
    Outcome,
    /// 当场办结: the answer given.
    Result,
    /// 当场办结: what the answer rests on.
    Basis,
    ReceivedAt,
}

impl Field {
    pub const ALL: [Field; 24] = [
        Field::Name,
        Field::IdNumber,
        Field::Phone,
        Field::Gender,
        Field::Town,
        Field::Village,
        Field::Address,
        Field::Channel,
        Field::Category,
        Field::Request,
        Field::Facts,
        Field::Reasons,
        Field::Place,
        Field::GroupSize,
        Field::Representatives,
        Field::Urgent,
        Field::Legal,
        Field::Route,
        Field::Level,
        Field::Unit,
        Field::Outcome,
        Field::Result,
        Field::Basis,
        Field::ReceivedAt,
    ];

    /// The key of `register`'s JSON (and of 更正's `--field`).
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::IdNumber => "id_number",
            Field::Phone => "phone",
            Field::Gender => "gender",
            Field::Town => "town",
            Field::Village => "village",
            Field::Address => "address",
            Field::Channel => "channel",
            Field::Category => "category",
            Field::Request => "request",
            Field::Facts => "facts",
            Field::Reasons => "reasons",
            Field::Place => "place",
            Field::GroupSize => "group_size",
            Field::Representatives => "representatives",
            Field::Urgent => "urgent",
            Field::Legal => "legal",
            Field::Route => "route",
            Field::Level => "level",
            Field::Unit => "unit",
            Field::Outcome => "outcome",
            Field::Result => "result",
            Field::Basis => "basis",
            Field::ReceivedAt => "received_at",
        }
    }

    /// The Chinese name, as the form labels it and messages name it.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "姓名",
            Field::IdNumber => "身份证号",
            Field::Phone => "联系电话",
            Field::Gender => "性别",
            Field::Town => "乡镇",
            Field::Village => "村（社区）",
            Field::Address => "详细地址",
            Field::Channel => "来源渠道",
            Field::Category => "事项类别",
            Field::Request => "诉求内容",
            Field::Facts => "事实与理由",
            Field::Reasons => "理由",
            Field::Place => "事发地点",
            Field::GroupSize => "来访人数",
            Field::Representatives => "代表",
            Field::Urgent => "紧急",
            Field::Legal => "涉法涉诉",
            Field::Route => "办理方式",
            Field::Level => "办理层级",
            Field::Unit => "责任单位",
            Field::Outcome => "结果类型",
            Field::Result => "答复内容",
            Field::Basis => "答复依据",
            Field::ReceivedAt => "受理时间",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

    /// A field by its key or its Chinese label (`name` or 姓名).
    pub fn parse(s: &str) -> Option<Field> {
        let s = s.trim();
        Field::ALL
            .into_iter()
            .find(|f| f.key() == s || f.label() == s)
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_labels_are_unique_and_round_trip() {
        let mut keys = std::collections::HashSet::new();
        let mut labels = std::collections::HashSet::new();
        for f in Field::ALL {
            assert!(keys.insert(f.key()), "{f:?}");
            assert!(labels.insert(f.label()), "{f:?}");
            assert_eq!(Field::from_key(f.key()), Some(f));
            assert_eq!(Field::parse(f.label()), Some(f));
        }
    }
}
