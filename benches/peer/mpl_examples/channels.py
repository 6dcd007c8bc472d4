"""examples/python/channels.py drawn with matplotlib: the red channel of a random image moves from
the left image to the right one (top, 1x2); below (1x5), the left image's R, G and B, its
luminance and a blurred copy.

    python channels.py [out.gif|out.mp4]
"""
import sys

import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

T = 24
rng = np.random.default_rng(0)
rgb = rng.integers(0, 256, (50, 50, 3)) / 255
t = np.linspace(0, 1, T)[:, None, None]
left = np.repeat(rgb[None], T, axis=0)  # (T, 50, 50, 3): one image per frame
left[..., 0] = rgb[..., 0] * (1 - t)
right = np.zeros_like(left)
right[..., 0] = rgb[..., 0] * t
pad = np.pad(left, [(0, 0), (1, 1), (1, 1), (0, 0)], mode="edge")
k = np.array([1, 2, 1])
blurred = sum(k[i] * k[j] * pad[:, i:i + 50, j:j + 50] for i in range(3) for j in range(3)) / 16
luminance = left @ [0.299, 0.587, 0.114]

fig = plt.figure(figsize=(8, 5), dpi=100)
top = [fig.add_subplot(2, 2, n) for n in (1, 2)]
bottom = [fig.add_subplot(2, 5, n) for n in range(6, 11)]
stacks = [left, right, left[..., 0], left[..., 1], left[..., 2], luminance, blurred]
titles = ["left: red moves out", "right: red moves in", "R", "G", "B", "luminance", "blurred"]
cmaps = [None, None, "Reds", "Greens", "Blues", "gray", None]
images = []
for ax, stack, title, cmap in zip(top + bottom, stacks, titles, cmaps):
    images.append(ax.imshow(stack[0], cmap=cmap, vmin=0, vmax=1))
    ax.set_title(title)
    ax.axis("off")
images[-1].set_interpolation("bilinear")
suptitle = fig.suptitle("")


def update(i):
    for im, stack in zip(images, stacks):
        im.set_data(stack[i])
    suptitle.set_text(f"frame {i}: {100 * (1 - t.ravel()[i]):.0f}% of the red left")


anim = FuncAnimation(fig, update, frames=T, interval=1000 / 8)
out = sys.argv[1] if len(sys.argv) > 1 else "channels.gif"
anim.save(out, writer="pillow" if out.endswith(".gif") else "ffmpeg", fps=8)
