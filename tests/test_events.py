"""The reader's shared event helpers (:mod:`route.events`)."""

from __future__ import annotations

import pytest

from route.events import listed_after
from route.extract import find_mentions
from route.gazetteer import Gazetteer


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        # places the gazetteer does not know between two of a list's places
        ("via Dingwall, Glenmorach, Craigdubh, Ullapool and Thurso", True),
        ("via Dingwall, Glenmorach (over the Bealach na Craig), Craigdubh, Ullapool", True),
        ("via Dingwall, Kirk o'Drum, Ullapool", True),  # an elided particle
        ("via Inverness, Morach of the Braes Farm, Aberdeen", False),  # no name's words
        ("via Inverness, then a long drive, Aberdeen", False),
    ],
)
def test_a_list_runs_past_items_route_cannot_place(
    gazetteer: Gazetteer, text: str, listed: bool
) -> None:
    found = find_mentions(text, gazetteer)
    first = found[0]
    second = next(f for f in found if f.surface in ("Ullapool", "Aberdeen"))
    assert first.surface in ("Dingwall", "Inverness")
    assert listed_after(text, first, second) is listed
