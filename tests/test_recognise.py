"""route.recognise: place names in runs of capitalised words."""

from __future__ import annotations

import pytest

from route.cues import demonyms_and_abbreviations
from route.gazetteer import Gazetteer
from route.recognise import recognise
from route.tokens import tokenise


def _names(gazetteer: Gazetteer, text: str) -> tuple[list[str], list[str]]:
    tokens = tokenise(text)
    _, used, abbreviated = demonyms_and_abbreviations(text, tokens, gazetteer)
    found = recognise(text, tokens, gazetteer, used=used, abbreviated=abbreviated)
    names = [text[tokens[a].start : tokens[b].end] for a, b, _ in found.raw]
    embedded = [
        text[tokens[a].start : tokens[b].end] for a, b, _ in found.raw if a in found.embedded
    ]
    return names, embedded


def test_a_run_is_a_place_only_when_one_name_covers_it(gazetteer: Gazetteer) -> None:
    names, _ = _names(gazetteer, "Kim Jong Un took the train from Dong Dang. Later Kim slept.")
    assert names == ["Dong Dang"]


def test_a_place_heading_an_organisation_is_embedded(gazetteer: Gazetteer) -> None:
    names, embedded = _names(gazetteer, "The Denver City Council met in Hanoi.")
    assert names == ["Denver", "Hanoi"]
    assert embedded == ["Denver"]


def test_entities_the_gazetteer_knows_are_names_too(gazetteer: Gazetteer) -> None:
    text = "They reached the Bronx at night."
    tokens = tokenise(text)
    start = text.index("the Bronx")
    found = recognise(
        text, tokens, gazetteer, used=set(), abbreviated={}, entities=[(start, start + 9)]
    )
    assert [text[tokens[a].start : tokens[b].end] for a, b, _ in found.raw][-1:] == ["Bronx"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name with "and" in it stays whole where the gazetteer knows it
        (
            "She flew to Bosnia and Herzegovina, then to Trinidad and Tobago and to Sao Tome "
            "and Principe; later to Paris and London, and to Australia and New Zealand.",
            [
                "Bosnia and Herzegovina",
                "Trinidad and Tobago",
                "Sao Tome and Principe",
                "Paris",
                "London",
                "Australia",  # two countries (and a UN region by the name of both)
                "New Zealand",
            ],
        ),
        # "and" parts two towns a district joins, and the two ends of a way
        (
            "The bus runs from Derry and Strabane; a ferry runs between Antigua and Barbuda; "
            "a coach runs between Winston-Salem and Durham.",
            [
                "Derry",
                "Strabane",
                "Antigua",
                "Barbuda",
                "Winston-Salem",  # a hyphen's name stays whole after "between"
                "Durham",
            ],
        ),
    ],
)
def test_names_with_and_in_them(gazetteer: Gazetteer, text: str, expected: list[str]) -> None:
    names, _ = _names(gazetteer, text)
    assert sorted(names, key=text.index) == expected


@pytest.mark.parametrize(
    ("text", "surface", "name"),
    [
        ("Fires burned in Southern Oregon this week.", "Southern Oregon", "Oregon"),
        ("He lives in North Texas.", "North Texas", "Texas"),
        ("He lives in North London.", "North London", "London"),
    ],
)
def test_a_word_of_direction_before_a_place(
    gazetteer: Gazetteer, text: str, surface: str, name: str
) -> None:
    from route.extract import find_mentions

    (found,) = find_mentions(text, gazetteer)
    assert (found.surface, found.candidate.name) == (surface, name)


def test_no_direction_before_a_small_town_or_a_direction() -> None:
    from route.extract import find_mentions
    from route.gazetteer import default_gazetteer

    text = "The cutter departed Alameda for the Western Pacific and the North Eastern Province."
    assert "Western Pacific" not in [f.surface for f in find_mentions(text, default_gazetteer())]


def test_a_direction_before_a_region_and_its_city_is_the_region() -> None:
    from route.extract import find_mentions
    from route.gazetteer import default_gazetteer

    found = find_mentions("Storms crossed Western New York overnight.", default_gazetteer())
    assert [(f.surface, f.candidate.feature) for f in found] == [("Western New York", "ADM1")]
    found = find_mentions("She studied at the University of North Texas.", default_gazetteer())
    assert all(f.surface != "North Texas" or f.kind == "embedded" for f in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a log's sentence opens with the past of a motion verb, not with a name's word
        ("Left camp at six. Reached Winston 8:30. Reached Helena 11:50.", ["Winston", "Helena"]),
        ("Crossed Dover harbour at noon.", ["Dover"]),
        # a schedule's line: a verb of leaving or reaching as such
        (
            "April 28: Arrive Norfolk, Virginia\nMay 1: Depart Norfolk",
            ["Norfolk", "Virginia", "Norfolk"],
        ),
        # a town of a verb's name is no past form: "Tours" stays a town
        ("Tours lies on the Loire.", ["Tours", "Loire"]),
    ],
)
def test_the_past_of_a_motion_verb_opening_a_sentence(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _names(gazetteer, text)[0] == expected


def test_the_pronoun_after_a_placed_name_is_no_part_of_it(gazetteer: Gazetteer) -> None:
    # "At Clunes I parted": not a name with a regnal numeral ("Charles I"), which would
    # make "Clunes" a person's name everywhere in the text
    names, _ = _names(gazetteer, "We drove on to Clunes. At Clunes I parted with them.")
    assert names == ["Clunes", "Clunes"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dakar - Casablanca Morocco - Seville", ["Dakar", "Casablanca", "Morocco", "Seville"]),
        ("We flew Dakar - Casablanca Morocco.", ["Dakar", "Casablanca", "Morocco"]),
        ("Life in Vichy France - a study", []),  # no town follows the dash
        ("Weimar Germany was short-lived.", []),  # no route's link: a name of an age
    ],
)
def test_a_town_and_its_country_as_a_routes_link(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert sorted(_names(gazetteer, text)[0]) == sorted(expected)


def test_a_preposition_opening_a_lists_line_is_no_place(gazetteer: Gazetteer) -> None:
    text = "The itinerary:\n- Off the ship at Wushan to visit the Lesser Three Gorges"
    assert _names(gazetteer, text)[0] == ["Wushan"]


def test_the_pronoun_after_a_name_a_participle_opens_is_no_part_of_it(
    gazetteer: Gazetteer,
) -> None:
    text = "LEAVING Constantinople I took the Austrian boat to Varna."
    assert "Constantinople" in _names(gazetteer, text)[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gandhi's Salt March in 1930 covered 387 km.", []),  # a name, not Salt in Spain
        ("Prime Minister Theresa May flew to Brussels.", ["Brussels"]),
        ("He arrived in Paris March 3 and left for Rome.", ["Paris", "Rome"]),  # a date
        ("He arrived in Paris Sunday.", ["Paris"]),
    ],
)
def test_a_month_ends_a_name_only_before_its_day(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _names(gazetteer, text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a known name of ordinary words, put on a path, is the town
        ("They drove from Long Beach to Reno.", ["Long Beach", "Reno"]),
        # ... but not after "the" ("the White House") nor standing alone
        ("He spoke at the White House on Monday.", []),
        ("Long Beach is a city.", []),
    ],
)
def test_a_name_of_ordinary_words_on_a_path(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert _names(gazetteer, text)[0] == expected


def test_a_big_towns_station_past_a_region_of_its_name(gazetteer: Gazetteer) -> None:
    # "New York" is first the state; the city gives the airport its name
    names = _names(gazetteer, "The plane flew from London to New York LaGuardia.")[0]
    assert sorted(names) == ["London", "New York"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a facility of four words after its town gives the town
        (
            "The C-130 flew from Louisville Air National Guard Base to Atlanta.",
            ["Louisville", "Atlanta"],
        ),
        # a facility's word alone is no village of that name (Airport, Hawaii) ...
        (
            "They landed at Hung Chiao (Rainbow Bridge) Airport, Shanghai.",
            ["Hung Chiao", "Shanghai"],
        ),
        # a word after Gaelic "na" ("of the") is a part of the name, not Ba, Fiji
        ("The road climbs the Bealach na Ba to Applecross.", ["Applecross"]),
        # the head of an "X da Y" name the gazetteer does not know whole is no town ...
        (
            "The itinerary includes a visit to Porto da Praia in Cape Verde.",
            ["Praia", "Cape Verde"],
        ),
        # ... unless it is a big city's or a country's ("Paris of the East")
        ("Shanghai was once called the Paris of the East.", ["Shanghai", "Paris"]),
        # a possessive before a feature's head is one name: not Fowler, a town of the US
        ("They left the cutter at Fowler's Bay and walked to Albany.", ["Albany"]),
        # a big town's station between which a train runs gives the town
        (
            "The train runs between New York Penn Station and Chicago Union Station.",
            ["New York", "Chicago"],
        ),
        # "English" is an adjective, not English, Indiana
        ("The ship reached the English port of Plymouth in July.", ["Plymouth"]),
        # ... unless the region after it holds it
        ("The convoy stopped in Junction, Texas.", ["Junction", "Texas"]),
    ],
)
def test_facility_words_and_their_towns(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    names, _ = _names(gazetteer, text)
    assert sorted(names) == sorted(expected)


def test_the_pronoun_after_a_name_a_path_word_puts_is_no_part_of_it(
    gazetteer: Gazetteer,
) -> None:
    text = "Somewhere beyond Epernay I followed the aeroplane. Charles I ruled England."
    names, _ = _names(gazetteer, text)
    assert "Epernay" in names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a place's own noun and "of": the place ("the Port of X", "Region of X")
        ("They sailed to the Port of Nouadhibou.", ["Nouadhibou"]),
        ("It serves the Metropolitan Region of Vitória in Brazil.", ["Vitória", "Brazil"]),
        # but a name's words after "of" or a body's "for" are no places
        ("She studied at the School of Law in Leeds.", ["Leeds"]),
        ("Hoeke of the Joint Institute for Marine and Atmospheric Research came.", []),
    ],
)
def test_names_after_of_and_for(gazetteer: Gazetteer, text: str, expected: list[str]) -> None:
    names, embedded = _names(gazetteer, text)
    assert [n for n in names if n not in embedded] == expected


def test_a_name_written_with_its_possessive_s(gazetteer: Gazetteer) -> None:
    text = "The cutter sailed to St. John’s and then to Halifax."
    tokens = tokenise(text)
    found = recognise(text, tokens, gazetteer, used=set(), abbreviated={})
    john = next(cands for a, _b, cands in found.raw if tokens[a].word == "St")
    assert {c.name for c in john[:2]} == {"Saint John’s", "St. John's"}  # not St John, Jersey
    # a possessive before a name's other words is no part of the town's name
    names, _ = _names(gazetteer, "We saw St Paul's Cathedral in London.")
    assert "London" in names


def test_a_laboratory_of_a_town_does_not_hide_the_town(gazetteer: Gazetteer) -> None:
    text = (
        "Staff of the Honolulu Laboratory (HL) embarked. Departed Honolulu at 1015 en route "
        "to Howland."
    )
    names, embedded = _names(gazetteer, text)
    assert names.count("Honolulu") == 2
    assert embedded == ["Honolulu"]


def test_initials_with_full_stops_are_no_airport_code(gazetteer: Gazetteer) -> None:
    names, _ = _names(gazetteer, "Sir Harry Parkes, H.B.M. Minister, met us at Yokohama.")
    assert names == ["Yokohama"]  # not Macheng, whose code is HBM
    names, _ = _names(gazetteer, "We flew from Washington, D.C. to L.A. and on to N.Y.C.")
    assert "N.Y.C" in names  # New York City's own


def test_a_facility_gets_its_town_from_its_own_name_or_a_big_towns(
    gazetteer: Gazetteer,
) -> None:
    names, _ = _names(gazetteer, "Supplies went to Soto Cano Air Base, Honduras.")
    assert names == ["Honduras"]  # "Soto" is a by-name of DeSoto, Texas
    names, _ = _names(gazetteer, "We landed at Cologne Bonn Airport.")
    assert names == ["Cologne"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("00 Mettupalayam MTP\n8 km\nCoonoor ONR", ["Mettupalayam", "Coonoor"]),  # codes
        ("She flew into Austin TX and then to Boston.", ["Austin", "Boston"]),
    ],
)
def test_a_name_before_its_code_or_abbreviation(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    names, _ = _names(gazetteer, text)
    assert names == expected


def test_names_listed_before_counties_are_the_counties(gazetteer: Gazetteer) -> None:
    text = "Subscribe to news in Cameron, Centre, Elk, and Potter counties at the site."
    tokens = tokenise(text)
    found = recognise(text, tokens, gazetteer, used=set(), abbreviated={})
    named = {text[tokens[a].start : tokens[b].end]: cands for a, b, cands in found.raw}
    assert list(named) == ["Cameron", "Centre", "Elk", "Potter"]
    assert all(cands[0].feature == "ADM2" for cands in named.values())
    assert any(c.admin1 == "PA" for c in named["Elk"])  # Elk County, Pennsylvania


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("From the Franklin County Sheriff’s Office: deputies found signs.", "Franklin County"),
        ("Benton County Sheriff Kenny Christopher said it.", "Benton County"),
        ("Laurel County Judge Executive David Westerfield spoke.", "Laurel County"),
    ],
)
def test_a_county_heading_its_offices_is_embedded(
    gazetteer: Gazetteer, text: str, expected: str
) -> None:
    names, embedded = _names(gazetteer, text)
    assert names == [expected]
    assert embedded == [expected]


def test_a_countrys_abbreviation_before_a_route_number_is_a_highway() -> None:
    from route.pipeline import analyse_text

    text = "Treat Highway, from U.S. 223 to Carlton Road, is closed; the U.S. 2-1 win stands."
    assert [f.surface for f in analyse_text(text, journey=False).found] == ["U.S."]
    text = "In the U.S. 40 people died."  # a count, not a route's number
    assert [f.surface for f in analyse_text(text, journey=False).found] == ["U.S."]


def test_a_county_before_a_title_and_a_firm_of_a_towns_name(gazetteer: Gazetteer) -> None:
    names, _ = _names(gazetteer, "Chippewa County Attorney David Gilbertson met the board.")
    assert names == ["Chippewa County"]
    names, _ = _names(gazetteer, "David Yost, representing Riverview LLP, spoke.")
    assert names == []


def test_a_county_abbreviated_co(gazetteer: Gazetteer) -> None:
    text = "The Comanche (Stephens Co) tornado hit; Ford Motor Co. said nothing."
    tokens = tokenise(text)
    found = recognise(text, tokens, gazetteer, used=set(), abbreviated={})
    named = {text[tokens[a].start : tokens[b].end]: cands for a, b, cands in found.raw}
    assert "Stephens Co" in named
    assert named["Stephens Co"][0].feature == "ADM2"
    assert not any("Ford" in name for name in named)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a list of states before "counties" is no list of divisions
        ("Burn bans were issued in Texas and Oklahoma counties this week.", "ADM1"),
        # a word the sentence capitalised is no part of the first county's name
        ("In Cameron and Elk counties, schools closed early.", "ADM2"),
        # a state's name among counties' names is the county's
        ("Roads closed in Jewell, Republic, Washington, Mitchell and Cloud counties.", "ADM2"),
    ],
)
def test_lists_before_counties(gazetteer: Gazetteer, text: str, expected: str) -> None:
    tokens = tokenise(text)
    found = recognise(text, tokens, gazetteer, used=set(), abbreviated={})
    assert len(found.raw) >= 2
    assert {cands[0].feature for _, _, cands in found.raw} == {expected}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a settlement's noun and "of" name the place, common word or not
        ("The ship reached the English port of Deal on 12 July.", ["Deal"]),
        ("They closed the deal in London.", ["London"]),
        ("She was treated at the City of Hope in Duarte.", ["Duarte"]),
    ],
)
def test_a_common_word_named_by_a_settlements_noun_is_the_place(
    text: str, names: list[str], gazetteer: Gazetteer
) -> None:
    from route.extract import find_mentions

    assert [f.surface for f in find_mentions(text, gazetteer)] == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a dash of an aside makes no town of a name beside it
        (
            "They flew from Washington to Denver — Brown said it was long — and to Boise.",
            ["Washington", "Denver", "Boise"],
        ),
        # a small town's other spelling as a link of a chain of places joined by dashes
        (
            "The new stages were Perpignan–Luchon and Luchon–Bayonne.",
            ["Perpignan", "Luchon", "Luchon", "Bayonne"],
        ),
        # a by-name before a noun is a word
        ("He heard it from Mormon leaders.", []),
    ],
)
def test_a_small_towns_other_name_in_a_chain_of_places_is_the_town(
    text: str, names: list[str], gazetteer: Gazetteer
) -> None:
    from route.extract import find_mentions

    assert [f.surface for f in find_mentions(text, gazetteer)] == names


def test_a_chains_first_link_at_the_texts_start(gazetteer: Gazetteer) -> None:
    from route.extract import find_mentions

    found = [f.surface for f in find_mentions("Luchon–Bayonne was the new stage.", gazetteer)]
    assert found == ["Luchon", "Bayonne"]
