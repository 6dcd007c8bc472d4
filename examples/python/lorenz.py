"""Three Lorenz trajectories from starts 1e-4 apart, growing in 3D as the camera turns.

    python lorenz.py [out.gif]
"""
import sys

import numpy as np

import flipbook as fb


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

fig = fb.figure(fps=50)
ax = fig.add_subplot(projection="3d")
for k in range(3):  # frame i draws the first i+1 points of each
    ax.plot(*path[:, k].T, grow=True, head="o", lw=1.08, ms=5.76)
fig.set_vars(t=np.arange(len(path)) * 4 * dt)
ax.set_title("Lorenz attractor, t = {t:.2f}")
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.set_zlabel("z")
ax.set_xlim(-22, 22)
ax.set_ylim(-30, 30)
ax.set_zlim(0, 52)
ax.view_init(elev=30, azim=-60, spin=0.1)  # a slow turn: 0.1 degree a frame
fig.save(sys.argv[1] if len(sys.argv) > 1 else "lorenz.gif")
