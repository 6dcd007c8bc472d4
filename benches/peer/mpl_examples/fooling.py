"""examples/python/fooling.py drawn with matplotlib: a circle is nudged, one signed-gradient step
a frame, until a small softmax classifier calls it a square. Input, perturbation and the
confidence bars.

    python fooling.py [out.gif|out.mp4]
"""
import sys

import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

CLASSES = ["circle", "square", "triangle", "cross", "bar"]
rng = np.random.default_rng(5)
yy, xx = np.mgrid[0:12, 0:12] + 0.5


def draw(cls):
    """A 12x12 image of a shape of class `cls`, placed and sized at random, with noise."""
    cx, cy, r = rng.uniform(4.5, 7.5), rng.uniform(4.5, 7.5), rng.uniform(2.6, 4.2)
    dx, dy = xx - cx, yy - cy
    inside = [np.hypot(dx, dy) <= r,
              (abs(dx) <= 0.85 * r) & (abs(dy) <= 0.85 * r),
              (dy <= 0.7 * r) & (dy >= -r) & (abs(dx) <= (dy + r) * 0.6),
              ((abs(dx) <= 0.9) & (abs(dy) <= r)) | ((abs(dy) <= 0.9) & (abs(dx) <= r)),
              (abs(dy) <= 1) & (abs(dx) <= 1.3 * r)][cls]
    return (np.where(inside, 0.9, 0.1) + rng.uniform(-0.08, 0.08, (12, 12))).ravel()


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


labels = np.arange(500) % 5
images = np.stack([draw(c) for c in labels])
W, b = np.zeros((144, 5)), np.zeros(5)
for _ in range(300):  # softmax regression, full-batch gradient descent
    g = softmax(images @ W + b) - np.eye(5)[labels]
    W -= 0.5 * images.T @ g / len(labels)
    b -= 0.5 * g.mean(axis=0)

circles = np.stack([draw(0) for _ in range(50)])
x = circles[softmax(circles @ W + b)[:, 0].argmax()]  # the circle it is surest of
x0, step, T = x.copy(), 0.003, 40
inputs, all_probs = [], []
for i in range(T):
    probs = softmax(x @ W + b)
    inputs.append(x)
    all_probs.append(probs)
    grad = W[:, 1] - W @ probs  # d log p(square) / d input
    x = np.clip(x + step * np.sign(grad), 0, 1)

fig, (a, p, c) = plt.subplots(1, 3, figsize=(10, 3.6), dpi=100)
img = a.imshow(inputs[0].reshape(12, 12), cmap="gray", vmin=0, vmax=1)
delta = p.imshow(np.zeros((12, 12)), cmap="RdBu", vmin=-T * step, vmax=T * step)
fig.colorbar(delta, ax=p)
bars = c.barh(np.arange(5)[::-1], np.zeros(5), tick_label=CLASSES,
              color=["C2", "C3", "C0", "C0", "C0"])  # the true class green, the target red
values = [c.text(0, y, "", va="center") for y in np.arange(5)[::-1]]
c.set_xlim(0, 1.3)
a.set_title("input")
p.set_title("perturbation")
c.set_title("confidence")
a.axis("off")
p.axis("off")
title = fig.suptitle("")
fig.tight_layout()


def update(i):
    probs = all_probs[i]
    img.set_data(inputs[i].reshape(12, 12))
    delta.set_data((inputs[i] - x0).reshape(12, 12))
    for bar, text, v in zip(bars, values, probs):
        bar.set_width(v)
        text.set_x(v + 0.02)
        text.set_text(f"{v:.2f}")
    title.set_text(f"step {i}: p(circle) = {probs[0]:.2f}, p(square) = {probs[1]:.2f}"
                   f" → predicted \"{CLASSES[probs.argmax()]}\"")


anim = FuncAnimation(fig, update, frames=T, interval=1000 / 8)
out = sys.argv[1] if len(sys.argv) > 1 else "fooling.gif"
anim.save(out, writer="pillow" if out.endswith(".gif") else "ffmpeg", fps=8)
