"""The spec builder: each method builds the expected scene model (no native module needed)."""
from __future__ import annotations

import json
import sys

import numpy as np
import pytest

import flipbook as fb
from flipbook import _toml


def spec_of(fig):
    spec, arrays = fig.to_spec()
    json.dumps(spec, allow_nan=False)  # always valid JSON
    return spec, arrays


def resolve(spec_value, arrays):
    """A data field's value as an array (literal numbers or an array-table key)."""
    if isinstance(spec_value, str):
        return arrays[spec_value]
    return np.asarray(spec_value)


# -- figure and layout ------------------------------------------------------------------------


def test_figure_settings():
    fig = fb.figure(figsize=(8, 3), dpi=150, fps=12, facecolor="0.9")
    spec, arrays = spec_of(fig)
    assert spec == {
        "figure": {"figsize": [8.0, 3.0], "dpi": 150.0, "fps": 12.0, "background": "0.9"},
        "panels": [],
    }
    assert arrays == {}
    assert fig.size == (1200, 450)


def test_subplots_shapes_like_matplotlib():
    fig, ax = fb.subplots()
    assert isinstance(ax, fb.Axes)
    fig, axs = fb.subplots(1, 3)
    assert axs.shape == (3,) and all(isinstance(a, fb.Axes) for a in axs)
    fig, axs = fb.subplots(2, 1)
    assert axs.shape == (2,)
    fig, axs = fb.subplots(2, 3)
    assert axs.shape == (2, 3)
    assert axs[1, 2] is axs[1][2]
    spec, _ = spec_of(fig)
    assert spec["figure"]["grid"] == [2, 3]
    assert [p["at"] for p in spec["panels"]] == [[r, c] for r in range(2) for c in range(3)]
    fig, axs = fb.subplots(1, 1, squeeze=False)
    assert axs.shape == (1, 1)


def test_add_subplot_grids_merge_by_lcm():
    fig = fb.figure()
    a = fig.add_subplot(2, 2, 1)
    b = fig.add_subplot(2, 2, 2, projection="3d")
    c = fig.add_subplot(2, 1, 2)
    d = fig.add_subplot(3, 2, (5, 6))
    spec, _ = spec_of(fig)
    assert spec["figure"]["grid"] == [6, 2]
    p = spec["panels"]
    assert p[0]["at"] == [0, 0] and p[0]["span"] == [3, 1]
    assert p[1]["at"] == [0, 1] and p[1]["projection"] == "3d"
    assert p[2]["at"] == [3, 0] and p[2]["span"] == [3, 2]
    assert p[3]["at"] == [4, 0] and p[3]["span"] == [2, 2]
    fig = fb.figure()
    ax = fig.add_subplot(111, projection="3d")
    assert ax.name == "3d"
    assert fig.gca() is ax


def test_suptitle_steps_vars():
    fig = fb.figure(steps=np.arange(1, 6) * 10)
    fig.suptitle("epoch {step}: loss {loss:.3f}")
    fig.set_vars(loss=np.linspace(1, 0, 5), lr=0.1)
    spec, arrays = spec_of(fig)
    f = spec["figure"]
    assert f["suptitle"] == "epoch {step}: loss {loss:.3f}"
    assert f["step"] == [10, 20, 30, 40, 50]
    assert spec["vars"]["lr"] == 0.1
    assert spec["vars"]["loss"] == [1.0, 0.75, 0.5, 0.25, 0.0]
    assert fig.frame_count == 5


def test_frames_for_a_static_figure():
    fig = fb.figure(frames=7)
    fig.suptitle("frame {frame} of {frames}")
    spec, _ = spec_of(fig)
    assert spec["figure"]["frames"] == 7
    assert fig.frame_count == 7


# -- layers ------------------------------------------------------------------------------------


def test_plot_fields_and_styles():
    x = np.linspace(0, 1, 40)
    fig, ax = fb.subplots()
    a, = ax.plot(x)
    b, = ax.plot(x, x**2, "g--", lw=2, label="square", alpha=0.5)
    c, d = ax.plot(x, x, "ro", x, -x, "C2:", ms=3)
    e, = ax.plot(x, x, color=(0.1, 0.2, 0.3), linestyle=":", marker="s", markersize=4, linewidth=1)
    spec, arrays = spec_of(fig)
    layers = spec["panels"][0]["layers"]
    assert [l["kind"] for l in layers] == ["line"] * 5
    assert "x" not in layers[0] and resolve(layers[0]["y"], arrays).shape == (40,)
    assert layers[1]["fmt"] == "g--" and layers[1]["linewidth"] == 2.0
    assert layers[1]["label"] == "square" and layers[1]["alpha"] == 0.5
    assert layers[2]["fmt"] == "ro" and layers[3]["fmt"] == "C2:"
    assert layers[2]["markersize"] == 3.0
    assert layers[4]["color"] == [0.1, 0.2, 0.3]
    assert layers[4]["linestyle"] == ":" and layers[4]["marker"] == "s"
    # The same x array is stored once.
    assert layers[1]["x"] == layers[2]["x"] == layers[3]["x"]


def test_plot_per_frame_rows():
    x = np.linspace(0, 1, 30)
    Y = np.random.default_rng(0).random((12, 30))
    fig, ax = fb.subplots()
    ax.plot(x, Y)
    spec, arrays = spec_of(fig)
    layer = spec["panels"][0]["layers"][0]
    assert resolve(layer["y"], arrays).shape == (12, 30)
    assert fig.frame_count == 12


def test_plot_3d_and_grow():
    t = np.linspace(0, 10, 100)
    fig = fb.figure()
    ax = fig.add_subplot(projection="3d")
    ax.plot(np.cos(t), np.sin(t), t, grow=True, head="o", trail=20, color="C1")
    ax.set_zlabel("z")
    ax.set_zlim(0, 10)
    ax.view_init(elev=20, azim=-45, spin=0.5)
    spec, arrays = spec_of(fig)
    p = spec["panels"][0]
    layer = p["layers"][0]
    assert layer["grow"] is True and layer["head"] == "o" and layer["trail"] == 20.0
    assert resolve(layer["z"], arrays).shape == (100,)
    assert p["camera"] == {"azimuth": -45.0, "elevation": 20.0, "spin": 0.5}
    assert p["zlabel"] == "z" and p["zlim"] == [0.0, 10.0]
    assert fig.frame_count == 100  # a growing line's N is the timeline


def test_scatter_values_colours_sizes():
    rng = np.random.default_rng(1)
    x, y = rng.random(20), rng.random(20)
    fig, ax = fb.subplots()
    ax.scatter(x, y, s=25, c="r", label="data", marker="^")
    ax.scatter(x, y, c=rng.random((5, 20)), cmap="RdBu", vmin=0, vmax=1, alpha=0.7)
    ax.scatter(x, y, 9, rng.random(20))  # s and c positionally, as matplotlib's
    ax.scatter(x, y, s=rng.random(20) * 50, color="tab:orange")
    spec, arrays = spec_of(fig)
    l0, l1, l2, l3 = spec["panels"][0]["layers"]
    assert l0 == {"kind": "scatter", "x": l0["x"], "y": l0["y"], "color": "r", "s": 25,
                  "marker": "^", "label": "data"}
    assert resolve(l1["c"], arrays).shape == (5, 20) and l1["cmap"] == "RdBu"
    assert (l1["vmin"], l1["vmax"], l1["alpha"]) == (0.0, 1.0, 0.7)
    assert l2["s"] == 9 and resolve(l2["c"], arrays).shape == (20,)
    assert l3["color"] == "tab:orange" and resolve(l3["s"], arrays).shape == (20,)
    assert fig.frame_count == 5


def test_scatter_3d():
    fig = fb.figure()
    ax = fig.add_subplot(projection="3d")
    ax.scatter([0, 1], [1, 2], [2, 3])
    ax.scatter([0, 1], [1, 2], zs=5)
    spec, _ = spec_of(fig)
    l0, l1 = spec["panels"][0]["layers"]
    assert l0["z"] == [2, 3] and l1["z"] == [5.0, 5.0]


def test_imshow_options_and_colorbar():
    rng = np.random.default_rng(2)
    stack = rng.random((8, 6, 5)).astype(np.float32)
    fig, ax = fb.subplots()
    im = ax.imshow(stack, cmap="YlGn", vmin=0, vmax=1, interpolation="bilinear", annotate=".2f")
    fig.colorbar(im, label="|w|")
    spec, arrays = spec_of(fig)
    layer = spec["panels"][0]["layers"][0]
    assert layer == {"kind": "image", "data": "@a0", "cmap": "YlGn", "vmin": 0.0, "vmax": 1.0,
                     "interpolation": "bilinear", "annotate": ".2f", "colorbar": "|w|"}
    assert arrays["@a0"].dtype == np.float32 and fig.frame_count == 8
    fig, ax = fb.subplots()
    im = ax.imshow(np.zeros((4, 5, 3), np.uint8), extent=(0, 5, 0, 4))
    cb = fig.colorbar(im)
    assert im._colorbar is True
    cb.set_label("value")
    spec, arrays = spec_of(fig)
    layer = spec["panels"][0]["layers"][0]
    assert layer["extent"] == [0.0, 5.0, 0.0, 4.0] and layer["colorbar"] == "value"
    assert arrays[layer["data"]].dtype == np.uint8 and fig.frame_count == 1


def test_imshow_list_of_images_is_per_frame():
    frames = [np.ones((3, 5)) * k for k in range(4)]  # (4, 3, 5)
    fig, ax = fb.subplots()
    ax.imshow(frames)
    assert fig.frame_count == 4


def test_imshow_origin_lower_swaps_the_extent():
    fig, ax = fb.subplots()
    ax.imshow(np.zeros((4, 6)), origin="lower")
    ax.imshow(np.zeros((4, 6)), origin="lower", extent=(0, 1, 10, 20))
    spec, _ = spec_of(fig)
    l0, l1 = spec["panels"][0]["layers"]
    assert l0["extent"] == [-0.5, 5.5, 3.5, -0.5]
    assert l1["extent"] == [0.0, 1.0, 20.0, 10.0]


def test_bar_and_barh():
    fig, (a, b) = fb.subplots(1, 2)
    a.bar(["x", "y", "z"], [1, 2, 3], color=["C0", "C1", "r"], label="v", annotate=".1f")
    a.bar([0, 1, 2], np.ones((4, 3)), width=0.5, bottom=1, tick_label=["p", "q", "r"])
    b.barh(np.arange(5), np.random.default_rng(0).random((4, 5)), height=0.6, color="C3")
    spec, arrays = spec_of(fig)
    l0, l1 = spec["panels"][0]["layers"]
    assert l0 == {"kind": "bars", "values": [1, 2, 3], "tick_labels": ["x", "y", "z"],
                  "color": ["C0", "C1", "r"], "annotate": ".1f", "label": "v"}
    assert l1["width"] == 0.5 and l1["bottom"] == 1.0 and l1["x"] == [0, 1, 2]
    assert l1["tick_labels"] == ["p", "q", "r"]
    h = spec["panels"][1]["layers"][0]
    assert h["horizontal"] is True and h["width"] == 0.6 and h["color"] == "C3"
    assert resolve(h["values"], arrays).shape == (4, 5)


def test_text_layers():
    fig, ax = fb.subplots()
    ax.text(0.5, 0.9, "t = {frame}", transform=ax.transAxes, ha="center", va="top",
            fontsize=12, color="k")
    ax.text(np.arange(3.0), np.zeros(3), ["a", "b", "c"])
    ax.text(0.1, 0.1, "fig", transform=fig.transFigure)
    spec, arrays = spec_of(fig)
    t0, t1, t2 = spec["panels"][0]["layers"]
    assert t0 == {"kind": "text", "text": "t = {frame}", "x": 0.5, "y": 0.9, "coords": "axes",
                  "size": 12.0, "color": "k", "ha": "center", "va": "top"}
    assert t1["text"] == ["a", "b", "c"] and t1["x"] == [0.0, 1.0, 2.0]
    assert t2["coords"] == "figure"
    assert fig.frame_count == 3


def test_axes_decoration():
    fig, ax = fb.subplots()
    ax.plot([1, 2, 3])
    ax.set_title("fit {step}")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_xlim(0, 10)
    ax.set_ylim((-1, 1))
    ax.set_xticks([0, 5, 10], ["a", "b", "c"], rotation=-30)
    ax.set_yticks([-1, 1])
    ax.set_yticklabels(["lo", "hi"], rotation=10)
    ax.grid(True)
    ax.legend(loc=2)
    ax.set_aspect("equal")
    ax.axis("off")
    spec, _ = spec_of(fig)
    p = spec["panels"][0]
    for k, v in {
        "title": "fit {step}", "xlabel": "x", "ylabel": "y", "xlim": [0.0, 10.0],
        "ylim": [-1.0, 1.0], "xticks": [0.0, 5.0, 10.0], "xticklabels": ["a", "b", "c"],
        "xtick_rotation": -30.0, "yticks": [-1.0, 1.0], "yticklabels": ["lo", "hi"],
        "ytick_rotation": 10.0, "grid": True, "legend": "upper left", "aspect": "equal",
        "axis": "off",
    }.items():
        assert p[k] == v, k
    ax.axis([0, 1, 2, 3])
    ax.axis("on")
    ax.grid()  # toggles, as matplotlib's
    spec, _ = spec_of(fig)
    p = spec["panels"][0]
    assert p["xlim"] == [0.0, 1.0] and p["ylim"] == [2.0, 3.0] and "axis" not in p
    assert "grid" not in p


def test_twinx_and_legend_handles():
    x = np.linspace(0, 10, 5)
    fig, ax = fb.subplots()
    sc = ax.scatter(x, x, label="data")
    fit, = ax.plot(x, x, label="fit")
    tw = ax.twinx()
    cost, = tw.plot(x, x**2, "b", label="cost")
    tw.set_ylabel("cost")
    tw.set_ylim(0, 100)
    tw.legend(handles=[fit, cost], loc="upper center")
    spec, _ = spec_of(fig)
    p = spec["panels"][0]
    assert p["twin"]["ylabel"] == "cost" and p["twin"]["ylim"] == [0.0, 100.0]
    assert p["twin"]["layers"][0]["label"] == "cost"
    assert p["legend"] == "upper center"
    assert "label" not in p["layers"][0]  # not among the handles
    assert p["layers"][1]["label"] == "fit"
    ax.legend(["A", "B"])  # labels in order, as matplotlib's
    spec, _ = spec_of(fig)
    p = spec["panels"][0]
    assert [l.get("label") for l in p["layers"]] == ["A", "B"] and p["legend"] is True
    assert "label" not in p["twin"]["layers"][0]


def test_underscore_labels_stay_out_of_the_legend():
    fig, ax = fb.subplots()
    ax.plot([1, 2], label="_hidden")
    spec, _ = spec_of(fig)
    assert "label" not in spec["panels"][0]["layers"][0]


# -- step by step ------------------------------------------------------------------------------


def test_snap_stacks_what_changed_and_keeps_the_rest_static():
    x = np.linspace(0, 6, 25)
    fig, ax = fb.subplots()
    ref, = ax.plot(x, np.cos(x))
    line, = ax.plot(x, np.sin(x))
    title = ax.set_title("")
    y = np.sin(x)
    for i in range(6):
        y[:] = np.sin(x + i)  # changed in place: the snap copies it
        line.set_ydata(y)
        title.set_text(f"step {i}")
        fig.snap(loss=1.0 / (i + 1))
    spec, arrays = spec_of(fig)
    p = spec["panels"][0]
    static, moving = p["layers"]
    assert resolve(static["y"], arrays).shape == (25,)
    ys = resolve(moving["y"], arrays)
    assert ys.shape == (6, 25)
    assert np.allclose(ys[3], np.sin(x + 3))
    assert static["x"] == moving["x"]
    assert p["title"] == [f"step {i}" for i in range(6)]
    assert spec["vars"]["loss"] == pytest.approx([1 / (i + 1) for i in range(6)])
    assert spec["figure"]["frames"] == 6


def test_snap_equals_whole_arrays_in_the_spec():
    x = np.linspace(0, 1, 10)
    Y = np.stack([x * k for k in range(4)])
    whole, ax = fb.subplots()
    ax.plot(x, Y)
    ax.bar([0, 1], np.stack([[k, 2 * k] for k in range(4)]))
    ax.imshow(np.stack([np.full((2, 5), k) for k in range(4)]).astype(float))
    step, ax2 = fb.subplots()
    line, = ax2.plot(x, Y[0])
    bars = ax2.bar([0, 1], [0, 0])
    im = ax2.imshow(np.zeros((2, 5)))
    for k in range(4):
        line.set_ydata(Y[k])
        for rect, h in zip(bars, [k, 2 * k]):
            rect.set_height(h)
        im.set_data(np.full((2, 5), k, dtype=float))
        step.snap()
    s1, a1 = whole.to_spec()
    s2, a2 = step.to_spec()
    for l1, l2 in zip(s1["panels"][0]["layers"], s2["panels"][0]["layers"]):
        for k in l1:
            if k in ("y", "values", "data"):
                assert np.array_equal(resolve(l1[k], a1), resolve(l2[k], a2)), k
    assert step.frame_count == whole.frame_count == 4


def test_snap_pads_changing_point_counts_with_nan():
    fig, ax = fb.subplots()
    cost, = ax.plot([], [])
    for i in range(4):
        cost.set_data(np.arange(i + 1), np.arange(i + 1) ** 2)
        fig.snap()
    spec, arrays = spec_of(fig)
    layer = spec["panels"][0]["layers"][0]
    ys = resolve(layer["y"], arrays)
    assert ys.shape == (4, 4)
    assert np.isnan(ys[0, 1:]).all() and ys[3, 3] == 9


def test_artist_added_after_the_first_snap_is_hidden_before():
    fig, ax = fb.subplots()
    ax.plot([0, 1], [0, 1])
    fig.snap()
    fig.snap()
    late, = ax.plot([0, 1], [1, 0])
    note = ax.text(0, 0, "late")
    fig.snap()
    late.set_visible(False)
    fig.snap()
    spec, arrays = spec_of(fig)
    l0, l1, t = spec["panels"][0]["layers"]
    assert resolve(l0["y"], arrays).shape == (2,)
    ys = resolve(l1["y"], arrays)
    assert ys.shape == (4, 2)
    assert np.isnan(ys[[0, 1, 3]]).all() and not np.isnan(ys[2]).any()
    assert t["text"] == ["", "", "late", "late"]


def test_snap_values_and_animate():
    fig, ax = fb.subplots()
    line, = ax.plot(np.zeros(3))
    ax.set_title("epoch {step}: {loss:.2f}")

    def update(i):
        line.set_ydata(np.full(3, i))

    fig.animate(update, 5)
    spec, arrays = spec_of(fig)
    assert fig.snapped == 5
    assert resolve(spec["panels"][0]["layers"][0]["y"], arrays).shape == (5, 3)
    fig2, ax2 = fb.subplots()
    ax2.plot([1, 2])
    for e in (10, 20, 30):
        fig2.snap(step=e, loss=e / 100)
    spec, _ = spec_of(fig2)
    assert spec["figure"]["step"] == [10.0, 20.0, 30.0]
    assert spec["vars"]["loss"] == [0.1, 0.2, 0.3]
    fig2.snap(step=40)
    with pytest.raises(ValueError, match=r"snap\(loss=\.\.\.\) was not given in frame 3"):
        fig2.to_spec()


def test_func_animation():
    fig, ax = fb.subplots()
    sc = ax.scatter([0, 1], [0, 1])
    anim = fb.FuncAnimation(fig, lambda i: sc.set_offsets([[0, i], [1, -i]]), frames=3, interval=100)
    assert fig.fps == 10.0
    spec, arrays = spec_of(fig)
    assert resolve(spec["panels"][0]["layers"][0]["y"], arrays).shape == (3, 2)
    assert anim.figure is fig


def test_scatter_sizes_changing_per_frame_become_per_point():
    fig, ax = fb.subplots()
    sc = ax.scatter([0, 1, 2], [0, 1, 2], s=10)
    for s in (10, 20, 30):
        sc.set_sizes(s)
        fig.snap()
    spec, arrays = spec_of(fig)
    s = resolve(spec["panels"][0]["layers"][0]["s"], arrays)
    assert s.shape == (3, 3) and s[2, 0] == 30


def test_whole_array_fields_keep_working_with_snaps():
    fig, ax = fb.subplots()
    ax.plot(np.zeros((3, 4)))  # (T, N) with T = 3
    line, = ax.plot(np.zeros(4))
    for i in range(3):
        line.set_ydata(np.full(4, i))
        fig.snap()
    assert fig.frame_count == 3
    fig.snap()
    with pytest.raises(ValueError, match=r"has 3 frames \(shape \(3, 4\)\) but 4 frames were snapped"):
        fig.to_spec()


# -- writing scene files ---------------------------------------------------------------------


def test_to_scene_json_and_toml(tmp_path):
    x = np.linspace(0, 1, 50)
    fig, ax = fb.subplots(fps=5)
    ax.plot(x, np.stack([x * k for k in range(3)]), label="k x")
    ax.set_title('k = {frame} "quoted"')
    ax.legend()
    j = fig.to_scene(tmp_path / "s.json")
    t = fig.to_scene(tmp_path / "s.toml")
    assert (tmp_path / "s.npz").exists()
    spec_j = json.loads(j.read_text())
    if sys.version_info >= (3, 11):
        import tomllib

        spec_t = tomllib.loads(t.read_text())
        assert spec_t == spec_j
    layer = spec_j["panels"][0]["layers"][0]
    key = layer["y"].split(":")[1]
    assert layer["y"] == f"s.npz:{key}"
    with np.load(tmp_path / "s.npz") as z:
        assert z[key].shape == (3, 50)
    with pytest.raises(ValueError, match="ends in .json or .toml"):
        fig.to_scene(tmp_path / "s.yaml")


def test_toml_writer_nesting():
    spec = {
        "figure": {"fps": 10, "suptitle": "a \"b\"\n"},
        "vars": {"loss": "r.npz:loss", "odd key": 1.5},
        "panels": [
            {"title": "p", "camera": {"azimuth": 1.0}, "twin": {"ylabel": "c", "layers": [{"kind": "line", "y": [1, 2]}]},
             "layers": [{"kind": "line", "y": [1.0, float("nan")]}]},
            {"layers": []},
        ],
    }
    text = _toml.dumps(spec)
    if sys.version_info >= (3, 11):
        import tomllib

        back = tomllib.loads(text)
        assert back["panels"][0]["layers"][0]["y"][0] == 1.0
        back["panels"][0]["layers"][0]["y"][1] = float("nan")
        assert back["panels"][0]["twin"] == spec["panels"][0]["twin"]
        assert back["vars"] == spec["vars"] and back["figure"] == spec["figure"]
        assert back["panels"][1] == {"layers": []}


def test_axes_set_and_tight_layout():
    fig, ax = fb.subplots()
    ax.plot([1, 2, 3])
    ax.set(title="t", xlabel="x", ylabel="y", xlim=(0, 3), ylim=[0, 4])
    fig.tight_layout()
    p = spec_of(fig)[0]["panels"][0]
    assert (p["title"], p["xlabel"], p["ylabel"], p["xlim"], p["ylim"]) == ("t", "x", "y", [0.0, 3.0], [0.0, 4.0])
    with pytest.raises(TypeError, match="did you mean 'xlabel'"):
        ax.set(xlable="x")
