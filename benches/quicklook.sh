#!/usr/bin/env bash
# Quick look, flipbook against matplotlib: wall time of whole processes turning a (200, 480, 640)
# float32 .npy stack into a 640x480 GIF (viridis, one colour range over all frames, colorbar, the
# frame number in the title), flipbook's `export` against benches/peer/mpl_imshow.py
# (FuncAnimation + PillowWriter). Runs alternate (and swap order every round) so drift in machine
# load hits both; it prints every run, then the medians and their ratio.
#
# Set-up (once):
#   cargo build --release                      # or point $FLIPBOOK at a binary
#   python3 -m venv /tmp/mpl && /tmp/mpl/bin/pip install matplotlib pillow numpy
# Run:
#   benches/quicklook.sh [ROUNDS]              # ROUNDS defaults to 3
# Environment:
#   FLIPBOOK       flipbook binary (default: target/release/flipbook)
#   MPL_PYTHON     Python with matplotlib, pillow, numpy (default: /tmp/mpl/bin/python)
#   QUICKLOOK_DIR  where the stack is generated once and kept (default: $TMPDIR or /tmp, then
#                  flipbook-quicklook); delete it to regenerate
#   OUT            flipbook's GIF (default /tmp/x.gif); matplotlib's goes beside it as *-mpl.gif
set -euo pipefail

ROUNDS=${1:-3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FLIPBOOK=${FLIPBOOK:-$ROOT/target/release/flipbook}
MPL_PYTHON=${MPL_PYTHON:-/tmp/mpl/bin/python}
WORK=${QUICKLOOK_DIR:-${TMPDIR:-/tmp}/flipbook-quicklook}
OUT=${OUT:-/tmp/x.gif}
OUT_MPL=${OUT%.gif}-mpl.gif
PEER=$ROOT/benches/peer/mpl_imshow.py
STACK=$WORK/stack.npy
FPS=20
SIZE=640x480

die() { echo "quicklook: $*" >&2; exit 1; }

[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive whole number, got '$ROUNDS'"
[[ -x $FLIPBOOK ]] || die "no flipbook binary at $FLIPBOOK (cargo build --release, or set FLIPBOOK)"
"$MPL_PYTHON" -c "import matplotlib, numpy, PIL" 2>/dev/null ||
    die "$MPL_PYTHON lacks matplotlib, numpy or pillow; set MPL_PYTHON, or set up" \
        "python3 -m venv /tmp/mpl && /tmp/mpl/bin/pip install matplotlib pillow numpy"
mkdir -p "$WORK"

if [[ ! -f $STACK ]]; then
    echo "generating $STACK (200 x 480 x 640 float32, 246 MB) ..."
    # Written under a temporary name and renamed when complete, so an interrupted run is redone.
    "$MPL_PYTHON" - "$STACK.part" <<'EOF'
import sys
import numpy as np

T, H, W = 200, 480, 640
out = np.lib.format.open_memmap(sys.argv[1], mode="w+", dtype=np.float32, shape=(T, H, W))
y = np.linspace(-1.0, 1.0, H, dtype=np.float32)[:, None]
x = np.linspace(-4.0 / 3.0, 4.0 / 3.0, W, dtype=np.float32)[None, :]
for t in range(T):
    a = np.float32(2 * np.pi * t / T)
    # Travelling waves plus a blob circling the centre: smooth, different in every frame.
    cx, cy = 0.6 * np.cos(a), 0.5 * np.sin(a)
    frame = np.sin(5 * x + a) * np.cos(4 * y - 2 * a)
    frame += 1.5 * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 0.05)
    out[t] = frame
out.flush()
del out
EOF
    mv "$STACK.part" "$STACK"
fi

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
size_mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.2f", b / 1e6 }'; }

FRAMES=$("$MPL_PYTHON" -c 'import sys, numpy as np; print(np.load(sys.argv[1], mmap_mode="r").shape[0])' "$STACK")
flipbook_times=()
mpl_times=()

run_flipbook() {
    local log=$WORK/flipbook.log t0 t1
    rm -f "$OUT"
    t0=$(now)
    if ! "$FLIPBOOK" export "$STACK" -o "$OUT" --fps "$FPS" --size "$SIZE" >"$log" 2>&1; then
        cat "$log" >&2
        die "flipbook export failed (log above)"
    fi
    t1=$(now)
    [[ -s $OUT ]] || die "flipbook wrote no $OUT"
    local s
    s=$(elapsed "$t0" "$t1")
    flipbook_times+=("$s")
    printf 'round %d  flipbook    %8.3f s  %7.1f ms/frame  %s MB\n' "$1" "$s" \
        "$(awk -v s="$s" -v n="$FRAMES" 'BEGIN { print 1000 * s / n }')" "$(size_mb "$OUT")"
}

run_mpl() {
    local log=$WORK/mpl.log t0 t1
    rm -f "$OUT_MPL"
    t0=$(now)
    if ! "$MPL_PYTHON" "$PEER" "$STACK" "$OUT_MPL" --fps "$FPS" >"$log" 2>&1; then
        cat "$log" >&2
        die "the matplotlib peer failed (log above)"
    fi
    t1=$(now)
    [[ -s $OUT_MPL ]] || die "the matplotlib peer wrote no $OUT_MPL"
    local s
    s=$(elapsed "$t0" "$t1")
    mpl_times+=("$s")
    printf 'round %d  matplotlib  %8.3f s  %7.1f ms/frame  %s MB   (its own line: %s)\n' "$1" "$s" \
        "$(awk -v s="$s" -v n="$FRAMES" 'BEGIN { print 1000 * s / n }')" "$(size_mb "$OUT_MPL")" \
        "$(tail -n 1 "$log")"
}

echo "stack $STACK: $FRAMES frames -> GIF $SIZE at $FPS fps, $ROUNDS rounds"
echo "flipbook:   $FLIPBOOK export $STACK -o $OUT --fps $FPS --size $SIZE"
echo "matplotlib: $MPL_PYTHON $PEER $STACK $OUT_MPL --fps $FPS"
for ((r = 1; r <= ROUNDS; r++)); do
    if ((r % 2)); then run_flipbook "$r"; run_mpl "$r"; else run_mpl "$r"; run_flipbook "$r"; fi
done

fb=$(median "${flipbook_times[@]}")
mp=$(median "${mpl_times[@]}")
echo "median flipbook   ${fb} s  ($(awk -v s="$fb" -v n="$FRAMES" 'BEGIN { printf "%.1f", 1000 * s / n }') ms/frame)"
echo "median matplotlib ${mp} s  ($(awk -v s="$mp" -v n="$FRAMES" 'BEGIN { printf "%.1f", 1000 * s / n }') ms/frame)"
echo "ratio matplotlib/flipbook $(awk -v a="$mp" -v b="$fb" 'BEGIN { printf "%.2f", a / b }')x"
