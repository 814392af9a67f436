"""Exports (GeoJSON, GPX, KML, GeoPackage, CSV), each opened back by a reader."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import gpxpy
import pyogrio
import pyogrio.raw
import pytest
import shapely
from typer.testing import CliRunner

import route
from route.cli import app
from route.export import FORMATS, export_bytes, format_for, trip_layers
from route.gazetteer import Gazetteer

from .conftest import SEED_TEXT, SMALL_NETWORK

#: Stops on the small test network: both legs have a rail path.
STOPS = "A@0,0, B@1,1, C@0,2"


@pytest.fixture(scope="module")
def trip(gazetteer: Gazetteer) -> route.Trip:
    return route.plan(stops=STOPS, rail_network=route.load_rail_network(SMALL_NETWORK))


@pytest.fixture(scope="module")
def seed(gazetteer: Gazetteer) -> route.Trip:
    return route.plan(SEED_TEXT.read_text(encoding="utf-8"))


def _write(tmp_path: Path, trip: route.Trip, fmt: str) -> Path:
    path = tmp_path / f"trip{FORMATS[fmt][0][0]}"
    path.write_bytes(export_bytes(trip, fmt))
    return path


def test_format_for() -> None:
    assert format_for("a/b.GPKG") == "gpkg"
    assert format_for("trip.geojson") == "geojson"
    assert format_for("trip.json") is None
    assert format_for("-") is None


def test_layers(trip: route.Trip) -> None:
    layers = trip_layers(trip)
    assert list(layers) == ["stops", "legs", "rail"]
    records, geometries = layers["rail"]
    assert [r["leg"] for r in records] == [1, 2]
    assert [list(g.coords) for g in geometries] == [
        [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)],
        [(1.0, 1.0), (1.0, 0.0), (2.0, 0.0)],
    ]
    assert records[0]["rail_km"] == pytest.approx(221.894, abs=0.001)


def test_geojson_reads_back(trip: route.Trip, tmp_path: Path) -> None:
    path = _write(tmp_path, trip, "geojson")
    assert json.loads(path.read_text(encoding="utf-8")) == trip.to_geojson()
    _, _, geometry, fields = pyogrio.raw.read(path)
    assert len(geometry) == 3 + 2 + 2  # stops, great circles, rail paths
    assert shapely.from_wkb(geometry[0]).coords[0] == (0.0, 0.0)
    assert list(fields[0][:3]) == ["stop", "stop", "stop"]  # "kind"


def test_gpx_reads_back(trip: route.Trip, tmp_path: Path) -> None:
    path = _write(tmp_path, trip, "gpx")
    gpx = gpxpy.parse(path.read_text(encoding="utf-8"))
    assert [(w.name, w.latitude, w.longitude) for w in gpx.waypoints] == [
        ("A", 0.0, 0.0),
        ("B", 1.0, 1.0),
        ("C", 0.0, 2.0),
    ]
    (journey,) = gpx.routes
    assert [p.name for p in journey.points] == ["A", "B", "C"]
    assert [t.name for t in gpx.tracks] == [
        "leg 1: A → B, straight line",
        "leg 1: A → B, rail",
        "leg 2: B → C, straight line",
        "leg 2: B → C, rail",
    ]
    rail = gpx.tracks[1].segments[0].points
    assert [(p.latitude, p.longitude) for p in rail] == [(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)]
    straight = gpx.tracks[0].segments[0].points
    assert (straight[-1].latitude, straight[-1].longitude) == pytest.approx((1.0, 1.0))
    # GDAL reads it too.
    assert {"waypoints", "routes", "tracks"} <= {name for name, _ in pyogrio.list_layers(path)}


def test_gpx_splits_a_leg_at_the_antimeridian(gazetteer: Gazetteer, tmp_path: Path) -> None:
    pacific = route.plan(stops="Tokyo@35.69,139.69 >plane> Honolulu@21.31,-157.86")
    gpx = gpxpy.parse(export_bytes(pacific, "gpx").decode())
    (track,) = gpx.tracks
    assert len(track.segments) == 2
    assert track.segments[0].points[-1].longitude == 180.0
    assert track.segments[1].points[0].longitude == -180.0


def test_kml_reads_back(trip: route.Trip, tmp_path: Path) -> None:
    path = _write(tmp_path, trip, "kml")
    assert [name for name, _ in pyogrio.list_layers(path)] == ["stops", "legs", "rail"]
    _, _, geometry, fields = pyogrio.raw.read(path, layer="stops", columns=["Name"])
    assert list(fields[0]) == ["A", "B", "C"]
    assert [shapely.from_wkb(g).coords[0][:2] for g in geometry] == [(0, 0), (1, 1), (2, 0)]
    meta, _, geometry, fields = pyogrio.raw.read(path, layer="rail")
    values = dict(zip(meta["fields"], fields, strict=True))
    assert list(values["Name"]) == ["leg 1: A → B", "leg 2: B → C"]
    assert float(values["rail_km"][0]) == pytest.approx(221.894, abs=0.001)
    assert [c[:2] for c in shapely.from_wkb(geometry[0]).coords] == [(0, 0), (1, 0), (1, 1)]


def test_gpkg_reads_back(trip: route.Trip, seed: route.Trip, tmp_path: Path) -> None:
    path = _write(tmp_path, trip, "gpkg")
    assert [list(layer) for layer in pyogrio.list_layers(path)] == [
        ["stops", "Point"],
        ["legs", "LineString"],
        ["rail", "LineString"],
    ]
    info = pyogrio.read_info(path, layer="legs")
    assert info["crs"] == "EPSG:4326"
    assert list(info["fields"]) == [
        "leg", "origin", "destination", "mode", "straight_km", "rail_km", "detour",
        "cumulative_km", "snap_start_km", "snap_end_km", "bridges", "rail_note", "mode_cue",
    ]  # fmt: skip
    meta, _, _, fields = pyogrio.raw.read(path, layer="legs")
    values = dict(zip(meta["fields"], fields, strict=True))
    assert list(values["origin"]) == ["A", "B"]
    assert list(values["straight_km"]) == [156.9, 156.9]
    # With missing values (no rail, no GeoNames id), read back by geopandas.
    gpd = pytest.importorskip("geopandas")
    seed_path = tmp_path / "seed.gpkg"
    seed_path.write_bytes(export_bytes(seed, "gpkg"))
    assert [name for name, _ in pyogrio.list_layers(seed_path)] == ["stops", "legs"]
    stops = gpd.read_file(seed_path, layer="stops")
    assert list(stops["geonameid"]) == [1871859, 2037886, 1582998, 1581130]
    assert stops.geometry.iloc[0].x == pytest.approx(125.75432)
    legs = gpd.read_file(seed_path, layer="legs")
    assert legs["rail_km"].isna().all()
    assert list(legs["mode"]) == ["train", "train", "car"]


def test_csv_reads_back(seed: route.Trip, tmp_path: Path) -> None:
    path = _write(tmp_path, seed, "csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [(r["origin"], r["destination"]) for r in rows] == [
        ("Pyongyang", "Dandong"),
        ("Dandong", "Dong Dang"),
        ("Dong Dang", "Hanoi"),
    ]
    assert [float(r["straight_km"]) for r in rows] == pytest.approx(
        [168.6, 2619.2, 135.7], abs=0.05
    )
    assert rows[0]["rail_km"] == ""
    assert list(rows[0]) == list(seed.to_frame().columns)


def test_unknown_format(trip: route.Trip) -> None:
    with pytest.raises(route.InputError, match="unknown export format"):
        export_bytes(trip, "shp")


# -- route map --export / --format -------------------------------------------------------------


@pytest.fixture
def runner(gazetteer: Gazetteer) -> CliRunner:
    return CliRunner()


def _map(runner: CliRunner, tmp_path: Path, *args: str) -> object:
    return runner.invoke(
        app,
        ["map", "--stops", STOPS, "--rail-network", str(SMALL_NETWORK),
         "-o", str(tmp_path / "m.html"), *args],
    )  # fmt: skip


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_map_export_by_extension(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out{FORMATS[fmt][0][0]}"
    result = _map(runner, tmp_path, "--export", str(target))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert f"{fmt} written to {target}" in result.stderr  # type: ignore[attr-defined]
    data = target.read_bytes()
    if fmt == "gpx":
        assert len(gpxpy.parse(data.decode()).waypoints) == 3
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(data.decode())))) == 2
    else:
        layers = [name for name, _ in pyogrio.list_layers(target)]
        assert layers == (["out"] if fmt == "geojson" else ["stops", "legs", "rail"])


def test_map_format_beside_the_map(runner: CliRunner, tmp_path: Path) -> None:
    result = _map(runner, tmp_path, "--format", "gpx")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert len(gpxpy.parse((tmp_path / "m.gpx").read_text(encoding="utf-8")).tracks) == 4


def test_map_export_to_stdout(runner: CliRunner, tmp_path: Path) -> None:
    result = _map(runner, tmp_path, "--export", "-", "--format", "geojson")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    doc = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert doc["type"] == "FeatureCollection"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--export", "out.shp"], "--export out.shp: say which format with --format"),
        (["--export", "out.dat"], "say which format with --format"),
        (["--export", "-"], "say which format with --format"),
        (["--format", "shp"], "--format: unknown format 'shp'"),
        (["--export", "a.kml", "--format", "gpx"], "--export a.kml names kml, but --format says"),
    ],
)
def test_map_export_usage_errors(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    result = _map(runner, tmp_path, *args)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert message in result.stderr  # type: ignore[attr-defined]
    assert list(tmp_path.iterdir()) == []


def test_map_format_needs_a_file_name_with_the_map_on_stdout(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["map", "--stops", STOPS, "-o", "-", "--format", "kml"])
    assert result.exit_code == 2
    assert "--export FILE" in result.stderr


def test_trip_export(trip: route.Trip, tmp_path: Path) -> None:
    written = trip.export(tmp_path / "t.gpkg")
    assert written == tmp_path / "t.gpkg"
    assert [name for name, _ in pyogrio.list_layers(written)] == ["stops", "legs", "rail"]
    gpx = trip.export(tmp_path / "t.xml", format="gpx")
    assert len(gpxpy.parse(gpx.read_text(encoding="utf-8")).waypoints) == 3
    with pytest.raises(route.InputError, match="give a format"):
        trip.export(tmp_path / "t.dat")
