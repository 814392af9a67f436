"""Big texts: a corpus read whole gives each part what the part alone gives; progress shows.

Speed and memory on 2–50 MB texts are measured by ``bench/bench_big_texts.py`` (no timed
assertions here).
"""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from route import cli
from route.cli import app

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = ROOT / "seeds" / "kim-train-to-hanoi.txt"
COPIES = 25


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


#: What a mention or claim says about the text itself (its journey role is the whole
#: text's: a corpus read whole has one journey, not one per copy).
_JOURNEY_FIELDS = ("role", "order", "cue", "stop_role", "sentence", "verdict", "measured_km")


def _shifted(items: list[dict[str, Any]], by: int) -> list[dict[str, Any]]:
    return [{**item, "start": item["start"] + by, "end": item["end"] + by} for item in items]


def _own(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in item.items() if k not in _JOURNEY_FIELDS} for item in items]


def test_a_repeated_text_gives_each_copy_the_same_places_and_claims(
    tmp_path: Path, gazetteer: Any
) -> None:
    copy = SEED_TEXT.read_text(encoding="utf-8").strip() + "\n\n"
    big = tmp_path / "big.txt"
    big.write_text(copy * COPIES, encoding="utf-8")
    runner = CliRunner()
    one = json.loads(runner.invoke(app, ["places", str(SEED_TEXT), "--json"]).stdout)
    many = json.loads(runner.invoke(app, ["places", str(big), "--json"]).stdout)
    start = SEED_TEXT.read_text(encoding="utf-8").index(copy[:40])
    for key in ("mentions", "claims"):
        expected = [
            item for k in range(COPIES) for item in _shifted(one[key], k * len(copy) - start)
        ]
        assert _own(many[key]) == _own(expected), key


def test_slow_work_shows_a_bar_on_a_terminal_after_the_delay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stderr = _Terminal()
    monkeypatch.setattr("sys.stderr", stderr)
    shown = threading.Event()
    real_start = cli._err_console

    def console() -> Any:
        shown.set()
        return real_start()

    monkeypatch.setattr(cli, "_err_console", console)
    with cli._slow_work("reading big.txt (50.0 M characters)", delay=0.0):
        assert shown.wait(10)
        for _ in range(200):  # until the bar has been drawn once
            if "reading big.txt" in stderr.getvalue():
                break
            threading.Event().wait(0.05)
    assert "reading big.txt (50.0 M characters)" in stderr.getvalue()


def test_slow_work_is_silent_when_quick_or_not_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with cli._slow_work("reading a short text", delay=3600):
        pass
    assert terminal.getvalue() == ""
    piped = io.StringIO()
    monkeypatch.setattr("sys.stderr", piped)
    with cli._slow_work("reading a long text", delay=0.0):
        threading.Event().wait(0.1)
    assert piped.getvalue() == ""


def test_batch_progress_counts_the_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = _Terminal()
    monkeypatch.setattr("sys.stderr", stderr)
    with cli._batch_progress(3) as advance:
        for name in ("a.txt", "b.txt", "c.txt"):
            advance(name)
    assert "3/3" in stderr.getvalue()
    quiet = io.StringIO()
    monkeypatch.setattr("sys.stderr", quiet)
    with cli._batch_progress(3) as advance:
        advance("a.txt")
    assert quiet.getvalue() == ""


def _spacy_own_pipeline() -> Any:
    """The pipeline as :func:`route.nlp.load_pipeline` loads it, with spaCy's own
    attribute ruler and lemmatizer (not route's faster ones)."""
    import spacy

    from route import nlp

    for package, _ in nlp.PIPELINES:
        try:
            own = spacy.load(package, exclude=list(nlp._EXCLUDE))
        except OSError:
            continue
        own.add_pipe(nlp.ONE_SENTENCE, before="parser")
        return own
    pytest.skip("no English pipeline installed")


def _annotations(doc: Any) -> list[tuple[Any, ...]]:
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.is_sent_start)
        for t in doc
    ]


def test_the_faster_rule_components_annotate_as_spacy_does() -> None:
    """Every sentence of the project's texts gets the same tags, parts of speech,
    morphology, lemmas and parse from route's pipeline as from spaCy's own components,
    and the attribute ruler's matches are the same."""
    from route.extract import sentence_spans
    from route.nlp import load_pipeline

    fast, own = load_pipeline(), _spacy_own_pipeline()
    assert type(fast.get_pipe("attribute_ruler")).__name__.startswith("Fast")
    assert type(fast.get_pipe("lemmatizer")).__name__.startswith("Fast")
    texts = []
    for folder in ("seeds", "tests/data/texts", "tests/data/journeys"):
        for path in sorted((ROOT / folder).glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            texts += [text[a:b].replace("\n", " ") for a, b in sentence_spans(text)]
    texts += ["", " ", "ain't nothin' y'all gonna do", "Y'all  can't\tgo", "I'm gon na go"]
    assert len(texts) > 1000
    docs = list(fast.pipe(texts, batch_size=64))
    expected = list(own.pipe(texts, batch_size=64))
    assert [_annotations(d) for d in docs] == [_annotations(d) for d in expected]
    ruler, own_ruler = fast.get_pipe("attribute_ruler"), own.get_pipe("attribute_ruler")
    assert [sorted(set(ruler.match(d))) for d in expected] == [
        sorted(set(own_ruler.match(d))) for d in expected
    ]
    assert [_annotations(fast(t)) for t in texts[:50]] == [_annotations(d) for d in expected[:50]]
