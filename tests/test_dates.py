"""route.dates: the dates a text gives its stops, and the order they set."""

from __future__ import annotations

import pytest

from route.dates import dates_in
from route.gazetteer import Gazetteer
from route.pipeline import analyse_text


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("It left on Sept. 16, 2011.", (2011, 9, 16)),
        ("It left on September 16th 2011.", (2011, 9, 16)),
        ("It left on 16 September 2011.", (2011, 9, 16)),
        ("In 1877 it left on the 6th of July.", (-1877, 7, 6)),  # the year named before
        ("It left on June 1.", (0, 6, 1)),
    ],
)
def test_dates_as_written(text: str, date: tuple[int, int, int]) -> None:
    ((_start, _end, found),) = dates_in(text)
    assert found == date


def test_no_date_in_a_modal_or_a_weekday() -> None:
    assert dates_in("He may 2 times go there on Monday.") == ()
    assert [d for *_, d in dates_in("the 3 May sources")] == [(0, 5, 3)]


def _stops(text: str, gazetteer: Gazetteer) -> list[str]:
    return [s.mention.surface for s in analyse_text(text, gazetteer).stops]


def test_stops_in_the_order_of_their_dates(gazetteer: Gazetteer) -> None:
    # the homecoming told first, the stops before it told after, each with its date
    text = (
        "The plane departed Denver on Sept. 23, 2011, for its home base in Chicago. The "
        "plane left Chicago on Sept. 16, 2011, and flew to Cologne on Sept. 17, 2011. It "
        "then flew to Stuttgart. It landed in Denver on Sept. 21, 2011."
    )
    assert _stops(text, gazetteer) == ["Chicago", "Cologne", "Stuttgart", "Denver", "Chicago"]


def test_dates_without_years_across_the_new_year_do_not_reorder(gazetteer: Gazetteer) -> None:
    text = (
        "The yacht arrived at Lisbon on July 20. She arrived at Yokohama on February 19 "
        "and at Aden on March 30."
    )
    assert _stops(text, gazetteer) == ["Lisbon", "Yokohama", "Aden"]
