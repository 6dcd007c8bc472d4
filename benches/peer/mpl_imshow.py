"""The matplotlib peer of `flipbook export STACK.npy -o OUT.gif`: a (T, H, W) stack drawn frame by
frame through viridis with one colour range over all frames, a colorbar and the frame number in the
title, saved as a GIF with FuncAnimation + PillowWriter at 640x480 (figsize 6.4x4.8, dpi 100).

Set-up: python3 -m venv /tmp/mpl && /tmp/mpl/bin/pip install matplotlib pillow numpy
Run:   /tmp/mpl/bin/python benches/peer/mpl_imshow.py STACK.npy OUT.gif [--frames N] [--fps F]
--frames N draws the first N frames (default: all); vmin/vmax are the min/max over the frames drawn.
It prints one line: frames, size, seconds in total (loading, limits, drawing, encoding) and
milliseconds per frame, like shared/peer/mpl_scenes.py (interpreter start and imports are outside
it; benches/quicklook.sh times whole processes). Headless (Agg). PillowWriter keeps every frame in
memory until the end, so its memory grows with the frame count.
"""
import argparse
import time

import numpy as np
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import animation


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("stack", help="a .npy file of shape (T, H, W)")
    ap.add_argument("out", help="the .gif to write")
    ap.add_argument("--frames", type=int, default=None, help="draw the first N frames")
    ap.add_argument("--fps", type=float, default=20.0)
    a = ap.parse_args()
    t0 = time.perf_counter()
    stack = np.load(a.stack, mmap_mode="r")
    if stack.ndim != 3:
        raise SystemExit(f"{a.stack}: expected a (T, H, W) array, got shape {stack.shape}")
    n = stack.shape[0] if a.frames is None else max(1, min(a.frames, stack.shape[0]))
    frames = stack[:n]
    vmin, vmax = float(np.nanmin(frames)), float(np.nanmax(frames))

    fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
    im = ax.imshow(np.asarray(frames[0]), cmap="viridis", vmin=vmin, vmax=vmax)
    fig.colorbar(im, ax=ax)
    title = ax.set_title("frame 0")

    def update(i):
        im.set_data(np.asarray(frames[i]))
        title.set_text(f"frame {i}")
        return im, title

    anim = animation.FuncAnimation(fig, update, frames=n, interval=1000 / a.fps)
    anim.save(a.out, writer=animation.PillowWriter(fps=a.fps), dpi=100)
    dt = time.perf_counter() - t0
    print(
        f"imshow gif frames={n} size=640x480 shape={tuple(stack.shape)} "
        f"total_s={dt:.3f} ms_per_frame={1000 * dt / n:.2f}"
    )


if __name__ == "__main__":
    main()
