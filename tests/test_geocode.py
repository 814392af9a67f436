"""Online geocoders against a local loopback server speaking Nominatim's /search JSON."""

from __future__ import annotations

import itertools
import json
import multiprocessing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from geopy.location import Location
from typer.testing import CliRunner

from route.cli import app
from route.errors import CacheError, InputError
from route.gazetteer import Gazetteer, OfflineGeocoder
from route.geocode import (
    AnswerCache,
    ChainGeocoder,
    GeocoderConfigError,
    GeocodingError,
    make_geocoder,
)
from route.pipeline import plan

from .loopback import GeocoderServer


@pytest.fixture
def server() -> Iterator[GeocoderServer]:
    srv = GeocoderServer()
    yield srv
    srv.close()


def _nominatim(server: GeocoderServer, tmp_path: Path, **options: Any) -> Any:
    defaults: dict[str, Any] = {
        "user_agent": "route-tests (tests@example.org)",
        "url": server.url,
        "min_delay": 0.0,
        "backoff": 0.01,
        "cache": AnswerCache(tmp_path / "answers.sqlite"),
        "environ": {},
    }
    return make_geocoder(options.pop("spec", "nominatim"), **{**defaults, **options})


def test_happy_path(server: GeocoderServer, tmp_path: Path) -> None:
    trip = plan(stops="Pyongyang, Hanoi", geocoder=_nominatim(server, tmp_path))
    assert [(s.lat, s.lon) for s in trip.stops] == [(39.0167, 125.7475), (21.0283, 105.8542)]
    assert [s.source for s in trip.stops] == ["nominatim", "nominatim"]
    assert trip.stops[1].name == "Hà Nội"
    assert trip.direct_km == pytest.approx(2755, abs=5)
    assert all(h["User-Agent"] == "route-tests (tests@example.org)" for _, _, h in server.requests)


def test_no_user_agent_is_a_configuration_error(server: GeocoderServer, tmp_path: Path) -> None:
    with pytest.raises(GeocoderConfigError, match="ROUTE_USER_AGENT"):
        _nominatim(server, tmp_path, user_agent=None)
    assert server.requests == []


def test_rate_limited_then_answers(server: GeocoderServer, tmp_path: Path) -> None:
    server.script = ["429", "ok"]
    geocoder = _nominatim(server, tmp_path)
    assert geocoder.geocode("Pyongyang").latitude == 39.0167
    assert len(server.requests) == 2


def test_timeout_fails_with_a_reason(server: GeocoderServer, tmp_path: Path) -> None:
    server.script = ["hang"] * 10
    geocoder = _nominatim(server, tmp_path, timeout=0.3, retries=1)
    with pytest.raises(GeocodingError, match=r"nominatim: .* after 2 tries"):
        geocoder.geocode("Pyongyang")


def test_server_error_is_retried_then_fails(server: GeocoderServer, tmp_path: Path) -> None:
    server.script = ["500", "500", "500"]
    geocoder = _nominatim(server, tmp_path, retries=2)
    with pytest.raises(GeocodingError, match="after 3 tries"):
        geocoder.geocode("Pyongyang")
    assert len(server.requests) == 3


def test_malformed_json_is_not_retried_nor_cached(server: GeocoderServer, tmp_path: Path) -> None:
    server.script = ["garbage"]
    geocoder = _nominatim(server, tmp_path)
    with pytest.raises(GeocodingError, match="malformed JSON"):
        geocoder.geocode("Pyongyang")
    assert len(server.requests) == 1
    assert geocoder.geocode("Pyongyang").longitude == 125.7475  # failure was not cached
    assert len(server.requests) == 2


def _gaps(server: GeocoderServer) -> list[float]:
    """Seconds between the requests the server received, in order."""
    return [b - a for a, b in itertools.pairwise(server.times)]


def test_rate_limit_spacing(server: GeocoderServer, tmp_path: Path) -> None:
    geocoder = _nominatim(server, tmp_path, min_delay=None)  # Nominatim's 1 request/s
    for name in ("Pyongyang", "Hanoi", "Sinuiju station"):
        geocoder.geocode(name)
    gaps = _gaps(server)
    assert len(gaps) == 2
    assert min(gaps) >= 1.0  # a lower bound on the recorded times, not a speed test


def test_cache_makes_a_second_run_silent(server: GeocoderServer, tmp_path: Path) -> None:
    plan(stops="Pyongyang, Hanoi", geocoder=_nominatim(server, tmp_path))
    assert len(server.requests) == 2
    again = plan(stops="Pyongyang, Hanoi", geocoder=_nominatim(server, tmp_path))
    assert len(server.requests) == 2  # zero new requests
    assert again.stops[0].source == "nominatim"
    assert AnswerCache(tmp_path / "answers.sqlite").clear() == 2


def _writer(path: str, prefix: str) -> None:
    from geopy.location import Location

    cache = AnswerCache(Path(path))
    for i in range(200):
        cache.put(AnswerCache.key("svc", "", f"{prefix}{i}", {}), [Location("x", (1.0, 2.0), {})])
    cache.close()


def test_two_processes_write_the_cache_at_once(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite")
    AnswerCache(Path(path)).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(path, p)) for p in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    cache = AnswerCache(Path(path))
    assert cache.get(AnswerCache.key("svc", "", "a199", {})) is not None
    assert cache.get(AnswerCache.key("svc", "", "b0", {})) is not None
    assert cache.clear() == 400


def test_fallback_chain(server: GeocoderServer, tmp_path: Path, gazetteer: Gazetteer) -> None:
    server.script = ["ok", "500", "500", "500"]
    chain = _nominatim(
        server, tmp_path, spec="nominatim,offline", offline=OfflineGeocoder(gazetteer)
    )
    assert isinstance(chain, ChainGeocoder)
    trip = plan(stops="Pyongyang, Dandong", geocoder=chain)
    assert [s.source for s in trip.stops] == ["nominatim", "offline"]
    assert trip.stops[1].geonameid == 2037886
    (reason,) = chain.failures["Dandong"]
    assert reason.startswith("nominatim: ")
    assert reason.endswith("after 3 tries")


def test_a_stop_no_source_resolves_fails_the_run(server: GeocoderServer, tmp_path: Path) -> None:
    server.script = ["500"] * 20
    with pytest.raises(GeocodingError, match="2 of 2 stops failed"):
        plan(stops="Pyongyang, Hanoi", geocoder=_nominatim(server, tmp_path, retries=0))


def test_unknown_service_and_missing_key(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unknown geocoder 'nominatum'; choose from: .*nominatim"):
        make_geocoder("nominatum", environ={})
    with pytest.raises(GeocoderConfigError, match="ROUTE_OPENCAGE_API_KEY"):
        make_geocoder("opencage", environ={}, use_cache=False)
    with pytest.raises(GeocoderConfigError, match="http"):
        make_geocoder("photon", url="ftp://x", environ={}, use_cache=False)


def test_cli_with_an_online_geocoder(server: GeocoderServer, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["map", "--stops", "Pyongyang, Hanoi", "-o", str(tmp_path / "m.html"), "--json", "-"]
    online = ["--geocoder", "nominatim", "--geocoder-url", server.url, "--no-cache"]
    result = runner.invoke(app, [*args, *online, "--user-agent", "t (t@example.org)"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [s["source"] for s in doc["stops"]] == ["nominatim", "nominatim"]
    result = runner.invoke(app, [*args, *online], env={"ROUTE_USER_AGENT": None})
    assert result.exit_code == 1
    assert "requires a real user agent" in result.stderr
    result = runner.invoke(app, [*args, "--geocoder", "nominatum"])
    assert result.exit_code == 2
    assert "choose from" in result.stderr
    result = runner.invoke(app, ["cache", "clear"])
    assert result.exit_code == 0
    assert "removed" in result.stdout


# -- faults: the documented tries and no others, one honest line each, polite pacing ---

#: Faults worth another try, and how route words each.
RETRIED = {
    "500": "server error (HTTP 500)",
    "503": "service busy/unavailable (HTTP 503)",
    "429": "rate limited (HTTP 429)",
    "reset": "connection reset by the server",
    "close": "connection closed by the server without an answer",
    "hang": "no answer within 0.2 s (timed out)",
}


@pytest.mark.parametrize("retries", [0, 2])
@pytest.mark.parametrize("fault", sorted(RETRIED))
def test_a_fault_gets_exactly_the_documented_tries(
    server: GeocoderServer, tmp_path: Path, fault: str, retries: int
) -> None:
    server.script = [fault] * 10
    geocoder = _nominatim(server, tmp_path, retries=retries, timeout=0.2)
    with pytest.raises(GeocodingError) as caught:
        geocoder.geocode("Pyongyang")
    assert len(server.requests) == retries + 1  # geopy's adapter adds none of its own
    suffix = f" after {retries + 1} tries" if retries else ""
    assert str(caught.value) == f"nominatim: {RETRIED[fault]}{suffix}"


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("garbage", "unreadable answer (malformed JSON)"),
        ("400", "request refused (HTTP 400)"),
        ("403", "access refused (HTTP 403); check the API key or user agent"),
    ],
)
def test_a_fault_another_try_cannot_fix_is_not_retried(
    server: GeocoderServer, tmp_path: Path, fault: str, reason: str
) -> None:
    server.script = [fault] * 5
    with pytest.raises(GeocodingError) as caught:
        _nominatim(server, tmp_path, retries=3).geocode("Pyongyang")
    assert str(caught.value) == f"nominatim: {reason}"
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", ["429", "503"])
def test_retry_after_is_honoured(server: GeocoderServer, tmp_path: Path, status: str) -> None:
    server.script = [f"{status}:1", "ok"]
    # No minimum delay and a 10 ms backoff: only the server's Retry-After spaces them.
    geocoder = _nominatim(server, tmp_path, retries=2)
    assert geocoder.geocode("Pyongyang").latitude == 39.0167
    (gap,) = _gaps(server)
    assert gap >= 1.0


def test_a_long_retry_after_fails_at_once_and_holds_off_later_requests(
    server: GeocoderServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROUTE_CACHE_DIR", str(tmp_path))  # pacing state of its own
    server.script = ["429:3600"]
    geocoder = _nominatim(server, tmp_path, retries=2)
    with pytest.raises(GeocodingError) as caught:
        geocoder.geocode("Pyongyang")
    assert str(caught.value) == "nominatim: rate limited (HTTP 429); it asked to wait 3600 s"
    # The next place, and another geocoder (another process), do not ask again.
    for later in (geocoder, _nominatim(server, tmp_path)):
        with pytest.raises(GeocodingError, match=r"^nominatim: service busy: it asked to wait"):
            later.geocode("Hanoi")
    assert len(server.requests) == 1


def test_one_request_per_second_through_a_series_of_faults(
    server: GeocoderServer, tmp_path: Path
) -> None:
    server.script = ["429", "503", "reset", "ok"]
    geocoder = _nominatim(server, tmp_path, min_delay=None, retries=3)  # 1 request/s
    assert geocoder.geocode("Pyongyang").latitude == 39.0167
    assert geocoder.geocode("Hanoi").longitude == 105.8542
    assert len(server.requests) == 5
    assert min(_gaps(server)) >= 1.0


def _geocode_in_a_process(url: str, query: str, barrier: Any) -> None:
    geocoder = make_geocoder(
        "nominatim", user_agent="t (t@example.org)", url=url, use_cache=False, environ={}
    )
    barrier.wait(60)  # all processes ask at once
    geocoder.geocode(query)


def test_one_request_per_second_across_processes(server: GeocoderServer) -> None:
    context = multiprocessing.get_context("spawn")
    queries = ("Pyongyang", "Hanoi", "Sinuiju station")
    barrier = context.Barrier(len(queries))
    workers = [
        context.Process(target=_geocode_in_a_process, args=(server.url, q, barrier))
        for q in queries
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert len(server.requests) == 3
    assert min(_gaps(server)) >= 1.0


def test_pacing_state_that_is_garbage_or_unwritable_still_paces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from route.geocode import _Pacer

    monkeypatch.setenv("ROUTE_CACHE_DIR", str(tmp_path))
    pacer = _Pacer("svc|", 0.0)
    pacer.path.parent.mkdir(parents=True)
    pacer.path.write_text("not a time")
    assert pacer.send(lambda: "sent") == (0.0, "sent")
    pacer.defer(3600)
    waited, sent = pacer.send(lambda: "sent")
    assert waited > 3000  # the wait is reported, not slept
    assert sent is None
    monkeypatch.setenv("ROUTE_CACHE_DIR", str(tmp_path / "file"))
    (tmp_path / "file").write_text("a file where the cache directory should be")
    local = _Pacer("svc|", 0.0)
    local.defer(3600)
    waited, sent = local.send(lambda: "sent")
    assert waited > 3000  # kept in memory instead
    assert sent is None


# -- a damaged answer cache ------------------------------------------------------------


def damage_answer_cache(path: Path, damage: str) -> None:
    """Put a damaged answer cache at ``path``: ``random`` bytes, a ``directory``, garbage
    ``pages`` behind a sound header, or a ``foreign`` SQLite database."""
    import os
    import sqlite3

    if damage == "random":
        path.write_bytes(os.urandom(20_000))
    elif damage == "directory":
        path.mkdir()
        (path / "something").write_text("x")
    elif damage == "foreign":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE answers (a, b)")
        conn.commit()
        conn.close()
    else:
        cache = AnswerCache(path)
        for i in range(40):
            cache.put(AnswerCache.key("svc", "", f"q{i}", {}), [Location("x" * 2000, (1, 2), {})])
        cache._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cache._db.execute("PRAGMA journal_mode = DELETE")
        cache.close()
        size = path.stat().st_size
        with path.open("r+b") as fh:  # header, schema and table root stay sound
            fh.seek(3 * 4096)
            fh.write(os.urandom(size - 3 * 4096))
        assert path.stat().st_size == size


@pytest.mark.parametrize("damage", ["random", "directory", "pages", "foreign"])
def test_a_damaged_answer_cache_is_set_aside_and_started_afresh(
    tmp_path: Path, damage: str
) -> None:
    path = tmp_path / "geocode.sqlite"
    damage_answer_cache(path, damage)
    notes: list[str] = []
    cache = AnswerCache(path, on_recover=notes.append)
    key = AnswerCache.key("svc", "", "Hanoi", {})
    cache.put(key, [Location("Hanoi", (21.0, 105.8), {})])
    assert cache.get(key)[0].latitude == 21.0
    assert cache.clear() == 1
    cache.close()
    (note,) = notes
    (aside,) = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert note.startswith(f"the geocoder answer cache {path} was damaged (")
    assert note.endswith(f"moved it to {aside.name} and started a new one")
    assert "\n" not in note
    notes.clear()
    AnswerCache(path, on_recover=notes.append).close()
    assert notes == []  # sound now


def _open_damaged(path: str, barrier: Any) -> None:
    barrier.wait(60)
    cache = AnswerCache(Path(path))
    cache.put(AnswerCache.key("svc", "", path, {}), [])
    cache.close()


def test_processes_that_find_the_damage_at_once_set_it_aside_once(tmp_path: Path) -> None:
    path = tmp_path / "geocode.sqlite"
    damage_answer_cache(path, "random")
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)
    workers = [context.Process(target=_open_damaged, args=(str(path), barrier)) for _ in "abc"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert len([p for p in tmp_path.iterdir() if ".damaged-" in p.name]) == 1
    assert AnswerCache(path).clear() == 1


def test_an_unusable_cache_directory_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(CacheError, match="ROUTE_CACHE_DIR"):
        AnswerCache(blocker / "geocode.sqlite")
