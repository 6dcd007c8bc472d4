"""examples/python/regression.py drawn with matplotlib: linear regression by per-sample gradient
descent, the fitted line, the cost on a second y axis, a legend and the epoch in the title.

    python regression.py [out.gif|out.mp4]
"""
import sys

import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

rng = np.random.default_rng(0)
x = np.linspace(0, 10, 50)
y = x - 2 + rng.normal(0, 1, x.shape)
w, b, lr = -1.0, 1.0, 2e-4

epochs, costs, fits = [], [], []
for epoch in range(1, 881):
    for xi, yi in zip(x, y):  # one gradient step per sample
        g = 2 * (w * xi + b - yi)
        w, b = w - lr * g * xi, b - lr * g
    if epoch <= 20 or (epoch <= 200 and epoch % 5 == 0) or epoch % 20 == 0:
        epochs.append(epoch)
        costs.append(float(((w * x + b - y) ** 2).sum()))
        fits.append(w * x + b)

fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
data = ax.scatter(x, y, color="r", s=25, label="original data")
fit, = ax.plot(x, fits[0], "g--", lw=1.44, label="fitting line")
ax.set_xlabel("X data")
ax.set_ylabel("Y data")
cost_ax = ax.twinx()
cost_line, = cost_ax.plot([], [], "b", lw=1.44, label="cost")
cost_ax.set_ylabel("cost")
cost_ax.set_xlim(0, 10)
cost_ax.set_ylim(0, max(costs) * 1.05)
ax.legend(handles=[data, fit, cost_line], loc="upper center")
title = ax.set_title("")


def update(k):
    fit.set_ydata(fits[k])
    cost_line.set_data(np.array(epochs[:k + 1]) / 88, costs[:k + 1])  # epochs 0..880 across x
    title.set_text(f"epoch {epochs[k]}  cost {costs[k]:.1f}")


anim = FuncAnimation(fig, update, frames=len(epochs), interval=1000 / 10)
out = sys.argv[1] if len(sys.argv) > 1 else "regression.gif"
anim.save(out, writer="pillow" if out.endswith(".gif") else "ffmpeg", fps=10)
