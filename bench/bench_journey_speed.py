"""What reading the journey costs: the parse on top of place extraction, side by side.

Run from the project root in its virtualenv:

    python bench/bench_journey_speed.py

For a 1,000-word journey text (the corpus texts of tests/data/journeys/ joined) and for
the seed article it prints, in one process, the median of 5 runs of
``analyse_text(journey=False)`` (places and claims) and ``analyse_text(journey=True)``
(plus stops, order, modes: the dependency parse), the one-off cost of loading the spaCy
pipeline, and the peak RSS; then whole ``route map --no-rail`` processes with and without
a text (``--stops``), median of 3.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _words(n: int) -> str:
    texts = sorted((ROOT / "tests" / "data" / "journeys").glob("*.txt"))
    out: list[str] = []
    for path in texts:
        out.extend(path.read_text(encoding="utf-8").split())
        if len(out) >= n:
            break
    return " ".join(out[:n])


def _median(run: object, times: int = 5) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _process(args: list[str], times: int = 3) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    from route.gazetteer import default_gazetteer
    from route.pipeline import analyse_text

    gazetteer = default_gazetteer()
    started = time.perf_counter()
    from route.nlp import load_pipeline

    load_pipeline()
    load = time.perf_counter() - started
    texts = {
        "1,000-word journey text": _words(1000),
        "seed article": (ROOT / "seeds" / "kim-train-to-hanoi.txt").read_text(encoding="utf-8"),
    }
    print(f"spaCy pipeline load (once per process): {load:.2f} s")
    print("| text | places + claims | + journey (parse) | added |")
    print("|---|---|---|---|")
    for name, text in texts.items():
        analyse_text(text, gazetteer)  # warm
        plain = _median(lambda t=text: analyse_text(t, gazetteer, journey=False))
        full = _median(lambda t=text: analyse_text(t, gazetteer))
        print(f"| {name} | {plain:.3f} s | {full:.3f} s | {full - plain:+.3f} s |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS (this process): {peak:.0f} MB")

    route = str(Path(sys.executable).with_name("route"))
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "m.html")
        seed = str(ROOT / "seeds" / "kim-train-to-hanoi.txt")
        stops = "Pyongyang, Dandong, Dong Dang, Hanoi"
        with_text = _process([route, "map", seed, "-o", out, "--no-rail"])
        typed = _process([route, "map", "--stops", stops, "-o", out, "--no-rail"])
    print("| whole process, warm | median of 3 |")
    print("|---|---|")
    print(f"| route map SEED --no-rail (reads the journey) | {with_text:.2f} s |")
    print(f"| route map --stops … --no-rail (no text) | {typed:.2f} s |")


if __name__ == "__main__":
    main()
