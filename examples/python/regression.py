"""Linear regression by per-sample gradient descent, drawn while it trains: the fitted line, the
cost on a second y axis, a legend and the epoch in the title.

    python regression.py [out.gif]
"""
import sys

import numpy as np

import flipbook as fb

rng = np.random.default_rng(0)
x = np.linspace(0, 10, 50)
y = x - 2 + rng.normal(0, 1, x.shape)
w, b, lr = -1.0, 1.0, 2e-4

fig, ax = fb.subplots(fps=10)
ax.scatter(x, y, color="r", s=25, label="original data")
fit, = ax.plot(x, w * x + b, "g--", lw=1.44, label="fitting line")
ax.set_xlabel("X data")
ax.set_ylabel("Y data")
cost_ax = ax.twinx()
cost_line, = cost_ax.plot([], [], "b", lw=1.44, label="cost")
cost_ax.set_ylabel("cost")
ax.legend(loc="upper center")
ax.set_title("epoch {step}  cost {cost:.1f}")

epochs, costs = [], []
for epoch in range(1, 881):
    for xi, yi in zip(x, y):  # one gradient step per sample
        g = 2 * (w * xi + b - yi)
        w, b = w - lr * g * xi, b - lr * g
    if epoch <= 20 or (epoch <= 200 and epoch % 5 == 0) or epoch % 20 == 0:
        cost = float(((w * x + b - y) ** 2).sum())
        epochs.append(epoch)
        costs.append(cost)
        fit.set_ydata(w * x + b)
        cost_line.set_data(np.array(epochs) / 88, costs)  # epochs 0..880 across the x axis
        fig.snap(step=epoch, cost=cost)

fig.save(sys.argv[1] if len(sys.argv) > 1 else "regression.gif")
