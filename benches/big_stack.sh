#!/usr/bin/env bash
# A stack bigger than one wants in memory: flipbook's quick look on a 1.6 GB .npy of
# 1500 x 512 x 512 float32 frames. It measures
#   1. peak resident memory (RSS) and wall time of exporting frames 700..800 to a GIF: memory should
#      stay near a few frames' worth, not the file's size (the .npy is memory-mapped and frames are
#      read on demand). RSS counts the mapped file pages a process touched, so a pass over the
#      whole file (say, for colour limits) shows up here even though those pages are page cache;
#   2. wall time and RSS of exporting one frame (--start S --end S+1, to a PNG) at S = 0, 750 and
#      1499, REPEATS times each: seeking should cost about the same wherever the frame is.
#
# The stack is generated once into $BIG_DIR (default /tmp/flipbook-big; needs ~1.6 GB of disk) with
# numpy's np.lib.format.open_memmap, 50 frames at a time, so generation never holds it in memory;
# delete the directory to regenerate. Frame t shows a pattern that turns with t, plus a ramp of
# 1e-3 * t, so every frame differs.
#
# Set-up (once):
#   cargo build --release                  # or point $FLIPBOOK at a binary
#   a Python with numpy: $PYTHON, else /tmp/mpl/bin/python (python3 -m venv /tmp/mpl &&
#   /tmp/mpl/bin/pip install matplotlib pillow numpy), else python3
#   GNU time at /usr/bin/time: installed here with `apt-get install -y time` if missing (as root,
#   or through sudo)
# Run:
#   benches/big_stack.sh
# Environment: FLIPBOOK (default target/release/flipbook), BIG_DIR, PYTHON, REPEATS (default 3),
#   DROP_CACHES=1 to empty the page cache before every run (root or sudo; cold-disk numbers)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FLIPBOOK=${FLIPBOOK:-$ROOT/target/release/flipbook}
BIG_DIR=${BIG_DIR:-/tmp/flipbook-big}
REPEATS=${REPEATS:-3}
DROP_CACHES=${DROP_CACHES:-0}
STACK=$BIG_DIR/stack.npy
T=1500
H=512
W=512

die() { echo "big_stack: $*" >&2; exit 1; }
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

[[ $REPEATS =~ ^[1-9][0-9]*$ ]] || die "REPEATS must be a positive whole number, got '$REPEATS'"
[[ -x $FLIPBOOK ]] || die "no flipbook binary at $FLIPBOOK (cargo build --release, or set FLIPBOOK)"

if [[ -z ${PYTHON:-} ]]; then
    if [[ -x /tmp/mpl/bin/python ]]; then PYTHON=/tmp/mpl/bin/python; else PYTHON=python3; fi
fi
"$PYTHON" -c "import numpy" 2>/dev/null ||
    die "$PYTHON has no numpy: set PYTHON, or python3 -m venv /tmp/mpl && /tmp/mpl/bin/pip install numpy"

if ! /usr/bin/time -v true >/dev/null 2>&1; then
    echo "installing GNU time (apt-get install -y time) ..."
    as_root apt-get install -y time || { as_root apt-get update && as_root apt-get install -y time; }
    /usr/bin/time -v true >/dev/null 2>&1 || die "GNU time is still missing at /usr/bin/time"
fi

mkdir -p "$BIG_DIR"
if [[ ! -f $STACK ]]; then
    need_kb=$((T * H * W * 4 / 1024 + 65536))
    free_kb=$(df -Pk "$BIG_DIR" | awk 'NR == 2 { print $4 }')
    ((free_kb > need_kb)) || die "$BIG_DIR has $((free_kb / 1024)) MiB free, needs $((need_kb / 1024)) MiB"
    echo "generating $STACK ($T x $H x $W float32, $((T * H * W * 4 / 1000000)) MB) ..."
    # Written under a temporary name and renamed when complete, so an interrupted run is redone.
    "$PYTHON" - "$STACK.part" "$T" "$H" "$W" <<'EOF'
import sys
import numpy as np

path, T, H, W = sys.argv[1], *map(int, sys.argv[2:])
np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(T, H, W)).flush()
y = np.linspace(-1.0, 1.0, H, dtype=np.float32)[:, None]
x = np.linspace(-1.0, 1.0, W, dtype=np.float32)[None, :]
envelope = np.exp(-(x * x + y * y))
chunk = 50
for start in range(0, T, chunk):
    # Mapped afresh per chunk and unmapped after it, so no more than a chunk's pages are ever
    # part of this process (open_memmap maps the whole file; touched pages count as resident).
    out = np.lib.format.open_memmap(path, mode="r+")
    for t in range(start, min(start + chunk, T)):
        a = 2 * np.pi * t / 300
        c, s = np.float32(np.cos(a)), np.float32(np.sin(a))
        u = c * x + s * y  # stripes turning with t
        out[t] = np.sin(8 * u) * envelope + np.float32(1e-3 * t)
    out.flush()
    del out
EOF
    mv "$STACK.part" "$STACK"
fi

drop_caches() {
    if [[ $DROP_CACHES == 1 ]]; then
        sync
        echo 3 | as_root tee /proc/sys/vm/drop_caches >/dev/null || die "could not drop caches"
    fi
}

# Runs flipbook under GNU time; sets RSS_MB from its report ("Maximum resident set size") and
# WALL in seconds (taken around it to the microsecond: GNU time's "Elapsed" has centiseconds).
timed() {
    local report=$BIG_DIR/time.log t0 t1
    drop_caches
    t0=$EPOCHREALTIME
    if ! /usr/bin/time -v -o "$report" "$FLIPBOOK" "$@" >"$BIG_DIR/flipbook.log" 2>&1; then
        cat "$BIG_DIR/flipbook.log" >&2
        die "flipbook $* failed (log above)"
    fi
    t1=$EPOCHREALTIME
    RSS_MB=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$report")
    WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "stack: $STACK ($(du -h "$STACK" | cut -f1)), flipbook: $FLIPBOOK, page cache dropped: $DROP_CACHES"

rm -f "$BIG_DIR/out.gif"
timed export "$STACK" -o "$BIG_DIR/out.gif" --start 700 --end 800
[[ -s $BIG_DIR/out.gif ]] || die "no $BIG_DIR/out.gif written"
echo "frames 700..800 -> GIF: wall ${WALL} s, peak RSS ${RSS_MB} MB, $(du -h "$BIG_DIR/out.gif" | cut -f1)"

for s in 0 750 $((T - 1)); do
    walls=()
    for ((r = 1; r <= REPEATS; r++)); do
        out=$BIG_DIR/frame-$s.png
        rm -f "$out"
        timed export "$STACK" -o "$out" --start "$s" --end $((s + 1))
        [[ -s $out ]] || die "no $out written"
        walls+=("$WALL")
        echo "frame $s -> PNG, run $r: wall ${WALL} s, peak RSS ${RSS_MB} MB"
    done
    echo "frame $s: median wall $(median "${walls[@]}") s"
done
