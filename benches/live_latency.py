"""From ``fig.snap()`` to the frame on screen in a viewer following the recording (issue target:
under 250 ms at the 95th percentile).

A figure with a 50-point line, a 28x28 image and 1,000 points records to a file with
``fig.record(path, show=...)``; the viewer it opens logs every frame it presents
(``flipbook view --trace-frames``). Frames are snapped at random intervals (50–300 ms, so
snaps are not in step with the viewer's polling); a frame's latency is the time from its
``snap()`` returning (the frame written and flushed) to the first presented window that holds
it (the viewer follows the newest frame, so a frame overtaken within one poll counts as shown
when its successor is). Needs a display: it starts Xvfb when DISPLAY is not set.

    python benches/live_latency.py [frames]   # default 200
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import List, Tuple

import numpy as np

import flipbook as fb


def start_xvfb() -> subprocess.Popen:
    """Xvfb on the first free display number from 150; sets DISPLAY."""
    for n in range(150, 200):
        if os.path.exists(f"/tmp/.X11-unix/X{n}") or os.path.exists(f"/tmp/.X{n}-lock"):
            continue
        proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1600x1200x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if os.path.exists(f"/tmp/.X11-unix/X{n}"):
                time.sleep(0.2)
                os.environ["DISPLAY"] = f":{n}"
                os.environ.pop("WAYLAND_DISPLAY", None)
                return proc
            time.sleep(0.05)
        proc.kill()
    sys.exit("live_latency: no free X display")


def read_trace(path: str) -> List[Tuple[int, int, float, str]]:
    if not os.path.exists(path):
        return []
    with open(path) as f:
        rows = [line.rstrip("\n").split(" ", 3) for line in f if line.count(" ") >= 3]
    return [(int(a), int(b), float(c), d) for a, b, c, d in rows]


def wait(trace: str, viewer: subprocess.Popen, cond, what: str, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while not cond(read_trace(trace)):
        if viewer.poll() is not None:
            sys.exit(f"live_latency: the viewer exited (status {viewer.returncode}) waiting for {what}")
        if time.time() > deadline:
            sys.exit(f"live_latency: no {what} within {timeout:.0f} s")
        time.sleep(0.02)


def main(frames: int) -> None:
    xvfb = None if os.environ.get("DISPLAY") else start_xvfb()
    rng = np.random.default_rng(0)
    fig, (a, b, c) = fb.subplots(1, 3, figsize=(9, 3), fps=10)
    x = np.linspace(0, 1, 50)
    line, = a.plot(x, np.zeros(50))
    a.set_ylim(-1, 1)
    a.set_title("epoch {step}")
    im = b.imshow(rng.random((28, 28)), vmin=0, vmax=1)
    pts = c.scatter(rng.random(1000), rng.random(1000), s=4)
    c.set_xlim(0, 1)
    c.set_ylim(0, 1)
    folder = tempfile.mkdtemp(prefix="flipbook-live-latency-")
    trace = os.path.join(folder, "shown.txt")
    snapped: List[float] = []
    try:
        rec = fig.record(os.path.join(folder, "run.flipbook"), show={"trace_frames": trace})
        fig.snap(step=0)
        snapped.append(time.time())
        wait(trace, rec._viewer, bool, "first frame on screen")
        for i in range(1, frames):
            time.sleep(rng.uniform(0.05, 0.3))
            line.set_ydata(np.sin(x * 6 + i / 10))
            im.set_data(rng.random((28, 28)).astype(np.float32))
            pts.set_offsets(rng.random((1000, 2)))
            fig.snap(step=i)
            snapped.append(time.time())
        wait(trace, rec._viewer, lambda r: r and r[-1][1] == frames, "last frame on screen")
        rec.close()
        rec._viewer.terminate()
        rec._viewer.wait(30)
        rows = read_trace(trace)
    finally:
        if xvfb is not None:
            xvfb.terminate()
        shutil.rmtree(folder, ignore_errors=True)
    # Frame 0 is on screen when the viewer starts; the rest are the live path.
    latencies = []
    for i in range(1, frames):
        shown = next(t for f, n, t, _ in rows if n > i and f >= i)
        latencies.append((shown - snapped[i]) * 1e3)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(f"snap() → on screen: median {p50:.0f} ms, p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms "
          f"over {len(latencies)} frames")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
