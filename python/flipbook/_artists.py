"""What axes draw: lines, scatters, images, bars and text, each holding data fields.

How it works: an artist keeps the current value of each data field (``x``, ``y``, ``data`` …) as
given, with no copy. ``Figure.snap()`` records every field's current value (a copy, shared with
the previous frame's record when nothing changed), so after T snaps each field has T records.
When the figure is built, a field whose records are all the same object stays static (stored
once); one that changed is stacked into a ``(T, ...)`` array, which the scene model's one time
rule then reads as per-frame. Lines and scatters may change their number of points between
frames: shorter frames are padded with NaN, which draws nothing. Frames in which an artist did not
exist yet (created after the first snap) or was hidden (``set_visible(False)``, ``remove()``)
hold NaN data or empty text, so it is not drawn there.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _util as u
from ._util import IMAGE, SCALAR, VECTOR, VECTOR_OR_SCALAR, checked, fmt_shape

if TYPE_CHECKING:  # pragma: no cover
    from ._axes import Axes
    from ._build import Build
    from ._figure import Figure

#: Stands for "not drawn in this frame" while a field's frames are stacked.
_HIDDEN = object()


class _Field:
    """One data field of an artist: its current value and its value at every snapped frame."""

    __slots__ = ("value", "dirty", "records")

    def __init__(self, value: Any) -> None:
        self.value = value
        self.dirty = True
        self.records: List[Any] = []

    def snap(self) -> None:
        if not self.records:
            rec = u.copy_value(self.value)
        elif not self.dirty:
            rec = self.records[-1]
        else:
            last = self.records[-1]
            rec = last if u.same_value(last, self.value) else u.copy_value(self.value)
        self.records.append(rec)
        self.dirty = False


class Artist:
    """Base of everything axes draw. Data fields follow the one time rule; other properties
    (colours, labels, styles) are the same in every frame, the last value set winning."""

    _kind = ""
    #: The field that hides the artist in frames it is not drawn in.
    _key = ""
    #: Data fields and the shape one frame of each needs.
    _ranks: Dict[str, str] = {}
    #: Fields whose length (points) may differ between snapped frames.
    _ragged: Tuple[str, ...] = ()

    def __init__(self, axes: "Axes", method: str) -> None:
        self.axes = axes
        self.figure: "Figure" = axes.figure
        self._method = method
        self._fields: Dict[str, _Field] = {}
        self._born = self.figure._snaps
        self._visible = True
        self._visible_records: List[bool] = []
        self._label: Optional[str] = None

    # -- names for errors ---------------------------------------------------------------------

    def _describe(self) -> str:
        kind = type(self).__name__
        if self._label and not self._label.startswith("_"):
            return f"{kind} {self._label!r}"
        where = self.axes._describe()
        for k, a in enumerate(self.axes._artists):
            if a is self:
                return f"{kind} #{k} ({self._method}) on {where}"
        return f"{kind} ({self._method}) on {where}"

    def __repr__(self) -> str:
        return f"<flipbook {self._describe()}>"

    # -- data -------------------------------------------------------------------------------

    def _array(self, value: Any, name: str) -> Optional[np.ndarray]:
        if value is None:
            return None
        return u.to_array(value, name, self._describe())

    def _set(self, method: str, **values: Any) -> None:
        """Replaces data fields after checking them together with the others."""
        current = {n: f.value for n, f in self._fields.items()}
        current.update(values)
        self._check(current)
        if self.figure._snaps > self._born:
            for n, v in values.items():
                self._check_compatible(method, n, v)
        before = {n: (self._fields[n].value, self._fields[n].dirty) for n in values if n in self._fields}
        for n, v in values.items():
            f = self._fields.get(n)
            if f is None:
                self._fields[n] = _Field(v)
            else:
                f.value = v
                f.dirty = True
        self.figure._touch()
        try:
            self.figure._check_time()
        except ValueError:
            for n in values:
                if n in before:
                    self._fields[n].value, self._fields[n].dirty = before[n]
                else:
                    del self._fields[n]
            raise

    def _check(self, values: Dict[str, Any]) -> None:
        """Checks each field's rank and that fields agree; subclasses add their rules."""
        for n, v in values.items():
            rank = self._ranks.get(n)
            if rank is not None and isinstance(v, np.ndarray):
                u.split_time(v, rank, n, self._describe())

    def _check_compatible(self, method: str, name: str, value: Any) -> None:
        """In step-by-step mode a field keeps its kind of shape from frame to frame."""
        f = self._fields.get(name)
        if f is None or not f.records:
            if value is not None and self.figure._snaps > self._born:
                raise ValueError(
                    f"{self._describe()}: {method}() sets {name}, which the frames snapped so far "
                    f"did not have; give {name} when the artist is created"
                )
            return
        last = f.records[-1]
        if last is None and value is None:
            return
        if last is None:
            raise ValueError(
                f"{self._describe()}: {method}() sets {name}, which the frames snapped so far "
                f"did not have; give {name} when the artist is created"
            )
        if value is None:
            raise ValueError(
                f"{self._describe()}: {method}() clears {name}, which the frames snapped so far "
                f"had"
            )
        rank = self._ranks.get(name)
        if rank is None or not isinstance(last, np.ndarray) or not isinstance(value, np.ndarray):
            return
        old = last.shape
        new = value.shape
        if name in self._ragged:
            ok = len(old) == len(new) and old[1:] == new[1:]
        elif rank == VECTOR_OR_SCALAR:
            ok = len(new) == 0 or len(old) == 0 or old == new
        else:
            ok = old == new
        if not ok:
            raise ValueError(
                f"{self._describe()}: {method}() got {name} of shape {fmt_shape(new)}, but the "
                f"frames snapped so far have {name} of shape {fmt_shape(old)}"
                + (" (the number of points may change, not the rest)" if name in self._ragged else "")
            )

    def _agree_n(self, values: Dict[str, Any], names: Sequence[str]) -> Optional[int]:
        """Checks that the named vector fields have the same length per frame and the same T
        among themselves; returns that length."""
        owner = self._describe()
        first: Optional[Tuple[str, np.ndarray, int]] = None
        first_t: Optional[Tuple[str, np.ndarray, int]] = None
        for n in names:
            v = values.get(n)
            if not isinstance(v, np.ndarray):
                continue
            rank = self._ranks[n]
            per_frame, shape = u.split_time(v, rank, n, owner)
            if not shape:  # a scalar (s=36): broadcast
                continue
            if first is None:
                first = (n, v, shape[0])
            elif shape[0] != first[2]:
                raise ValueError(
                    f"{owner}: {n} has {shape[0]} values per frame (shape {fmt_shape(v.shape)}) "
                    f"but {first[0]} has {first[2]} (shape {fmt_shape(first[1].shape)})"
                )
            if per_frame:
                if first_t is None:
                    first_t = (n, v, v.shape[0])
                elif v.shape[0] != first_t[2]:
                    raise ValueError(
                        f"{owner}: {n} has {v.shape[0]} frames (shape {fmt_shape(v.shape)}) but "
                        f"{first_t[0]} has {first_t[2]} (shape {fmt_shape(first_t[1].shape)})"
                    )
        return first[2] if first else None

    # -- matplotlib-style properties --------------------------------------------------------

    @checked
    def set_visible(self, visible: bool) -> None:
        """Shows or hides the artist. In step-by-step mode this applies from the current frame:
        frames snapped while hidden do not draw it."""
        self._visible = bool(visible)
        self.figure._touch()

    def get_visible(self) -> bool:
        """Whether the artist is drawn (in the frame being built)."""
        return self._visible

    def remove(self) -> None:
        """Removes the artist. Frames already snapped keep it; later frames do not draw it."""
        if self.figure._snaps > self._born:
            self._visible = False
        else:
            self.axes._artists.remove(self)
        self.figure._touch()

    @checked
    def set_label(self, label: Optional[str]) -> None:
        """Sets the legend text (labels starting with ``_`` are left out of the legend)."""
        self._label = None if label is None else str(label)
        self.figure._touch()

    def get_label(self) -> Optional[str]:
        """The legend text."""
        return self._label

    # -- snapping and building ----------------------------------------------------------------

    def _snap(self) -> None:
        for f in self._fields.values():
            f.snap()
        self._visible_records.append(self._visible)

    def _resolve(self, snaps: int) -> Optional[Dict[str, Any]]:
        """Each field's value for the figure: the current value without snaps; with snaps, the
        one shared value or the frames stacked. ``None`` when the artist is never drawn."""
        if snaps == 0:
            if not self._visible:
                return None
            return {n: f.value for n, f in self._fields.items()}
        born = min(self._born, snaps)
        recorded = self._visible_records[: snaps - born]
        vis = [False] * born + recorded
        if not any(vis):
            return None
        out: Dict[str, Any] = {}
        for n, f in self._fields.items():
            recs = f.records[: snaps - born]
            seq: List[Any] = []
            for k in range(snaps):
                if n == self._key and not vis[k]:
                    seq.append(_HIDDEN)
                elif k < born:
                    seq.append(recs[0])
                else:
                    seq.append(recs[k - born])
            if all(s is seq[0] for s in seq):
                out[n] = seq[0]
            else:
                out[n] = self._stack(n, seq, out)
        return out

    def _stack(self, name: str, seq: List[Any], done: Dict[str, Any]) -> Any:
        """One field's per-frame values as one (T, ...) array."""
        owner = self._describe()
        shown = [s for s in seq if s is not _HIDDEN]
        if any(s is None for s in shown):
            raise ValueError(
                f"{owner}: {name} is given in some snapped frames and not in others"
            )
        rank = self._ranks[name]
        for s in shown:
            per_frame, _ = u.split_time(s, rank, name, owner)
            if per_frame:
                raise ValueError(
                    f"{owner}: {name} was given for every frame at once (shape "
                    f"{fmt_shape(s.shape)}) and also changed between snapped frames; in "
                    f"step-by-step mode give one frame's {name} to each set_*() call"
                )
        shapes = {s.shape for s in shown}
        ragged = name in self._ragged and len({sh[1:] for sh in shapes}) == 1
        if len(shapes) > 1 and not ragged:
            a, b = sorted(shapes)[:2]
            raise ValueError(
                f"{owner}: {name} changes shape between snapped frames: {fmt_shape(a)} and "
                f"{fmt_shape(b)}"
            )
        dtype = np.result_type(*shown)
        shape = max(shapes, key=lambda sh: sh[0] if sh else 0)
        need_nan = len(shapes) > 1 or len(shown) < len(seq)
        if need_nan and dtype.kind != "f":
            dtype = np.dtype(np.float64)
        out = np.full((len(seq),) + shape, np.nan if need_nan else 0, dtype=dtype)
        for k, s in enumerate(seq):
            if s is not _HIDDEN:
                out[(k,) + tuple(slice(0, d) for d in s.shape)] = s
        return out

    def _time_fields(self, values: Dict[str, Any]) -> Iterator[Tuple[str, Tuple[int, ...], int]]:
        """The per-frame fields among ``values``: (name, shape, T)."""
        owner = self._describe()
        for n, v in values.items():
            rank = self._ranks.get(n)
            if rank is not None and isinstance(v, np.ndarray):
                per_frame, _ = u.split_time(v, rank, n, owner)
                if per_frame:
                    yield n, v.shape, v.shape[0]

    def _grows(self, values: Dict[str, Any]) -> Optional[int]:
        """The frame count a growing artist implies (its number of points), else None."""
        return None

    def _layer(self, values: Dict[str, Any], b: "Build") -> Dict[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def _legend_label(self, b: "Build") -> Optional[str]:
        label = self._label
        if label is None or label.startswith("_"):
            return None
        handles = self.axes._main()._legend_handles
        if handles is not None and self not in handles:
            return None
        return label


def _put(d: Dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        d[key] = value


class _Translucent:
    """``set_alpha`` for artists drawn with one opacity."""

    _alpha: Optional[float]
    figure: "Figure"
    _describe: Callable[[], str]  # Artist's, which these mixins come before

    @checked
    def set_alpha(self, alpha: Optional[float]) -> None:
        """Sets the opacity, 0..1 (all frames)."""
        self._alpha = None if alpha is None else u.number(alpha, "alpha", self._describe())
        self.figure._touch()


class _ColorMapped(_Translucent):
    """``set_clim``/``set_cmap`` for artists whose values go through a colormap."""

    _vmin: Optional[float]
    _vmax: Optional[float]
    _cmap: Optional[str]

    @checked
    def set_clim(self, vmin: Optional[float] = None, vmax: Optional[float] = None) -> None:
        """Sets the values at the colormap's ends (default: the data's range over all frames)."""
        owner = self._describe()
        self._vmin = None if vmin is None else u.number(vmin, "vmin", owner)
        self._vmax = None if vmax is None else u.number(vmax, "vmax", owner)
        self.figure._touch()

    @checked
    def set_cmap(self, cmap: str) -> None:
        """Sets the colormap (a matplotlib name such as ``"viridis"`` or ``"RdBu_r"``)."""
        self._cmap = str(cmap)
        self.figure._touch()


class Line2D(_Translucent, Artist):
    """A line (``ax.plot``): ``y`` over ``x`` (default its index), and ``z`` in 3D axes. Each of
    x, y, z is (N,) for one frame or (T, N) for one row per frame."""

    _kind = "line"
    _key = "y"
    _ranks = {"x": VECTOR, "y": VECTOR, "z": VECTOR}
    _ragged = ("x", "y", "z")

    def __init__(self, axes: "Axes", method: str = "plot") -> None:
        super().__init__(axes, method)
        self._fmt: Optional[str] = None
        self._color: Any = None
        self._linewidth: Optional[float] = None
        self._linestyle: Optional[str] = None
        self._marker: Optional[str] = None
        self._markersize: Optional[float] = None
        self._alpha: Optional[float] = None
        self._grow = False
        self._head: Optional[str] = None
        self._trail: Optional[float] = None

    def _check(self, values: Dict[str, Any]) -> None:
        super()._check(values)
        self._agree_n(values, ("x", "y", "z"))
        if values.get("z") is not None and not self.axes._three_d:
            raise ValueError(
                f"{self._describe()}: z values need 3D axes: fig.add_subplot(projection='3d')"
            )

    @checked
    def set_data(self, *args: Any) -> None:
        """Sets x and y: ``set_data(x, y)`` or ``set_data(xy)`` with xy of shape (2, N)."""
        if len(args) == 1:
            x, y = np.asarray(args[0])
        elif len(args) == 2:
            x, y = args
        else:
            raise TypeError(f"set_data() takes x, y or one (2, N) array, got {len(args)} arguments")
        self._set("set_data", x=self._array(x, "x"), y=self._array(y, "y"))

    @checked
    def set_xdata(self, x: Any) -> None:
        """Sets x: (N,) for this frame, or (T, N) for every frame."""
        self._set("set_xdata", x=self._array(x, "x"))

    @checked
    def set_ydata(self, y: Any) -> None:
        """Sets y: (N,) for this frame, or (T, N) for every frame."""
        self._set("set_ydata", y=self._array(y, "y"))

    @checked
    def set_data_3d(self, x: Any, y: Any, z: Any) -> None:
        """Sets x, y and z of a 3D line."""
        self._set("set_data_3d", x=self._array(x, "x"), y=self._array(y, "y"), z=self._array(z, "z"))

    @checked
    def set_3d_properties(self, zs: Any = 0) -> None:
        """Sets z of a 3D line (after ``set_data(x, y)``, as matplotlib's)."""
        z = self._array(zs, "zs")
        y = self._fields["y"].value
        if z is not None and z.ndim == 0 and isinstance(y, np.ndarray):
            z = np.full(y.shape, float(z))
        self._set("set_3d_properties", z=z)

    def get_xdata(self) -> Optional[np.ndarray]:
        """The current x values (``None``: the index)."""
        f = self._fields.get("x")
        return None if f is None else f.value

    def get_ydata(self) -> np.ndarray:
        """The current y values."""
        return self._fields["y"].value

    def get_data(self) -> Tuple[Optional[np.ndarray], np.ndarray]:
        """The current (x, y)."""
        return self.get_xdata(), self.get_ydata()

    @checked
    def set_color(self, color: u.ColorLike) -> None:
        """Sets the colour (all frames)."""
        self._color = u.color(color, "color", self._describe())
        self.figure._touch()

    @checked
    def set_linewidth(self, w: float) -> None:
        """Sets the width in points (all frames)."""
        self._linewidth = u.number(w, "linewidth", self._describe())
        self.figure._touch()

    def _grows(self, values: Dict[str, Any]) -> Optional[int]:
        if not self._grow:
            return None
        y = values.get("y")
        return int(y.shape[-1]) if isinstance(y, np.ndarray) and y.ndim else None

    def _layer(self, values: Dict[str, Any], b: "Build") -> Dict[str, Any]:
        d: Dict[str, Any] = {"kind": "line"}
        for n in ("x", "y", "z"):
            if values.get(n) is not None:
                d[n] = b.data(values[n])
        _put(d, "fmt", self._fmt)
        _put(d, "color", self._color)
        _put(d, "linewidth", self._linewidth)
        _put(d, "linestyle", self._linestyle)
        _put(d, "marker", self._marker)
        _put(d, "markersize", self._markersize)
        _put(d, "alpha", self._alpha)
        _put(d, "label", self._legend_label(b))
        if self._grow:
            d["grow"] = True
        _put(d, "head", self._head)
        _put(d, "trail", self._trail)
        return d


class PathCollection(_ColorMapped, Artist):
    """Markers at points (``ax.scatter``): x, y (and z in 3D), optional per-point values ``c``
    through a colormap and sizes ``s`` (marker areas in points²)."""

    _kind = "scatter"
    _key = "y"
    _ranks = {"x": VECTOR, "y": VECTOR, "z": VECTOR, "c": VECTOR, "s": VECTOR_OR_SCALAR}
    _ragged = ("x", "y", "z", "c", "s")

    def __init__(self, axes: "Axes", method: str = "scatter") -> None:
        super().__init__(axes, method)
        self._color: Any = None
        self._marker: Optional[str] = None
        self._cmap: Optional[str] = None
        self._vmin: Optional[float] = None
        self._vmax: Optional[float] = None
        self._alpha: Optional[float] = None
        self._grow = False

    def _check(self, values: Dict[str, Any]) -> None:
        super()._check(values)
        self._agree_n(values, ("x", "y", "z", "c", "s"))
        if values.get("z") is not None and not self.axes._three_d:
            raise ValueError(
                f"{self._describe()}: z values need 3D axes: fig.add_subplot(projection='3d')"
            )

    @checked
    def set_offsets(self, offsets: Any) -> None:
        """Sets the positions: (N, 2) or (N, 3) for this frame, (T, N, 2|3) for every frame."""
        a = u.to_array(offsets, "offsets", self._describe())
        if a.ndim not in (2, 3) or a.shape[-1] not in (2, 3):
            raise ValueError(
                f"{self._describe()}: set_offsets() needs (N, 2) or (N, 3) points, or (T, N, 2|3) "
                f"for every frame; got shape {fmt_shape(a.shape)}"
            )
        cols = {"x": a[..., 0], "y": a[..., 1]}
        if a.shape[-1] == 3:
            cols["z"] = a[..., 2]
        self._set("set_offsets", **cols)

    def get_offsets(self) -> np.ndarray:
        """The current positions as (N, 2) (or (N, 3) in 3D)."""
        cols = [self._fields[n].value for n in ("x", "y", "z") if self._fields.get(n) and self._fields[n].value is not None]
        return np.stack(cols, axis=-1)

    @checked
    def set_array(self, c: Any) -> None:
        """Sets the values mapped through the colormap: (N,) or (T, N)."""
        self._set("set_array", c=self._array(c, "c"))

    @checked
    def set_sizes(self, s: Any) -> None:
        """Sets the marker areas in points²: a number, (N,) or (T, N)."""
        self._set("set_sizes", s=self._array(s, "s"))

    @checked
    def set_color(self, color: u.ColorLike) -> None:
        """Sets one colour for every point (all frames)."""
        self._color = u.color(color, "color", self._describe())
        self.figure._touch()

    def _stack(self, name: str, seq: List[Any], done: Dict[str, Any]) -> Any:
        if name == "s":
            # A size given as one number per frame becomes one per point.
            y = self._fields["y"]
            born = min(self._born, len(seq))
            recs = y.records
            out = []
            for k, s in enumerate(seq):
                if s is not _HIDDEN and isinstance(s, np.ndarray) and s.ndim == 0:
                    yk = recs[max(k - born, 0)]
                    s = np.full(yk.shape[:1], float(s))
                out.append(s)
            seq = out
        return super()._stack(name, seq, done)

    def _grows(self, values: Dict[str, Any]) -> Optional[int]:
        if not self._grow:
            return None
        y = values.get("y")
        return int(y.shape[-1]) if isinstance(y, np.ndarray) and y.ndim else None

    def _layer(self, values: Dict[str, Any], b: "Build") -> Dict[str, Any]:
        d: Dict[str, Any] = {"kind": "scatter"}
        for n in ("x", "y", "z", "c", "s"):
            if values.get(n) is not None:
                d[n] = b.data(values[n])
        _put(d, "color", self._color)
        _put(d, "marker", self._marker)
        _put(d, "cmap", self._cmap)
        _put(d, "vmin", self._vmin)
        _put(d, "vmax", self._vmax)
        _put(d, "alpha", self._alpha)
        _put(d, "label", self._legend_label(b))
        if self._grow:
            d["grow"] = True
        return d


class AxesImage(_ColorMapped, Artist):
    """An image (``ax.imshow``): (H, W) values through a colormap or (H, W, 3|4) RGB(A), uint8
    or floats in 0..1; a leading T makes it one image per frame."""

    _kind = "image"
    _key = "data"
    _ranks = {"data": IMAGE}

    def __init__(self, axes: "Axes", method: str = "imshow") -> None:
        super().__init__(axes, method)
        self._cmap: Optional[str] = None
        self._vmin: Optional[float] = None
        self._vmax: Optional[float] = None
        self._interpolation: Optional[str] = None
        self._extent: Optional[List[float]] = None
        self._annotate: Optional[str] = None
        self._colorbar: Union[None, bool, str] = None
        self._alpha: Optional[float] = None

    @checked
    def set_data(self, A: Any) -> None:
        """Sets the pixels: one image, or one per frame with a leading T."""
        self._set("set_data", data=self._array(A, "A"))

    @checked
    def set_array(self, A: Any) -> None:
        """Same as :meth:`set_data`."""
        self._set("set_array", data=self._array(A, "A"))

    def get_array(self) -> np.ndarray:
        """The current pixels."""
        return self._fields["data"].value

    @checked
    def set_interpolation(self, s: str) -> None:
        """``"nearest"`` or ``"bilinear"``."""
        self._interpolation = str(s)
        self.figure._touch()

    def _stack(self, name: str, seq: List[Any], done: Dict[str, Any]) -> Any:
        shown = [s for s in seq if s is not _HIDDEN]
        if shown and all(isinstance(s, np.ndarray) and s.ndim == 2 and s.shape[1] in (3, 4) for s in shown):
            w = shown[0].shape[1]
            raise ValueError(
                f"{self._describe()}: images {w} pixels wide that change per frame would stack "
                f"to (T, H, {w}), which reads as one RGB(A) image; give them as floats in an "
                f"(H, W, 3) RGB array or widen them"
            )
        if len(shown) < len(seq) and shown and shown[0].ndim == 3:
            raise ValueError(
                f"{self._describe()}: an RGB image cannot be hidden in some frames (it has no "
                f"NaN); create it before the first snap() and keep it visible"
            )
        return super()._stack(name, seq, done)

    def _layer(self, values: Dict[str, Any], b: "Build") -> Dict[str, Any]:
        d: Dict[str, Any] = {"kind": "image", "data": b.data(values["data"])}
        _put(d, "cmap", self._cmap)
        _put(d, "vmin", self._vmin)
        _put(d, "vmax", self._vmax)
        _put(d, "interpolation", self._interpolation)
        _put(d, "extent", self._extent)
        _put(d, "annotate", self._annotate)
        _put(d, "colorbar", self._colorbar)
        _put(d, "alpha", self._alpha)
        return d


class Rectangle:
    """One bar of a :class:`BarContainer`, for matplotlib-style updates
    (``for rect, h in zip(bars, heights): rect.set_height(h)``)."""

    def __init__(self, bars: "BarContainer", index: int) -> None:
        self._bars = bars
        self._index = index

    @checked
    def set_height(self, h: float) -> None:
        """Sets this bar's value (length) for the current frame."""
        self._bars._set_one(self._index, h, "set_height")

    @checked
    def set_width(self, w: float) -> None:
        """Sets this horizontal bar's value (length) for the current frame."""
        self._bars._set_one(self._index, w, "set_width")

    def get_height(self) -> float:
        """This bar's current value."""
        v = self._bars._fields["values"].value
        return float(v[..., self._index].ravel()[0]) if v.ndim == 1 else float("nan")

    get_width = get_height

    def __repr__(self) -> str:
        return f"<flipbook Rectangle #{self._index} of {self._bars._describe()}>"


class BarContainer(Artist):
    """Bars (``ax.bar`` / ``ax.barh``): one value per bar, (N,) or (T, N). Iterating gives one
    :class:`Rectangle` per bar."""

    _kind = "bars"
    _key = "values"
    _ranks = {"values": VECTOR, "x": VECTOR}

    def __init__(self, axes: "Axes", method: str = "bar") -> None:
        super().__init__(axes, method)
        self._tick_labels: Optional[List[str]] = None
        self._width: Optional[float] = None
        self._bottom: Optional[float] = None
        self._color: Any = None
        self._horizontal = method == "barh"
        self._annotate: Optional[str] = None

    def _check(self, values: Dict[str, Any]) -> None:
        super()._check(values)
        self._agree_n(values, ("values", "x"))

    @checked
    def set_heights(self, heights: Any) -> None:
        """Sets every bar's value: (N,) for this frame or (T, N) for every frame."""
        self._set("set_heights", values=self._array(heights, "heights"))

    set_values = set_heights

    @checked
    def set_widths(self, widths: Any) -> None:
        """Sets every horizontal bar's value (``barh``): (N,) or (T, N)."""
        self._set("set_widths", values=self._array(widths, "widths"))

    def _set_one(self, index: int, value: float, method: str) -> None:
        cur = self._fields["values"].value
        if cur.ndim != 1:
            raise ValueError(
                f"{self._describe()}: {method}() changes one frame's bar, but the values are "
                f"given for every frame (shape {fmt_shape(cur.shape)})"
            )
        new = np.array(cur, dtype=np.result_type(cur.dtype, np.float64), copy=True)
        new[index] = value
        self._set(method, values=new)

    def get_heights(self) -> np.ndarray:
        """The current values."""
        return self._fields["values"].value

    def __len__(self) -> int:
        return int(self._fields["values"].value.shape[-1])

    def __getitem__(self, i: int) -> Rectangle:
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"bar {i} of {n}")
        return Rectangle(self, i % n)

    def __iter__(self) -> Iterator[Rectangle]:
        return (Rectangle(self, i) for i in range(len(self)))

    @property
    def patches(self) -> List[Rectangle]:
        """One :class:`Rectangle` per bar."""
        return list(self)

    def _layer(self, values: Dict[str, Any], b: "Build") -> Dict[str, Any]:
        d: Dict[str, Any] = {"kind": "bars", "values": b.data(values["values"])}
        if values.get("x") is not None:
            d["x"] = b.data(values["x"])
        _put(d, "tick_labels", self._tick_labels)
        _put(d, "width", self._width)
        _put(d, "bottom", self._bottom)
        _put(d, "color", self._color)
        if self._horizontal:
            d["horizontal"] = True
        _put(d, "annotate", self._annotate)
        _put(d, "label", self._legend_label(b))
        return d


class Text(Artist):
    """Text (``ax.text``, titles): a template (``"epoch {step}"``, ``"{loss:.3f}"``) or one
    string per frame; positions are numbers or (T,) per frame."""

    _kind = "text"
    _key = "text"
    _ranks = {"x": SCALAR, "y": SCALAR, "z": SCALAR}

    def __init__(self, axes: Any, method: str = "text", owner: Optional[str] = None) -> None:
        # Titles belong to axes or to the figure itself (``suptitle``).
        if owner is not None:
            self.axes = axes
            self.figure = axes if not hasattr(axes, "figure") else axes.figure
            self._method = method
            self._fields = {}
            self._born = self.figure._snaps
            self._visible = True
            self._visible_records = []
            self._label = None
            self._owner: Optional[str] = owner
        else:
            super().__init__(axes, method)
            self._owner = None
        self._coords: Optional[str] = None
        self._size: Optional[float] = None
        self._color: Any = None
        self._ha: Optional[str] = None
        self._va: Optional[str] = None

    def _describe(self) -> str:
        if self._owner is not None:
            return self._owner
        return super()._describe()

    def _check(self, values: Dict[str, Any]) -> None:
        super()._check(values)

    @checked
    def set_text(self, s: Any) -> None:
        """Sets the text: a template string, or a list of strings (one per frame)."""
        self._set("set_text", text=u.text_value(s, "s", self._describe()))

    def get_text(self) -> Any:
        """The current text (a template or a list of strings)."""
        return self._fields["text"].value

    @checked
    def set_position(self, xy: Tuple[Any, Any]) -> None:
        """Sets (x, y): numbers, or (T,) arrays for every frame."""
        x, y = xy
        self._set("set_position", x=self._array(x, "x"), y=self._array(y, "y"))

    @checked
    def set_x(self, x: Any) -> None:
        """Sets x."""
        self._set("set_x", x=self._array(x, "x"))

    @checked
    def set_y(self, y: Any) -> None:
        """Sets y."""
        self._set("set_y", y=self._array(y, "y"))

    @checked
    def set_color(self, color: u.ColorLike) -> None:
        """Sets the colour (all frames)."""
        self._color = u.color(color, "color", self._describe())
        self.figure._touch()

    @checked
    def set_fontsize(self, size: float) -> None:
        """Sets the size in points (all frames)."""
        self._size = u.number(size, "fontsize", self._describe(), positive=True)
        self.figure._touch()

    def _time_fields(self, values: Dict[str, Any]) -> Iterator[Tuple[str, Tuple[int, ...], int]]:
        yield from super()._time_fields(values)
        t = values.get("text")
        if isinstance(t, list):
            yield "text", (len(t),), len(t)

    def _stack(self, name: str, seq: List[Any], done: Dict[str, Any]) -> Any:
        if name != "text":
            return super()._stack(name, seq, done)
        out: List[str] = []
        for s in seq:
            if s is _HIDDEN:
                out.append("")
            elif isinstance(s, list):
                raise ValueError(
                    f"{self._describe()}: the text was given for every frame at once (a list of "
                    f"{len(s)} strings) and also changed between snapped frames"
                )
            else:
                out.append(s)
        return out

    def _layer(self, values: Dict[str, Any], b: "Build") -> Dict[str, Any]:
        d: Dict[str, Any] = {"kind": "text", "text": values["text"]}
        for n in ("x", "y", "z"):
            if values.get(n) is not None:
                d[n] = b.data(values[n])
        _put(d, "coords", self._coords)
        _put(d, "size", self._size)
        _put(d, "color", self._color)
        _put(d, "ha", self._ha)
        _put(d, "va", self._va)
        return d


class Colorbar:
    """A colorbar beside an image's axes (``fig.colorbar(im)``)."""

    def __init__(self, image: AxesImage) -> None:
        self.mappable = image

    @checked
    def set_label(self, label: Optional[str]) -> None:
        """Sets the colorbar's label."""
        self.mappable._colorbar = str(label) if label else True
        self.mappable.figure._touch()

    def __repr__(self) -> str:
        return f"<flipbook Colorbar of {self.mappable._describe()}>"
