from __future__ import annotations

import pytest

from route.claims import check_claims, find_claims, parse_number
from route.extract import find_mentions
from route.gazetteer import Gazetteer
from route.pipeline import plan


@pytest.mark.parametrize(
    ("raw", "value"),
    [("4'352", 4352.0), ("2,900", 2900.0), ("4 500", 4500.0), ("1,050.5", 1050.5), ("42", 42.0)],
)
def test_numbers_as_written(raw: str, value: float) -> None:
    assert parse_number(raw) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The line is 4'352 km long.", [(4352.0, None, "km", "")]),
        ("The road is some 2,000–3,000 km.", [(2000.0, 3000.0, "km", "some")]),
        ("They sailed 300 nautical miles.", [(300.0, None, "nmi", "")]),
        ("The 300-nautical-mile race.", [(300.0, None, "nmi", "")]),
        ("A ribbon of no less than 3,786 miles.", [(3786.0, None, "mi", "no less than")]),
        ("It is not more than 40 km.", [(40.0, None, "km", "not more than")]),
        ("A volcano less than 60 km away.", [(60.0, None, "km", "less than")]),
        ("From Sacramento to Reno more than 100 km.", [(100.0, None, "km", "more than")]),
        ("It ran at 120 km/h over 800 km² of plain.", []),
        ("The peak is 5 km high.", []),
        ("No distances here, only 300 grams of rice.", []),
    ],
)
def test_claims_read_as_written(
    text: str, expected: list[tuple[float, float | None, str, str]]
) -> None:
    claims = find_claims(text)
    assert [(c.value, c.value_high, c.unit, c.qualifier) for c in claims] == expected
    for claim in claims:
        assert text[claim.start : claim.end] == claim.surface


def test_a_bracketed_conversion_is_the_same_claim(gazetteer: Gazetteer) -> None:
    text = "The train ran the 332 km (206 mi) from Lima to Huancayo."
    first, second = find_claims(text, find_mentions(text, gazetteer))
    assert first.between == second.between == ("Lima", "Huancayo")
    assert second.km == pytest.approx(206 * 1.609344)
    assert first.scope == second.scope == "segment"


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        ("Beijing and Shanghai are about 1,070 km apart as the crow flies.", "straight"),
        ("The flight of about 9,560 km took fourteen hours.", "flight"),
        ("By rail the journey is nearly 9,289 km.", "rail"),
        ("The road trip covers more than 1,200 miles.", "road"),
        ("They walked 800 km.", "foot"),
        ("- Line length: 1,860 km", "rail"),
        # the words nearest the figure: not "the line of duty" earlier in the sentence
        (
            "For 200 veterans, many injured in the line of duty, it is a five-day, 350-mile "
            "bicycling trip from Arlington to Virginia Beach.",
            "road",
        ),
        # a unit is no measure's word: "nautical miles" of another figure, or its own
        (
            "The route follows a 15,753 km great circle within 70 nautical miles of the Pole, "
            "and the return flights went via Japan.",
            "flight",
        ),
        ("The cutter sailed 32,000 nautical miles.", "sea"),
        # not across a semicolon or a "while": another statement
        ("The trip from Vienna to Salzburg covers 300 km; we had cycled it in May.", "unknown"),
        # the vehicle says the measure ("The overnight train … covers 751 km"); a bearing
        # away from the figure says nothing ("through the hills north of Lampang")
        (
            "The overnight train from Bangkok to Chiang Mai covers 751 km in about 13 hours, "
            "climbing through the hills north of Lampang.",
            "rail",
        ),
    ],
)
def test_measures(text: str, measure: str) -> None:
    claim = find_claims(text)[0]
    assert claim.measure == measure


def test_flight_total_is_the_sum_of_great_circles(gazetteer: Gazetteer) -> None:
    text = (
        "The president flew from Tokyo to Honolulu and then on to San Francisco, "
        "a flight of about 10,400 km in total."
    )
    trip = plan(text, gazetteer=gazetteer)
    (claim,) = trip.claims
    assert (claim.measure, claim.scope) == ("flight", "whole")
    assert claim.measured_km == pytest.approx(sum(leg.straight_km for leg in trip.legs))
    assert claim.verdict == "consistent"  # 6,200 + 3,850 km


def test_a_trip_from_a_to_b_and_on_to_c_is_measured_to_c(gazetteer: Gazetteer) -> None:
    text = "The president flew from Tokyo to Honolulu and on to San Francisco, a trip of 10,000 km."
    trip = plan(text, gazetteer=gazetteer)
    (claim,) = trip.claims
    assert claim.between == ("Tokyo", "San Francisco")
    assert claim.measured_km == pytest.approx(sum(leg.straight_km for leg in trip.legs))
    assert claim.verdict == "consistent"


def test_a_figure_to_a_stop_is_the_leg_that_reaches_it(gazetteer: Gazetteer) -> None:
    text = (
        "The crew left Oakland, California, for Honolulu. They then headed for Suva, Fiji, "
        "5,100 kilometres away, and later flew 2,150 km to Auckland."
    )
    trip = plan(text, gazetteer=gazetteer)
    assert [c.between for c in trip.claims] == [("Honolulu", "Suva"), ("Suva", "Auckland")]
    honolulu_suva = trip.legs[1].straight_km
    assert trip.claims[0].measured_km == pytest.approx(honolulu_suva)
    assert [c.verdict for c in trip.claims] == ["consistent", "consistent"]


def test_a_figure_of_a_journey_to_a_stop_is_the_leg_that_reaches_it(
    gazetteer: Gazetteer,
) -> None:
    text = "The cutter departed Honolulu on a 2,400-mile voyage to San Francisco."
    trip = plan(text, gazetteer=gazetteer)
    (claim,) = trip.claims
    assert (claim.between, claim.scope, claim.measure) == (
        ("Honolulu", "San Francisco"),
        "segment",
        "sea",
    )
    assert claim.verdict == "consistent"


def test_a_flight_longer_than_its_great_circles_is_not_called_wrong(gazetteer: Gazetteer) -> None:
    text = "From 1935 the airline flew the 12,000 mile London to Brisbane route."
    trip = plan(text, stops=["London", "Brisbane"], gazetteer=gazetteer)
    (claim,) = trip.claims
    assert (claim.measure, claim.scope) == ("flight", "segment")
    assert claim.measured_km == pytest.approx(16_500, rel=0.02)  # one great circle
    assert claim.verdict == "not checked"
    assert "may stop at places the text does not name" in claim.reason


def test_no_less_than_bounds_from_below(gazetteer: Gazetteer) -> None:
    text = "Paris and Lyon are no less than 300 km apart."
    (claim,) = plan(text, stops=["Paris", "Lyon"], gazetteer=gazetteer).claims
    assert (claim.qualifier, claim.measure) == ("no less than", "straight")
    assert claim.measured_km == pytest.approx(392, rel=0.02)
    assert claim.verdict == "consistent"  # at least 300: a longer figure fits
    text = "Paris and Lyon are no more than 300 km apart."
    (claim,) = plan(text, stops=["Paris", "Lyon"], gazetteer=gazetteer).claims
    assert claim.verdict == "understated"


def test_a_bound_far_below_the_measurement_is_not_checked(gazetteer: Gazetteer) -> None:
    """ "More than 100 km" is said of a way somewhat longer: against 392 km the text's
    way is not the one measured; "more than 250 km" agrees."""
    text = "Paris and Lyon are more than 100 km apart."
    (claim,) = plan(text, stops=["Paris", "Lyon"], gazetteer=gazetteer).claims
    assert claim.measured_km == pytest.approx(392, rel=0.02)
    assert claim.verdict == "not checked"
    assert "the figure is a bound (more than …)" in claim.reason
    text = "Paris and Lyon are more than 250 km apart."
    (claim,) = plan(text, stops=["Paris", "Lyon"], gazetteer=gazetteer).claims
    assert claim.verdict == "consistent"


def test_a_flight_shorter_than_its_great_circles_is_understated(gazetteer: Gazetteer) -> None:
    text = "From 1935 the airline flew the 5,000 mile London to Brisbane route."
    trip = plan(text, stops=["London", "Brisbane"], gazetteer=gazetteer)
    (claim,) = trip.claims
    assert claim.verdict == "understated"


def test_unknown_segment_or_measure_is_not_checked(gazetteer: Gazetteer) -> None:
    text = "The train left Paris for Lyon. It is 42 km to go. The road is 500 km."
    trip = plan(text, gazetteer=gazetteer)
    assert [c.verdict for c in trip.claims] == ["not checked", "not checked"]
    assert trip.claims[0].reason.startswith("a distance still to go")
    assert trip.claims[1].reason == "no road network"


def test_apart_names_the_two_towns_of_its_sentence(gazetteer: Gazetteer) -> None:
    text = "The train left Beijing for Shanghai; the cities are 1,070 km apart."
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert (claim.measure, claim.between) == ("straight", ("Beijing", "Shanghai"))
    assert claim.measured_km == pytest.approx(1068, rel=0.02)
    assert claim.verdict == "consistent"


@pytest.mark.parametrize(
    "text",
    [
        "The train left Paris for Lyon. Lyon lies about 390 km south-east of Paris.",
        "The train left Paris for Lyon, 390 km to the south-east.",
    ],
)
def test_a_bearing_and_a_distance_name_a_straight_segment(gazetteer: Gazetteer, text: str) -> None:
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert claim.measure == "straight"
    assert set(claim.between or ()) == {"Paris", "Lyon"}
    assert claim.measured_km == pytest.approx(392, rel=0.02)
    assert claim.verdict == "consistent"


def test_a_distance_told_after_the_two_ends_is_theirs(gazetteer: Gazetteer) -> None:
    text = (
        "The Congo-Ocean Railway links the Atlantic port of Pointe-Noire with Brazzaville, "
        "a distance of 502 kilometres."
    )
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert (claim.measure, claim.between) == ("rail", ("Pointe-Noire", "Brazzaville"))


def test_a_pin_far_off_the_way_is_no_ground_for_a_verdict(gazetteer: Gazetteer) -> None:
    # "Batna" (Algeria) between Singapore and Surabaya: without its detour 1,400 km fits.
    text = "The plane flew from Singapore via Batna to Surabaya, a total flight of 1,400 km."
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert claim.verdict == "not checked"
    assert "Batna lies far off the way" in claim.reason
    text = "The plane flew from Singapore via Jakarta to Surabaya, a total flight of 400 km."
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert claim.verdict == "understated"  # 1,580 km on the way: too short all the same


def test_no_verdict_of_wrong_on_a_stop_read_weakly(gazetteer: Gazetteer) -> None:
    weak = (
        "The delegation flew from Paris on Monday. Moscow welcomed the flight, a trip of "
        "200 km in all."
    )
    (claim,) = plan(weak, gazetteer=gazetteer).claims
    assert claim.verdict == "not checked"
    assert "Moscow is a stop only because a sentence" in claim.reason
    framed = (
        "The delegation flew from Paris on Monday. The flight, 200 km in total, reached Moscow."
    )
    (claim,) = plan(framed, gazetteer=gazetteer).claims
    assert claim.verdict == "understated"


def test_a_wrong_straight_line_claim_is_overstated(gazetteer: Gazetteer) -> None:
    text = "The train left Paris for Lyon. Paris and Lyon are some 900 km apart."
    trip = plan(text, gazetteer=gazetteer)
    (claim,) = check_claims(trip.claims, trip)
    assert claim.measured_km == pytest.approx(392, rel=0.02)
    assert claim.verdict == "overstated"


@pytest.mark.parametrize(
    ("text", "value", "scope"),
    [
        ("a distance of three thousand seven hundred and eighty-six miles", 3786.0, "unknown"),
        ("The Canadian is 542 km longer than the Zephyr.", 542.0, "other"),
        ("- Distance: 1600 km", 1600.0, "unknown"),  # whole, once there is a journey
        ("- Line length: 1,860 km", 1860.0, "unknown"),  # whole, once there is a journey
    ],
)
def test_numbers_in_words_comparisons_and_fields(text: str, value: float, scope: str) -> None:
    (claim,) = find_claims(text)
    assert (claim.value, claim.scope) == (value, scope)


def test_a_route_that_runs_a_distance_is_the_whole_route(gazetteer: Gazetteer) -> None:
    text = "The train leaves Chihuahua for Los Mochis. It runs 673 km, crossing the sierra."
    trip = plan(text, gazetteer=gazetteer)
    (claim,) = trip.claims
    assert (claim.scope, claim.measure) == ("whole", "rail")


def test_an_infobox_distance_is_the_whole_line(gazetteer: Gazetteer) -> None:
    text = "Start: Pretoria\nDistance: 1600 km\nThe train runs between Pretoria and Cape Town."
    trip = plan(text, gazetteer=gazetteer)
    (claim,) = trip.claims
    assert claim.scope == "whole"
    assert claim.measure == "rail"  # the journey's legs are by train


def test_a_figure_off_without_a_plain_segment_is_not_called_wrong(gazetteer: Gazetteer) -> None:
    # the measure comes from the legs' mode, not the text's words: no confident verdict
    text = "The president flew from Tokyo to Honolulu. The whole trip is 900 km."
    trip = plan(text, gazetteer=gazetteer)
    (claim,) = trip.claims
    assert claim.verdict == "not checked"
    assert "not name the segment and measure plainly" in claim.reason
    assert claim.measured_km is not None


def test_a_flight_of_n_miles_is_the_whole_flight(gazetteer: Gazetteer) -> None:
    text = (
        "The jumbo jet left Los Angeles and landed in Houston, then touched down in Orlando, "
        "concluding a 2,200-mile cross-country ferry flight."
    )
    trip = plan(text, gazetteer=gazetteer)
    assert [leg.mode for leg in trip.legs] == ["plane", "plane"]  # "ferry flight": a flight
    (claim,) = trip.claims
    assert (claim.scope, claim.measure) == ("whole", "flight")
    assert claim.measured_km == pytest.approx(sum(leg.straight_km for leg in trip.legs))


def test_a_whole_journey_figure_is_not_checked_when_a_stop_cannot_be_placed(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "The jet left Edwards Air Force Base, flew to El Paso and San Antonio and landed "
        "at Kennedy Space Center, a flight of 2,500 miles in all."
    )
    trip = plan(text, gazetteer=gazetteer)
    (claim,) = trip.claims
    assert claim.verdict == "not checked"
    assert "Kennedy Space Center" in claim.reason
    assert any("Kennedy Space Center" in note for note in trip.notes)
    # given the stops, the user has said what the journey is: the figure is checked
    trip = plan(text, stops="Edwards Air Force Base, El Paso, San Antonio", gazetteer=gazetteer)
    assert trip.claims[0].measured_km == pytest.approx(sum(leg.straight_km for leg in trip.legs))
    assert "Kennedy" not in trip.claims[0].reason


def test_an_aside_between_the_ends_names_no_segment(gazetteer: Gazetteer) -> None:
    text = (
        "The railway left Tumpat for Gemas. The line is 526 km long and runs between Gemas "
        "on the Butterworth-Kuala Lumpur-Singapore trunk line, and Tumpat."
    )
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert set(claim.between or ()) == {"Gemas", "Tumpat"}


def test_an_aside_is_no_second_place(gazetteer: Gazetteer) -> None:
    text = "The line runs 200 km between Exeter and the coast, and Plymouth."
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert "between Exeter and Plymouth" not in claim.cue


def test_each_figure_of_a_sentence_is_the_segment_told_nearest_it(gazetteer: Gazetteer) -> None:
    text = (
        "The line runs 1,287 km from Dakar to Koulikoro, of which the 641 km between Kayes "
        "and Bamako were finished first."
    )
    whole, part = plan(text, gazetteer=gazetteer).claims
    assert whole.between == ("Dakar", "Koulikoro")
    assert part.between == ("Kayes", "Bamako")


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        (
            "From London to Edinburgh the line runs for 632 km; from Edinburgh to Aberdeen it "
            "is another 210 km.",
            [("London", "Edinburgh"), ("Edinburgh", "Aberdeen")],
        ),
        (
            "The train from Beijing to Shanghai takes five hours and covers 1,318 km, while "
            "from Shanghai to Hangzhou it needs an hour.",
            [("Beijing", "Shanghai")],
        ),
        (
            "The drive from Los Angeles to San Francisco is about 615 km, compared with 180 km "
            "from San Francisco to Sacramento.",
            [("Los Angeles", "San Francisco"), ("San Francisco", "Sacramento")],
        ),
    ],
)
def test_a_figure_is_not_measured_on_a_pair_across_a_contrast(
    gazetteer: Gazetteer, text: str, pairs: list[tuple[str, str]]
) -> None:
    assert [c.between for c in plan(text, gazetteer=gazetteer).claims] == pairs


def test_a_figure_from_a_place_to_itself_is_not_checked(gazetteer: Gazetteer) -> None:
    text = (
        "Members of Fort Lee's police unit ran a relay to a park about 97 miles west of Fort "
        "Lee. They ran from Petersburg to Richmond."
    )
    claims = plan(text, gazetteer=gazetteer).claims
    assert claims
    for claim in claims:
        assert claim.between is None or claim.between[0] != claim.between[1]
        assert claim.verdict != "overstated"


def test_a_measure_taken_from_the_legs_mode_never_calls_a_figure_wrong(
    gazetteer: Gazetteer,
) -> None:
    text = "The cutter left Honolulu on a 900-mile trip to San Francisco."
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert (claim.between, claim.measure) == (("Honolulu", "San Francisco"), "sea")
    assert "leg mode" in claim.cue
    assert claim.verdict == "not checked"
    assert "plainly enough" in claim.reason


@pytest.mark.parametrize(
    "text",
    [
        "The 440-kilometer line connects Dar es Salaam and Dodoma and is part of a more "
        "extensive 2,561-kilometer Standard Gauge Railway network.",
        "The train runs from Dar es Salaam to Dodoma. The country's rail network of 2,561 km "
        "is growing.",
    ],
)
def test_a_networks_length_is_no_distance_of_the_journey(gazetteer: Gazetteer, text: str) -> None:
    claims = plan(text, stops=["Dar es Salaam", "Dodoma"], gazetteer=gazetteer).claims
    network = next(c for c in claims if c.km == pytest.approx(2561))
    assert (network.scope, network.verdict) == ("other", "not checked")
    assert "network" in network.cue


def test_a_systems_figure_for_a_leg_is_the_legs(gazetteer: Gazetteer) -> None:
    text = "The metro system carried us 12 km from Barcelona to Badalona."
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert (claim.scope, claim.between) == ("segment", ("Barcelona", "Badalona"))


def test_a_whole_figure_that_is_the_straight_line_past_a_stop_is_not_called_short(
    gazetteer: Gazetteer,
) -> None:
    text = "The jet left Paris on a 650-mile flight to Madrid, stopping first in London."
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert claim.verdict == "not checked"
    assert "straight line from Paris to Madrid" in claim.reason
    text = "The jet left Paris on a 300-mile flight to Madrid, stopping first in London."
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert claim.verdict == "understated"  # shorter than even the straight line


def test_a_goal_told_before_its_start_and_two_places_linked(gazetteer: Gazetteer) -> None:
    text = "The train travels around 375 kilometers to reach Dhaka from Kolkata."
    (claim,) = find_claims(text, find_mentions(text, gazetteer))
    assert (claim.between, claim.measure, claim.scope) == (("Kolkata", "Dhaka"), "rail", "segment")
    text = (
        "New York and San Francisco are thus united by an uninterrupted metal ribbon, which "
        "measures no less than three thousand seven hundred and eighty-six miles."
    )
    (claim,) = find_claims(text, find_mentions(text, gazetteer))
    assert claim.between == ("New York", "San Francisco")
    assert claim.value == 3786


def test_a_way_linking_two_places_names_its_segment(gazetteer: Gazetteer) -> None:
    text = (
        "It is a single, 450-kilometre railway line linking the mining town of Kayes with "
        "the river port of Bamako."
    )
    (claim,) = find_claims(text, find_mentions(text, gazetteer))
    assert (claim.between, claim.measure, claim.scope) == (("Kayes", "Bamako"), "rail", "segment")
    text = "The line, 600 km long, was built in 1910, connecting Dakar, Senegal, with Kayes."
    (claim,) = find_claims(text, find_mentions(text, gazetteer))
    assert claim.between == ("Dakar", "Kayes")
    # two places in a list are no way's ends
    text = "The 600 km line serves towns such as Dakar, Thiès and Kayes."
    (claim,) = find_claims(text, find_mentions(text, gazetteer))
    assert claim.between is None


def test_the_length_of_the_journey_is_the_whole(gazetteer: Gazetteer) -> None:
    text = (
        "The train leaves Adelaide in the evening and arrives in Melbourne the next day, the "
        "length of the journey being 480 miles."
    )
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert (claim.scope, claim.measure) == ("whole", "rail")
    # another's journey, and a way that only links the places a figure is not the length of
    text = (
        "The length of his walk from Land's End to Bristol was 200 miles; we walked from "
        "Bath to Wells."
    )
    assert "whole" not in {c.scope for c in plan(text, gazetteer=gazetteer).claims}
    text = (
        "We flew from Madrid to Lisbon. A probe linking Madrid with Lisbon traced 500 km of "
        "smuggling routes."
    )
    (claim,) = find_claims(text, find_mentions(text, gazetteer))
    assert claim.between is None


@pytest.fixture(scope="module")
def world_rail() -> object:
    import route

    return route.load_rail_network()


def test_a_rail_way_far_round_is_no_ground_for_understated(
    gazetteer: Gazetteer, world_rail: object
) -> None:
    # The network lacks the line across the border: its way is 5.6 times the straight line.
    text = "The train travels 375 km by rail to reach Dhaka from Kolkata."
    (claim,) = plan(text, gazetteer=gazetteer, rail_network=world_rail).claims
    assert claim.verdict == "not checked"
    assert "farther round than railways go" in claim.reason
    assert claim.measured_km == pytest.approx(1374, rel=0.05)
    # ... but a figure shorter than the straight line is short whatever the network
    text = "The train travels 120 km by rail to reach Dhaka from Kolkata."
    (claim,) = plan(text, gazetteer=gazetteer, rail_network=world_rail).claims
    assert claim.verdict == "understated"


def test_a_link_then_another_clause_names_no_segment(gazetteer: Gazetteer) -> None:
    text = (
        "The minister took the train from Paris to Lyon. Paris and Lille are linked by a "
        "line, and the line to Lyon measures 409 km."
    )
    (claim,) = find_claims(text, find_mentions(text, gazetteer))
    assert claim.between != ("Paris", "Lille")


def test_a_figure_of_another_mode_than_its_legs_is_not_checked(gazetteer: Gazetteer) -> None:
    text = (
        "The veterans cycled from Washington to Richmond by bicycle. The railway line "
        "between Washington and Richmond is 300 km long."
    )
    trip = plan(text, gazetteer=gazetteer)
    assert [leg.mode for leg in trip.legs] == ["bicycle"]
    (claim,) = trip.claims
    assert claim.measure == "rail"
    assert claim.verdict == "not checked"
    assert claim.reason == "the figure reads as rail, but the legs it spans go by bicycle"


def test_a_figure_after_thence_measures_the_chain(gazetteer: Gazetteer, world_rail: object) -> None:
    text = "The train ran from Paris to Dijon, thence to Lyon, a distance of 470 km by rail."
    (claim,) = plan(text, gazetteer=gazetteer, rail_network=world_rail).claims
    assert claim.between == ("Paris", "Lyon")
    assert claim.verdict == "consistent"


def test_a_long_figure_that_counts_from_an_earlier_stop_is_not_called_wrong(
    gazetteer: Gazetteer, world_rail: object
) -> None:
    text = (
        "The train left Paris in the morning. It reached Dijon at noon. From Dijon it went "
        "by rail to Lyon, a distance of 470 km."
    )
    (claim,) = plan(text, gazetteer=gazetteer, rail_network=world_rail).claims
    assert claim.between == ("Dijon", "Lyon")
    assert claim.verdict == "not checked"
    assert "rail Paris → Lyon" in claim.reason
    # ... but a figure too long from every earlier stop is too long
    text = text.replace("470 km", "900 km")
    (claim,) = plan(text, gazetteer=gazetteer, rail_network=world_rail).claims
    assert claim.verdict == "overstated"


@pytest.mark.parametrize(
    ("text", "between"),
    [
        (
            "They took the train from Edinburgh to Ayr, 50 km south-west of Glasgow.",
            ("Glasgow", "Ayr"),
        ),
        (
            "The Pope flew from Rome to Lourdes, a town 130 km south-west of Toulouse.",
            ("Toulouse", "Lourdes"),
        ),
        (
            "The tour went by coach from Amman to Petra, some 100 km north of Aqaba.",
            ("Aqaba", "Petra"),
        ),
    ],
)
def test_a_figure_that_says_where_a_town_lies_measures_from_its_place(
    gazetteer: Gazetteer, text: str, between: tuple[str, str]
) -> None:
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert claim.between == between
    assert (claim.measure, claim.verdict) == ("straight", "consistent")


def test_a_figure_far_from_a_place_read_under_another_name_is_not_called_wrong(
    gazetteer: Gazetteer,
) -> None:
    # "Khasan" is not in the gazetteer but for Hassan, India (an old name of it)
    text = "Kim's train from Pyongyang arrived at Khasan, 130 km south-west of Vladivostok."
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert claim.verdict == "not checked"
    assert "placed as Hassan" in claim.reason


def test_a_verb_the_parser_read_as_a_noun_gives_the_ways_ends(
    gazetteer: Gazetteer, world_rail: object
) -> None:
    text = (
        "VIA Rail's Canadian links Toronto and Vancouver on a 4,466-km trip through "
        "Winnipeg, Saskatoon, Edmonton and Jasper."
    )
    trip = plan(text, gazetteer=gazetteer, rail_network=world_rail)
    assert [s.name for s in trip.stops][0::5] == ["Toronto", "Vancouver"]
    (claim,) = trip.claims
    assert claim.verdict == "consistent"


def test_a_leg_told_after_a_pair_is_not_the_pairs(gazetteer: Gazetteer) -> None:
    text = (
        "The delegation sailed from Southampton to Cape Town and then travelled 1,600 km "
        "north on the Blue Train to Pretoria."
    )
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert claim.between != ("Southampton", "Cape Town")
    assert claim.verdict == "not checked"


def test_apart_by_rail_is_a_rail_figure(gazetteer: Gazetteer, world_rail: object) -> None:
    text = "The Tokaido Shinkansen links Tokyo and Shin-Osaka, which are 515.4 km apart by rail."
    (claim,) = plan(text, gazetteer=gazetteer, rail_network=world_rail).claims
    assert (claim.measure, claim.verdict) == ("rail", "consistent")


def test_from_a_facility_and_its_region_to_another_is_the_segment(gazetteer: Gazetteer) -> None:
    # "from A <rest of a facility's name>, <region>, to <facility>, B": A to B
    text = (
        "They made the 2,400-mile hop from Oakland Airport, Calif., to Wheeler Field, "
        "Honolulu, in 27 hours. Then they flew on to Suva and Brisbane."
    )
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert (claim.scope, claim.measure, claim.verdict) == ("segment", "flight", "consistent")
    assert claim.measured == "great circles Oakland → Honolulu (1 legs)"
    assert claim.measured_km == pytest.approx(3850, rel=0.02)


@pytest.mark.parametrize(
    ("field", "measure"),
    [
        ("Line length 515.4 km (320.3 mi)", "rail"),  # an infobox copied as text
        ("Distance travelled740 km (460 mi)", "rail"),  # the train's leg gives the measure
        ("Line length: 515.4 km", "rail"),
    ],
)
def test_a_field_with_its_figure_right_after_is_the_whole(
    gazetteer: Gazetteer, field: str, measure: str
) -> None:
    text = f"The Westlander is a train that runs from Brisbane to Toowoomba.\n{field}\n"
    claim = plan(text, gazetteer=gazetteer).claims[0]
    assert (claim.scope, claim.measure) == ("whole", measure)


def test_a_route_diagrams_distance_posts_measure_from_its_first_station(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "The Tokaido Shinkansen is a high-speed railway line between Tokyo and Osaka.\n\n"
        "Route map\n0.0 km Tokyo\n28.8 km Yokohama\n342.0 km Nagoya\n476.3 km Kyoto\n"
        "552.6 km Osaka\n"
    )
    claims = {c.surface: c for c in plan(text, gazetteer=gazetteer).claims}
    nagoya = claims["342.0 km"]
    assert nagoya.between == ("Tokyo", "Nagoya")
    assert (nagoya.scope, nagoya.measure) == ("segment", "rail")
    assert claims["0.0 km"].between is None  # the post at nought measures nothing


def test_a_figure_in_brackets_after_a_goal_is_the_leg_to_it(gazetteer: Gazetteer) -> None:
    text = (
        "The ship departed Honolulu at 1015 en route to Howland (~ 1650 nmi). After a week "
        "at Howland she sailed on to Pago Pago."
    )
    claim = plan(text, gazetteer=gazetteer).claims[0]
    assert claim.between == ("Honolulu", "Howland")
    assert claim.scope == "segment"


def test_a_figure_into_the_journey_is_a_point_on_the_way(gazetteer: Gazetteer) -> None:
    text = (
        "The car was taken by ferry from San Francisco to Oakland and driven east to "
        "Sacramento. But only fifteen miles into the journey, the car blew a tire."
    )
    (claim,) = plan(text, gazetteer=gazetteer).claims
    assert (claim.scope, claim.verdict) == ("stretch", "not checked")


def test_a_long_lines_terminus_off_the_network_is_measured_from_the_nearest_railway(
    gazetteer: Gazetteer, world_rail: object
) -> None:
    # Natural Earth's railways end some 50 km short of Kanniyakumari; on a 4,000 km line
    # the stretch to the nearest railway is slack, not a reason to give up
    text = "The Vivek Express runs 4,189 kilometres by rail from Dibrugarh to Kanniyakumari."
    (claim,) = plan(text, gazetteer=gazetteer, rail_network=world_rail).claims
    assert (claim.measure, claim.verdict) == ("rail", "consistent")
    assert claim.measured_km == pytest.approx(3990, rel=0.03)


def test_a_city_state_and_a_town_as_a_ways_ends_name_the_segment(gazetteer: Gazetteer) -> None:
    text = (
        "Singapore Airlines Flight 21 flew nonstop from Singapore to Newark. Singapore to "
        "Newark via Tokyo is 16,184 kilometres (10,056 mi)."
    )
    claim = plan(text, gazetteer=gazetteer).claims[0]
    assert claim.between == ("Singapore", "Newark")
    assert (claim.measure, claim.verdict) == ("flight", "consistent")
    assert claim.measured_km == pytest.approx(15345, rel=0.02)
