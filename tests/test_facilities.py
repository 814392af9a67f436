from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from route.extract import find_mentions
from route.facilities import _variants, add_facilities, facility_index
from route.gazetteer import Gazetteer
from route.pipeline import analyse_text


def test_a_facility_is_found_as_texts_write_it() -> None:
    assert _variants("Luke Afb Airport") == {"Luke Air Force Base", "Luke Air Force Base Airport"}
    assert "Naval Air Station Fort Worth" in _variants(
        "Fort Worth Nas Jrb (Carswell Field) Airport"
    )
    assert "Heathrow Airport" in _variants("London Heathrow Airport", "London")
    assert _variants("Municipal Airport") == set()  # no name of its own
    # a leading head and a trailing one: the name without the trailing "Airport"
    assert "Joint Base Andrews" in _variants("Joint Base Andrews Airport", "Camp Springs")
    (luke,) = facility_index().get("luke air force base")
    assert (luke.country, luke.feature) == ("US", "AIRP")
    assert luke.lat == pytest.approx(33.535, abs=0.01)
    assert luke.lon == pytest.approx(-112.383, abs=0.01)


def _facilities(text: str, gazetteer: Gazetteer) -> list[tuple[str, str, str]]:
    found = add_facilities(text, find_mentions(text, gazetteer))
    return [(f.surface, f.candidate.feature, f.candidate.country) for f in found]


def test_a_facility_named_whole_is_a_place(gazetteer: Gazetteer) -> None:
    text = "The jets flew from Luke Air Force Base, Arizona, to RAAF Base Amberley."
    assert _facilities(text, gazetteer) == [
        ("Luke Air Force Base", "AIRP", "US"),
        ("Arizona", "ADM1", "US"),
        ("RAAF Base Amberley", "AIRP", "AU"),  # not the town Amberley, Ohio
    ]


def test_a_facility_named_with_its_town_stays_the_town(gazetteer: Gazetteer) -> None:
    text = "The plane left Chicago and landed at London Heathrow Airport."
    assert [s for s, _, _ in _facilities(text, gazetteer)] == ["Chicago", "London"]


def test_a_name_of_several_facilities_is_the_one_near_the_texts_places(
    gazetteer: Gazetteer,
) -> None:
    text = "After a night in London, the plane left Heathrow Airport for Dublin."
    heathrow = next(
        f
        for f in add_facilities(text, find_mentions(text, gazetteer))
        if f.surface == "Heathrow Airport"
    )
    assert heathrow.candidate.country == "GB"
    alone = add_facilities("It landed at Heathrow Airport.", [])
    assert alone == []  # two facilities of the name and no place to choose by


def test_a_dateline_in_capitals_and_an_airport_in_lower_case(gazetteer: Gazetteer) -> None:
    text = "ANDERSEN AIR FORCE BASE, Guam -- The bombers left Dublin airport for Boston."
    assert _facilities(text, gazetteer)[0] == ("ANDERSEN AIR FORCE BASE", "AIRP", "GU")
    assert [s for s, _, _ in _facilities(text, gazetteer)][1:] == ["Guam", "Dublin", "Boston"]


@pytest.mark.parametrize(
    "base", ["March Air Reserve Base", "March ARB", "Dobbins Air Reserve Base"]
)
def test_an_air_reserve_base_as_the_data_abbreviates_it(gazetteer: Gazetteer, base: str) -> None:
    # airportsdata writes "March Arb Airport", "Dobbins Arb Airport"
    text = f"The C-17 left {base} on March 3 and flew to Port-au-Prince."
    stops = analyse_text(text, gazetteer).stops
    assert [s.mention.surface for s in stops] == [base, "Port-au-Prince"]
    assert stops[0].mention.candidate.country == "US"


def test_a_journey_between_air_bases(gazetteer: Gazetteer) -> None:
    text = (
        "The F-35s began their journey from Luke Air Force Base, Arizona. They flew to "
        "Biggs Army Air Field adjacent to El Paso, Texas, and landed at RAAF Base Amberley."
    )
    stops = analyse_text(text, gazetteer).stops
    assert [s.mention.surface for s in stops] == [
        "Luke Air Force Base",
        "Biggs Army Air Field",
        "RAAF Base Amberley",
    ]


@pytest.fixture
def fresh_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache directory for the facility index, forgotten before and after."""
    monkeypatch.setenv("ROUTE_CACHE_DIR", str(tmp_path))
    facility_index.cache_clear()
    yield tmp_path
    facility_index.cache_clear()


def test_the_index_is_kept_and_a_damaged_one_built_again(fresh_index: Path) -> None:
    import json

    built = facility_index()
    (kept,) = fresh_index.glob("facilities-*.json")
    assert len(json.loads(kept.read_text(encoding="utf-8"))["keys"]) == len(built)
    kept.write_text('{"keys": [1, 2', encoding="utf-8")  # cut short
    facility_index.cache_clear()
    assert facility_index().get("thule air base")[0].country == "GL"
    assert json.loads(kept.read_text(encoding="utf-8"))["rows"]


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("She flew from Kennedy Airport in New York to Paris.", "New York"),
        ("He landed at Logan Airport in Boston and drove to Salem.", "Boston"),
        ("They landed at Portland Airport, Oregon, and drove to Salem.", "Portland"),
        ("The plane landed at London Airport in England.", "London"),
    ],
)
def test_an_airport_of_one_name_elsewhere_is_not_taken(
    gazetteer: Gazetteer, text: str, town: str
) -> None:
    found = add_facilities(text, find_mentions(text, gazetteer))
    assert all(f.candidate.feature != "AIRP" for f in found)
    assert town in [f.surface for f in found]


def test_a_kept_index_of_the_wrong_shape_is_built_again(fresh_index: Path) -> None:
    facility_index()
    (kept,) = fresh_index.glob("facilities-*.json")
    kept.write_text('{"keys": {"ramstein air base": [5]}, "rows": [["x", 1]]}')
    facility_index.cache_clear()
    (ramstein,) = facility_index().get("ramstein air base")
    assert ramstein.country == "DE"


def test_an_air_base_stop_is_a_stop_in_the_mentions(gazetteer: Gazetteer) -> None:
    from route.pipeline import mentions_of, plan

    text = "The F-35s flew from Luke Air Force Base, Arizona, to RAAF Base Amberley."
    trip = plan(text, gazetteer=gazetteer)
    assert [p.name for p in trip.stops] == ["Luke Afb Airport", "RAAF Base Amberley"]
    roles = {
        m.surface: (m.role, m.order) for m in mentions_of(analyse_text(text, gazetteer), trip.stops)
    }
    assert roles["Luke Air Force Base"] == ("stop", 1)
    assert roles["RAAF Base Amberley"] == ("stop", 2)
    assert roles["Arizona"] == ("mentioned", None)


def test_posts_and_stations_an_airfield_serves_are_places(gazetteer: Gazetteer) -> None:
    from route.facilities import _installations

    assert _installations("Fort Hood (Killeen)", True) == ["Fort Hood"]
    assert _installations("Fairbanks /Ft Wainwright/", True) == ["Fort Wainwright"]
    assert _installations("Killeen", True) == []
    assert _installations("Fort Necessity", False) == []  # a private strip's city
    assert _installations("Wake Island", False) == ["Wake Island"]
    text = "The C-17 flew from McMurdo Station, Antarctica, to Christchurch, New Zealand."
    assert _facilities(text, gazetteer)[0] == ("McMurdo Station", "AIRP", "AQ")
    text = "The convoy left Fort Sill on Monday and reached Ft. Hood on Tuesday."
    stops = analyse_text(text, gazetteer).stops
    assert [s.mention.candidate.name for s in stops] == ["Fort Sill", "Fort Hood"]
    hood = stops[1].mention.candidate
    assert (hood.lat, hood.lon) == (pytest.approx(31.13, abs=0.15), pytest.approx(-97.78, abs=0.15))
    # a town of the name stays the town, and "the train station" is no facility's head
    text = "The team drove from Fort Worth to Fort Collins, then to the station in Denver."
    assert [f for _, f, _ in _facilities(text, gazetteer)] == ["PPL", "PPL", "PPL"]


def test_a_post_is_no_town_of_its_name_nor_a_private_strips_city(gazetteer: Gazetteer) -> None:
    # a town of the name stays the town (Fort Drum, New York, not an average of airfields)
    text = "The soldiers traveled from Fort Bragg to Fort Drum."
    drum = analyse_text(text, gazetteer).stops[-1].mention.candidate
    assert (drum.lat, drum.lon) == (pytest.approx(44.06, abs=0.1), pytest.approx(-75.76, abs=0.1))
    # a private airstrip's city is no military post ("Fort Necessity", Louisiana)
    assert facility_index().get("fort necessity") == ()


def test_islands_an_airfield_serves_are_places(gazetteer: Gazetteer) -> None:
    text = "The ship sailed from Honolulu to Midway Atoll, then on to Wake Island."
    found = {f.surface: f.candidate for f in add_facilities(text, find_mentions(text, gazetteer))}
    assert (found["Midway Atoll"].lat, found["Midway Atoll"].lon) == pytest.approx(
        (28.20, -177.38), abs=0.05
    )
    assert found["Wake Island"].country == "UM"
    stops = [s.mention.surface for s in analyse_text(text).stops]
    assert stops == ["Honolulu", "Midway Atoll", "Wake Island"]


@pytest.mark.parametrize(
    "text",
    [
        "The crew sailed from Miami to relieve Coast Guard Cutter Long Island.",  # a ship
        "The ferry sailed from New York to Long Island.",  # airfields on two of the name
    ],
)
def test_an_island_name_in_a_ships_name_or_of_several_islands_is_none(
    gazetteer: Gazetteer, text: str
) -> None:
    assert "Long Island" not in [f[0] for f in _facilities(text, gazetteer)]


def test_an_island_after_a_sentence_end_and_one_the_gazetteer_knows(gazetteer: Gazetteer) -> None:
    text = "The ship left Guam. Wake Island was its next stop, then Honolulu."
    assert ("Wake Island", "AIRP", "UM") in _facilities(text, gazetteer)
    # the gazetteer knows a Christmas Island (Australia's): the text's places choose
    text = "The ship sailed from Honolulu to Christmas Island."
    assert ("Christmas Island", "PCLI", "CX") in _facilities(text, gazetteer)


def test_a_post_in_a_dateline_s_capitals_and_its_region(gazetteer: Gazetteer) -> None:
    text = "FORT SILL, Okla. -- The soldiers left FORT RILEY, KANSAS, on Monday."
    found = _facilities(text, gazetteer)
    assert found[0] == ("FORT SILL", "AIRP", "US")
    assert ("FORT RILEY", "AIRP", "US") in found
    (riley,) = facility_index().get("fort riley")
    assert riley.admin1 == "KS"  # airportsdata's subdivision as GeoNames' region code


def test_a_region_after_a_post_qualifies_it(gazetteer: Gazetteer) -> None:
    stops = analyse_text("FROM NEW YORK TO FORT RILEY, KANSAS.\n\nWe left early.", gazetteer).stops
    assert [s.mention.surface for s in stops] == ["NEW YORK", "FORT RILEY"]


def test_an_airfield_named_field_and_its_short_name(gazetteer: Gazetteer) -> None:
    text = (
        "The tanker flew on to Lajes Field, Portugal, before arriving at Morón. The return "
        "flight dragged two aircraft back to Bermuda from Lajes."
    )
    places = {(f.surface, f.candidate.name) for f in analyse_text(text, gazetteer).found}
    assert ("Lajes Field", "Lajes Field") in places
    assert ("Lajes", "Lajes Field") in places  # not Lajes do Pico, 109 km off
    text = "The game at Soldier Field in Chicago drew fans."
    assert [f.surface for f in analyse_text(text, gazetteer).found] == ["Chicago"]


@pytest.mark.parametrize(
    ("text", "lat"),
    [
        ("The airship left Milan for an expedition to the North Pole.", 90.0),
        ("The route passes within 130 km of the Geographic North Pole.", 90.0),
        ("The team skied from Hercules Inlet to the South Pole.", -90.0),
        ("Santa's village is in North Pole, Alaska, near Fairbanks.", 64.75),
    ],
)
def test_the_poles_are_points_not_towns_of_their_name(text: str, lat: float) -> None:
    found = analyse_text(text).found
    pole = next(f for f in found if f.surface.endswith("Pole"))
    assert pole.candidate.lat == pytest.approx(lat, abs=0.1)
    assert pole.kind == "place"


def test_a_naval_station_the_data_abbreviates_is_found_by_its_full_name() -> None:
    # airportsdata: "Mayport Ns (Adm David L Mcdonald Field) Airport", city Mayport
    found = analyse_text("The ship sailed from Boston to Naval Station Mayport, Florida.").found
    station = next(f for f in found if f.surface == "Naval Station Mayport")
    assert (station.candidate.lat, station.candidate.lon) == pytest.approx(
        (30.39, -81.42), abs=0.05
    )


def test_a_facility_abbreviated_and_named_again_by_its_first_word() -> None:
    text = (
        "Aircrews from Travis Air Force Base, Calif., flew relief to India. Three C-5 "
        "aircraft departed Travis for the 16 hour flight and headed straight to Andersen "
        "AFB, Guam, then on to Ahmadabad."
    )
    stops = analyse_text(text).stops
    assert [s.mention.surface for s in stops] == ["Travis", "Andersen AFB", "Ahmadabad"]
    travis, andersen = stops[0].mention.candidate, stops[1].mention.candidate
    assert (travis.lat, travis.lon) == pytest.approx((38.26, -121.93), abs=0.05)
    assert (andersen.lat, andersen.lon) == pytest.approx((13.58, 144.93), abs=0.05)


def test_a_short_name_of_a_facility_told_before_it_in_full(gazetteer: Gazetteer) -> None:
    """A name such as "McMurdo" (a capital inside the word) stands for the facility the
    text names in full, told before or after it."""
    text = (
        "The icebreaker arrived in McMurdo after a transit from Seattle. Icebreakers cut a "
        "channel into McMurdo Station every year."
    )
    places = [(f.surface, f.candidate.name) for f in analyse_text(text, gazetteer).found]
    assert ("McMurdo", "McMurdo Station") in places
