"""The light parse route keeps, and its cache on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from route.document import Document
from route.parses import Parse, ParseCache

SENTENCE = "Kim's train pulled out of Pyongyang and crossed into China at Dandong."


@pytest.fixture(scope="module")
def spacy_doc() -> object:
    from route.nlp import load_pipeline

    return load_pipeline()(SENTENCE)


def _tree(words: object) -> list[tuple[object, ...]]:
    return [
        (
            w.text,
            w.i,
            w.idx,
            w.lower_,
            w.lemma_,
            w.pos_,
            w.tag_,
            w.dep_,
            w.head.i,
            [c.i for c in w.children],
            [a.i for a in w.ancestors],
            [s.i for s in w.subtree],
            w.left_edge.i,
        )
        for w in words  # type: ignore[attr-defined]
    ]


def test_a_parse_reads_as_spacys(spacy_doc: object) -> None:
    parse = Parse.from_spacy(spacy_doc)
    assert _tree(parse) == _tree(spacy_doc)
    assert parse[3:7].text == spacy_doc[3:7].text == "pulled out of Pyongyang"  # type: ignore[index]
    assert [w.i for w in reversed(parse[:3])] == [2, 1, 0]
    root = next(w for w in parse if w.dep_ == "ROOT")
    assert root.head is root


def test_a_parse_survives_its_bytes(spacy_doc: object) -> None:
    parse = Parse.from_spacy(spacy_doc)
    again = Parse.from_bytes(parse.to_bytes())
    assert _tree(again) == _tree(parse)
    assert again.text == SENTENCE


def test_the_cache_keeps_parses_by_text_and_pipeline(tmp_path: Path, spacy_doc: object) -> None:
    parse = Parse.from_spacy(spacy_doc)
    cache = ParseCache(tmp_path / "parses.sqlite", "pipeline A")
    cache.put_many({SENTENCE: parse})
    assert _tree(cache.get_many([SENTENCE, "Another sentence."])[SENTENCE]) == _tree(parse)
    other = ParseCache(tmp_path / "parses.sqlite", "pipeline B")
    assert other.get_many([SENTENCE]) == {}
    cache.close()
    other.close()


def test_a_cache_it_cannot_use_is_no_cache(tmp_path: Path, spacy_doc: object) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    cache = ParseCache(blocker / "parses.sqlite", "pipeline")
    cache.put_many({SENTENCE: Parse.from_spacy(spacy_doc)})
    assert cache.get_many([SENTENCE]) == {}


def test_a_damaged_cache_is_made_again(tmp_path: Path, spacy_doc: object) -> None:
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"\x00garbage" * 100)
    cache = ParseCache(damaged, "pipeline")
    assert cache.get_many([SENTENCE]) == {}
    cache.put_many({SENTENCE: Parse.from_spacy(spacy_doc)})
    assert list(cache.get_many([SENTENCE])) == [SENTENCE]
    cache.close()


def test_a_sentence_parsed_once_needs_no_parser_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import route.nlp
    import route.parses

    monkeypatch.setenv("ROUTE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(route.parses, "_CACHES", {})
    first = Document(SENTENCE)
    expected = _tree(first.parsed(0))
    assert (tmp_path / f"parses-f{route.parses.PARSE_FORMAT}.sqlite").exists()

    def no_parser() -> object:
        raise AssertionError("the parser was loaded for a sentence parsed before")

    monkeypatch.setattr(route.nlp, "load_pipeline", no_parser)
    assert _tree(Document(SENTENCE).parsed(0)) == expected
    route.parses._close_all()


def test_a_cache_grown_too_big_takes_no_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spacy_doc: object
) -> None:
    import route.parses

    parse = Parse.from_spacy(spacy_doc)
    cache = ParseCache(tmp_path / "parses.sqlite", "pipeline")
    cache.put_many({SENTENCE: parse})
    monkeypatch.setattr(route.parses, "MAX_CACHE_BYTES", 1)
    cache.put_many({"Another sentence.": parse})
    assert list(cache.get_many([SENTENCE, "Another sentence."])) == [SENTENCE]
    cache.close()


def test_a_cache_another_process_holds_is_left_whole(tmp_path: Path, spacy_doc: object) -> None:
    import sqlite3

    import route.parses

    path = tmp_path / "parses.sqlite"
    first = ParseCache(path, "pipeline")
    first.put_many({SENTENCE: Parse.from_spacy(spacy_doc)})
    first.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    busy = ParseCache(path, "pipeline")
    saved = route.parses._BUSY_SECONDS
    route.parses._BUSY_SECONDS = 0.1
    try:
        assert busy.get_many([SENTENCE]) == {}  # busy now: no cache this time
    finally:
        route.parses._BUSY_SECONDS = saved
        holder.execute("COMMIT")
        holder.close()
    assert list(busy.get_many([SENTENCE])) == [SENTENCE]  # the file was left whole
    busy.close()


def test_threads_share_one_cache(tmp_path: Path, spacy_doc: object) -> None:
    from concurrent.futures import ThreadPoolExecutor

    cache = ParseCache(tmp_path / "parses.sqlite", "pipeline")
    parse = Parse.from_spacy(spacy_doc)
    texts = [f"{SENTENCE} ({k})" for k in range(40)]

    def keep_and_read(text: str) -> int:
        cache.put_many({text: parse})
        return len(cache.get_many([text]))

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(keep_and_read, texts)) == [1] * 40
    assert len(cache.get_many(texts)) == 40
    cache.close()
