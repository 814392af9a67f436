"""Read a journey out of a text: which mentions are stops, their order, leg modes, claims.

Pure text processing over the mentions :mod:`route.extract` found.

Stops are towns and cities (never countries) that a clause ties to the
journey with a cue: a departure ("departing … in", "from" with a travel verb),
a passage ("passed through", "via", "near" a border), or an arrival or
expectation ("to", "arrive in", "expected … in"). Clauses about the past
("last June", "last year") give no stops. The first departure is the
origin, the last arrival the destination, and the stops between them are put
in the order that makes the shortest journey, which is the travel order even
when the text tells the story out of order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .extract import AREA_LEVEL, Found, sentence_at, sentence_spans
from .models import Claim

__all__ = ["StopCue", "find_claims", "find_stops", "leg_modes"]

_TRAVEL = re.compile(
    r"\b(?:travel\w*|journey\w*|trip\w*|train\w*|rail\w*|depart\w*|leav\w*|left|set off|"
    r"arriv\w*|reach\w*|pass\w*|cross\w*|border|via|expected|bound|head\w*|"
    r"drive|drove|driv\w*|flight|fl(?:y|ew|ies|own)|sail\w*|ride|rode|route|motorcade|"
    r"convoy|visit\w*|go(?:es|ing)?|went|continu\w*|on to|onward\w*)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:last (?:year|month|week|summer|winter|spring|autumn|fall|january|february|march|"
    r"april|may|june|july|august|september|october|november|december)|previous(?:ly)?|"
    r"years? ago|months? ago|in (?:19|20)\d\d|first summit|earlier trip|former)\b",
    re.IGNORECASE,
)
_OTHERS = re.compile(r"\b(?:who|whom|whose)\b", re.IGNORECASE)
# Cue words before a place: role, and how many words back they may stand.
_CUES: dict[str, tuple[str, int]] = {
    "from": ("origin", 3), "depart": ("origin", 4), "departs": ("origin", 4),
    "departed": ("origin", 4), "departing": ("origin", 4), "departure": ("origin", 4),
    "left": ("origin", 2), "leaving": ("origin", 2), "leave": ("origin", 2),
    "leaves": ("origin", 2), "started": ("origin", 4), "starting": ("origin", 4),
    "through": ("via", 4), "via": ("via", 3), "near": ("via", 3), "passed": ("via", 4),
    "passing": ("via", 4), "crossed": ("via", 5), "crossing": ("via", 5),
    "to": ("destination", 3), "into": ("destination", 3), "towards": ("destination", 3),
    "arrive": ("destination", 3), "arrived": ("destination", 3), "arrives": ("destination", 3),
    "arriving": ("destination", 3), "arrival": ("destination", 4), "reach": ("destination", 2),
    "reached": ("destination", 2), "reaches": ("destination", 2), "expected": ("destination", 9),
    "stopped": ("via", 5), "stopping": ("via", 5), "stop": ("via", 4), "stops": ("via", 4),
    "changed": ("via", 4), "calling": ("via", 3),
    "destination": ("destination", 4), "bound": ("destination", 3),
}  # fmt: skip
#: "for" is a destination only after these ("leave for Hanoi", "bound for").
_FOR_AFTER = frozenset(
    {
        "leave",
        "leaves",
        "left",
        "leaving",
        "bound",
        "head",
        "heads",
        "headed",
        "heading",
        "departed",
        "departs",
        "depart",
        "set",
        "sets",
    }
)
_WORDS = re.compile(r"[\w'’-]+")


def _cue(before: str) -> tuple[str, str]:
    """Role and cue words from the words just before a place (nearest cue wins)."""
    found_words = list(_WORDS.finditer(before))[-10:]
    words = [m.group().lower() for m in found_words]

    def since(j: int) -> str:
        return " ".join(before[found_words[j].start() :].split())

    for back, word in enumerate(reversed(words), start=1):
        j = len(words) - back
        if word == "for" and back <= 3:
            # "leave for X", "left Santiago for X"
            leaving = [k for k in range(max(0, j - 3), j) if words[k] in _FOR_AFTER]
            if leaving:
                return "destination", since(leaving[-1])
            continue
        found = _CUES.get(word)
        if found and back <= found[1]:
            if found[0] == "origin" and word in ("leave", "leaves", "left", "leaving") and back > 1:
                continue  # "left the train in X": a place left, not where the leaving was
            return found[0], since(j)
    return "", ""


_MODES = (
    ("car", re.compile(r"\b(?:by (?:car|road|bus)|drive|drove|driv\w+|motorcade|convoy)\b", re.I)),
    ("plane", re.compile(r"\b(?:by (?:plane|air)|flight|fl(?:y|ew|ies|own)|airliner)\b", re.I)),
    ("train", re.compile(r"\b(?:by (?:train|rail)|train\w*|rail\w*|locomotive)\b", re.I)),
)
_CLAUSE = re.compile(r"[;:]|,\s+(?=(?:but|although|though|while|whereas|and then|then)\b)|\s+—\s+")


@dataclass(frozen=True, slots=True)
class StopCue:
    """A mention chosen as a stop: its role and the cue words that made it one."""

    mention: Found
    role: str  # origin, via, destination
    cue: str
    mode: str  # the mode its clause names, or ""


def _clause(text: str, sentence: tuple[int, int], at: int) -> tuple[int, int]:
    start, end = sentence
    pieces = [start]
    for match in _CLAUSE.finditer(text, start, end):
        pieces.append(match.end())
    clause_start = max(p for p in pieces if p <= at)
    following = [p for p in pieces if p > at]
    return clause_start, (following[0] if following else end)


def _segment(text: str, sentence: tuple[int, int], at: int) -> tuple[int, int]:
    """The stretch between the commas (or clause marks) around position ``at``."""
    start, end = _clause(text, sentence, at)
    left = max(text.rfind(",", start, at), text.rfind("(", start, at))
    right = [p for p in (text.find(",", at, end), text.find(")", at, end)) if p >= 0]
    return (left + 1 if left >= 0 else start), (min(right) if right else end)


def _mode(fragment: str) -> str:
    for mode, pattern in _MODES:
        if pattern.search(fragment):
            return mode
    return ""


def find_stops(text: str, mentions: Sequence[Found]) -> list[StopCue]:
    """The stops of the journey, in travel order.

    Returns
    -------
    list of StopCue
        One per distinct place; empty when the text names no journey.
    """
    from .distance import geodesic_km

    sentences = sentence_spans(text)
    cues: list[StopCue] = []
    seen: dict[int, int] = {}
    rank = {"origin": 0, "destination": 1, "via": 2}
    for mention in mentions:
        place = mention.candidate
        if mention.kind != "place" or place.feature in AREA_LEVEL:
            continue
        sentence = sentence_at(sentences, mention.start)
        if sentence is None:
            continue
        sentence_text = text[sentence[0] : sentence[1]]
        if not _TRAVEL.search(sentence_text):
            continue
        clause = _clause(text, sentence, mention.start)
        text[clause[0] : clause[1]]
        segment = _segment(text, sentence, mention.start)
        if _PAST.search(text[segment[0] : segment[1]]):
            continue
        if _OTHERS.search(text[segment[0] : mention.start]):
            continue  # "fans who had travelled from Oklahoma": someone else's journey
        role, cue = _cue(text[clause[0] : mention.start])
        if not role:
            continue
        stop = StopCue(mention, role, f"{cue} {mention.surface}", _mode(sentence_text))
        gid = place.geonameid
        if gid in seen:
            old = cues[seen[gid]]
            if rank[role] < rank[old.role]:
                cues[seen[gid]] = stop
            continue
        seen[gid] = len(cues)
        cues.append(stop)
    if len(cues) < 2:
        return cues
    origins = [c for c in cues if c.role == "origin"]
    destinations = [c for c in cues if c.role == "destination"]
    origin = origins[0] if origins else cues[0]
    rest = [c for c in cues if c is not origin]
    destination = destinations[-1] if destinations and destinations[-1] is not origin else rest[-1]
    middle = [c for c in rest if c is not destination]

    def point(c: StopCue) -> tuple[float, float]:
        return (c.mention.candidate.lat, c.mention.candidate.lon)

    route = [origin, destination]
    for stop in middle:  # cheapest insertion: the travel order, whatever the telling
        best_i, best_cost = 1, float("inf")
        for i in range(1, len(route)):
            a, b = point(route[i - 1]), point(route[i])
            cost = geodesic_km(a, point(stop)) + geodesic_km(point(stop), b) - geodesic_km(a, b)
            if cost < best_cost:
                best_i, best_cost = i, cost
        route.insert(best_i, stop)
    return route


def leg_modes(stops: Sequence[StopCue]) -> list[str]:
    """Mode of each leg: how the text says one reaches the next stop, else leaves this one."""
    modes = []
    for a, b in itertools.pairwise(stops):
        modes.append(b.mode or a.mode or "unknown")
    return modes


# -- distance claims -----------------------------------------------------------------

_QUALIFIERS = (
    "more than|less than|nearly|almost|about|around|roughly|approximately|some|over|under|"
    "just over|just under|up to|at least|at most|close to|circa|ca\\.|only about|only"
)
_CLAIM = re.compile(
    rf"(?:(?P<qualifier>{_QUALIFIERS})\s+)?"
    r"(?P<value>\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+|\d+(?:\.\d+)?)\s*-?\s*"
    r"(?P<unit>kilomet(?:er|re)s?|km|miles?|mi)\b",
    re.IGNORECASE,
)
_STRAIGHT = re.compile(
    r"crow flies|\bapart\b|straight[- ]line|as the bird flies|direct distance|beeline", re.I
)
_RAIL = re.compile(
    r"\brail\w*|\btrack\b|\bby train\b|\btrain journey\b|\b(?:the|main|railway) line\b", re.I
)
_ROAD = re.compile(r"\broad\b|\bby car\b|\bdrive\b|\bdriving\b|\bhighway\b", re.I)
_AIR = re.compile(r"\bflight\b|\bby (?:air|plane)\b|\bfly\b", re.I)
_MILE_KM = 1.609344


def _measure(fragment: str) -> str:
    for name, pattern in (
        ("straight", _STRAIGHT),
        ("rail", _RAIL),
        ("road", _ROAD),
        ("straight", _AIR),
    ):
        if pattern.search(fragment):
            return name
    return ""


def find_claims(text: str, mentions: Sequence[Found] = ()) -> list[Claim]:
    """Distance claims: "about 2900 kilometers apart", "4,500 km of rail track".

    The claims are not checked yet (``verdict`` is "not measured"); the pipeline
    compares them with the trip.
    """
    sentences = sentence_spans(text)
    out = []
    for match in _CLAIM.finditer(text):
        sentence = sentence_at(sentences, match.start()) or (0, len(text))
        clause = _clause(text, sentence, match.start())
        segment = _segment(text, sentence, match.start())
        raw = re.sub(r"[,\u202f\u00a0 ]", "", match["value"])
        value = float(raw)
        unit = "mi" if match["unit"].lower().startswith("mi") else "km"
        measure = _measure(text[segment[0] : segment[1]]) or _measure(text[clause[0] : clause[1]])
        named = [
            m.surface
            for m in mentions
            if clause[0] <= m.start < clause[1]
            and m.kind == "place"
            and m.candidate.feature not in AREA_LEVEL
        ]
        between = (named[0], named[1]) if len(named) >= 2 else None
        out.append(
            Claim(
                start=match.start(),
                end=match.end(),
                surface=match.group(),
                value=value,
                unit=unit,
                km=value * _MILE_KM if unit == "mi" else value,
                qualifier=(match["qualifier"] or "").lower(),
                measure=measure or "unknown",
                between=between,
                sentence=" ".join(text[sentence[0] : sentence[1]].split()),
            )
        )
    return out
