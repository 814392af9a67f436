"""Hostile and unlucky use of the CLI (issue 13, items 1, 4, 6 and 8), and property tests.

Each CLI case runs ``python -m route`` in a process of its own, in a directory holding an
article, an earlier map and JSON, and links to the article, and asserts the exact
outcome: the exit code, the one line on stderr (no traceback), the hashes of every file
before and after, and that no temp file is left. ``--png`` cases use a fake browser (a
shell script), so they run without Chromium; tests/test_browser.py renders the hostile
labels in the real one. Hypothesis checks the stop-list parser, the escaping helper and
the JSON/GeoJSON writers.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from route.cli import app
from route.errors import InputError
from route.gazetteer import Gazetteer
from route.mapping import escape_html
from route.models import Place
from route.pipeline import build_trip, coordinate_place, decode_text, parse_stops

from .test_mapping import HOSTILE

STOPS = "A@1,2, B@3,4"
ARTICLE = "The train left Pyongyang on Saturday and arrived in Hanoi on Tuesday.\n"
#: A minimal PNG, what the fake browser "renders".
FAKE_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
TEMP_NAME = re.compile(r"^\..+\.(?:tmp|bak|probe)$")


# -- harness -------------------------------------------------------------------------------


@pytest.fixture
def workdir(tmp_path: Path, gazetteer: Gazetteer) -> Path:
    """An article, an earlier map and JSON, a symbolic and a hard link to the article."""
    work = tmp_path / "w"
    work.mkdir()
    (work / "k.txt").write_text(ARTICLE, encoding="utf-8")
    (work / "old.html").write_text("<p>the earlier map</p>\n", encoding="utf-8")
    (work / "old.json").write_text('{"earlier": true}\n', encoding="utf-8")
    (work / "link.html").symlink_to("k.txt")
    os.link(work / "k.txt", work / "hard.html")
    return work


def _route(
    *args: str | bytes, cwd: Path, env: dict[str, str] | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "COLUMNS": "200", **(env or {})}
    environment.pop("ROUTE_RAIL_NETWORK", None)
    return subprocess.run(
        [sys.executable, "-m", "route", *args],
        cwd=cwd,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def _snapshot(directory: Path) -> dict[str, str]:
    """Every entry below ``directory``: file hashes, link targets, kinds."""
    out: dict[str, str] = {}
    for path in sorted(directory.rglob("*")):
        name = str(path.relative_to(directory))
        if path.is_symlink():
            out[name] = "-> " + os.readlink(path)
        elif path.is_file():
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[name] = "dir"
    return out


def _stderr_lines(done: subprocess.CompletedProcess[bytes]) -> list[str]:
    stderr = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    return stderr.splitlines()


def _error_line(done: subprocess.CompletedProcess[bytes], code: int) -> str:
    lines = _stderr_lines(done)
    assert done.returncode == code, lines
    assert len(lines) == 1, lines
    assert lines[0].startswith("route: error: "), lines
    return lines[0]


def _assert_no_temps(*directories: Path) -> None:
    for directory in directories:
        left = [p.name for p in directory.rglob("*") if TEMP_NAME.match(p.name)]
        left += [p.name for p in directory.glob("route-chromium-*")]
        assert left == [], left


def _fake_browser(directory: Path, body: str) -> Path:
    """An executable standing in for Chromium (``$ROUTE_CHROMIUM``)."""
    script = directory / "fake-chromium"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(0o755)
    return script


#: Writes FAKE_PNG to the --screenshot path; logs its environment and profile to $FAKE_LOG
#: and writes where a real Chromium would (its profile, ~/.config/chromium).
_GOOD_BROWSER = r"""
for arg in "$@"; do
  case "$arg" in
    --screenshot=*) shot="${arg#--screenshot=}" ;;
    --user-data-dir=*) profile="${arg#--user-data-dir=}" ;;
  esac
done
printf 'HOME=%s\nXDG_CONFIG_HOME=%s\nXDG_CACHE_HOME=%s\nPROFILE=%s\n' \
  "$HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$profile" > "$FAKE_LOG"
mkdir -p "$profile/Default" "$XDG_CONFIG_HOME/chromium/Crash Reports" "$HOME/.pki"
echo x > "$profile/Default/Preferences"
printf '\211PNG\r\n\032\n\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0' > "$shot"
"""
_FAILING_BROWSER = 'echo "fake chromium: cannot open display" >&2\nexit 1\n'
#: Announces its process id in $FAKE_LOG, then hangs (a browser that never finishes).
_HANGING_BROWSER = 'echo "$$" > "$FAKE_LOG"\nexec sleep 120\n'


def _wait_for(path: Path, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.05)
    raise AssertionError(f"{path} did not appear")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A private temp directory for the route process (its ``$TMPDIR``)."""
    path = tmp_path / "t"
    path.mkdir()
    return path


# -- refused before any work: exit code, one line, nothing changed (items 4 and 8) ---------

REFUSED = [
    pytest.param(
        ["map", "k.txt", "-o", "k.txt"],
        {},
        2,
        "-o k.txt is the input text file; writing there would replace it",
        id="map-over-its-own-article",
    ),
    pytest.param(
        ["map", "k.txt", "-o", "link.html"],
        {},
        2,
        "-o link.html is the input text file",
        id="symlink-to-the-article",
    ),
    pytest.param(
        ["map", "k.txt", "-o", "hard.html"],
        {},
        2,
        "-o hard.html is the input text file",
        id="hard-link-to-the-article",
    ),
    pytest.param(
        ["map", "--stops", STOPS, "-o", "same.html", "--json", "same.html"],
        {},
        2,
        "-o and --json both name same.html; give each output its own file",
        id="map-and-json-one-file",
    ),
    pytest.param(
        ["map", "--stops", STOPS, "-o", "old.html", "--json-out", "./old.html"],
        {},
        2,
        "-o and --json-out both name old.html",
        id="one-file-two-spellings",
    ),
    pytest.param(
        ["map", "--stops", STOPS, "-o", "a.html", "--png", "a.html"],
        {},
        2,
        "-o and --png both name a.html",
        id="png-over-the-map",
    ),
    pytest.param(
        ["map", "--stops", STOPS, "-o", "x.png"],
        {},
        2,
        "-o writes an HTML map, but x.png ends in .png; give a name ending in .html",
        id="html-named-png",
    ),
    pytest.param(
        ["map", "--stops", STOPS, "-o", "m.html", "--json", "facts.html"],
        {},
        2,
        "--json writes JSON, but facts.html ends in .html; give a name ending in .json",
        id="json-named-html",
    ),
    pytest.param(
        ["map", "--stops", STOPS, "-o", "m.html", "--png", "shot.jpg"],
        {},
        2,
        "--png writes a PNG image, but shot.jpg ends in .jpg; give a name ending in .png",
        id="png-named-jpg",
    ),
    pytest.param(
        ["map", "--stops", STOPS, "-o", "-", "--json", "-"],
        {},
        2,
        "-o and --json both write to standard output ('-'); send all but one to files",
        id="two-outputs-to-stdout",
    ),
    pytest.param(
        ["map", "--stops", STOPS, "-o", "k.txt/map.html"],
        {},
        1,
        "cannot write k.txt/map.html: k.txt is a file, not a directory",
        id="output-inside-a-file",
    ),
    pytest.param(
        ["map", "--stops", STOPS, "-o", "k.txt/sub/map.html"],
        {},
        1,
        "cannot write k.txt/sub/map.html: k.txt is a file, not a directory",
        id="output-below-a-file",
    ),
    pytest.param(
        ["map", "--stops", STOPS, "-o", "m.html", "--user-agent", " "],
        {},
        2,
        "--user-agent must be one non-blank line naming your app and a contact",
        id="blank-user-agent",
    ),
    pytest.param(
        ["map", "--stops", STOPS, "-o", "m.html", "--user-agent", "app\r\nX-Evil: 1"],
        {},
        2,
        "--user-agent must be one non-blank line",
        id="user-agent-with-a-header",
    ),
    pytest.param(
        ["map", "--stops", STOPS, "-o", "m.html", "--geocoder", "nominatim"],
        {"ROUTE_USER_AGENT": "  "},
        2,
        "$ROUTE_USER_AGENT must be one non-blank line",
        id="blank-user-agent-from-the-environment",
    ),
    pytest.param(
        ["map", "--stops", "\x1b[31mA@1,2, B@3,4", "-o", "m.html"],
        {},
        2,
        "--stops holds a control character (U+001B); remove it",
        id="terminal-escape-in-a-label",
    ),
    pytest.param(
        ["map", "--stops", b"\xffA@1,2, B@3,4", "-o", "m.html"],
        {},
        2,
        "--stops holds bytes that are not UTF-8 (0xff); pass UTF-8 text",
        id="undecodable-bytes-in-a-label",
    ),
    pytest.param(
        ["distance", "\x1b]0;owned\x07Hanoi", "Hue"],
        {},
        2,
        "START holds a control character (U+001B)",
        id="terminal-escape-in-a-place",
    ),
    pytest.param(
        ["places", "broken16.txt"],
        {},
        1,
        "broken16.txt: starts with a UTF-16 byte-order mark but is not UTF-16",
        id="utf16-bom-but-not-utf16",
    ),
]


@pytest.mark.parametrize(("args", "env", "code", "message"), REFUSED)
def test_refused_with_one_line_and_nothing_changed(
    workdir: Path, args: list[str | bytes], env: dict[str, str], code: int, message: str
) -> None:
    (workdir / "broken16.txt").write_bytes(b"\xff\xfeA\x00\x00\xd8")  # a lone surrogate
    before = _snapshot(workdir)
    done = _route(*args, cwd=workdir, env=env)
    assert message in _error_line(done, code)
    assert done.stdout == b""
    assert _snapshot(workdir) == before
    _assert_no_temps(workdir)


# -- script injection (item 1) --------------------------------------------------------------


def test_hostile_stop_labels_are_written_escaped(workdir: Path) -> None:
    labels = [re.sub(r"[,;@\u2028\u2029]", " ", text).strip() for text in HOSTILE]
    labels = [" ".join(label.split()) for label in labels]
    stops = ", ".join(f"{label}@{20 + i},{100 + i}" for i, label in enumerate(labels))
    plain = _route("map", "--stops", STOPS, "-o", "plain.html", "--no-rail", cwd=workdir)
    assert plain.returncode == 0, _stderr_lines(plain)
    before = _snapshot(workdir)
    done = _route(
        "map", "--stops", stops, "-o", "x.html", "--json-out", "x.json", "--no-rail", cwd=workdir
    )
    lines = _stderr_lines(done)
    assert done.returncode == 0, lines
    assert len(lines) == 1
    assert re.fullmatch(r"map written to x\.html \(\d+ KiB\)", lines[0])
    page = (workdir / "x.html").read_text(encoding="utf-8")
    plain_page = (workdir / "plain.html").read_text(encoding="utf-8")
    for tag in (r"<script\b", r"</script\b"):
        assert len(re.findall(tag, page, re.I)) == len(re.findall(tag, plain_page, re.I))
    for label in labels:
        assert label not in page
        assert escape_html(label) in page
    doc = json.loads((workdir / "x.json").read_text(encoding="utf-8"))
    assert [stop["query"] for stop in doc["stops"]] == labels
    after = _snapshot(workdir)
    assert {k: v for k, v in after.items() if k not in ("x.html", "x.json")} == before
    _assert_no_temps(workdir)


def test_rich_markup_in_labels_is_shown_as_text(workdir: Path) -> None:
    done = _route(
        "map", "--stops", "[/x]@1,2, [bold red]B@3,4", "-o", "m.html", "--no-rail", cwd=workdir
    )
    assert done.returncode == 0, _stderr_lines(done)
    table = done.stdout.decode("utf-8")
    assert "[/x]" in table
    assert "[bold red]B" in table


# -- outputs: stdout, devices, links (item 4) ---------------------------------------------


def test_map_to_stdout(workdir: Path) -> None:
    before = _snapshot(workdir)
    done = _route("map", "--stops", STOPS, "-o", "-", "--no-rail", cwd=workdir)
    lines = _stderr_lines(done)
    assert done.returncode == 0, lines
    assert done.stdout.startswith(b"<!DOCTYPE html>")
    assert done.stdout.rstrip().endswith(b"</html>")
    assert len(lines) == 1
    assert re.fullmatch(r"map written to standard output \(\d+ KiB\)", lines[0])
    assert _snapshot(workdir) == before  # no file named "-", no table on stdout
    _assert_no_temps(workdir)


def test_closed_stdout_ends_quietly(workdir: Path) -> None:
    environment = {**os.environ, "COLUMNS": "200"}
    with subprocess.Popen(
        [sys.executable, "-m", "route", "map", "--stops", STOPS, "-o", "-", "--no-rail"],
        cwd=workdir,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        assert process.stdout.read(15) == b"<!DOCTYPE html>"
        process.stdout.close()  # like `| head -c 15`
        stderr = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert code == 1  # click's way: the reader went away, exit 1 without a word
    assert stderr == ""
    _assert_no_temps(workdir)


def test_device_output_is_written_not_replaced(workdir: Path) -> None:
    done = _route(
        "map", "--stops", STOPS, "-o", os.devnull, "--json-out", "m.json", "--no-rail", cwd=workdir
    )
    assert done.returncode == 0, _stderr_lines(done)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert json.loads((workdir / "m.json").read_text())["stops"][0]["name"] == "A"
    _assert_no_temps(workdir)


def test_output_through_a_link_keeps_the_link(workdir: Path) -> None:
    site = workdir / "site"
    site.mkdir()
    (site / "map.html").write_text("old")
    (workdir / "current.html").symlink_to("site/map.html")
    done = _route("map", "--stops", STOPS, "-o", "current.html", "--no-rail", cwd=workdir)
    assert done.returncode == 0, _stderr_lines(done)
    assert (workdir / "current.html").is_symlink()
    assert (site / "map.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    _assert_no_temps(workdir)


# -- all or nothing, temp files, the browser's profile (items 6 and 8) -----------------------


def test_png_failure_keeps_the_earlier_map_and_json(workdir: Path, scratch: Path) -> None:
    browser = _fake_browser(scratch.parent, _FAILING_BROWSER)
    before = _snapshot(workdir)
    done = _route(
        "map", "--stops", STOPS, "-o", "old.html", "--json-out", "old.json", "--png", "new.png",
        "--no-rail", cwd=workdir, env={"ROUTE_CHROMIUM": str(browser), "TMPDIR": str(scratch)},
    )  # fmt: skip
    line = _error_line(done, 1)
    assert line == (
        "route: error: Chromium could not render the map (fake chromium: cannot open display)"
    )
    assert done.stdout == b""
    assert _snapshot(workdir) == before
    _assert_no_temps(workdir, scratch)


def test_png_browser_has_its_own_profile_and_home(workdir: Path, scratch: Path) -> None:
    browser = _fake_browser(scratch.parent, _GOOD_BROWSER)
    home, log = scratch.parent / "home", scratch.parent / "browser.log"
    home.mkdir()
    before = _snapshot(workdir)
    done = _route(
        "map", "--stops", STOPS, "-o", "old.html", "--json-out", "old.json", "--png", "new.png",
        "--no-rail", cwd=workdir,
        env={"ROUTE_CHROMIUM": str(browser), "TMPDIR": str(scratch), "HOME": str(home),
             "FAKE_LOG": str(log)},
    )  # fmt: skip
    lines = _stderr_lines(done)
    assert done.returncode == 0, lines
    assert lines[-1] == "image written to new.png"
    assert (workdir / "new.png").read_bytes() == FAKE_PNG
    after = _snapshot(workdir)
    assert after.keys() == before.keys() | {"new.png"}
    assert after["old.html"] != before["old.html"]
    assert after["old.json"] != before["old.json"]
    seen = dict(line.split("=", 1) for line in log.read_text().splitlines())
    work = Path(seen["PROFILE"]).parent
    assert work.parent == scratch
    assert work.name.startswith("route-chromium-")
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        assert Path(seen[name]).is_relative_to(work), (name, seen[name])
    assert not work.exists()  # profile, crash reports and all removed
    assert list(home.iterdir()) == []  # the user's ~/.config/chromium untouched
    _assert_no_temps(workdir, scratch)


def test_png_to_stdout(workdir: Path, scratch: Path) -> None:
    browser = _fake_browser(scratch.parent, _GOOD_BROWSER)
    done = _route(
        "map", "--stops", STOPS, "-o", "m.html", "--png", "-", "--no-rail", cwd=workdir,
        env={"ROUTE_CHROMIUM": str(browser), "TMPDIR": str(scratch),
             "FAKE_LOG": str(scratch.parent / "browser.log")},
    )  # fmt: skip
    assert done.returncode == 0, _stderr_lines(done)
    assert done.stdout == FAKE_PNG
    assert (workdir / "m.html").exists()
    _assert_no_temps(workdir, scratch)


def _start_hanging_run(workdir: Path, scratch: Path) -> tuple[subprocess.Popen[bytes], int]:
    """``route map … --png`` whose browser hangs; returns the process and the browser's id."""
    browser = _fake_browser(scratch.parent, _HANGING_BROWSER)
    log = scratch.parent / "browser.log"
    log.unlink(missing_ok=True)
    environment = {**os.environ, "COLUMNS": "200", "ROUTE_CHROMIUM": str(browser),
                   "TMPDIR": str(scratch), "FAKE_LOG": str(log)}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "route", "map", "--stops", STOPS, "-o", "old.html",
         "--json-out", "old.json", "--png", "new.png", "--no-rail"],
        cwd=workdir, env=environment, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    return process, int(_wait_for(log))


def test_sigterm_while_rendering_changes_nothing(workdir: Path, scratch: Path) -> None:
    before = _snapshot(workdir)
    process, browser_pid = _start_hanging_run(workdir, scratch)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=60)
    done = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    assert _error_line(done, 143) == "route: error: terminated"
    assert not _alive(browser_pid)  # the browser went with it
    assert _snapshot(workdir) == before
    _assert_no_temps(workdir, scratch)


def test_after_a_kill_the_next_run_removes_the_leftovers(workdir: Path, scratch: Path) -> None:
    process, browser_pid = _start_hanging_run(workdir, scratch)
    try:
        process.kill()  # SIGKILL: no clean-up possible
        process.communicate(timeout=60)
    finally:
        os.killpg(browser_pid, signal.SIGKILL)  # the fake browser runs in its own session
    killed = process.pid
    left = list(scratch.glob(f"route-chromium-{killed}-*"))
    assert len(left) == 1  # the killed run's scratch directory
    # What a kill between writing and renaming leaves: temp files of the dead process.
    (workdir / f".old.html.{killed}.abcd1234.tmp").write_text("half a map")
    (workdir / f".old.json.{killed}.efgh5678.tmp").write_text('{"half"')
    done = _route(
        "map", "--stops", STOPS, "-o", "old.html", "--json-out", "old.json", "--png", "new.png",
        "--no-rail", cwd=workdir,
        env={"ROUTE_CHROMIUM": str(_fake_browser(scratch.parent, _GOOD_BROWSER)),
             "TMPDIR": str(scratch), "FAKE_LOG": str(scratch.parent / "good.log")},
    )  # fmt: skip
    assert done.returncode == 0, _stderr_lines(done)
    assert (workdir / "new.png").read_bytes() == FAKE_PNG
    _assert_no_temps(workdir, scratch)


# -- texts (item 8) -------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_wide_texts_with_a_byte_order_mark_are_read(workdir: Path, encoding: str) -> None:
    data = ARTICLE.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    (workdir / "wide.txt").write_bytes(data)
    wide = _route("places", "wide.txt", "--json", cwd=workdir)
    narrow = _route("places", "k.txt", "--json", cwd=workdir)
    assert wide.returncode == 0, _stderr_lines(wide)
    assert _stderr_lines(wide) == []  # read silently, like UTF-8
    assert wide.stdout == narrow.stdout


# -- properties (Hypothesis) ------------------------------------------------------------------

#: Characters of a stop name: anything but separators, ``@``, surrogates and controls.
_NAME_CHARS = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters=",;@→\u2028\u2029"
)
_NAMES = st.text(_NAME_CHARS, min_size=1, max_size=24).filter(
    lambda name: bool(name.strip()) and "->" not in name
)
_LATS = st.floats(-90, 90, allow_nan=False)
_LONS = st.floats(-180, 180, allow_nan=False)
#: Longitudes off the ±180° meridian (see test_stops_on_the_antimeridian_draw_a_line).
_INNER_LONS = st.floats(-180, 180, allow_nan=False, exclude_min=True, exclude_max=True)


@given(st.lists(_NAMES, min_size=2, max_size=6))
def test_parse_stops_splits_what_was_joined(names: list[str]) -> None:
    for separator in (", ", ";", " → ", "->"):
        assert parse_stops(separator.join(names)) == [" ".join(n.split()) for n in names]


@given(st.text(max_size=80))
def test_parse_stops_returns_clean_names_or_a_usage_error(text: str) -> None:
    try:
        names = parse_stops(text)
    except InputError:
        return
    assert len(names) >= 2
    for name in names:
        assert name
        assert name == " ".join(name.split())


@given(st.text(_NAME_CHARS, max_size=20), _LATS, _LONS)
def test_coordinate_place_reads_what_was_written(label: str, lat: float, lon: float) -> None:
    place = coordinate_place(f"{label}@{lat:.6f},{lon:.6f}")
    assert place is not None
    assert place.lat == float(f"{lat:.6f}")
    assert place.lon == float(f"{lon:.6f}")
    assert place.name == (label.strip() or f"{place.lat:.4f}, {place.lon:.4f}")


@given(
    st.one_of(st.floats(90.0001, 1e9), st.floats(-1e9, -90.0001)),
    _LONS,
)
def test_a_latitude_beyond_the_poles_is_a_usage_error(lat: float, lon: float) -> None:
    with pytest.raises(InputError, match="not a position"):
        coordinate_place(f"X@{lat:.4f},{lon:.4f}")


@given(st.text(max_size=60))
def test_coordinate_place_is_a_place_none_or_a_usage_error(text: str) -> None:
    try:
        place = coordinate_place(text)
    except InputError:
        return
    if place is not None:
        assert -90 <= place.lat <= 90
        assert -180 <= place.lon <= 180


_CONTROLS = {*range(32), 127, *range(0x80, 0xA0)} - {9, 10, 13}


@given(st.text())
def test_escape_html_is_inert_and_shows_the_text(text: str) -> None:
    escaped = escape_html(text)
    assert not set(escaped) & set("<>\"'`$\\\n\r\u2028\u2029")
    shown = "".join("\ufffd" if ord(char) in _CONTROLS else char for char in text)
    assert html.unescape(escaped) == shown


def _strict(name: str) -> float:
    raise AssertionError(f"{name} in JSON output")


@settings(deadline=None)  # great circles densified: slow on a busy machine
@given(st.lists(st.text(max_size=40), min_size=2, max_size=4), st.data())
def test_json_and_geojson_keep_every_label(labels: list[str], data: st.DataObject) -> None:
    places = [
        Place(name=label or "x", lat=data.draw(_LATS), lon=data.draw(_INNER_LONS),
              query=label, country=label)
        for label in labels
    ]  # fmt: skip
    trip = build_trip(places)
    doc = json.loads(trip.to_json(), parse_constant=_strict)
    assert [stop["query"] for stop in doc["stops"]] == labels
    assert [stop["country"] for stop in doc["stops"]] == labels
    labels_shown = [label or "x" for label in labels]
    assert [(leg["from"], leg["to"]) for leg in doc["legs"]] == list(
        itertools.pairwise(labels_shown)
    )
    geo = json.loads(json.dumps(trip.to_geojson(), ensure_ascii=False, allow_nan=False))
    stops = [f["properties"] for f in geo["features"] if f["properties"].get("kind") == "stop"]
    assert [stop["query"] for stop in stops] == labels


def test_stops_on_the_antimeridian_draw_a_line() -> None:
    # A step from +180 to -180 is along one meridian, not across the map (was a
    # ZeroDivisionError in _split_antimeridian, found by Hypothesis).
    trip = build_trip([Place("A", 10.0, 180.0), Place("B", 20.0, -180.0)])
    geo = json.loads(json.dumps(trip.to_geojson(), allow_nan=False))
    (line,) = [f["geometry"] for f in geo["features"] if f["properties"]["kind"] == "great_circle"]
    assert line["type"] == "LineString"
    lons = {lon for lon, _ in line["coordinates"]}
    assert len(lons) == 1
    assert abs(lons.pop()) == 180.0
    from route.mapping import render_html

    assert "L.polyline(" in render_html(trip, cdn=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_NAMES, min_size=2, max_size=3))
def test_cli_json_and_map_keep_every_stop_label(gazetteer: Gazetteer, names: list[str]) -> None:
    labels = [" ".join(name.split()) for name in names]
    stops = ", ".join(f"{label}@{i},{i}" for i, label in enumerate(labels))
    with tempfile.TemporaryDirectory() as work:
        out, doc = Path(work) / "m.html", Path(work) / "m.json"
        result = CliRunner().invoke(
            app,
            ["map", "--stops", stops, "-o", str(out), "--json", str(doc), "--cdn", "--no-rail"],
        )
        assert result.exit_code == 0, result.output
        document = json.loads(doc.read_text(encoding="utf-8"), parse_constant=_strict)
        assert [stop["query"] for stop in document["stops"]] == labels
        page = out.read_text(encoding="utf-8")
        for label in labels:
            assert escape_html(label) in page
        assert len(re.findall(r"<script\b", page, re.I)) == len(
            re.findall(r"</script\b", page, re.I)
        )
        assert sorted(p.name for p in Path(work).iterdir()) == ["m.html", "m.json"]


@settings(deadline=None)
@given(
    # A leading U+FEFF would be taken for UTF-8's byte-order mark; a leading U+0000 makes
    # UTF-16's bytes those of UTF-32's mark (FF FE 00 00): "\x000\x10" in UTF-16 is
    # byte for byte "\U00100030" in UTF-32, so no reader can tell them apart.
    st.text(min_size=1, max_size=200).filter(
        lambda t: t.strip() and not t.startswith(("\ufeff", "\x00"))
    )
)
def test_texts_read_alike_in_every_unicode_encoding(text: str) -> None:
    try:
        expected, _ = decode_text(text.encode("utf-8"))
    except Exception as exc:  # refused as binary (mostly controls): refused alike
        for encoding in ("utf-16", "utf-32"):
            with pytest.raises(type(exc)):
                decode_text(text.encode(encoding))
        return
    for encoding in ("utf-8-sig", "utf-16", "utf-32"):
        assert decode_text(text.encode(encoding)) == (expected, "")


def test_a_utf16_text_that_starts_with_nul_reads_as_utf32() -> None:
    # the ambiguity the property above leaves out, pinned: UTF-32's mark wins
    data = "\x000\x10".encode("utf-16")
    assert data == "\U00100030".encode("utf-32")
    assert decode_text(data) == ("\U00100030", "")
