"""Online geocoders against a local loopback server speaking Nominatim's /search JSON."""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from route.cli import app
from route.errors import InputError
from route.gazetteer import Gazetteer, OfflineGeocoder
from route.geocode import (
    AnswerCache,
    ChainGeocoder,
    GeocoderConfigError,
    GeocodingError,
    make_geocoder,
)
from route.pipeline import plan

from .loopback import LoopbackServer

# Answers in the format of Nominatim's /search?format=json (documented fields).
ANSWERS: dict[str, list[dict[str, Any]]] = {
    "pyongyang": [
        {
            "place_id": 297578, "licence": "Data © OpenStreetMap contributors, ODbL 1.0.",
            "osm_type": "relation", "osm_id": 2218429, "lat": "39.0167", "lon": "125.7475",
            "class": "boundary", "type": "administrative", "place_rank": 8, "importance": 0.71,
            "addresstype": "city", "name": "Pyongyang", "display_name": "Pyongyang, North Korea",
            "boundingbox": ["38.7", "39.3", "125.3", "126.1"],
        }
    ],
    "hanoi": [
        {
            "place_id": 123, "osm_type": "relation", "osm_id": 1903516, "lat": "21.0283",
            "lon": "105.8542", "class": "boundary", "type": "administrative", "importance": 0.74,
            "name": "Hà Nội", "display_name": "Hà Nội, Việt Nam",
        }
    ],
    "sinuiju station": [
        {
            "place_id": 9, "osm_type": "node", "osm_id": 1, "lat": "40.1004", "lon": "124.3986",
            "class": "railway", "type": "station", "importance": 0.3, "name": "Sinuiju Chongnyon",
            "display_name": "Sinuiju Chongnyon, Sinuiju, North Korea",
        }
    ],
}  # fmt: skip


class _Server:
    def __init__(self) -> None:
        self.script: list[str] = []
        self.requests: list[tuple[float, str, dict[str, str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query).get("q", [""])[0]
                outer.requests.append((time.monotonic(), query, dict(self.headers)))
                action = outer.script.pop(0) if outer.script else "ok"
                if action.isdigit():
                    self.send_error(int(action))
                    return
                if action == "slow":
                    time.sleep(1.5)
                body = (
                    b"[{not json"
                    if action == "garbage"
                    else json.dumps(ANSWERS.get(query.lower(), [])).encode()
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        self._loop = LoopbackServer(Handler)
        self.url = self._loop.base_url

    def close(self) -> None:
        self._loop.close()


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    yield srv
    srv.close()


def _nominatim(server: _Server, tmp_path: Path, **options: Any) -> Any:
    defaults: dict[str, Any] = {
        "user_agent": "route-tests (tests@example.org)",
        "url": server.url,
        "min_delay": 0.0,
        "backoff": 0.01,
        "cache": AnswerCache(tmp_path / "answers.sqlite"),
        "environ": {},
    }
    return make_geocoder(options.pop("spec", "nominatim"), **{**defaults, **options})


def test_happy_path(server: _Server, tmp_path: Path) -> None:
    trip = plan(stops="Pyongyang, Hanoi", geocoder=_nominatim(server, tmp_path))
    assert [(s.lat, s.lon) for s in trip.stops] == [(39.0167, 125.7475), (21.0283, 105.8542)]
    assert [s.source for s in trip.stops] == ["nominatim", "nominatim"]
    assert trip.stops[1].name == "Hà Nội"
    assert trip.direct_km == pytest.approx(2755, abs=5)
    assert all(h["User-Agent"] == "route-tests (tests@example.org)" for _, _, h in server.requests)


def test_no_user_agent_is_a_configuration_error(server: _Server, tmp_path: Path) -> None:
    with pytest.raises(GeocoderConfigError, match="ROUTE_USER_AGENT"):
        _nominatim(server, tmp_path, user_agent=None)
    assert server.requests == []


def test_rate_limited_then_answers(server: _Server, tmp_path: Path) -> None:
    server.script = ["429", "ok"]
    geocoder = _nominatim(server, tmp_path)
    assert geocoder.geocode("Pyongyang").latitude == 39.0167
    assert len(server.requests) == 2


def test_timeout_fails_with_a_reason(server: _Server, tmp_path: Path) -> None:
    server.script = ["slow"] * 10
    geocoder = _nominatim(server, tmp_path, timeout=0.3, retries=1)
    with pytest.raises(GeocodingError, match=r"nominatim: .* after 2 tries"):
        geocoder.geocode("Pyongyang")


def test_server_error_is_retried_then_fails(server: _Server, tmp_path: Path) -> None:
    server.script = ["500", "500", "500"]
    geocoder = _nominatim(server, tmp_path, retries=2)
    with pytest.raises(GeocodingError, match="after 3 tries"):
        geocoder.geocode("Pyongyang")
    assert len(server.requests) == 3


def test_malformed_json_is_not_retried_nor_cached(server: _Server, tmp_path: Path) -> None:
    server.script = ["garbage"]
    geocoder = _nominatim(server, tmp_path)
    with pytest.raises(GeocodingError, match="malformed JSON"):
        geocoder.geocode("Pyongyang")
    assert len(server.requests) == 1
    assert geocoder.geocode("Pyongyang").longitude == 125.7475  # failure was not cached
    assert len(server.requests) == 2


def test_rate_limit_spacing(server: _Server, tmp_path: Path) -> None:
    geocoder = _nominatim(server, tmp_path, min_delay=None)  # Nominatim's 1 request/s
    for name in ("Pyongyang", "Hanoi", "Sinuiju station"):
        geocoder.geocode(name)
    times = [t for t, _, _ in server.requests]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(gaps) == 2
    assert min(gaps) >= 0.95


def test_cache_makes_a_second_run_silent(server: _Server, tmp_path: Path) -> None:
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


def test_fallback_chain(server: _Server, tmp_path: Path, gazetteer: Gazetteer) -> None:
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


def test_a_stop_no_source_resolves_fails_the_run(server: _Server, tmp_path: Path) -> None:
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


def test_cli_with_an_online_geocoder(server: _Server, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["map", "--stops", "Pyongyang, Hanoi", "-o", str(tmp_path / "m.html"), "--json", "-"]
    online = ["--geocoder", "nominatim", "--geocoder-url", server.url, "--no-cache"]
    result = runner.invoke(app, [*args, *online, "--user-agent", "t (t@example.org)"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [s["source"] for s in doc["stops"]] == ["nominatim", "nominatim"]
    result = runner.invoke(app, [*args, *online], env={"ROUTE_USER_AGENT": ""})
    assert result.exit_code == 1
    assert "requires a real user agent" in result.stderr
    result = runner.invoke(app, [*args, "--geocoder", "nominatum"])
    assert result.exit_code == 2
    assert "choose from" in result.stderr
    result = runner.invoke(app, ["cache", "clear"])
    assert result.exit_code == 0
    assert "removed" in result.stdout
