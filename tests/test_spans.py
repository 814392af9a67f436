"""route.spans: the typed spans the extractor's passes hand on."""

from __future__ import annotations

from typing import get_args

from route.spans import AREA_LEVEL, COUNTRY_LEVEL, DIVISIONS, KINDS, Kind, Named


def test_kinds_are_the_kind_literal() -> None:
    assert get_args(Kind) == KINDS


def test_feature_classes_nest() -> None:
    assert COUNTRY_LEVEL < AREA_LEVEL
    assert DIVISIONS < AREA_LEVEL
    assert not COUNTRY_LEVEL & DIVISIONS


def test_a_named_span_is_a_tuple_of_tokens_and_candidates() -> None:
    cands = [object()]
    first, last, got = Named(2, 3, cands)
    assert (first, last) == (2, 3)
    assert got is cands
