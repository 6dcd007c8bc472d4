"""``fig.show()`` opens the viewer in a child process: under Xvfb, in the viewer's screenshot
modes, blocking like ``plt.show()`` in a script and returning at once with ``block=False``."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import flipbook as fb

pytestmark = pytest.mark.usefixtures("native")


def small_figure():
    x = np.linspace(0, 2 * np.pi, 60)
    fig, ax = fb.subplots(figsize=(3.2, 2.4), fps=10)
    ax.plot(x, np.sin(x[None] + np.arange(8)[:, None] / 2), "C3", lw=2)
    ax.set_title("frame {frame}")
    return fig


def pixels(path):
    Image = pytest.importorskip("PIL.Image")
    with Image.open(path) as im:
        return np.asarray(im.convert("RGBA"))


@pytest.fixture
def display(xvfb, monkeypatch):
    monkeypatch.setenv("DISPLAY", xvfb)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return xvfb


def test_show_blocks_in_a_script_and_takes_a_screenshot(display, tmp_path):
    fig = small_figure()
    shot = tmp_path / "shot.png"
    before = set(os.listdir(os.environ.get("TMPDIR", "/tmp")))
    fig.show(screenshot_to=shot, frame=3)  # no IPython here: waits for the viewer
    img = pixels(shot)
    # The whole window: the figure and the controls below it.
    assert img.shape[1] >= 320 and img.shape[0] > 240
    assert len(np.unique(img.reshape(-1, 4), axis=0)) > 20
    assert fig._viewer.returncode == 0
    after = set(os.listdir(os.environ.get("TMPDIR", "/tmp")))
    assert not [d for d in after - before if d.startswith("flipbook-show-")], "temporary files left"


def test_show_draws_the_same_frame_as_fig_frame(display, tmp_path):
    fig = small_figure()
    out = tmp_path / "frame.png"
    fig.show(save_frame_to=out, frame=5)
    got = pixels(out)
    want = fig.frame(5)
    assert got.shape == want.shape
    assert np.array_equal(got[..., :3], want[..., :3])


def test_show_block_false_returns_at_once(display, tmp_path):
    fig = small_figure()
    shot = tmp_path / "later.png"
    fig.show(block=False, screenshot_to=shot)
    proc = fig._viewer
    assert proc is not None
    assert proc.wait(timeout=120) == 0
    assert shot.exists()


def test_show_reports_a_failing_viewer(tmp_path, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    fig = small_figure()
    with pytest.raises(RuntimeError, match="viewer exited with status"):
        fig.show(screenshot_to=tmp_path / "x.png")


def test_show_flags_are_checked():
    fig = small_figure()
    with pytest.raises(TypeError, match="did you mean 'screenshot_to'"):
        fig.show(screenshot_too="x.png")
    from flipbook._display import flag_args

    assert flag_args({"screenshot_to": Path("/a b.png"), "play": True, "window": (800, 600), "fps": None},
                     ["screenshot_to", "play", "window", "fps"]) == [
        "--screenshot-to", "/a b.png", "--play", "--window", "800x600"]
