"""First run: the gazetteer index build, alone and with 6 processes starting together.

Run from the project root in its virtualenv:

    python bench/bench_first_run.py [--baseline REV] [--concurrent 6] [--runs 3]

Every process opens the gazetteer (``Gazetteer.open()``) on an empty cache directory,
as a first ``route`` run does. For each tree (``--baseline REV``: the ``route``
package of that git revision, unpacked to a temporary directory; then this work tree)
it prints, side by side:

- one process: wall time, CPU time and peak RSS (median of ``--runs``);
- ``--concurrent`` processes started together: wall time until the last one is done,
  each one's peak RSS, and how many built the index (a build costs seconds of CPU;
  a process that waits for another's build costs a fraction of one).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _proc import ROOT, Run, export_tree, median, run_together

OPEN = "from route.gazetteer import Gazetteer; Gazetteer.open().close()"
#: A process that spent more CPU than this built the index itself.
BUILD_CPU_S = 2.0


def _env(tree: Path, cache: Path) -> dict[str, str]:
    env = {**os.environ, "ROUTE_CACHE_DIR": str(cache), "PYTHONPATH": str(tree)}
    env.pop("ROUTE_RAIL_NETWORK", None)
    return env


def _first_runs(tree: Path, n: int, scratch: Path) -> list[Run]:
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=scratch))
    try:
        runs = run_together([[sys.executable, "-c", OPEN]] * n, _env(tree, cache), cwd=scratch)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    for run in runs:
        if run.returncode != 0:
            sys.exit(f"a first run failed ({run.returncode}):\n{run.stderr}")
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", metavar="REV", help="git revision to compare with")
    parser.add_argument("--concurrent", type=int, default=6)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="route-bench-first-run-"))
    trees: list[tuple[str, Path]] = []
    if args.baseline:
        trees.append((args.baseline, export_tree(args.baseline, scratch / "baseline")))
    trees.append(("work tree", ROOT))
    try:
        rows = []
        for label, tree in trees:
            alone = [_first_runs(tree, 1, scratch)[0] for _ in range(args.runs)]
            together = _first_runs(tree, args.concurrent, scratch)
            rows.append((label, alone, together))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"gazetteer index build on an empty cache ({os.cpu_count()} cores)\n")
    print("| tree | 1 process: wall | CPU | peak RSS |")
    print("|---|---|---|---|")
    for label, alone, _ in rows:
        print(
            f"| {label} | {median([r.wall_s for r in alone]):.1f} s "
            f"| {median([r.cpu_s for r in alone]):.1f} s "
            f"| {median([r.peak_mb for r in alone]):.0f} MB |"
        )
    n = args.concurrent
    print(f"\n| tree | {n} together: wall (last done) | builds | peak RSS (max / each) |")
    print("|---|---|---|---|")
    for label, _, together in rows:
        builds = sum(r.cpu_s > BUILD_CPU_S for r in together)
        each = " ".join(f"{r.peak_mb:.0f}" for r in together)
        print(
            f"| {label} | {max(r.wall_s for r in together):.1f} s | {builds} "
            f"| {max(r.peak_mb for r in together):.0f} MB ({each}) |"
        )


if __name__ == "__main__":
    main()
