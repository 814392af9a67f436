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
