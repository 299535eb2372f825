//! Renders sample documents to /tmp for looking at (ignored by default).
mod print_common;
use minshi::print::*;
use print_common::*;

#[test]
#[ignore]
fn render_samples() {
    let cfg = config();
    let c = case();
    let ev = events(8);
    let evd = evidence(5);
    let jpeg = std::fs::read("tests/fixtures/annex.jpg").unwrap();
    let annex = vec![AnnexImage {
        evidence_seq: 2,
        title: "被占土地现场照片".into(),
        bytes: jpeg,
        format: ImageFormat::Jpeg,
    }];
    let mut input = form_input(&c, &ev, &evd, &cfg, &annex);
    input.print_count = 2;
    std::fs::write("/tmp/form.pdf", form_pdf(&input).unwrap()).unwrap();
    let lc = long_case();
    let ev40 = events(40);
    let ev30 = evidence(30);
    let input = form_input(&lc, &ev40, &ev30, &cfg, &[]);
    std::fs::write("/tmp/form_long.pdf", form_pdf(&input).unwrap()).unwrap();
    std::fs::write(
        "/tmp/slip_a5.pdf",
        slip_pdf(&c, &cfg, SlipLayout::A5).unwrap(),
    )
    .unwrap();
    std::fs::write(
        "/tmp/slip_roll.pdf",
        slip_pdf(&c, &cfg, SlipLayout::Roll80mm).unwrap(),
    )
    .unwrap();
    std::fs::write(
        "/tmp/slip_a5_long.pdf",
        slip_pdf(&lc, &cfg, SlipLayout::A5).unwrap(),
    )
    .unwrap();
    std::fs::write(
        "/tmp/slip_roll_long.pdf",
        slip_pdf(&lc, &cfg, SlipLayout::Roll80mm).unwrap(),
    )
    .unwrap();
    let cases = register_cases(60);
    std::fs::write(
        "/tmp/register.pdf",
        register_pdf(
            &cases,
            day(2026, 1, 1),
            day(2026, 3, 31),
            &cfg,
            at("2026-04-01T09:00:00+08:00"),
        )
        .unwrap(),
    )
    .unwrap();
}
