from __future__ import annotations

import pytest

from route.extract import find_mentions, fold, sentence_spans
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


def test_sentence_spans() -> None:
    text = "First one. Second one!\n\nThird, after a blank line"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "First one.",
        "Second one!",
        "Third, after a blank line",
    ]


def test_fold_is_shared_with_the_gazetteer() -> None:
    from route import gazetteer

    assert gazetteer.fold is fold
