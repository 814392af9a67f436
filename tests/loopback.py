"""Threaded HTTP servers on 127.0.0.1 for tests of code that goes online (never the internet).

:class:`LoopbackServer` serves any handler; :class:`GeocoderServer` speaks Nominatim's
``/search`` JSON and answers each request as its ``script`` says, faults included.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class LoopbackServer:
    """Serves ``handler`` on a free loopback port until :meth:`close`."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# Answers in the format of Nominatim's /search?format=json (documented fields).
NOMINATIM_ANSWERS: dict[str, list[dict[str, Any]]] = {
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


class GeocoderServer:
    """A Nominatim-like geocoder on a loopback port, with scripted faults.

    Each request takes the next action from :attr:`script` (``"ok"`` once it is empty):

    ``ok``
        The answer from :data:`NOMINATIM_ANSWERS` (``[]`` for other queries).
    ``garbage``
        HTTP 200 with a body that is not JSON.
    ``hang``
        No answer until the client gives up (or the server closes).
    ``reset``
        The connection is reset (TCP RST) before any answer.
    ``close``
        The connection is closed cleanly before any answer.
    ``429``, ``503:2`` …
        That HTTP status, with ``Retry-After`` seconds after the colon.

    :attr:`requests` records ``(time.monotonic(), query, headers)`` for every request,
    so tests count them and measure the gaps between them.
    """

    def __init__(self) -> None:
        self.script: list[str] = []
        self.requests: list[tuple[float, str, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._released = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
                with outer._lock:
                    outer.requests.append((time.monotonic(), query, dict(self.headers)))
                    action = outer.script.pop(0) if outer.script else "ok"
                outer._answer(self, action, query)

        self._loop = LoopbackServer(Handler)
        self.url = self._loop.base_url

    @property
    def times(self) -> list[float]:
        """When each request arrived (``time.monotonic()``)."""
        return [t for t, _, _ in self.requests]

    def _answer(self, handler: BaseHTTPRequestHandler, action: str, query: str) -> None:
        status, _, retry_after = action.partition(":")
        if status.isdigit():
            handler.send_response(int(status))
            if retry_after:
                handler.send_header("Retry-After", retry_after)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if action == "hang":
            self._released.wait(30)
            handler.close_connection = True
            return
        if action in ("reset", "close"):
            connection: socket.socket = handler.connection
            if action == "reset":  # SO_LINGER 0: close() sends RST
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
            handler.close_connection = True
            connection.close()
            return
        body = (
            b"[{not json"
            if action == "garbage"
            else json.dumps(NOMINATIM_ANSWERS.get(query.lower(), [])).encode()
        )
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            handler.wfile.write(body)

    def close(self) -> None:
        """Release hanging requests and stop the server."""
        self._released.set()
        self._loop.close()
