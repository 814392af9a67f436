"""The public library API (what the notebooks use)."""

from __future__ import annotations

import builtins
import json
from typing import Any

import pytest

import route
from route.gazetteer import Gazetteer

from .conftest import SEED_TEXT, SMALL_NETWORK


@pytest.fixture(scope="module")
def trip(gazetteer: Gazetteer) -> route.Trip:
    return route.plan(SEED_TEXT.read_text(encoding="utf-8"))


def test_exports() -> None:
    for name in (
        "plan", "Trip", "Place", "Leg", "Mention", "Claim", "OfflineGeocoder",
        "load_rail_network", "RailNetwork", "analyse_text", "RouteError", "InputError",
        "PlaceNotFoundError", "NoStopsError", "TextError", "MissingDependencyError",
    ):  # fmt: skip
        assert name in route.__all__
        assert getattr(route, name) is not None
    with pytest.raises(AttributeError):
        route.nothing_here  # noqa: B018


def test_to_json_round_trips(trip: route.Trip) -> None:
    doc = json.loads(trip.to_json())
    assert doc == json.loads(json.dumps(trip.to_dict()))
    assert [s["query"] for s in doc["stops"]] == ["Pyongyang", "Dandong", "Dong Dang", "Hanoi"]


def test_to_geojson(trip: route.Trip) -> None:
    fc = trip.to_geojson()
    assert fc["type"] == "FeatureCollection"
    kinds = [f["properties"]["kind"] for f in fc["features"]]
    assert kinds.count("stop") == 4
    assert kinds.count("great_circle") == 3
    first = fc["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [125.75432, 39.03385]}
    line = next(f for f in fc["features"] if f["properties"]["kind"] == "great_circle")
    lon, lat = line["geometry"]["coordinates"][0]
    assert (lat, lon) == (39.03385, 125.75432)  # GeoJSON order is [lon, lat]
    json.dumps(fc)  # serialisable


def test_to_geojson_has_rail_paths(gazetteer: Gazetteer) -> None:
    network = route.load_rail_network(SMALL_NETWORK)
    trip = route.plan(stops="A@0,0, B@1,1", rail_network=network)
    rail = [f for f in trip.to_geojson()["features"] if f["properties"]["kind"] == "rail"]
    assert rail[0]["geometry"]["coordinates"] == [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]
    assert rail[0]["properties"]["rail_km"] == pytest.approx(221.894, abs=0.01)


def test_to_frame(trip: route.Trip) -> None:
    frame = trip.to_frame()
    assert list(frame["from"]) == ["Pyongyang", "Dandong", "Dong Dang"]
    assert list(frame["mode"]) == ["train", "train", "car"]
    assert frame["straight_km"].sum() == pytest.approx(trip.straight_km, abs=0.01)


def test_to_frame_without_pandas(trip: route.Trip, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pandas(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(route.MissingDependencyError, match=r"pip install 'route\[frame\]'"):
        trip.to_frame()


def test_repr_html_and_map(trip: route.Trip) -> None:
    summary = trip._repr_html_()
    assert "Pyongyang → Hanoi" in summary
    assert "2,757.7 km straight line" in summary
    assert "consistent" in summary
    m = trip.map()
    assert type(m).__name__ == "Map"
    assert "route-summary" in m.get_root().render()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, route.InputError, "give a text or stops"),
        ({"stops": "Pyongyang"}, route.InputError, "at least two stops"),
        ({"stops": "Pyongyng, Hanoi"}, route.PlaceNotFoundError, "did you mean Pyongyang"),
        ({"text": "Nothing here."}, route.NoStopsError, "--stops"),
        ({"text": "   "}, route.TextError, "no text"),
    ],
)
def test_plan_errors(
    gazetteer: Gazetteer, kwargs: dict[str, str], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message) as info:
        route.plan(**kwargs)
    assert isinstance(info.value, route.RouteError)
