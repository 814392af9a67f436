from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from route.cli import app
from route.errors import InputError, MissingDependencyError
from route.extract import find_mentions
from route.gazetteer import Gazetteer
from route.ner import entity_spans, load_model
from route.pipeline import analyse_text

spacy = pytest.importorskip("spacy")

LOWERCASE = "we took the night train from hanoi to hue, then a bus."


def _ruler(patterns: list[dict[str, str]]):  # type: ignore[no-untyped-def]
    """A real spaCy pipeline (no model download): a blank English one with a rule-based NER."""
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    return nlp


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return _ruler(
        [
            {"label": "GPE", "pattern": "hanoi"},
            {"label": "GPE", "pattern": "hue"},
            {"label": "ORG", "pattern": "night train"},
        ]
    )


def test_entity_spans_keep_place_labels_only(nlp) -> None:  # type: ignore[no-untyped-def]
    spans = entity_spans(nlp, LOWERCASE)
    assert [LOWERCASE[s:e] for s, e in spans] == ["hanoi", "hue"]


def test_entities_add_what_the_rules_miss(gazetteer: Gazetteer, nlp) -> None:  # type: ignore[no-untyped-def]
    assert find_mentions(LOWERCASE, gazetteer) == []  # no capitals: the rules find nothing
    found = find_mentions(LOWERCASE, gazetteer, entities=entity_spans(nlp, LOWERCASE))
    assert [(f.surface, f.candidate.geonameid) for f in found] == [
        ("hanoi", 1581130),
        ("hue", 1580240),
    ]
    for f in found:
        assert LOWERCASE[f.start : f.end] == f.surface


def test_entities_never_duplicate_or_cut_other_mentions(gazetteer: Gazetteer) -> None:
    text = "The train left Hanoi for Hue."
    plain = find_mentions(text, gazetteer)
    overlapping = [(text.index("Hanoi"), text.index("Hanoi") + 3), (0, 9)]  # "Han", "The train"
    assert find_mentions(text, gazetteer, entities=overlapping) == plain


def test_analyse_text_takes_a_pipeline(gazetteer: Gazetteer, nlp) -> None:  # type: ignore[no-untyped-def]
    analysis = analyse_text(LOWERCASE, gazetteer, ner=nlp)
    assert [c.mention.surface for c in analysis.stops] == ["hanoi", "hue"]


def test_missing_model_is_an_input_error() -> None:
    with pytest.raises(InputError, match="python -m spacy download no_such_model"):
        load_model("no_such_model")


def test_missing_spacy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "spacy", None)
    with pytest.raises(MissingDependencyError, match="pip install spacy"):
        load_model("en_core_web_sm")


def test_cli_ner_from_a_model_directory(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    model = tmp_path / "model"
    nlp.to_disk(model)
    text = tmp_path / "lower.txt"
    text.write_text(LOWERCASE, encoding="utf-8")
    runner = CliRunner()
    plain = runner.invoke(app, ["places", str(text), "--json"])
    with_ner = runner.invoke(app, ["places", str(text), "--json", "--ner", str(model)])
    assert plain.exit_code == 0, plain.output
    assert with_ner.exit_code == 0, with_ner.output
    assert json.loads(plain.stdout)["mentions"] == []
    mentions = json.loads(with_ner.stdout)["mentions"]
    assert [(m["surface"], m["country"]) for m in mentions] == [("hanoi", "VN"), ("hue", "VN")]


def test_cli_ner_unknown_model_is_one_line(tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_text("Hanoi.", encoding="utf-8")
    result = CliRunner().invoke(app, ["places", str(text), "--ner", "no_such_model"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "python -m spacy download no_such_model" in lines[0]
