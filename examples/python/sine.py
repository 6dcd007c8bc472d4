"""sin(x + i/10) travelling past a fixed cos(x): whole arrays, one row per frame.

    python sine.py [out.gif]
"""
import sys

import numpy as np

import flipbook as fb

x = np.arange(0, 2 * np.pi, 0.01)
i = np.arange(100)

fig, ax = fb.subplots(fps=25)
ax.plot(x, np.cos(x), lw=1.44, label="cos(x)")                       # (629,): every frame
ax.plot(x, np.sin(x + i[:, None] / 10), lw=1.44, label="sin(x + i/10)")  # (100, 629): row i in frame i
fig.set_vars(phase=i / 10)
ax.set_title("sin(x + {phase:.1f})")
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.set_xlim(0, 2 * np.pi)
ax.set_ylim(-1.1, 1.1)
ax.grid(True)
ax.legend(loc="lower left")
fig.save(sys.argv[1] if len(sys.argv) > 1 else "sine.gif")
