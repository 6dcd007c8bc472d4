"""The figure: a grid of axes over a timeline, and everything that shows or saves it.

Two ways to animate, which may be mixed:

* Whole arrays: give every frame at once, ``ax.plot(x, Y)`` with Y of shape (T, N). An argument
  whose array has one more leading axis than one frame needs is per-frame; all per-frame
  arguments share T.
* Step by step (FuncAnimation / celluloid style): change artists with ``set_*`` and call
  ``fig.snap()`` after each frame. The snapped frames are then the timeline: fields that never
  changed are stored once, the others are stacked into (T, ...) arrays.

The figure is built into flipbook's scene model (:meth:`Figure.to_spec`), the same one scene
files describe, and drawn by the native library. As in matplotlib, data is taken by reference
and read when the figure is drawn (``frame``, ``save``, ``show``); after that, change it with the
artists' ``set_*`` methods (arrays changed in place are not noticed).
"""
from __future__ import annotations

import copy
import json
import math
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _display, _toml
from . import _util as u
from ._artists import AxesImage, Colorbar, Text, _Field
from ._axes import Axes
from ._build import Build
from ._util import SCALAR, checked, fmt_shape

PathLike = Union[str, "os.PathLike[str]"]

#: Settings: ``inline_limit_mb``, the largest HTML player a notebook shows inline (larger
#: animations show their first frame and a note on how to save them).
rcParams: Dict[str, Any] = {"inline_limit_mb": 20.0}

_VIEW_FLAGS = (
    "frame",
    "frames",
    "fps",
    "size",
    "dpi",
    "window",
    "screenshot_to",
    "save_frame_to",
    "canvas_to",
    "play",
    "exit_after",
    "trace_frames",
)
_RESERVED = ("frame", "frames", "step")
_FORMATS = (".gif", ".mp4", ".webm", ".apng", ".html", ".png")


def _native() -> Any:
    try:
        from . import _native as n  # type: ignore[attr-defined]
    except ImportError as e:  # pragma: no cover - depends on the install
        raise ImportError(
            "flipbook's native module is not built: install the package (pip install flipbook) "
            f"or build it (cd python && maturin develop): {e}"
        ) from None
    return n


class Figure:
    """An animated figure: axes in a grid, a frame rate and a timeline (matplotlib's
    ``plt.figure``). Make one with :func:`flipbook.figure` or :func:`flipbook.subplots`."""

    #: ``transform=fig.transFigure``: text positions as fractions 0..1 of the figure.
    transFigure = "figure"

    @checked
    def __init__(
        self,
        figsize: Optional[Sequence[float]] = None,
        dpi: Optional[float] = None,
        fps: Optional[float] = None,
        *,
        steps: Any = None,
        frames: Optional[int] = None,
        facecolor: Any = None,
    ) -> None:
        owner = "figure()"
        w, h = (6.4, 4.8) if figsize is None else u.pair(figsize, "figsize", owner)
        if not (0 < w <= 300 and 0 < h <= 300):
            raise ValueError(f"{owner}: figsize {figsize!r} is not two sizes in inches (0 < size <= 300)")
        self._figsize = [float(w), float(h)]
        self._dpi = 100.0 if dpi is None else u.number(dpi, "dpi", owner, positive=True)
        self._fps = 20.0 if fps is None else u.number(fps, "fps", owner, positive=True)
        self._frames: Optional[int] = None
        if frames is not None:
            if int(frames) != frames or frames < 1:
                raise ValueError(f"{owner}: frames={frames!r} is not a whole number of at least 1")
            self._frames = int(frames)
        self._facecolor = None if facecolor is None else u.color(facecolor, "facecolor", owner)
        self._axes: List[Axes] = []
        self._suptitle: Optional[Text] = None
        self._steps: Optional[np.ndarray] = None
        self._vars: Dict[str, np.ndarray] = {}
        self._snap_values: Dict[str, List[Optional[float]]] = {}
        self._snaps = 0
        self._version = 0
        self._cache: Optional[Tuple[int, Any]] = None
        self._built: Optional[Tuple[int, Dict[str, Any], Dict[str, np.ndarray], Build, int]] = None
        self._viewer: Any = None
        self._recorder: Any = None
        if steps is not None:
            self.set_steps(steps)

    @property
    def figure(self) -> "Figure":
        """The figure itself (as matplotlib artists have ``.figure``)."""
        return self

    # -- state ----------------------------------------------------------------------------------

    def _touch(self) -> None:
        self._version += 1

    def __repr__(self) -> str:
        w, h = self.size
        return (
            f"<flipbook Figure {w}x{h} px, {len(self._axes)} axes, "
            f"{self._snaps} frames snapped>" if self._snaps else
            f"<flipbook Figure {w}x{h} px, {len(self._axes)} axes>"
        )

    @property
    def axes(self) -> List[Axes]:
        """The axes, in the order they were made."""
        return list(self._axes)

    @property
    def size(self) -> Tuple[int, int]:
        """The size in pixels: ``figsize`` × ``dpi``."""
        return (
            int(round(self._figsize[0] * self._dpi)),
            int(round(self._figsize[1] * self._dpi)),
        )

    @property
    def fps(self) -> float:
        """Frames per second."""
        return self._fps

    @fps.setter
    def fps(self, value: float) -> None:
        self._fps = u.number(value, "fps", "Figure", positive=True)
        self._touch()

    @property
    def dpi(self) -> float:
        """Dots per inch: ``figsize`` × ``dpi`` is the pixel size; the layout is in points."""
        return self._dpi

    @dpi.setter
    def dpi(self, value: float) -> None:
        self._dpi = u.number(value, "dpi", "Figure", positive=True)
        self._touch()

    def get_size_inches(self) -> Tuple[float, float]:
        """``figsize`` in inches."""
        return (self._figsize[0], self._figsize[1])

    @property
    def frame_count(self) -> int:
        """The number of frames on the timeline."""
        return self._build()[4]

    # -- axes ---------------------------------------------------------------------------------

    @checked
    def subplots(
        self,
        nrows: int = 1,
        ncols: int = 1,
        *,
        squeeze: bool = True,
        subplot_kw: Optional[Dict[str, Any]] = None,
    ) -> Any:
        """Makes a grid of axes, as matplotlib's: one :class:`Axes` for 1x1, else a numpy
        array of axes (1D when one of ``nrows``, ``ncols`` is 1 and ``squeeze``). ``subplot_kw=
        {"projection": "3d"}`` makes them 3D."""
        if int(nrows) != nrows or int(ncols) != ncols or nrows < 1 or ncols < 1:
            raise ValueError(f"subplots({nrows!r}, {ncols!r}): rows and columns are whole numbers >= 1")
        nrows, ncols = int(nrows), int(ncols)
        kw = dict(subplot_kw or {})
        projection = kw.pop("projection", None)
        if kw:
            raise u.unknown_keyword("Figure.subplots(subplot_kw=...)", next(iter(kw)), ["projection"])
        grid = np.empty((nrows, ncols), dtype=object)
        for r in range(nrows):
            for c in range(ncols):
                ax = Axes(self, (nrows, ncols, r, c, 1, 1), projection)
                self._axes.append(ax)
                grid[r, c] = ax
        self._touch()
        if squeeze:
            if nrows == 1 and ncols == 1:
                return grid[0, 0]
            if nrows == 1 or ncols == 1:
                return grid.reshape(-1)
        return grid

    @checked
    def add_subplot(self, *args: Any, projection: Optional[str] = None) -> Axes:
        """Adds one axes: ``add_subplot()`` fills the figure; ``add_subplot(rows, cols, index)``
        or ``add_subplot(235)`` takes cell ``index`` (1-based, row by row) of a rows x cols
        grid, and ``index=(first, last)`` spans cells. ``projection="3d"`` makes 3D axes."""
        if not args:
            rows, cols, index = 1, 1, 1
        elif len(args) == 1 and isinstance(args[0], int) and 111 <= args[0] <= 999:
            rows, cols, index = (int(d) for d in str(args[0]))
        elif len(args) == 3:
            rows, cols, index = args
        else:
            raise TypeError(f"add_subplot{args!r}: give (rows, cols, index), a 3-digit number, or nothing")
        rows, cols = int(rows), int(cols)
        first, last = index if isinstance(index, tuple) else (index, index)
        if rows < 1 or cols < 1 or not (1 <= first <= rows * cols and 1 <= last <= rows * cols):
            raise ValueError(f"add_subplot({rows}, {cols}, {index!r}): index must be 1..{rows * cols}")
        r0, c0 = divmod(first - 1, cols)
        r1, c1 = divmod(last - 1, cols)
        r0, r1 = min(r0, r1), max(r0, r1)
        c0, c1 = min(c0, c1), max(c0, c1)
        ax = Axes(self, (rows, cols, r0, c0, r1 - r0 + 1, c1 - c0 + 1), projection)
        self._axes.append(ax)
        self._touch()
        return ax

    def tight_layout(self) -> None:
        """Does nothing: flipbook lays out titles, labels, ticks and colorbars itself (kept so
        matplotlib code runs unchanged)."""

    def gca(self) -> Axes:
        """The last axes made, or new axes filling the figure."""
        if not self._axes:
            return self.add_subplot()
        return self._axes[-1]

    @checked
    def suptitle(self, t: Any) -> Text:
        """Sets the title above all axes: a template (``"epoch {step}"``) or a list of strings,
        one per frame. Returns its :class:`Text`."""
        value = u.text_value(t, "t", "suptitle()")
        if self._suptitle is None:
            self._suptitle = Text(self, "suptitle", owner="suptitle")
            self._suptitle._fields["text"] = _Field(value)
            self._touch()
            try:
                self._check_time()
            except ValueError:
                self._suptitle = None
                raise
        else:
            self._suptitle.set_text(value)
        return self._suptitle

    @checked
    def colorbar(self, mappable: AxesImage, ax: Optional[Axes] = None, *, label: Optional[str] = None) -> Colorbar:
        """Adds a colorbar beside an image's axes (``fig.colorbar(im, label="value")``); it
        shows the image's colormap between its ``vmin`` and ``vmax``."""
        if not isinstance(mappable, AxesImage):
            raise TypeError(
                f"colorbar() takes the image ax.imshow() returned, got {type(mappable).__name__}"
                " (flipbook draws colorbars for images)"
            )
        if ax is not None and ax is not mappable.axes:
            raise ValueError("colorbar(): flipbook draws the colorbar beside the image's own axes")
        mappable._colorbar = str(label) if label else True
        self._touch()
        return Colorbar(mappable)

    # -- the timeline -------------------------------------------------------------------------

    @checked
    def set_steps(self, steps: Any) -> None:
        """Sets the value of ``{step}`` in text templates: one number per frame, (T,) (an epoch
        number, say; default: the frame number). ``None`` clears it."""
        if steps is None:
            self._steps = None
        else:
            a = u.to_array(steps, "steps", "set_steps()")
            u.split_time(a, SCALAR, "steps", "set_steps()")
            old = self._steps
            self._steps = a
            try:
                self._check_time()
            except ValueError:
                self._steps = old
                raise
        self._touch()

    def set_vars(self, **values: Any) -> None:
        """Adds named values for text templates: ``fig.set_vars(loss=losses)`` makes
        ``"{loss:.3f}"`` show ``losses[i]`` in frame i. Each value is a number or (T,), one per
        frame; ``None`` removes it. (``frame``, ``frames`` and ``step`` are built in.)"""
        for name, v in values.items():
            owner = f"set_vars({name}=...)"
            if name in _RESERVED:
                raise ValueError(f"{owner}: '{name}' is built in; use set_steps() for step, or another name")
            if v is None:
                self._vars.pop(name, None)
                continue
            a = u.to_array(v, name, owner)
            u.split_time(a, SCALAR, name, owner)
            old = self._vars.get(name)
            self._vars[name] = a
            try:
                self._check_time()
            except ValueError:
                if old is None:
                    del self._vars[name]
                else:
                    self._vars[name] = old
                raise
        self._touch()

    def snap(self, **values: float) -> int:
        """Records a frame: every artist's current data, titles and texts (step-by-step mode,
        like celluloid's ``camera.snap()``). Keyword values fill text templates in this frame:
        ``fig.snap(step=epoch, loss=loss)`` with a title ``"epoch {step}: {loss:.3f}"``.
        While :meth:`record` is on, the frame is appended to the recording instead of kept.
        Returns the new frame's index."""
        if self._recorder is not None:
            for name, v in values.items():
                if name in ("frame", "frames"):
                    raise ValueError(f"snap({name}=...): '{name}' is built in")
                values[name] = u.number(v, name, "snap()")
            return int(self._recorder.snap(values))
        for name, v in values.items():
            if name in ("frame", "frames"):
                raise ValueError(f"snap({name}=...): '{name}' is built in")
            if name != "step" and name in self._vars:
                raise ValueError(f"snap({name}=...): {name} is already set for every frame by set_vars()")
            if name == "step" and self._steps is not None:
                raise ValueError("snap(step=...): steps are already set for every frame by set_steps()")
            num = u.number(v, name, "snap()") if not (isinstance(v, float) and math.isnan(v)) else v
            rec = self._snap_values.setdefault(name, [None] * self._snaps)
            rec.append(float(num))
        for rec in self._snap_values.values():
            if len(rec) < self._snaps + 1:
                rec.append(None)
        for ax in self._axes:
            for a in ax._all_artists():
                a._snap()
            if ax._title is not None:
                ax._title._snap()
        if self._suptitle is not None:
            self._suptitle._snap()
        self._snaps += 1
        self._touch()
        return self._snaps - 1

    def animate(
        self,
        func: Callable[..., Any],
        frames: Union[int, Iterable[Any]],
        init_func: Optional[Callable[[], Any]] = None,
        fargs: Sequence[Any] = (),
    ) -> "Figure":
        """Calls ``func(frame, *fargs)`` for each of ``frames`` (a count or an iterable) and
        snaps after each call, as matplotlib's ``FuncAnimation``. Returns the figure."""
        if init_func is not None:
            init_func()
        for i in range(frames) if isinstance(frames, int) else frames:
            func(i, *fargs)
            self.snap()
        return self

    def record(
        self,
        path: PathLike,
        *,
        show: Union[bool, Dict[str, Any]] = False,
        keep: Optional[PathLike] = None,
    ) -> Any:
        """Records the run to ``path`` (a ``.flipbook`` file, or ``"tcp://HOST:PORT"`` to stream
        it to ``flipbook view --listen HOST:PORT``): every later :meth:`snap`
        appends a frame and hands it to the OS at once, so ``flipbook view path`` can follow
        it while it grows and ``flipbook export path -o run.mp4`` exports the frames so far at
        any moment. ``show=True`` also opens a viewer on it after the first frame (it follows the
        run; a dict gives it :meth:`show`'s viewer flags, ``show={"window": (1280, 960)}``). Frames are
        not kept in memory. Returns the :class:`~flipbook._record.Recorder` (``close()`` it,
        or use it in a ``with`` block, to mark the run as ended).

        ``keep="run.flipbook"`` with a ``tcp://`` address also writes the same records to that
        local file; if the viewer then goes away, the run goes on into the file (with a
        warning) instead of failing at the next snap.

        While recording, change data between snaps (``set_data``, ``set_ydata``,
        ``set_offsets``…); titles that change are templates: ``"epoch {step}"`` with
        ``fig.snap(step=epoch)``. A file another run is recording to is refused (``OSError``)
        at the first snap."""
        from ._record import Recorder

        if self._snaps:
            raise ValueError(
                f"record({os.fspath(path)!r}): {self._snaps} frames were already snapped into "
                "memory; call record() before the first snap()"
            )
        if self._recorder is not None:
            self._recorder.close()
        viewer_flags: List[str] = []
        if isinstance(show, dict):
            viewer_flags = _display.flag_args(show, _VIEW_FLAGS)
        elif not isinstance(show, bool):
            raise TypeError(f"record(show=...) takes True, False or a dict of viewer flags, not {show!r}")
        target = os.fspath(path)
        if keep is not None and not target.startswith("tcp://"):
            raise ValueError(
                f"record({target!r}, keep=...): keep is a local copy of a tcp:// stream; "
                "a file recording is already local"
            )
        self._recorder = Recorder(
            self, target, bool(show), viewer_flags, None if keep is None else os.fspath(keep)
        )
        return self._recorder

    def _build_frame(self) -> Tuple[Dict[str, Any], Dict[str, np.ndarray]]:
        """The figure as it is now as one frame, every data field an array-table key (none
        inlined or shared, so keys stay the same between frames): for recordings."""
        _, spec, arrays, _, _ = self._build(share=False)
        return spec, arrays

    @property
    def snapped(self) -> int:
        """How many frames :meth:`snap` has recorded."""
        return self._snaps

    def _check_time(self) -> None:
        """Whole-array mode: checks now that every per-frame argument has the same T."""
        if self._snaps:
            return
        b = Build(0)
        for ax in self._axes:
            for a in ax._all_artists():
                b.resolve(a, "")
            if ax._title is not None:
                b.resolve(ax._title, "")
        if self._suptitle is not None:
            b.resolve(self._suptitle, "")
        self._timeline_fields(b)
        b.frames(self._frames)

    def _timeline_fields(self, b: Build) -> None:
        if self._steps is not None and self._steps.ndim == 1:
            b.time.append(("set_steps(): steps", self._steps.shape, self._steps.shape[0]))
        for name, a in self._vars.items():
            if a.ndim == 1:
                b.time.append((f"set_vars(): {name}", a.shape, a.shape[0]))

    # -- building -----------------------------------------------------------------------------

    def to_spec(self) -> Tuple[Dict[str, Any], Dict[str, np.ndarray]]:
        """The figure in flipbook's scene model: ``(spec, arrays)``. ``spec`` is the JSON-able
        scene (``figure``, ``vars``, ``panels``) whose data fields are numbers, short lists or
        keys of ``arrays`` (``"@a0"``); it is what :meth:`to_scene` writes and ``flipbook
        export`` reads."""
        _, spec, arrays, _, _ = self._build()
        return copy.deepcopy(spec), dict(arrays)

    def _build(self, share: bool = True) -> Tuple[int, Dict[str, Any], Dict[str, np.ndarray], Build, int]:
        """The spec, arrays, build record and frame count, rebuilt only after changes.
        ``share=False`` puts every data field in the array table under its own key."""
        if share and self._built is not None and self._built[0] == self._version:
            return self._built

        b = Build(self._snaps, share=share)
        fig: Dict[str, Any] = {
            "figsize": list(self._figsize),
            "dpi": self._dpi,
            "fps": self._fps,
        }
        spec: Dict[str, Any] = {"figure": fig}
        # Grid: the least common multiple of the grids the axes were made in.
        rows = cols = 1
        for ax in self._axes:
            rows = rows * ax._cell[0] // math.gcd(rows, ax._cell[0])
            cols = cols * ax._cell[1] // math.gcd(cols, ax._cell[1])
        if self._axes:
            fig["grid"] = [rows, cols]
        if self._suptitle is not None:
            t = b.resolve(self._suptitle, "figure.suptitle")
            if t is not None and t.get("text") not in ("", None):
                fig["suptitle"] = t["text"]
        if self._facecolor is not None:
            fig["background"] = self._facecolor
        step = self._steps
        values: Dict[str, np.ndarray] = dict(self._vars)
        for name, rec in self._snap_values.items():
            missing = [k for k, v in enumerate(rec[: self._snaps]) if v is None]
            if missing:
                raise ValueError(
                    f"snap({name}=...) was not given in frame{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(map(str, missing[:8]))}{'…' if len(missing) > 8 else ''}; give "
                    f"it in every snap()"
                )
            a = np.asarray(rec[: self._snaps], dtype=np.float64)
            if name == "step":
                step = a
            else:
                values[name] = a
        if step is not None:
            if step.ndim == 1:
                b.time.append(("steps", step.shape, step.shape[0]))
            fig["step"] = b.data(step)
        panels = []
        for k, ax in enumerate(self._axes):
            r, c, r0, c0, rs, cs = ax._cell
            fr, fc = rows // r, cols // c
            panels.append(ax._panel(b, [r0 * fr, c0 * fc], [rs * fr, cs * fc], f"panels[{k}]"))
        if values:
            spec["vars"] = {}
            for name in sorted(values):
                a = values[name]
                if a.ndim == 1:
                    b.time.append((f"vars {name}", a.shape, a.shape[0]))
                spec["vars"][name] = b.data(a)
        spec["panels"] = panels
        n = b.frames(self._frames)
        if self._snaps or self._frames is not None:
            fig["frames"] = n
        built = (self._version, spec, b.arrays, b, n)
        if share:
            self._built = built
        return built

    def _scene(self) -> Any:
        """The native scene for the figure as it is now (rebuilt only after changes)."""
        if self._cache is not None and self._cache[0] == self._version:
            return self._cache[1]
        _, spec, arrays, build, _ = self._build()
        paths = build.paths
        text = json.dumps(spec, allow_nan=False)
        try:
            scene = _native().Scene(text, arrays, ".")
        except ValueError as e:
            raise ValueError(_explain(str(e), paths)) from None
        self._cache = (self._version, scene)
        return scene

    # -- output -------------------------------------------------------------------------------

    @checked
    def frame(self, i: int, dpi: Optional[float] = None) -> np.ndarray:
        """Frame ``i`` (negative counts from the end) as an (H, W, 4) uint8 RGBA array, at the
        figure's dpi unless ``dpi`` is given."""
        scene = self._scene()
        n = scene.frame_count
        if int(i) != i:
            raise TypeError(f"frame({i!r}): the index must be a whole number")
        i = int(i)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"frame {i} of a figure with {n} frames")
        return scene.frame(i, dpi)

    @checked
    def save(
        self,
        path: PathLike,
        *,
        fps: Optional[float] = None,
        dpi: Optional[float] = None,
        crf: Optional[int] = None,
        bitrate: Union[None, int, str] = None,
        loop: int = 0,
        start: Optional[int] = None,
        end: Optional[int] = None,
        dither: Optional[str] = None,
        html_embed: Optional[str] = None,
        title: Optional[str] = None,
        progress: Union[bool, Callable[[int, int], Any]] = True,
    ) -> Dict[str, Any]:
        """Saves the animation; the format comes from the extension: ``.gif``, ``.mp4``,
        ``.webm`` (through ffmpeg), ``.apng``, ``.html`` (a self-contained player) or ``.png``
        (numbered frames, ``name_0000.png``).

        ``fps`` and ``dpi`` override the figure's; ``crf`` (quality, lower is better) or
        ``bitrate`` (``"2M"``) set video quality; ``loop`` is how many times a GIF/APNG plays
        (0 = forever); ``start``/``end`` export frames ``start..end-1``; ``dither`` is ``"none"``,
        ``"ordered"`` or ``"floyd-steinberg"`` (GIF); ``html_embed`` is ``"auto"``, ``"webp"``,
        ``"png"`` or ``"video"``. ``progress=True`` shows a progress bar on a terminal or in a
        notebook; a callable gets ``(done, total)``. The file appears only when complete.

        Returns ``{"files": [...], "frames": n, "bytes": b, "seconds": s, ...}``.
        """
        scene = self._scene()
        p = os.path.expanduser(os.fspath(path))
        ext = os.path.splitext(p)[1].lower()
        if ext not in _FORMATS:
            raise ValueError(
                f"save({os.fspath(path)!r}): unknown extension {ext or '(none)'!r}; the format "
                f"comes from it: {', '.join(_FORMATS)}"
            )
        rate = _bitrate(bitrate)
        bar = _display.progress_bar(f"saving {os.path.basename(p)}", progress)
        report = None
        try:
            report = scene.save(
                p,
                fps=fps,
                dpi=dpi,
                crf=crf,
                bitrate=rate,
                loop=loop,
                start=start,
                end=end,
                dither=dither,
                html_embed=html_embed,
                title=title,
                progress=bar,
            )
        finally:
            close = getattr(bar, "close", None)
            if close is not None:
                close(report)
        return report

    @checked
    def html(self, fps: Optional[float] = None, dpi: Optional[float] = None) -> str:
        """The animation as an HTML fragment: a self-contained player (no network access) for
        notebooks and web pages."""
        return self._scene().html(fps=fps, dpi=dpi)

    def to_jshtml(self) -> str:
        """Same as :meth:`html` (matplotlib's ``Animation.to_jshtml``)."""
        return self.html()

    @checked
    def to_scene(self, path: PathLike) -> Path:
        """Writes the figure as a scene file (``.json`` or ``.toml``) with its arrays in an
        ``.npz`` of the same name beside it, for ``flipbook export``/``view``/``inspect``.
        Returns the scene file's path."""
        p = Path(os.path.expanduser(os.fspath(path)))
        if p.suffix.lower() not in (".json", ".toml"):
            raise ValueError(f"to_scene({os.fspath(path)!r}): a scene file ends in .json or .toml")
        spec, arrays = self.to_spec()
        npz = p.with_suffix(".npz")
        spec = _rename_refs(spec, {k: f"{npz.name}:{k[1:]}" for k in arrays})
        if arrays:
            _savez(npz, arrays)
        _write_spec(p, spec)
        return p

    @checked
    def show(self, block: Optional[bool] = None, **flags: Any) -> None:
        """Opens the figure in flipbook's viewer window (play, scrub, turn 3D axes, export).

        The viewer runs in a process of its own, so it never blocks or crashes a notebook
        kernel. In a script ``show()`` waits until the window is closed, like ``plt.show()``;
        in IPython or Jupyter, or with ``block=False``, it returns at once. Keyword arguments are
        ``flipbook view`` flags: ``frame=10``, ``play=True``, ``window=(1280, 960)``,
        ``screenshot_to="shot.png"`` (save a screenshot and close), ``save_frame_to=``,
        ``canvas_to=``, ``exit_after=`` seconds, ``fps=``, ``dpi=``.
        """
        extra = _display.flag_args(flags, _VIEW_FLAGS)
        tmp = tempfile.mkdtemp(prefix="flipbook-show-")
        try:
            scene = self._write_for_viewer(tmp)
        except BaseException:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if block is None:
            block = _display.ipython() is None
        args = [sys.executable, "-m", "flipbook", "view", scene, *extra]
        self._viewer = _display.run_viewer(args, bool(block), tmp)

    def _write_for_viewer(self, folder: str) -> str:
        spec, arrays = self.to_spec()
        npz = os.path.join(folder, "arrays.npz")
        spec = _rename_refs(spec, {k: f"{npz}:{k[1:]}" for k in arrays})
        if arrays:
            _savez(Path(npz), arrays)
        path = os.path.join(folder, "scene.json")
        _write_spec(Path(path), spec)
        return path

    # -- Jupyter --------------------------------------------------------------------------------

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Dict[str, Any]:
        """Jupyter's rich display: the HTML player (``text/html``) and the first frame as a PNG
        poster (``image/png``, shown where HTML is not, e.g. untrusted notebooks). Above
        ``rcParams["inline_limit_mb"]`` the HTML is a note saying how to save the animation,
        with the poster."""
        poster = _display.png_base64(self.frame(0))
        limit = float(rcParams.get("inline_limit_mb", 20.0))
        fragment = self.html()
        size_mb = len(fragment.encode("utf-8")) / 1e6
        if size_mb > limit:
            n = self.frame_count
            fragment = (
                "<div class='flipbook-too-large' style='font-family:sans-serif'>"
                f"<p><b>This animation is too large to show inline</b> ({n} frames, "
                f"{size_mb:.1f} MB of HTML; the limit is "
                f"<code>flipbook.rcParams['inline_limit_mb'] = {limit:g}</code>). Its first frame "
                "is below. Save it with <code>fig.save('animation.mp4')</code> (or .gif, "
                ".html), watch it with <code>fig.show()</code>, or raise the limit.</p>"
                f"<img src='data:image/png;base64,{poster}'/></div>"
            )
        w, h = self.size
        return {
            "text/html": fragment,
            "image/png": poster,
            "text/plain": repr(self),
        }


class FuncAnimation:
    """matplotlib's ``FuncAnimation`` on a flipbook figure: calls ``func(i)`` for each frame
    and snaps it. ``interval`` (ms between frames) sets the figure's fps when given.

    ``anim = FuncAnimation(fig, update, frames=100); anim.save("out.gif")``.
    """

    @checked
    def __init__(
        self,
        fig: Figure,
        func: Callable[..., Any],
        frames: Union[int, Iterable[Any], None] = None,
        init_func: Optional[Callable[[], Any]] = None,
        fargs: Optional[Sequence[Any]] = None,
        interval: Optional[float] = None,
        repeat: bool = True,
        blit: bool = False,
        save_count: Optional[int] = None,
    ) -> None:
        if frames is None:
            frames = save_count if save_count is not None else 100
        if interval is not None:
            fig.fps = 1000.0 / u.number(interval, "interval", "FuncAnimation", positive=True)
        self.figure = fig
        fig.animate(func, frames, init_func=init_func, fargs=tuple(fargs or ()))

    @checked
    def save(self, filename: PathLike, writer: Any = None, fps: Optional[float] = None, dpi: Optional[float] = None, progress: Any = True) -> Dict[str, Any]:
        """Saves the animation (see :meth:`Figure.save`); ``writer`` is ignored."""
        return self.figure.save(filename, fps=fps, dpi=dpi, progress=progress)

    def to_jshtml(self) -> str:
        """The HTML player fragment."""
        return self.figure.html()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Dict[str, Any]:
        return self.figure._repr_mimebundle_(include, exclude)


def _bitrate(b: Union[None, int, str]) -> Optional[int]:
    if b is None:
        return None
    if isinstance(b, str):
        t = b.strip()
        mult = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6}.get(t[-1:], 1.0)
        num = t[:-1] if mult != 1.0 else t
        try:
            return int(round(float(num) * mult))
        except ValueError:
            raise ValueError(f"bitrate={b!r} is not bits per second such as 800k or 2M") from None
    return int(b)


def _explain(msg: str, paths: Dict[str, str]) -> str:
    """Adds which artist a native error's field path (``panels[0].layers[1].color``) is."""
    best = ""
    for p in paths:
        if p and p in msg and len(p) > len(best):
            best = p
    if best:
        return f"{msg} ({best} is {paths[best]})"
    return msg


def _rename_refs(spec: Any, names: Dict[str, str]) -> Any:
    if isinstance(spec, dict):
        return {k: _rename_refs(v, names) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_rename_refs(v, names) for v in spec]
    if isinstance(spec, str) and spec in names:
        return names[spec]
    return spec


def _savez(path: Path, arrays: Dict[str, np.ndarray]) -> None:
    tmp = path.with_name(path.name + ".partial.npz")
    named: Dict[str, Any] = {k[1:]: v for k, v in arrays.items()}
    np.savez(tmp, **named)
    os.replace(tmp, path)


def _write_spec(path: Path, spec: Dict[str, Any]) -> None:
    if path.suffix.lower() == ".toml":
        text = _toml.dumps(spec, "A flipbook scene written by fig.to_scene(): flipbook export THIS -o out.gif")
    else:
        text = json.dumps(spec, indent=2, allow_nan=False) + "\n"
    tmp = path.with_name(path.name + ".partial")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@checked
def figure(
    figsize: Optional[Sequence[float]] = None,
    dpi: Optional[float] = None,
    fps: Optional[float] = None,
    *,
    steps: Any = None,
    frames: Optional[int] = None,
    facecolor: Any = None,
) -> "Figure":
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
) -> Tuple["Figure", Any]:
    """A new figure and a grid of axes (``plt.subplots``): returns ``(fig, ax)`` for 1x1, else
    ``(fig, axs)`` with a numpy array of axes. Keywords as :func:`figure` and
    :meth:`Figure.subplots`."""
    fig = Figure(figsize, dpi, fps, steps=steps, frames=frames, facecolor=facecolor)
    return fig, fig.subplots(nrows, ncols, squeeze=squeeze, subplot_kw=subplot_kw)
