"""Journey-reading benchmark on real published texts (tests/data/journeys/).

Run from the project root in its virtualenv:

    python bench/bench_journeys.py                 # this tree, both splits
    python bench/bench_journeys.py --baseline REV  # and the release REV, side by side
    python bench/bench_journeys.py --show dev      # per-text detail of the dev split

For each split it prints: texts, exact stop sequences, stop precision and recall,
wrong pins (a stop matched by name but more than 100 km from the gold point), legs
whose stated mode agrees, claims found, verdicts given, correct verdicts, false alarms
(an over- or understated verdict on a claim the gold calls accurate), and texts on
which ``route map`` would fail although the gold has a journey of two or more stops. Where
``route map`` has no journey because the reader found one stop only, that stop is scored
(a text whose gold is one stop can be read right; one whose gold is none counts a false
stop).

The split is fixed by a hash of each text id (:func:`split_of`): tune on ``dev`` only.
Each version runs in a subprocess of its own (``--worker``), so a baseline is read by
its own code; the rail network is the one that version loads by default (or
``$ROUTE_RAIL_NETWORK``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "journeys"
MATCH_KM = 25.0
WRONG_PIN_KM = 100.0
ACCURATE_WITHIN = 0.10


def split_of(text_id: str) -> str:
    """``dev`` or ``test``, fixed by the id's SHA-1."""
    return "dev" if int(hashlib.sha1(text_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join(
        "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split()
    )


def geodesic_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    from pyproj import Geod

    return float(Geod(ellps="WGS84").inv(a[1], a[0], b[1], b[0])[2]) / 1000.0


# -- worker: run one version of route over the corpus ---------------------------------------


def _rail_network() -> Any:
    try:
        from route.rail import load_rail_network

        return load_rail_network(None)
    except Exception as exc:  # a version without a network still reads stops
        print(f"bench: no rail network ({exc})", file=sys.stderr)
        return None


def work(ids: list[str]) -> dict[str, Any]:
    """What this tree's route reads from each text (stops, modes, claims)."""
    from route import plan
    from route.errors import RouteError

    network = _rail_network()
    out: dict[str, Any] = {}
    for text_id in ids:
        text = (CORPUS / f"{text_id}.txt").read_text(encoding="utf-8")
        started = time.perf_counter()
        try:
            trip = plan(text, rail_network=network)
        except RouteError as exc:
            out[text_id] = {
                "error": str(exc),
                "stops": _read_alone(text),
                "modes": [],
                "claims": [],
            }
            continue
        out[text_id] = {
            "seconds": time.perf_counter() - started,
            "stops": [
                {"surface": p.query or p.name, "name": p.name, "lat": p.lat, "lon": p.lon}
                for p in trip.stops
            ],
            "modes": [leg.mode for leg in trip.legs],
            "claims": [
                {
                    "start": c.start,
                    "end": c.end,
                    "surface": c.surface,
                    "verdict": c.verdict,
                    "measured": c.measured,
                    "measured_km": c.measured_km,
                    "scope": getattr(c, "scope", ""),
                    "measure": c.measure,
                    "reason": c.reason,
                }
                for c in trip.claims
            ],
        }
    return out


def _read_alone(text: str) -> list[dict[str, Any]]:
    """The stop the reader found when it found only one (no map: "only one stop, Kyiv"),
    so that a text whose gold is one stop can be read right, and one whose gold is none
    counts it as a false stop; none when the reader found none or the version has no
    reader to ask."""
    try:
        from route.pipeline import analyse_text

        stops = analyse_text(text).stops
    except Exception:  # an older version, or a text it cannot read
        return []
    return [
        {
            "surface": s.mention.surface,
            "name": s.mention.candidate.name,
            "lat": float(s.mention.candidate.lat),
            "lon": float(s.mention.candidate.lon),
        }
        for s in stops
        if len(stops) == 1
    ]


# -- scoring ---------------------------------------------------------------------------------


def _matches(pred: dict[str, Any], gold: dict[str, Any]) -> tuple[bool, bool]:
    """(matched, by name only): a name or alias, or within MATCH_KM of the gold point."""
    names = {fold(gold["name"]), *(fold(a) for a in gold.get("aliases", []))}
    distance = geodesic_km((pred["lat"], pred["lon"]), (gold["lat"], gold["lon"]))
    if distance <= MATCH_KM:
        return True, False
    if fold(pred["surface"]) in names or fold(pred["name"]) in names:
        return True, True
    return False, False


def _align(pred_stops: list[dict[str, Any]], gold_stops: list[dict[str, Any]]) -> list[int | None]:
    """For each predicted stop, the index of the gold stop it matches (first unused, in order)."""
    used: set[int] = set()
    out: list[int | None] = []
    for pred in pred_stops:
        hit = None
        for j, gold in enumerate(gold_stops):
            if j in used and not (
                j == len(gold_stops) - 1
                and gold_stops[0] is not gold
                and _same(gold, gold_stops[0])
            ):
                continue
            if _matches(pred, gold)[0]:
                hit = j
                break
        if hit is not None:
            used.add(hit)
        out.append(hit)
    return out


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return geodesic_km((a["lat"], a["lon"]), (b["lat"], b["lon"])) < 1.0


def _exact(alignment: list[int | None], gold_stops: list[dict[str, Any]]) -> bool:
    if any(j is None for j in alignment):
        return False
    seq = [j for j in alignment if j is not None]
    if seq != sorted(seq) or len(set(seq)) != len(seq):
        return False
    required = [j for j, g in enumerate(gold_stops) if not g.get("optional")]
    return all(j in seq for j in required) and (len(gold_stops) > 0 or not seq)


def score_text(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, Any]:
    gold_stops = gold["stops"]
    pred_stops = pred["stops"]
    alignment = _align(pred_stops, gold_stops)
    required = [j for j, g in enumerate(gold_stops) if not g.get("optional")]
    matched_gold = {j for j in alignment if j is not None}
    wrong: list[str] = []
    for pred_stop, j in zip(pred_stops, alignment, strict=True):
        if j is not None:
            g = gold_stops[j]
            km = geodesic_km((pred_stop["lat"], pred_stop["lon"]), (g["lat"], g["lon"]))
            if km > WRONG_PIN_KM:
                wrong.append(
                    f"{pred_stop['surface']} ({pred_stop.get('country', '')}) {km:,.0f} km"
                )
    wrong_pins = len(wrong)
    # modes: every gold leg whose mode is stated, found as consecutive matched stops
    stated = [leg for leg in gold.get("legs", []) if leg.get("stated") and leg["mode"] != "unknown"]
    index_of = {fold(g["name"]): j for j, g in enumerate(gold_stops)}
    mode_ok = legs_found = 0
    for leg in stated:
        a, b = index_of.get(fold(leg["from"])), index_of.get(fold(leg["to"]))
        for k in range(len(alignment) - 1):
            if alignment[k] == a and alignment[k + 1] == b:
                legs_found += 1
                mode_ok += pred["modes"][k] == leg["mode"]
                break
    # claims
    found = correct = false_alarms = verdicts = 0
    used: set[int] = set()
    for claim in gold.get("claims", []):
        hit = next(
            (
                c
                for k, c in enumerate(pred["claims"])
                if k not in used
                and (claim["surface"] in c["surface"] or c["surface"] in claim["surface"])
            ),
            None,
        )
        if hit is None:
            continue
        used.add(pred["claims"].index(hit))
        found += 1
        verdict = hit["verdict"]
        if verdict in ("consistent", "overstated", "understated"):
            verdicts += 1
            accurate = claim.get("accurate")
            if accurate is True and verdict == "consistent":
                correct += 1
            elif accurate is True:
                false_alarms += 1
            elif accurate is False and verdict != "consistent":
                correct += 1
    exact = _exact(alignment, gold_stops) if gold_stops else not pred_stops
    return {
        "exact": exact,
        "pred": len(pred_stops),
        "pred_correct": sum(1 for j in alignment if j is not None),
        "required": len(required),
        "required_found": len(matched_gold & set(required)),
        "wrong_pins": wrong_pins,
        "wrong": wrong,
        "legs_stated": len(stated),
        "legs_found": legs_found,
        "modes_ok": mode_ok,
        "claims": len(gold.get("claims", [])),
        "claims_found": found,
        "verdicts": verdicts,
        "correct": correct,
        "false_alarms": false_alarms,
        "map_fails": bool(pred.get("error")) and len(required) >= 2,
    }


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    total = {k: sum(int(r[k]) for r in rows) for k in rows[0] if k != "wrong"} if rows else {}
    if not rows:
        return {}
    return {
        "texts": len(rows),
        "exact": f"{total['exact']}/{len(rows)} ({total['exact'] / len(rows):.0%})",
        "precision": round(total["pred_correct"] / max(total["pred"], 1), 3),
        "recall": round(total["required_found"] / max(total["required"], 1), 3),
        "wrong_pins": total["wrong_pins"],
        "modes": f"{total['modes_ok']}/{total['legs_found']} legs found"
        + (f" ({total['modes_ok'] / total['legs_found']:.0%})" if total["legs_found"] else "")
        + f"; {total['legs_stated']} stated",
        "claims_found": f"{total['claims_found']}/{total['claims']}",
        "verdicts": total["verdicts"],
        "correct_verdicts": f"{total['correct']}/{total['claims']}"
        + (f" ({total['correct'] / total['claims']:.0%})" if total["claims"] else ""),
        "false_alarms": total["false_alarms"],
        "map_fails": total["map_fails"],
    }


def _golds() -> dict[str, dict[str, Any]]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(CORPUS.glob("*.json"))
        if (CORPUS / f"{p.stem}.txt").exists()
    }


def _run_version(ids: list[str], source: Path | None) -> dict[str, Any]:
    """Run the worker in a subprocess, on this tree or on a checkout of another version."""
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", *ids],
        capture_output=True,
        text=True,
        env=env,
        cwd=source or ROOT,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"worker failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout)
    result["_seconds"] = time.perf_counter() - started
    return result


def _print_table(title: str, by_version: dict[str, dict[str, dict[str, Any]]]) -> None:
    print(f"\n## {title}")
    keys = ["texts", "exact", "precision", "recall", "wrong_pins", "modes", "claims_found",
            "verdicts", "correct_verdicts", "false_alarms", "map_fails"]  # fmt: skip
    versions = list(by_version)
    print("| metric | " + " | ".join(versions) + " |")
    print("|---|" + "---|" * len(versions))
    for key in keys:
        print(f"| {key} | " + " | ".join(str(by_version[v].get(key, "")) for v in versions) + " |")


def _detail(gold: dict[str, Any], pred: dict[str, Any], row: dict[str, Any]) -> None:
    mark = "OK " if row["exact"] else "-- "
    print(f"{mark}{gold['id']}")
    print(
        "   gold:",
        " → ".join(g["name"] + ("?" if g.get("optional") else "") for g in gold["stops"]),
    )
    print("   pred:", " → ".join(p["surface"] for p in pred["stops"]) or pred.get("error", ""))
    print("   modes gold:", [leg["mode"] for leg in gold.get("legs", [])], "pred:", pred["modes"])
    if row["wrong"]:
        print("   wrong pins:", "; ".join(row["wrong"]))
    for c in pred["claims"]:
        print(
            f"   claim {c['surface']!r}: {c['measure']}/{c.get('scope')}"
            f" {c['verdict']} {c['measured']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--baseline", help="a git revision to compare with (e.g. HEAD~5)")
    parser.add_argument("--show", choices=["dev", "test"], help="per-text detail of a split")
    args = parser.parse_args()
    if args.worker is not None:
        sys.path.insert(0, os.environ.get("PYTHONPATH", str(ROOT)))
        json.dump(work(args.worker), sys.stdout)
        return
    golds = _golds()
    ids = sorted(golds)
    versions: dict[str, dict[str, Any]] = {"this tree": _run_version(ids, None)}
    if args.baseline:
        with tempfile.TemporaryDirectory() as tmp:
            checkout = Path(tmp) / "base"
            subprocess.run(
                [
                    "git",
                    "-C",
                    str(ROOT),
                    "worktree",
                    "add",
                    "-q",
                    "--detach",
                    str(checkout),
                    args.baseline,
                ],
                check=True,
            )
            try:
                versions[f"release {args.baseline}"] = _run_version(ids, checkout)
            finally:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(checkout)],
                    check=False,
                )
    for split in ("dev", "test"):
        split_ids = [i for i in ids if split_of(i) == split]
        table = {}
        for name, preds in versions.items():
            rows = [score_text(golds[i], preds[i]) for i in split_ids]
            table[name] = summarise(rows)
            if args.show == split and name == "this tree":
                for i, row in zip(split_ids, rows, strict=True):
                    _detail(golds[i], preds[i], row)
        _print_table(f"{split} split ({len(split_ids)} texts)", table)
    for name, preds in versions.items():
        print(
            f"\n{name}: {preds['_seconds']:.1f} s for {len(ids)} texts"
            " (one process, loads included)"
        )


if __name__ == "__main__":
    main()
