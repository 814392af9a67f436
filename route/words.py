"""The place extractor's word lists, loaded once: one place for all of them.

Each list is a data file in ``route/lexicon/`` (each file says where it comes from);
the tokeniser (:mod:`route.tokens`), the text's cues (:mod:`route.cues`) and the
recognition of names (:mod:`route.recognise`) read them from here. ``python
bench/geoparse.py --ablate`` empties each in turn and prints what it is worth.
"""

from __future__ import annotations

import re
from functools import cache

from .document import load_list, load_table

#: Country abbreviations → ISO code, matched case-sensitively ("U.S.", "UK").
ABBREVIATIONS = load_table("country_abbreviations.tsv")
#: Abbreviations of first-level regions (AP style for US states, Canadian and
#: Australian usage) → GeoNames code ``country.admin1``. Matched case-sensitively
#: with their full stops.
REGION_ABBREVIATIONS = load_table("region_abbreviations.tsv")
#: Those that are also ordinary words or titles: regions only after "Town, ".
QUALIFIER_ONLY = load_list("region_abbreviations_after_town.txt")
#: Lower-case words allowed inside a multi-word place name.
CONNECTORS = load_list("name_connectors.txt")
#: Words that make "<Town> …" a station, port or airport of that town.
STATION_WORDS = load_list("station_words.txt")
#: Heads of the names of built works and ways named after a place ("Dombås Tunnel").
STRUCTURE_WORDS = load_list("structure_words.txt")
#: Nouns that end the names of facilities and sites ("Space Center", "Air Force Base").
PLACE_NOUNS = load_list("place_nouns.txt")
#: Capitalised words that start a sentence or a run without being part of a name.
LEADING = load_list("function_words.txt")
#: Days and months: never the end of a place name.
TIME_WORDS = load_list("time_words.txt")
#: Never a place on their own, whatever the gazetteer says.
COMMON_WORDS = load_list("common_words.txt")
#: Titles that a place name can qualify ("Texas Governor", "Canadian Prime Minister").
TITLES = load_list("titles.txt")
#: Words between a demonym and a title ("Russian Foreign Minister").
MODIFIERS = load_list("title_modifiers.txt")
COMPASS = load_list("compass_words.txt")
#: First words of the names of a place's public bodies ("California Department of Health").
PUBLIC_BODIES = load_list("public_bodies.txt")
#: ... and of a state's after "State" ("Kentucky State Police"; not "Michigan State University").
STATE_BODIES = load_list("state_bodies.txt")
#: Ordinary words that are also towns: places mid-sentence ("in Buffalo"), not at its start.
ORDINARY_WORDS = load_list("ordinary_town_words.txt")
#: First words of the keys of an infobox's rows ("Start", "End", "Stations"): a row copied
#: without its colon ("Start Adelaide") starts with an ordinary word, not a name.
FIELD_WORDS = frozenset(key.split()[0] for key in load_table("field_keys.tsv"))
#: Heads of organisation names "X of <place>" ("Bank of England", "Voice of America").
ORGANISATIONS = load_list("organisation_heads.txt")
#: Abbreviations whose full stop does not end a sentence ("St. Louis", "Mr. Kim").
ABBREVIATED = load_list("abbreviated_words.txt")
#: Lower-case endings that turn a place into an adjective ("Seattle-based").
NAME_SUFFIXES = load_list("name_suffixes.txt")
#: Verbs of saying: "Dunn said", "said Dunn" (a person).
SPEECH_VERBS = load_list("speech_verbs.txt")
#: Titles before a person's name ("Ms Georgia").
PERSON_TITLES = load_list("person_titles.txt")
#: Nouns after a person's possessive ("Georgia's father").
KIN_NOUNS = load_list("kinship_nouns.txt")
#: Nouns after a pathogen's or disease's name ("Marburg virus").
DISEASE_NOUNS = load_list("disease_nouns.txt")
#: Prepositions after which a name is a place, whatever else the text uses it for.
LOCATIVES = load_list("locative_prepositions.txt")
#: Nouns that make a name a first-level region ("New York state", "province of Ontario").
REGION_NOUNS = load_list("region_nouns.txt")
#: "gulf", "cape", "horn": the name after their "of" is the feature's ("Gulf of Mexico").
FEATURE_HEADS = load_list("feature_heads.txt")
POSSESSIVE_HEADS = load_list("possessive_heads.txt")


def common(key: str) -> bool:
    """A folded word that is never a place on its own (a common word, a day, a month)."""
    return key in COMMON_WORDS or key in TIME_WORDS


def names_a_date(word: str, *, abbreviated: bool = False) -> bool:
    """Whether a folded word is a day's or month's name ("monday", "january"), or with
    ``abbreviated`` the first three letters or more of one ("jan", "tues")."""
    if not abbreviated:
        return word in TIME_WORDS
    return len(word) >= 3 and any(name.startswith(word) for name in TIME_WORDS)


#: Irregular past forms of the motion verbs.
_IRREGULAR = {"leave": ("left",)}


@cache
def path_words() -> frozenset[str]:
    """The words right before a place that put it on a journey's path: prepositions of
    place and path and the forms of the verbs of leaving and reaching ("from", "left",
    "reached Nome")."""
    return PLACE_PREPOSITIONS | verb_forms(("depart", "arrive"))


@cache
def verb_forms(classes: tuple[str, ...]) -> frozenset[str]:
    """The forms of the motion verbs (``motion_verbs.tsv``) of these classes ("stopped",
    "stops", "left", "reaching")."""
    forms: set[str] = set()
    for lemma, cls in load_table("motion_verbs.tsv").items():
        if cls not in classes:
            continue
        stem = lemma.removesuffix("e")
        doubled = stem + stem[-1] if re.search(r"[^aeiou][aeiou][bdgmnpt]\Z", stem) else stem
        forms.update({lemma, lemma + "s", stem + "ed", doubled + "ed", stem + "ing",
                      doubled + "ing", *_IRREGULAR.get(lemma, ())})  # fmt: skip
    return frozenset(forms)


#: Words before a name that put it at a place or on a journey's path: "at Clunes", "from
#: Fremantle" (the locative and path prepositions of English; Quirk et al. 1985, sec. 9.15-9.33).
PLACE_PREPOSITIONS = frozenset({"at", "in", "from", "to", "near", "into", "through", "via"})

#: Every class of motion verb (``motion_verbs.tsv``).
MOTION_CLASSES = tuple(sorted(set(load_table("motion_verbs.tsv").values())))


@cache
def title_words() -> frozenset[str]:
    """The words a title capitalises that name nothing, in lower case: function words,
    prepositions, motion verbs in each form, journey nouns and mode words ("to",
    "travel", "arrives", "journey", "train", "via")."""
    return (
        _small_title_words()
        | verb_forms(MOTION_CLASSES)
        | load_list("journey_nouns.txt")
        | frozenset(load_table("modes.tsv"))
    )


def opens_a_log(word: str) -> bool:
    """Whether a lower-case word opens a log's or a schedule's line as a verb of motion:
    the past of one ("reached", "left"), or a verb of leaving or reaching as such
    ("depart", "arrive", "leaves": "April 28: Arrive Little Creek"). No name's first word:
    "Tours", "Lead" and "March" are towns, but neither past forms nor verbs of leaving
    or reaching."""
    if (word.endswith("ed") or word == "left") and word in verb_forms(MOTION_CLASSES):
        return True
    return not word.endswith("ing") and word in verb_forms(("arrive", "depart"))


@cache
def _small_title_words() -> frozenset[str]:
    return (
        LEADING
        | frozenset(load_table("path_prepositions.tsv"))
        | load_list("title_prepositions.txt")
    )


def no_name_word_in_titles(word: str) -> bool:
    """Whether a lower-case word, capitalised in a headline or set in capitals, is no
    name's word there: a function word or preposition ("In", "Aboard"), or a verb of
    motion as a log writes one (:func:`opens_a_log`: "Arrives", "REACHED"). Journey and
    mode nouns may be a name's ("Harpers Ferry", "Orient Express"): not these."""
    return word in _small_title_words() or opens_a_log(word)
