//! Writes sample documents for looking at them as pictures:
//! `cargo test --test print_samples -- --ignored`, then e.g.
//! `pdftoppm -r 60 -png $TMPDIR/minshi-print-samples/form.pdf /tmp/form`.

mod print_common;

use minshi::print::{AnnexImage, ImageFormat, SlipLayout, form_pdf, register_pdf, slip_pdf};
use print_common::*;

#[test]
#[ignore = "writes sample PDFs for a person to look at"]
fn write_samples() {
    let dir = std::env::temp_dir().join("minshi-print-samples");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, bytes: Vec<u8>| std::fs::write(dir.join(name), bytes).unwrap();
    let cfg = config();
    let (c, lc) = (case(), long_case());

    let (ev, evd) = (events(8), evidence(5));
    let annex = vec![AnnexImage {
        evidence_seq: 2,
        title: "被占土地现场照片".into(),
        bytes: std::fs::read("tests/fixtures/annex.jpg").unwrap(),
        format: ImageFormat::Jpeg,
    }];
    let mut input = form_input(&c, &ev, &evd, &cfg, &annex);
    input.print_count = 2;
    write("form.pdf", form_pdf(&input).unwrap());
    let (ev40, ev30) = (events(40), evidence(30));
    write(
        "form_long.pdf",
        form_pdf(&form_input(&lc, &ev40, &ev30, &cfg, &[])).unwrap(),
    );

    for (name, case) in [("", &c), ("_long", &lc)] {
        write(
            &format!("slip_a5{name}.pdf"),
            slip_pdf(case, &cfg, SlipLayout::A5).unwrap(),
        );
        write(
            &format!("slip_roll{name}.pdf"),
            slip_pdf(case, &cfg, SlipLayout::Roll80mm).unwrap(),
        );
    }
    let cases = register_cases(60);
    let printed = at("2026-04-01T09:00:00+08:00");
    write(
        "register.pdf",
        register_pdf(&cases, day(2026, 1, 1), day(2026, 3, 31), &cfg, printed).unwrap(),
    );
    eprintln!("samples in {}", dir.display());
}
