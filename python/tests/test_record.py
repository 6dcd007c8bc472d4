"""Recordings from Python: fig.record() + snap() append frames that flipbook reads back (export,
inspect) while the run goes on; the helper for training loops; the examples; bad input."""
from __future__ import annotations

import runpy
import subprocess
import sys

import numpy as np
import pytest

import flipbook as fb
from flipbook import _native  # type: ignore[attr-defined]

from conftest import ROOT

pytestmark = pytest.mark.usefixtures("native")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flipbook", *args], capture_output=True,
                          text=True, timeout=300)


def make(tmp_path, frames=6, close=True):
    fig, (a, b) = fb.subplots(1, 2, fps=10)
    x = np.linspace(0, 1, 50)
    line, = a.plot(x, np.zeros(50), label="fit")
    a.set_title("epoch {step}: loss {loss:.3f}")
    im = b.imshow(np.zeros((28, 28)))
    im.set_label("img")
    path = tmp_path / "run.flipbook"
    rec = fig.record(path)
    for i in range(frames):
        line.set_ydata(np.sin(x * 6 + i))
        if i % 2 == 0:
            im.set_data(np.full((28, 28), float(i)))
        assert fig.snap(step=i, loss=1 / (i + 1)) == i
    if close:
        rec.close()
    return fig, rec, path


def test_record_then_export_while_running_and_after(tmp_path):
    fig, rec, path = make(tmp_path, close=False)
    assert rec.frames == 6
    assert path.read_bytes()[:8] == b"FLIPBOOK"
    r = cli("inspect", str(path))
    assert r.returncode == 0, r.stderr
    assert "6 frames" in r.stdout and "running" in r.stdout, r.stdout
    out = tmp_path / "so-far.gif"
    r = cli("export", str(path), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "still going" in r.stderr
    assert "6 frames" in r.stdout
    assert out.read_bytes()[:6] == b"GIF89a"
    rec.close()
    r = cli("inspect", str(path))
    assert "ended" in r.stdout, r.stdout


def test_frames_are_not_kept_in_memory_and_snapping_in_place_changes_is_noticed(tmp_path):
    fig, ax = fb.subplots()
    y = np.zeros(20)
    line, = ax.plot(y)
    rec = fig.record(tmp_path / "r.flipbook")
    for i in range(5):
        y[:] = i            # changed in place, same object
        line.set_ydata(y)
        fig.snap()
    rec.close()
    assert fig.snapped == 0
    r = cli("export", str(tmp_path / "r.flipbook"), "-o", str(tmp_path / "r.png"),
            "--start", "4", "--end", "5")
    assert r.returncode == 0, r.stderr


def test_record_epoch_sets_artists_by_label(tmp_path):
    fig, rec, path = make(tmp_path, frames=1, close=False)
    assert fb.record_epoch(fig, 5, fit=np.ones(50), img=np.ones((28, 28)), loss=0.5) == 1
    with pytest.raises(KeyError, match="no artist is labelled 'nope'.*fit, img"):
        fb.record_epoch(fig, 6, nope=np.ones(3))
    rec.close()


def test_structure_changes_and_shape_changes_are_explained(tmp_path):
    fig, rec, path = make(tmp_path, frames=1, close=False)
    ax = fig.axes[0]
    ax.set_title("something else")
    with pytest.raises(ValueError, match="changed after recording started.*title"):
        fig.snap(step=1, loss=0.1)
    ax.set_title("epoch {step}: loss {loss:.3f}")
    fig.snap(step=1, loss=0.1)
    rec.close()


def test_a_second_writer_is_refused(tmp_path):
    fig, rec, path = make(tmp_path, frames=2, close=False)
    fig2, ax2 = fb.subplots()
    ax2.plot(np.arange(30.0))
    fig2.record(path)
    with pytest.raises(OSError, match="another writer"):
        fig2.snap()
    rec.close()
    assert "2 frames" in cli("inspect", str(path)).stdout


def test_bad_recordings_get_clear_errors(tmp_path):
    p = tmp_path / "x.flipbook"
    p.write_bytes(b"not a recording")
    r = cli("export", str(p), "-o", str(tmp_path / "x.gif"))
    assert r.returncode != 0 and "not a flipbook recording" in r.stderr
    p.write_bytes(b"FLIPBOOK\x09\x00\x00\x00\x00\x00\x00\x00")
    r = cli("export", str(p), "-o", str(tmp_path / "x.gif"))
    assert "version 9" in r.stderr and "version 1" in r.stderr, r.stderr
    with pytest.raises(ValueError, match="before the first snap"):
        fig, ax = fb.subplots()
        ax.plot(np.arange(20.0))
        fig.snap()
        fig.record(tmp_path / "late.flipbook")


@pytest.mark.parametrize("name", ["keras_callback", "torch_loop"])
def test_live_examples_record(name, tmp_path, monkeypatch):
    out = tmp_path / f"{name}.flipbook"
    monkeypatch.setattr(sys, "argv", [name, str(out)])
    mod = runpy.run_path(str(ROOT / "examples" / "python" / "live" / f"{name}.py"))
    mod["main"]([str(out)])
    r = cli("inspect", str(out))
    assert r.returncode == 0 and "ended" in r.stdout, r.stdout + r.stderr
    r = cli("export", str(out), "-o", str(tmp_path / "last.png"), "--start", "10", "--end", "11")
    assert r.returncode == 0, r.stderr


def test_record_streams_to_a_listening_viewer_over_tcp(tmp_path):
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    addr = f"127.0.0.1:{port}"
    fig, ax = fb.subplots()
    line, = ax.plot(np.zeros(30))
    with pytest.raises(ConnectionError, match="flipbook view --listen"):
        fig.record(f"tcp://{addr}")
        fig.snap()
    # A viewer listening there (window closed after a few seconds under Xvfb, if any).
    import os
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-m", "flipbook", "view", "--listen", addr,
                             "--exit-after", "2"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        for _ in range(100):
            try:
                fig2, ax2 = fb.subplots()
                line2, = ax2.plot(np.zeros(30))
                rec = fig2.record(f"tcp://{addr}")
                fig2.snap()
                break
            except ConnectionError:
                time.sleep(0.05)
        for i in range(1, 5):
            line2.set_ydata(np.full(30, float(i)))
            fig2.snap()
        rec.close()
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert "listening on" in err, err
    # The viewer needs a display; without one it fails after having received the run.
    spool = [w for w in err.split() if w.endswith(".flipbook")]
    assert spool, err
    r = cli("inspect", spool[-1])
    os.remove(spool[-1])
    assert "5 frames" in r.stdout and "ended" in r.stdout, r.stdout + r.stderr


def test_listening_on_a_port_in_use_is_an_error(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        addr = "127.0.0.1:%d" % s.getsockname()[1]
        r = cli("view", "--listen", addr)
    assert r.returncode != 0 and "cannot listen on " + addr in r.stderr, r.stderr


def test_record_show_opens_a_viewer_that_follows_the_run(xvfb, monkeypatch, tmp_path):
    """``record(path, show=...)``: a viewer opens on the first frame and follows the file as it
    grows: the timeline extends, the newest frame is shown, and it says when the run ended.
    What the window shows is read from its frame trace (``--trace-frames``)."""
    import time

    monkeypatch.setenv("DISPLAY", xvfb)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    trace = tmp_path / "shown.txt"
    fig, ax = fb.subplots(figsize=(3.2, 2.4), fps=10)
    x = np.linspace(0, 1, 50)
    line, = ax.plot(x, np.zeros(50))
    ax.set_ylim(-1, 1)
    ax.set_title("epoch {step}")

    def shown():
        if not trace.exists():
            return []
        rows = [r.split(" ", 3) for r in trace.read_text().splitlines()]
        return [(int(f), int(n), float(t), s) for f, n, t, s in rows]

    def wait_for(cond, what):
        deadline = time.time() + 60
        while not cond(shown()):
            assert rec._viewer.poll() is None, f"the viewer exited while waiting for {what}"
            assert time.time() < deadline, f"no {what} in the trace: {shown()}"
            time.sleep(0.05)

    rec = fig.record(tmp_path / "run.flipbook", show={"trace_frames": trace})
    try:
        fig.snap(step=0)
        wait_for(lambda rows: rows, "first frame")
        frames = 12
        for i in range(1, frames):
            line.set_ydata(np.sin(x * 6 + i))
            fig.snap(step=i)
            time.sleep(0.15)
        wait_for(lambda rows: rows and rows[-1][1] == frames, "full timeline")
        rec.close()
        wait_for(lambda rows: rows[-1][3] == "run ended", "end of the run")
    finally:
        if rec._viewer is not None and rec._viewer.poll() is None:
            rec._viewer.terminate()
            rec._viewer.wait(30)
    rows = shown()
    counts = [n for _, n, _, _ in rows]
    assert counts == sorted(counts), f"the timeline only grows: {counts}"
    assert len(set(counts)) >= 4, f"the timeline grew while the run went on: {counts}"
    # Following the latest frame: whenever the timeline grew, the newest frame is what shows.
    for f, n, _, _ in rows:
        assert f == n - 1, f"frame {f} shown of {n}: not following the run ({rows})"
    assert rows[0][3] == "recording" and rows[-1][3] == "run ended", rows


def test_a_tcp_stream_kept_locally_survives_the_viewer_going_away(tmp_path):
    """``record("tcp://…", keep=path)``: the same records go to a local file; when the viewer
    closes, snaps go on into the file with one warning instead of failing."""
    import socket
    import warnings

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    addr = "127.0.0.1:%d" % server.getsockname()[1]
    fig, ax = fb.subplots()
    line, = ax.plot(np.zeros(30))
    kept = tmp_path / "kept.flipbook"
    with pytest.raises(ValueError, match="keep is a local copy of a tcp:// stream"):
        fig.record(tmp_path / "run.flipbook", keep=kept)
    rec = fig.record(f"tcp://{addr}", keep=kept)
    fig.snap()
    conn, _ = server.accept()
    conn.recv(1 << 16)
    conn.close()
    server.close()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frames = 1
        while not caught and frames < 5000:
            line.set_ydata(np.full(30, float(frames)))
            fig.snap()
            frames += 1
        line.set_ydata(np.full(30, -1.0))
        fig.snap()
        frames += 1
    assert len(caught) == 1 and "went away" in str(caught[0].message), [str(w.message) for w in caught]
    assert str(kept) in str(caught[0].message)
    rec.close()
    r = cli("inspect", str(kept))
    assert r.returncode == 0, r.stderr
    assert f"{frames} frames" in r.stdout and "ended" in r.stdout, r.stdout
