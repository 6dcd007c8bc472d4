"""examples/python/weights.py drawn with matplotlib: the first layer's |W| after each epoch,
collected in a list and shown as an annotated heatmap with category tick labels and a colorbar.

    python weights.py [out.gif|out.mp4]
"""
import sys

import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

rng = np.random.default_rng(11)
centres = 1.5 * rng.normal(size=(4, 8))  # four classes in 8 dimensions
labels = np.arange(240) % 4
x = centres[labels] + 0.8 * rng.normal(size=(240, 8))
W1, W2 = rng.normal(0, 0.35, (8, 6)), rng.normal(0, 0.4, (6, 4))

snapshots, losses = [], []
for epoch in range(60):  # a 8-6-4 tanh network, full-batch gradient descent
    h = np.tanh(x @ W1)
    z = h @ W2
    p = np.exp(z - z.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    losses.append(-np.log(p[np.arange(240), labels]).mean())
    dz = (p - np.eye(4)[labels]) / 240
    dh = dz @ W2.T * (1 - h**2)
    W2 -= 0.5 * h.T @ dz
    W1 -= 0.5 * x.T @ dh
    snapshots.append(np.abs(W1.T))  # (6 hidden, 8 inputs)

fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
vmin, vmax = np.min(snapshots), np.max(snapshots)  # one colour range for every frame
im = ax.imshow(snapshots[0], cmap="YlGn", vmin=vmin, vmax=vmax)
fig.colorbar(im, label="|weight|")
ax.set_xticks(range(8), [f"orig_dim_{j}" for j in range(8)], rotation=-30)
ax.set_yticks(range(6), [f"embed_dim_{i}" for i in range(6)])
texts = [[ax.text(j, i, "", ha="center", va="center") for j in range(8)] for i in range(6)]
title = ax.set_title("")
fig.tight_layout()


def update(k):
    im.set_data(snapshots[k])
    for i in range(6):
        for j in range(8):
            v = snapshots[k][i, j]
            texts[i][j].set_text(f"{v:.2f}")
            texts[i][j].set_color("white" if im.norm(v) > 0.5 else "black")
    title.set_text(f"first layer |W| after epoch {k + 1} (loss {losses[k]:.3f})")


anim = FuncAnimation(fig, update, frames=len(snapshots), interval=1000 / 10)
out = sys.argv[1] if len(sys.argv) > 1 else "weights.gif"
anim.save(out, writer="pillow" if out.endswith(".gif") else "ffmpeg", fps=10)
