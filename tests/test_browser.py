"""The saved map in a real browser: headless Chromium with no network."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from route.cli import app
from route.errors import RouteError
from route.mapping import (
    BrowserNotFoundError,
    browser_command,
    browser_env,
    find_browser,
    save_map,
    save_png,
)

from .conftest import SEED_TEXT, SHARED_NETWORK
from .test_mapping import HOSTILE, PACIFIC, hostile_trip


@cache
def _browser() -> str | None:
    try:
        return find_browser()
    except BrowserNotFoundError:
        return None


@cache
def _offline_prefix() -> list[str]:
    """``unshare -n`` cuts the network entirely where the kernel lets us."""
    if (
        shutil.which("unshare")
        and subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False).returncode
        == 0
    ):
        return ["unshare", "-n"]
    return []


needs_browser = pytest.mark.skipif(
    _browser() is None, reason="Chromium is not installed (apt-get install chromium)"
)


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    browser = _browser()
    assert browser is not None
    command = _offline_prefix() + browser_command(
        browser,
        str(tmp_path / "profile"),
        "--host-resolver-rules=MAP * ~NOTFOUND",  # no network, even without unshare
        "--enable-logging=stderr",
        "--v=0",
        *args,
    )
    env = browser_env(tmp_path / "browser")  # nothing written to ~/.config/chromium
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, env=env
    )


@pytest.fixture(scope="module")
def seed_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "kim.html"
    env = {"ROUTE_RAIL_NETWORK": str(SHARED_NETWORK)} if SHARED_NETWORK.exists() else {}
    result = CliRunner().invoke(app, ["map", str(SEED_TEXT), "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    return out


@needs_browser
def test_renders_offline_without_errors(seed_map: Path, tmp_path: Path) -> None:
    done = _run(tmp_path, "--virtual-time-budget=5000", "--dump-dom", seed_map.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    # Messages of the page itself (Chromium's own chrome:// pages log too).
    console = [
        line for line in done.stderr.splitlines() if ":CONSOLE" in line and "source: file:" in line
    ]
    assert console == [], console
    dom = done.stdout
    markers = re.findall(r'class="[^"]*leaflet-marker-icon', dom)
    assert len(markers) == 4
    for number in range(1, 5):
        assert f">{number}</div>" in dom
    strokes = re.findall(r'<path[^>]*stroke="(#[0-9a-f]{6})"', dom)
    assert strokes.count("#2f6db5") == 3  # two straight legs + the first -> last great circle
    assert strokes.count("#d35400") == 1  # the road leg
    assert strokes.count("#9aa0a6") > 150  # the offline country outlines
    if SHARED_NETWORK.exists():
        assert strokes.count("#7b2d26") == 2  # the two rail legs
    assert 'id="route-summary"' in dom
    for control in ("leaflet-control-layers", "leaflet-control-scale", "leaflet-control-minimap",
                    "leaflet-control-measure", "leaflet-control-zoom-fullscreen"):  # fmt: skip
        assert control in dom, control


@needs_browser
def test_screenshot_is_not_blank(seed_map: Path, tmp_path: Path) -> None:
    from PIL import Image, ImageStat

    shot = tmp_path / "kim.png"
    done = _run(
        tmp_path,
        "--window-size=1200,800",
        "--virtual-time-budget=5000",
        f"--screenshot={shot}",
        seed_map.as_uri(),
    )
    assert shot.exists(), done.stderr[-2000:]
    with Image.open(shot) as image:
        assert image.size == (1200, 800)
        stat = ImageStat.Stat(image.convert("L"))
        assert stat.var[0] > 200  # outlines, water, lines and a panel, not a blank page
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 50


def test_html_references_no_external_host_but_tiles(seed_map: Path) -> None:
    page = seed_map.read_text(encoding="utf-8")
    assert not re.search(r"<(?:script|img|iframe)[^>]*\bsrc=[\"']?(?:https?:)?//", page)
    assert not re.search(r"<link[^>]*\bhref=[\"']?(?:https?:)?//", page)
    assert not re.search(r"@import\s+url\(\s*[\"']?https?:", page)
    hosts = set(re.findall(r"[\"'](https?://[^/\"'{]+)[^\"']*\{z\}", page))
    assert hosts <= {"https://tile.openstreetmap.org", "https://{s}.basemaps.cartocdn.com"} or all(
        "openstreetmap" in h or "cartocdn" in h for h in hosts
    )


@needs_browser
def test_png_export(tmp_path: Path) -> None:
    png = tmp_path / "kim.png"
    result = CliRunner().invoke(
        app, ["map", str(SEED_TEXT), "-o", str(tmp_path / "kim.html"), "--png", str(png)]
    )
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in sorted(tmp_path.iterdir())] == ["kim.html", "kim.png"]


def test_png_without_a_browser_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium here
    monkeypatch.delenv("ROUTE_CHROMIUM", raising=False)
    out = tmp_path / "kim.html"
    result = CliRunner().invoke(
        app,
        ["map", "--stops", "Pyongyang, Hanoi", "-o", str(out), "--png", str(tmp_path / "k.png")],
    )
    assert result.exit_code == 1
    assert "apt-get install chromium" in result.stderr
    assert not out.exists()  # refused before any work
    with pytest.raises(RouteError):
        find_browser()


# -- hostile labels (issue 13, items 1 and 8) ---------------------------------------------

#: Appended to a map: put every layer group on the map, then open every tooltip and popup,
#: so that their HTML is parsed as it is when a reader hovers or clicks.
_OPEN_EVERYTHING = """<script>
window.addEventListener("load", function () {
  var maps = [], layers = [], opened = 0;
  Object.keys(window).forEach(function (key) {
    var value = window[key];
    if (value instanceof L.Map) maps.push(value);
    else if (value instanceof L.Layer) layers.push(value);
  });
  layers.forEach(function (layer) {
    if (layer instanceof L.LayerGroup && !maps[0].hasLayer(layer)) maps[0].addLayer(layer);
  });
  layers.forEach(function (layer) {
    try {
      if (layer.getTooltip && layer.getTooltip()) { layer.openTooltip(); opened++; }
      if (layer.getPopup && layer.getPopup()) { layer.openPopup(); opened++; }
    } catch (error) { console.log("could not open: " + error); }
  });
  document.body.setAttribute("data-opened", String(opened));
});
</script>"""


def _dom_after_opening_everything(page: Path, tmp_path: Path) -> str:
    page.write_text(page.read_text(encoding="utf-8") + _OPEN_EVERYTHING, encoding="utf-8")
    done = _run(tmp_path, "--virtual-time-budget=5000", "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _assert_nothing_ran(dom: str, opened_at_least: int) -> None:
    opened = re.search(r'data-opened="(\d+)"', dom)
    assert opened is not None, "the page's scripts did not run"
    assert int(opened.group(1)) >= opened_at_least
    # The page's own title ("route: A → B", which quotes the hostile labels as text) is
    # still there: a payload would have replaced it with "PWNED-…".
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert title is None or title.group(1).startswith("route"), title
    assert not re.search(r"<title>\s*PWNED", dom)
    assert not re.search(r"<img\b[^>]*\bsrc=\"y\"", dom)
    assert not re.search(r"<svg\b[^>]*\bonload", dom, re.I)
    assert "PWNED" in dom  # the labels are there, as text


@needs_browser
def test_hostile_strings_do_not_run_in_chromium(tmp_path: Path) -> None:
    page = save_map(hostile_trip(), tmp_path / "hostile.html")
    dom = _dom_after_opening_everything(page, tmp_path)
    # 4 stop markers (tooltip + popup), 1 other mention (tooltip + popup), 4 straight
    # lines, 1 rail line, 1 bridge.
    _assert_nothing_ran(dom, opened_at_least=16)
    assert "leaflet-tooltip" in dom
    assert "leaflet-popup" in dom


@needs_browser
def test_hostile_stop_labels_from_the_cli_do_not_run(tmp_path: Path) -> None:
    out = tmp_path / "x.html"
    # As a stop list takes them: no separators, no line separators (refused as controls).
    labels = [re.sub(r"[,;@\u2028\u2029]", " ", text) for text in HOSTILE]
    stops = ", ".join(f"{label}@{20 + i},{100 + i}" for i, label in enumerate(labels))
    result = CliRunner().invoke(app, ["map", "--stops", stops, "-o", str(out), "--no-rail"])
    assert result.exit_code == 0, result.output
    dom = _dom_after_opening_everything(out, tmp_path)
    _assert_nothing_ran(dom, opened_at_least=len(HOSTILE) * 2)


@needs_browser
def test_png_browser_writes_nothing_outside_its_own_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    scratch = Path(tempfile.gettempdir())
    mine = f"route-chromium-{os.getpid()}-*"
    png = save_png(hostile_trip(), tmp_path / "hostile.png", wait_ms=2000)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert list(home.iterdir()) == []  # no ~/.config/chromium, no ~/.cache, no ~/.pki
    assert list(scratch.glob(mine)) == []  # its profile directory is gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "hostile.png"]


# -- phone width, the antimeridian, the print version (issue 14) ---------------------------

#: Appended to a map: on load, the boxes of the controls, the summary panel, the markers
#: and their labels; then the panel's button is clicked and the boxes taken again.
_MEASURE = """<script>
window.addEventListener("load", function () {
  var selectors = {zoom: ".leaflet-control-zoom", layers: ".leaflet-control-layers",
    fullscreen: ".leaflet-control-zoom-fullscreen", measure: ".leaflet-control-measure",
    scale: ".leaflet-control-scale", minimap: ".leaflet-control-minimap",
    attribution: ".leaflet-control-attribution", panel: "#route-summary"};
  function box(element) {
    var r = element.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  }
  function measure() {
    var out = {collapsed: document.getElementById("route-summary").classList.contains("collapsed"),
               size: [window.innerWidth, window.innerHeight]};
    Object.keys(selectors).forEach(function (key) {
      var element = document.querySelector(selectors[key]);
      out[key] = element ? box(element) : null;
    });
    out.markers = Array.prototype.map.call(
      document.querySelectorAll(".leaflet-marker-icon"), box);
    out.labels = Array.prototype.map.call(
      document.querySelectorAll(".leaflet-tooltip.route-label"), box);
    return out;
  }
  // The minimap shrinks to its button on a phone with a CSS transition, which headless
  // Chromium does not run while dumping the DOM: end it, as a browser would in 0.6 s.
  Array.prototype.forEach.call(document.querySelectorAll(".leaflet-control-minimap"),
    function (element) { element.style.transition = "none"; });
  var result = {start: measure()};
  var button = document.querySelector("#route-summary button.toggle");
  if (button) { button.click(); result.clicked = measure(); }
  parent.document.body.setAttribute("data-boxes", JSON.stringify(result));
});
</script>"""

#: The controls the summary panel must never cover.
_CONTROLS = ("zoom", "layers", "fullscreen", "measure", "scale", "minimap", "attribution")

Box = list[float]


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(box: Box, size: list[int]) -> bool:
    return box[0] >= 0 and box[1] >= 0 and box[2] <= size[0] and box[3] <= size[1]


def _dom_in_frame(page: str, tmp_path: Path, size: str) -> str:
    """The DOM of a page holding ``page`` in a frame of exactly ``size`` (W,H) CSS px.

    ``--dump-dom`` does not lay pages out at ``--window-size`` (headless Chromium keeps
    a window at least 500 px wide, and takes its own bar off the height), so the page
    is measured in a frame of that size; scripts in it write to ``parent``.
    """
    width, height = (int(v) for v in size.split(","))
    wrapper = tmp_path / "frame.html"
    wrapper.write_text(
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe style="border:0;display:block;width:{width}px;height:{height}px" '
        f'srcdoc="{html.escape(page, quote=True)}"></iframe></body></html>',
        encoding="utf-8",
    )
    done = _run(
        tmp_path, f"--window-size={width + 200},{height + 300}", "--virtual-time-budget=6000",
        "--dump-dom", wrapper.as_uri(),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line
               and ("source: file:" in line or "source: about:srcdoc" in line)]  # fmt: skip
    assert console == [], console
    return done.stdout


def _boxes(page: Path, tmp_path: Path, size: str) -> dict[str, dict[str, object]]:
    dom = _dom_in_frame(page.read_text(encoding="utf-8") + _MEASURE, tmp_path, size)
    found = re.search(r'data-boxes="([^"]*)"', dom)
    assert found is not None, "the page's scripts did not run"
    boxes: dict[str, dict[str, object]] = json.loads(html.unescape(found.group(1)))
    return boxes


def _screenshot(page: Path, shot: Path, size: str, tmp_path: Path) -> Path:
    done = _run(
        tmp_path, f"--window-size={size}", "--virtual-time-budget=5000",
        f"--screenshot={shot}", page.as_uri(),
    )  # fmt: skip
    assert shot.exists(), done.stderr[-2000:]
    return shot


def _assert_panel_clear(state: dict[str, object]) -> None:
    """The panel covers no control and no stop marker."""
    panel = state["panel"]
    assert isinstance(panel, list)
    for name in _CONTROLS:
        control = state[name]
        if control is not None:
            assert isinstance(control, list)
            assert not _overlap(panel, control), (name, panel, control)


@needs_browser
def test_phone_width_panel_collapses_and_never_covers_the_controls(
    seed_map: Path, tmp_path: Path
) -> None:
    from PIL import Image

    boxes = _boxes(seed_map, tmp_path, "400,760")
    start, clicked = boxes["start"], boxes["clicked"]
    assert start["size"] == [400, 760]
    assert start["collapsed"] is True  # collapsed by default on a phone
    assert clicked["collapsed"] is False  # the button opens it
    for state in (start, clicked):
        _assert_panel_clear(state)
    for name in ("zoom", "layers", "fullscreen", "scale"):
        control = start[name]
        assert isinstance(control, list)
        assert _inside(control, [400, 760]), name
    # Collapsed, the panel is one line: the map shows every stop, none under the panel.
    panel = start["panel"]
    assert isinstance(panel, list)
    assert panel[3] - panel[1] < 60
    markers = start["markers"]
    assert isinstance(markers, list)
    assert len(markers) == 4
    for marker in markers:
        assert _inside(marker, [400, 760])
        assert not _overlap(marker, panel)
    # Open, it reaches down the screen but leaves the bottom row (scale, minimap) free.
    opened = clicked["panel"]
    assert isinstance(opened, list)
    assert opened[3] - opened[1] > 400
    # Screenshots of both states, at the size of a phone.
    shot = _screenshot(seed_map, tmp_path / "phone.png", "400,760", tmp_path)
    with Image.open(shot) as image:
        assert image.size == (400, 760)
        # The zoom control's "+" is drawn: dark pixels inside its box.
        zoom = start["zoom"]
        assert isinstance(zoom, list)
        crop = image.convert("L").crop(tuple(int(v) for v in zoom))
        assert crop.getextrema()[0] < 80


@needs_browser
def test_wide_screen_panel_starts_open_beside_the_controls(seed_map: Path, tmp_path: Path) -> None:
    boxes = _boxes(seed_map, tmp_path, "1200,800")
    start = boxes["start"]
    assert start["collapsed"] is False
    _assert_panel_clear(start)
    panel = start["panel"]
    markers = start["markers"]
    assert isinstance(panel, list)
    assert isinstance(markers, list)
    for marker in markers:
        assert _inside(marker, [1200, 800])
        assert not _overlap(marker, panel)
    assert boxes["clicked"]["collapsed"] is True


@pytest.fixture(scope="module", params=list(PACIFIC), ids=list(PACIFIC))
def pacific_map(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pacific") / "pacific.html"
    stops = ", ".join(PACIFIC[request.param])
    result = CliRunner().invoke(app, ["map", "--stops", stops, "-o", str(out), "--no-rail"])
    assert result.exit_code == 0, result.output
    return out


@needs_browser
@pytest.mark.parametrize("size", ["400,760", "1200,800"])
def test_a_pacific_journey_opens_in_one_piece(pacific_map: Path, tmp_path: Path, size: str) -> None:
    from PIL import Image

    width, height = (int(v) for v in size.split(","))
    start = _boxes(pacific_map, tmp_path, size)["start"]
    markers, labels, panel = start["markers"], start["labels"], start["panel"]
    assert isinstance(markers, list)
    assert isinstance(labels, list)
    assert isinstance(panel, list)
    assert len(markers) == len(labels) >= 2
    # Every stop and its name are on screen, clear of the panel, side by side across the
    # Pacific (not at the two edges of an Atlantic-centred world).
    for box in markers + labels:
        assert _inside(box, [width, height]), box
    for marker in markers:
        assert not _overlap(marker, panel)
    xs = sorted((box[0] + box[2]) / 2 for box in markers)
    assert xs[-1] - xs[0] < 0.8 * width
    shot = _screenshot(pacific_map, tmp_path / "pacific.png", size, tmp_path)
    with Image.open(shot) as image:
        colours = {colour for _, colour in image.convert("RGB").getcolors(1 << 20) or []}
    assert (0xD4, 0xE6, 0xF1) in colours  # the sea
    assert (0xF7, 0xF5, 0xEF) in colours  # land: the outlines, copied across the antimeridian


@needs_browser
def test_the_print_version_has_no_controls(tmp_path: Path) -> None:
    from route.mapping import render_html
    from route.pipeline import build_trip, geocode_stops

    page = tmp_path / "print.html"
    trip = build_trip(geocode_stops(PACIFIC["Tokyo → Honolulu → San Francisco"]))
    page.write_text(render_html(trip, interactive=False), encoding="utf-8")
    start = _boxes(page, tmp_path, "1400,900")["start"]
    for name in ("zoom", "layers", "fullscreen", "measure", "minimap"):
        assert start[name] is None, name
    assert start["scale"] is not None
    assert start["collapsed"] is False


# -- the fact-check page ------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "kim-report.html"
    result = CliRunner().invoke(app, ["report", str(SEED_TEXT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


_FRAME_BOX = """<script>
window.addEventListener("load", function () {
  var r = document.querySelector("iframe").getBoundingClientRect();
  parent.document.body.setAttribute("data-frame",
    JSON.stringify([r.left, r.top, r.right, r.bottom]));
  parent.document.body.setAttribute("data-title", document.title);
  parent.document.body.setAttribute("data-marks", String(document.querySelectorAll(
    "mark.stop").length));
  parent.document.body.setAttribute("data-claims", String(document.querySelectorAll(
    "li.card").length));
});
</script>"""


@needs_browser
@pytest.mark.parametrize("size", ["1280,1000", "400,760"])
def test_the_report_renders_with_its_map(seed_report: Path, tmp_path: Path, size: str) -> None:
    from PIL import Image

    width, height = (int(v) for v in size.split(","))
    dom = _dom_in_frame(seed_report.read_text(encoding="utf-8") + _FRAME_BOX, tmp_path, size)
    attributes = dict(re.findall(r'data-(frame|title|marks|claims)="([^"]*)"', dom))
    assert html.unescape(attributes["title"]) == "route report: Pyongyang → Hanoi"
    assert int(attributes["marks"]) >= 4
    assert int(attributes["claims"]) == 2
    left, top, right, bottom = json.loads(html.unescape(attributes["frame"]))
    assert right - left > (0.4 * width if width > 900 else 0.75 * width)
    assert bottom - top > 0.5 * height
    if width < 900:
        return  # on a phone the map follows the text, far down the page
    # Wide, the map stands beside the text: it is drawn, with sea, land and the origin.
    assert bottom <= height
    sea = (0xD4, 0xE6, 0xF1)
    # The map draws inside an iframe; on a loaded machine the first shot was once taken
    # before it had drawn (grey tiles only), so a blank map gets one more shot.
    for attempt in range(2):
        shot = _screenshot(seed_report, tmp_path / f"report-{attempt}.png", size, tmp_path)
        with Image.open(shot) as image:
            frame = image.convert("RGB").crop((int(left), int(top), int(right), int(bottom)))
            colours = {colour for _, colour in frame.getcolors(1 << 20) or []}
        if sea in colours:
            break
    assert sea in colours  # the sea
    assert (0xF7, 0xF5, 0xEF) in colours  # land
    assert (0x1A, 0x7F, 0x37) in colours  # the origin marker


@needs_browser
def test_hostile_strings_in_the_report_do_not_run(tmp_path: Path) -> None:
    from route.report import save_report

    from .test_report import _hostile_text_trip

    trip, text = _hostile_text_trip()
    page = save_report(trip, text, tmp_path / "hostile-report.html")
    done = _run(tmp_path, "--virtual-time-budget=5000", "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert title is not None
    assert title.group(1).startswith("route report: ")
    assert not re.search(r"<img\b[^>]*\bsrc=\"y\"", dom)
    assert not re.search(r"<svg\b[^>]*\bonload", dom, re.I)
    outside = dom.split("<iframe")[0]
    assert "PWNED" in outside  # the text is there, as text
    assert len(re.findall(r"<mark\b", outside)) >= len(trip.mentions)
