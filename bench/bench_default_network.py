"""The world rail network shipped in the package: GeoJSON.gz or a prebuilt graph?

Run from the project root in its virtualenv:

    python bench/bench_default_network.py [--source FILE] [--repeat 3]
    python bench/bench_default_network.py make [--source FILE]

``make`` writes ``route/data/ne_10m_railroads.graph.npz`` from Natural Earth's
``ne_10m_railroads.geojson.gz`` (the default ``--source`` is the team's copy beside the
checkout; any copy of the same file gives the same graph) and prints its size and
SHA-256. Run it again whenever ``route.rail.GRAPH_FORMAT`` or ``PACKED_FORMAT`` changes
(``tests/test_rail.py`` fails until then).

The measurement compares the two ways to ship the network, each in fresh processes:

1. **GeoJSON.gz in the package** (5.8 MB): the first run reads it, builds the graph and
   writes the graph cache (about 44 MB in the user cache directory); later runs load
   that cache.
2. **Prebuilt compact graph in the package** (``pack_network``): the first run decodes
   it, no build, and keeps the decoded graph in the cache; later runs read that.

For each: package bytes, and, median of ``--repeat`` runs, the time to load the network
and route Pyongyang → Dandong in-process, the peak memory of that process, and the wall
time of the whole command ``route map seeds/kim-train-to-hanoi.txt -o m.html`` (its
gazetteer index built beforehand, so only the rail network differs).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "ne_10m_railroads.geojson.gz"
PACKAGED = ROOT / "route" / "data" / "ne_10m_railroads.graph.npz"
SEED = ROOT / "seeds" / "kim-train-to-hanoi.txt"

#: In-process probe: load the network, route one leg, report times and peak RSS.
PROBE = """
import json, resource, sys, time
started = time.perf_counter()
from route.rail import RailNetwork
imported = time.perf_counter()
network = RailNetwork.load(sys.argv[1] or None)
loaded = time.perf_counter()
leg = network.route((39.03385, 125.75432), (40.12917, 124.39472))
routed = time.perf_counter()
print(json.dumps({
    "import_s": imported - started,
    "load_s": loaded - imported,
    "route_s": routed - loaded,
    "km": leg.km,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""

#: Runs a command and prints its wall time and peak RSS (its own, not this wrapper's).
WRAP = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({
    "wall_s": time.perf_counter() - started,
    "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "code": done.returncode,
    "stderr": done.stderr[-300:],
    "rail": "Rail km" in done.stdout,
}))
"""


#: Measurements by run ("first", "warm").
_Runs = dict[str, list[dict[str, float]]]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make(source: Path) -> None:
    """Write the packaged graph from ``source`` and describe it."""
    from route.rail import pack_network

    started = time.perf_counter()
    pack_network(source, PACKAGED)
    print(f"wrote {PACKAGED.relative_to(ROOT)} from {source.name} in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    print(f"{PACKAGED.stat().st_size:,} bytes, sha256 {_sha256(PACKAGED)}")
    print(f"source {source.name}: {source.stat().st_size:,} bytes, sha256 {_sha256(source)}")


def _env(cache: Path, network: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUTE_")}
    env["ROUTE_CACHE_DIR"] = str(cache)
    env["ROUTE_DATA_DIR"] = str(cache / "no-data")
    if network:
        env["ROUTE_RAIL_NETWORK"] = network
    return env


def _probe(cache: Path, network: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, network],
        env=_env(cache, network),
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.splitlines()[-1])
    return result


def _cli(cache: Path, network: str, html: Path) -> dict[str, float]:
    route = str(Path(sys.executable).with_name("route"))
    out = subprocess.run(
        [sys.executable, "-c", WRAP, route, "map", str(SEED), "-o", str(html)],
        env=_env(cache, network),
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.splitlines()[-1])
    if result["code"] != 0 or not result["rail"]:
        raise SystemExit(f"route map failed or printed no rail km: {result}")
    return result


def measure(source: Path, repeat: int) -> None:
    """Both ways, first run and warm, in fresh processes."""
    if not PACKAGED.exists():
        raise SystemExit(f"{PACKAGED} is missing: run 'python bench/bench_default_network.py make'")
    with tempfile.TemporaryDirectory(prefix="route-bench-") as tmp:
        base = Path(tmp)
        shipped = base / "package" / "ne_10m_railroads.geojson.gz"
        shipped.parent.mkdir()
        shutil.copyfile(source, shipped)
        # One gazetteer index for every run, so that only the rail network differs.
        index_cache = base / "index"
        print("building the gazetteer index once…", file=sys.stderr)
        _cli(index_cache, "", base / "warmup.html")
        index = next(index_cache.glob("gazetteer-*.sqlite"))

        ways = {
            "GeoJSON.gz": (str(shipped), shipped.stat().st_size),
            "prebuilt graph": ("", PACKAGED.stat().st_size),
        }
        runs: dict[str, _Runs] = {name: {"first": [], "warm": []} for name in ways}
        cli: dict[str, _Runs] = {name: {"first": [], "warm": []} for name in ways}
        cache_bytes: dict[str, int] = {}
        for i in range(repeat):  # the ways take turns, so that load on the machine hits both
            for name, (network, _) in ways.items():
                cache = base / f"{name.split()[0]}-{i}"
                cache.mkdir()
                os.link(index, cache / index.name)
                runs[name]["first"].append(_probe(cache, network))
                runs[name]["warm"].append(_probe(cache, network))
                shutil.rmtree(cache / "rail", ignore_errors=True)
                cli[name]["first"].append(_cli(cache, network, cache / "m.html"))
                cli[name]["warm"].append(_cli(cache, network, cache / "m.html"))
                cache_bytes[name] = sum(p.stat().st_size for p in (cache / "rail").glob("*"))
        rows = []
        for name, (_, size) in ways.items():
            for when in ("first", "warm"):
                probe, whole = runs[name][when], cli[name][when]
                rows.append(
                    (
                        name,
                        when,
                        size / 1e6,
                        statistics.median(r["load_s"] for r in probe),
                        statistics.median(r["route_s"] for r in probe),
                        statistics.median(r["peak_mb"] for r in probe),
                        statistics.median(r["wall_s"] for r in whole),
                        statistics.median(r["peak_mb"] for r in whole),
                        cache_bytes[name] / 1e6,
                        probe[0]["km"],
                    )
                )
    print(f"median of {repeat} fresh processes each; 'first' = empty graph cache\n")
    head = ("shipped", "run", "package MB", "load s", "route s", "peak MB",
            "route map s", "map peak MB", "cache MB", "Pyongyang-Dandong km")  # fmt: skip
    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    for n, w, mb, load, rt, peak, wall, wpeak, cache_mb, km in rows:
        print(f"{n} | {w} | {mb:.1f} | {load:.2f} | {rt:.2f} | {peak:.0f} | {wall:.2f} | "
              f"{wpeak:.0f} | {cache_mb:.1f} | {km:.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=["measure", "make"], default="measure")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.source.exists():
        raise SystemExit(f"{args.source} not found: pass --source ne_10m_railroads.geojson.gz")
    if args.command == "make":
        make(args.source)
    else:
        measure(args.source, args.repeat)


if __name__ == "__main__":
    main()
