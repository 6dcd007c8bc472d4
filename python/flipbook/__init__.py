"""flipbook: animate numpy arrays with matplotlib's vocabulary.

Watch them in a viewer, scrub a timeline, and save GIF, MP4, WebM, APNG, PNG frames or an HTML
player, drawn by flipbook's Rust library::

    import numpy as np
    import flipbook as fb

    x = np.linspace(0, 2 * np.pi, 200)
    Y = np.sin(x[None, :] + np.arange(100)[:, None] / 10)   # (T, N): one row per frame

    fig, ax = fb.subplots()
    ax.plot(x, np.cos(x), label="cos(x)")                  # (N,): the same in every frame
    ax.plot(x, Y, "C1", label="sin(x + i/10)")
    ax.set_title("frame {frame}")                           # a template, filled per frame
    ax.legend()
    fig.save("sine.gif")

**The one rule for time.** A data argument whose array has one more leading axis than one frame
needs is per-frame (axis 0 is the frame); otherwise it is the same in every frame. A line needs
(N,) per frame, so (T, N) is per-frame; an image needs (H, W) or (H, W, 3|4), so (T, H, W) is.
All per-frame arguments share T. Axis and colour limits are computed over all frames, so nothing
jumps during playback.

**Step by step.** As with matplotlib's ``FuncAnimation`` or celluloid: change artists with
``set_data``/``set_ydata``/``set_offsets``/``set_array``/``set_text``/``set_heights`` and call
``fig.snap()`` after each frame (or ``fig.animate(update, frames)``). Fields that never changed are
stored once.

**Text** takes templates: ``{frame}``, ``{frames}``, ``{step}`` (``fig.set_steps(epochs)``), and
values you name with ``fig.set_vars(loss=losses)`` or per frame with ``fig.snap(loss=value)``,
formatted like Python's ``{loss:.3f}``, ``{acc:.1%}``, ``{step:d}``; ``{{`` is a brace. A list of
strings gives one per frame.

Figures are built into flipbook's scene-file model (``fig.to_spec()``, ``fig.to_scene(path)``), the
same model ``flipbook export scene.toml`` reads.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple

from ._artists import (
    Artist,
    AxesImage,
    BarContainer,
    Colorbar,
    Line2D,
    PathCollection,
    Rectangle,
    Text,
)
from ._axes import Axes, TwinAxes
from ._figure import Figure, FuncAnimation, rcParams
from ._record import Recorder, record_epoch
from ._util import checked

try:
    from ._native import __version__  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a source tree without the native module
    __version__ = "0+unknown"

__all__ = [
    "Artist",
    "Axes",
    "AxesImage",
    "BarContainer",
    "Colorbar",
    "Figure",
    "FuncAnimation",
    "Line2D",
    "PathCollection",
    "Recorder",
    "Rectangle",
    "Text",
    "TwinAxes",
    "__version__",
    "figure",
    "rcParams",
    "record_epoch",
    "subplots",
]


@checked
def figure(
    figsize: Optional[Sequence[float]] = None,
    dpi: Optional[float] = None,
    fps: Optional[float] = None,
    *,
    steps: Any = None,
    frames: Optional[int] = None,
    facecolor: Any = None,
) -> Figure:
    """A new figure (``plt.figure``): ``figsize`` in inches (default 6.4 x 4.8), ``dpi``
    (default 100; ``figsize`` x ``dpi`` is the pixel size), ``fps`` (default 20).

    ``steps`` sets ``{step}`` for text templates, one number per frame (see
    :meth:`Figure.set_steps`); ``frames`` sets the frame count of a figure with no per-frame data
    (a static picture with a ``{frame}`` counter, say); ``facecolor`` is the background.
    """
    return Figure(figsize, dpi, fps, steps=steps, frames=frames, facecolor=facecolor)


@checked
def subplots(
    nrows: int = 1,
    ncols: int = 1,
    *,
    figsize: Optional[Sequence[float]] = None,
    dpi: Optional[float] = None,
    fps: Optional[float] = None,
    steps: Any = None,
    frames: Optional[int] = None,
    facecolor: Any = None,
    squeeze: bool = True,
    subplot_kw: Optional[dict] = None,
) -> Tuple[Figure, Any]:
    """A new figure and a grid of axes (``plt.subplots``): returns ``(fig, ax)`` for 1x1, else
    ``(fig, axs)`` with a numpy array of axes. Keywords as :func:`figure` and
    :meth:`Figure.subplots`."""
    fig = Figure(figsize, dpi, fps, steps=steps, frames=frames, facecolor=facecolor)
    return fig, fig.subplots(nrows, ncols, squeeze=squeeze, subplot_kw=subplot_kw)
