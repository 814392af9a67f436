"""First run: the gazetteer index build, alone and with 6 processes starting together.

Run from the project root in its virtualenv:

    python bench/bench_first_run.py [--baseline REV] [--concurrent 6] [--runs 3]

Every process opens the gazetteer (``Gazetteer.open()``) on an empty cache directory,
as a first ``route`` run does. For each tree (``--baseline REV``: the ``route``
package of that git revision, unpacked to a temporary directory; then this work tree)
it prints, side by side (the work tree also with ``ROUTE_BUILD_PROCESSES=1``, a build
in one process):

- one process: wall time, CPU time (its own and its children's: the build forks a second
  process to read part of the cities) and peak RSS (median of ``--runs``);
- ``--concurrent`` processes started together: wall time until the last one is done,
  each one's peak RSS, and how many built the index (a build costs seconds of CPU;
  a process that waits for another's build costs a fraction of one);
- the digest of each tree's index content (every table's rows, sorted): a faster
  build must write the same index.

The trees take turns, run by run: on a shared machine the speed drifts over minutes,
and one tree's runs all in a row would take the drift for a difference.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _proc import ROOT, Run, export_tree, median, run_together

OPEN = "from route.gazetteer import Gazetteer; Gazetteer.open().close()"
#: A process that spent more CPU than this built the index itself.
BUILD_CPU_S = 2.0


def _env(tree: Path, cache: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {**os.environ, "ROUTE_CACHE_DIR": str(cache), "PYTHONPATH": str(tree), **extra}
    env.pop("ROUTE_RAIL_NETWORK", None)
    return env


def content_digest(index: Path) -> str:
    """SHA-256 of an index's schema and of every table's rows, sorted (the file's own
    bytes may differ: page order, free pages)."""
    digest = hashlib.sha256()
    conn = sqlite3.connect(f"{index.resolve().as_uri()}?mode=ro", uri=True)
    try:
        for (sql,) in sorted(conn.execute("SELECT coalesce(sql, '') FROM sqlite_master")):
            digest.update(f"{sql}\n".encode())
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in sorted(tables):
            width = len(conn.execute(f'SELECT * FROM "{table}" LIMIT 0').description)
            order = ", ".join(str(i) for i in range(1, width + 1))
            digest.update(f"{table}\n".encode())
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY {order}'):
                digest.update(f"{row!r}\n".encode())
    finally:
        conn.close()
    return digest.hexdigest()


def _digest_apart(index: Path) -> str:
    """:func:`content_digest` in a process of its own: the rows it reads would swell
    this one, and the processes it starts next would start from its size (peak RSS)."""
    code = (
        "import sys, pathlib, bench_first_run as b;"
        " print(b.content_digest(pathlib.Path(sys.argv[1])))"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent)}
    out = subprocess.run(
        [sys.executable, "-c", code, str(index)], env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        sys.exit(f"cannot read the built index {index}:\n{out.stderr}")
    return out.stdout.strip()


def _first_runs(
    tree: Path, extra: dict[str, str], n: int, scratch: Path, digests: set[str]
) -> list[Run]:
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=scratch))
    try:
        env = _env(tree, cache, extra)
        runs = run_together([[sys.executable, "-c", OPEN]] * n, env, cwd=scratch)
        for run in runs:
            if run.returncode != 0:
                sys.exit(f"a first run failed ({run.returncode}):\n{run.stderr}")
        indexes = list(cache.glob("gazetteer-*.sqlite"))
        if len(indexes) != 1:
            sys.exit(f"expected one index in the cache, found {[p.name for p in indexes]}")
        digests.add(_digest_apart(indexes[0]))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", metavar="REV", help="git revision to compare with")
    parser.add_argument("--concurrent", type=int, default=6)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="route-bench-first-run-"))
    trees: list[tuple[str, Path, dict[str, str]]] = []
    if args.baseline:
        trees.append((args.baseline, export_tree(args.baseline, scratch / "baseline"), {}))
    # The build reads the cities in two processes where it can; one, as an alternative.
    trees.append(("work tree, 1 build process", ROOT, {"ROUTE_BUILD_PROCESSES": "1"}))
    trees.append(("work tree", ROOT, {}))
    alone: dict[str, list[Run]] = {label: [] for label, _, _ in trees}
    together: dict[str, list[Run]] = {}
    digests: dict[str, set[str]] = {label: set() for label, _, _ in trees}
    try:
        for _ in range(args.runs):
            for label, tree, extra in trees:
                alone[label].append(_first_runs(tree, extra, 1, scratch, digests[label])[0])
        for label, tree, extra in trees:
            together[label] = _first_runs(tree, extra, args.concurrent, scratch, digests[label])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"gazetteer index build on an empty cache ({os.cpu_count()} cores)\n")
    print("| tree | 1 process: wall | CPU | peak RSS |")
    print("|---|---|---|---|")
    for label, runs in alone.items():
        print(
            f"| {label} | {median([r.wall_s for r in runs]):.1f} s "
            f"| {median([r.cpu_s for r in runs]):.1f} s "
            f"| {median([r.peak_mb for r in runs]):.0f} MB |"
        )
    n = args.concurrent
    print(f"\n| tree | {n} together: wall (last done) | builds | peak RSS (max / each) |")
    print("|---|---|---|---|")
    for label, runs in together.items():
        builds = sum(r.cpu_s > BUILD_CPU_S for r in runs)
        each = " ".join(f"{r.peak_mb:.0f}" for r in runs)
        print(
            f"| {label} | {max(r.wall_s for r in runs):.1f} s | {builds} "
            f"| {max(r.peak_mb for r in runs):.0f} MB ({each}) |"
        )
    print()
    for label, found in digests.items():
        print(f"index content, {label}: {', '.join(sorted(d[:16] for d in found))}")
    if len(set().union(*digests.values())) > 1:
        print("THE INDEX CONTENT DIFFERS")


if __name__ == "__main__":
    main()
