"""Calendar dates a text gives its stops, and the order they set.

A report or a log often dates each stop ("left Palmdale on Sept. 16", "landing at
Joint Base Andrews on Sept. 21") while telling them out of order (the homecoming
first). Dates are read as English writes them: "Sept. 16", "September 16th, 2011",
"16 September 2011", "16th of September"; a date without its year takes the last year
the text named before it. Weekdays and spans of time say nothing that orders stops.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache

from .events import StopEvent, place_key

__all__ = [
    "A_YEAR",
    "DATE_REACH",
    "LETTER_DATE",
    "LINE_DATE",
    "dated_order",
    "dates_in",
    "without_dates",
]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<{g}>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|"
    r"July?|Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|"
    r"Dec(?:ember|\.)?)"
)
_DAY = r"(?P<{g}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<{g}>1[5-9]\d\d|20\d\d))?"
_DATE = re.compile(
    r"\b(?:"
    + _MONTH.format(g="m1") + r"\s+" + _DAY.format(g="d1") + r"\b" + _YEAR.format(g="y1")
    + r"|" + _DAY.format(g="d2") + r"\s+(?:of\s+)?" + _MONTH.format(g="m2") + r"\b"
    + _YEAR.format(g="y2")
    + r")"
)  # fmt: skip
#: A line that opens with a date and a dash or colon: a journal's or a schedule's entry
#: ("June 27, 2013 - Dakar, Senegal", "• 3 May: Turin").
LINE_DATE = re.compile(r"[ \t•*·-]*(?:" + _DATE.pattern + r")\s*[-–—:|]\s*")
#: The rest of a letter's heading after its town: the town's region or country, then the
#: month (perhaps a day) and year it was written, alone on the line ("Yokohama, Japan,
#: Oct. 10, 1889."; "St. Paul, Minnesota, Oct., 1885.").
LETTER_DATE = re.compile(
    r"(?:,[ \t]*[A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*){0,2})*,?[ \t]+"
    + _MONTH.format(g="m") + r",?(?:[ \t]+" + _DAY.format(g="d") + r",?)?[ \t]+"
    + r"(?:1[5-9]\d\d|20\d\d)\.?[ \t]*$",
    re.MULTILINE,
)  # fmt: skip
#: A year as texts write one (1500–2099).
A_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")

#: A stop takes the date written nearest it in its sentence, within this many characters
#: (a clause: "departed Joint Base Andrews, Md., on Sept. 23, 2011").
DATE_REACH = 80
#: What opens another clause between a stop and a date: a relative word, a semicolon, or
#: a comma and a conjunction ("began in Turin on 3 May, and Stage 3 ended … to Florence").
_ANOTHER_CLAUSE = re.compile(
    r";|\b(?:where|which|who|whom|whose)\b|,\s*(?:and|but|then|or)\b", re.I
)
#: Dates reorder a journey only when they date this many of its stops on two days or more.
_DATED_STOPS = 3

Date = tuple[int, int, int]  # year (negative: taken from before; 0 unknown), month, day


#: A date with the preposition that ties it to a clause: "on May 11", "in June 1931".
_DATED = re.compile(r"(?:\b(?:on|in|by|until|till)\s+)?(?:the\s+)?" + _DATE.pattern)


def without_dates(text: str) -> str:
    """``text`` with its dates and their prepositions blanked ("Saigon on May 11, Manila"
    → "Saigon , Manila" in spirit: the items of a list dated one by one)."""
    return _DATED.sub(lambda m: " " * len(m.group()), text)


@lru_cache(maxsize=4)
def dates_in(text: str) -> tuple[tuple[int, int, Date], ...]:
    """The dates a text writes: (start, end, (year, month, day)), in text order."""
    years = [(m.start(), int(m.group())) for m in A_YEAR.finditer(text)]
    starts = [y[0] for y in years]
    out = []
    for match in _DATE.finditer(text):
        month = _MONTHS[(match["m1"] or match["m2"])[:3].lower()]
        day = int(match["d1"] or match["d2"])
        year = match["y1"] or match["y2"]
        if year is None:  # the last year named before it, marked as taken (negative)
            k = bisect_right(starts, match.start()) - 1
            year = -years[k][1] if k >= 0 else 0
        out.append((match.start(), match.end(), (int(year), month, day)))
    return tuple(out)


def _date_of(text: str, sentence: tuple[int, int], event: StopEvent) -> Date | None:
    """The date written nearest a stop's mention in its sentence, if one is close."""
    start, end = sentence
    found = event.mention
    best: tuple[int, Date] | None = None
    written = dates_in(text)
    # the dates near the mention only: no cost per sentence or text
    first = bisect_left(written, (max(start, found.start - DATE_REACH - 40),))
    for a, b, date in written[first:]:
        if a >= end or a > found.end + DATE_REACH:
            break
        if b > end:
            continue
        gap = a - found.end if a >= found.end else found.start - b
        if not 0 <= gap <= DATE_REACH:
            continue
        between = text[found.end : a] if a >= found.end else text[b : found.start]
        if _ANOTHER_CLAUSE.search(between):
            continue  # "Portsmouth, from where the fleet sailed on June 5, 1944"
        if 0 <= gap <= DATE_REACH and (best is None or gap < best[0]):
            best = (gap, date)
    return best[1] if best else None


#: Dates a text writes without their year order stops only within this many months: a
#: voyage from July to February, its years unwritten, would come out February first.
_SEASON_MONTHS = 3


def _comparable(dates: Sequence[Date]) -> bool:
    """Whether dates can be sorted as written: each with its year, or all without one in
    one span of a few months (:data:`_SEASON_MONTHS`)."""
    if all(d[0] > 0 for d in dates):
        return True
    months = [abs(d[0]) * 12 + d[1] for d in dates]
    return len({abs(d[0]) for d in dates}) == 1 and max(months) - min(months) <= _SEASON_MONTHS


def dated_order(
    text: str, sentences: Sequence[tuple[int, int]], ordered: Sequence[StopEvent]
) -> list[StopEvent]:
    """The stops in the order of their dates, where the text dates at least three of them
    on two days or more and the order read from the telling goes back in time.

    Each dated stop carries the undated stops told after it (the stops on the way of
    its day); the stops before the first dated one stay first.
    """
    if any(e.stage is not None for e in ordered):
        return list(ordered)  # numbered stages or days are in their numbers' order already
    dates = [_date_of(text, sentences[e.sentence], e) for e in ordered]
    known = [d for d in dates if d is not None]
    if len(known) < _DATED_STOPS or len(set(known)) < 2 or not _comparable(known):
        return list(ordered)
    dates = [(abs(d[0]), d[1], d[2]) if d is not None else None for d in dates]
    years = sorted(d[0] for d in dates if d is not None)
    middle = years[len(years) // 2]
    dates = [d if d is not None and abs(d[0] - middle) <= 1 else None for d in dates]
    known = [d for d in dates if d is not None]  # not a date of another age ("in 1944")
    if len(known) < _DATED_STOPS:
        return list(ordered)
    if known == sorted(known):
        return list(ordered)
    blocks: list[tuple[Date | None, list[StopEvent]]] = []
    for event, date in zip(ordered, dates, strict=True):
        if date is not None or not blocks:
            blocks.append((date, [event]))
        else:
            blocks[-1][1].append(event)
    lead = [b for b in blocks if b[0] is None]
    dated = sorted((b for b in blocks if b[0] is not None), key=lambda b: b[0] or (0, 0, 0))
    out = [e for _, events in [*lead, *dated] for e in events]
    # a place told twice in a row after the reordering is one visit
    return [
        e
        for k, e in enumerate(out)
        if not k or place_key(e.mention) != place_key(out[k - 1].mention)
    ]
