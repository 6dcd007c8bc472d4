"""Writes the tutorial scenes' data as files, beside this script.

Run:   python3 examples/data/generate.py        (Python 3.9+, numpy only)

The same runs the built-in scenes in src/scenes/*.rs compute at set-up (a fitted line, three
Lorenz trajectories, a small classifier being fooled, a decision boundary forming, a layer's
weights during training), recomputed in numpy with fixed seeds, as a Python user would have them
on disk: `.npz` archives of per-frame arrays, a CSV training log, plain `.npy` stacks. The numbers
follow the Rust scenes' recipes (sizes, learning rates, step counts, seeds by name) but not their
random streams, so they are alike, not bit-identical. Running it twice writes byte-identical files
(fixed seeds; zip members carry a fixed timestamp).

Time rule (as in flipbook's scene files): an array with one more leading axis than one frame needs
is per-frame (axis 0 = frame); otherwise it is static. Images are row 0 at the top.

Files and arrays (T = frames):
  sine.npz        x (629,)  y (100, 629) = sin(x + i/10)  step (100,) int64
  regression.npz  x (50,)  y (50,)  fits (90, 50)  cost (90,)  epoch (90,) int64  w (90,)  b (90,)
                  epochs shown as the Rust scene shows them: every epoch to 20, every 5th to 200,
                  every 20th after (last: 880); cost is the sum of squared errors
  regression_log.csv   epoch,cost,w,b: one row for every epoch 1..880, as a training loop logs
  lorenz.npz      a, b, c (1201, 3) float32: RK4 with dt 0.005 from y0 = 1, 1.0001, 1.0002, every
                  4th step kept (t = 0..24, the Rust scene's 240 frames at 5 points a frame);
                  t (1201,)
  channels.npz    image (50, 50, 3) uint8: random colours, as channels.rs draws them;
                  left, right, blurred (24, 50, 50, 3) float32: the animated panels (red moves
                  from left to right; blurred = 3x3 binomial blur of left);
                  channels (5, 50, 50) float32: 3x3 filter responses of the image's luminance:
                  luminance, blur, sobel x, sobel y, laplacian
  fooling.npz     image (40, 12, 12), perturbation (40, 12, 12), confidence (40, 5) float32;
                  classes in output order: circle, square, triangle, cross, bar (circle -> square;
                  image[0] is the circle the classifier is surest of, so the switch is mid-run)
  boundary.npz    grid (150, 64, 96) float32 P(class 1) at cell centres, row 0 at the top;
                  extent (4,) = left, right, bottom, top; points (200, 2); labels (200,) int64;
                  loss (150,), accuracy (150,) float32; epoch (150,) int64
  weights.npz     w (60, 6, 8) float32 = |first-layer weights| after each epoch; loss (60,);
                  epoch (60,) int64
  stack.npy       (40, 48, 64) float32: three Gaussian blobs moving over a faint gradient
  walk.npy        (2000, 2) float32: a 2D random walk
"""
import csv
import io
import os
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
F32 = np.float32


def quantize(a, bits=12):
    """Rounds to multiples of 2**-bits (< 1.3e-4 for 12): invisible, but deflate then shrinks the
    float32 bytes by about half."""
    s = float(2**bits)
    return (np.round(np.asarray(a, dtype=np.float64) * s) / s).astype(F32)


def save_npz(name, **arrays):
    """np.savez_compressed, but with a fixed timestamp so reruns give identical bytes."""
    path = os.path.join(HERE, name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for key, a in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(a), allow_pickle=False)
            info = zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, buf.getvalue(), compresslevel=9)
    return path, arrays


class Mlp:
    """The tutorial scenes' tiny network (src/scenes/nn.rs): dense layers with tanh between them,
    softmax cross-entropy, full-batch gradients, Adam."""

    def __init__(self, sizes, rng):
        self.w, self.b = [], []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            limit = np.sqrt(6.0 / (n_in + n_out))
            self.w.append(rng.uniform(-limit, limit, (n_out, n_in)))
            self.b.append(np.zeros(n_out))
        self.m = [(np.zeros_like(w), np.zeros_like(b)) for w, b in zip(self.w, self.b)]
        self.v = [(np.zeros_like(w), np.zeros_like(b)) for w, b in zip(self.w, self.b)]
        self.step = 0

    def forward(self, x):
        acts = [np.asarray(x, dtype=np.float64)]
        for k, (w, b) in enumerate(zip(self.w, self.b)):
            z = acts[-1] @ w.T + b
            acts.append(np.tanh(z) if k + 1 < len(self.w) else z)
        return acts

    @staticmethod
    def softmax(z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def predict(self, x):
        return self.softmax(self.forward(x)[-1])

    def loss(self, xs, ys):
        p = self.predict(xs)
        return float(-np.log(np.maximum(p[np.arange(len(ys)), ys], 1e-12)).mean())

    def accuracy(self, xs, ys):
        return float((self.predict(xs).argmax(axis=1) == ys).mean())

    def _backward(self, acts, delta, into_input=False):
        grads = [None] * len(self.w)
        for k in reversed(range(len(self.w))):
            grads[k] = (delta.T @ acts[k], delta.sum(axis=0))
            if k > 0 or into_input:
                delta = delta @ self.w[k]
                if k > 0:
                    delta = delta * (1.0 - acts[k] ** 2)
        return grads, delta

    def train_step(self, xs, ys, lr):
        """One Adam step on the full batch; returns the loss before the step."""
        acts = self.forward(xs)
        p = self.softmax(acts[-1])
        n = len(ys)
        loss = float(-np.log(np.maximum(p[np.arange(n), ys], 1e-12)).mean())
        delta = p.copy()
        delta[np.arange(n), ys] -= 1.0
        grads, _ = self._backward(acts, delta / n)
        self.step += 1
        b1, b2, eps = 0.9, 0.999, 1e-8
        c1, c2 = 1.0 - b1**self.step, 1.0 - b2**self.step
        for k, (gw, gb) in enumerate(grads):
            for j, (param, g) in enumerate(((self.w[k], gw), (self.b[k], gb))):
                m, v = self.m[k][j], self.v[k][j]
                m *= b1
                m += (1 - b1) * g
                v *= b2
                v += (1 - b2) * g * g
                param -= lr * (m / c1) / (np.sqrt(v / c2) + eps)
        return loss

    def input_gradient(self, x, cls):
        """Gradient of log p(cls | x) with respect to x."""
        acts = self.forward(x[None, :])
        p = self.softmax(acts[-1])
        delta = -p
        delta[0, cls] += 1.0
        _, g = self._backward(acts, delta, into_input=True)
        return g[0]


def sine(frames=100):
    x = np.arange(629) * 0.01
    step = np.arange(frames)
    y = np.sin(x[None, :] + step[:, None] / 10.0)
    return save_npz("sine.npz", x=x.astype(F32), y=y.astype(F32), step=step.astype(np.int64))


def epochs_shown(frames):
    e = list(range(1, 21)) + list(range(25, 201, 5))
    k = 220
    while len(e) < frames:
        e.append(k)
        k += 20
    return e[:frames]


def regression(frames=90, n=50, lr=2e-4):
    rng = np.random.default_rng(0)
    x = np.linspace(0.0, 10.0, n)
    y = x - 2.0 + rng.normal(0.0, 1.0, n)
    shown = epochs_shown(frames)
    w, b = -1.0, 1.0
    log = []
    for epoch in range(1, shown[-1] + 1):
        for xi, yi in zip(x, y):  # per-sample gradient descent, as in the tutorial
            g = 2.0 * (w * xi + b - yi)
            w, b = w - lr * g * xi, b - lr * g
        log.append((epoch, float(((w * x + b - y) ** 2).sum()), w, b))
    with open(os.path.join(HERE, "regression_log.csv"), "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["epoch", "cost", "w", "b"])
        for epoch, cost, w_, b_ in log:
            out.writerow([epoch, f"{cost:.4f}", f"{w_:.6f}", f"{b_:.6f}"])
    rows = [log[e - 1] for e in shown]
    ws = np.array([r[2] for r in rows])
    bs = np.array([r[3] for r in rows])
    return save_npz(
        "regression.npz",
        x=x.astype(F32),
        y=y.astype(F32),
        fits=(ws[:, None] * x[None, :] + bs[:, None]).astype(F32),
        cost=np.array([r[1] for r in rows], dtype=F32),
        epoch=np.array(shown, dtype=np.int64),
        w=ws.astype(F32),
        b=bs.astype(F32),
    )


def lorenz(frames=240, steps_per_frame=20, dt=0.005, keep_every=4):
    def f(p):
        x, y, z = p[:, 0], p[:, 1], p[:, 2]
        return np.stack([10.0 * (y - x), x * (28.0 - z) - y, x * y - 8.0 / 3.0 * z], axis=1)

    steps = frames * steps_per_frame + 1
    p = np.array([[0.0, 1.0, 1.05], [0.0, 1.0001, 1.05], [0.0, 1.0002, 1.05]])
    out = np.empty((steps, 3, 3))
    for k in range(steps):  # RK4, as src/scenes/lorenz.rs
        out[k] = p
        k1 = f(p)
        k2 = f(p + dt / 2 * k1)
        k3 = f(p + dt / 2 * k2)
        k4 = f(p + dt * k3)
        p = p + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    kept = out[::keep_every]
    t = np.arange(0, steps, keep_every) * dt
    a, b, c = (kept[:, i].astype(F32) for i in range(3))
    return save_npz("lorenz.npz", a=a, b=b, c=c, t=t.astype(F32))


def blur3(img):
    """3x3 binomial blur over the first two axes, edges clamped (channels.rs's blur)."""
    pad = np.pad(img, [(1, 1), (1, 1)] + [(0, 0)] * (img.ndim - 2), mode="edge")
    k = np.array([1.0, 2.0, 1.0])
    h, w = img.shape[:2]
    out = np.zeros_like(img, dtype=np.float64)
    for dy in range(3):
        for dx in range(3):
            out += k[dy] * k[dx] * pad[dy : dy + h, dx : dx + w]
    return out / 16.0


def filter3(img, kernel):
    pad = np.pad(img, 1, mode="edge")
    h, w = img.shape
    return sum(
        kernel[dy][dx] * pad[dy : dy + h, dx : dx + w] for dy in range(3) for dx in range(3)
    )


def channels(frames=24, side=50):
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (side, side, 3), dtype=np.uint8)
    rgb = image / 255.0
    red = rgb[:, :, 0]
    t = np.arange(frames) / max(frames - 1, 1)
    left = np.repeat(rgb[None], frames, axis=0)
    left[..., 0] = red[None] * (1.0 - t[:, None, None])
    right = np.zeros_like(left)
    right[..., 0] = red[None] * t[:, None, None]
    blurred = np.stack([blur3(l) for l in left])
    lum = rgb @ np.array([0.299, 0.587, 0.114])
    kernels = [
        [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
        [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16], [1 / 16, 2 / 16, 1 / 16]],
        [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
        [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
        [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    ]
    resp = np.stack([filter3(lum, k) for k in kernels])
    return save_npz(
        "channels.npz",
        image=image,
        left=quantize(left),
        right=quantize(right),
        blurred=quantize(blurred),
        channels=quantize(resp),
    )


SIDE = 12
CLASSES = ["circle", "square", "triangle", "cross", "bar"]


def draw(cls, rng):
    """One 12x12 image of a shape of class `cls` (fooling.rs's draw)."""
    cx, cy = rng.uniform(4.5, 7.5, 2)
    r = rng.uniform(2.6, 4.2)
    yy, xx = np.mgrid[0:SIDE, 0:SIDE] + 0.5
    dx, dy = xx - cx, yy - cy
    inside = [
        np.hypot(dx, dy) <= r,
        (np.abs(dx) <= r * 0.85) & (np.abs(dy) <= r * 0.85),
        (dy <= r * 0.7) & (dy >= -r) & (np.abs(dx) <= (dy + r) * 0.6),
        ((np.abs(dx) <= 0.9) & (np.abs(dy) <= r)) | ((np.abs(dy) <= 0.9) & (np.abs(dx) <= r)),
        (np.abs(dy) <= 1.0) & (np.abs(dx) <= r * 1.3),
    ][min(cls, 4)]
    return (np.where(inside, 0.9, 0.1) + rng.uniform(-0.08, 0.08, (SIDE, SIDE))).ravel()


def fooling(frames=40, step=0.004, source=0, target=1):
    rng = np.random.default_rng(5)
    xs = np.stack([draw(i % 5, rng) for i in range(400)])
    ys = np.arange(400) % 5
    net = Mlp([SIDE * SIDE, 24, len(CLASSES)], rng)
    for _ in range(60):
        net.train_step(xs, ys, 0.01)
    tx = np.stack([draw(i % 5, rng) for i in range(100)])
    accuracy = net.accuracy(tx, np.arange(100) % 5)
    # The circle the network is surest of, out of 50 (fooling.rs takes the first it recognises;
    # with this stream that one is already 19% "square" and flips at step 3, while the Rust
    # scene's test wants the switch mid-animation).
    candidates = np.stack([draw(source, rng) for _ in range(50)])
    original = candidates[net.predict(candidates)[:, source].argmax()]
    x = original.copy()
    images, probs = [x.copy()], [net.predict(x[None])[0]]
    while len(images) < frames:
        x = np.clip(x + step * np.sign(net.input_gradient(x, target)), 0.0, 1.0)
        images.append(x.copy())
        probs.append(net.predict(x[None])[0])
    images = np.stack(images)
    probs = np.stack(probs)
    top = probs.argmax(axis=1)
    switch = int(np.argmax(top == target)) if (top == target).any() else None
    img = images.reshape(-1, SIDE, SIDE)
    path = save_npz(
        "fooling.npz",
        image=img.astype(F32),
        perturbation=(img - img[0]).astype(F32),
        confidence=probs.astype(F32),
    )
    return path, dict(accuracy=accuracy, switch=switch, final=CLASSES[top[-1]])


def moons(n, noise, rng):
    cls = np.arange(n) % 2
    t = rng.random(n) * np.pi
    x = np.where(cls == 0, np.cos(t), 1.0 - np.cos(t))
    y = np.where(cls == 0, np.sin(t), 0.5 - np.sin(t))
    pts = np.stack([x, y], axis=1) + rng.normal(0.0, noise, (n, 2))
    return pts, cls


def boundary(frames=150, grid_wh=(96, 64), xlim=(-1.6, 2.6), ylim=(-1.1, 1.6)):
    pts, labels = moons(200, 0.2, np.random.default_rng(7))
    net = Mlp([2, 16, 16, 2], np.random.default_rng(3))
    w, h = grid_wh
    gx = xlim[0] + (xlim[1] - xlim[0]) * (np.arange(w) + 0.5) / w
    gy = ylim[0] + (ylim[1] - ylim[0]) * (np.arange(h) + 0.5) / h
    gy = gy[::-1]  # row 0 at the top
    cells = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)
    grids, loss, acc = [], [], []
    for _ in range(frames):
        net.train_step(pts, labels, 0.03)
        loss.append(net.loss(pts, labels))
        acc.append(net.accuracy(pts, labels))
        grids.append(net.predict(cells)[:, 1].reshape(h, w))
    return save_npz(
        "boundary.npz",
        grid=quantize(np.stack(grids), bits=10),
        extent=np.array([xlim[0], xlim[1], ylim[0], ylim[1]], dtype=F32),
        points=pts.astype(F32),
        labels=labels.astype(np.int64),
        loss=np.array(loss, dtype=F32),
        accuracy=np.array(acc, dtype=F32),
        epoch=np.arange(1, frames + 1, dtype=np.int64),
    )


def weights(frames=60, n_in=8, hidden=6):
    rng = np.random.default_rng(11)
    centres = 1.5 * rng.normal(0.0, 1.0, (4, n_in))
    ys = np.arange(240) % 4
    xs = centres[ys] + 0.8 * rng.normal(0.0, 1.0, (240, n_in))
    net = Mlp([n_in, hidden, 4], rng)
    snaps, loss = [], []
    for _ in range(frames):
        loss.append(net.train_step(xs, ys, 0.02))
        snaps.append(np.abs(net.w[0]))
    return save_npz(
        "weights.npz",
        w=np.stack(snaps).astype(F32),
        loss=np.array(loss, dtype=F32),
        epoch=np.arange(1, frames + 1, dtype=np.int64),
    )


def stack(frames=40, h=48, w=64):
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    t = np.arange(frames) / frames * 2 * np.pi
    out = np.empty((frames, h, w), dtype=F32)
    for i, ti in enumerate(t):
        img = 0.15 * xx / w  # faint gradient so vmin is not exactly 0
        blobs = [
            (w / 2 + 0.35 * w * np.cos(ti), h / 2 + 0.35 * h * np.sin(ti), 5.0, 1.0),
            (w / 2 + 0.3 * w * np.cos(2 * ti + 1), h / 2 - 0.25 * h * np.sin(ti), 3.5, 0.7),
            (w * (0.1 + 0.8 * i / max(frames - 1, 1)), 0.7 * h, 4.0, -0.5),
        ]
        for cx, cy, s, a in blobs:
            img = img + a * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * s * s))
        out[i] = img
    path = os.path.join(HERE, "stack.npy")
    np.save(path, out)
    return path, {"stack": out}


def walk(n=2000):
    rng = np.random.default_rng(42)
    path_xy = np.cumsum(rng.normal(0.0, 1.0, (n, 2)), axis=0)
    path_xy -= path_xy[0]
    out = path_xy.astype(F32)
    path = os.path.join(HERE, "walk.npy")
    np.save(path, out)
    return path, {"walk": out}


def main():
    total = 0
    results = [sine(), regression(), lorenz(), channels()]
    foolpath, info = fooling()
    results += [foolpath, boundary(), weights(), stack(), walk()]
    for path, arrays in results:
        size = os.path.getsize(path)
        total += size
        shapes = ", ".join(f"{k} {tuple(a.shape)} {a.dtype}" for k, a in arrays.items())
        print(f"{os.path.basename(path):16} {size / 1024:7.1f} KiB  {shapes}")
    csv_size = os.path.getsize(os.path.join(HERE, "regression_log.csv"))
    total += csv_size
    print(f"{'regression_log.csv':16} {csv_size / 1024:7.1f} KiB")
    print(f"fooling: test accuracy {info['accuracy']:.2f}, square on top from step "
          f"{info['switch']}, ends as {info['final']}")
    print(f"total {total / 1024 / 1024:.2f} MiB")


if __name__ == "__main__":
    main()
