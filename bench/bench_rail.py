"""Rail benchmarks: speed against the ordinary way and other graph libraries, and accuracy.

Run from the project root in its virtualenv (the libraries compared are installed
on demand by `pip install networkx igraph rustworkx`):

    python bench/bench_rail.py [--network ../shared/data/ne_10m_railroads.geojson.gz]

1. route's own build, cached load, query time and peak memory, side by side with
   the ordinary way: plain json + a networkx graph + `nx.shortest_path`.
2. The same noded graph in scipy.sparse.csgraph (full and contracted), plain-Python
   A* and Dijkstra on the contracted graph (what route runs), networkx, igraph and
   rustworkx: build from arrays and one long query, and what importing scipy's graph
   module costs (why plain Python: a few queries per run cost less than that import).
3. Accuracy: rail km on this network against official line lengths.
4. Sea: km along the shipping lanes (route.sea) against published port-to-port distances.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_NETWORK = ROOT.parent / "shared" / "data" / "ne_10m_railroads.geojson.gz"

# Query pairs for timing: (from, to) as (lat, lon).
PAIRS = {
    "Pyongyang-Dong Dang": ((39.03385, 125.75432), (21.9511, 106.69767)),
    "Beijing-Shanghai": ((39.9075, 116.39723), (31.22222, 121.45806)),
    "Paris-Berlin": ((48.85341, 2.3488), (52.52437, 13.41053)),
    "New York-Chicago": ((40.71427, -74.00597), (41.85003, -87.65005)),
    "Moscow-Vladivostok": ((55.75222, 37.61556), (43.10562, 131.87353)),
    "Hanoi-Dong Dang": ((21.0245, 105.84117), (21.9511, 106.69767)),
}

# Official distances, from public sources (line articles and timetables), with the
# intermediate stations that keep the path on that line. km.
OFFICIAL = [
    ("Pyongyang-Sinuiju (P'yongui Line)", "Pyongyang, Sinuiju", 225),
    ("Shenyang-Dandong (Shendan railway)", "Shenyang, Dandong", 277),
    ("Beijing-Zhengzhou (Jingguang railway)", "Beijing, Shijiazhuang, Zhengzhou", 695),
    (
        "Nanning-Pingxiang (Hunan-Guangxi railway)",
        "Nanning, Chongzuo, Pingxiang@22.097,106.757",
        220,
    ),
    ("Hanoi-Dong Dang (Hanoi-Dong Dang railway)", "Hanoi, Dong Dang", 162),
    (
        "Beijing-Shanghai (Jinghu railway)",
        "Beijing, Tianjin, Jinan, Xuzhou, Nanjing, Shanghai",
        1462,
    ),
    (
        "Beijing-Guangzhou (Jingguang railway)",
        "Beijing, Zhengzhou, Wuhan, Changsha, Guangzhou",
        2324,
    ),
    ("Moscow-Saint Petersburg (Oktyabrskaya)", "Moscow, Tver, Saint Petersburg", 650),
    (
        "Moscow-Vladivostok (Trans-Siberian)",
        "Moscow, Yaroslavl, Perm, Yekaterinburg, Omsk, Novosibirsk, Krasnoyarsk, Irkutsk, "
        "Ulan-Ude, Chita, Skovorodino, Khabarovsk, Vladivostok",
        9289,
    ),
    (
        "Moscow-Beijing (Trans-Mongolian)",
        "Moscow, Yaroslavl, Perm, Yekaterinburg, Omsk, Novosibirsk, Krasnoyarsk, Irkutsk, "
        "Ulan-Ude, Ulaanbaatar, Erenhot, Datong, Beijing",
        7621,
    ),
    (
        "Hanoi-Ho Chi Minh City (North-South railway)",
        "Hanoi, Vinh, Hue, Da Nang, Nha Trang, Ho Chi Minh City",
        1726,
    ),
    ("Paris-Marseille (PLM line)", "Paris, Dijon, Lyon, Avignon, Marseille", 862),
    ("Berlin-Hamburg (Berlin-Hamburg railway)", "Berlin, Wittenberge, Hamburg", 286),
    (
        "London-Edinburgh (East Coast Main Line)",
        "London, Peterborough, York, Newcastle upon Tyne, Edinburgh",
        632,
    ),
    ("London-Glasgow (West Coast Main Line)", "London, Crewe, Preston, Carlisle, Glasgow", 645),
    (
        "New York-Chicago (Amtrak Lake Shore Limited)",
        "New York, Albany, Buffalo, Cleveland, Toledo, Chicago",
        1543,
    ),
    (
        "Mumbai-New Delhi (Rajdhani, Western Railway)",
        "Mumbai, Vadodara, Ratlam, Kota, New Delhi",
        1384,
    ),
]


def _child(code: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_route_vs_ordinary(network: Path, env: dict[str, str]) -> None:
    print("== 1. route vs the ordinary way (json + networkx), world network ==")
    pairs = json.dumps(PAIRS)
    ours_build = _child(
        "import json, time, resource\n"
        "t = time.perf_counter()\n"
        "from route.rail import RailNetwork\n"
        f"net = RailNetwork.load({str(network)!r})\n"
        "build = time.perf_counter() - t\n"
        "print(json.dumps({'build': build,"
        " 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n",
        env,
    )
    ours_load = _child(
        "import json, time, statistics\n"
        "t = time.perf_counter()\n"
        "from route.rail import RailNetwork\n"
        f"net = RailNetwork.load({str(network)!r})\n"
        "load = time.perf_counter() - t\n"
        "t = time.perf_counter(); net.snap((0.0, 0.0), 1); index = time.perf_counter() - t\n"
        f"pairs = json.loads({pairs!r})\n"
        "times = {}\n"
        "for name, (a, b) in pairs.items():\n"
        "    runs = []\n"
        "    for _ in range(5):\n"
        "        t = time.perf_counter()\n"
        "        r = net.route(tuple(a), tuple(b))\n"
        "        runs.append(time.perf_counter() - t)\n"
        "    times[name] = [statistics.median(runs), getattr(r, 'km', float('nan'))]\n"
        "print(json.dumps({'load': load, 'index': index, 'times': times}))\n",
        env,
    )
    plain = _child(
        "import gzip, json, time, resource, statistics\n"
        "t = time.perf_counter()\n"
        "import networkx as nx\n"
        "from pyproj import Geod\n"
        f"doc = json.load(gzip.open({str(network)!r}))\n"
        "geod = Geod(ellps='WGS84'); g = nx.Graph()\n"
        "for f in doc['features']:\n"
        "    c = f['geometry']['coordinates']\n"
        "    lons = [p[0] for p in c]; lats = [p[1] for p in c]\n"
        "    _, _, d = geod.inv(lons[:-1], lats[:-1], lons[1:], lats[1:])\n"
        "    for p, q, w in zip(c, c[1:], d):\n"
        "        g.add_edge(tuple(p), tuple(q), weight=w)\n"
        "build = time.perf_counter() - t\n"
        "nodes = list(g.nodes)\n"
        "import numpy as np\n"
        "xy = np.array(nodes)\n"
        "def near(lat, lon):\n"
        "    return nodes[int(((xy[:, 0] - lon) ** 2 + (xy[:, 1] - lat) ** 2).argmin())]\n"
        f"pairs = json.loads({pairs!r})\n"
        "times = {}\n"
        "for name, (a, b) in pairs.items():\n"
        "    s, e = near(*a), near(*b)\n"
        "    t = time.perf_counter()\n"
        "    try:\n"
        "        p = nx.shortest_path(g, s, e, weight='weight')\n"
        "        km = nx.path_weight(g, p, 'weight') / 1000\n"
        "    except nx.NetworkXNoPath:\n"
        "        km = float('nan')\n"
        "    times[name] = [time.perf_counter() - t, km]\n"
        "print(json.dumps({'build': build, 'times': times,"
        " 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n",
        env,
    )
    print(
        f"first build:   route {ours_build['build']:6.2f} s   plain {plain['build']:6.2f} s"
        f"   ratio {plain['build'] / ours_build['build']:5.1f}x"
    )
    print(
        f"cached load:   route {ours_load['load']:6.2f} s (+ {ours_load['index'] * 1000:.0f} ms "
        "snapping index on first use)   plain: no cache, rebuilds every run"
    )
    print(f"peak memory:   route {ours_build['rss_mb']:6.0f} MB   plain {plain['rss_mb']:6.0f} MB")
    print(f"{'query':24} {'route ms':>9} {'km':>9} {'networkx ms':>12} {'km':>9} {'ratio':>7}")
    ours_all, plain_all = [], []
    for name in PAIRS:
        (t1, km1), (t2, km2) = ours_load["times"][name], plain["times"][name]
        ours_all.append(t1)
        plain_all.append(t2)
        print(f"{name:24} {t1 * 1000:9.1f} {km1:9.1f} {t2 * 1000:12.1f} {km2:9.1f} {t2 / t1:6.1f}x")
    print(
        f"median query: route {statistics.median(ours_all) * 1000:.1f} ms, "
        f"networkx {statistics.median(plain_all) * 1000:.1f} ms "
        f"({statistics.median(plain_all) / statistics.median(ours_all):.0f}x)"
    )


def bench_libraries(network: Path) -> None:
    print("\n== 2. graph libraries on the same noded graph (Pyongyang -> Dong Dang) ==")
    import numpy as np

    from route.rail import RailNetwork, _build_graph, _geodesic_m, read_network_lines

    lines = read_network_lines(network)
    graph = _build_graph(lines, 50.0, 0.0)
    net = RailNetwork(graph, network, None, 0.0)
    # Rebuild the full (uncontracted) edge list from the chains.
    u_list, v_list, w_list = [], [], []
    offsets = graph.chain_offsets
    for c in range(len(offsets) - 1):
        nodes = graph.chain_nodes[offsets[c] : offsets[c + 1]]
        cum = graph.chain_cum[offsets[c] : offsets[c + 1]]
        u_list.append(nodes[:-1])
        v_list.append(nodes[1:])
        w_list.append(np.diff(cum))
    u = np.concatenate(u_list).astype(np.int64)
    v = np.concatenate(v_list).astype(np.int64)
    w = np.concatenate(w_list)
    n = len(graph.lonlat)
    src = net.snap((39.03385, 125.75432), 30)[0][0]
    dst = net.snap((21.9511, 106.69767), 30)[0][0]
    print(f"nodes {n:,}, edges {len(u):,}, junction graph {len(graph.key_nodes):,} nodes")
    rows = []

    def timed(fn, repeat: int = 3) -> float:
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t)
        return statistics.median(runs)

    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    holder: dict[str, object] = {}

    def scipy_build() -> None:
        holder["m"] = csr_matrix((np.r_[w, w], (np.r_[u, v], np.r_[v, u])), shape=(n, n))

    b = timed(scipy_build)
    q = timed(lambda: dijkstra(holder["m"], indices=src, return_predecessors=True))
    km = dijkstra(holder["m"], indices=src)[dst] / 1000
    rows.append(("scipy csgraph, full graph", b, q, km))
    nk = len(graph.key_nodes)
    junction_matrix = csr_matrix((graph.k_weights, graph.k_indices, graph.k_indptr), shape=(nk, nk))
    key_src = int(np.flatnonzero(graph.key_nodes == net._exits(src)[0][2][-1])[0])
    key_dst = int(np.flatnonzero(graph.key_nodes == net._exits(dst)[0][2][-1])[0])
    q = timed(lambda: dijkstra(junction_matrix, indices=[key_src], return_predecessors=True))
    rows.append(("scipy csgraph, contracted (before)", 0.0, q, float("nan")))
    # The same junction graph in plain Python: A* as route routes, and with no guide
    # (scale 0: Dijkstra that stops at the goal). No import, nothing to build.
    from route.rail import _Junctions

    junctions = _Junctions(graph)
    q = timed(lambda: junctions.shortest({key_src: 0.0}, {key_dst: 0.0}))
    rows.append(("heapq A*, contracted (route)", 0.0, q, float("nan")))
    guided, junctions.scale = junctions.scale, 0.0
    q = timed(lambda: junctions.shortest({key_src: 0.0}, {key_dst: 0.0}))
    rows.append(("heapq Dijkstra, contracted", 0.0, q, float("nan")))
    junctions.scale = guided
    pts = graph.lonlat[net._shortest_nodes(src, dst)]
    km = float(_geodesic_m(pts[:-1], pts[1:]).sum()) / 1000
    rows.append(
        (
            "route: A* + chains expanded",
            0.0,
            timed(lambda: net._shortest_nodes(src, dst)),
            km,
        )
    )
    probe = (
        "import time; t = time.perf_counter(); import scipy.sparse.csgraph; "
        "print(time.perf_counter() - t)"
    )
    scipy_import = float(
        subprocess.run(
            [sys.executable, "-c", probe], check=True, capture_output=True, text=True
        ).stdout
    )
    print(f"importing scipy.sparse.csgraph in a fresh process: {scipy_import * 1000:.0f} ms")
    try:
        import networkx as nx

        def nx_build() -> None:
            g = nx.Graph()
            g.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist(), strict=True))
            holder["nx"] = g

        b = timed(nx_build, 1)
        q = timed(lambda: nx.shortest_path(holder["nx"], src, dst, weight="weight"), 1)
        km = nx.shortest_path_length(holder["nx"], src, dst, weight="weight") / 1000
        rows.append(("networkx", b, q, km))
    except ImportError:
        print("networkx not installed: skipped")
    try:
        import igraph as ig

        def ig_build() -> None:
            g = ig.Graph(n=n, edges=np.column_stack([u, v]), directed=False)
            g.es["w"] = w
            holder["ig"] = g

        b = timed(ig_build, 1)
        q = timed(lambda: holder["ig"].get_shortest_path(src, dst, weights="w"))
        km = holder["ig"].distances(src, dst, weights="w")[0][0] / 1000
        rows.append(("igraph", b, q, km))
    except ImportError:
        print("igraph not installed: skipped")
    try:
        import rustworkx as rx

        def rx_build() -> None:
            g = rx.PyGraph(multigraph=False)
            g.add_nodes_from(range(n))
            g.add_edges_from(list(zip(u.tolist(), v.tolist(), w.tolist(), strict=True)))
            holder["rx"] = g

        b = timed(rx_build, 1)
        q = timed(lambda: rx.dijkstra_shortest_path_lengths(holder["rx"], src, float, goal=dst), 3)
        km = rx.dijkstra_shortest_path_lengths(holder["rx"], src, float, goal=dst)[dst] / 1000
        rows.append(("rustworkx (lengths only)", b, q, km))
    except ImportError:
        print("rustworkx not installed: skipped")
    print(f"{'library':36} {'build from arrays s':>19} {'query ms':>9} {'km':>9}")
    for name, b, q, km in rows:
        print(f"{name:36} {b:19.2f} {q * 1000:9.1f} {km:9.1f}")


# Published port-to-port distances, nautical miles: the US Hydrographic Office's table of
# trans-Pacific distances (as reprinted in "San Francisco and the Nicaragua Canal", 1898),
# NGA Pub. 151 (New York-Colombo via Gibraltar and Suez), and the sea distance Brisbane-
# Sydney quoted from the maps by the Hawke's Bay Tribune (21 January 1929).
SEA_PUBLISHED = [
    ("San Francisco-Yokohama", (37.81, -122.42), (35.45, 139.65), 4536),
    ("San Francisco-Hong Kong", (37.81, -122.42), (22.29, 114.17), 6060),
    ("Honolulu-Yokohama", (21.31, -157.87), (35.45, 139.65), 3400),
    ("New York-Colombo (via Suez)", (40.70, -74.02), (6.95, 79.84), 8604),
    ("Brisbane-Sydney", (-27.47, 153.03), (-33.86, 151.21), 471),
]


def bench_sea() -> None:
    print("\n== 4. sea lanes against published port-to-port distances ==")
    from route.rail import NoRailRoute
    from route.sea import MAX_PORT_KM, load_sea_network

    started = time.perf_counter()
    network = load_sea_network()
    print(f"lanes loaded in {time.perf_counter() - started:.2f} s")
    print(f"{'passage':32} {'published':>10} {'lanes':>9} {'error':>7}")
    for name, a, b, nmi in SEA_PUBLISHED:
        found = network.route(a, b, max_snap_km=MAX_PORT_KM)
        published = nmi * 1.852
        if isinstance(found, NoRailRoute):
            print(f"{name:32} {published:10,.0f} {'no path':>9}")
            continue
        km = found.km + found.snap_start_km + found.snap_end_km
        print(f"{name:32} {published:10,.0f} {km:9,.0f} {(km / published - 1) * 100:+6.1f}%")


def bench_accuracy(network: Path) -> None:
    print("\n== 3. accuracy against official line lengths ==")
    from route.gazetteer import OfflineGeocoder
    from route.pipeline import build_trip, geocode_stops, parse_stops
    from route.rail import RailNetwork

    plain = RailNetwork.load(network)
    bridged = RailNetwork.load(network, bridge_km=1.0)
    geocoder = OfflineGeocoder()
    errors = []
    print(f"{'section':48} {'official':>9} {'network':>9} {'error':>7}")
    for name, stops, official in OFFICIAL:
        places = geocode_stops(parse_stops(stops), geocoder)
        trip = build_trip(places, rail_network=plain)
        note = ""
        if any(leg.rail is None for leg in trip.legs):
            trip = build_trip(places, rail_network=bridged)
            note = " (gaps bridged, 1 km)"
        if any(leg.rail is None for leg in trip.legs):
            print(f"{name:48} {official:9,} {'no path':>9}")
            continue
        km = trip.rail_km or 0.0
        error = (km - official) / official
        errors.append(error)
        print(f"{name:48} {official:9,} {km:9,.1f} {error * 100:+6.1f}%{note}")
    absolute = [abs(e) for e in errors]
    print(
        f"{len(errors)} sections: median error {statistics.median(errors) * 100:+.1f} %, "
        f"median absolute error {statistics.median(absolute) * 100:.1f} %, "
        f"range {min(errors) * 100:+.1f} % to {max(errors) * 100:+.1f} %"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--network", type=Path, default=DEFAULT_NETWORK)
    parser.add_argument("--only", choices=["speed", "libraries", "accuracy", "sea"])
    args = parser.parse_args()
    network = args.network.resolve()
    cache = tempfile.mkdtemp(prefix="route-bench-rail-")
    env = {**os.environ, "ROUTE_CACHE_DIR": cache}
    os.environ["ROUTE_CACHE_DIR"] = cache
    if args.only in (None, "speed"):
        bench_route_vs_ordinary(network, env)
    if args.only in (None, "libraries"):
        bench_libraries(network)
    if args.only in (None, "accuracy"):
        bench_accuracy(network)
    if args.only in (None, "sea"):
        bench_sea()


if __name__ == "__main__":
    main()
