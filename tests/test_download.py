"""The network download, against a local loopback HTTP server (never the internet)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from route.download import DownloadError, download_network
from route.rail import RailNetwork

from .loopback import LoopbackServer

DATA = Path(__file__).parent / "data"


def _network_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(DATA / "rail_small.geojson", "ne_10m_railroads.geojson")
        archive.writestr("README.txt", "padding " * 20_000)  # large enough to cut in half
    return buffer.getvalue()


PAYLOAD = _network_zip()


class _Server:
    """Serves PAYLOAD with HTTP ranges; ``script`` says how each request is answered."""

    def __init__(self) -> None:
        self.script: list[str] = []
        self.requests: list[dict[str, str]] = []
        self.body = PAYLOAD
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                outer.requests.append(dict(self.headers))
                action = outer.script.pop(0) if outer.script else "ok"
                if action.isdigit():
                    self.send_error(int(action))
                    return
                start = 0
                ranged = self.headers.get("Range")
                if ranged and action != "ignore-range":
                    start = int(ranged.removeprefix("bytes=").rstrip("-"))
                body = outer.body[start:]
                self.send_response(206 if start else 200)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Accept-Ranges", "bytes")
                self.end_headers()
                if action == "cut":
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        self._loop = LoopbackServer(Handler)
        self.url = f"{self._loop.base_url}/ne_10m_railroads.zip"

    def close(self) -> None:
        self._loop.close()


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    yield srv
    srv.close()


def _download(server: _Server, target: Path, **options: object) -> Path:
    return download_network(server.url, target, backoff=0.01, timeout=5, **options)  # type: ignore[arg-type]


def test_download_validates_and_renames(server: _Server, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    target = tmp_path / "data" / "ne_10m_railroads.zip"
    _download(server, target, progress=lambda done, total: seen.append((done, total)))
    assert target.read_bytes() == PAYLOAD
    assert seen[-1] == (len(PAYLOAD), len(PAYLOAD))
    assert [p.name for p in target.parent.iterdir()] == [target.name]
    assert RailNetwork.load(target, use_cache=False).info().lines == 6


def test_dropped_connection_is_resumed_with_a_range(server: _Server, tmp_path: Path) -> None:
    server.script = ["cut", "ok"]
    target = _download(server, tmp_path / "net.zip")
    assert target.read_bytes() == PAYLOAD
    assert "Range" not in server.requests[0]
    assert server.requests[1]["Range"] == f"bytes={len(PAYLOAD) // 2}-"


def test_server_that_ignores_ranges_restarts_cleanly(server: _Server, tmp_path: Path) -> None:
    server.script = ["cut", "ignore-range"]
    assert _download(server, tmp_path / "net.zip").read_bytes() == PAYLOAD


def test_server_errors_are_retried(server: _Server, tmp_path: Path) -> None:
    server.script = ["503", "429", "ok"]
    assert _download(server, tmp_path / "net.zip").read_bytes() == PAYLOAD
    assert len(server.requests) == 3


def test_gives_up_and_leaves_nothing(server: _Server, tmp_path: Path) -> None:
    server.script = ["cut"] * 10
    server.body = PAYLOAD + b"x" * 200_000  # never completes: every answer is cut short
    previous = tmp_path / "net.zip"
    previous.write_bytes(b"the previous file")
    with pytest.raises(DownloadError, match="failed after 3 attempts"):
        _download(server, previous, retries=2)
    assert previous.read_bytes() == b"the previous file"
    assert [p.name for p in tmp_path.iterdir()] == ["net.zip"]


def test_not_found_is_not_retried(server: _Server, tmp_path: Path) -> None:
    server.script = ["404"]
    with pytest.raises(DownloadError, match="HTTP 404"):
        _download(server, tmp_path / "net.zip")
    assert len(server.requests) == 1
    assert list(tmp_path.iterdir()) == []


def test_wrong_content_fails_validation(server: _Server, tmp_path: Path) -> None:
    server.body = b"<html>not a zip</html>"
    with pytest.raises(DownloadError, match="not a zip"):
        _download(server, tmp_path / "net.zip")
    assert list(tmp_path.iterdir()) == []


def test_zip_without_railways_fails_validation(server: _Server, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    server.body = buffer.getvalue()
    with pytest.raises(DownloadError, match="no Shapefile, GeoJSON or GeoPackage"):
        _download(server, tmp_path / "net.zip")
    assert list(tmp_path.iterdir()) == []


def test_checksum(server: _Server, tmp_path: Path) -> None:
    good = hashlib.sha256(PAYLOAD).hexdigest()
    assert _download(server, tmp_path / "a.zip", sha256=good).exists()
    with pytest.raises(DownloadError, match="SHA-256"):
        _download(server, tmp_path / "b.zip", sha256="0" * 64)
    assert not (tmp_path / "b.zip").exists()


def test_refuses_other_schemes(tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="not an http"):
        download_network("file:///etc/passwd", tmp_path / "x.zip")
