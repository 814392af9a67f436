"""Online geocoders through geopy: polite, cached, fault-tolerant. The only module that
geocodes over the network.

- Any geopy service by name (``nominatim``, ``photon``, ``arcgis`` …), or a comma list
  that is a fallback chain (``nominatim,offline``): each place is tried in turn.
- Nominatim's usage policy: a real user agent is required and requests to one service
  are spaced by at least one second, across processes (a locked timestamp file in the
  cache directory).
- Self-hosted servers: ``url`` (``--geocoder-url``, ``ROUTE_GEOCODER_URL``).
- API keys from ``ROUTE_<SERVICE>_API_KEY``.
- ``retries`` more tries on HTTP 429/5xx, time-outs and dropped connections, and no
  others (geopy's adapter does not retry), after ``Retry-After`` or an exponential
  backoff; then the place fails with the reason in one line, and the chain moves on.
- A persistent SQLite cache (user cache dir) keyed by service, server, query and
  parameters; failures are never cached; safe for concurrent processes (WAL); a
  damaged cache is set aside and started afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from geopy.adapters import URLLibAdapter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from .errors import CacheError, InputError, RouteError

__all__ = [
    "AnswerCache",
    "ChainGeocoder",
    "GeocoderConfigError",
    "GeocodingError",
    "ServiceGeocoder",
    "make_geocoder",
    "service_names",
]

#: Services whose class takes ``domain`` (so ``--geocoder-url`` can point them at a server).
USER_AGENT_ENV = "ROUTE_USER_AGENT"
URL_ENV = "ROUTE_GEOCODER_URL"


class GeocoderConfigError(RouteError, ValueError):
    """An online geocoder is not configured well enough to be used."""


class GeocodingError(RouteError, LookupError):
    """A place could not be geocoded by any source of the chain."""


def service_names() -> list[str]:
    """Valid ``--geocoder`` names: geopy's services and ``offline``."""
    from geopy.geocoders import SERVICE_TO_GEOCODER

    return sorted([*SERVICE_TO_GEOCODER, "offline"])


_T = TypeVar("_T")


def _cache_file() -> Path:
    from .gazetteer import cache_dir

    return cache_dir() / "geocode.sqlite"


#: The columns of the answers table; a file with another layout is not route's cache.
_ANSWER_COLUMNS = ["key", "value", "created"]
_NOT_A_FILE = "not a file: a directory or device is in its place"
_NOT_OURS = "a database, but not route's answer cache"


def _damage(exc: sqlite3.Error) -> bool:
    """Whether an SQLite error says the file is damaged or not a database."""
    name = str(getattr(exc, "sqlite_errorname", ""))
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in str(exc)


class AnswerCache:
    """Geocoder answers on disk (SQLite, WAL): safe across processes and kills.

    A damaged file (not a database, garbage pages, a directory in its place, another
    layout) is moved aside as ``geocode.sqlite.damaged-<time>`` and a new, empty cache
    is started; ``on_recover`` hears about it in one line.

    Parameters
    ----------
    path
        The database file; the user cache directory by default.
    on_recover
        Called with a one-line message when a damaged cache was set aside.

    Raises
    ------
    CacheError
        The cache cannot be created or opened, and is not damaged (an unwritable
        directory ...), or a damaged one cannot be moved aside.
    """

    def __init__(
        self, path: Path | None = None, *, on_recover: Callable[[str], None] | None = None
    ) -> None:
        self.path = Path(path) if path is not None else _cache_file()
        self.on_recover = on_recover
        self._conn: sqlite3.Connection | None = None
        self._attempt(lambda: self._db)

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheError(
                f"cannot create the cache directory {self.path.parent}: {exc.strerror};"
                " set ROUTE_CACHE_DIR to a writable directory"
            ) from exc
        if self.path.exists() and not self.path.is_file():
            raise sqlite3.DatabaseError(_NOT_A_FILE)
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout = 30000")
            with contextlib.suppress(sqlite3.OperationalError):  # another process switched it
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS answers"
                " (key TEXT PRIMARY KEY, value TEXT, created REAL)"
            )
            columns = [row[1] for row in conn.execute("PRAGMA table_info(answers)")]
            if columns != _ANSWER_COLUMNS:
                raise sqlite3.DatabaseError(_NOT_OURS)
        except BaseException:
            conn.close()
            raise
        return conn

    def _attempt(self, operation: Callable[[], _T]) -> _T:
        """Run ``operation``; if the file turns out damaged, set it aside and run it again."""
        try:
            return operation()
        except sqlite3.DatabaseError as exc:
            if not self._set_aside(exc):
                raise CacheError(
                    f"the geocoder answer cache {self.path} cannot be used ({exc});"
                    " set ROUTE_CACHE_DIR to a writable directory"
                ) from exc
        try:
            return operation()
        except sqlite3.DatabaseError as exc:
            raise CacheError(
                f"the geocoder answer cache {self.path} cannot be used ({exc}) even after"
                " starting a new one; set ROUTE_CACHE_DIR to a writable directory"
            ) from exc

    def _healthy(self) -> bool:
        """Whether the file in place is a sound answer cache (or missing)."""
        if not self.path.exists():
            return True
        if not self.path.is_file():
            return False
        if not os.access(self.path, os.R_OK | os.W_OK):
            return True  # not damaged: not ours to use (the error says why)
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=30)
        except sqlite3.Error:
            return False
        try:
            if [row[0] for row in conn.execute("PRAGMA quick_check")] != ["ok"]:
                return False
            columns = [row[1] for row in conn.execute("PRAGMA table_info(answers)")]
            return columns in (_ANSWER_COLUMNS, [])
        except sqlite3.DatabaseError as exc:
            return not _damage(exc)
        finally:
            conn.close()

    def _set_aside(self, error: sqlite3.Error) -> bool:
        """Move a damaged file out of the way; ``False`` if the file is sound after all.

        Processes that find the damage at once agree under a lock: the first one moves
        the file, the others find a sound (or no) file in its place.
        """
        from ._filelock import locked_file

        if self._conn is not None:
            self._conn.close()
            self._conn = None
        reason = str(error).strip() or type(error).__name__
        try:
            with locked_file(self.path.with_name(f".{self.path.name}.lock")):
                if self._healthy():
                    return _damage(error) or reason in (_NOT_A_FILE, _NOT_OURS)
                stamp = time.strftime("%Y%m%d-%H%M%S")
                aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{os.getpid()}")
                os.replace(self.path, aside)
                for suffix in ("-wal", "-shm", "-journal"):
                    with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                        self.path.with_name(self.path.name + suffix).unlink()
        except OSError as exc:
            raise CacheError(
                f"the geocoder answer cache {self.path} is damaged ({reason}) and cannot be"
                f" moved aside: {exc.strerror}; delete it"
            ) from exc
        if self.on_recover is not None:
            self.on_recover(
                f"the geocoder answer cache {self.path} was damaged ({reason}); moved it to"
                f" {aside.name} and started a new one"
            )
        return True

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    @staticmethod
    def key(service: str, server: str, query: str, params: dict[str, Any]) -> str:
        """The cache key: service, server, query and parameters."""
        return json.dumps([service, server, query, params], sort_keys=True, ensure_ascii=False)

    def get(self, key: str) -> list[Location] | None:
        """A cached answer (a list, maybe empty), or ``None`` if not cached."""
        row = self._attempt(
            lambda: self._db.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
        )
        if row is None:
            return None
        try:
            return [Location(a, (lat, lon), raw) for a, lat, lon, raw in json.loads(row[0])]
        except (TypeError, ValueError):  # a row that is not ours: ask again
            return None

    def put(self, key: str, locations: list[Location]) -> None:
        """Store an answer (an atomic single-row write)."""
        value = json.dumps(
            [(loc.address, loc.latitude, loc.longitude, loc.raw) for loc in locations],
            ensure_ascii=False,
        )
        self._attempt(
            lambda: self._db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (key, value, time.time())
            )
        )

    def clear(self) -> int:
        """Remove every cached answer; returns how many there were."""

        def clear() -> int:
            (count,) = self._db.execute("SELECT count(*) FROM answers").fetchone()
            self._db.execute("DELETE FROM answers")
            return int(count)

        return self._attempt(clear)

    def close(self) -> None:
        """Close the database."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


#: Longest wait route accepts from a ``Retry-After`` (or a backoff) before a retry;
#: a service that asks for more fails the place at once and is not asked again this run.
MAX_RETRY_WAIT = 60.0

_HTTP_REASONS = {
    408: "request timed out",
    429: "rate limited",
    500: "server error",
    502: "bad gateway",
    503: "service busy/unavailable",
    504: "gateway timed out",
}


@dataclass(frozen=True, slots=True)
class _Failure:
    """Why one request failed, in words, and whether another try may help."""

    reason: str
    retryable: bool
    retry_after: float | None = None


def _short(text: str, limit: int = 100) -> str:
    """The first line of ``text``, cut at a word boundary with an ellipsis if too long."""
    line = " ".join(text.strip().splitlines()[0].split()) if text.strip() else ""
    if len(line) <= limit:
        return line
    cut = line[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return (cut or line[:limit]) + "…"


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and what caused it (explicit or implicit chaining, ``URLError.reason``)."""
    from urllib.error import URLError

    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        if isinstance(current, URLError) and isinstance(current.reason, BaseException):
            chain.append(current.reason)
        current = current.__cause__ or current.__context__
    return chain


def _http_failure(status: int, headers: Any) -> _Failure:
    from geopy.adapters import get_retry_after

    retry_after = None
    if status in (429, 503):
        with contextlib.suppress(Exception):  # a malformed header counts as none
            value = get_retry_after(headers or {})
            retry_after = float(value) if value is not None else None
    if status in (401, 403, 407):
        return _Failure(f"access refused (HTTP {status}); check the API key or user agent", False)
    if status == 402:
        return _Failure("quota exceeded (HTTP 402)", False)
    words = _HTTP_REASONS.get(status, "server error" if status >= 500 else "request refused")
    return _Failure(f"{words} (HTTP {status})", status >= 500 or status in (408, 429), retry_after)


def _failure(exc: BaseException, timeout: float | None) -> _Failure:
    """What a failed request means for the user, whatever geopy and urllib made of it."""
    import http.client
    import socket
    import ssl

    from geopy import exc as gexc
    from geopy.adapters import AdapterHTTPError

    causes = _causes(exc)
    for cause in causes:
        if isinstance(cause, AdapterHTTPError):
            return _http_failure(int(cause.status_code), cause.headers)
    for cause in causes:
        if isinstance(cause, TimeoutError | gexc.GeocoderTimedOut):
            within = f"no answer within {timeout:g} s" if timeout else "no answer"
            return _Failure(f"{within} (timed out)", True)
        if isinstance(cause, ConnectionRefusedError):
            return _Failure("connection refused (is the server running?)", True)
        if isinstance(cause, http.client.RemoteDisconnected):
            return _Failure("connection closed by the server without an answer", True)
        if isinstance(cause, ConnectionResetError):
            return _Failure("connection reset by the server", True)
        if isinstance(cause, ConnectionError | http.client.HTTPException):
            return _Failure("connection broken before a complete answer", True)
        if isinstance(cause, socket.gaierror):
            return _Failure("server name not found (offline?)", True)
        if isinstance(cause, ssl.SSLError):
            detail = str(getattr(cause, "reason", "") or "") or _short(str(cause), 60)
            return _Failure(f"secure connection failed ({detail})", False)
    if isinstance(exc, gexc.GeocoderParseError):
        kind = "malformed JSON" if "deserialize" in str(exc) else "not text"
        return _Failure(f"unreadable answer ({kind})", False)
    if isinstance(exc, gexc.GeocoderRateLimited):
        return _Failure("rate limited", True, getattr(exc, "retry_after", None))
    if isinstance(
        exc,
        gexc.GeocoderQueryError
        | gexc.GeocoderAuthenticationFailure
        | gexc.GeocoderInsufficientPrivileges
        | gexc.GeocoderQuotaExceeded,
    ):
        return _Failure(_short(str(exc)) or type(exc).__name__, False)
    for cause in causes:
        if isinstance(cause, OSError):
            detail = cause.strerror or _short(str(cause), 60) or type(cause).__name__
            return _Failure(f"network error ({detail})", True)
    if isinstance(exc, gexc.GeocoderServiceError):
        return _Failure(_short(str(exc)) or "service error", True)
    # The service's own parser choked on an answer of an unexpected shape.
    return _Failure(f"unreadable answer ({type(exc).__name__})", False)


class _Pacer:
    """At most one request per ``min_delay`` seconds to one service, across processes.

    The earliest time of the next request lives in a small file in the cache directory,
    read and written under an ``fcntl`` lock; a ``Retry-After`` or a backoff pushes it
    later, for every process. Where the file cannot be written, the pace holds for this
    process only.

    Parameters
    ----------
    key
        The service and server (one file each).
    min_delay
        Seconds between two requests.
    """

    def __init__(self, key: str, min_delay: float) -> None:
        from .gazetteer import cache_dir

        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        self.path = cache_dir() / "pacing" / f"{digest}.next"
        self.min_delay = max(min_delay, 0.0)
        self._local = 0.0

    def _update(self, change: Callable[[float, float], tuple[float, float]]) -> float:
        """Apply ``change(now, next) -> (result, new next)`` under the lock."""
        from ._filelock import locked_file

        try:
            with locked_file(self.path) as state:
                try:
                    stored = float(state.read())
                except ValueError:
                    stored = 0.0
                now = time.time()
                if stored > now + 86_400:  # a clock set back, or nonsense: start afresh
                    stored = 0.0
                result, stored = change(now, stored)
                state.write(repr(stored))
                return result
        except OSError:
            result, self._local = change(time.time(), self._local)
            return result

    def send(self, request: Callable[[], _T]) -> tuple[float, _T | BaseException | None]:
        """Wait for the next slot, then send ``request`` while holding it.

        The next slot opens ``min_delay`` seconds after the request has been answered,
        so the server sees its requests at least that far apart whatever the time
        between booking and sending (and processes never send two at once).

        Returns
        -------
        tuple
            ``(0, the request's result or the exception it raised)``, or ``(seconds
            still to wait, None)`` when that wait is more than :data:`MAX_RETRY_WAIT`
            (then nothing is sent).
        """
        outcome: list[_T | Exception] = []

        def take(now: float, stored: float) -> tuple[float, float]:
            wait = stored - now
            if not outcome:  # a second call (the state file failed) never sends again
                if wait > MAX_RETRY_WAIT:
                    return wait, stored
                if wait > 0:
                    time.sleep(wait)
                try:
                    outcome.append(request())
                except Exception as exc:
                    outcome.append(exc)
            return 0.0, time.time() + self.min_delay

        blocked = self._update(take)
        return blocked, (outcome[0] if outcome else None)

    def defer(self, seconds: float) -> None:
        """No request to this service for ``seconds`` from now (``Retry-After``, backoff)."""
        self._update(lambda now, stored: (0.0, max(stored, now + seconds)))


class ServiceGeocoder(Geocoder):  # type: ignore[misc]
    """One online geopy service, paced, retried and cached.

    Each place gets at most ``retries + 1`` requests: the geopy service is given an
    adapter that never retries on its own. Requests to one service are spaced by
    ``min_delay`` seconds across processes; a ``Retry-After`` is honoured.

    Use :func:`make_geocoder` rather than building it by hand.
    """

    def __init__(
        self,
        name: str,
        geocoder: Geocoder,
        *,
        server: str = "",
        min_delay: float = 1.0,
        retries: int = 2,
        backoff: float = 1.0,
        cache: AnswerCache | None = None,
        limit: int = 5,
    ) -> None:
        super().__init__(adapter_factory=URLLibAdapter)
        self.source = name
        self.inner = geocoder
        self.server = server
        self.retries = retries
        self.backoff = backoff
        self.cache = cache
        self.limit = limit
        self.last_error = ""
        self._pacer = _Pacer(f"{name}|{server}", min_delay)
        self._takes_limit = "limit" in inspect.signature(geocoder.geocode).parameters

    def geocode(
        self, query: str, *, exactly_one: bool = True, **_: Any
    ) -> Location | list[Location] | None:
        """Candidates for ``query`` (cached); raises :class:`GeocodingError` after retries."""
        params: dict[str, Any] = {"limit": self.limit} if self._takes_limit else {}
        key = AnswerCache.key(self.source, self.server, query, params)
        found = self.cache.get(key) if self.cache is not None else None
        if found is None:
            found = self._fetch(query, params)
            if self.cache is not None:
                self.cache.put(key, found)
        for location in found:
            if isinstance(location.raw, dict):
                location.raw.setdefault("source", self.source)
        if exactly_one:
            return found[0] if found else None
        return found or None

    def _fail(self, reason: str, tries: int) -> GeocodingError:
        self.last_error = f"{self.source}: {reason}"
        suffix = f" after {tries} tries" if tries > 1 else ""
        return GeocodingError(f"{self.last_error}{suffix}")

    def _fetch(self, query: str, params: dict[str, Any]) -> list[Location]:
        timeout = getattr(self.inner, "timeout", None)
        tries = 0
        while True:
            blocked, answer = self._pacer.send(
                lambda: self.inner.geocode(query, exactly_one=False, **params)
            )
            if blocked:
                raise self._fail(
                    f"service busy: it asked to wait {blocked:.0f} s more; try again later",
                    tries,
                )
            tries += 1
            if isinstance(answer, Exception):
                failure = _failure(answer, timeout if isinstance(timeout, int | float) else None)
                wait = failure.retry_after
                if wait is None:
                    wait = self.backoff * 2 ** (tries - 1)
                if failure.retry_after is not None:
                    self._pacer.defer(failure.retry_after)  # for every process
                if not failure.retryable or tries > self.retries:
                    raise self._fail(failure.reason, tries) from answer
                if wait > MAX_RETRY_WAIT:
                    reason = f"{failure.reason}; it asked to wait {wait:.0f} s"
                    raise self._fail(reason, tries) from answer
                self._pacer.defer(wait)
                continue
            if answer is None:
                return []
            return list(answer) if isinstance(answer, list) else [answer]


class ChainGeocoder(Geocoder):  # type: ignore[misc]
    """Try each geocoder in turn for every place; the first with an answer wins.

    ``failures`` records, per query, why each source that failed did so.
    """

    def __init__(self, geocoders: list[Geocoder]) -> None:
        super().__init__(adapter_factory=URLLibAdapter)
        self.geocoders = geocoders
        self.source = ",".join(str(getattr(g, "source", "?")) for g in geocoders)
        self.failures: dict[str, list[str]] = {}

    @property
    def gazetteer(self) -> Any:
        """The offline gazetteer of the chain, if any (for suggestions)."""
        for geocoder in self.geocoders:
            if hasattr(geocoder, "gazetteer"):
                return geocoder.gazetteer
        return None

    def geocode(
        self, query: str, *, exactly_one: bool = True, **kwargs: Any
    ) -> Location | list[Location] | None:
        """The first source's answer for ``query``; failures are recorded and skipped."""
        reasons = []
        for geocoder in self.geocoders:
            try:
                found = geocoder.geocode(query, exactly_one=False)
            except GeocodingError as exc:
                reasons.append(str(exc))
                continue
            if found:
                source = str(getattr(geocoder, "source", type(geocoder).__name__.lower()))
                for location in found:
                    if isinstance(location.raw, dict):
                        location.raw.setdefault("source", source)
                if reasons:
                    self.failures[query] = reasons
                return found[0] if exactly_one else found
            reasons.append(f"{getattr(geocoder, 'source', '?')}: no match")
        self.failures[query] = reasons
        if all(r.endswith("no match") for r in reasons):
            return None
        raise GeocodingError(f"could not geocode {query!r}: " + "; ".join(reasons))


def _api_key_parameter(cls: type) -> str | None:
    parameters = inspect.signature(cls).parameters
    for name in ("api_key", "apikey", "key", "access_token", "username"):
        param = parameters.get(name)
        if param is not None and param.default is inspect.Parameter.empty:
            return name
    return None


def make_geocoder(
    spec: str,
    *,
    user_agent: str | None = None,
    url: str | None = None,
    timeout: float = 10.0,
    retries: int = 2,
    backoff: float = 1.0,
    min_delay: float | None = None,
    use_cache: bool = True,
    cache: AnswerCache | None = None,
    offline: Geocoder | None = None,
    environ: dict[str, str] | None = None,
    on_recover: Callable[[str], None] | None = None,
) -> Geocoder:
    """Build a geocoder from ``"nominatim"``, ``"photon,offline"`` …

    Parameters
    ----------
    spec
        A geopy service name, ``offline``, or a comma list (a fallback chain).
    user_agent
        Required for Nominatim; default ``$ROUTE_USER_AGENT``.
    url
        A self-hosted server for the (first) online service, http or https; default
        ``$ROUTE_GEOCODER_URL``.
    timeout, retries, backoff
        Seconds per request; how many more tries after a 429, 5xx, time-out or dropped
        connection (the only retries: geopy's adapter makes none); retry ``n`` waits for
        the server's ``Retry-After``, else ``backoff × 2^n`` seconds.
    min_delay
        Seconds between requests to a service, across processes (default 1; the public
        Nominatim server: at least 1).
    use_cache, cache
        The on-disk answer cache (default: the user cache directory).
    offline
        The geocoder that ``offline`` stands for (the embedded gazetteer by default).
    environ
        The environment to read settings from (default ``os.environ``).
    on_recover
        Told in one line when the default answer cache was damaged and set aside.

    Raises
    ------
    InputError
        An unknown service name (the message lists the valid ones).
    GeocoderConfigError
        No user agent for Nominatim, a missing API key, a bad URL.
    """
    from geopy.geocoders import get_geocoder_for_service

    env = os.environ if environ is None else environ
    names = [n.strip().lower() for n in spec.split(",")]
    if not all(names):
        raise InputError(f"empty geocoder name in {spec!r}")
    user_agent = user_agent or env.get(USER_AGENT_ENV)
    url = url or env.get(URL_ENV)
    built: list[Geocoder] = []
    for name in names:
        if name == "offline":
            if offline is None:
                from .gazetteer import OfflineGeocoder

                offline = OfflineGeocoder()
            built.append(offline)
            continue
        try:
            cls = get_geocoder_for_service(name)
        except Exception as exc:  # geopy: GeocoderNotFound
            raise InputError(
                f"unknown geocoder {name!r}; choose from: {', '.join(service_names())}"
            ) from exc
        options: dict[str, Any] = {"timeout": timeout}
        parameters = inspect.signature(cls).parameters
        if "adapter_factory" in parameters:
            options["adapter_factory"] = URLLibAdapter  # never retries: ours are the only ones
        if "user_agent" in parameters:
            if name == "nominatim" and not user_agent:
                raise GeocoderConfigError(
                    "Nominatim's usage policy requires a real user agent: pass --user-agent "
                    f"'yourapp (you@example.org)' or set {USER_AGENT_ENV}"
                )
            options["user_agent"] = user_agent or "route (https://pypi.org/project/route)"
        server = ""
        if (
            url
            and "domain" in parameters
            and not any(isinstance(g, ServiceGeocoder) and g.server for g in built)
        ):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise GeocoderConfigError(f"--geocoder-url must be an http(s) URL, got {url!r}")
            options["scheme"] = parts.scheme
            options["domain"] = parts.netloc + parts.path.rstrip("/")
            server = f"{parts.scheme}://{options['domain']}"
        key_param = _api_key_parameter(cls)
        if key_param:
            variable = f"ROUTE_{name.upper()}_API_KEY"
            if not env.get(variable):
                raise GeocoderConfigError(f"the {name} geocoder needs an API key: set {variable}")
            options[key_param] = env[variable]
        delay = min_delay if min_delay is not None else 1.0
        if name == "nominatim" and not server:
            delay = max(delay, 1.0)  # the public server's policy: at most 1 request/s
        if cache is None and use_cache:
            cache = AnswerCache(on_recover=on_recover)
        built.append(
            ServiceGeocoder(
                name,
                cls(**options),
                server=server,
                min_delay=delay,
                retries=retries,
                backoff=backoff,
                cache=cache if use_cache else None,
            )
        )
    return built[0] if len(built) == 1 else ChainGeocoder(built)


def progress_geocoder(geocoder: Geocoder, report: Callable[[str], None]) -> Geocoder:
    """Wrap ``geocoder`` so each query is reported (for a progress bar)."""
    original = geocoder.geocode

    def geocode(query: str, **kwargs: Any) -> Any:
        try:
            return original(query, **kwargs)
        finally:
            report(query)

    geocoder.geocode = geocode
    return geocoder
