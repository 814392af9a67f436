from __future__ import annotations

import pytest

from route.extract import find_mentions
from route.gazetteer import Gazetteer

from .conftest import SEED_TEXT


@pytest.fixture(scope="module")
def seed(gazetteer: Gazetteer) -> tuple[str, list]:
    text = SEED_TEXT.read_text(encoding="utf-8")
    return text, find_mentions(text, gazetteer)


def test_spans_are_exact(seed: tuple[str, list]) -> None:
    text, found = seed
    assert found
    for f in found:
        assert text[f.start : f.end] == f.surface


def test_seed_places(seed: tuple[str, list]) -> None:
    text, found = seed
    by_surface: dict[str, set[int]] = {}
    for f in found:
        by_surface.setdefault(f.surface, set()).add(f.candidate.geonameid)
    assert by_surface["Pyongyang"] == {1871859}
    assert by_surface["Dandong"] == {2037886}
    assert by_surface["Dong Dang"] == {1582998}
    assert by_surface["Hanoi"] == {1581130}
    assert by_surface["North Korea"] == {1873107}
    assert by_surface["China"] == {1814991}
    assert by_surface["Vietnam"] == {1562822}
    assert by_surface["Moscow"] == {524901}
    assert by_surface["Washington"] == {4140963}
    # Exact spans of the journey's places.
    starts = {f.start: f.surface for f in found}
    assert starts[text.index("Pyongyang on Sunday")] == "Pyongyang"
    assert starts[text.index("Dandong,")] == "Dandong"
    assert starts[text.index("Dong Dang,")] == "Dong Dang"


def test_demonyms_and_abbreviations_are_country_mentions(seed: tuple[str, list]) -> None:
    _, found = seed
    kinds = {(f.surface, f.kind, f.candidate.country) for f in found}
    assert ("North Korean", "demonym", "KP") in kinds
    assert ("South Korean", "demonym", "KR") in kinds
    assert ("Vietnamese", "demonym", "VN") in kinds
    assert ("Chinese", "demonym", "CN") in kinds
    assert ("Russian", "demonym", "RU") in kinds
    assert ("US", "place", "US") in kinds


@pytest.mark.parametrize(
    "word",
    [
        "Kim",
        "Jong",
        "Un",
        "Trump",
        "Lavrov",
        "KCNA",
        "Yonhap",
        "Frankfurter",
        "Getty",
        "Images",
        "Welthungerhilfe",
        "Sunday",
        "Summit",
        "Central",
        "Party",
        "Trade",
        "Air",
        "Korea",
        "Sung",
        "Il",
        "March",
        "June",
    ],
)
def test_people_agencies_and_words_are_not_places(seed: tuple[str, list], word: str) -> None:
    _, found = seed
    assert all(f.surface != word for f in found)
    assert all(
        word not in f.surface.split() for f in found if f.kind == "place" and word != "Korea"
    )


def test_seed_mention_count(seed: tuple[str, list]) -> None:
    _, found = seed
    assert len(found) == 40


def test_pingxiang_in_a_text_about_the_vietnamese_border(gazetteer: Gazetteer) -> None:
    text = (
        "The train crossed from Pingxiang into Vietnam at the Friendship Pass, "
        "a few kilometres from the Vietnamese town of Dong Dang, on its way to Hanoi."
    )
    (ping,) = [f for f in find_mentions(text, gazetteer) if f.surface == "Pingxiang"]
    assert ping.candidate.geonameid == 1798655
    assert ping.candidate.lat == pytest.approx(22.1, abs=0.05)
    assert ping.candidate.lon == pytest.approx(106.75, abs=0.05)
    assert ping.candidates >= 2
    assert 0.5 < ping.confidence <= 1.0
    alone = [f for f in find_mentions("Pingxiang is a city.", gazetteer)]
    assert alone[0].candidate.geonameid == 1798654  # without context: the larger one


def test_diacritics_in_the_text(gazetteer: Gazetteer) -> None:
    text = "Đoàn tàu dừng ở Đồng Đăng trước khi tới Hà Nội."
    found = {f.surface: f.candidate.geonameid for f in find_mentions(text, gazetteer)}
    assert found["Đồng Đăng"] == 1582998
    assert found["Hà Nội"] == 1581130


def test_ambiguous_names_follow_the_countries_of_the_text(gazetteer: Gazetteer) -> None:
    texts = {
        "The band played in Paris, Texas, before driving on to Dallas and Houston.": "US",
        "From Paris the TGV runs south to Lyon and Marseille.": "FR",
    }
    for text, country in texts.items():
        paris = next(f for f in find_mentions(text, gazetteer) if f.surface == "Paris")
        assert paris.candidate.country == country, text


def test_multiword_and_connector_names(gazetteer: Gazetteer) -> None:
    text = "We took the sleeper from Ho Chi Minh City to Rio de Janeiro, then Newcastle upon Tyne."
    surfaces = [f.surface for f in find_mentions(text, gazetteer)]
    assert surfaces == ["Ho Chi Minh City", "Rio de Janeiro", "Newcastle upon Tyne"]


def test_text_without_places(gazetteer: Gazetteer) -> None:
    assert find_mentions("Nothing here but the weather, said Mr Smith on Monday.", gazetteer) == []
    assert find_mentions("", gazetteer) == []


def test_names_joined_by_a_hyphen(gazetteer: Gazetteer) -> None:
    text = (
        "The Beijing-Shanghai railway opened. He visited Winston-Salem. Jean-Pierre Raffarin "
        "spoke on the Asia-Pacific region and the India-Pakistan border."
    )
    found = [(f.surface, f.start) for f in find_mentions(text, gazetteer)]
    assert found == [
        ("Beijing", 4),
        ("Shanghai", 12),
        ("Winston-Salem", 48),
        ("India", 125),
        ("Pakistan", 131),
    ]


def test_the_head_of_a_name_before_of_is_no_place_by_its_by_name(gazetteer: Gazetteer) -> None:
    # "Tour" is a by-name of Tours; heading "Tour de France" it is the name's noun.
    text = "The 1910 Tour de France started in Paris."
    assert [f.surface for f in find_mentions(text, gazetteer)] == ["France", "Paris"]


def test_a_middle_initial_keeps_a_name_whole(gazetteer: Gazetteer) -> None:
    text = "Five months later, President Lyndon B. Johnson signed the act in Washington."
    assert [f.surface for f in find_mentions(text, gazetteer)] == ["Washington"]


def test_a_work_named_after_a_town_leaves_the_town_a_place(gazetteer: Gazetteer) -> None:
    text = "Dombås is 343 km from Oslo. The lines run into the Dombås Tunnel."
    found = [(f.surface, f.kind) for f in find_mentions(text, gazetteer)]
    assert found == [("Dombås", "place"), ("Oslo", "place")]


def test_a_common_word_qualified_by_its_region_is_the_town(gazetteer: Gazetteer) -> None:
    text = "They left from Independence, Missouri, after the Declaration of Independence."
    found = [(f.surface, f.start) for f in find_mentions(text, gazetteer)]
    assert found == [("Independence", 15), ("Missouri", 29)]


def test_a_capital_letter_ending_a_sentence_is_no_initial(gazetteer: Gazetteer) -> None:
    text = "The convoy used Route A. Dover was the first stop. He flew to Berlin.Then Warsaw."
    found = [f.surface for f in find_mentions(text, gazetteer)]
    assert found == ["Dover", "Berlin", "Warsaw"]


def _resolved(gazetteer: Gazetteer, text: str) -> list[tuple[str, str, str, str]]:
    return [
        (f.surface, f.kind, f.candidate.country, f.candidate.feature)
        for f in find_mentions(text, gazetteer)
    ]


def test_regions_in_text(gazetteer: Gazetteer) -> None:
    found = _resolved(gazetteer, "Floods hit Queensland and Guangxi; Bavaria and Texas were dry.")
    assert found == [
        ("Queensland", "place", "AU", "ADM1"),
        ("Guangxi", "place", "CN", "ADM1"),
        ("Bavaria", "place", "DE", "ADM1"),
        ("Texas", "place", "US", "ADM1"),
    ]


def test_town_comma_region_qualifies_both(gazetteer: Gazetteer) -> None:
    text = "The lab in Atlanta, Georgia, and a plant in Blakely, Georgia, were closed."
    found = find_mentions(text, gazetteer)
    assert [(f.surface, f.candidate.country, f.candidate.feature) for f in found] == [
        ("Atlanta", "US", "PPL"),
        ("Georgia", "US", "ADM1"),
        ("Blakely", "US", "PPL"),
        ("Georgia", "US", "ADM1"),
    ]
    assert found[2].candidate.admin1 == "GA"  # Blakely in Georgia, not another Blakely


def test_a_qualifier_running_into_the_next_name_is_cut(gazetteer: Gazetteer) -> None:
    # a table's columns run together when copied as text
    text = "4 Mar del Plata, Argentina Portsmouth, England Flyer II Ceramco NZ"
    found = find_mentions(text, gazetteer)
    assert [(f.start, f.end, f.surface, f.candidate.country) for f in found][:3] == [
        (2, 15, "Mar del Plata", "AR"),
        (17, 26, "Argentina", "AR"),
        (27, 37, "Portsmouth", "GB"),
    ]
    # a region and then a title is no such run: "Texas" is still found, the title is not
    text = "He spoke in Austin, Texas Governor Greg Abbott said."
    assert [f.surface for f in find_mentions(text, gazetteer)] == ["Austin", "Texas"]
    # nor a name that runs on into other words
    text = "He flew to Washington, Indiana Jones star Harrison Ford said."
    assert [f.surface for f in find_mentions(text, gazetteer)] == ["Washington"]


def test_a_month_abbreviated_after_a_name_is_not_part_of_it(gazetteer: Gazetteer) -> None:
    text = "They drove from Montreal on Dec. 4 and left Alameda Jan. 20; Del Mar. 20 came."
    assert [(f.start, f.end, f.surface) for f in find_mentions(text, gazetteer)] == [
        (16, 24, "Montreal"),
        (44, 51, "Alameda"),
        (61, 68, "Del Mar"),
    ]


def test_georgia_alone_is_the_country_and_with_us_states_the_state(gazetteer: Gazetteer) -> None:
    alone = _resolved(gazetteer, "Russian troops entered Georgia near Tbilisi.")
    assert ("Georgia", "place", "GE", "PCLI") in alone
    states = _resolved(gazetteer, "Cases rose in Texas, Georgia and Ohio.")
    assert states[1] == ("Georgia", "place", "US", "ADM1")


def test_region_abbreviations(gazetteer: Gazetteer) -> None:
    text = "HAZARD, Ky. - Flooding in B.C. and NSW. Miss. Smith flew to Jackson, Miss."
    found = find_mentions(text, gazetteer)
    got = [(f.surface, f.candidate.name) for f in found]
    assert got == [
        ("HAZARD", "Hazard"),
        ("Ky.", "Kentucky"),
        ("B.C.", "British Columbia"),
        ("NSW", "New South Wales"),
        ("Jackson", "Jackson"),
        ("Miss.", "Mississippi"),
    ]
    assert found[0].candidate.admin1 == "KY"
    assert found[4].candidate.admin1 == "MS"
    for f in found:
        assert text[f.start : f.end] == f.surface


def test_qualified_regions_and_their_towns(gazetteer: Gazetteer) -> None:
    assert _resolved(gazetteer, "She flew from London to New York.")[1] == (
        "New York", "place", "US", "PPL"
    )  # fmt: skip
    assert _resolved(gazetteer, "He farms in upstate areas of New York state.") == [
        ("New York", "place", "US", "ADM1")
    ]
    assert _resolved(gazetteer, "Police in the state of Washington said so.") == [
        ("Washington", "place", "US", "ADM1")
    ]


CHINA = ("place", "CN", "PCLI")
RUSSIA = ("demonym", "RU", "PCLI")
STATE = ("place", "US", "ADM1")
EMBEDDED = ("embedded", "US", "ADM1")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Texas Senator Ted Cruz spoke.", [("Texas", "place", "US", "ADM1")]),
        ("A Seattle-based firm.", [("Seattle", "place", "US", "PPL")]),
        ("British Airways to British Columbia.", [("British Columbia", "place", "CA", "ADM1")]),
        ("Russian Foreign Minister Sergei Lavrov", [("Russian", "demonym", "RU", "PCLI")]),
        ("The Washington Post and Norwich City fans.", []),
        (
            "The Bank of England and the Voice of America.",
            [("England", "embedded", "GB", "ADM1"), ("America", "embedded", "US", "PCLI")],
        ),
        ("Can you imagine? We can.", []),
        ("It cost US$5 million.", []),
        ("Officials at the White House and the Red Cross.", []),
        ("The People's Republic of China", [("People's Republic of China", *CHINA)]),
        ("Kim's train left Pyongyang.", [("Pyongyang", "place", "KP", "PPLC")]),
        ("DRC and Britain.", [("DRC", "place", "CD", "PCLI"), ("Britain", "place", "GB", "PCLI")]),
        (
            "Buffalo Public Schools. In Buffalo.",
            [("Buffalo", "embedded", "US", "PPL"), ("Buffalo", "place", "US", "PPL")],
        ),
        ("Turkish-Russian ties.", [("Turkish", "demonym", "TR", "PCLI"), ("Russian", *RUSSIA)]),
        ("The Turkish Embassy.", [("Turkish", "demonym", "TR", "PCLI")]),
        ("One Edmonton resident, one vote.", [("Edmonton", "place", "CA", "PPL")]),
        ("Richard Spencer spoke.", []),
        ("Dunn asked the board. Later, said Dunn, the plant closed.", []),
        ("President Bush met Mr Phillips.", []),
        ("Officials in Tyler said so.", [("Tyler", "place", "US", "PPL")]),
        ("Talks resume Nov. 3 in Geneva.", [("Geneva", "place", "CH", "PPL")]),
        ("The California Department of Public Health said.", [("California", *EMBEDDED)]),
        ("Kentucky State Police said.", [("Kentucky", *EMBEDDED)]),
        ("At Michigan State University.", [("Michigan", *EMBEDDED)]),
        ("The Denver City Council met.", [("Denver", "embedded", "US", "PPL")]),
        ("Dallas County officials.", [("Dallas County", "place", "US", "ADM2")]),
        ("Sen. Jane Roe (R-Tulsa) spoke.", [("Tulsa", "embedded", "US", "PPL")]),
        ("Rep. John Doe, D-Calif., spoke.", [("Calif.", *EMBEDDED)]),
        ("Texas Health Minister Jo Roe.", [("Texas", *STATE)]),
        ("The Marburg virus spread; an imported Marburg case.", []),
        ("Neighbouring Israel closed its border.", [("Israel", "place", "IL", "PCLI")]),
    ],
)  # fmt: skip
def test_names_that_contain_places(
    gazetteer: Gazetteer, text: str, expected: list[tuple[str, str, str, str]]
) -> None:
    assert _resolved(gazetteer, text) == expected


def test_people_named_like_places(gazetteer: Gazetteer) -> None:
    text = (
        "Georgia Smith, 12, skated in Edmonton. Georgia herself was thrilled, said "
        "Georgia's father. Ms Jackson flew home to Jackson, Miss."
    )
    assert [(f.surface, f.candidate.country) for f in find_mentions(text, gazetteer)] == [
        ("Edmonton", "CA"),
        ("Jackson", "US"),  # a town before ", Miss." even when Jackson is also a person
        ("Miss.", "US"),
    ]
    # Metonymy is not a person: "Georgia's president" is the country.
    found = find_mentions("Russia invaded Georgia. Georgia's president spoke.", gazetteer)
    assert [f.candidate.country for f in found] == ["RU", "GE", "GE"]


def test_a_large_town_far_from_the_story_stays(gazetteer: Gazetteer) -> None:
    text = "Fighting in Khartoum and Nyala eased; aid reached Malakal."
    found = find_mentions(text, gazetteer)
    assert [(f.surface, f.candidate.country) for f in found] == [
        ("Khartoum", "SD"),
        ("Nyala", "SD"),
        ("Malakal", "SS"),  # 160,000 people: kept, though foreign and far
    ]


def test_a_large_town_told_by_its_short_name_far_from_the_story_stays(
    gazetteer: Gazetteer,
) -> None:
    text = "He flew from Delhi to Frankfurt."
    found = find_mentions(text, gazetteer)
    assert [(f.surface, f.candidate.geonameid) for f in found] == [
        ("Delhi", 1273294),
        ("Frankfurt", 2925533),  # Frankfurt am Main, 650,000 people, by its short name
    ]


def test_washington_in_a_text_about_us_states_is_still_the_capital(gazetteer: Gazetteer) -> None:
    text = (
        "The governor flew from Austin to Washington on Monday. "
        "Cases rose in Texas and in Louisiana."
    )
    found = {f.surface: f.candidate for f in find_mentions(text, gazetteer)}
    assert found["Washington"].geonameid == 4140963  # the capital, not the state
    assert found["Texas"].feature == found["Louisiana"].feature == "ADM1"


def _kinds_and_places(gazetteer: Gazetteer, text: str) -> list[tuple[str, str, str, str]]:
    return [
        (f.surface, f.kind, f.candidate.feature, f.candidate.admin1)
        for f in find_mentions(text, gazetteer)
    ]


def test_a_name_inside_an_organisation_is_still_a_place_elsewhere(gazetteer: Gazetteer) -> None:
    text = "The Springfield Rotary Club met on Friday. Later a fire broke out in Springfield."
    found = [(f.surface, f.kind) for f in find_mentions(text, gazetteer)]
    assert found == [("Springfield", "embedded"), ("Springfield", "place")]


def test_a_large_city_by_its_english_name_far_from_the_story_stays(gazetteer: Gazetteer) -> None:
    text = "The crew landed safely in Seville on Saturday after a 41-hour flight from Nagoya."
    found = find_mentions(text, gazetteer)
    assert [(f.surface, f.start, f.candidate.country) for f in found] == [
        ("Seville", 26, "ES"),
        ("Nagoya", 74, "JP"),
    ]


def test_a_town_of_another_country_than_the_other_towns_is_no_foreigner(
    gazetteer: Gazetteer,
) -> None:
    # Only a country the text names counts against a town elsewhere: a journey goes
    # from country to country, so "Berlin" is no evidence against Venice.
    text = "The president flew from Berlin to Venice on Monday."
    found = find_mentions(text, gazetteer)
    assert [(f.surface, f.start, f.candidate.country) for f in found] == [
        ("Berlin", 24, "DE"),
        ("Venice", 34, "IT"),
    ]


def test_an_infobox_row_without_its_colon_names_its_place(gazetteer: Gazetteer) -> None:
    text = "The Ghan\nRoute\nStart Adelaide\nEnd Darwin\nDistance travelled 2,979 km\n"
    found = find_mentions(text, gazetteer)
    assert [(f.surface, f.start, f.candidate.country) for f in found] == [
        ("Adelaide", 21, "AU"),
        ("Darwin", 34, "AU"),
    ]


def test_a_name_used_for_a_person_is_still_a_place_after_in(gazetteer: Gazetteer) -> None:
    text = "Tyler Brown scored twice. Tyler said so. The family lives in Tyler now."
    found = [(f.surface, f.kind) for f in find_mentions(text, gazetteer)]
    assert found == [("Tyler", "place")]
    assert text[find_mentions(text, gazetteer)[0].start :].startswith("Tyler now")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fires spread in Orange County.", [("Orange County", "place", "ADM2", "CA")]),
        (
            "Fires spread in Orange County, Fla.",
            [("Orange County", "place", "ADM2", "FL"), ("Fla.", "place", "ADM1", "FL")],
        ),
        (
            "Voters in Cook County, Illinois, went to the polls.",
            [("Cook County", "place", "ADM2", "IL"), ("Illinois", "place", "ADM1", "IL")],
        ),
        (
            "Orange County and Tallahassee, Florida.",
            [
                ("Orange County", "place", "ADM2", "FL"),
                ("Tallahassee", "place", "PPL", "FL"),
                ("Florida", "place", "ADM1", "FL"),
            ],
        ),
        ("Floods hit Kent and Essex, England.", [("Kent", "place", "ADM2", "ENG"),
                                                ("Essex", "place", "ADM2", "ENG"),
                                                ("England", "place", "ADM1", "ENG")]),
        ("She moved to Paris.", [("Paris", "place", "PPLC", "11")]),
    ],
)  # fmt: skip
def test_counties_and_districts(
    gazetteer: Gazetteer, text: str, expected: list[tuple[str, str, str, str]]
) -> None:
    assert _kinds_and_places(gazetteer, text) == expected


def test_every_kind_is_one_of_the_three(gazetteer: Gazetteer) -> None:
    from route.extract import KINDS

    text = "Turkish fans at Kansas State University cheered in Denver (D-Colo.)."
    kinds = {f.kind for f in find_mentions(text, gazetteer)}
    assert kinds == set(KINDS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a facility named after a town of some size gives the town, qualified after it
        (
            "The jet touched down at Altus Air Force Base, Okla., for fuel.",
            [("Altus", "place", "US", "OK"), ("Okla.", "place", "US", "OK")],
        ),
        (
            "The plane landed at Cologne Bonn Airport at noon.",
            [("Cologne", "place", "DE", "07")],
        ),
    ],
)
def test_a_station_or_airport_name_gives_its_town(
    gazetteer: Gazetteer, text: str, expected: list[tuple[str, str, str, str]]
) -> None:
    found = find_mentions(text, gazetteer)
    got = [(f.surface, f.kind, f.candidate.country, f.candidate.admin1) for f in found]
    assert got == expected


def test_an_installation_named_before_its_town_gives_the_town(gazetteer: Gazetteer) -> None:
    text = "The soldiers marched from U.S. Army Garrison Fort Belvoir to Alexandria."
    got = [(f.surface, f.kind, f.candidate.country) for f in find_mentions(text, gazetteer)]
    assert got == [
        ("U.S.", "place", "US"),
        ("Fort Belvoir", "place", "US"),
        ("Alexandria", "place", "US"),
    ]


def test_a_code_is_a_name_only_in_capitals(gazetteer: Gazetteer) -> None:
    # "SEA" is one of Seattle's codes: "the Sea of Galilee" does not name Seattle
    assert gazetteer.lookup("SEA")[0].matched == "code"
    text = "They sailed on the Sea of Galilee near Tiberias."
    assert "Sea" not in [f.surface for f in find_mentions(text, gazetteer)]
    text = "Flights from SEA to Denver were cancelled."
    found = {f.surface: f.candidate.name for f in find_mentions(text, gazetteer)}
    assert found.get("SEA", "Seattle") == "Seattle"


def test_a_small_places_by_name_is_a_word_unless_put_as_a_place(gazetteer: Gazetteer) -> None:
    # GeoNames lists "Mormon" and "Headquarters" as by-names of a town of 1,903 people
    text = "The train reached Salt Lake City, the Mormon capital, at noon."
    assert [f.surface for f in find_mentions(text, gazetteer)] == ["Salt Lake City"]
    text = "Sgt. Doe of Headquarters and Headquarters Company spoke."
    assert find_mentions(text, gazetteer) == []


def test_a_bare_name_short_for_a_facility_is_not_its_small_namesake(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "The orbiter left California and flew on to Kennedy Space Center. "
        "It reached Kennedy at noon."
    )
    found = find_mentions(text, gazetteer)
    assert [(f.surface, f.kind) for f in found][1:] == [("Kennedy", "embedded")] * 2
    # a large town keeps its name beside an organisation named after it
    text = "Doctors at Seattle Children's Hospital spoke. She flew to Seattle."
    assert [f.kind for f in find_mentions(text, gazetteer)] == ["embedded", "place"]


def test_a_regions_own_name_is_not_a_town_elsewhere(gazetteer: Gazetteer) -> None:
    text = "The train passes Ontario's Lake Country on the way west."
    found = find_mentions(text, gazetteer)
    assert [(f.surface, f.kind) for f in found] == [
        ("Ontario", "place"),
        ("Lake Country", "embedded"),
    ]
    text = "We toured Ontario's Toronto."
    assert [f.kind for f in find_mentions(text, gazetteer)] == ["place", "place"]


def test_a_word_of_another_name_is_a_town_where_the_text_travels_to_it(
    gazetteer: Gazetteer,
) -> None:
    text = "The Ferrocarril Huancayo company was sold. Later the line went on to Huancayo."
    found = [(f.surface, f.kind) for f in find_mentions(text, gazetteer)]
    assert found == [("Huancayo", "place")]
    assert find_mentions(text, gazetteer)[0].start == text.rindex("Huancayo")


def test_an_adjective_that_is_also_a_town_heads_no_place(gazetteer: Gazetteer) -> None:
    found = find_mentions("The ship departed Naval Station Rota, Spain, for Lomé.", gazetteer)
    assert [f.surface for f in found if f.kind == "place"] == ["Rota", "Spain", "Lomé"]


def test_an_ocean_alone_is_no_town(gazetteer: Gazetteer) -> None:
    found = find_mentions("The Endeavour left Plymouth and crossed the Atlantic.", gazetteer)
    assert [f.surface for f in found] == ["Plymouth"]
    assert found[0].candidate.country == "GB"


def test_a_title_in_capitals_parts_its_names_at_function_words(gazetteer: Gazetteer) -> None:
    text = "CHAPTER XXIII.\n\nSAN FRANCISCO TO SACRAMENTO.\n\nThe train left at noon."
    found = find_mentions(text, gazetteer)
    assert [(f.surface, f.start) for f in found] == [("SAN FRANCISCO", 16), ("SACRAMENTO", 33)]
    assert found[1].candidate.admin1 == "CA"


def test_a_country_named_as_its_demonym_list_has_it_is_a_place(gazetteer: Gazetteer) -> None:
    found = find_mentions("Gibraltar is British.", gazetteer)
    assert [(f.surface, f.kind) for f in found] == [("Gibraltar", "place"), ("British", "demonym")]


def test_a_features_name_after_of_is_no_place(gazetteer: Gazetteer) -> None:
    text = (
        "The ship left Lisbon, rounded the Cape of Good Hope and sailed into the Gulf of "
        "Mexico. A student from the Gold Coast of Australia joined at the Isle of Man."
    )
    assert [f.surface for f in find_mentions(text, gazetteer)] == [
        "Lisbon",
        "Gold Coast",
        "Australia",
        "Isle of Man",
    ]


def test_a_figure_with_thousands_after_a_name_is_no_age(gazetteer: Gazetteer) -> None:
    # "Jane Doe, 34, said": an age says a person; "Sydney, 17,000 km," is a place
    text = "The flight from London to Sydney, 17,000 km, left on time."
    assert [f.surface for f in find_mentions(text, gazetteer)] == ["London", "Sydney"]
    text = "The man, Jim Sydney, 34, said he would fly on."
    assert [f.surface for f in find_mentions(text, gazetteer)] == []


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("We flew into Chicago O'Hare and on to Denver.", ["Chicago", "Denver"]),
        ("The Eurostar left London St Pancras at nine.", ["London"]),
        ("Paris Hilton arrived at the party.", []),
        ("Shares on the London Stock Exchange fell.", []),
    ],
)
def test_a_big_towns_station_by_its_own_name_gives_the_town(
    gazetteer: Gazetteer, text: str, places: list[str]
) -> None:
    assert [f.surface for f in find_mentions(text, gazetteer) if f.kind == "place"] == places


def test_a_name_after_an_elided_particle_is_whole(gazetteer: Gazetteer) -> None:
    """The elided "de" of "d'Alene" (before a capital) joins its name; it was a lower-case
    word that ended the run at "Coeur"."""
    text = "He drove to Coeur d'Alene, Idaho."
    found = [(f.surface, f.candidate.country) for f in find_mentions(text, gazetteer)]
    assert found[0] == ("Coeur d'Alene", "US")
    alps = "From Bolzano in Italy the bus climbs to Cortina d’Ampezzo."
    found = [(f.surface, f.candidate.country) for f in find_mentions(alps, gazetteer)]
    assert ("Cortina d’Ampezzo", "IT") in found


def test_a_one_sense_town_on_a_path_stays_far_from_the_rest(gazetteer: Gazetteer) -> None:
    """A name of one sense after "landing in", a town of 72,000, stays a place though the
    text is about other countries and it lies far from their towns."""
    text = (
        "The hijacked jet flew from Palma de Mallorca to Frankfurt in Germany and landed "
        "in Rome for fuel. The plane continued its journey, landing in Larnaca, Bahrain "
        "and Dubai."
    )
    larnaca = [f for f in find_mentions(text, gazetteer) if f.surface == "Larnaca"]
    assert [(f.candidate.geonameid, f.start) for f in larnaca] == [(146400, text.index("Larnaca"))]


def test_an_acronym_the_text_spells_out_is_no_place(gazetteer: Gazetteer) -> None:
    text = (
        "The Stratospheric Observatory for Infrared Astronomy (SOFIA) has returned from "
        "Christchurch. SOFIA arrived at Palmdale, California, on Thursday."
    )
    assert [f.surface for f in find_mentions(text, gazetteer)] == [
        "Christchurch",
        "Palmdale",
        "California",
    ]
    # unless the words before the brackets do not spell it
    found = find_mentions("Troops from (SOFIA) flew to Sofia and SOFIA.", gazetteer)
    assert [f.candidate.country for f in found] == ["BG", "BG", "BG"]


def test_a_name_after_doctor_or_captain_is_a_person(gazetteer: Gazetteer) -> None:
    text = (
        "Stanley travelled to Zanzibar in 1871. He found Livingstone in Ujiji and said: "
        "Doctor Livingstone, I presume? Captain Nelson had sailed past Sydney."
    )
    assert [f.surface for f in find_mentions(text, gazetteer)] == ["Zanzibar", "Sydney"]


def test_a_village_of_an_unnamed_country_far_from_the_text_is_no_place(
    gazetteer: Gazetteer,
) -> None:
    """A longer name is trusted, but not as a village of 600 people in Saint Kitts when the
    text names India and all its towns are Indian ("Monkey Hill" of the Bhor Ghat)."""
    text = (
        "The Deccan Queen is an Indian passenger train that connects Mumbai with Pune. "
        "It climbs the Bhor Ghat past Karjat and Monkey Hill to Lonavla."
    )
    assert "Monkey Hill" not in [f.surface for f in find_mentions(text, gazetteer)]
    # a village in a country the text names stays
    kitts = "The ferry from Nevis reached St Kitts, and we walked up to Monkey Hill."
    assert [f.candidate.country for f in find_mentions(kitts, gazetteer)][-1] == "KN"


def test_an_acronym_spelled_only_by_lower_case_words_is_none(gazetteer: Gazetteer) -> None:
    from route.cues import defined_acronyms

    assert defined_acronyms("he read over many emails (ROME)") == frozenset()
    assert defined_acronyms("the North Atlantic Treaty Organization (NATO)") == {"NATO"}
    assert defined_acronyms("(SOFIA) Sofia " * 20_000) == frozenset()
