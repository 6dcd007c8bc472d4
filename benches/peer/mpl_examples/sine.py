"""examples/python/sine.py drawn with matplotlib: sin(x + i/10) travelling past a fixed cos(x).

    python sine.py [out.gif|out.mp4]
"""
import sys

import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

x = np.arange(0, 2 * np.pi, 0.01)
i = np.arange(100)

fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
ax.plot(x, np.cos(x), lw=1.44, label="cos(x)")
line, = ax.plot(x, np.sin(x), lw=1.44, label="sin(x + i/10)")
title = ax.set_title("")
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.set_xlim(0, 2 * np.pi)
ax.set_ylim(-1.1, 1.1)
ax.grid(True)
ax.legend(loc="lower left")


def update(k):
    line.set_ydata(np.sin(x + i[k] / 10))
    title.set_text(f"sin(x + {i[k] / 10:.1f})")


anim = FuncAnimation(fig, update, frames=len(i), interval=1000 / 25)
out = sys.argv[1] if len(sys.argv) > 1 else "sine.gif"
anim.save(out, writer="pillow" if out.endswith(".gif") else "ffmpeg", fps=25)
