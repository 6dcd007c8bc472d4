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

import importlib
from typing import TYPE_CHECKING, Any, List

if TYPE_CHECKING:  # the names below load on first use (PEP 562): see __getattr__
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
    from ._figure import Figure, FuncAnimation, figure, rcParams, subplots
    from ._record import Recorder, record_epoch

try:
    from ._native import __version__  # type: ignore[import-not-found,attr-defined,unused-ignore]
except ImportError:  # pragma: no cover - a source tree without the native module
    __version__ = "0+unknown"

#: Public name → the submodule defining it. Loaded when first used, so that the ``flipbook``
#: command (``python -m flipbook``), which needs none of them, starts without importing numpy.
_WHERE = {
    "Artist": "_artists",
    "AxesImage": "_artists",
    "BarContainer": "_artists",
    "Colorbar": "_artists",
    "Line2D": "_artists",
    "PathCollection": "_artists",
    "Rectangle": "_artists",
    "Text": "_artists",
    "Axes": "_axes",
    "TwinAxes": "_axes",
    "Figure": "_figure",
    "FuncAnimation": "_figure",
    "figure": "_figure",
    "rcParams": "_figure",
    "subplots": "_figure",
    "Recorder": "_record",
    "record_epoch": "_record",
}

__all__ = sorted([*_WHERE, "__version__"])


def __getattr__(name: str) -> Any:
    """Loads a public name from its submodule on first use (PEP 562)."""
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'flipbook' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{where}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(_WHERE))
