//! Writing laid-out pages as a PDF with printpdf: fonts embedded as subsets (with a ToUnicode map,
//! so text can be searched and copied), images as XObjects built by [`super::image`].

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use printpdf::{
    Color, ExternalXObject, FontId, Greyscale, Line, LinePoint, Op, PaintMode, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect, TextItem,
    TextMatrix, WindingOrder, XObjectId, XObjectTransform,
};

use super::fonts::{Face, loaded};
use super::layout::{Item, Page, text_width};

/// Everything a document needs besides its pages.
pub(crate) struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub created: DateTime<FixedOffset>,
}

pub(crate) fn render(meta: &Meta, pages: &[Page], images: &[ExternalXObject]) -> Vec<u8> {
    let mut doc = PdfDocument::new(meta.title);
    let info = &mut doc.metadata.info;
    info.author = meta.author.to_string();
    info.creator = "minshi".to_string();
    info.producer = "minshi".to_string();
    if let Ok(date) = printpdf::OffsetDateTime::from_unix_timestamp(meta.created.timestamp()) {
        info.creation_date = date;
        info.modification_date = date;
        info.metadata_date = date;
    }

    let mut fonts: BTreeMap<Face, FontId> = BTreeMap::new();
    for page in pages {
        for item in &page.items {
            if let Item::Text { face, .. } | Item::Watermark { face, .. } = item {
                fonts
                    .entry(*face)
                    .or_insert_with(|| doc.add_font(&loaded(*face).parsed));
            }
        }
    }
    let xobjects: Vec<XObjectId> = images.iter().map(|x| doc.add_xobject(x)).collect();

    let pdf_pages = pages
        .iter()
        .map(|p| PdfPage::new(to_mm(p.width), to_mm(p.height), ops(p, &fonts, &xobjects)))
        .collect();
    doc.with_pages(pdf_pages);
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let bytes = doc.save(&opts, &mut warnings);
    for w in warnings {
        tracing::debug!("printpdf: {w:?}");
    }
    bytes
}

/// A rectangle `[x, y, w, h]` (from the page's top-left corner) as a path in PDF coordinates.
fn ring([x, y, w, rh]: &[f32; 4], h: f32) -> PolygonRing {
    PolygonRing {
        points: vec![
            point(*x, h - y),
            point(x + w, h - y),
            point(x + w, h - y - rh),
            point(*x, h - y - rh),
        ],
    }
}

fn to_mm(pt: f32) -> printpdf::Mm {
    printpdf::Mm(pt * 25.4 / 72.0)
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

fn ops(page: &Page, fonts: &BTreeMap<Face, FontId>, xobjects: &[XObjectId]) -> Vec<Op> {
    let h = page.height;
    let mut ops = vec![
        Op::SetFillColor {
            col: Color::Greyscale(Greyscale::new(0.0, None)),
        },
        Op::SetOutlineColor {
            col: Color::Greyscale(Greyscale::new(0.0, None)),
        },
    ];
    let mut stroke = f32::NAN;
    let mut set_stroke = |ops: &mut Vec<Op>, width: f32| {
        if width != stroke {
            stroke = width;
            ops.push(Op::SetOutlineThickness { pt: Pt(width) });
        }
    };
    // Images first, then a watermark, then rules, then text on top.
    for item in &page.items {
        if let Item::Image { .. } = item {
            image_ops(&mut ops, item, h, xobjects);
        }
    }
    for item in &page.items {
        if let Item::Watermark {
            face,
            size,
            cx,
            cy,
            angle,
            grey,
            text,
        } = item
        {
            let width = text_width(*face, *size, text);
            let mark = Mark {
                font: fonts[face].clone(),
                size: *size,
                width,
                angle: *angle,
                grey: *grey,
            };
            watermark_ops(&mut ops, &mark, (*cx, h - cy), text);
        }
    }
    for item in &page.items {
        if let Item::Shade { rects, grey } = item {
            ops.push(Op::SetFillColor {
                col: Color::Greyscale(Greyscale::new(*grey, None)),
            });
            ops.push(Op::DrawPolygon {
                polygon: Polygon {
                    rings: rects.iter().map(|r| ring(r, h)).collect(),
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            });
            ops.push(Op::SetFillColor {
                col: Color::Greyscale(Greyscale::new(0.0, None)),
            });
        }
    }
    for item in &page.items {
        match item {
            Item::Fill { rects } => {
                let rings = rects.iter().map(|r| ring(r, h)).collect();
                ops.push(Op::DrawPolygon {
                    polygon: Polygon {
                        rings,
                        mode: PaintMode::Fill,
                        winding_order: WindingOrder::NonZero,
                    },
                });
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
            } => {
                set_stroke(&mut ops, *width);
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![point(*x1, h - y1), point(*x2, h - y2)],
                        is_closed: false,
                    },
                });
            }
            Item::Frame {
                x,
                y,
                w,
                h: fh,
                width,
            } => {
                set_stroke(&mut ops, *width);
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(h - y - fh),
                        width: Pt(*w),
                        height: Pt(*fh),
                        mode: Some(PaintMode::Stroke),
                        winding_order: None,
                    },
                });
            }
            _ => {}
        }
    }
    let mut current: Option<(Face, f32)> = None;
    let mut in_text = false;
    for item in &page.items {
        if let Item::Text {
            face,
            size,
            x,
            baseline,
            text,
        } = item
        {
            if text.is_empty() {
                continue;
            }
            if !in_text {
                ops.push(Op::StartTextSection);
                in_text = true;
            }
            if current != Some((*face, *size)) {
                current = Some((*face, *size));
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(fonts[face].clone()),
                    size: Pt(*size),
                });
            }
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(*x), Pt(h - baseline)),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(text.clone())],
            });
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    ops
}

fn image_ops(ops: &mut Vec<Op>, item: &Item, page_height: f32, xobjects: &[XObjectId]) {
    if let Item::Image { index, x, y, w, h } = item
        && let Some(id) = xobjects.get(*index)
    {
        ops.push(Op::SaveGraphicsState);
        ops.push(Op::SetTransformationMatrix {
            matrix: printpdf::CurTransMat::Raw([*w, 0.0, 0.0, *h, *x, page_height - y - h]),
        });
        ops.push(Op::UseXobject {
            id: id.clone(),
            transform: XObjectTransform {
                no_auto_scale: true,
                ..Default::default()
            },
        });
        ops.push(Op::RestoreGraphicsState);
    }
}

/// How a watermark is set.
struct Mark {
    font: FontId,
    size: f32,
    /// The text's advance width in points.
    width: f32,
    /// Degrees, counter-clockwise.
    angle: f32,
    grey: f32,
}

/// Text in grey, turned about `centre` (PDF coordinates) so that the centre of its ideographic
/// em box lands there.
fn watermark_ops(ops: &mut Vec<Op>, mark: &Mark, centre: (f32, f32), text: &str) {
    let (sin, cos) = mark.angle.to_radians().sin_cos();
    // The em box of the Noto CJK faces spans 0.12 em below to 0.88 em above the baseline.
    let (dx, dy) = (mark.width / 2.0, 0.38 * mark.size);
    let x = centre.0 - (cos * dx - sin * dy);
    let y = centre.1 - (sin * dx + cos * dy);
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetFillColor {
        col: Color::Greyscale(Greyscale::new(mark.grey, None)),
    });
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFont {
        font: PdfFontHandle::External(mark.font.clone()),
        size: Pt(mark.size),
    });
    ops.push(Op::SetTextMatrix {
        matrix: TextMatrix::Raw([cos, sin, -sin, cos, x, y]),
    });
    ops.push(Op::ShowText {
        items: vec![TextItem::Text(text.to_string())],
    });
    ops.push(Op::EndTextSection);
    ops.push(Op::RestoreGraphicsState);
}
