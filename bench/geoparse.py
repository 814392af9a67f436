"""Geoparsing benchmark on the public TR-News and GeoVirus corpora.

Reads ``../shared/data/geoparse/*.jsonl.gz`` (skips cleanly when absent), runs route
in-process and a names-only baseline (geotext) with the corpora README's protocol, and
prints them beside the published systems:

    python bench/geoparse.py              # both halves of both corpora, speed
    python bench/geoparse.py --ablate     # ... and F1 without each list and constant

**Development and test halves.** Each corpus is split by document, fixed by the SHA-256
of the document id (even first byte: development, odd: test; see :func:`half`). Rules
and constants are tuned on the development half only; the test half is the figure to
quote. Published systems were scored on whole corpora.

**Protocol, each corpus by its own annotation guide.** Recognition by exact span
(any-overlap beside it). TR-News annotates adjectival forms ("Turkish") and toponyms
inside names ("University of Manitoba"), so every prediction counts. GeoVirus annotates
neither demonyms nor toponyms inside names of organisations ("Michigan State
University"): predictions of kind ``demonym`` and ``embedded`` are left out there
(:data:`LEFT_OUT`). Resolution on exactly matched spans with coordinates on both sides:
acc@161, mean and median error (km), AUC of ln(1 + km) / ln(20039) (trapezoid rule /
(n − 1)); a predicted GeoNames id equal to the gold id counts as 0 km.

**Ablation.** ``--ablate`` runs route again with each word list and scoring constant of
:mod:`route.extract` set to its neutral value (an empty list, a zero bonus, no
threshold) and prints F1 with and without it on both halves. Every public list and
constant of the module must have a row in :data:`ABLATIONS` (checked at start).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import itertools
import json
import math
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "geoparse"
MAX_KM = 20039.0
CORPORA = ("TR-News", "GeoVirus")
HALVES = ("dev", "test")
#: Prediction kinds each corpus does not annotate (its own protocol).
LEFT_OUT = {"TR-News": frozenset[str](), "GeoVirus": frozenset({"demonym", "embedded"})}

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


def half(doc_id: str) -> str:
    """``"dev"`` or ``"test"``: the half a document belongs to, by the hash of its id."""
    return "dev" if hashlib.sha256(doc_id.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def protocol(corpus: str, predicted: list[list[Prediction]]) -> list[list[Prediction]]:
    """The predictions a corpus's annotation guide scores (see :data:`LEFT_OUT`)."""
    left_out = LEFT_OUT[corpus]
    return [[p for p in doc if p.kind not in left_out] for doc in predicted]


def score_halves(
    corpus: str, docs: list[dict], predicted: list[list[Prediction]]
) -> dict[str, Scores]:
    """Scores of the development half, the test half and the whole corpus."""
    kept = protocol(corpus, predicted)
    out = {}
    for name in (*HALVES, "all"):
        chosen = [i for i, d in enumerate(docs) if name == "all" or half(d["id"]) == name]
        out[name] = score([docs[i]["toponyms"] for i in chosen], [kept[i] for i in chosen])
    return out


#: The modules of the place extractor (route.extract composes them), in the order they
#: import each other: a name's first module here is the one that defines it.
EXTRACTOR = ("words", "tokens", "spans", "resolve", "cues", "recognise")
#: The neutral value ("without it") of each scoring constant for ``--ablate``; lists
#: and tables are ablated by emptying them. Module: one of :data:`EXTRACTOR` or
#: ``gazetteer``.
NEUTRAL: dict[tuple[str, str], Any] = {
    ("resolve", "COUNTRY_BONUS"): 0.0,
    ("resolve", "FOREIGN_PENALTY"): 0.0,
    ("resolve", "REGION_BONUS"): 0.0,
    ("recognise", "REGION_INSIDE_SCORE"): math.inf,
    ("recognise", "STRONG_SCORE"): math.inf,
    ("resolve", "CLEAR_MARGIN"): math.inf,
    ("resolve", "MAX_PENALTY"): math.inf,
    ("resolve", "DISTANCE_WEIGHT"): 0.0,
    ("resolve", "MIN_SCORE"): -math.inf,
    ("resolve", "LARGE_TOWN_SCORE"): math.inf,
    ("resolve", "TOWN_OVER_REGION"): math.inf,
    ("resolve", "LARGE_TOWN_POPULATION"): math.inf,  # no town is large by its people alone
    ("recognise", "ALTERNATE_ONLY_POPULATION"): 0,  # every by-name is a name anywhere
    # 0: no facility is named after a person (its namesake town always the place); this
    # removes the short-for-a-facility rule and widens the facility-of-a-town one
    ("cues", "FACILITY_TOWN_POPULATION"): 0,
    ("gazetteer", "PRIMARY_NAME_BONUS"): 0.0,
    ("gazetteer", "FEATURE_BONUS"): {},
}
#: Module-level tables of the extractor that define feature classes or folding, not
#: tuned word lists: never ablated.
STRUCTURAL = frozenset({"COUNTRY_LEVEL", "AREA_LEVEL", "DIVISIONS", "KINDS"})


def ablations() -> list[tuple[str, str, Any]]:
    """``(module, name, neutral value)`` for every public list and constant of the
    extractor's modules (:data:`EXTRACTOR`) and the gazetteer's ranking constants.

    Raises
    ------
    SystemExit
        When a public constant of the extractor has no neutral value here.
    """
    import importlib

    rows: list[tuple[str, str, Any]] = []
    missing = []
    seen: set[str] = set()
    for module in EXTRACTOR:
        for name, value in vars(importlib.import_module(f"route.{module}")).items():
            if not name.isupper() or name in STRUCTURAL or name.startswith("_") or name in seen:
                continue
            seen.add(name)  # imported by the modules after the one that defines it
            if isinstance(value, (frozenset, set, dict, tuple)):
                rows.append((module, name, type(value)()))
            elif isinstance(value, (int, float)):
                if (module, name) not in NEUTRAL:
                    missing.append(name)
                else:
                    rows.append((module, name, NEUTRAL[module, name]))
    if missing:
        raise SystemExit(f"bench/geoparse.py: no neutral value for {', '.join(missing)}")
    rows.extend((module, name, value) for (module, name), value in NEUTRAL.items()
                if module == "gazetteer")  # fmt: skip
    return rows


@contextlib.contextmanager
def patched(module: str, name: str, value: Any) -> Iterator[None]:
    """``route.<module>.<name>`` set to ``value`` for the duration, and so is the same
    object wherever another module of the extractor imported it."""
    import importlib

    old = getattr(importlib.import_module(f"route.{module}"), name)
    holders = [importlib.import_module(f"route.{m}") for m in (module, *EXTRACTOR)]
    holders = list({id(m): m for m in holders if getattr(m, name, None) is old}.values())
    for mod in holders:
        setattr(mod, name, value)
    try:
        yield
    finally:
        for mod in holders:
            setattr(mod, name, old)


def run_route(
    system: Callable[[str], list[Prediction]], corpora: dict[str, list[dict]]
) -> dict[str, dict[str, Scores]]:
    """route's scores on every corpus, by half."""
    return {
        corpus: score_halves(corpus, docs, [system(d["text"]) for d in docs])
        for corpus, docs in corpora.items()
    }


def print_ablation(
    system: Callable[[str], list[Prediction]],
    corpora: dict[str, list[dict]],
    base: dict[str, dict[str, Scores]],
) -> None:
    """F1 on both halves of both corpora with each list or constant, and without it."""
    print()
    print("Ablation: F1 with / without each list or constant (dev and test halves)")
    cells = "   ".join(f"{c + ' ' + h:>18}" for c in CORPORA for h in HALVES)
    print(f"{'list or constant':34} {cells}   size")
    for module, name, neutral in ablations():
        with patched(module, name, neutral):
            without = run_route(system, corpora)
        import importlib

        value = getattr(importlib.import_module(f"route.{module}"), name)
        size = str(len(value)) if isinstance(value, (frozenset, set, dict, tuple)) else str(value)
        row = "   ".join(
            f"{base[c][h].f1:.3f} / {without[c][h].f1:.3f} {without[c][h].f1 - base[c][h].f1:+.3f}"
            for c in CORPORA
            for h in HALVES
        )
        print(f"{module + '.' + name:34} {row}   {size}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--ablate", action="store_true", help="F1 without each list/constant")
    parser.add_argument("--no-speed", action="store_true", help="skip the batch timing")
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"skipped: {DATA} is not there")
        return
    corpora = {corpus: load(corpus) for corpus in CORPORA}
    route = route_system()
    systems = {"route": route, "geotext 0.4": geotext_system()}
    rows: dict[str, dict[str, dict[str, Scores]]] = {}
    for corpus, docs in corpora.items():
        for name, system in systems.items():
            if system is None:
                continue
            started = time.perf_counter()
            predicted = [system(d["text"]) for d in docs]
            elapsed = time.perf_counter() - started
            rows.setdefault(name, {})[corpus] = score_halves(corpus, docs, predicted)
            chars = sum(len(d["text"]) for d in docs)
            line = f"{name:12} {corpus:9} {len(docs)} docs, {chars:,} chars in {elapsed:.2f} s"
            print(line, file=sys.stderr)

    print("Protocol: TR-News scores every prediction; GeoVirus leaves out demonyms and")
    print("toponyms inside names (kinds 'demonym', 'embedded'), which it does not annotate.")
    sizes = "; ".join(
        f"{c} dev {sum(half(d['id']) == 'dev' for d in docs)} / test "
        f"{sum(half(d['id']) == 'test' for d in docs)} docs"
        for c, docs in corpora.items()
    )
    print(f"Halves by SHA-256 of the document id: {sizes}.")
    header = f"{'system':22} {'TR-News P / R / F1':22} {'acc@161':>7} {'AUC':>6}   "
    header += f"{'GeoVirus P / R / F1':22} {'acc@161':>7} {'AUC':>6}"
    print(header)
    for name, by_corpus in rows.items():
        for part in ("dev", "test", "all") if name == "route" else ("all",):
            cells = []
            for corpus in CORPORA:
                s = by_corpus[corpus][part]
                resolution = (
                    f"{s.acc161:7.3f} {s.auc:6.3f}" if name == "route" else f"{'–':>7} {'–':>6}"
                )
                cells.append(f"{s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f}   {resolution}")
            label = f"{name} ({part})" if name == "route" else name
            print(f"{label:22} " + "   ".join(cells))
    for name, v in PUBLISHED.items():
        print(
            f"{name:22} {v[0]:.3f} / {v[1]:.3f} / {v[2]:.3f}   {v[3]:7.3f} {v[4]:6.3f}   "
            f"{v[5]:.3f} / {v[6]:.3f} / {v[7]:.3f}   {v[8]:7.3f} {v[9]:6.3f}"
        )
    if not args.no_speed:
        throughput()
    for corpus in CORPORA:
        for part in HALVES:
            s = rows["route"][corpus][part]
            print(
                f"route {corpus} {part}: overlap F1 {s.overlap_f1:.3f}; resolution on "
                f"{s.resolved} spans: mean {s.mean_km:,.0f} km, median {s.median_km:,.1f} km"
            )
    if args.ablate:
        print_ablation(route, corpora, {c: rows["route"][c] for c in CORPORA})


if __name__ == "__main__":
    main()
