//! `flipbook gallery DIR`: every built-in scene exported as an animated GIF, a poster PNG and,
//! when ffmpeg is installed, an MP4, plus an `index.html` that shows them side by side.

use crate::export::{ExportOptions, Format, PendingFile, export_many, save_png};
use crate::gpu::{CANVAS_FORMAT, Canvas, FigureRenderer, GpuContext};
use crate::scenes::{SceneOptions, build_scene, builtin_scenes};
use crate::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// What one scene produced.
#[derive(Clone, Debug)]
pub struct GalleryItem {
    /// Scene name.
    pub name: &'static str,
    /// Files written for it.
    pub files: Vec<PathBuf>,
    /// Time to build the scene (training included).
    pub setup: Duration,
    /// Time to export it.
    pub export: Duration,
}

/// Whether an `ffmpeg` executable is on the PATH.
pub fn has_ffmpeg() -> bool {
    std::process::Command::new("ffmpeg")
        .arg("-version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Exports every built-in scene into `dir` (created if missing) at `size`, calling `progress`
/// with each scene's name as it starts; setting `cancel` stops it (each file is written
/// atomically, so only whole files are left).
pub fn gallery(
    ctx: &GpuContext,
    dir: &Path,
    size: (u32, u32),
    progress: &mut dyn FnMut(&str),
    cancel: Option<&AtomicBool>,
) -> Result<Vec<GalleryItem>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Output {
        path: dir.into(),
        reason: format!("cannot create the directory: {e}"),
    })?;
    let mp4 = if has_ffmpeg() {
        Format::from_name("mp4").ok()
    } else {
        None
    };
    let mut items = Vec::new();
    for info in builtin_scenes() {
        progress(info.name);
        let t0 = Instant::now();
        let scene = build_scene(info.name, &SceneOptions::default())?;
        let setup = t0.elapsed();
        let t1 = Instant::now();
        let mut outputs = vec![ExportOptions::new(dir.join(format!("{}.gif", info.name)))];
        if let Some(f) = mp4 {
            let mut o = ExportOptions::new(dir.join(format!("{}.mp4", info.name)));
            o.format = Some(f);
            outputs.push(o);
        }
        for o in &mut outputs {
            (o.width, o.height) = size;
        }
        // One render per frame feeds both files.
        let mut files: Vec<PathBuf> =
            export_many(ctx, scene.as_ref(), &outputs, &mut |_, _| {}, cancel)?
                .into_iter()
                .flat_map(|r| r.files)
                .collect();
        // The poster: two thirds of the way through, where most scenes have something to show.
        let n = scene.frame_count();
        let k = (n * 2 / 3).min(n.saturating_sub(1));
        let mut canvas = Canvas::new(ctx, size.0, size.1)?;
        let mut renderer = FigureRenderer::new(&ctx.device, CANVAS_FORMAT);
        let frame = canvas.render(ctx, &mut renderer, &scene.frame(k), k)?;
        let poster = dir.join(format!("{}.png", info.name));
        save_png(&poster, &frame)?;
        files.push(poster);
        items.push(GalleryItem {
            name: info.name,
            files,
            setup,
            export: t1.elapsed(),
        });
    }
    write_index(dir, &items)?;
    Ok(items)
}

fn write_index(dir: &Path, items: &[GalleryItem]) -> Result<()> {
    let mut cards = String::new();
    for item in items {
        let summary = builtin_scenes()
            .iter()
            .find(|s| s.name == item.name)
            .map_or("", |s| s.summary);
        let has = |ext: &str| {
            item.files
                .iter()
                .any(|f| f.extension().is_some_and(|e| e == ext))
        };
        let mut links = format!(
            "<a href=\"{0}.gif\">GIF</a> · <a href=\"{0}.png\">poster</a>",
            item.name
        );
        if has("mp4") {
            links.push_str(&format!(" · <a href=\"{}.mp4\">MP4</a>", item.name));
        }
        cards.push_str(&format!(
            "<figure><img src=\"{name}.gif\" alt=\"{name} animation\" loading=\"lazy\"><figcaption><b>{name}</b> — {summary}<br><small>{links} · <code>flipbook view {name}</code></small></figcaption></figure>\n",
            name = item.name,
        ));
    }
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>flipbook gallery</title>\n<style>\
body{{font-family:system-ui,sans-serif;margin:2rem;background:#fafafa;color:#222}}\
main{{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:1.5rem}}\
figure{{margin:0;background:#fff;border:1px solid #ddd;border-radius:8px;padding:.75rem}}\
img{{width:100%;height:auto;display:block}}figcaption{{margin-top:.5rem;line-height:1.4}}\
</style></head><body><h1>flipbook gallery</h1><p>Every built-in scene, exported by <code>flipbook gallery</code>.</p>\n<main>\n{cards}</main></body></html>\n"
    );
    let path = dir.join("index.html");
    let mut file = PendingFile::create(&path)?;
    let mut w = file.take_writer().ok_or_else(|| Error::Encode {
        format: "html",
        reason: "no writer".into(),
    })?;
    w.write_all(html.as_bytes())
        .and_then(|_| w.flush())
        .map_err(|e| Error::io(&path, e))?;
    drop(w);
    file.commit()?;
    Ok(())
}
