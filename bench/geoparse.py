"""Geoparsing benchmark on the public TR-News and GeoVirus corpora.

Reads ``../shared/data/geoparse/*.jsonl.gz`` (skips cleanly when absent), runs route
in-process and a names-only baseline (geotext) with the corpora README's protocol, and
prints them beside the published systems:

    python bench/geoparse.py

Protocol: recognition by exact span (any-overlap beside it); on GeoVirus, demonym
predictions are left out (it does not annotate them). Resolution on exactly matched spans
with coordinates on both sides: acc@161, mean and median error (km), AUC of
ln(1 + km) / ln(20039) (trapezoid rule / (n − 1)); a predicted GeoNames id equal to the
gold id counts as 0 km.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "geoparse"
MAX_KM = 20039.0

PUBLISHED = {
    # system: (TR-News P, R, F1, acc@161, AUC, GeoVirus P, R, F1, acc@161, AUC)
    "StanfordNER": (.890, .731, .803, .711, .261, .927, .903, .915, .655, .378),
    "TopoCluster": (.883, .714, .790, .623, .387, .877, .813, .844, .673, .407),
    "CamCoder": (.897, .638, .746, .824, .161, .940, .802, .866, .770, .336),
    "DM_NLP": (.749, .618, .677, .688, .280, .917, .916, .917, .655, .378),
    "GeoTxt": (.824, .596, .692, .801, .168, .857, .726, .786, .787, .337),
    "CLAVIN": (.908, .505, .649, .829, .149, .913, .637, .750, .786, .320),
    "Edinburgh Geoparser": (.709, .538, .612, .850, .127, .860, .559, .678, .807, .319),
    "spaCy NER": (.659, .402, .500, .739, .239, .721, .382, .499, .698, .367),
}  # fmt: skip


@dataclass(frozen=True)
class Prediction:
    start: int
    end: int
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    kind: str = "place"


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    overlap_f1: float
    acc161: float
    mean_km: float
    median_km: float
    auc: float
    resolved: int


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def auc(errors_km: Sequence[float]) -> float:
    """Area under the sorted curve of ln(1 + km) / ln(20039), trapezoid rule, / (n − 1)."""
    values = sorted(math.log(1 + min(e, MAX_KM)) / math.log(MAX_KM) for e in errors_km)
    if len(values) < 2:
        return values[0] if values else 0.0
    area = sum((a + b) / 2 for a, b in itertools.pairwise(values))
    return area / (len(values) - 1)


def score(gold_docs: Iterable[list[dict]], predicted_docs: Iterable[list[Prediction]]) -> Scores:
    """Score predictions against gold toponyms, document by document."""
    tp = n_pred = n_gold = overlap_pred = overlap_gold = 0
    errors: list[float] = []
    for gold, predicted in zip(gold_docs, predicted_docs, strict=True):
        n_pred += len(predicted)
        n_gold += len(gold)
        by_span = {(p.start, p.end): p for p in predicted}
        for g in gold:
            p = by_span.get((g["start"], g["end"]))
            if p is None:
                continue
            tp += 1
            if g.get("lat") is None or p.lat is None or p.lon is None:
                continue
            same_id = g.get("geonameid") is not None and g.get("geonameid") == p.geonameid
            errors.append(0.0 if same_id else _haversine_km((g["lat"], g["lon"]), (p.lat, p.lon)))
        overlap_pred += sum(
            1 for p in predicted if any(p.start < g["end"] and g["start"] < p.end for g in gold)
        )
        overlap_gold += sum(
            1 for g in gold if any(p.start < g["end"] and g["start"] < p.end for p in predicted)
        )
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    op = overlap_pred / n_pred if n_pred else 0.0
    orr = overlap_gold / n_gold if n_gold else 0.0
    of1 = 2 * op * orr / (op + orr) if op + orr else 0.0
    return Scores(
        precision=precision,
        recall=recall,
        f1=f1,
        overlap_f1=of1,
        acc161=sum(1 for e in errors if e <= 161) / len(errors) if errors else 0.0,
        mean_km=statistics.fmean(errors) if errors else 0.0,
        median_km=statistics.median(errors) if errors else 0.0,
        auc=auc(errors),
        resolved=len(errors),
    )


def load(name: str) -> list[dict]:
    with gzip.open(DATA / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def route_system() -> Callable[[str], list[Prediction]]:
    from route.extract import find_mentions
    from route.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()

    def run(text: str) -> list[Prediction]:
        return [
            Prediction(
                f.start, f.end, f.candidate.lat, f.candidate.lon, f.candidate.geonameid, f.kind
            )
            for f in find_mentions(text, gazetteer)
        ]

    return run


def geotext_system() -> Callable[[str], list[Prediction]] | None:
    try:
        from geotext import GeoText
    except ImportError:
        return None

    def run(text: str) -> list[Prediction]:
        found = GeoText(text)
        spans = set()
        for name in [*found.cities, *found.countries]:
            start = 0
            while (i := text.find(name, start)) >= 0:
                spans.add((i, i + len(name)))
                start = i + len(name)
        return [Prediction(s, e) for s, e in sorted(spans)]

    return run


def throughput() -> None:
    """All GeoVirus articles in one `route places --jsonl` run (files in a temp dir)."""
    import resource
    import subprocess
    import tempfile

    # The route next to this interpreter (a bare "route" on PATH may be net-tools').
    route = Path(sys.executable).with_name("route")
    if not route.exists():
        print("route places --jsonl: skipped, no route command beside", sys.executable)
        return
    with tempfile.TemporaryDirectory(prefix="route-geovirus-") as work:
        files = []
        for i, doc in enumerate(load("GeoVirus")):
            path = Path(work) / f"{i:03d}.txt"
            path.write_text(doc["text"], encoding="utf-8")
            files.append(str(path))
        started = time.perf_counter()
        done = subprocess.run(
            [str(route), "places", *files, "--jsonl"], capture_output=True, text=True, check=True
        )
        elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"route places --jsonl, {len(files)} GeoVirus files: {elapsed:.2f} s wall "
        f"(process start included), {len(done.stdout.splitlines())} lines, peak {peak:.0f} MB"
    )


def main() -> None:
    if not DATA.exists():
        print(f"skipped: {DATA} is not there")
        return
    systems = {"route": route_system(), "geotext 0.4": geotext_system()}
    rows: dict[str, dict[str, Scores]] = {}
    for corpus in ("TR-News", "GeoVirus"):
        docs = load(corpus)
        for name, system in systems.items():
            if system is None:
                continue
            started = time.perf_counter()
            predicted = [system(d["text"]) for d in docs]
            elapsed = time.perf_counter() - started
            if corpus == "GeoVirus":  # demonyms are not annotated there
                predicted = [[p for p in doc if p.kind != "demonym"] for doc in predicted]
            rows.setdefault(name, {})[corpus] = score([d["toponyms"] for d in docs], predicted)
            chars = sum(len(d["text"]) for d in docs)
            line = f"{name:12} {corpus:9} {len(docs)} docs, {chars:,} chars in {elapsed:.2f} s"
            print(line, file=sys.stderr)

    header = f"{'system':22} {'TR-News P / R / F1':22} {'acc@161':>7} {'AUC':>6}   "
    header += f"{'GeoVirus P / R / F1':22} {'acc@161':>7} {'AUC':>6}"
    print(header)
    for name, by_corpus in rows.items():
        cells = []
        for corpus in ("TR-News", "GeoVirus"):
            s = by_corpus[corpus]
            resolution = (
                f"{s.acc161:7.3f} {s.auc:6.3f}" if name == "route" else f"{'–':>7} {'–':>6}"
            )
            cells.append(f"{s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f}   {resolution}")
        print(f"{name:22} " + "   ".join(cells))
    for name, v in PUBLISHED.items():
        print(
            f"{name:22} {v[0]:.3f} / {v[1]:.3f} / {v[2]:.3f}   {v[3]:7.3f} {v[4]:6.3f}   "
            f"{v[5]:.3f} / {v[6]:.3f} / {v[7]:.3f}   {v[8]:7.3f} {v[9]:6.3f}"
        )
    throughput()
    for corpus in ("TR-News", "GeoVirus"):
        s = rows["route"][corpus]
        print(
            f"route {corpus}: overlap F1 {s.overlap_f1:.3f}; resolution on {s.resolved} spans: "
            f"mean {s.mean_km:,.0f} km, median {s.median_km:,.1f} km"
        )


if __name__ == "__main__":
    main()
