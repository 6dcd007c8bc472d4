"""A small TOML writer for scene specs (Python's ``tomllib`` reads TOML but does not write it).

It writes what a scene spec holds: tables, arrays of tables (``[[panels]]``,
``[[panels.layers]]``), strings, numbers, booleans and lists of them.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any, Dict, List

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE.match(k) else json.dumps(k, ensure_ascii=False)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _is_table_array(v: Any) -> bool:
    return isinstance(v, list) and len(v) > 0 and all(isinstance(x, dict) for x in v)


def _table(out: List[str], prefix: str, d: Dict[str, Any], header: str) -> None:
    if header:
        out.append("")
        out.append(header)
    subtables = []
    arrays = []
    for k, v in d.items():
        if isinstance(v, dict) and v:
            subtables.append((k, v))
        elif _is_table_array(v):
            arrays.append((k, v))
        else:
            out.append(f"{_key(k)} = {_value(v)}")
    for k, v in subtables:
        name = f"{prefix}{_key(k)}"
        _table(out, name + ".", v, f"[{name}]")
    for k, items in arrays:
        name = f"{prefix}{_key(k)}"
        for item in items:
            _table(out, name + ".", item, f"[[{name}]]")


def dumps(spec: Dict[str, Any], comment: str = "") -> str:
    """The spec as TOML text, with an optional comment on top."""
    out: List[str] = []
    if comment:
        out.extend("# " + line if line else "#" for line in comment.splitlines())
    _table(out, "", spec, "")
    return "\n".join(out).lstrip("\n") + "\n"
