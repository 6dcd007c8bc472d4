#!/usr/bin/env python3
"""The Python package's speed targets: every tutorial example in examples/python/ against a
matplotlib script drawing the same data (benches/peer/mpl_examples/), whole processes, alternating,
in the same run.

For each example and format (GIF, MP4) it runs `python examples/python/NAME.py OUT` and
`python benches/peer/mpl_examples/NAME.py OUT` --rounds times, alternating which goes first, times
each whole process (interpreter start, imports, computing the data, drawing, encoding) with
time.perf_counter around subprocess.run, checks both wrote a non-empty file, and prints a markdown
table of medians, the speed-ups and the line counts of both scripts (non-blank lines that are not
comments or the module docstring). It also times, as whole processes, importing the package,
building a one-line figure and rendering its first frame, for flipbook and for matplotlib.
The examples run as users run them: full length, the figure's own size, fps and frame count.

Set-up (once; the numbers mean nothing with a debug build of the native module):
    cd python && VIRTUAL_ENV=/work/venv PATH=/work/venv/bin:$PATH maturin develop --release
    python3 -m venv /tmp/mpl && /tmp/mpl/bin/pip install matplotlib pillow numpy
Run (any python3; progress on stderr, the report on stdout):
    python3 benches/python_examples.py [--rounds 3] [--only sine,weights] [--formats gif,mp4]
        [--flipbook-python /work/venv/bin/python] [--mpl-python /tmp/mpl/bin/python]
"""
import argparse
import ast
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FB_DIR = os.path.join(ROOT, "examples", "python")
MPL_DIR = os.path.join(ROOT, "benches", "peer", "mpl_examples")
EXAMPLES = ["sine", "regression", "lorenz", "channels", "fooling", "boundary", "weights"]
FORMATS = ["gif", "mp4"]
TARGETS = {"gif": 15.0, "mp4": 8.0}  # minimum speed-up over matplotlib
STARTUP_TARGET_S = 0.5

FB_STARTUP = (
    "import flipbook as fb, numpy as np; fig = fb.figure(); ax = fig.add_subplot(); "
    "ax.plot(np.arange(10), np.arange(10)); fig.frame(0)"
)
MPL_STARTUP = (
    "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt, numpy as np; "
    "fig, ax = plt.subplots(); ax.plot(np.arange(10), np.arange(10)); fig.canvas.draw()"
)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def code_lines(path):
    """Non-blank lines of a script that are neither comments nor part of its module docstring."""
    with open(path, encoding="utf-8") as f:
        src = f.read()
    skip = set()
    body = ast.parse(src).body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        skip = set(range(body[0].lineno, body[0].end_lineno + 1))
    return sum(1 for n, line in enumerate(src.splitlines(), 1)
               if n not in skip and line.strip() and not line.strip().startswith("#"))


def gif_frames(path):
    """The number of images in a GIF file, or None if it cannot be parsed."""
    with open(path, "rb") as f:
        d = f.read()
    if d[:3] != b"GIF" or len(d) < 13:
        return None
    pos, n = 13, 0
    if d[10] & 0x80:
        pos += 3 * (2 << (d[10] & 7))
    try:
        while pos < len(d) and d[pos] != 0x3B:
            if d[pos] == 0x21:  # extension: label, then sub-blocks
                pos += 2
            elif d[pos] == 0x2C:  # image descriptor, local table, LZW code size, sub-blocks
                n += 1
                flags = d[pos + 9]
                pos += 10 + (3 * (2 << (flags & 7)) if flags & 0x80 else 0) + 1
            else:
                return None
            while d[pos]:
                pos += d[pos] + 1
            pos += 1
    except IndexError:
        return None
    return n


def mp4_frames(path):
    """The number of video frames in an MP4 file (through ffprobe), or None."""
    if not shutil.which("ffprobe"):
        return None
    r = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
                        "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", path],
                       capture_output=True, text=True)
    try:
        return int(r.stdout.strip())
    except ValueError:
        return None


def timed(cmd, cwd, timeout, out=None):
    """Runs cmd as a whole process and returns its wall time in seconds; exits on failure."""
    if out is not None and os.path.exists(out):
        os.remove(out)
    t0 = time.perf_counter()
    try:
        r = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        sys.exit(f"python_examples: timed out after {timeout} s: {shlex.join(cmd)}")
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        tail = r.stderr.decode(errors="replace").strip().splitlines()[-15:]
        sys.exit(f"python_examples: exit status {r.returncode}: {shlex.join(cmd)}\n"
                 + "\n".join(tail))
    if out is not None and (not os.path.exists(out) or os.path.getsize(out) == 0):
        sys.exit(f"python_examples: no output (or an empty file) at {out}: {shlex.join(cmd)}")
    return dt


def query(python, code):
    r = subprocess.run([python, "-c", code], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"python_examples: {python} -c {code!r} failed:\n{r.stderr.strip()}")
    return r.stdout.strip()


def names(value, allowed, what):
    got = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in got if v not in allowed]
    if bad or not got:
        raise argparse.ArgumentTypeError(
            f"unknown {what} {', '.join(bad) or '(none)'}; choose from {', '.join(allowed)}")
    return got


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="runs of each script per format (3)")
    ap.add_argument("--only", type=lambda v: names(v, EXAMPLES, "example"), default=EXAMPLES,
                    help="comma-separated examples (default: all seven)")
    ap.add_argument("--formats", type=lambda v: names(v, FORMATS, "format"), default=FORMATS,
                    help="comma-separated formats: gif, mp4 (default: both)")
    ap.add_argument("--flipbook-python", default="/work/venv/bin/python",
                    help="a Python with flipbook installed (a release build)")
    ap.add_argument("--mpl-python", default="/tmp/mpl/bin/python",
                    help="a Python with matplotlib, pillow and numpy")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per process (3600)")
    ap.add_argument("--keep", metavar="DIR", help="write the outputs to DIR and keep them")
    a = ap.parse_args()
    if a.rounds < 1:
        ap.error("--rounds must be at least 1")
    fb_py, mpl_py = a.flipbook_python, a.mpl_python
    for py in (fb_py, mpl_py):
        if not shutil.which(py):
            ap.error(f"no Python at {py}")

    fb_ver = query(fb_py, "import flipbook, os; print(getattr(flipbook, '__version__', '?'), "
                          "os.path.dirname(flipbook.__file__))")
    mpl_ver = query(mpl_py, "import matplotlib, numpy, PIL; print(matplotlib.__version__, "
                            "'numpy', numpy.__version__, 'pillow', PIL.__version__)")
    ffmpeg = query(mpl_py, "import matplotlib.animation as a; print(a.writers.is_available('ffmpeg'))")
    if "mp4" in a.formats and ffmpeg != "True":
        sys.exit("python_examples: matplotlib finds no ffmpeg; install it or use --formats gif")

    out_dir = a.keep or tempfile.mkdtemp(prefix="flipbook-pyex-")
    os.makedirs(out_dir, exist_ok=True)
    times = {}  # (name, fmt, who) -> [seconds]
    start = []  # (flipbook, matplotlib) seconds
    try:
        for r in range(a.rounds):
            pair = [("flipbook", [fb_py, "-c", FB_STARTUP]), ("matplotlib", [mpl_py, "-c", MPL_STARTUP])]
            if r % 2:
                pair.reverse()
            got = {who: timed(cmd, out_dir, a.timeout) for who, cmd in pair}
            start.append((got["flipbook"], got["matplotlib"]))
            log(f"round {r + 1}/{a.rounds} startup: flipbook {got['flipbook']:.3f} s, "
                f"matplotlib {got['matplotlib']:.3f} s")
            k = 0
            for name in a.only:
                for fmt in a.formats:
                    runs = [("flipbook", fb_py, os.path.join(FB_DIR, name + ".py")),
                            ("matplotlib", mpl_py, os.path.join(MPL_DIR, name + ".py"))]
                    if (r + k) % 2:
                        runs.reverse()
                    k += 1
                    for who, py, script in runs:
                        out = os.path.join(out_dir, f"{name}-{'fb' if who == 'flipbook' else 'mpl'}.{fmt}")
                        dt = timed([py, script, out], out_dir, a.timeout, out)
                        times.setdefault((name, fmt, who), []).append(dt)
                        log(f"round {r + 1}/{a.rounds} {name} {fmt} {who}: {dt:.2f} s")
        frames = {}
        for name in a.only:
            counts = {}
            for who in ("fb", "mpl"):
                for fmt in reversed(a.formats):  # MP4 first: Pillow merges identical GIF frames
                    path = os.path.join(out_dir, f"{name}-{who}.{fmt}")
                    n = mp4_frames(path) if fmt == "mp4" else gif_frames(path)
                    if n is not None:
                        counts[who] = n
                        break
            fb_n, mpl_n = counts.get("fb"), counts.get("mpl")
            frames[name] = "?" if fb_n is None else str(fb_n) if fb_n == mpl_n or mpl_n is None \
                else f"{fb_n} (mpl {mpl_n})"
    finally:
        if not a.keep:
            shutil.rmtree(out_dir, ignore_errors=True)

    med = {key: statistics.median(v) for key, v in times.items()}
    print("## Python examples: flipbook against matplotlib\n")
    print(f"- command: `{shlex.join([os.path.basename(sys.executable)] + sys.argv)}`")
    print(f"- machine: {os.cpu_count()} cores, {platform.platform()}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    print(f"- flipbook {fb_ver} ({fb_py})")
    print(f"- matplotlib {mpl_ver} ({mpl_py}); GIF with PillowWriter, MP4 with FFMpegWriter")
    print(f"- whole processes, medians of {a.rounds} alternating round(s); seconds\n")
    head = ["example", "frames"]
    for fmt in a.formats:
        F = fmt.upper()
        head += [f"flipbook {F} s", f"matplotlib {F} s", f"{F} speed-up"]
    head += ["flipbook lines", "matplotlib lines"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|")
    misses = []
    for name in a.only:
        row = [name, frames[name]]
        for fmt in a.formats:
            f, m = med[(name, fmt, "flipbook")], med[(name, fmt, "matplotlib")]
            row += [f"{f:.2f}", f"{m:.2f}", f"{m / f:.1f}×"]
            if m / f < TARGETS[fmt]:
                misses.append(f"{name} {fmt.upper()} {m / f:.1f}× (target {TARGETS[fmt]:g}×)")
        fl, ml = code_lines(os.path.join(FB_DIR, name + ".py")), code_lines(os.path.join(MPL_DIR, name + ".py"))
        row += [str(fl), str(ml)]
        if fl > ml:
            misses.append(f"{name}: flipbook script {fl} lines, matplotlib {ml}")
        print("| " + " | ".join(row) + " |")
    fs = statistics.median(s[0] for s in start)
    ms = statistics.median(s[1] for s in start)
    print(f"\nImport, build a one-line figure, render its first frame (whole process): "
          f"flipbook {fs:.3f} s, matplotlib {ms:.3f} s.")
    if fs >= STARTUP_TARGET_S:
        misses.append(f"flipbook start-up {fs:.3f} s (target < {STARTUP_TARGET_S} s)")
    print("\nTargets (GIF ≥ 15×, MP4 ≥ 8×, start-up < 0.5 s, flipbook lines ≤ matplotlib lines): "
          + ("all met." if not misses else "missed: " + "; ".join(misses) + "."))


if __name__ == "__main__":
    main()
