from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import shapely

from route.distance import geodesic_km
from route.errors import RailNetworkError, RailNetworkNotFoundError, RouteError
from route.models import RailRoute
from route.rail import (
    NETWORK_ENV,
    NoRailRoute,
    RailNetwork,
    read_network_lines,
    resolve_network_path,
    route_linestring,
)

from .conftest import SHARED_NETWORK as SHARED
from .conftest import SMALL_NETWORK as SMALL

# One degree of longitude on the equator, and of latitude next to it (WGS84, km).
EQ_DEG = 111.319491
MERIDIAN_DEG = 110.574389


def _route(net: RailNetwork, a: tuple[float, float], b: tuple[float, float]) -> RailRoute:
    found = net.route(a, b)
    assert isinstance(found, RailRoute), found
    return found


@pytest.fixture(scope="module")
def small() -> RailNetwork:
    return RailNetwork.load(SMALL)


def _write(
    path: Path, lines: list[list[tuple[float, float]]], driver: str, crs: str | None
) -> None:
    import pyogrio.raw

    geoms = shapely.to_wkb(np.array([shapely.LineString(line) for line in lines]))
    pyogrio.raw.write(
        str(path),
        geoms,
        field_data=[],
        fields=[],
        driver=driver,
        geometry_type="LineString",
        crs=crs,
    )


def _small_lines() -> list[list[tuple[float, float]]]:
    doc = json.loads(SMALL.read_text())
    out = []
    for feature in doc["features"]:
        geom = feature["geometry"]
        if geom["type"] == "LineString":
            out.append([tuple(c) for c in geom["coordinates"]])
        elif geom["type"] == "MultiLineString":
            out.extend([tuple(c) for c in part] for part in geom["coordinates"])
    return out


# -- reading ---------------------------------------------------------------------------


def test_reads_lines_and_counts_skipped_features() -> None:
    lines = read_network_lines(SMALL)
    assert lines.n_lines == 6  # the MultiLineString's part counts as a line
    assert lines.skipped == 1  # the Point
    assert lines.coords.shape == (14, 2)
    assert lines.coords[0].tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    ("name", "driver"),
    [("net.gpkg", "GPKG"), ("net.shp", "ESRI Shapefile"), ("net.geojson", "GeoJSON")],
)
def test_formats_give_the_same_network(tmp_path: Path, name: str, driver: str) -> None:
    _write(tmp_path / name, _small_lines(), driver, "EPSG:4326")
    net = RailNetwork.load(tmp_path / name, use_cache=False)
    assert _route(net, (0, 0), (0, 2)).km == pytest.approx(2 * EQ_DEG, rel=1e-5)


def test_zipped_shapefile_and_gzipped_geojson(tmp_path: Path) -> None:
    _write(tmp_path / "net.shp", _small_lines(), "ESRI Shapefile", "EPSG:4326")
    with zipfile.ZipFile(tmp_path / "net.zip", "w") as archive:
        for part in tmp_path.glob("net.*"):
            if part.suffix != ".zip":
                archive.write(part, part.name)
    with (tmp_path / "net.geojson.gz").open("wb") as out:
        out.write(gzip.compress(SMALL.read_bytes()))
    for path in (tmp_path / "net.zip", tmp_path / "net.geojson.gz"):
        net = RailNetwork.load(path, use_cache=False)
        assert _route(net, (0, 0), (1, 1)).km == pytest.approx(EQ_DEG + MERIDIAN_DEG, rel=1e-4)


def test_projected_file_is_reprojected_to_wgs84(tmp_path: Path) -> None:
    from pyproj import Transformer

    to_mercator = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    lines = [[to_mercator.transform(x, y) for x, y in line] for line in _small_lines()]
    _write(tmp_path / "merc.gpkg", lines, "GPKG", "EPSG:3857")
    read = read_network_lines(tmp_path / "merc.gpkg")
    assert np.abs(read.coords).max() <= 51.0 + 1e-6
    net = RailNetwork.load(tmp_path / "merc.gpkg", use_cache=False)
    assert _route(net, (0, 0), (0, 2)).km == pytest.approx(2 * EQ_DEG, rel=1e-6)


def test_osm_extract_railways_only(tmp_path: Path) -> None:
    import osmium

    pbf = tmp_path / "tiny.osm.pbf"
    writer = osmium.SimpleWriter(str(pbf))
    points = [(0, 0), (1, 0), (2, 0), (1, 1), (0, 1)]
    for i, (lon, lat) in enumerate(points, start=1):
        writer.add_node(osmium.osm.mutable.Node(id=i, location=osmium.osm.Location(lon, lat)))
    writer.add_way(osmium.osm.mutable.Way(id=1, nodes=[1, 2, 3], tags={"railway": "rail"}))
    writer.add_way(osmium.osm.mutable.Way(id=2, nodes=[2, 4], tags={"railway": "narrow_gauge"}))
    writer.add_way(osmium.osm.mutable.Way(id=3, nodes=[1, 5], tags={"highway": "primary"}))
    writer.add_way(osmium.osm.mutable.Way(id=4, nodes=[4, 5], tags={"railway": "light_rail"}))
    writer.close()
    read = read_network_lines(pbf)
    assert read.n_lines == 2
    net = RailNetwork.load(pbf, use_cache=False)
    assert _route(net, (0, 0), (1, 1)).km == pytest.approx(EQ_DEG + MERIDIAN_DEG, rel=1e-4)
    # Node 5 (lat 1, lon 0) is reached by light rail only, which is read only when asked.
    assert isinstance(net.route((1, 0), (0, 0), max_snap_km=1), NoRailRoute)
    kinds = ("rail", "narrow_gauge", "light_rail")
    assert read_network_lines(pbf, osm_kinds=kinds).n_lines == 3
    with_light = RailNetwork.load(pbf, use_cache=False, osm_kinds=kinds)
    via_light = _route(with_light, (1, 0), (0, 0))
    assert via_light.km == pytest.approx(
        geodesic_km((1, 0), (1, 1)) + MERIDIAN_DEG + EQ_DEG, rel=1e-5
    )


def test_osm_xml_extract(tmp_path: Path) -> None:
    osm = tmp_path / "tiny.osm"
    osm.write_text(
        "<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6'>\n"
        "<node id='1' lat='0' lon='0' version='1'/><node id='2' lat='0' lon='1' version='1'/>\n"
        "<way id='1' version='1'><nd ref='1'/><nd ref='2'/><tag k='railway' v='rail'/></way>\n"
        "</osm>\n"
    )
    assert _route(RailNetwork.load(osm, use_cache=False), (0, 0), (0, 1)).km == pytest.approx(
        EQ_DEG, rel=1e-5
    )


# -- bad files ------------------------------------------------------------------------


def _features(tmp_path: Path, features: list[dict[str, object]], name: str = "x.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_missing_file() -> None:
    with pytest.raises(RailNetworkNotFoundError, match="does not exist") as info:
        RailNetwork.load("/nonexistent/rail.geojson")
    assert isinstance(info.value, FileNotFoundError)
    assert isinstance(info.value, RouteError)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("this is not json at all", "not a GIS file"),
        ('{"type": "FeatureCollection", "features": [', "not a GIS file"),
        ("\x00\x01\x02binary", "not a GIS file"),
    ],
)
def test_not_a_gis_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(content)
    with pytest.raises(RailNetworkError, match=message):
        RailNetwork.load(path, use_cache=False)


def test_empty_feature_collection(tmp_path: Path) -> None:
    with pytest.raises(RailNetworkError, match="no features"):
        RailNetwork.load(_features(tmp_path, []), use_cache=False)


def test_no_line_geometries(tmp_path: Path) -> None:
    points = [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 2]}}
    ] * 3
    with pytest.raises(RailNetworkError, match=r"no line geometries \(3 other features\)"):
        RailNetwork.load(_features(tmp_path, points), use_cache=False)


def test_projected_coordinates_without_crs(tmp_path: Path) -> None:
    line = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "LineString", "coordinates": [[500000, 4000000], [600000, 4100000]]},
    }
    with pytest.raises(RailNetworkError, match="look projected"):
        RailNetwork.load(_features(tmp_path, [line]), use_cache=False)


def test_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NETWORK_ENV, raising=False)
    monkeypatch.setenv("ROUTE_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(RailNetworkNotFoundError, match=f"--rail-network FILE, set {NETWORK_ENV}"):
        resolve_network_path()
    (tmp_path / "data").mkdir()
    in_data_dir = tmp_path / "data" / "ne_10m_railroads.geojson.gz"
    in_data_dir.write_bytes(gzip.compress(SMALL.read_bytes()))
    assert resolve_network_path() == in_data_dir
    monkeypatch.setenv(NETWORK_ENV, str(SMALL))
    assert resolve_network_path() == SMALL
    with pytest.raises(RailNetworkNotFoundError, match="from --rail-network"):
        resolve_network_path(tmp_path / "explicit.geojson")
    monkeypatch.setenv(NETWORK_ENV, str(tmp_path / "gone.geojson"))
    with pytest.raises(RailNetworkNotFoundError, match=f"from {NETWORK_ENV}"):
        resolve_network_path()


# -- the graph -------------------------------------------------------------------------


def test_graph_facts(small: RailNetwork) -> None:
    info = small.info()
    assert info.lines == 6
    assert info.skipped == 1
    assert info.components == 4  # A+B+E joined; C beyond the gap; D parallel; F the island
    assert info.snapped_ends == 1  # E's end, 20 m from A
    assert info.bridges == 0
    expected_km = (
        2 * EQ_DEG  # A
        + MERIDIAN_DEG  # B
        + (3 - 2.0072) * EQ_DEG  # C
        + 2 * EQ_DEG  # D
        + geodesic_km((0.5, 1.5), (0.0, 1.0))  # E, ending on A's vertex after snapping
        + geodesic_km((50, 50), (50, 51))  # F
    )
    assert info.total_km == pytest.approx(expected_km, abs=0.2)


def test_route_along_the_network(small: RailNetwork) -> None:
    found = _route(small, (0.0, 0.0), (1.0, 1.0))
    assert found.km == pytest.approx(EQ_DEG + MERIDIAN_DEG, rel=1e-5)
    assert found.path == ((0.0, 0.0), (0.0, 1.0), (1.0, 1.0))
    assert found.snap_start_km == 0.0
    assert found.bridges == ()


def test_route_between_interior_points_of_one_chain(small: RailNetwork) -> None:
    # Line D has no junction: both stops snap to interior nodes of one chain.
    found = _route(small, (0.0009, 0.0), (0.0009, 2.0))
    assert found.km == pytest.approx(2 * EQ_DEG, rel=1e-5)
    assert {p[0] for p in found.path} == {0.0008}  # stayed on D: the nearest line
    assert found.snap_start_km == pytest.approx(0.011, abs=0.002)


def test_parallel_lines_are_not_glued(small: RailNetwork) -> None:
    assert small.snap((0.0008, 1.0), 0.05)[0][1] == 0.0
    found = small.route((0.0008, 0.0), (0.0, 2.0), max_snap_km=0.05)
    assert isinstance(found, NoRailRoute)


def test_snapped_end_joins_the_line(small: RailNetwork) -> None:
    found = _route(small, (0.5, 1.5), (0.0, 0.0))
    assert found.km == pytest.approx(geodesic_km((0.5, 1.5), (0.0, 1.0)) + EQ_DEG, rel=1e-5)


def test_stop_too_far_from_rail(small: RailNetwork) -> None:
    found = small.route((10.0, 10.0), (0.0, 0.0), names=("Nowhere", "Origin"))
    assert found == NoRailRoute("no railway within 30 km of Nowhere")
    near = small.route((0.2, 0.0), (0.0, 0.0), max_snap_km=30)  # 22 km off the line
    assert isinstance(near, RailRoute)
    assert near.snap_start_km == pytest.approx(22.1, abs=0.1)
    assert isinstance(small.route((0.2, 0.0), (0.0, 0.0), max_snap_km=20), NoRailRoute)


def test_no_connection_names_the_option(small: RailNetwork) -> None:
    found = small.route((0.0, 0.0), (0.0, 3.0), names=("West", "East"))
    assert isinstance(found, NoRailRoute)
    assert found.reason.startswith("no rail connection between West and East in this network")
    assert "--bridge-gaps" in found.reason
    other_continent = small.route((0.0, 0.0), (50.0, 50.5), names=("West", "Island"))
    assert isinstance(other_continent, NoRailRoute)


def test_bridging_gaps() -> None:
    net = RailNetwork.load(SMALL, bridge_km=1.0)
    assert net.info().bridges >= 1
    found = _route(net, (0.0, 0.0), (0.0, 3.0))
    assert found.km == pytest.approx(3 * EQ_DEG, rel=1e-5)
    (bridge,) = found.bridges
    assert bridge.start == (0.0, 2.0)
    assert bridge.end == (0.0, 2.0072)
    assert bridge.km == pytest.approx(0.0072 * EQ_DEG, rel=1e-3)
    # An 89 m offset is bridged too at 1 km, but the 200 km island stays apart.
    assert isinstance(net.route((0.0, 0.0), (50.0, 50.5)), NoRailRoute)


def test_route_linestring_is_lon_lat(small: RailNetwork) -> None:
    line = route_linestring(_route(small, (0.0, 0.0), (1.0, 1.0)))
    assert list(line.coords) == [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]


def test_same_node_gives_a_zero_route(small: RailNetwork) -> None:
    found = _route(small, (0.0, 1.0), (0.0001, 1.0))
    assert found.km == 0.0


# -- the cache -------------------------------------------------------------------------


def test_cache_is_reused_rebuilt_when_damaged_and_keyed_by_content(tmp_path: Path) -> None:
    network = tmp_path / "net.geojson"
    # Content of its own, so no other test's cache entry matches.
    network.write_text(SMALL.read_text().replace("rail_small", f"rail_small {tmp_path}"))
    events: list[str] = []

    def load(**options: float) -> RailNetwork:
        return RailNetwork.load(network, on_build=lambda e, _: events.append(e), **options)

    first = load()
    assert events == ["start", "done"]
    assert first.cache is not None
    assert first.cache.exists()
    load()
    assert events == ["start", "done"]  # from the cache
    first.cache.write_bytes(first.cache.read_bytes()[:200])  # truncated
    again = load()
    assert events == ["start", "done"] * 2
    assert _route(again, (0, 0), (0, 2)).km == pytest.approx(2 * EQ_DEG, rel=1e-5)
    first.cache.write_bytes(b"garbage")
    load()
    assert events == ["start", "done"] * 3
    load(bridge_km=1.0)  # other parameters: another cache entry
    assert events == ["start", "done"] * 4
    text = network.read_text().replace("[2.0072, 0]", "[2.5, 0]")
    network.write_text(text)  # other content: another cache entry
    load()
    assert events == ["start", "done"] * 5
    leftovers = [p.name for p in first.cache.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


# -- the real network ------------------------------------------------------------------

needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="../shared network not present")


@pytest.fixture(scope="session")
def world() -> RailNetwork:
    return RailNetwork.load(SHARED)


PYONGYANG = (39.03385, 125.75432)
DANDONG = (40.12917, 124.39472)
DONG_DANG = (21.9511, 106.69767)
HANOI = (21.0245, 105.84117)


@needs_shared
def test_world_network_facts(world: RailNetwork) -> None:
    info = world.info()
    assert info.lines == 25_383
    assert info.components == 225
    assert info.largest_component_km == pytest.approx(470_000, rel=0.01)


@needs_shared
def test_seed_trip_by_rail(world: RailNetwork) -> None:
    legs = [_route(world, a, b) for a, b in ((PYONGYANG, DANDONG), (DANDONG, DONG_DANG))]
    to_border = sum(leg.km for leg in legs)
    assert 3700 <= to_border <= 4100
    whole = _route(world, PYONGYANG, HANOI)
    assert whole.km == pytest.approx(4040, rel=0.01)
    assert max(whole.snap_start_km, whole.snap_end_km) < 3
    # The path's own geodesic length is the rail km.
    steps = [geodesic_km(a, b) for a, b in zip(whole.path, whole.path[1:], strict=False)]
    assert sum(steps) == pytest.approx(whole.km, rel=1e-9)


@needs_shared
def test_vietnam_gaps_need_bridges(world: RailNetwork) -> None:
    hcmc = (10.82302, 106.62965)
    assert isinstance(world.route(HANOI, hcmc), NoRailRoute)
    bridged = RailNetwork.load(SHARED, bridge_km=1.0)
    found = _route(bridged, HANOI, hcmc)
    assert found.km == pytest.approx(1670, rel=0.01)
    gaps = sorted(round(b.km, 1) for b in found.bridges)
    assert gaps == [0.5, 0.8]
