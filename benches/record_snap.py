"""Cost of fig.snap() while recording (issue target: median < 100 µs) for a figure with a
50-point line, a 28x28 image and 1,000 points that all change every frame, and the size of
the recording; then the same for a figure holding one 512x512 float32 image that changes every
frame.

    python benches/record_snap.py [frames]   # default 2000 (and a tenth of that for 512x512)
"""
import os
import statistics
import sys
import tempfile
import time

import numpy as np

import flipbook as fb


def big_image(frames: int) -> None:
    """snap() of a 512x512 float32 image changing every frame (1 MB a frame to the file)."""
    rng = np.random.default_rng(1)
    fig, ax = fb.subplots()
    im = ax.imshow(rng.random((512, 512), dtype=np.float32), vmin=0, vmax=1)
    pool = [rng.random((512, 512), dtype=np.float32) for _ in range(8)]
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "big.flipbook")
        rec = fig.record(path)
        times = []
        for i in range(frames):
            im.set_data(pool[i % len(pool)])
            t0 = time.perf_counter()
            fig.snap()
            times.append(time.perf_counter() - t0)
        rec.close()
        times.sort()
        med = statistics.median(times) * 1e3
        p95 = times[int(0.95 * len(times))] * 1e3
        print(f"snap() of a 512x512 float32 image: median {med:.2f} ms, p95 {p95:.2f} ms "
              f"over {frames} frames ({os.path.getsize(path) / frames / 1e6:.2f} MB per frame)")


def main(frames: int) -> None:
    rng = np.random.default_rng(0)
    fig, (a, b, c) = fb.subplots(1, 3, figsize=(9, 3))
    x = np.linspace(0, 1, 50)
    line, = a.plot(x, np.zeros(50))
    a.set_title("epoch {step} loss {loss:.3f}")
    im = b.imshow(rng.random((28, 28)))
    pts = c.scatter(rng.random(1000), rng.random(1000), s=4)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "run.flipbook")
        rec = fig.record(path)
        times = []
        for i in range(frames):
            line.set_ydata(np.sin(x * 6 + i / 10))
            im.set_data(rng.random((28, 28)).astype(np.float32))
            pts.set_offsets(rng.random((1000, 2)))
            t0 = time.perf_counter()
            fig.snap(step=i, loss=1 / (i + 1))
            times.append(time.perf_counter() - t0)
        rec.close()
        size = os.path.getsize(path)
        times.sort()
        med = statistics.median(times) * 1e6
        p95 = times[int(0.95 * len(times))] * 1e6
        print(f"snap() while recording: median {med:.0f} µs, p95 {p95:.0f} µs over {frames} frames")
        print(f"recording: {size / 1e6:.1f} MB, {size / frames / 1e3:.1f} KB per frame")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    main(n)
    big_image(max(n // 10, 20))
