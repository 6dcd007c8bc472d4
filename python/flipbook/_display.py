"""Where figures show up: progress bars (terminal and Jupyter), PNG posters, and the viewer
window run as a child process."""
from __future__ import annotations

import base64
import collections
import html
import shutil
import struct
import subprocess
import sys
import threading
import time
import zlib
from typing import Any, Callable, Deque, List, Optional, Sequence

import numpy as np


def ipython() -> Any:
    """The running IPython shell, or ``None`` (IPython is never imported here)."""
    mod = sys.modules.get("IPython")
    if mod is None:
        return None
    try:
        return mod.get_ipython()
    except Exception:  # pragma: no cover - a broken IPython install
        return None


def in_kernel() -> bool:
    """Whether this process is a Jupyter kernel (an IPython shell with a kernel)."""
    ip = ipython()
    return ip is not None and getattr(ip, "kernel", None) is not None


# -- progress ----------------------------------------------------------------------------------


class TerminalBar:
    """``saving sine.gif [##########----------]  50/100 frames  1.2 s`` on stderr, redrawn in
    place at most ten times a second."""

    def __init__(self, label: str, stream: Any = None, width: int = 28) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.t0 = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        frac = done / total if total else 1.0
        filled = int(round(self.width * frac))
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {done:>{len(str(total))}}/{total} frames {now - self.t0:5.1f} s"
        )
        self.stream.flush()
        self.drawn = True

    def close(self, report: Optional[dict]) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


class JupyterBar:
    """An HTML ``<progress>`` in the notebook, updated in place."""

    def __init__(self, label: str) -> None:
        from IPython.display import HTML, display  # type: ignore[import-not-found]

        self.HTML = HTML
        self.label = label
        self.t0 = time.monotonic()
        self.last = 0.0
        self.handle = display(HTML(self._html(0, 0)), display_id=True)

    def _html(self, done: int, total: int, note: str = "") -> str:
        secs = time.monotonic() - self.t0
        text = note or f"{done}/{total} frames, {secs:.1f} s"
        return (
            f"<div style='font-family:monospace'>{html.escape(self.label)} "
            f"<progress value='{done}' max='{max(total, 1)}' style='width:16em'></progress> "
            f"{html.escape(text)}</div>"
        )

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.2:
            return
        self.last = now
        if self.handle is not None:
            self.handle.update(self.HTML(self._html(done, total)))

    def close(self, report: Optional[dict]) -> None:
        if self.handle is None or report is None:
            return
        n = report.get("frames", 0)
        note = f"{n} frames, {report.get('bytes', 0) / 1e6:.2f} MB in {report.get('seconds', 0):.1f} s"
        self.handle.update(self.HTML(self._html(n, n, note)))


def progress_bar(label: str, progress: Any) -> Any:
    """The progress callback for ``save``: ``progress`` itself when callable, a bar in a
    notebook or on a terminal when true, else ``None``."""
    if not progress:
        return None
    if callable(progress):
        return progress
    if in_kernel():
        try:
            return JupyterBar(label)
        except Exception:
            return None
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    return TerminalBar(label) if tty else None


# -- images ------------------------------------------------------------------------------------


def png_bytes(rgba: np.ndarray) -> bytes:
    """An (H, W, 4) uint8 image as PNG bytes (no dependencies: zlib and struct)."""
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    h, w, c = rgba.shape
    color_type = {1: 0, 3: 2, 4: 6}[c]
    rows = np.concatenate([np.zeros((h, 1), np.uint8), rgba.reshape(h, w * c)], axis=1)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
        + chunk(b"IEND", b"")
    )


def png_base64(rgba: np.ndarray) -> str:
    """PNG bytes as base64 text (what a Jupyter ``image/png`` output holds)."""
    return base64.b64encode(png_bytes(rgba)).decode("ascii")


# -- the viewer ----------------------------------------------------------------------------------


def run_viewer(args: Sequence[str], block: bool, cleanup: Optional[str]) -> subprocess.Popen:
    """Runs the viewer as a child process, copying its output to this process's
    ``sys.stdout``/``sys.stderr`` (so it shows in a notebook too). Blocking: waits and raises
    ``RuntimeError`` with the viewer's last words if it fails. ``cleanup`` is removed when the
    viewer has exited."""
    proc = subprocess.Popen(
        list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    tail: Deque[str] = collections.deque(maxlen=20)

    def pump(src: Any, name: str, keep: bool) -> None:
        for line in iter(src.readline, b""):
            text = line.decode("utf-8", errors="replace")
            if keep:
                tail.append(text)
            try:
                dst = getattr(sys, name)
                dst.write(text)
                dst.flush()
            except Exception:
                pass
        src.close()

    pumps: List[threading.Thread] = [
        threading.Thread(target=pump, args=(proc.stdout, "stdout", False), daemon=True),
        threading.Thread(target=pump, args=(proc.stderr, "stderr", True), daemon=True),
    ]
    for t in pumps:
        t.start()

    def finish() -> None:
        proc.wait()
        for t in pumps:
            t.join(timeout=5)
        if cleanup:
            shutil.rmtree(cleanup, ignore_errors=True)

    if not block:
        threading.Thread(target=finish, daemon=True).start()
        return proc
    try:
        proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
        raise
    finally:
        finish()
    if proc.returncode != 0:
        said = "".join(tail).strip()
        raise RuntimeError(
            f"the flipbook viewer exited with status {proc.returncode}"
            + (f": {said}" if said else "")
        )
    return proc


def flag_args(flags: dict, known: Sequence[str]) -> List[str]:
    """Keyword arguments as ``flipbook view`` flags: ``screenshot_to="a.png"`` →
    ``--screenshot-to a.png``, ``play=True`` → ``--play``, ``size=(640, 480)`` →
    ``--size 640x480``."""
    from ._util import unknown_keyword

    out: List[str] = []
    for k, v in flags.items():
        if k not in known:
            raise unknown_keyword("Figure.show", k, list(known) + ["block"])
        if v is None or v is False:
            continue
        flag = "--" + k.replace("_", "-")
        if v is True:
            out.append(flag)
        elif isinstance(v, (tuple, list)):
            out += [flag, "x".join(str(int(x)) for x in v)]
        else:
            import os

            out += [flag, os.fspath(v) if hasattr(v, "__fspath__") else str(v)]
    return out
