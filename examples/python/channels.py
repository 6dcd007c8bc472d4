"""Colour channels: the red channel of a random image moves from the left image to the right one
(top, 1x2); below (1x5), the left image's R, G and B, its luminance and a blurred copy. The
suptitle is one string per frame.

    python channels.py [out.gif]
"""
import sys

import numpy as np

import flipbook as fb

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

fig = fb.figure(figsize=(8, 5), fps=8)
top = [fig.add_subplot(2, 2, n) for n in (1, 2)]
bottom = [fig.add_subplot(2, 5, n) for n in range(6, 11)]
for ax, img, title in zip(top, [left, right], ["left: red moves out", "right: red moves in"]):
    ax.imshow(img)
    ax.set_title(title)
for c, (name, cmap) in enumerate([("R", "Reds"), ("G", "Greens"), ("B", "Blues")]):
    bottom[c].imshow(left[..., c], cmap=cmap, vmin=0, vmax=1)
    bottom[c].set_title(name)
bottom[3].imshow(left @ [0.299, 0.587, 0.114], cmap="gray", vmin=0, vmax=1)
bottom[3].set_title("luminance")
bottom[4].imshow(blurred, interpolation="bilinear")
bottom[4].set_title("blurred")
for ax in top + bottom:
    ax.axis("off")
fig.suptitle([f"frame {i}: {100 * (1 - s):.0f}% of the red left" for i, s in enumerate(t.ravel())])
fig.save(sys.argv[1] if len(sys.argv) > 1 else "channels.gif")
