"""Every Python example runs as written. sine.py runs whole, as a user runs it; the others run in
this process with ``Figure.save`` capped at a few frames (their full timelines are checked)."""
from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

import pytest

import flipbook as fb

from conftest import ROOT

pytestmark = pytest.mark.usefixtures("native")

EXAMPLES = ROOT / "examples" / "python"

#: Each example's frame count as written.
FRAMES = {
    "sine": 100,
    "regression": 90,
    "lorenz": 1201,
    "channels": 24,
    "fooling": 40,
    "boundary": 150,
    "weights": 60,
}


def test_every_example_is_listed():
    assert sorted(p.stem for p in EXAMPLES.glob("*.py")) == sorted(FRAMES)


def test_sine_runs_as_a_script(tmp_path):
    out = tmp_path / "sine.gif"
    r = subprocess.run([sys.executable, str(EXAMPLES / "sine.py"), str(out)],
                       capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    data = out.read_bytes()
    assert data[:6] == b"GIF89a"
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(out) as im:
        assert im.n_frames == FRAMES["sine"] and im.size == (640, 480)


def test_default_output_name(tmp_path):
    r = subprocess.run([sys.executable, str(EXAMPLES / "weights.py")],
                       capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "weights.gif").stat().st_size > 1000


@pytest.mark.parametrize("name", sorted(set(FRAMES) - {"sine"}))
def test_example(name, tmp_path, monkeypatch):
    saved = []
    real_save = fb.Figure.save

    def capped_save(self, path, **kw):
        assert self.frame_count == FRAMES[name]
        saved.append(path)
        kw["end"] = min(kw.get("end") or 4, 4)
        return real_save(self, path, **kw)

    monkeypatch.setattr(fb.Figure, "save", capped_save)
    out = tmp_path / f"{name}.gif"
    monkeypatch.setattr(sys, "argv", [f"{name}.py", str(out)])
    runpy.run_path(str(EXAMPLES / f"{name}.py"), run_name="__main__")
    assert saved == [str(out)]
    assert out.read_bytes()[:6] == b"GIF89a"


def test_examples_are_short():
    for p in EXAMPLES.glob("*.py"):
        code = [l for l in p.read_text().splitlines() if l.strip() and not l.strip().startswith("#")]
        assert len(code) <= 75, f"{p.name}: {len(code)} lines"
