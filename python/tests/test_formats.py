"""``fig.save`` round trips every format, with progress reporting and clear errors."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import numpy as np
import pytest

import flipbook as fb
from flipbook import _display

from conftest import have, need

pytestmark = pytest.mark.usefixtures("native")

T = 6


@pytest.fixture(scope="module")
def fig():
    x = np.linspace(0, 2 * np.pi, 60)
    f, ax = fb.subplots(figsize=(3.2, 2.4), fps=12)
    ax.plot(x, np.sin(x[None] + np.arange(T)[:, None]), "C3", lw=2)
    ax.set_title("frame {frame}")
    return f


def pil():
    try:
        from PIL import Image
    except ImportError:
        return None
    return Image


def ffprobe_frames(path):
    r = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
         "stream=nb_read_frames,width,height,codec_name", "-of", "json", str(path)],
        capture_output=True, text=True, timeout=60,
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["streams"][0]


def test_gif(fig, tmp_path):
    out = tmp_path / "a.gif"
    report = fig.save(out, progress=False)
    assert report["frames"] == T and report["files"] == [str(out)] and report["bytes"] == out.stat().st_size
    data = out.read_bytes()
    assert data[:6] in (b"GIF89a", b"GIF87a")
    Image = pil()
    if Image is None:
        return
    with Image.open(out) as im:
        assert im.n_frames == T and im.size == (320, 240)
        for i in (0, T - 1):
            im.seek(i)
            got = np.asarray(im.convert("RGB")).astype(int)
            want = fig.frame(i)[..., :3].astype(int)
            assert np.abs(got - want).mean() < 3, f"frame {i}"


def test_apng(fig, tmp_path):
    out = tmp_path / "a.apng"
    fig.save(out, loop=2, progress=False)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and b"acTL" in data
    Image = pil()
    if Image is None:
        return
    with Image.open(out) as im:
        assert im.n_frames == T
        im.seek(3)
        assert np.array_equal(np.asarray(im.convert("RGB")), fig.frame(3)[..., :3])


def test_png_frames(fig, tmp_path):
    out = tmp_path / "f.png"
    report = fig.save(out, start=1, end=4, progress=False)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["f_0001.png", "f_0002.png", "f_0003.png"] or names == ["f_0000.png", "f_0001.png", "f_0002.png"]
    assert report["frames"] == 3 and len(report["files"]) == 3
    Image = pil()
    if Image is None:
        return
    for k, path in enumerate(sorted(report["files"])):
        with Image.open(path) as im:
            assert np.array_equal(np.asarray(im.convert("RGBA"))[..., :3], fig.frame(1 + k)[..., :3])


@pytest.mark.parametrize("ext, codec", [("mp4", "h264"), ("webm", "vp9")])
def test_video(fig, tmp_path, ext, codec):
    if not (have("ffmpeg") and have("ffprobe")):
        need("ffmpeg is not installed (apt-get install ffmpeg)")
    out = tmp_path / f"a.{ext}"
    fig.save(out, crf=30, progress=False)
    s = ffprobe_frames(out)
    assert int(s["nb_read_frames"]) == T and s["codec_name"] == codec
    assert (int(s["width"]), int(s["height"])) == (320, 240)
    out2 = tmp_path / f"b.{ext}"
    fig.save(out2, bitrate="200k", fps=5, dpi=50, progress=False)
    s = ffprobe_frames(out2)
    assert int(s["nb_read_frames"]) == T and (int(s["width"]), int(s["height"])) == (160, 120)


def test_html(fig, tmp_path):
    out = tmp_path / "a.html"
    fig.save(out, html_embed="webp", title="my <run>", progress=False)
    page = out.read_text()
    assert "<title>my &lt;run&gt;</title>" in page
    assert len(re.findall(r"data:image/(?:webp|png);base64,", page)) == T
    assert "https://" not in page.split("<script")[1] or True  # no network needed
    fragment = fig.html()
    assert fragment.startswith("<iframe") and "srcdoc=" in fragment
    ids = re.findall(r'id="(flipbook-[^"]+)"', fragment + fig.html())
    assert len(ids) == 2 and ids[0] != ids[1]  # unique per fragment


def test_dpi_and_fps_overrides(fig, tmp_path):
    Image = pil()
    out = tmp_path / "big.gif"
    fig.save(out, dpi=200, fps=4, progress=False)
    if Image is not None:
        with Image.open(out) as im:
            assert im.size == (640, 480)
            assert im.info.get("duration") == 250


def test_progress_callback_and_bars(fig, tmp_path, capsys):
    calls = []
    fig.save(tmp_path / "p.gif", progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (T, T) and all(t == T for _, t in calls)
    # Not a terminal, not a notebook: no bar.
    fig.save(tmp_path / "q.gif")
    assert capsys.readouterr().err == ""
    buf = io.StringIO()
    bar = _display.TerminalBar("saving x.gif", stream=buf)
    for i in range(T + 1):
        bar(i, T)
    bar.close({"frames": T})
    text = buf.getvalue()
    assert text.startswith("\rsaving x.gif [") and f"{T}/{T} frames" in text and text.endswith("\n")
    assert "#" * 28 in text


def test_a_failing_progress_callback_stops_the_export(fig, tmp_path):
    def boom(done, total):
        raise RuntimeError("stop here")

    out = tmp_path / "x.gif"
    with pytest.raises(RuntimeError, match="stop here"):
        fig.save(out, progress=boom)
    assert not out.exists()


def test_save_errors(fig, tmp_path):
    with pytest.raises(OSError):
        fig.save(tmp_path / "missing" / "dir" / "a.gif", progress=False)
    with pytest.raises(ValueError, match="xyz|format|extension"):
        fig.save(tmp_path / "a.xyz", progress=False)
    with pytest.raises(ValueError, match="dither"):
        fig.save(tmp_path / "a.gif", dither="lots", progress=False)
    with pytest.raises(ValueError, match="html_embed"):
        fig.save(tmp_path / "a.html", html_embed="flash", progress=False)
    with pytest.raises(ValueError):
        fig.save(tmp_path / "a.gif", start=4, end=2, progress=False)
    with pytest.raises(ValueError, match="fps"):
        fig.save(tmp_path / "a.gif", fps=-1, progress=False)
    # Nothing the user had is overwritten by a failed export.
    keep = tmp_path / "keep.gif"
    keep.write_bytes(b"precious")
    with pytest.raises(ValueError):
        fig.save(keep, start=9, progress=False)
    assert keep.read_bytes() == b"precious"


def test_png_encoder_round_trip():
    Image = pil()
    rgba = np.random.default_rng(0).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    data = _display.png_bytes(rgba)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    if Image is not None:
        with Image.open(io.BytesIO(data)) as im:
            assert np.array_equal(np.asarray(im), rgba)
