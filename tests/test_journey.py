from __future__ import annotations

import pytest

from route.document import Document
from route.extract import find_mentions
from route.gazetteer import Gazetteer
from route.journey import (
    StopCue,
    city_states,
    find_stops,
    leg_modes,
    region_towns,
    unify_senses,
)
from route.passes import names_a_region
from route.pipeline import analyse_text

from .conftest import SEED_TEXT


def _stops(text: str, gazetteer: Gazetteer) -> list[StopCue]:
    return find_stops(Document(text), unify_senses(find_mentions(text, gazetteer)))


def _names(text: str, gazetteer: Gazetteer) -> list[str]:
    return [s.mention.surface for s in _stops(text, gazetteer)]


def _read_names(text: str, gazetteer: Gazetteer) -> list[str]:
    """The stops' names as the whole reading gives them (:func:`analyse_text`)."""
    return [s.mention.surface for s in analyse_text(text, gazetteer).stops]


def test_seed_journey(gazetteer: Gazetteer) -> None:
    stops = _stops(SEED_TEXT.read_text(encoding="utf-8"), gazetteer)
    assert [s.mention.candidate.geonameid for s in stops] == [1871859, 2037886, 1582998, 1581130]
    assert [s.role for s in stops] == ["origin", "via", "destination", "destination"]
    assert [s.cue for s in stops] == ["train in", "passed near", "expected in", "travel to"]
    assert leg_modes(stops) == [
        ("train", "train"),
        ("train", "train (as the leg before)"),
        ("car", "car"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # lists under one frame
        (
            "The caravan set off from San Pedro Sula and walked through Tapachula and Juchitan "
            "towards Mexico City.",
            ["San Pedro Sula", "Tapachula", "Juchitan", "Mexico City"],
        ),
        (
            "The route runs through the towns of Lyon, Avignon and Marseille before reaching Nice.",
            ["Lyon", "Avignon", "Marseille", "Nice"],
        ),
        # verbs and prepositions of travel
        (
            "The train pulled out of Milan's central station and continued to Bologna, "
            "calling at Parma.",
            ["Milan", "Parma", "Bologna"],  # calling at Parma on the way to Bologna
        ),
        (
            "He flew from Tokyo to Honolulu and then on to San Francisco.",
            ["Tokyo", "Honolulu", "San Francisco"],
        ),
        # a route chain and day headings
        (
            "Day 1: Madrid – Zaragoza\nDay 2: Zaragoza – Barcelona\n",
            ["Madrid", "Zaragoza", "Barcelona"],
        ),
        # told out of order: the start told late, a stop "before that"
        (
            "The delegation arrived in Vladivostok on Friday. It had left Moscow a week earlier "
            "by train and passed through Novosibirsk and Irkutsk, where it stopped for a day. "
            "Before that the train passed through Yekaterinburg.",
            ["Moscow", "Yekaterinburg", "Novosibirsk", "Irkutsk", "Vladivostok"],
        ),
        # a round trip ends where it began
        (
            "The pope flew from Rome to Baghdad, then on to Najaf and Erbil, before flying back "
            "to Rome.",
            ["Rome", "Baghdad", "Najaf", "Erbil", "Rome"],
        ),
        # the parser's slips: an object read as an apposition to the verb, a sentence
        # with its start put first read as a noun phrase
        ("The railway links Dakar and Bamako.", ["Dakar", "Bamako"]),
        # a way named by its ends before its noun
        ("She took the Paris to Lyon train on Monday.", ["Paris", "Lyon"]),
        ("A Beijing to Shanghai flight was delayed for three hours.", ["Beijing", "Shanghai"]),
        # a list after a colon, and the verbs of containing with a journey as subject
        (
            "The tour visits five cities: Madrid, Seville, Granada, Valencia and Barcelona.",
            ["Madrid", "Seville", "Granada", "Valencia", "Barcelona"],
        ),
        ("The itinerary includes Delhi, Agra and Jaipur.", ["Delhi", "Agra", "Jaipur"]),
        # several stops told "after" a goal keep their own order
        (
            "The train reached Vladivostok after passing Irkutsk and Khabarovsk.",
            ["Irkutsk", "Khabarovsk", "Vladivostok"],
        ),
        # a return after goals travelled to: the journey began where it returns
        (
            "He returned to Berlin on Friday after visits to Warsaw and Prague.",
            ["Berlin", "Warsaw", "Prague", "Berlin"],
        ),
        # the object of a verb of travel is the way gone, not a thing "between" places
        (
            "Masiero travelled the section between Delhi and Calcutta by train.",
            ["Delhi", "Calcutta"],
        ),
        (
            "The voyage from Southampton to Cape Town lasted 17 days. The expedition included "
            "scientists from Edinburgh and Cambridge.",
            ["Southampton", "Cape Town"],
        ),
        (
            "The riders left Grenoble on Tuesday, passed the monastery between Voiron and "
            "Chambéry, and finished in Annecy.",
            ["Grenoble", "Annecy"],
        ),
        (
            "From Liverpool the steamer called at Lisbon and Las Palmas before reaching Freetown.",
            ["Liverpool", "Lisbon", "Las Palmas", "Freetown"],
        ),
    ],
)
def test_stops_in_travel_order(gazetteer: Gazetteer, text: str, expected: list[str]) -> None:
    assert _names(text, gazetteer) == expected


def test_events_elsewhere_are_not_stops(gazetteer: Gazetteer) -> None:
    text = (
        "The president left Pyongyang by train on Sunday. Moscow expects an agreement from "
        "Pyongyang, and Washington wants results. Last June he travelled by plane to Singapore. "
        "He is expected to arrive in Hanoi on Tuesday."
    )
    assert _names(text, gazetteer) == ["Pyongyang", "Hanoi"]


@pytest.mark.parametrize(
    "text",
    [
        "The flight from Korea to Vietnam takes five hours; the train from China to Vietnam too.",
        "Paris and Berlin disagreed about the budget.",
        "The minister did not travel to Lyon.",
        "Fans who had travelled from Leeds cheered.",
        "The end of Paris is near, the soldiers said.",
        "He did not manage to reach Paris.",
        "Related: Paris-Lyon rail strike enters third day",
        "His origin is in Ireland, and his goal is in Washington.",
        "The plateau runs east from Tennant Creek towards the Queensland border.",
        "The delegation included officials from Paris and Lyon.",
        "The survey ranked five cities: Madrid, Seville and Granada.",
        "They crossed the bridge between Zhangmu and Kodari.",
        "He compared the cost to London prices.",
    ],
)
def test_no_stops(gazetteer: Gazetteer, text: str) -> None:
    assert _stops(text, gazetteer) == []


@pytest.mark.parametrize(
    ("text", "modes"),
    [
        ("They sailed from Dover to Calais and drove on to Paris.", ["ship", "car"]),
        ("She walked from Leon to Astorga, then cycled to Lugo.", ["foot", "bicycle"]),
        ("We left Vienna by bus and reached Budapest.", ["car"]),
        ("The ferry left Helsinki for Tallinn.", ["ship"]),
        (
            "Kim travelled by armoured train from Pyongyang to Dong Dang, then by car to Hanoi.",
            ["train", "car"],
        ),
        ("We took the ferry from Dover to Calais and the TGV to Paris.", ["ship", "train"]),
        ("After landing in Tokyo, he took the Shinkansen to Osaka.", ["train"]),
        ("After a training cycle the crew sailed from Saipan to Honolulu.", ["ship"]),
        ("They went by cycle from Oxford to Cambridge.", ["bicycle"]),
        ("Three flying boats took the mail from Karachi to Cairo.", ["plane"]),
        ("The soldiers began a 20-mile march from Fort Dix to Trenton.", ["foot"]),
        ("The schooner left Boston for Halifax.", ["ship"]),
        ("The shuttle took off from Edwards and touched down in Amarillo.", ["plane"]),
        # a verb that names its vehicle (Levin 51.4.1), in any of its forms
        ("The soldiers convoyed from Denver to Boise.", ["car"]),
        ("The students were bused from Boston to Albany.", ["car"]),
        ("They canoed from Oxford to London.", ["ship"]),
    ],
)
def test_leg_modes(gazetteer: Gazetteer, text: str, modes: list[str]) -> None:
    assert [mode for mode, _cue in leg_modes(_stops(text, gazetteer))] == modes


def test_one_sense_per_text(gazetteer: Gazetteer) -> None:
    text = "The train left Perth for Kalgoorlie. Perth was hot."
    found = unify_senses(find_mentions(text, gazetteer))
    perths = {f.candidate.geonameid for f in found if f.surface == "Perth"}
    assert len(perths) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # headed for first, reached later: it stands where it is reached
        (
            "The convoy left Kabul toward Herat. It passed through Kandahar and arrived in Herat.",
            ["Kabul", "Kandahar", "Herat"],
        ),
        # towns listed under "such as" on the way
        (
            "The highway runs from Darwin to Adelaide; you will pass towns such as Katherine "
            "and Alice Springs.",
            ["Darwin", "Katherine", "Alice Springs", "Adelaide"],
        ),
        # a title "A to B" names the whole journey
        (
            "Cairo to Nairobi\n\nThe ferry at Aswan is the only crossing.",
            ["Cairo", "Aswan", "Nairobi"],
        ),
    ],
)
def test_order_from_headings_and_lists(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _names(text, gazetteer) == expected


def test_conditionals_are_not_the_journey(gazetteer: Gazetteer) -> None:
    text = "The train left Lyon for Paris. If you go to Marseille, take the TGV."
    assert _names(text, gazetteer) == ["Lyon", "Paris"]


@pytest.mark.parametrize(
    ("text", "expected", "modes"),
    [
        (
            "The president arrived in Paris on Monday after visiting Berlin. "
            "He will travel on to Madrid.",
            ["Berlin", "Paris", "Madrid"],
            None,
        ),
        (
            "Day 1: Arrive in Lisbon\nDay 2: Take the train to Porto\nDay 3: Drive to Braga",
            ["Lisbon", "Porto", "Braga"],
            ["train", "car"],
        ),
    ],
)
def test_itineraries_and_participles(
    gazetteer: Gazetteer, text: str, expected: list[str], modes: list[str] | None
) -> None:
    stops = _stops(text, gazetteer)
    assert [s.mention.surface for s in stops] == expected
    if modes is not None:
        assert [mode for mode, _cue in leg_modes(stops)] == modes


def test_fields_and_facilities(gazetteer: Gazetteer) -> None:
    text = "Blue Train\n- Start: Pretoria\n- End: Cape Town\nThe Blue Train is a luxury train."
    stops = _stops(text, gazetteer)
    assert [(s.mention.surface, s.role) for s in stops] == [
        ("Pretoria", "origin"),
        ("Cape Town", "destination"),
    ]
    assert [s.source for s in stops] == ["field", "field"]


def test_a_timetable_s_calling_points(gazetteer: Gazetteer) -> None:
    text = "The train runs from London to Cardiff.\nCalling points: Swindon, Newport"
    stops = _stops(text, gazetteer)
    assert [s.mention.surface for s in stops] == ["London", "Swindon", "Newport", "Cardiff"]


def test_a_facilitys_short_name_is_the_facility() -> None:
    from types import SimpleNamespace

    from route.extract import Found

    base = SimpleNamespace(geonameid=1, feature="PPL", name="Little Rock Air Force Base")
    town = SimpleNamespace(geonameid=2, feature="PPL", name="Little Rock")
    found = [
        Found(0, 26, "Little Rock Air Force Base", "place", base, 1, 1.0),
        Found(40, 51, "Little Rock", "place", town, 3, 0.9),
        Found(60, 64, "Rock", "place", town, 3, 0.9),  # not the start of the name
    ]
    unified = unify_senses(found)
    assert [f.candidate.geonameid for f in unified] == [1, 1, 2]


def test_the_first_words_of_a_long_name_told_later_are_short_for_it(
    gazetteer: Gazetteer,
) -> None:
    """ "San Antonio" after "San Antonio de los Cobres" is the Argentine town, not the
    Texan city; a name without a particle ("New York Mills") gives its first words none."""
    text = (
        "The train runs from San Antonio de los Cobres to the viaduct. Currently, the train "
        "leaves San Antonio station for the round trip."
    )
    found = analyse_text(text, gazetteer).found
    assert [(f.surface, f.candidate.country) for f in found] == [
        ("San Antonio de los Cobres", "AR"),
        ("San Antonio", "AR"),
    ]
    mills = unify_senses(find_mentions("From New York Mills we drove to New York.", gazetteer))
    assert [f.surface for f in mills] == ["New York Mills", "New York"]
    assert mills[1].candidate.population > 1_000_000


@pytest.mark.parametrize(
    ("text", "country"),
    [
        (
            "Bly began her trek eastward from New York City, pausing in Paris to meet Verne, "
            "and arrived in San Francisco by ship before the train took her to Chicago.",
            "FR",
        ),
        ("The band drove from Dallas to Paris, Texas, and on to Texarkana.", "US"),
        ("They drove from Dallas to Paris, Texas, and later flew on to France.", "US"),
    ],
)
def test_a_famous_namesake_unless_the_text_qualifies_it(
    gazetteer: Gazetteer, text: str, country: str
) -> None:
    from route.pipeline import analyse_text

    stops = analyse_text(text, gazetteer).stops
    paris = next(s for s in stops if s.mention.surface == "Paris")
    assert paris.mention.candidate.country == country


def test_a_famous_namesake_in_a_country_the_text_names_beats_a_village_near_the_start(
    gazetteer: Gazetteer,
) -> None:
    from route.pipeline import analyse_text

    text = (
        "Smith left Oakland, California, on the first flight to Australia, stopping at Suva "
        "and landing at Brisbane."
    )
    stops = analyse_text(text, gazetteer).stops
    assert [(s.mention.surface, s.mention.candidate.country) for s in stops] == [
        ("Oakland", "US"),
        ("Suva", "FJ"),
        ("Brisbane", "AU"),
    ]
    brisbane = stops[-1].mention.candidate
    assert abs(brisbane.lat - -27.47) < 0.05
    assert abs(brisbane.lon - 153.03) < 0.05


def test_after_meetings_in_a_place_and_a_division_gone_to_is_a_larger_town(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "Following meetings in Canberra, the prime minister will fly to Wellington and then "
        "return to Tokyo."
    )
    stops = analyse_text(text, gazetteer).stops
    assert [(s.mention.surface, s.mention.candidate.country) for s in stops] == [
        ("Canberra", "AU"),
        ("Wellington", "NZ"),
        ("Tokyo", "JP"),
    ]


def test_a_stop_far_off_the_way_is_its_namesake_on_the_way(gazetteer: Gazetteer) -> None:
    from route.pipeline import analyse_text

    text = (
        "The crew left Oakland, California, for Honolulu. They then headed for Suva, Fiji, "
        "and later flew on to Brisbane."
    )
    analysis = analyse_text(text, gazetteer)
    assert [(s.mention.surface, s.mention.candidate.country) for s in analysis.stops] == [
        ("Oakland", "US"),
        ("Honolulu", "US"),
        ("Suva", "FJ"),
        ("Brisbane", "AU"),
    ]
    assert {f.candidate.country for f in analysis.found if f.surface == "Brisbane"} == {"AU"}


def test_a_stop_a_continent_off_the_way_is_a_smaller_namesake_on_it(gazetteer: Gazetteer) -> None:
    from route.events import StopCue
    from route.senses import along_the_way

    far = next(f for f in find_mentions("Hastings, England", gazetteer) if f.surface == "Hastings")
    us = find_mentions("La Crosse, Wisconsin, and Saint Paul, Minnesota", gazetteer)
    ends = [f for f in us if f.surface in ("La Crosse", "Saint Paul")]
    stops = [StopCue(f, "via", "stops at", "train") for f in (ends[0], far, ends[1])]
    assert far.candidate.country == "GB"
    moved, _ = along_the_way(stops, [ends[0], far, ends[1]], gazetteer)
    hastings = moved[1].mention.candidate
    assert (hastings.country, hastings.admin1) == ("US", "MN")
    assert abs(hastings.lat - 44.74) < 0.05
    assert abs(hastings.lon - (-92.85)) < 0.05


def test_a_small_namesake_near_one_end_is_the_bigger_one_on_the_way(gazetteer: Gazetteer) -> None:
    from route.events import StopCue
    from route.senses import along_the_way

    small = next(f for f in find_mentions("Ogden, Illinois", gazetteer) if f.surface == "Ogden")
    ends = find_mentions("Chicago and San Francisco", gazetteer)
    stops = [StopCue(f, "via", "at", "train") for f in (ends[0], small, ends[1])]
    assert small.candidate.admin1 == "IL"
    moved, _ = along_the_way(stops, [ends[0], small, ends[1]], gazetteer)
    ogden = moved[1].mention.candidate
    assert (ogden.country, ogden.admin1) == ("US", "UT")
    assert abs(ogden.lat - 41.22) < 0.05
    assert abs(ogden.lon - (-111.97)) < 0.05


def test_one_stop_from_frames_brings_the_towns_of_travel_sentences(gazetteer: Gazetteer) -> None:
    text = (
        "The flying boat left Lisbon on 27 May. Its flights from Lisbon to northern Spain "
        "and on to Plymouth completed the crossing."
    )
    stops = _stops(text, gazetteer)
    assert [s.mention.surface for s in stops][:1] == ["Lisbon"]
    assert "Plymouth" in [s.mention.surface for s in stops]
    weak = [s for s in stops if s.source == "sentence"]
    assert all(s.cue == "named in a sentence about the journey" for s in weak)


def test_no_frame_no_weak_reading(gazetteer: Gazetteer) -> None:
    # places and travel words, but no stop tied to a journey: still no journey
    assert _stops("Paris and Berlin argued about train fares.", gazetteer) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The TGV left Paris Gare de Lyon at 8 am and arrived in Marseille at noon.",
            ["Paris", "Marseille"],
        ),
        ("We took the train from Milano Centrale to Roma Termini.", ["Milano", "Roma"]),
        ("He left Berlin Hauptbahnhof for Hamburg.", ["Berlin", "Hamburg"]),
        (
            "The bus from Santiago de los Caballeros reached Santo Domingo in two hours.",
            ["Santiago de los Caballeros", "Santo Domingo"],
        ),
    ],
)
def test_names_stay_whole_and_stations_give_their_town(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _names(text, gazetteer) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "get", "make", "take" speak of travel only with a path
        (
            "You can get a visa in Cairo or Aswan. The route runs from Cairo to Nairobi.",
            ["Cairo", "Nairobi"],
        ),
        # a from-to pair under a name the parser mistakes for the verb's
        (
            "It was a train operated by the Atchison, Topeka and Santa Fe Railway from "
            "San Francisco, California to Chicago, Illinois.",
            ["San Francisco", "Chicago"],
        ),
        # another named road's places are not this road's stops
        (
            "The Stuart Highway runs from Darwin to Port Augusta. From there the Princes "
            "Highway takes you to Adelaide.",
            ["Darwin", "Port Augusta"],
        ),
    ],
)
def test_travel_frames_need_their_path(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _names(text, gazetteer) == expected


def test_a_route_told_before_the_journey_reaches_its_start(gazetteer: Gazetteer) -> None:
    text = (
        "The special train ran from San Francisco to Chicago. She began her trip from "
        "New York, pausing in Paris, and arrived in San Francisco by ship."
    )
    assert _names(text, gazetteer) == ["New York", "Paris", "San Francisco", "Chicago"]


def test_one_start_told_at_two_scales(gazetteer: Gazetteer) -> None:
    text = (
        "The race began in Paris. The first stage departed from Montgeron, a suburb of "
        "Paris, and headed through Melun before arriving in Lyon."
    )
    stops = _stops(text, gazetteer)
    assert [s.mention.surface for s in stops] == ["Montgeron", "Melun", "Lyon"]
    assert stops[0].role == "origin"


def test_a_facility_the_journey_goes_to_is_unplaced(gazetteer: Gazetteer) -> None:
    from route.journey import unplaced_goals

    text = (
        "The jet left Edwards Air Force Base, flew to El Paso and landed at Kennedy "
        "Space Center. From Kennedy it will fly again."
    )
    document = Document(text)
    found = unify_senses(find_mentions(text, gazetteer))
    assert unplaced_goals(document, found) == ["Kennedy Space Center"]
    assert [s.mention.surface for s in find_stops(document, found)] == [
        "Edwards Air Force Base",
        "El Paso",
    ]


def test_a_vehicle_noun_used_as_another_verb_names_no_mode(gazetteer: Gazetteer) -> None:
    text = (
        "The secretary traveled to Manama and then to Kabul. He met officials there to "
        "express support, and to help train the army. He went on to Doha to hear and "
        "express thanks."
    )
    analysis = analyse_text(text, gazetteer=gazetteer)
    assert [s.mention.surface for s in analysis.stops] == ["Manama", "Kabul", "Doha"]
    assert analysis.modes == ("unknown", "unknown")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a title-case headline: its capitalised verb is a verb for the parser
        (
            "Secretary Kerry Travel to Colombo, Nairobi, Djibouti and Paris\n\n"
            "The Secretary will meet leaders.",
            ["Colombo", "Nairobi", "Djibouti", "Paris"],
        ),
        (
            "President Arrives In Hanoi After Train Journey From Pyongyang\n\n"
            "Crowds lined the streets.",
            ["Pyongyang", "Hanoi"],
        ),
    ],
)
def test_a_title_case_headline_is_read(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _read_names(text, gazetteer) == expected


def test_port_calls_are_a_ships(gazetteer: Gazetteer) -> None:
    text = (
        "The Eagle will leave Boston on May 8.\n\nPort call dates this summer are:\n\n"
        "May 20–23: Halifax, Nova Scotia\nJune 2–6: Reykjavik, Iceland\n"
        "June 20–24: Boston, Mass.\n"
    )
    stops = _stops(text, gazetteer)
    assert [s.mention.surface for s in stops] == ["Boston", "Halifax", "Reykjavik", "Boston"]
    assert leg_modes(stops) == [("ship", "ship")] * 3


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("Their journey, by foot, began in Acton. They went on to Stow and Bolton.", "foot"),
        ("They crossed from Acton to Stow on foot.", "foot"),
        # a unit, not the way gone
        ("The hill rises 900 foot above Acton, and they went on from Acton to Stow.", "unknown"),
        # a noun's modifier
        ("We went from Dover to Calais. The port lifted its ban on foot passengers.", "unknown"),
    ],
)
def test_by_foot_and_on_foot_are_walking(gazetteer: Gazetteer, text: str, mode: str) -> None:
    assert analyse_text(text, gazetteer).modes[0] == mode


def test_a_destination_named_as_such_ends_the_journey(gazetteer: Gazetteer) -> None:
    text = (
        "The vehicles began their journey in Bremerhaven and arrived at their destination "
        "of Cincu on April 1. The offloading began when the train arrived in Sibiu."
    )
    assert _read_names(text, gazetteer) == ["Bremerhaven", "Sibiu", "Cincu"]


def test_arriving_in_a_city_state_is_a_stop(gazetteer: Gazetteer) -> None:
    text = "The destroyer left Manila and arrived in Singapore on April 18."
    assert _read_names(text, gazetteer) == ["Manila", "Singapore"]
    # where something is held, not gone to
    text = "The summit was held in Singapore; the minister left Manila and flew to Tokyo."
    assert _read_names(text, gazetteer) == ["Manila", "Tokyo"]


def test_a_split_paragraph_leaves_the_mode_to_the_whole_text(gazetteer: Gazetteer) -> None:
    from route.document import Document
    from route.modes import journey_mode

    text = (
        "The Coast Express is a daily train of the Eastern Railway.\n\n"
        "It runs from Lagos to Kano. The train has a restaurant car.\n\n"
        "The train was first run in 1970, and the train has been hauled by diesel "
        "locomotives since 1990."
    )
    stops = _stops(text, gazetteer)
    assert [s.mention.surface for s in stops] == ["Lagos", "Kano"]
    assert journey_mode(Document(text), stops) == "train"
    # a text split between two modes throughout has none
    text = "The team flew from Lagos to Kano, by car and by plane, by car and by plane."
    assert journey_mode(Document(text), _stops(text, gazetteer)) == "unknown"
    # the wider text breaks a tie, and brings in no other mode
    text = (
        "The delegation went from Paris to Lyon and then to Geneva. Half flew; half took the "
        "train.\n\nA car crash on the motorway: a truck hit a car, and its driver drove off."
    )
    assert journey_mode(Document(text), _stops(text, gazetteer)) == "unknown"


def test_a_leg_takes_the_mode_its_paragraph_names(gazetteer: Gazetteer) -> None:
    from route.document import Document
    from route.modes import journey_mode

    text = (
        "Nigeria runs a passenger train line again. The 900-kilometer trip from Lagos to "
        "Kano takes a day.\n\nSome still take the bus, and some fly."
    )
    stops = _stops(text, gazetteer)
    assert [s.mention.surface for s in stops] == ["Lagos", "Kano"]
    assert journey_mode(Document(text), stops) == "train"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "The train left Omaha and reached Oakland, the San Francisco suburb, two days later.",
            ["Omaha", "Oakland"],
            id="a name describing another place",
        ),
        pytest.param(
            "The train left Omaha and reached Ogden, the Salt Lake City rail junction, at noon.",
            ["Omaha", "Ogden"],
            id="a name describing another place, in a longer description",
        ),
        pytest.param(
            "The team drove to Denver. The trip, planned by the Boulder office staff, took a day.",
            ["Denver"],
            id="a town inside another name",
        ),
        pytest.param(
            "The race began in Turin on 3 May, and Stage 3 ended with a stage to Florence. "
            "The race finished in Turin on 9 May.\n\nStage 1\n\n3 May — Turin to Genoa, "
            "170 km\n\nStage 2\n\n5 May — Genoa to Pisa, 160 km",
            ["Turin", "Genoa", "Pisa", "Florence", "Turin"],
            id="stages in their numbers' order, and a race that ends where it began",
        ),
        pytest.param(
            "The ship will leave Boston on June 1. Port calls this summer are:\n"
            "June 10–12: Halifax, Nova Scotia\nJune 20–22: Reykjavik, Iceland\n"
            "July 5–8: Boston, Mass.\n\nThe ship was built in Hamburg in 1936.",
            ["Boston", "Halifax", "Reykjavik", "Boston"],
            id="the lines of a listed itinerary",
        ),
        pytest.param(
            'The convoy left Agadir on Monday. "The drive was hard," said Sgt. Doe of a unit '
            "based in Chicago.",
            ["Agadir"],
            id="no weak stops from quoted speech",
        ),
        pytest.param(
            "The service runs between Winnipeg and Vancouver. The train leaves Winnipeg and "
            "travels west to Regina. The train continues north to Saskatoon, then inland to "
            "Edmonton, and west to Jasper. From Jasper it climbs into Vancouver.",
            ["Winnipeg", "Regina", "Saskatoon", "Edmonton", "Jasper", "Vancouver"],
            id="a direction stands for the verb it leaves out; the far end of between",
        ),
        pytest.param(
            "The ship will leave Boston on June 1. Port calls this summer are:\n"
            "June 10–12: Halifax, Nova Scotia\nJune 20–22: Boston, Mass.\n"
            "July 5–8: Portland, Maine\nJuly 20–22: Boston, Mass.\n\nThe ship is old.",
            ["Boston", "Halifax", "Boston", "Portland", "Boston"],
            id="a port of call listed again is visited again",
        ),
        pytest.param(
            "The tour flew from Rome to Milan, then back to Rome and on to Naples.",
            ["Rome", "Milan", "Rome", "Naples"],
            id="back to a place the journey left, mid-journey",
        ),
        pytest.param(
            "The aircraft left Phoenix and flew to Fort Worth near Dallas, then on to Memphis.",
            ["Phoenix", "Fort Worth", "Memphis"],
            id="a town that says where another named place is",
        ),
        pytest.param(
            "The train continues to Parkes, then climbs over the Blue Mountains and into Sydney.",
            ["Parkes", "Sydney"],
            id="a range named like a town is not a stop",
        ),
        pytest.param(
            "The train leaves Chihuahua and crosses the Copper Canyon on its way to Los Mochis.",
            ["Chihuahua", "Los Mochis"],
            id="a canyon named like a town is not a stop",
        ),
        pytest.param(
            "The old road ran from Edo to Kyoto, crossing through Shinano, Mino and Omi provinces.",
            ["Edo", "Kyoto"],
            id="names listed before a region noun are regions",
        ),
        pytest.param(
            "He flew from Delhi to Frankfurt, where he changed planes for Toronto.",
            ["Delhi", "Frankfurt", "Toronto"],
            id="a city's short name far from the story; changing planes for a goal",
        ),
        pytest.param(
            "The expedition sailed from Plymouth in 1831 and reached Bahia in February "
            "1832, then Rio de Janeiro in April.",
            ["Plymouth", "Bahia", "Rio de Janeiro"],
            id="then a place, the verb left out",
        ),
        pytest.param(
            "The prime minister arrived in Nairobi on Tuesday after a two-day visit to "
            "Addis Ababa.",
            ["Addis Ababa", "Nairobi"],
            id="after a visit to a place: before the arrival",
        ),
        pytest.param(
            "The riders passed through the towns of Arras, Cambrai and Saint-Quentin "
            "before the finish in Reims.",
            ["Arras", "Cambrai", "Saint-Quentin", "Reims"],
            id="the finish in a town ends the journey",
        ),
        pytest.param(
            "Leaving Washington on Monday, the secretary will fly to Brussels, then to "
            "Warsaw, before returning home.",
            ["Washington", "Brussels", "Warsaw", "Washington"],
            id="returning home ends where the journey left",
        ),
        pytest.param(
            "The secretary left Washington on Monday. In Tokyo, he will meet the prime "
            "minister, and in Seoul he will sign a trade deal.",
            ["Washington", "Tokyo", "Seoul"],
            id="where the traveller meets or signs",
        ),
        pytest.param(
            "The minister flew from Paris to Berlin. Ministers of the bloc will meet in "
            "Madrid, and talks were held in Rome.",
            ["Paris", "Berlin"],
            id="meetings of others and passive meetings are no stops",
        ),
        pytest.param(
            "The delegation left Lima on Monday. The tour includes talks in Bogota, where "
            "the minister will meet his counterpart.",
            ["Lima", "Bogota"],
            id="a place where the traveller meets someone",
        ),
        pytest.param(
            "The jet left Phoenix, refueled at the airport in Amarillo and landed in Memphis.",
            ["Phoenix", "Amarillo", "Memphis"],
            id="an airport is a place, not a vehicle",
        ),
        pytest.param(
            "The minister left Ottawa on Monday. “She will travel to Bangkok, to Tokyo and "
            "to Seoul,” a spokesman said. She flew first to Tokyo and then to Seoul, and "
            "will also travel to Bangkok.",
            ["Ottawa", "Tokyo", "Seoul", "Bangkok"],
            id="the narration's order beats a quoted plan",
        ),
        pytest.param(
            "The chancellor is in Beijing this week. On Friday she flies to Shanghai, and "
            "she returns to Berlin on Saturday.",
            ["Beijing", "Shanghai", "Berlin"],
            id="where the traveller is",
        ),
        pytest.param(
            "Boston is in Massachusetts and Cambridge is near Boston. The minister flew from "
            "Paris to Lyon.",
            ["Paris", "Lyon"],
            id="a place being somewhere is no stop of its own",
        ),
        pytest.param(
            "The president's first stop is Seoul, followed by Tokyo and Manila.",
            ["Seoul", "Tokyo", "Manila"],
            id="a stop named as one, and the stops that follow it",
        ),
        pytest.param(
            "After a week in Bangkok we flew to Chiang Mai, then took a bus to Pai.",
            ["Bangkok", "Chiang Mai", "Pai"],
            id="time spent at a place, before what follows",
        ),
        pytest.param(
            "The train from Moscow arrived in Beijing six days later, having crossed "
            "Mongolia via Ulaanbaatar.",
            ["Moscow", "Ulaanbaatar", "Beijing"],
            id="having passed a place: before the arrival",
        ),
        pytest.param(
            "Leaving Lima, the bus climbs over the Andes to Huancayo.",
            ["Lima", "Huancayo"],
            id="a travel verb the parser took for a plural noun",
        ),
        pytest.param(
            "The train left Paris for Marseille, a journey as long as the one from Boston "
            "to Washington.",
            ["Paris", "Marseille"],
            id="a journey it is compared with is no part of it",
        ),
        pytest.param(
            "The president flew from Washington to Tokyo. Protesters marched from Osaka to "
            "Kyoto, and his predecessor had visited Seoul.",
            ["Washington", "Tokyo"],
            id="other travellers: a bare plural, a relation of the traveller",
        ),
        pytest.param(
            "The caravan left Tapachula on Friday. On Monday 500 migrants reached Huixtla, "
            "and the migrants arrived in Escuintla on Tuesday.",
            ["Tapachula", "Huixtla", "Escuintla"],
            id="a counted group is the story's own",
        ),
        pytest.param(
            "Kim arrived in Hanoi on Tuesday after a 60-hour journey from Pyongyang. His "
            "train crossed into China at Dandong and passed through Beijing and Nanning.",
            ["Pyongyang", "Dandong", "Beijing", "Nanning", "Hanoi"],
            id="the arrival told first, after the journey, then the stops on the way",
        ),
        pytest.param(
            "Before arriving in Lyon, the cyclists passed through Dijon.",
            ["Dijon", "Lyon"],
            id="before arriving in a place: after its sentence's other stops",
        ),
        pytest.param(
            "The train to Kolkata left Delhi at dawn and stopped at Kanpur and Patna.",
            ["Delhi", "Kanpur", "Patna", "Kolkata"],
            id="the train to a place names where it is headed",
        ),
        pytest.param(
            "From Marseilles the steamer conveyed us to Genoa. Our party quitted Florence "
            "early, slept at Bologna, and on the third day entered Venice.",
            ["Marseilles", "Genoa", "Florence", "Bologna", "Venice"],
            id="conveyed to a place, slept at one",
        ),
        pytest.param(
            "Stops on the tour include Nashville, Memphis and New Orleans.",
            ["Nashville", "Memphis", "New Orleans"],
            id="stops that the tour includes",
        ),
        pytest.param(
            "He is due in Ankara on Wednesday and in Athens on Thursday.",
            ["Ankara", "Athens"],
            id="due in a place",
        ),
        pytest.param(
            "After Paris, the tour moves on to Brussels and then Amsterdam.",
            ["Paris", "Brussels", "Amsterdam"],
            id="after a place: the stop before",
        ),
        pytest.param(
            "The plane left Paris and flew via Lyon, Rome, Naples airfield, Athens, Smyrna "
            "(Izmir), Beirut, Haifa and Port Said, landing at Cairo.",
            [
                "Paris",
                "Lyon",
                "Rome",
                "Naples",
                "Athens",
                "Smyrna",
                "Beirut",
                "Haifa",
                "Port Said",
                "Cairo",
            ],
            id="a long list under one frame: every item, another name in brackets once",
        ),
        pytest.param(
            "The riders left Nice on Saturday bound for Marseille, with an overnight halt "
            "in Toulon.",
            ["Nice", "Toulon", "Marseille"],
            id="bound for a place: headed there, reached after the stops on the way",
        ),
        pytest.param(
            "The Seoul-bound delegation will make a stop in Tokyo.",
            ["Tokyo", "Seoul"],
            id="a place-bound traveller",
        ),
        pytest.param(
            "From Madrid the train runs north to Burgos, then on to Bilbao. The king spent "
            "two nights in Oslo before heading to Stockholm and then Helsinki.",
            ["Madrid", "Burgos", "Bilbao", "Oslo", "Stockholm", "Helsinki"],
            id="then on to a place, and then a place: the verb left out",
        ),
        pytest.param(
            "The line leaves Lisbon's Santa Apolónia station and follows the Tagus to "
            "Entroncamento.",
            ["Lisbon", "Entroncamento"],
            id="a station's own name is no stop of its own",
        ),
        pytest.param(
            "The Ghan\nRoute\nStart Adelaide\nEnd Darwin\n\nThe Ghan is a passenger train "
            "service between Adelaide, Alice Springs, and Darwin.",
            ["Adelaide", "Alice Springs", "Darwin"],
            id="infobox rows without colons; between A, B and C",
        ),
        pytest.param(
            "The Orient Express ran from Paris via Strasbourg, Munich, Vienna and Budapest to "
            "Bucharest.",
            ["Paris", "Strasbourg", "Munich", "Vienna", "Budapest", "Bucharest"],
            id="to a place that the parser took for an infinitive's to",
        ),
        pytest.param(
            "The race had four legs.\n\nLeg | Start | Finish | Winner\n"
            "1 | Portsmouth, England | Cape Town, South Africa | Heath's Condor\n"
            "2 | Cape Town, South Africa | Auckland, New Zealand | Flyer\n"
            "3 | Auckland, New Zealand | Portsmouth, England | Flyer\n",
            ["Portsmouth", "Cape Town", "Auckland", "Portsmouth"],
            id="a table of legs: each row's start and finish, not its other columns",
        ),
        pytest.param(
            "The race had three legs.\n\nLeg Start Finish Winner\n"
            "1 Southampton, England Cape Town, South Africa Flyer II\n"
            "2 Cape Town, South Africa Auckland, New Zealand Ceramco NZ\n"
            "3 Auckland, New Zealand Mar del Plata, Argentina Mor Bihan\n",
            ["Southampton", "Cape Town", "Auckland", "Mar del Plata"],
            id="a table of legs copied without its column marks",
        ),
        pytest.param(
            "The flight went round the world from east to west.\n\n"
            "• United States: Seattle, Washington (Sand Point)\n"
            "• Alaska: Sitka, Seward and Juneau\n"
            "• Japan: (six landings)\n"
            "• India: Calcutta\n"
            "• United States: Boston, Massachusetts. And back to Seattle, Washington\n",
            ["Seattle", "Sitka", "Seward", "Juneau", "Calcutta", "Boston", "Seattle"],
            id="a bulleted itinerary after a travel sentence: every town after each label",
        ),
        pytest.param(
            "The team left West Point and ran to Philadelphia. Each year they run to wherever "
            "the game is, either Philadelphia or Baltimore.",
            ["West Point", "Philadelphia"],
            id="places joined by 'or' are alternatives, not stops",
        ),
        pytest.param(
            "In 1894 the Paris – Rouen was the first car race, followed by races from Paris "
            "to Bordeaux, Marseilles and Vienna. The 1903 race was to run in three legs: "
            "Versailles – Bordeaux (552 km), Bordeaux – Vitoria (km 335) and Vitoria – Madrid.",
            ["Versailles", "Bordeaux", "Vitoria", "Madrid"],
            id="dashed legs linked end to start in a sentence; races in general are no stops",
        ),
        pytest.param(
            "The flying boat reached Lisbon. Two more flights from Lisbon to Ferrol to "
            "Plymouth completed the trip.",
            ["Lisbon", "Ferrol", "Plymouth"],
            id="counted flights are the journey's own legs",
        ),
        pytest.param(
            "The road links Cairns in Queensland with Broome in Western Australia. It joins "
            "Cairns, Normanton, Borroloola, Katherine, Kununurra, Derby and Broome.",
            ["Cairns", "Normanton", "Borroloola", "Katherine", "Kununurra", "Derby", "Broome"],
            id="a road that joins a list of towns: the ones between its ends on the way",
        ),
        pytest.param(
            "Friendship Highway\n- Terminus A: Lhasa, China\n- Terminus B: Zhangmu, China\n\n"
            "The highway connects Lhasa with the border at the Friendship Bridge between "
            "Zhangmu and Kodari.",
            ["Lhasa", "Zhangmu"],
            id="an infobox's termini; 'between' that locates a bridge names no stops",
        ),
        pytest.param(
            "The pilgrimage of 2005 was marked by Masses in Cologne and Bonn; no pope "
            "since St. Peter had been to a synagogue.",
            ["Cologne", "Bonn"],
            id="no frame: the towns a preposition places in a travel sentence, weakly",
        ),
        pytest.param(
            "The company has offices in London, Paris and Tokyo and plans to open one in "
            "Sydney. Tourism in Venice and Florence has recovered.",
            [],
            id="no frame and no travel word: no journey, however many towns",
        ),
        pytest.param(
            "The party set out from Appin in October. Soon they arrived at Corio Bay near the "
            "present site of Geelong. Lackland Air Force Base near San Antonio is a base.",
            ["Appin", "Geelong"],
            id="a town near a goal that is no town stands for it",
        ),
        pytest.param(
            "The walk began at Ambleside (near Windermere and Grasmere) and ended at Keswick.",
            ["Ambleside", "Keswick"],
            id="brackets that say where a town is",
        ),
        pytest.param(
            "Bly began her trek from New York City (pausing in Paris to interview Verne), "
            "arriving in San Francisco in January.",
            ["New York City", "Paris", "San Francisco"],
            id="brackets that go on with the journey",
        ),
        pytest.param(
            "Kim's train pulled into Vladivostok on Wednesday. It had crossed the border at "
            "Khasan after leaving Pyongyang on Tuesday.",
            ["Pyongyang", "Khasan", "Vladivostok"],
            id="the past perfect after an arrival: before it",
        ),
        pytest.param(
            "Relations had deteriorated, and they raced back to Sydney. Soon they arrived in "
            "Geelong.",
            ["Sydney", "Geelong"],
            id="a clause of its own after a past perfect is not in it",
        ),
        pytest.param(
            "The minister is now in Jakarta, the last stop of a tour that took her to Hanoi "
            "and Manila.",
            ["Hanoi", "Manila", "Jakarta"],
            id="the place named the last stop",
        ),
        pytest.param(
            "The balloon touched down near Perth, Australia, 13 days after lifting off from "
            "Northam.",
            ["Northam", "Perth"],
            id="touched down near a place, lifted off from one",
        ),
        pytest.param(
            "They arrived at Hung Chiao (Rainbow Bridge) Airport, Shanghai, at 9 a.m., then "
            "flew to Peking.",
            ["Shanghai", "Peking"],
            id="an airport's own name before its town",
        ),
        pytest.param(
            "Clinton will travel to Japan and Korea, departing Washington, D.C., on May 20th. "
            "She will visit Tokyo on May 21st and Seoul on May 26th.",
            ["Washington", "Tokyo", "Seoul"],
            id="departing a place that the parser took for an adverb",
        ),
        pytest.param(
            "We flew into Lima, took a bus up to Cusco and then the train down to Aguas "
            "Calientes, before returning to Lima.",
            ["Lima", "Cusco", "Aguas Calientes", "Lima"],
            id="up to a place, down to a place",
        ),
        pytest.param(
            "From Hanoi, it is a four-hour drive to Ha Long.",
            ["Hanoi", "Ha Long"],
            id="it is a drive from A to B",
        ),
        pytest.param(
            "Sintra is a short ride from Lisbon.",
            [],
            id="not where a place lies from another",
        ),
        pytest.param(
            "Kerry's Travels\n\nTravels: Paris, France; Ulaanbaatar, Mongolia; and Beijing, "
            "China.\n\nJune 2-4: In Paris for discussions.",
            ["Paris", "Ulaanbaatar", "Beijing"],
            id="a trip page's summary line",
        ),
        pytest.param(
            "The minister flew to Brussels on Monday. Officials from Paris, Berlin, Madrid "
            "and Rome met him there, and trade between Lisbon, Porto and Seville grew.",
            ["Brussels"],
            id="lists that no frame ties to the journey stay out",
        ),
        pytest.param(
            "He boarded the ferry for Dover. Later he left by the night train for Paris.",
            ["Dover", "Paris"],
            id="a vehicle or route 'for X' goes to X",
        ),
        pytest.param(
            "Lincoln made his journey from Springfield to Washington. He stopped at sixteen "
            "cities. Those cities include Indianapolis, Indiana; Cincinnati, Ohio; and "
            "Pittsburgh, Pennsylvania.",
            ["Springfield", "Indianapolis", "Cincinnati", "Pittsburgh", "Washington"],
            id="the places stopped at, named again as 'those cities'",
        ),
        pytest.param(
            "Lincoln made his journey from Springfield to Washington. He stopped and made "
            "remarks at sixteen cities. Those cities include Indianapolis, Indiana; "
            "Cincinnati, Ohio; and Pittsburgh, Pennsylvania. The Park Service marked "
            "Lincoln's trip from Springfield to Washington.",
            ["Springfield", "Indianapolis", "Cincinnati", "Pittsburgh", "Washington"],
            id="'from A to B' said again after the stops between",
        ),
        pytest.param(
            "Lincoln made his journey from Springfield to Washington. Those cities include "
            "Indianapolis and Cincinnati.",
            ["Springfield", "Washington"],
            id="'those cities' with no stop told before are no stops",
        ),
        pytest.param(
            "The race left Paris for Nîmes. The stages Nîmes-Perpignan and "
            "Perpignan-Bayonne followed.",
            ["Paris", "Nîmes", "Perpignan", "Bayonne"],
            id="towns joined by a hyphen are two",
        ),
        pytest.param(
            "The squadron will conduct a road march to Orzysz. Both serials will travel "
            "through the town of Frankenberg, Germany to the border. In Poland, the squadron will "
            "pass through Powidz. They built a road to Kabul.",
            ["Frankenberg", "Powidz", "Orzysz"],
            id="a march conducted to X; a goal the places passed follow goes last",
        ),
        pytest.param(
            "The train leaves the Retiro station at Buenos Aires at 8 a.m. and reaches "
            "Mendoza. Later the plane had to land at Bournemouth Airport in Dorset.",
            ["Buenos Aires", "Mendoza", "Bournemouth"],
            id="a station's own name before its town; an airport that is its town's",
        ),
        pytest.param(
            "The party left Paris for Lyon. At 7 o'clock the Washington arrived, and "
            "the party was later conveyed to the Tivoli. Then they flew to the Hague.",
            ["Paris", "Lyon", "Hague"],
            id="a ship or a hotel named after a town is no stop",
        ),
        pytest.param(
            "The train rolled into Chicago. At Ogden, we were detained two days. He has "
            "lived in Denver for ten years.",
            ["Chicago", "Ogden"],
            id="the traveller's stay told by a span of time",
        ),
        pytest.param(
            "The plane took off from Lyon. It had to land at Bournemouth Airport in Dorset "
            "instead of its planned destination of Manston Airport in Kent.",
            ["Lyon", "Bournemouth"],
            id="instead of: where the journey did not go",
        ),
        pytest.param(
            "USNS Carson City concluded its deployment following the ship's return to Rota, "
            "Spain. Carson City completed six successful port visits: Dakar, Senegal; "
            "Abidjan, Cote d'Ivoire; and Lagos, Nigeria.",
            ["Rota", "Dakar", "Abidjan", "Lagos", "Rota"],
            id="a deployment that ends with a return began there",
        ),
        pytest.param(
            "The trail's primary starting point was Independence, Missouri. Settlers crossed "
            "Kansas. The trail's nominal termination point was Oregon City.",
            ["Independence", "Oregon City"],
            id="a start and an end named by a noun before 'be'",
        ),
        pytest.param(
            "The column left Nanchang in 1934. Only 8,000 soldiers made it to the final "
            "destination of Yan'an.",
            ["Nanchang", "Yan'an"],
            id="a destination named by 'of' after the noun",
        ),
        pytest.param(
            "The ship sailed from Liverpool Docks and stopped at the islands of Capri and Ischia.",
            ["Liverpool", "Capri", "Ischia"],
            id="a town's docks are the town; 'the islands of A and B' are stops",
        ),
        pytest.param(
            "We left Chicago. At Ogden, we were detained two days. We reached the summit at noon, "
            "and the Palace Hotel, Sacramento, at midnight.",
            ["Chicago", "Ogden", "Sacramento"],
            id="a second object the parser joined to the verb",
        ),
        pytest.param(
            "He flew from Rome to Berlin rather than to the planned destination of Munich.",
            ["Rome", "Berlin"],
            id="an end the journey did not reach",
        ),
        pytest.param(
            "The bus left Leeds for Hull and stopped to buy tickets to Paris.",
            ["Leeds", "Hull"],
            id="a stop's purpose names no place but where it stops",
        ),
        pytest.param(
            "The Brenner Pass connects Innsbruck to Bolzano.",
            ["Innsbruck", "Bolzano"],
            id="a pass is a way, not the extent of the land",
        ),
        pytest.param(
            "The train departs from Melbourne for Adelaide. Bus stops are at Ballarat station.",
            ["Melbourne", "Adelaide"],
            id="another vehicle's stops",
        ),
        pytest.param(
            "The fleet sailed from Lisbon and anchored off Cádiz before reaching Naples.",
            ["Lisbon", "Cádiz", "Naples"],
            id="a ship anchored off a port is at it",
        ),
        pytest.param(
            "In order, the roads are:\n- National Route 17: Tokyo to Takasaki\n"
            "- National Route 18: Takasaki to Karuizawa",
            ["Tokyo", "Takasaki", "Karuizawa"],
            id="labelled list lines of legs",
        ),
        pytest.param(
            "The jets will accompany the fighters on the journey from Phoenix, Ariz., to "
            "Honolulu, with a brief stop in Guam.",
            ["Phoenix", "Honolulu"],
            id="a 'to' the parser hung on another verb belongs to the journey's 'from'",
        ),
        pytest.param(
            "The team loaded the plane for its trip from Palmdale to its base in Punta "
            "Arenas. It landed at Santiago. After a night in Santiago, the team continued "
            "with a flight to Punta Arenas.",
            ["Palmdale", "Santiago", "Punta Arenas"],
            id="a goal told first, headed for again after an arrival elsewhere, is last",
        ),
        pytest.param(
            "Kerry flew from Mogadishu. He is scheduled to hold meetings in Nairobi on Wednesday.",
            ["Mogadishu", "Nairobi"],
            id="talks a named traveller is scheduled to hold",
        ),
        pytest.param(
            "The president did not speak to reporters after arriving in Kyiv from Warsaw.",
            ["Warsaw", "Kyiv"],
            id="a negation that does not reach the travel verb",
        ),
        pytest.param(
            "The voyage from Lisbon to Porto was rough, and the captain sent a message to London.",
            ["Lisbon", "Porto"],
            id="a later 'to' is not the journey's",
        ),
        pytest.param(
            "The minister flew from Washington to Paris. The start of talks is at noon in "
            "Brussels.",
            ["Washington", "Paris"],
            id="the start of something else is no start of the journey",
        ),
        pytest.param(
            "The highway starts in Río Gallegos and crosses metropolitan areas like Mendoza "
            "and San Juan. The northern end is in La Quiaca.",
            ["Río Gallegos", "Mendoza", "San Juan", "La Quiaca"],
            id="places given as examples; an end told by its noun before 'be in'",
        ),
        pytest.param(
            "The train departs from Melbourne and crosses into South Australia, where stops are at "
            "Bordertown and Murray Bridge.",
            ["Melbourne", "Bordertown", "Murray Bridge"],
            id="stops told by a stop noun before 'be'",
        ),
        pytest.param(
            "The riders left Kraków and stopped to meet local residents in Tarnów before "
            "they continued to Lublin.",
            ["Kraków", "Tarnów", "Lublin"],
            id="a stop told with its purpose: the place is the stop's",
        ),
        pytest.param(
            "Blinken will hold talks in Vientiane before traveling to Hanoi.",
            ["Vientiane", "Hanoi"],
            id="talks held in a place: the traveller is there",
        ),
        pytest.param(
            "The Rauma Line runs from Dombås Station to Åndalsnes Station. North of the "
            "station the line heads northwest and reaches Lesja Station.",
            ["Dombås", "Lesja", "Åndalsnes"],
            id="a line's far end is the last of the stations told along it",
        ),
        pytest.param(
            "They took the train rather than the plane from Paris to Lyon.",
            ["Paris", "Lyon"],
            id="a path told after 'rather than' is the journey's",
        ),
        pytest.param(
            "We took the train from Frankfurt to Berlin-Spandau. The Paris-Lyon-Marseille "
            "railway opened in 1857.",
            ["Frankfurt", "Spandau"],
            id="a hyphenated name is one place, no leg",
        ),
        pytest.param(
            "He returned to Paris on Monday. On Tuesday he left Paris for Rome.",
            ["Paris", "Rome"],
            id="a return in the lead, then a departure from there: no round trip",
        ),
        pytest.param(
            "SEATTLE – The cutter returned to its homeport Friday. It made port calls in "
            "Kodiak, Alaska, and Tromsø, Norway, before its return to Seattle.",
            ["Seattle", "Kodiak", "Tromsø", "Seattle"],
            id="a return, with no departure told: the journey began there",
        ),
        pytest.param(
            "The First Lady will travel to London and then Milan. She will also visit "
            "Venice before returning to Washington, DC.",
            ["Washington", "London", "Milan", "Venice", "Washington"],
            id="a return after goals travelled to: the journey began there",
        ),
        pytest.param(
            "The chancellor is in Beijing for talks with the premier. On Friday she "
            "returns to Berlin.",
            ["Beijing", "Berlin"],
            id="a return after a stay: the text's journey starts where she is",
        ),
        pytest.param(
            "We left London on Monday. Paris was reached at noon and Lyon was reached at night.",
            ["London", "Paris", "Lyon"],
            id="a place that is the subject of a passive travel verb",
        ),
        pytest.param(
            "We left London on Monday and reached Lyon on Friday. Paris can be visited on "
            "the way. Reims was entered by the army in 1944.",
            ["London", "Lyon"],
            id="a passive told as a possibility, or of another doer",
        ),
        pytest.param(
            "Our Plan of Travel—Journey to Marseilles—Departure—Singapore—Leave for Kuching"
            "—The Bazaar—Comfortable Quarters.\n\nOn the 13th of April we left London for "
            "Dover and went on to Paris.",
            ["London", "Dover", "Paris"],
            id="a chapter's synopsis names what it tells, not the way",
        ),
        pytest.param(
            "Day 3: Madrid – Zaragoza – Barcelona – Girona",
            ["Madrid", "Zaragoza", "Barcelona", "Girona"],
            id="a line of places parted by dashes is a way",
        ),
        pytest.param(
            "The chancellor flew from Berlin to Warsaw. Hamburg was left without power.",
            ["Berlin", "Warsaw"],
            id="a place left in a state is no departure",
        ),
        pytest.param(
            "The train left Bristol at noon. Swindon was passed at one, and London was "
            "reached soon after three.",
            ["Bristol", "Swindon", "London"],
            id="passed and reached, told in the passive",
        ),
        pytest.param(
            "ANCHORAGE — Storm victims returned home on Tuesday. The cutter departed "
            "Anchorage on Monday and sailed to Dutch Harbor.",
            ["Anchorage", "Dutch Harbor"],
            id="a return home in the lead by others",
        ),
        pytest.param(
            "The train travels from Rome to Naples via the coast, the main attractions "
            "being Pompeii and Sorrento.",
            ["Rome", "Naples"],
            id="the main attractions being …: no stations",
        ),
        pytest.param(
            "The bus runs from Belfast to Derry and Strabane.",
            ["Belfast", "Derry", "Strabane"],
            id="two towns a district's name joins",
        ),
        pytest.param(
            "The line was built in stages (1856–1858 and 1860–1862) from Bombay to Poona, "
            "and later extended to Raichur.",
            ["Bombay", "Poona", "Raichur"],
            id="dashes between years are no synopsis",
        ),
        pytest.param(
            "Leg 1 — London to Dover — 125 km — 2 days\nLeg 2 — Calais to Paris — 290 km",
            ["London", "Dover", "Calais", "Paris"],
            id="a table of legs is no synopsis",
        ),
        pytest.param(
            "Blinken will hold talks with officials in Vientiane, Laos, before traveling to "
            "Hanoi, Vietnam.",
            ["Vientiane", "Hanoi"],
            id="talks with people in a place: met there",
        ),
        pytest.param(
            "The line is a railway running from Glasgow to Mallaig, with a branch to Oban.",
            ["Glasgow", "Mallaig"],
            id="a branch to a place is off the way",
        ),
        pytest.param(
            "The railway runs from Tumpat, near Kota Bahru on the East Coast, to Gemas.",
            ["Tumpat", "Gemas"],
            id="a place set off after another with near says where that one is",
        ),
        pytest.param(
            "Macron held a video call with leaders in Kyiv. Later he flew from Paris to Rome.",
            ["Paris", "Rome"],
            id="a call with people in a place puts nobody there",
        ),
        pytest.param(
            "The minister flew from Tokyo to Seoul and signed a contract with a shipyard in Busan.",
            ["Tokyo", "Seoul"],
            id="a thing in a place is no one met there",
        ),
        pytest.param(
            "The caravan travelled from Paotow (pinyin: Baotou) to Ningsia.",
            ["Baotou", "Ningsia"],
            id="a gloss of a place gone from names it",
        ),
        pytest.param(
            "The tour continued along the Tarka Line, the branch from Exeter to Barnstaple.",
            ["Exeter", "Barnstaple"],
            id="a branch travelled is the way",
        ),
        pytest.param(
            "The president flew to Kyiv on Tuesday. Fighting returned to Bakhmut that day.",
            ["Kyiv"],
            id="fighting returns, nobody travels",
        ),
        pytest.param(
            "The news reached Bermuda on Tuesday, a day after the minister flew from London "
            "to Washington.",
            ["London", "Washington"],
            id="the news reaches a place, nobody travels",
        ),
        pytest.param(
            "The ship sailed from New York to Halifax and back.",
            ["New York", "Halifax", "New York"],
            id="there and back: it ends at the start",
        ),
        pytest.param(
            "The battalion drove a convoy 1,500 km round trip from Lyon to Bordeaux.",
            ["Lyon", "Bordeaux", "Lyon"],
            id="a round trip from A to B ends at A",
        ),
        pytest.param(
            "The cutter Maple, home-ported in Sitka, Alaska, departed Wednesday on a voyage. "
            "It will make a brief stop in Nome, Alaska.",
            ["Sitka", "Nome"],
            id="a ship leaves from its home port when no other start is told",
        ),
        pytest.param(
            "The cutter, home-ported in Sitka, departed Kodiak on Monday for Nome.",
            ["Kodiak", "Nome"],
            id="a departure that names its place: not the home port",
        ),
        pytest.param(
            "Soldiers based in Vicenza watched the parade. The minister flew from Rome to Milan.",
            ["Rome", "Milan"],
            id="a base told with no departure is no start",
        ),
        pytest.param(
            "The loop starts at Inverness and runs via Ullapool and Thurso, then back to "
            "Muir of Ord and Inverness.",
            ["Inverness", "Ullapool", "Thurso", "Muir of Ord", "Inverness"],
            id="a place joined to the last word of a name with 'of' is read with it",
        ),
        pytest.param(
            "We rode out of Denver at dawn. At noon I saw the houses of Colorado Springs, "
            "the goal of my journey.",
            ["Denver", "Colorado Springs"],
            id="a place named the goal of the journey in apposition",
        ),
        pytest.param(
            "We left Golmud. We never saw Lhasa, the goal of our journey.",
            ["Golmud"],
            id="a goal named but never reached",
        ),
        pytest.param(
            "The exercise takes place in an area stretching from the town of Narvik to "
            "Tromsø. The convoy drove from Orkanger to Bodø.",
            ["Orkanger", "Bodø"],
            id="an area's extent is no way travelled",
        ),
        pytest.param(
            "The railway stretches from Narvik in Norway to Kiruna in Sweden.",
            ["Narvik", "Kiruna"],
            id="a line's extent is its way",
        ),
        pytest.param(
            "The railway runs between Nice and Marseille. It has five stations, covering "
            "Marseille, Toulon, Cannes, Antibes and Nice.",
            ["Marseille", "Toulon", "Cannes", "Antibes", "Nice"],
            id="ends told with no direction: the way its station list runs",
        ),
        pytest.param(
            "The railway runs from Nice to Marseille. It has five stations, covering "
            "Marseille, Toulon, Cannes, Antibes and Nice.",
            ["Nice", "Antibes", "Cannes", "Toulon", "Marseille"],
            id="ends told with a direction: its station list backwards",
        ),
        pytest.param(
            "The Cardinal is a train operated by Amtrak between New York Penn Station and "
            "Chicago Union Station via Philadelphia, Cincinnati and Indianapolis.",
            ["New York", "Philadelphia", "Cincinnati", "Indianapolis", "Chicago"],
            id="a service operated between two stations via towns",
        ),
        pytest.param(
            "Eastern Express\nAn Istanbul-bound train at Ankara station in 2004.\n"
            "Start Ankara Central Station\nEnd Kars Railway Station, Kars\n\n"
            "The train runs from Ankara to Kars. It stops in 7 provincial capitals: Ankara, "
            "Kırıkkale, Kayseri, Sivas, Erzincan, Erzurum and Kars. The first train ran in "
            "1936 from Istanbul to Çetinkaya.",
            ["Ankara", "Kırıkkale", "Kayseri", "Sivas", "Erzincan", "Erzurum", "Kars"],
            id="an infobox's ends and a list between them: the way",
        ),
        pytest.param(
            "Route\n\nThe route Lyon–Avignon–Marseille–Nice is a motorway corridor.\n\n"
            "The corridor begins in Lyon, heading south to Vienne. It goes on through "
            "Valence and Montélimar to Avignon, where it turns east.",
            ["Lyon", "Vienne", "Valence", "Montélimar", "Avignon", "Marseille", "Nice"],
            id="a chain told first, then in detail between its links",
        ),
        pytest.param(
            "Mille Miglia\n- Venue: Italy, (Brescia–Rome–Brescia)\n- Distance: 1,000 miles",
            ["Brescia", "Rome", "Brescia"],
            id="a chain's link told again is a visit again",
        ),
        pytest.param(
            "Bertha Benz drove in the Patent Motorwagen from Mannheim to her own birthplace, "
            "Pforzheim, becoming the first person to drive an automobile.",
            ["Mannheim", "Pforzheim"],
            id="a goal named in apposition that the parser hung on the verb",
        ),
        pytest.param(
            "The round-trip fare is $40. The bus left Lyon for Paris at noon.",
            ["Lyon", "Paris"],
            id="a round trip told in another sentence: not this journey's",
        ),
        pytest.param(
            "She drove from Lyon to Paris and returned the car to the rental office.",
            ["Lyon", "Paris"],
            id="a return of a thing is no trip back",
        ),
        pytest.param(
            "He flew from Boston to Miami and back-to-back storms delayed him.",
            ["Boston", "Miami"],
            id="back-to-back is no trip back",
        ),
        pytest.param(
            "He flew from Rome to Paris on Monday. On Tuesday he took a train to Brussels "
            "and returned the next day.",
            ["Rome", "Paris", "Brussels"],
            id="and back after a later leg: not to the first start",
        ),
        pytest.param(
            "They flew from London to Paris and returned to Rome.",
            ["London", "Paris", "Rome"],
            id="a return that names its place goes there",
        ),
    ],
)
def test_stops_by_rule(gazetteer: Gazetteer, text: str, expected: list[str]) -> None:
    assert _names(text, gazetteer) == expected


def test_a_date_the_parser_hangs_the_place_on_and_a_homeport() -> None:
    from route.pipeline import analyse_text

    text = (
        "The cutter departed Alameda Jan. 20 for the Western Pacific. It made a port call "
        "to Hong Kong. The crew returned Tuesday to their homeport of Alameda."
    )
    stops = analyse_text(text).stops
    assert [(s.mention.surface, s.role, s.cue) for s in stops] == [
        ("Alameda", "origin", "departed"),
        ("Hong Kong", "destination", "made to"),
        ("Alameda", "destination", "returned to"),
    ]


def test_a_return_told_in_the_lead_ends_the_journey() -> None:
    from route.pipeline import analyse_text

    text = (
        "The passengers were forced to return to Calcutta (present-day Kolkata).\n\n"
        "The ship sailed from British Hong Kong, via Shanghai, China, and Yokohama, "
        "Japan, to Vancouver in 1914."
    )
    stops = [s.mention.surface for s in analyse_text(text).stops]
    assert stops == ["Hong Kong", "Shanghai", "Yokohama", "Vancouver", "Calcutta"]


@pytest.mark.parametrize(
    "text",
    [
        "The crew returned Tuesday to their homeport of Alameda following a 164-day "
        "deployment. They had departed Alameda in January and made a port call to Hong Kong.",
        "She returned to Alameda after a month-long tour. She left Alameda by ship in May "
        "and sailed to Hong Kong.",
    ],
    ids=["following a 164-day deployment", "after a month-long tour"],
)
def test_a_return_after_the_whole_journey_ends_it_wherever_told(text: str) -> None:
    from route.pipeline import analyse_text

    stops = [(s.mention.surface, s.role) for s in analyse_text(text).stops]
    assert stops == [
        ("Alameda", "origin"),
        ("Hong Kong", "destination"),
        ("Alameda", "destination"),
    ]


def test_a_return_without_the_journey_behind_it_stays_where_told() -> None:
    from route.pipeline import analyse_text

    text = (
        "The minister flew to Berlin on Sunday. He met the chancellor there. He returned "
        "to Paris on Monday. On Tuesday he left Paris for Rome."
    )
    stops = [s.mention.surface for s in analyse_text(text).stops]
    assert stops == ["Berlin", "Paris", "Rome"]


def test_a_region_gone_to_is_the_town_that_bears_its_name(gazetteer: Gazetteer) -> None:
    text = (
        "The delegation flew from Paris via Basra to Karachi, then on to Songkhla. "
        "The train ran from San Francisco, California to Chicago."
    )
    found = region_towns(unify_senses(find_mentions(text, gazetteer)), gazetteer, text)
    towns = {f.surface: f.candidate for f in found}
    assert (towns["Basra"].feature, towns["Basra"].country) == ("PPL", "IQ")
    assert abs(towns["Basra"].lat - 30.51) < 0.05
    assert abs(towns["Basra"].lon - 47.78) < 0.05
    assert (towns["Songkhla"].feature, towns["Songkhla"].country) == ("PPL", "TH")
    # a region that says where a town is stays the region
    assert towns["California"].feature == "ADM1"


def test_a_name_qualified_where_it_stands_keeps_its_sense(gazetteer: Gazetteer) -> None:
    text = "Lincoln stopped at Albany, New York; Peekskill, New York; and New York, New York."
    found = unify_senses(find_mentions(text, gazetteer))
    names = [f.candidate.name for f in found if f.surface == "New York"]
    assert names == ["New York", "New York", "New York City", "New York"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The subway system covers 170 kilometers and travels through Washington, D.C.", []),
        ("Winter also brings a lull in the winds in Punta Arenas, Chile.", []),
        ("Blinken held talks in Kyiv on Tuesday.", ["Kyiv"]),
    ],
    ids=["one place passed through", "one place named", "one place visited"],
)
def test_one_place_on_the_way_is_no_journey_but_a_visit_is(text: str, expected: list[str]) -> None:
    assert [s.mention.surface for s in analyse_text(text).stops] == expected


def test_regions_listed_together_stay_regions(gazetteer: Gazetteer) -> None:
    text = (
        "They drove from Pittsburgh across the Midwest. They traveled through Indiana, then "
        "Illinois, and on to St. Louis."
    )
    found = region_towns(unify_senses(find_mentions(text, gazetteer)), gazetteer, text)
    features = {f.surface: f.candidate.feature for f in found}
    assert (features["Indiana"], features["Illinois"]) == ("ADM1", "ADM1")


def test_a_region_gone_to_is_a_namesake_town_far_nearer_the_story(gazetteer: Gazetteer) -> None:
    text = "Marco Polo set out from Venice, sailing to Acre and on to Hormuz."
    found = region_towns(unify_senses(find_mentions(text, gazetteer)), gazetteer, text)
    acre = next(f.candidate for f in found if f.surface == "Acre")
    assert (acre.country, acre.feature[:3]) == ("IL", "PPL")
    assert abs(acre.lat - 32.93) < 0.05
    assert abs(acre.lon - 35.08) < 0.05
    # the small parser reads "Acre" as a common noun; after "to" it is the name
    stops = analyse_text(text, gazetteer=gazetteer).stops
    assert [s.mention.surface for s in stops][:2] == ["Venice", "Acre"]


def test_a_city_state_gone_to_is_its_city(gazetteer: Gazetteer) -> None:
    text = (
        "The minister flew from Sydney to Singapore, then on to Hong Kong. "
        "She had attended the summit in Singapore last year."
    )
    found = city_states(unify_senses(find_mentions(text, gazetteer)), gazetteer, text)
    stops = find_stops(Document(text), found)
    assert [(s.mention.surface, s.mention.candidate.feature) for s in stops] == [
        ("Sydney", "PPL"),
        ("Singapore", "PPLC"),
        ("Hong Kong", "PPLC"),
    ]
    # where the text is not going there, the name stays the country
    assert [f.candidate.feature for f in found if f.surface == "Singapore"] == ["PPLC", "PCLI"]


def test_a_city_state_listed_with_towns_is_its_city(gazetteer: Gazetteer) -> None:
    text = "The ship called at Aden, Colombo and Singapore on its way to Sydney."
    found = city_states(unify_senses(find_mentions(text, gazetteer)), gazetteer, text)
    stops = find_stops(Document(text), found)
    assert [(s.mention.surface, s.mention.candidate.feature) for s in stops] == [
        ("Aden", "PPL"), ("Colombo", "PPLC"), ("Singapore", "PPLC"), ("Sydney", "PPL"),
    ]  # fmt: skip
    # a country a journey stops in is its city too
    text = "The flight from London to Sydney, 17,000 km, stopped in Singapore."
    stops = analyse_text(text, gazetteer).stops
    assert [(s.mention.surface, s.mention.candidate.feature) for s in stops] == [
        ("London", "PPLC"), ("Singapore", "PPLC"), ("Sydney", "PPL"),
    ]  # fmt: skip
    # a town right after the country says where in it
    text = "The convoy stopped in Luxembourg at Vianden before driving to Trier."
    found = city_states(unify_senses(find_mentions(text, gazetteer)), gazetteer, text)
    assert [f.candidate.feature for f in found if f.surface == "Luxembourg"] == ["PCLI"]
    # a country listed with other countries stays a country
    text = "The talks brought together Malaysia, Indonesia and Singapore."
    found = city_states(unify_senses(find_mentions(text, gazetteer)), gazetteer, text)
    assert [f.candidate.feature for f in found if f.surface == "Singapore"] == ["PCLI"]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("crossing through Shinano, Mino and Omi provinces", True),
        ("the road through Lagos and Kano states", True),
        ("visits to Santiago de Cuba, United States: Washington", False),
        ("from Santiago to Lima", False),
    ],
)
def test_names_listed_before_a_region_noun(gazetteer: Gazetteer, text: str, region: bool) -> None:
    name = next(w for w in ("Mino", "Lagos", "Santiago de Cuba", "Santiago") if w in text)
    found = next(f for f in find_mentions(text, gazetteer) if f.surface == name)
    assert names_a_region(text, found) is region


def test_a_region_gone_to_is_its_namesake_town_near_the_journey(gazetteer: Gazetteer) -> None:
    text = "The walkers set off from Canterbury and reached Dover two days later."
    stops = analyse_text(text, gazetteer=gazetteer).stops
    assert [(s.mention.surface, s.mention.candidate.country) for s in stops] == [
        ("Canterbury", "GB"),  # not the New Zealand region: the town by Dover
        ("Dover", "GB"),
    ]
    far = "The walkers set off from Canterbury and reached Lisbon two months later."
    found = analyse_text(far, gazetteer=gazetteer).found
    assert found[0].candidate.country == "GB"  # far nearer Lisbon than New Zealand is
    home = "The walkers set off from Canterbury and reached Christchurch two days later."
    found = analyse_text(home, gazetteer=gazetteer).found
    assert found[0].candidate.feature == "ADM1"  # no namesake town nearer than the region


def test_a_history_section_tells_no_journey_of_its_travellers(gazetteer: Gazetteer) -> None:
    told_only_there = (
        "The Old Road\n\nThe Old Road is a popular walk in the hills.\n\nHistory\n\n"
        "In 1700 the king rode from Lyon through Mâcon to Dijon."
    )
    assert _names(told_only_there, gazetteer) == []
    told_elsewhere = (
        "Stage 1\n\nThe riders left Paris on Saturday and rode to Lyon.\n\nHistory\n\n"
        "The route was first used in 1903, when the race ran from Paris to Marseille."
    )
    assert _names(told_elsewhere, gazetteer) == ["Paris", "Lyon"]


def test_a_way_told_in_a_background_section_is_the_way(gazetteer: Gazetteer) -> None:
    text = (
        "Terminus A: Lyon\nTerminus B: Dijon\n\nBackground\n\n"
        "From Lyon, the road follows the Saône river. The road passes Mâcon before it "
        "reaches Dijon. The king fled from Paris to Reims in 1791."
    )
    assert _names(text, gazetteer) == ["Lyon", "Mâcon", "Dijon"]


def test_word_set_files_hold_the_sets_the_reader_reads() -> None:
    """Each word set the reader asks for is in exactly one file of the lexicon, and each set
    those files hold is one it asks for (a misspelt set name would be a set never read)."""
    from typing import get_args

    from route.document import load_sets
    from route.events import WORD_SET_FILES, WordSet

    held = [name for file in WORD_SET_FILES for name in load_sets(file)]
    assert sorted(held) == sorted(get_args(WordSet))


def test_lexicon_readme_names_every_list() -> None:
    from pathlib import Path

    import route

    lexicon = Path(route.__file__).parent / "lexicon"
    readme = (lexicon / "README.md").read_text(encoding="utf-8")
    lists = [f.name for f in lexicon.iterdir() if f.suffix in (".txt", ".tsv")]
    assert [name for name in lists if f"`{name}`" not in readme] == []


def test_a_province_left_is_its_town_and_a_country_crossed_no_capital(
    gazetteer: Gazetteer,
) -> None:
    left = analyse_text("The Secretary left Colón by train and arrived in David.", gazetteer)
    assert [(s.mention.surface, s.mention.candidate.feature) for s in left.stops] == [
        ("Colón", "PPL"),
        ("David", "PPL"),
    ]
    crossed = analyse_text(
        "The caravan left San Pedro Sula, crossed into Guatemala and reached Tapachula.",
        gazetteer,
    )
    assert [s.mention.surface for s in crossed.stops] == ["San Pedro Sula", "Tapachula"]


def test_the_nation_of_a_city_state_is_its_city(gazetteer: Gazetteer) -> None:
    text = (
        "Kerry flew from Mogadishu. He is scheduled to hold meetings in the Horn of Africa "
        "nation of Djibouti on Wednesday."
    )
    stops = analyse_text(text, gazetteer).stops
    assert [(s.mention.surface, s.mention.candidate.feature) for s in stops] == [
        ("Mogadishu", "PPLC"),
        ("Djibouti", "PPLC"),
    ]


@pytest.mark.parametrize(
    ("sentence", "gloss"),
    [
        ("The tour (simplified Chinese: 南巡) was", "(simplified Chinese: 南巡)"),
        ("The line (Russian: Байкало) runs", "(Russian: Байкало)"),
        ("Howland Island (/ˈhaʊlənd/) is", "(/ˈhaʊlənd/)"),
        ("The Camino (Spanish: El Camino) starts", None),
        ("The crossing (280 km; 170 mi) took", None),
        ("Rangoon (now Yangon) was", None),
        ("at 4 (4:05 p.m. local time) it", None),
        ("starts in Delhi (Note: it also stops at Agra) and", None),
        ("to Sydney (via Hilo, Hawaiʻi, and Suva).", None),
        ("on to Pest (Hungarian: Budapest) by", None),
    ],
)
def test_glosses_are_blanked_for_the_parser(sentence: str, gloss: str | None) -> None:
    from route.document import blank_glosses

    blanked = sentence if gloss is None else sentence.replace(gloss, " " * len(gloss))
    assert blank_glosses(sentence) == blanked


def test_a_gloss_after_the_subject_does_not_hide_the_journey(gazetteer: Gazetteer) -> None:
    text = (
        "Deng's southern tour (simplified Chinese: 邓小平南巡; traditional Chinese: 鄧小平南巡), "
        "or 1992 southern tour (simplified Chinese: 九二南巡), was the tour of Deng, in "
        "southern China, including in Shenzhen, Zhuhai, Guangzhou and Shanghai, from "
        "January 18 to February 21, 1992."
    )
    assert _names(text, gazetteer) == ["Shenzhen", "Zhuhai", "Guangzhou", "Shanghai"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the lead tells an arrival in an area: the dateline's town is where it arrived
        (
            "HAMBURG, Germany – The first soldiers arrived in Europe on Thursday. They had "
            "flown from Denver to Frankfurt and went on by train to Hannover.",
            ["Denver", "Frankfurt", "Hannover", "HAMBURG"],
        ),
        (
            "HONOLULU – The crew arrived back in Hawaii on Friday after a patrol that took "
            "them from Apia to Suva.",
            ["Apia", "Suva", "HONOLULU"],
        ),
        # the arrival names its own town, or is no arrival at a place
        (
            "HONOLULU – The crew arrived in Hilo on Friday. They had sailed from Apia.",
            ["Apia", "Hilo"],
        ),
        (
            "WASHINGTON – Negotiators reached an agreement on Tuesday. The envoy then flew "
            "from Geneva to Rome.",
            ["Geneva", "Rome"],
        ),
        # an arrival somewhere else than the dateline's town
        (
            "TOKYO — The carrier departed Yokosuka on Monday and arrived on station in the "
            "South China Sea. It sailed on to Manila.",
            ["Yokosuka", "Manila"],
        ),
        (
            "PARIS — The envoy arrived in Poland on Sunday after talks in Kyiv. She had flown "
            "from Rome to Kyiv.",
            ["Rome", "Kyiv"],
        ),
    ],
)
def test_a_datelines_town_is_where_the_lead_arrived(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _names(text, gazetteer) == expected


def test_a_dateline_with_its_date(gazetteer: Gazetteer) -> None:
    text = (
        "VICENZA, Italy, Jan. 20, 2007 -- Paratroopers arrived in Yavoriv, Ukraine, via a "
        "ground convoy from here."
    )
    assert _read_names(text, gazetteer) == ["VICENZA", "Yavoriv"]
    text = (
        "SEATTLE, March 3, 2011 – The cutter Healy returned here Friday from Dutch Harbor "
        "after a patrol."
    )
    assert _read_names(text, gazetteer) == ["Dutch Harbor", "SEATTLE"]


def test_a_dateline_reached_from_a_place_to_here(gazetteer: Gazetteer) -> None:
    text = (
        "AGADIR, Morocco – Marines transported their equipment from Rabat to here on "
        "Saturday. The convoy took two days."
    )
    assert _read_names(text, gazetteer) == ["Rabat", "AGADIR"]
    # a year of a life told, a wish, a way told in general, a going denied, a round trip
    for lead in (
        "The family moved from Rabat to here in 1979.",
        "The team hopes to move from Rabat to here next year.",
        "It takes four hours to drive from Rabat to here.",
        "Nobody has ever walked from Rabat to here in a day.",
        "Fans drove from Rabat to here and back on Saturday.",
    ):
        names = _read_names(f"AGADIR, Morocco – {lead} On Tuesday the museum opened.", gazetteer)
        assert "AGADIR" not in names, lead


def test_a_return_told_first_ends_a_round_trip_told_in_the_past_perfect(
    gazetteer: Gazetteer,
) -> None:
    text = "The crew returned to Honolulu on Tuesday. The crew had sailed from Honolulu to Apia."
    assert _names(text, gazetteer) == ["Honolulu", "Apia", "Honolulu"]
    # a departure told after a return, not in the past perfect, is a journey of its own
    text = "He returned to Paris on Monday. On Tuesday he left Paris again for Rome."
    assert _names(text, gazetteer) == ["Paris", "Rome"]


def test_a_small_town_in_a_region_the_text_names_keeps_its_sense(gazetteer: Gazetteer) -> None:
    text = (
        "Fort Lee, Va. (April 16, 2009) -- The trek started in Petersburg and logged nearly "
        "100 miles before it ended at Appomattox."
    )
    stops = analyse_text(text, gazetteer).stops
    petersburg = next(s.mention.candidate for s in stops if s.mention.surface == "Petersburg")
    assert (petersburg.country, petersburg.admin1) == ("US", "VA")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The aircraft flew from Honolulu to Guam and then on to Manila.",
            [("Honolulu", "US"), ("Guam", "GU"), ("Manila", "PH")],
        ),
        (
            "The ship sailed from Gibraltar to Malta and then to Alexandria.",
            [("Gibraltar", "GI"), ("Malta", "MT"), ("Alexandria", "EG")],
        ),
        # Kiribati's towns lie 3,000 km apart: no one place to pin
        ("The cutter sailed from Honolulu to Kiribati, then to Suva.", [("Honolulu", "US")]),
        # not gone to: the talks were held there
        ("Talks in Malta ended on Monday; the minister then flew to Rome.", [("Rome", "IT")]),
    ],
)
def test_a_country_small_enough_to_be_one_place_is_a_stop(
    text: str, expected: list[tuple[str, str]]
) -> None:
    stops = analyse_text(text).stops
    got = [(s.mention.surface, s.mention.candidate.country) for s in stops]
    assert got[: len(expected)] == expected
    for stop in stops:
        assert str(stop.mention.candidate.feature).startswith("PPL")


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("The president flew to Kyiv on Tuesday. Fighting returned to Bakhmut that day.", "Kyiv"),
        (
            "The prime minister will travel to Brussels for the summit. Afterwards the "
            "foreign minister returns to Paris.",
            "Brussels",
        ),
        (
            "First Lady Michelle Obama will travel to London and Milan. The First Lady will "
            "also visit Venice before returning to Washington.",
            "Washington",
        ),
    ],
    ids=["an abstract subject", "another traveller", "the same traveller, named shorter"],
)
def test_a_return_tells_the_start_only_of_its_own_traveller(text: str, first: str) -> None:
    assert analyse_text(text).stops[0].mention.surface == first


def test_a_small_country_reached_by_land_is_no_overseas_capital() -> None:
    text = "The family drove from Saratoga Springs to Malta for the county fair."
    assert {s.mention.candidate.country for s in analyse_text(text).stops} == {"US"}


@pytest.mark.parametrize(
    ("text", "modes"),
    [
        (
            "The crew finished its bi-annual Training Availability cycle in Saipan. In May "
            "the crew left Saipan for Honolulu.",
            ("unknown",),
        ),
        ("The team likes to cycle. In May they left Oxford for Cambridge.", ("bicycle",)),
        ("They left Bruges and reached Ghent. They had hired a cycle for the day.", ("bicycle",)),
        ("They left Bruges and reached Ghent. The election cycle was long.", ("unknown",)),
        ("They left Bruges and reached Ghent after a cycle of talks.", ("unknown",)),
    ],
    ids=["a named cycle of work", "to cycle", "a cycle hired", "election cycle", "cycle of"],
)
def test_the_journeys_mode_reads_no_recurring_cycle_as_a_bicycle(
    text: str, modes: tuple[str, ...]
) -> None:
    assert analyse_text(text).modes == modes


def test_a_country_listed_after_one_that_became_a_town_is_a_town_too() -> None:
    text = (
        "From Japan the yacht visited in succession Hongkong, Macao, Singapore, Malta, "
        "and Gibraltar."
    )
    stops = [s.mention.surface for s in analyse_text(text).stops]
    assert stops == ["Hongkong", "Macao", "Singapore", "Malta", "Gibraltar"]


def test_a_romanised_gloss_names_what_stands_before_it_no_place() -> None:
    text = (
        "The Long March (長征, pinyin:Chángzhēng) was a military retreat by the Red Army. "
        "The march made its way to Yan'an in 1935."
    )
    assert [s.mention.surface for s in analyse_text(text).stops] == ["Yan'an"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "here" in a story filed from its dateline's town is that town
        (
            "DENVER -- The soldiers drove here from Boise over three days.",
            ["Boise", "DENVER"],
        ),
        (
            "FORT SILL, Okla. -- The soldiers of the brigade convoyed here from Fort Carson, "
            "Colo., on Tuesday.",
            ["Fort Carson", "FORT SILL"],
        ),
        # a chapter title in capitals whose towns follow a dashed first part
        ("CHAPTER I.\nTHE TRANSVAAL.—NEWCASTLE TO PRETORIA.\nThe road was bad.", None),
        ("CHAPTER IV.—LONDON TO DOVER.\nThe road was bad.", ["LONDON", "DOVER"]),
    ],
)
def test_datelines_here_and_dashed_titles(
    gazetteer: Gazetteer, text: str, expected: list[str] | None
) -> None:
    expected = expected or ["NEWCASTLE", "PRETORIA"]
    assert _read_names(text, gazetteer) == expected


@pytest.mark.parametrize(
    "text",
    [
        "DENVER -- Thousands of fans gathered here on Sunday to watch the race from Boise.",
        "Boise is a long way from here, the soldiers said.",  # no dateline
        "The Transvaal.—Newcastle to Pretoria is a long road.\nIt was built in 1890.",
    ],
)
def test_no_dateline_here_and_no_dashed_title(gazetteer: Gazetteer, text: str) -> None:
    assert len(analyse_text(text, gazetteer).stops) < 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the scene of what the traveller does: "In X," before "the <title>" or a pronoun
        (
            "The President will travel to Vietnam and Japan. In Hanoi, the President will "
            "deliver a speech. He will then fly to Tokyo.",
            ["Hanoi", "Tokyo"],
        ),
        (
            "The President will travel to Vietnam. During meetings and events in Hanoi and "
            "Ho Chi Minh City, the President will discuss the partnership. He will then fly "
            "to Tokyo.",
            ["Hanoi", "Ho Chi Minh City", "Tokyo"],
        ),
        ("We left Salt Lake City by train. At Ogden we changed cars.", ["Salt Lake City", "Ogden"]),
        # ... not someone else's
        (
            "We sailed from Dover to Calais. In London, the king opened parliament.",
            ["Dover", "Calais"],
        ),
        # taking part in an event in a town, there in person
        (
            "The Pope flew from Rome to Germany to participate in World Youth Day in Cologne.",
            ["Rome", "Cologne"],
        ),
        ("The president flew to Warsaw. He participated by video in a summit in Kyiv.", []),
        ("He took a phone call from leaders in Kyiv. Then he flew to Warsaw.", []),
        # a ship's port call
        (
            "The destroyer left Rota, Spain, and made a port call at Naples, Italy.",
            ["Rota", "Naples"],
        ),
    ],
)
def test_scenes_events_and_port_calls(gazetteer: Gazetteer, text: str, expected: list[str]) -> None:
    _journey_or_none(gazetteer, text, expected)


def _journey_or_none(gazetteer: Gazetteer, text: str, expected: list[str]) -> None:
    """The text's stops are ``expected``, or (with fewer than two expected) no journey."""
    stops = _read_names(text, gazetteer)
    assert stops == expected if len(expected) >= 2 else len(stops) < 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # carrying (VerbNet carry-11.4): the thing borne travels, whoever bears it
        (
            "The torch arrived in Buenos Aires from San Francisco. Argentine athletes and "
            "celebrities carried the Olympic torch through downtown Buenos Aires. It left "
            "for Dar es Salaam.",
            ["San Francisco", "Buenos Aires", "Dar es Salaam"],
        ),
        ("The tug towed the barge from Rotterdam to Antwerp.", ["Rotterdam", "Antwerp"]),
        ("The crew dragged two aircraft back to Bermuda from Lajes.", ["Lajes", "Bermuda"]),
        # ... but bare plurals bearing things are other people, as before
        ("The president arrived in Paris. Protesters carried banners through Lyon.", ["Paris"]),
    ],
)
def test_what_is_carried_travels(gazetteer: Gazetteer, text: str, expected: list[str]) -> None:
    _journey_or_none(gazetteer, text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the past perfect of hoping or intending: a wish not carried out
        (
            "The Pope flew from Rome to Dublin. The Pope had hoped to visit Armagh, but the "
            "security situation rendered it impossible.",
            ["Dublin", "Rome"],
        ),
        ("He flew from Rome to Dublin. He had intended to go on to Belfast.", ["Dublin", "Rome"]),
        # ... not a plain past of hoping, nor a past perfect of travel
        (
            "He flew from Rome to Dublin and hoped to visit Galway, which he did on Monday.",
            ["Dublin", "Galway", "Rome"],
        ),
    ],
)
def test_a_wish_not_carried_out_is_no_stop(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    stops = _read_names(text, gazetteer)
    assert sorted(stops) == expected


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # a scene in a perfect or the passive is a life before the journey or a fact
        (
            "The President arrived in Lyon on Thursday to open a new hospital. In Paris, he "
            "had studied law before entering politics.",
            "studied in",
        ),
        (
            "Smith travelled to Boston in 1901 to take up a post. In Dublin, he was born the "
            "son of a cooper.",
            "Dublin",
        ),
        # "they" is other people than the minister
        ("The minister flew to Lagos on Monday. In Abuja, they say the rains came late.", "Abuja"),
        # another ship's port call
        (
            "The destroyer sailed from Yokosuka to Manila. A Chinese frigate made a port call "
            "at Colombo the same week.",
            "Colombo",
        ),
        # "here" in a datelined story's quote, plan or past year
        (
            'KABUL, Afghanistan -- "We came here from Kandahar with nothing," said a refugee. '
            "The envoy flew to Islamabad on Monday.",
            "KABUL",
        ),
        (
            "SEATTLE -- The company moved here from Albuquerque in 1979. On Tuesday its "
            "founder flew to Beijing.",
            "SEATTLE",
        ),
        (
            "PARIS -- Fans will travel here from London for the final, officials said. The "
            "team flew to Marseille on Monday.",
            "PARIS",
        ),
        # a vehicle verb with a thing as its object means another thing
        ("The company rafted logs from Quebec City to Montreal every spring.", "Montreal"),
        # remote only as the manner of the verb
        (
            "The president flew to Geneva. He addressed the conference in Bern via videolink.",
            "Bern",
        ),
    ],
)
def test_scenes_calls_datelines_and_vehicles_not_misread(
    gazetteer: Gazetteer, text: str, absent: str
) -> None:
    stops = analyse_text(text, gazetteer).stops
    assert all(absent not in (s.mention.surface, s.cue) for s in stops)


@pytest.mark.parametrize(
    ("text", "present"),
    [
        ("The Chancellor flew to Kyiv on Monday after a video call with the president.", "Kyiv"),
        ("After a phone call with the Pope, the President flew from Paris to Rome.", "Rome"),
        (
            "The minister flew to Seoul on Tuesday and toured a virtual reality studio in "
            "Busan on Wednesday.",
            "Busan",
        ),
    ],
)
def test_a_remote_word_elsewhere_in_the_clause_keeps_the_visit(
    gazetteer: Gazetteer, text: str, present: str
) -> None:
    assert present in _read_names(text, gazetteer)


def test_a_date_of_another_age_or_clause_does_not_reorder(gazetteer: Gazetteer) -> None:
    text = (
        "The President left Washington on June 4, 2019 and flew to London on June 5, 2019. "
        "He then went to Portsmouth, from where the invasion fleet sailed on June 5, 1944, "
        "and flew on to Caen on June 6, 2019."
    )
    stops = _read_names(text, gazetteer)
    assert stops == ["Washington", "London", "Portsmouth", "Caen"]


def test_a_list_dated_item_by_item_under_one_frame(gazetteer: Gazetteer) -> None:
    text = "He was in Honolulu on May 9, Saigon on May 11, Manila on May 13, and Karachi on May 20."
    stops = _read_names(text, gazetteer)
    assert stops == ["Honolulu", "Saigon", "Manila", "Karachi"]
    # two places after a frame's one are no list of its: "Paris, Texas" qualifies, "and" joins
    text = "He flew to Paris. Lyon and Nice were quiet."
    assert _read_names(text, gazetteer) == ["Paris"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # examples of a noun after "between" are places on the way, not the two ends
        (
            "The train runs from Bangkok to Singapore through rainforests, in between major "
            "cities such as Hat Yai, Kuala Lumpur, and Malacca, until you arrive at Singapore.",
            [
                ("Bangkok", "origin"),
                ("Hat Yai", "via"),
                ("Kuala Lumpur", "via"),
                ("Malacca", "via"),
                ("Singapore", "destination"),
            ],
        ),
        # "the towns of A and B" are the ends
        (
            "The train runs between the towns of Leeds and York.",
            [("Leeds", "origin"), ("York", "destination")],
        ),
    ],
)
def test_between_examples_or_ends(
    gazetteer: Gazetteer, text: str, expected: list[tuple[str, str]]
) -> None:
    stops = analyse_text(text, gazetteer).stops
    assert [(s.mention.surface, s.role) for s in stops] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # someone named was in each place on its day: an itinerary told with "be"
        (
            "Johnson was in Honolulu on May 9, Saigon on May 11, Manila on May 13, and "
            "Karachi on May 20.",
            ["Honolulu", "Saigon", "Manila", "Karachi"],
        ),
        ("Storms were in Dallas on May 9, Houston on May 11 and Austin on May 13.", []),
        # "the" and a title of office: the pope is a named doer too
        (
            "The pope will be in Lisbon on August 2, Braga on August 5 and Porto on August 6.",
            ["Lisbon", "Braga", "Porto"],
        ),
        # dates out of calendar order are no itinerary
        ("Johnson was in Honolulu on May 9, Saigon on May 3, and Karachi on May 20.", []),
        # undated items: a name as the subject of "be" may be a place's ("Paris is in …")
        ("Johnson was in Honolulu, Saigon and Karachi.", []),
    ],
)
def test_a_dated_itinerary_told_with_be(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _names(text, gazetteer) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a list after ";" or ", and" at its head is another clause's
        (
            "The trip began in Washington on Sunday. The senator flew to Denver; Phoenix, "
            "Tucson and Albuquerque are next on his list.",
            ["Washington", "Denver"],
        ),
        # one start, then calls on the way
        (
            "She left Southampton on April 10, Cherbourg on April 10 and Queenstown on April 11.",
            ["Southampton", "Cherbourg", "Queenstown"],
        ),
        # a rank spelled out that is also an adjective keeps the town
        (
            "The president flew from Washington to Chicago. Major Chicago hospitals were on "
            "alert during his visit.",
            ["Washington", "Chicago"],
        ),
        # carrying only a relay's thing is the traveller's journey
        (
            "The foreign minister flew from Ankara to Tehran on Monday. On Tuesday, mourners "
            "carried the coffin from Tehran to Mashhad. The minister flew home to Ankara.",
            ["Ankara", "Tehran", "Ankara"],
        ),
        (
            "The candidate flew from Des Moines to Cedar Rapids. Supporters carried the day in "
            "Dubuque, her aides said.",
            ["Des Moines", "Cedar Rapids"],
        ),
    ],
)
def test_lists_ranks_and_carrying_not_misread(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    _journey_or_none(gazetteer, text, expected)


def test_a_wish_carried_out_is_a_stop(gazetteer: Gazetteer) -> None:
    text = "The president flew from Washington to Dublin. He had hoped to visit Galway and did so."
    assert "Galway" in _read_names(text, gazetteer)
    roles = {
        s.mention.surface: s.role
        for s in _stops(
            "She left Southampton on April 10, Cherbourg on April 10 and Queenstown on April 11.",
            gazetteer,
        )
    }
    assert roles == {"Southampton": "origin", "Cherbourg": "via", "Queenstown": "via"}


def test_a_stay_told_in_a_perfect_is_before_the_journey(gazetteer: Gazetteer) -> None:
    text = (
        "The convoy arrived in Vicenza on Monday. It is the capstone for paratroopers who "
        "have spent the past five months living and training in Panevezys, about two hours "
        "from Vilnius."
    )
    stops = _read_names(text, gazetteer)
    assert "Panevezys" not in stops


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "between A and B" on a participle describing a train
        (
            "Argo Bromo Anggrek is an executive class train operated by PT Kereta Api "
            "Indonesia on Java between Jakarta and Surabaya.",
            ["Jakarta", "Surabaya"],
        ),
        # a dashed chain past its towns' countries and regions
        (
            "Tokyo - Chitose - Nome, Alaska - Fairbanks, USA - Seattle - Oakland, USA - "
            "Los Angeles",
            ["Tokyo", "Chitose", "Nome", "Fairbanks", "Seattle", "Oakland", "Los Angeles"],
        ),
        # ... but a dateline's town, its country and a dash are no chain
        ("PARIS, France — Lyon officials said the train was late.", []),
        ("The company, founded by a banker between Paris and London, grew fast.", []),
    ],
)
def test_ways_between_and_qualified_chains(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    _journey_or_none(gazetteer, text, expected)


def test_a_verb_s_subject_is_its_nearest_before_it(gazetteer: Gazetteer) -> None:
    # the parser hangs "Drummers … performed" and "the first train … pulled out" on one verb
    text = (
        "Drummers and dancers, in Chinese and Tibetan costumes, performed Saturday, as the "
        "first train carrying officials and journalists pulled out of the city of Pyongyang "
        "in western China."
    )
    stops = _stops(text, gazetteer)
    assert [(s.mention.surface, s.role) for s in stops] == [("Pyongyang", "origin")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a service's participle only: not a cancelled or planned one
        (
            "Flights suspended between Moscow and Tbilisi resumed in 2024; she flew from "
            "Moscow to Yerevan.",
            ["Moscow", "Yerevan"],
        ),
        # a dateline of three towns, a headline's towns before a colon, one name thrice
        (
            "Boston, Mass. - Providence, R.I. - Hartford, Conn. (AP) -- Storms closed roads.",
            [],
        ),
        ("Rome, Italy - Naples, Italy - Bari: rail strike hits three cities.", []),
        # a perfect stay that the next leg starts from
        (
            "The envoy has been based in Beirut and flew to Damascus on Monday.",
            ["Beirut", "Damascus"],
        ),
    ],
)
def test_review_seventeen_misreadings(gazetteer: Gazetteer, text: str, expected: list[str]) -> None:
    _journey_or_none(gazetteer, text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a state of the country the text's towns are in is no village of its name
        # elsewhere (Alaska, the Philippines; Kansas, and Indiana, Pennsylvania)
        (
            "Flying to Alaska today, and then on to Tokyo, and then down to Shanghai. The "
            "Secretary left Andrews Air Force Base this morning.",
            ["Andrews Air Force Base", "Tokyo", "Shanghai"],
        ),
        (
            "The Potawatomi were marched from Twin Lakes, Indiana to Osawatomie, Kansas. It "
            "was a journey from Indiana, across Illinois and Missouri, into Kansas.",
            ["Twin Lakes", "Osawatomie"],
        ),
        # a region abroad is still its namesake town near the text's towns
        (
            "They set off from Canterbury and reached Dover by nightfall.",
            ["Canterbury", "Dover"],
        ),
    ],
)
def test_a_region_of_the_texts_country_keeps_its_name(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    stops = analyse_text(text, gazetteer).stops
    assert [s.mention.surface for s in stops] == expected
    assert all(s.mention.candidate.country in ("US", "JP", "CN", "GB") for s in stops)


def test_a_pictures_caption_gives_no_stops(gazetteer: Gazetteer) -> None:
    text = (
        "[Illustration: MAP SHOWING JOURNEY FROM TIBET THROUGH SI-NING TO PEKING, AND FROM "
        "PEKING TO KANSK]\n\nWE REACHED BOMBAY AT SUNSET. We left it the same evening for "
        "Calcutta."
    )
    assert _names(text, gazetteer) == ["BOMBAY", "Calcutta"]


def test_a_bulleted_list_goes_on_past_blank_lines_between_its_bullets(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "The barque Eagle will leave Baltimore in April.\n\nSpecific port call dates are:\n\n"
        "  • April 26: Depart Baltimore, Maryland\n\n"
        "  • May 18: Arrive Bermuda\n  • May 22: Depart Bermuda\n\n"
        "  • June 9: Arrive Norfolk, Virginia\n  • June 12: Depart Norfolk, Virginia\n\n"
        "  • June 17: Arrive Boston, Massachusetts\n\nThe cadets then go home."
    )
    stops = analyse_text(text, gazetteer).stops
    assert [s.mention.surface for s in stops] == ["Baltimore", "Bermuda", "Norfolk", "Boston"]


def test_a_route_map_copied_as_lines_is_the_journey_where_the_prose_gives_none(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "Coromandel Express\nRoute map\n\n12841\nKharagpur Junction\nBalasore\nWest Bengal\n"
        "Cuttack (CTC)\nIndian Pacific from Perth\nVisakhapatnam\n\n"
        "The Coromandel Express is a popular service."
    )
    stops = analyse_text(text, gazetteer).stops
    assert [s.mention.surface for s in stops] == [
        "Kharagpur",
        "Balasore",
        "Cuttack",
        "Visakhapatnam",
    ]
    assert [s.role for s in stops] == ["origin", "via", "via", "destination"]


def test_an_adverb_the_parser_took_for_a_verb_stands_for_the_verb_it_leaves_out(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "Starting from Cairo, he went to Damascus, thence down the Euphrates to Baghdad, "
        "down the Tigris to Basra, and thence to Karachi and Delhi."
    )
    stops = _read_names(text, gazetteer)
    assert stops == ["Cairo", "Damascus", "Baghdad", "Basra", "Karachi", "Delhi"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The train runs from Chur to Tirano. At Tirano it connects with a bus service "
            "via Como to Lugano.",
            ["Chur", "Tirano"],
        ),
        # a traveller who connects takes the next leg
        (
            "She flew from Oslo to Frankfurt, where she connected with a flight to Singapore.",
            ["Oslo", "Frankfurt", "Singapore"],
        ),
    ],
)
def test_a_connection_with_another_service_is_off_the_way(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _read_names(text, gazetteer) == expected


def test_a_list_after_no_journeys_words_is_no_journey(gazetteer: Gazetteer) -> None:
    # "restaurants" shares its first letters with "rest", a verb of stopping, but no word
    text = "Our favourite restaurants are in these cities:\n\n- Lyon\n\n- Paris\n\n- Nice\n"
    assert analyse_text(text, gazetteer).stops == ()


def test_a_relative_clauses_vehicle_gives_the_mode(gazetteer: Gazetteer) -> None:
    text = "The Mayflower was the ship that transported the Pilgrims from Plymouth to Boston."
    analysis = analyse_text(text, gazetteer)
    assert [s.mention.surface for s in analysis.stops] == ["Plymouth", "Boston"]
    assert analysis.modes == ("ship",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Left Butte at noon. Reached Helena at dusk.", ["Butte", "Helena"]),
        ("JULY 30. Left Dover; and arrived at Calais.", ["Dover", "Calais"]),
    ],
)
def test_a_logs_line_opening_with_a_verb_of_motion_is_read(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _read_names(text, gazetteer) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "We left Lyon at dawn. Thence to Avignon by the river road. On to Marseille the "
            "next day.",
            ["Lyon", "Avignon", "Marseille"],
        ),
        ("To Paris, with love.", []),  # a bare "To …" is no leg
    ],
)
def test_a_logs_verbless_leg(gazetteer: Gazetteer, text: str, expected: list[str]) -> None:
    assert _read_names(text, gazetteer) == expected


def test_a_route_chains_links_are_towns_not_their_regions(gazetteer: Gazetteer) -> None:
    # "Basra (Iraq)" alone is the governorate and "Whitehorse" a shire of Victoria; as
    # links of a flight's chain they are the towns
    text = (
        "Flight course\n\nSeattle - Whitehorse - Fairbanks, USA - Karachi - Basra (Iraq) - "
        "Rhodos, Greece"
    )
    analysis = analyse_text(text, gazetteer)
    stops = {s.mention.surface: s.mention.candidate for s in analysis.stops}
    assert list(stops) == ["Seattle", "Whitehorse", "Fairbanks", "Karachi", "Basra", "Rhodos"]
    assert stops["Whitehorse"].country == "CA"
    assert abs(stops["Basra"].lat - 30.51) < 0.1
    assert abs(stops["Basra"].lon - 47.78) < 0.1


def test_a_qualifier_keeps_its_sense_and_gives_it_to_no_other_mention(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "The plane took off from Tokyo.\n\nRoute\n\nTokyo - Chitose - Nome, Alaska - "
        "Fairbanks - Taipei - Haneda, Tokyo"
    )
    found = unify_senses(find_mentions(text, gazetteer))
    tokyo = [f.candidate.feature for f in found if f.surface == "Tokyo"]
    assert tokyo[:2] == ["PPLC", "PPLC"]  # the city where it names a stop
    assert _read_names(text, gazetteer)[:3] == ["Tokyo", "Chitose", "Nome"]


def test_a_departure_of_a_journey_under_way_is_no_start(gazetteer: Gazetteer) -> None:
    # "From Trieste" goes on from where the train went; "From Suez … to Aden" is a leg to a
    # new goal after the journey went elsewhere: neither is where the journey began
    text = (
        "On 23 October, after a church service in Gatchina, the prince went by train via "
        "Vienna to Trieste. From Trieste the expedition came to Port Said. From Suez, they "
        "went to Aden."
    )
    assert _read_names(text, gazetteer) == [
        "Gatchina",
        "Vienna",
        "Trieste",
        "Port Said",
        "Suez",
        "Aden",
    ]


def test_a_departure_to_a_goal_told_before_starts_the_journey(gazetteer: Gazetteer) -> None:
    text = "The president will visit Hanoi and Manila. He leaves Washington for Hanoi on Monday."
    assert _read_names(text, gazetteer)[0] == "Washington"


_DIAGRAM = (
    "Route map\n"
    "Aomori(Up arrow Tōhoku Shinkansen)\n"
    "0.0 km Tokyo\n"
    "25.5 km Shin-Yokohama\n"
    "Sagami River\n"
    "76.7 km Odawara\n"
    "342.0 km Nagoya\n"
    "476.3 km Kyoto\n"
    "515.4 km Shin-Ōsaka\n"
    "Hakata(Down arrow Sanyō Shinkansen)\n"
    "\n"
)


def test_a_route_diagram_tells_the_proses_way_in_more_detail(gazetteer: Gazetteer) -> None:
    # its lines give each station with its distance; the arrows' lines are other lines
    text = _DIAGRAM + "The line opened in 1964 between Tokyo and Shin-Ōsaka."
    assert _read_names(text, gazetteer) == [
        "Tokyo",
        "Yokohama",
        "Odawara",
        "Nagoya",
        "Kyoto",
        "Ōsaka",
    ]
    # the way the prose goes, and only between its ends
    text = _DIAGRAM + "The train ran from Kyoto to Nagoya."
    assert _read_names(text, gazetteer) == ["Kyoto", "Nagoya"]
    text = _DIAGRAM + "The train ran from Ōsaka to Odawara."
    assert _read_names(text, gazetteer) == ["Ōsaka", "Kyoto", "Nagoya", "Odawara"]
    # a stop the diagram does not have: another way, the prose's own
    text = _DIAGRAM + "We flew from Tokyo to Sapporo."
    assert _read_names(text, gazetteer) == ["Tokyo", "Sapporo"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The train went from Dandong to the capital Pyongyang.", ["Dandong", "Pyongyang"]),
        ("The expedition came from Trieste to the port Piraeus.", ["Trieste", "Piraeus"]),
    ],
)
def test_a_place_noun_before_a_name_takes_the_article(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _read_names(text, gazetteer) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an em dash set close, as old books print it, parts the words for the parser
        ("JULY 30. Left Bradfield; and arrived at Calais.—161 miles.", ["Calais"]),
        # "half-way from" says where a place is, not where a journey went
        ("The station of Monghir is half-way from Calcutta, above Rajmahal.", []),
        # "Me." is Maine after a town, as older texts write it
        ("He is to walk from Portland, Me., to Chicago, Ill.", ["Portland", "Chicago"]),
    ],
)
def test_old_typesetting(gazetteer: Gazetteer, text: str, expected: list[str]) -> None:
    assert _read_names(text, gazetteer) == expected


def test_portland_me_is_in_maine(gazetteer: Gazetteer) -> None:
    stops = analyse_text("He is to walk from Portland, Me., to Chicago, Ill.", gazetteer).stops
    assert stops[0].mention.candidate.admin1 == "ME"


def test_dashes_for_parser_keep_the_length() -> None:
    from route.document import dashes_for_parser

    text = "Calais.—161 miles; from Calcutta,—one; Paris — Lyon; Paris—Lyon"
    assert (
        dashes_for_parser(text) == "Calais. 161 miles; from Calcutta, one; Paris — Lyon; Paris—Lyon"
    )


def test_a_journeys_ends_told_together_make_its_last_stop(gazetteer: Gazetteer) -> None:
    text = (
        "The rally started in London on 19 April and finished in Mexico City on 27 May. "
        "A boat carried the cars across the Atlantic from Lisbon to Rio de Janeiro."
    )
    assert _read_names(text, gazetteer) == ["London", "Lisbon", "Rio de Janeiro", "Mexico City"]
    # a stage's ends are no summary of the whole
    text = "Stage 3 began in Turin and ended in Florence. Stage 4 went from Florence to Rome."
    assert _read_names(text, gazetteer) == ["Turin", "Florence", "Rome"]


def test_a_diagrams_station_far_off_the_line_is_dropped(gazetteer: Gazetteer) -> None:
    # "Brisbane" between two towns of South Australia lies far off the way between them
    text = (
        "Route map\nAdelaide\nPort Augusta\nBrisbane\nCoober Pedy\nAlice Springs\n\n"
        "The train runs between Adelaide and Alice Springs."
    )
    assert _read_names(text, gazetteer) == [
        "Adelaide",
        "Port Augusta",
        "Coober Pedy",
        "Alice Springs",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bare plural from a unit so named is that unit's people: the report's traveller
        (
            "Paratroopers from the 173rd Airborne Brigade Support Battalion left Vicenza and "
            "arrived in Yavoriv, Ukraine April 10 via a ground convoy.",
            ["Vicenza", "Yavoriv"],
        ),
        # people at large are not ("protesters marched from A to B")
        ("Protesters from Honduras marched from Tapachula to Mexico City.", []),
        # a capitalised word inside the sentence is a name the parser took for a plural
        (
            "According to legend, Pheidippides ran from Marathon to Athens.",
            ["Marathon", "Athens"],
        ),
        # a named service's vehicles
        (
            "Eurostar trains leave London St Pancras and call at Lille before reaching Paris.",
            ["London", "Lille", "Paris"],
        ),
    ],
)
def test_the_people_of_a_named_unit_travel(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _read_names(text, gazetteer) == expected


def test_an_infobox_station_list_under_the_trains_name(gazetteer: Gazetteer) -> None:
    # no "Route map" heading: every line of five or more a station; an infobox's own
    # "Termini" lines before it
    text = (
        "The Westlander\nRoute\nTerminiBrisbane\nCharleville\nDistance travelled740 km\n"
        "The Westlander\nBrisbane\nIpswich\nToowoomba\nDalby\nChinchilla\nMiles\nRoma\n"
        "Mitchell\nCharleville\n\n"
        "The Westlander is a train between Brisbane and the outback town of Charleville. "
        "In 1888 the train from Brisbane to Roma was called the Western Mail."
    )
    stops = analyse_text(text, gazetteer).stops
    assert [s.mention.surface for s in stops] == [
        "Brisbane",
        "Ipswich",
        "Toowoomba",
        "Dalby",
        "Chinchilla",
        "Miles",
        "Roma",
        "Mitchell",
        "Charleville",
    ]
    # a small town among the text's other towns is not its famous namesake
    assert {s.mention.candidate.country for s in stops} == {"AU"}


def test_an_arrival_the_lead_tells_stands_where_the_narration_reaches_it(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "On Saturday the commemorative flight landed at Brisbane Airport. In 1928 the crew "
        "took off from Oakland, California. The plane landed at Honolulu on 2 June and landed "
        "in Suva's Albert Park on 4 June. It landed at Brisbane's Eagle Farm Airport on 9 June."
    )
    assert _read_names(text, gazetteer) == ["Oakland", "Honolulu", "Suva", "Brisbane"]
    # a departure from the place between: the journey starts there and comes back
    text = (
        "The minister arrived in Paris on Monday. He left Paris for Rome on Tuesday and "
        "arrived in Rome. He arrived in Paris on Friday."
    )
    assert _read_names(text, gazetteer)[:2] == ["Paris", "Rome"]


def test_a_length_gone_between_two_places_is_the_way(gazetteer: Gazetteer) -> None:
    text = (
        "The Blue Train travels approximately 1,600 km between Pretoria and Cape Town, "
        "stopping at Kimberley along the way."
    )
    assert _read_names(text, gazetteer) == ["Pretoria", "Kimberley", "Cape Town"]


def test_a_place_passed_over_is_no_stop(gazetteer: Gazetteer) -> None:
    text = (
        "The flight from Newark to Singapore takes a north/south route over Baffin Island, "
        "the North Pole and Beijing."
    )
    assert _read_names(text, gazetteer) == ["Newark", "Singapore"]
    # but a flight that takes to the air over a place leaves from it
    text = (
        "The helicopters took to the air over Hunter Army Airfield in Savannah, Georgia, "
        "and flew to Fairbanks, Alaska."
    )
    assert "Savannah" in _read_names(text, gazetteer)


def test_a_comparison_is_no_journey(gazetteer: Gazetteer) -> None:
    text = (
        "The voyage had several turnings. It was like going from New York to Philadelphia "
        "through Harrisburg, or from Paris to London through Brussels."
    )
    assert _read_names(text, gazetteer) == []


def test_a_subject_the_parser_hung_on_a_fronted_place(gazetteer: Gazetteer) -> None:
    text = (
        "Special Envoy Hammer will travel to Kenya and Ethiopia. In Nairobi, Special Envoy "
        "Hammer will meet with officials. In Addis Ababa, Special Envoy Hammer will meet "
        "with Ethiopian government and African Union officials."
    )
    assert _read_names(text, gazetteer) == ["Nairobi", "Addis Ababa"]


def test_a_going_one_was_supposed_to_do_is_none(gazetteer: Gazetteer) -> None:
    text = (
        "He flew from New York to Dublin, even though he was supposed to be returning to "
        "Los Angeles."
    )
    assert _read_names(text, gazetteer) == ["New York", "Dublin"]


def test_a_verb_the_parser_read_as_the_object_of_to(gazetteer: Gazetteer) -> None:
    text = "The ferry from Helsinki to Tallinn crosses 80 km of the Gulf of Finland."
    assert _read_names(text, gazetteer) == ["Helsinki", "Tallinn"]


def test_stops_listed_after_a_noun_of_stops_and_a_colon(gazetteer: Gazetteer) -> None:
    text = (
        "The jet flew from Edwards to Florida. The team made three pit stops along the way: "
        "the airport in Amarillo, Texas, for fuel, another at Fort Worth, and an overnight "
        "stay at Barksdale Air Force Base in Shreveport, La."
    )
    assert _read_names(text, gazetteer) == [
        "Edwards", "Amarillo", "Fort Worth", "Barksdale Air Force Base"
    ]  # fmt: skip


def test_towns_a_way_connects_listed_after_a_colon(gazetteer: Gazetteer) -> None:
    text = (
        "Route 1 (Iceland)\n- Map Notes: The Ring Road and some towns it connects: (1) "
        "Reykjavík; (2) Borgarnes; (3) Akureyri; (4) Egilsstaðir; (5) Höfn\n"
        "Previously, vehicles travelling between southern settlements, e.g. Vík to Höfn, had "
        "to go north through Akureyri."
    )
    assert _read_names(text, gazetteer)[:5] == [
        "Reykjavík", "Borgarnes", "Akureyri", "Egilsstaðir", "Höfn"
    ]  # fmt: skip


def test_latin_abbreviations_end_no_sentence() -> None:
    document = Document("Settlements, e.g. Vík to Höfn, were cut off. Cf. the map.")
    assert len(document.sentences) == 2


def test_namesakes_on_the_way_are_found_again_after_a_move(gazetteer: Gazetteer) -> None:
    # Huntington moves from New York to West Virginia first; then Charleston, between it
    # and Charlottesville, moves from Illinois to West Virginia too
    from route.journey import along_the_way
    from route.spans import Found

    def stop(name: str, state: str) -> StopCue:
        cand = next(c for c in gazetteer.lookup(name) if c.admin1 == state and c.name == name)
        found = Found(0, len(name), name, "place", cand, 2, 0.5)
        return StopCue(mention=found, role="via", cue="via", mode="train")

    stops = [stop("Charlottesville", "VA"), stop("Charleston", "IL"), stop("Huntington", "NY")]
    stops.append(stop("Cincinnati", "OH"))
    moved, _ = along_the_way(stops, [s.mention for s in stops], gazetteer)
    assert [s.mention.candidate.admin1 for s in moved] == ["VA", "WV", "WV", "OH"]


def test_leaving_a_vehicle_at_a_place_is_getting_off_there(gazetteer: Gazetteer) -> None:
    text = "We took the train from Paris and left the train at Epernay, then walked to Reims."
    stops = analyse_text(text, gazetteer).stops
    assert [(s.mention.surface, s.role) for s in stops] == [
        ("Paris", "origin"), ("Epernay", "via"), ("Reims", "destination")
    ]  # fmt: skip


# -- fourteenth round ---------------------------------------------------------------------


def test_a_famous_city_is_not_a_namesake_propped_by_another_paragraphs_towns(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "The fleet sailed from Hampton Roads to Rio de Janeiro, Punta Arenas and Callao, "
        "and on to San Francisco.\n\nAt San Francisco the admiral took command of the "
        "fleet.\n\nThe fleet then visited Honolulu, Auckland, Sydney, Manila, Olongapo and "
        "Yokohama, and came home by Suez and Gibraltar."
    )
    stops = analyse_text(text, gazetteer).stops
    francisco = next(s for s in stops if s.mention.surface == "San Francisco").mention.candidate
    assert francisco.country == "US"
    assert abs(francisco.lat - 37.77) < 0.1
    assert abs(francisco.lon - -122.42) < 0.1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a clause that opens with "At" and a town: where the narration stands
        (
            "We left Cairo by boat on the first of the month. At Asyut one Mishrehgi was "
            "waiting for me with eggs. At Keneh one Issa lent a donkey. We reached Luxor at "
            "last.",
            ["Cairo", "Asyut", "Keneh", "Luxor"],
        ),
        # an official's itinerary by countries, then scenes of the titled traveller
        (
            "Assistant Secretary Phee will travel to South Africa, Nigeria, and Ethiopia "
            "February 5-19. In Lagos and Abuja, Assistant Secretary Phee will engage civil "
            "society and election officials.",
            ["Lagos", "Abuja"],
        ),
        # a start the parser hung on the bearing after it
        (
            "The West Highland Way is 154 km long, running from Milngavie north of Glasgow "
            "to Fort William in the Scottish Highlands.",
            ["Milngavie", "Fort William"],
        ),
    ],
)
def test_fronted_places_titled_travellers_and_bearings(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _read_names(text, gazetteer) == expected


def test_a_past_visit_of_a_titled_traveller_is_no_stop(gazetteer: Gazetteer) -> None:
    text = (
        "Secretary Clinton will travel to Honolulu and then to Wellington next week. When "
        "Secretary Clinton was in New York for the UN General Assembly, she met Pacific "
        "leaders."
    )
    assert _read_names(text, gazetteer) == ["Honolulu", "Wellington"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "via" hung on a copula or on "consists": the way the clause names
        (
            "The Horseshoe route was a flying boat route between Sydney, Australia, and "
            "Durban, South Africa, via Singapore, Calcutta and Cairo during World War II.",
            ["Sydney", "Singapore", "Calcutta", "Cairo", "Durban"],
        ),
        (
            "It consists of a single railway line linking the mining centre of Zouerate with "
            "the port of Nouadhibou, via Choum.",
            ["Zouerate", "Choum", "Nouadhibou"],
        ),
        # an end route cannot place, then the town it is in ("from Rose Barracks in X")
        (
            "About 520 Soldiers road marched 726 kilometers from Rose Barracks in Vilseck, "
            "Germany, to a location in Hungary.",
            ["Vilseck"],
        ),
    ],
)
def test_ways_told_by_a_noun_and_ends_placed_by_their_town(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _read_names(text, gazetteer) == expected


def test_the_dateline_is_no_town_of_a_travel_sentence(gazetteer: Gazetteer) -> None:
    text = (
        "WASHINGTON (Sept. 15, 2015) -- Soldiers with the 2d Cavalry Regiment will cross a "
        "river in Hungary.\n\nThe Soldiers road marched from Rose Barracks in Vilseck, "
        "Germany, to a location in Hungary."
    )
    assert _read_names(text, gazetteer) == ["Vilseck"]


def test_a_diverted_flight_never_reaches_the_goal_it_headed_for(gazetteer: Gazetteer) -> None:
    text = (
        "Flight origin Ben Gurion International Airport\nDestination Charles De Gaulle "
        "International Airport\n\nOn 27 June 1976, Air France Flight 139 originated from Tel "
        "Aviv, Israel. The flight took off from Athens, Greece headed for Paris. The hijackers "
        "diverted the flight to Benghazi, Libya. The plane left Benghazi, and on the 28th it "
        "arrived at Entebbe Airport in Uganda."
    )
    assert _read_names(text, gazetteer) == ["Tel Aviv", "Athens", "Benghazi", "Entebbe"]


def test_a_chapters_synopsis_tells_its_way(gazetteer: Gazetteer) -> None:
    synopsis = (
        "Description of Paris--Departure by the Diligence--The Country--The Vineyards--"
        "Hotels and Fare--Arrival at Lyons--Description of the City--Departure by Steamer--"
        "Descent of the River--Landing at Avignon--The Palace of the Popes--Arrival at "
        "Nimes--The Arena--Journey to Montpellier--Observations.\n"
    )
    text = synopsis + (
        "A week's residence in Paris does not give a stranger any title to judge the city. "
        "The journey to Chalons was dull."
    )
    expected = ["Paris", "Lyons", "Avignon", "Nimes", "Montpellier"]
    assert _read_names(text, gazetteer) == expected
    # a synopsis that tells less of the way than its chapter gives way to the chapter
    text = synopsis.replace("Arrival at Nimes", "The Bridge").replace(
        "Landing at Avignon", "Landing"
    ) + (
        "We left Paris by the morning diligence, reached Lyons in three days, and went on by "
        "steamer to Avignon, Arles and Marseilles."
    )
    assert _read_names(text, gazetteer) == ["Paris", "Lyons", "Avignon", "Arles", "Marseilles"]


def test_a_dateline_gone_from_here_is_the_start(gazetteer: Gazetteer) -> None:
    text = (
        "VICENZA, Italy -- Paratroopers from the 173rd Airborne Brigade Support Battalion "
        "arrived in Yavoriv, Ukraine April 10 via a ground convoy from here to deliver the "
        "brigade's training equipment."
    )
    assert _read_names(text, gazetteer) == ["VICENZA", "Yavoriv"]


def test_a_voyage_resumed_to_places_goes_to_them(gazetteer: Gazetteer) -> None:
    text = (
        "The yacht sailed from Adelaide to Melbourne. After a long stay at Melbourne the "
        "voyage was resumed to Sydney, Newcastle, and Brisbane."
    )
    expected = ["Adelaide", "Melbourne", "Sydney", "Newcastle", "Brisbane"]
    assert _read_names(text, gazetteer) == expected


def test_a_river_named_in_spanish_after_the_is_no_town(gazetteer: Gazetteer) -> None:
    text = (
        "The train stops briefly in Gallup before crossing the Rio Grande and entering "
        "Albuquerque. It then runs to Lamy."
    )
    assert _read_names(text, gazetteer) == ["Gallup", "Albuquerque", "Lamy"]


def test_a_log_line_reaching_a_town_at_a_clock_time(gazetteer: Gazetteer) -> None:
    text = (
        "At 6:10 A.M. left for Helena against a strong headwind. Road so stony had to leave "
        "it. Reached Winston 8:30, Stopped 20 mins. Reached Helena 11:50."
    )
    names = _read_names(text, gazetteer)
    assert names[-2:] == ["Winston", "Helena"]  # "Winston" hung on the time, not a name


def test_a_news_releases_dateline_after_its_header_and_a_units_home_is_no_stop(
    gazetteer: Gazetteer,
) -> None:
    header = (
        "Astoria-based Coast Guard cutter returns home after a 57-day patrol\n\nunited states "
        "coast guard\n\nNews Release\n\nOct. 8, 2020\nU.S. Coast Guard Pacific Area\nContact: "
        "Coast Guard Pacific Area Public Affairs\nD11-DG-M-PACAREA-PA@uscg.mil\nPacific Area "
        "online newsroom\nShare this release on social media\n\nAstoria-"
        "based Coast Guard cutter returns home after 57-day counter-narcotics patrol; $67 "
        "million in cocaine seized\n\n"
    )
    text = header + (
        "ASTORIA, Ore. — The crew aboard the Coast Guard Cutter Steadfast returned home "
        "Sunday following a 57-day counter-narcotics patrol to the Eastern Pacific Ocean.\n\n"
        "The crew offloaded the seized contraband Oct. 1 in San Diego.\n\nSteadfast deployed "
        "with an MH-65 helicopter and aircrews from Air Station North Bend, Oregon."
    )
    assert len(header) > 400  # the dateline stands past the first 400 characters
    assert _read_names(text, gazetteer) == ["ASTORIA", "San Diego", "ASTORIA"]


def test_a_journals_dated_entries_are_its_way(gazetteer: Gazetteer) -> None:
    text = (
        "Our Travel Journal\n\nSetting Off\nMarch 3, 2019 - Lisbon, Portugal\nA Day at Sea\n"
        "March 5, 2019 - Funchal, Madeira\nIsland Walks\nMarch 6, 2019 - Porto Santo\n"
        "Into Africa\nMarch 9, 2019 - Agadir, Morocco\n"
    )
    assert _read_names(text, gazetteer) == ["Lisbon", "Funchal", "Agadir"]


def test_dated_lines_that_name_no_entrys_place_are_no_way(gazetteer: Gazetteer) -> None:
    text = (
        "March 3, 2019 - Lunch with the mayor of Lisbon and a talk.\n"
        "March 5, 2019 - Meetings all day about the budget of Funchal.\n"
        "March 9, 2019 - Press conference on Agadir's port.\n"
    )
    assert _read_names(text, gazetteer) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "At" before a possessive is no place where the narration stands
        ("At Berlin's request, the delegation flew from Vienna to Prague.", ["Vienna", "Prague"]),
        # a dated line whose town does not open the entry is no entry's place
        (
            "June 27, 2013 - Lunch with the mayor of Dakar\nJune 28, 2013 - Dinner in Paris\n"
            "June 29, 2013 - Talk about Berlin\n",
            [],
        ),
    ],
)
def test_fronted_and_dated_readings_that_are_none(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _read_names(text, gazetteer) == expected


def test_delivering_to_a_place_goes_there_but_delivering_a_speech_does_not(
    gazetteer: Gazetteer,
) -> None:
    """The verb "deliver" is one of sending with its carrier along (VerbNet send-11.1), as
    "carry" and "transport" are; with what is said as its object it is a speech."""
    text = (
        "The aircrew flew from Dover Air Force Base, Delaware, and delivered 71,000 pounds "
        "of aid to Misawa Air Base, Japan, after the earthquake."
    )
    stops = _stops(text, gazetteer)
    assert [(s.mention.surface, s.role) for s in stops][-1] == ("Misawa", "destination")
    speech = (
        "The president left Washington on Friday and is expected to arrive in Brasilia on "
        "Saturday. He will deliver a speech to the people of Brazil from Rio de Janeiro."
    )
    assert _names(speech, gazetteer) == ["Washington", "Brasilia"]


def test_at_a_town_before_a_courtesy_title_is_a_stop(gazetteer: Gazetteer) -> None:
    """ "At Khartoum Mr and Mrs Baker spent some months": the parser joins the town to the
    name after it; a courtesy title is never a place's, so the clause opens at the town."""
    text = (
        "They left Cairo by steamer in June. At Khartoum Mr and Mrs Baker spent some months "
        "to recruit. At Berlin Mayor Wegner's invitation they stayed."
    )
    assert [(s.mention.surface, s.cue) for s in _stops(text, gazetteer)] == [
        ("Cairo", "left"),
        ("Khartoum", "At Khartoum"),
    ]


def test_an_insect_is_no_mode(gazetteer: Gazetteer) -> None:
    """A bite from a tsetse fly names no aircraft; "will fly", "flies to" still do."""
    from route.journey import leg_modes

    bitten = "Stanley travelled from Nairobi to Mombasa after a bite from a Tsetse fly."
    assert [m for m, _ in leg_modes(_stops(bitten, gazetteer))] == ["unknown"]
    for flown in (
        "Stanley will fly from Nairobi to Mombasa.",
        "The planes fly from Nairobi to Mombasa.",
    ):
        assert [m for m, _ in leg_modes(_stops(flown, gazetteer))] == ["plane"]


def test_a_route_diagrams_codes_and_bracketed_directions(gazetteer: Gazetteer) -> None:
    """A station's line may carry its code ("Mumbai CST") and, in brackets, where its
    trains run ("Karjat (Towards Pune Junction)"): the station is the town before them."""
    text = (
        "The Deccan Queen is an Indian passenger train that connects Mumbai with Pune.\n"
        "Route map\n"
        "Legend\n"
        "Mumbai CST\n"
        "Parsik tunnel\n"
        "Karjat (Towards Pune Junction)\n"
        "Lonavla\n"
        "Pune\n"
    )
    assert _read_names(text, gazetteer) == ["Mumbai", "Karjat", "Lonavla", "Pune"]


def test_a_route_diagrams_stations_far_from_all_the_others_are_namesakes(
    gazetteer: Gazetteer,
) -> None:
    """Column heads and small halts read as towns on another continent ("Dist." as Diest,
    Belgium; "Kallar" as a village in Iraq) are no stations of a mountain line in India."""
    from route.passes import route_list_events

    text = (
        "Nilgiri Mountain Railway\nRoute map\nDist.\nKallar\nCoonoor\nWellington\n"
        "Lovedale\nUdhagamandalam\n"
    )
    found = [f for f in find_mentions(text, gazetteer) if f.kind == "place"]
    listed = [e.mention.surface for e in route_list_events(Document(text), found)]
    assert "Dist" not in listed
    assert "Kallar" not in listed
    assert listed[-1] == "Udhagamandalam"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a street after "Dr." is no courtesy title's name
        (
            "The convoy drove from Tucson to Flagstaff.\nAt Phoenix Dr. and 5th Ave. "
            "protesters waved signs.",
            ["Tucson", "Flagstaff"],
        ),
        # "deliver" with a warning or a blow as its object takes nobody anywhere
        ("The President delivered a warning to Moscow from Washington.", []),
        ("He delivered a powerful blow to Moscow from Kyiv.", []),
        # a whole-word title ending a sentence is no title of the next one's first word
        (
            "He was appointed Captain. Sydney was his next posting, and he sailed from "
            "Sydney to Auckland.",
            ["Sydney", "Auckland"],
        ),
        # "from" a person or a firm is no place far away
        (
            "She quoted a passage from Marx before the train left Berlin for Leipzig.",
            ["Berlin", "Leipzig"],
        ),
    ],
)
def test_what_this_rounds_rules_do_not_read(
    text: str, names: list[str], gazetteer: Gazetteer
) -> None:
    assert _read_names(text, gazetteer) == names


def test_a_qualified_short_name_keeps_its_own_sense(gazetteer: Gazetteer) -> None:
    text = "He sailed from Kingston upon Hull to Rotterdam; later he flew to Kingston, Jamaica."
    found = analyse_text(text, gazetteer).found
    assert [(f.surface, f.candidate.country) for f in found if f.surface == "Kingston"] == [
        ("Kingston", "JM")
    ]


def test_a_long_route_diagram_under_no_heading_is_read_in_linear_time(
    gazetteer: Gazetteer,
) -> None:
    """Each line of a list under no heading was a start to weigh its stations from: with
    each station's nearest fellow weighed too, 800 lines took minutes. The stations are
    weighed only for a list that may be a diagram (timed in the closing note, not here)."""
    towns = ["Pune", "Mumbai", "Nagpur", "Nashik", "Surat", "Indore", "Bhopal", "Agra"]
    text = "The train left Pune for Agra.\n\n" + "\n".join(towns * 100) + "\nplatform four\n"
    assert _read_names(text, gazetteer)[:2] == ["Pune", "Agra"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (  # "between" names both ends and no direction: the journey told says which
            "Crowds waved in the Indian city of Kolkata as a train began its first journey "
            "to Dhaka. The service between Dhaka and Kolkata is called the Friendship Express.",
            ["Kolkata", "Dhaka"],
        ),
        (  # where nothing else says, the first end named is the start
            "The service between Dhaka and Kolkata began on Monday; the train ran all day.",
            ["Dhaka", "Kolkata"],
        ),
        (  # a leg after the one to A goes on from A
            "We flew to Delhi on Monday, and the next day took the train between Delhi and Agra.",
            ["Delhi", "Agra"],
        ),
    ],
)
def test_a_way_between_two_places_runs_as_the_journey_goes(
    text: str, names: list[str], gazetteer: Gazetteer
) -> None:
    assert _read_names(text, gazetteer) == names


def test_a_letters_heading_is_where_its_journey_has_reached(gazetteer: Gazetteer) -> None:
    """A traveller's letter headed with a town and a date is written where the way it
    tells has led: the town ends the journey."""
    text = (
        "CHAPTER I.\n\nYokohama, Japan, Oct. 10, 1889.\n\n"
        "On the 8th of September I left New York by train. The train rolled into Chicago "
        "the next morning, and three days later I reached San Francisco, where I went on "
        "board the steamer.\n"
    )
    assert _read_names(text, gazetteer) == ["New York", "Chicago", "San Francisco", "Yokohama"]


@pytest.mark.parametrize(
    "text",
    [
        # a date line with no town of its own, and a town in prose above no date
        "Oct. 10, 1889.\n\nI left New York by train and reached San Francisco.\n",
        "We left New York by train.\nSan Francisco, where we arrived, is a fine city.\n",
        # a heading over a letter written at the start: the text says where it stands
        "New York, Jan. 5, 1890.\n\nTomorrow I leave New York for San Francisco.\n",
    ],
)
def test_no_letter_heading_without_a_town_and_a_date_alone_on_a_line(
    text: str, gazetteer: Gazetteer
) -> None:
    assert _read_names(text, gazetteer) == ["New York", "San Francisco"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (  # the doer takes part in an event held in a town: the doer is there
            "In Egypt, the Secretary will participate in the donors' conference being held "
            "in Sharm el-Sheikh. In Brussels, she will attend a NATO meeting. She then "
            "travels to Ankara.",
            ["Sharm el-Sheikh", "Brussels", "Ankara"],
        ),
        (
            "The minister flew to Peru, where she attended a summit hosted in Lima, and "
            "then on to Quito.",
            ["Lima", "Quito"],
        ),
        (  # an event held somewhere that no one of the journey takes part in
            "A summit held in Lima was about trade. The minister flew from Quito to Bogota.",
            ["Quito", "Bogota"],
        ),
    ],
)
def test_an_event_taken_part_in_is_where_it_is_held(
    text: str, names: list[str], gazetteer: Gazetteer
) -> None:
    assert _read_names(text, gazetteer) == names


def test_a_birthplace_is_no_stop_of_the_weak_reading(gazetteer: Gazetteer) -> None:
    """With no frame to read, the towns a travel sentence governs are the stops; where
    someone was born is a life's start, not the journey's."""
    text = "Born in Stryj, Nowak lived in Poznan after the war and travelled across Africa."
    assert "Stryj" not in _read_names(text, gazetteer)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (  # the goal told in the lead, the first leg told after it with "initially"
            "Five airmen delivered aid to Misawa Air Base, Japan. Their mission began at "
            "Dover Air Force Base, Del. The crew initially flew to Joint Base Andrews, Md., "
            "to pick up a rescue team.",
            ["Dover", "Joint Base Andrews", "Misawa"],
        ),
        (  # "first" is also "for the first time": no reordering by it
            "The ship left Southampton and called at Cherbourg, then at Queenstown. It first "
            "reached New York on April 15.",
            ["Southampton", "Cherbourg", "Queenstown", "New York"],
        ),
    ],
)
def test_a_leg_told_as_the_first_comes_right_after_the_start(
    text: str, names: list[str], gazetteer: Gazetteer
) -> None:
    assert _read_names(text, gazetteer) == names


def test_on_ones_way_to_a_place_heads_for_it(gazetteer: Gazetteer) -> None:
    """ "On our way to X, we made stops in A and B": X is the goal the stops lead to."""
    text = (
        "On our way to Cheyenne, we made stops in two little Nebraska towns, Chappell and "
        "Kimball. We stopped at the fire station in Chappell. Driving on to Kimball, Neb., "
        "we parked by the store."
    )
    assert _read_names(text, gazetteer) == ["Chappell", "Kimball", "Cheyenne"]


def test_a_town_naming_its_airstrip_is_the_place(gazetteer: Gazetteer) -> None:
    text = (
        "An Air Force C-130 left Abuja, Nigeria, on Oct. 28 with 40 troops and their "
        "equipment bound for El-Fashir airstrip in Sudan's Darfur region."
    )
    assert _read_names(text, gazetteer) == ["Abuja", "El-Fashir"]


def test_a_place_called_by_a_name_is_no_call_at_it(gazetteer: Gazetteer) -> None:
    text = (
        "A sign-post told me I had walked thirty-two kilometres from Toul; that it was one "
        "kilometre to Flavigny, and heaven knows how much to a place called Charmes. As I "
        "came into Flavigny I saw a church."
    )
    assert _read_names(text, gazetteer) == ["Toul", "Flavigny"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (  # a hypothetical past: what would have been, not what was
            "The first train to travel from Istanbul to Baghdad departed in 1940. If the "
            "railway had been completed, the Germans would have gained a connection to the "
            "port of Basra.",
            ["Istanbul", "Baghdad"],
        ),
        (  # a hypothetical past above the going is not the going's
            "Officials said the pilot should have checked the weather before he flew from "
            "Denver to Aspen.",
            ["Denver", "Aspen"],
        ),
        (  # a road that bypasses a town does not go there (VerbNet avoid-52)
            "The highway runs from Ottawa to Vancouver. It bypasses Toronto and Halifax.",
            ["Ottawa", "Vancouver"],
        ),
    ],
)
def test_ways_not_gone_are_no_stops(text: str, names: list[str], gazetteer: Gazetteer) -> None:
    assert _read_names(text, gazetteer) == names


def test_a_going_announced_is_told_not_done(gazetteer: Gazetteer) -> None:
    """ "announcing our arrival to Rome": Rome is told of the arrival, not gone to."""
    text = (
        "We touched at Port Said on the 5th February, after which we continued our voyage "
        "to Naples. Bove and I rowed ashore to send off telegrams announcing our arrival in "
        "Europe to Sweden, Naples, Rome, and other places."
    )
    assert _read_names(text, gazetteer) == ["Port Said", "Naples"]


def test_stops_made_on_the_way_come_before_the_goal_told_first(gazetteer: Gazetteer) -> None:
    """ "made stops in A and B": stops on the way; "from its home port" names the start,
    no return; so the goal told first in the lead ends the journey."""
    text = (
        "The cutter arrived in Dunedin after a long transit from its home port in Seattle, "
        "Washington. The cutter made stops in Honolulu, Hawaii and Sydney, Australia during "
        "its voyage south."
    )
    assert _read_names(text, gazetteer) == ["Seattle", "Honolulu", "Sydney", "Dunedin"]


def test_one_plain_list_of_towns_is_read_under_one_frame(gazetteer: Gazetteer) -> None:
    """The parser hangs "Kuala Lumpur and Manila" on "stop", not on "to" with Seoul."""
    text = (
        "President Obama arrived in Tokyo on Friday, the first stop of a four-nation Asian "
        "tour that will also take him to Seoul, Kuala Lumpur and Manila."
    )
    assert _read_names(text, gazetteer) == ["Tokyo", "Seoul", "Kuala Lumpur", "Manila"]


def test_a_journey_ended_in_a_town_ends_there(gazetteer: Gazetteer) -> None:
    """ "ends his trip in Bangui": the place of the trip's end, where the parser hangs "in"
    on the trip, not on the verb."""
    text = (
        "The pope flew from Rome to Nairobi on Wednesday. After three days in Kenya, he "
        "travels to Kampala, Uganda, and ends his trip in Bangui, Central African Republic."
    )
    stops = analyse_text(text, gazetteer).stops
    assert [(s.mention.surface, s.role) for s in stops][-1] == ("Bangui", "destination")


def test_a_stretch_gone_to_a_town_after_a_goal_told_with_before(gazetteer: Gazetteer) -> None:
    """ "before heading to Dong Dang, where he switched to a car for the final 170 km to
    Hanoi": the stretch's "to" is where it goes, after the place the clause reaches."""
    text = (
        "Kim's train left Pyongyang on Saturday and crossed into China at Dandong before "
        "heading south to Dong Dang, where he switched to a car for the final 170 km to Hanoi."
    )
    assert _read_names(text, gazetteer) == ["Pyongyang", "Dandong", "Dong Dang", "Hanoi"]
    assert _read_names("Dong Dang lies 170 km from Hanoi. He drove there.", gazetteer) == []
    text = "Traffic was backed up for 20 km to Calais as we drove from Paris to Lille."
    assert _read_names(text, gazetteer) == ["Paris", "Lille"]


def test_a_chain_after_the_in_prose_names_another_event(gazetteer: Gazetteer) -> None:
    """ "the 1896 Paris–Marseille–Paris": a race's name in prose, not legs of the text's."""
    text = (
        "Paris–Bordeaux–Paris\n\nThe race was held in June 1895. "
        "The outcry caused the club to organise their next event, the 1896 "
        "Paris–Marseille–Paris, so that the fastest finisher won."
    )
    assert _read_names(text, gazetteer) == ["Paris", "Bordeaux", "Paris"]


def test_a_ship_that_made_port_in_a_town_called_there(gazetteer: Gazetteer) -> None:
    text = (
        "The cutter departed Honolulu on October 24. Later the cutter made port in Papeete "
        "to replenish supplies, and then sailed on to Auckland."
    )
    assert _read_names(text, gazetteer) == ["Honolulu", "Papeete", "Auckland"]


def test_a_town_that_says_where_a_person_is_from_is_no_stop(gazetteer: Gazetteer) -> None:
    text = (
        "They walked from Acton to Harvard. The line was rewritten from a similar line by "
        "Princeton native Charles Theodore Russell in his book."
    )
    assert _read_names(text, gazetteer) == ["Acton", "Harvard"]


def test_a_going_refused_is_not_done(gazetteer: Gazetteer) -> None:
    """ "declined to attend the summit held in Seoul": a going refused (VerbNet refuse)."""
    text = "The minister flew from Lima to Tokyo. He declined to attend the summit held in Seoul."
    assert _read_names(text, gazetteer) == ["Lima", "Tokyo"]


def test_a_letters_heading_under_a_title_naming_another_stop(gazetteer: Gazetteer) -> None:
    """A stop of the journey named in a title above the heading does not hide the
    heading's own town."""
    text = (
        "LEAVING CHICAGO.\n\nSt. Paul, Minnesota, Oct., 1885.\n\n"
        "We left Chicago by the night train and reached Milwaukee early next morning.\n"
    )
    assert _read_names(text, gazetteer)[-1] == "St. Paul"
