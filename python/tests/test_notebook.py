"""Jupyter: a notebook executed with nbclient shows a figure as the HTML player and a PNG poster;
a figure over the inline limit shows a note and the poster; ``save`` shows a progress bar. The
player fragment from the notebook plays and seeks in headless Chromium."""
from __future__ import annotations

import base64
import html
import json
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import have, need

pytestmark = pytest.mark.usefixtures("native")

SETUP = """\
import numpy as np
import flipbook as fb
x = np.linspace(0, 2 * np.pi, 60)
fig, ax = fb.subplots(figsize=(3.2, 2.4), fps=10)
ax.plot(x, np.sin(x[None] + np.arange(12)[:, None] / 2), "C3", lw=2)
ax.set_title("frame {frame}")
"""


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    out = tmp_path_factory.mktemp("nb")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(SETUP + "fig"),
        nbformat.v4.new_code_cell('fb.rcParams["inline_limit_mb"] = 0.001\nfig'),
        nbformat.v4.new_code_cell(f'fb.rcParams["inline_limit_mb"] = 20\nr = fig.save({str(out / "nb.gif")!r})\nr["frames"]'),
        nbformat.v4.new_code_cell("fig.show(block=False, definitely_not_a_flag=1)"),
    ]
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                                     resources={"metadata": {"path": str(out)}})
    client.execute()
    nbformat.write(nb, str(out / "test.ipynb"))
    return nb, out


def outputs(cell, kind):
    return [o for o in cell.outputs if o.output_type == kind]


def test_a_figure_shows_the_player_and_a_png_poster(executed):
    nb, _ = executed
    cell = nb.cells[0]
    assert not outputs(cell, "error"), outputs(cell, "error")
    result = outputs(cell, "execute_result")[0]
    data = result["data"]
    assert "text/html" in data and "image/png" in data and "text/plain" in data
    assert data["text/html"].startswith("<iframe") and "flipbook-player" in data["text/html"]
    png = base64.b64decode(data["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_large_figure_shows_a_note_and_the_poster(executed):
    nb, _ = executed
    data = outputs(nb.cells[1], "execute_result")[0]["data"]
    assert "too large to show inline" in data["text/html"]
    assert "fig.save(" in data["text/html"] and "<iframe" not in data["text/html"]
    assert "data:image/png;base64," in data["text/html"]
    assert base64.b64decode(data["image/png"])[:4] == b"\x89PNG"


def test_save_in_a_notebook_shows_progress(executed):
    nb, out = executed
    cell = nb.cells[2]
    assert not outputs(cell, "error"), outputs(cell, "error")
    assert outputs(cell, "execute_result")[0]["data"]["text/plain"] == "12"
    bars = [o for o in cell.outputs if o.output_type in ("display_data", "update_display_data")]
    text = " ".join(o["data"].get("text/html", "") for o in bars)
    assert "<progress" in text and "saving nb.gif" in text
    assert (out / "nb.gif").exists()


def test_errors_reach_the_notebook_as_exceptions(executed):
    nb, _ = executed
    err = outputs(nb.cells[3], "error")
    assert err and err[0]["ename"] == "TypeError" and "definitely_not_a_flag" in err[0]["evalue"]


DRIVER = """<!DOCTYPE html>
<html><head><meta charset="utf-8"></head><body>
FRAGMENT
<pre id="result">pending</pre>
<script>
(async function () {
  var out = {};
  var wait = function (ms) { return new Promise(function (r) { setTimeout(r, ms); }); };
  var frame = document.querySelector("iframe.flipbook-player");
  var d = null;
  for (var i = 0; i < 400; i++) {
    d = frame.contentDocument;
    if (d && d.getElementById("fb-slider") && d.getElementById("fb-readout").textContent) { break; }
    await wait(50);
  }
  var slider = d.getElementById("fb-slider"), canvas = d.getElementById("fb-canvas");
  var signature = function () {
    var c = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data, h = 0;
    for (var k = 0; k < c.length; k += 7) { h = (h * 31 + c[k]) | 0; }
    return h;
  };
  out.frames = +slider.max + 1;
  out.start = +slider.value;
  out.sig0 = signature();
  d.getElementById("fb-play").click();
  await wait(800);
  out.played = +slider.value;
  d.getElementById("fb-pause").click();
  slider.value = 7;
  slider.dispatchEvent(new Event("input"));
  await wait(500);
  out.seeked = +slider.value;
  out.readout = d.getElementById("fb-readout").textContent;
  out.sig7 = signature();
  document.getElementById("result").textContent = "RESULT " + JSON.stringify(out);
})().catch(function (e) { document.getElementById("result").textContent = "ERROR " + e; });
</script></body></html>
"""


def chromium_dom(page: Path) -> str:
    with tempfile.TemporaryDirectory() as profile:
        r = subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--mute-audio",
             "--allow-file-access-from-files", f"--user-data-dir={profile}",
             "--virtual-time-budget=60000", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=180,
        )
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


def test_the_notebook_player_plays_and_seeks_in_chromium(executed, tmp_path):
    if not have("chromium"):
        need("chromium is not installed (apt-get install chromium)")
    nb, _ = executed
    fragment = outputs(nb.cells[0], "execute_result")[0]["data"]["text/html"]
    page = tmp_path / "page.html"
    page.write_text(DRIVER.replace("FRAGMENT", fragment), encoding="utf-8")
    for attempt in range(3):  # the virtual clock may run out on a loaded machine (as in tests/formats.rs)
        dom = chromium_dom(page)
        m = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
        assert m, dom[-2000:]
        text = html.unescape(m.group(1))
        if text != "pending":
            break
    assert text.startswith("RESULT "), text
    out = json.loads(text[len("RESULT "):])
    assert out["frames"] == 12 and out["start"] == 0
    assert out["played"] >= 2, out
    assert out["seeked"] == 7 and "8/12" in out["readout"], out
    assert out["sig7"] != out["sig0"], out
