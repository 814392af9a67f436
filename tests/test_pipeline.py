from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from geopy.adapters import URLLibAdapter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from route.errors import InputError, PlaceNotFoundError, RouteError
from route.gazetteer import Gazetteer, OfflineGeocoder
from route.pipeline import build_trip, geocode_stops, parse_stops, plan

from .conftest import SEED_STOPS


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Pyongyang, Dandong, Dong Dang, Hanoi", ["Pyongyang", "Dandong", "Dong Dang", "Hanoi"]),
        ("Pyongyang → Hanoi", ["Pyongyang", "Hanoi"]),
        ("Pyongyang;Hanoi", ["Pyongyang", "Hanoi"]),
        ("Pyongyang -> Dong   Dang", ["Pyongyang", "Dong Dang"]),
        (["Pyongyang", " Hanoi "], ["Pyongyang", "Hanoi"]),
    ],
)
def test_parse_stops(given: Any, expected: list[str]) -> None:
    assert parse_stops(given) == expected


@pytest.mark.parametrize("given", ["Pyongyang", "", "Pyongyang,", "Pyongyang,,Hanoi", ", Hanoi"])
def test_parse_stops_rejects_bad_lists(given: str) -> None:
    with pytest.raises(InputError) as info:
        parse_stops(given)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, RouteError)
    assert "\n" not in str(info.value)


def test_plan_the_seed_journey(gazetteer: Gazetteer) -> None:
    trip = plan(stops="Pyongyang, Dandong, Dong Dang, Hanoi", geocoder=OfflineGeocoder(gazetteer))
    assert [s.geonameid for s in trip.stops] == [SEED_STOPS[n][2] for n in SEED_STOPS]
    assert [s.label for s in trip.stops] == ["Pyongyang", "Dandong", "Dong Dang", "Hanoi"]
    assert [round(leg.straight_km, 1) for leg in trip.legs] == [168.6, 2619.2, 135.7]
    assert trip.direct_km == pytest.approx(2757.7, abs=0.5)
    assert trip.straight_km == pytest.approx(168.6 + 2619.2 + 135.7, abs=0.2)
    assert trip.cumulative_km()[-1] == pytest.approx(trip.straight_km)
    doc = trip.to_dict()
    assert doc["schema"] == 1
    assert doc["stops"][2] == {
        "name": "Thị Trấn Đồng Đăng",
        "query": "Dong Dang",
        "lat": 21.9511,
        "lon": 106.69767,
        "country": "VN",
        "geonameid": 1582998,
        "population": 8922,
        "feature": "PPL",
        "source": "offline",
    }
    assert doc["legs"][1]["from"] == "Dandong"
    assert doc["legs"][1]["to"] == "Dong Dang"
    assert doc["legs"][1]["straight_km"] == pytest.approx(2619.2, abs=0.05)
    assert doc["totals"]["direct_km"] == pytest.approx(2757.7, abs=0.5)


def test_plan_uses_the_default_offline_geocoder(gazetteer: Gazetteer) -> None:
    trip = plan(stops=["Pyongyang", "Hanoi"])
    assert trip.stops[1].geonameid == 1581130


def test_ambiguous_stop_takes_the_candidate_near_the_others(gazetteer: Gazetteer) -> None:
    geocoder = OfflineGeocoder(gazetteer)
    near_vietnam = geocode_stops(["Nanning", "Pingxiang", "Dong Dang"], geocoder)
    assert near_vietnam[1].geonameid == 1798655  # Guangxi
    assert near_vietnam[1].lat == pytest.approx(22.1, abs=0.1)
    near_jiangxi = geocode_stops(["Nanchang", "Pingxiang", "Changsha"], geocoder)
    assert near_jiangxi[1].geonameid == 1798654  # Jiangxi


def test_clear_winner_is_not_moved_by_context(gazetteer: Gazetteer) -> None:
    # Paris, France is far ahead of Paris, Texas: a stop in Dallas does not change that.
    places = geocode_stops(["Dallas", "Paris"], OfflineGeocoder(gazetteer))
    assert places[1].country == "FR"


def test_unknown_stop_raises_with_suggestions(gazetteer: Gazetteer) -> None:
    with pytest.raises(PlaceNotFoundError) as info:
        plan(stops="Pyongyng, Hanoi", geocoder=OfflineGeocoder(gazetteer))
    error = info.value
    assert isinstance(error, LookupError)
    assert error.query == "Pyongyng"
    assert error.suggestions[0] == "Pyongyang (KP)"
    assert str(error).startswith("no place named 'Pyongyng'; did you mean Pyongyang (KP)")


class _FixedGeocoder(Geocoder):  # type: ignore[misc]
    """A geopy geocoder that answers from a dict: the seam tests and notebooks use."""

    source = "fixed"

    def __init__(self, answers: dict[str, tuple[float, float]]) -> None:
        super().__init__(adapter_factory=URLLibAdapter)
        self.answers = answers
        self.queries: list[str] = []

    def geocode(self, query: str, *, exactly_one: bool = True, **_: Any) -> Any:
        self.queries.append(query)
        if query not in self.answers:
            return None
        location = Location(f"{query}, Somewhere", self.answers[query], {"display": query})
        return location if exactly_one else [location]


def test_geocoder_is_injectable(gazetteer: Gazetteer) -> None:
    geocoder = _FixedGeocoder({"A": (0.0, 0.0), "B": (0.0, 1.0)})
    trip = plan(stops="A, B", geocoder=geocoder)
    assert geocoder.queries == ["A", "B"]
    assert trip.stops[0].source == "fixed"
    assert trip.stops[0].name == "A"
    assert trip.stops[0].geonameid is None
    assert trip.legs[0].straight_km == pytest.approx(111.319, abs=0.001)


def test_build_trip_checks_its_input(gazetteer: Gazetteer) -> None:
    (hanoi,) = geocode_stops(["Hanoi"], OfflineGeocoder(gazetteer))
    with pytest.raises(InputError):
        build_trip([hanoi])
    with pytest.raises(InputError, match="modes"):
        build_trip([hanoi, hanoi], modes=["train", "car"])


# -- from a text -----------------------------------------------------------------------

from route.errors import NoStopsError, TextError  # noqa: E402
from route.pipeline import decode_text, read_text  # noqa: E402

from .conftest import SEED_TEXT  # noqa: E402


def test_plan_from_the_seed_article(gazetteer: Gazetteer) -> None:
    trip = plan(SEED_TEXT.read_text(encoding="utf-8"), gazetteer=gazetteer)
    assert [s.label for s in trip.stops] == ["Pyongyang", "Dandong", "Dong Dang", "Hanoi"]
    assert [leg.mode for leg in trip.legs] == ["train", "train", "car"]
    straight, rail = trip.claims
    assert (straight.km, straight.measure) == (2900.0, "straight")
    assert straight.measured_km == pytest.approx(2757.7, abs=0.5)
    assert straight.difference_pct == pytest.approx(5.2, abs=0.1)
    assert straight.verdict == "consistent"
    assert (rail.km, rail.measure, rail.scope, rail.verdict) == (
        4500.0,
        "rail",
        "whole",
        "not checked",
    )
    assert rail.reason == "no rail figure (no rail network)"
    stops = [m for m in trip.mentions if m.role == "stop"]
    assert {m.order for m in stops} == {1, 2, 3, 4}
    assert next(m for m in stops if m.surface == "Dandong").cue == "passed near"


def test_stops_override_the_text(gazetteer: Gazetteer) -> None:
    trip = plan(
        SEED_TEXT.read_text(encoding="utf-8"),
        stops="Pyongyang, Sinuiju, Dandong",
        geocoder=OfflineGeocoder(gazetteer),
    )
    assert [s.label for s in trip.stops] == ["Pyongyang", "Sinuiju", "Dandong"]
    assert trip.claims[0].measured_km == pytest.approx(trip.direct_km)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("The weather was fine all week.", "no journey found"),
        ("The train left Pyongyang on Sunday.", "only one stop, Pyongyang"),
    ],
)
def test_texts_without_a_journey(gazetteer: Gazetteer, text: str, message: str) -> None:
    with pytest.raises(NoStopsError, match=message) as info:
        plan(text, gazetteer=gazetteer)
    assert "--stops" in str(info.value)


def test_no_journey_names_the_ends_route_cannot_place(gazetteer: Gazetteer) -> None:
    text = "The convoy left Buffalo on July 4 and drove to Camp Roberts with Mr. Gibbons."
    with pytest.raises(NoStopsError) as info:
        plan(text, gazetteer=gazetteer)
    message = str(info.value)
    assert "only one stop, Buffalo" in message
    assert "through Camp Roberts, which the offline gazetteer cannot place" in message
    assert '--stops "Buffalo@' in message
    assert ', Camp Roberts"' in message
    # the stops in the order the text tells them, placed or not
    with pytest.raises(NoStopsError) as info:
        plan("The convoy drove from Camp Roberts to Buffalo on Monday.", gazetteer=gazetteer)
    assert '--stops "Camp Roberts, Buffalo@' in str(info.value)
    # events and organisations are no places to suggest
    text = "The ship sailed into Hurricane Katrina after leaving Boston for Acme Company."
    with pytest.raises(NoStopsError) as info:
        plan(text, gazetteer=gazetteer)
    assert "cannot place" not in str(info.value)
    for noise in ("July", "Gibbons"):  # a date, a person: no place unplaced
        assert noise not in message
    assert "\n" not in message
    # with none, the message stays short
    with pytest.raises(NoStopsError) as info:
        plan("The convoy left Buffalo on July 4 with the Marines.", gazetteer=gazetteer)
    assert "cannot place" not in str(info.value)


def test_plan_needs_text_or_stops() -> None:
    with pytest.raises(InputError, match="text or stops"):
        plan()


def test_read_text_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(TextError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    (tmp_path / "empty.txt").write_text("  \n")
    with pytest.raises(TextError, match="no text"):
        read_text(tmp_path / "empty.txt")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    with pytest.raises(TextError, match="not a text file"):
        read_text(tmp_path / "image.png")
    with pytest.raises(TextError, match="is a directory"):
        read_text(tmp_path)


def test_decode_text_falls_back_to_cp1252_with_a_warning() -> None:
    text, warning = decode_text("Caf\u00e9 in Hanoi".encode("cp1252"), "a.txt")
    assert text == "Café in Hanoi"
    assert "not UTF-8" in warning
    assert "cp1252" in warning
    assert decode_text("Đồng Đăng".encode(), "b.txt") == ("Đồng Đăng", "")
    assert decode_text("\ufeffHanoi".encode(), "bom.txt") == ("Hanoi", "")
    with pytest.raises(TextError, match="convert it to UTF-8"):
        decode_text(b"Hanoi \x81\x8d\x8f\x90\x9d" * 3, "c.txt")


# -- stops a user can pin down -------------------------------------------------------------

from route.gazetteer import Candidate  # noqa: E402
from route.pipeline import read_stops  # noqa: E402
from route.stops import lookup_stop, online_query, read_stop_name, typed_form  # noqa: E402

from .conftest import SMALL_NETWORK  # noqa: E402

PERTH_GB, PERTH_AU = 2640358, 2063523


@pytest.mark.parametrize(
    ("given", "names", "modes"),
    [
        ("Tokyo >plane> Honolulu >plane> San Francisco", ["Tokyo", "Honolulu", "San Francisco"],
         ("plane", "plane")),
        ("Tokyo >flight> Honolulu, San Francisco", ["Tokyo", "Honolulu, San Francisco"],
         ("plane",)),
        ("Victoria, British Columbia; Vancouver", ["Victoria, British Columbia", "Vancouver"],
         (None,)),
        ("Portland, Maine → Boston -> New York", ["Portland, Maine", "Boston", "New York"],
         (None, None)),
        ("Perth (GB), A@1.5,2, #2640358", ["Perth (GB)", "A@1.5,2", "#2640358"], (None, None)),
        ("Dover >ship> Calais >train> Paris", ["Dover", "Calais", "Paris"], ("ship", "train")),
        ("a>b>c, d", ["a>b>c", "d"], (None,)),  # not a mode: part of the name
    ],
)  # fmt: skip
def test_read_stops(given: str, names: list[str], modes: tuple[str | None, ...]) -> None:
    stops = read_stops(given)
    assert list(stops.names) == names
    assert stops.modes == modes
    assert parse_stops(given) == names


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("Tokyo >plain> Honolulu", "unknown mode 'plain'"),
        ("Tokyo >plane>", "stop 2 of 2 is empty"),
        (">plane> Tokyo", "stop 1 of 2 is empty"),
    ],
)
def test_read_stops_refuses(given: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_stops(given)


@pytest.mark.parametrize(
    ("text", "name", "qualifier", "gid"),
    [
        ("Perth (GB)", "Perth", "GB", None),
        ("Victoria, British Columbia", "Victoria", "British Columbia", None),
        ("#2640358", "", "", 2640358),
        ("Perth #2640358", "Perth", "", 2640358),
        ("Dong Dang", "Dong Dang", "", None),
    ],
)
def test_read_stop_name(text: str, name: str, qualifier: str, gid: int | None) -> None:
    stop = read_stop_name(text)
    assert (stop.name, stop.qualifier, stop.geonameid) == (name, qualifier, gid)


@pytest.mark.parametrize(
    ("text", "gid", "latlon"),
    [
        ("Perth (GB)", PERTH_GB, (56.395, -3.431)),
        ("Perth (Scotland)", PERTH_GB, (56.395, -3.431)),
        ("Perth, Scotland", PERTH_GB, (56.395, -3.431)),
        ("Perth (uk)", PERTH_GB, (56.395, -3.431)),
        ("#2640358", PERTH_GB, (56.395, -3.431)),
        ("Perth (AU)", PERTH_AU, (-31.952, 115.861)),
        ("Springfield (Missouri)", 4409896, (37.215, -93.298)),
        ("Springfield (MO)", 4409896, (37.215, -93.298)),
        ("Springfield (Illinois)", 4250542, (39.802, -89.644)),
        ("Victoria, British Columbia", 6174041, (48.436, -123.352)),
        ("Portland (ME)", 4975802, (43.661, -70.255)),
        ("New York", 5128581, (40.714, -74.006)),  # the city before the state
        ("New York (state)", 5128638, (42.759, -75.833)),
        ("Georgia (country)", 614540, (41.999, 43.499)),
        ("Georgia (state)", 4197000, (32.834, -83.177)),
        ("London (Ontario)", 6058560, (42.984, -81.233)),
    ],
)
def test_qualified_stops(gazetteer: Gazetteer, text: str, gid: int, latlon: Any) -> None:
    (place,) = lookup_stop(gazetteer, text, limit=1)
    assert place.geonameid == gid
    assert (place.lat, place.lon) == pytest.approx(latlon, abs=0.01)


def test_a_qualifier_that_admits_nothing_suggests_the_namesakes(gazetteer: Gazetteer) -> None:
    assert lookup_stop(gazetteer, "Perth (FR)") == []
    with pytest.raises(PlaceNotFoundError) as info:
        plan(stops="Perth (FR), Paris", geocoder=OfflineGeocoder(gazetteer))
    assert info.value.suggestions[:2] == ("Perth (Western Australia)", "Perth (GB)")
    with pytest.raises(PlaceNotFoundError, match="'#1'"):
        plan(stops="#1, Paris")


def test_typed_forms_give_back_the_same_place(gazetteer: Gazetteer) -> None:
    for name in ("Springfield", "Perth", "Victoria", "Washington", "New York", "Pingxiang"):
        for cand in lookup_stop(gazetteer, name, limit=6):
            form = typed_form(gazetteer, name, cand.as_raw())
            (back,) = lookup_stop(gazetteer, form, limit=1)
            assert back.geonameid == cand.geonameid, (name, form)
    springfields = lookup_stop(gazetteer, "Springfield", limit=3)
    assert [typed_form(gazetteer, "Springfield", c.as_raw()) for c in springfields] == [
        "Springfield (Missouri)",
        "Springfield (Massachusetts)",
        "Springfield (Illinois)",
    ]


def test_the_issue_examples(gazetteer: Gazetteer) -> None:
    geocoder = OfflineGeocoder(gazetteer)
    perth = plan(stops="Perth, Edinburgh, London", geocoder=geocoder)
    assert [s.geonameid for s in perth.stops] == [PERTH_GB, 2650225, 2643743]
    assert perth.legs[0].straight_km == pytest.approx(51.5, abs=0.5)  # not 14,668 km
    (note,) = perth.notes
    assert note == (
        "'Perth' read as Perth (GB), the nearest to the other stops; "
        "others: Perth (Western Australia)"
    )
    victoria = plan(stops="Victoria, British Columbia; Vancouver", geocoder=geocoder)
    assert [s.geonameid for s in victoria.stops] == [6174041, 6173331]
    assert victoria.stops[0].lat == pytest.approx(48.43, abs=0.01)
    assert victoria.legs[0].straight_km == pytest.approx(92.1, abs=0.5)
    washington = plan(stops="Washington, New York", geocoder=geocoder)
    assert [s.geonameid for s in washington.stops] == [4140963, 5128581]
    assert washington.stops[1].name == "New York City"
    assert washington.direct_km == pytest.approx(328.8, abs=0.5)


def test_a_region_after_a_stop_in_a_comma_list_qualifies_it(gazetteer: Gazetteer) -> None:
    trip = plan(stops="Perth, Scotland, London")
    assert [s.geonameid for s in trip.stops] == [PERTH_GB, 2643743]
    assert trip.stops[0].label == "Perth, Scotland"
    assert trip.notes == (
        "read 'Perth, Scotland' as one stop, Perth in Scotland; to make Scotland a stop of "
        "its own, separate the stops with ';'",
    )
    apart = plan(stops="Perth; Scotland; London")
    assert len(apart.stops) == 3
    with pytest.raises(InputError, match="got one"):
        plan(stops="Perth, Scotland")


def test_country_and_near_bias(gazetteer: Gazetteer) -> None:
    canada = plan(stops="London, Paris", country="CA")
    assert [s.country for s in canada.stops] == ["CA", "CA"]
    assert canada.stops[0].lat == pytest.approx(42.98, abs=0.01)  # London, Ontario
    mixed = plan(stops="London, Dandong", country="CA")  # no Dandong in Canada: any
    assert mixed.stops[1].country == "CN"
    boston = plan(stops="Springfield, Portland", near="Boston")
    assert [s.geonameid for s in boston.stops] == [4951788, 4975802]  # MA, ME
    point = plan(stops="Perth, Paris", near=(55.95, -3.19))
    assert point.stops[0].geonameid == PERTH_GB
    assert plan(stops="Perth, Paris", near="55.95, -3.19").stops[0].geonameid == PERTH_GB
    with pytest.raises(PlaceNotFoundError):
        plan(stops="Perth, Paris", near="Xqzzyqx")


def test_clear_picks_get_no_note(gazetteer: Gazetteer) -> None:
    assert plan(stops="Pyongyang, Dandong, Dong Dang, Hanoi").notes == ()
    assert plan(stops="Dallas, Paris").notes == ()


def test_modes_for_typed_stops(gazetteer: Gazetteer) -> None:
    network = _small_network()
    trip = plan(stops="A@0,0 >plane> B@1,1 >train> C@0,2", rail_network=network)
    assert [leg.mode for leg in trip.legs] == ["plane", "train"]
    assert [leg.mode_cue for leg in trip.legs] == ["given", "given"]
    assert trip.legs[0].rail is None
    assert trip.legs[0].rail_note == "plane leg: not routed on rail"
    assert trip.legs[1].rail is not None
    flights = plan(stops="A@0,0, B@1,1, C@0,2", modes="plane,plane", rail_network=network)
    assert [leg.rail for leg in flights.legs] == [None, None]
    assert flights.direct_rail is None
    assert flights.direct_rail_note == "no leg goes by rail"  # nothing bridges the Pacific
    partly = plan(stops="A@0,0, B@1,1, C@0,2", modes=["plane", None], rail_network=network)
    assert [leg.mode for leg in partly.legs] == ["plane", "unknown"]
    assert partly.legs[1].rail is not None


@pytest.mark.parametrize(
    ("stops", "modes", "message"),
    [
        ("A@0,0, B@1,1, C@1,0", "plane", "2 legs but 1 modes"),
        ("A@0,0, B@1,1", "rocket", "unknown mode 'rocket'"),
        ("A@0,0 >plane> B@1,1", "plane", "modes given twice"),
    ],
)
def test_bad_modes(gazetteer: Gazetteer, stops: str, modes: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        plan(stops=stops, modes=modes)


def test_text_and_stops_keep_the_texts_modes(gazetteer: Gazetteer) -> None:
    text = SEED_TEXT.read_text(encoding="utf-8")
    same = plan(text, stops="Pyongyang, Dandong, Dong Dang, Hanoi", gazetteer=gazetteer)
    assert [leg.mode for leg in same.legs] == ["train", "train", "car"]
    skipping = plan(text, stops="Pyongyang, Dong Dang, Hanoi", gazetteer=gazetteer)
    assert [leg.mode for leg in skipping.legs] == ["train", "car"]  # both legs by train
    mixed = plan(text, stops="Pyongyang, Dandong, Hanoi", gazetteer=gazetteer)
    assert [leg.mode for leg in mixed.legs] == ["train", "unknown"]  # train, then car
    told = plan(text, stops="Pyongyang, Dandong, Hanoi", modes=",plane", gazetteer=gazetteer)
    assert [leg.mode for leg in told.legs] == ["train", "plane"]
    text_only = plan(text, modes="train,train,train", gazetteer=gazetteer)
    assert [leg.mode for leg in text_only.legs] == ["train", "train", "train"]


def test_online_queries_carry_the_qualifier(gazetteer: Gazetteer) -> None:
    assert online_query("Perth (GB)", gazetteer) == "Perth, Scotland, United Kingdom"
    assert online_query("Springfield (MO)", gazetteer) == "Springfield, Missouri, United States"
    assert online_query("Georgia (country)", gazetteer) == "Georgia"
    assert online_query("Perth (GB)") == "Perth, GB"
    assert online_query("Hanoi", gazetteer) == "Hanoi"


def test_offline_geocoder_takes_qualified_names(gazetteer: Gazetteer) -> None:
    geocoder = OfflineGeocoder(gazetteer)
    assert geocoder.geocode("Perth (GB)").raw["geonameid"] == PERTH_GB
    assert geocoder.geocode("#2640358").raw["geonameid"] == PERTH_GB
    assert isinstance(lookup_stop(gazetteer, "Perth")[0], Candidate)


def _small_network() -> Any:
    from route.rail import load_rail_network

    return load_rail_network(SMALL_NETWORK)


def test_an_analysis_keeps_the_sentences_its_reader_split(gazetteer: Gazetteer) -> None:
    from route.document import Document
    from route.pipeline import analyse_text, mentions_of

    text = "From Lyon to Dijon\nThe train left Lyon at noon. It reached Dijon."
    analysis = analyse_text(text, gazetteer)
    assert analysis.sentences == tuple(Document(text).sentences)
    sentences = {m.start: m.sentence for m in mentions_of(analysis)}
    assert sentences[0 + len("From ")] == "From Lyon to Dijon"  # the heading line alone
    assert sentences[text.index("Dijon.")] == "It reached Dijon."
