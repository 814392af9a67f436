"""Rail distances over a real railway network.

A network file (GeoJSON, also ``.gz``; GeoPackage; Shapefile, also zipped; an
OpenStreetMap ``.osm``/``.osm.pbf`` extract) is read into lines, noded at
shared vertices (and line ends within a few metres of another line), and turned
into a graph whose edges are weighted by their geodesic length on WGS84. The
graph is cached on disk, keyed by the file's content hash and the build
parameters, so later runs load it in a fraction of a second.

Routing uses :mod:`scipy.sparse.csgraph` (chosen by measurement, see
``bench/bench_rail.py``): the graph is stored as CSR arrays that load without
any rebuilding, and Dijkstra with a distance limit answers a cross-continent
query in tens of milliseconds.

Public coordinates are ``(lat, lon)``; arrays inside are ``(lon, lat)``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import RailNetworkError, RailNetworkNotFoundError
from .models import Bridge, RailRoute

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from shapely import STRtree
    from shapely.geometry import LineString

__all__ = [
    "DEFAULT_BRIDGE_KM",
    "DEFAULT_MAX_SNAP_KM",
    "DEFAULT_SNAP_M",
    "NETWORK_ENV",
    "NoRailRoute",
    "RailNetwork",
    "load_rail_network",
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
#: Gaps are not bridged unless asked.
DEFAULT_BRIDGE_KM = 0.0
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

_EARTH_KM = 6371.0088
_OSM_SUFFIXES = (".osm", ".osm.pbf", ".pbf", ".osm.bz2", ".osm.gz", ".o5m")


def data_dir() -> Path:
    """Where a downloaded or copied network lives: ``$ROUTE_DATA_DIR`` or the user data dir."""
    env = os.environ.get("ROUTE_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("route", appauthor=False))


def resolve_network_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Find the network file: ``path``, then ``$ROUTE_RAIL_NETWORK``, then the user data dir.

    Raises
    ------
    RailNetworkNotFoundError
        When none is configured (the message lists the ways to supply one), or
        when the configured file does not exist.
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
        raise RailNetworkNotFoundError(
            "no rail network configured; pass --rail-network FILE, set "
            f"{NETWORK_ENV}=FILE, copy ne_10m_railroads.geojson.gz into {data_dir()}, "
            "or run 'route rail download' once online"
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
    WGS84 with pyproj.

    Raises
    ------
    RailNetworkError
        Not a GIS file, no line geometries, an empty collection, or projected
        coordinates without CRS metadata.
    """
    path = Path(path)
    if not path.exists():
        raise RailNetworkNotFoundError(f"rail network {path} does not exist")
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


def _save_graph(graph: _Graph, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez(buffer, **{name: getattr(graph, name) for name in _Graph.__slots__})
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(buffer.getbuffer())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _load_graph(target: Path) -> _Graph | None:
    try:
        with target.open("rb") as fh:
            data = np.load(fh, allow_pickle=False)
            if not isinstance(data, np.lib.npyio.NpzFile):
                return None
            arrays = {name: data[name] for name in _Graph.__slots__}
    except Exception:  # missing, truncated, not a zip, wrong arrays: all mean "rebuild"
        return None
    graph = _Graph(**arrays)
    n = len(graph.lonlat)
    nk = len(graph.key_nodes)
    ok = (
        graph.stats.shape == (len(_STAT_KEYS),)
        and int(graph.stats[5]) == GRAPH_FORMAT
        and graph.labels.shape == (n,)
        and graph.node_chain.shape == (n,)
        and graph.node_pos.shape == (n,)
        and graph.k_indptr.shape == (nk + 1,)
        and graph.k_indices.shape == graph.k_weights.shape == graph.k_chain.shape
        and int(graph.k_indptr[-1]) == len(graph.k_indices)
        and graph.chain_nodes.shape == graph.chain_cum.shape
        and int(graph.chain_offsets[-1]) == len(graph.chain_nodes)
        and (nk == 0 or int(graph.key_nodes.max()) < n)
        and (len(graph.chain_nodes) == 0 or int(graph.chain_nodes.max()) < n)
    )
    return graph if ok else None


class RailNetwork:
    """A routable railway network.

    Build or load one with :meth:`load` (or :func:`load_rail_network`), then
    call :meth:`route` for each leg. Loading uses the on-disk graph cache.
    """

    def __init__(self, graph: _Graph, path: Path, cache: Path | None, bridge_km: float) -> None:
        from scipy.sparse import csr_matrix

        self._g = graph
        self.path = path
        self.cache = cache
        self.bridge_km = bridge_km
        #: What the data's own accuracy means for rail km (shown to the user).
        self.uncertainty = (
            NATURAL_EARTH_UNCERTAINTY if path.name.lower().startswith("ne_10m_railroads") else ""
        )
        nk = len(graph.key_nodes)
        self._matrix = csr_matrix(
            (graph.k_weights, graph.k_indices, graph.k_indptr), shape=(nk, nk)
        )
        self._key_of = np.full(len(graph.lonlat), -1, dtype=np.int64)
        self._key_of[graph.key_nodes] = np.arange(nk)
        self._tree: STRtree | None = None
        self._line_starts: NDArray[np.int64] | None = None
        self._bridges = {(int(min(a, b)), int(max(a, b))) for a, b in graph.bridges.tolist()}

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
    ) -> RailNetwork:
        """Load the network at ``path`` (resolved by :func:`resolve_network_path`).

        Parameters
        ----------
        path
            A network file; ``None`` looks at ``$ROUTE_RAIL_NETWORK`` and the
            user data directory.
        snap_m
            Line ends this close to another line's vertex are joined to it.
        bridge_km
            Join dangling line ends to other components closer than this (0 = off).
        osm_kinds
            ``railway=*`` values read from OpenStreetMap files.
        use_cache
            Read and write the on-disk graph cache.
        on_build
            Called with ``("start", None)`` and ``("done", seconds)`` around a build.
        """
        if snap_m < 0 or bridge_km < 0 or not math.isfinite(bridge_km):
            raise RailNetworkError("snap and bridge distances must be zero or positive")
        resolved = resolve_network_path(path)
        cache = _cache_path(resolved, snap_m, bridge_km, osm_kinds) if use_cache else None
        graph = _load_graph(cache) if cache is not None and cache.exists() else None
        if graph is None:
            if on_build:
                on_build("start", None)
            started = time.perf_counter()
            graph = _build_graph(
                read_network_lines(resolved, osm_kinds=osm_kinds), snap_m, bridge_km
            )
            if cache is not None:
                with contextlib.suppress(OSError):  # a read-only cache only costs speed
                    _save_graph(graph, cache)
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

    def _index(self) -> STRtree:
        if self._tree is None:
            import shapely

            g = self._g
            lines = shapely.linestrings(g.lonlat[g.line_nodes], indices=g.line_index)
            self._tree = shapely.STRtree(lines)
            self._line_starts = np.searchsorted(g.line_index, np.arange(len(lines) + 1))
        return self._tree

    def snap(self, latlon: tuple[float, float], max_km: float) -> list[tuple[int, float]]:
        """Network nodes within ``max_km`` of a point, nearest first, as ``(node, km)``.

        Candidate lines come from an STRtree over the network's lines; the
        distances are geodesic.
        """
        import shapely

        lat, lon = latlon
        tree = self._index()
        assert self._line_starts is not None
        dlat = max_km / 110.5 + 1e-6
        dlon = min(180.0, max_km / (111.3 * max(math.cos(math.radians(lat)), 1e-6)) + 1e-6)
        box = shapely.box(lon - dlon, lat - dlat, lon + dlon, lat + dlat)
        hits = tree.query(box)
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
        from scipy.sparse.csgraph import dijkstra

        if src == dst:
            return [src]
        g = self._g
        exits_a = self._exits(src)
        exits_b = self._exits(dst)
        best: tuple[float, list[int]] | None = None
        # Both on the same chain: straight along it is a candidate.
        chain_a, chain_b = int(g.node_chain[src]), int(g.node_chain[dst])
        if chain_a >= 0 and chain_a == chain_b:
            pa, pb = int(g.node_pos[src]), int(g.node_pos[dst])
            step = 1 if pb > pa else -1
            along = g.chain_nodes[pa : pb + step if pb + step >= 0 else None : step].tolist()
            best = (abs(float(g.chain_cum[pb] - g.chain_cum[pa])), along)
        sources = sorted({k for k, _, _ in exits_a})
        dist, pred = dijkstra(
            self._matrix, directed=True, indices=sources, return_predecessors=True
        )
        for k_a, m_a, nodes_a in exits_a:
            row = sources.index(k_a)
            for k_b, m_b, nodes_b in exits_b:
                total = m_a + float(dist[row, k_b]) + m_b
                if not math.isfinite(total) or (best is not None and total >= best[0]):
                    continue
                keys = [k_b]
                while keys[-1] != k_a:
                    keys.append(int(pred[row, keys[-1]]))
                keys.reverse()
                nodes = list(nodes_a)
                for p, q in itertools.pairwise(keys):
                    nodes.extend(self._expand(p, q)[1:])
                nodes.extend(nodes_b[::-1][1:])
                best = (total, nodes)
        assert best is not None, "nodes of one component must be connected"
        return best[1]


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
