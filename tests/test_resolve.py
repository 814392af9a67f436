"""route.resolve: ranking in context, the one distance weight."""

from __future__ import annotations

import math

import pytest

from route.extract import find_mentions
from route.gazetteer import Gazetteer
from route.resolve import DISTANCE_WEIGHT, Anchors, distance_penalty


def test_distance_penalty_is_the_weight_per_tenfold_distance() -> None:
    assert distance_penalty(0.0) == 0.0
    assert distance_penalty(900.0) == pytest.approx(DISTANCE_WEIGHT)
    assert distance_penalty(9900.0) == pytest.approx(2 * DISTANCE_WEIGHT)
    assert distance_penalty(250.0) == DISTANCE_WEIGHT * math.log10(1 + 250.0 / 100.0)


def test_stops_are_ranked_by_the_same_distance_penalty(
    gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``geocode_stops`` weighs distance with the resolver's one formula."""
    from route import resolve
    from route.gazetteer import OfflineGeocoder
    from route.pipeline import geocode_stops

    seen: list[float] = []

    def penalty(km: float) -> float:
        seen.append(km)
        return distance_penalty(km)

    monkeypatch.setattr(resolve, "distance_penalty", penalty)
    places = geocode_stops(["Edinburgh", "Perth", "London"], OfflineGeocoder(gazetteer))
    assert places[1].country == "GB"  # the Scottish Perth, near the other stops
    assert seen


def _anchor(gid: int, lat: float, lon: float) -> object:
    from types import SimpleNamespace

    return SimpleNamespace(geonameid=gid, lat=lat, lon=lon)


def test_nearest_anchor_is_the_nearest_by_geodesic_km() -> None:
    """Distances to many anchors at once, the sphere narrowing the ellipsoid's search,
    give exactly the nearest geodesic distance, point by point."""
    import random

    from route.distance import geodesic_km

    rng = random.Random(7)
    points = [(rng.uniform(-90, 90), rng.uniform(-180, 180)) for _ in range(300)]
    # near the poles, across the antimeridian, on the equator, two at one point
    points += [(89.9, 10), (-89.9, -170), (0.0, 179.99), (0.0, -179.99), (45, 90), (45, 90)]
    points += [(rng.gauss(50, 0.5), rng.gauss(8, 0.5)) for _ in range(200)]  # a crowd
    anchors = [_anchor(n, lat, lon) for n, (lat, lon) in enumerate(points)]
    nearest = Anchors(anchors).nearest_km
    for place in [*anchors[::7], _anchor(-1, 50.1, 8.2), _anchor(-2, -33.9, 151.2)]:
        others = [a for a in anchors if a.geonameid != place.geonameid]
        expected = min(geodesic_km((place.lat, place.lon), (a.lat, a.lon)) for a in others)
        assert nearest(place) == expected
    assert Anchors([]).nearest_km(anchors[0]) is None
    assert Anchors(anchors[:1]).nearest_km(anchors[0]) is None  # only itself


def test_nearest_anchor_refuses_what_geodesic_km_refuses() -> None:

    with pytest.raises(ValueError, match="not a"):
        Anchors([_anchor(1, 10, 10)]).nearest_km(_anchor(2, 91, 0))
    with pytest.raises(ValueError, match="not a"):
        Anchors([_anchor(1, 10, float("nan"))]).nearest_km(_anchor(2, 0, 0))


@pytest.mark.parametrize(
    ("text", "surface", "lat", "lon"),
    [
        # a region named after its small capital: the name alone is the town
        ("The envoy held meetings in Obock on Tuesday.", "Obock", 11.963, 43.290),
        ("The ship sailed from Penang to Galle.", "Galle", 6.04, 80.22),
        # a large town keeps winning as before
        ("We flew from Santiago to Mendoza.", "Mendoza", -32.89, -68.83),
    ],
)
def test_a_division_named_after_its_town_is_the_town(
    gazetteer: Gazetteer, text: str, surface: str, lat: float, lon: float
) -> None:
    from route.extract import find_mentions

    found = next(f for f in find_mentions(text, gazetteer) if f.surface == surface)
    assert not str(found.candidate.feature).startswith("ADM")
    assert found.candidate.lat == pytest.approx(lat, abs=0.05)
    assert found.candidate.lon == pytest.approx(lon, abs=0.05)


def test_a_division_told_as_one_stays_the_division(gazetteer: Gazetteer) -> None:
    from route.extract import find_mentions

    text = "Floods hit the Obock region and the Tadjourah region."
    features = {f.surface: f.candidate.feature for f in find_mentions(text, gazetteer)}
    assert features.get("Obock") == "ADM1"


def test_a_namesake_town_is_not_swapped_for_a_code(gazetteer: Gazetteer) -> None:
    from route.pipeline import analyse_text

    text = "The minister took the train from Belgrade to Bar on Monday."
    bar = next(f for f in analyse_text(text, gazetteer).found if f.surface == "Bar")
    assert bar.candidate.country == "ME"  # not Qionghai, whose airport code is BAR


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # one sense, put on a path, in the text's country: kept however far from Sydney
        ("ARRIVED AT SYDNEY IN THE EVENING after a long run from Fremantle.", True),
        # a label before a number is no place put on a path
        ("We walked to Sydney and then to Section 60 of the cemetery.", False),
        # the object of a verb of leaving or reaching is put on a path too
        ("In 1896 Richardson left Coolgardie for Adelaide by bicycle.", True),
        # so is the name a noun of place puts with "of" (GeoNames gives Golmud no people)
        ("The train pulled out of the city of Golmud in western China, bound for Lhasa.", True),
        ("The train pulled out of Golmud in western China, bound for Lhasa.", True),
        ("The train passed Golmud in western China, bound for Lhasa.", False),
    ],
)
def test_a_far_town_of_one_sense_put_on_a_path(gazetteer: Gazetteer, text: str, kept: bool) -> None:
    surfaces = [f.surface for f in find_mentions(text, gazetteer)]
    name = next(n for n in ("Fremantle", "Coolgardie", "Section", "Golmud") if n in text)
    assert (name in surfaces) is kept


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # a state the text names a town of, in a country whose places the text names
        ("The president flew from Washington to Georgia for a rally in Atlanta.", "US"),
        # the country, where the text names a town of it
        ("Protesters marched in Tbilisi, the capital of Georgia.", "GE"),
        ("Georgia and Armenia signed a deal in Moscow.", "GE"),
    ],
)
def test_a_country_or_a_state_of_its_name(gazetteer: Gazetteer, text: str, country: str) -> None:
    (georgia,) = [f for f in find_mentions(text, gazetteer) if f.surface == "Georgia"]
    assert georgia.candidate.country == country


def test_anchors_within_km_is_the_geodesic_test_point_by_point() -> None:
    from types import SimpleNamespace

    from route.distance import geodesic_km

    towns = [
        SimpleNamespace(geonameid=k, lat=lat, lon=lon)
        for k, (lat, lon) in enumerate(
            [(-26.57, 148.79), (-26.48, 147.98), (-26.66, 150.18), (41.89, 12.48), (-27.18, 151.26)]
        )
    ]
    roma = towns[0]
    expected = [geodesic_km((roma.lat, roma.lon), (t.lat, t.lon)) <= 300 for t in towns]
    assert Anchors(towns).within_km(roma, 300) == expected == [True, True, True, False, True]


def test_a_city_and_its_namesake_region_are_one_clear_sense(gazetteer: Gazetteer) -> None:
    # Madrid the city and the community of Madrid say the same: Madrid is context, and
    # Toledo is the Spanish town, not the larger one in Ohio
    found = find_mentions(
        "From Madrid we took the shuttle to Toledo, 70 km to the south.", gazetteer
    )
    toledo = next(f for f in found if f.surface == "Toledo")
    assert toledo.candidate.country == "ES"


def test_an_arabic_article_before_a_hyphen_is_no_place(gazetteer: Gazetteer) -> None:
    found = find_mentions("Crowds gathered in Cairo, the Al-Ahram newspaper said.", gazetteer)
    assert [f.surface for f in found] == ["Cairo"]


def test_ambiguous_counties_of_a_text_share_the_state_that_has_them_all() -> None:
    from route.resolve import _Evidence

    tn, ar, ga = ("US", "TN"), ("US", "AR"), ("US", "GA")
    evidence = _Evidence(
        named=set(),
        countries_of={},
        regions_of={},
        anchors={},
        listed={},
        divisions={1: {tn, ar}, 2: {tn, ga}, 3: {tn, ar}},  # Benton, Decatur, Houston
    )
    assert tn in evidence.context(1).regions  # the other two are both in Tennessee
    assert ar not in evidence.context(1).regions
    tie = _Evidence(set(), {}, {}, {}, {}, divisions={1: {tn}, 2: {tn, ar}, 3: {tn, ar}})
    assert tie.context(1).regions == set()  # Arkansas and Tennessee two each: no state
