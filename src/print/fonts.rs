//! The three faces printed on paper, embedded in the binary, their metrics, and the check that
//! every character of a document is in them before anything is drawn (a missing character would
//! print as a blank without any warning).

use std::fmt;
use std::sync::{LazyLock, OnceLock};

use printpdf::ParsedFont;

use super::layout::is_ignorable;

static SERIF_REGULAR: &[u8] = include_bytes!("../../fonts/NotoSerifCJKsc-Regular.otf");
static SERIF_BOLD: &[u8] = include_bytes!("../../fonts/NotoSerifCJKsc-Bold.otf");
static SANS_BOLD: &[u8] = include_bytes!("../../fonts/NotoSansCJKsc-Bold.otf");

/// The role a face plays on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// Noto Serif CJK SC Regular (宋体 style): body text and table cells.
    Body,
    /// Noto Serif CJK SC Bold (close to 小标宋): titles.
    Title,
    /// Noto Sans CJK SC Bold (黑体 style): labels, table headers, headings.
    Label,
}

impl Face {
    pub const ALL: [Face; 3] = [Face::Body, Face::Title, Face::Label];

    fn index(self) -> usize {
        match self {
            Face::Body => 0,
            Face::Title => 1,
            Face::Label => 2,
        }
    }

    pub(crate) fn bytes(self) -> &'static [u8] {
        match self {
            Face::Body => SERIF_REGULAR,
            Face::Title => SERIF_BOLD,
            Face::Label => SANS_BOLD,
        }
    }
}

/// A parsed face with the metrics layout needs, read once per process.
pub(crate) struct LoadedFace {
    pub parsed: ParsedFont,
    units_per_em: f32,
    /// The `hmtx` table: `num_h_metrics` pairs of (advance, left side bearing).
    hmtx: &'static [u8],
    num_h_metrics: usize,
}

impl LoadedFace {
    fn load(face: Face) -> LoadedFace {
        let bytes = face.bytes();
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .unwrap_or_else(|| panic!("embedded font {face:?} parses: {warnings:?}"));
        let (offset, len) = parsed.hmtx_range;
        let hmtx = &bytes[offset..offset + len];
        let num_h_metrics = usize::from(parsed.hhea_table.num_h_metrics).min(len / 4);
        assert!(num_h_metrics > 0, "embedded font {face:?} has advances");
        LoadedFace {
            units_per_em: f32::from(parsed.pdf_font_metrics.units_per_em),
            parsed,
            hmtx,
            num_h_metrics,
        }
    }

    /// The glyph of `c`, if the face has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.parsed
            .lookup_glyph_index(u32::from(c))
            .filter(|&gid| gid != 0)
    }

    /// Advance width of `c` in ems (a missing glyph measures as a full em).
    pub fn advance_em(&self, c: char) -> f32 {
        let Some(gid) = self.glyph(c) else {
            return 1.0;
        };
        let i = usize::from(gid).min(self.num_h_metrics - 1) * 4;
        let advance = u16::from_be_bytes([self.hmtx[i], self.hmtx[i + 1]]);
        f32::from(advance) / self.units_per_em
    }
}

static FACES: LazyLock<[LoadedFace; 3]> = LazyLock::new(|| {
    // Parsing a 10 MB face takes a while: do the three at once.
    std::thread::scope(|s| {
        let handles = Face::ALL.map(|f| s.spawn(move || LoadedFace::load(f)));
        handles.map(|h| h.join().expect("font loading does not panic"))
    })
});

/// Parses the three faces now (about 60–100 ms, once per process) instead of on the first
/// document: a front end may call it from a background thread at start.
pub fn preload() {
    LazyLock::force(&FACES);
}

pub(crate) fn loaded(face: Face) -> &'static LoadedFace {
    &FACES[face.index()]
}

/// Whether the body face prints `c` (whitespace and ignorable characters always pass, as in
/// [`check_coverage`]). Asked for every character a register stores, so the answers for the
/// Basic Multilingual Plane are kept, 256 characters at a time, as each block is first met.
pub fn body_prints(c: char) -> bool {
    if c.is_whitespace() || is_ignorable(c) {
        return true;
    }
    let cp = u32::from(c);
    if cp > 0xFFFF {
        return loaded(Face::Body).glyph(c).is_some();
    }
    static BLOCKS: [OnceLock<[u64; 4]>; 256] = [const { OnceLock::new() }; 256];
    let bits = BLOCKS[(cp >> 8) as usize].get_or_init(|| {
        let font = loaded(Face::Body);
        let mut bits = [0u64; 4];
        for i in 0..256u32 {
            if char::from_u32((cp & !0xFF) | i).is_some_and(|ch| font.glyph(ch).is_some()) {
                bits[(i / 64) as usize] |= 1 << (i % 64);
            }
        }
        bits
    });
    let i = cp & 0xFF;
    (bits[(i / 64) as usize] >> (i % 64)) & 1 == 1
}

/// A character of a field that the fonts cannot print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unprintable {
    /// The field's Chinese label, as the clerk knows it (「姓名」).
    pub field: String,
    pub ch: char,
    /// 1-based position of the character in the field.
    pub position: usize,
}

impl fmt::Display for Unprintable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "「{}」第{}个字符「U+{:04X}」无法打印（字体中没有此字）",
            self.field, self.position, self.ch as u32
        )
    }
}

/// Checks every character of every field against the body face, the one user text is printed
/// in. Whitespace (spaces, tabs, line breaks) is always fine.
pub fn check_coverage(fields: &[(&str, &str)]) -> Result<(), Vec<Unprintable>> {
    check_coverage_in(Face::Body, fields)
}

/// Like [`check_coverage`], for text printed in another face (a title, a label).
pub fn check_coverage_in(face: Face, fields: &[(&str, &str)]) -> Result<(), Vec<Unprintable>> {
    let font = loaded(face);
    let missing: Vec<Unprintable> = fields
        .iter()
        .flat_map(|(field, text)| {
            text.chars()
                .enumerate()
                .filter(|(_, c)| {
                    !c.is_whitespace() && !is_ignorable(*c) && font.glyph(*c).is_none()
                })
                .map(|(i, ch)| Unprintable {
                    field: (*field).to_string(),
                    ch,
                    position: i + 1,
                })
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kept_answers_agree_with_the_face() {
        let font = loaded(Face::Body);
        for c in ('\u{3000}'..='\u{9FFF}')
            .chain('\u{E000}'..='\u{E0FF}')
            .step_by(7)
        {
            let direct = c.is_whitespace() || is_ignorable(c) || font.glyph(c).is_some();
            assert_eq!(body_prints(c), direct, "U+{:04X}", u32::from(c));
        }
        assert!(body_prints('𬌗'));
    }

    #[test]
    fn rare_name_characters_are_printable() {
        assert_eq!(
            check_coverage(&[
                ("姓名", "王𬌗"),
                ("姓名", "刘䶮"),
                ("备注", "镕 堃 喆\n〔〕—…")
            ]),
            Ok(())
        );
    }

    #[test]
    fn private_use_character_is_reported_with_field_and_position() {
        let err = check_coverage(&[("住址", "首阳镇"), ("姓名", "张\u{E000}三")]).unwrap_err();
        assert_eq!(
            err,
            vec![Unprintable {
                field: "姓名".into(),
                ch: '\u{E000}',
                position: 2
            }]
        );
        assert_eq!(
            err[0].to_string(),
            "「姓名」第2个字符「U+E000」无法打印（字体中没有此字）"
        );
    }

    #[test]
    fn control_characters_other_than_whitespace_are_reported() {
        assert!(check_coverage(&[("诉求", "a\u{7}b")]).is_err());
        assert!(check_coverage(&[("诉求", "a\tb\r\nc\u{3000}d")]).is_ok());
        assert!(check_coverage(&[("姓名", "葛\u{E0100}亮")]).is_ok());
    }

    #[test]
    fn fixed_wording_of_every_document_is_in_its_face() {
        let labels = "案件编号受理时间来源渠道事项类别当前状态性别身份证号联系电话住址来访人数代表诉求内容\
            事实与理由事发地点办理方式责任单位期限过程结果及依据回访情况满意度备注（续）证据材料清单\
            序号名称类型页数添加SHA-256（前12位）补打第次打印附件：合计按状态类别乡镇/村当事人渠道摘要\
            超期登记日期";
        let body = "— 0123456789 —年月日（盖章）签字经办人审核人打印时间：　待分流尚未办结回访……\
            请妥善保管本回执。凭案件编号或扫描二维码，可到本中心窗口或拨打咨询电话查询办理进度；\
            如对办理结果有异议，请在收到答复后30日内提出。扫码内容前级本期登记件，其中超期未办结\
            （截至）。本期间无登记事项";
        let titles = "民事办理书受理回执民声登记簿";
        assert_eq!(
            check_coverage_in(Face::Label, &[("labels", labels)]),
            Ok(())
        );
        assert_eq!(check_coverage_in(Face::Body, &[("body", body)]), Ok(()));
        assert_eq!(
            check_coverage_in(Face::Title, &[("titles", titles)]),
            Ok(())
        );
    }

    #[test]
    fn ideographs_are_one_em_and_digits_narrower() {
        let f = loaded(Face::Body);
        assert!((f.advance_em('中') - 1.0).abs() < 0.01);
        let digit = f.advance_em('1');
        assert!(digit > 0.3 && digit < 0.7, "{digit}");
    }
}
