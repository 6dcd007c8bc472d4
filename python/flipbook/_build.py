"""Building the scene model: the JSON-able spec and the table of arrays its fields name.

The spec is exactly flipbook's scene-file model (``figure``, ``vars``, ``panels`` with
``layers``): what ``flipbook export scene.json`` reads. Data fields hold a number, a short
literal list, or a key of the array table (``"@a0"``); :meth:`Figure.to_scene` writes the same
spec with the keys pointing into an ``.npz`` beside it.
"""
from __future__ import annotations

import hashlib
import math
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from ._util import fmt_shape

#: Arrays at most this long are written into the spec as literal numbers.
INLINE_MAX = 16
#: Arrays up to this many bytes are shared with an equal array already in the table.
_DEDUP_BYTES = 64 << 20


class Build:
    """One build of a figure: arrays by key, spec paths by artist, and the timeline's checks."""

    def __init__(self, snaps: int, share: bool = True) -> None:
        self.snaps = snaps
        #: Inline short arrays and share equal ones (off for recordings, whose keys must stay
        #: the same from frame to frame).
        self.share = share
        self.arrays: Dict[str, np.ndarray] = {}
        self._ids: Dict[int, str] = {}
        self._hashes: Dict[Tuple[Any, ...], str] = {}
        #: Spec path of each layer or title → the artist's description (for native errors).
        self.paths: Dict[str, str] = {}
        #: Per-frame fields: (what, shape, T).
        self.time: List[Tuple[str, Tuple[int, ...], int]] = []
        #: Growing artists: (what, N).
        self.grows: List[Tuple[str, int]] = []

    def data(self, a: Any) -> Any:
        """A data field's value in the spec: a number, a short list, or an array-table key."""
        if not isinstance(a, np.ndarray):
            a = np.asarray(a)
        if not self.share:
            key = f"@a{len(self.arrays)}"
            # (np.ascontiguousarray would make a 0-d array 1-d.)
            self.arrays[key] = a if a.flags["C_CONTIGUOUS"] else np.ascontiguousarray(a)
            return key
        if a.dtype.kind in "biuf" and a.ndim <= 1 and a.size <= INLINE_MAX:
            vals = a.tolist()
            flat = vals if isinstance(vals, list) else [vals]
            if all(isinstance(v, (bool, int)) or math.isfinite(v) for v in flat):
                if a.dtype.kind == "b":
                    return [int(v) for v in vals] if a.ndim else int(vals)
                return vals
        known = self._ids.get(id(a))
        if known is not None:
            return known
        c = np.ascontiguousarray(a)
        sig = None
        if c.nbytes <= _DEDUP_BYTES:
            sig = (c.shape, c.dtype.str, hashlib.blake2b(c.data, digest_size=16).hexdigest())
            same = self._hashes.get(sig)
            if same is not None:
                self._ids[id(a)] = same
                return same
        key = f"@a{len(self.arrays)}"
        self.arrays[key] = c
        self._ids[id(a)] = key
        self._ids[id(c)] = key
        if sig is not None:
            self._hashes[sig] = key
        return key

    def resolve(self, artist: Any, path: str) -> Optional[Dict[str, Any]]:
        """An artist's field values for this build (``None``: not drawn), noting its per-frame
        fields for the timeline check."""
        values = artist._resolve(self.snaps)
        if values is None:
            return None
        what = artist._describe()
        self.paths[path] = what
        for name, shape, t in artist._time_fields(values):
            self.time.append((f"{what}: {name}", tuple(shape), t))
        n = artist._grows(values)
        if n is not None:
            self.grows.append((what, n))
        return values

    def layers(self, artists: List[Any], path: str) -> List[Dict[str, Any]]:
        """The layer specs of drawn artists, in order."""
        out: List[Dict[str, Any]] = []
        for a in artists:
            p = f"{path}[{len(out)}]"
            values = self.resolve(a, p)
            if values is None:
                continue
            out.append(a._layer(values, self))
        return out

    def frames(self, fixed: Optional[int]) -> int:
        """The timeline's length; every per-frame field and growing artist must agree."""
        entries = [(w, f"shape {fmt_shape(s)}", t) for w, s, t in self.time]
        entries += [(w, f"it grows over its {n} points", n) for w, n in self.grows]
        if self.snaps:
            for w, why, t in entries:
                if t != self.snaps:
                    raise ValueError(
                        f"{w} has {t} frames ({why}) but {self.snaps} frames were snapped; give "
                        f"one frame's data per snap(), or {self.snaps} frames at once"
                    )
            return self.snaps
        if not entries:
            return fixed or 1
        w0, why0, t0 = entries[0]
        for w, why, t in entries[1:]:
            if t != t0:
                raise ValueError(
                    f"{w} has {t} frames ({why}) but {w0} has {t0} ({why0}); every per-frame "
                    f"argument needs the same number of frames T"
                )
        if fixed is not None and fixed != t0:
            raise ValueError(f"frames={fixed} but {w0} has {t0} frames ({why0})")
        return t0
