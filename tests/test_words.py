"""route.words: the extractor's word lists and the predicates on them."""

from __future__ import annotations

from route.words import COMMON_WORDS, TIME_WORDS, common, names_a_date


def test_days_months_and_common_words_are_never_places_alone() -> None:
    assert "monday" in TIME_WORDS
    assert "january" in TIME_WORDS
    assert common("monday")
    assert all(common(word) for word in COMMON_WORDS)
    assert not common("paris")


def test_names_a_date_whole_or_abbreviated() -> None:
    assert names_a_date("january")
    assert not names_a_date("jan")
    assert names_a_date("jan", abbreviated=True)
    assert names_a_date("tues", abbreviated=True)
    assert not names_a_date("ja", abbreviated=True)
