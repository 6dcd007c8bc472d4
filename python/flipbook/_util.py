"""Shared helpers: keyword checking with suggestions, numeric arrays, the one time rule, colours.

Every public method is wrapped by :func:`checked`, so an unknown keyword argument is a
``TypeError`` that names it and suggests the closest known one. Data arguments go through
:func:`to_array` (numbers only; object, complex, string and date arrays are a ``TypeError`` naming
the argument) and :func:`split_time`, which applies flipbook's one rule for time: an array with one
more leading axis than one frame needs is per-frame (axis 0 is the frame), otherwise it is static.
"""
from __future__ import annotations

import difflib
import functools
import inspect
import math
import sys
from typing import Any, Callable, Iterable, Optional, Sequence, Tuple, TypeVar, Union

import numpy as np

F = TypeVar("F", bound=Callable[..., Any])

#: What a data field holds for one frame, as the scene model's ranks name it.
SCALAR = "scalar"  # a number; (T,) per frame
VECTOR = "vector"  # (N,); (T, N) per frame
VECTOR_OR_SCALAR = "vector_or_scalar"  # a number or (N,); (T, N) per frame
IMAGE = "image"  # (H, W) or (H, W, 3|4); with a leading T per frame

_NEEDS = {
    SCALAR: "a number, or (T,) for one per frame",
    VECTOR: "(N,), or (T, N) for one per frame",
    VECTOR_OR_SCALAR: "a number, (N,), or (T, N) for one per frame",
    IMAGE: "(H, W) or (H, W, 3|4), or with a leading T for one per frame",
}

ColorLike = Union[str, Sequence[float]]


def fmt_shape(shape: Iterable[int]) -> str:
    """A shape as numpy prints it: ``(50,)``, ``(90, 50)``, ``()``."""
    return str(tuple(int(s) for s in shape))


def unknown_keyword(func: str, name: str, known: Iterable[str]) -> TypeError:
    """The error for an unknown keyword argument, with the closest known name."""
    known = sorted(set(known))
    msg = f"{func}() got an unexpected keyword argument '{name}'"
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    if close:
        msg += f"; did you mean '{close[0]}'?"
    elif known:
        msg += f" (it takes: {', '.join(known)})"
    return TypeError(msg)


def checked(fn: F) -> F:
    """Wraps a function so unknown keyword arguments raise a ``TypeError`` that suggests the
    closest known keyword (``difflib.get_close_matches``)."""
    params = inspect.signature(fn).parameters
    known = frozenset(
        n
        for n, p in params.items()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and n != "self"
    )
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return fn  # the function checks its own **kwargs
    qual = fn.__qualname__

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for k in kwargs:
            if k not in known:
                raise unknown_keyword(qual, k, known)
        return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def to_array(value: Any, name: str, owner: str) -> np.ndarray:
    """``value`` as a numeric numpy array (no copy when it already is one).

    bool, integer and float arrays pass (float16 becomes float32); masked arrays have their masked
    values replaced by NaN (a gap). Strings, objects, complex numbers and dates are a
    ``TypeError``; nested lists of unequal lengths a ``ValueError``, both naming ``name``.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(
            f"{owner}: {name} is a string ({value!r}); give numbers (np.load a file first)"
        )
    # Only a module that made a masked array has numpy.ma loaded: do not import it (0.1 s) for
    # everyone else.
    ma = sys.modules.get("numpy.ma")
    if ma is not None and isinstance(value, ma.MaskedArray):
        value = ma.filled(value.astype(np.float64), np.nan)
    try:
        a = np.asarray(value)
    except (ValueError, TypeError) as e:
        raise ValueError(
            f"{owner}: {name} is not a rectangular array of numbers (nested lists of unequal "
            f"lengths?): {e}"
        ) from None
    kind = a.dtype.kind
    if kind in "biu":
        return a
    if kind == "f":
        if a.dtype.itemsize < 4:
            return a.astype(np.float32)
        if a.dtype.itemsize > 8:
            return a.astype(np.float64)
        return a
    what = {
        "c": "complex numbers (take .real, .imag or np.abs first)",
        "O": "Python objects (dtype object): nested lists of unequal lengths, None or "
        "non-numbers",
        "U": "strings",
        "S": "bytes",
        "M": "dates (datetime64)",
        "m": "time spans (timedelta64)",
        "V": "structured records (pick a field)",
    }.get(kind, f"dtype {a.dtype}")
    raise TypeError(
        f"{owner}: {name} holds {what}, shape {fmt_shape(a.shape)}; flipbook draws numbers"
    )


def split_time(a: np.ndarray, rank: str, name: str, owner: str) -> Tuple[bool, Tuple[int, ...]]:
    """Applies the one rule for time: returns (per_frame, one frame's shape).

    Raises ``ValueError`` naming the argument and its shape when ``a`` fits neither one frame nor
    one frame per entry of a leading axis.
    """
    shape = tuple(a.shape)
    nd = len(shape)
    last = shape[-1] if shape else 0
    per_frame: Optional[bool] = None
    if rank == SCALAR:
        per_frame = {0: False, 1: True}.get(nd)
    elif rank == VECTOR:
        per_frame = {1: False, 2: True}.get(nd)
    elif rank == VECTOR_OR_SCALAR:
        per_frame = {0: False, 1: False, 2: True}.get(nd)
    elif rank == IMAGE:
        if nd == 2:
            per_frame = False
        elif nd == 3:
            per_frame = last not in (3, 4)
        elif nd == 4 and last in (3, 4):
            per_frame = True
    if per_frame is None:
        raise ValueError(f"{owner}: {name} has shape {fmt_shape(shape)}; it needs {_NEEDS[rank]}")
    if per_frame and shape[0] == 0:
        raise ValueError(
            f"{owner}: {name} has shape {fmt_shape(shape)}: 0 frames along its leading (time) axis"
        )
    return per_frame, (shape[1:] if per_frame else shape)


def number(value: Any, name: str, owner: str, *, positive: bool = False) -> float:
    """A finite number for a setting (not data): ``vmin``, ``linewidth``, ``fps``."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{owner}: {name} must be a number, got {value!r}") from None
    if not math.isfinite(v) or (positive and v <= 0):
        kind = "a positive" if positive else "a finite"
        raise ValueError(f"{owner}: {name} must be {kind} number, got {value!r}")
    return v


def pair(value: Any, name: str, owner: str) -> list:
    """Two finite numbers (limits)."""
    try:
        lo, hi = value
    except (TypeError, ValueError):
        raise TypeError(f"{owner}: {name} must be two numbers (low, high), got {value!r}") from None
    return [number(lo, name, owner), number(hi, name, owner)]


def color(value: Any, name: str, owner: str) -> Any:
    """A colour for the scene model: a name/hex/grey-level string (checked by the renderer) or
    RGB(A) channels in 0..1."""
    if isinstance(value, str):
        return value
    try:
        channels = [float(c) for c in value]
    except (TypeError, ValueError):
        raise TypeError(
            f"{owner}: {name} must be a colour: a name ('r', 'C1', 'tab:orange', 'steelblue'), "
            f"'#rrggbb', a grey level '0.5', or (r, g, b[, a]) in 0..1; got {value!r}"
        ) from None
    if len(channels) not in (3, 4) or not all(0.0 <= c <= 1.0 for c in channels):
        raise ValueError(f"{owner}: {name} {value!r} is not (r, g, b) or (r, g, b, a) in 0..1")
    return channels


def is_color(value: Any) -> bool:
    """Whether ``value`` reads as one colour (a string, or 3-4 numbers in 0..1)."""
    if isinstance(value, str):
        return True
    if isinstance(value, (tuple, list)) and len(value) in (3, 4):
        try:
            return all(isinstance(c, (int, float)) and 0 <= c <= 1 for c in value)
        except TypeError:
            return False
    return False


def text_value(value: Any, name: str, owner: str) -> Union[str, list]:
    """Text for a template field: a ``str`` template, or a list of strings (one per frame)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, np.ndarray)) and all(isinstance(s, str) for s in value):
        if len(value) == 0:
            raise ValueError(f"{owner}: {name} is an empty list; give one string per frame")
        return [str(s) for s in value]
    if isinstance(value, (int, float, np.number)):
        return str(value)
    raise TypeError(
        f"{owner}: {name} must be a string (a template such as 'epoch {{step}}') or a list of "
        f"strings, one per frame; got {type(value).__name__}"
    )


def same_value(a: Any, b: Any) -> bool:
    """Whether two recorded field values are equal (NaN equals NaN)."""
    if a is b:
        return True
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        try:
            return bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
        except TypeError:
            return bool(np.array_equal(a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return False
    return bool(a == b)


def copy_value(v: Any) -> Any:
    """A copy of a field value that later in-place changes to the original cannot alter."""
    if isinstance(v, np.ndarray):
        return np.array(v, copy=True)
    if isinstance(v, list):
        return list(v)
    return v
