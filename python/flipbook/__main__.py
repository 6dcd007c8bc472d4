"""``python -m flipbook`` and the ``flipbook`` command: the command line of flipbook's Rust
program (``view``, ``export``, ``inspect``, ``list`` …), run in this process."""
from __future__ import annotations

import sys


def main() -> None:
    """Runs the ``flipbook`` command line with ``sys.argv`` and exits with its status."""
    from . import _native  # type: ignore[attr-defined]

    sys.exit(_native.main(["flipbook", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
