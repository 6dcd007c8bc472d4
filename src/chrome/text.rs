//! Text: the bundled DejaVu Sans (matplotlib's default face, so figures look the same on every
//! machine), optional user fonts for scripts DejaVu lacks, layout through epaint, and placement
//! of a laid-out string at an anchor with matplotlib's alignment and rotation rules.

use crate::scene::{Color, HAlign, VAlign};
use crate::{Error, Result, Setting};
use epaint::text::{FontData, FontDefinitions, FontFamily, FontId, Fonts, TextOptions};
use epaint::{Galley, Pos2, Rect, Shape, TextShape, Vec2};
use std::collections::HashSet;
use std::sync::{Arc, RwLock};

static DEJAVU: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Pixels per typographic point: flipbook figures have 100 pixels per inch, as matplotlib's.
pub const PX_PER_PT: f32 = 100.0 / 72.0;

/// An extra font chosen by the user (file bytes), used where DejaVu Sans has no glyph.
static EXTRA_FONT: RwLock<Option<(String, Arc<Vec<u8>>)>> = RwLock::new(None);

/// Uses the font `name_or_path` — a `.ttf`/`.otf`/`.ttc` file, or the family name of an
/// installed system font (e.g. "Noto Sans CJK SC") — for characters DejaVu Sans lacks, in
/// every figure rendered afterwards.
pub fn use_font(name_or_path: &str) -> Result<()> {
    let path = std::path::Path::new(name_or_path);
    let bytes = if path.exists() || name_or_path.contains('/') || name_or_path.contains('.') {
        std::fs::read(path).map_err(|e| {
            Error::invalid(
                Setting::Font,
                name_or_path,
                format!("cannot read the font file: {e}"),
            )
        })?
    } else {
        system_font(name_or_path)?
    };
    // Reject files that are not fonts now, rather than drawing boxes later.
    if ttf_parser::Face::parse(&bytes, 0).is_err() {
        return Err(Error::invalid(
            Setting::Font,
            name_or_path,
            "not a TrueType/OpenType font",
        ));
    }
    if let Ok(mut slot) = EXTRA_FONT.write() {
        *slot = Some((name_or_path.to_string(), Arc::new(bytes)));
    }
    Ok(())
}

/// Looks a family up among the system's fonts (the directories fontconfig uses).
fn system_font(family: &str) -> Result<Vec<u8>> {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let query = fontdb::Query {
        families: &[fontdb::Family::Name(family)],
        ..Default::default()
    };
    let id = db.query(&query).ok_or_else(|| {
        Error::invalid(
            Setting::Font,
            family,
            "no installed font has this family name (give a font file path instead)",
        )
    })?;
    db.with_face_data(id, |data, _| data.to_vec())
        .ok_or_else(|| Error::invalid(Setting::Font, family, "the font file could not be read"))
}

/// Fonts and a cache of laid-out text, one per renderer.
pub struct TextFonts {
    fonts: Fonts,
    warned: HashSet<char>,
    /// Target pixels per layout pixel: glyphs are rasterised at this many pixels per point,
    /// so text is as sharp as the target allows while its layout stays the same.
    pixels_per_point: f32,
    /// Lay text out at one pixel per point whatever the target (see [`TextFonts::measure`]).
    measuring: bool,
}

impl TextFonts {
    /// DejaVu Sans, plus the font given to [`use_font`] as a fallback.
    pub fn new(max_texture_side: usize) -> Self {
        let mut defs = FontDefinitions::empty();
        defs.font_data
            .insert("DejaVuSans".into(), Arc::new(FontData::from_static(DEJAVU)));
        let mut chain = vec!["DejaVuSans".to_string()];
        if let Ok(slot) = EXTRA_FONT.read()
            && let Some((name, bytes)) = slot.as_ref()
        {
            defs.font_data
                .insert(name.clone(), Arc::new(FontData::from_owned(bytes.to_vec())));
            chain.push(name.clone());
        }
        defs.families
            .insert(FontFamily::Proportional, chain.clone());
        defs.families.insert(FontFamily::Monospace, chain);
        let options = TextOptions {
            max_texture_side,
            ..Default::default()
        };
        TextFonts {
            fonts: Fonts::new(options, defs),
            warned: HashSet::new(),
            pixels_per_point: 1.0,
            measuring: false,
        }
    }

    /// Call once per frame before laying out text, with the target's pixels per layout pixel.
    pub fn begin_frame(&mut self, pixels_per_point: f32) {
        let options = *self.fonts.options();
        self.fonts.begin_pass(options, Default::default());
        self.pixels_per_point = pixels_per_point;
    }

    /// Lays out one line of `text` at `size_px`. Characters no font has are drawn as boxes and
    /// reported once.
    pub fn layout(&mut self, text: &str, size_px: f32, color: Color) -> Arc<Galley> {
        let font = FontId::new(size_px.max(1.0), FontFamily::Proportional);
        let ppp = if self.measuring {
            1.0
        } else {
            self.pixels_per_point
        };
        let mut view = self.fonts.with_pixels_per_point(ppp);
        if !view.has_glyphs(&font, text) {
            for c in text.chars().filter(|c| !c.is_control()) {
                if !view.has_glyph(&font, c) && self.warned.insert(c) {
                    log::warn!(
                        "no glyph for '{c}' (U+{:04X}) in DejaVu Sans or the chosen font: drawing a box; pass --font with a font that has it",
                        c as u32
                    );
                }
            }
        }
        view.layout_no_wrap(text.to_string(), font, color32(color))
    }

    /// Runs `f` with text laid out at one pixel per point: layout decisions (margins, legend
    /// boxes) measure text this way, so they do not depend on the dpi (epaint rounds glyph
    /// rows to target pixels, which would move things by a fraction of a point).
    pub fn measure<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let was = std::mem::replace(&mut self.measuring, true);
        let out = f(self);
        self.measuring = was;
        out
    }

    /// The font atlas change since the last call, to upload before drawing.
    pub fn atlas_delta(&mut self) -> Option<epaint::ImageDelta> {
        self.fonts.font_image_delta()
    }

    /// Size of the font atlas texture.
    pub fn atlas_size(&self) -> [usize; 2] {
        self.fonts.font_image_size()
    }

    /// A tessellator for shapes using this font atlas, at the frame's pixels per point.
    /// Above one pixel per point, strokes and rectangles keep their exact positions instead of
    /// being snapped to the target's pixels: the chrome places them on layout pixels already,
    /// and snapping there would shift them by a fraction of a layout pixel, differently at
    /// each dpi.
    pub fn tessellator(&self) -> epaint::Tessellator {
        let snap = self.pixels_per_point == 1.0;
        epaint::Tessellator::new(
            self.pixels_per_point,
            epaint::TessellationOptions {
                round_line_segments_to_pixels: snap,
                round_rects_to_pixels: snap,
                ..Default::default()
            },
            self.atlas_size(),
            self.fonts.texture_atlas().prepared_discs(),
        )
    }
}

/// A colour as epaint's premultiplied 8-bit colour.
pub fn color32(c: Color) -> epaint::Color32 {
    let [r, g, b, a] = c.to_rgba8();
    epaint::Color32::from_rgba_unmultiplied(r, g, b, a)
}

/// Text placed on the canvas: the shape to paint and the box it covers.
pub struct Placed {
    /// What to paint.
    pub shape: Shape,
    /// The (rotated) text's bounding box.
    pub bbox: Rect,
}

/// How a text box turns: rotation by `rotation_deg` counter-clockwise (epaint turns clockwise,
/// so the angle is negated), and the rotated box's corners relative to the unrotated top-left.
struct Turn {
    angle: f32,
    sin_cos: (f32, f32),
}

impl Turn {
    fn new(rotation_deg: f32) -> Self {
        let angle = -rotation_deg.to_radians();
        Turn {
            angle,
            sin_cos: angle.sin_cos(),
        }
    }

    fn apply(&self, p: Vec2) -> Vec2 {
        let (s, c) = self.sin_cos;
        Vec2::new(p.x * c - p.y * s, p.x * s + p.y * c)
    }

    /// The rotated box of a `size` text as (min, max) offsets from its unrotated top-left.
    fn bounds(&self, size: Vec2) -> (Vec2, Vec2) {
        let corners = [
            Vec2::ZERO,
            Vec2::new(size.x, 0.0),
            Vec2::new(0.0, size.y),
            size,
        ]
        .map(|p| self.apply(p));
        let min = corners
            .iter()
            .fold(Vec2::splat(f32::INFINITY), |m, p| m.min(*p));
        let max = corners
            .iter()
            .fold(Vec2::splat(f32::NEG_INFINITY), |m, p| m.max(*p));
        (min, max)
    }
}

/// Alignment as fractions of a box: (0, 0) top-left, (1, 1) bottom-right.
fn fractions(h: HAlign, v: VAlign) -> Vec2 {
    let fx = match h {
        HAlign::Left => 0.0,
        HAlign::Center => 0.5,
        HAlign::Right => 1.0,
    };
    let fy = match v {
        VAlign::Top => 0.0,
        VAlign::Center => 0.5,
        VAlign::Bottom => 1.0,
    };
    Vec2::new(fx, fy)
}

fn placed(galley: Arc<Galley>, pos: Pos2, turn: &Turn, color: Color) -> Placed {
    let (min, max) = turn.bounds(galley.size());
    let mut shape = TextShape::new(pos, galley, color32(color));
    shape.angle = turn.angle;
    Placed {
        shape: Shape::Text(shape),
        bbox: Rect::from_min_max(pos + min, pos + max),
    }
}

/// Places `galley` so that the point given by `h`/`v` of its bounding box — after rotating by
/// `rotation_deg` counter-clockwise, as matplotlib's default `rotation_mode` does — is at `anchor`.
pub fn place(
    galley: Arc<Galley>,
    anchor: Pos2,
    h: HAlign,
    v: VAlign,
    rotation_deg: f32,
    color: Color,
) -> Placed {
    let turn = Turn::new(rotation_deg);
    let (min, max) = turn.bounds(galley.size());
    let point = min + (max - min) * fractions(h, v);
    // Whole pixels keep glyphs crisp.
    placed(galley, (anchor - point).round(), &turn, color)
}

/// Places `galley` rotated by `rotation_deg` (counter-clockwise) about the point given by `h`/`v`
/// of the *unrotated* text, which goes to `anchor` (matplotlib's `rotation_mode="anchor"`):
/// rotated tick labels then start (or end) exactly at their tick.
pub fn place_pivoted(
    galley: Arc<Galley>,
    anchor: Pos2,
    h: HAlign,
    v: VAlign,
    rotation_deg: f32,
    color: Color,
) -> Placed {
    let turn = Turn::new(rotation_deg);
    let pivot = turn.apply(galley.size() * fractions(h, v));
    placed(galley, (anchor - pivot).round(), &turn, color)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placement_respects_alignment_and_rotation() {
        let mut f = TextFonts::new(2048);
        f.begin_frame(1.0);
        let g = f.layout("hello", 14.0, Color::BLACK);
        let w = g.size().x;
        let p = place(
            g.clone(),
            Pos2::new(100.0, 50.0),
            HAlign::Right,
            VAlign::Top,
            0.0,
            Color::BLACK,
        );
        assert!((p.bbox.right() - 100.0).abs() <= 0.5 && (p.bbox.top() - 50.0).abs() <= 0.5);
        assert!((p.bbox.width() - w).abs() < 0.01);
        let p = place(
            g,
            Pos2::new(100.0, 50.0),
            HAlign::Center,
            VAlign::Center,
            90.0,
            Color::BLACK,
        );
        assert!(
            (p.bbox.height() - w).abs() < 0.01,
            "rotated 90°: tall, not wide"
        );
        assert!(
            (p.bbox.center().x - 100.0).abs() <= 0.5 && (p.bbox.center().y - 50.0).abs() <= 0.5
        );
    }

    #[test]
    fn missing_font_file_is_an_error() {
        let e = use_font("/nonexistent/font.ttf").unwrap_err().to_string();
        assert!(
            e.contains("invalid font") && e.contains("cannot read"),
            "{e}"
        );
        let e = use_font("No Such Family Anywhere").unwrap_err().to_string();
        assert!(e.contains("no installed font"), "{e}");
    }
}
