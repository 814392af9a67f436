"""Big texts: ``route map`` and ``route places`` on 2 / 4 / 8 / 50 MB, time and peak memory.

Run from the project root in its virtualenv:

    python bench/bench_big_texts.py [--sizes 2,4,8] [--timeout 900] [--baseline REV]

The texts are the project's own (``tests/data/texts``, ``tests/data/journeys``,
``seeds``) concatenated and repeated up to each size. Each command is a fresh
process on a built gazetteer index (``route map`` with the shipped rail network);
a run still going after ``--timeout`` seconds is stopped and shown as such. Printed
side by side, per size: wall time, seconds per MB (the target is at most 1.5, the
same at every size) and peak RSS (the target at 50 MB: at most 1 GB).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _proc import ROOT, export_tree, run_together

SOURCES = [ROOT / "tests" / "data" / "texts", ROOT / "tests" / "data" / "journeys", ROOT / "seeds"]


def big_text(megabytes: float) -> str:
    """The project's texts, concatenated and repeated to ``megabytes`` MB of UTF-8."""
    parts = [p.read_text(encoding="utf-8") for d in SOURCES for p in sorted(d.glob("*.txt"))]
    corpus = "\n\n".join(parts) + "\n\n"
    size = int(megabytes * 1_000_000)
    text = corpus * (size // len(corpus.encode()) + 1)
    return text.encode()[:size].decode("utf-8", "ignore")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2,4,8", help="MB, comma-separated (50 takes long)")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--baseline", metavar="REV")
    parser.add_argument("--commands", default="map,places")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    scratch = Path(tempfile.mkdtemp(prefix="route-bench-big-"))
    env = {**os.environ}
    env.pop("ROUTE_RAIL_NETWORK", None)
    trees: list[tuple[str, dict[str, str]]] = []
    if args.baseline:
        tree = export_tree(args.baseline, scratch / "baseline")
        trees.append((args.baseline, {**env, "PYTHONPATH": str(tree)}))
    trees.append(("work tree", env))
    commands = {
        "map": lambda f: ["map", str(f), "-o", str(scratch / "m.html")],
        "places": lambda f: ["places", str(f), "--json"],
    }
    rows = []
    try:
        for size in sizes:
            path = scratch / f"text-{size:g}MB.txt"
            path.write_text(big_text(size), encoding="utf-8")
            for name in args.commands.split(","):
                for label, run_env in trees:
                    argv = [sys.executable, "-m", "route", *commands[name](path)]
                    (run,) = run_together([argv], run_env, cwd=ROOT, timeout=args.timeout)
                    rows.append((name, size, label, run))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"big texts ({os.cpu_count()} cores); killed after {args.timeout:.0f} s\n")
    print("| command | MB | tree | wall | s per MB | peak RSS |")
    print("|---|---|---|---|---|---|")
    for name, size, label, run in rows:
        killed = run.returncode == -9
        wall = f"> {args.timeout:.0f} s (stopped)" if killed else f"{run.wall_s:.1f} s"
        per_mb = "–" if killed else f"{run.wall_s / size:.2f}"
        if run.returncode not in (0, -9):
            last = (run.stderr.strip().splitlines() or ["?"])[-1][:60]
            wall, per_mb = f"failed ({run.returncode}): {last}", "–"
        print(f"| {name} | {size:g} | {label} | {wall} | {per_mb} | {run.peak_mb:,.0f} MB |")


if __name__ == "__main__":
    main()
