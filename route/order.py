"""The stops in the order travelled, from the events the passes found.

The text's own order, with corrections for how journeys are told: the first
departure first wherever it is told, "before that" and "after visiting A", a goal
headed for and reached later, a destination announced before the stops on the
way, round trips home, and one place told twice (a base and its town).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from .events import StopEvent, place_key, preps

__all__ = ["NESTED_NAME_KM", "order_stops"]


def order_stops(events: Sequence[StopEvent]) -> list[StopEvent]:
    """The stops in the order travelled, one event per visit (a round trip ends at home).

    The text's own order, with four corrections: a stop told "before that" goes
    before the one told just ahead of it; the first departure goes first wherever
    it is told; a destination announced before the stops on the way (which do
    not say they come after it) goes last; "back to" the origin ends the journey
    there again.
    """
    # a stop told "before arriving in X" comes after the other stops of its sentence
    events = sorted(events, key=lambda e: (e.sentence, e.later, e.mention.start, e.source))
    if not events:
        return []
    anchors = _anchors(events)
    start = _origin(events)
    home = place_key(start.mention) if start is not None else None
    sequence: list[StopEvent] = []
    placed: set[Any] = set()
    arrived: StopEvent | None = None  # the last goal reached, told in a plain tense
    previous: StopEvent | None = None  # the stop placed last
    for event in events:
        key = place_key(event.mention)
        if key in placed and _revisit(event, sequence, home):
            sequence.append(event)
            continue
        if key in placed or anchors.get(key, event) is not event:
            continue
        placed.add(key)
        if event.role == "destination" and not (event.heading or event.perfect):
            arrived = event
        if event.perfect and arrived is not None and arrived.sentence < event.sentence:
            # "Kim's train pulled into Vladivostok. It had crossed at Khasan …": before it
            sequence.insert(next(i for i, e in enumerate(sequence) if e is arrived), event)
        elif (
            event.on_the_way
            and sequence
            and sequence[-1].sentence == event.sentence
            and sequence[-1].role == "destination"
            and not sequence[-1].back  # a return is told in its place: "returns to A, then …"
        ):
            sequence.insert(len(sequence) - 1, event)
        elif event.prior and any(e.sentence == event.sentence and not e.prior for e in sequence):
            # before its sentence's other stops, after the ones told before them with it:
            # "reached Vladivostok after passing Irkutsk and Khabarovsk"
            at = min(
                i for i, e in enumerate(sequence) if e.sentence == event.sentence and not e.prior
            )
            sequence.insert(at, event)
        elif event.earlier and previous is not None:
            told = previous.sentence  # before the stops of the sentence told just ahead
            at = min(i for i, e in enumerate(sequence) if e.sentence == told)
            sequence.insert(at, event)
        else:
            sequence.append(event)
        previous = event
    if start is not None:
        key = place_key(start.mention)
        first = next(e for e in sequence if place_key(e.mention) == key)
        sequence = [first] + [e for e in sequence if e is not first]
    sequence = _first_leg_first(sequence)
    sequence = _after_their_start(sequence, events, anchors)
    final = _announced_destination(sequence, events, home)
    if final is not None:
        sequence = [e for e in sequence if e is not final] + [final]
    named_last = [e for e in sequence if e.final]
    if len(named_last) == 1:  # "Jakarta, the last stop of a tour that took her to Hanoi"
        rest = [e for e in sequence if e is not named_last[0]]
        if start is not None and sequence[0] is named_last[0] and start is not named_last[0]:
            rest.insert(0, start)  # it ends where it left: "returned to Alameda … departed Alameda"
        sequence = rest + named_last
    sequence = _by_stage(_one_start(_merge_nested(sequence), events))
    home = place_key(sequence[0].mention)
    returns = [  # "back to X", or "ended in X" where it began
        e
        for e in events
        if (e.back or e.ending)
        and place_key(e.mention) == home
        and all(e is not s for s in sequence)  # not a return told mid-journey
    ]
    if returns and len(sequence) >= 2 and place_key(sequence[-1].mention) != home:
        sequence.append(returns[-1])
    return sequence


def _first_leg_first(sequence: list[StopEvent]) -> list[StopEvent]:
    """The sequence with the one stop its clause says the journey went to first ("The crew
    initially flew to Joint Base Andrews", told after the goal the lead names) right
    after the start."""
    firsts = [e for e in sequence[1:] if e.initial]
    if len(firsts) != 1 or sequence[0].role != "origin":
        return sequence
    rest = [e for e in sequence[1:] if e is not firsts[0]]
    return [sequence[0], firsts[0], *rest]


def _revisit(event: StopEvent, sequence: Sequence[StopEvent], home: Any) -> bool:
    """A return to a place the journey has left ("then back to Rome and on to Naples", a
    port of call listed again, the home port on a list of port calls): a stop again,
    unless the journey is there already."""
    key = place_key(event.mention)
    again = event.back or (event.listed and key == home)
    return again and bool(sequence) and place_key(sequence[-1].mention) != key


def _by_stage(sequence: list[StopEvent]) -> list[StopEvent]:
    """Stops that belong to numbered stages or days, in the order of their numbers (a
    stage told in an overview before stages 1 to 3 goes after them); the start stays."""
    at = [k for k, e in enumerate(sequence) if k > 0 and e.stage is not None]
    if len(at) < 2:
        return sequence
    ranked = sorted((sequence[k] for k in at), key=lambda e: e.stage or 0)
    out = list(sequence)
    for k, event in zip(at, ranked, strict=True):
        out[k] = event
    return out


def _origin(events: Sequence[StopEvent]) -> StopEvent | None:
    """Where the journey starts: the first departure told from a place that the journey
    does not also reach ("from San Francisco to Chicago" told first, of a trek that began
    in New York and arrived in San Francisco later) nor went to before ("went by train to
    Trieste. From Trieste the expedition came to Piraeus"), else the first departure."""
    returns = _first_returns(events)
    origins = [
        e
        for e in events
        if e.role == "origin"
        and not _returned_before(e, returns)
        and not _gone_to_before(e, events)
        and not _a_leg_on(e, events)
    ]
    reached = {place_key(e.mention) for e in events if e.arrival and not e.back}
    return next((e for e in origins if place_key(e.mention) not in reached), None) or next(
        iter(origins), None
    )


def _a_leg_on(origin: StopEvent, events: Sequence[StopEvent]) -> bool:
    """Whether a departure is a leg of a journey already under way: told after the journey
    went somewhere, to a goal not told before ("… sailed to Port Said. From Suez, they went
    to Aden"). A departure to a goal told before starts the journey ("will visit Hanoi …
    He leaves Washington for Hanoi on Monday")."""
    before = {place_key(e.mention) for e in events if _told_at(e) < _told_at(origin)}
    goals = [
        e
        for e in events
        if e.sentence == origin.sentence
        and e.role == "destination"
        and e.mention.start > origin.mention.start
    ]
    under_way = any(e.role == "destination" and e.sentence < origin.sentence for e in events)
    return under_way and bool(goals) and all(place_key(g.mention) not in before for g in goals)


def _gone_to_before(origin: StopEvent, events: Sequence[StopEvent]) -> bool:
    """Whether the text tells the journey going to ``origin``'s place before it tells the
    departure from there: the journey goes on from there, it does not start there."""
    key = place_key(origin.mention)
    return any(
        e.role == "destination"
        and not (e.back or e.heading or e.perfect)
        and place_key(e.mention) == key
        and _told_at(e) < _told_at(origin)
        for e in events
    )


def _first_returns(events: Sequence[StopEvent]) -> dict[Any, tuple[int, int]]:
    """Where each place's first return told in its place is (sentence, position): a
    return told as the journey's end (``final``) is none."""
    first: dict[Any, tuple[int, int]] = {}
    for e in events:
        if e.back and not e.final:
            key, at = place_key(e.mention), _told_at(e)
            first[key] = min(first.get(key, at), at)
    return first


def _returned_before(origin: StopEvent, returns: dict[Any, tuple[int, int]]) -> bool:
    """A departure from a place the text has already told a return to, in its place ("He
    returned to Paris on Monday. On Tuesday he left Paris for Rome"): a stop on the way,
    not the start (``returns`` from :func:`_first_returns`)."""
    at = returns.get(place_key(origin.mention))
    return at is not None and at < _told_at(origin)


def _after_their_start(
    sequence: list[StopEvent], events: Sequence[StopEvent], anchors: dict[Any, StopEvent]
) -> list[StopEvent]:
    """A goal told with its start ("from A to B") where A stands later in the journey (it
    is reached there): B follows A, not the sentence that named them both."""
    for goal in [e for e in sequence if e.paired and e.role == "destination"]:
        start = _told_start(goal, events)
        if start is None:
            continue
        anchor = anchors.get(place_key(start.mention))
        rest = [e for e in sequence if e is not goal]
        at = next((k for k, e in enumerate(rest) if e is anchor), None)
        if anchor is None or anchor is start or at is None:
            continue
        # ... and after the stops its own sentence tells on the way ("between A, B and C")
        own = [
            k
            for k, e in enumerate(rest)
            if e.sentence == goal.sentence
            and start.mention.start < e.mention.start < goal.mention.start
        ]
        at = max([at, *own])
        sequence = [*rest[: at + 1], goal, *rest[at + 1 :]]
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


#: Two departures told from places this close are one start told at two scales.
SAME_START_KM = 30.0


def _one_start(sequence: list[StopEvent], events: Sequence[StopEvent]) -> list[StopEvent]:
    """ "The Tour began in Paris … departed from Montgeron, a suburb of Paris": a journey has
    one start; two departures told from places within :data:`SAME_START_KM` of each
    other are that start, told at two scales, and the smaller place is the precise one."""
    from .distance import geodesic_km

    if len(sequence) < 3:
        return sequence
    departs = {place_key(e.mention) for e in events if e.role == "origin"}
    first, second = sequence[0], sequence[1]
    if not {place_key(first.mention), place_key(second.mention)} <= departs:
        return sequence
    if geodesic_km(_point(first), _point(second)) > SAME_START_KM:
        return sequence
    precise = min(first, second, key=lambda e: e.mention.candidate.population)
    return [replace(precise, role="origin"), *sequence[2:]]


def _point(event: StopEvent) -> tuple[float, float]:
    return (float(event.mention.candidate.lat), float(event.mention.candidate.lon))


def _anchors(events: Sequence[StopEvent]) -> dict[Any, StopEvent]:
    """Where each place stands in the telling: where it is reached, if it was headed for first,
    and where the narration tells it rather than someone's quoted words.

    "Headed toward X … passed A … arrived in X": X stands at its arrival, after A.
    """
    anchors: dict[Any, StopEvent] = {}
    for event in events:
        key = place_key(event.mention)
        first = anchors.get(key)
        if (
            first is None
            or (first.quoted and not event.quoted)
            or (
                not event.back
                and (
                    (
                        (first.heading or first.paired)
                        and event.role == "destination"
                        # reached there, not headed for again; or headed for it from a
                        # place reached after it was first told ("… landed at Santiago …
                        # continued with a flight to Punta Arenas")
                        and (not event.heading or _arrived_between(first, event, events))
                        and not _said_again(first, event, events)  # "from A to B" again
                    )
                    or (first.role == "origin" and event.arrival)
                    or _arrival_told_again(first, event, events)
                )
            )
        ):
            anchors[key] = event
    return anchors


def _arrival_told_again(first: StopEvent, later: StopEvent, events: Sequence[StopEvent]) -> bool:
    """An arrival the lead tells and the narration tells again after arrivals elsewhere,
    with no departure from the place between ("… landed at Brisbane Airport" in the lead;
    "took off from Oakland … landed at Honolulu … landed in Suva … landed at Brisbane's
    Eagle Farm Airport"): the place stands where the narration reaches it."""
    if not (first.arrival and later.arrival and first.sentence < later.sentence):
        return False
    key = place_key(first.mention)
    left = any(
        e.role == "origin" and place_key(e.mention) == key
        for e in _told_between(first, later, events)
    )
    return not left and _arrived_between(first, later, events)


def _arrived_between(first: StopEvent, later: StopEvent, events: Sequence[StopEvent]) -> bool:
    """Whether the text tells an arrival at another place between ``first`` and ``later``."""
    key = place_key(first.mention)
    return any(
        e.arrival and place_key(e.mention) != key for e in _told_between(first, later, events)
    )


def _told_at(event: StopEvent) -> tuple[int, int]:
    """Where the text tells an event: its sentence, and its place's position."""
    return event.sentence, event.mention.start


def _told_between(
    first: StopEvent, later: StopEvent, events: Sequence[StopEvent]
) -> Iterator[StopEvent]:
    """The events told after ``first`` and before ``later``."""
    return (e for e in events if _told_at(first) < _told_at(e) < _told_at(later))


def _said_again(first: StopEvent, event: StopEvent, events: Sequence[StopEvent]) -> bool:
    """Whether ``event`` tells "from A to B" again, with the same start as ``first`` (the
    journey's two ends said once more after its stops), not B reached from elsewhere."""
    if not (first.paired and event.paired):
        return False
    starts = [_told_start(e, events) for e in (first, event)]
    keys = [None if s is None else place_key(s.mention) for s in starts]
    return keys[0] is not None and keys[0] == keys[1]


def _told_start(goal: StopEvent, events: Sequence[StopEvent]) -> StopEvent | None:
    """The start told with a paired goal ("from A to B"), in its sentence."""
    return next(
        (
            e
            for e in events
            if e.role == "origin" and e.sentence == goal.sentence and e.source == goal.source
        ),
        None,
    )


def _announced_destination(
    sequence: Sequence[StopEvent], events: Sequence[StopEvent], start: Any
) -> StopEvent | None:
    """A goal told before the stops on the way to it (which do not say they come after it);
    ``start`` is the key of the journey's start (:func:`_origin`); a goal headed for may
    be told first of all ("the Seoul-bound delegation will stop in Tokyo")."""
    # the first stop is the start, unless it is a heading's, or a goal that the places
    # passed on the way follow ("will march to Orzysz … will pass through Powidz", with
    # no start in the text)
    passed_first = (
        len(sequence) > 1
        and sequence[0].role == "destination"
        and sequence[1].source == "frame"
        and preps().get(sequence[1].cue.rpartition(" ")[2]) == "route"  # "pass through X"
    )
    first = 0 if sequence and (sequence[0].heading or passed_first) else 1
    for event in sequence[first:-1]:
        if event.role != "destination" or event.back or event.sequenced:
            return None
        if event.source == "chain" and not event.paired:
            return None
        key = place_key(event.mention)
        later = [
            e
            for e in events
            if e.mention.start > event.mention.start
            and place_key(e.mention) != key
            and e.role != "origin"
        ]
        departs = any(e.role == "origin" and place_key(e.mention) == key for e in events)
        moved_on = any(  # a departure from a stop told in a later sentence: a new leg
            e.role == "origin"
            and e.sentence > event.sentence
            and place_key(e.mention) != key
            and place_key(e.mention) != start  # not the journey's start told late
            for e in events
        )
        if not later or departs or moved_on or any(e.sequenced for e in later):
            return None
        if later[0].role == "via" and (later[0].passing or event.paired or event.heading):
            return event
        return None
    return None
