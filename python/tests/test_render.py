"""Rendering through the native module: every kind of artist draws, step-by-step equals whole
arrays pixel for pixel, and ``fig.frame(i)`` equals the command line's render of the same scene."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

import flipbook as fb

pytestmark = pytest.mark.usefixtures("native")


def png_pixels(path):
    PIL = pytest.importorskip("PIL.Image")
    with PIL.open(path) as im:
        return np.asarray(im.convert("RGBA"))


def changed(a, b):
    """Pixels that differ between two frames."""
    return int((np.abs(a.astype(int) - b.astype(int)).sum(axis=-1) > 0).sum())


def everything():
    """A figure with every kind of artist, per-frame data in each, over 6 frames."""
    rng = np.random.default_rng(0)
    T = 6
    x = np.linspace(0, 2 * np.pi, 80)
    fig, axs = fb.subplots(2, 2, figsize=(6.4, 4.8), fps=10, steps=np.arange(T) * 5)
    fig.suptitle("step {step}, frame {frame} of {frames}")
    fig.set_vars(loss=np.linspace(1, 0.1, T))
    a, b, c, d = axs.flat
    a.plot(x, np.cos(x), "k:", label="static")
    a.plot(x, np.sin(x[None] + np.arange(T)[:, None] / 2), "C1", lw=2, label="moving")
    a.scatter(rng.random((T, 10)) * 6, rng.random((T, 10)), c=rng.random((T, 10)), s=40, cmap="plasma")
    a.set_title("loss {loss:.2f}")
    a.legend(loc="lower left")
    a.twinx().plot(np.arange(T), np.linspace(0, 1, T), "b", grow=False)
    im = b.imshow(rng.random((T, 5, 7)), cmap="YlGn", annotate=".1f")
    fig.colorbar(im, label="value")
    c.bar(["p", "q", "r"], rng.random((T, 3)), color=["C0", "C1", "C2"], annotate=".2f")
    c.text(0.5, 0.9, ["a", "b", "c", "d", "e", "f"], transform=c.transAxes, ha="center")
    d3 = fig.add_subplot(2, 2, 4, projection="3d")
    fig._axes.remove(d)
    t = np.linspace(0, 4 * np.pi, T)
    d3.plot(np.cos(t), np.sin(t), t, grow=True, head="o")
    d3.view_init(elev=20, azim=-50, spin=2)
    return fig


def test_every_artist_renders_and_animates():
    fig = everything()
    assert fig.frame_count == 6
    f0, f5 = fig.frame(0), fig.frame(-1)
    assert f0.shape == (480, 640, 4) and f0.dtype == np.uint8
    assert (f0[..., 3] == 255).all()
    assert changed(f0, f5) > 1000
    # Frames are random access and deterministic.
    assert np.array_equal(fig.frame(3), fig.frame(3))
    big = fig.frame(2, dpi=200)
    assert big.shape == (960, 1280, 4)
    with pytest.raises(IndexError):
        fig.frame(6)


def test_step_by_step_equals_whole_arrays_pixel_for_pixel():
    rng = np.random.default_rng(3)
    T, N = 5, 40
    x = np.linspace(0, 10, N)
    Y = np.cumsum(rng.normal(size=(T, N)), axis=1)
    P = rng.random((T, 12, 2))
    C = rng.random((T, 12))
    H = rng.random((T, 4))
    IM = rng.random((T, 6, 9))
    titles = [f"epoch {i}" for i in range(T)]

    whole, (a1, b1) = fb.subplots(1, 2, fps=5)
    a1.plot(x, np.zeros(N), "k--")
    a1.plot(x, Y, "r", label="walk")
    a1.scatter(P[..., 0], P[..., 1], c=C, s=30)
    a1.set_title(titles)
    a1.legend()
    b1.imshow(IM, cmap="magma")
    a1.twinx().bar(np.arange(4), H, width=0.5, color="C2")

    step, (a2, b2) = fb.subplots(1, 2, fps=5)
    a2.plot(x, np.zeros(N), "k--")
    line, = a2.plot(x, Y[0], "r", label="walk")
    sc = a2.scatter(P[0, :, 0], P[0, :, 1], c=C[0], s=30)
    title = a2.set_title("")
    a2.legend()
    im = b2.imshow(IM[0], cmap="magma")
    bars = a2.twinx().bar(np.arange(4), H[0], width=0.5, color="C2")
    for i in range(T):
        line.set_ydata(Y[i])
        sc.set_offsets(P[i])
        sc.set_array(C[i])
        title.set_text(titles[i])
        im.set_data(IM[i])
        bars.set_heights(H[i])
        step.snap()
    assert step.frame_count == whole.frame_count == T
    for i in range(T):
        assert np.array_equal(step.frame(i), whole.frame(i)), f"frame {i}"


def test_frame_equals_the_command_line_render_of_to_scene(tmp_path):
    fig = everything()
    scene = fig.to_scene(tmp_path / "scene.json")
    for i in (0, 4):
        out = tmp_path / f"cli_{i}.png"
        r = subprocess.run(
            [sys.executable, "-m", "flipbook", "export", str(scene), "-o", str(out),
             "--start", str(i), "--end", str(i + 1)],
            capture_output=True, text=True, timeout=120,
        )
        assert r.returncode == 0, r.stderr
        assert np.array_equal(png_pixels(out), fig.frame(i)), f"frame {i}"
    # The TOML form is the same scene.
    toml = fig.to_scene(tmp_path / "scene.toml")
    out = tmp_path / "cli_toml.png"
    r = subprocess.run(
        [sys.executable, "-m", "flipbook", "export", str(toml), "-o", str(out), "--start", "2", "--end", "3"],
        capture_output=True, text=True, timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert np.array_equal(png_pixels(out), fig.frame(2))


def test_nan_and_inf_are_gaps():
    x = np.linspace(0, 1, 50)
    y = np.sin(x * 6)
    y[10:20] = np.nan
    y[30] = np.inf
    fig, ax = fb.subplots()
    ax.plot(x, y)
    ax.scatter([0.5, np.nan], [0, 1])
    img = np.random.default_rng(0).random((4, 4))
    img[1, 1] = np.nan
    ax2 = fig.add_subplot(2, 2, 4)
    ax2.imshow(img)
    f = fig.frame(0)
    assert f.shape == (480, 640, 4)


def test_native_errors_name_the_field_and_the_artist():
    fig, ax = fb.subplots()
    ax.plot([1, 2, 3], color="blu", label="mine")
    with pytest.raises(ValueError) as e:
        fig.frame(0)
    msg = str(e.value)
    assert "panels[0].layers[0].color" in msg and "'blu'" in msg and "Line2D 'mine'" in msg
    fig, ax = fb.subplots()
    ax.plot([1, 2, 3], "gz")
    with pytest.raises(ValueError, match=r"fmt.*'gz'"):
        fig.frame(0)
    fig, ax = fb.subplots()
    ax.imshow(np.zeros((3, 4)), cmap="jetz")
    with pytest.raises(ValueError, match=r"panels\[0\]\.layers\[0\]\.cmap.*jetz"):
        fig.frame(0)


def test_the_native_scene_is_cached_until_the_figure_changes():
    fig, ax = fb.subplots()
    line, = ax.plot([0, 1, 2])
    s1 = fig._scene()
    assert fig._scene() is s1
    line.set_ydata([2, 1, 0])
    assert fig._scene() is not s1


def test_native_scene_reports_the_figure():
    fig = everything()
    s = fig._scene()
    assert s.frame_count == 6 and s.fps == 10.0 and tuple(s.size) == (640, 480)


def test_python_m_flipbook_runs_the_command_line():
    r = subprocess.run([sys.executable, "-m", "flipbook", "list"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "lorenz" in r.stdout
    r = subprocess.run([sys.executable, "-m", "flipbook", "export"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    r = subprocess.run([sys.executable, "-m", "flipbook", "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and fb.__version__ in r.stdout


def test_bench_from_python_times_python_m_flipbook_processes():
    """The benchmark times whole ``flipbook`` processes; run from Python, that is
    ``python -m flipbook``, not the interpreter with flipbook's arguments."""
    r = subprocess.run([sys.executable, "-m", "flipbook", "bench", "--dpi", "--frames", "2", "--runs", "1"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "1920x1440" in r.stdout, r.stdout


def test_frames_of_different_figures_interleaved_are_each_their_own():
    """fig.frame() keeps one renderer for the process (its GPU uploads cached by data): frames
    of two figures drawn in turn match each figure's own frames."""
    x = np.linspace(0, 1, 40)
    a, ax = fb.subplots(figsize=(3, 2))
    ax.plot(x, np.sin(x[None] * 6 + np.arange(4)[:, None]), "C0")
    b, bx = fb.subplots(figsize=(3, 2))
    bx.imshow(np.arange(30.0).reshape(5, 6) * np.arange(1, 5)[:, None, None])
    first = [a.frame(i) for i in range(4)]
    mixed = [(a.frame(i), b.frame(i)) for i in range(4)]
    again = [b.frame(i) for i in range(4)]
    for i in range(4):
        assert np.array_equal(mixed[i][0], first[i])
        assert np.array_equal(mixed[i][1], again[i])
    assert not np.array_equal(first[0], first[3])
    assert not np.array_equal(again[0], again[3])
