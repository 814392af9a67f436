"""The saved map in a real browser: headless Chromium with no network."""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from route.cli import app
from route.errors import RouteError
from route.mapping import BrowserNotFoundError, browser_command, find_browser

from .conftest import SEED_TEXT, SHARED_NETWORK


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
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


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
