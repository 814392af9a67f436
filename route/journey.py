"""Read a journey out of a text: which place mentions are stops, their travel order, leg modes.

The reader is a few small steps, each in its module:

- :mod:`route.document` splits and parses the text once;
- :mod:`route.senses` makes one place of each name;
- :mod:`route.passes` finds the stop events (verb frames, route chains, fields);
- :mod:`route.order` puts them in the order travelled;
- :mod:`route.modes` gives each leg its mode.

This module composes them (:func:`find_stops`) and re-exports the public names.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from .dates import dated_order
from .document import Document
from .events import (
    Mode,
    Role,
    Source,
    StopCue,
    StopEvent,
    is_town,
    lexicon,
    place_key,
    role_in_line,
    word_set,
)
from .extract import Found
from .modes import journey_mode, leg_modes
from .order import NESTED_NAME_KM, order_stops
from .passes import (
    chain_events,
    colon_stop_events,
    dated_line_events,
    dateline_arrival,
    dateline_departure,
    field_events,
    frame_events,
    fronted_at_events,
    home_base_departure,
    letter_heading_arrival,
    list_events,
    listed_line_events,
    named_way_events,
    names_a_landform,
    names_a_region,
    numbered_events,
    one_frame_per_list,
    one_traveller,
    returns_after_the_journey,
    route_list_events,
    table_events,
    told_home,
    told_last,
    told_of_the_journey,
    travel_sentence_events,
    travellers_scenes,
    unplaced_goals,
)
from .senses import along_the_way, city_states, prefer_famous, region_towns, unify_senses
from .words import MOTION_CLASSES, verb_forms

__all__ = [
    "Mode",
    "Role",
    "Source",
    "StopCue",
    "StopEvent",
    "along_the_way",
    "chain_events",
    "city_states",
    "field_events",
    "find_stops",
    "frame_events",
    "is_town",
    "journey_mode",
    "leg_modes",
    "order_stops",
    "prefer_famous",
    "region_towns",
    "unify_senses",
    "unplaced_goals",
]


#: The sentences of a text's lead (a title and its summary sentence or two).
LEAD_SENTENCES = 1


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
    towns = [
        f
        for f in mentions
        if is_town(f)
        and not names_a_landform(document.text, f)
        and not names_a_region(document.text, f)
    ]
    towns = [
        f
        for f in towns
        if not _a_romanised_gloss(document.text, f) and not _in_a_caption(document.text, f)
    ]
    synopses = _synopses(document.text, mentions)
    in_one = {id(f) for f in towns if synopses and _in_a_synopsis(document.text, f, synopses)}
    summed = [f for f in towns if id(f) in in_one]
    towns = [f for f in towns if id(f) not in in_one]
    areas = [f for f in mentions if f.kind == "place" and not is_town(f)]
    # not the places of a section about something else ("History"), unless a sentence
    # there tells the way itself ("The original road began in Paraty and went north …")
    ordered = _read_journey(document, told_of_the_journey(document, towns), areas)
    summary = _one_visit_each(_synopsis_stops(document, summed, synopses))
    if len(summary) >= 2 and len(summary) > len({place_key(e.mention) for e in ordered}):
        # a chapter's synopsis tells its way in order, and more of it than the chapter
        ordered = [replace(e, role=role_in_line(k, len(summary))) for k, e in enumerate(summary)]
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


#: A picture's caption in square brackets, as books transcribed for the web mark one
#: ("[Illustration: MAP OF NORTHERN CHINA, SHOWING JOURNEY FROM TIBET TO PEKING]").
_CAPTION = re.compile(
    r"\[\s*(?:illustration|map|photo(?:graph)?|picture|image|plate|fig(?:ure|\.)?|caption)\b"
    r"[^\[\]]*\]",
    re.IGNORECASE,
)


def _in_a_caption(text: str, found: Found) -> bool:
    """Whether a name stands in a picture's caption: what the picture shows (often the
    whole book's journey on a map), not what the text tells."""
    line_start = text.rfind("\n\n", 0, found.start) + 1
    return any(
        m.start() <= found.start < m.end()
        for m in _CAPTION.finditer(text, line_start, text.find("]", found.end) + 1 or len(text))
    )


#: A romanisation label inside brackets, right before a name: "(長征, pinyin:Chángzhēng)".
_ROMANISED = re.compile(
    r"\((?:[^()]*[,;]\s*)?(?:pinyin|romani[sz]ed|wade[–-]giles|hepburn|transliterated)\s*:\s*$",
    re.IGNORECASE,
)


def _a_romanised_gloss(text: str, found: Found) -> bool:
    """Whether a name is the romanised form of a gloss in brackets ("The Long March (長征,
    pinyin: Chángzhēng)"): the name of what stands before the brackets, which names it in
    English, so no place of its own; unless that is a name gone from, to or through ("from
    Paotow (pinyin: Baotou)": the gloss names the place)."""
    gloss = _ROMANISED.search(text, max(0, found.start - 60), found.start)
    if gloss is None:
        return False
    return _GONE_BEFORE.search(text, max(0, gloss.start() - 60), gloss.start()) is None


#: A path word and a name right before a gloss's brackets: "from Paotow ".
_GONE_BEFORE = re.compile(
    r"\b(?:from|to|via|through|at|in|into|toward|towards|past|reached|left)\s+"
    r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}\s*$"
)


#: What parts the items of a chapter's synopsis: an em dash ("Journey to Marseilles—
#: Departure—Singapore—Leave for Kuching"), or another dash with spaces round it (not
#: "1856–1858").
_SYNOPSIS_DASH = re.compile(r"(?<!\s)\s*—\s*|(?<!\s)\s+[–-]\s+|--")
#: The most words an item of a synopsis has.
_SYNOPSIS_ITEM_WORDS = 8


def _synopses(text: str, mentions: Sequence[Found]) -> dict[int, list[tuple[int, int]]]:
    """A text's chapter synopses, each line's start with its items' spans: a line of four
    or more short items parted by dashes, most of them no place and none with a figure
    ("Our Plan of Travel—Journey to Marseilles—Departure—Singapore—Leave for Kuching"),
    which lists what the chapter tells ("Madrid – Zaragoza – Barcelona" is a way: all
    places; "Leg 1 — London to Dover — 125 km — 2 days" a table)."""
    starts = sorted(m.start for m in mentions)

    def placed(a: int, b: int) -> bool:  # a mention starts in text[a:b]
        return bisect_left(starts, b) > bisect_left(starts, a)

    out: dict[int, list[tuple[int, int]]] = {}
    for start in sorted({text.rfind("\n", 0, m.start) + 1 for m in mentions}):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        cuts = [start, *(m.end() for m in _SYNOPSIS_DASH.finditer(text, start, end)), end]
        items = [(a, b) for a, b in itertools.pairwise(cuts) if text[a:b].strip(" —–-")]
        short = all(
            len(text[a:b].split()) <= _SYNOPSIS_ITEM_WORDS
            and not any(c.isdigit() for c in text[a:b])
            for a, b in items
        )
        if len(items) >= 4 and short and sum(placed(a, b) for a, b in items) * 2 < len(items):
            out[start] = items
    return out


def _one_visit_each(events: list[StopEvent]) -> list[StopEvent]:
    """The events less a place told again right after itself."""
    out: list[StopEvent] = []
    for e in events:
        if not out or place_key(out[-1].mention) != place_key(e.mention):
            out.append(e)
    return out


def _in_a_synopsis(text: str, found: Found, synopses: dict[int, list[tuple[int, int]]]) -> bool:
    return text.rfind("\n", 0, found.start) + 1 in synopses


def _synopsis_stops(
    document: Document, towns: Sequence[Found], synopses: dict[int, list[tuple[int, int]]]
) -> list[StopEvent]:
    """The stops a chapter's synopsis tells in order: the towns of its items that speak of
    going ("Arrival at Lyons", "Departure in the Steam-boat for Arles", "Confusion on
    disembarking at Beaucaire"; not "Description of Marseilles"), and a town described
    right before a departure that names none ("Description of Paris—Departure by the
    Diligence"): the start."""
    text = document.text
    moving = verb_forms(MOTION_CLASSES) | lexicon()[1] | word_set("motion_noun")
    leaving = verb_forms(("depart",)) | {"departure"}
    ordered = sorted(towns, key=lambda f: f.start)
    starts = [f.start for f in ordered]

    def towns_in(a: int, b: int) -> list[Found]:
        return ordered[bisect_left(starts, a) : bisect_left(starts, b)]

    out: list[StopEvent] = []
    for items in synopses.values():
        for k, (a, b) in enumerate(items):
            here = [
                f
                for f in towns_in(a, b)
                if f.surface.lower() not in moving  # "LANDING AT SAN FRANCISCO"
                and not re.search(r"\bfor\s+$", text[a : f.start], re.I)  # headed for it
            ]
            words = set(re.findall(r"[a-z]+", text[a:b].lower()))
            before_leaving = (
                k + 1 < len(items)
                and not out
                and set(re.findall(r"[a-z]+", text[slice(*items[k + 1])].lower())) & leaving
                and not towns_in(*items[k + 1])
            )
            if here and (words & moving or before_leaving):
                index = document.sentence_index(here[0].start)
                cue = " ".join(text[a:b].split())
                out.extend(
                    StopEvent(f, "via", cue, "frame", index if index is not None else 0,
                              "unknown", "", sequenced=True, listed=True)
                    for f in here
                )  # fmt: skip
    return out


def _read_journey(
    document: Document, towns: Sequence[Found], areas: Sequence[Found]
) -> list[StopEvent]:
    """The stop events of the journey ``towns`` tell, in travel order (none for no journey);
    ``areas`` are the text's countries, regions and continents."""
    events = (
        chain_events(document, towns)
        + table_events(document, towns)
        + listed_line_events(document, towns)
        + dated_line_events(document, towns)
        + field_events(document, towns)
        + frame_events(document, towns)
        + named_way_events(document, towns)
    )
    events += colon_stop_events(document, towns, events)
    events += fronted_at_events(document, towns, events)
    events = one_frame_per_list(document, towns, events)
    events = numbered_events(document, events + list_events(document, towns, events))
    events = travellers_scenes(document, events)
    arrival = dateline_arrival(document, towns, areas, events)
    if arrival is not None:  # "HONOLULU – The crew … returned to homeport"
        events.append(arrival)
    left = dateline_departure(document, towns, events)
    if left is not None:  # "VICENZA, Italy -- … via a ground convoy from here"
        events.append(left)
    written = letter_heading_arrival(document, towns, events)
    if written is not None:  # "Yokohama, Japan, Oct. 10, 1889." over the way there
        events.append(written)
    based = home_base_departure(document, towns, events)
    if based is not None:  # "The cutter, home-ported in Sitka, departed Wednesday"
        events.append(based)
    events = _goals_given_up(document, events)
    events = _between_turned(events)
    summed_up = _ends_told_together(events)
    events = [
        replace(
            e,
            quoted=document.quoted(e.mention.start),
            final=e.final
            or told_last(document.text, e)
            or _return_told_first(e, events)
            or returns_after_the_journey(document, e)
            or e is summed_up,
        )
        for e in events
    ]
    ordered = order_stops(events)
    if len({place_key(e.mention) for e in ordered}) == 1 and ordered[0].role != "via":
        ordered = order_stops(events + travel_sentence_events(document, towns, ordered[0]))
    elif not ordered:
        weak = order_stops(
            route_list_events(document, towns) or travel_sentence_events(document, towns, None)
        )
        if len({place_key(e.mention) for e in weak}) >= 2:
            ordered = weak
    else:
        ordered = _as_the_diagram_lists(
            ordered,
            route_list_events(document, towns) or route_list_events(document, towns, headed=False),
        )
    ordered = dated_order(document.text, document.sentences, ordered)
    ordered = _the_way_its_list_runs(document, ordered, towns)
    ordered = _between_the_fields_ends(events, ordered)
    ordered = _chain_told_in_detail(events, ordered)
    home = told_home(document, events, LEAD_SENTENCES) if len(ordered) >= 2 else None
    if (
        home is not None
        and ordered[0].role == "origin"
        and place_key(ordered[-1].mention) != place_key(ordered[0].mention)
    ):
        index, cue = home  # "…, before returning home": back where the journey left
        ordered.append(replace(ordered[0], role="destination", cue=cue, sentence=index))
    elif back := _there_and_back(document, ordered):
        last = ordered[-1]  # "sailed from New York to Bermuda and back"
        ordered.append(replace(ordered[0], role="destination", cue=back, sentence=last.sentence))
    elif _return_untold_start(document, ordered):
        ordered.insert(0, replace(ordered[-1], role="origin", cue="returned to (the start)"))
    if (
        len(ordered) == 1
        and ordered[0].role == "via"
        and (ordered[0].source == "sentence" or ordered[0].passing)
    ):
        return []  # one place passed through or merely named, no start nor goal: no journey
    return ordered


def _goals_given_up(document: Document, events: list[StopEvent]) -> list[StopEvent]:
    """The events but the goals headed for, or an infobox's destination, told before the
    journey is diverted ("The flight took off from Athens headed for Paris. … The hijackers
    diverted the flight to Benghazi"): not reached."""
    if not any(word in document.text.lower() for word in word_set("divert")):
        return events  # no sentence to parse again
    turned = [
        e.sentence
        for e in events
        if e.role == "destination"
        and any(t.lemma_.lower() in word_set("divert") for t in document.parsed(e.sentence))
    ]
    if not turned:
        return events
    return [
        e
        for e in events
        if not (
            e.sentence < min(turned)
            and e.role == "destination"
            and (e.heading or e.source == "field")
        )
    ]


def _between_turned(events: list[StopEvent]) -> list[StopEvent]:
    """The events, with the two ends of a way "between A and B" swapped where the rest of
    the text goes the other way: "between" names both ends and no direction, so "a train
    began its journey to Dhaka … the service between Dhaka and Kolkata" leaves Kolkata."""
    between = [e for e in events if e.cue == "between" or e.cue.endswith(" between")]
    if not between:
        return events
    told = [e for e in events if all(e is not b for b in between)]
    goals = {place_key(e.mention): e for e in told if e.role == "destination"}
    starts = {place_key(e.mention): e for e in told if e.role == "origin"}
    named = {place_key(e.mention) for e in told}
    swap: dict[int, StopEvent] = {}
    for first in between:
        second = next(
            (
                e
                for e in between
                if e.role == "destination"
                and e.sentence == first.sentence
                and e.cue == first.cue
                and e.mention.start > first.mention.start
            ),
            None,
        )
        if first.role != "origin" or second is None or first.sequenced or second.sequenced:
            continue  # "flew to Delhi, and the next day took the train between Delhi and
            # Agra": a leg after the one to Delhi, which goes on from there
        a, b = place_key(first.mention), place_key(second.mention)
        if b not in named:
            told_end = goals.get(a)  # the journey told goes to A: B is where it left
        elif a not in named:
            told_end = starts.get(b)  # the journey told leaves B: A is where it goes
        else:
            continue
        if told_end is not None and _one_way(told_end, first):
            swap[id(first)] = replace(first, role="destination")
            swap[id(second)] = replace(second, role="origin", paired=False)
    return [swap.get(id(e), e) for e in events]


def _one_way(a: StopEvent, b: StopEvent) -> bool:
    """Whether two events may tell one going: no two different modes ("flew to Delhi" is
    not "the train between Delhi and Agra")."""
    return a.mode == b.mode or "unknown" in (a.mode, b.mode)


def _the_way_its_list_runs(
    document: Document, ordered: list[StopEvent], towns: Sequence[Found]
) -> list[StopEvent]:
    """A way told by its two ends and then by its stops in one list of another sentence
    that opens at the goal and closes at the start ("a railway linking Parauapebas and
    São Luís … covering São Luís, Santa Inês, …, Parauapebas"): with ends told with no
    direction ("linking A and B", "between A and B"), the way the list runs; else the
    list's stops backwards, from the start told."""
    if (
        len(ordered) < 3
        or ordered[0].role != "origin"
        or ordered[-1].role != "destination"
        or _near(ordered[0], ordered[-1])  # a round trip: its list opens and closes at home
    ):
        return ordered
    way = ordered[1:-1]
    told = {e.sentence for e in way}
    if len(told) != 1 or ordered[0].sentence in told:
        return ordered
    (index,) = told
    start, end = min(e.mention.start for e in way), max(e.mention.end for e in way)
    first_char, last_char = document.sentences[index]
    here = [f for f in towns if first_char <= f.start and f.end <= last_char]

    def told_at(event: StopEvent) -> list[int]:
        key = place_key(event.mention)
        return [f.start for f in here if place_key(f) == key and f is not event.mention]

    opening = [p for p in told_at(ordered[-1]) if p < start]
    if not opening or not any(p >= end for p in told_at(ordered[0])):
        return ordered
    if any(max(opening) < f.start < start for f in here):
        return ordered  # another place between the list's opening end and its way
    if _no_direction(ordered[0]) and _no_direction(ordered[-1]):
        line = [ordered[-1], *way, ordered[0]]  # the list's way, its ends swapped
    else:  # "runs from Nice to Marseille": the list's way, backwards
        line = [ordered[0], *way[::-1], ordered[-1]]
    return [replace(e, role=role_in_line(k, len(line))) for k, e in enumerate(line)]


def _near(a: StopEvent, b: StopEvent) -> bool:
    """Whether two stops are one place, or places within
    :data:`~route.order.NESTED_NAME_KM` of each other (Haneda and Tokyo)."""
    from .distance import geodesic_km

    if place_key(a.mention) == place_key(b.mention):
        return True
    here, there = a.mention.candidate, b.mention.candidate
    return geodesic_km((here.lat, here.lon), (there.lat, there.lon)) <= NESTED_NAME_KM


def _between_the_fields_ends(
    events: Sequence[StopEvent], ordered: list[StopEvent]
) -> list[StopEvent]:
    """A service's infobox fields give its ends ("Start Ankara Central Station", "End Kars
    Railway Station"), and a sentence lists its stops from the one to the other ("stops
    in 7 provincial capitals: Ankara, Kırıkkale, …, Erzurum and Kars"): that list is the
    way, where it names most of the stops read: the other places the text ties to a
    journey (a photo caption's, the history's) are not on it. (A summary of a few, "between
    Adelaide, Alice Springs and Darwin", leaves the way as read.)"""
    fields = {e.role: place_key(e.mention) for e in events if e.source == "field"}
    start, end = fields.get("origin"), fields.get("destination")
    if start is None or end is None or start == end:
        return ordered
    for told in _told_by_sentence(events, "frame").values():
        line = sorted(told, key=lambda e: e.mention.start)
        keys = [place_key(e.mention) for e in line]
        if len(line) < 3 or keys[0] != start or keys[-1] != end or len(set(keys)) < len(keys):
            continue
        others = {place_key(e.mention) for e in ordered} - set(keys)
        if len(others) * 2 < len(keys):  # the list names most of the stops: the way
            return [replace(e, role=role_in_line(k, len(line))) for k, e in enumerate(line)]
    return ordered


def _chain_told_in_detail(events: Sequence[StopEvent], ordered: list[StopEvent]) -> list[StopEvent]:
    """A way told first as a chain of towns ("The route Walvis Bay–Windhoek–Lobatse–
    Pretoria") and then in detail ("The corridor begins in Walvis Bay, … to Swakopmund …
    through Karibib, to Okahandja … to the city of Windhoek"): the places the detail tells
    between two links of a chain of three or more, which the reading put after its end,
    go between those links."""
    chains = _told_by_sentence(events, "chain")
    if not chains:
        return ordered
    after, chain = max(chains.items(), key=lambda kv: len(kv[1]))
    chain.sort(key=lambda e: e.mention.start)
    keys = [place_key(e.mention) for e in chain]
    in_order = [place_key(e.mention) for e in ordered if place_key(e.mention) in keys]
    if len(chain) < 3 or len(set(keys)) < len(keys) or in_order != keys:
        return ordered
    last_link = max(k for k, e in enumerate(ordered) if place_key(e.mention) in keys)
    told = sorted(
        (e for e in events if e.sentence > after and e.source == "frame"),
        key=lambda e: (e.sentence, e.mention.start),
    )
    placed = {id(e) for e in ordered[last_link + 1 :]}  # told after the whole chain
    between: dict[int, list[StopEvent]] = {}  # chain index → the places told after it
    link: int | None = None
    found: list[StopEvent] = []
    for event in told:
        key = place_key(event.mention)
        if key in keys:
            k = keys.index(key)
            if k == link:
                continue  # the same link told again ("the section from Walvis Bay to …")
            if link is not None and k == link + 1 and found:
                between[link] = found
            link, found = k, []
        elif link is not None:
            match = next((e for e in ordered if place_key(e.mention) == key), None)
            if match is not None and id(match) in placed and match not in found:
                found.append(match)
    moved = {id(e) for group in between.values() for e in group}
    if not moved:
        return ordered
    out: list[StopEvent] = []
    for event in ordered:
        if id(event) in moved:
            continue
        out.append(event)
        if place_key(event.mention) in keys:
            k = keys.index(place_key(event.mention))
            out.extend(replace(e, role="via") for e in between.pop(k, []))
    return [replace(e, role=role_in_line(k, len(out))) for k, e in enumerate(out)]


def _told_by_sentence(events: Sequence[StopEvent], source: Source) -> dict[int, list[StopEvent]]:
    """The events a pass of ``source`` read, by sentence, in the order given."""
    out: dict[int, list[StopEvent]] = {}
    for event in events:
        if event.source == source:
            out.setdefault(event.sentence, []).append(event)
    return out


def _no_direction(event: StopEvent) -> bool:
    """An end told with the other and no direction: "linking A and B", "between A and B"."""
    words = event.cue.lower().split()
    return bool(words) and (words[-1] == "between" or words[0] in _LINKING)


#: The forms of the verbs of a line joining two ends ("linking", "connects", "joined").
_LINKING = frozenset(
    f"{stem}{end}" for stem in ("link", "connect", "join") for end in ("", "s", "ed", "ing")
)


def _as_the_diagram_lists(ordered: list[StopEvent], listed: Sequence[StopEvent]) -> list[StopEvent]:
    """The stops of a route diagram or station list (:func:`route_list_events`) where the
    prose's stops are all on it, in its order or the reverse: the same way, told in more
    detail ("between Tokyo and Shin-Ōsaka" over "0.0 km Tokyo", "6.8 km Shinagawa" …);
    the list runs the way the prose goes. Else the prose's stops."""
    keys = [place_key(e.mention) for e in listed]
    if len(set(keys)) <= len({place_key(e.mention) for e in ordered}):
        return ordered
    wanted = [place_key(e.mention) for e in ordered]
    at = _in_order(keys, wanted) or _in_order(keys, wanted[::-1])[::-1]
    if not at:
        return ordered  # a stop the list does not have, or not in its order: another way
    way = list(listed[min(at) : max(at) + 1])  # between the prose's ends: not the lines on
    if at[0] > at[-1]:  # beyond them ("Hakata (Sanyō Shinkansen)")
        way.reverse()
    return [replace(e, role=role_in_line(k, len(way))) for k, e in enumerate(way)]


def _in_order(keys: Sequence[object], wanted: Sequence[object]) -> list[int]:
    """Where each of ``wanted`` stands in ``keys``, each after the one before (the first
    such places), else ``[]``."""
    at: list[int] = []
    for key in wanted:
        k = next((k for k in range(at[-1] + 1 if at else 0, len(keys)) if keys[k] == key), None)
        if k is None:
            return []
        at.append(k)
    return at


#: A return home, or a journey that is by its name a tour out from a home base and back
#: (a deployment, a patrol, a circumnavigation).
_FROM_HOME = re.compile(
    r"\breturn(?:s|ed|ing)?\b[^.;]{0,40}?\bhome(?:\s?port)?\b|"
    r"\b(?:deployment|patrol|circumnavigat\w*)\b",
    re.I,
)


#: "… to Bermuda and back", "… and returned the next day": a return that names no place
#: (not "and returned the car", "returned fire", "returned north", "back then",
#: "back-to-back").
_AND_BACK = re.compile(
    r"\s*,?\s*(?:and|then)\s+(?:back(?!\s+then\b|-)|return(?:s|ed)?)\b"
    r"(?!\s+(?:to|in|at|into|via|through|home|fire|serve|(?:north|south|east|west)\w*)\b)"
    r"(?!\s+(?:the|a|an|his|her|its|their|our|my|this|that)\s+"
    r"(?!(?:next|following|same|day|week|morning|evening|night|month|year)\b))",
    re.I,
)


def _there_and_back(document: Document, ordered: Sequence[StopEvent]) -> str:
    """The words of a return with no place ("and back") after a journey's last goal, or of
    a round trip told before its start ("drove 1,800 miles round trip from Fort Sill to
    Fort Carson"), in one sentence with the start and the goal (it ends at the start),
    else ``""``."""
    told = (
        len(ordered) >= 2
        and ordered[0].role == "origin"
        and ordered[0].sentence == ordered[-1].sentence
        and place_key(ordered[0].mention) != place_key(ordered[-1].mention)
    )
    if not told:
        return ""
    back = _AND_BACK.match(document.text, ordered[-1].mention.end)
    if back:
        return " ".join(back.group().replace(",", " ").split())
    begins = document.sentences[ordered[0].sentence][0]
    before = _ROUND_TRIP.findall(document.text, begins, ordered[0].mention.start)
    return before[-1].lower() if before else ""


#: A round trip named as such: "round trip", "round-trip", "roundtrip".
_ROUND_TRIP = re.compile(r"\bround[- ]?trips?\b", re.I)


def _return_untold_start(document: Document, ordered: Sequence[StopEvent]) -> bool:
    """ "The cutter returned to its homeport … on its return to Seattle", "… concluded its
    deployment following the ship's return to Rota": a journey from a home base that ends
    with a return there, and tells no departure, began there. So did one whose first
    stop is a goal travelled to ("will travel to London and Milan … before returning to
    Washington"): a return says where the traveller was before. (Not "The chancellor is
    in Beijing … she returns to Berlin": the text's journey starts in Beijing.)"""
    return (
        len(ordered) >= 2
        and ordered[0].role != "origin"
        and ordered[-1].back
        and all(place_key(e.mention) != place_key(ordered[-1].mention) for e in ordered[:-1])
        and (
            _FROM_HOME.search(document.text) is not None
            or (
                ordered[0].role == "destination"
                and one_traveller(document, ordered[0], ordered[-1])
            )
        )
    )


def _ends_told_together(events: Sequence[StopEvent]) -> StopEvent | None:
    """The journey's end told with its start in one sentence, as a summary of the whole
    ("The rally started at Wembley Stadium in London … and finished in Mexico City"): the
    last stop, whatever is told after. Not a stage's ("Stage 3 began in Turin and ended in
    Florence"), and none where two places are told so."""
    ends = [
        event
        for event in events
        if event.ending
        and event.stage is None
        and any(
            e.role == "origin" and e.sentence == event.sentence and e.stage is None for e in events
        )
    ]
    return ends[0] if len({place_key(e.mention) for e in ends}) == 1 else None


def _return_told_first(event: StopEvent, events: Sequence[StopEvent]) -> bool:
    """A return told in the text's lead, before the departure ("… forced to return to
    Calcutta." then "The ship sailed from Hong Kong …"): a summary's end of the journey,
    which goes last. A departure from the same place told later is the start of that
    journey where it is told in the past perfect ("returned to Honolulu …" then "the crew
    had sailed from Honolulu to Apia"); else it is a new journey ("… left Paris again")."""
    return (
        event.sentence <= LEAD_SENTENCES
        and event.role == "destination"
        and event.cue.lower().startswith("return")
        and any(
            e.role == "origin"
            and e.sentence > event.sentence
            and (place_key(e.mention) != place_key(event.mention) or e.perfect)
            for e in events
        )
    )
