"""route's own labelled corpus (tests/data/texts): the figures bench/bench_extract.py prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from route.gazetteer import Gazetteer
from route.pipeline import analyse_text

CORPUS = Path(__file__).parent / "data" / "texts"
GOLD = json.loads((CORPUS / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def analyses(gazetteer: Gazetteer) -> dict:
    return {
        name: analyse_text((CORPUS / name).read_text(encoding="utf-8"), gazetteer) for name in GOLD
    }


def test_corpus_is_big_enough() -> None:
    assert len(GOLD) >= 10
    assert sum(len(g["mentions"]) for g in GOLD.values()) >= 50
    for name, gold in GOLD.items():
        text = (CORPUS / name).read_text(encoding="utf-8")
        for m in gold["mentions"]:
            assert text[m["start"] : m["end"]] == m["surface"], name


def test_mention_precision_and_recall(analyses: dict) -> None:
    tp = fp = fn = wrong_country = 0
    for name, gold in GOLD.items():
        expected = {(m["start"], m["end"]): m["country"] for m in gold["mentions"]}
        got = {(f.start, f.end): f.candidate.country for f in analyses[name].found}
        hits = expected.keys() & got.keys()
        tp += len(hits)
        fp += len(got.keys() - expected.keys())
        fn += len(expected.keys() - got.keys())
        wrong_country += sum(1 for k in hits if got[k] != expected[k])
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.95, (precision, fp)
    assert recall >= 0.90, (recall, fn)
    assert wrong_country == 0


@pytest.mark.parametrize("name", sorted(GOLD))
def test_stops_in_travel_order(analyses: dict, name: str) -> None:
    stops = [c.mention.surface for c in analyses[name].stops]
    gold = GOLD[name]["stops"]
    if len(gold) < 2:
        assert len(stops) < 2
    else:
        assert stops == gold


@pytest.mark.parametrize("name", sorted(GOLD))
def test_claims(analyses: dict, name: str) -> None:
    got = {(c.value, c.unit, c.measure) for c in analyses[name].claims}
    want = {(float(c["value"]), c["unit"], c["measure"]) for c in GOLD[name]["claims"]}
    assert got == want
