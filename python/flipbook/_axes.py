"""Axes: one panel of a figure, 2D or 3D, with matplotlib's plotting methods.

Every data argument follows flipbook's one rule for time: an array with one more leading axis than
one frame needs is per-frame (axis 0 is the frame), otherwise it is static. ``ax.plot(x, Y)`` with
x of shape (N,) and Y of shape (T, N) draws row i of Y in frame i. Text arguments take a template
(``"epoch {step}"``, ``"loss {loss:.3f}"``; write ``{{`` for a brace) or a list of strings, one per
frame.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _util as u
from ._artists import AxesImage, BarContainer, Line2D, PathCollection, Text, _Field
from ._util import checked, fmt_shape

if TYPE_CHECKING:  # pragma: no cover
    from ._build import Build
    from ._figure import Figure

_LEGEND_CODES = [
    "best",
    "upper right",
    "upper left",
    "lower left",
    "lower right",
    "right",
    "center left",
    "center right",
    "lower center",
    "upper center",
    "center",
]

_COORDS = ("data", "axes", "figure")


def _one_of(owner: str, a_name: str, a: Any, b_name: str, b: Any) -> Any:
    if a is not None and b is not None:
        raise TypeError(f"{owner}: give {a_name} or {b_name}, not both")
    return a if a is not None else b


class Axes:
    """One panel: 2D axes (``fig.subplots()``) or 3D axes (``fig.add_subplot(projection="3d")``).

    Plotting methods return artists whose ``set_*`` methods change their data for step-by-step
    animations (see :meth:`Figure.snap`). Titles, labels, limits, ticks, legends and the camera
    are the same in every frame (the last value set wins), except titles, which may be templates
    or change per snapped frame.
    """

    #: ``transform=ax.transData``: positions in data units (the default).
    transData = "data"
    #: ``transform=ax.transAxes``: positions as fractions 0..1 of the axes.
    transAxes = "axes"

    def __init__(
        self,
        figure: "Figure",
        cell: Tuple[int, int, int, int, int, int],
        projection: Optional[str] = None,
    ) -> None:
        self.figure = figure
        #: (rows, cols, row, col, row span, col span) in the grid the axes were made in.
        self._cell = cell
        proj = None if projection is None else str(projection).lower()
        if proj not in (None, "2d", "rectilinear", "3d"):
            raise ValueError(f"projection={projection!r} is not '3d' or None (2D)")
        self._three_d = proj == "3d"
        self._artists: List[Any] = []
        self._title: Optional[Text] = None
        self._labels: Dict[str, Optional[str]] = {"x": None, "y": None, "z": None}
        self._lims: Dict[str, Optional[List[float]]] = {"x": None, "y": None, "z": None}
        self._ticks: Dict[str, Optional[List[float]]] = {"x": None, "y": None}
        self._ticklabels: Dict[str, Optional[List[str]]] = {"x": None, "y": None}
        self._rotation: Dict[str, Optional[float]] = {"x": None, "y": None}
        self._grid = False
        self._legend: Union[None, bool, str] = None
        self._legend_handles: Optional[List[Any]] = None
        self._aspect: Optional[str] = None
        self._axis: Optional[str] = None
        self._camera: Optional[Dict[str, float]] = None
        self._twin: Optional["TwinAxes"] = None

    # -- names --------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """``"3d"`` for 3D axes, else ``"rectilinear"`` (as matplotlib's)."""
        return "3d" if self._three_d else "rectilinear"

    def _describe(self) -> str:
        for k, ax in enumerate(self.figure._axes):
            if ax is self:
                return f"axes[{k}]"
        return "axes"

    def _main(self) -> "Axes":
        return self

    def __repr__(self) -> str:
        kind = "3D axes" if self._three_d else "axes"
        return f"<flipbook {kind} {self._describe()} with {len(self._artists)} artists>"

    def _add(self, artist: Any) -> Any:
        self._artists.append(artist)
        self.figure._touch()
        try:
            self.figure._check_time()
        except ValueError:
            self._artists.remove(artist)
            raise
        return artist

    # -- plotting -----------------------------------------------------------------------------

    @checked
    def plot(
        self,
        *args: Any,
        color: Any = None,
        c: Any = None,
        linewidth: Optional[float] = None,
        lw: Optional[float] = None,
        linestyle: Optional[str] = None,
        ls: Optional[str] = None,
        marker: Optional[str] = None,
        markersize: Optional[float] = None,
        ms: Optional[float] = None,
        alpha: Optional[float] = None,
        label: Optional[str] = None,
        zs: Any = None,
        grow: bool = False,
        head: Optional[str] = None,
        trail: Optional[float] = None,
    ) -> List[Line2D]:
        """Draws lines: ``plot(y)``, ``plot(x, y)``, ``plot(x, y, "g--")``, several at once
        (``plot(x1, y1, "r", x2, y2, "b")``), and ``plot(x, y, z)`` in 3D axes.

        x, y, z are (N,) for a static line or (T, N) for one row per frame. A format string
        combines a colour (``bgrcmykw``, ``C0``-``C9``), a line style (``- -- : -.``) and a
        marker (``o . s ^ x +``); a marker alone draws markers only.

        flipbook extensions: ``grow=True`` draws frame i with the first i+1 points (so the line's
        N is the number of frames); ``head="o"`` marks the newest point of a growing line and
        ``trail=k`` fades it out over k points.

        Returns a list of :class:`Line2D`, one per line (``line, = ax.plot(...)``).
        """
        owner = f"{self._describe()}.plot()"
        color = _one_of(owner, "color", color, "c", c)
        linewidth = _one_of(owner, "linewidth", linewidth, "lw", lw)
        linestyle = _one_of(owner, "linestyle", linestyle, "ls", ls)
        markersize = _one_of(owner, "markersize", markersize, "ms", ms)
        groups = self._groups(args, owner)
        lines = []
        for arrays, fmt in groups:
            line = Line2D(self, "plot")
            line._label = None if label is None else str(label)
            if len(arrays) == 1:
                x, y, z = None, arrays[0], None
            elif len(arrays) == 2:
                x, y, z = arrays[0], arrays[1], None
            else:
                x, y, z = arrays
            if zs is not None:
                if z is not None:
                    raise TypeError(f"{owner}: give z positionally or as zs=, not both")
                z = zs
            lo = line._describe()
            xa = None if x is None else u.to_array(x, "x", lo)
            ya = u.to_array(y, "y", lo)
            za = None if z is None else u.to_array(z, "z", lo)
            if xa is not None and xa.ndim == 0:
                xa = xa.reshape(1)
            if ya.ndim == 0:
                ya = ya.reshape(1)
            if za is not None and za.ndim == 0 and self._three_d:
                za = np.full(ya.shape, float(za))
            self._hint_columns(lo, xa, ya)
            if fmt is not None:
                line._fmt = fmt
            if color is not None:
                line._color = u.color(color, "color", lo)
            if linewidth is not None:
                line._linewidth = u.number(linewidth, "linewidth", lo)
            if linestyle is not None:
                line._linestyle = str(linestyle)
            if marker is not None:
                line._marker = str(marker)
            if markersize is not None:
                line._markersize = u.number(markersize, "markersize", lo)
            if alpha is not None:
                line._alpha = u.number(alpha, "alpha", lo)
            line._grow = bool(grow)
            line._head = None if head is None else str(head)
            line._trail = None if trail is None else u.number(trail, "trail", lo)
            if (head is not None or trail is not None) and not grow:
                raise ValueError(f"{lo}: head= and trail= need grow=True")
            values = {"x": xa, "y": ya, "z": za}
            line._check(values)
            if grow and any(v is not None and v.ndim != 1 for v in values.values()):
                raise ValueError(
                    f"{lo}: a growing line's points are static (frame i shows the first i+1): "
                    f"give (N,) arrays"
                )
            for n, v in values.items():
                line._fields[n] = _Field(v)
            lines.append(self._add(line))
        return lines

    def _groups(self, args: Sequence[Any], owner: str) -> List[Tuple[List[Any], Optional[str]]]:
        most = 3 if self._three_d else 2
        groups: List[Tuple[List[Any], Optional[str]]] = []
        i = 0
        while i < len(args):
            arrays: List[Any] = []
            while i < len(args) and not isinstance(args[i], str) and len(arrays) < most:
                arrays.append(args[i])
                i += 1
            fmt = None
            if i < len(args) and isinstance(args[i], str):
                fmt = args[i]
                i += 1
            if not arrays:
                raise TypeError(f"{owner}: the format string {fmt!r} has no data before it")
            groups.append((arrays, fmt))
        if not groups:
            raise TypeError(f"{owner} needs data: plot(y), plot(x, y) or plot(x, y, fmt)")
        return groups

    @staticmethod
    def _hint_columns(owner: str, x: Optional[np.ndarray], y: np.ndarray) -> None:
        """matplotlib draws one line per column of a 2D y; flipbook reads axis 0 as time."""
        if x is not None and x.ndim == 1 and y.ndim == 2 and y.shape[1] != x.shape[0] == y.shape[0]:
            raise ValueError(
                f"{owner}: y has shape {fmt_shape(y.shape)} and x {fmt_shape(x.shape)}: flipbook "
                f"reads axis 0 of y as time, (T, N) with one row per frame, so each row needs "
                f"{x.shape[0]} values. For matplotlib's one line per column, call plot once per "
                f"column; for an animation over the columns pass y.T"
            )

    @checked
    def scatter(
        self,
        x: Any,
        y: Any,
        *args: Any,
        zs: Any = None,
        s: Any = None,
        c: Any = None,
        color: Any = None,
        marker: Optional[str] = None,
        cmap: Optional[str] = None,
        vmin: Optional[float] = None,
        vmax: Optional[float] = None,
        alpha: Optional[float] = None,
        label: Optional[str] = None,
        grow: bool = False,
    ) -> PathCollection:
        """Draws markers at points: ``scatter(x, y)``, and ``scatter(x, y, z)`` in 3D axes.

        x, y (, z) are (N,) or (T, N). ``s`` is the marker area in points² (a number, (N,) or
        (T, N)); ``c`` is a colour, or values (N,) or (T, N) mapped through ``cmap`` between
        ``vmin`` and ``vmax`` (default: their range over all frames). ``grow=True`` shows the
        first i+1 points in frame i.

        Returns a :class:`PathCollection` (``set_offsets``, ``set_array``, ``set_sizes``).
        """
        sc = PathCollection(self, "scatter")
        owner = sc._describe()
        rest = list(args)
        if self._three_d and rest:
            if zs is not None:
                raise TypeError(f"{owner}: give z positionally or as zs=, not both")
            zs = rest.pop(0)
        if rest:
            if s is not None:
                raise TypeError(f"{owner}: s given twice")
            s = rest.pop(0)
        if rest:
            if c is not None:
                raise TypeError(f"{owner}: c given twice")
            c = rest.pop(0)
        if rest:
            raise TypeError(f"{owner}: too many positional arguments")
        xa = u.to_array(x, "x", owner)
        ya = u.to_array(y, "y", owner)
        if xa.ndim == 0:
            xa = xa.reshape(1)
        if ya.ndim == 0:
            ya = ya.reshape(1)
        za = None
        if zs is not None:
            if not self._three_d:
                raise ValueError(f"{owner}: z values need 3D axes: fig.add_subplot(projection='3d')")
            za = u.to_array(zs, "zs", owner)
            if za.ndim == 0:
                za = np.full(ya.shape, float(za))
        n = ya.shape[-1] if ya.ndim else 1
        ca = None
        if c is not None:
            values_like = not isinstance(c, str) and np.ndim(c) >= 1 and np.shape(c)[-1] == n and not (
                u.is_color(c) and n not in (3, 4)
            )
            if u.is_color(c) and not values_like:
                if color is not None:
                    raise TypeError(f"{owner}: give color or c, not both")
                color = c
            else:
                if color is not None:
                    raise TypeError(
                        f"{owner}: give c (values through a colormap) or color, not both"
                    )
                if isinstance(c, (list, tuple)) and c and all(isinstance(v, str) for v in c):
                    raise ValueError(
                        f"{owner}: one colour per point is not supported; give c as numbers "
                        f"with a cmap, or one colour"
                    )
                ca = u.to_array(c, "c", owner)
        if color is not None:
            sc._color = u.color(color, "color", owner)
        sa = None if s is None else u.to_array(s, "s", owner)
        sc._label = None if label is None else str(label)
        if marker is not None:
            sc._marker = str(marker)
        if cmap is not None:
            sc._cmap = str(cmap)
        if vmin is not None:
            sc._vmin = u.number(vmin, "vmin", owner)
        if vmax is not None:
            sc._vmax = u.number(vmax, "vmax", owner)
        if alpha is not None:
            sc._alpha = u.number(alpha, "alpha", owner)
        sc._grow = bool(grow)
        values: Dict[str, Optional[np.ndarray]] = {"x": xa, "y": ya, "z": za, "c": ca, "s": sa}
        sc._check(values)
        if grow and any(v is not None and v.ndim != 1 for v in (xa, ya, za)):
            raise ValueError(f"{owner}: a growing scatter's points are static: give (N,) arrays")
        for k, v in values.items():
            sc._fields[k] = _Field(v)
        return self._add(sc)

    @checked
    def imshow(
        self,
        X: Any,
        cmap: Optional[str] = None,
        aspect: Optional[str] = None,
        interpolation: Optional[str] = None,
        alpha: Optional[float] = None,
        vmin: Optional[float] = None,
        vmax: Optional[float] = None,
        origin: Optional[str] = None,
        extent: Optional[Sequence[float]] = None,
        annotate: Optional[str] = None,
    ) -> AxesImage:
        """Draws an image: (H, W) values through ``cmap`` (default viridis, between ``vmin`` and
        ``vmax``, by default the range over all frames) or (H, W, 3|4) RGB(A) as uint8 or floats
        in 0..1. A leading T — (T, H, W), (T, H, W, 3) or a list of images — makes it one image
        per frame.

        ``interpolation`` is ``"nearest"`` (default) or ``"bilinear"``; ``extent`` is
        ``(left, right, bottom, top)``; ``origin="lower"`` puts row 0 at the bottom;
        ``annotate=".2f"`` writes each cell's value (annotated heatmaps). Row 0 is at the top.

        Returns an :class:`AxesImage` (``set_data``, ``set_clim``); ``fig.colorbar(im)`` adds a
        colorbar.
        """
        if self._three_d:
            raise ValueError(f"{self._describe()}.imshow(): images go in 2D axes")
        im = AxesImage(self, "imshow")
        owner = im._describe()
        data = u.to_array(X, "X", owner)
        if cmap is not None:
            im._cmap = str(cmap)
        if interpolation is not None:
            im._interpolation = str(interpolation)
        if alpha is not None:
            im._alpha = u.number(alpha, "alpha", owner)
        if vmin is not None:
            im._vmin = u.number(vmin, "vmin", owner)
        if vmax is not None:
            im._vmax = u.number(vmax, "vmax", owner)
        if annotate is not None:
            im._annotate = str(annotate)
        if aspect is not None:
            self.set_aspect(aspect)
        if origin not in (None, "upper", "lower"):
            raise ValueError(f"{owner}: origin={origin!r} is not 'upper' or 'lower'")
        if extent is not None:
            ext = [u.number(v, "extent", owner) for v in extent]
            if len(ext) != 4:
                raise ValueError(f"{owner}: extent must be (left, right, bottom, top)")
        else:
            ext = None
        if origin == "lower":
            if ext is None:
                per_frame, shape = u.split_time(data, u.IMAGE, "X", owner)
                h, w = shape[0], shape[1]
                ext = [-0.5, w - 0.5, -0.5, h - 0.5]
            # The scene model puts row 0 at the extent's "top": swap so it lands at the bottom.
            ext = [ext[0], ext[1], ext[3], ext[2]]
        im._extent = ext
        u.split_time(data, u.IMAGE, "X", owner)
        values = {"data": data}
        im._check(values)
        im._fields["data"] = _Field(data)
        return self._add(im)

    def _bars(
        self,
        method: str,
        x: Any,
        values: Any,
        thickness: Any,
        base: Any,
        align: str,
        color: Any,
        tick_label: Any,
        label: Optional[str],
        annotate: Optional[str],
    ) -> BarContainer:
        bars = BarContainer(self, method)
        owner = bars._describe()
        labels = None
        xa: Optional[np.ndarray]
        if isinstance(x, (list, tuple)) and x and all(isinstance(v, str) for v in x):
            labels = [str(v) for v in x]
            xa = None
        else:
            xa = u.to_array(x, "x" if method == "bar" else "y", owner)
            if xa.ndim == 0:
                xa = xa.reshape(1)
        va = u.to_array(values, "height" if method == "bar" else "width", owner)
        if va.ndim == 0:
            n = len(labels) if labels is not None else (xa.shape[-1] if xa is not None else 1)
            va = np.full(n, va.item(), dtype=np.result_type(va.dtype, np.float64))
        if thickness is not None:
            if np.ndim(thickness) != 0:
                raise ValueError(
                    f"{owner}: one {'width' if method == 'bar' else 'height'} for all bars, "
                    f"got shape {fmt_shape(np.shape(thickness))}"
                )
            bars._width = u.number(thickness, "width" if method == "bar" else "height", owner)
        if base is not None:
            if np.ndim(base) != 0:
                raise ValueError(f"{owner}: one {'bottom' if method == 'bar' else 'left'} for all bars")
            bars._bottom = u.number(base, "bottom" if method == "bar" else "left", owner)
        if align not in ("center", "edge"):
            raise ValueError(f"{owner}: align={align!r} is not 'center' or 'edge'")
        if align == "edge":
            w = bars._width if bars._width is not None else 0.8
            if xa is None:
                xa = np.arange(va.shape[-1]) + w / 2
            else:
                xa = xa + w / 2
        if tick_label is not None:
            if isinstance(tick_label, str):
                tick_label = [tick_label]
            labels = [str(t) for t in tick_label]
        if labels is not None:
            bars._tick_labels = labels
        if color is not None:
            if u.is_color(color):
                bars._color = u.color(color, "color", owner)
            else:
                bars._color = [u.color(cv, f"color[{k}]", owner) for k, cv in enumerate(color)]
        bars._label = None if label is None else str(label)
        if annotate is not None:
            bars._annotate = str(annotate)
        u.split_time(va, u.VECTOR, "height" if method == "bar" else "width", owner)
        vals = {"values": va, "x": xa}
        bars._check(vals)
        n = va.shape[-1]
        if labels is not None and len(labels) != n:
            raise ValueError(f"{owner}: {len(labels)} tick labels for {n} bars")
        for k, v in vals.items():
            bars._fields[k] = _Field(v)
        return self._add(bars)

    @checked
    def bar(
        self,
        x: Any,
        height: Any,
        width: Optional[float] = None,
        bottom: Optional[float] = None,
        *,
        align: str = "center",
        color: Any = None,
        tick_label: Any = None,
        label: Optional[str] = None,
        annotate: Optional[str] = None,
    ) -> BarContainer:
        """Draws vertical bars: ``bar(x, height)``. x is positions (N,) or category names (a list
        of strings, which become the tick labels); height is (N,) or (T, N) for one row per
        frame. ``width`` (default 0.8) and ``bottom`` are one number for all bars; ``color`` is
        one colour or one per bar; ``annotate=".2f"`` writes each bar's value at its end.

        Returns a :class:`BarContainer` (``set_heights``; iterate for one Rectangle per bar).
        """
        return self._bars("bar", x, height, width, bottom, align, color, tick_label, label, annotate)

    @checked
    def barh(
        self,
        y: Any,
        width: Any,
        height: Optional[float] = None,
        left: Optional[float] = None,
        *,
        align: str = "center",
        color: Any = None,
        tick_label: Any = None,
        label: Optional[str] = None,
        annotate: Optional[str] = None,
    ) -> BarContainer:
        """Draws horizontal bars: ``barh(y, width)``, as :meth:`bar` turned sideways (``width``
        is the bars' lengths, (N,) or (T, N); ``height`` their thickness)."""
        return self._bars("barh", y, width, height, left, align, color, tick_label, label, annotate)

    @checked
    def text(
        self,
        x: Any,
        y: Any,
        *args: Any,
        s: Any = None,
        transform: Optional[str] = None,
        coords: Optional[str] = None,
        fontsize: Optional[float] = None,
        size: Optional[float] = None,
        color: Any = None,
        ha: Optional[str] = None,
        va: Optional[str] = None,
        horizontalalignment: Optional[str] = None,
        verticalalignment: Optional[str] = None,
    ) -> Text:
        """Writes text at (x, y): ``text(x, y, s)``, ``text(x, y, z, s)`` in 3D axes.

        ``s`` is a template (``"epoch {step}"``) or a list of strings, one per frame. x, y are
        numbers or (T,) arrays (a moving label). ``transform`` (or ``coords``) is ``"data"``
        (default, or ``ax.transData``), ``"axes"`` (``ax.transAxes``: 0..1 of the axes) or
        ``"figure"`` (``fig.transFigure``). ``ha`` is left/center/right; ``va``
        top/center/bottom.

        Returns a :class:`Text` (``set_text``, ``set_position``).
        """
        t = Text(self, "text")
        owner = t._describe()
        rest = list(args)
        z = None
        if self._three_d and len(rest) == 2:
            z = rest.pop(0)
        if rest:
            if s is not None or len(rest) > 1:
                raise TypeError(f"{owner}: text(x, y, s) takes one string")
            s = rest[0]
        if s is None:
            raise TypeError(f"{owner}: text(x, y, s) needs the text s")
        where = _one_of(owner, "transform", transform, "coords", coords)
        if where is not None:
            where = getattr(where, "_flipbook_coords", where)
            if where not in _COORDS:
                raise ValueError(
                    f"{owner}: transform={where!r} is not 'data' (ax.transData), 'axes' "
                    f"(ax.transAxes) or 'figure' (fig.transFigure)"
                )
            t._coords = where
        fs = _one_of(owner, "fontsize", fontsize, "size", size)
        if fs is not None:
            t._size = u.number(fs, "fontsize", owner, positive=True)
        if color is not None:
            t._color = u.color(color, "color", owner)
        t._ha = _one_of(owner, "ha", ha, "horizontalalignment", horizontalalignment)
        t._va = _one_of(owner, "va", va, "verticalalignment", verticalalignment)
        values = {
            "text": u.text_value(s, "s", owner),
            "x": u.to_array(x, "x", owner),
            "y": u.to_array(y, "y", owner),
            "z": None if z is None else u.to_array(z, "z", owner),
        }
        t._check(values)
        for k, v in values.items():
            t._fields[k] = _Field(v)
        return self._add(t)

    # -- decoration ---------------------------------------------------------------------------

    @checked
    def set_title(self, label: Any) -> Text:
        """Sets the title: a template (``"epoch {step}"``) or a list of strings, one per frame.
        In step-by-step mode, a title set to different strings in different snapped frames
        changes with them. Returns the title's :class:`Text`."""
        owner = f"{self._describe()} title"
        value = u.text_value(label, "label", owner)
        if self._title is None:
            self._title = Text(self, "set_title", owner=owner)
            self._title._fields["text"] = _Field(value)
            self.figure._touch()
            try:
                self.figure._check_time()
            except ValueError:
                self._title = None
                raise
        else:
            self._title.set_text(value)
        return self._title

    def get_title(self) -> str:
        """The current title (``""`` if none)."""
        if self._title is None:
            return ""
        t = self._title.get_text()
        return t if isinstance(t, str) else t[-1]

    def _set_label(self, axis: str, label: Any) -> None:
        self._labels[axis] = None if label is None else str(label)
        self.figure._touch()

    @checked
    def set_xlabel(self, xlabel: Any) -> None:
        """Sets the x axis label."""
        self._set_label("x", xlabel)

    @checked
    def set_ylabel(self, ylabel: Any) -> None:
        """Sets the y axis label."""
        self._set_label("y", ylabel)

    @checked
    def set_zlabel(self, zlabel: Any) -> None:
        """Sets the z axis label (3D axes)."""
        self._need_3d("set_zlabel")
        self._set_label("z", zlabel)

    def _set_lim(self, axis: str, low: Any, high: Any) -> None:
        owner = f"{self._describe()}.set_{axis}lim()"
        if high is None and low is not None and np.ndim(low) == 1:
            low, high = low
        if low is None and high is None:
            self._lims[axis] = None
        elif low is None or high is None:
            raise ValueError(f"{owner}: give both limits (flipbook does not keep automatic ones)")
        else:
            lim = u.pair((low, high), f"{axis}lim", owner)
            if lim[0] == lim[1]:
                raise ValueError(f"{owner}: the limits are equal ({lim[0]})")
            self._lims[axis] = lim
        self.figure._touch()

    @checked
    def set_xlim(self, left: Any = None, right: Any = None) -> None:
        """Sets the x limits, fixed over all frames (default: the data's range over all frames
        with 5% margins). ``set_xlim(0, 10)`` or ``set_xlim((0, 10))``."""
        self._set_lim("x", left, right)

    @checked
    def set_ylim(self, bottom: Any = None, top: Any = None) -> None:
        """Sets the y limits (see :meth:`set_xlim`); ``bottom > top`` flips the axis."""
        self._set_lim("y", bottom, top)

    @checked
    def set_zlim(self, bottom: Any = None, top: Any = None) -> None:
        """Sets the z limits of 3D axes."""
        self._need_3d("set_zlim")
        self._set_lim("z", bottom, top)

    def get_xlim(self) -> Optional[Tuple[float, float]]:
        """The x limits set with :meth:`set_xlim` (``None``: automatic)."""
        lim = self._lims["x"]
        return None if lim is None else (lim[0], lim[1])

    def get_ylim(self) -> Optional[Tuple[float, float]]:
        """The y limits set with :meth:`set_ylim` (``None``: automatic)."""
        lim = self._lims["y"]
        return None if lim is None else (lim[0], lim[1])

    def _set_ticks(self, axis: str, ticks: Any, labels: Any, rotation: Any) -> None:
        owner = f"{self._describe()}.set_{axis}ticks()"
        if ticks is None:
            self._ticks[axis] = None
        else:
            self._ticks[axis] = [u.number(t, "ticks", owner) for t in np.ravel(ticks)]
        if labels is not None:
            self._set_ticklabels(axis, labels, rotation)
        elif rotation is not None:
            self._rotation[axis] = u.number(rotation, "rotation", owner)
        self.figure._touch()

    def _set_ticklabels(self, axis: str, labels: Any, rotation: Any) -> None:
        owner = f"{self._describe()}.set_{axis}ticklabels()"
        if isinstance(labels, str):
            raise TypeError(f"{owner}: labels must be a list of strings, got one string")
        labels = [str(v) for v in labels]
        ticks = self._ticks[axis]
        if ticks is not None and len(ticks) != len(labels):
            raise ValueError(f"{owner}: {len(ticks)} tick positions but {len(labels)} labels")
        self._ticklabels[axis] = labels
        if rotation is not None:
            self._rotation[axis] = u.number(rotation, "rotation", owner)
        self.figure._touch()

    @checked
    def set_xticks(self, ticks: Any, labels: Any = None, *, rotation: Optional[float] = None) -> None:
        """Sets the x tick positions, with labels (category axes) and their rotation in
        degrees."""
        self._set_ticks("x", ticks, labels, rotation)

    @checked
    def set_yticks(self, ticks: Any, labels: Any = None, *, rotation: Optional[float] = None) -> None:
        """Sets the y tick positions, with labels and their rotation in degrees."""
        self._set_ticks("y", ticks, labels, rotation)

    @checked
    def set_xticklabels(self, labels: Any, *, rotation: Optional[float] = None) -> None:
        """Sets the x tick labels (at the ticks set with :meth:`set_xticks`, else at 0, 1, …)."""
        self._set_ticklabels("x", labels, rotation)

    @checked
    def set_yticklabels(self, labels: Any, *, rotation: Optional[float] = None) -> None:
        """Sets the y tick labels (at the ticks set with :meth:`set_yticks`, else at 0, 1, …)."""
        self._set_ticklabels("y", labels, rotation)

    @checked
    def grid(self, visible: Optional[bool] = None) -> None:
        """Shows grid lines at the ticks (``grid()`` toggles, ``grid(True)`` shows)."""
        self._grid = (not self._grid) if visible is None else bool(visible)
        self.figure._touch()

    @checked
    def legend(
        self,
        *args: Any,
        loc: Union[None, str, int] = None,
        handles: Optional[Sequence[Any]] = None,
        labels: Optional[Sequence[str]] = None,
    ) -> None:
        """Shows a legend of the labelled artists (``label=``), including those on a twin axis.

        ``legend()``, ``legend(loc="upper left")``, ``legend(["a", "b"])`` (labels the artists
        in order), ``legend(handles=[line1, line2])`` (only these) or
        ``legend([line1, line2], ["a", "b"])``. ``loc`` is a matplotlib location name or code.
        """
        owner = f"{self._describe()}.legend()"
        if len(args) == 1:
            if all(isinstance(a, str) for a in args[0]):
                labels = args[0]
            else:
                handles = args[0]
        elif len(args) == 2:
            handles, labels = args
        elif args:
            raise TypeError(f"{owner} takes at most handles and labels")
        main = self._main()
        artists = main._all_artists()
        if labels is not None:
            targets = list(handles) if handles is not None else artists
            if len(labels) > len(targets):
                raise ValueError(f"{owner}: {len(labels)} labels for {len(targets)} artists")
            for a, lab in zip(targets, labels):
                a._label = str(lab)
            if handles is None:
                handles = targets[: len(labels)]
        if handles is not None:
            handles = list(handles)
            for h in handles:
                if h not in artists:
                    raise ValueError(f"{owner}: {h!r} is not drawn on these axes")
            main._legend_handles = handles
        else:
            main._legend_handles = None
        if loc is None:
            main._legend = True
        elif isinstance(loc, int) and not isinstance(loc, bool):
            if not 0 <= loc < len(_LEGEND_CODES):
                raise ValueError(f"{owner}: loc={loc} is not a location code 0-10")
            main._legend = _LEGEND_CODES[loc]
        else:
            main._legend = str(loc)
        self.figure._touch()

    def _all_artists(self) -> List[Any]:
        return self._artists + (self._twin._artists if self._twin is not None else [])

    @checked
    def axis(self, arg: Any = None) -> None:
        """``axis("off")`` hides the frame, ticks and labels; ``"on"`` shows them; ``"equal"``
        and ``"auto"`` set the aspect; ``axis([xmin, xmax, ymin, ymax])`` sets the limits."""
        if isinstance(arg, bool):
            arg = "on" if arg else "off"
        if isinstance(arg, str):
            if arg in ("off", "on"):
                self._axis = arg if arg == "off" else None
            elif arg in ("equal", "auto", "scaled", "image"):
                self._aspect = "auto" if arg == "auto" else "equal"
            else:
                raise ValueError(
                    f"{self._describe()}.axis({arg!r}): use 'off', 'on', 'equal', 'auto' or "
                    f"[xmin, xmax, ymin, ymax]"
                )
        elif arg is not None:
            lims = list(arg)
            if len(lims) != 4:
                raise ValueError(f"{self._describe()}.axis(): limits are [xmin, xmax, ymin, ymax]")
            self.set_xlim(lims[0], lims[1])
            self.set_ylim(lims[2], lims[3])
        self.figure._touch()

    def set_axis_off(self) -> None:
        """Hides the frame, ticks and labels."""
        self.axis("off")

    def set_axis_on(self) -> None:
        """Shows the frame, ticks and labels."""
        self.axis("on")

    @checked
    def set_aspect(self, aspect: Union[str, float]) -> None:
        """``"equal"`` (one data unit as long on x as on y) or ``"auto"`` (fill the axes; the
        default unless the axes hold only images)."""
        if aspect == 1 or aspect == "equal":
            self._aspect = "equal"
        elif aspect == "auto":
            self._aspect = "auto"
        else:
            raise ValueError(f"{self._describe()}.set_aspect({aspect!r}): use 'equal' or 'auto'")
        self.figure._touch()

    @checked
    def view_init(
        self,
        elev: Optional[float] = None,
        azim: Optional[float] = None,
        *,
        spin: Optional[float] = None,
    ) -> None:
        """Sets the 3D camera: elevation and azimuth in degrees (defaults 30 and -60), and
        (flipbook) ``spin``, degrees the camera turns per frame."""
        self._need_3d("view_init")
        owner = f"{self._describe()}.view_init()"
        cam: Dict[str, float] = {}
        if azim is not None:
            cam["azimuth"] = u.number(azim, "azim", owner)
        if elev is not None:
            cam["elevation"] = u.number(elev, "elev", owner)
        if spin is not None:
            cam["spin"] = u.number(spin, "spin", owner)
        self._camera = cam
        self.figure._touch()

    def twinx(self) -> "TwinAxes":
        """A second y axis on the right sharing x (``ax.twinx()``): plot on it, set its label
        and limits; its labelled artists join this axes' legend."""
        if self._three_d:
            raise ValueError(f"{self._describe()}.twinx(): 3D axes have no twin axis")
        if self._twin is None:
            self._twin = TwinAxes(self)
            self.figure._touch()
        return self._twin

    def set(self, **kwargs: Any) -> None:
        """Sets several properties at once, as matplotlib's ``ax.set(title="fit",
        xlabel="x", ylim=(0, 1))``: each keyword calls ``set_<keyword>``."""
        setters = sorted(n[4:] for n in dir(self) if n.startswith("set_") and n != "set_axis_off" and n != "set_axis_on")
        for k, v in kwargs.items():
            if k not in setters:
                raise u.unknown_keyword("Axes.set", k, setters)
            method = getattr(self, f"set_{k}")
            if k.endswith("lim") and isinstance(v, (tuple, list)):
                method(*v)
            else:
                method(v)

    def _need_3d(self, what: str) -> None:
        if not self._three_d:
            raise ValueError(
                f"{self._describe()}.{what}() needs 3D axes: fig.add_subplot(projection='3d')"
            )

    # -- building -----------------------------------------------------------------------------

    def _panel(self, b: "Build", at: List[int], span: List[int], path: str) -> Dict[str, Any]:
        d: Dict[str, Any] = {"at": at}
        if span != [1, 1]:
            d["span"] = span
        if self._three_d:
            d["projection"] = "3d"
        if self._title is not None:
            t = b.resolve(self._title, f"{path}.title")
            if t is not None and t.get("text") not in ("", None):
                d["title"] = t["text"]
        for a in ("x", "y", "z"):
            if self._labels[a] is not None:
                d[f"{a}label"] = self._labels[a]
        for a in ("x", "y", "z"):
            if self._lims[a] is not None:
                d[f"{a}lim"] = self._lims[a]
        for a in ("x", "y"):
            if self._ticks[a] is not None:
                d[f"{a}ticks"] = self._ticks[a]
            if self._ticklabels[a] is not None:
                d[f"{a}ticklabels"] = self._ticklabels[a]
            if self._rotation[a] is not None:
                d[f"{a}tick_rotation"] = self._rotation[a]
        if self._grid:
            d["grid"] = True
        if self._legend is not None:
            d["legend"] = self._legend
        if self._aspect is not None:
            d["aspect"] = self._aspect
        if self._axis is not None:
            d["axis"] = self._axis
        if self._camera is not None:
            d["camera"] = dict(self._camera)
        if self._twin is not None:
            tw: Dict[str, Any] = {}
            if self._twin._labels["y"] is not None:
                tw["ylabel"] = self._twin._labels["y"]
            if self._twin._lims["y"] is not None:
                tw["ylim"] = self._twin._lims["y"]
            tw["layers"] = b.layers(self._twin._artists, f"{path}.twin.layers")
            d["twin"] = tw
        d["layers"] = b.layers(self._artists, f"{path}.layers")
        return d


class TwinAxes(Axes):
    """The second y axis of ``ax.twinx()``: its own artists, y label and y limits; titles, x
    settings and the legend are the parent axes'."""

    def __init__(self, parent: Axes) -> None:
        super().__init__(parent.figure, parent._cell)
        self._parent = parent

    def _describe(self) -> str:
        return f"{self._parent._describe()}.twinx()"

    def _main(self) -> Axes:
        return self._parent

    @checked
    def imshow(self, X: Any, **kwargs: Any) -> AxesImage:  # type: ignore[override]
        """Images go on the main axes, not a twin axis."""
        raise ValueError(f"{self._describe()}.imshow(): draw images on the main axes")

    def set_title(self, label: Any) -> Text:  # type: ignore[override]
        """Sets the parent axes' title."""
        return self._parent.set_title(label)

    def set_xlabel(self, xlabel: Any) -> None:  # type: ignore[override]
        """Sets the shared x axis label."""
        self._parent.set_xlabel(xlabel)

    def set_xlim(self, left: Any = None, right: Any = None) -> None:  # type: ignore[override]
        """Sets the shared x limits."""
        self._parent.set_xlim(left, right)

    def legend(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """The parent axes' legend (it lists both axes' labelled artists)."""
        self._parent.legend(*args, **kwargs)

    def grid(self, visible: Optional[bool] = None) -> None:  # type: ignore[override]
        """Grid lines of the parent axes."""
        self._parent.grid(visible)

    def _unsupported(self, what: str) -> None:
        raise ValueError(
            f"{self._describe()}.{what}(): a twin axis takes a y label, y limits and artists"
        )

    def set_xticks(self, *a: Any, **k: Any) -> None:  # type: ignore[override]
        """Not on a twin axis."""
        self._unsupported("set_xticks")

    def set_yticks(self, *a: Any, **k: Any) -> None:  # type: ignore[override]
        """Not on a twin axis."""
        self._unsupported("set_yticks")

    def set_xticklabels(self, *a: Any, **k: Any) -> None:  # type: ignore[override]
        """Not on a twin axis."""
        self._unsupported("set_xticklabels")

    def set_yticklabels(self, *a: Any, **k: Any) -> None:  # type: ignore[override]
        """Not on a twin axis."""
        self._unsupported("set_yticklabels")

    def axis(self, arg: Any = None) -> None:  # type: ignore[override]
        """Not on a twin axis."""
        self._unsupported("axis")

    def set_aspect(self, aspect: Any) -> None:  # type: ignore[override]
        """Not on a twin axis."""
        self._unsupported("set_aspect")

    def twinx(self) -> "TwinAxes":
        """Not on a twin axis."""
        raise ValueError(f"{self._describe()}.twinx(): a twin axis has no twin")

