"""A layer's weights during training: the first layer's |W| after each epoch, collected in a
list and shown as an annotated heatmap with category tick labels and a colorbar.

    python weights.py [out.gif]
"""
import sys

import numpy as np

import flipbook as fb

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

fig, ax = fb.subplots(fps=10, steps=np.arange(1, 61))
im = ax.imshow(snapshots, cmap="YlGn", annotate=".2f")  # a list of 60 (6, 8) arrays: 60 frames
fig.colorbar(im, label="|weight|")
ax.set_xticks(range(8), [f"orig_dim_{j}" for j in range(8)], rotation=-30)
ax.set_yticks(range(6), [f"embed_dim_{i}" for i in range(6)])
fig.set_vars(loss=losses)
ax.set_title("first layer |W| after epoch {step} (loss {loss:.3f})")
fig.save(sys.argv[1] if len(sys.argv) > 1 else "weights.gif")
