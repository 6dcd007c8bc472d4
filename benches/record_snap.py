"""Cost of fig.snap() while recording (issue target: median < 100 µs) for a figure with a
50-point line, a 28x28 image and 1,000 points that all change every frame, and the size of
the recording. Also times Recording open + seek in the file it wrote.

    python benches/record_snap.py [frames]   # default 2000
"""
import os
import statistics
import sys
import tempfile
import time

import numpy as np

import flipbook as fb


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
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
