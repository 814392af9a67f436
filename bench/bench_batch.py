"""Batch throughput: articles per second, 1 and 2 processes and Dask, with peak memory.

Run from the project root in its virtualenv (Dask: ``pip install -e '.[dask]'``):

    python bench/bench_batch.py [--articles 5000] [--runs 1] [--baseline REV]

GeoVirus (``../shared/data/geoparse/GeoVirus.jsonl.gz``, 229 WikiNews articles) is
written out as text files, repeated to ``--articles``; then, side by side:

- ``route places DIR --jsonl`` (``--workers 1``) and ``--workers 2``;
- Dask: :func:`route.batch.places_on_dask` on a ``LocalCluster`` of 2 worker
  processes (1 thread each), JSON Lines out; its time includes starting the cluster;
- with ``--baseline REV``: that revision's ``route places FILE… --jsonl``.

Each is a fresh process on a built gazetteer index; times are wall clock, all in, the
configurations taking turns ``--runs`` times. On a machine shared with other work, run it
with a higher priority (``nice -n -10``, as root) or the parallel runs read slow.
Peak RSS is the largest process's and the whole process tree's (sampled). The
outputs are checked to be the same records in the same order.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _proc import LAST_CPU_S, ROOT, export_tree, median, run_tree

GEOVIRUS = ROOT.parent / "shared" / "data" / "geoparse" / "GeoVirus.jsonl.gz"

DASK = """
import sys
from pathlib import Path
from dask.distributed import Client, LocalCluster
from route.batch import places_on_dask

files = sorted(str(p) for p in Path(sys.argv[1]).glob("*.txt"))
if __name__ == "__main__":
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster):
        places_on_dask(files, sys.argv[2], npartitions=40)
"""


def _corpus(folder: Path, articles: int) -> list[str]:
    with gzip.open(GEOVIRUS, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    folder.mkdir(parents=True)
    names = []
    for i in range(articles):
        path = folder / f"{i:05d}.txt"
        path.write_text(texts[i % len(texts)], encoding="utf-8")
        names.append(str(path))
    return names


def _records(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.dumps(json.loads(line), sort_keys=True) for line in lines]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--baseline", metavar="REV")
    args = parser.parse_args()
    if not GEOVIRUS.exists():
        sys.exit(f"{GEOVIRUS} is missing: this benchmark needs the shared GeoVirus corpus")
    scratch = Path(tempfile.mkdtemp(prefix="route-bench-batch-"))
    env = {**os.environ}
    env.pop("ROUTE_RAIL_NETWORK", None)
    try:
        files = _corpus(scratch / "texts", args.articles)
        chars = sum(os.path.getsize(f) for f in files)
        route = [sys.executable, "-m", "route", "places"]
        configs: list[tuple[str, list[str], dict[str, str], Path]] = []
        if args.baseline:
            tree = export_tree(args.baseline, scratch / "baseline")
            configs.append(
                (
                    f"{args.baseline}: places FILE… --jsonl",
                    [*route, *files, "--jsonl"],
                    {**env, "PYTHONPATH": str(tree)},
                    scratch / "baseline.jsonl",
                )
            )
        texts = str(scratch / "texts")
        configs += [
            (
                "places DIR --jsonl --workers 1",
                [*route, texts, "--jsonl"],
                env,
                scratch / "w1.jsonl",
            ),
            (
                "places DIR --jsonl --workers 2",
                [*route, texts, "--jsonl", "--workers", "2"],
                env,
                scratch / "w2.jsonl",
            ),
            (
                "Dask LocalCluster, 2 workers",
                [sys.executable, "-c", DASK, texts, str(scratch / "dask")],
                env,
                scratch / "dask.jsonl",
            ),
        ]
        # Warm the index and the file cache once; then each configuration in turn.
        run_tree([*route, files[0], "--jsonl"], env)
        results: dict[str, list[tuple[float, float, float, float, float]]] = {
            c[0]: [] for c in configs
        }
        for _ in range(args.runs):
            for label, argv, run_env, out in configs:
                shutil.rmtree(scratch / "dask", ignore_errors=True)
                wall, tree_mb, one_mb, code, err = run_tree(
                    argv, run_env, cwd=ROOT, stdout_path=out
                )
                if code != 0:
                    sys.exit(f"{label} failed ({code}):\n{err[-2000:]}")
                if label.startswith("Dask"):
                    parts = sorted((scratch / "dask").glob("*.jsonl"))
                    out.write_text("".join(p.read_text(encoding="utf-8") for p in parts))
                load = os.getloadavg()[0]
                results[label].append((wall, tree_mb, one_mb, LAST_CPU_S[0], load))
        reference = _records(scratch / "w1.jsonl")
        same = {label: _records(out) == reference for label, _, _, out in configs}
        one = median([r[0] for r in results["places DIR --jsonl --workers 1"]])
        print(
            f"{args.articles:,} GeoVirus articles ({chars / 1e6:.1f} MB), "
            f"{os.cpu_count()} cores, median of {args.runs}\n"
        )
        best_one = min(r[0] for r in results["places DIR --jsonl --workers 1"])
        print(
            "| run | wall (median) | articles/s | speed-up | wall (best) | speed-up (best) | CPU "
            "| load | peak RSS: largest process | tree | output |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for label, runs in results.items():
            wall = median([r[0] for r in runs])
            best = min(r[0] for r in runs)
            print(
                f"| {label} | {wall:.1f} s | {args.articles / wall:,.0f} | {one / wall:.2f}× "
                f"| {best:.1f} s | {best_one / best:.2f}× "
                f"| {median([r[3] for r in runs]):.1f} s | {median([r[4] for r in runs]):.1f} "
                f"| {median([r[2] for r in runs]):.0f} MB | {median([r[1] for r in runs]):.0f} MB "
                f"| {'same' if same[label] else 'DIFFERENT'} |"
            )
        print(
            "\nload: the 1-minute load average when the run ended (this machine has "
            f"{os.cpu_count()} cores; other work on it slows the parallel runs most)."
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
