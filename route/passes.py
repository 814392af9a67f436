"""The passes that find stops, each returning typed :class:`~route.events.StopEvent` values.

- **verb frames** (:func:`frame_events`): on the dependency parse, a town is a stop
  when it is the source, path or goal of a motion verb or journey noun ("left
  Lyon", "pulled out of Milan's station", "via Dijon", "arrived in Porto", "the
  line from A to B"), directly or through a list of places ("through A, B and C");
- **route chains** (:func:`chain_events`): lines whose towns are joined by dashes
  or arrows ("Day 3: Lyon – Avignon", "Madrid – Zaragoza – Barcelona");
- **fields** (:func:`field_events`): "Start: Pretoria", "Places visited: A, B";
- **travel sentences** (:func:`travel_sentence_events`): a weaker reading, used
  when the others give one stop only.

Places named in a flashback ("last year"), in a negated or conditional clause, in
someone else's relative clause ("fans who came from X"), or in a section about
something else ("History") are not stops.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from .dates import A_YEAR, LETTER_DATE, LINE_DATE, dates_in
from .document import Document, load_list, load_table
from .events import (
    WEAK_CUE,
    Mode,
    Role,
    Source,
    StopEvent,
    flashback,
    is_town,
    lexicon,
    listed_after,
    mode_named,
    modes_named,
    place_key,
    place_nouns,
    preps,
    qualifies,
    role_in_line,
    word_set,
)
from .extract import Found, fold
from .words import (
    COMMON_WORDS,
    COMPASS,
    MOTION_CLASSES,
    ORGANISATIONS,
    PERSON_TITLES,
    SPEECH_VERBS,
    STATION_WORDS,
    TITLES,
    names_a_date,
    verb_forms,
)

__all__ = [
    "by_sentence",
    "chain_events",
    "colon_stop_events",
    "dated_line_events",
    "dateline_arrival",
    "dateline_departure",
    "field_events",
    "frame_events",
    "fronted_at_events",
    "home_base_departure",
    "list_events",
    "listed_line_events",
    "named_way_events",
    "names_a_landform",
    "names_a_region",
    "numbered_events",
    "one_traveller",
    "returns_after_the_journey",
    "table_events",
    "told_home",
    "told_last",
    "travel_sentence_events",
    "travellers_scenes",
    "unknown_places",
    "unplaced_goals",
    "worth_parsing",
]

# The word sets the passes read (stop nouns, path prepositions, directions …) are data
# files in route/lexicon/ (reader_*.tsv, table_columns.tsv), read by events.word_set.

#: "by car", "on foot": a mode said with a preposition.
_BY_MODE = {"air": "plane", "sea": "ship", "water": "ship", "road": "car", "rail": "train"}
_EARLIER = re.compile(
    r"\b(?:before that|before this|before then|prior to that|earlier on)\b|^earlier\b"
)
#: Adverbs that put their clause's going first ("The crew initially flew to Andrews").
_INITIALLY = frozenset({"initially"})  # not "first": "it first reached New York" (at last)
#: Verbs of refusing (VerbNet 3.4 "refuse"): the going they take is not done.
_REFUSING = frozenset({"decline", "refuse"})
#: The modals of a hypothetical past, with the perfect: "would have reached X".
_HYPOTHETICAL = frozenset({"would", "could", "might", "should", "'d"})
#: Verbs of changing vehicles, after which "for the final 170 km to X" is a way gone.
_VEHICLE_CHANGE = frozenset({"switch", "change", "transfer"})
#: Units of distance as words: the noun of a stretch gone ("for the last 170 km to X").
_DISTANCE_UNIT = re.compile(r"kms?|kilomet(?:er|re)s?|miles?|nmi|leagues?|versts?")
_VERBAL = frozenset({"VERB", "AUX"})


def _verbal(token: Any) -> bool:
    """A verb, or the verb a small parser took for a plural noun: the root of a sentence
    with no verb, a travel verb in the third person ("the bus climbs over the Andes to
    Huancayo", "the railway links A with B")."""
    if token.pos_ in _VERBAL:
        return True
    return (
        token.dep_ == "ROOT"
        and token.tag_ == "NNS"
        and token.lemma_.lower() in lexicon()[0]
        and not any(t.pos_ == "VERB" for t in token.doc)
    )


def _subject(word: Any, *, passive: bool = False) -> Any:
    """The subject of a verb (``passive``: a passive one too), else None."""
    kinds = ("nsubj", "nsubjpass") if passive else ("nsubj",)
    subjects = [c for c in word.children if c.dep_ in kinds]
    before = [c for c in subjects if c.i < word.i]
    # the nearest before the verb: a parse that hangs two clauses' subjects on one verb
    # ("Dancers performed …, as the first train … pulled out of Golmud") has its own last
    if before or subjects:
        return before[-1] if before else subjects[0]
    return _subject_read_as_apposition(word)


def _subject_read_as_apposition(verb: Any) -> Any:
    """The subject of "In Addis Ababa, Special Envoy Hammer will meet …" that the parser
    hung on the fronted place as its apposition, else None."""
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.i < verb.i):
        for place in (c for c in prep.children if c.dep_ == "pobj"):
            after = [a for a in place.children if a.dep_ == "appos" and place.i < a.i < verb.i]
            if after:
                return after[-1]
    return None


def _span_head(doc: Any, start: int, end: int) -> Any:
    """The token of ``doc`` heading the characters ``start:end`` (sentence offsets)."""
    inside = [t for t in doc if start <= t.idx < end]
    if not inside:
        return None
    for token in inside:
        if not (start <= token.head.idx < end) or token.head.i == token.i:
            return token
    return inside[-1]


def _mention_head(document: Document, index: int, found: Found) -> Any:
    """The token heading mention ``found`` in the parse of sentence ``index`` (or None)."""
    base = document.sentences[index][0]
    return _span_head(document.parsed(index), found.start - base, found.end - base)


def _after_a_path_preposition(token: Any) -> bool:
    """Whether a path or place preposition governs the token, or the first of the names
    it is listed with ("to Agra and Jaipur")."""
    while token.dep_ in ("conj", "appos") and token.head is not token:
        token = token.head
    return token.dep_ == "pobj" and _prep_phrase(token.head) in lexicon()[2]


def _prep_phrase(prep: Any) -> str:
    """The preposition with its fixed partners: "out of", "as far as", "by way of"."""
    words = [prep.lower_]
    head = prep.head
    if prep.lower_ == "of" and head.lower_ in ("out", "way") and head.dep_ in ("prep", "pobj"):
        return "out of" if head.lower_ == "out" else "by way of"
    if prep.lower_ == "as" and head.lower_ == "far":
        return "as far as"
    return " ".join(words)


def _a_clock_time(token: Any) -> bool:
    """A time of day as a log writes it ("8:30", "11.50", "6:10am")."""
    return re.fullmatch(r"\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?", token.text, re.I) is not None


def _a_date_word(token: Any) -> bool:
    """A day's or month's name, or its abbreviation with a full stop ("Jan.", "Tues.")."""
    word = token.lower_
    if word.endswith("."):
        return names_a_date(word[:-1], abbreviated=True)
    return names_a_date(word)


def _held_there(noun: Any) -> bool:
    """ "hold talks in Vientiane": the object of a verb of presence, whose place is where
    the traveller does it (not a thing's own place, as "the facility in Palmdale")."""
    return noun.dep_ == "dobj" and _verb_class(noun.head) == "present"


def _the_end_of_a_name(token: Any) -> bool:
    """Whether ``token`` is the last word of a name joined by "of" ("Ord" of "Muir of
    Ord"), which the parser reads as the object of "of"."""
    of = token.head
    return bool(
        token.dep_ == "pobj"
        and token.pos_ == "PROPN"
        and of.lower_ == "of"
        and of.head.pos_ == "PROPN"
        and of.head.i == of.i - 1
    )


def _climb(token: Any) -> Any:
    """From a place's head token up to the word that ties it to the sentence."""
    seen = 0
    while seen < 12:
        seen += 1
        dep = token.dep_
        if dep == "appos" and token.head.lower_ in lexicon()[3]:
            return token.head  # "the ship Oceanic": a vehicle's name, not a place
        if dep == "conj" and token.pos_ == "PROPN" and _verbal(token.head):
            return token  # "heading to A and then B" parsed with B joined to a verb
        if dep == "appos" and (token.head.pos_ == "VERB" or _a_verb_read_as_a_noun(token.head)):
            return token  # "the railway links Dakar …" parsed with Dakar in apposition
        if dep in ("conj", "appos"):
            token = token.head
            if _the_end_of_a_name(token):  # "back to Muir of Ord and Inverness": Inverness
                token = token.head.head  # joined to "Ord", the last word of a name
            continue
        if (
            dep == "compound"
            and token.head.lower_ in COMPASS
            and any(c.dep_ == "prep" and c.lower_ == "of" for c in token.head.children)
        ):
            token = token.head  # "from Milngavie north of Glasgow": the place stands where
            continue  # the bearing the parser hung it on stands
        if dep == "compound" and (_a_date_word(token.head) or _a_clock_time(token.head)):
            token = token.head  # "departed Alameda Jan. 20", "Reached Winston 8:30": the
            continue  # place stands where the date or time the parser hung it on stands
        if dep in ("compound", "poss") and (
            token.head.pos_ == "PROPN" or token.head.lemma_.lower() in place_nouns()
        ):
            token = token.head  # "Milan's station", "Santiago International Airport"
            continue
        if dep == "compound" and _a_verb_read_as_its_object(token.head):
            return token.head  # "The ferry from Helsinki to Tallinn crosses …": Tallinn
            # the object of "to", the verb read as a plural noun after it
        if (
            dep == "pobj"
            and token.head.lower_ in ("including", "like", "as")
            and (token.head.head.pos_ in ("NOUN", "PROPN", "ADJ", "ADV"))
        ):
            token = token.head.head
            if token.lower_ == "such" and token.head.i != token.i:
                token = token.head  # "towns such as A": the towns
            continue  # "stops including A, B": the stops
        if dep == "pobj" and token.head.lower_ == "of":
            noun = token.head.head
            if noun.lemma_.lower() in place_nouns() or (
                noun.lemma_.lower() in word_set("naming_end") and noun.pos_ == "NOUN"
            ):
                token = noun  # "the town of X": the town; "to the destination of X": to X
                continue
        if (
            dep == "pobj"
            and token.head.lower_ in ("in", "at", "near", "outside")
            and token.head.head.pos_ in ("NOUN", "PROPN")
            and token.head.head.lemma_.lower() not in lexicon()[1]
            and token.head.head.dep_ in ("pobj", "dobj")
            and not _held_there(token.head.head)
        ):
            token = token.head.head  # "from the facility in Palmdale": the facility's town
            continue
        if dep in ("nmod", "npadvmod") and token.head.pos_ in ("PROPN", "NOUN"):
            token = token.head
            continue
        return token
    return token


def _a_stretch_gone(word: Any) -> bool:
    """ "for the final 170 km to Hanoi": a distance the going covers, whose "to" is where
    it goes (not "170 km from Hanoi", where a place lies)."""
    if not (
        _DISTANCE_UNIT.fullmatch(word.lower_) and word.dep_ == "pobj" and word.head.lower_ == "for"
    ):
        return False
    verb = word.head.head  # "drove for the last 20 km to X", "switched to a car for …"
    return _verbal(verb) and (
        bool(lexicon()[0].get(verb.lemma_.lower())) or verb.lemma_.lower() in _VEHICLE_CHANGE
    )


def _governor(prep: Any) -> Any:
    """The verb or journey noun a preposition belongs to (through "and then on to")."""
    nouns = lexicon()[1]
    node = prep.head
    if node.dep_ == "ROOT" and node.pos_ == "NOUN" and prep.i < node.i:
        told = next((c for c in node.children if c.dep_ == "acl" and _verbal(c)), None)
        if told is not None:  # "From Liverpool the steamer called at …": a sentence the
            return told  # parser read as a noun phrase, its verb as the noun's modifier
    for _ in range(6):
        if node.lemma_ == "be":  # "from Hanoi, it is a four-hour drive to Ha Long"
            return _journey_it_is(node) or node
        if _verbal(node) and _an_adverb_for_the_verb(node):
            node = node.head  # "went to Damascus, thence down the Euphrates to Baghdad"
            continue
        if _verbal(node) or _a_stretch_gone(node):
            return node
        if node.lemma_.lower() in nouns and node.pos_ in ("NOUN", "PROPN"):
            if _half_way(node):
                return None  # "Monghir is half-way from Calcutta": where it is, no journey
            return node  # "the journey", "the Pacific Railroad"
        if node.dep_ == "compound" and node.head.lemma_.lower() in nouns:
            return node.head
        if (
            node.dep_
            in (
                "conj",
                "prep",
                "pobj",
                "advmod",
                "cc",
                "dative",
                "amod",
                "npadvmod",
                "dobj",
                "acomp",  # "he is due in Ankara"
                "prt",  # "took a bus up to Cusco"
            )
            and node.head.i != node.i
        ):
            node = node.head
            continue
        return node
    return node


def _half_way(noun: Any) -> bool:
    """ "half-way", "halfway", "midway": a point between places, not a way gone."""
    return noun.lower_ in ("halfway", "midway") or (
        noun.lower_ == "way" and any(c.lower_ in ("half", "mid") for c in noun.children)
    )


#: The words a log's verbless leg opens with: "Thence to …", "On to …", "Then via …" (not
#: a bare "To …": "To Paris, with love").
_LEG_OPENINGS = frozenset({"thence", "then", "on", "via", "thither", "onward", "onwards"})


def _a_verbless_leg(doc: Any) -> bool:
    """A sentence with no verb that opens with a way onward ("Thence to Avignon by the
    river road", "On to Marseille the next day"): a log's leg, its verb of going left
    out."""
    words = [t for t in doc if t.pos_ != "PUNCT"]
    return (
        bool(words)
        and words[0].lower_ in _LEG_OPENINGS
        and not any(t.pos_ in ("VERB", "AUX") for t in doc)
    )


def _a_connection(prep: Any) -> bool:
    """A way onward that another service makes ("It connects in Tirano with a bus service
    via Lake Como to Lugano"): a path on a noun that "connect … with" takes, not the
    journey's own; unless a traveller connects ("she connected with a flight to
    Singapore": her next leg)."""
    noun = prep.head
    connects = noun.head.head if noun.head.lower_ == "with" else None
    return bool(
        noun.pos_ == "NOUN"
        and connects is not None
        and connects.lemma_.lower() == "connect"
        and not _named_doer(connects)  # "she connected with a flight to Singapore": hers
    )


def _an_adverb_for_the_verb(word: Any) -> bool:
    """An adverb of sequence the parser took for a verb ("thence", "onward" as a clause of
    their own): it stands for the verb of motion it leaves out, its head's."""
    return (
        word.lower_ in word_set("sequence")
        and word.lemma_.lower() not in lexicon()[0]
        and word.head.i != word.i
        and word.dep_ in ("advcl", "conj", "ccomp")
    )


def _a_journey_subject(verb: Any) -> bool:
    """Whether the verb's subject is a journey noun ("the tour", "the itinerary")."""
    nouns = lexicon()[1]
    return any(c.dep_ == "nsubj" and c.lemma_.lower() in nouns for c in verb.children)


def _a_list_of_its_object(word: Any) -> bool:
    """A name after a colon that the parser hung on the verb, where the verb's object
    before the colon is a noun of places: "the tour visits five cities: Madrid, …"."""
    doc = word.doc
    if word.dep_ not in ("npadvmod", "dep") or word.pos_ != "PROPN" or word.i < 2:
        return False
    if doc[word.i - 1].text != ":" or not _verbal(word.head):
        return False
    objects = [c for c in word.head.children if c.dep_ == "dobj" and c.i < word.i]
    return any(o.lemma_.lower() in place_nouns() for o in objects)


def _journey_it_is(be: Any) -> Any:
    """The journey noun of "it is a four-hour drive (from A) to B" (an empty "it" as the
    subject: not "Sintra is a short ride from Lisbon", which says where Sintra is)."""
    nouns = lexicon()[1]
    if not any(c.dep_ == "nsubj" and c.lower_ == "it" for c in be.children):
        return None
    return next((c for c in be.children if c.dep_ == "attr" and c.lemma_.lower() in nouns), None)


def _a_thing_moved(word: Any) -> bool:
    """A verb's direct object that is no person ("logs", "a catch"; not "them", "the
    students", "the delegates")."""
    lemma = word.lemma_.lower()
    return bool(
        word.dep_ == "dobj"
        and word.pos_ in ("NOUN", "PROPN")
        and lemma not in word_set("people")
        and lemma not in TITLES
        and lemma not in word_set("other_person")
    )


def _a_verb_read_as_its_object(word: Any) -> bool:
    """A verb of motion in the present that the parser read as a plural noun, the object
    of a preposition of path, with the place before it as its modifier ("from Helsinki to
    Tallinn crosses 80 km …": "crosses" the object of "to")."""
    return (
        word.dep_ == "pobj"
        and word.tag_ == "NNS"
        and word.lemma_.lower() in lexicon()[0]
        and preps().get(word.head.lower_) in ("goal", "source", "route")
    )


def _a_verb_read_as_a_noun(word: Any) -> bool:
    """A sentence's verb of motion in the present, which the parser took for a plural noun
    with its object in apposition ("VIA Rail's Canadian links Toronto and Vancouver":
    "links" a noun, "Toronto" its apposition)."""
    return (
        word.dep_ == "ROOT"
        and word.tag_ == "NNS"
        and word.lemma_.lower() in lexicon()[0]
        and any(c.dep_ == "appos" and c.pos_ == "PROPN" and c.i > word.i for c in word.children)
    )


def _verb_class(word: Any) -> str:
    verbs, nouns, _preps, _modes = lexicon()
    lemma = word.lemma_.lower()
    if _verbal(word):
        if word.lower_ == "bound":
            return "move"  # "bound for Marseille": headed there
        if lemma in ("lift", "blast", "take") and any(
            c.dep_ == "prt" and c.lower_ == "off" for c in word.children
        ):
            return "depart"  # "lifting off from Northam", "took off from Andrews"
        if lemma == "expect" and any(c.dep_ == "auxpass" for c in word.children):
            return "arrive"  # "is expected in X": will arrive there
        if lemma in load_list("presence_verbs.txt") and _named_doer(word):
            return "present"  # "Blinken will hold talks in Vientiane"
        if lemma == "be" and _named_doer(word, names=False):
            return "present"  # "the President will be in Warsaw on Tuesday"
        if lemma in word_set("contain") and _a_journey_subject(word):
            return "move"  # "the itinerary includes Delhi, Agra and Jaipur"
        if lemma == "deliver" and any(
            c.dep_ == "dobj" and c.lemma_.lower() in word_set("utterance") for c in word.children
        ):
            return ""  # "deliver a speech to the people of Brazil from Rio de Janeiro"
        if lemma in word_set("vehicle") and any(_a_thing_moved(c) for c in word.children):
            return ""  # "rafted logs down to Montreal", "boated a record catch"
        return verbs.get(lemma, "")
    if _a_verb_read_as_a_noun(word):
        return verbs[lemma]  # "VIA Rail's Canadian links Toronto and Vancouver"
    if _a_stretch_gone(word):
        return "move"  # "switched to a car for the final 170 km to Hanoi": a way gone
    if lemma in nouns:
        for child in word.children:  # "departing train", "arrival"
            cls = verbs.get(child.lemma_.lower(), "")
            if child.dep_ in ("amod", "compound") and cls in ("depart", "arrive", "begin", "end"):
                return cls
        ends = verbs.get(word.head.lemma_.lower(), "") if _verbal(word.head) else ""
        if word.dep_ == "dobj" and ends in ("begin", "end"):
            return ends  # "ends his trip in Bangui", "began the tour in Tokyo"
        return {
            "departure": "depart",
            "arrival": "arrive",
            "finish": "end",  # "before the finish in Reims"
            "return": "arrive",
            "stay": "stop",
            "stop": "stop",
            "stopover": "stop",
            "visit": "stop",
            "tour": "stop",
        }.get(lemma, "move")
    return ""


#: The role of a motion verb's direct object, by verb class ("left X", "reached X").
_OBJECT_ROLE: dict[str, Role] = {
    "depart": "origin",
    "begin": "origin",
    "arrive": "destination",
    "end": "destination",
    "stop": "via",
    "move": "via",
    "route": "via",
}
#: The role of a place after "in", "at" or "on", by verb class ("arrived in X").
_PLACE_ROLE: dict[str, Role] = {
    "arrive": "destination",
    "end": "destination",
    "begin": "origin",
    "depart": "origin",
    "stop": "via",
    "move": "via",
}


@lru_cache(maxsize=1)
def _stay_spans() -> frozenset[str]:
    """Spans of a stay on the way ("detained two days", "waited three hours"): the spans of
    time spent at a place, and hours; years are a residence ("has lived in Denver for ten
    years"), not a stop."""
    return word_set("span") | {"hour"}


@lru_cache(maxsize=1)
def _lasting_spans() -> frozenset[str]:
    """Spans a journey may be said to last ("after a 164-day deployment", "a year-long
    trip")."""
    return _stay_spans() | {"year"}


def _time_spent(head: Any) -> Any:
    """The span of time a place is the place of ("a week in Bangkok"), else None."""
    prep = head.head
    if head.dep_ != "pobj" or prep.lower_ not in ("in", "at") or prep.head.i == prep.i:
        return None
    span = prep.head
    if span.pos_ != "NOUN":
        return None
    after = span.dep_ == "pobj" and span.head.lower_ in ("after", "following")
    lemma = span.lemma_.lower()
    spent = lemma in word_set("span") or (after and lemma in word_set("done_there"))
    return span if spent else None


def _a_stay_at(head: Any) -> tuple[Any, Any] | None:
    """The traveller's stay told by a span of time the verb of an "at" or "in" place takes
    ("At Ogden, we were detained two days", "we waited three hours in Chicago", "I was
    detained in Chicago for two days"): the verb and the span, else None."""
    prep = head.head
    if head.dep_ != "pobj" or prep.lower_ not in ("in", "at") or not _verbal(prep.head):
        return None
    verb = prep.head
    subject = _subject(verb, passive=True)
    if subject is None or subject.lower_ not in word_set("personal") or _excluded(verb):
        return None
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "for":  # "for two days"
            span = next((c for c in child.children if c.dep_ == "pobj"), child)
        elif child.dep_ in ("npadvmod", "dobj"):  # "two days", "three hours"
            span = child
        else:
            continue
        counted = any(c.dep_ == "nummod" for c in span.children)
        if counted and span.lemma_.lower() in _stay_spans():
            return verb, span
    return None


def _others_time(span: Any) -> bool:
    """Time spent in a clause that is not the traveller's ("many visitors combine the trip
    with a few days in Mendoza")."""
    verb = next((t for t in span.ancestors if t.pos_ in _VERBAL), None)
    return verb is not None and _excluded(verb)


def _told_as_stop(tied: Any, document: Document, index: int) -> Any:
    """The words that make a place a stop by naming it one: "the first stop is Seoul",
    "stops on the tour include A, B and C" (the stop noun), "He stopped at sixteen
    cities. Those cities include A, B and C" (the places stopped at, told again),
    "followed by Tokyo" (the verb). None otherwise."""
    if (tied.dep_, tied.head.lemma_) in (("attr", "be"), ("dobj", "include")):
        subject = _subject(tied.head)
        if subject is not None and (
            subject.lemma_.lower() in word_set("stop_noun")
            or _stops_told_before(subject, document, index)
        ):
            return subject
    if tied.dep_ == "pobj" and tied.head.dep_ == "agent" and tied.head.head.lemma_ == "follow":
        return tied.head.head
    return None


#: The role of "point" by the word before it ("starting point", "termination point", "end
#: point"); the other start and end nouns are the lexicon's (word sets start_noun, end_noun).
_POINT_KINDS: dict[str, Role] = {
    "starting": "origin",
    "start": "origin",
    "departure": "origin",
    "termination": "destination",
    "end": "destination",
    "terminal": "destination",
    "arrival": "destination",
}


def _unmet_end(head: Any) -> bool:
    """A place named as an end the journey did not reach: "away from its original
    destination of Naples", "its planned terminus of X"."""
    if head.dep_ != "pobj" or head.head.lower_ != "of":
        return False
    noun = head.head.head
    return noun.lemma_.lower() in word_set("naming_end") and any(
        c.dep_ == "amod" and c.lower_ in word_set("unmet") for c in noun.children
    )


def _told_as_end(tied: Any) -> tuple[Role, Any] | None:
    """A place named as the start or the end by a noun before "be": "the Oregon Trail's
    primary starting point was Independence" (origin), "its terminus is Chicago", "the
    destination was Lisbon" (destination). The role and the noun, else None. ("The final
    destination of Yan'an" stands for Yan'an in its sentence: see :func:`_climb`.)"""
    if tied.dep_ != "attr" or tied.head.lemma_ != "be" or _excluded(tied.head):
        return None
    subject = _subject(tied.head)
    if subject is None:
        return None
    role = _end_noun_role(subject)
    return None if role is None else (role, subject)


def _named_as_end(head: Any) -> tuple[Role, Any, Any] | None:
    """A place with a noun of start or end in apposition that says whose: "Colorado
    Springs, the goal of my journey", "Vladivostok, the end of the trip" (a journey noun
    after "of"). The role, the noun and the journey noun, else None."""
    for noun in head.children:
        role = _end_noun_role(noun) if noun.dep_ == "appos" else None
        if role is None:
            continue
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                journey = next((t for t in prep.children if t.dep_ == "pobj"), None)
                if journey is not None and journey.lemma_.lower() in lexicon()[1]:
                    return role, noun, journey
    return None


def _end_noun_role(noun: Any) -> Role | None:
    """The role a noun gives the place it names: "start", "starting point" (origin),
    "destination", "terminus", "end point" (destination); None for other nouns."""
    lemma = noun.lemma_.lower()
    if lemma in word_set("start_noun"):
        return "origin"
    if lemma in word_set("end_noun"):
        return "destination"
    if lemma == "point":
        for child in noun.children:
            role = _POINT_KINDS.get(child.lower_)
            if child.dep_ in ("compound", "amod") and role is not None:
                return role
    return None


def _stops_told_before(subject: Any, document: Document, index: int) -> bool:
    """ "Those cities" after "He stopped at sixteen cities": a demonstrative subject whose
    noun the sentence before made the object of a stop ("stop at", "visit", "call at")."""
    if index == 0 or not any(c.lower_ in ("those", "these") for c in subject.children):
        return False
    noun = subject.lemma_.lower()
    for word in document.parsed(index - 1):
        if word.lemma_.lower() != noun or word.dep_ not in ("dobj", "pobj"):
            continue
        verb = word.head.head if word.dep_ == "pobj" else word.head
        verbs = [verb, verb.head] if verb.dep_ == "conj" else [verb]  # "stopped and spoke at"
        if any(_verbal(v) and _verb_class(v) == "stop" and not _excluded(v) for v in verbs):
            return True
    return False


def _where_event(found: Found, index: int, doc: Any, head: Any) -> StopEvent | None:
    """A stop told by a "where" clause on a place its own frame does not tie."""
    where = _where_clause(head)
    if where is None:
        return None  # "talks in Annapolis, where the secretary will meet …": a stop
    return _event(found, "via", f"where … {where.text}", index, doc, where, head)


def _where_clause(head: Any) -> Any:
    """The verb of a "where" clause on the place that puts the traveller there ("Annapolis,
    where the secretary will meet his counterpart"), else None."""
    for clause in head.children:
        if clause.dep_ != "relcl" or clause.pos_ not in _VERBAL:
            continue
        told_where = any(c.lower_ == "where" and c.dep_ == "advmod" for c in clause.children)
        if told_where and _verb_class(clause) in _THERE and not _excluded(clause):
            return clause
    return None


#: Verb classes whose "where" clause puts the traveller at the place.
_THERE = frozenset({"present", "stop", "arrive"})


def _named_doer(verb: Any, *, names: bool = True, titled: bool = False) -> bool:
    """Whether the doer of ``verb`` is named: a name (if ``names``: "Paris is in France"
    has a name as subject too; if ``titled``, one with a title of office: "Assistant
    Secretary Phee"), a personal pronoun or "the" and a title of office as its active
    subject (its own, or that of the verb it is coordinated with or depends on)."""
    node = verb
    raised = False  # "he is scheduled to hold meetings": the subject of "scheduled" holds them
    for _ in range(3):
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects and (hung := _subject_read_as_apposition(node)) is not None:
            subjects = [hung]  # "In Addis Ababa, Special Envoy Hammer will meet …"
        if subjects:
            subject = subjects[0]
            return (subject.dep_ in ("nsubj", "appos") or raised) and (
                (names and subject.pos_ == "PROPN")
                or subject.lower_ in word_set("personal")
                or _the_title(subject)  # "the secretary will meet …"
                or (titled and _titled_name(subject))  # "Assistant Secretary Phee will …"
            )
        if node.dep_ not in ("conj", "xcomp", "advcl") or node.head.i == node.i:
            return False
        raised = node.dep_ == "xcomp"
        node = node.head
    return False


def _the_title(subject: Any) -> bool:
    """A singular title of office with "the": "the secretary", "the president"."""
    from .words import TITLES

    return (
        subject.tag_ in ("NN", "NNP")
        and subject.lower_ in TITLES
        and any(c.dep_ == "det" and c.lower_ == "the" for c in subject.children)
    )


def _titled_name(subject: Any) -> bool:
    """A name with a title of office before it: "Assistant Secretary Phee", "President
    Macron" (the office's holder, where a bare name may be a place: "Paris is …")."""
    return subject.pos_ == "PROPN" and any(
        c.dep_ == "compound" and c.lower_ in TITLES for c in subject.children
    )


def _passive_object(tied: Any) -> bool:
    """A place that is the subject of a passive verb of reaching, stopping or passing
    ("Early on the second morning Nanking is reached", "Swindon was passed at one"), told
    by no other doer ("Paris was entered by the army"), not as a possibility ("can be
    visited") and not with a particle ("was passed over"). Not "left": "Hamburg was left
    without power", "Lyon was left behind in the title race" tell a state."""
    verb = tied.head
    cls = _verb_class(verb)
    return (
        tied.dep_ == "nsubjpass"
        and _verbal(verb)
        and (cls in ("arrive", "stop") or (cls == "move" and verb.lemma_ in ("pass", "cross")))
        and not any(c.dep_ in ("agent", "prt") for c in verb.children)
        and not any(c.lower_ in _MAY for c in verb.children if c.dep_ == "aux")
    )


#: Modals of what may be done, not what is: "Jerusalem can be visited from Joppa".
_MAY = frozenset({"can", "could", "may", "might"})


def _named_members(tied: Any) -> Any:
    """For the first of the places named in an absolute phrase after a way's stops ("via
    numerous stations, the main ones being A, B and C"), the preposition of that way
    ("via"); else None."""
    being = tied.head
    if not (tied.dep_ == "attr" and being.lemma_ == "be" and being.tag_ == "VBG"):
        return None
    ones = being.head
    if being.dep_ != "acl" or not any(c.dep_ == "det" for c in ones.children):
        return None
    noun = ones.lemma_.lower()
    if noun not in ("one", "ones") and noun not in place_nouns() | word_set("stop_noun"):
        return None  # "via the coast, the main attractions being Pompeii and Sorrento"
    before = [t for t in tied.doc[: ones.i] if t.dep_ == "prep"]
    way = before[-1] if before else None
    return way if way is not None and preps().get(way.lower_) == "route" else None


def _people_met_there(head: Any, doc: Any) -> bool:
    """A place "in" or "at" that says where the people one meets, holds talks with or
    speaks with are ("hold talks with officials in Vientiane"): one meets them there,
    unless by phone or video ("a video call with leaders in Kyiv") or the place says
    where a thing is ("a contract with a shipyard in Busan")."""
    prep = head.head
    if head.dep_ != "pobj" or prep.lower_ not in ("in", "at") or prep.dep_ != "prep":
        return False
    people = word_set("other_person") | word_set("people")
    node = prep.head  # up the noun phrase the place is in ("officials from the Association
    for _ in range(6):  # of Southeast Asian Nations (ASEAN) in Vientiane"), to its people
        if node.lemma_.lower() in TITLES or node.lemma_.lower() in people:
            return not any(t.lower_ in word_set("remote") for t in doc)
        if node.dep_ not in ("pobj", "prep", "appos", "compound", "conj") or node.head is node:
            return False
        node = node.head
    return False


def _a_port_call(noun: Any) -> bool:
    """ "a port call at Naples", "port calls in Suva and Apia": a ship's stop (WordNet's
    port_call.n.01), not a call of the telephone."""
    return bool(
        noun.lemma_.lower() == "call"
        and any(c.dep_ == "compound" and c.lemma_.lower() == "port" for c in noun.children)
    )


def _from_afar(verb: Any) -> bool:
    """Whether a verb says it is done from afar: its manner ("participated virtually",
    "by video", "over Zoom", "via a satellite link") or its object ("took a phone call from
    leaders in Kyiv"), a word of the word set ``remote``; not a remote word elsewhere in
    the clause ("flew to Kyiv after a video call", "toured a phone factory")."""
    remote = word_set("remote")
    for child in verb.children:
        if child.dep_ == "advmod" and child.lower_ in remote:
            return True
        means = child.dep_ == "prep" and child.lower_ in ("by", "via", "over", "on")
        if means and any(_a_remote_means(o, remote) for o in child.children if o.dep_ == "pobj"):
            return True
        if child.dep_ == "dobj" and _a_remote_means(child, remote) and child.lower_ != "link":
            return True
    return False


def _a_remote_means(noun: Any, remote: frozenset[str]) -> bool:
    """A noun of calling or linking from afar: "video", "a video call", "a phone call", "a
    satellite link" (its own word or a modifier of it; "a port call" is a ship's)."""
    words = {noun.lower_} | {c.lower_ for c in noun.children if c.dep_ in ("compound", "amod")}
    if noun.lower_ in ("call", "calls", "link", "links"):
        return bool((words - {noun.lower_}) & remote)
    return noun.lower_ in remote


def _role_for(cls: str, relation: str, verb: Any) -> Role | None:
    """The role a place takes from its verb class and preposition (or ``dobj``)."""
    kind = preps().get(relation, "")
    if verb.lemma_.lower() in word_set("contain") and relation not in ("dobj", "in", "at"):
        return None  # "the expedition included scientists from Edinburgh": where they are from
    if cls == "present":  # only where it is done: "meets him in X", not "speaks to X"
        return "via" if relation in ("in", "at") else None
    if verb.lemma_.lower() in word_set("path_only") and (relation == "dobj" or kind == "place"):
        return "via" if cls == "stop" and kind == "place" else None  # "made stops in X"
    if relation == "dobj":
        return _OBJECT_ROLE.get(cls)
    if kind == "between":
        return "via" if cls in ("move", "route") else None
    if kind == "source":
        return "origin"
    if kind == "goal":
        if (
            relation == "for"
            and cls not in ("depart", "begin")
            and verb.lemma_ not in word_set("for_goal")
            and _verbal(verb)  # a train, boat or route "for X" goes there
        ):
            return None
        return "destination"
    if kind == "route":
        if relation == "over" and verb.lemma_.lower() in word_set("way_noun"):
            return None  # "a route over Baffin Island and the North Pole": the way's line
            # over places passed, not stops (but "took to the air over Savannah")
        if relation == "near" and cls in ("arrive", "end"):
            return "destination"  # "touched down near Perth"
        return None if relation in word_set("weak_path") and cls not in ("move", "route") else "via"
    if kind == "place":
        if relation == "on" and cls not in ("arrive", "stop"):
            return None
        if cls == "depart" and _leaves_a_vehicle(verb):
            return "via"  # "left the train at Epernay": got off there, on the way
        return _PLACE_ROLE.get(cls)
    return None


def _leaves_a_vehicle(verb: Any) -> bool:
    """Whether a verb of leaving has a vehicle as its object ("left the train", "quit the
    ship"): getting off where the place says, not setting out from it."""
    return any(c.dep_ == "dobj" and c.lemma_.lower() in lexicon()[3] for c in verb.children)


def _paired_ends(prep: Any) -> bool:
    """Whether a "from" has its "to" (or a "to" its "from") in the same phrase: as a
    sibling, or under the other's place ("from San Francisco, California to Chicago")."""
    if prep.lower_ == "to":
        above = list(itertools.islice(prep.ancestors, 4))
        return any(t.dep_ == "prep" and t.lower_ == "from" for t in [*above, *prep.head.children])
    near = [*prep.head.children, *prep.subtree]
    return any(t.dep_ == "prep" and t.lower_ == "to" and t.i != prep.i for t in near)


def _apposition_read_as_adverb(tied: Any) -> Any:
    """The preposition of the noun a name stands in apposition to, where the parser hung
    the name on the verb instead ("to her own birthplace, Pforzheim, becoming …": the
    "to" of "birthplace"), else None."""
    if tied.dep_ not in ("npadvmod", "dep") or tied.pos_ != "PROPN" or tied.i < 2:
        return None
    comma, noun = tied.doc[tied.i - 1], tied.doc[tied.i - 2]
    if comma.text != "," or noun.pos_ != "NOUN" or noun.dep_ != "pobj":
        return None
    prep = noun.head
    return prep if prep.dep_ == "prep" and prep.head.i == tied.head.i else None


def _named_head(token: Any) -> Any:
    """The head of the name a place's word is part of ("Station" of "Chicago Union
    Station"), or the word itself."""
    for _ in range(4):
        if token.dep_ != "compound" or token.head.pos_ != "PROPN":
            break
        token = token.head
    return token


def _an_unplaced_end_before(prep: Any, others: Sequence[Found], base: int) -> str | None:
    """The end ("from", "to") that an "in" right after it places, where the parser hung
    the "in" on the verb and the end names no place route knows ("road marched from Rose
    Barracks in Vilseck, Germany"): the town is that end; else None."""
    if prep.lower_ not in ("in", "at") or prep.i == 0:
        return None
    before = prep.doc[prep.i - 1]
    end = next((a for a in before.ancestors if a.dep_ == "prep"), None)
    if end is None or end.head.i != prep.head.i or end.lower_ not in ("from", "to"):
        return None
    noun = next((c for c in end.children if c.dep_ == "pobj"), None)
    if noun is None or max(t.i for t in end.subtree) != prep.i - 1:
        return None
    first, last = min(t.idx for t in noun.subtree), before.idx + len(before)
    if noun.pos_ != "PROPN" or any(first <= f.start - base < last for f in others):
        return None  # "from Paris in June"; "from Lyon in France": the place is Lyon
    return str(end.lower_)


def _the_way_told(verb: Any) -> Any:
    """The way a clause with no verb of travel names, that a "via" hung on its verb goes
    by: the copula's noun ("The route was a … route between A and B, via C"), or a noun "of"
    it ("It consists of a … railway line linking A with B, via C"), read through the verb
    it has ("linking"); else None."""
    nouns = lexicon()[1]
    for child in verb.children:
        named = [child] if child.dep_ in ("attr", "dobj") else []
        if child.dep_ == "prep" and child.lower_ == "of":
            named = [c for c in child.children if c.dep_ == "pobj"]
        for noun in named:
            if noun.pos_ == "NOUN" and noun.lemma_.lower() in nouns:
                acl = next((c for c in noun.children if c.dep_ == "acl" and _verb_class(c)), None)
                return acl if acl is not None else noun
    return None


def _a_way_between(prep: Any) -> bool:
    """Whether "between" hangs on a participle of running a service that describes a way
    or vehicle ("a train operated by PT Kereta Api on Java between Jakarta and Surabaya")."""
    verb = prep.head
    return bool(
        verb.dep_ == "acl"
        and verb.tag_ == "VBN"
        and verb.lemma_.lower() in ("operate", "run", "ply", "serve")  # not "cancelled",
        # "suspended", "planned", "built": a service that runs between them
        and (verb.head.lemma_.lower() in lexicon()[1] or verb.head.lower_ in lexicon()[3])
    )


def _journey_of_the_from(to: Any) -> Any:
    """The journey noun before ``to`` whose "from" has no "to" of its own: "accompany the
    fighters on the journey from Luke Air Force Base, Ariz., to RAAF base Amberley" (the
    parser hung "to" on "accompany"); else None."""
    nouns = lexicon()[1]
    for word in to.doc:
        if word.i >= to.i:
            return None
        preps = {c.lower_: c for c in word.children if c.dep_ == "prep"}
        if word.pos_ == "NOUN" and word.lemma_.lower() in nouns and "from" in preps:
            if "to" in preps:
                return None
            end = max(t.i for t in preps["from"].subtree)
            between = [t for t in to.doc if end < t.i < to.i]  # a qualifier: ", Ariz.,"
            if len(between) <= 4 and all(t.pos_ in ("PUNCT", "PROPN") for t in between):
                return word
            return None
    return None


def _speaks_of_travel(doc: Any) -> bool:
    """Whether a sentence has a motion verb or a journey noun in it."""
    return any(_verb_class(t) for t in doc)


#: A named road or line: "the Princes Highway", "the Trans-Siberian Railway".
_WAY_NAME = re.compile(
    r"\b((?:[A-Z][\w'’-]*\s+){1,3}(?:Highway|Road|Railway|Railroad|Line|Track|Trail|Way))\b"
)


#: How far into a text its own road or line is looked for.
_OWN_WAY_CHARS = 2000


@lru_cache(maxsize=8)
def _own_way(opening: str) -> str:
    """The road or line a text is about: the first one its opening names ("" if none)."""
    match = _WAY_NAME.search(opening)
    return _way_key(match.group(1)) if match else ""


def _way_key(name: str) -> str:
    words = name.split()
    return " ".join(w for w in words if w.lower() != "the").casefold()


def _another_way(verb: Any, own: str) -> bool:
    """A clause about another named road or line than the text's own ("the Princes Highway
    takes you to Adelaide", in a guide to the Eyre Highway): its places are not stops."""
    if not own:
        return False
    subject = _subject(verb, passive=True)
    if subject is None and verb.dep_ == "acl":
        subject = verb.head  # "the Stuart Highway going all the way to Darwin"
    elif subject is None and verb.tag_ == "VBG" and verb.i > 0:
        subject = verb.doc[verb.i - 1]  # the same, parsed as an adverbial clause
    if subject is None or not subject.text[:1].isupper():
        return False
    said = verb.doc[subject.left_edge.i : subject.i + 1].text  # "the Trans-Siberian Railway"
    name = re.sub(r"^(?:[^\W\d_A-Z]\S*\s+)+", "", said)  # less "the", "a"
    return bool(_WAY_NAME.fullmatch(name)) and _way_key(name) != own


def _compared(head: Any, verb: Any) -> bool:
    """Whether a comparison word stands between the place and its verb or noun, or just
    above that verb or noun."""
    path = []
    for token in head.ancestors:
        path.append(token)
        if token.i == verb.i:
            break
    path.extend(itertools.islice(verb.ancestors, 2))
    return any(
        (t.lower_ in word_set("compare") and not _examples(t))
        or (t.lower_ == "as" and t.dep_ == "prep" and t.head.pos_ in ("ADJ", "ADV"))
        for t in path
        if t.i != verb.i
    )


def _examples(word: Any) -> bool:
    """ "like" after a plural noun gives examples of it ("metropolitan areas like Mendoza
    and San Juan"), not a comparison ("a journey like the one from Boston")."""
    return bool(
        word.lower_ == "like"
        and word.head.tag_ == "NNS"
        and any(c.dep_ == "pobj" and c.pos_ == "PROPN" for c in word.children)
    )  # not "trains like those to Munich"


def _an_example(head: Any) -> bool:
    """A name given as an example of a noun: "cities such as A, B and C", "towns
    including A", "ports like A"."""
    first = _first_listed(head)
    return first.dep_ == "pobj" and first.head.lower_ in ("as", "including", "like")


def _someone_else(verb: Any) -> bool:
    """A clause about other travellers: a bare plural as its subject ("protesters marched
    from A to B", "thousands of pilgrims from A", "many tourists fly from A"; not "the
    migrants" or "500 migrants"), a relation of the traveller ("his predecessor had
    visited A"), or no traveller at all ("Fighting returned to Bakhmut", "The news reached
    Bermuda")."""
    subject = _subject(verb)
    if subject is None or subject.lemma_.lower() in word_set("stop_noun"):
        return False  # "where stops are at Bordertown": the journey's own stops
    if subject.lemma_.lower() in word_set("not_traveller"):
        return True
    if verb.lemma_.lower() in word_set("carry") and any(_the_one_borne(c) for c in verb.children):
        return False  # "athletes carried the torch through X": the torch travels
    if (
        subject.tag_ == "NNS"
        and not any(
            (c.dep_ in ("det", "poss") and c.lower_ in word_set("definite")) or c.dep_ == "nummod"
            for c in subject.children
        )
        and not _of_a_named_unit(subject)
        and not (subject.i > 0 and subject.text[:1].isupper())  # a name: "Pheidippides ran"
    ):
        return bool(subject.pos_ == "NOUN")  # not "the migrants", "500 migrants", "five lines"
    return subject.lemma_.lower() in _relations() and any(
        c.dep_ == "poss" for c in subject.children
    )


def _of_a_named_unit(subject: Any) -> bool:
    """Whether a bare plural is the people of a unit named after it ("Paratroopers from the
    173rd Airborne Brigade Support Battalion", "Soldiers with the 2nd Cavalry Regiment",
    "Sailors of the USS Nimitz's Strike Group") or the vehicles of a named service
    ("Eurostar trains"): a group the report tells of, not people at large."""
    units = word_set("unit_noun")
    return any(
        (
            c.dep_ == "prep"
            and c.lower_ in ("from", "of", "with")
            and any(t.pos_ == "PROPN" and t.lower_ in units for t in c.subtree)
        )
        or (c.dep_ == "compound" and c.pos_ == "PROPN")  # "Eurostar trains leave London"
        for c in subject.children
    )


def _the_one_borne(word: Any) -> bool:
    """A verb's object that a relay or a tour carries ("the Olympic torch", "its flame",
    "the Queen's Baton"): the traveller of a carrying, whoever bears it; not "the day",
    "the story", "the coffin", "banners"."""
    return bool(
        word.dep_ == "dobj"
        and word.lemma_.lower() in word_set("borne")
        and any(c.dep_ in ("det", "poss", "compound", "amod") for c in word.children)
    )


@lru_cache(maxsize=1)
def _relations() -> frozenset[str]:
    """Nouns for someone related to the traveller: kin, and others (a predecessor, a host)."""
    return load_list("kinship_nouns.txt") | word_set("other_person")


def _excluded(verb: Any) -> bool:
    """Negated, hypothetical-past or someone else's clause: its places are no stops."""
    if any(child.dep_ == "neg" for child in verb.children):
        return True
    if _unreal_past(verb) or (not _verbal(verb) and _unreal_past(verb.head)):
        return True  # "would have reached X", "would have gained a connection to Basra"
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _REFUSING and verb.head.i != verb.i:
        return True  # "he declined to attend the summit in Seoul", "refused to fly to X"
    attempt = _attempted(verb)  # "did not manage to reach X", "never succeeded in crossing"
    if attempt is not None and any(child.dep_ == "neg" for child in attempt.children):
        return True
    if _a_wish_not_carried_out(verb) or _supposed_to(verb):
        return True  # "the Pope had hoped to visit Armagh, but …"
    node = verb
    for _ in range(4):  # "if you go to X", "unless it stops at X": not the journey told
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in node.children):
            return True
        if node.head.i == node.i:
            break
        node = node.head
    if verb.dep_ == "relcl" and any(
        t.lower_ in ("who", "whom", "whose") for t in verb.subtree if t.i < verb.i
    ):
        return True
    if (verb.dep_ == "pcomp" and verb.head.lower_ in ("like", "unlike")) or (
        verb.lemma_ == "be"
        and any(c.dep_ == "prep" and c.lower_ in ("like", "unlike") for c in verb.children)
    ):
        return True  # "It was like going from New York to Philadelphia …, or from Paris to
        # London": a comparison
    if _someone_else(verb):
        return True
    clause = " ".join(t.text for t in _clause_tokens(verb))
    return bool(flashback().search(clause))


def _unreal_past(verb: Any) -> bool:
    """ "would have gained", "could have reached": a modal with the perfect tells a past
    that did not happen (Quirk et al. 1985, sec. 14.23, hypothetical past)."""
    auxes = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    return verb.tag_ == "VBN" and bool(auxes & _HYPOTHETICAL) and "have" in auxes


def _supposed_to(verb: Any) -> bool:
    """A going someone was supposed to do, told in the past ("even though he was supposed
    to be returning to Long Beach"): what was expected, which the narration tells as not
    done."""
    node = verb
    for _ in range(3):
        if node.dep_ != "xcomp" or node.head.i == node.i:
            return False
        node = node.head
        if node.lemma_.lower() == "suppose" and any(
            c.dep_ in ("auxpass", "aux") and c.lower_ in ("was", "were") for c in node.children
        ):
            return True
    return False


def _a_wish_not_carried_out(verb: Any) -> bool:
    """Whether ``verb`` completes a verb of hoping or intending in the past perfect ("had
    hoped to visit", "had originally intended to fly"): a wish not carried out."""
    head = verb.head
    done = any(t.lower_ == "duly" or (t.lemma_ == "do" and t.i > head.i) for t in verb.doc)
    return bool(
        verb.dep_ == "xcomp"
        and not done  # "had hoped to visit Galway and did so on Monday"
        and head.i != verb.i
        and {head.lemma_.lower(), head.lower_[:-1], head.lower_[:-2]} & word_set("unfulfilled")
        and head.tag_ == "VBN"  # "hoped" (the lemmatiser gives "hop"), "intended"
        and any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in head.children)
    )


def _attempted(verb: Any) -> Any:
    """The verb of trying that ``verb`` completes ("manage" of "did not manage to reach",
    "succeeded" of "never succeeded in crossing"), else None; never across "after" or
    "before" ("did not speak to reporters after arriving in Kyiv")."""
    head = verb.head
    if verb.dep_ == "pcomp" and head.lower_ == "in":
        head = head.head  # "succeeded in crossing"
    elif verb.dep_ != "xcomp":
        return None
    return head if head.lemma_.lower() in word_set("attempt") and head.i != verb.i else None


def _mode_of(tokens: Sequence[Any]) -> tuple[Mode, str]:
    """The first mode the words name: "by car", "on foot", "flew", "the train"."""
    _verbs, _nouns, _preps, modes = lexicon()
    for token in tokens:
        lower = token.lower_
        if lower in ("by", "on") and token.i + 1 < len(token.doc):
            nxt = token.doc[token.i + 1]
            if lower == "on" and nxt.lower_ == "foot":
                return "foot", "on foot"
            if lower == "by" and nxt.lower_ in _BY_MODE:
                return _BY_MODE[nxt.lower_], f"by {nxt.lower_}"  # type: ignore[return-value]
        if token.dep_ == "compound" and token.head.lower_ in modes:
            continue  # "ferry flight", "train ferry": the head names the mode
        if (
            token.pos_ == "PROPN"
            and lower not in word_set("named_way")
            and not _a_way_by_name(token)
        ):
            continue  # a name ("March 25", "Air China"), not a way of travelling
        verb = token.pos_ == "VERB"
        if verb and word_set("other_verb_sense") & {lower, token.lemma_.lower()}:
            continue  # "to train Afghan forces"
        after_by = token.i > 0 and token.doc[token.i - 1].lower_ == "by"
        if lower in word_set("other_noun_sense") and token.pos_ == "NOUN" and not after_by:
            continue  # "the training cycle" ("by cycle" is a bicycle)
        mode = mode_named(lower, token.doc[token.i - 1].lower_ if token.i > 0 else "")
        if mode is None and verb and not any(_a_thing_moved(c) for c in token.children):
            mode = mode_named(token.lemma_.lower())  # "convoyed", "bused", "canoed"
        if mode is not None:
            return mode, token.text
    return "unknown", ""


def _a_way_by_name(token: Any) -> bool:
    """ "the Shinkansen", "the TGV": a mode word standing alone as a name, with "the"."""
    alone = not any(c.dep_ == "compound" for c in token.children) and token.dep_ != "compound"
    told = any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
    return alone and told and token.lower_ in lexicon()[3]


def _travel_word(token: Any) -> bool:
    """A word that says how someone travels: a motion verb, "by X", or a vehicle doing it."""
    if token.pos_ in _VERBAL:
        return True
    if token.i > 0 and token.doc[token.i - 1].lower_ in ("by", "aboard", "on"):
        return True
    return token.dep_ in ("nsubj", "pobj", "dobj") and _verb_class(token.head) != ""


def _clause_tokens(verb: Any) -> list[Any]:
    """The verb and its own arguments, without clauses of other verbs."""
    out = []
    for token in verb.subtree:
        node = token
        while node.i != verb.i and node.pos_ not in _VERBAL:
            node = node.head
        if node.i == verb.i:
            out.append(token)
    return out


def _gapped(word: Any) -> tuple[Any, str]:
    """The verb of a clause that leaves it out: "continues south to A, then inland to B"
    ("inland" stands for "continues inland", "then on to B" for "then goes on to B").
    ``(word, "")`` when there is none."""
    lemma = word.lower_.replace("-", "")
    if (
        word.dep_ in ("advcl", "conj", "dep", "advmod")
        and (lemma in word_set("direction") or lemma.endswith(("ward", "wards")))
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in word.children)
        and word.head.pos_ in _VERBAL
    ):
        cls = _verb_class(word.head)
        if cls:
            return word.head, cls
    return word, ""


def _an_extent(verb: Any) -> bool:
    """A verb of extent whose subject is a natural feature or a region ("the tableland runs
    east from A", "the region extends to B"): where the land lies, not a way travelled.
    (A pass is a way: "the Brenner Pass connects Innsbruck to Bolzano".)"""
    subject = verb.head if verb.dep_ == "acl" else _subject(verb)  # "an area stretching …"
    if subject is None or verb.lemma_.lower() not in word_set("extent"):
        return False
    word = subject.lemma_.lower()
    return word in _land_words() and word not in ("pass", "passes")


@lru_cache(maxsize=1)
def _land_words() -> frozenset[str]:
    """Natural features', regions' and areas' head words (the lexicon's landform and region
    nouns, and the reader's area nouns)."""
    return load_list("landform_words.txt") | load_list("region_nouns.txt") | word_set("area_noun")


def _the_scene(prep: Any, verb: Any) -> bool:
    """Whether "in X" or "at X" opens a clause whose doer is the traveller, told by a
    personal pronoun or "the" and a title ("In Hanoi, the President will deliver a speech",
    "At Ogden we changed cars", "During talks in Hanoi, the President will …"): the scene
    of what the traveller does there."""
    subject = _subject(verb)
    top = prep
    for _ in range(4):  # "During meetings and events in Hanoi and …, the President will …"
        if top.head.i == verb.i or top.dep_ not in ("prep", "pobj", "conj"):
            break
        top = top.head
    return (
        _verbal(verb)
        and top.dep_ == "prep"
        and top.head.i == verb.i
        and subject is not None
        and top.i < subject.i
        and _named_doer(verb, names=False, titled=True)
        and not _perfect_or_passive(verb)  # "In Paris, he had studied law", "… was born"
    )


def _a_stay_before(head: Any) -> bool:
    """Whether a place is where someone has been or had been staying, told in a perfect
    ("who have spent the past five months living and training in Panevezys", "had lived
    in Denver"): a time before the journey, no stop of it."""
    verb = next((a for a in head.ancestors if _verbal(a)), None)
    while (
        verb is not None
        and verb.dep_ in ("xcomp", "advcl", "conj")
        and not any(c.dep_ == "aux" for c in verb.children)
    ):
        verb = verb.head  # "spent … living and training in X": the verb that has the aux
    goes_on = verb is not None and any(
        c.dep_ == "conj" and _verbal(c) and _verb_class(c) in ("move", "depart")
        for c in verb.children
    )  # "has been based in Beirut and flew to Damascus": where the next leg starts
    return bool(
        verb is not None
        and not goes_on
        and _perfect(verb)
        and (verb.lemma_.lower() in word_set("stay_before") or _verb_class(verb) == "stop")
    )


def _perfect(verb: Any) -> bool:
    """Whether a verb is in a perfect: "has opposed", "had studied", "have spent"."""
    return verb.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children
    )


def _perfect_or_passive(verb: Any) -> bool:
    """Whether a verb is in a perfect ("had studied", "has opposed": a life before the
    journey or a standing fact) or the passive ("was born", "is seen as")."""
    return _perfect(verb) or any(c.dep_ == "auxpass" for c in verb.children)


def _a_stop_told_otherwise(word: Any) -> tuple[Any, str]:
    """A stop told by a purpose after the stop ("stopped to meet residents in Tarnów": the
    stop verb) or by a stop noun before "be" ("where stops are at Bordertown"): the verb
    and ``"stop"``; an end or a start by its noun before "be" ("the northern end is in La
    Quiaca": ``"end"``, ``"begin"``); ``(word, "")`` when none. For a place "in" or "at"
    only (not "stopped to buy tickets to Paris")."""
    if (
        word.dep_ in ("xcomp", "advcl")
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in word.children)
        and _verbal(word.head)
        and _verb_class(word.head) == "stop"
    ):
        return word.head, "stop"
    attended = _an_event_attended(word)
    if attended is not None:
        return attended, "stop"
    subject = _subject(word) if word.lemma_ == "be" else None
    if subject is None:
        return word, ""
    if subject.lemma_.lower() in word_set("stop_noun") and not any(
        c.dep_ == "compound" for c in subject.children
    ):  # not "bus stops are at X": another vehicle's
        return word, "stop"
    end = _end_noun_role(subject) if _the_ways_end(subject) else None
    return word, "" if end is None else "end" if end == "destination" else "begin"


def _an_event_attended(word: Any) -> Any:
    """The verb of taking part, where ``word`` places the event taken part in ("will
    participate in the conference being held in Sharm el-Sheikh", "attended a summit hosted
    in Lima"): the doer is where the event is. None otherwise."""
    if word.dep_ != "acl" or word.lemma_.lower() not in word_set("host"):
        return None
    event = word.head
    verb = event.head.head if event.dep_ == "pobj" else event.head
    if event.dep_ not in ("pobj", "dobj") or not _verbal(verb):
        return None
    return verb if verb.lemma_.lower() in word_set("attend") else None


def _the_ways_end(noun: Any) -> bool:
    """ "the northern end is in La Quiaca", "the line's terminus is at Lyon": an end or a
    start of the way itself (alone, or of a journey or a way), not "the start of talks" or
    "his origin"."""
    if noun.lemma_.lower() not in word_set("way_end"):
        return False
    if any(
        c.dep_ == "poss" and c.lower_ in word_set("personal") | word_set("people_possessive")
        for c in noun.children
    ):
        return False
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is None:
        return True
    nouns = lexicon()[1] | word_set("way_noun")
    return any(c.dep_ == "pobj" and c.lemma_.lower() in nouns for c in of.children)


def _a_going_done(verb: Any) -> bool:
    """A verb whose object is a going ("conduct a march", "undertake a voyage", "make a
    trip"): its path is the going's."""
    goings = lexicon()[1] - word_set("way_noun")
    if verb.lemma_.lower() in word_set("telling"):
        return False  # "telegrams announcing our arrival to Rome": told, not done
    return any(
        c.dep_ in ("dobj", "npadvmod") and c.lemma_.lower() in goings and c.pos_ == "NOUN"
        for c in verb.children
    )


def _stops_made(verb: Any) -> bool:
    """Whether ``verb``'s object is a stop ("made stops in Honolulu", "made a brief halt
    at Aden", "made port in Papeete"): the places "in" or "at" it are stops on the way."""
    return any(
        c.dep_ == "dobj"
        and (
            c.lemma_.lower() in word_set("stop_noun")
            or (c.lower_ == "port" and not list(c.children))
        )
        for c in verb.children
    )  # "made port in Papeete": the idiom of a ship's call


def _then_a_place(tied: Any) -> bool:
    """ "Reached Bahia in February, then Rio de Janeiro in April": a place after "then" that
    the parser hangs on the verb as a loose noun stands for "then reached Rio"."""
    return (
        tied.dep_ in ("npadvmod", "appos", "dep", "conj")
        and tied.pos_ == "PROPN"
        and tied.head.pos_ in _VERBAL
        and any(c.lower_ == "then" and c.i < tied.i for c in tied.children)
    )


def _last_motion_verb(tied: Any) -> Any:
    """The last verb of motion told before ``tied`` in its sentence (else its head)."""
    for token in reversed(tied.doc[: tied.i]):
        if token.pos_ in _VERBAL and _verb_class(token):
            return token
    return tied.head


def _places_another(document: Document, index: int, noun: Any, others: Sequence[Found]) -> bool:
    """A journey noun that says where a town named as the subject lies: "Sintra is a
    short ride from Lisbon" (not "the Bergen Line is a railway line between A and B"; the
    caller asks only of a place after "from"), and no goal of its own."""
    if noun.dep_ != "attr" or noun.head.lemma_ != "be":
        return False
    if any(c.dep_ == "prep" and preps().get(c.lower_) == "goal" for c in noun.children):
        return False
    subject = _subject(noun.head)
    return subject is not None and subject.i in _heads(document, index, others)


def _heads(document: Document, index: int, mentions: Sequence[Found]) -> set[int]:
    """The positions in sentence ``index``'s parse of the tokens heading these mentions."""
    heads = (_mention_head(document, index, found) for found in mentions)
    return {head.i for head in heads if head is not None}


def _aside_on_another(text: str, found: Found, others: Sequence[Found]) -> bool:
    """A place in brackets that say more about the town just before them ("began at Twin
    Lakes, Indiana, (Myers Lake and Cook Lake, near Plymouth)"): no stop of its own."""
    opening = text.rfind("(", max(0, found.start - 120), found.start)
    if opening < 0 or ")" in text[opening : found.start]:
        return False
    words = re.findall(r"\b[a-z]+\b", text[opening : found.start])
    if set(words) - word_set("aside") - word_set("direction"):
        return False  # "(pausing in Paris …)": the journey's own words
    before = [o for o in others if o.end <= opening]
    if not before:
        return False
    last = max(before, key=lambda o: o.end)
    return bool(re.fullmatch(r"[\s,]*(?:[A-Z][\w.]*[\s,]*){0,3}", text[last.end : opening]))


#: Between a place and one that says where it is, set off by a comma: "from Tumpat, near
#: Kota Bahru on the East Coast, to Gemas".
_COMMA_NEAR = re.compile(r",\s*(?:near|close to|outside|just outside|not far from)\s+(?:the\s+)?$")


def _near_the_one_before(text: str, found: Found, others: Sequence[Found]) -> bool:
    """A place right after another and ", near" (", close to", ", outside"): it says where
    that one is ("from Tumpat, near Kota Bahru, to Gemas"), no stop of its own."""
    match = _COMMA_NEAR.search(text, max(0, found.start - 30), found.start)
    return match is not None and any(o.end == match.start() for o in others)


def _near_an_unnamed_goal(
    document: Document, index: int, verb: Any, cls: str, others: Sequence[Found]
) -> Role | None:
    """The role of a town "near" a goal that is no town of the text: "arrived at Corio Bay
    near the present site of Geelong", "travelled to the Murrumbidgee near Tumut" (the
    town stands for the bay or the river; not "Lackland Air Force Base near San Antonio",
    a town of its own, see :func:`_locates_another`)."""
    heads = _heads(document, index, others)
    for prep in verb.children:
        kind = preps().get(_prep_phrase(prep), "") if prep.dep_ == "prep" else ""
        goal = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if kind in ("goal", "place") and goal is not None and goal.pos_ == "PROPN":
            if goal.i in heads:
                return None
            arrives = kind == "goal" or cls in ("arrive", "end")
            return "destination" if arrives else _PLACE_ROLE.get(cls)
    return None


def _to_as_infinitive(tied: Any) -> bool:
    """A place after "to" that the small parser took for a verb ("to/PART Bucharest/advcl")."""
    return (
        tied.pos_ == "PROPN"
        and tied.dep_ in ("advcl", "xcomp", "ccomp", "dep", "conj")
        and _verbal(tied.head)
        and any(c.dep_ == "aux" and c.lower_ == "to" and c.i == tied.i - 1 for c in tied.children)
    )


def _named_after_a_path(word: Any) -> bool:
    """A capitalised word right after "to", "from", "via" … that the parser took for a
    common noun: "sailing to Acre" (not "Sea" or "Headquarters" after "the")."""
    before = word.doc[word.i - 1] if word.i else None
    return (
        before is not None
        and word.text[:1].isupper()
        and preps().get(before.lower_, "") in ("source", "goal", "route")
    )


def _a_facility_of_the_next(text: str, found: Found, others: Sequence[Found]) -> bool:
    """A name of an airport, station or port followed by its town: "at Hung Chiao (Rainbow
    Bridge) Airport, Shanghai", "Pulkovo Airport in Saint Petersburg"."""
    after = text[found.end : found.end + 60]
    words = re.match(
        r"\s*(?:\([^()]*\)\s*)?((?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+)\s*(?:,|in|at|near)\s*", after
    )
    if words is None or words.group(1).split()[-1].lower() not in STATION_WORDS:
        return False
    town_at = found.end + words.end()
    return any(o.start == town_at for o in others)


def _a_towns_own_place(text: str, found: Found, others: Sequence[Found]) -> bool:
    """A place named as a town's own, after the town's possessive ("landed in Suva's Albert
    Park", "at Brisbane's Eagle Farm"): a part of that town, which is the stop."""
    return text[max(0, found.start - 3) : found.start] in ("'s ", "’s ") and any(
        o.end == found.start - 3 and is_town(o) for o in others
    )


def _a_stations_own_name(
    head: Any, document: Document, index: int, others: Sequence[Found]
) -> bool:
    """A name of a station that a town owns: "Lisbon's Santa Apolónia station", "the
    Retiro station at Buenos Aires" (``others``: the sentence's other towns; not
    "Bournemouth Airport in Dorset", which is Bournemouth's)."""
    station = head.head
    if head.dep_ != "compound" or station.lower_ not in STATION_WORDS:
        return False
    if any(c.dep_ == "poss" and c.pos_ == "PROPN" for c in station.children):
        return True
    places = [
        o
        for c in station.children
        if c.dep_ == "prep" and c.lower_ in ("at", "in", "of")
        for o in c.children
        if o.dep_ == "pobj"
    ]
    if not places:
        return False
    heads = (_mention_head(document, index, other) for other in others)
    at = {h.i for h in heads if h is not None}
    return any(o.i in at for o in places)


def _the_named_thing(head: Any, found: Found) -> bool:
    """A town's name that heads a noun phrase after a lower-case "the": a thing named after
    the town, such as a ship or a hotel ("the Washington arrived", "conveyed to the
    Tivoli"); not "the Toronto area" (a modifier), "the Hague" (its name) nor "the capital
    Pyongyang", "the port Piraeus" (a place noun that "the" belongs to)."""
    return (
        head.dep_ not in ("compound", "amod", "nmod", "poss")
        and any(c.dep_ == "det" and c.text == "the" for c in head.children)
        and not any(
            c.dep_ == "compound" and c.lemma_.lower() in place_nouns() for c in head.children
        )
        and " " not in found.surface
        and not str(found.candidate.feature).startswith(("PCL", "ADM"))
        and not fold(found.candidate.name).startswith("the ")
    )


def _instead(head: Any) -> bool:
    """A place in the phrase after "instead of" or "rather than": where the journey did not
    go ("landed at A instead of its planned destination of B"); not a path told after it
    ("took the train rather than the plane from Paris to Lyon", "instead of flying from
    Paris")."""
    words = list(head.doc)
    for k in range(head.i - 1, 0, -1):
        word, before = words[k], words[k - 1]
        if (before.lower_, word.lower_) in (("instead", "of"), ("rather", "than")):
            between = words[k + 1 : head.i]
            return not any(
                (w.pos_ in ("VERB", "AUX") and w.dep_ != "amod")
                or preps().get(w.lower_) in ("source", "goal", "route")
                for w in between
            )
        if word.text in ",;:.()":
            return False
    return False


def _describes_another(head: Any) -> bool:
    """A name modifying the place noun of an apposition: "A, the B capital" describes A."""
    noun = head.head
    return (
        head.dep_ in ("compound", "amod", "nmod")
        and noun.i != head.i
        and noun.dep_ == "appos"
        and noun.lemma_.lower() in place_nouns()
    )


def _modifier_of_a_name(head: Any) -> bool:
    """A name inside another name or a noun phrase: "Headquarters Company", "Ohio office"."""
    return (
        head.dep_ in ("compound", "amod", "nmod")
        and head.head.i != head.i
        and head.head.lemma_.lower() not in place_nouns()
        and head.head.lower_ not in STATION_WORDS
    )


def _locates_another(document: Document, index: int, head: Any, others: Sequence[Found]) -> bool:
    """A town that says where another named place is: "flew to Lackland Air Force Base near
    San Antonio" (one stop, told with its town), "flew to Fort Worth near Dallas"."""
    prep = head.head
    if head.dep_ != "pobj" or prep.head.i == prep.i:
        return False
    located = prep.head
    if (
        prep.lower_ == "to"
        and located.lower_ in word_set("next_to")
        and located.head.i != located.i
    ):
        located = located.head  # "Biggs Army Air Field adjacent to El Paso"
    elif prep.lower_ not in word_set("locator"):
        return False
    at = document.sentences[index][0] + located.idx
    return any(o.start <= at < o.end for o in others)


def _first_listed(token: Any) -> Any:
    """The first of the names the token is listed with ("A, B and C": A)."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token


def _last_listed(token: Any) -> bool:
    """Whether the token is the last of the names listed with it ("A, B and C": C)."""
    listed = _first_listed(token).subtree
    return all(t.i <= token.i for t in listed if t.dep_ == "conj" and t.pos_ == "PROPN")


def _locates_a_thing(word: Any) -> bool:
    """A name or noun other than a journey's ("the bridge between A and B", "the Sino-Nepal
    Friendship Bridge"): "between" then says where that thing lies; but a part of a way
    as the object of a verb of travel is the way gone ("travelled the section between A
    and B"; not "passed the monastery between A and B")."""
    gone = word.dep_ == "dobj" and _verbal(word.head) and _verb_class(word.head) == "move"
    if gone and word.lemma_.lower() in word_set("way_part"):
        return False
    if gone and any(c.tag_ == "CD" for c in word.children):
        return False  # "travels 1,600 km between Pretoria and Cape Town": the way's length
    return word.pos_ in ("NOUN", "PROPN") and word.lemma_.lower() not in lexicon()[1]


def _one_or_another(token: Any) -> bool:
    """Whether the name is one of alternatives joined by "or" ("either A or B"): the
    text does not say which one the journey goes to."""
    joined = [*_first_listed(token).children, *token.children]
    return any(c.dep_ == "cc" and c.lower_ == "or" for c in joined)


def _several_journeys(noun: Any) -> bool:
    """A bare plural noun of whole journeys ("races from Paris to Bordeaux, Marseilles …",
    "flights between Chicago and Denver"): journeys in general, other than the text's
    own (not "two more flights from Lisbon", "its flights", "the flights": its legs)."""
    return (
        noun.tag_ == "NNS"
        and noun.lemma_.lower() in word_set("whole_journey")
        and not any(c.dep_ in ("det", "nummod", "poss", "amod") for c in noun.children)
    )


def _of_several_journeys(tied: Any) -> bool:
    """Whether the place's preposition belongs to a plural noun of whole journeys."""
    return tied.dep_ == "pobj" and _several_journeys(tied.head.head)


def _frame_event(
    document: Document, index: int, found: Found, others: Sequence[Found] = ()
) -> StopEvent | None:
    """The stop event a verb frame ties ``found`` to in sentence ``index``; else, for a
    place named the journey's goal or start in apposition ("saw Colorado Springs, the goal
    of my journey"), that end; else None."""
    event = _verb_frame_event(document, index, found, others)
    if event is not None:
        return event
    head = _mention_head(document, index, found)
    named = _named_as_end(head) if head is not None else None
    if named is None or _excluded(next((t for t in head.ancestors if _verbal(t)), head)):
        return None  # not "we never reached Lhasa, the goal of our journey"
    role, noun, journey = named
    doc = document.parsed(index)
    event = _event(found, role, f"{noun.text} of {journey.text}", index, doc, noun, head)
    return replace(event, final=role == "destination")


def _verb_frame_event(
    document: Document, index: int, found: Found, others: Sequence[Found] = ()
) -> StopEvent | None:
    doc = document.parsed(index)
    head = _mention_head(document, index, found)
    if head is None:
        return None
    rest = [o for o in others if o is not found]  # the sentence's other towns
    if _locates_another(document, index, head, rest):
        return None
    if _aside_on_another(document.text, found, rest) or _near_the_one_before(
        document.text, found, rest
    ):
        return None  # "Twin Lakes, Indiana, (Myers Lake and Cook Lake, near Plymouth)"
    if _before_a_hyphen(document.text, found, rest):
        return None  # "to Berlin-Spandau": one place, its last name the stop
    if _one_or_another(head):
        return None  # "to wherever the game is, either Philadelphia or Baltimore"
    if (
        found.end - found.start == len(head.text)
        and head.pos_ in ("NOUN", "ADJ", "VERB")
        and not _named_after_a_path(head)
        and not (head.i > 0 and head.text[:1].isupper() and _passive_object(head))
    ):
        return None  # the parser reads the word as a word ("Headquarters", "Sea"), not a name
    if _describes_another(head):
        return None  # "reached Salt Lake City, the Mormon capital": a word of a description
    if _the_named_thing(head, found):
        return None  # "the Washington arrived", "to the Tivoli": a ship, a hotel
    if _a_persons_home(head):
        return None  # "a line by Princeton native Charles Russell": where he is from
    if _instead(head) or _unmet_end(head):
        return None  # "landed at A instead of its planned destination of B"
    if (
        _a_stations_own_name(head, document, index, rest)
        or _a_facility_of_the_next(document.text, found, rest)
        or _a_towns_own_place(document.text, found, rest)
    ):
        return None  # "Lisbon's Santa Apolónia station": the town is the stop
    tied = _climb(head)
    if tied.i != head.i and tied.lower_ in lexicon()[3] and tied.lower_ not in STATION_WORDS:
        return None  # "the ship Oceanic", "the Shinkansen train": a vehicle, not a place
    relation = ""
    verb = None
    if _a_port_call(tied) and tied.i != head.i:  # "made a port call at Naples": whose call
        # is checked like a scene's (travellers_scenes)
        event = _event(found, "via", tied.text, index, doc, tied, head, relation="via")
        return replace(event, scene=True)
    if tied.lemma_.lower() in word_set("stop_noun") and tied.i != head.i:
        # "with stops including X": stops on the way
        return _event(found, "via", tied.text, index, doc, tied, head, relation="via")
    span = _time_spent(head)
    if span is not None and not _others_time(span):  # "after a week in Bangkok"
        event = _event(found, "via", f"{span.text} in", index, doc, span, head)
        return replace(event, prior=span.head.lower_ in ("after", "following"))
    stay = _a_stay_at(head)
    if stay is not None:  # "At Ogden, we were detained two days"
        verb, span = stay
        return _event(found, "via", f"{verb.text} {span.text} {head.head.lower_}", index, doc,
                      verb, head)  # fmt: skip
    end = _told_as_end(tied)
    if end is not None:  # "the trail's primary starting point was Independence"
        end_role, subject = end
        cue = f"{subject.text} {tied.head.text}"
        return _event(found, end_role, cue, index, doc, subject, head)
    told = _told_as_stop(tied, document, index)
    if told is not None:  # "the first stop is Seoul, followed by Tokyo"
        return _event(found, "via", told.text, index, doc, told, head, relation="via")
    if tied.dep_ == "pobj":
        prep = tied.head
        if prep.dep_ == "agent":
            return None  # "a train run by the Atchison … Railway": the doer, not a path
        relation = _prep_phrase(prep)
        if relation == "between" and _locates_a_thing(prep.head):
            return None  # "the Friendship Bridge between Zhangmu and Kodari": where it is
        if (
            relation == "to"
            and prep.head.lemma_.lower() in word_set("side_way")
            and prep.head.head.lower_ == "with"
        ):
            return None  # "from Glasgow to Mallaig, with a branch to Oban": off the way
        if _a_connection(prep):
            return None  # "connects in Tirano with a bus service via Lake Como to Lugano"
        verb = _governor(prep)
        placed_end = _an_unplaced_end_before(prep, rest, document.sentences[index][0])
        if placed_end is not None:
            relation = placed_end  # "marched from Rose Barracks in Vilseck": from Vilseck
    elif tied.dep_ in ("dobj", "pcomp"):
        relation, verb = "dobj", tied.head
    elif (
        tied.dep_ == "appos"
        and (tied.head.pos_ == "VERB" or _a_verb_read_as_a_noun(tied.head))
        and tied.i > tied.head.i
    ):
        relation, verb = "dobj", tied.head  # "the railway links Dakar …": an apposition
        # hangs on a noun; one the parser hung on a verb is the verb's object
    elif _then_a_place(tied):
        relation, verb = "to", _last_motion_verb(tied)
    elif _a_list_of_its_object(tied):
        relation, verb = "dobj", tied.head  # "visits five cities: Madrid, Seville …"
    elif (apposed := _apposition_read_as_adverb(tied)) is not None:
        relation, verb = _prep_phrase(apposed), _governor(apposed)  # "drove from Mannheim to
        # her birthplace, Pforzheim": the place the noun before it names
    elif tied.dep_ == "npadvmod" and tied.head.lower_ == "bound":
        relation, verb = "for", tied.head  # "the Seoul-bound delegation"
    elif (
        tied.dep_ in ("npadvmod", "dep", "oprd")
        and tied.pos_ == "PROPN"
        and tied.i > tied.head.i  # after the verb, as its object stands ...
        and not any(c.dep_ == "dobj" for c in tied.head.children)  # ... and in its place
        and _verbal(tied.head)
        and _verb_class(tied.head) in ("depart", "arrive", "stop")
        and not (tied.dep_ == "oprd" and tied.head.lemma_.lower() == "call")
    ):  # not "a place called Charmes": the name the place is called, no call at it
        relation, verb = "dobj", tied.head  # "departing Washington" parsed as an adverb
    elif (
        tied.dep_ == "conj"
        and tied.pos_ == "PROPN"
        and _verbal(tied.head)
        and any(c.dep_ == "dobj" for c in tied.head.children)
    ):
        # "reached the summit at noon, and the Palace Hotel, San Francisco, at midnight":
        # a second object the parser joined to the verb
        relation, verb = "dobj", tied.head
    elif _passive_object(tied):
        relation, verb = "dobj", tied.head  # "Nanking is reached": the object, told first
    elif (way := _named_members(tied)) is not None:
        relation, verb = _prep_phrase(way), _governor(way)  # "via numerous stations, the
        # main ones being Ndjolé, Lopé and Booué": the stations it goes via
    elif _to_as_infinitive(tied):
        relation, verb = "to", tied.head  # "… and Budapest to Bucharest", "to" parsed a verb's
    if verb is None:
        return _where_event(found, index, doc, head)
    if relation == "via" and not _verb_class(verb):
        verb = _the_way_told(verb) or verb  # "The route was a flying boat route between
        # Sydney and Durban, via Singapore": the way the clause names goes via it
    cls = _verb_class(verb)
    if not cls:
        verb, cls = _gapped(verb)
    scene = not cls and relation in ("in", "at", "during") and _the_scene(tied.head, verb)
    if scene:
        cls, relation = "stop", "in"  # "In Hanoi, the President will deliver a speech"
    if cls in ("", "move") and relation in ("in", "at") and _verbal(verb) and _stops_made(verb):
        cls = "stop"  # "made stops in Honolulu and Sydney", "had a halt at Aden"
    if not cls and relation in ("in", "at"):
        verb, cls = _a_stop_told_otherwise(verb)
    if not cls and _verbal(verb) and _a_going_done(verb):
        cls = "move"  # "conduct a tactical road march … to Orzysz", "undertook a voyage to X"
    if not cls and verb.dep_ == "ROOT" and verb.pos_ == "ADP" and doc[0].lower_ == "from":
        cls = "move"  # a line that is only "From Port Augusta to Norseman"
    if not cls and relation in ("to", "via", "through") and _a_verbless_leg(doc):
        cls = "move"  # a log's "Thence to Avignon by the river road", "On to Marseille"
    if not cls and relation == "to" and tied.dep_ == "pobj":
        journey = _journey_of_the_from(tied.head)
        if journey is not None:  # "the journey from Luke Air Force Base … to Amberley",
            verb, cls = journey, _verb_class(journey)  # "to" hung on another verb
    loose = not cls and (
        (relation in ("from", "to") and _paired_ends(tied.head))
        or (relation == "between" and _a_way_between(tied.head))
        # "a train operated by Amtrak between A and B via C": the way between them
        or (
            relation == "via"
            and any(
                c.dep_ == "prep" and c.lower_ == "between" and _a_way_between(c)
                for c in verb.children
            )
        )
    )
    if loose and _speaks_of_travel(doc):
        cls = "move"  # "a train operated by X Railway from San Francisco to Chicago"
    if not cls:
        return _where_event(found, index, doc, head)
    if _compared(head, verb):
        return None  # "a journey as long as the one from Boston to Washington"
    if cls == "route" and _an_extent(verb):
        return None  # "the Barkly Tableland runs east from Tennant Creek": where it lies
    if _several_journeys(verb) or _of_several_journeys(tied):
        return None  # "followed by races from Paris to Bordeaux, Marseilles and Vienna"
    if relation == "from" and _places_another(document, index, verb, rest):
        return None  # "Sintra is a short ride from Lisbon": where Sintra lies
    if _from_afar(verb):
        return None  # "participated by video in a summit in Kyiv", "took a phone call from
        # leaders in Kyiv": not there
    if cls == "present" and _people_met_there(head, doc):
        relation = head.head.lower_  # "hold talks with officials in Vientiane": met there
    role = _role_for(cls, relation, verb)
    if role is None and relation == "near":  # "arrived at Corio Bay near … Geelong"
        role = _near_an_unnamed_goal(document, index, verb, cls, rest)
    if cls in ("stop", "arrive") and (relation == "off" or (role is None and relation == "near")):
        role = "via" if cls == "stop" else "destination"  # "anchored off Cádiz": a ship at it
    if relation == "after" and cls in ("move", "route", "depart", "stop"):
        role = "via"  # "after Paris, the tour moves on to Brussels": Paris came before
    if verb.lemma_.lower() in word_set("link") and relation in ("dobj", "with", "to", "and"):
        role = "origin" if relation == "dobj" and head.dep_ != "conj" else "destination"
        if role == "destination" and relation == "dobj" and not _last_listed(head):
            role = "via"  # "it joins Cairns, Normanton, …, Derby and Broome": on the way
    if (
        role is None
        or _excluded(verb)
        or _another_way(verb, _own_way(document.text[:_OWN_WAY_CHARS]))
    ):
        return None
    if relation == "between" and _an_example(head):
        role = "via"  # "between major cities such as A, B and C": examples, not the ends
    elif relation == "between":  # "between A and B": A one end, B the other
        role = "destination" if _named_head(head).dep_ == "conj" else "origin"
        if role == "destination" and any(c.dep_ == "conj" for c in head.children):
            role = "via"  # "between A, B and C": B on the way
    cue = " ".join(([] if loose else [verb.text]) + ([relation] if relation != "dobj" else []))
    event = _event(found, role, cue, index, doc, verb, head, relation=relation, cls=cls)
    if scene:
        return replace(event, scene=True)
    if role == "destination" and (
        loose
        or relation == "between"  # "between A and B": B is told with its start
        or (verb.lemma_.lower() in word_set("link") and relation == "with")  # "links A with B" too
        or any(c.dep_ == "prep" and preps().get(_prep_phrase(c)) == "source" for c in verb.children)
    ):
        event = replace(event, paired=True)
        if cls == "route" and not _excluded(verb):
            # "the line runs from Dombås to Åndalsnes": the line's far end is the last of
            # the stations told along it
            event = replace(event, final=True)
    return event


def _event(
    found: Found,
    role: Role,
    cue: str,
    index: int,
    doc: Any,
    verb: Any,
    head: Any,
    *,
    relation: str = "",
    cls: str = "",
) -> StopEvent:
    """A stop event with the mode, sequence and return cues of its clause."""
    clause = _clause_tokens(verb)
    # the mode told nearest before the place first: "by train to A, then by car to B";
    # but a relative clause's antecedent first: "the ship that transported the Pilgrims"
    nearest = sorted(clause, key=lambda t: (t.i > head.i, abs(t.i - head.i)))
    mode, mode_cue = _mode_of([verb.head]) if verb.dep_ == "relcl" else ("unknown", "")
    if mode == "unknown":
        mode, mode_cue = _mode_of(nearest)
    if mode == "unknown":
        mode, mode_cue = _mode_of([t for t in doc if _travel_word(t)])
    words = {t.lower_ for t in clause} | {t.lemma_.lower() for t in clause}
    back = role == "destination" and _told_back(clause, words, head)
    return StopEvent(
        mention=found,
        role=role,
        cue=cue,
        source="frame",
        sentence=index,
        mode=mode,
        mode_cue=mode_cue,
        sequenced=any(
            t.lower_ in word_set("sequence") and not _after_the_journey(t) for t in clause
        )
        or "from there" in " ".join(t.lower_ for t in clause),
        back=back,
        earlier=bool(_EARLIER.search(" ".join(t.lower_ for t in clause))),
        initial=role != "origin"
        and any(c.dep_ == "advmod" and c.lower_ in _INITIALLY for c in verb.children),
        prior=(verb.dep_ in ("pcomp", "pobj") and verb.head.lower_ in ("after", "following"))
        or relation == "after"
        or any(c.dep_ == "aux" and c.lower_ == "having" for c in verb.children),
        passing=preps().get(relation) == "route"
        or verb.tag_ == "VBG"
        or cls == "move"
        or (cls == "stop" and _stops_made(verb)),  # stops made on the way
        on_the_way=verb.tag_ == "VBG" and verb.dep_ == "advcl" and role == "via",
        heading=role == "destination"
        and (
            relation in ("toward", "towards", "for")
            or (relation == "to" and verb.pos_ == "NOUN" and verb.lower_ in lexicon()[3])
            or (relation == "to" and verb.lower_ == "way" and verb.head.lower_ == "on")
        ),  # "bound for X", "the train to X", "on our way to X"
        later=any(  # "before arriving in X", "before heading to A, where … on to B"
            w.dep_ == "pcomp" and w.head.lower_ == "before" for w in (verb, *verb.ancestors)
        ),
        perfect=_past_perfect(verb),
        arrival=role == "destination" and cls == "arrive",
        ending=role == "destination" and cls == "end",
    )


def _past_perfect(verb: Any) -> bool:
    """ "It had crossed the border at Khasan", "after it had left Pyongyang" (a participle
    of such a clause: "had sunk … after leaving Bali")."""
    for word in (verb, *(a for a in verb.ancestors if _verbal(a))):
        if word.tag_ == "VBN" and any(
            c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in word.children
        ):
            return True
        own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in word.children)
        if word.dep_ not in ("advcl", "pcomp", "conj", "xcomp") or (
            word.dep_ == "conj" and own_subject  # "… had deteriorated, and they raced back"
        ):
            break
    return False


def _told_back(clause: list[Any], words: set[str], head: Any) -> bool:
    """A return told of this place: a "back" word just before it ("then back to Rome and on
    to Naples"), or one anywhere in a clause that goes to no place after it."""
    back = word_set("back")
    if not words & back:
        return False
    # not a word naming where the going starts ("from its home port in Seattle")
    backs = [t for t in clause if t.lower_ in back and not _naming_the_start(t)]
    if not backs:
        return False
    if any(0 < head.i - t.i <= 3 for t in backs):
        return True
    return not any(t.i > head.i and t.lower_ in ("to", "toward", "towards") for t in clause)


def _naming_the_start(word: Any) -> bool:
    """Whether ``word`` modifies the noun of a going's start ("home" of "from its home
    port"), not the going ("the return voyage to Ningpo", "to its home base")."""
    noun = word.head
    return word.dep_ in ("compound", "amod") and noun.dep_ == "pobj" and noun.head.lower_ == "from"


def names_a_landform(text: str, found: Found) -> bool:
    """ "Climbs over the Blue Mountains", "traversing the Copper Canyon": a name after "the"
    that ends in the head word of a natural feature, or opens with a Romance language's
    ("crossing the Rio Grande"), is the feature, not a namesake town."""
    words = found.surface.split()
    before = text[max(0, found.start - 4) : found.start]
    return before.casefold() == "the " and (
        words[-1].casefold() in load_list("landform_words.txt")
        or (len(words) > 1 and words[0].casefold() in load_list("landform_leads.txt"))
    )


def told_home(
    document: Document, events: Sequence[StopEvent], lead: int = -1
) -> tuple[int, str] | None:
    """ "…, then to Warsaw, before returning home": the sentence and words of a return home
    told after the journey's last stop, in a sentence that tells stops of the journey; or
    one told done in the text's ``lead`` sentences (up to that index) before the departure
    ("HONOLULU — The crew returned home after five months in San Francisco. … In June,
    the crew departed Honolulu …")."""
    if not events:
        return None
    last = max(events, key=lambda e: e.mention.start)
    told = {e.sentence for e in events if e.source == "frame" and e.sentence >= last.sentence}
    for index in sorted(told):  # the return is told after the last stop, in few sentences
        cue = _home_in(document, index, last.mention.end)
        if cue:
            return index, cue
    origin = min((e for e in events if e.role == "origin"), key=lambda e: e.sentence, default=None)
    if origin is None:
        return None
    for index in range(min(lead, origin.sentence - 1) + 1):
        cue = _home_in(document, index, 0, done=_doer(document, origin))
        if cue:
            return index, cue
    return None


def travellers_scenes(document: Document, events: Sequence[StopEvent]) -> list[StopEvent]:
    """The events but the scenes (:func:`_the_scene`) of someone other than the traveller
    of the nearest travel told before them (after, for a scene told first): "We sailed
    to Calais. In London, the king opened parliament" tells no stop in London."""
    moves = [e for e in events if e.source == "frame" and not e.scene]
    kept = []
    for event in events:
        if event.scene and moves:
            before = [m for m in moves if m.sentence <= event.sentence]
            told = (before[-1], event) if before else (event, moves[0])
            first, second = (_doer(document, e) for e in told)
            if not _one_traveller_of(first, second) or not _one_number(first, second):
                continue
        kept.append(event)
    return kept


def _one_number(first: Any, second: Any) -> bool:
    """Whether two doers (subjects, or None) agree in number ("The minister flew to Lagos.
    In Abuja, they say …": "they" is other people)."""
    if first is None or second is None:
        return True
    return _plural(first) == _plural(second)


def _plural(subject: Any) -> bool:
    """A plural subject: "they", "we", a plural noun, or nouns joined by "and"."""
    if subject.tag_ in ("PRP", "PRP$"):
        return subject.lower_ in ("they", "we", "them", "us")
    return subject.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subject.children)


def one_traveller(document: Document, a: StopEvent, b: StopEvent) -> bool:
    """Whether the text tells stops ``a`` and ``b`` of one traveller: the second's clause
    has no subject of its own, a pronoun, or the first's words or some of them ("First
    Lady Michelle Obama will travel to London … The First Lady … before returning to
    Washington", "… She will return to Washington"; not "Fighting returned to
    Bakhmut", "the foreign minister returns to Paris" after "the prime minister will
    travel to Brussels")."""
    return _one_traveller_of(_doer(document, a), _doer(document, b))


def _one_traveller_of(first: Any, second: Any) -> bool:
    """:func:`one_traveller` on the two stops' doers (subjects, or None)."""
    if second is None:
        return True
    return first is not None and _one_doer(first, second)


def _one_doer(first: Any, second: Any) -> bool:
    """Whether subject ``second`` names the doer subject ``first`` names: a pronoun, or
    the first's words or some of them ("First Lady Michelle Obama" … "the First Lady";
    not "the prime minister" … "the foreign minister")."""
    if second.tag_ in ("PRP", "PRP$"):
        return True
    one, other = _words_of(first), _words_of(second)
    return one <= other or other <= one


def _doer(document: Document, event: StopEvent) -> Any:
    """The subject of the clause that tells a stop, or of the clause that one hangs on
    ("… visit Venice before returning to Washington": the visitor)."""
    head = _mention_head(document, event.sentence, event.mention)
    token = head
    for _ in range(8):
        if token is None or token.head.i == token.i:
            break
        token = token.head
        if _verbal(token):
            subject = _subject(token, passive=True)
            if subject is not None:
                return subject
    return None


def _words_of(token: Any) -> set[str]:
    """A noun phrase's words less its determiners, lower case ("the prime minister":
    {"prime", "minister"})."""
    return {t.lower_ for t in token.subtree if t.dep_ not in ("det", "punct")}


def _home_in(document: Document, index: int, after: int, *, done: Any = False) -> str:
    """The words of a return home in sentence ``index`` told past position ``after``,
    else ``""``. ``done``: the subject of the journey's departure; the return must then
    be told done, by that traveller, to no place named ("The crew returned home", not
    "Storm victims returned home", nor "returned home to Seattle")."""
    base, end = document.sentences[index]
    if "home" not in document.text[base:end].lower():
        return ""
    for token in document.parsed(index):
        verb = token.head
        if (
            token.lower_ == "home"
            and token.dep_ in ("advmod", "npadvmod", "dobj", "pobj")
            and verb.lemma_.lower() in word_set("home")
            and base + token.idx > after
            and not _excluded(verb)
            and (done is False or _done_by(verb, token, done))
        ):
            return f"{verb.text} home"
    return ""


def _done_by(verb: Any, home: Any, doer: Any) -> bool:
    """Whether a return ``home`` is told done by ``doer`` (a departure's subject, or None)
    to no place named after it."""
    named = home.i + 1 < len(home.doc) and home.doc[home.i + 1].lower_ in ("to", "in", "at")
    subject = _subject(verb)
    if verb.tag_ != "VBD" or named or subject is None or doer is None:
        return False
    return _one_doer(doer, subject)


_LAST = r"(?:the|its|her|his|their|our)\s+(?:last|final)\s+(?:stop|destination|port of call)"
_LAST_AFTER = re.compile(r"\s*,?\s*(?:(?:is|was|will be)\s+)?" + _LAST + r"\b", re.I)
_LAST_BEFORE = re.compile(_LAST + r"\s+(?:is|was|will be|being)\s*$", re.I)
#: A journey's destination named as such ("arrived at their destination of Cincu").
_DESTINATION_OF = re.compile(
    r"\b(?:the|its|her|his|their|our)\s+(?:final\s+|ultimate\s+)?destination\s+of\s+$", re.I
)


def told_last(text: str, event: StopEvent) -> bool:
    """Whether the text names the place the last stop: "Jakarta, the last stop of the tour",
    "Jakarta is the final stop", "her final destination is Jakarta", "arrived at their
    destination of Cincu"."""
    found = event.mention
    after = _LAST_AFTER.match(text, found.end)
    before = _LAST_BEFORE.search(text, max(0, found.start - 60), found.start)
    named = event.role == "destination" and _DESTINATION_OF.search(
        text, max(0, found.start - 60), found.start
    )
    return after is not None or before is not None or bool(named)


def names_a_region(text: str, found: Found) -> bool:
    """ "Crossing through Shinano, Mino and Ōmi provinces": names listed before a region
    noun ("province", "prefectures", "state") are the regions, not towns of those names."""
    from .words import REGION_NOUNS

    for k, word in enumerate(re.findall(r"[^\s,]+", text[found.end : found.end + 160])):
        bare = word.strip(".;:()").casefold()
        noun = bare in REGION_NOUNS or (bare.endswith("s") and bare[:-1] in REGION_NOUNS)
        if noun and (k == 0 or word.islower()):  # "Kano State"; not "…, United States"
            return True
        if bare != "and" and not word[:1].isupper():
            return False
    return False


def _after_the_journey(word: Any) -> bool:
    """ "Arrived in Hanoi after a 60-hour journey from Pyongyang", "after two days",
    "following a 164-day deployment": an "after" whose object is the journey, a span of
    time, or anything said to last one, orders nothing told before."""
    if word.lower_ not in ("after", "following"):
        return False
    objects = [c for c in word.children if c.dep_ == "pobj"]
    nouns = lexicon()[1] | _lasting_spans()
    return any(o.lemma_.lower() in nouns or _lasting(o) for o in objects)


def _lasting(noun: Any) -> bool:
    """A noun said to last a span of time: "a 164-day deployment", "a month-long stay"."""
    spans = _lasting_spans()
    for child in noun.children:
        if child.dep_ in ("compound", "npadvmod", "nmod") and child.lemma_.lower() in spans:
            return True  # "164-day", "two-week"
        if child.lower_ == "long" and any(g.lemma_.lower() in spans for g in child.children):
            return True  # "month-long"
    return False


def returns_after_the_journey(document: Document, event: StopEvent) -> bool:
    """ "The crew returned to their homeport of Alameda following a 164-day deployment",
    "she returned to Paris after a two-week tour": a return after the whole journey, told
    anywhere in the text, is where the journey ends."""
    if event.role != "destination" or not event.cue.lower().startswith("return"):
        return False
    return any(_after_the_journey(word) for word in document.parsed(event.sentence))


def worth_parsing(
    document: Document, index: int, *, scenes: bool = False, stems: bool = True
) -> bool:
    """A sentence with a motion word or journey noun in any form (a cheap filter; without
    ``stems``, only as the lexicon writes it, not "restaurants" for "rest"); with
    ``scenes``, also one that opens with a place ("In Hanoi, the President will …": the
    verb frames' :func:`_the_scene`)."""
    sentence = document.text[slice(*document.sentences[index])].lower()
    if sentence.lstrip().startswith("from "):
        return True  # "From A to B" needs no verb
    opening = document.text[slice(*document.sentences[index])]
    if scenes and re.match(r"\s*(?:In|At|During)\s+[^,]{0,80}?\b[A-Z][^,]{0,80},", opening):
        return True
    words = set(re.findall(r"[a-z]+", sentence))
    known, known_stems = _travel_vocabulary()
    if words & known:
        return True
    if not stems:  # the words' own forms: "calls", "visited", "stops"
        forms = verb_forms(MOTION_CLASSES)
        return any(w in forms or (w.endswith("s") and w[:-1] in known) for w in words)
    return any(w[:4] in known_stems for w in words if len(w) >= 4)


@lru_cache(maxsize=1)
def _travel_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """The motion verbs, journey nouns and mode words, and their four-letter stems."""
    verbs, nouns, _preps, modes = lexicon()
    known = frozenset(verbs) | nouns | frozenset(modes)
    return known, frozenset(k[:4] for k in known if len(k) >= 4)


def by_sentence(document: Document, towns: Sequence[Found]) -> dict[int, list[Found]]:
    """The towns of each sentence."""
    grouped: dict[int, list[Found]] = {}
    for found in towns:
        index = document.sentence_index(found.start)
        if index is not None:
            grouped.setdefault(index, []).append(found)
    return grouped


def told_of_the_journey(document: Document, towns: Sequence[Found]) -> list[Found]:
    """``towns`` less those in a section about something else than the journey told
    ("History", "Background", "See also"), unless their clause tells the way itself ("the
    road began in Paraty and went north through …"; not "the route was first used in
    1903, when the race ran from Paris to Marseille"). The sentences of such sections are
    parsed in batches, as the passes parse theirs."""
    other = load_list("other_sections.txt")
    elsewhere = {
        id(f): index
        for f in towns
        if (index := document.sentence_index(f.start)) is not None
        and document.heading_of(index).casefold() in other
    }
    if not elsewhere:
        return list(towns)
    grouped = by_sentence(document, [f for f in towns if id(f) in elsewhere])
    kept: set[int] = set()
    for index in _parsed_in_batches(document, grouped):
        before: Found | None = None
        for found in grouped[index]:
            head = _mention_head(document, index, found)
            if (head is not None and _of_a_way(head)) or (
                before is not None
                and id(before) in kept
                and listed_after(document.text, before, found)
            ):  # the items of a list after a town of the way are of the way
                kept.add(id(found))
            before = found
    return [f for f in towns if id(f) not in elsewhere or id(f) in kept]


def _of_a_way(head: Any) -> bool:
    """Whether the clause a place stands in has a way as its subject ("the main route
    continues up to A", "the road was extended through A", "the road began in A and went
    north through B")."""
    node = head
    for _ in range(12):
        if _verbal(node):
            break
        if node.head.i == node.i:
            return False
        node = node.head
    else:
        return False
    for _ in range(6):  # "began in A and went through B": the subject of the first verb
        subject = _subject(node, passive=True)
        if subject is not None:
            return subject.lemma_.lower() in word_set("way_noun")
        if node.dep_ != "conj" or node.head.i == node.i:
            return False
        node = node.head
    return False


#: Sentences parsed at a time; their parses are dropped once read, so memory stays bounded.
PARSE_BATCH = 256


def _parsed_in_batches(document: Document, indices: Iterable[int]) -> Iterator[int]:
    """The sentences ``indices``, each yielded while its parse is held: parsed in batches
    and, in a long text, only those that speak of travel, their parses dropped once read
    so memory stays bounded."""
    wanted = sorted(indices)
    if len(wanted) > PARSE_BATCH:  # a long text: only the sentences that speak of travel
        wanted = [i for i in wanted if worth_parsing(document, i, scenes=True)]
    for first in range(0, len(wanted), PARSE_BATCH):
        batch = wanted[first : first + PARSE_BATCH]
        document.parse(batch)
        yield from batch
        if len(wanted) > PARSE_BATCH:
            document.release(batch)


def frame_events(document: Document, towns: Sequence[Found]) -> list[StopEvent]:
    """Stops from verb frames, in text order."""
    grouped = by_sentence(document, towns)
    events = []
    for index in _parsed_in_batches(document, grouped):
        for found in grouped[index]:
            event = _frame_event(document, index, found, grouped[index])
            if event is not None:
                events.append(event)
    return events


# -- lists ----------------------------------------------------------------------------------


def colon_stop_events(
    document: Document, towns: Sequence[Found], events: Sequence[StopEvent]
) -> list[StopEvent]:
    """The towns a sentence lists after a noun of stops and a colon ("The team made three
    pit stops along the way: Rick Husband International Airport in Amarillo, Texas, for
    fuel, another at Ft. Worth …"), or after towns a way connects or serves ("some towns it
    connects: (1) Reykjavík; (2) Borgarnes; …"): stops on the way, in the list's order,
    where no frame read them."""
    read = {id(e.mention) for e in events}
    out: list[StopEvent] = []
    for index, found in sorted(by_sentence(document, towns).items()):
        start, end = document.sentences[index]
        colons = [m.start() for m in re.finditer(":", document.text[start:end])]
        told = [  # the colons whose words before (from the one before) tell of stops
            start + c
            for c, before in zip(colons, [0, *(c + 1 for c in colons)], strict=False)
            if _tells_of_stops(document.text[start + before : start + c])
        ]
        if not told:
            continue
        colon = told[0]
        listed = [f for f in sorted(found, key=lambda f: f.start) if f.start > colon]
        if len(listed) < 2:
            continue
        listed = [
            f
            for k, f in enumerate(listed)
            if id(f) not in read  # "… at Barksdale Air Force Base in Shreveport": where it is
            and not (
                k
                and re.fullmatch(
                    r",?\s+(?:in|near|at)\s+", document.text[listed[k - 1].end : f.start]
                )
            )
        ]
        cue = " ".join(document.text[start : colon + 1].split()[-4:])
        out.extend(_bare_event(f, "via", cue, "frame", index, passing=True) for f in listed)
    return out


#: A clause that opens with "At" and the place ("At Ogden, we were detained two days";
#: "…; at Bakel of the massacre"; a diary's "At Bloomville at 1/4 past 4").
#: "At" opening a sentence, a line or a clause after a semicolon, and the space after it.
_OPENS_AT = re.compile(r"(?:^|(?<=[;\n]))[ \t]*At[ \t]+", re.MULTILINE)


#: A courtesy title and a name right after a town's, which no place qualifies ("At
#: Khartoum Mr and Mrs Baker spent some months"; not "At Kyiv Mayor Klitschko's
#: invitation", nor "At Phoenix Dr. and 5th Ave.", a street).
_COURTESY_TITLE_NEXT = re.compile(
    r"\s+(?:Mr|Mrs|Ms|Miss|Dr|Mx)\b\.?\s+(?:and\s+(?:Mr|Mrs|Ms|Miss|Dr|Mx)\b\.?\s+)?[A-Z]"
)


def fronted_at_events(
    document: Document, towns: Sequence[Found], events: Sequence[StopEvent]
) -> list[StopEvent]:
    """The towns a sentence or a clause opens with, after "At" ("At Ogden, we were
    detained two days by the burning of a bridge", "At Keneh one Issa lent a donkey"):
    where the narration stands, a stop on the way, where no frame read them; not a
    possessive or a longer name ("At Berlin's request", "At Paris Hilton's party"). A
    scene opening with "In" is left to the frames ("In London, the king opened
    parliament" may be someone else's)."""
    text = document.text
    read = {id(e.mention) for e in events}
    out: list[StopEvent] = []
    for index, found in sorted(by_sentence(document, towns).items()):
        start, end = document.sentences[index]
        opened = {m.end() for m in _OPENS_AT.finditer(text[start:end])}
        for f in found:
            if (
                id(f) not in read
                and f.start - start in opened
                and (
                    not re.match(r"['’]s\b|\s+[A-Z]", text[f.end : f.end + 3])
                    or _COURTESY_TITLE_NEXT.match(text, f.end) is not None  # "At Khartoum Mr"
                )
            ):
                out.append(_bare_event(f, "via", f"At {f.surface}", "frame", index))
    return out


def _tells_of_stops(words_before: str) -> bool:
    """Whether the words before a colon speak of stops ("made three pit stops along the
    way:") or end in a way's verb after the towns it joins ("some towns it connects:",
    "the ports it calls at:"; not "linked Sydney … with the Bass Strait ports:")."""
    words = re.findall(r"[a-z]+", words_before.lower())
    stop_nouns = word_set("stop_noun")
    if any(w in stop_nouns or (w.endswith("s") and w[:-1] in stop_nouns) for w in words):
        return True
    verb = words[-2:-1] if words[-1:] in (["at"], ["in"]) else words[-1:]  # "it calls at:"
    return any(w.endswith("s") and w[:-1] in place_nouns() for w in words) and bool(
        verb and verb[0] in verb_forms(("route", "stop"))
    )


def _bare_event(
    mention: Found, role: Role, cue: str, source: Source, sentence: int, *, passing: bool = False
) -> StopEvent:
    """A stop event a pass reads with no verb's clause: no mode, no sequence."""
    return StopEvent(
        mention=mention,
        role=role,
        cue=cue,
        source=source,
        sentence=sentence,
        mode="unknown",
        mode_cue="",
        sequenced=False,
        passing=passing,
    )


def list_events(
    document: Document, towns: Sequence[Found], events: Sequence[StopEvent]
) -> list[StopEvent]:
    """The items of a list of places that the frames read only in part.

    A long list under one frame ("flew via A, B, C, …, X racecourse, Y (Z), W and V")
    defeats a small parser: where two or more items of one list are stops with one
    role, the items between and after them that no frame read are stops with that role
    too (each takes the event of the item before it).
    """
    text = document.text
    read = {id(e.mention): e for e in events}
    added: list[StopEvent] = []
    for found in by_sentence(document, towns).values():
        found = sorted(found, key=lambda f: f.start)
        runs = [[found[0]]]
        for a, b in itertools.pairwise(found):
            if not listed_after(text, a, b):
                runs.append([])
            runs[-1].append(b)
        for run in runs:
            head = _dated_itinerary(document, run, read)
            if head is not None:
                read[id(run[0])] = head
                added.append(head)
            added.extend(_fill_list(run, read, text))
    return added


#: The most characters from a list item's end to its date's start: "Saigon on May 11",
#: "Lyon (12 June)", "Lyon, on the 12th of June".
_ITEM_DATE_GAP = 10


def _dated_itinerary(
    document: Document, run: Sequence[Found], read: dict[int, StopEvent]
) -> StopEvent | None:
    """The first item of a list of three places or more where someone was, a date each,
    in calendar order ("Johnson was in Honolulu on May 9, Saigon on May 11, Manila on
    May 13 …", "The President will be in Paris on 5 June, Rome on 7 June …"): an
    itinerary told with "be", which no verb of motion reads. The list's other items then
    follow under it (:func:`_fill_list`). Not a list any frame read, nor one whose subject
    is no named doer ("Storms were in Dallas on May 9, …", "it was in …")."""
    if len(run) < LONG_LIST or any(id(f) in read for f in run):
        return None
    text = document.text
    dates = dates_in(text)
    days = []
    for k, found in enumerate(run):
        end = run[k + 1].start if k + 1 < len(run) else len(text)
        date = next(
            (d for s, _e, d in dates if found.end <= s <= found.end + _ITEM_DATE_GAP and s < end),
            None,
        )
        if date is None:
            return None
        days.append((abs(date[0]), date[1], date[2]))
    if days != sorted(days):
        return None
    index = document.sentence_index(run[0].start)
    if index is None:
        return None
    doc = document.parsed(index)
    head = _mention_head(document, index, run[0])
    if head is None or head.dep_ != "pobj" or head.head.lower_ not in ("in", "at"):
        return None
    prep = head.head
    verb = prep.head
    if verb.lemma_ != "be" or not _named_doer(verb):
        return None  # a traveller is there: not "storms were in …", "it was in …"
    return _event(
        run[0],
        "via",
        f"{verb.lower_} {prep.lower_} (a date each)",
        index,
        doc,
        verb,
        head,
        relation=prep.lower_,
    )


#: A list of this many places or more, its first read by a frame, is read whole under that
#: frame ("was in Honolulu on May 9, Saigon on May 11, Manila on May 13, and Karachi …"):
#: three items joined by list glue are a list, not an aside.
LONG_LIST = 3


#: Between two items of a plain list: a comma, "and", or both ("A, B and C").
_PLAIN_LIST_GAP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


def one_frame_per_list(
    document: Document, towns: Sequence[Found], events: Sequence[StopEvent]
) -> list[StopEvent]:
    """The events, with the items of a plain list of three towns or more ("to Seoul,
    Kuala Lumpur and Manila") under the frame that reads its first item, where the parser
    hung a later item on another word ("the first stop"): one list, one frame."""
    text = document.text
    read = {id(e.mention): e for e in events if e.source == "frame"}
    fixed: dict[int, StopEvent] = {}
    for found in by_sentence(document, towns).values():
        found = sorted(found, key=lambda f: f.start)
        runs = [[found[0]]]
        for a, b in itertools.pairwise(found):
            if not _PLAIN_LIST_GAP.fullmatch(text, a.end, b.start) or qualifies(b, a):
                runs.append([])
            runs[-1].append(b)
        for run in runs:
            head = read.get(id(run[0]))
            if len(run) < LONG_LIST or head is None:
                continue
            for item in run[1:]:
                own = read.get(id(item))
                if own is not None and own.cue != head.cue:
                    fixed[id(own)] = replace(head, mention=item)
    return [fixed.get(id(e), e) for e in events]


def _fill_list(run: Sequence[Found], read: dict[int, StopEvent], text: str = "") -> list[StopEvent]:
    told = [read[id(f)] for f in run if id(f) in read]
    first_only = len(told) == 1 and id(run[0]) in read and len(run) >= LONG_LIST
    if first_only:
        run = _one_clause(text, run)
        first_only = len(run) >= LONG_LIST
    if (len(told) < 2 and not first_only) or len({e.role for e in told}) > 1:
        return []  # a long list read at its head only goes on under the same frame
    out: list[StopEvent] = []
    before: StopEvent | None = None
    for found in run:
        event = read.get(id(found))
        if event is not None:
            before = event
        elif before is not None and place_key(found) != place_key(before.mention):
            role: Role = "via" if first_only and before.role == "origin" else before.role
            before = replace(
                before, mention=found, role=role, cue=before.cue.removesuffix(_SAME) + _SAME
            )  # "left Southampton on April 10, Cherbourg …": calls after the one start
            out.append(before)
    return out


def _one_clause(text: str, run: Sequence[Found]) -> list[Found]:
    """The head of a list and the items after it up to a new clause's glue (";", ", and"
    or ", but" before a place that a verb of its own follows: "flew to Denver; Phoenix,
    Tucson and Albuquerque are next")."""
    kept = [run[0]]
    for a, b in itertools.pairwise(run):
        if re.search(r";|,\s*(?:and|but)\s*$", text[a.end : b.start]) and len(kept) == 1:
            break
        kept.append(b)
    return kept


_SAME = " (in the same list)"


# -- route chains ---------------------------------------------------------------------------


_JOIN = re.compile(r"^\s*(?:[–—―‒-]+|→|->|>|to|/)\s*$", re.IGNORECASE)
_HEADING = re.compile(
    r"^\s*(?:(?:day|stage|leg|étape|part|section)\s*\d+[a-z]?|\d+[.)]|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+\.?(?:,?\s+\d{4})?|"  # 1 July 1903
    r"[A-Za-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?)?"  # July 1, 1903
    r"\s*[:.)–—-]?\s*$",
    re.IGNORECASE,
)


#: A list line's label before its towns: "- National Route 17:", "Section two:", with a
#: bullet, a number or a word of a way or a stage (not "Related:", "Read more:").
_LABEL = re.compile(
    r"\s*(?:[•*–—-]\s*(?:[^\W_][\w.'’]*\s+){0,4}[^\W_][\w.'’]*"
    r"|(?:[^\W_][\w.'’]*\s+){0,4}(?:\d+|route|road|highway|line|stage|leg|section|day|part)"
    r"\b[\w.'’]*)\s*:\s*",
    re.IGNORECASE,
)

#: What stands before the towns of a chapter title's second part, set off by a dash:
#: the chapter's number or a first part ("CHAPTER IV.—", "THE TRANSVAAL.—").
_TITLE_LABEL = re.compile(r"[^a-z\n]{1,60}?[.:]?\s*[—–―]+\s*")


def _titled(document: Document, index: int, label: str) -> bool:
    """Whether a line in capitals is a title whose towns follow a dashed first part
    ("THE TRANSVAAL.—NEWCASTLE TO PRETORIA.")."""
    start, end = document.sentences[index]
    line = document.text[start:end]
    return line.upper() == line and _TITLE_LABEL.fullmatch(label) is not None


_FIELD = re.compile(r"[\s•*-]*(?P<key>[A-Za-z][A-Za-z ]{1,20}?)\s*:\s")


def field_events(document: Document, towns: Sequence[Found]) -> list[StopEvent]:
    """Stops from "key: value" lines ("Start: Pretoria", "Places visited: A, B, C")."""
    keys = load_table("field_keys.tsv")
    events: list[StopEvent] = []
    for index, found in sorted(by_sentence(document, towns).items()):
        start, end = document.sentences[index]
        match = _FIELD.match(document.text, start, end) or _bare_field(document, index, found)
        role = keys.get(match["key"].strip().casefold()) if match else None
        if match is None or role is None:
            continue
        listed = [f for f in sorted(found, key=lambda f: f.start) if f.start >= match.end()]
        for stop in listed:
            events.append(
                StopEvent(
                    mention=stop,
                    role=role,  # type: ignore[arg-type]
                    cue=match.group().strip(),
                    source="field",
                    sentence=index,
                    mode="unknown",
                    mode_cue="",
                    sequenced=role == "origin",
                    passing=role == "via",  # listed stops are on the way ("Calling points:")
                    paired=role == "destination",
                )
            )
    return events


#: An infobox row copied without its colon: "Start Adelaide", "End Darwin".
_BARE_FIELD = re.compile(r"[\s•*-]*(?P<key>[A-Z][a-z]+(?: [a-z]+){0,2}) (?=\S)")


def _bare_field(document: Document, index: int, found: Sequence[Found]) -> Any:
    """A line that is a field's key and nothing but places after it ("Start Adelaide"), or a
    place and its station ("End Kars Railway Station, Kars")."""
    start, end = document.sentences[index]
    match = _BARE_FIELD.match(document.text, start, end)
    if match is None or "\n" in document.text[start:end]:
        return None
    rest = document.text[match.end() : end]
    for f in sorted(found, key=lambda f: f.start, reverse=True):
        if f.start >= match.end():
            rest = rest[: f.start - match.end()] + rest[f.end - match.end() :]
    if re.fullmatch(r"[\s,;&()]*(?:and[\s,;&()]*)*", rest):
        return match
    words = re.findall(r"[^\W\d_]+", rest)  # "Start Ankara Central Station": its station
    station = 0 < len(words) <= 3 and words[-1].lower() in STATION_WORDS
    return match if station and all(w[:1].isupper() for w in words) else None


def _line_mode(line: str) -> Mode:
    """The mode the first mode word of a list's line names ("Day 2: train to Porto")."""
    return next(modes_named(line), "unknown")


def _before_a_hyphen(text: str, found: Found, others: Sequence[Found]) -> bool:
    """Whether another name follows ``found`` across a hyphen with no space ("Berlin" of
    "Berlin-Spandau", "Ise" of "Ise-Shima"): one word naming one place, which the parser
    heads by its last name; that one is the stop."""
    return text[found.end : found.end + 1] in ("-", "‐") and any(
        o.start == found.end + 1 for o in others
    )


def _joined(text: str, a: Found, b: Found, *, tight: bool) -> bool:
    """Whether a dash, an arrow or "to" joins ``a`` and ``b`` as a leg; a hyphen with no
    space round it only if ``tight``."""
    gap = text[a.end : b.start]
    if gap in ("-", "‐"):
        return tight
    return _JOIN.match(gap) is not None


def _linked_legs(text: str, found: Sequence[Found], *, tight: bool = False) -> list[Found]:
    """Two or more dashed legs in a sentence, each starting where the one before ends
    ("in three legs: Versailles – Bordeaux (552 km), Bordeaux – Vitoria and Vitoria –
    Madrid"): the towns in order, each once; else nothing."""
    legs = [(a, b) for a, b in itertools.pairwise(found) if _joined(text, a, b, tight=tight)]
    linked = [legs[0]] if legs else []
    for leg in legs[1:]:
        if place_key(leg[0]) != place_key(linked[-1][1]):
            break
        linked.append(leg)
    if len(linked) < 2:
        return []
    return [linked[0][0], *(b for _a, b in linked)]


#: A dash or an arrow after a town's country or region ("Nome, Alaska - ", "Santos
#: (Brazil) - ", "Casablanca Morocco - "), before the next town of a chain.
_QUALIFIED_JOIN = re.compile(
    r"(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2}|\s*\([^()\n]{1,30}\)|\s+[A-Z][a-z]+)"
    r"\s+(?:[–—―‒-]+|→|->|>)\s+"
)
#: After a chain's last town (and its qualifier): a dateline's dash or a colon before
#: prose ("Hartford, Conn. (AP) --", "Bari: rail strike hits …"): no route.
_QUALIFIED_CHAIN_END = re.compile(r"[^\n:—]{0,40}?(?::|—|--|\(AP\))")
#: A chain with such joins has this many towns at least (a dateline's town, its region and
#: a dash are no chain of two).
_QUALIFIED_CHAIN = 3


#: Before a chain of legs in prose, "the" and a year make the chain a name: an edition of
#: a race or a rally ("the 1896 Paris–Marseille–Paris"), not legs gone.
_A_NAME_BEFORE = re.compile(r"\bthe\s+\d{4}\s+$")


def chain_events(document: Document, towns: Sequence[Found]) -> list[StopEvent]:
    """Stops from lines that join towns with dashes or arrows ("Lyon – Avignon")."""
    events: list[StopEvent] = []
    text = document.text
    for index, found in sorted(by_sentence(document, towns).items()):
        start, _end = document.sentences[index]
        found = sorted(found, key=lambda f: f.start)
        label = text[start : found[0].start].strip()
        # a tight hyphen joins legs only in a title or a labelled line ("Stage 4: Nantes-
        # Rennes"); elsewhere it joins one name ("Berlin-Spandau", "the Paris-Lyon line")
        labelled = bool(
            label
            and (
                _HEADING.fullmatch(label)
                or _LABEL.fullmatch(label)
                or _titled(document, index, label)
            )
        )
        tight = (
            document.is_heading(index)
            or labelled
            or label.lower().endswith(("stages", "legs"))  # "the stages Nîmes-Perpignan, …"
        )
        chain = [found[0]]
        qualified = 0  # joins past a town's country or region ("Nome, Alaska - Fairbanks")
        for a, b in itertools.pairwise(found):
            if _joined(text, a, b, tight=tight):
                chain.append(b)
            elif _QUALIFIED_JOIN.fullmatch(text, a.end, b.start):
                chain.append(b)
                qualified += 1
            elif len(chain) < 2:
                chain, qualified = [b], 0
            else:
                break
        if qualified and (
            len(chain) < _QUALIFIED_CHAIN
            or _QUALIFIED_CHAIN_END.match(text, chain[-1].end)
            or len({fold(f.surface) for f in chain}) < len(chain)
        ):
            chain = [chain[0]]  # "PARIS, France — Lyon officials said": a dateline; "Rome,
            # Italy - Naples, Italy - Bari: rail strike …"; "Paris, Texas - Paris, France"
        if len(chain) < 2 or not (_HEADING.match(text[start : chain[0].start]) or labelled):
            chain = _linked_legs(text, found, tight=tight)
            if not chain or _A_NAME_BEFORE.search(
                text, max(0, chain[0].start - 12), chain[0].start
            ):
                continue  # "organised the 1896 Paris–Marseille–Paris": an event's name
        mode = _line_mode(text[slice(*document.sentences[index])])
        # a title "A to B" names the whole journey: B is its end, whatever is told after
        title = len(chain) == 2 and index == 0 and document.is_heading(index)
        for k, stop in enumerate(chain):
            events.append(
                StopEvent(
                    mention=stop,
                    role=role_in_line(k, len(chain)),
                    cue=text[chain[0].start : chain[-1].end],
                    source="chain",
                    sentence=index,
                    mode=mode,
                    mode_cue=mode if mode != "unknown" else "",
                    sequenced=not title,
                    paired=title,
                    # "Brescia–Rome–Brescia": a link told again is a visit again
                    back=any(place_key(c) == place_key(stop) for c in chain[:k]),
                )
            )
    return events


#: Between the two ends of a way named before its noun: "the Paris to Lyon train", "a
#: London-to-Edinburgh flight", "the Santiago de los Caballeros to Santo Domingo bus".
_TO_BETWEEN = re.compile(r"\s+to\s+|-to-", re.I)
#: Before such a name: an article or a possessive.
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|our|my)\s+$|['’]s\s+$", re.I)
#: After it: the way's or vehicle's noun, perhaps after one word ("the Paris to Lyon
#: high-speed train").
_WAY_AFTER = re.compile(r"\s+([\w-]+)(?:\s+([a-z]+)\b)?")


def named_way_events(document: Document, towns: Sequence[Found]) -> list[StopEvent]:
    """Stops from a way named by its two ends before its noun ("took the Paris to Lyon
    train", "the Moscow to Vladivostok line is 9,289 km long"): the first end is where
    it starts, the second where it goes. The parser reads these names as anything but."""
    way_words = lexicon()[1] | lexicon()[3].keys()  # journey nouns, words of a mode
    text, events = document.text, []
    for index, found in sorted(by_sentence(document, towns).items()):
        found = sorted(found, key=lambda f: f.start)
        for a, b in itertools.pairwise(found):
            after = _WAY_AFTER.match(text, b.end)
            k = next((k for k in (1, 2) if after and after[k] in way_words), None)
            if (
                after is None
                or k is None
                or not _TO_BETWEEN.fullmatch(text[a.end : b.start])
                or not _DETERMINER_BEFORE.search(text, max(0, a.start - 12), a.start)
            ):
                continue
            noun = after[k]
            mode = mode_named(noun) or "unknown"
            cue = text[a.start : after.end(k)]
            for stop, role in ((a, "origin"), (b, "destination")):
                events.append(
                    StopEvent(
                        mention=stop,
                        role=role,  # type: ignore[arg-type]
                        cue=cue,
                        source="frame",
                        sentence=index,
                        mode=mode,
                        mode_cue=noun if mode != "unknown" else "",
                        sequenced=False,
                        paired=True,
                    )
                )
    return events


_TABLE_ROW = re.compile(r"\s*\d{1,3}[a-z]?\b")


def _table_header(line: str) -> bool:
    """A header of a table of legs: "Leg | Start | Finish | Winner", "Stage Date From To"."""
    words = set(re.findall(r"[a-z]+", line.lower()))
    return len(line.split()) <= 20 and bool(
        words & word_set("start_column") and words & word_set("finish_column")
    )


def table_events(document: Document, towns: Sequence[Found]) -> list[StopEvent]:
    """Stops from the rows of a table of legs or stages under a header that names where
    each starts and finishes ("Leg | Start | Finish | …", then "1 | Portsmouth, England |
    Cape Town, South Africa | …"): each numbered row's first two towns, in the rows'
    order (the other columns, such as a winner's boat, are no stops)."""
    text = document.text
    in_sentence = by_sentence(document, towns)
    events: list[StopEvent] = []
    for index in range(len(document.sentences) - 1):
        if not _table_header(document.sentence_text(index)):
            continue
        rows: list[tuple[int, Found, Found]] = []
        for line in range(index + 1, len(document.sentences)):
            begin, stop = document.sentences[line]
            if text[document.sentences[line - 1][1] : begin].count("\n") != 1:
                break  # the table ends at a blank line
            named = sorted(in_sentence.get(line, []), key=lambda f: f.start)
            if not _TABLE_ROW.match(text, begin, stop) or len(named) < 2:
                break
            rows.append((line, named[0], named[1]))
        for k, (line, start, finish) in enumerate(rows):
            number = _TABLE_ROW.match(text, *document.sentences[line])
            stage = int(re.sub(r"\D", "", number.group())) if number else None
            last = k == len(rows) - 1
            ends = (
                (start, "origin" if k == 0 else "via"),
                (finish, "destination" if last else "via"),
            )
            for found, role in ends:
                events.append(
                    StopEvent(
                        mention=found,
                        role=role,  # type: ignore[arg-type]
                        cue=" ".join(text[document.sentences[line][0] : finish.end].split()),
                        source="chain",
                        sentence=line,
                        mode=_line_mode(text[slice(*document.sentences[line])]),
                        mode_cue="",
                        sequenced=True,
                        stage=stage,
                        ending=found is finish and last,  # home again, if so
                    )
                )
    return events


#: The most words a line of a listed itinerary has ("July 7–10: Hamilton, Bermuda").
LIST_LINE_WORDS = 12


#: A bulleted line: "• Alaska: Sitka, Seward", "- Day 2: Lyon".
_BULLET = re.compile(r"[ \t]*[•·▪‣◦*–—-][ \t]+")
#: The most words a bulleted line of an itinerary has (the bullet bounds the line).
BULLET_LINE_WORDS = 40


def _introduces_a_list(document: Document, index: int) -> bool:
    """A travel sentence that ends in a colon, or a full one that a bulleted line follows
    (not a title such as "Blue Train" over its fields)."""
    if not worth_parsing(document, index, stems=False):
        return False  # "Our favourite restaurants are in these cities:" is no journey's
    start, end = document.sentences[index]
    intro = document.text[start:end].rstrip()
    following = document.sentences[index + 1][0]
    return intro.endswith(":") or (
        intro.endswith((".", "!", "?")) and bool(_BULLET.match(document.text, following))
    )


def _line_towns(text: str, begin: int, stop: int, named: list[Found]) -> list[Found]:
    """The stops a list line gives: every town after a label of words ("Alaska: Sitka,
    Seward and Port Moller"), else its first ("June 11–16: Reykjavik, Iceland"); none on
    a field's line ("Start: Dakar", read by :func:`field_events`)."""
    named = [f for f in named if not _in_brackets(text, begin, f)]  # "Seattle (Sand Point)"
    label = _FIELD.match(text, begin, stop)
    if label is None or not named or named[0].start < label.end():
        return named[:1]
    if label["key"].strip().casefold() in load_table("field_keys.tsv"):
        return []
    return named


def _in_brackets(text: str, begin: int, found: Found) -> bool:
    """Whether a bracket opened on the line before the mention is still open there."""
    before = text[begin : found.start]
    return before.rfind("(") > before.rfind(")")


#: The fewest dated lines that make a journal's or a schedule's way.
DATED_LINES = 3


def dated_line_events(document: Document, towns: Sequence[Found]) -> list[StopEvent]:
    """Stops from lines that are a date and a place, as a travel journal's or a tour
    schedule's entries list them ("June 27, 2013 - Dakar, Senegal" …), in the lines'
    order: :data:`DATED_LINES` or more, with at most one other line (an entry's title)
    between two of them."""
    text = document.text
    ordered = sorted(towns, key=lambda f: f.start)
    starts = [f.start for f in ordered]
    out: list[StopEvent] = []
    block: list[Found] = []
    others = 0
    for line in re.finditer(r"[^\n]+", text):
        dated = LINE_DATE.match(text, line.start(), line.end())
        town = None
        if dated is not None:
            k = bisect_left(starts, dated.end())
            town = ordered[k] if k < len(ordered) and starts[k] < line.end() else None
        if (
            town is not None
            and dated is not None
            and (
                text[dated.end() : town.start].strip()
                or not re.fullmatch(
                    r"(?:,\s*[A-Z][\w .'’-]{0,40})?\s*", text[town.end : line.end()]
                )
            )
        ):
            town = None  # "June 27 - Lunch with the mayor of Dakar": no entry's place
        if town is None and dated is not None:
            others = 0  # an entry whose place route does not know ("Goree Island")
            continue
        if town is None:
            others += 1
            if others > 1:
                out += _dated_block(document, block)
                block = []
            continue
        others = 0
        block.append(town)
    return out + _dated_block(document, block)


def _dated_block(document: Document, block: list[Found]) -> list[StopEvent]:
    """The events of a block of dated lines' places (none for fewer than
    :data:`DATED_LINES`): each a visit in turn, the last the journey's end."""
    if len(block) < DATED_LINES:
        return []
    events = [
        replace(
            _bare_event(
                town, "via", "a dated entry", "chain", document.sentence_index(town.start) or 0
            ),
            listed=True,
            sequenced=True,
        )
        for town in block
    ]
    events[-1] = replace(events[-1], role="destination", ending=True)
    return events


def listed_line_events(document: Document, towns: Sequence[Found]) -> list[StopEvent]:
    """Stops from the lines of a list that a travel sentence introduces, with a colon or
    with bullets ("Port call dates this summer are:" then "June 11–16: Reykjavik, Iceland"
    …; "The flight traveled from East to West" then "• Alaska: Sitka, Seward"): the towns
    of each short line (:func:`_line_towns`), in the list's order, until a blank line (not
    one between two bulleted lines: web copy sets each bullet apart)."""
    text = document.text
    in_sentence = by_sentence(document, towns)
    events: list[StopEvent] = []
    for index in range(len(document.sentences) - 1):
        if not _introduces_a_list(document, index):
            continue
        intro = document.sentence_text(index)
        mode = _line_mode(intro)
        listed = len(events)
        bulleted = False  # the line so far began with a bullet
        for line in range(index + 1, len(document.sentences)):
            begin, stop = document.sentences[line]
            gap = text[document.sentences[line - 1][1] : begin].count("\n")
            spaced = bulleted and bool(_BULLET.match(text, begin))  # bullets a blank line apart
            if (gap == 0 and not bulleted) or (gap > 1 and line > index + 1 and not spaced):
                break  # the list ends at a blank line or a line that goes on
            if gap:
                bulleted = bool(_BULLET.match(text, begin))
            most = BULLET_LINE_WORDS if bulleted else LIST_LINE_WORDS
            if len(text[begin:stop].split()) > most:
                break
            named = sorted(in_sentence.get(line, []), key=lambda f: f.start)
            for town in _line_towns(text, begin, stop, named):
                seen = {place_key(e.mention) for e in events[listed:]}
                events.append(
                    StopEvent(
                        mention=town,
                        back=place_key(town) in seen,  # a port of call listed again
                        listed=True,
                        role="via",
                        cue=intro.strip(),
                        source="chain",
                        sentence=line,
                        mode=mode,
                        mode_cue=mode if mode != "unknown" else "",
                        sequenced=True,
                    )
                )
        if len(events) - listed >= 2:  # the list's last line ends the journey (home again)
            events[-1] = replace(events[-1], role="destination", ending=True)
    return events


#: The heading of a route diagram or a list of stations, one a line (an infobox's "Route
#: map" copied as text, a timetable's "Calling points").
_ROUTE_LIST_HEADING = re.compile(
    r"\s*(?:route(?:\s+(?:map|diagram))?|stations|stops|calling\s+(?:points|at)|"
    r"station\s+list)\s*:?\s*",
    re.IGNORECASE,
)
#: What a station's line may hold besides its town: its distance along the line ("6.8 km
#: Shinagawa"), a station word, a station's code ("Mumbai CST"), words in brackets.
_STATION_LINE_REST = re.compile(
    r"[\s•*·-]*+(?:\d[\d.,]*+\s*+(?:km|mi)\b)?"
    r"(?:[\s•*·-]*+(?:(?:(?:railway|railroad|train|bus)\s*+)?(?:station|junction|jn\.?|road|"
    r"central|terminal|terminus|halt|cantonment|cantt\.?)\b|shin-|\([^()\n]{1,40}\)"
    r"|(?-i:[A-Z]{2,4})\b))*+"
    r"[\s.]*+",
    re.IGNORECASE,
)


#: A station of a diagram that lies this many times farther round than the way between
#: the stations before and after it, and by more than :data:`OFF_THE_LINE_KM`, is a
#: namesake far off the line ("Chandler" of the Ghan's diagram read as a suburb of
#: Brisbane): railways bend, but not into a detour of several times their length.
OFF_THE_LINE_RATIO = 3.0
OFF_THE_LINE_KM = 300.0
#: A station farther from its nearest fellow than this many times the diagram's typical
#: such distance (and :data:`OFF_THE_LINE_KM`) is a namesake far off the line.
OFF_THE_GAP_RATIO = 10.0
#: Stations a diagram may list for :func:`_near_the_line` to weigh (a longer list is a
#: corpus's, not a line's).
NEAREST_STATIONS = 2000


def _on_the_line(listed: list[Found]) -> list[Found]:
    """A diagram's stations less those far off the way between their neighbours."""
    from .distance import geodesic_km

    def point(f: Found) -> tuple[float, float]:
        return float(f.candidate.lat), float(f.candidate.lon)

    listed = _near_the_line(listed)
    kept = list(listed)
    for k in range(len(listed) - 2, 0, -1):
        before, here, after = listed[k - 1], listed[k], listed[k + 1]
        direct = geodesic_km(point(before), point(after))
        round_ = geodesic_km(point(before), point(here)) + geodesic_km(point(here), point(after))
        if round_ - direct > OFF_THE_LINE_KM and round_ > OFF_THE_LINE_RATIO * max(direct, 1.0):
            kept.pop(k)
    return kept


def _near_the_line(listed: list[Found]) -> list[Found]:
    """A diagram's stations less those far from all the others: farther from the nearest
    of them than :data:`OFF_THE_LINE_KM` and :data:`OFF_THE_GAP_RATIO` times the typical
    (median) such distance of the diagram. "Dist." of a diagram's column heads read as
    Diest, Belgium, and "Kallar" as an Iraqi village, over a mountain line in India; a line
    across a continent, its stations hundreds of km apart, keeps them all. Each station's
    nearest is found over arrays (:class:`route.resolve.Anchors`); a list of more than
    :data:`NEAREST_STATIONS` is left as it is."""
    from statistics import median

    from .resolve import Anchors

    if not 4 <= len(listed) <= NEAREST_STATIONS:
        return listed
    stations = Anchors([f.candidate for f in listed])
    nearest = [stations.nearest_km(f.candidate) or 0.0 for f in listed]
    most = max(OFF_THE_LINE_KM, OFF_THE_GAP_RATIO * median(nearest))
    return [f for f, km in zip(listed, nearest, strict=True) if km <= most]


def _another_line(rest: str) -> bool:
    """Whether what follows a station's name in a route diagram's line names another line
    or service that goes on from it ("Aomori (Up arrow Tōhoku Shinkansen)", "Perth (Indian
    Pacific)"): the diagram's arrow to a connection, not a station of this way."""
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", rest)}
    return bool(words & ({"arrow"} | lexicon()[1] | lexicon()[3].keys()))


#: A route list gives a journey of this many towns or more.
ROUTE_LIST_TOWNS = 3


def route_list_events(
    document: Document, towns: Sequence[Found], *, headed: bool = True
) -> list[StopEvent]:
    """Stops from a route diagram or station list copied as lines under its heading
    ("Route map" then "Shalimar", "Kharagpur Junction", "Balasore" …): each line that is a
    town and nothing else (but a station word or a code), in the list's order, until a
    blank line; the lines between that are no town (a train number, a region, "border")
    are passed over. The reader falls back on it where the prose gives no journey: a
    diagram may list its stations in either direction. Not ``headed``: also a list under
    any line (an infobox's diagram under the train's name), where every one of at least
    :data:`BARE_STATION_LINES` lines is a station."""
    text = document.text
    in_sentence = by_sentence(document, towns)
    for index in range(len(document.sentences) - 1):
        start, end = document.sentences[index]
        heading = _ROUTE_LIST_HEADING.fullmatch(text, start, end) is not None
        if not heading and headed:
            continue
        lines, listed = _station_lines(document, in_sentence, index)
        if not heading and (len(listed) < BARE_STATION_LINES or len(listed) < lines):
            continue  # (weighed before the stations are: they only become fewer)
        listed = _on_the_line(listed)
        if not heading and (len(listed) < BARE_STATION_LINES or len(listed) < lines):
            continue
        if len({place_key(f) for f in listed}) >= ROUTE_LIST_TOWNS:
            cue = document.sentence_text(index)
            return [
                StopEvent(
                    mention=f,
                    role=role_in_line(k, len(listed)),
                    cue=cue,
                    source="chain",
                    sentence=document.sentence_index(f.start) or index,
                    mode="unknown",
                    mode_cue="",
                    sequenced=True,
                    listed=True,
                )
                for k, f in enumerate(listed)
            ]
    return []


#: A station list under no heading of its own holds this many lines at least.
BARE_STATION_LINES = 5


def _station_lines(
    document: Document, in_sentence: dict[int, list[Found]], index: int
) -> tuple[int, list[Found]]:
    """The lines under line ``index`` up to a blank line, and the towns of those that are
    a station's: a town and nothing else but a station word, a distance post or a code."""
    text = document.text
    lines, listed = 0, []
    for line in range(index + 1, len(document.sentences)):
        begin, stop = document.sentences[line]
        gap = text[document.sentences[line - 1][1] : begin].count("\n")
        if gap != 1 and not (gap == 2 and line == index + 1):
            break  # a blank line (but one under the heading), or the heading goes on
        if len(text[begin:stop].split()) > LIST_LINE_WORDS // 2:
            break
        lines += 1
        # a town in brackets is where a halt's trains run ("Dadar (Towards Mumbai CST)")
        named = [f for f in in_sentence.get(line, []) if "(" not in text[begin : f.start]]
        if (
            len(named) == 1
            and _STATION_LINE_REST.fullmatch(
                text[begin : named[0].start] + " " + text[named[0].end : stop]
            )
            and not _another_line(text[named[0].end : stop])
        ):
            listed.append(named[0])
    return lines, listed


#: A stage, day or leg number: "Stage 4", "Day 3", "Leg 2".
_NUMBERED = re.compile(r"\b(?:stage|day|leg|étape|etape)\s+(\d{1,3})\b", re.IGNORECASE)


def numbered_events(document: Document, events: Sequence[StopEvent]) -> list[StopEvent]:
    """The events with the stage or day each belongs to: a number its sentence gives
    before the place ("Stage 4 … with a stage to Rome"), else the number of its section's
    heading ("Stage 2" above "16 May — Bologna to Chieti")."""
    out = []
    numbers: dict[int, tuple[list[int], list[re.Match[str]]]] = {}  # each sentence's, once
    for event in events:
        if event.sentence not in numbers:
            start, end = document.sentences[event.sentence]
            found = list(_NUMBERED.finditer(document.text, start, end))
            numbers[event.sentence] = ([m.end() for m in found], found)
        ends, found = numbers[event.sentence]
        k = bisect_right(ends, event.mention.start)
        number = found[k - 1] if k else _NUMBERED.match(document.heading_of(event.sentence).strip())
        out.append(replace(event, stage=int(number.group(1))) if number else event)
    return out


# -- order ----------------------------------------------------------------------------------


_QUOTES = frozenset('"“”')


def _quoted_speech(doc: Any) -> bool:
    """A sentence that quotes someone: quotation marks and a verb of saying."""
    return any(t.text in _QUOTES for t in doc) and any(
        t.pos_ == "VERB" and t.lower_ in SPEECH_VERBS for t in doc
    )


def travel_sentence_events(
    document: Document, towns: Sequence[Found], found: StopEvent | None
) -> list[StopEvent]:
    """When the frames give one stop of a journey, or none: the towns its travel
    sentences name.

    A weaker reading, marked as such (``source="sentence"``): the towns of the sentences
    that speak of travel, in the text's order, except those in flashbacks, negated or
    conditional clauses and other sections. With no stop found (``found`` is None), only
    towns a path or place preposition governs ("to Agra and Jaipur", "in Cologne"), not
    names standing elsewhere ("since St. Peter", a gloss after "pinyin:").
    """
    out = []
    seen = {place_key(found.mention)} if found is not None else set()
    dateline = _DATELINE.search(document.text, 0, DATELINE_CHARS)
    filed = dateline.span("place") if dateline is not None else (0, 0)
    for index, in_sentence in sorted(by_sentence(document, towns).items()):
        if not worth_parsing(document, index):
            continue
        sentence = document.text[slice(*document.sentences[index])]
        if flashback().search(sentence) or re.search(r"\b(?:if|unless|not|never)\b", sentence):
            continue
        doc = document.parsed(index)
        if found is None and not _speaks_of_travel(doc):
            continue  # "The company has offices in London and plans …": no travel word
        if _quoted_speech(doc):
            continue  # "… ," said Sgt. Doe of a unit based in Chicago
        if any(t.lower_ in word_set("compare") for t in doc):
            continue  # "it is similar to the service between Munich and Zurich"
        if any(_someone_else(t) for t in doc if t.pos_ in _VERBAL):
            continue  # "Many tourists fly instead from Athens"
        if any(_from_afar(t) for t in doc if t.pos_ in _VERBAL):
            continue  # "He joined a summit in Kyiv by video"
        for town in sorted(in_sentence, key=lambda f: f.start):
            if place_key(town) in seen or filed[0] <= town.start < filed[1]:
                continue  # "WASHINGTON (Sept. 15) --": where the story was filed
            head = _mention_head(document, index, town)
            if head is not None and (
                _modifier_of_a_name(head)
                or _one_or_another(head)
                or _of_several_journeys(_climb(head))
                or _the_named_thing(head, town)
                or _instead(head)
                or _before_a_hyphen(document.text, town, in_sentence)
                or _a_stay_before(head)
                or _whose_home(head)
                or _a_birthplace(head)
            ):
                continue  # "Headquarters Company"; "Paris or London"; "flights to A and B"
            if found is None and (head is None or not _after_a_path_preposition(head)):
                continue
            seen.add(place_key(town))
            out.append(_bare_event(town, "via", WEAK_CUE, "sentence", index))
    return out


def _a_birthplace(head: Any) -> bool:
    """Whether a place is where someone was born ("Born in Stryj, Nowak lived in Poznań";
    "a native born at Leeds"): a life's start, not a journey's."""
    prep = head.head
    return (
        head.dep_ == "pobj"
        and prep.lower_ in ("in", "at", "near")
        and prep.head.lemma_.lower() == "bear"
        and prep.head.tag_ == "VBN"
    )


#: Words that make the town before them a person's home ("Princeton native Charles
#: Russell", "a Chicago resident", "Ohio-born").
_FROM_THERE = frozenset({"native", "natives", "resident", "residents", "born", "citizen"})


def _a_persons_home(head: Any) -> bool:
    """Whether a town qualifies a person as from there: "by Princeton native Charles
    Theodore Russell", "a Chicago resident", not a place gone to."""
    if head.dep_ not in ("compound", "nmod", "amod", "npadvmod"):
        return False
    person = head.head
    return person.lower_ in _FROM_THERE or any(
        c.i > head.i and c.lower_ in _FROM_THERE for c in person.children
    )


def _whose_home(head: Any) -> bool:
    """Whether a place is where people or a unit come from, "from" hung on a noun of
    them ("deployed with aircrews from Air Station North Bend", "met a delegation from
    Lagos"), not a start of the journey: a journey's noun ("the flight from Lagos") or the
    traveller ("A C-17 crew from McChord … flew to Antarctica")."""
    tied = _climb(head)
    if tied.dep_ != "pobj" or tied.head.lower_ != "from":
        return False
    holder = tied.head.head
    return (
        holder.pos_ in ("NOUN", "PROPN")
        and holder.dep_ not in ("nsubj", "nsubjpass")  # "A crew from McChord flew …": theirs
        and holder.lemma_.lower() not in lexicon()[1]
        and holder.lemma_.lower() not in word_set("way_part")  # "the final stretch from X"
    )


def unplaced_goals(document: Document, mentions: Sequence[Found]) -> list[str]:
    """Sites the journey goes to that are not towns route can place: facilities whose
    names hold a place name only as a part ("landed at Kennedy Space Center", "flew on to
    Kennedy" after it), told as a destination. Their names, in text order, once each.

    They make a whole-journey figure uncheckable: the journey does not end, or pass, where
    route's stops say.
    """
    placed = [f.surface.casefold() for f in mentions if f.kind == "place"]
    grouped = by_sentence(
        document, told_of_the_journey(document, [f for f in mentions if f.kind == "embedded"])
    )
    out: list[str] = []
    for index in _parsed_in_batches(document, grouped):
        for found in grouped[index]:
            event = _frame_event(document, index, found)
            if event is None or event.role != "destination":
                continue
            name = _whole_name(document, index, found)
            if any(p.startswith(name.casefold()) for p in placed):
                continue  # "Edwards": short for "Edwards Air Force Base", a place route knows
            if not any(o.startswith(name) for o in out):
                out.append(name)
    return out


#: How many sentences :func:`unknown_places` parses at most (it serves a message, and a
#: long text without a journey should not be parsed whole for it).
UNKNOWN_PLACE_SENTENCES = 40
#: A sentence where a path preposition comes before a capitalised word.
_PATH_BEFORE_A_NAME = re.compile(
    r"\b(?:to|from|for|via|into|towards?|through|past|onto)\s+(?:the\s+)?[A-Z]"
)


def unknown_places(document: Document, mentions: Sequence[Found]) -> list[tuple[str, int]]:
    """Proper names that a verb of travel goes to, from or through, and that are no place
    route knows ("convoyed from Buffalo to Camp Roberts": Camp Roberts), each once with
    where the text first names it, in text order: for telling a user which ends the
    reading could not place."""
    known = [(f.start, f.end) for f in mentions]
    wanted = [
        i
        for i in range(len(document.sentences))
        if _PATH_BEFORE_A_NAME.search(document.sentence_text(i))
        and worth_parsing(document, i, stems=False)
    ][:UNKNOWN_PLACE_SENTENCES]
    out: dict[str, int] = {}
    for index in _parsed_in_batches(document, wanted):
        base = document.sentences[index][0]
        for word in document.parsed(index):
            name = _unknown_end(word)
            if name is None:
                continue
            start, end = base + name[0].idx, base + name[-1].idx + len(name[-1].text)
            if any(s < end and start < e for s, e in known):
                continue  # a place route knows, or a name holding one
            out.setdefault(document.text[start:end], start)
    return list(out.items())


def _unknown_end(word: Any) -> list[Any] | None:
    """The tokens of a proper name that ``word`` heads as the place of a path preposition
    under a verb of travel ("to Camp Roberts"), else None."""
    prep = word.head
    if not (
        word.dep_ == "pobj"
        and word.pos_ == "PROPN"
        and preps().get(prep.lower_) in ("source", "goal", "route")
        and _verbal(prep.head)
        and _verb_class(prep.head) in MOTION_CLASSES
        and _role_for(_verb_class(prep.head), prep.lower_, prep.head) is not None
    ):
        return None
    doc = word.doc
    first = word.i
    while first > 0 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].dep_ == "compound":
        first -= 1
    name = [doc[i] for i in range(first, word.i + 1)]
    return name if _a_place_name(name) else None


_TITLE_WORDS = frozenset(t.casefold() for t in TITLES | PERSON_TITLES)


def _a_place_name(name: Sequence[Any]) -> bool:
    """Whether proper-noun tokens can be a place's name: capitalised words, not a date
    ("July", "Sept."), a time ("A.M."), an acronym ("EMS"), a title and a person's name
    ("Mr. Gibbons"), a unit ("2nd Battalion"), common words ("Marines"), an organisation
    ("Acme Company") nor an event ("Hurricane Katrina")."""
    words = [t.text for t in name]
    first = words[0].rstrip(".").casefold()
    return (
        words[0][:1].isupper()
        and any(c.islower() for w in words for c in w)
        and not names_a_date(first, abbreviated=words[0].endswith("."))
        and first not in _TITLE_WORDS
        and not any(c.isdigit() for c in words[0])
        and not (len(name) == 1 and name[0].tag_ == "NNPS")  # "Marines"
        and not all(w.casefold() in COMMON_WORDS for w in words)
        and words[-1].casefold() not in ORGANISATIONS  # "Acme Company"
        and first not in word_set("event_lead")  # "Operation Desert Storm"
    )


def _whole_name(document: Document, index: int, found: Found) -> str:
    """The full name a place name is part of ("Kennedy Space Center" for "Kennedy")."""
    head = _mention_head(document, index, found)
    if head is None:
        return found.surface
    node = head
    while node.dep_ == "compound" and node.head.pos_ == "PROPN" and node.head.i > node.i:
        node = node.head
    return document.text[found.start : document.sentences[index][0] + node.idx + len(node.text)]


#: A news dateline: a place in capitals at the head of a line, perhaps with its region or
#: country, then a dash ("BREMERHAVEN, Germany –", "HONOLULU —", "APRA HARBOR, Guam --").
_DATELINE_DATE = r"[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}(?:,[ \t]*\d{4})?"
_DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][A-Z'’.\- ]*[A-Z.])"
    # the date some agencies put after the place ("WASHINGTON, Jan. 20, 2007 –")
    r"(?:,[ \t]*(?P<date>" + _DATELINE_DATE + r")(?=[ \t]*(?:–|—|--|-)))?"
    r"(?:,[ \t]*(?P<region>[A-Z][\w.'’\- ]{0,40}?)(?:,[ \t]*" + _DATELINE_DATE + r")?)?"
    r"[ \t]*(?:\([^)\n]{1,30}\)[ \t]*)?(?:–|—|--|-)[ \t]",
    re.M,
)
#: A dateline stands within this many characters of the text's start (after a title, or a news
#: release's header: its title, agency, date and contact lines).
DATELINE_CHARS = 800
#: A dateline names its town alone only for a city known on its own (news style books
#: list such cities; all are large): a town read as one smaller than this, with no
#: region or country after it, is a namesake the reader took wrongly.
DATELINE_ALONE_POPULATION = 100_000


def _filed_from(
    document: Document, towns: Sequence[Found], events: Sequence[StopEvent]
) -> tuple[re.Match[str], Found, tuple[int, ...]] | None:
    """The dateline, its town (where no event reads that place already) and the story's
    lead sentences (the town's and the next), or None."""
    match = _DATELINE.search(document.text, 0, DATELINE_CHARS)
    if match is None:
        return None
    start, end = match.span("place")
    place = next((f for f in towns if start <= f.start < end), None)
    if place is None or any(place_key(e.mention) == place_key(place) for e in events):
        return None
    index = document.sentence_index(place.start)
    if index is None:
        return None
    return match, place, (index, index + 1)[: len(document.sentences) - index]


def dateline_arrival(
    document: Document,
    towns: Sequence[Found],
    areas: Sequence[Found],
    events: Sequence[StopEvent],
) -> StopEvent | None:
    """The dateline's town as the journey's end, where the story's lead tells an arrival
    without naming a town to arrive in, or in an area that holds the town ("BREMERHAVEN,
    Germany – The first Soldiers … arrived to Europe on Thursday"; "APRA HARBOR, Guam –
    The crew … arrived back in Guam"): a news story is filed from where its traveller
    arrived. ``areas`` are the text's countries, regions and continents."""
    filed = _filed_from(document, towns, events)
    if filed is None:
        return None
    match, place, leads = filed
    alone = match["region"] is None and match["date"] is None
    if alone and place.candidate.population < DATELINE_ALONE_POPULATION:
        return None  # "WASHINGTON —" read as Washington, Tyne and Wear
    for lead in leads:
        doc = document.parsed(lead)
        base = document.sentences[lead][0]
        for word in doc:
            if (
                _verbal(word)
                and (
                    (
                        _verb_class(word) in ("arrive", "end")
                        and all(_where_it_is(base, o, place, areas) for o in _reached(word))
                    )
                    or (_came_here(word) and not document.quoted(base + word.idx))
                )
                and not _excluded(word)
            ):
                return replace(
                    _event(place, "destination", f"dateline; {word.text}", lead, doc, word, word),
                    final=True,
                )
    return None


#: A letter's heading stands within this many characters of a text's start (after a
#: chapter's number, title and synopsis).
LETTER_HEADING_CHARS = 1500


def letter_heading_arrival(
    document: Document, towns: Sequence[Found], events: Sequence[StopEvent]
) -> StopEvent | None:
    """The town of a letter's heading as the end of the way its letter tells ("Yokohama,
    Japan, Oct. 10, 1889." over an account of the journey there): a traveller's letter is
    written from where the journey has reached. None without a journey told."""
    if not events:
        return None
    told = {place_key(e.mention) for e in events}
    for found in towns:
        if found.start > LETTER_HEADING_CHARS:
            break
        line_start = document.text.rfind("\n", 0, found.start) + 1
        if document.text[line_start : found.start].strip() or not LETTER_DATE.match(
            document.text, found.end
        ):
            continue
        if place_key(found) in told:
            return None  # "London, … Jan. 5, 1890. … tomorrow I sail from London": the text
            # says where the heading's town stands in the journey
        index = document.sentence_index(found.start)
        if index is None:
            continue
        return replace(
            _bare_event(found, "destination", "a letter written at", "frame", index), final=True
        )
    return None


def dateline_departure(
    document: Document, towns: Sequence[Found], events: Sequence[StopEvent]
) -> StopEvent | None:
    """The dateline's town as the journey's start, where the story's lead goes "from here"
    or "left here" ("VICENZA, Italy -- Paratroopers … arrived in Yavoriv, Ukraine via a
    ground convoy from here"): a news story's "here" is the town it is filed from."""
    filed = _filed_from(document, towns, events)
    if filed is None:
        return None
    _match, place, leads = filed
    for lead in leads:
        doc = document.parsed(lead)
        for word in doc:
            if word.lower_ == "here" and (
                (word.dep_ in ("pcomp", "pobj") and word.head.lower_ == "from")
                or (word.dep_ == "advmod" and _verb_class(word.head) == "depart")
            ):
                return _event(place, "origin", f"dateline; {word.head.text} here", lead, doc,
                              word.head, word.head)  # fmt: skip
    return None


#: A unit's or a ship's home told before a town: "home-ported in Sitka", "homeported at
#: Norfolk", "based in Vicenza", "stationed at Fort Hood", "garrisoned at Aldershot".
_HOME_BASE = re.compile(
    r"\b(?:home-?\s?ported|based|stationed|garrisoned)\s+(?:in|at|out\s+of)\s+$", re.I
)


def home_base_departure(
    document: Document, towns: Sequence[Found], events: Sequence[StopEvent]
) -> StopEvent | None:
    """The home of a ship or unit as the journey's start, where the sentence that tells
    it departs names no place to leave ("The cutter Maple, home-ported in Sitka, Alaska,
    departed Wednesday on a voyage through the Northwest Passage"), and the text tells no
    other start: a traveller leaves from where it is based."""
    if any(e.role == "origin" for e in events):
        return None
    for index, found in sorted(by_sentence(document, towns).items()):
        base = document.sentences[index][0]
        for town in found:
            phrase = _HOME_BASE.search(document.text, max(base, town.start - 40), town.start)
            if phrase is None:
                continue
            doc = document.parsed(index)
            for word in doc:
                if (
                    base + word.idx > town.end
                    and _verbal(word)
                    and _verb_class(word) == "depart"
                    and not any(_a_place_left(c) for c in word.children)
                    and not _excluded(word)
                ):
                    cue = f"{' '.join(phrase.group().split())} … {word.text}"
                    return _event(town, "origin", cue, index, doc, word, word)
    return None


def _a_place_left(word: Any) -> bool:
    """A verb's object or "from" phrase: the place a departure names ("departed Kodiak")."""
    return bool(word.dep_ == "dobj" or (word.dep_ == "prep" and word.lower_ == "from"))


def _came_here(verb: Any) -> bool:
    """Whether a verb of travel goes "here" ("convoyed here from Fort Leonard Wood", "moved
    their equipment from Cap Draa to here"): in a story filed from its dateline's town,
    "here" is that town; not in a plan or a wish ("fans will travel here"), nor in a year
    told ("moved here from Albuquerque in 1979")."""
    modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)
    year = any(A_YEAR.fullmatch(t.text) for t in verb.subtree)
    return (
        _verb_class(verb) in ("move", "arrive")
        and any(_here(c, verb) for c in verb.children)
        and not modal
        and not year
    )


def _here(word: Any, verb: Any) -> bool:
    """Whether a verb's dependent says "here" as a goal: "came here"; or "… to here" of a
    going told as done (a verb in the past, not negated, not "and back")."""
    if word.dep_ == "advmod" and word.lower_ == "here":
        return True
    return bool(
        word.dep_ == "prep"
        and word.lower_ == "to"
        and any(c.lower_ == "here" and c.dep_ in ("pcomp", "pobj", "advmod") for c in word.children)
        and verb.tag_ == "VBD"
        and not any(c.dep_ == "neg" for c in verb.children)
        and not any(t.lower_ == "back" for t in word.subtree)  # "to here and back"
    )


def _reached(verb: Any) -> list[Any]:
    """What a verb of arrival says it reached: its object, and the objects of its
    prepositions of place ("arrived in X", "landed on X")."""
    goals = ("in", "at", "to", "into", "on", "onto")
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    return objects + [
        o
        for p in verb.children
        if p.dep_ == "prep" and p.lower_ in goals
        for o in p.children
        if o.dep_ == "pobj"
    ]


def _where_it_is(base: int, word: Any, place: Found, areas: Sequence[Found]) -> bool:
    """Whether a word a verb of arrival reaches can be where the dateline's town is: home,
    a port or a base ("returned to homeport"), a day ("arrived on Thursday"), or a
    country, region or continent that holds the town ("arrived to Europe"); not another
    town, a thing ("reached an agreement") or a place elsewhere ("landed on the moon")."""
    if names_a_date(fold(word.text)):
        return True
    if word.dep_ == "pobj" and word.head.lower_ in ("on", "onto"):
        return False  # "arrived on station in the South China Sea", "landed on the moon"
    if word.lower_ in ("home", "homeport", "back") or word.lemma_.lower() in place_nouns():
        return True
    at = base + word.idx
    area = next((f for f in areas if f.start <= at < f.end), None)
    return area is not None and _holds(area, place)


def _holds(area: Found, town: Found) -> bool:
    """Whether a country, first-level region or continent holds a town."""
    from .gazetteer import in_continent

    feature = str(area.candidate.feature)
    if feature == "CONT":
        return in_continent(area.candidate.geonameid, town.candidate.country)
    return feature != "ADM2" and bool(area.candidate.country) and qualifies(area, town)
