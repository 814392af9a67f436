"""Rail distances over a real railway network.

A network file (GeoJSON, also ``.gz``; GeoPackage; Shapefile, also zipped; an
OpenStreetMap ``.osm``/``.osm.pbf`` extract) is read into lines, noded at
shared vertices (and line ends within a few metres of another line), and turned
into a graph whose edges are weighted by their geodesic length on WGS84. The
graph is cached on disk, keyed by the file's content hash and the build
parameters, so later runs load it in a fraction of a second.

The graph is stored as CSR arrays that load without any rebuilding. Routing is
A* on the junction graph in plain Python, guided by the straight-line (chord)
distance to the goal (chosen by measurement, see ``bench/bench_rail.py``: a
handful of queries, a few milliseconds each, costs less than importing
:mod:`scipy.sparse.csgraph`, whose Dijkstra answers one in about 4 ms).

Public coordinates are ``(lat, lon)``; arrays inside are ``(lon, lat)``.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import io
import itertools
import math
import os
import time
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import RailNetworkError, RailNetworkNotFoundError
from .models import Bridge, RailRoute

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from shapely.geometry import LineString

__all__ = [
    "DEFAULT_BRIDGE_KM",
    "DEFAULT_MAX_SNAP_KM",
    "DEFAULT_SNAP_M",
    "FALLBACK_BRIDGE_KM",
    "NETWORK_ENV",
    "NoRailRoute",
    "RailNetwork",
    "load_rail_network",
    "pack_network",
    "packaged_network_path",
    "read_network_lines",
    "resolve_network_path",
    "route_linestring",
]

#: Environment variable naming the network file.
NETWORK_ENV = "ROUTE_RAIL_NETWORK"
#: Stops farther than this from any railway get no rail figure.
DEFAULT_MAX_SNAP_KM = 30.0
#: Line ends this close to another line's vertex are joined to it when noding.
DEFAULT_SNAP_M = 50.0
#: Gaps are not bridged unless asked ...
DEFAULT_BRIDGE_KM = 0.0
#: ... except to find a path where there is none: Natural Earth's lines break by a few
#: hundred metres here and there (the Vietnamese main line twice, by 520 m and 805 m), so a
#: leg with no connection is routed again with line ends this close joined, and each
#: bridge the path uses is reported.
FALLBACK_BRIDGE_KM = 1.0
#: OpenStreetMap ``railway=*`` values read as lines.
OSM_RAILWAY_KINDS = ("rail", "narrow_gauge")
#: Natural Earth 10m is generalised for 1:10M maps. Against 17 official line
#: lengths (bench/bench_rail.py) its rail km err by -0.8 % (median), 2.7 % median
#: absolute, from -9 % on winding lines to +4 % where the path leaves the line.
NATURAL_EARTH_UNCERTAINTY = (
    "Natural Earth 10m, checked against 17 official line lengths: typically within ±3 %, "
    "up to 9 % short on winding mountain lines"
)
#: Bump when the cached graph's layout or build rules change.
GRAPH_FORMAT = 1
#: File names looked for in the user data directory, in this order.
DATA_DIR_NAMES = (
    "ne_10m_railroads.geojson.gz",
    "ne_10m_railroads.zip",
    "ne_10m_railroads.gpkg",
    "ne_10m_railroads.shp",
)
#: The world network shipped in the package (``route/data``): Natural Earth 10m
#: railroads (public domain), prebuilt by :func:`pack_network` into a compact graph
#: that loads with no build (bench/bench_default_network.py).
PACKAGED_NETWORK = "ne_10m_railroads.graph.npz"
#: How the name of a graph file written by :func:`pack_network` ends.
PACKED_SUFFIX = ".graph.npz"
#: Bump when the packed file's layout changes.
PACKED_FORMAT = 1

_EARTH_KM = 6371.0088
_OSM_SUFFIXES = (".osm", ".osm.pbf", ".pbf", ".osm.bz2", ".osm.gz", ".o5m")


def data_dir() -> Path:
    """Where a downloaded or copied network lives: ``$ROUTE_DATA_DIR`` or the user data dir."""
    env = os.environ.get("ROUTE_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("route", appauthor=False))


def packaged_network_path() -> Path:
    """The world network shipped in the package (it may be missing from a broken install)."""
    from .gazetteer import package_data_dir

    return package_data_dir() / PACKAGED_NETWORK


def resolve_network_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Find the network file.

    In this order: ``path``, ``$ROUTE_RAIL_NETWORK``, a ``ne_10m_railroads`` file in
    the user data dir (:data:`DATA_DIR_NAMES`), the world network shipped in the
    package (:func:`packaged_network_path`).

    Raises
    ------
    RailNetworkNotFoundError
        When none is found (the message lists the ways to supply one), or when
        the configured file does not exist.
    """
    if path is not None and str(path) != "":
        chosen, origin = Path(path), "--rail-network"
    elif os.environ.get(NETWORK_ENV):
        chosen, origin = Path(os.environ[NETWORK_ENV]), NETWORK_ENV
    else:
        for name in DATA_DIR_NAMES:
            candidate = data_dir() / name
            if candidate.is_file():
                return candidate
        packaged = packaged_network_path()
        if packaged.is_file():
            return packaged
        raise RailNetworkNotFoundError(
            f"no rail network configured and the one shipped with route ({packaged}) is "
            f"missing; reinstall route, pass --rail-network FILE, set {NETWORK_ENV}=FILE, "
            f"copy ne_10m_railroads.geojson.gz into {data_dir()}, or run "
            "'route rail download' once online"
        )
    if not chosen.exists():
        raise RailNetworkNotFoundError(f"rail network {chosen} (from {origin}) does not exist")
    if chosen.is_dir():
        raise RailNetworkError(f"rail network {chosen} (from {origin}) is a directory, not a file")
    return chosen


# -- reading -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NetworkLines:
    """Lines read from a network file: vertex coordinates ``(lon, lat)`` and line ids."""

    coords: NDArray[np.float64]
    line_index: NDArray[np.int64]
    n_lines: int
    skipped: int
    crs: str


def _is_osm(path: Path) -> bool:
    name = path.name.lower()
    return any(name.endswith(suffix) for suffix in _OSM_SUFFIXES)


def _gdal_path(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".zip"):
        import zipfile

        root = f"/vsizip/{path.resolve()}"
        try:
            with zipfile.ZipFile(path) as archive:
                members = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return root  # let the reader report it
        for suffix in (".shp", ".gpkg", ".geojson", ".json"):
            found = [m for m in members if m.lower().endswith(suffix)]
            if found:
                return f"{root}/{sorted(found)[0]}"
        return root
    if name.endswith(".gz"):
        return f"/vsigzip/{path.resolve()}"
    return str(path)


def read_network_lines(
    path: str | os.PathLike[str], *, osm_kinds: Sequence[str] = OSM_RAILWAY_KINDS
) -> NetworkLines:
    """Read the line geometries of a network file, in WGS84 lon/lat.

    Non-line features are skipped and counted. Any CRS is reprojected to
    WGS84 with pyproj. A graph file written by :func:`pack_network` gives back
    the lines it was built from.

    Raises
    ------
    RailNetworkError
        Not a GIS file, no line geometries, an empty collection, or projected
        coordinates without CRS metadata.
    """
    path = Path(path)
    if not path.exists():
        raise RailNetworkNotFoundError(f"rail network {path} does not exist")
    if _is_packed(path):
        return _read_packed(path).lines()
    if _is_osm(path):
        return _read_osm(path, osm_kinds)
    return _read_gdal(path)


def _read_gdal(path: Path) -> NetworkLines:
    import pyogrio.raw
    import shapely
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        meta, _, wkb, _ = pyogrio.raw.read(_gdal_path(path), read_geometry=True, columns=[])
    except (DataSourceError, DataLayerError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise RailNetworkError(
            f"{path} is not a GIS file route can read ({reason}); use GeoJSON, GeoPackage, "
            "Shapefile or an OpenStreetMap .osm.pbf"
        ) from exc
    except Exception as exc:  # GDAL surfaces malformed content in many ways
        raise RailNetworkError(f"cannot read {path}: {str(exc).splitlines()[0]}") from exc
    if wkb is None or len(wkb) == 0:
        raise RailNetworkError(f"{path} has no features; it needs railway lines")
    geoms = shapely.from_wkb(wkb)
    kinds = shapely.get_type_id(geoms)
    is_line = np.isin(kinds, (1, 2, 5))  # LineString, LinearRing, MultiLineString
    lines = shapely.get_parts(geoms[is_line])
    lines = lines[~shapely.is_empty(lines)]
    skipped = int((~is_line).sum())
    if len(lines) == 0:
        raise RailNetworkError(
            f"{path} has no line geometries ({skipped} other features); it needs railway lines"
        )
    coords, line_index = shapely.get_coordinates(lines, return_index=True)
    crs = meta.get("crs") or ""
    coords = _to_wgs84(coords, crs, path)
    return NetworkLines(coords, line_index.astype(np.int64), len(lines), skipped, crs)


def _to_wgs84(coords: NDArray[np.float64], crs: str, path: Path) -> NDArray[np.float64]:
    if crs:
        from pyproj import CRS, Transformer

        source = CRS.from_user_input(crs)
        if not source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
            transformer = Transformer.from_crs(source, "EPSG:4326", always_xy=True)
            lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
            coords = np.column_stack([lon, lat])
    finite = np.isfinite(coords).all(axis=1)
    if not finite.all():
        raise RailNetworkError(f"{path}: {int((~finite).sum())} coordinates could not be converted")
    lon_max = float(np.abs(coords[:, 0]).max())
    lat_max = float(np.abs(coords[:, 1]).max())
    if 180.0 < lon_max <= 540.0 and lat_max <= 90.0:
        # lon/lat written on past the antimeridian (187° for -173°), as lines that cross
        # the Pacific often are: wrap them; the graph measures steps geodesically
        coords = coords.copy()
        coords[:, 0] = (coords[:, 0] + 180.0) % 360.0 - 180.0
        lon_max = float(np.abs(coords[:, 0]).max())
    if lon_max > 180.0 or lat_max > 90.0:
        what = "has no CRS" if not crs else f"declares {crs}"
        raise RailNetworkError(
            f"{path} {what} but its coordinates reach x={lon_max:,.0f}, y={lat_max:,.0f}, outside "
            "lon/lat range: they look projected; give the file its CRS (e.g. "
            "ogr2ogr -a_srs EPSG:3857) or convert it to WGS84"
        )
    return coords


def _read_osm(path: Path, kinds: Sequence[str]) -> NetworkLines:
    import osmium

    wanted = set(kinds)
    lines: list[list[tuple[float, float]]] = []
    skipped = 0

    class _Rails(osmium.SimpleHandler):
        def way(self, way: Any) -> None:
            nonlocal skipped
            if way.tags.get("railway") not in wanted:
                return
            points = [(n.lon, n.lat) for n in way.nodes if n.location.valid()]
            if len(points) >= 2:
                lines.append(points)
            else:
                skipped += 1

    try:
        _Rails().apply_file(str(path), locations=True)
    except RuntimeError as exc:
        raise RailNetworkError(f"{path} is not a readable OpenStreetMap file ({exc})") from exc
    if not lines:
        raise RailNetworkError(
            f"{path} has no ways tagged railway={'/'.join(kinds)}; it needs railway lines"
        )
    coords = np.array([p for line in lines for p in line], dtype=np.float64)
    line_index = np.repeat(np.arange(len(lines)), [len(line) for line in lines])
    return NetworkLines(coords, line_index, len(lines), skipped, "EPSG:4326")


# -- graph building ------------------------------------------------------------------


def _xyz(lonlat: NDArray[np.float64]) -> NDArray[np.float64]:
    """Points on a sphere of the Earth's mean radius (km), for nearest-neighbour search."""
    lon = np.radians(lonlat[:, 0])
    lat = np.radians(lonlat[:, 1])
    cos_lat = np.cos(lat)
    return np.column_stack([cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)]) * _EARTH_KM


def _geodesic_m(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    from .distance import _geod

    if len(a) == 0:
        return np.zeros(0)
    _, _, metres = _geod().inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    return np.asarray(metres, dtype=np.float64)


def _components(n: int, u: NDArray[np.int64], v: NDArray[np.int64]) -> NDArray[np.int32]:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    adjacency = coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n))
    _, labels = connected_components(adjacency, directed=False)
    result: NDArray[np.int32] = labels.astype(np.int32)
    return result


def _nearest_other_component(
    xyz: NDArray[np.float64],
    labels: NDArray[np.int32],
    sources: NDArray[np.int64],
    within_km: float,
    k: int = 32,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """For each source node, the nearest node of another component within ``within_km``."""
    from scipy.spatial import cKDTree

    if len(sources) == 0 or within_km <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    tree = cKDTree(xyz)
    k = min(k, len(xyz))
    dist, idx = tree.query(xyz[sources], k=k, distance_upper_bound=within_km)
    dist = dist.reshape(len(sources), k)
    idx = idx.reshape(len(sources), k)
    valid = np.isfinite(dist)
    safe = np.where(valid, idx, 0)
    other = valid & (labels[safe] != labels[sources][:, None])
    has = other.any(axis=1)
    first = other.argmax(axis=1)
    targets = safe[np.arange(len(sources)), first]
    return sources[has], targets[has]


@dataclass(frozen=True, slots=True)
class _Graph:
    """The cached network: nodes, chains between junctions, and the junction graph.

    Nodes of degree 2 are folded into *chains* that run from one junction (or
    line end) to the next; Dijkstra runs on the much smaller junction graph
    and paths are expanded back through the chains.
    """

    lonlat: NDArray[np.float64]  # (n, 2) node coordinates
    labels: NDArray[np.int32]  # (n,) connected component of each node
    line_nodes: NDArray[np.int32]  # node of each input vertex (for the snapping index)
    line_index: NDArray[np.int32]  # input line of each input vertex
    bridges: NDArray[np.int32]  # (k, 2) node pairs joined across gaps
    key_nodes: NDArray[np.int32]  # node id of each junction-graph vertex
    k_indptr: NDArray[np.int32]  # junction graph, CSR
    k_indices: NDArray[np.int32]
    k_weights: NDArray[np.float64]  # metres
    k_chain: NDArray[np.int32]  # chain behind each CSR entry
    chain_offsets: NDArray[np.int64]  # chain c is chain_nodes[offsets[c]:offsets[c + 1]]
    chain_nodes: NDArray[np.int32]
    chain_cum: NDArray[np.float64]  # metres from the chain's first node
    node_chain: NDArray[np.int32]  # chain of each interior node, -1 for junctions
    node_pos: NDArray[np.int64]  # index of each interior node in chain_nodes
    stats: NDArray[np.float64]


_STAT_KEYS = ("lines", "skipped", "edges", "total_km", "snapped_ends", "format")


def _contract(
    n: int, a: NDArray[np.int64], b: NDArray[np.int64], w: NDArray[np.float64]
) -> dict[str, NDArray[Any]]:
    """Fold degree-2 nodes of a symmetric edge list (sorted by ``a``) into chains."""
    from scipy.sparse import csr_matrix

    indptr = np.searchsorted(a, np.arange(n + 1)).astype(np.int64)
    degree = np.diff(indptr)
    is_key = degree != 2
    visited = bytearray(len(a))
    # The edge list is symmetric: sorted by (b, a), the k-th entry is the reverse
    # of the k-th entry sorted by (a, b).
    rev = np.lexsort((a, b)).tolist()
    key = is_key.tolist()
    nbr = b.tolist()
    weight = w.tolist()
    ptr = indptr.tolist()
    chain_nodes: list[int] = []
    chain_cum: list[float] = []
    offsets = [0]
    ends: list[tuple[int, int, float]] = []

    def walk(start: int, entry: int) -> None:
        nodes = [start]
        cum = [0.0]
        prev, e = start, entry
        while True:
            visited[e] = 1
            visited[rev[e]] = 1
            cur = nbr[e]
            nodes.append(cur)
            cum.append(cum[-1] + weight[e])
            if key[cur]:
                break
            lo = ptr[cur]  # cur has exactly two neighbours: go on to the other one
            e = lo if nbr[lo] != prev else lo + 1
            prev = cur
        chain_nodes.extend(nodes)
        chain_cum.extend(cum)
        offsets.append(len(chain_nodes))
        ends.append((nodes[0], nodes[-1], cum[-1]))

    for start in np.flatnonzero(is_key).tolist():
        for e in range(ptr[start], ptr[start + 1]):
            if not visited[e]:
                walk(start, e)
    # Rings with no junction at all: one of their nodes becomes a junction.
    for start in np.flatnonzero(~is_key).tolist():
        if not visited[ptr[start]]:
            is_key[start] = True
            key[start] = True
            walk(start, ptr[start])

    chain_arr = np.asarray(chain_nodes, dtype=np.int32)
    offsets_arr = np.asarray(offsets, dtype=np.int64)
    key_nodes = np.flatnonzero(is_key).astype(np.int32)
    key_of = np.full(n, -1, dtype=np.int64)
    key_of[key_nodes] = np.arange(len(key_nodes))
    node_chain = np.full(n, -1, dtype=np.int32)
    node_pos = np.full(n, -1, dtype=np.int64)
    if len(ends):
        lengths = np.diff(offsets_arr)
        chain_of_entry = np.repeat(np.arange(len(ends)), lengths)
        interior = ~is_key[chain_arr]
        node_chain[chain_arr[interior]] = chain_of_entry[interior]
        node_pos[chain_arr[interior]] = np.flatnonzero(interior)
        start_key = key_of[[s for s, _, _ in ends]]
        end_key = key_of[[t for _, t, _ in ends]]
        length = np.array([m for _, _, m in ends])
        ids = np.arange(len(ends))
        rows = np.concatenate([start_key, end_key])
        cols = np.concatenate([end_key, start_key])
        kw = np.concatenate([length, length])
        kc = np.concatenate([ids, ids])
        keep = rows != cols
        rows, cols, kw, kc = rows[keep], cols[keep], kw[keep], kc[keep]
        order = np.lexsort((kw, cols, rows))
        rows, cols, kw, kc = rows[order], cols[order], kw[order], kc[order]
        first = np.r_[True, (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])]
        rows, cols, kw, kc = rows[first], cols[first], kw[first], kc[first]
    else:
        rows = cols = kc = np.zeros(0, dtype=np.int64)
        kw = np.zeros(0)
    nk = len(key_nodes)
    k_indptr = np.searchsorted(rows, np.arange(nk + 1))
    matrix = csr_matrix((kw, cols, k_indptr), shape=(nk, nk))
    return {
        "key_nodes": key_nodes,
        "k_indptr": matrix.indptr.astype(np.int32),
        "k_indices": matrix.indices.astype(np.int32),
        "k_weights": matrix.data.astype(np.float64),
        "k_chain": kc.astype(np.int32),
        "chain_offsets": offsets_arr,
        "chain_nodes": chain_arr,
        "chain_cum": np.asarray(chain_cum, dtype=np.float64),
        "node_chain": node_chain,
        "node_pos": node_pos,
    }


def _build_graph(lines: NetworkLines, snap_m: float, bridge_km: float) -> _Graph:
    coords, line_index = lines.coords, lines.line_index
    # 1. Node at identical vertices (to ~1 cm).
    q = np.round(coords * 1e7).astype(np.int64)
    _, first, node = np.unique(q, axis=0, return_index=True, return_inverse=True)
    node = node.reshape(-1).astype(np.int64)
    lonlat = coords[first]
    n = len(lonlat)
    same_line = line_index[1:] == line_index[:-1]
    u, v = node[:-1][same_line], node[1:][same_line]

    # 2. Join line ends that stop just short of (or just past) another line's vertex.
    starts = np.r_[True, ~same_line]
    ends = np.r_[~same_line, True]
    end_nodes = np.unique(node[starts | ends])
    degree = np.bincount(np.concatenate([u, v]), minlength=n)
    labels = _components(n, u, v)
    dangling = end_nodes[degree[end_nodes] == 1]
    src, dst = _nearest_other_component(_xyz(lonlat), labels, dangling, snap_m / 1000.0)
    merge = np.arange(n)
    if len(src):
        groups = _components(n, src, dst)
        by_degree = np.argsort(-degree, kind="stable")  # a junction represents its group
        _, first_in_group = np.unique(groups[by_degree], return_index=True)
        rep = np.empty(int(groups.max()) + 1, dtype=np.int64)
        rep[groups[by_degree][first_in_group]] = by_degree[first_in_group]
        merge = rep[groups]
    u, v = merge[u], merge[v]

    # 3. Compact the node ids and drop self-loops.
    used, inverse = np.unique(np.concatenate([u, v]), return_inverse=True)
    lonlat = lonlat[used]
    u, v = inverse[: len(u)], inverse[len(u) :]
    line_nodes = np.minimum(np.searchsorted(used, merge[node]), len(used) - 1)
    keep = u != v
    u, v = u[keep], v[keep]
    w = _geodesic_m(lonlat[u], lonlat[v])
    n = len(lonlat)
    labels = _components(n, u, v)

    # 4. Optional bridges across small gaps between components.
    bridges = np.zeros((0, 2), dtype=np.int32)
    if bridge_km > 0:
        degree = np.bincount(np.concatenate([u, v]), minlength=n)
        line_ends = np.unique(line_nodes[starts | ends])
        loose = line_ends[degree[line_ends] == 1]
        bsrc, bdst = _nearest_other_component(_xyz(lonlat), labels, loose, bridge_km)
        if len(bsrc):
            bridges = np.column_stack([bsrc, bdst]).astype(np.int32)
            u = np.concatenate([u, bsrc])
            v = np.concatenate([v, bdst])
            w = np.concatenate([w, _geodesic_m(lonlat[bsrc], lonlat[bdst])])
            labels = _components(n, u, v)

    # 5. Symmetric edge list sorted by (a, b); parallel edges keep the shortest.
    a = np.concatenate([u, v])
    b = np.concatenate([v, u])
    ww = np.concatenate([w, w])
    order = np.lexsort((ww, b, a))
    a, b, ww = a[order], b[order], ww[order]
    first_of_pair = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])]
    a, b, ww = a[first_of_pair], b[first_of_pair], ww[first_of_pair]
    stats = np.array(
        [
            lines.n_lines,
            lines.skipped,
            len(a) // 2,
            float(ww.sum()) / 2000.0,
            len(src),
            GRAPH_FORMAT,
        ],
        dtype=np.float64,
    )
    return _Graph(
        lonlat=lonlat,
        labels=labels,
        line_nodes=line_nodes.astype(np.int32),
        line_index=line_index.astype(np.int32),
        bridges=bridges,
        stats=stats,
        **_contract(n, a, b, ww),
    )


# -- packed graphs: the network shipped in the package ---------------------------------

#: Arrays of a packed graph file (see :func:`pack_network`).
_PACKED_ARRAYS = (
    "meta",  # PACKED_FORMAT, GRAPH_FORMAT, coordinate scale, snap_m
    "lonlat_delta",  # (n, 2) node coordinates × scale, as differences
    "line_nodes_delta",  # node of each input vertex, as differences
    "line_counts",  # vertices per input line
    "chain_nodes_delta",  # chain members, as differences
    "chain_offsets",
    "step_residual_cm",  # chain step lengths minus _approx_steps_m, in cm
    "labels_delta",  # connected component of each node, as differences
    "key_nodes",
    "k_indptr",
    "k_indices",
    "k_chain",
    "stats",
    "moved_index",  # input vertices that noding moved onto another line's node
    "moved_lonlat",  # their own coordinates × scale
)


def _is_packed(path: Path) -> bool:
    return path.name.lower().endswith(PACKED_SUFFIX)


def _approx_steps_m(lonlat: NDArray[np.float64]) -> NDArray[np.float64]:
    """Lengths (m) of the steps between consecutive points, close to the geodesic ones.

    Planar on the WGS84 ellipsoid's meridional and prime-vertical radii at each
    step's mid-latitude: within centimetres of the geodesic for the short steps of
    a railway line. A packed file stores the geodesic steps as small residuals
    from it, which compress to almost nothing.
    """
    if len(lonlat) < 2:
        return np.zeros(0)
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    lon, lat = lonlat[:, 0], lonlat[:, 1]
    sin2 = np.sin((lat[1:] + lat[:-1]) * (np.pi / 360)) ** 2  # of the mid-latitude
    w2 = 1 - e2 * sin2
    w = np.sqrt(w2)
    dlon = np.diff(lon)
    far = np.abs(dlon) > 180  # across the antimeridian
    if far.any():
        dlon[far] -= np.copysign(360.0, dlon[far])
    east = dlon * np.sqrt(1 - sin2) / w  # × a: prime-vertical radius × cos(latitude)
    north = np.diff(lat) * ((1 - e2) / (w2 * w))  # × a: meridional radius
    steps: NDArray[np.float64] = np.hypot(east, north) * (a * np.pi / 180)
    return steps


def _chain_steps_cm(
    lonlat: NDArray[np.float64], chain_nodes: NDArray[np.int64], offsets: NDArray[np.int64]
) -> NDArray[np.int64]:
    """:func:`_approx_steps_m` along the chains in whole cm, 0 at each chain's start."""
    steps = np.concatenate([np.zeros(1), _approx_steps_m(lonlat[chain_nodes])])
    steps[offsets[:-1]] = 0.0
    return np.round(steps * 100).astype(np.int64)


def _narrow(values: NDArray[Any]) -> NDArray[Any]:
    """Integers as int32 when they fit (smaller files), else int64."""
    info = np.iinfo(np.int32)
    if len(values) == 0 or (values.min() >= info.min and values.max() <= info.max):
        return values.astype(np.int32)
    return values.astype(np.int64)


def _pack(graph: _Graph, lines: NetworkLines, snap_m: float) -> dict[str, NDArray[Any]]:
    n = len(graph.lonlat)
    scaled = lines.coords * 1e5
    scale = 1e5 if float(np.abs(scaled - np.round(scaled)).max(initial=0.0)) < 1e-6 else 1e7
    # Node ids in the order the chains first reach them: consecutive entries of every
    # array then differ little, and their differences compress well.
    seen, first = np.unique(graph.chain_nodes, return_index=True)
    order = np.concatenate(
        [seen[np.argsort(first, kind="stable")], np.setdiff1d(np.arange(n), seen)]
    )
    new_id = np.empty(n, dtype=np.int64)
    new_id[order] = np.arange(n)
    ints = np.round(graph.lonlat[order] * scale).astype(np.int64)
    chain_nodes = new_id[graph.chain_nodes]
    line_nodes = new_id[graph.line_nodes]
    offsets = graph.chain_offsets.astype(np.int64)
    steps = np.diff(graph.chain_cum, prepend=0.0)
    steps[offsets[:-1]] = 0.0
    residual = np.round(steps * 100).astype(np.int64) - _chain_steps_cm(
        ints / scale, chain_nodes, offsets
    )
    source = np.round(lines.coords * scale).astype(np.int64)
    moved = np.flatnonzero((source != ints[line_nodes]).any(axis=1))
    return {
        "meta": np.array([PACKED_FORMAT, GRAPH_FORMAT, scale, snap_m], dtype=np.float64),
        "lonlat_delta": _narrow(np.diff(ints, axis=0, prepend=np.zeros((1, 2), np.int64))),
        "line_nodes_delta": _narrow(np.diff(line_nodes, prepend=0)),
        "line_counts": _narrow(np.bincount(lines.line_index, minlength=lines.n_lines)),
        "chain_nodes_delta": _narrow(np.diff(chain_nodes, prepend=0)),
        "chain_offsets": _narrow(offsets),
        "step_residual_cm": _narrow(residual),
        "labels_delta": _narrow(np.diff(graph.labels[order].astype(np.int64), prepend=0)),
        "key_nodes": _narrow(new_id[graph.key_nodes]),
        "k_indptr": graph.k_indptr,
        "k_indices": graph.k_indices,
        "k_chain": graph.k_chain,
        "stats": graph.stats,
        "moved_index": _narrow(moved),
        "moved_lonlat": _narrow(source[moved]).reshape(-1, 2),
    }


def pack_network(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    snap_m: float = DEFAULT_SNAP_M,
) -> Path:
    """Build the graph of a network file and write it as a compact graph file.

    The file (``*.graph.npz``, zip-compressed numpy arrays) holds the noded and
    contracted graph: node coordinates as integers (1e-5° when the source is
    rounded so, as Natural Earth is; else 1e-7°), node ids renumbered along the
    chains and stored as differences, and the chains' geodesic step lengths as
    centimetre residuals from :func:`_approx_steps_m`. :meth:`RailNetwork.load`
    reads it with no build (and keeps it decoded in the cache);
    :func:`read_network_lines` gives back the source lines exactly, for builds with
    other parameters (``bridge_km``). The
    world network shipped in the package is made by it
    (``python bench/bench_default_network.py make``).

    Parameters
    ----------
    source
        A network file :func:`read_network_lines` reads.
    target
        Where to write; the name must end with ``.graph.npz``.
    snap_m
        Line ends this close to another line's vertex are joined to it.

    Returns
    -------
    Path
        ``target``.
    """
    target = Path(target)
    if not _is_packed(target):
        raise RailNetworkError(f"a packed graph file's name ends with {PACKED_SUFFIX}: {target}")
    lines = read_network_lines(source)
    arrays: dict[str, Any] = _pack(_build_graph(lines, snap_m, 0.0), lines, snap_m)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            np.savez_compressed(fh, **arrays)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return target


@dataclass(frozen=True, slots=True)
class _Packed:
    """A packed graph file, decoded: the graph and what gives back its source lines."""

    graph: _Graph
    graph_format: int
    snap_m: float
    moved_index: NDArray[np.int64]
    moved_lonlat: NDArray[np.float64]

    def lines(self) -> NetworkLines:
        """The lines the graph was built from, exactly."""
        g = self.graph
        coords = g.lonlat[g.line_nodes]
        coords[self.moved_index] = self.moved_lonlat
        stats = dict(zip(_STAT_KEYS, g.stats.tolist(), strict=True))
        return NetworkLines(
            coords,
            g.line_index.astype(np.int64),
            int(stats["lines"]),
            int(stats["skipped"]),
            "EPSG:4326",
        )


def _read_packed(path: Path) -> _Packed:
    """Decode a file written by :func:`pack_network`.

    Raises
    ------
    RailNetworkError
        When the file is not one, is damaged, or has another layout version.
    """
    try:
        with path.open("rb") as fh, np.load(fh, allow_pickle=False) as data:
            arrays = {name: data[name] for name in _PACKED_ARRAYS}
        return _unpack(arrays)
    except Exception as exc:  # not a zip, missing or malformed arrays: one message
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        remedy = (
            "reinstall route"
            if path == packaged_network_path()
            else "write it again with route.rail.pack_network"
        )
        raise RailNetworkError(
            f"{path} is not a readable route graph file ({reason}); {remedy}"
        ) from exc


def _unpack(arrays: dict[str, NDArray[Any]]) -> _Packed:
    meta = arrays["meta"].tolist()
    if len(meta) != 4 or int(meta[0]) != PACKED_FORMAT:
        raise ValueError(f"layout version {meta[0] if meta else '?'}, expected {PACKED_FORMAT}")
    scale = float(meta[2])
    ints = np.cumsum(arrays["lonlat_delta"], axis=0, dtype=np.int64)
    lonlat = ints / scale
    n = len(lonlat)
    line_nodes = np.cumsum(arrays["line_nodes_delta"], dtype=np.int64)
    counts = arrays["line_counts"].astype(np.int64)
    chain_nodes = np.cumsum(arrays["chain_nodes_delta"], dtype=np.int64)
    offsets = arrays["chain_offsets"].astype(np.int64)
    key_nodes = arrays["key_nodes"].astype(np.int64)
    k_indptr, k_indices, k_chain = arrays["k_indptr"], arrays["k_indices"], arrays["k_chain"]
    moved_index = arrays["moved_index"].astype(np.int64)
    residual = arrays["step_residual_cm"].astype(np.int64)
    labels = np.cumsum(arrays["labels_delta"], dtype=np.int64)
    nk, n_chains = len(key_nodes), len(offsets) - 1
    checks = {
        "coordinates": lonlat.ndim == 2
        and lonlat.shape[1] == 2
        and bool(np.all(np.abs(lonlat) <= (180.0, 90.0))),
        "lines": int(counts.sum()) == len(line_nodes)
        and bool(np.all((line_nodes >= 0) & (line_nodes < n))),
        "chains": n_chains >= 0
        and int(offsets[0]) == 0
        and bool(np.all(np.diff(offsets) >= 2))
        and int(offsets[-1]) == len(chain_nodes) == len(residual)
        and bool(np.all((chain_nodes >= 0) & (chain_nodes < n))),
        "junctions": bool(np.all((key_nodes >= 0) & (key_nodes < n)))
        and k_indptr.shape == (nk + 1,)
        and int(k_indptr[0]) == 0
        and int(k_indptr[-1]) == len(k_indices) == len(k_chain)
        and bool(np.all((k_indices >= 0) & (k_indices < nk)))
        and bool(np.all((k_chain >= 0) & (k_chain < n_chains))),
        "components": labels.shape == (n,) and (n == 0 or int(labels.min()) >= 0),
        "stats": arrays["stats"].shape == (len(_STAT_KEYS),),
        "moved vertices": arrays["moved_lonlat"].shape == (len(moved_index), 2)
        and bool(np.all((moved_index >= 0) & (moved_index < len(line_nodes)))),
    }
    bad = [name for name, ok in checks.items() if not ok]
    if bad:
        raise ValueError("inconsistent " + ", ".join(bad))
    starts, lengths = offsets[:-1], np.diff(offsets)
    cum = np.cumsum((_chain_steps_cm(lonlat, chain_nodes, offsets) + residual) / 100.0)
    cum -= np.repeat(cum[starts], lengths)
    is_key = np.zeros(n, dtype=bool)
    is_key[key_nodes] = True
    chain_of = np.repeat(np.arange(n_chains), lengths)
    interior = ~is_key[chain_nodes]
    node_chain = np.full(n, -1, dtype=np.int32)
    node_chain[chain_nodes[interior]] = chain_of[interior]
    node_pos = np.full(n, -1, dtype=np.int64)
    node_pos[chain_nodes[interior]] = np.flatnonzero(interior)
    k_weights = cum[offsets[1:][k_chain] - 1]
    graph = _Graph(
        lonlat=lonlat,
        labels=labels.astype(np.int32),
        line_nodes=line_nodes.astype(np.int32),
        line_index=np.repeat(np.arange(len(counts)), counts).astype(np.int32),
        bridges=np.zeros((0, 2), dtype=np.int32),
        key_nodes=key_nodes.astype(np.int32),
        k_indptr=k_indptr.astype(np.int32),
        k_indices=k_indices.astype(np.int32),
        k_weights=k_weights,
        k_chain=k_chain.astype(np.int32),
        chain_offsets=offsets,
        chain_nodes=chain_nodes.astype(np.int32),
        chain_cum=cum,
        node_chain=node_chain,
        node_pos=node_pos,
        stats=arrays["stats"].astype(np.float64),
    )
    return _Packed(
        graph=graph,
        graph_format=int(meta[1]),
        snap_m=float(meta[3]),
        moved_index=moved_index,
        moved_lonlat=arrays["moved_lonlat"].astype(np.int64) / scale,
    )


# -- the network ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NetworkInfo:
    """What ``route rail info`` reports."""

    path: str
    lines: int
    skipped: int
    nodes: int
    edges: int
    components: int
    total_km: float
    largest_component_km: float
    snapped_ends: int
    bridges: int
    bridge_km: float
    cache: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class NoRailRoute:
    """Why a leg has no rail figure (a sentence for the user)."""

    reason: str


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cache_path(path: Path, snap_m: float, bridge_km: float, osm_kinds: Sequence[str]) -> Path:
    from .gazetteer import cache_dir

    params = f"f{GRAPH_FORMAT}-s{snap_m:g}-b{bridge_km:g}-k{'+'.join(sorted(osm_kinds))}"
    key = hashlib.sha256(f"{_file_hash(path)}|{params}".encode()).hexdigest()[:20]
    return cache_dir() / "rail" / f"graph-{key}.npz"


#: How the zip comment of a graph cache file written by :func:`_save_graph` begins; the
#: rest is :func:`_seal` of its members.
_SEAL_PREFIX = b"route graph checked "


def _seal(crcs: Mapping[str, int]) -> bytes:
    """What a graph cache file's zip comment says when its arrays passed every check.

    A digest of the format and of each member's name and CRC-32. Reading a member
    (``np.load``) checks its bytes against that CRC, so arrays that read back and
    match the seal are the ones :func:`_graph_problem` passed when the file was
    written: a file cut short, corrupted, or written by anything else does not match.
    This guards against accidents, not against someone who can write the cache.
    """
    members = "|".join(f"{name}:{crc:08x}" for name, crc in sorted(crcs.items()))
    digest = hashlib.sha256(f"{GRAPH_FORMAT}|{members}".encode()).hexdigest()
    return _SEAL_PREFIX + digest.encode()


def _save_graph(graph: _Graph, target: Path) -> None:
    """Write ``graph`` (already checked) to ``target`` atomically, with its seal."""
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez(buffer, **{name: getattr(graph, name) for name in _Graph.__slots__})
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.comment = _seal({info.filename: info.CRC for info in archive.infolist()})
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(buffer.getbuffer())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _saved(graph: _Graph, cache: Path | None) -> Path | None:
    """Write the graph to its cache file, once it has passed every check
    (:func:`_graph_problem`, once here rather than on every load); the file, or None
    when it cannot be written (a read-only cache only costs speed)."""
    if cache is None or _graph_problem(graph) is not None:
        return None
    try:
        _save_graph(graph, cache)
    except OSError:
        return None
    return cache


def _load_graph(target: Path) -> _Graph | None:
    """The graph in a cache file, or None when the file is damaged (then it is rebuilt).

    Every load checks the arrays' types, shapes and index ranges (cheap; they keep the
    routing code inside its arrays). The deeper checks of :func:`_graph_problem` ran
    when the file was written; its seal (:func:`_seal`) shows the arrays are those. A
    file without a seal (written before seals) is checked in full and, if sound,
    written again with one.
    """
    try:
        with target.open("rb") as fh:
            data = np.load(fh, allow_pickle=False)
            if not isinstance(data, np.lib.npyio.NpzFile):
                return None
            with data:
                arrays = {name: data[name] for name in _Graph.__slots__}
                archive = data.zip
                if archive is None:
                    return None
                crcs = {info.filename: info.CRC for info in archive.infolist()}
                comment = archive.comment
    except Exception:  # missing, truncated, corrupted, not a zip, wrong arrays: "rebuild"
        return None
    graph = _Graph(**arrays)
    sealed = comment.startswith(_SEAL_PREFIX)
    try:
        problem = _layout_problem(graph)
        if problem is None and sealed:
            problem = None if comment == _seal(crcs) else "does not match its seal"
        elif problem is None:
            problem = _graph_problem(graph)
    except Exception as exc:  # arrays odd enough to upset numpy: as damaged
        problem = str(exc)
    if problem is not None:
        return None
    if not sealed:
        with contextlib.suppress(OSError):
            _save_graph(graph, target)
    return graph


#: Arrays of node, chain, line and CSR indices, and of floats.
_INDEX_ARRAYS = (
    "labels", "line_nodes", "line_index", "bridges", "key_nodes", "k_indptr", "k_indices",
    "k_chain", "chain_offsets", "chain_nodes", "node_chain", "node_pos",
)  # fmt: skip
_FLOAT_ARRAYS = ("lonlat", "k_weights", "chain_cum", "stats")


def _within(values: NDArray[Any], low: int, high: int) -> bool:
    """Every value in ``[low, high)`` (true for no values)."""
    return values.size == 0 or (int(values.min()) >= low and int(values.max()) < high)


def _layout_problem(g: _Graph) -> str | None:
    """Why a loaded graph's arrays cannot be indexed safely, or ``None``.

    Checked on every load (a few milliseconds): dtypes, shapes, finite floats, the
    format, and that every index is in range of the array it points into, so that
    routing and snapping never read outside an array.
    """
    two_d = ("lonlat", "bridges")
    for name in _INDEX_ARRAYS + _FLOAT_ARRAYS:
        array = getattr(g, name)
        if not isinstance(array, np.ndarray) or array.ndim != (2 if name in two_d else 1):
            return f"{name} has the wrong shape"
        if array.dtype.kind != ("i" if name in _INDEX_ARRAYS else "f"):
            return f"{name} has the wrong type"
        if name in _FLOAT_ARRAYS and not np.isfinite(array).all():
            return f"{name} is not finite"
    n, nk = len(g.lonlat), len(g.key_nodes)
    n_chains, n_members, n_edges = len(g.chain_offsets) - 1, len(g.chain_nodes), len(g.k_indices)
    shapes = {
        "stats": (len(_STAT_KEYS),), "lonlat": (n, 2), "labels": (n,), "node_chain": (n,),
        "node_pos": (n,), "line_index": g.line_nodes.shape, "bridges": (len(g.bridges), 2),
        "k_indptr": (nk + 1,), "k_weights": (n_edges,), "k_chain": (n_edges,),
        "chain_cum": (n_members,),
    }  # fmt: skip
    for name, shape in shapes.items():
        if getattr(g, name).shape != shape:
            return f"{name} has the wrong shape"
    if int(g.stats[5]) != GRAPH_FORMAT or n_chains < 0:
        return "another format"
    ranges: dict[str, tuple[NDArray[Any], int, int]] = {
        "labels": (g.labels, 0, n), "line_nodes": (g.line_nodes, 0, n),
        "bridges": (g.bridges, 0, n), "key_nodes": (g.key_nodes, 0, n),
        "k_indices": (g.k_indices, 0, nk), "k_chain": (g.k_chain, 0, n_chains),
        "chain_nodes": (g.chain_nodes, 0, n), "node_chain": (g.node_chain, -1, n_chains),
        "node_pos": (g.node_pos, -1, n_members), "k_indptr": (g.k_indptr, 0, n_edges + 1),
        "chain_offsets": (g.chain_offsets, 0, n_members + 1),
    }  # fmt: skip
    for name, (values, low, high) in ranges.items():
        if not _within(values, low, high):
            return f"{name} out of range"
    return None


def _junction_matrix(g: _Graph) -> Any:
    """The junction graph as scipy's CSR matrix of edge lengths."""
    from scipy.sparse import csr_matrix

    nk = len(g.k_indptr) - 1
    return csr_matrix((g.k_weights, g.k_indices, g.k_indptr), shape=(nk, nk))


def _graph_problem(g: _Graph) -> str | None:
    """Why a graph is unsafe to route on, or ``None`` if it is sound.

    Run before a graph is written to the cache, and on loading a cache file that has
    no seal (see :func:`_load_graph`). A file can pass its zip checksums and still
    hold arrays that were cut, swapped or tampered with. Checked: everything
    :func:`_layout_problem` checks, then the CSR and chain layouts, that chains run
    between junctions, that component labels agree with the junction graph, and that
    edge weights are their chains' lengths.
    """
    from scipy.sparse.csgraph import connected_components

    problem = _layout_problem(g)
    if problem is not None:
        return problem
    n, nk = len(g.lonlat), len(g.key_nodes)
    n_chains, n_members, n_edges = len(g.chain_offsets) - 1, len(g.chain_nodes), len(g.k_indices)
    # Input lines: vertices grouped by line id 0, 1, 2 …, at least two each.
    steps = np.diff(g.line_index)
    if len(g.line_index) and (
        int(g.line_index[0]) != 0
        or not _within(steps, 0, 2)
        or int(np.bincount(g.line_index).min()) < 2
    ):
        return "line_index is not a list of lines"
    # CSR and chain offsets: from 0, never decreasing, ending at the array's length.
    for offsets, total, least in ((g.k_indptr, n_edges, 0), (g.chain_offsets, n_members, 2)):
        if (
            int(offsets[0]) != 0
            or int(offsets[-1]) != total
            or not _within(np.diff(offsets), least, total + 1)
        ):
            return "offsets out of order"
    if len(np.unique(g.key_nodes)) != nk:  # any order: a packed graph numbers along chains
        return "key_nodes repeat"
    rows = np.repeat(np.arange(nk), np.diff(g.k_indptr))
    same_row = rows[1:] == rows[:-1]
    if (np.diff(g.k_indices)[same_row] < 0).any() or (g.k_weights < 0).any():
        return "junction graph out of order"
    # Chains run from junction to junction; every other node lies on its own chain.
    is_key = np.zeros(n, dtype=bool)
    is_key[g.key_nodes] = True
    firsts, lasts = g.chain_offsets[:-1], g.chain_offsets[1:] - 1
    if n_chains and not (
        is_key[g.chain_nodes[firsts]].all() and is_key[g.chain_nodes[lasts]].all()
    ):
        return "a chain does not end at junctions"
    interior = np.flatnonzero(~is_key)
    chain, pos = g.node_chain[interior], g.node_pos[interior]
    if (chain < 0).any() or (pos < 0).any():
        return "a node is on no chain"
    if (g.chain_nodes[pos] != interior).any() or not (
        (g.chain_offsets[chain] <= pos).all() and (pos < g.chain_offsets[chain + 1]).all()
    ):
        return "a node is not where its chain says"
    if n_chains and (g.chain_cum[firsts] != 0).any():
        return "chain lengths out of order"
    member_chain = np.repeat(np.arange(n_chains), np.diff(g.chain_offsets))
    same_chain = member_chain[1:] == member_chain[:-1]
    if (np.diff(g.chain_cum)[same_chain] < 0).any():
        return "chain lengths out of order"
    # Each junction-graph edge is a chain between its two junctions, as long as the chain.
    src, dst = g.key_nodes[rows], g.key_nodes[g.k_indices]
    ends_a, ends_b = g.chain_nodes[firsts[g.k_chain]], g.chain_nodes[lasts[g.k_chain]]
    if not (((ends_a == src) & (ends_b == dst)) | ((ends_a == dst) & (ends_b == src))).all():
        return "an edge is not its chain"
    if not np.allclose(g.k_weights, g.chain_cum[lasts[g.k_chain]], rtol=1e-9, atol=1e-3):
        return "an edge weight is not its chain's length"
    # Component labels: one per chain, and one per component of the junction graph.
    if (g.labels[g.chain_nodes] != g.labels[g.chain_nodes[firsts]][member_chain]).any():
        return "labels disagree along a chain"
    count, component = connected_components(_junction_matrix(g), directed=False)
    key_labels = g.labels[g.key_nodes]
    pairs = np.unique(np.column_stack([component, key_labels]), axis=0)
    if nk and not (len(pairs) == count == len(np.unique(key_labels))):
        return "labels disagree with the junction graph"
    return None


class RailNetwork:
    """A routable railway network.

    Build or load one with :meth:`load` (or :func:`load_rail_network`), then
    call :meth:`route` for each leg. Loading uses the on-disk graph cache.
    """

    def __init__(self, graph: _Graph, path: Path, cache: Path | None, bridge_km: float) -> None:
        self._g = graph
        self.path = path
        self.cache = cache
        self.bridge_km = bridge_km
        #: What the data's own accuracy means for rail km (shown to the user).
        self.uncertainty = (
            NATURAL_EARTH_UNCERTAINTY if path.name.lower().startswith("ne_10m_railroads") else ""
        )
        nk = len(graph.key_nodes)
        self._junctions: _Junctions | _Dijkstra | None = None
        self._queries = 0
        self._key_of = np.full(len(graph.lonlat), -1, dtype=np.int64)
        self._key_of[graph.key_nodes] = np.arange(nk)
        self._boxes: NDArray[np.float64] | None = None
        self._line_starts: NDArray[np.int64] | None = None
        self._bridges = {(int(min(a, b)), int(max(a, b))) for a, b in graph.bridges.tolist()}
        #: Bridge gaps this wide when a leg finds no connection (0 = never); see load().
        self.fallback_bridge_km = 0.0
        self._options: dict[str, Any] = {}
        self._bridged: RailNetwork | None = None

    # -- construction

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        snap_m: float = DEFAULT_SNAP_M,
        bridge_km: float = DEFAULT_BRIDGE_KM,
        osm_kinds: Sequence[str] = OSM_RAILWAY_KINDS,
        use_cache: bool = True,
        on_build: Callable[[str, float | None], None] | None = None,
        fallback_bridge_km: float = FALLBACK_BRIDGE_KM,
    ) -> RailNetwork:
        """Load the network at ``path`` (resolved by :func:`resolve_network_path`).

        Parameters
        ----------
        path
            A network file; ``None`` looks at ``$ROUTE_RAIL_NETWORK``, the user
            data directory, then takes the world network shipped in the package.
            A prebuilt graph (:func:`pack_network`, as the shipped one is) loads
            with no build when ``snap_m`` is the one it was built with and
            ``bridge_km`` is 0 (decoded once, it is kept in the cache, where it reads
            four times faster); otherwise its lines are rebuilt and cached.
        snap_m
            Line ends this close to another line's vertex are joined to it.
        bridge_km
            Join dangling line ends to other components closer than this (0 = off).
        osm_kinds
            ``railway=*`` values read from OpenStreetMap files.
        use_cache
            Read and write the on-disk graph cache.
        on_build
            Called with ``("start", None)`` and ``("done", seconds)`` around a build;
            ``("rebuild", None)`` instead of ``"start"`` when the cached graph is
            damaged (checked on load, see :func:`_graph_problem`).
        fallback_bridge_km
            When ``bridge_km`` is 0 and a leg finds no connection, route it again on the
            same lines with gaps up to this wide bridged (built once, then cached); 0
            turns this off. The bridges a path uses are in its :class:`RailRoute`.
        """
        network = cls._load(path, snap_m, bridge_km, osm_kinds, use_cache, on_build)
        network.fallback_bridge_km = fallback_bridge_km if bridge_km == 0 else 0.0
        network._options = {
            "snap_m": snap_m,
            "osm_kinds": osm_kinds,
            "use_cache": use_cache,
            "on_build": on_build,
        }
        return network

    @classmethod
    def _load(
        cls,
        path: str | os.PathLike[str] | None,
        snap_m: float,
        bridge_km: float,
        osm_kinds: Sequence[str],
        use_cache: bool,
        on_build: Callable[[str, float | None], None] | None,
    ) -> RailNetwork:
        if snap_m < 0 or bridge_km < 0 or not math.isfinite(bridge_km):
            raise RailNetworkError("snap and bridge distances must be zero or positive")
        resolved = resolve_network_path(path)
        cache = _cache_path(resolved, snap_m, bridge_km, osm_kinds) if use_cache else None
        if _is_packed(resolved) and bridge_km == 0:
            unpacked = _load_graph(cache) if cache is not None and cache.exists() else None
            if unpacked is not None:  # decoded before: four times faster to read
                return cls(unpacked, resolved, cache, bridge_km)
            packed = _read_packed(resolved)
            if packed.snap_m == snap_m and packed.graph_format == GRAPH_FORMAT:
                return cls(packed.graph, resolved, _saved(packed.graph, cache), bridge_km)
        damaged = False
        graph = None
        if cache is not None and cache.exists():
            graph = _load_graph(cache)
            damaged = graph is None
        if graph is None:
            if on_build:
                on_build("rebuild" if damaged else "start", None)
            started = time.perf_counter()
            graph = _build_graph(
                read_network_lines(resolved, osm_kinds=osm_kinds), snap_m, bridge_km
            )
            cache = _saved(graph, cache)
            if on_build:
                on_build("done", time.perf_counter() - started)
        return cls(graph, resolved, cache, bridge_km)

    # -- facts

    def info(self) -> NetworkInfo:
        """Counts for ``route rail info``."""
        g = self._g
        stats = dict(zip(_STAT_KEYS, g.stats.tolist(), strict=True))
        n_components = int(g.labels.max()) + 1 if len(g.labels) else 0
        firsts = g.chain_nodes[g.chain_offsets[:-1]]
        lengths = g.chain_cum[g.chain_offsets[1:] - 1]
        per_component = np.bincount(g.labels[firsts], weights=lengths, minlength=n_components)
        return NetworkInfo(
            path=str(self.path),
            lines=int(stats["lines"]),
            skipped=int(stats["skipped"]),
            nodes=len(g.lonlat),
            edges=int(stats["edges"]),
            components=n_components,
            total_km=round(stats["total_km"], 1),
            largest_component_km=round(float(per_component.max()) / 1000.0, 1)
            if n_components
            else 0.0,
            snapped_ends=int(stats["snapped_ends"]),
            bridges=len(g.bridges),
            bridge_km=self.bridge_km,
            cache=str(self.cache or ""),
        )

    # -- snapping

    def _line_boxes(self) -> NDArray[np.float64]:
        """Each input line's bounding box, ``(min lon, min lat, max lon, max lat)`` rows."""
        if self._boxes is None:
            g = self._g
            points = g.lonlat[g.line_nodes]
            n_lines = int(g.line_index[-1]) + 1 if len(g.line_index) else 0
            starts = np.searchsorted(g.line_index, np.arange(n_lines + 1))
            first = starts[:-1]
            self._boxes = (
                np.column_stack(
                    [np.minimum.reduceat(points, first), np.maximum.reduceat(points, first)]
                )
                if n_lines
                else np.zeros((0, 4))
            )
            self._line_starts = starts
        return self._boxes

    def snap(self, latlon: tuple[float, float], max_km: float) -> list[tuple[int, float]]:
        """Network nodes within ``max_km`` of a point, nearest first, as ``(node, km)``.

        Candidates are the nodes of the lines whose bounding box meets a box around the
        point (one vectorised test over all lines' boxes: cheaper, for the few points
        of a trip, than building a spatial tree); the distances are geodesic.
        """
        lat, lon = latlon
        boxes = self._line_boxes()
        assert self._line_starts is not None
        dlat = max_km / 110.5 + 1e-6
        dlon = min(180.0, max_km / (111.3 * max(math.cos(math.radians(lat)), 1e-6)) + 1e-6)
        hits = np.flatnonzero(
            (boxes[:, 0] <= lon + dlon)
            & (boxes[:, 2] >= lon - dlon)
            & (boxes[:, 1] <= lat + dlat)
            & (boxes[:, 3] >= lat - dlat)
        )
        if len(hits) == 0:
            return []
        starts = self._line_starts
        spans = [np.arange(starts[h], starts[h + 1]) for h in hits]
        nodes = np.unique(self._g.line_nodes[np.concatenate(spans)])
        points = self._g.lonlat[nodes]
        here = np.broadcast_to(np.array([[lon, lat]]), points.shape)
        km = _geodesic_m(here, points) / 1000.0
        close = km <= max_km
        order = np.argsort(km[close], kind="stable")
        return [
            (int(n), float(d)) for n, d in zip(nodes[close][order], km[close][order], strict=True)
        ]

    def node_latlon(self, node: int) -> tuple[float, float]:
        """``(lat, lon)`` of a network node."""
        lon, lat = self._g.lonlat[node]
        return (float(lat), float(lon))

    # -- routing

    def route(
        self,
        a: tuple[float, float],
        b: tuple[float, float],
        *,
        names: tuple[str, str] = ("the start", "the end"),
        max_snap_km: float = DEFAULT_MAX_SNAP_KM,
    ) -> RailRoute | NoRailRoute:
        """Shortest rail path between two ``(lat, lon)`` points.

        Each point snaps to a node within ``max_snap_km``; among those, the
        pair in a common connected component with the least total snap
        distance is used. The rail km is the geodesic length of the path
        between the snapped nodes; snap distances are reported separately.

        Returns
        -------
        RailRoute or NoRailRoute
            The route, or the reason there is none (no railway near a stop, no
            connection in this network).
        """

        near_a = self.snap(a, max_snap_km)
        near_b = self.snap(b, max_snap_km)
        for near, name in ((near_a, names[0]), (near_b, names[1])):
            if not near:
                return NoRailRoute(f"no railway within {max_snap_km:g} km of {name}")
        labels = self._g.labels
        best_a: dict[int, tuple[int, float]] = {}
        for node, km in near_a:
            best_a.setdefault(int(labels[node]), (node, km))
        best_b: dict[int, tuple[int, float]] = {}
        for node, km in near_b:
            best_b.setdefault(int(labels[node]), (node, km))
        common = set(best_a) & set(best_b)
        if not common and self.fallback_bridge_km > 0:
            return self._with_bridges().route(a, b, names=names, max_snap_km=max_snap_km)
        if not common:
            hint = (
                ""
                if self.bridge_km > 0
                else " (if a small gap in the data splits the line, --bridge-gaps 1 joins line"
                " ends up to 1 km apart)"
            )
            return NoRailRoute(
                f"no rail connection between {names[0]} and {names[1]} in this network{hint}"
            )
        component = min(common, key=lambda c: best_a[c][1] + best_b[c][1])
        (src, snap_a), (dst, snap_b) = best_a[component], best_b[component]
        nodes = self._shortest_nodes(src, dst)
        path_lonlat = self._g.lonlat[nodes]
        steps = _geodesic_m(path_lonlat[:-1], path_lonlat[1:]) / 1000.0
        bridges = tuple(
            Bridge(start=self.node_latlon(p), end=self.node_latlon(q), km=float(km))
            for p, q, km in zip(nodes, nodes[1:], steps, strict=False)
            if (min(p, q), max(p, q)) in self._bridges
        )
        return RailRoute(
            km=float(steps.sum()),
            path=tuple((float(lat), float(lon)) for lon, lat in path_lonlat),
            snap_start_km=snap_a,
            snap_end_km=snap_b,
            bridges=bridges,
        )

    def _with_bridges(self) -> RailNetwork:
        """The same lines with gaps up to :attr:`fallback_bridge_km` bridged (loaded once)."""
        if self._bridged is None:
            self._bridged = RailNetwork.load(
                self.path,
                bridge_km=self.fallback_bridge_km,
                fallback_bridge_km=0.0,
                **self._options,
            )
        return self._bridged

    def _exits(self, node: int) -> list[tuple[int, float, list[int]]]:
        """Ways from ``node`` to the junction graph: ``(key index, metres, nodes)``."""
        g = self._g
        key = int(self._key_of[node])
        if key >= 0:
            return [(key, 0.0, [node])]
        chain = int(g.node_chain[node])
        lo, hi = int(g.chain_offsets[chain]), int(g.chain_offsets[chain + 1])
        pos = int(g.node_pos[node])
        cum = g.chain_cum
        members = g.chain_nodes
        back = members[lo : pos + 1][::-1].tolist()  # node ... chain start
        ahead = members[pos:hi].tolist()  # node ... chain end
        return [
            (int(self._key_of[back[-1]]), float(cum[pos] - cum[lo]), back),
            (int(self._key_of[ahead[-1]]), float(cum[hi - 1] - cum[pos]), ahead),
        ]

    def _expand(self, p: int, q: int) -> list[int]:
        """Nodes of the junction-graph edge ``p → q`` (key indices), from p's node to q's."""
        g = self._g
        lo, hi = int(g.k_indptr[p]), int(g.k_indptr[p + 1])
        entry = lo + int(np.searchsorted(g.k_indices[lo:hi], q))
        chain = int(g.k_chain[entry])
        members: list[int] = g.chain_nodes[
            g.chain_offsets[chain] : g.chain_offsets[chain + 1]
        ].tolist()
        return members if members[0] == int(g.key_nodes[p]) else members[::-1]

    def _shortest_nodes(self, src: int, dst: int) -> list[int]:
        """Node ids of the shortest path between two nodes of one component."""
        if src == dst:
            return [src]
        g = self._g
        best: tuple[float, list[int]] | None = None
        # Both on the same chain: straight along it is a candidate.
        chain_a, chain_b = int(g.node_chain[src]), int(g.node_chain[dst])
        if chain_a >= 0 and chain_a == chain_b:
            pa, pb = int(g.node_pos[src]), int(g.node_pos[dst])
            step = 1 if pb > pa else -1
            along = g.chain_nodes[pa : pb + step if pb + step >= 0 else None : step].tolist()
            best = (abs(float(g.chain_cum[pb] - g.chain_cum[pa])), along)
        # Through the junction graph: from either end of src's chain to either end of dst's.
        exits_a: dict[int, tuple[float, list[int]]] = {}
        for key, metres, nodes in self._exits(src):
            if key not in exits_a or metres < exits_a[key][0]:
                exits_a[key] = (metres, nodes)
        exits_b: dict[int, tuple[float, list[int]]] = {}
        for key, metres, nodes in self._exits(dst):
            if key not in exits_b or metres < exits_b[key][0]:
                exits_b[key] = (metres, nodes)
        self._queries += 1
        if self._queries == A_STAR_QUERIES + 1:
            self._junctions = _Dijkstra(g)  # many queries: scipy's import pays for itself
        elif self._junctions is None:
            self._junctions = _Junctions(g)
        found = self._junctions.shortest(
            {k: m for k, (m, _) in exits_a.items()}, {k: m for k, (m, _) in exits_b.items()}
        )
        if found is not None and (best is None or found[0] < best[0]):
            total, keys = found
            nodes = list(exits_a[keys[0]][1])
            for p, q in itertools.pairwise(keys):
                nodes.extend(self._expand(p, q)[1:])
            nodes.extend(exits_b[keys[-1]][1][::-1][1:])
            best = (total, nodes)
        assert best is not None, "nodes of one component must be connected"
        return best[1]


class _Junctions:
    """The junction graph as Python lists, for A* (built on a network's first query).

    A* is guided by the straight line through the Earth (the chord between points on
    the WGS84 ellipsoid) to the nearest goal, scaled down to the least ratio of an
    edge's length to its chord in this graph: the guide then never overestimates and
    never drops along an edge by more than the edge's length (it is consistent), so
    the first path found is a shortest one, whatever the data (a graph where some edge
    is shorter than its chord is routed as by Dijkstra, with no guide).
    """

    def __init__(self, g: _Graph) -> None:
        a, f = 6378137.0, 1 / 298.257223563
        e2 = f * (2 - f)
        lonlat = g.lonlat[g.key_nodes]
        lon, lat = np.radians(lonlat[:, 0]), np.radians(lonlat[:, 1])
        normal = a / np.sqrt(1 - e2 * np.sin(lat) ** 2)
        xyz = np.column_stack(
            [
                normal * np.cos(lat) * np.cos(lon),
                normal * np.cos(lat) * np.sin(lon),
                normal * (1 - e2) * np.sin(lat),
            ]
        )
        rows = np.repeat(np.arange(len(xyz)), np.diff(g.k_indptr))
        chords = np.linalg.norm(xyz[rows] - xyz[g.k_indices], axis=1)
        ratios = g.k_weights[chords > 0] / chords[chords > 0]
        least = float(ratios.min()) if len(ratios) else 1.0
        #: The guide's scale: 0 (plain Dijkstra) up to just under 1.
        self.scale = min(1.0, least) * (1 - 1e-9) if least > 0 else 0.0
        self.xyz = xyz.tolist()
        self.indptr: list[int] = g.k_indptr.tolist()
        self.indices: list[int] = g.k_indices.tolist()
        self.weights: list[float] = g.k_weights.tolist()

    def shortest(
        self, sources: dict[int, float], targets: dict[int, float]
    ) -> tuple[float, list[int]] | None:
        """The least ``sources[first] + path + targets[last]`` and its junctions, first to
        last (None when no target is reachable).

        ``sources`` and ``targets`` map junctions to metres already run before the first
        and still to run after the last.
        """
        xyz, scale = self.xyz, self.scale
        goals = [xyz[k] for k in targets]
        guide: dict[int, float] = {}

        def h(v: int) -> float:
            value = guide.get(v)
            if value is None:
                x, y, z = xyz[v]
                value = guide[v] = scale * min(
                    math.sqrt((x - gx) ** 2 + (y - gy) ** 2 + (z - gz) ** 2) for gx, gy, gz in goals
                )
            return value

        indptr, indices, weights = self.indptr, self.indices, self.weights
        heap = [(metres + h(k), metres, k, -1) for k, metres in sources.items()]
        heapq.heapify(heap)
        came: dict[int, int] = {}
        best, last = math.inf, -1
        while heap:
            estimate, metres, u, parent = heapq.heappop(heap)
            if estimate >= best:
                break
            if u in came:
                continue
            came[u] = parent
            if u in targets and metres + targets[u] < best:
                best, last = metres + targets[u], u
            for e in range(indptr[u], indptr[u + 1]):
                v = indices[e]
                if v not in came:
                    reached = metres + weights[e]
                    heapq.heappush(heap, (reached + h(v), reached, v, u))
        if last < 0:
            return None
        keys = [last]
        while came[keys[-1]] >= 0:
            keys.append(came[keys[-1]])
        keys.reverse()
        return best, keys


#: A network answers this many queries by A* in plain Python (about 18 ms each on the
#: shipped network), the rest by scipy's Dijkstra (about 2 ms each, after a 0.2 s import):
#: the two cost the same at about a dozen (``bench/bench_rail.py``), so a map of a few
#: legs imports no scipy and a batch of many texts is not slowed.
A_STAR_QUERIES = 10


class _Dijkstra:
    """The junction graph for scipy's Dijkstra, with :meth:`_Junctions.shortest`'s answer."""

    def __init__(self, g: _Graph) -> None:
        self.matrix = _junction_matrix(g)

    def shortest(
        self, sources: dict[int, float], targets: dict[int, float]
    ) -> tuple[float, list[int]] | None:
        """As :meth:`_Junctions.shortest`."""
        from scipy.sparse.csgraph import dijkstra

        rows = sorted(sources)
        dist, pred = dijkstra(self.matrix, directed=True, indices=rows, return_predecessors=True)
        best: tuple[float, int, int, int] | None = None
        for row, first in enumerate(rows):
            for last, metres in targets.items():
                total = sources[first] + float(dist[row, last]) + metres
                if math.isfinite(total) and (best is None or total < best[0]):
                    best = (total, row, first, last)
        if best is None:
            return None
        total, row, first, last = best
        keys = [last]
        while keys[-1] != first:
            keys.append(int(pred[row, keys[-1]]))
        keys.reverse()
        return total, keys


def route_linestring(route: RailRoute) -> LineString:
    """The rail path as a shapely ``LineString`` in ``(lon, lat)`` order (for GIS output)."""
    from shapely.geometry import LineString

    points = [(lon, lat) for lat, lon in route.path]
    if len(points) == 1:
        points = points * 2
    return LineString(points)


def load_rail_network(path: str | os.PathLike[str] | None = None, **options: Any) -> RailNetwork:
    """Load (building and caching on first use) a rail network; see :meth:`RailNetwork.load`."""
    return RailNetwork.load(path, **options)
