"""The typed values the journey reader passes between its steps, and its word lists.

A :class:`StopEvent` is one time a text ties a place to the journey; a
:class:`StopCue` is a stop of the journey as read, in travel order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal

from .document import load_list, load_sets, load_table
from .spans import AREA_LEVEL, Found

__all__ = [
    "WEAK_CUE",
    "WORD_SET_FILES",
    "Mode",
    "Role",
    "Source",
    "StopCue",
    "StopEvent",
    "WordSet",
    "flashback",
    "is_town",
    "lexicon",
    "listed_after",
    "mode_named",
    "modes_named",
    "place_key",
    "place_nouns",
    "preps",
    "qualifies",
    "role_in_line",
    "word_set",
]

#: The cue of a stop read weakly: a town a travel sentence names, no verb frame tying it.
WEAK_CUE = "named in a sentence about the journey"

Role = Literal["origin", "via", "destination"]
Mode = Literal["train", "car", "plane", "ship", "foot", "bicycle", "unknown"]
Source = Literal["frame", "chain", "field", "sentence"]
#: The reader's word sets, by name: the second column of :data:`WORD_SET_FILES`.
WordSet = Literal[
    "stop_noun",
    "start_noun",
    "end_noun",
    "naming_end",
    "unmet",
    "way_end",
    "span",
    "done_there",
    "way_noun",
    "way_part",
    "whole_journey",
    "named_way",
    "other_verb_sense",
    "other_noun_sense",
    "recurring_before",
    "side_way",
    "people",
    "remote",
    "not_traveller",
    "unit_noun",
    "other_person",
    "for_goal",
    "path_only",
    "attempt",
    "extent",
    "contain",
    "link",
    "carry",
    "borne",
    "stay_before",
    "attend",
    "host",
    "telling",
    "area_noun",
    "vehicle",
    "unfulfilled",
    "home",
    "sequence",
    "back",
    "direction",
    "aside",
    "weak_path",
    "locator",
    "definite",
    "personal",
    "compare",
    "before_verb",
    "next_to",
    "people_possessive",
    "start_column",
    "finish_column",
    "divert",
    "motion_noun",
    "utterance",
    "event_lead",
]
#: The lexicon's files of word sets (word, set), whose sets are :data:`WordSet`.
WORD_SET_FILES = (
    "reader_nouns.tsv",
    "reader_verbs.tsv",
    "reader_cue_words.tsv",
    "table_columns.tsv",
)


@dataclass(frozen=True, slots=True)
class StopEvent:
    """One time the text ties a place to the journey."""

    mention: Found
    role: Role
    cue: str  # the words that made it a stop ("pulled out of")
    source: Source
    sentence: int
    mode: Mode  # the mode its clause names, or "unknown"
    mode_cue: str
    sequenced: bool  # the clause says it comes after what went before ("then", "from there")
    back: bool = False  # "back to X", "returned to X"
    earlier: bool = False  # "before that": it comes before the stop told just ahead of it
    passing: bool = False  # passed on the way ("through X", "calling at X"), not a visit
    on_the_way: bool = False  # a participle after a goal: "continued to X, calling at Y"
    paired: bool = False  # a goal named with the start in one frame: "from A to B"
    heading: bool = False  # a goal headed for, not yet reached: "toward X", "bound for X"
    prior: bool = False  # "arrived in B after visiting A": A comes before its sentence's stops
    later: bool = False  # "before arriving in B, passed A": B comes after its sentence's stops
    arrival: bool = False  # reaching it: "arrived in X", "reached X"
    ending: bool = False  # the journey ends there: "ended in X", "finished in X"
    stage: int | None = None  # the stage or day it belongs to: "Stage 4 ... to Rome"
    listed: bool = False  # a line of an itinerary list: each line is a visit
    quoted: bool = False  # inside quotation marks: someone's words, not the narration
    perfect: bool = False  # told in the past perfect: "it had crossed at Khasan"
    final: bool = False  # named the last stop: "Jakarta, the last stop of the tour"
    scene: bool = False  # where the doer acts: "In Hanoi, the President will speak"
    initial: bool = False  # the first leg goes there: "the crew initially flew to X"


@dataclass(frozen=True, slots=True)
class StopCue:
    """A stop of the journey: the mention, its role, and the words that made it one."""

    mention: Found
    role: Role
    cue: str
    mode: Mode
    mode_cue: str = ""
    sentence: int = -1
    source: Source = "frame"
    sentence_text: str = ""


# -- lexicon ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def lexicon() -> tuple[dict[str, str], frozenset[str], dict[str, str], dict[str, str]]:
    return (
        load_table("motion_verbs.tsv"),
        load_list("journey_nouns.txt"),
        load_table("path_prepositions.tsv"),
        load_table("modes.tsv"),
    )


@cache
def word_set(name: WordSet) -> frozenset[str]:
    """The words of one of the reader's sets (``route/lexicon/``), read on first use."""
    for file in WORD_SET_FILES:
        sets = load_sets(file)
        if name in sets:
            return sets[name]
    raise KeyError(name)


def mode_named(word: str, before: str = "") -> Mode | None:
    """The mode a lower-case word names, read with the word before it first ("port call"
    is a ship's, "call" alone names none)."""
    modes = lexicon()[3]
    return modes.get(f"{before} {word}") or modes.get(word)  # type: ignore[return-value]


def modes_named(text: str) -> Iterator[Mode]:
    """The modes the words of ``text`` name, in order, each word read with the one before
    it (:func:`mode_named`)."""
    words = re.findall(r"[a-z]+", text.lower())
    for before, word in zip(["", *words], words, strict=False):
        mode = mode_named(word, before)
        if mode is not None:
            yield mode


@lru_cache(maxsize=1)
def flashback() -> re.Pattern[str]:
    phrases = sorted(load_list("flashback.txt"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)


def preps() -> dict[str, str]:
    return lexicon()[2]


@lru_cache(maxsize=1)
def place_nouns() -> frozenset[str]:
    return load_list("place_nouns.txt")


def role_in_line(k: int, count: int) -> Role:
    """The role of the ``k``-th of ``count`` places told as one line of travel: the first
    is the start, the last the goal, the others on the way."""
    return "origin" if k == 0 else "destination" if k == count - 1 else "via"


def is_town(found: Found) -> bool:
    """A literal place below the level of regions: a town, a station, a port."""
    feature = str(found.candidate.feature)
    return found.kind == "place" and feature not in AREA_LEVEL and not feature.startswith("ADM")


# -- verb frames --------------------------------------------------------------------------


#: What may stand between two places of one list: commas, "and", "or", "&", "then"
#: ("A, B and C", "through Indiana, then Illinois").
_LIST_GLUE = frozenset({",", ";", "&", "and", "or", "then"})
_OR = frozenset({"and", "or", "then"})
#: The most ordinary words a list item may carry after its place ("Rangoon racecourse").
LIST_ITEM_WORDS = 2


def listed_after(text: str, a: Found, b: Found) -> bool:
    """``b`` is the next item of a list that ``a`` is in: "A, B", "A and B", "A (old name),
    B", "A racecourse, B", "Old (B)" (an old name with the place in brackets)."""
    if qualifies(b, a):
        return False  # "San Francisco, California": where A is, not another item
    if text[a.end : b.start].strip() == "(":
        return True  # "Smyrna (Izmir)": the same item by another name
    from .dates import without_dates  # "Saigon on May 11, Manila on May 13": dated items

    gap = re.sub(r"\([^()]*\)", " , ", without_dates(text[a.end : b.start]))  # asides
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?|[,;&()]", gap)
    if words and words[-1] == "(":
        words.pop()  # "Singora (Songkhla)": B is the old name's modern one
        if words and words[-1][:1].isupper():
            words.pop()
    if words and words[0] == ")":
        words.pop(0)  # the end of the brackets a was in
    trailing = 0
    while trailing < len(words) and words[trailing][:1].islower() and words[trailing] not in _OR:
        trailing += 1  # "Rangoon racecourse,": a word that says which part of the town
    if trailing > LIST_ITEM_WORDS or (trailing and words[trailing : trailing + 1] != [","]):
        return False
    rest = words[trailing:]
    unknown = [k for k, w in enumerate(rest) if w not in _LIST_GLUE]
    if unknown and not _an_unknown_item(rest, unknown):
        return False
    return bool(rest)


def qualifies(area: Found, town: Found) -> bool:
    """``area`` is the country or first-level region ``town`` is in."""
    feature, a, t = str(area.candidate.feature), area.candidate, town.candidate
    if feature.startswith("PCL"):
        return bool(a.country == t.country)
    return feature.startswith("ADM") and (a.country, a.admin1) == (t.country, t.admin1)


def _an_unknown_item(rest: list[str], unknown: list[int]) -> bool:
    """ "A, Batana and B", "A, Applecross, Gairloch, B": items between, each of at most
    three capitalised words the gazetteer does not know, with list glue on both sides of
    each."""
    if unknown[0] == 0 or unknown[-1] == len(rest) - 1:
        return False
    item = 0  # the words of the item being read
    for word in rest:
        if word in _LIST_GLUE:
            item = 0
        elif not _capitalised(word) or item == _UNKNOWN_ITEM_WORDS:
            return False
        else:
            item += 1
    return True


def _capitalised(word: str) -> bool:
    """A name's word: capitalised, or after an elided particle ("o'Groats", "d'Urfé")."""
    return word[:1].isupper() or bool(re.match(r"[a-z]['’][A-Z]", word))


#: The most words of an item the gazetteer does not know, between two of a list's places.
_UNKNOWN_ITEM_WORDS = 3


def place_key(found: Found) -> Any:
    cand = found.candidate
    return cand.geonameid if cand.geonameid is not None else (cand.name, cand.lat, cand.lon)
