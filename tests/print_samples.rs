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
    let with_url = minshi::config::Config::from_override(
        std::path::Path::new("config.toml"),
        "[center]\nname = \"陇西县综治中心\"\nlevel = \"县\"\nphone = \"0932-6623110\"\naddress = \"甘肃省定西市陇西县巩昌镇\"\nquery_url = \"https://zz.longxi.gov.cn/minshi/query?key={key}\"\n",
    )
    .unwrap();
    write(
        "slip_a5_long_url.pdf",
        slip_pdf(&lc, &with_url, SlipLayout::A5).unwrap(),
    );
    write(
        "slip_roll_long_url.pdf",
        slip_pdf(&lc, &with_url, SlipLayout::Roll80mm).unwrap(),
    );
    let mut draft_case = c.clone();
    draft_case.status = minshi::domain::Status::Dispatched;
    draft_case.resolution = None;
    draft_case.follow_up = None;
    let ev3 = events(3);
    let mut draft = form_input(&draft_case, &ev3, &evd, &cfg, &[]);
    draft.draft = true;
    draft.form_no = String::new();
    draft.attached_separately = &[3];
    write("form_draft.pdf", form_pdf(&draft).unwrap());

    let mut cases = register_cases(60);
    cases[0].case_no = "陇综民〔2026〕23170号".into();
    cases[1].channel = "信访二维码".into();
    let printed = at("2026-04-01T09:00:00+08:00");
    write(
        "register.pdf",
        register_pdf(&cases, day(2026, 1, 1), day(2026, 3, 31), &cfg, printed).unwrap(),
    );
    eprintln!("samples in {}", dir.display());
}
