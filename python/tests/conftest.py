"""Shared fixtures: the native module (required in CI), tools (Xvfb, ffmpeg, chromium) and an
Xvfb display started for the test session, as the Rust viewer tests start theirs."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator, Optional

import pytest

ROOT = Path(__file__).resolve().parents[2]


def in_ci() -> bool:
    """``CI`` set, non-empty and not ``0``/``false``: a missing tool fails instead of skipping."""
    v = os.environ.get("CI", "").strip()
    return bool(v) and v != "0" and v.lower() != "false"


def need(what: str) -> None:
    """Skips a test that needs something this machine lacks; fails in CI."""
    if in_ci():
        pytest.fail(f"{what}: required in CI (.ci/setup installs it)")
    pytest.skip(what)


def have(tool: str) -> bool:
    return shutil.which(tool) is not None


@pytest.fixture(scope="session")
def native():
    """flipbook's native module; tests that render need it."""
    try:
        from flipbook import _native  # type: ignore[attr-defined]
    except ImportError as e:
        need(f"flipbook's native module is not built (cd python && maturin develop): {e}")
    return _native


def _x11_ready(n: int) -> bool:
    """Completes an X11 connection set-up on display :n (the socket file appears earlier)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect(f"/tmp/.X11-unix/X{n}")
            s.sendall(bytes([ord("l"), 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
            return s.recv(1) == b"\x01"
    except OSError:
        return False


@pytest.fixture(scope="session")
def xvfb() -> Iterator[str]:
    """An Xvfb server on a free display number; yields its DISPLAY."""
    if not have("Xvfb"):
        need("Xvfb is not installed (apt-get install xvfb)")
    for n in range(240, 300):
        if Path(f"/tmp/.X11-unix/X{n}").exists() or Path(f"/tmp/.X{n}-lock").exists():
            continue
        proc = subprocess.Popen(
            ["Xvfb", f":{n}", "-screen", "0", "1600x1200x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        started: Optional[bool] = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                started = False  # the number was taken after all
                break
            if _x11_ready(n):
                started = True
                break
            time.sleep(0.05)
        if started:
            try:
                yield f":{n}"
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            return
        if started is None:
            proc.kill()
            pytest.fail(f"Xvfb :{n} did not accept an X11 connection within 30 s")
    pytest.fail("no free X display number in 240..300")
