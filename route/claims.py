"""Distance claims: find them, tie each to a segment and a measure, and check them.

Numbers are read as people write them: thousands separated by commas, spaces,
thin spaces or apostrophes ("4'352 km"), decimals, ranges ("2,000–3,000 km"),
and qualifiers ("about", "more than", "nearly"). Speeds (km/h, mph), areas
(km², square miles), heights and depths are not distances.

A claim gets a **scope** (which part of the journey: a named segment, the whole
journey or line, the distance still to go, a round trip, a stretch inside a
leg) and a **measure** (as the crow flies, along the rails, flown, by road, by
sea). A verdict is given only when both are identified and route can measure
them; otherwise the claim is "not checked", with the reason.
"""

from __future__ import annotations

import functools
import itertools
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from .distance import geodesic_km
from .document import Document
from .events import WEAK_CUE, is_town
from .extract import Found
from .models import Claim, Leg, Measure, Place, Scope, Trip, Verdict

if TYPE_CHECKING:
    from .events import StopCue
    from .rail import RailNetwork

__all__ = ["check_claims", "find_claims", "parse_number", "unplaced_reason"]

_QUALIFIERS = (
    "no (?:more|less|fewer) than|not (?:more|less|fewer) than|"
    "more than|less than|fewer than|nearly|almost|about|around|roughly|approximately|some|"
    "over|under|just over|just under|up to|at least|at most|close to|circa|ca\\.|only about|"
    "an estimated|estimated|approx\\.|~"
)
_NUM = r"\d{1,3}(?:[,'’\u2009\u202f\u00a0 ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT = r"nautical[\s-]+miles?|nmi|kilomet(?:er|re)s?|kms?|miles?|mi(?![\w/])"
_UNITS_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_NUMBER_WORD = r"(?:" + "|".join([*_UNITS_WORDS, *_TENS_WORDS, *_SCALES, "a"]) + r")"
#: A number in words: "three thousand seven hundred and eighty-six", "a hundred".
_WORDS_NUM = rf"{_NUMBER_WORD}(?:(?:\s+and\s+|[\s-]+){_NUMBER_WORD})*"


def words_to_number(words: str) -> float | None:
    """ "three thousand seven hundred and eighty-six" → 3786; ``None`` if not a number."""
    total = current = 0
    seen = False
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "and":
            continue
        if word == "a":
            current = max(current, 1)
            continue
        if word in _UNITS_WORDS:
            current += _UNITS_WORDS.index(word)
        elif word in _TENS_WORDS:
            current += 20 + 10 * _TENS_WORDS.index(word)
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


_CLAIM = re.compile(
    rf"(?:(?<!\w)(?P<qualifier>{_QUALIFIERS})\s+)?"  # not "… volcano less than", "Reno more"
    rf"(?P<value>{_NUM}|\b{_WORDS_NUM})(?:\s*(?:-|–|—|to)\s*(?P<high>{_NUM}))?\s*-?\s*"
    rf"(?P<unit>{_UNIT})\b",
    re.IGNORECASE,
)
#: After the unit: a speed or an area, not a distance.
_NOT_LENGTH_AFTER = re.compile(
    r"^(?:\s*(?:/|per\s+|an?\s+hour|a\s+day|²|2\b|\^2)|\s*(?:square|sq)\b)", re.IGNORECASE
)
_NOT_LENGTH_BEFORE = re.compile(r"\b(?:square|sq\.?|cubic)\s*$", re.IGNORECASE)
_HEIGHT = re.compile(
    r"\b(?:high|tall|deep|depth|altitude|elevation|above sea level|below sea level|"
    r"in diameter|wide|across|radius|height)\b",
    re.IGNORECASE,
)
#: Right after the unit: a difference between two distances, not one of the journey.
_COMPARED = re.compile(
    r"\s*(?:longer|shorter|further|farther|closer|nearer|more|less|fewer)\b", re.IGNORECASE
)
#: A figure that measures a network ("a 2,561-kilometer Standard Gauge Railway network",
#: "a rail system of 5,000 km"): the sum of its lines, no journey's distance.
_NETWORK_AFTER = re.compile(
    r"(?:[\s-]+(?!(?:on|in|at|to|from|of|for|with|by|the|a|an|and|along|across|over|via|"
    r"through)\b)[A-Za-z]+){0,5}?\s+(?:network|system)s?\b",
    re.I,
)
_NETWORK_BEFORE = re.compile(
    r"\b(?:network|system)s?\s+(?:is|was|has|had|covers|covered|spans|totals|measures|"
    r"comprises|of)\s+(?:(?:about|some|nearly|over|around|more than|almost)\s+)?$",
    re.I,
)


def _of_a_network(text: str, match: re.Match[str], start: int) -> str:
    """The words that make a figure a network's length, else ``""``."""
    after = _NETWORK_AFTER.match(text, match.end())
    if after is not None:
        return f"{match.group()}{after.group()}"
    before = _NETWORK_BEFORE.search(text, max(start, match.start() - 40), match.start())
    return f"{before.group()}{match.group()}" if before is not None else ""


#: Words that make a claim the whole journey's even beside a "from A to B".
_TOTAL = re.compile(r"\b(?:in total|in all|total|whole|entire|overall)\b", re.I)
_MILE_KM = 1.609344
_NMI_KM = 1.852

_MEASURES: tuple[tuple[Measure, re.Pattern[str]], ...] = (
    (
        "straight",
        re.compile(
            # not "apart by rail": the way says which distance
            r"crow flies|bird flies|\bapart\b(?!\s+by\b)|straight[- ]line|direct distance|beeline|"
            r"\bin a straight line\b|"
            # a bearing right after a figure's unit ("50 km south-west of Glasgow", "235 km
            # to the north"), not anywhere ("through the hills north of Lampang")
            r"(?:\bkm|\bkilomet\w+|\bmiles?|\bmi)\)?\s+(?:due\s+)?(?:"
            r"(?:north|south|east|west|northeast|northwest|southeast|southwest)"
            r"(?:-?(?:east|west))?\s+of\b|to\s+the\s+(?:north|south|east|west)(?:-?(?:east|west))?\b)",
            re.I,
        ),
    ),
    (
        "flight",
        re.compile(
            r"\bflights?\b|\bfl(?:y|ew|own|ying|ies)\b|\bby (?:air|plane)\b|\bair miles\b", re.I
        ),
    ),
    (
        "rail",
        re.compile(
            r"\brail(?:way|road)?s?\b|\btracks?\b|\btrains?\b(?!\s+stations?\b)|"
            # a train by its name: "on the Blue Train", "aboard the Orient Express"
            r"\b(?:on|aboard)\s+the\s+(?:[\w-]+\s+){0,2}(?:train|express)\b|"
            r"\btrains? (?:travels?|travelled|traveled)\b|"
            r"\b(?:the|main|railway|trunk) line\b(?!\s+of\b)|\bline (?:is|was|runs|covers)\b|"
            # a railway infobox's fields, as written or with the template's key
            # ("Line length:", "Tracklength:")
            r"^[\s•*-]*(?:line|track)\s?length\s*(?:[:=]|(?=\d))",
            re.I,
        ),
    ),
    (
        "road",
        re.compile(
            r"\broads?\b|\bby (?:car|bus|coach)\b|\bdr(?:ive|ove|iving|iven)\b|"
            r"\bhighway\b|\bmotorway\b|"
            # a ride by bicycle goes by road ("a 350-mile bicycling trip")
            r"\bbicycl\w*|\bcycl(?:ing|ed|ists?)\b|\bbik(?:e|es|ed|ing)\b",
            re.I,
        ),
    ),
    (
        "sea",
        re.compile(
            r"\bnautical\b|\bsail(?:ed|ing)?\b|\bvoyage\b|\bby (?:sea|ship|boat|ferry)\b|"
            r"\bcruise\b",
            re.I,
        ),
    ),
    (
        "foot",
        re.compile(
            r"\bwalk(?:ed|ing)?\b|\bhik(?:e|ed|ing)\b|\btrek(?:ked|king)?\b|\bon foot\b|"
            r"\btrail\b|\bmarch(?:ed)?\b",
            re.I,
        ),
    ),
)
_MODE_MEASURE: dict[str, Measure] = {
    "train": "rail",
    "plane": "flight",
    "car": "road",
    "ship": "sea",
    "foot": "foot",
    "bicycle": "road",
}
_SCOPES: tuple[tuple[Scope, re.Pattern[str]], ...] = (
    (
        "remaining",
        re.compile(r"\bto go\b|\bremain(?:ing|ed|s)?\b|\bstill\b|\bleft to\b|\bshort of\b", re.I),
    ),
    (
        "round_trip",
        re.compile(
            r"\bround[- ]trip\b|\bthere and back\b|\breturn (?:journey|trip|flight)\b|"
            r"\b(?:a)?round the world\b",
            re.I,
        ),
    ),
    (
        "stretch",
        re.compile(
            r"\b(?:the )?(?:last|first|final|next|remaining) (?:~?\d|few|stretch)|"
            r"\bstretch\b|\bsection\b|\bsegment\b|\bportion\b|"
            # "only fifteen miles into the journey, the car blew a tire": a point on the way
            r"\b(?:km|kilomet\w+|miles?|mi)\)?\s+into\s+(?:the|its|his|her|their|our|my)\s+"
            r"(?:[a-z]+\s+)?(?:journey|trip|voyage|drive|ride|flight|walk|march|race|"
            r"stage|route|trek|hike|run)\b",
            re.I,
        ),
    ),
    (
        "whole",
        re.compile(
            r"\b(?:whole|entire|total|full|overall|complete)\b|\bin (?:all|total)\b|"
            r"\b(?:line|route|railway|journey|trip|voyage|road|trail|highway|tour|race|course|"
            r"flight|drive|ride|trek|walk|march|expedition|crossing|itinerary) "
            r"(?:is|was|runs|ran|covers|covered|"
            r"spans|spanned|stretches|stretched|measures|extends|totals|totalled|totaled|of)\b|"
            r"\bcover(?:s|ed|ing)?\b|\blong\b|\btravel(?:l?ed|l?ing)\b|\bcomplet(?:ed|ing|es?)\b|"
            r"\b(?:km|kilomet\w+|miles?)\)?(?:[\s-]+[a-z]+(?:-[a-z]+)?){0,3}?\s+"
            r"(?:journey|trip|voyage|route|line|flight|trek|ride|drive|march|walk|race|"
            r"rally|tour|cruise|expedition|crossing|passage|circumnavigation)\b|"
            # "the length of the journey being 483 miles" (not "of his walk": another's)
            r"\b(?:length|distance)\s+of\s+(?:the|this|our|its)\s+"
            r"(?:journey|trip|voyage|route|line|railway|flight|drive|ride|walk|march|"
            r"crossing|passage)\b|"
            r"\bamount(?:s|ed)? to\b|\bstart and finish\b|\blongest\b|\bshortest\b|"
            r"\b(?:runs|ran|stretches|stretched|extends|extended|spans|spanned)\s+"
            r"(?:for\s+)?(?:some\s+|about\s+|around\s+|nearly\s+|almost\s+|over\s+)?\d|"
            # an infobox's field, with its colon or with the figure right after it as a
            # table copied as text gives it ("Line length 515.4 km", "Distance travelled740 km")
            r"^[\s•*-]*(?:distance(?:\s+travell?ed)?|(?:route|total|track|line)?\s?length"
            r"(?:\s*km)?)\s*(?:[:=]|(?=\d))|"
            r"\bend to end\b|\bfirst and last\b|"
            r"\b(?:\d[\d,.' ]*\s*-?\s*(?:km|kilomet\w+|miles?)[- ]long)\b",
            re.I,
        ),
    ),
)


def parse_number(raw: str) -> float:
    """A number as written: "4'352", "2,900", "4 500", "1,050.5", "three hundred"."""
    if raw[:1].isalpha():
        value = words_to_number(raw)
        if value is None:
            raise ValueError(f"not a number: {raw!r}")
        return value
    return float(re.sub(r"[,'’\u2009\u202f\u00a0 ]", "", raw))


def _unit(raw: str) -> tuple[str, float]:
    lower = raw.lower()
    if lower.startswith("nautical") or lower == "nmi":
        return "nmi", _NMI_KM
    if lower.startswith("mi"):
        return "mi", _MILE_KM
    return "km", 1.0


def _is_length(text: str, match: re.Match[str]) -> bool:
    after = text[match.end() : match.end() + 12]
    before = text[max(0, match.start() - 10) : match.start()]
    if _NOT_LENGTH_AFTER.match(after) or _NOT_LENGTH_BEFORE.search(before):
        return False
    window = text[match.end() : match.end() + 40]
    return not _HEIGHT.match(window.strip()) and not re.match(
        r"^\s*(?:high|tall|deep|above|below)\b", window, re.I
    )


_K = TypeVar("_K", bound=str)


def _first(
    table: tuple[tuple[_K, re.Pattern[str]], ...], fragment: str, default: _K
) -> tuple[_K, str]:
    """The first kind in ``table`` whose pattern the fragment matches, with the words."""
    for kind, pattern in table:
        found = pattern.search(fragment)
        if found:
            return kind, found.group()
    return default, ""


#: "nautical miles": a unit (of ships and aircraft alike), not a word of the measure.
_NAUTICAL_UNIT = re.compile(r"nautical\s+miles?\b", re.I)


def _measure(fragment: str, figure: tuple[int, int] = (0, 0)) -> tuple[Measure, str]:
    """The measure whose words stand nearest the figure at ``figure`` in ``fragment`` ("a
    five-day, 350-mile bicycling trip", not "in the line of duty" earlier on), the words
    that say it; the first in :data:`_MEASURES` on a tie. A unit ("nautical miles") is no
    such word, and the figure's own says something only where nothing else does:
    aircraft fly them too."""
    at, end = figure
    best: tuple[int, int, Measure] | None = None
    own: tuple[Measure, str] | None = None
    words: dict[Measure, str] = {}  # each measure's first words, which the cue quotes
    for rank, (kind, pattern) in enumerate(_MEASURES):
        for found in pattern.finditer(fragment):
            if _NAUTICAL_UNIT.match(fragment, found.start()):  # a unit, this figure's or not
                if at <= found.start() < end:
                    own = own or (kind, found.group())
                continue
            words.setdefault(kind, found.group())
            gap = max(found.start() - end, at - found.end(), 0)
            if best is None or (gap, rank) < best[:2]:
                best = (gap, rank, kind)
    if best is not None:
        return best[2], words[best[2]]
    return own or ("unknown", "")


def _scope(fragment: str) -> tuple[Scope, str]:
    return _first(_SCOPES, fragment, "unknown")


def _segment(
    text: str,
    start: int,
    end: int,
    claim: tuple[int, int],
    towns: Sequence[Found],
    starts: list[int],
) -> tuple[tuple[Found, Found] | None, str]:
    """The two places a claim's sentence names as its ends, with the words that said so.

    ``towns`` are in text order and ``starts`` their start positions (a bisection finds
    the sentence's towns, so a long text costs no more per claim than a short one).
    """
    claim_start = claim[0]
    inside = towns[bisect_left(starts, start) : bisect_left(starts, end)]
    located = _locating(text, claim, inside)
    if located is not None:  # "… from Edinburgh to Ayr, 50 km south-west of Glasgow"
        return located
    named = list(_named_pairs(text, start, end, claim, inside))
    pair = _pair_of_the_figure(text, claim, named)
    if pair is not None:
        return pair
    distinct = {(f.candidate.lat, f.candidate.lon): f for f in inside}
    if len(distinct) == 2 and re.search(r"\bapart\b", text[claim_start:end]):
        a, b = sorted(distinct.values(), key=lambda f: f.start)  # "… A for B; the cities
        return (a, b), f"{a.surface} … {b.surface} … apart"  # are 1,070 km apart"
    for a in inside:  # "Dandong, 200 km from Pyongyang": the place the sentence is about
        before = text[max(start, a.start - 24) : a.start].lower()
        if _FROM_OR_BEARING.search(before) and a.start > claim_start:
            others = [f for f in inside if f is not a and f.start < claim_start]
            if others:
                return (a, others[-1]), f"{others[-1].surface} … from {a.surface}"
    told = [f for f in inside if f.end <= claim_start]
    if len(told) >= 2 and re.fullmatch(
        r",\s*(?:an? (?:total )?(?:distance|journey|trip|run) of\s+)?"
        r"(?:about|some|nearly|around|approximately)?\s*",
        text[told[-1].end : claim_start],
    ):
        # "left Paris for Lyon, 390 km to the south-east"; "links A with B, a distance of
        # 502 kilometres"
        a, b = told[-2], told[-1]
        return (a, b), f"{a.surface} … {b.surface}, …"
    return None, ""


#: Between a town and a figure that says where it lies: a comma, perhaps "a town", "which
#: lies", a hedge ("Ayr, 50 km south-west of Glasgow", "Lourdes, a town 130 km …").
_LOCATED_BEFORE = re.compile(
    r",\s*(?:(?:a|the)\s+(?:small\s+|little\s+|large\s+)?(?:town|city|village|port|"
    r"settlement|resort|station)\s+|(?:which|that)\s+(?:lies|is|sits|stands)\s+)?"
    r"(?:some|about|around|approximately|roughly|nearly|almost|only|just|over)?\s*$",
    re.I,
)
#: After the figure: a bearing or "from" and then the place it is measured from.
_LOCATED_AFTER = re.compile(
    r"\s*(?:\([^()]*\)\s*)?(?:to\s+the\s+)?(?:(?:north|south|east|west)(?:[- ]?(?:east|west))?"
    r"\s+of|from|away\s+from|outside(?:\s+of)?)\s+(?:the\s+(?:city|town|capital)\s+of\s+)?",
    re.I,
)


def _locating(text: str, claim: tuple[int, int], inside: Sequence[Found]) -> Told | None:
    """A figure that says where a town lies, in apposition to it ("arrived at Khasan, 130 km
    south-west of Vladivostok", "to Lourdes, a town 130 km south-west of Toulouse"): its
    ends are the place it is measured from and the town, whatever way the sentence names
    around them."""
    start, end = claim
    after = _LOCATED_AFTER.match(text, end)
    if after is None:
        return None
    origin = next((f for f in inside if f.start == after.end()), None)
    town = next((f for f in reversed(inside) if f.end <= start), None)
    if origin is None or town is None or not _LOCATED_BEFORE.fullmatch(text, town.end, start):
        return None
    return (origin, town), f"{town.surface}, … {text[end : after.end()].strip()} {origin.surface}"


#: Two places a sentence names as a way's ends, and the words that said so.
Told = tuple[tuple[Found, Found], str]


def _named_pairs(
    text: str, start: int, end: int, claim: tuple[int, int], inside: Sequence[Found]
) -> Iterator[Told]:
    """The pairs of places a sentence names as the two ends of a way ("from A to B",
    "between A and B", "A and B … apart", "A–B", a way "linking A with B" that the figure
    is the length of), with the words that said so."""
    claim_start = claim[0]
    for a, b in itertools.combinations(inside, 2):
        between = text[a.end : b.start]
        before_a = text[max(start, a.start - 12) : a.start].lower()
        if before_a.rstrip().endswith("from") and (
            re.fullmatch(r"\s*(?:,\s*)?(?:to|and|on to|towards?)\s*", between, re.I)
            or (_QUALIFIED_FROM.fullmatch(between) and not _named_between(a, b, inside))
        ):
            b = _chained_on(text, b, inside)  # "from A to B and on to C": A to C
            yield (a, b), f"from {a.surface} to {b.surface}"
        elif before_a.rstrip().endswith("between") and _BETWEEN_AND.fullmatch(between):
            # "between Gemas on the Butterworth-Kuala Lumpur line, and Tumpat": an aside on
            # A (names inside it are no ends of this claim)
            yield (a, b), f"between {a.surface} and {b.surface}"
        elif re.fullmatch(r"\s*and\s*", between, re.I) and re.search(r"\bapart\b", text[start:end]):
            yield (a, b), f"{a.surface} and {b.surface} … apart"
        elif re.fullmatch(r"\s*and\s*", between, re.I) and _linked(text, b, claim_start, inside):
            # "New York and San Francisco are thus united by an uninterrupted metal ribbon,
            # which measures …"
            yield (a, b), f"{a.surface} and {b.surface} are linked"
        elif _TO_BEFORE.search(before_a) and re.fullmatch(r"\s*,?\s*from\s*", between, re.I):
            yield (b, a), f"to {a.surface} from {b.surface}"  # "to reach Dhaka from Kolkata"
        elif re.fullmatch(r"\s*(?:[–—-]|to|→)\s*", between) and b.start < claim_start + 60:
            yield (a, b), f"{a.surface} to {b.surface}"
        elif (
            _LINKING.search(text, max(start, a.start - 60), a.start)
            and _LINKED_WITH.fullmatch(between)
            and _a_ways_length(text, claim)
        ):
            yield (a, b), f"linking {a.surface} with {b.surface}"


#: Before the first of a way's two ends: a verb that says the way joins them, perhaps
#: with a noun of what the place is ("a line linking the mining centre of Zouerate with
#: the port of Nouadhibou", "connecting Haiphong, Vietnam, with Kunming").
_LINKING = re.compile(
    r"\b(?:link|connect|join)(?:s|ed|ing)?\s+(?:the\s+(?:[\w'’-]+\s+){0,4}of\s+)?$", re.I
)
#: After a figure: the way or journey it is the length of, perhaps after its other unit,
#: "long" and two words ("704-kilometre (437 mi) railway line", "855 km railway", "a
#: 380 km flight"), not a stretch "of" something else ("500 km of smuggling routes").
_WAY_AFTER_FIGURE = re.compile(
    r"(?:\s*\([^()]*\))?(?:[\s-]+long)?(?:\s+[a-z][a-z-]*){0,2}?\s+([a-z]+)\b"
)


#: Before a figure: the way it is the length of ("the line, 600 km long", "the railway is
#: 704 km").
_WAY_BEFORE_FIGURE = re.compile(
    r"\b([a-z]+)(?:\s*,|\s+(?:is|was|runs|ran|measures|covers|of))"
    r"\s+(?:about|some|nearly|over|around|approximately|almost)?\s*$"
)


def _a_ways_length(text: str, claim: tuple[int, int]) -> bool:
    """Whether a figure is the length of a way or a journey named right after or before
    it."""
    nouns = _journey_nouns()
    after = _WAY_AFTER_FIGURE.match(text, claim[1])
    before = _WAY_BEFORE_FIGURE.search(text, max(0, claim[0] - 40), claim[0])
    return any(m is not None and m[1].rstrip("s") in nouns for m in (after, before))


@functools.cache
def _journey_nouns() -> frozenset[str]:
    from .document import load_list

    return load_list("journey_nouns.txt")


#: Between the two ends after :data:`_LINKING`: the region or country of the first, then
#: "with", "and" or "to", and a noun of what the second is.
_LINKED_WITH = re.compile(
    r"(?:\s*,\s*[A-Z][\w'’.-]*(?:\s+[A-Za-z][\w'’.-]*){0,2}\s*,)?\s*(?:with|and|to)\s+"
    r"(?:the\s+(?:[\w'’-]+\s+){0,4}of\s+)?"
)


#: Between "from A" and its goal: the rest of a facility's name and the region A is in
#: ("from Oakland Airport, Calif., to Wheeler Field").
_QUALIFIED_FROM = re.compile(
    r"(?:\s+[A-Z][\w'’-]*\.?){0,4}"  # the rest of a facility's name: "Airport"
    r"(?:\s*,\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}\s*,)?"  # its region: ", Calif.,"
    r"\s*(?:to|on to|towards?)\s+"
    r"(?:[A-Z][\w'’-]*\.?\s+){0,4}?(?:[A-Z][\w'’-]*\.?\s*,\s*)?"  # the goal's: "Wheeler Field, "
)


def _named_between(a: Found, b: Found, inside: Sequence[Found]) -> bool:
    """Whether the sentence names another place between ``a`` and ``b``."""
    return any(a.end <= f.start and f.end <= b.start for f in inside if f is not a and f is not b)


#: After two places joined by "and": a verb that links them ("A and B are linked by …",
#: "… are connected by a line of …", "… were thus united by …"), before the figure.
_LINKED = re.compile(
    r"\s*(?:,[^,]{0,40},\s*)?(?:are|were|is|was)\s+(?:\w+\s+)?"
    r"(?:linked|connected|joined|united)\b",
    re.I,
)


def _linked(text: str, b: Found, claim_start: int, inside: Sequence[Found]) -> bool:
    """Whether "A and B" go on into a verb that links them and then the figure, with no
    other clause or place between ("… are linked by a line, and the line to Lyon measures
    409 km" measures another way)."""
    match = _LINKED.match(text, b.end, claim_start)
    if match is None:
        return False
    rest = text[match.end() : claim_start]
    return not re.search(r";|,\s*(?:and|but|while)\b", rest) and not any(
        match.end() <= f.start < claim_start for f in inside
    )


#: Before a goal told ahead of its start ("to reach Dhaka from Kolkata", "to Dhaka from
#: Kolkata").
_TO_BEFORE = re.compile(r"\b(?:to|reach(?:es|ed|ing)?|get(?:s|ting)? to)\s*$", re.I)


#: What parts one statement of a sentence from the next ("…; from B to C", "…, while
#: from B …", "compared with 180 km from B to C").
_CONTRAST = re.compile(
    r";|\b(?:while|whereas|but|compared (?:with|to)|against)\b"
    # a leg told after the pair: "sailed from A to B and then travelled 1,600 km … to C"
    r"|\band\s+then\s+(?!on\b|to\b)[a-z]+",
    re.I,
)
#: A figure's own pair told right after it: "641 km between Kayes and Bamako".
_STRAIGHT_AFTER = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:of\s+\w+\s+)?(?:from|between)\s+$", re.I)


def _one_place(a: Found, b: Found) -> bool:
    """Whether two mentions are of one place (a segment from a place to itself measures
    nothing a figure could be checked against)."""
    return (a.candidate.lat, a.candidate.lon) == (b.candidate.lat, b.candidate.lon)


def _pair_of_the_figure(text: str, claim: tuple[int, int], named: list[Told]) -> Told | None:
    """Of the pairs a sentence names, the one a figure measures: the pair right after it
    ("runs 1,287 km from Dakar to Koulikoro, of which the 641 km between Kayes and
    Bamako"), else the nearest told before it ("From London to Edinburgh the line runs
    for 632 km"), else the first after it; never one across a contrast or a semicolon
    ("…; from Edinburgh to Aberdeen it is another 210 km")."""
    start, end = claim
    before, after = [], []
    for told in named:
        (a, b), _cue = told
        first, last = min(a.start, b.start), max(a.end, b.end)
        if last <= start and not _CONTRAST.search(text, last, start):
            before.append(told)
        elif first >= end and not _CONTRAST.search(text, end, first):
            after.append(told)
    for told in after:
        (a, _b), _cue = told
        if _STRAIGHT_AFTER.fullmatch(text[end : a.start]):
            return told
    if before:
        return max(before, key=lambda told: max(e.end for e in told[0]))
    return after[0] if after else None


#: What stands between the two ends after "between": "and", or an aside on the first
#: set off by a comma before it.
_BETWEEN_AND = re.compile(r"\s*(?:(?!\s*(?:and|or)\b)[^,.;()]{1,80},\s*)?and\s*", re.I)

_ON_TO = re.compile(
    r"\s*,?\s*(?:and\s+)?(?:then\s+)?(?:on(?:ward)?\s+)?to\s*"
    # "thence to C", "thence the Great Western Railroad to C", "and from there by bus to C"
    r"|\s*,?\s*(?:and\s+)?(?:thence|from\s+there)\b[^,.;:()]{0,60}?\bto\s*",
    re.I,
)


def _chained_on(text: str, last: Found, inside: Sequence[Found]) -> Found:
    """The last place of a chain "… to B and on to C, then to D" that starts at ``last``."""
    for place in inside:
        if place.start > last.end and _ON_TO.fullmatch(text, last.end, place.start):
            last = place
    return last


#: "flew 170 km (110 mi) to Brisbane", "departed Honolulu on a 2,200-mile trip to San
#: Francisco": the figure (and a noun of a journey), then where the leg goes.
_TO_AFTER = re.compile(
    r"\s*(?:\([^()]*\)\s*)?(?:(?:journey|trip|voyage|flight|passage|transit|crossing|"
    r"drive|ride|trek|march|walk|hike|cruise|sail|leg)\s+)?(?:to|into|on to)\s+(?:the\s+)?$",
    re.I,
)
#: "headed for Suva, Fiji, 5,077 kilometres away": the goal, then the figure and "away".
_AWAY = re.compile(r"\s*(?:\([^()]*\)\s*)?away\b", re.I)


#: A goal's preposition, right before the town ("en route to", "bound for", "to").
_GOAL_THEN_FIGURE = re.compile(r"\b(?:to|for|into)\s+$", re.I)


def _leg_into(
    text: str,
    match: re.Match[str],
    start: int,
    end: int,
    towns: Sequence[Found],
    starts: list[int],
    stops: Sequence[StopCue],
) -> tuple[tuple[Found, Found] | None, str]:
    """The leg that reaches a stop, from the stop before it: "to fly 170 km to Brisbane",
    "headed for Suva, Fiji, 5,077 kilometres away"; none where the sentence (``start``
    to ``end``) names a stop before that one (the figure may start there)."""
    from .events import place_key

    goal = None
    after = towns[bisect_left(starts, match.end()) : bisect_left(starts, end)]
    if after and _TO_AFTER.match(text[match.end() : after[0].start]):
        goal = after[0]
    before = towns[: bisect_left(starts, match.start())]
    if (
        goal is None
        and before
        and _GOAL_THEN_FIGURE.search(text, start, before[-1].start)
        and re.fullmatch(r"\s*\(\s*", text[before[-1].end : match.start()])
    ):
        goal = before[-1]  # "departed Honolulu en route to Howland (~ 1650 nmi)"
    if goal is None and before and _AWAY.match(text, match.end()):
        last = before[-1]
        if re.fullmatch(r"(?:,\s*[A-Z][\w .'-]*)?,\s*(?:about|some|nearly|around)?\s*",
                        text[last.end : match.start()]):  # fmt: skip
            goal = last
    if goal is None:
        return None, ""
    keys = [place_key(s.mention) for s in stops]
    k = keys.index(place_key(goal)) if place_key(goal) in keys else 0
    if k == 0:
        return None, ""
    sentence = towns[bisect_left(starts, start) : bisect_left(starts, end)]
    told = {place_key(t) for t in sentence}
    if any(key in told for key in keys[: k - 1]):
        return None, ""  # "left Paris on a 650-mile flight to Madrid, stopping in London"
    return (stops[k - 1].mention, goal), f"the leg to {goal.surface}"


#: A route diagram's line: a distance post, then the station ("6.8 km Shinagawa").
_POST_LINE = re.compile(r"^[ \t•*-]*$")
_POST_AFTER = re.compile(r"[ \t]+(?=\S)")
#: The diagram's first line: the post at nought ("0.0 km Tokyo").
_ZERO_POST = re.compile(r"^[ \t•*-]*0(?:[.,]0+)?\s*(?:km|mi)\b[ \t]+", re.M | re.I)


def _distance_post(
    text: str, match: re.Match[str], towns: Sequence[Found], starts: list[int]
) -> tuple[tuple[Found, Found] | None, str]:
    """A figure that opens a line of a route diagram and is followed by its station
    ("6.8 km Shinagawa" under "0.0 km Tokyo"): the distance along the line from the
    station at nought to this one."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    if not _POST_LINE.match(text[line_start : match.start()]):
        return None, ""
    gap = _POST_AFTER.match(text, match.end())
    at = bisect_left(starts, gap.end()) if gap else len(towns)
    if gap is None or at >= len(towns) or towns[at].start != gap.end():
        return None, ""
    zero = None
    for post in _ZERO_POST.finditer(text, 0, line_start):
        k = bisect_left(starts, post.end())
        if k < len(towns) and towns[k].start == post.end():
            zero = towns[k]
    if zero is None or _one_place(zero, towns[at]):
        return None, ""
    return (zero, towns[at]), f"distance post from {zero.surface}"


#: "from Y" or a bearing "south-west of Y" just before a place named after the figure.
_FROM_OR_BEARING = re.compile(
    r"(?:\bfrom|\b(?:north|south|east|west)(?:[- ]?(?:east|west))?\s+of)\s*$"
)

_CLAUSE_BREAK = re.compile(
    r"[;:]|,\s+(?=(?:but|although|though|while|whereas|and|yet)\b)|\s+(?:while|whereas)\s+"
    r"|(?<!\d),|,(?!\d)"  # not a figure's thousands separator ("1,600 km")
)


#: What parts a sentence into statements of their own: a semicolon, "while", "whereas".
_PART_BREAK = re.compile(r";|\b(?:while|whereas)\b", re.I)


def _span_around(
    breaks: re.Pattern[str], text: str, start: int, end: int, at: int
) -> tuple[int, int]:
    """The stretch of the sentence ``start:end`` around position ``at`` between the
    ``breaks``: :data:`_CLAUSE_BREAK` gives the clause (commas, semicolons, contrasts),
    :data:`_PART_BREAK` the statement ("The train … covers 300 km; we had cycled …")."""
    cuts = [start] + [m.end() for m in breaks.finditer(text, start, end)] + [end]
    left = max(c for c in cuts if c <= at)
    right = min((c for c in cuts if c > at), default=end)
    return left, right


def _converts(text: str, previous: Claim, start: int) -> bool:
    """A number in brackets right after another claim is that claim in other units."""
    return bool(re.fullmatch(r"\s*\(\s*|\s*[-–]?\s*\(\s*", text[previous.end : start]))


def find_claims(
    document: Document | str,
    mentions: Sequence[Found] = (),
    stops: Sequence[StopCue] = (),
) -> list[Claim]:
    """The distance claims of a text, each with its scope, measure and segment (unchecked).

    Parameters
    ----------
    document
        The text or its :class:`~route.document.Document`.
    mentions
        Its place mentions (for the places a claim names).
    stops
        The journey's stops (the measure of a claim that names none comes from
        the mode of the legs it covers).
    """
    if isinstance(document, str):
        document = Document(document)
    text = document.text
    towns = sorted((m for m in mentions if is_town(m)), key=lambda m: m.start)
    starts = [m.start for m in towns]
    out: list[Claim] = []
    for match in _CLAIM.finditer(text):
        index = document.sentence_index(match.start())
        start, end = document.sentences[index] if index is not None else (0, len(text))
        sentence = text[start:end]
        if not _is_length(text, match):
            continue
        unit, factor = _unit(match["unit"])
        try:
            value = parse_number(match["value"])
        except ValueError:  # "a mile": an article, not a figure
            continue
        high = parse_number(match["high"]) if match["high"] else None
        ends, segment_cue = _segment(text, start, end, match.span(), towns, starts)
        if ends is None:
            ends, segment_cue = _distance_post(text, match, towns, starts)
        if ends is None and stops:
            ends, segment_cue = _leg_into(text, match, start, end, towns, starts, stops)
        if ends is not None and _one_place(*ends):
            ends, segment_cue = None, ""  # "97 miles west of Fort Lee" told at Fort Lee
        left, right = _span_around(_CLAUSE_BREAK, text, start, end, match.start())
        clause = text[left:right]
        compared = bool(_COMPARED.match(text, match.end()))
        measure, measure_cue = _measure(clause, (match.start() - left, match.end() - left))
        if measure == "unknown":  # the sentence's part the figure is in: "; we had cycled …"
            left, right = _span_around(_PART_BREAK, text, start, end, match.start())
            measure, measure_cue = _measure(
                text[left:right], (match.start() - left, match.end() - left)
            )
        scope, scope_cue = _scope(clause)
        if scope == "unknown":
            scope, scope_cue = _scope(sentence)
        if ends is not None and (
            scope == "unknown" or (scope == "whole" and not _TOTAL.search(sentence))
        ):
            scope = "segment"
        elif scope == "whole" and not stops:
            scope = "unknown"
        if compared:
            scope, scope_cue, ends = "other", "a difference (… longer than)", None
            segment_cue = ""
        elif network := _of_a_network(text, match, start):
            scope, scope_cue, ends, segment_cue = "other", network, None, ""
        cue = "; ".join(c for c in (measure_cue, segment_cue or scope_cue) if c)
        if out and _converts(text, out[-1], match.start()):
            previous = out[-1]
            scope, measure, ends = previous.scope, previous.measure, None
            cue = previous.cue
            if previous.between:
                out.append(
                    replace(
                        previous,
                        start=match.start(),
                        end=match.end(),
                        surface=match.group(),
                        value=value,
                        unit=unit,
                        km=value * factor,
                        value_high=high,
                        km_high=high * factor if high is not None else None,
                        qualifier=(match["qualifier"] or previous.qualifier).lower(),
                    )
                )
                continue
        out.append(
            Claim(
                start=match.start(),
                end=match.end(),
                surface=match.group(),
                value=value,
                unit=unit,
                km=value * factor,
                qualifier=(match["qualifier"] or "").lower(),
                measure=measure,
                between=(ends[0].surface, ends[1].surface) if ends else None,
                sentence=" ".join(sentence.split()),
                scope=scope,
                value_high=high,
                km_high=high * factor if high is not None else None,
                cue=cue,
            )
        )
    return out


# -- checking ----------------------------------------------------------------------------

_AT_LEAST = frozenset(
    {
        *("more than", "over", "at least", "just over"),
        *("no less than", "not less than", "no fewer than", "not fewer than"),
    }
)
_AT_MOST = frozenset(
    {
        *("less than", "fewer than", "under", "up to", "at most", "nearly", "almost"),
        *("just under", "no more than", "not more than"),
    }
)
#: A rail figure this many times the straight line past a segment's stops is the network
#: going round a line it lacks (a border crossing or a new line missing from Natural
#: Earth's railways): the 16 official lines of ``bench/bench_rail.py`` run 1.02 to 1.58
#: times the straight line between their ends.
RAIL_DETOUR_LIMIT = 2.0
#: How far a claim may be from route's figure and still be consistent: the
#: claim's own rounding (10 %) plus the measurement's error. Town points stand
#: for whole towns (a few km each end); the rail network reads up to 9 % short
#: on winding lines (see the rail accuracy in docs/rail.md), so rail gets more room.
CLAIM_TOLERANCE = 0.10
MEASURE_TOLERANCE: dict[str, float] = {
    "straight": 0.02,
    "flight": 0.03,
    "rail": 0.12,
    "sea": 0.10,  # the lanes read +0.5 to +4 % on ocean passages, +10 % along a coast
}
TOWN_RADIUS_KM = 10.0


def _bounds(claim: Claim, slack_km: float) -> tuple[float, float]:
    """The lowest and highest figure that agrees with the claim."""
    tolerance = CLAIM_TOLERANCE + MEASURE_TOLERANCE.get(claim.measure, 0.1)
    low = claim.km * (1 - tolerance) - slack_km
    high = (claim.km_high or claim.km) * (1 + tolerance) + slack_km
    if claim.qualifier in _AT_LEAST:
        high = float("inf")
    elif claim.qualifier in _AT_MOST:
        low = 0.0
    return low, high


#: "More than 10,000 miles" is said of a way somewhat longer, not of one twice as long: a
#: speaker gives the nearest round bound. Past this ratio an open-ended figure neither
#: agrees with route's measurement nor is refuted by it.
BOUND_RATIO = 2.0


def _beyond_its_bound(claim: Claim, measured: float) -> bool:
    """Whether an open-ended figure ("over 10,000 miles", "nearly 500 km") is more than
    :data:`BOUND_RATIO` times from route's measurement on its open side."""
    if claim.qualifier in _AT_LEAST:
        return measured > BOUND_RATIO * (claim.km_high or claim.km)
    if claim.qualifier in _AT_MOST:
        return measured * BOUND_RATIO < claim.km
    return False


def _verdict(claim: Claim, measured: float, slack_km: float) -> tuple[float, Verdict]:
    low, high = _bounds(claim, slack_km)
    middle = claim.km if claim.km_high is None else (claim.km + claim.km_high) / 2
    diff = (middle - measured) / measured * 100.0 if measured > 0 else 0.0
    if low <= measured <= high:
        return diff, "consistent"
    return diff, "understated" if measured > high else "overstated"


def _place_of(label: str, trip: Trip) -> tuple[int | None, Place | None]:
    for i, stop in enumerate(trip.stops):
        if stop.label == label:
            return i, stop
    for mention in trip.mentions:
        if mention.surface == label:
            return None, mention.place
    return None, None


#: On a rail segment this long, a stop may lie this share of it from the network (whose
#: lines end short of some termini) and still be measured from the nearest railway: the
#: way there is slack, at most twice this share on a verdict whose tolerance is
#: :data:`CLAIM_TOLERANCE`.
LONG_SNAP_SHARE = 0.03


def _rail_km(
    trip: Trip, i: int | None, j: int | None, a: Place, b: Place, network: RailNetwork | None
) -> tuple[float | None, float, str]:
    """Rail km from a to b: the legs' rail paths if all have one, else a route of its own."""
    if i is not None and j is not None and i < j:
        legs = trip.legs[i:j]
        if all(leg.rail is not None for leg in legs):
            km = sum(leg.rail.km for leg in legs if leg.rail is not None)
            snaps = sum(
                leg.rail.snap_start_km + leg.rail.snap_end_km
                for leg in legs
                if leg.rail is not None
            )
            return km, snaps, ""
    if network is None:
        return None, 0.0, "no rail network"
    from .rail import DEFAULT_MAX_SNAP_KM, NoRailRoute

    found = network.route(a.latlon, b.latlon, names=(a.label, b.label))
    reach = LONG_SNAP_SHARE * geodesic_km(a.latlon, b.latlon)
    if isinstance(found, NoRailRoute) and reach > DEFAULT_MAX_SNAP_KM:
        # the network lacks a long line's last stretch (a terminus off its end): measure
        # from the nearest railway, the way there counted as slack
        wider = network.route(a.latlon, b.latlon, names=(a.label, b.label), max_snap_km=reach)
        found = found if isinstance(wider, NoRailRoute) else wider
    if isinstance(found, NoRailRoute):
        return None, 0.0, found.reason
    return found.km, found.snap_start_km + found.snap_end_km, ""


def _legs_going(legs: Sequence[Leg], mode: str) -> list[Leg]:
    """The legs that may go by ``mode``: all but those the text says go another way (a
    figure "at sea" or "flown" leaves out the train between two voyages)."""
    return [leg for leg in legs if leg.mode in (mode, "unknown")]


def _through_the_stops(trip: Trip, ends: _Ends) -> float:
    """The straight lines from stop to stop over a claim's segment (its :func:`_ends`), or
    between its two places when they are not both stops."""
    i, j, a, b = ends
    if i is not None and j is not None and i < j:
        return sum(leg.straight_km for leg in trip.legs[i:j])
    return geodesic_km(a.latlon, b.latlon)


def _straight_floor(trip: Trip, ends: _Ends) -> float:
    """The straight-line km under a claim's segment (its :func:`_ends`): no way by sea is
    shorter."""
    i, j, a, b = ends
    if i is not None and j is not None and i < j:
        return sum(leg.straight_km for leg in _legs_going(trip.legs[i:j], "ship"))
    return geodesic_km(a.latlon, b.latlon)


def _sea_km(
    trip: Trip, i: int | None, j: int | None, a: Place, b: Place, network: RailNetwork
) -> tuple[float, float, int] | str:
    """Km along the shipping lanes from a to b, leg by leg where both are stops, and
    the ports' snaps to the lanes (already in the km); also the number of legs."""
    from .rail import NoRailRoute
    from .sea import MAX_PORT_KM

    if i is not None and j is not None and i < j:
        pairs = [(leg.start, leg.end) for leg in _legs_going(trip.legs[i:j], "ship")]
    else:
        pairs = [(a, b)]
    km = snaps = 0.0
    for start, end in pairs:
        found = network.route(
            start.latlon, end.latlon, names=(start.label, end.label), max_snap_km=MAX_PORT_KM
        )
        if isinstance(found, NoRailRoute):
            for place in (start, end):
                if not network.snap(place.latlon, MAX_PORT_KM):
                    return f"no shipping lane within {MAX_PORT_KM:g} km of {place.label}"
            return f"no way by sea between {start.label} and {end.label}"
        snap = found.snap_start_km + found.snap_end_km
        km += found.km + snap
        snaps += snap
    return km, snaps, len(pairs)


#: A claim's segment: the indices of its first and last stops (None for a place that is
#: no stop), and the two places.
_Ends = tuple[int | None, int | None, Place, Place]


def _ends(claim: Claim, trip: Trip) -> _Ends | str:
    if claim.scope == "segment" and claim.between:
        i, a = _place_of(claim.between[0], trip)
        j, b = _place_of(claim.between[1], trip)
        if a is None or b is None:
            return "a place of its segment was not found"
        if i is not None and j is not None and i > j:
            i, j, a, b = j, i, b, a
        return i, j, a, b
    if claim.scope in ("whole", "round_trip"):
        mode = {"rail": "train", "flight": "plane", "sea": "ship"}.get(claim.measure)
        by_mode = [k for k, leg in enumerate(trip.legs) if leg.mode == mode]
        if claim.scope == "whole" and by_mode:  # the journey's part that goes that way
            i, j = by_mode[0], by_mode[-1] + 1
            return i, j, trip.stops[i], trip.stops[j]
        return 0, len(trip.stops) - 1, trip.stops[0], trip.stops[-1]
    reasons = {
        "remaining": "a distance still to go (where from is not measured)",
        "stretch": "a stretch inside a leg",
        "other": "not a distance of this journey",
        "unknown": "the text does not say which segment",
    }
    return reasons.get(claim.scope, "the text does not say which segment")


def _measured(
    claim: Claim,
    trip: Trip,
    ends: _Ends,
    network: RailNetwork | None,
    sea_network: Callable[[], RailNetwork | str] = lambda: "no sea-lane network",
) -> tuple[float, float, str] | str:
    """Route's figure for a claim over its segment (:func:`_ends`), the slack for town
    extents, and what was measured."""
    i, j, a, b = ends
    label = f"{a.label} → {b.label}"
    if claim.measure == "straight":
        if claim.scope == "round_trip":
            return "a round trip has no straight line"
        return geodesic_km(a.latlon, b.latlon), 2 * TOWN_RADIUS_KM, f"straight line {label}"
    if claim.measure == "flight":
        if i is not None and j is not None and i < j:
            legs = _legs_going(trip.legs[i:j], "plane")
            total = sum(leg.straight_km for leg in legs)
            slack = TOWN_RADIUS_KM * 2 * len(legs)
            return total, slack, f"great circles {label} ({len(legs)} legs)"
        return geodesic_km(a.latlon, b.latlon), 2 * TOWN_RADIUS_KM, f"great circle {label}"
    if claim.measure == "rail":
        km, snaps, reason = _rail_km(trip, i, j, a, b, network)
        if km is None:
            return f"no rail figure ({reason})"
        return km, snaps + 2 * TOWN_RADIUS_KM, f"rail {label}"
    if claim.measure == "sea":
        lanes = sea_network()
        if isinstance(lanes, str):
            return lanes
        sea = _sea_km(trip, i, j, a, b, lanes)
        if isinstance(sea, str):
            return f"no sea figure ({sea})"
        km, snaps, n_legs = sea
        what = f"shipping lanes {label}" + (f" ({n_legs} legs)" if n_legs > 1 else "")
        return km, snaps + 2 * TOWN_RADIUS_KM, what
    if claim.measure in ("road", "foot"):
        return f"no {claim.measure} network"
    return "the text does not say what the distance measures"


#: Why a figure longer than route's shortest way is not wrong, by measure.
_LONGER_WAYS = {
    "flight": "a flight may stop at places the text does not name",
    "sea": "a ship may sail a longer way than the shortest lanes (winds, ports of call, "
    "canals not yet dug)",
}


def _lanes(given: RailNetwork | None) -> Callable[[], RailNetwork | str]:
    """The shipping lanes, loaded on first use, or why there are none."""

    def load() -> RailNetwork | str:
        if given is not None:
            return given
        from .errors import RailNetworkError
        from .sea import load_sea_network

        try:
            return load_sea_network()
        except RailNetworkError as exc:
            return f"no sea-lane network: {exc}"

    return load


def unplaced_reason(unplaced: Sequence[str]) -> str:
    """Why the whole journey's figures are not checked when it goes to sites route
    cannot place (also the start of the trip's note about them)."""
    return f"the journey also goes to {', '.join(unplaced)}, which route cannot place"


def check_claims(
    claims: Sequence[Claim],
    trip: Trip,
    rail_network: RailNetwork | None = None,
    *,
    unplaced: Sequence[str] = (),
    sea_network: RailNetwork | None = None,
) -> list[Claim]:
    """Compare each claim whose segment and measure are known with route's measurement.

    A claim without a measure takes the one its legs' mode implies (train legs:
    rail; plane legs: flight), when every leg of its segment has that mode.

    Parameters
    ----------
    claims, trip, rail_network
        The text's claims, the trip they are checked against, and its rail network.
    unplaced
        Sites the text's journey goes to that route could not place: the whole
        journey's figures are then not checked (its stops may not be all of it).
    sea_network
        The shipping lanes sea claims are measured on; ``None`` loads route's own
        (:func:`route.sea.load_sea_network`) when a claim needs it.

    A flight or sea figure longer than route's is never called wrong: a flight may stop
    where the text does not say, and a ship may sail a longer way than the lanes.
    """
    lanes = _lanes(sea_network)
    out = []
    for claim in claims:
        claim = _with_leg_measure(claim, trip)
        other = _legs_go_otherwise(claim, trip)
        if other:
            out.append(replace(claim, verdict="not checked", reason=other))
            continue
        found = _figure(claim, trip, unplaced, rail_network, lanes)
        if isinstance(found, str):
            out.append(replace(claim, verdict="not checked", reason=found))
            continue
        ends, measured, slack, what = found
        diff, verdict = _verdict(claim, measured, slack)
        reason = ""
        if verdict == "consistent" and _beyond_its_bound(claim, measured):
            verdict = "not checked"  # "over 10,000 nautical miles" against 40,000 km
            reason = (
                f"route measured {measured:,.0f} km ({what}), {diff:+.0f} %: the figure is a "
                f"bound ({claim.qualifier} …), and one so far from it says the text's way is "
                "not the one measured"
            )
        elif verdict != "consistent" and _far_out(claim, measured) and (renamed := _renamed(ends)):
            verdict = "not checked"  # "Khasan" placed as Hassan, India
            reason = (
                f"route measured {measured:,.0f} km ({what}), {diff:+.0f} %, so far from "
                f"the figure, with {renamed}, that route more likely placed it wrong "
                "than the text misstated the distance"
            )
        elif verdict == "overstated" and claim.measure in _LONGER_WAYS:
            verdict = "not checked"  # route's figure is about the shortest way
            reason = (
                f"route measured {measured:,.0f} km ({what}), {diff:+.0f} %, but "
                f"{_LONGER_WAYS[claim.measure]}, so a longer figure is not wrong"
            )
        elif (
            verdict == "understated"
            and claim.measure == "sea"
            and (floor := _straight_floor(trip, ends)) <= _bounds(claim, slack)[1]
        ):
            verdict = "not checked"  # only a figure below the straight line is surely short
            reason = (
                f"route measured {measured:,.0f} km ({what}), {diff:+.0f} %, but the lanes may "
                "go round where ships go through (a canal, a strait), and the figure is not "
                f"shorter than the straight line ({floor:,.0f} km)"
            )
        elif (
            verdict == "understated"
            and claim.measure == "rail"
            and measured >= RAIL_DETOUR_LIMIT * (through := _through_the_stops(trip, ends))
            and _bounds(claim, slack)[1] >= through  # not shorter than the straight line
        ):
            verdict = "not checked"  # the network goes round a line it lacks
            reason = (
                f"route measured {measured:,.0f} km ({what}), {diff:+.0f} %, but that is "
                f"{measured / through:.1f} times the straight line past the stops "
                f"({through:,.0f} km), farther round than railways go: the network may lack "
                "the line the train takes"
            )
        elif verdict == "understated" and (off := _off_the_way(claim, trip, ends, measured, slack)):
            verdict = "not checked"  # one doubtful pin makes the difference
            reason = (
                f"route measured {measured:,.0f} km ({what}), {diff:+.0f} %, but {off} lies "
                "far off the way between the stops before and after it, and without that "
                "detour the figure agrees: its place may be wrong"
            )
        elif verdict == "understated" and (direct := _direct_fits(claim, ends, slack)):
            verdict = "not checked"  # "a 650-mile flight to Madrid, stopping first in London"
            reason = (
                f"route measured {measured:,.0f} km ({what}), {diff:+.0f} %, but the figure "
                f"agrees with the straight line from {ends[2].label} to {ends[3].label} "
                f"({direct:,.0f} km): it may leave out the stops on the way"
            )
        elif verdict == "overstated" and (
            earlier := _from_further_back(claim, trip, ends, rail_network, lanes)
        ):
            verdict = "not checked"  # "to Villa Mercedes, thence … to Mendoza, a distance of
            reason = (  # 650 miles": from the start
                f"route measured {measured:,.0f} km ({what}), {diff:+.0f} %, but the figure "
                f"agrees with {earlier}: it may count from an earlier stop"
            )
        elif verdict != "consistent" and (weak := _weak_stop(trip, ends)):
            verdict = "not checked"  # a verdict of wrong rests on stops read surely
            reason = (
                f"route measured {measured:,.0f} km ({what}), {diff:+.0f} %, but {weak} is a "
                "stop only because a sentence about the journey names it"
            )
        elif verdict != "consistent" and not _explicit(claim, trip):
            verdict = "not checked"
            reason = (
                f"route measured {measured:,.0f} km ({what}), {diff:+.0f} %, but the text does "
                "not name the segment and measure plainly enough to call the figure wrong"
            )
        out.append(
            replace(
                claim,
                measured_km=measured,
                measured=what,
                difference_pct=diff,
                verdict=verdict,
                reason=reason,
            )
        )
    return out


def _figure(
    claim: Claim,
    trip: Trip,
    unplaced: Sequence[str],
    network: RailNetwork | None,
    lanes: Callable[[], RailNetwork | str],
) -> tuple[_Ends, float, float, str] | str:
    """A claim's segment, route's figure for it, the slack and what was measured; or why
    it is not measured."""
    if unplaced and claim.scope in ("whole", "round_trip"):
        return unplaced_reason(unplaced)
    ends = _ends(claim, trip)
    if isinstance(ends, str):
        return ends
    found = _measured(claim, trip, ends, network, lanes)
    if isinstance(found, str):
        return found
    return (ends, *found)


#: A figure this many times route's measurement, or this many times smaller, where an end
#: of the segment was placed through another name than the text's ("Khasan" read as
#: Hassan, India, 6,270 km from Vladivostok against "130 km"): route has more likely pinned
#: it wrong than the text misstated the distance, and says nothing of the figure.
FAR_OUT_RATIO = 3.0


def _far_out(claim: Claim, measured: float) -> bool:
    """Whether the figure and route's measurement are :data:`FAR_OUT_RATIO` apart."""
    km = claim.km
    return measured > 0 and km > 0 and max(km / measured, measured / km) >= FAR_OUT_RATIO


def _renamed(ends: _Ends) -> str:
    """An end of the segment placed under another name than the text gives it ("Khasan
    (placed as Hassan)"), else ``""``."""
    from .tokens import fold

    for place in ends[2:]:
        said, named = fold(place.query or place.name), fold(place.name)
        if said and said not in named and named not in said:
            return f"{place.query} (placed as {place.name})"
    return ""


#: The most earlier stops a figure called too long is measured from again.
_EARLIER_STARTS = 8


def _from_further_back(
    claim: Claim,
    trip: Trip,
    ends: _Ends,
    network: RailNetwork | None,
    lanes: Callable[[], RailNetwork | str],
) -> str:
    """What a figure longer than its segment agrees with when measured the same way from
    an earlier stop to the segment's end (the journey's start first), else ``""``: the
    text may count from there ("… to Villa Mercedes, thence the Great Western Railroad to
    Mendoza, a distance of 650 miles", from Buenos Aires)."""
    i, j, a, b = ends
    starts: list[tuple[int | None, Place]]
    if i is None:  # a segment off the stops' list: from the journey's start
        starts = [(None, s) for s in trip.stops[:1] if s.label not in (a.label, b.label)]
    else:
        starts = list(enumerate(trip.stops[: min(i, _EARLIER_STARTS)]))
    for k, start in starts:
        found = _measured(claim, trip, (k, j, start, b), network, lanes)
        if isinstance(found, str):
            continue
        km, slack, what = found
        if _verdict(claim, km, slack)[1] == "consistent":
            return f"{what} ({km:,.0f} km)"
    return ""


def _weak_stop(trip: Trip, ends: _Ends) -> str:
    """The label of a stop of a claim's segment (its :func:`_ends`) that the reader read
    only weakly (a town a travel sentence names, no verb frame tying it), else ``""``."""
    if ends[0] is None or ends[1] is None:
        return ""
    # a place is weak when every mention that makes it a stop is ("A → B → A" tells A twice)
    stop_mentions = [m for m in trip.mentions if m.order is not None]
    weak = {m.place.geonameid for m in stop_mentions if m.cue == WEAK_CUE} - {
        m.place.geonameid for m in stop_mentions if m.cue != WEAK_CUE
    }
    weak.discard(None)
    stops = trip.stops[ends[0] : ends[1] + 1]
    return next((stop.label for stop in stops if stop.geonameid in weak), "")


def _direct_fits(claim: Claim, ends: _Ends, slack: float) -> float:
    """The straight line between the two ends of a segment that has stops inside it, where
    the figure agrees with it (else 0): a figure told for the whole way may be the
    distance from start to goal, stops on the way left out."""
    i, j, a, b = ends
    if i is None or j is None or j - i < 2:
        return 0.0
    direct = geodesic_km(a.latlon, b.latlon)
    low, high = _bounds(claim, slack)
    return direct if low <= direct <= high else 0.0


def _off_the_way(claim: Claim, trip: Trip, ends: _Ends, measured: float, slack: float) -> str:
    """A stop inside the claim's segment far off the way between its neighbours (the way
    through it :data:`route.senses.WAY_RATIO` times the straight line or more), without
    whose detour the figure agrees: a pin that may be wrong ("Batana" read as Batna,
    Algeria, between Singapore and Surabaya). Its label, else ``""``."""
    from .senses import WAY_RATIO

    i, j = ends[0], ends[1]
    if i is None or j is None:
        return ""
    low, high = _bounds(claim, slack)
    for k in range(i + 1, j):
        before, here, after = trip.stops[k - 1], trip.stops[k], trip.stops[k + 1]
        through = geodesic_km(before.latlon, here.latlon) + geodesic_km(here.latlon, after.latlon)
        direct = geodesic_km(before.latlon, after.latlon)
        if through >= WAY_RATIO * direct and low <= measured - (through - direct) <= high:
            return here.label
    return ""


#: Words that make a figure plainly the whole journey's ("the entire line", "in total").
_PLAINLY_WHOLE = re.compile(
    r"\b(?:whole|entire|total|overall|in all|start and finish|end to end|first and last)\b",
    re.IGNORECASE,
)


def _explicit(claim: Claim, trip: Trip) -> bool:
    """A claim plain enough to be called wrong.

    Its measure is said in the text's own words (not taken from the legs' mode: "the
    3,797-mile journey to Honolulu" may be a sailing distance or a straight line), and
    its two ends are named; or it is the whole journey's figure and the text either
    says so plainly ("the entire line", "in total") or names the journey's first and
    last stops with it.
    """
    if "leg mode" in claim.cue or claim.measure == "unknown":
        return False
    if claim.scope == "segment":
        return claim.between is not None
    if claim.scope != "whole":
        return False
    ends = (trip.stops[0].label, trip.stops[-1].label)
    return bool(_PLAINLY_WHOLE.search(claim.cue)) or all(e in claim.sentence for e in ends)


def _legs_go_otherwise(claim: Claim, trip: Trip) -> str:
    """Why a rail, flight or sea figure is not checked when the legs under it go by
    another mode, and by none of its own ("a 350-mile bicycling trip" read as rail from
    a stray word): the text says two things, and route cannot tell which; else ``""``."""
    if claim.measure not in ("rail", "flight", "sea"):
        return ""
    ends = _ends(claim, trip)
    if isinstance(ends, str) or ends[0] is None or ends[1] is None or ends[0] >= ends[1]:
        return ""
    modes = {leg.mode for leg in trip.legs[ends[0] : ends[1]]} - {"unknown"}
    if not modes or any(_MODE_MEASURE.get(mode) == claim.measure for mode in modes):
        return ""
    told = ", ".join(sorted(modes))
    return f"the figure reads as {claim.measure}, but the legs it spans go by {told}"


def _with_leg_measure(claim: Claim, trip: Trip) -> Claim:
    if claim.measure != "unknown" or claim.scope not in ("whole", "segment", "round_trip"):
        return claim
    ends = _ends(claim, trip)
    if isinstance(ends, str) or ends[0] is None or ends[1] is None or ends[0] >= ends[1]:
        return claim
    modes = {leg.mode for leg in trip.legs[ends[0] : ends[1]]}
    if len(modes) == 1:
        measure = _MODE_MEASURE.get(next(iter(modes)))
        if measure is not None:
            return replace(
                claim, measure=measure, cue=(claim.cue + "; " if claim.cue else "") + "leg mode"
            )
    return claim
