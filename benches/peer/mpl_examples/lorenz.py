"""examples/python/lorenz.py drawn with matplotlib: three Lorenz trajectories from starts 1e-4
apart, growing in 3D as the camera turns.

    python lorenz.py [out.gif|out.mp4]
"""
import sys

import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation


def lorenz(p, s=10.0, r=28.0, b=8 / 3):
    x, y, z = p.T
    return np.stack([s * (y - x), x * (r - z) - y, x * y - b * z], axis=1)


dt, steps = 0.005, 4800
p = np.array([[0.0, 1.0, 1.05], [0.0, 1.0001, 1.05], [0.0, 1.0002, 1.05]])
path = [p]
for _ in range(steps):  # fourth-order Runge-Kutta
    k1 = lorenz(p)
    k2 = lorenz(p + dt / 2 * k1)
    k3 = lorenz(p + dt / 2 * k2)
    k4 = lorenz(p + dt * k3)
    p = p + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    path.append(p)
path = np.array(path[::4])  # (1201, 3 trajectories, xyz)

fig = plt.figure(figsize=(6.4, 4.8), dpi=100)
ax = fig.add_subplot(projection="3d")
lines = [ax.plot([], [], [], lw=1.08)[0] for _ in range(3)]
heads = [ax.plot([], [], [], "o", ms=5.76, color=line.get_color())[0] for line in lines]
title = ax.set_title("")
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.set_zlabel("z")
ax.set_xlim(-22, 22)
ax.set_ylim(-30, 30)
ax.set_zlim(0, 52)


def update(i):
    for k in range(3):  # frame i draws the first i+1 points of each
        lines[k].set_data_3d(*path[:i + 1, k].T)
        heads[k].set_data_3d(*path[i:i + 1, k].T)
    title.set_text(f"Lorenz attractor, t = {i * 4 * dt:.2f}")
    ax.view_init(elev=30, azim=-60 + 0.1 * i)  # a slow turn: 0.1 degree a frame


anim = FuncAnimation(fig, update, frames=len(path), interval=1000 / 50)
out = sys.argv[1] if len(sys.argv) > 1 else "lorenz.gif"
anim.save(out, writer="pillow" if out.endswith(".gif") else "ffmpeg", fps=50)
