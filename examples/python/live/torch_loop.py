"""A PyTorch-style training loop recorded live: a two-layer network learns two moons, and
every epoch appends its decision scores (an image), the hidden layer's weights (a heatmap)
and the data to ``run.flipbook``. numpy only; with PyTorch the loop is the same, with
``.detach().numpy()`` on what is recorded.

    python torch_loop.py [run.flipbook] [--show]
    flipbook view run.flipbook                 # follow it live, scrub back, return to live
    flipbook export run.flipbook -o run.mp4    # export the epochs so far at any moment
"""
import sys

import numpy as np

import flipbook as fb


def moons(n, rng):
    t = rng.uniform(0, np.pi, n)
    top = np.stack([np.cos(t), np.sin(t)], 1)
    bottom = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], 1)
    x = np.concatenate([top, bottom]) + rng.normal(0, 0.1, (2 * n, 2))
    return x, np.concatenate([np.zeros(n), np.ones(n)])


def main(argv):
    path = next((a for a in argv if not a.startswith("--")), "run.flipbook")
    rng = np.random.default_rng(1)
    x, y = moons(200, rng)
    hidden = 16
    w1, b1 = rng.normal(0, 1, (2, hidden)), np.zeros(hidden)
    w2, b2 = rng.normal(0, 1, hidden), 0.0
    gx, gy = np.meshgrid(np.linspace(-1.5, 2.5, 64), np.linspace(-1, 1.5, 40))
    grid = np.stack([gx.ravel(), gy.ravel()], 1)

    def forward(p):
        h = np.tanh(p @ w1 + b1)
        return h, 1 / (1 + np.exp(-(h @ w2 + b2)))

    fig, (ax, wax) = fb.subplots(1, 2, figsize=(10, 4), fps=20)
    ax.imshow(forward(grid)[1].reshape(gx.shape), cmap="RdBu_r", vmin=0, vmax=1,
              extent=(-1.5, 2.5, -1, 1.5), origin="lower").set_label("scores")
    ax.scatter(x[:, 0], x[:, 1], c=y, cmap="RdBu_r", s=8)
    ax.set_title("epoch {step}: accuracy {acc:.1%}")
    wax.imshow(w1, cmap="viridis").set_label("weights")  # record_epoch finds artists by label
    wax.set_title("hidden weights, loss {loss:.3f}")
    recorder = fig.record(path, show="--show" in argv)

    lr, epochs = 0.5, 200
    for epoch in range(epochs):          # for epoch in range(epochs):
        h, p = forward(x)                #     out = model(x)
        loss = float(-np.mean(y * np.log(p + 1e-9) + (1 - y) * np.log(1 - p + 1e-9)))
        d = (p - y) / len(x)             #     loss.backward(); opt.step()
        dh = np.outer(d, w2) * (1 - h**2)
        w2 -= lr * h.T @ d
        b2 -= lr * d.sum()
        w1 -= lr * x.T @ dh
        b1 -= lr * dh.sum(0)
        acc = float(np.mean((p > 0.5) == y))
        fb.record_epoch(fig, epoch, scores=forward(grid)[1].reshape(gx.shape),
                        weights=w1, loss=loss, acc=acc)
    recorder.close()
    print(f"recorded {recorder.frames} epochs to {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
