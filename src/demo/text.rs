//! What the demo's people say and are called: names, ID numbers and phones, the matters of each
//! category, and the words of visits, triage and meetings.

use chrono::{Duration, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, RngCore};

use crate::domain::{Gender, IdNumber, Phone};

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "马", "何", "牛", "汪", "魏", "董", "石", "孙", "周",
    "吴", "徐", "郭", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "曹", "彭", "包", "苟",
    "漆", "令狐", "欧阳",
];
const GIVEN: &[&str] = &[
    "芳", "伟", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀兰", "霞", "平", "刚", "桂英", "建国", "建华", "国强", "志强", "玉兰", "春梅", "海燕",
    "文", "斌", "鹏", "红", "亮", "成", "福", "禄", "喜", "堃", "喆", "镕", "玥", "晓东", "永红",
    "兴旺", "有福", "改花", "存才",
];

/// A person's name.
pub(super) fn name(rng: &mut impl RngCore) -> String {
    format!(
        "{}{}",
        SURNAMES.choose(rng).unwrap_or(&"王"),
        GIVEN.choose(rng).unwrap_or(&"芳")
    )
}

/// A mobile number.
pub(super) fn phone(rng: &mut impl RngCore) -> Option<Phone> {
    Phone::parse(&format!(
        "1{}{:09}",
        rng.random_range(3..10),
        rng.random_range(0..1_000_000_000u64)
    ))
    .ok()
}

/// A valid resident ID of the county: birth date, sex in the sequence, check character.
pub(super) fn id_number(rng: &mut impl RngCore, county: &str, gender: Gender) -> IdNumber {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let birth = NaiveDate::from_ymd_opt(1940, 1, 1).expect("valid date")
        + Duration::days(rng.random_range(0..24_000));
    let seq = rng.random_range(0..500) * 2 + u32::from(gender == Gender::Male);
    let body = format!("{county}{}{:03}", birth.format("%Y%m%d"), seq % 1000);
    let sum: u32 = body
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    IdNumber::parse(&format!("{body}{}", C[(sum % 11) as usize])).expect("built valid")
}

/// What a matter of a category sounds like: the request and its facts.
pub(super) fn matter(category: &str, rng: &mut impl RngCore) -> (String, String) {
    let n = rng.random_range(2..60) * 500;
    let m = rng.random_range(1..12);
    let (req, facts) = match category {
        "劳动争议" => (
            format!("讨要拖欠工资{n}元，请求协调用工方尽快支付"),
            format!("本人在工地务工{m}个月，包工头以工程款未结为由拖欠工资，多次讨要未果。"),
        ),
        "婚姻家庭" => (
            "夫妻因家庭琐事长期争吵，请求调解".to_string(),
            format!("双方结婚{m}年，近来因子女抚养和家庭开支矛盾加深。"),
        ),
        "邻里" => (
            "与邻居因排水问题发生纠纷，请求调解".to_string(),
            "邻居新修院墙将排水沟堵塞，雨天积水倒灌入本人院内。".to_string(),
        ),
        "房屋宅基地" => (
            "与邻居宅基地边界存在争议，请求依法确权".to_string(),
            format!("对方建房时越界约{m}米，占用本人宅基地，协商未果。"),
        ),
        "山林土地" | "土地承包经营" => (
            "承包地被他人占用耕种，请求返还".to_string(),
            format!("本人承包的{m}亩耕地外出务工期间被同村村民耕种，回乡后要求返还被拒。"),
        ),
        "征地拆迁" => (
            format!("征地补偿款{n}元未足额发放，请求核实"),
            "道路建设征用本人耕地，补偿标准与公示不一致。".to_string(),
        ),
        "赡养继承" => (
            "子女不履行赡养义务，请求督促".to_string(),
            format!("本人年迈多病，{m}个子女互相推诿，无人承担赡养费用。"),
        ),
        "道路交通事故" => (
            format!("交通事故赔偿{n}元未到位，请求协调"),
            "对方车辆追尾致本人受伤住院，对方拒不支付医疗费。".to_string(),
        ),
        "合同" | "生产经营" => (
            format!("合作社拖欠货款{n}元，请求协调支付"),
            "本人向合作社交售中药材，合作社以资金困难为由拖欠货款。".to_string(),
        ),
        "环境污染" => (
            "养殖场气味扰民，请求整治".to_string(),
            "村内养殖场粪污随意堆放，夏季气味刺鼻，影响周边居民生活。".to_string(),
        ),
        "政策咨询" => (
            "咨询城乡居民养老保险缴费政策".to_string(),
            "本人年满六十周岁，想了解补缴和领取待遇的办理流程。".to_string(),
        ),
        "求助" => (
            "家庭困难，申请低保救助".to_string(),
            "家中主要劳动力患病，无稳定收入，子女上学开支大。".to_string(),
        ),
        "基础设施" => (
            "村道损坏严重，请求维修".to_string(),
            format!("村组道路约{m}百米路段坑洼不平，雨天无法通行，影响群众出行和农产品外运。"),
        ),
        "投诉举报" => (
            "反映村干部优亲厚友问题".to_string(),
            "村里评定低保户时存在优亲厚友现象，群众意见较大。".to_string(),
        ),
        "建议意见" => (
            "建议在村口增设路灯".to_string(),
            "村口路段夜间无照明，群众夜间出行不便且存在安全隐患。".to_string(),
        ),
        other => (
            format!("{other}，请求协调解决"),
            "双方多次协商未果，矛盾有激化苗头。".to_string(),
        ),
    };
    (req, facts)
}

/// 家庭基本情况 as a cadre writes it down.
pub(super) const SITUATIONS: &[&str] = &[
    "家中四口人，夫妻二人务农，两个孩子在县城上学",
    "老两口独居，儿子在外务工，主要收入为种植中药材",
    "家中五口人，种植马铃薯和中药材，养牛三头",
    "低保户，户主患慢性病，常年服药",
    "家中三口人，丈夫在外务工，妻子在家照顾老人和孩子",
    "脱贫户，享受产业帮扶，种植当归十余亩",
    "独居老人，子女在外地工作，每月回家一次",
];

/// A small question raised at a visit and the answer given on the spot: nothing to report.
pub(super) const ANSWERED_AT_THE_DOOR: &[(&str, &str)] = &[
    ("询问城乡居民医保缴费时间", "已告知本年度缴费时间和缴费渠道"),
    (
        "询问养老保险待遇领取条件",
        "已解释年满六十周岁按月领取的规定",
    ),
    ("反映村道路灯不亮", "已联系村委会安排维修"),
    (
        "询问耕地地力保护补贴发放情况",
        "已告知补贴发放时间和查询方式",
    ),
    ("询问农村危房改造政策", "已讲解申请条件和办理流程"),
    ("", ""),
    ("", ""),
];

/// How a center answers a report on the spot (当场答复).
pub(super) const ANSWERS: &[&str] = &[
    "已向报告人解释相关政策，当事人表示理解",
    "经核实，相关补贴已发放到位，已告知当事人查询方式",
    "已电话答复报告人，问题已由村委会当场协调解决",
    "已告知当事人办理流程和所需材料，当事人表示自行办理",
];

/// Where a center guides a matter that is not for it (引导).
pub(super) const GUIDES: &[&str] = &[
    "属于诉讼程序处理的事项，已引导当事人依法向人民法院起诉",
    "属于劳动仲裁受理范围，已引导当事人向县劳动人事争议仲裁委员会申请仲裁",
    "属于信访事项，已引导当事人向县信访局反映",
    "属于行政复议事项，已告知当事人依法申请行政复议",
];

/// What a 民心沟通会 reports and plans.
pub(super) const MEETING_ITEMS: &[&str] = &[
    "通报近期矛盾纠纷排查化解情况和群众诉求办理进展",
    "通报民生实事项目推进情况，宣讲惠民政策",
    "通报上次沟通会群众意见的办理结果",
];
pub(super) const MEETING_PLANS: &[&str] = &[
    "对群众提出的意见建议逐项登记，限期办理并在村务公开栏公示结果",
    "对未化解的矛盾纠纷落实包案责任人，下次沟通会通报进展",
];
pub(super) const UNITS: &[&str] = &["综治中心", "司法所", "派出所", "人民法庭", "综合行政执法所"];

/// How a revisit at a meeting went, in the words of the minutes.
pub(super) const REVISIT_NOTES: &[&str] = &[
    "当事人到会，表示协议已履行",
    "双方当事人均到会，无新的矛盾",
    "",
];
