"""Errors are Python exceptions that name the argument, the artist and the shapes at fault."""
from __future__ import annotations

import numpy as np
import pytest

import flipbook as fb


@pytest.mark.parametrize(
    "call, bad, suggestion",
    [
        (lambda ax: ax.plot([1, 2], colour="r"), "colour", "color"),
        (lambda ax: ax.plot([1, 2], linwidth=2), "linwidth", "linewidth"),
        (lambda ax: ax.scatter([1], [2], cmpa="viridis"), "cmpa", "cmap"),
        (lambda ax: ax.imshow(np.zeros((2, 2)), vmni=0), "vmni", "vmin"),
        (lambda ax: ax.bar([1], [2], tick_labels=["a"]), "tick_labels", "tick_label"),
        (lambda ax: ax.text(0, 0, "a", fontsiz=3), "fontsiz", "fontsize"),
        (lambda ax: ax.legend(lco="best"), "lco", "loc"),
        (lambda ax: ax.set_xticks([1], rotaton=3), "rotaton", "rotation"),
        (lambda ax: ax.figure.save("x.gif", dpii=3), "dpii", "dpi"),
        (lambda ax: ax.figure.show(screenshot="a.png"), "screenshot", "screenshot_to"),
        (lambda ax: fb.figure(figsze=(1, 2)), "figsze", "figsize"),
        (lambda ax: fb.subplots(2, 2, sharex=True), "sharex", None),
    ],
)
def test_unknown_keywords_suggest_the_closest(call, bad, suggestion):
    fig, ax = fb.subplots()
    with pytest.raises(TypeError) as e:
        call(ax)
    msg = str(e.value)
    assert f"'{bad}'" in msg
    if suggestion:
        assert f"did you mean '{suggestion}'" in msg


def test_wrong_ranks_name_the_argument_and_shape():
    fig, ax = fb.subplots()
    with pytest.raises(ValueError, match=r"y has shape \(2, 3, 4\); it needs \(N,\), or \(T, N\)"):
        ax.plot(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match=r"X has shape \(5,\)"):
        ax.imshow(np.zeros(5))
    with pytest.raises(ValueError, match=r"x has shape \(2, 2\); it needs a number, or \(T,\)"):
        ax.text(np.zeros((2, 2)), 0, "a")
    with pytest.raises(ValueError, match=r"steps has shape \(2, 2\)"):
        fig.set_steps(np.zeros((2, 2)))


def test_mismatched_lengths_name_both_shapes():
    fig, ax = fb.subplots()
    with pytest.raises(ValueError, match=r"y has 4 values per frame \(shape \(3, 4\)\) but x has 5 \(shape \(5,\)\)"):
        ax.plot(np.arange(5), np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"c has 2 values per frame"):
        ax.scatter([1, 2, 3], [1, 2, 3], c=[1.0, 2.0])
    with pytest.raises(ValueError, match=r"3 tick labels for 2 bars"):
        ax.bar([0, 1], [1, 2], tick_label=["a", "b", "c"])


def test_mismatched_t_names_both_artists_and_shapes():
    fig, ax = fb.subplots()
    ax.plot(np.zeros((10, 5)), label="ten")
    with pytest.raises(ValueError) as e:
        ax.imshow(np.zeros((7, 3, 5)))
    msg = str(e.value)
    assert "(7, 3, 5)" in msg and "(10, 5)" in msg and "Line2D 'ten'" in msg and "AxesImage" in msg
    assert len(ax._artists) == 1  # the failed call added nothing
    with pytest.raises(ValueError, match=r"has 4 frames.*has 10"):
        fig.set_vars(loss=np.zeros(4))
    with pytest.raises(ValueError, match=r"a list of 3 strings|text has 3 frames"):
        ax.set_title(["a", "b", "c"])
    line, = ax.plot(np.zeros(5))
    with pytest.raises(ValueError, match=r"\(3, 5\).*\(10, 5\)"):
        line.set_ydata(np.zeros((3, 5)))
    assert line.get_ydata().shape == (5,)  # unchanged after the error


@pytest.mark.parametrize(
    "value, what",
    [
        (np.array([1 + 2j, 3j]), "complex"),
        (np.array(["a", "b"]), "strings"),
        (np.array([object(), object()]), "Python objects"),
        (np.array(["2020-01-01"], dtype="datetime64[D]"), "dates"),
        ("file.npy", "string"),
    ],
)
def test_non_numeric_arrays_are_type_errors(value, what):
    fig, ax = fb.subplots()
    with pytest.raises(TypeError, match=what):
        ax.plot(value)


def test_ragged_lists_are_value_errors():
    fig, ax = fb.subplots()
    with pytest.raises((ValueError, TypeError), match="y"):
        ax.plot([[1, 2], [3]])


def test_float16_and_bool_and_masked_are_accepted():
    fig, ax = fb.subplots()
    ax.plot(np.arange(4, dtype=np.float16))
    ax.plot(np.array([True, False, True]))
    ax.plot(np.ma.masked_array([1.0, 2.0, 3.0], mask=[0, 1, 0]))
    spec, arrays = fig.to_spec()
    ys = [l["y"] for l in spec["panels"][0]["layers"]]
    assert ys[0] == [0.0, 1.0, 2.0, 3.0] and ys[1] == [1, 0, 1]
    masked = ys[2] if isinstance(ys[2], str) else None
    assert masked is not None and np.isnan(arrays[masked][1])


def test_step_by_step_incompatible_shapes():
    fig, ax = fb.subplots()
    im = ax.imshow(np.zeros((4, 5)))
    line, = ax.plot(np.zeros(6), label="walk")
    fig.snap()
    with pytest.raises(ValueError) as e:
        im.set_data(np.zeros((4, 6)))
    msg = str(e.value)
    assert "AxesImage" in msg and "(4, 6)" in msg and "(4, 5)" in msg
    with pytest.raises(ValueError, match=r"Line2D 'walk'.*\(2, 6\).*\(6,\)"):
        line.set_ydata(np.zeros((2, 6)))
    sc = ax.scatter([0, 1], [0, 1])
    fig.snap()
    with pytest.raises(ValueError, match="give c when the artist is created|did not have"):
        sc.set_array([1, 2])


def test_step_by_step_changing_per_frame_data_is_an_error():
    fig, ax = fb.subplots()
    line, = ax.plot(np.zeros((2, 3)))
    fig.snap()
    fig.snap()
    with pytest.raises(ValueError):
        line.set_ydata(np.ones(3))


def test_settings_are_checked():
    with pytest.raises(ValueError, match="fps"):
        fb.figure(fps=0)
    with pytest.raises(ValueError, match="figsize"):
        fb.figure(figsize=(0, 3))
    fig, ax = fb.subplots()
    with pytest.raises(ValueError, match="vmin"):
        ax.imshow(np.zeros((2, 2)), vmin=np.nan)
    with pytest.raises(ValueError, match="give both limits"):
        ax.set_xlim(0, None)
    with pytest.raises(ValueError, match="projection"):
        fig.add_subplot(projection="polar")
    with pytest.raises(ValueError, match="3D"):
        ax.set_zlim(0, 1)
    with pytest.raises(ValueError, match="3D"):
        ax.plot([1, 2], [1, 2], zs=[0, 1])
    with pytest.raises(ValueError, match="location code"):
        ax.legend(loc=42)
    with pytest.raises(TypeError, match="colorbar"):
        fig.colorbar(ax.plot([1, 2])[0])
    with pytest.raises(ValueError, match="built in"):
        fig.set_vars(step=[1, 2])
    with pytest.raises(ValueError, match="head= and trail= need grow=True"):
        ax.plot([1, 2], head="o")
    with pytest.raises(TypeError, match="color or c"):
        ax.plot([1, 2], color="r", c="b")
    with pytest.raises(ValueError, match="3 or 4 pixels wide|wide"):
        f2, a2 = fb.subplots()
        im = a2.imshow(np.zeros((5, 3)))
        for k in range(2):
            im.set_data(np.full((5, 3), k))
            f2.snap()
        f2.to_spec()


def test_bitrate_strings():
    from flipbook._figure import _bitrate

    assert _bitrate("800k") == 800_000 and _bitrate("2M") == 2_000_000 and _bitrate(5000) == 5000
    with pytest.raises(ValueError, match="bitrate"):
        _bitrate("fast")
