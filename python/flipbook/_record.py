"""Recording a figure while it runs: ``fig.record("run.flipbook")`` makes every later
``fig.snap()`` append a frame to a file that ``flipbook view`` follows and ``flipbook export``
reads at any moment.

How it works: at each snap the figure is built as one frame (the scene model, with every data
field in the array table: nothing inlined or shared, so the keys ``@a0``, ``@a1`` … stay the
same from frame to frame). The first snap writes the spec as the recording's header and defines
each array as per-frame, with one frame's shape and dtype; every snap then sends only the arrays
whose values changed since the last frame they were sent (compared with a copy, so arrays
changed in place are noticed). Values given to ``snap(step=..., loss=...)`` become per-frame
numbers for text templates. Nothing accumulates in memory: frames live in the file.

While recording, the figure's structure is fixed at the first snap: between snaps change data
(``set_data``, ``set_ydata``, ``set_offsets`` …), not titles, limits or the set of artists.
Titles that change per frame are templates: ``ax.set_title("epoch {step}: loss {loss:.3f}")``
with ``fig.snap(step=epoch, loss=loss)``.
"""
from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from ._figure import Figure


def _native() -> Any:
    from ._figure import _native as n

    return n()


def _first_difference(a: Any, b: Any, path: str = "") -> str:
    """Where two specs first differ, as a field path."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if a.get(k) != b.get(k):
                return _first_difference(a.get(k), b.get(k), f"{path}.{k}" if path else k)
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path} (now {len(b)} items, {len(a)} when recording started)"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, f"{path}[{i}]")
    return f"{path} ({a!r} when recording started, now {b!r})"


def _le(a: np.ndarray) -> np.ndarray:
    """Little-endian (``tobytes()`` then gives C order)."""
    if a.dtype.byteorder == ">" or (a.dtype.byteorder == "=" and not np.little_endian):
        a = a.astype(a.dtype.newbyteorder("<"))
    return a


class Recorder:
    """Appends a figure's snapped frames to a ``.flipbook`` recording. Made by
    :meth:`Figure.record`; use it as a context manager or call :meth:`close` when the run
    ends (garbage collection closes it too)."""

    def __init__(
        self,
        fig: "Figure",
        path: str,
        show: bool = False,
        viewer_flags: Optional[List[str]] = None,
        keep: Optional[str] = None,
    ) -> None:
        self.figure = fig
        self.path = os.fspath(path)
        self._tcp = self.path.startswith("tcp://")
        if not self._tcp:
            self.path = os.path.expanduser(self.path)
            _folder_must_exist(f"record({path!r})", self.path)
        self._show = show
        self._keep = None if keep is None else os.path.expanduser(keep)
        if self._keep is not None:
            _folder_must_exist(f"record(keep={keep!r})", self._keep)
        self._warned_gone = False
        self._viewer_flags = list(viewer_flags or [])
        self._viewer: Any = None
        self._native: Any = None
        self._spec: Optional[Dict[str, Any]] = None
        self._keys: List[Tuple[str, int, np.dtype, Tuple[int, ...]]] = []
        self._last: Dict[str, bytes] = {}
        #: Array key → the spec field that uses it (for messages).
        self._paths: Dict[str, str] = {}
        self._closed = False
        self._frames = 0

    @property
    def frames(self) -> int:
        """Frames written so far."""
        return self._frames

    def _frame(self, values: Dict[str, float]) -> Tuple[Dict[str, Any], Dict[str, np.ndarray]]:
        spec, arrays = self.figure._build_frame()
        if values:
            spec = dict(spec)
            arrays = dict(arrays)
            fig = dict(spec["figure"])
            spec["figure"] = fig
            var_specs = dict(spec.get("vars", {}))
            for name, v in sorted(values.items()):
                key = "@step" if name == "step" else f"@var:{name}"
                arrays[key] = np.asarray(v, dtype=np.float64)
                if name == "step":
                    fig["step"] = key
                else:
                    var_specs[name] = key
            if var_specs:
                spec["vars"] = var_specs
        return spec, arrays

    def snap(self, values: Dict[str, float]) -> int:
        """Appends the figure as it is now as a frame; returns its index."""
        if self._closed:
            raise ValueError(f"the recording {self.path} is closed; call fig.record() again")
        spec, arrays = self._frame(values)
        if self._native is None:
            return self._start(spec, arrays)
        if spec != self._spec:
            raise ValueError(
                f"the figure changed after recording started, at {_first_difference(self._spec, spec)}; "
                "while recording only data changes between snaps (set_data, set_ydata, "
                "set_offsets, …). Titles that change per frame are templates: "
                "set_title('epoch {step}') with fig.snap(step=epoch)"
            )
        changed = []
        last = self._last
        for key, ident, dtype, shape in self._keys:
            a = arrays[key]
            if a.shape != shape:
                raise ValueError(
                    f"{self._what(key)} changed shape from {shape} to {a.shape} while recording "
                    "(a recording keeps each array's shape)"
                )
            # The bytes as recorded (a copy: arrays changed in place are noticed next time).
            b = _le(a if a.dtype == dtype else a.astype(dtype)).tobytes()
            if b != last[key]:
                last[key] = b
                changed.append((ident, np.frombuffer(b, dtype=np.uint8)))
        index = int(self._native.frame(changed))
        self._frames = index + 1
        self._check_viewer()
        return index

    def _check_viewer(self) -> None:
        """Warns once when the viewer a kept stream went to has gone away."""
        if self._keep is None or self._warned_gone:
            return
        why = self._native.viewer_gone
        if why is not None:
            import warnings

            self._warned_gone = True
            warnings.warn(
                f"the viewer at {self.path} went away ({why}); the run goes on into {self._keep}",
                RuntimeWarning,
                stacklevel=4,
            )

    def _what(self, key: str) -> str:
        """An array key as the user knows it."""
        if key.startswith("@var:"):
            return f"snap({key[5:]}=...)"
        if key == "@step":
            return "snap(step=...)"
        path = self._paths.get(key)
        return f"{key} ({path})" if path else key

    def _start(self, spec: Dict[str, Any], arrays: Dict[str, np.ndarray]) -> int:
        self._paths = _field_paths(spec)
        text = json.dumps(spec, allow_nan=False)
        native = _native().Recorder(self.path, text, self._keep)
        keys = []
        for key in sorted(arrays, key=lambda k: (len(k), k)):
            a = np.asarray(arrays[key])
            if a.dtype.kind not in "biuf":
                raise TypeError(f"{self._what(key)} has dtype {a.dtype}; flipbook records numbers")
            dtype = a.dtype.newbyteorder("=")
            ident = native.add_array(key, dtype.name, list(a.shape), True)
            keys.append((key, ident, dtype, a.shape))
        changed = []
        for key, ident, dtype, _ in keys:
            b = _le(np.asarray(arrays[key], dtype=dtype)).tobytes()
            self._last[key] = b
            changed.append((ident, np.frombuffer(b, dtype=np.uint8)))
        index = int(native.frame(changed))
        self._frames = index + 1
        self._native, self._spec, self._keys = native, spec, keys
        if self._show:
            self._open_viewer()
        return index

    def _open_viewer(self) -> None:
        import sys

        from . import _display

        if self._tcp:
            return  # the viewer listening there shows it
        args = [sys.executable, "-m", "flipbook", "view", self.path, *self._viewer_flags]
        self._viewer = _display.run_viewer(args, False, None)

    def close(self) -> None:
        """Ends the run: writes the end-of-run record (the viewer then says the run ended)."""
        if self._closed:
            return
        self._closed = True
        if self._native is not None:
            self._native.close()

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
        if self.figure._recorder is self:
            self.figure._recorder = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def __repr__(self) -> str:
        state = "closed" if self._closed else "recording"
        return f"<flipbook Recorder {self.path!r}: {self.frames} frames, {state}>"


def _folder_must_exist(what: str, path: str) -> None:
    """Raises ``FileNotFoundError`` naming ``what`` when the folder of ``path`` is missing."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"{what}: the folder {folder} does not exist")


def _field_paths(spec: Any, path: str = "") -> Dict[str, str]:
    """Each array key in a spec → the field path that names it (``panels[0].layers[1].y``)."""
    out: Dict[str, str] = {}
    if isinstance(spec, dict):
        for k, v in spec.items():
            out.update(_field_paths(v, f"{path}.{k}" if path else str(k)))
    elif isinstance(spec, list):
        for i, v in enumerate(spec):
            out.update(_field_paths(v, f"{path}[{i}]"))
    elif isinstance(spec, str) and spec.startswith("@"):
        out[spec] = path
    return out


def _artist_named(fig: "Figure", name: str) -> Any:
    for ax in fig._axes:
        for a in ax._all_artists():
            if a.get_label() == name:
                return a
    return None


def record_epoch(fig: "Figure", epoch: Any, **values: Any) -> int:
    """One training epoch into a figure (recording or not), then ``snap(step=epoch)``.

    Each keyword names an artist by its ``label=`` and gives its new data (a line's y, or
    ``(x, y)``; a scatter's (N, 2) points; an image's array), or, for a name no artist has,
    a number for text templates (``"{loss:.3f}"``). Returns the frame's index::

        line, = ax.plot(x, y0, label="fit")
        ax.set_title("epoch {step}: loss {loss:.4f}")
        fig.record("run.flipbook")
        for epoch in range(100):
            ...
            fb.record_epoch(fig, epoch, fit=model(x), loss=loss)
    """
    from ._artists import AxesImage, Line2D, PathCollection

    snap: Dict[str, float] = {"step": float(epoch)}
    for name, v in values.items():
        artist = _artist_named(fig, name)
        if artist is None:
            if np.ndim(v) == 0:
                snap[name] = float(v)
                continue
            labels = sorted(
                str(a.get_label()) for ax in fig._axes for a in ax._all_artists() if a.get_label()
            )
            raise KeyError(
                f"record_epoch({name}=...): no artist is labelled {name!r} (labels: "
                f"{', '.join(labels) or 'none'}); give label= when plotting, or a number for "
                "a text template"
            )
        if isinstance(artist, Line2D):
            if isinstance(v, tuple) and len(v) == 2:
                artist.set_data(*v)
            else:
                artist.set_ydata(v)
        elif isinstance(artist, PathCollection):
            artist.set_offsets(v)
        elif isinstance(artist, AxesImage):
            artist.set_data(v)
        else:
            raise TypeError(
                f"record_epoch({name}=...): {type(artist).__name__} takes its data through its "
                "own set_* methods"
            )
    return fig.snap(**snap)
