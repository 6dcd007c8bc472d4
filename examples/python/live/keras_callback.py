"""Watch a model train while it trains: a Keras-style callback records every epoch to a
``.flipbook`` file that ``flipbook view`` follows live and ``flipbook export`` reads at any
moment. numpy only: ``TinyModel`` stands in for a ``keras.Model`` (``fit`` calls each callback's
``on_epoch_end(epoch, logs)`` as Keras does); with Keras, subclass ``keras.callbacks.Callback``.

    python keras_callback.py [run.flipbook] [--show]
    flipbook view run.flipbook                    # follow it (another terminal)
    flipbook export run.flipbook -o run.gif       # the epochs so far, while it trains
"""
import sys

import numpy as np

import flipbook as fb


class TinyModel:
    """A polynomial fitted by gradient descent, with Keras' ``fit(..., callbacks=)`` shape."""

    def __init__(self, degree=5, lr=0.3):
        self.w = np.zeros(degree + 1)
        self.lr = lr

    def features(self, x):
        return np.stack([x**k for k in range(len(self.w))], axis=1)

    def predict(self, x):
        return self.features(x) @ self.w

    def fit(self, x, y, epochs, callbacks=()):
        f = self.features(x)
        for cb in callbacks:
            cb.model = self
        for epoch in range(epochs):
            err = f @ self.w - y
            self.w -= self.lr * f.T @ err / len(x)
            logs = {"loss": float(np.mean(err**2))}
            for cb in callbacks:
                cb.on_epoch_end(epoch, logs)
        for cb in callbacks:
            cb.on_train_end()


class FlipbookCallback:  # class FlipbookCallback(keras.callbacks.Callback): with Keras
    """Records the fit and the loss curve at the end of every epoch."""

    def __init__(self, path, x, y, epochs, show=False):
        self.x, self.epochs = x, epochs
        self.fig, (ax, loss_ax) = fb.subplots(1, 2, figsize=(9, 3.6), fps=15)
        ax.scatter(x, y, s=12, color="gray", label="data")
        ax.plot(x, np.zeros_like(x), "C1", lw=2, label="model")
        ax.set_ylim(-1.6, 1.6)
        ax.legend(loc="upper right")
        ax.set_title("epoch {step}")
        self.losses = np.full(epochs, np.nan)  # the curve so far; NaN draws nothing
        loss_ax.plot(np.arange(epochs), self.losses, "C0", label="history")
        loss_ax.set_xlabel("epoch")
        loss_ax.set_title("loss {loss:.4f}")
        self.recorder = self.fig.record(path, show=show)

    def on_epoch_end(self, epoch, logs=None):
        self.losses[epoch] = logs["loss"]
        # Artists by label get new data; a number fills the "{loss}" templates.
        fb.record_epoch(self.fig, epoch, model=self.model.predict(self.x),
                        history=self.losses, loss=logs["loss"])

    def on_train_end(self, logs=None):
        self.recorder.close()  # the viewer now says the run ended


def main(argv):
    path = next((a for a in argv if not a.startswith("--")), "run.flipbook")
    rng = np.random.default_rng(0)
    x = np.linspace(-1, 1, 60)
    y = np.sin(3 * x) + rng.normal(0, 0.1, x.shape)
    epochs = 300
    cb = FlipbookCallback(path, x, y, epochs, show="--show" in argv)
    TinyModel().fit(x, y, epochs=epochs, callbacks=[cb])
    print(f"recorded {cb.recorder.frames} epochs to {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
