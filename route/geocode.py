"""Online geocoders through geopy: polite, cached, fault-tolerant. The only module that
geocodes over the network.

- Any geopy service by name (``nominatim``, ``photon``, ``arcgis`` …), or a comma list
  that is a fallback chain (``nominatim,offline``): each place is tried in turn.
- Nominatim's usage policy: a real user agent is required and requests are spaced by
  at least one second (``geopy.extra.rate_limiter.RateLimiter``).
- Self-hosted servers: ``url`` (``--geocoder-url``, ``ROUTE_GEOCODER_URL``).
- API keys from ``ROUTE_<SERVICE>_API_KEY``.
- Retries with exponential backoff on HTTP 429/5xx and time-outs; then the place fails
  with the reason, and the chain moves on.
- A persistent SQLite cache (user cache dir) keyed by service, server, query and
  parameters; failures are never cached; safe for concurrent processes (WAL).
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from geopy.adapters import URLLibAdapter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from .errors import InputError, RouteError

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


def _cache_file() -> Path:
    from .gazetteer import cache_dir

    return cache_dir() / "geocode.sqlite"


class AnswerCache:
    """Geocoder answers on disk (SQLite, WAL): safe across processes and kills.

    Parameters
    ----------
    path
        The database file; the user cache directory by default.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else _cache_file()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self._conn.execute("PRAGMA busy_timeout = 30000")
        with contextlib.suppress(sqlite3.OperationalError):  # another process switched it
            self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, value TEXT, created REAL)"
        )

    @staticmethod
    def key(service: str, server: str, query: str, params: dict[str, Any]) -> str:
        """The cache key: service, server, query and parameters."""
        return json.dumps([service, server, query, params], sort_keys=True, ensure_ascii=False)

    def get(self, key: str) -> list[Location] | None:
        """A cached answer (a list, maybe empty), or ``None`` if not cached."""
        row = self._conn.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        return [Location(a, (lat, lon), raw) for a, lat, lon, raw in json.loads(row[0])]

    def put(self, key: str, locations: list[Location]) -> None:
        """Store an answer (an atomic single-row write)."""
        value = json.dumps(
            [(loc.address, loc.latitude, loc.longitude, loc.raw) for loc in locations],
            ensure_ascii=False,
        )
        self._conn.execute(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (key, value, time.time())
        )

    def clear(self) -> int:
        """Remove every cached answer; returns how many there were."""
        (count,) = self._conn.execute("SELECT count(*) FROM answers").fetchone()
        self._conn.execute("DELETE FROM answers")
        return int(count)

    def close(self) -> None:
        """Close the database."""
        self._conn.close()


# geopy errors worth another try: rate limits, 5xx, time-outs and network trouble.
def _retryable(exc: Exception) -> bool:
    from geopy import exc as gexc

    if isinstance(
        exc,
        (
            gexc.GeocoderQueryError,
            gexc.GeocoderAuthenticationFailure,
            gexc.GeocoderInsufficientPrivileges,
            gexc.GeocoderParseError,
        ),
    ):
        return False
    return isinstance(exc, gexc.GeocoderServiceError)


def _reason(exc: Exception) -> str:
    from geopy import exc as gexc

    if isinstance(exc, gexc.GeocoderRateLimited):
        return "rate limited (HTTP 429)"
    if isinstance(exc, gexc.GeocoderTimedOut):
        return "timed out"
    if isinstance(exc, gexc.GeocoderParseError):
        return "unreadable answer (malformed JSON)"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


class ServiceGeocoder(Geocoder):  # type: ignore[misc]
    """One online geopy service, rate-limited, retried and cached.

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
        from geopy.extra.rate_limiter import RateLimiter

        super().__init__(adapter_factory=URLLibAdapter)
        self.source = name
        self.inner = geocoder
        self.server = server
        self.retries = retries
        self.backoff = backoff
        self.cache = cache
        self.limit = limit
        self.last_error = ""
        self._call = RateLimiter(
            geocoder.geocode, min_delay_seconds=min_delay, max_retries=0, swallow_exceptions=False
        )
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

    def _fetch(self, query: str, params: dict[str, Any]) -> list[Location]:
        for attempt in range(self.retries + 1):
            try:
                answer = self._call(query, exactly_one=False, **params)
            except Exception as exc:
                if not _retryable(exc) or attempt == self.retries:
                    self.last_error = f"{self.source}: {_reason(exc)}"
                    tries = f" after {attempt + 1} tries" if attempt else ""
                    raise GeocodingError(f"{self.last_error}{tries}") from exc
                time.sleep(self.backoff * 2**attempt)
                continue
            if answer is None:
                return []
            return list(answer) if isinstance(answer, list) else [answer]
        return []  # pragma: no cover - the loop returns or raises


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
        Per request; retries wait ``backoff × 2^n`` seconds.
    min_delay
        Seconds between requests to a service (Nominatim: at least 1).
    use_cache, cache
        The on-disk answer cache (default: the user cache directory).
    offline
        The geocoder that ``offline`` stands for (the embedded gazetteer by default).

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
    if cache is None and use_cache and any(n != "offline" for n in names):
        cache = AnswerCache()
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
