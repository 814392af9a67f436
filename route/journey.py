"""Read a journey out of a text: which place mentions are stops, their travel order, leg modes.

Two passes find stops, each returning typed :class:`StopEvent` values:

- **verb frames** (:func:`frame_events`): on the dependency parse, a town is a stop
  when it is the source, path or goal of a motion verb or journey noun ("left
  Lyon", "pulled out of Milan's station", "via Dijon", "arrived in Porto", "the
  line from A to B"), directly or through a list of places ("through A, B and C");
- **route chains** (:func:`chain_events`): lines whose towns are joined by dashes
  or arrows ("Day 3: Lyon – Avignon", "Madrid – Zaragoza – Barcelona").

Places named in a flashback ("last year"), in a negated clause, or in someone
else's relative clause ("fans who came from X") are not stops. The events are put
in the text's own order of travel (:func:`order_stops`): the origin first, a
destination announced before the stops on the way last, round trips back home.
Each leg's mode comes from the words of its clause (:func:`leg_modes`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from .document import Document, load_list, load_table
from .extract import AREA_LEVEL, Found

__all__ = [
    "Mode",
    "Role",
    "StopCue",
    "StopEvent",
    "chain_events",
    "find_stops",
    "frame_events",
    "is_town",
    "leg_modes",
    "order_stops",
]

Role = Literal["origin", "via", "destination"]
Mode = Literal["train", "car", "plane", "ship", "foot", "bicycle", "unknown"]
Source = Literal["frame", "chain", "field", "sentence"]


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
    arrival: bool = False  # reaching it: "arrived in X", "reached X", "ended in X"


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
def _lexicon() -> tuple[dict[str, str], frozenset[str], dict[str, str], dict[str, str]]:
    return (
        load_table("motion_verbs.tsv"),
        load_list("journey_nouns.txt"),
        load_table("path_prepositions.tsv"),
        load_table("modes.tsv"),
    )


@lru_cache(maxsize=1)
def _flashback() -> re.Pattern[str]:
    phrases = sorted(load_list("flashback.txt"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)


def _preps() -> dict[str, str]:
    return _lexicon()[2]


@lru_cache(maxsize=1)
def _place_nouns() -> frozenset[str]:
    return load_list("place_nouns.txt")


#: "by car", "on foot": a mode said with a preposition.
_BY_MODE = {"air": "plane", "sea": "ship", "water": "ship", "road": "car", "rail": "train"}
_SEQUENCE = frozenset(
    "then next later afterwards after subsequently thence onward onwards finally eventually "
    "continue continued continues continuing proceed proceeded".split()
)
_BACK = frozenset({"back", "return", "returned", "returning", "returns", "home"})
_EARLIER = re.compile(
    r"\b(?:before that|before this|before then|prior to that|earlier on)\b|^earlier\b"
)
#: Ways whose names still say the mode ("the Eyre Highway", "the Blue Train").
_NAMED_WAYS = frozenset({"highway", "road", "railway", "railroad", "express", "ferry", "train"})
#: Nouns that make the places listed under them stops ("stops including A and B").
_STOP_NOUNS = frozenset({"stop", "stopover", "halt"})
#: Verbs of a line or road joining two ends: "linking A with B", "connects A to B".
_LINKS = frozenset({"link", "connect", "join"})
_VERBAL = frozenset({"VERB", "AUX"})


def is_town(found: Found) -> bool:
    """A literal place below the level of regions: a town, a station, a port."""
    feature = str(found.candidate.feature)
    return found.kind == "place" and feature not in AREA_LEVEL and not feature.startswith("ADM")


# -- verb frames --------------------------------------------------------------------------


def _span_head(doc: Any, start: int, end: int) -> Any:
    """The token of ``doc`` heading the characters ``start:end`` (sentence offsets)."""
    inside = [t for t in doc if start <= t.idx < end]
    if not inside:
        return None
    for token in inside:
        if not (start <= token.head.idx < end) or token.head.i == token.i:
            return token
    return inside[-1]


def _prep_phrase(prep: Any) -> str:
    """The preposition with its fixed partners: "out of", "as far as", "by way of"."""
    words = [prep.lower_]
    head = prep.head
    if prep.lower_ == "of" and head.lower_ in ("out", "way") and head.dep_ in ("prep", "pobj"):
        return "out of" if head.lower_ == "out" else "by way of"
    if prep.lower_ == "as" and head.lower_ == "far":
        return "as far as"
    return " ".join(words)


def _climb(token: Any) -> Any:
    """From a place's head token up to the word that ties it to the sentence."""
    seen = 0
    while seen < 12:
        seen += 1
        dep = token.dep_
        if dep == "appos" and token.head.lower_ in _lexicon()[3]:
            return token.head  # "the ship Oceanic": a vehicle's name, not a place
        if dep in ("conj", "appos"):
            token = token.head
            continue
        if dep in ("compound", "poss") and (
            token.head.pos_ == "PROPN" or token.head.lemma_.lower() in _place_nouns()
        ):
            token = token.head  # "Milan's station", "Santiago International Airport"
            continue
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
            if noun.lemma_.lower() in _place_nouns():
                token = noun  # "the town of X": the town
                continue
        if (
            dep == "pobj"
            and token.head.lower_ in ("in", "at", "near", "outside")
            and token.head.head.pos_ in ("NOUN", "PROPN")
            and token.head.head.lemma_.lower() not in _lexicon()[1]
            and token.head.head.dep_ in ("pobj", "dobj")
        ):
            token = token.head.head  # "from the facility in Palmdale": the facility's town
            continue
        if dep in ("nmod", "npadvmod") and token.head.pos_ in ("PROPN", "NOUN"):
            token = token.head
            continue
        return token
    return token


def _governor(prep: Any) -> Any:
    """The verb or journey noun a preposition belongs to (through "and then on to")."""
    nouns = _lexicon()[1]
    node = prep.head
    for _ in range(6):
        if node.pos_ in _VERBAL:
            return node
        if node.lemma_.lower() in nouns and node.pos_ in ("NOUN", "PROPN"):
            return node  # "the journey", "the Pacific Railroad"
        if node.dep_ == "compound" and node.head.lemma_.lower() in nouns:
            return node.head
        if (
            node.dep_ in ("conj", "prep", "pobj", "advmod", "cc", "dative", "amod", "npadvmod")
            and node.head.i != node.i
        ):
            node = node.head
            continue
        return node
    return node


def _verb_class(word: Any) -> str:
    verbs, nouns, _preps, _modes = _lexicon()
    lemma = word.lemma_.lower()
    if word.pos_ in _VERBAL:
        if lemma == "expect" and any(c.dep_ == "auxpass" for c in word.children):
            return "arrive"  # "is expected in X": will arrive there
        return verbs.get(lemma, "")
    if lemma in nouns:
        for child in word.children:  # "departing train", "arrival"
            cls = verbs.get(child.lemma_.lower(), "")
            if child.dep_ in ("amod", "compound") and cls in ("depart", "arrive", "begin", "end"):
                return cls
        return {
            "departure": "depart",
            "arrival": "arrive",
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
    "route": "via",
}
#: Verbs after which "for X" is where one goes ("left for X", "headed for X").
_FOR_GOAL = frozenset({"head", "sail", "bind", "bound", "steam"})
#: Path prepositions that need a verb of motion ("travelled by Lyon", not "met by Lyon").
_WEAK_PATH = frozenset({"by", "near", "over", "around", "round", "beyond"})


def _role_for(cls: str, relation: str, verb: Any) -> Role | None:
    """The role a place takes from its verb class and preposition (or ``dobj``)."""
    if relation == "dobj":
        return _OBJECT_ROLE.get(cls)
    kind = _preps().get(relation, "")
    if kind == "between":
        return "via" if cls in ("move", "route") else None
    if kind == "source":
        return "origin"
    if kind == "goal":
        if relation == "for" and cls not in ("depart", "begin") and verb.lemma_ not in _FOR_GOAL:
            return None
        return "destination"
    if kind == "route":
        return None if relation in _WEAK_PATH and cls not in ("move", "route") else "via"
    if kind == "place":
        if relation == "on" and cls not in ("arrive", "stop"):
            return None
        return _PLACE_ROLE.get(cls)
    return None


def _excluded(verb: Any) -> bool:
    """Negated, hypothetical-past or someone else's clause: its places are no stops."""
    if any(child.dep_ == "neg" for child in verb.children):
        return True
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
    clause = " ".join(t.text for t in _clause_tokens(verb))
    return bool(_flashback().search(clause))


def _mode_of(tokens: Sequence[Any]) -> tuple[Mode, str]:
    """The first mode the words name: "by car", "on foot", "flew", "the train"."""
    _verbs, _nouns, _preps, modes = _lexicon()
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
        if token.pos_ == "PROPN" and lower not in _NAMED_WAYS:
            continue  # a name ("March 25", "Air China"), not a way of travelling
        mode = modes.get(lower)
        if mode is not None:
            return mode, token.text  # type: ignore[return-value]
    return "unknown", ""


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


def _frame_event(document: Document, index: int, found: Found) -> StopEvent | None:
    doc = document.parsed(index)
    base = document.sentences[index][0]
    head = _span_head(doc, found.start - base, found.end - base)
    if head is None:
        return None
    tied = _climb(head)
    if tied.i != head.i and tied.lower_ in _lexicon()[3]:
        return None  # "the ship Oceanic", "the Shinkansen train": a vehicle, not a place
    relation = ""
    verb = None
    if tied.lemma_.lower() in _STOP_NOUNS and tied.i != head.i:
        # "with stops including X": stops on the way
        return _event(found, "via", tied.text, index, doc, tied, relation="via")
    if tied.dep_ == "pobj":
        prep = tied.head
        relation = _prep_phrase(prep)
        verb = _governor(prep)
    elif tied.dep_ in ("dobj", "pcomp"):
        relation, verb = "dobj", tied.head
    if verb is None:
        return None
    cls = _verb_class(verb)
    if not cls and verb.dep_ == "ROOT" and verb.pos_ == "ADP" and doc[0].lower_ == "from":
        cls = "move"  # a line that is only "From Port Augusta to Norseman"
    if not cls:
        return None
    role = _role_for(cls, relation, verb)
    if verb.lemma_.lower() in _LINKS and relation in ("dobj", "with", "to", "and"):
        role = "origin" if relation == "dobj" and head.dep_ != "conj" else "destination"
    if role is None or _excluded(verb):
        return None
    if relation == "between":  # "between A and B": A one end, B the other
        role = "destination" if head.dep_ == "conj" else "origin"
    cue = " ".join([verb.text] + ([relation] if relation != "dobj" else []))
    event = _event(found, role, cue, index, doc, verb, relation=relation, cls=cls)
    if role == "destination" and any(
        c.dep_ == "prep" and _preps().get(_prep_phrase(c)) == "source" for c in verb.children
    ):
        event = replace(event, paired=True)
    return event


def _event(
    found: Found,
    role: Role,
    cue: str,
    index: int,
    doc: Any,
    verb: Any,
    *,
    relation: str = "",
    cls: str = "",
) -> StopEvent:
    """A stop event with the mode, sequence and return cues of its clause."""
    clause = _clause_tokens(verb)
    mode, mode_cue = _mode_of(clause + ([verb.head] if verb.dep_ == "relcl" else []))
    if mode == "unknown":
        mode, mode_cue = _mode_of([t for t in doc if _travel_word(t)])
    words = {t.lower_ for t in clause} | {t.lemma_.lower() for t in clause}
    back = bool(words & _BACK) and role == "destination"
    return StopEvent(
        mention=found,
        role=role,
        cue=cue,
        source="frame",
        sentence=index,
        mode=mode,
        mode_cue=mode_cue,
        sequenced=bool(words & _SEQUENCE) or "from there" in " ".join(t.lower_ for t in clause),
        back=back,
        earlier=bool(_EARLIER.search(" ".join(t.lower_ for t in clause))),
        prior=verb.dep_ == "pcomp" and verb.head.lower_ == "after",
        passing=_preps().get(relation) == "route" or verb.tag_ == "VBG" or cls == "move",
        on_the_way=verb.tag_ == "VBG" and verb.dep_ == "advcl" and role == "via",
        heading=role == "destination" and relation in ("toward", "towards", "for"),
        arrival=role == "destination" and cls in ("arrive", "end"),
    )


def _worth_parsing(document: Document, index: int) -> bool:
    """A sentence with a motion word or journey noun in any form (a cheap filter)."""
    verbs, nouns, _preps, modes = _lexicon()
    sentence = document.text[slice(*document.sentences[index])].lower()
    if sentence.lstrip().startswith("from "):
        return True  # "From A to B" needs no verb
    words = set(re.findall(r"[a-z]+", sentence))
    stems = {w[:4] for w in words if len(w) >= 4}
    known = set(verbs) | nouns | set(modes)
    return bool(words & known) or bool(stems & {k[:4] for k in known if len(k) >= 4})


def _by_sentence(document: Document, towns: Sequence[Found]) -> dict[int, list[Found]]:
    """The towns of each sentence, leaving out sections about something else ("History")."""
    other = load_list("other_sections.txt")
    by_sentence: dict[int, list[Found]] = {}
    for found in towns:
        index = document.sentence_index(found.start)
        if index is not None and document.heading_of(index).casefold() not in other:
            by_sentence.setdefault(index, []).append(found)
    return by_sentence


#: Sentences parsed at a time; their parses are dropped once read, so memory stays bounded.
PARSE_BATCH = 256


def frame_events(document: Document, towns: Sequence[Found]) -> list[StopEvent]:
    """Stops from verb frames, in text order."""
    by_sentence = _by_sentence(document, towns)
    wanted = sorted(i for i in by_sentence if _worth_parsing(document, i))
    events = []
    for first in range(0, len(wanted), PARSE_BATCH):
        batch = wanted[first : first + PARSE_BATCH]
        document.parse(batch)
        for index in batch:
            for found in by_sentence[index]:
                event = _frame_event(document, index, found)
                if event is not None:
                    events.append(event)
        if len(wanted) > PARSE_BATCH:
            document.release(batch)
    return events


# -- route chains ---------------------------------------------------------------------------

_JOIN = re.compile(r"^\s*(?:[–—―‒-]+|→|->|>|to|/)\s*$", re.IGNORECASE)
_HEADING = re.compile(
    r"^\s*(?:(?:day|stage|leg|étape|part|section)\s*\d+[a-z]?|\d+[.)]|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+\.?(?:,?\s+\d{4})?|"  # 1 July 1903
    r"[A-Za-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?)?"  # July 1, 1903
    r"\s*[:.)–—-]?\s*$",
    re.IGNORECASE,
)


_FIELD = re.compile(r"[\s•*-]*(?P<key>[A-Za-z][A-Za-z ]{1,20}?)\s*:\s")


def field_events(document: Document, towns: Sequence[Found]) -> list[StopEvent]:
    """Stops from "key: value" lines ("Start: Pretoria", "Places visited: A, B, C")."""
    keys = load_table("field_keys.tsv")
    events: list[StopEvent] = []
    for index, found in sorted(_by_sentence(document, towns).items()):
        start, end = document.sentences[index]
        match = _FIELD.match(document.text, start, end)
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
                    sequenced=role != "destination",
                    paired=role == "destination",
                )
            )
    return events


def chain_events(document: Document, towns: Sequence[Found]) -> list[StopEvent]:
    """Stops from lines that join towns with dashes or arrows ("Lyon – Avignon")."""
    by_sentence = _by_sentence(document, towns)
    events: list[StopEvent] = []
    text = document.text
    for index, found in sorted(by_sentence.items()):
        start, _end = document.sentences[index]
        found = sorted(found, key=lambda f: f.start)
        chain = [found[0]]
        for a, b in itertools.pairwise(found):
            if _JOIN.match(text[a.end : b.start]):
                chain.append(b)
            elif len(chain) < 2:
                chain = [b]
            else:
                break
        if len(chain) < 2 or not _HEADING.match(text[start : chain[0].start]):
            continue
        _v, _n, _p, modes = _lexicon()
        line_words = re.findall(r"[A-Za-z]+", text[slice(*document.sentences[index])].lower())
        mode = next((modes[w] for w in line_words if w in modes), "unknown")
        # a title "A to B" names the whole journey: B is its end, whatever is told after
        title = len(chain) == 2 and index == 0 and document.is_heading(index)
        for k, stop in enumerate(chain):
            role: Role = "origin" if k == 0 else "destination" if k == len(chain) - 1 else "via"
            events.append(
                StopEvent(
                    mention=stop,
                    role=role,
                    cue=text[chain[0].start : chain[-1].end],
                    source="chain",
                    sentence=index,
                    mode=mode,  # type: ignore[arg-type]
                    mode_cue=mode if mode != "unknown" else "",
                    sequenced=not title,
                    paired=title,
                )
            )
    return events


# -- order ----------------------------------------------------------------------------------


def _key(found: Found) -> Any:
    cand = found.candidate
    return cand.geonameid if cand.geonameid is not None else (cand.name, cand.lat, cand.lon)


def order_stops(events: Sequence[StopEvent]) -> list[StopEvent]:
    """The stops in the order travelled, one event per place (a round trip ends at home).

    The text's own order, with four corrections: a stop told "before that" goes
    before the one told just ahead of it; the first departure goes first wherever
    it is told; a destination announced before the stops on the way (which do
    not say they come after it) goes last; "back to" the origin ends the journey
    there again.
    """
    events = sorted(events, key=lambda e: (e.mention.start, e.source))
    if not events:
        return []
    anchors = _anchors(events)
    sequence: list[StopEvent] = []
    placed: set[Any] = set()
    for event in events:
        key = _key(event.mention)
        if key in placed or anchors.get(key, event) is not event:
            continue
        placed.add(key)
        if (
            event.on_the_way
            and sequence
            and sequence[-1].sentence == event.sentence
            and (sequence[-1].role == "destination")
        ):
            sequence.insert(len(sequence) - 1, event)
        elif event.prior and any(e.sentence == event.sentence for e in sequence):
            at = min(i for i, e in enumerate(sequence) if e.sentence == event.sentence)
            sequence.insert(at, event)
        elif event.earlier and sequence:
            told = sequence[-1].sentence  # before the stops of the sentence told just ahead
            at = min(i for i, e in enumerate(sequence) if e.sentence == told)
            sequence.insert(at, event)
        else:
            sequence.append(event)
    origin = next((e for e in events if e.role == "origin"), None)
    if origin is not None:
        key = _key(origin.mention)
        first = next(e for e in sequence if _key(e.mention) == key)
        sequence = [first] + [e for e in sequence if e is not first]
    final = _announced_destination(sequence, events)
    if final is not None:
        sequence = [e for e in sequence if e is not final] + [final]
    sequence = _merge_nested(sequence)
    home = _key(sequence[0].mention)
    returns = [e for e in events if e.back and _key(e.mention) == home and e is not sequence[0]]
    if returns and len(sequence) >= 2:
        sequence.append(returns[-1])
    return sequence


#: Two stops this close whose names nest ("Columbus Air Force Base", "Columbus") are one.
NESTED_NAME_KM = 50.0


def _merge_nested(sequence: list[StopEvent]) -> list[StopEvent]:
    """Consecutive stops that are one place told twice: a base, airport or station and
    its town. The first told stands; a name a station or airport carries gives its town."""
    from .distance import geodesic_km

    out: list[StopEvent] = []
    for event in sequence:
        if out:
            last = out[-1]
            a, b = last.mention.surface.casefold(), event.mention.surface.casefold()
            near = geodesic_km(_point(last), _point(event)) <= NESTED_NAME_KM
            if near and (a.startswith(b) or b.startswith(a)):
                if len(b) < len(a) and last.role == event.role:
                    out[-1] = replace(event, role=last.role, cue=last.cue)
                continue
        out.append(event)
    return out


def _point(event: StopEvent) -> tuple[float, float]:
    return (float(event.mention.candidate.lat), float(event.mention.candidate.lon))


def _anchors(events: Sequence[StopEvent]) -> dict[Any, StopEvent]:
    """Where each place stands in the telling: where it is reached, if it was headed for first.

    "Headed toward X … passed A … arrived in X": X stands at its arrival, after A.
    """
    anchors: dict[Any, StopEvent] = {}
    for event in events:
        key = _key(event.mention)
        first = anchors.get(key)
        if first is None or ((first.heading or first.paired) and event.arrival and not event.back):
            anchors[key] = event
    return anchors


def _announced_destination(
    sequence: Sequence[StopEvent], events: Sequence[StopEvent]
) -> StopEvent | None:
    """A goal told before the stops on the way to it (which do not say they come after it)."""
    for event in sequence[1:-1]:
        if event.role != "destination" or event.back or event.sequenced:
            return None
        if event.source == "chain" and not event.paired:
            return None
        key = _key(event.mention)
        later = [
            e
            for e in events
            if e.mention.start > event.mention.start
            and _key(e.mention) != key
            and e.role != "origin"
        ]
        departs = any(e.role == "origin" and _key(e.mention) == key for e in events)
        if not later or departs or any(e.sequenced for e in later):
            return None
        if later[0].role == "via" and (later[0].passing or event.paired):
            return event
        return None
    return None


def _travel_sentence_events(
    document: Document, towns: Sequence[Found], found: StopEvent
) -> list[StopEvent]:
    """When the frames give one stop of a journey: the towns its travel sentences name.

    A weaker reading, marked as such (``source="sentence"``): the towns of the sentences
    that speak of travel, in the text's order, except those in flashbacks, negated or
    conditional clauses and other sections.
    """
    out = []
    seen = {_key(found.mention)}
    for index, in_sentence in sorted(_by_sentence(document, towns).items()):
        if not _worth_parsing(document, index):
            continue
        sentence = document.text[slice(*document.sentences[index])]
        if _flashback().search(sentence) or re.search(r"\b(?:if|unless|not|never)\b", sentence):
            continue
        for town in sorted(in_sentence, key=lambda f: f.start):
            if _key(town) in seen:
                continue
            seen.add(_key(town))
            out.append(
                StopEvent(
                    mention=town,
                    role="via",
                    cue="named in a sentence about the journey",
                    source="sentence",
                    sentence=index,
                    mode="unknown",
                    mode_cue="",
                    sequenced=False,
                )
            )
    return out


def find_stops(document: Document | str, mentions: Sequence[Found]) -> list[StopCue]:
    """The stops of the journey, in travel order.

    Parameters
    ----------
    document
        The text (or its :class:`~route.document.Document`).
    mentions
        The place mentions :func:`route.extract.find_mentions` found in it.

    Returns
    -------
    list of StopCue
        Empty when the text names no journey.
    """
    if isinstance(document, str):
        document = Document(document)
    towns = [f for f in mentions if is_town(f)]
    events = (
        chain_events(document, towns)
        + field_events(document, towns)
        + frame_events(document, towns)
    )
    ordered = order_stops(events)
    if len({_key(e.mention) for e in ordered}) == 1:
        ordered = order_stops(events + _travel_sentence_events(document, towns, ordered[0]))
    return [
        StopCue(
            mention=e.mention,
            role=e.role,
            cue=e.cue,
            mode=e.mode,
            mode_cue=e.mode_cue,
            sentence=e.sentence,
            source=e.source,
            sentence_text=document.sentence_text(e.sentence),
        )
        for e in ordered
    ]


def journey_mode(document: Document, stops: Sequence[StopCue]) -> Mode:
    """The mode the journey's sentences name, when one mode makes two thirds of them.

    Counted over the sentences that give stops, from the same word list as the legs.
    """
    told = _modes_told(document, sorted({s.sentence for s in stops if s.sentence >= 0}))
    if not told:  # the journey's sentences say nothing: what the whole text says
        told = _modes_told(document, range(len(document.sentences)))
    if not told:
        return "unknown"
    best = max(sorted(set(told)), key=lambda m: told.count(m))
    return best if told.count(best) * 3 >= len(told) * 2 else "unknown"


def _modes_told(document: Document, indices: Iterable[int]) -> list[Mode]:
    modes = _lexicon()[3]
    told: list[Mode] = []
    for index in indices:
        start, end = document.sentences[index]
        words = list(re.finditer(r"[A-Za-z]+", document.text[start:end]))
        for k, match in enumerate(words):
            word = match.group()
            if k + 1 < len(words) and words[k + 1].group().lower() in modes:
                continue  # "ferry flight": the second word names the mode
            at_start = match.start() == 0 or document.text[start:end][: match.start()].rstrip()[
                -1:
            ] in (":", "-", "–", ".", "")
            if word[:1].isupper() and not at_start and word.lower() not in _NAMED_WAYS:
                continue
            mode = modes.get(word.lower())
            if mode is not None:
                told.append(mode)  # type: ignore[arg-type]
    return told


def leg_modes(stops: Sequence[StopCue], default: Mode = "unknown") -> list[tuple[Mode, str]]:
    """Mode of each leg and the words that gave it.

    How the text says one reaches the next stop, else how one leaves this one;
    a leg whose clauses name no mode takes the mode of the leg before it ("then
    continued to X"), else ``"unknown"``.
    """
    modes: list[tuple[Mode, str]] = []
    told: list[Mode] = [s.mode for s in stops if s.mode != "unknown"]
    dominant: Mode = default
    if told and max(told.count(m) for m in set(told)) * 3 >= len(told) * 2:
        dominant = max(sorted(set(told)), key=lambda m: told.count(m))
    for a, b in itertools.pairwise(stops):
        if b.mode != "unknown":
            modes.append((b.mode, b.mode_cue))
        elif a.mode != "unknown" and (a.role == "origin" or not modes):
            modes.append((a.mode, a.mode_cue))
        elif modes and modes[-1][0] != "unknown":
            modes.append((modes[-1][0], f"{modes[-1][1]} (as the leg before)"))
        elif dominant != "unknown":
            modes.append((dominant, f"{dominant} (the journey's mode)"))
        else:
            modes.append(("unknown", ""))
    return modes


#: A stop's namesake this many times as populous, and a city of at least this many people,
#: is the place meant when the text's context chose the small one without confidence:
#: travellers go to Paris, France, far more often than to Paris, Texas.
FAMOUS_RATIO = 20
FAMOUS_POPULATION = 500_000
CONFIDENT = 0.9


def prefer_famous(mentions: Sequence[Found], resolver: Any) -> list[Found]:
    """Towns resolved without confidence to a small place that a famous namesake outranks.

    Only for names the text does not qualify (a qualified "Paris, Texas" resolves with
    confidence); the change applies to every mention of the name.
    """
    from .extract import fold

    weak = {
        f.surface
        for f in mentions
        if is_town(f) and f.confidence < CONFIDENT and f.candidate.population < FAMOUS_POPULATION
    }
    if not weak:
        return list(mentions)
    found = resolver.lookup_keys({fold(name) for name in weak})
    better: dict[str, Any] = {}
    for name in weak:
        current = next(f.candidate for f in mentions if f.surface == name and is_town(f))
        towns = [
            c for c in found.get(fold(name), []) if not str(c.feature).startswith(("ADM", "PCL"))
        ]
        big = max(towns, key=lambda c: c.population, default=None)
        if big is not None and big.population >= max(
            FAMOUS_POPULATION, FAMOUS_RATIO * max(current.population, 1)
        ):
            better[name] = big
    return [
        replace(f, candidate=better[f.surface]) if f.surface in better and is_town(f) else f
        for f in mentions
    ]


def unify_senses(mentions: Sequence[Found]) -> list[Found]:
    """One sense per text: every mention of a name resolves to the same place.

    The place chosen is the one the name's most confident mention resolved to;
    a name the text qualifies differently ("Paris, Texas") is a different name.
    """
    from dataclasses import replace

    best: dict[tuple[str, str], Found] = {}
    for found in mentions:
        key = (found.kind, found.surface.casefold())
        if key not in best or found.confidence > best[key].confidence:
            best[key] = found
    out: list[Found] = []
    facilities: list[Found] = []
    for found in mentions:
        chosen = best[(found.kind, found.surface.casefold())]
        named = _facility_named(found, facilities)
        if named is not None:
            chosen = named  # "Columbus" after "Columbus Air Force Base": the base
        if chosen.candidate is not found.candidate:
            found = replace(found, candidate=chosen.candidate, confidence=chosen.confidence)
        if _FACILITY.search(found.surface):
            facilities.append(found)
        out.append(found)
    return out


#: The last word of a facility's name ("Edwards Air Force Base", "Cologne Bonn Airport").
_FACILITY = re.compile(
    r"\s(?:base|airport|airfield|station|terminal|center|centre|field|port|harbou?r)$", re.I
)


def _facility_named(found: Found, facilities: Sequence[Found]) -> Found | None:
    """The facility an earlier mention named, when this one is its name's first words."""
    short = found.surface.casefold() + " "
    for facility in reversed(facilities):
        if facility.surface.casefold().startswith(short):
            return facility
    return None
