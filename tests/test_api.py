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
    assert list(frame.columns) == [
        "leg", "origin", "destination", "mode", "straight_km", "rail_km", "detour",
        "cumulative_km", "snap_start_km", "snap_end_km", "bridges", "rail_note", "mode_cue",
        "origin_lat", "origin_lon", "destination_lat", "destination_lon",
    ]  # fmt: skip
    assert all(column.isidentifier() for column in frame.columns)
    assert list(frame["leg"]) == [1, 2, 3]
    assert list(frame["origin"]) == ["Pyongyang", "Dandong", "Dong Dang"]
    assert list(frame["destination"]) == ["Dandong", "Dong Dang", "Hanoi"]
    assert list(frame["mode"]) == ["train", "train", "car"]
    assert list(frame["straight_km"]) == [168.6, 2619.2, 135.7]  # rounded to 100 m
    assert list(frame["cumulative_km"]) == [168.6, 2787.8, 2923.4]
    assert frame["straight_km"].sum() == pytest.approx(trip.straight_km, abs=0.15)
    assert frame["rail_km"].isna().all()  # no rail network: NaN, a float column
    assert str(frame["rail_km"].dtype) == "float64"
    assert list(frame["bridges"]) == [0, 0, 0]
    assert (frame["origin_lat"][0], frame["origin_lon"][0]) == (39.03385, 125.75432)
    for column in frame.columns:  # no list-valued cells
        assert not any(isinstance(v, list | tuple | dict) for v in frame[column])
    exact = trip.to_frame(digits=None)
    assert exact["straight_km"].sum() == pytest.approx(trip.straight_km, abs=1e-9)


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


# -- geodata: __geo_interface__, shapely, GeoDataFrames -----------------------------------


@pytest.fixture(scope="module")
def rail_trip(gazetteer: Gazetteer) -> route.Trip:
    network = route.load_rail_network(SMALL_NETWORK)
    return route.plan(stops="A@0,0, B@1,1, C@1,3", rail_network=network)


def test_geo_interface(trip: route.Trip) -> None:
    from shapely.geometry import shape

    place = trip.stops[0]
    feature = place.__geo_interface__
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [125.75432, 39.03385]}
    assert feature["properties"]["geonameid"] == 1871859
    point = shape(feature["geometry"])
    assert (point.x, point.y) == (125.75432, 39.03385)  # lon, lat
    leg = trip.legs[0].__geo_interface__
    assert leg["geometry"]["type"] == "LineString"
    assert leg["geometry"]["coordinates"][0] == pytest.approx((125.75432, 39.03385))
    assert leg["geometry"]["coordinates"][-1] == pytest.approx((124.39472, 40.12917))
    assert leg["properties"]["straight_km"] == pytest.approx(168.6, abs=0.05)
    assert trip.__geo_interface__ == trip.to_geojson()
    json.dumps(trip.__geo_interface__)


def test_geopandas_reads_a_trip_through_the_protocol(trip: route.Trip) -> None:
    gpd = pytest.importorskip("geopandas")
    frame = gpd.GeoDataFrame.from_features(trip)
    assert list(frame["kind"]) == ["stop"] * 4 + ["great_circle"] * 3
    assert frame.geometry.iloc[3].x == pytest.approx(105.84117)  # Hanoi's longitude


def test_repr_is_short(rail_trip: route.Trip, trip: route.Trip) -> None:
    assert repr(trip) == (
        "<Trip Pyongyang → Dandong → Dong Dang → Hanoi: 3 legs, 2,923.4 km straight, "
        f"{len(trip.mentions)} mentions, 2 claims>"
    )
    assert repr(rail_trip) == (
        "<Trip A → B → C: 2 legs, 379.5 km straight, 221.9 km by rail, 0 mentions, 0 claims>"
    )
    rail = rail_trip.legs[0].rail
    assert repr(rail) == "RailRoute(km=221.9, 3 vertices, snap_km=(0.0, 0.0), bridges=0)"
    assert len(repr(rail_trip.legs[0])) < 600


def test_rail_path_accessors(rail_trip: route.Trip) -> None:
    leg = rail_trip.legs[0]
    assert leg.rail is not None
    assert leg.rail.path == ((0.0, 0.0), (0.0, 1.0), (1.0, 1.0))  # (lat, lon)
    line = leg.rail_line
    assert line is not None
    assert line.geom_type == "LineString"
    assert list(line.coords) == [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]  # (lon, lat)
    assert line == leg.rail.line
    assert leg.rail.__geo_interface__["coordinates"] == [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]
    assert rail_trip.legs[1].rail_line is None
    straight = leg.straight_line
    assert straight.coords[0] == (0.0, 0.0)
    assert straight.coords[-1] == pytest.approx((1.0, 1.0))


def test_to_geodataframe(rail_trip: route.Trip) -> None:
    pytest.importorskip("geopandas")
    stops = rail_trip.to_geodataframe("stops")
    assert stops.crs.to_epsg() == 4326
    assert list(stops.columns) == [
        "stop", "label", "name", "query", "country", "geonameid", "population", "feature",
        "source", "lat", "lon", "geometry",
    ]  # fmt: skip
    assert [(p.x, p.y) for p in stops.geometry] == [(0.0, 0.0), (1.0, 1.0), (3.0, 1.0)]
    legs = rail_trip.to_geodataframe("legs")
    assert list(legs["origin"]) == ["A", "B"]
    assert list(legs["straight_km"]) == [156.9, 222.6]
    assert all(g.geom_type == "LineString" for g in legs.geometry)
    rail = rail_trip.to_geodataframe("rail")
    assert list(rail["leg"]) == [1]
    assert rail["rail_km"].iloc[0] == pytest.approx(221.9)
    assert list(rail.geometry.iloc[0].coords) == [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]
    everything = rail_trip.to_geodataframe()
    assert list(everything["layer"]) == ["stops"] * 3 + ["legs"] * 2 + ["rail"]
    assert str(everything["leg"].dtype) == "Int64"
    with pytest.raises(route.InputError, match="unknown layer"):
        rail_trip.to_geodataframe("roads")


def test_to_geodataframe_without_geopandas(
    trip: route.Trip, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_geopandas(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "geopandas" or name.startswith("geopandas."):
            raise ImportError("No module named 'geopandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_geopandas)
    with pytest.raises(route.MissingDependencyError, match=r"pip install 'route\[geo\]'"):
        trip.to_geodataframe()


def test_plan_takes_coordinate_pairs(gazetteer: Gazetteer) -> None:
    trip = route.plan(stops=[(48.85, 2.35), (51.5, -0.12)])
    assert [s.latlon for s in trip.stops] == [(48.85, 2.35), (51.5, -0.12)]
    assert trip.direct_km == pytest.approx(343.5, abs=0.5)
    mixed = route.plan(stops=["Hanoi", (21.9511, 106.69767)])
    assert mixed.stops[0].geonameid == 1581130
    assert mixed.legs[0].straight_km == pytest.approx(135.7, abs=0.1)
    with pytest.raises(route.InputError, match="not a position"):
        route.plan(stops=[(48.85, 2.35), (95.0, 0.0)])
    tiny = route.plan(stops=[(1e-05, 0), (0.0, -1e-7)])
    assert [s.latlon for s in tiny.stops] == [(1e-05, 0.0), (0.0, -1e-7)]


def test_return_types_are_declared() -> None:
    assert route.Trip.map.__annotations__["return"] == "folium.Map"
    assert route.Trip.to_frame.__annotations__["return"] == "pandas.DataFrame"
    assert route.Trip.to_geodataframe.__annotations__["return"] == "geopandas.GeoDataFrame"


def test_json_keeps_its_keys_and_adds_notes(gazetteer: Gazetteer) -> None:
    doc = route.plan(stops="Perth, Edinburgh, London").to_dict()
    assert list(doc) == ["schema", "stops", "legs", "totals", "mentions", "claims", "notes"]
    assert doc["schema"] == 1
    assert {"from", "to", "straight_km", "mode", "rail_km"} <= set(doc["legs"][0])
    assert doc["notes"][0].startswith("'Perth' read as Perth (GB)")
