//! Text in scripts the bundled DejaVu Sans lacks: without a font it is drawn as boxes (and
//! warned about once); naming an installed font by family makes it render. Runs in its own
//! process because the chosen font is process-wide.

mod common;

use flipbook::scene::{Decor, Figure, GridCell, Panel};

fn titled(title: &str) -> Figure {
    let mut f = Figure::new(1, 1);
    let decor = Decor {
        title: Some(title.into()),
        hidden: true,
        ..Default::default()
    };
    f.push(Panel::new_2d(GridCell::at(0, 0), [0.0, 1.0], [0.0, 1.0]).with_decor(decor));
    f
}

#[test]
fn chinese_title_renders_with_a_named_system_font() {
    let has_cjk_font =
        std::path::Path::new("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc").exists();
    if !has_cjk_font {
        common::skip("no CJK font installed (apt-get install fonts-wqy-microhei)");
        return;
    }
    // First without the font: missing glyphs become boxes, so both titles look alike.
    let a = common::render(&titled("训练损失"), 240, 80);
    let b = common::render(&titled("验证精度"), 240, 80);
    let differ = |x: &flipbook::gpu::RgbaFrame, y: &flipbook::gpu::RgbaFrame| {
        x.pixels
            .chunks_exact(4)
            .zip(y.pixels.chunks_exact(4))
            .filter(|(p, q)| p != q)
            .count()
    };
    assert!(
        differ(&a, &b) < 40,
        "without a CJK font every character is the same box"
    );
    assert!(
        common::coverage(&a, [255, 255, 255]) > 0.001,
        "the boxes are drawn"
    );

    flipbook::chrome::use_font("WenQuanYi Micro Hei").expect("fontdb finds the installed font");
    // Renderers created after the choice use it.
    let a = common::render(&titled("训练损失"), 240, 80);
    let b = common::render(&titled("验证精度"), 240, 80);
    assert!(
        differ(&a, &b) > 100,
        "real glyphs: different words look different"
    );
}
