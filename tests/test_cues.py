"""route.cues: what a text says about its words, read once per text."""

from __future__ import annotations

import pytest

from route.cues import Cues, demonyms_and_abbreviations, facility_names, fixed_by_text
from route.gazetteer import Gazetteer
from route.recognise import recognise
from route.tokens import capital_runs, tokenise


def test_demonyms_and_abbreviations_are_country_and_region_mentions(
    gazetteer: Gazetteer,
) -> None:
    text = "U.S. and Turkish-Russian talks in Jackson, Miss. ended."
    tokens = tokenise(text)
    found, used, regions = demonyms_and_abbreviations(text, tokens, gazetteer)
    got = [(f.surface, f.kind, f.candidate.country, f.candidate.feature) for f in found]
    assert got == [
        ("U.S.", "place", "US", "PCLI"),
        ("Miss.", "place", "US", "ADM1"),
        ("Turkish", "demonym", "TR", "PCLI"),
        ("Russian", "demonym", "RU", "PCLI"),
    ]
    assert [tokens[i].word for i in sorted(used)] == ["U.S", "Turkish", "Russian", "Miss"]
    assert [tokens[i].word for i in regions] == ["Miss"]


def test_people_speakers_and_pathogens() -> None:
    text = "Georgia's father met Ms Paris. Dunn said the Marburg virus spread."
    cues = Cues(text, tokenise(text))
    assert cues.people == {"Georgia", "Paris"}
    assert cues.speakers == {"Dunn"}
    assert cues.pathogens == {"marburg"}
    text = "They went to Kim and lived in Tyler."
    located, pathed = Cues(text, tokenise(text)).put_as_places
    assert located == {"Tyler"}
    assert pathed == {"Kim"}


def test_the_text_fixes_a_town_by_its_region_and_a_region_by_its_noun(
    gazetteer: Gazetteer,
) -> None:
    text = "From Paris, Texas to New York state."
    tokens = tokenise(text)
    abbreviated: dict[int, object] = {}  # none here
    raw = recognise(text, tokens, gazetteer, used=set(), abbreviated=abbreviated).raw
    fixed = fixed_by_text(text, tokens, raw, abbreviated)
    got = {text[tokens[raw[k].first].start : tokens[raw[k].last].end]: c for k, c in fixed.items()}
    assert (got["Paris"].country, got["Paris"].admin1) == ("US", "TX")
    assert got["Texas"].feature == "ADM1"
    assert got["New York"].feature == "ADM1"


def test_facility_names_give_their_first_word() -> None:
    text = "Kennedy Space Center and Dublin Airport."
    tokens = tokenise(text)
    assert facility_names(tokens, capital_runs(text, tokens)) == {"kennedy"}


def test_one_word_names_listed_with_titled_people_are_people() -> None:
    from route.cues import names_of_people
    from route.tokens import tokenise

    text = (
        "With him were Colonel McIntire, Major Mitchell, Lt. Elsey, Sgt. Philler, Agents "
        "Holmes, Haman, Campion, Waters, Spicer, Kearney and Gilliam."
    )
    people = names_of_people(text, tokenise(text))
    assert {"Campion", "Spicer", "Kearney", "Mitchell"} <= people
    text = "He flew to Paris, London, Berlin and Rome with Mr. Smith."
    assert names_of_people(text, tokenise(text)) == {"Smith"}  # towns listed stay towns


def test_an_abbreviation_with_its_full_stop_is_no_place(gazetteer: Gazetteer) -> None:
    from route.extract import find_mentions

    text = "Plane No. 1 departed Berlin for England. The U.S. team flew from St. Louis."
    assert [f.surface for f in find_mentions(text, gazetteer)] == [
        "Berlin",
        "England",
        "U.S.",
        "St. Louis",
    ]


def test_a_name_list_stops_at_a_sentence_end_and_before_a_noun() -> None:
    from route.cues import names_of_people
    from route.tokens import tokenise

    text = (
        "The secretary was accompanied by Col. Smith, Capt. Graham and Lt. Elsey. Paris, "
        "Lyon and Nice were visited over the next three days."
    )
    assert names_of_people(text, tokenise(text)) == {"Smith", "Graham", "Elsey"}
    text = "He was met by Agent Smith, Agent Jones and Detroit police officers."
    assert names_of_people(text, tokenise(text)) == {"Smith", "Jones"}


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # a biography's opening: a life's dates after the whole name
        (
            "Arthur Charles Jeston Richardson (23 February 1872 – 3 April 1939) was a cyclist.",
            {"Arthur", "Charles", "Jeston", "Richardson"},
        ),
        ("Victoria Cross (born 1950) spoke.", {"Victoria", "Cross"}),
        ("Richardson was born at Pernambuco.", {"Richardson"}),
        # a place's years are not a life's
        ("The fair in Paris (1900) was large.", set()),
        # two initials or more before a surname
        ("Surgeon J. M. Kennedy joined the corps.", {"Kennedy"}),
        # a place's abbreviation is no initials
        ("He flew to Washington, D. C. Paris was next.", set()),
    ],
)
def test_a_life_after_a_name_makes_its_words_a_persons(text: str, people: set[str]) -> None:
    from route.cues import names_of_people
    from route.tokens import tokenise

    assert names_of_people(text, tokenise(text)) == people
