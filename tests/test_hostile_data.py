"""Damaged caches and a faulty geocoder, through the CLI: exit code, one stderr line,
no traceback (issue 13, items 2, 3, 5 and 7).

Each test has a cache directory of its own; the session's gazetteer index is linked into
it (or copied, where it gets damaged), so nothing here builds the real index.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from route.cli import app
from route.gazetteer import Gazetteer
from route.rail import RailNetwork

from .conftest import ROOT, SMALL_NETWORK
from .loopback import GeocoderServer
from .test_gazetteer import garble_pages, small_builds
from .test_geocode import damage_answer_cache
from .test_rail import tamper_graph_cache

runner = CliRunner()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gazetteer: Gazetteer) -> Path:
    """A cache directory of this test's own, holding (a link to) the built gazetteer."""
    directory = tmp_path / "cache"
    directory.mkdir()
    (directory / gazetteer.path.name).symlink_to(gazetteer.path)
    monkeypatch.setenv("ROUTE_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def server() -> Iterator[GeocoderServer]:
    srv = GeocoderServer()
    yield srv
    srv.close()


def _clean(result: Result) -> None:
    """No traceback: the CLI ended through its own exit, not an uncaught exception."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stdout + result.stderr


def _route_lines(result: Result) -> list[str]:
    """The stderr lines route writes itself (not the 'map written to' progress line)."""
    return [line for line in result.stderr.splitlines() if line.startswith("route:")]


# -- item 2: a damaged answer cache ----------------------------------------------------


@pytest.mark.parametrize("damage", ["random", "directory", "pages", "foreign"])
def test_cache_clear_sets_a_damaged_cache_aside(cache: Path, damage: str) -> None:
    damage_answer_cache(cache / "geocode.sqlite", damage)
    result = runner.invoke(app, ["cache", "clear"])
    _clean(result)
    assert result.exit_code == 0
    (aside,) = [p.name for p in cache.iterdir() if ".damaged-" in p.name]
    assert result.stderr == (
        f"route: note: the geocoder answer cache {cache / 'geocode.sqlite'} was damaged "
        f"({result.stderr.split(' was damaged (', 1)[1].split('); moved', 1)[0]}); "
        f"moved it to {aside} and started a new one\n"
    )
    assert result.stdout == f"removed 0 cached geocoder answers from {cache / 'geocode.sqlite'}\n"
    again = runner.invoke(app, ["cache", "clear"])
    assert (again.exit_code, again.stderr) == (0, "")


def test_cache_clear_in_an_unusable_cache_directory_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv("ROUTE_CACHE_DIR", str(blocker))
    result = runner.invoke(app, ["cache", "clear"])
    _clean(result)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"route: error: cannot create the cache directory {blocker}")
    assert blocker.read_text() == "a file where the cache directory should be"


def _map_online(server: GeocoderServer, out: Path, *extra: str) -> list[str]:
    return [
        "map", "--stops", "Pyongyang, Hanoi@21.0283,105.8542", "-o", str(out), "--no-rail",
        "--geocoder", "nominatim", "--geocoder-url", server.url,
        "--user-agent", "route-tests (tests@example.org)", *extra,
    ]  # fmt: skip


def test_map_with_a_damaged_answer_cache_notes_it_and_goes_on(
    cache: Path, server: GeocoderServer, tmp_path: Path
) -> None:
    damage_answer_cache(cache / "geocode.sqlite", "random")
    result = runner.invoke(app, _map_online(server, tmp_path / "m.html"))
    _clean(result)
    assert result.exit_code == 0, result.stderr
    (note,) = _route_lines(result)
    assert note.startswith("route: note: the geocoder answer cache ")
    assert "was damaged (file is not a database); moved it to geocode.sqlite.damaged-" in note
    assert len(server.requests) == 1
    again = runner.invoke(app, _map_online(server, tmp_path / "m.html"))
    assert (again.exit_code, _route_lines(again)) == (0, [])
    assert len(server.requests) == 1  # answered from the new cache


# -- item 3: online geocoding under faults ---------------------------------------------


@pytest.mark.parametrize(
    ("fault", "reason", "requests"),
    [
        ("503", "service busy/unavailable (HTTP 503) after 2 tries", 2),
        ("429", "rate limited (HTTP 429) after 2 tries", 2),
        ("500", "server error (HTTP 500) after 2 tries", 2),
        ("reset", "connection reset by the server after 2 tries", 2),
        ("hang", "no answer within 0.2 s (timed out) after 2 tries", 2),
        ("garbage", "unreadable answer (malformed JSON)", 1),
    ],
)
def test_a_failing_geocoder_is_one_honest_line(
    cache: Path, server: GeocoderServer, tmp_path: Path, fault: str, reason: str, requests: int
) -> None:
    server.script = [fault] * 10
    out = tmp_path / "m.html"
    args = _map_online(server, out, "--retries", "1", "--timeout", "0.2", "--no-cache")
    result = runner.invoke(app, args)
    _clean(result)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("route: error: ")
    assert f"nominatim: {reason}" in line
    assert "urllib3" not in line
    assert ("timed out" in line) == (fault == "hang")
    assert len(server.requests) == requests  # --retries 1: two tries, no more
    gaps = [b - a for a, b in itertools.pairwise(server.times)]
    assert all(gap >= 1.0 for gap in gaps)  # Nominatim's pace holds through faults
    assert not out.exists()


def test_a_short_retry_after_is_waited_for(
    cache: Path, server: GeocoderServer, tmp_path: Path
) -> None:
    server.script = ["429:1", "ok"]
    result = runner.invoke(app, _map_online(server, tmp_path / "m.html", "--no-cache"))
    _clean(result)
    assert result.exit_code == 0, result.stderr
    assert _route_lines(result) == []
    ((first, _, _), (second, _, _)) = server.requests
    assert second - first >= 1.0


# -- item 5: garbage pages in the gazetteer index --------------------------------------


def test_garbage_pages_in_the_index_are_announced_as_a_rebuild(
    cache: Path, gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = cache / gazetteer.path.name
    index.unlink()
    shutil.copyfile(gazetteer.path, index)
    garble_pages(index, "names")
    small_builds(monkeypatch, gazetteer, ["Hanoi"])  # the rebuild's content is not the point
    result = runner.invoke(app, ["geocode", "Hanoi"])
    _clean(result)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("rebuilding the damaged gazetteer index… ")
    assert result.stderr.endswith(" s\n")
    assert result.stderr.count("\n") == 1
    assert "1581130" in result.stdout
    again = runner.invoke(app, ["geocode", "Hanoi"])
    assert (again.exit_code, again.stderr) == (0, "")


# -- item 7: a tampered rail graph cache -----------------------------------------------


def _distance(network: Path) -> list[str]:
    return ["distance", "0,0", "0,2", "--rail-network", str(network)]


def test_a_tampered_graph_cache_does_not_crash_the_process(cache: Path, tmp_path: Path) -> None:
    network = tmp_path / "net.geojson"
    shutil.copyfile(SMALL_NETWORK, network)
    built = RailNetwork.load(network)
    assert built.cache is not None
    tamper_graph_cache(built.cache, "k_indices out of range")  # was exit 139, no message
    # In a process of its own: a segfault would only show as its exit status.
    result = subprocess.run(
        [sys.executable, "-m", "route", *_distance(network)],
        capture_output=True,
        text=True,
        env={**os.environ, "ROUTE_CACHE_DIR": str(cache)},
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("rebuilding the damaged rail graph cache… ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert "by rail 222.6 km" in result.stdout
    again = runner.invoke(app, _distance(network))
    assert (again.exit_code, again.stderr) == (0, "")


@pytest.mark.parametrize(
    "how", ["negative k_indices", "node_pos out of range", "labels merged", "a scalar"]
)
def test_other_tampered_graph_caches_are_rebuilt(cache: Path, tmp_path: Path, how: str) -> None:
    network = tmp_path / "net.geojson"
    shutil.copyfile(SMALL_NETWORK, network)
    built = RailNetwork.load(network)
    assert built.cache is not None
    tamper_graph_cache(built.cache, how)
    result = runner.invoke(app, _distance(network))
    _clean(result)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("rebuilding the damaged rail graph cache… ")
    assert result.stderr.count("\n") == 1
    assert "by rail 222.6 km" in result.stdout
