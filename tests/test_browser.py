"""The saved map in a real browser: headless Chromium with no network."""

from __future__ import annotations

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
from .test_mapping import HOSTILE, hostile_trip


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
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert title is None or "PWNED" not in title.group(1), title
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
