from __future__ import annotations

import importlib.util

import pytest

from route import sea
from route.claims import check_claims
from route.errors import RailNetworkNotFoundError, RouteError
from route.gazetteer import Gazetteer
from route.models import RailRoute
from route.pipeline import plan

NMI = 1.852


@pytest.mark.parametrize(
    ("a", "b", "published_nmi"),
    [
        # NGA Pub. 151: New York to Colombo by Gibraltar and Suez
        ((40.70, -74.02), (6.95, 79.84), 8604),
        # US Hydrographic Office: San Francisco to Yokohama, across the North Pacific
        ((37.81, -122.42), (35.45, 139.65), 4536),
    ],
)
def test_lanes_measure_published_passages(
    a: tuple[float, float], b: tuple[float, float], published_nmi: float
) -> None:
    found = sea.load_sea_network().route(a, b, max_snap_km=sea.MAX_PORT_KM)
    assert isinstance(found, RailRoute), found
    km = found.km + found.snap_start_km + found.snap_end_km
    assert km == pytest.approx(published_nmi * NMI, rel=0.03)


def test_a_sea_claim_is_measured_along_the_lanes(gazetteer: Gazetteer) -> None:
    text = "The liner sailed from Southampton to New York, a voyage of 3,100 nautical miles."
    trip = plan(text, gazetteer=gazetteer)
    assert [leg.mode for leg in trip.legs] == ["ship"]
    (claim,) = trip.claims
    assert (claim.measure, claim.scope, claim.between) == (
        "sea",
        "segment",
        ("Southampton", "New York"),
    )
    assert claim.measured_km == pytest.approx(5_750, rel=0.03)
    assert claim.measured == "shipping lanes Southampton → New York"
    assert claim.verdict == "consistent"


def test_a_voyage_round_the_world_sums_its_legs(gazetteer: Gazetteer) -> None:
    text = (
        "The yachts left Portsmouth for Cape Town, sailed on to Auckland and then to Rio de "
        "Janeiro, and came back to Portsmouth: the 26,780-nautical-mile (49,600 km) race."
    )
    trip = plan(text, gazetteer=gazetteer)
    assert trip.stops[0].label == trip.stops[-1].label == "Portsmouth"
    claims = [c for c in trip.claims if c.measure == "sea"]
    assert [c.surface for c in claims] == ["26,780-nautical-mile", "49,600 km"]
    assert claims[0].measured_km == pytest.approx(48_150, rel=0.03)  # four legs
    assert [c.verdict for c in claims] == ["consistent", "consistent"]


def test_a_longer_voyage_is_not_called_wrong_a_shorter_one_is(gazetteer: Gazetteer) -> None:
    longer = plan(
        "The clipper sailed from Southampton to New York, a voyage of 4,000 nautical miles.",
        gazetteer=gazetteer,
    ).claims[0]
    assert longer.verdict == "not checked"
    assert "a ship may sail a longer way than the shortest lanes" in longer.reason
    shorter = plan(
        "The clipper sailed from Southampton to New York, a voyage of 1,500 nautical miles.",
        gazetteer=gazetteer,
    ).claims[0]
    assert shorter.verdict == "understated"  # shorter than any way by sea


def test_without_searoute_sea_claims_say_why(
    gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "The liner sailed from Southampton to New York, a voyage of 3,100 nautical miles."
    trip = plan(text, gazetteer=gazetteer)
    real_find_spec = importlib.util.find_spec

    def no_searoute(name: str, package: str | None = None) -> object:
        return None if name == sea.SEA_PACKAGE else real_find_spec(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", no_searoute)
    sea.load_sea_network.cache_clear()
    try:
        with pytest.raises(RailNetworkNotFoundError, match="pip install searoute") as info:
            sea.sea_network_path()
        assert isinstance(info.value, RouteError)
        (claim,) = check_claims(trip.claims, trip)
    finally:
        sea.load_sea_network.cache_clear()
    assert claim.verdict == "not checked"
    assert claim.reason.startswith("no sea-lane network: the shipping-lane network comes with")


def test_an_inland_stop_has_no_sea_figure(gazetteer: Gazetteer) -> None:
    text = "The barge sailed from Rotterdam to Basel, a voyage of 800 km."
    trip = plan(text, gazetteer=gazetteer)
    (claim,) = trip.claims
    assert claim.measure == "sea"
    assert claim.verdict == "not checked"
    assert claim.reason == "no sea figure (no shipping lane within 100 km of Basel)"


def test_a_short_cut_the_lanes_lack_is_not_called_wrong(gazetteer: Gazetteer) -> None:
    # the Kiel Canal: the lanes go round Denmark, 1,000 km; the canal is 98 km
    text = "The ship sailed from Kiel to Brunsbuttel, a voyage of 98 km."
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert claim.measured_km == pytest.approx(1_006, rel=0.05)
    assert claim.verdict == "not checked"
    assert "not shorter than the straight line (82 km)" in claim.reason


def test_a_total_at_sea_leaves_out_the_train_between(gazetteer: Gazetteer) -> None:
    text = (
        "They sailed from Southampton to Le Havre, took the train to Marseille and then "
        "sailed to Alexandria, a total of 1,600 nautical miles at sea."
    )
    trip = plan(text, gazetteer=gazetteer)
    assert [leg.mode for leg in trip.legs] == ["ship", "train", "ship"]
    (claim,) = trip.claims
    assert claim.measured == "shipping lanes Southampton → Alexandria (2 legs)"
    assert claim.measured_km == pytest.approx(2_890, rel=0.03)
    assert claim.verdict == "consistent"
