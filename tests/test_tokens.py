"""route.tokens: words, runs, sentences and the one fold."""

from __future__ import annotations

import pytest

from route.gazetteer import Gazetteer
from route.tokens import (
    capital_runs,
    fold,
    linked_after,
    linked_before,
    sentence_at,
    sentence_initial,
    sentence_spans,
    title_case_line,
    tokenise,
)


def test_sentence_spans() -> None:
    text = "First one. Second one!\n\nThird, after a blank line"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "First one.",
        "Second one!",
        "Third, after a blank line",
    ]


def test_a_sentence_run_into_the_next_without_a_space_still_ends() -> None:
    text = "He stopped at sixteen towns.Those cities include Paris. Dr. Li met e.g.Bob."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "He stopped at sixteen towns.",
        "Those cities include Paris.",
        "Dr. Li met e.g.Bob.",
    ]


def test_fold_is_shared_with_the_gazetteer() -> None:
    from route import gazetteer

    assert gazetteer.fold is fold
    from route import extract

    assert extract.fold is fold  # the extractor's public fold is this one


def test_fold_removes_diacritics_apostrophes_and_hyphens() -> None:
    assert fold("Thị Trấn Đồng Đăng") == "thi tran dong dang"
    assert fold("Xi'an") == "xian"
    assert fold("Winston-Salem") == "winston salem"


def test_sentence_at() -> None:
    text = "First one. Second one!"
    spans = sentence_spans(text)
    assert sentence_at(spans, text.index("Second")) == spans[1]
    assert sentence_at(spans, len(text) + 5) is None


def test_tokens_leave_out_possessives_suffixes_and_split_names_at_hyphens() -> None:
    text = "Kim's Seattle-based Nîmes-Toulouse train (R-Tulsa)"
    words = [(t.word, t.capital, t.tag, t.part) for t in tokenise(text)]
    assert words == [
        ("Kim", True, False, False),
        ("Seattle", True, False, False),
        ("Nîmes", True, False, False),
        ("Toulouse", True, False, True),
        ("train", False, False, False),
        ("Tulsa", True, True, False),
    ]
    for tok in tokenise(text):
        assert text[tok.start : tok.end] == tok.word


def test_runs_join_capitalised_words_and_connectors() -> None:
    text = "He went to Stratford upon Avon and then Dong Dang on Sunday."
    tokens = tokenise(text)
    runs = [" ".join(tokens[i].word for i in run) for run in capital_runs(text, tokens)]
    assert runs == ["He", "Stratford upon Avon", "Dong Dang on Sunday"]


def test_an_article_hyphened_to_a_name_is_part_of_the_name() -> None:
    text = "Sharm el-Sheikh, Deir ez-Zor, a well-Known e-Mail and as-is"
    tokens = tokenise(text)
    assert [(t.word, t.capital) for t in tokens] == [
        ("Sharm", True), ("el-Sheikh", True), ("Deir", True), ("ez-Zor", True),
        ("a", False), ("well-Known", False), ("e-Mail", False), ("and", False), ("as-is", False),
    ]  # fmt: skip
    runs = [" ".join(tokens[i].word for i in run) for run in capital_runs(text, tokens)]
    assert runs == ["Sharm el-Sheikh", "Deir ez-Zor"]


def test_a_name_with_an_arabic_article_is_found_whole(gazetteer: Gazetteer) -> None:
    from route.extract import find_mentions

    text = "The talks are held in Sharm el-Sheikh; the minister then flies to Ras al-Khaimah."
    found = [(f.surface, f.candidate.name) for f in find_mentions(text, gazetteer)]
    assert found == [("Sharm el-Sheikh", "Sharm el-Sheikh"), ("Ras al-Khaimah", "Ras Al Khaimah")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("President Arrives In Hanoi After Train Journey From Pyongyang", True),
        ("Secretary Kerry Travel to Colombo, Nairobi and Paris", True),
        ("LIVERPOOL TO SIERRA LEONE", False),  # capitals throughout: another rule
        ("The President arrived in Hanoi.", False),
        ("New York Times", True),
        ("In Hanoi", False),  # too short to say
    ],
)
def test_title_case_line(line: str, expected: bool) -> None:
    assert title_case_line(line) is expected


def test_a_title_case_lines_function_words_part_its_names() -> None:
    text = "President Arrives In Hanoi From Pyongyang\nIn Hanoi, The crowds waited."
    capital = {t.word: t.capital for t in tokenise(text)[:6]}
    assert capital == {
        "President": True,
        "Arrives": False,  # a verb of reaching, as a log writes one
        "In": False,
        "Hanoi": True,
        "From": False,
        "Pyongyang": True,
    }
    # running text keeps its capitals: "In" opens a sentence there
    assert [t.capital for t in tokenise(text)[6:8]] == [True, True]


def test_a_run_of_capitals_in_running_text_parts_its_names() -> None:
    text = "WE REACHED BOMBAY AT SUNSET and left for Calcutta. The US and UK agreed."
    capital = {t.word: t.capital for t in tokenise(text)}
    assert [capital[w] for w in ("WE", "REACHED", "BOMBAY", "AT", "SUNSET")] == [
        False,
        False,
        True,
        False,
        True,
    ]
    # capitals standing alone are names or acronyms, whatever their word
    assert capital["US"] is True
    assert capital["UK"] is True


def test_a_headlines_other_prepositions_part_its_names() -> None:
    text = "Queen Sails From Portsmouth To Lisbon Aboard Royal Yacht\nThe yacht left."
    capital = {t.word: t.capital for t in tokenise(text)[:8]}
    assert capital["Aboard"] is False
    assert capital["Lisbon"] is True
    assert capital["Royal"] is True


@pytest.mark.parametrize(
    ("text", "name", "before", "after"),
    [
        ("Karachi - Basra (Iraq) - Rhodos", "Basra", True, True),
        ("Fairbanks, USA - Whitehorse → Seattle", "Whitehorse", True, True),
        ("Nome, Alaska - Fairbanks", "Nome", False, True),
        ("Vichy France - a study", "France", False, False),  # no name after the dash
        ("the Paris-Lyon line", "Paris", False, False),  # a hyphen, no link
    ],
)
def test_a_routes_links(text: str, name: str, before: bool, after: bool) -> None:
    start = text.index(name)
    assert linked_before(text, start) is before
    assert linked_after(text, start + len(name)) is after


@pytest.mark.parametrize(
    ("text", "initial"),
    [
        ("- Off the ship at Fengdu", True),
        ("Itinerary:\n  • Off the ship", True),
        ("Lyon - Off the record", False),  # a dash inside a line is no bullet
        ("He said. Off we go", True),
    ],
)
def test_a_lines_bullet_opens_a_sentence(text: str, initial: bool) -> None:
    tok = next(t for t in tokenise(text) if t.word == "Off")
    assert sentence_initial(text, tok) is initial
