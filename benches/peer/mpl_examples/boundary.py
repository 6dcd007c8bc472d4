"""examples/python/boundary.py drawn with matplotlib: a small numpy network learns the two moons,
one frame per epoch; the background is its P(class 1) on a grid.

    python boundary.py [out.gif|out.mp4]
"""
import sys

import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

rng = np.random.default_rng(7)
cls = np.arange(200) % 2
a = rng.random(200) * np.pi
pts = np.stack([np.where(cls, 1 - np.cos(a), np.cos(a)), np.where(cls, 0.5 - np.sin(a), np.sin(a))], 1)
pts += rng.normal(0, 0.2, pts.shape)

extent = (-1.6, 2.6, -1.1, 1.6)
gx, gy = np.meshgrid(np.linspace(*extent[:2], 96), np.linspace(*extent[2:], 64)[::-1])  # row 0 on top
grid = np.stack([gx.ravel(), gy.ravel()], 1)

sizes = [2, 16, 16, 2]
Ws = [rng.normal(0, 1 / np.sqrt(m), (m, n)) for m, n in zip(sizes[:-1], sizes[1:])]
bs = [np.zeros(n) for n in sizes[1:]]
params = Ws + bs
m1 = [np.zeros_like(p) for p in params]
m2 = [np.zeros_like(p) for p in params]


def forward(x):
    acts = [x]
    for k, (W, b) in enumerate(zip(Ws, bs)):
        z = acts[-1] @ W + b
        acts.append(np.tanh(z) if k < len(Ws) - 1 else z)
    e = np.exp(acts[-1] - acts[-1].max(1, keepdims=True))
    return acts, e / e.sum(1, keepdims=True)


frames = []
for epoch in range(1, 151):
    acts, p = forward(pts)
    delta = (p - np.eye(2)[cls]) / len(cls)  # softmax cross-entropy, full batch
    gW, gb = [], []
    for k in reversed(range(len(Ws))):
        gW.insert(0, acts[k].T @ delta)
        gb.insert(0, delta.sum(0))
        delta = (delta @ Ws[k].T) * (1 - acts[k] ** 2)
    for j, (param, g) in enumerate(zip(params, gW + gb)):  # Adam
        m1[j] = 0.9 * m1[j] + 0.1 * g
        m2[j] = 0.999 * m2[j] + 0.001 * g * g
        param -= 0.03 * (m1[j] / (1 - 0.9**epoch)) / (np.sqrt(m2[j] / (1 - 0.999**epoch)) + 1e-8)
    _, p = forward(pts)
    loss = -np.log(p[np.arange(len(cls)), cls]).mean()
    frames.append((epoch, loss, (p.argmax(1) == cls).mean(), forward(grid)[1][:, 1].reshape(64, 96)))

fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
im = ax.imshow(frames[0][3], cmap="RdBu", vmin=0, vmax=1, extent=extent,
               interpolation="bilinear", aspect="auto")
fig.colorbar(im, label="P(class 1)")
ax.scatter(pts[:, 0], pts[:, 1], c=cls, cmap="coolwarm_r", vmin=-0.4, vmax=1.4, s=25)
ax.axis(extent)
title = ax.set_title("")
ax.set_xlabel("x₁")
ax.set_ylabel("x₂")


def update(i):
    epoch, loss, acc, prob = frames[i]
    im.set_data(prob)
    title.set_text(f"epoch {epoch}: loss {loss:.3f}, accuracy {acc:.1%}")


anim = FuncAnimation(fig, update, frames=len(frames), interval=1000 / 20)
out = sys.argv[1] if len(sys.argv) > 1 else "boundary.gif"
anim.save(out, writer="pillow" if out.endswith(".gif") else "ffmpeg", fps=20)
