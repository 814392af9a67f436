"""Place extraction benchmark on route's own labelled corpus (tests/data/texts/).

Run from the project root in its virtualenv (baselines: `pip install geotext flashgeotext`):

    python bench/bench_extract.py

Prints, side by side with plain gazetteer matchers (geotext, flashgeotext):
mention precision / recall / F1 on exact spans, and the share of matched spans
resolved to the right country; then route's stop-sequence exact-match rate and
claim precision / recall; then extraction speed on a 1 MB and a 50 MB text.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "texts"
SEED = ROOT / "seeds" / "kim-train-to-hanoi.txt"

Span = tuple[int, int, str]  # start, end, country ("" unknown)


def _route() -> Callable[[str], list[Span]]:
    from route.extract import find_mentions
    from route.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    return lambda text: [
        (f.start, f.end, f.candidate.country) for f in find_mentions(text, gazetteer)
    ]


def _geotext() -> Callable[[str], list[Span]] | None:
    try:
        from geotext import GeoText
    except ImportError:
        return None

    def run(text: str) -> list[Span]:
        found = GeoText(text)
        spans = []
        for name in [*found.cities, *found.countries]:
            start = 0
            while (i := text.find(name, start)) >= 0:
                spans.append((i, i + len(name), ""))
                start = i + len(name)
        return sorted(set(spans))

    return run


def _flashgeotext() -> Callable[[str], list[Span]] | None:
    try:
        from flashgeotext.geotext import GeoText
    except ImportError:
        return None
    engine = GeoText()

    def run(text: str) -> list[Span]:
        found = engine.extract(text, span_info=True)
        spans = []
        for kind in ("cities", "countries"):
            for info in found[kind].values():
                spans.extend((s, e, "") for s, e in info["span_info"])
        return sorted(set(spans))

    return run


def score_mentions(system: Callable[[str], list[Span]], gold: dict) -> dict[str, float]:
    tp = fp = fn = right_country = 0
    for name, g in gold.items():
        text = (CORPUS / name).read_text(encoding="utf-8")
        expected = {(m["start"], m["end"]): m["country"] for m in g["mentions"]}
        got = {(s, e): c for s, e, c in system(text)}
        hits = expected.keys() & got.keys()
        tp += len(hits)
        fp += len(got.keys() - expected.keys())
        fn += len(expected.keys() - got.keys())
        right_country += sum(1 for k in hits if got[k] == expected[k])
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "P": p,
        "R": r,
        "F1": f1,
        "country": right_country / tp if tp else 0.0,
        "fp": fp,
        "fn": fn,
    }


def score_journeys(gold: dict) -> tuple[float, float, float, list[str]]:
    from route.gazetteer import default_gazetteer
    from route.pipeline import analyse_text

    gazetteer = default_gazetteer()
    exact = 0
    claim_tp = claim_fp = claim_fn = 0
    misses = []
    for name, g in gold.items():
        text = (CORPUS / name).read_text(encoding="utf-8")
        analysis = analyse_text(text, gazetteer)
        stops = [c.mention.surface for c in analysis.stops]
        if stops == g["stops"] or (len(g["stops"]) < 2 and len(stops) < 2):
            exact += 1
        else:
            misses.append(f"{name}: stops {stops} (gold {g['stops']})")
        got = {(c.value, c.unit, c.measure) for c in analysis.claims}
        want = {(float(c["value"]), c["unit"], c["measure"]) for c in g["claims"]}
        claim_tp += len(got & want)
        claim_fp += len(got - want)
        claim_fn += len(want - got)
        for c in got - want:
            misses.append(f"{name}: claim {c} not in gold")
        for c in want - got:
            misses.append(f"{name}: gold claim {c} missed")
    p = claim_tp / (claim_tp + claim_fp) if claim_tp + claim_fp else 1.0
    r = claim_tp / (claim_tp + claim_fn) if claim_tp + claim_fn else 1.0
    return exact / len(gold), p, r, misses


def main() -> None:
    gold = json.loads((CORPUS / "gold.json").read_text(encoding="utf-8"))
    n_mentions = sum(len(g["mentions"]) for g in gold.values())
    print(f"corpus: {len(gold)} texts, {n_mentions} gold mentions\n")
    systems = {"route": _route(), "geotext": _geotext(), "flashgeotext": _flashgeotext()}
    print(f"{'system':14} {'P':>6} {'R':>6} {'F1':>6} {'country':>8} {'FP':>4} {'FN':>4}")
    for name, system in systems.items():
        if system is None:
            print(f"{name:14} not installed")
            continue
        s = score_mentions(system, gold)
        country = f"{s['country']:8.3f}" if name == "route" else f"{'n/a':>8}"  # names only
        print(
            f"{name:14} {s['P']:6.3f} {s['R']:6.3f} {s['F1']:6.3f} {country} "
            f"{s['fp']:4d} {s['fn']:4d}"
        )
    exact, cp, cr, misses = score_journeys(gold)
    print(f"\nstop sequences exactly right: {exact:.3f}; claims P {cp:.3f} R {cr:.3f}")
    for miss in misses:
        print("  " + miss)

    from route.gazetteer import default_gazetteer
    from route.pipeline import analyse_text

    gazetteer = default_gazetteer()
    seed = SEED.read_text(encoding="utf-8")
    stops = [c.mention.surface for c in analyse_text(seed, gazetteer).stops]
    print(f"seed article stops: {' → '.join(stops)}")

    route = systems["route"]
    assert route is not None
    for size_mb in (1, 50):
        big = (seed + "\n\n") * (size_mb * 1_000_000 // (len(seed) + 2) + 1)
        runs = []
        for _ in range(3 if size_mb == 1 else 1):
            started = time.perf_counter()
            found = route(big)
            runs.append(time.perf_counter() - started)
        print(
            f"extraction of a {len(big) / 1e6:.1f} MB text: {statistics.median(runs):.2f} s "
            f"({len(found):,} mentions)"
        )


if __name__ == "__main__":
    main()
