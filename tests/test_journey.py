from __future__ import annotations

import pytest

from route.extract import find_mentions
from route.gazetteer import Gazetteer
from route.journey import find_claims, find_stops, leg_modes

from .conftest import SEED_TEXT


def _stops(text: str, gazetteer: Gazetteer) -> list:
    return find_stops(text, find_mentions(text, gazetteer))


def test_seed_journey(gazetteer: Gazetteer) -> None:
    text = SEED_TEXT.read_text(encoding="utf-8")
    stops = _stops(text, gazetteer)
    assert [s.mention.candidate.geonameid for s in stops] == [1871859, 2037886, 1582998, 1581130]
    assert [s.role for s in stops] == ["origin", "via", "destination", "destination"]
    assert [s.cue for s in stops] == [
        "departing train in Pyongyang",
        "near Dandong",
        "expected Tuesday in the Vietnamese border town of Dong Dang",
        "to Hanoi",
    ]
    assert leg_modes(stops) == ["train", "train", "car"]


def test_travel_order_not_mention_order(gazetteer: Gazetteer) -> None:
    text = (
        "The delegation arrived in Vladivostok on Friday. It had left Moscow a week earlier "
        "by train and passed through Novosibirsk and Irkutsk, where it stopped for a day. "
        "Before that the train passed through Yekaterinburg."
    )
    stops = _stops(text, gazetteer)
    assert [s.mention.surface for s in stops] == [
        "Moscow",
        "Yekaterinburg",
        "Novosibirsk",
        "Irkutsk",
        "Vladivostok",
    ]


def test_events_elsewhere_are_not_stops(gazetteer: Gazetteer) -> None:
    text = (
        "The president left Pyongyang by train on Sunday. Moscow expects an agreement from "
        "Pyongyang, and Washington wants results. Last June he travelled by plane to Singapore. "
        "He is expected to arrive in Hanoi on Tuesday."
    )
    surfaces = [s.mention.surface for s in _stops(text, gazetteer)]
    assert surfaces == ["Pyongyang", "Hanoi"]


def test_countries_are_never_stops(gazetteer: Gazetteer) -> None:
    text = (
        "The flight from Korea to Vietnam takes five hours; the train from China to Vietnam longer."
    )
    assert _stops(text, gazetteer) == []


def test_no_journey(gazetteer: Gazetteer) -> None:
    assert _stops("Paris and Berlin disagreed about the budget.", gazetteer) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Although the start and finish as the crow flies are only about 2900 kilometers "
            "apart, the rail track amounts to about 4500 kilometers.",
            [(2900.0, "km", "only about", "straight"), (4500.0, "km", "about", "rail")],
        ),
        (
            "The road trip covers more than 1,200 miles.",
            [(1200.0, "mi", "more than", "road")],
        ),
        ("By rail the journey is nearly 9,289 km.", [(9289.0, "km", "nearly", "rail")]),
        ("It is 42 km away.", [(42.0, "km", "", "unknown")]),
        ("The flight covers 5 800 km.", [(5800.0, "km", "", "straight")]),
        ("No distances here, only 300 grams of rice.", []),
    ],
)
def test_claims(text: str, expected: list[tuple[float, str, str, str]]) -> None:
    claims = find_claims(text)
    assert [(c.value, c.unit, c.qualifier, c.measure) for c in claims] == expected
    for claim in claims:
        assert text[claim.start : claim.end] == claim.surface


def test_claim_in_miles_is_converted() -> None:
    (claim,) = find_claims("The road trip covers more than 1,200 miles.")
    assert claim.km == pytest.approx(1931.2128)


def test_claim_between_named_places(gazetteer: Gazetteer) -> None:
    text = "Beijing and Shanghai are about 1,070 km apart as the crow flies."
    (claim,) = find_claims(text, find_mentions(text, gazetteer))
    assert claim.between == ("Beijing", "Shanghai")
    assert claim.measure == "straight"
