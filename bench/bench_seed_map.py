"""The seed's warm `route map` (and `route --help`), before and after, side by side.

Run from the project root in its virtualenv:

    python bench/bench_seed_map.py [--before REV] [--runs 7] [--no-bytecode]

`--before` is a git revision (default: the commit before the warm-run work of issue 15);
"after" is this working tree. Both run as fresh processes, in turns, on one warm cache
directory (`$ROUTE_CACHE_DIR`, or a temporary one warmed by a first run of each), with
the rail network shipped in the package. Each figure is the median wall time, CPU time
and peak RSS (`bench/_proc.py`). The printed tables of both must be identical, and the
maps too once folium's random element ids are set aside.

Bytecode: by default each tree's modules are compiled once (as an installed package's
are); `--no-bytecode` compiles route's own modules on every run (as with
PYTHONDONTWRITEBYTECODE=1 in a source checkout that has no `__pycache__`; the installed
libraries keep theirs).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _proc import ROOT, Run, export_tree, median, run_one

SEED = ROOT / "seeds" / "kim-train-to-hanoi.txt"
#: The last commit before the warm-run work (issue 15).
BEFORE = "777809a"
_IDS = re.compile(rb"[0-9a-f]{32}")


def _env(tree: Path, cache: Path, no_bytecode: bool) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(tree), "ROUTE_CACHE_DIR": str(cache)}
    for name in ("ROUTE_RAIL_NETWORK", "ROUTE_DATA_DIR", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    if no_bytecode:  # the trees have no __pycache__, and none is written
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _map(env: dict[str, str], out: Path) -> Run:
    argv = [sys.executable, "-m", "route", "map", str(SEED), "-o", str(out)]
    run = run_one(argv, env, cwd=out.parent)  # not ROOT: `-m` puts the cwd on sys.path first
    if run.returncode != 0:
        raise SystemExit(f"route map failed:\n{run.stderr}")
    return run


def _help(env: dict[str, str], cwd: Path) -> Run:
    return run_one([sys.executable, "-m", "route", "--help"], env, cwd=cwd)


def _row(name: str, runs: list[Run]) -> str:
    walls = [r.wall_s for r in runs]
    cpu, peak = median([r.cpu_s for r in runs]), median([r.peak_mb for r in runs])
    return (
        f"{name:28} {median(walls):7.2f} s {cpu:7.2f} s {peak:7.0f} MB"
        f"   (wall {min(walls):.2f}–{max(walls):.2f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", default=BEFORE, help="git revision to compare with")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-bytecode", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="route-bench-seed-"))
    cache = Path(os.environ.get("ROUTE_CACHE_DIR") or work / "cache")
    after = ROOT
    if args.no_bytecode:  # this tree's route, without its __pycache__
        after = work / "after"
        shutil.copytree(ROOT / "route", after / "route", ignore=shutil.ignore_patterns("*.pyc"))
    trees = {"before": export_tree(args.before, work / "before"), "after": after}
    envs = {name: _env(tree, cache, args.no_bytecode) for name, tree in trees.items()}
    outputs: dict[str, tuple[str, bytes]] = {}
    for name, env in envs.items():  # warm: the index, the parse and rail caches, bytecode
        _map(env, work / f"{name}.html")
        run = _map(env, work / f"{name}.html")
        outputs[name] = (run.stdout, _IDS.sub(b"ID", (work / f"{name}.html").read_bytes()))
    same_table = outputs["before"][0] == outputs["after"][0]
    same_map = outputs["before"][1] == outputs["after"][1]
    maps: dict[str, list[Run]] = {name: [] for name in trees}
    helps: dict[str, list[Run]] = {name: [] for name in trees}
    for _ in range(args.runs):  # in turns, so a busy moment hits both alike
        for name, env in envs.items():
            maps[name].append(_map(env, work / f"{name}.html"))
            helps[name].append(_help(env, work))
    print(
        f"seed `route map` (with rail), warm, medians of {args.runs} in turns; "
        f"route's bytecode {'compiled every run' if args.no_bytecode else 'kept'}; "
        f"before = {args.before}"
    )
    print(f"{'':28} {'wall':>9} {'CPU':>9} {'peak RSS':>10}")
    for name in trees:
        print(_row(f"route map, {name}", maps[name]))
    for name in trees:
        print(_row(f"route --help, {name}", helps[name]))
    print(f"tables identical: {same_table}; maps identical (element ids aside): {same_map}")
    if not (same_table and same_map):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
