from __future__ import annotations

import gzip
import itertools
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
import shapely

from route import rail
from route.distance import geodesic_km
from route.errors import RailNetworkError, RailNetworkNotFoundError, RouteError
from route.models import RailRoute
from route.rail import (
    GRAPH_FORMAT,
    NETWORK_ENV,
    PACKED_FORMAT,
    NoRailRoute,
    RailNetwork,
    pack_network,
    packaged_network_path,
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


def test_lines_written_past_the_antimeridian_are_wrapped(tmp_path: Path) -> None:
    def line(coords: list[list[float]]) -> dict[str, object]:
        geometry = {"type": "LineString", "coordinates": coords}
        return {"type": "Feature", "properties": {}, "geometry": geometry}

    # 170°E on to 190° (= 170°W), then a line from 170°W to 160°W written the usual way
    path = _features(tmp_path, [line([[170, 0], [190, 0]]), line([[-170, 0], [-160, 0]])])
    read = read_network_lines(path)
    assert read.coords[:, 0].tolist() == [170.0, -170.0, -170.0, -160.0]
    net = RailNetwork.load(path, use_cache=False)
    found = _route(net, (0, 170), (0, -160))
    assert found.km == pytest.approx(30 * EQ_DEG, rel=1e-6)  # across the antimeridian


def test_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NETWORK_ENV, raising=False)
    monkeypatch.setenv("ROUTE_DATA_DIR", str(tmp_path / "data"))
    assert resolve_network_path() == packaged_network_path()  # nothing configured
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


def test_missing_packaged_network_says_how_to_add_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(NETWORK_ENV, raising=False)
    monkeypatch.setenv("ROUTE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(rail, "packaged_network_path", lambda: tmp_path / "gone.graph.npz")
    with pytest.raises(RailNetworkNotFoundError) as caught:
        resolve_network_path()
    message = str(caught.value)
    assert "reinstall route" in message
    assert f"--rail-network FILE, set {NETWORK_ENV}=FILE" in message
    assert "shared" not in message


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


def test_parallel_lines_are_not_glued() -> None:
    small = RailNetwork.load(SMALL, fallback_bridge_km=0.0)  # noding alone
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


def test_no_connection_names_the_option() -> None:
    small = RailNetwork.load(SMALL, fallback_bridge_km=0.0)
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


def test_a_leg_with_no_connection_is_routed_again_across_small_gaps(small: RailNetwork) -> None:
    found = _route(small, (0.0, 0.0), (0.0, 3.0))  # the line breaks by 802 m at 2°E
    assert found.km == pytest.approx(3 * EQ_DEG, rel=1e-5)
    (bridge,) = found.bridges
    assert bridge.km == pytest.approx(0.0072 * EQ_DEG, rel=1e-3)
    # a leg the plain network connects uses no bridge; the far island stays apart
    assert _route(small, (0.0, 0.0), (1.0, 1.0)).bridges == ()
    assert isinstance(small.route((0.0, 0.0), (50.0, 50.5)), NoRailRoute)


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
    assert events == ["start", "done", "rebuild", "done"]  # a damaged cache: a rebuild
    assert _route(again, (0, 0), (0, 2)).km == pytest.approx(2 * EQ_DEG, rel=1e-5)
    first.cache.write_bytes(b"garbage")
    load()
    assert events == ["start", "done", *["rebuild", "done"] * 2]
    load(bridge_km=1.0)  # other parameters: another cache entry
    assert events[-2:] == ["start", "done"]
    text = network.read_text().replace("[2.0072, 0]", "[2.5, 0]")
    network.write_text(text)  # other content: another cache entry
    load()
    assert events[-2:] == ["start", "done"]
    assert len(events) == 10
    leftovers = [p.name for p in first.cache.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def _tampered(arrays: dict[str, np.ndarray], how: str) -> None:
    """Change the graph arrays in place the way ``how`` says (each keeps the file loadable)."""
    n = len(arrays["lonlat"])
    if how == "k_indices out of range":  # was a segfault in scipy's Dijkstra
        arrays["k_indices"] = arrays["k_indices"] + 100_000_000
    elif how == "negative k_indices":
        arrays["k_indices"] = -arrays["k_indices"] - 1
    elif how == "chain_nodes out of range":
        arrays["chain_nodes"][-1] = n + 5
    elif how == "line_nodes out of range":
        arrays["line_nodes"][0] = 2**31 - 1
    elif how == "bridges out of range":
        arrays["bridges"] = np.array([[0, n + 1]], dtype=np.int32)
    elif how == "node_pos out of range":
        arrays["node_pos"][arrays["node_chain"] >= 0] = 10**9
    elif how == "k_indptr out of order":
        arrays["k_indptr"] = arrays["k_indptr"][::-1].copy()
    elif how == "k_chain swapped":
        arrays["k_chain"] = arrays["k_chain"][::-1].copy()
    elif how == "labels merged":
        arrays["labels"] = np.zeros_like(arrays["labels"])
    elif how == "lonlat reshaped":
        arrays["lonlat"] = np.zeros((n, 3))
    elif how == "weights not finite":
        arrays["k_weights"] = np.full_like(arrays["k_weights"], np.nan)
    elif how == "key_nodes as floats":
        arrays["key_nodes"] = arrays["key_nodes"].astype(np.float64)
    elif how == "a scalar":
        arrays["chain_offsets"] = np.array(7)
    else:
        raise AssertionError(how)


TAMPERINGS = [
    "k_indices out of range", "negative k_indices", "chain_nodes out of range",
    "line_nodes out of range", "bridges out of range", "node_pos out of range",
    "k_indptr out of order", "k_chain swapped", "labels merged", "lonlat reshaped",
    "weights not finite", "key_nodes as floats", "a scalar",
]  # fmt: skip


def tamper_graph_cache(cache: Path, how: str) -> None:
    """Rewrite a graph cache with tampered arrays; its zip checksums stay valid."""
    with np.load(cache) as data:
        arrays = {name: data[name] for name in data.files}
    _tampered(arrays, how)
    with cache.open("wb") as fh:
        np.savez(fh, **arrays)
    with zipfile.ZipFile(cache) as archive:
        assert archive.testzip() is None


@pytest.mark.parametrize("how", TAMPERINGS)
def test_a_tampered_graph_cache_is_found_out_and_rebuilt(tmp_path: Path, how: str) -> None:
    network = tmp_path / "net.geojson"
    network.write_text(SMALL.read_text().replace("rail_small", f"rail_small {tmp_path}"))
    first = RailNetwork.load(network, bridge_km=1.0)  # with a bridge, so bridges is not empty
    assert first.cache is not None
    tamper_graph_cache(first.cache, how)
    assert rail._load_graph(first.cache) is None
    events: list[str] = []
    again = RailNetwork.load(network, bridge_km=1.0, on_build=lambda e, _: events.append(e))
    assert events == ["rebuild", "done"]
    assert _route(again, (0, 0), (0, 3)).km == pytest.approx(3 * EQ_DEG, rel=1e-5)
    assert rail._load_graph(first.cache) is not None  # the cache was written anew


def test_a_sound_graph_passes_its_checks(small: RailNetwork) -> None:
    assert rail._graph_problem(small._g) is None


def _fresh_cache(tmp_path: Path) -> Path:
    network = tmp_path / "net.geojson"
    network.write_text(SMALL.read_text().replace("rail_small", f"rail_small {tmp_path}"))
    cache = RailNetwork.load(network).cache
    assert cache is not None
    return cache


def _no_deep_check(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(graph: object) -> str:
        raise AssertionError("a sealed cache is not checked in full again")

    monkeypatch.setattr(rail, "_graph_problem", refuse)


def test_a_sealed_cache_loads_with_the_cheap_checks_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = _fresh_cache(tmp_path)
    with zipfile.ZipFile(cache) as archive:
        assert archive.comment.startswith(b"route graph checked ")
    _no_deep_check(monkeypatch)
    graph = rail._load_graph(cache)
    assert graph is not None
    assert rail._layout_problem(graph) is None


def test_a_cache_that_does_not_match_its_seal_is_rebuilt(tmp_path: Path) -> None:
    cache = _fresh_cache(tmp_path)
    with zipfile.ZipFile(cache) as archive:
        seal = archive.comment
    # Arrays that pass every cheap check, with the old seal: only the seal tells.
    with np.load(cache) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["k_weights"] = arrays["k_weights"] * 0.5
    arrays["chain_cum"] = arrays["chain_cum"] * 0.5
    with cache.open("wb") as fh:
        np.savez(fh, **arrays)
    with zipfile.ZipFile(cache, "a") as archive:
        archive.comment = seal
    graph = rail._load_graph(cache)
    assert graph is None
    network = tmp_path / "net.geojson"
    events: list[str] = []
    again = RailNetwork.load(network, on_build=lambda e, _: events.append(e))
    assert events == ["rebuild", "done"]
    assert _route(again, (0, 0), (0, 2)).km == pytest.approx(2 * EQ_DEG, rel=1e-5)
    assert rail._load_graph(cache) is not None


def test_a_corrupted_byte_in_a_cached_array_means_a_rebuild(tmp_path: Path) -> None:
    cache = _fresh_cache(tmp_path)
    raw = bytearray(cache.read_bytes())
    with zipfile.ZipFile(cache) as archive:
        info = archive.getinfo("lonlat.npy")
    # Past the member's local header and its .npy header (version 1): a coordinate.
    start = info.header_offset + 30 + len(info.filename)
    start += int.from_bytes(raw[info.header_offset + 28 : info.header_offset + 30], "little")
    assert raw[start : start + 6] == b"\x93NUMPY"
    start += 10 + int.from_bytes(raw[start + 8 : start + 10], "little")
    raw[start + 3] ^= 0x10
    cache.write_bytes(bytes(raw))
    assert rail._load_graph(cache) is None  # the zip's CRC-32, checked as it is read
    events: list[str] = []
    RailNetwork.load(tmp_path / "net.geojson", on_build=lambda e, _: events.append(e))
    assert events == ["rebuild", "done"]


def test_a_cache_written_before_seals_is_checked_once_then_sealed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = _fresh_cache(tmp_path)
    with np.load(cache) as data:
        arrays = {name: data[name] for name in data.files}
    with cache.open("wb") as fh:
        np.savez(fh, **arrays)  # as route wrote it before: no seal
    checked: list[object] = []
    deep_check = rail._graph_problem

    def counted(graph: rail._Graph) -> str | None:
        checked.append(graph)
        return deep_check(graph)

    monkeypatch.setattr(rail, "_graph_problem", counted)
    assert rail._load_graph(cache) is not None
    assert len(checked) == 1
    with zipfile.ZipFile(cache) as archive:
        assert archive.comment.startswith(b"route graph checked ")
    _no_deep_check(monkeypatch)
    assert rail._load_graph(cache) is not None


def test_an_unsound_graph_is_not_cached(tmp_path: Path, small: RailNetwork) -> None:
    arrays = {name: getattr(small._g, name) for name in rail._Graph.__slots__}
    arrays["labels"] = np.zeros_like(arrays["labels"])  # merged components
    assert rail._saved(rail._Graph(**arrays), tmp_path / "graph.npz") is None
    assert not (tmp_path / "graph.npz").exists()


def test_a_star_finds_the_paths_dijkstra_finds(small: RailNetwork) -> None:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    g = small._g
    nk = len(g.key_nodes)
    metres = dijkstra(csr_matrix((g.k_weights, g.k_indices, g.k_indptr), shape=(nk, nk)))
    junctions = rail._Junctions(g)
    assert 0.99 < junctions.scale < 1.0
    for a in range(nk):
        for b in range(nk):
            found = junctions.shortest({a: 0.0}, {b: 0.0})
            if not np.isfinite(metres[a, b]):
                assert found is None
                continue
            assert found is not None
            total, keys = found
            assert total == pytest.approx(metres[a, b], rel=1e-12, abs=1e-6)
            assert (keys[0], keys[-1]) == (a, b)
            length = 0.0
            for p, q in itertools.pairwise(keys):  # edges of the junction graph
                row = slice(int(g.k_indptr[p]), int(g.k_indptr[p + 1]))
                length += float(g.k_weights[row][g.k_indices[row] == q].min())
            assert length == pytest.approx(total, rel=1e-12, abs=1e-6)
    # No guide (scale 0) is Dijkstra itself: the same lengths.
    junctions.scale = 0.0
    total, _ = junctions.shortest({0: 0.0}, {nk - 1: 0.0}) or (np.inf, [])
    assert total == pytest.approx(metres[0, nk - 1], rel=1e-12, abs=1e-6)


def test_snapping_finds_the_nodes_of_every_line_near_a_point(small: RailNetwork) -> None:
    g = small._g
    for lat, lon, km in [(0.0, 1.0, 30.0), (0.5, 1.5, 100.0), (0.0008, 0.0, 1.0), (45, 45, 5)]:
        lines = shapely.linestrings(g.lonlat[g.line_nodes], indices=g.line_index)
        dlat = km / 110.5 + 1e-6
        dlon = min(180.0, km / (111.3 * max(np.cos(np.radians(lat)), 1e-6)) + 1e-6)
        hits = shapely.STRtree(lines).query(
            shapely.box(lon - dlon, lat - dlat, lon + dlon, lat + dlat)
        )
        near = {int(n) for h in hits for n in g.line_nodes[g.line_index == h]}
        snapped = small.snap((lat, lon), km)
        assert {n for n, _ in snapped} == {
            n for n in near if geodesic_km((lat, lon), small.node_latlon(n)) <= km
        }
        assert [d for _, d in snapped] == sorted(d for _, d in snapped)


# -- packed graphs ---------------------------------------------------------------------


def _same_network(a: RailNetwork, b: RailNetwork) -> None:
    skip = {"path", "cache"}
    facts_a = {k: v for k, v in a.info().to_dict().items() if k not in skip}
    assert facts_a == {k: v for k, v in b.info().to_dict().items() if k not in skip}


def test_packed_graph_gives_the_same_network_and_lines(tmp_path: Path) -> None:
    packed = pack_network(SMALL, tmp_path / "small.graph.npz")
    source, back = read_network_lines(SMALL), read_network_lines(packed)
    assert np.array_equal(back.coords, source.coords)  # E's end is restored, not snapped
    assert np.array_equal(back.line_index, source.line_index)
    assert (back.n_lines, back.skipped) == (source.n_lines, source.skipped)
    built, loaded = RailNetwork.load(SMALL, use_cache=False), RailNetwork.load(packed)
    assert loaded.cache is not None  # decoded once, then kept
    assert rail._load_graph(loaded.cache) is not None  # a sound graph, read back as it is
    written = loaded.cache.stat().st_mtime_ns
    assert RailNetwork.load(packed, use_cache=False).cache is None
    again = RailNetwork.load(packed)  # read back from the cache, the same network
    _same_network(built, loaded)
    _same_network(loaded, again)
    assert again.cache == loaded.cache
    assert loaded.cache.stat().st_mtime_ns == written  # read, not written again
    assert _route(again, (0, 0), (1, 1)) == _route(built, (0, 0), (1, 1))
    for a, b in [
        ((0, 0), (1, 1)),
        ((0.5, 1.5), (0, 2)),
        ((0.0008, 0), (0.0008, 2)),
        ((0, 0), (0, 0)),
    ]:
        assert _route(loaded, a, b) == _route(built, a, b)
    # Other build parameters rebuild from the packed lines, as from the source.
    bridged, bridged_packed = (RailNetwork.load(p, bridge_km=1.0) for p in (SMALL, packed))
    _same_network(bridged, bridged_packed)
    assert bridged_packed.cache is not None
    assert _route(bridged_packed, (0, 0), (0, 3)) == _route(bridged, (0, 0), (0, 3))


def test_packed_graph_keeps_finer_coordinates(tmp_path: Path) -> None:
    line = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "LineString", "coordinates": [[0.1234567, 0], [1.7654321, 0.0000001]]},
    }
    source = _features(tmp_path, [line])
    packed = pack_network(source, tmp_path / "fine.graph.npz")
    assert np.array_equal(read_network_lines(packed).coords, read_network_lines(source).coords)


def test_damaged_packed_graph_is_a_one_line_error(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.graph.npz"
    damaged.write_bytes(b"garbage")
    with pytest.raises(RailNetworkError, match="not a readable route graph file"):
        RailNetwork.load(damaged)
    good = pack_network(SMALL, tmp_path / "small.graph.npz").read_bytes()
    damaged.write_bytes(good[: len(good) // 2])
    with pytest.raises(RailNetworkError, match="not a readable route graph file") as caught:
        RailNetwork.load(damaged)
    assert "\n" not in str(caught.value)
    with pytest.raises(RailNetworkError, match=r"ends with \.graph\.npz"):
        pack_network(SMALL, tmp_path / "small.npz")


# -- the world network, shipped in the package -------------------------------------------

needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="source GeoJSON not present")


@pytest.fixture(scope="session")
def world() -> RailNetwork:
    return RailNetwork.load()  # nothing configured: the packaged network


PYONGYANG = (39.03385, 125.75432)
DANDONG = (40.12917, 124.39472)
DONG_DANG = (21.9511, 106.69767)
HANOI = (21.0245, 105.84117)


def test_default_network_is_the_packaged_graph(world: RailNetwork) -> None:
    assert world.path == packaged_network_path()
    assert world.cache is not None  # loaded with no build; decoded once into the cache
    assert rail._graph_problem(world._g) is None
    assert world.uncertainty.startswith("Natural Earth 10m")
    with np.load(world.path) as data:
        packed_format, graph_format, _, snap_m = data["meta"].tolist()
    # Fails after a change to the graph rules: rebuild it (bench/bench_default_network.py make).
    assert (packed_format, graph_format, snap_m) == (PACKED_FORMAT, GRAPH_FORMAT, 50.0)
    seed_legs = [
        (PYONGYANG, DANDONG, 226.5),
        (DANDONG, DONG_DANG, 3654.7),
        (DONG_DANG, HANOI, 157.5),
    ]
    for a, b, km in seed_legs:
        assert _route(world, a, b).km == pytest.approx(km, rel=0.02)


def test_world_network_facts(world: RailNetwork) -> None:
    info = world.info()
    assert info.lines == 25_383
    assert info.components == 225
    assert info.largest_component_km == pytest.approx(470_000, rel=0.01)


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


def test_vietnam_gaps_need_bridges(world: RailNetwork) -> None:
    hcmc = (10.82302, 106.62965)
    plain = RailNetwork.load(fallback_bridge_km=0.0)
    assert isinstance(plain.route(HANOI, hcmc), NoRailRoute)
    bridged = RailNetwork.load(bridge_km=1.0)  # rebuilt from the packaged lines, cached
    for network in (bridged, world):  # the default bridges where a leg finds no connection
        found = _route(network, HANOI, hcmc)
        assert found.km == pytest.approx(1670, rel=0.01)
        gaps = sorted(round(b.km, 1) for b in found.bridges)
        assert gaps == [0.5, 0.8]


@needs_shared
def test_packaged_graph_is_the_graph_of_its_source(world: RailNetwork) -> None:
    source = read_network_lines(SHARED)
    back = read_network_lines(world.path)
    assert np.array_equal(back.coords, source.coords)
    built = RailNetwork.load(SHARED)
    _same_network(built, world)
    for a, b in ((PYONGYANG, DANDONG), (DANDONG, DONG_DANG), (PYONGYANG, HANOI)):
        assert _route(world, a, b).km == pytest.approx(_route(built, a, b).km, rel=1e-9)


def test_after_a_few_queries_scipys_dijkstra_gives_the_same_routes() -> None:
    from route.rail import A_STAR_QUERIES

    pairs = [(PYONGYANG, DONG_DANG), ((48.8566, 2.3522), (52.52, 13.405)), (DANDONG, HANOI)]
    guided = RailNetwork.load()
    by_scipy = RailNetwork.load()
    by_scipy._queries = A_STAR_QUERIES  # its next query is past the A* ones
    for a, b in pairs:
        first, second = _route(guided, a, b), _route(by_scipy, a, b)
        assert second.km == pytest.approx(first.km, rel=1e-9)
        assert second.path == first.path
    assert type(by_scipy._junctions).__name__ == "_Dijkstra"
    assert type(guided._junctions).__name__ == "_Junctions"
