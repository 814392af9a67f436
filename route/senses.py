"""One place per name: one sense per text, facilities' short names, famous namesakes."""

from __future__ import annotations

import itertools
import math
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from .events import StopCue, is_town, listed_after
from .extract import Found
from .tokens import linked_after, linked_before
from .words import CONNECTORS, verb_forms

__all__ = [
    "CONFIDENT",
    "FAMOUS_POPULATION",
    "FAMOUS_RATIO",
    "REGION_TOWN_KM",
    "WAY_PASSES",
    "WAY_RATIO",
    "along_the_way",
    "city_states",
    "prefer_famous",
    "region_towns",
    "unify_senses",
]

#: A stop's namesake this many times as populous, and a city of at least this many people,
#: is the place meant when the text's context chose the small one without confidence:
#: travellers go to Paris, France, far more often than to Paris, Texas.
FAMOUS_RATIO = 20
FAMOUS_POPULATION = 500_000
CONFIDENT = 0.9


def prefer_famous(mentions: Sequence[Found], resolver: Any, text: str = "") -> list[Found]:
    """Towns resolved without confidence to a small place that a famous namesake outranks,
    or with confidence but where the famous namesake is in a country the text names
    ("the flight to Australia … landed at Brisbane": not Brisbane, California, because the
    text also names California and Oakland).

    Only for names the text does not qualify (a qualified "Paris, Texas" resolves with
    confidence in a text that names no other country), nor for a town in a region the
    text names ("Fort Lee, Va. … started in Petersburg"), nor for one among its
    neighbours in a paragraph of ``text`` (:func:`_among_its_neighbours`); the change
    applies to every mention of the name.
    """
    from .extract import fold

    named = {  # the countries the text names: their famous cities need no more context
        f.candidate.country for f in mentions if str(f.candidate.feature).startswith("PCL")
    }
    qualified = _qualified(mentions)
    weak = {
        f.surface
        for f in mentions
        if is_town(f) and f.candidate.population < FAMOUS_POPULATION and f.surface not in qualified
    }
    if not weak:
        return list(mentions)
    found = resolver.lookup_keys({fold(name) for name in weak})
    first: dict[str, Any] = {}  # each name's place as the text resolved it
    told_in: dict[str, set[int]] = {}  # each name's paragraphs
    breaks = _paragraph_starts(text)
    for f in mentions:
        if is_town(f):
            first.setdefault(f.surface, f.candidate)
            told_in.setdefault(f.surface, set()).add(bisect_right(breaks, f.start))
    confident = {f.surface for f in mentions if f.confidence >= CONFIDENT}
    regions = {  # the first-level regions the text names ("Fort Lee, Va.")
        (f.candidate.country, f.candidate.admin1) for f in mentions if f.candidate.feature == "ADM1"
    }
    from .resolve import Anchors

    anchors = Anchors(list(first.values()))  # each name's place, as columns
    better: dict[str, Any] = {}
    for name in weak:
        current = first[name]
        if (current.country, current.admin1) in regions and current.country not in ("", None):
            continue  # "Fort Lee, Va. … started in Petersburg": Petersburg, Virginia
        if _among_its_neighbours(name, current, list(first), anchors, told_in):
            continue  # "Miles, Roma, Mitchell": Roma, Queensland, between its neighbours
        towns = [
            c
            for c in found.get(fold(name), [])
            if not str(c.feature).startswith(("ADM", "PCL"))
            and c.matched != "code"  # "Bar" is Qionghai's airport code, not its name
        ]
        big = max(towns, key=lambda c: c.population, default=None)
        if (
            big is not None
            and big.population >= max(FAMOUS_POPULATION, FAMOUS_RATIO * max(current.population, 1))
            and (name not in confident or big.country in named)
        ):
            better[name] = big
    return [
        replace(f, candidate=better[f.surface]) if f.surface in better and is_town(f) else f
        for f in mentions
    ]


#: A small town with this many of the text's other towns within :data:`NEIGHBOUR_KM` is
#: placed by them: a famous namesake far from every one of them is not the place meant.
NEIGHBOURS = 2
NEIGHBOUR_KM = 300.0


def _among_its_neighbours(
    name: str, current: Any, names: list[str], anchors: Any, told_in: dict[str, set[int]]
) -> bool:
    """Whether the text names :data:`NEIGHBOURS` other towns or more within
    :data:`NEIGHBOUR_KM` of the place ``name`` resolved to, in a paragraph that names it
    too ("Dalby, Chinchilla, Miles, Roma and Mitchell": Roma, Queensland, not Rome; but a
    fleet's "San Francisco" is not the Philippine town near the Manila of another
    paragraph); ``anchors`` holds the place of each of ``names``
    (:class:`route.resolve.Anchors`), ``told_in`` each name's paragraphs."""
    near = anchors.within_km(current, NEIGHBOUR_KM)
    own = told_in[name]
    return (
        sum(
            1
            for other, close in zip(names, near, strict=True)
            if close and other != name and own & told_in[other]
        )
        >= NEIGHBOURS
    )


def _paragraph_starts(text: str) -> list[int]:
    """Where the paragraphs of ``text`` after its first start: after each blank line, or
    after each line break in a text with no blank line (a paragraph to a line)."""
    blank = re.compile(r"\n[ \t]*\n\s*")
    breaks = blank if blank.search(text) else re.compile(r"\n\s*")
    return [m.end() for m in breaks.finditer(text)]


def _qualified(mentions: Sequence[Found]) -> set[str]:
    """Names the text qualifies by their region or country ("Paris, Texas")."""
    own, _qualifiers = _qualified_mentions(mentions)
    return {f.surface for f in mentions if id(f) in own}


#: A country or territory whose towns all lie this close to its capital is one place on a
#: journey's map: a pin there is no further from any part of it than the 100 km within
#: which a stop counts as placed right.
COMPACT_COUNTRY_KM = 50.0


def city_states(mentions: Sequence[Found], resolver: Any, text: str) -> list[Found]:
    """A country whose capital bears its name, or one small enough to be one place
    (Guam, Malta, Bermuda: :data:`COMPACT_COUNTRY_KM`), is that city where a journey
    goes to, from or through it ("flew on to Singapore", "from Hong Kong", "sailed for
    Guam"): those mentions become the capital; others ("the summit in Singapore") stay
    the country. ("Panama City" is not "Panama": "crossed into Guatemala" is no visit
    to Guatemala City.) A small country is not read so where its sentence travels by
    land ("drove from Saratoga Springs to Malta": a namesake town)."""
    from .extract import fold

    def capital(_name: str, country: Any, found: list[Any]) -> Any:
        same = {fold(country.name)}
        return next(
            (
                c
                for c in found
                if c.feature == "PPLC" and c.country == country.country and fold(c.name) in same
            ),
            None,
        )

    also = (
        _listed_with_towns(mentions, text)
        | _stayed_in(mentions, text)
        | _paired_with_towns(mentions, text)
    )
    out = _towns_on_a_path(mentions, resolver, text, "PCL", capital, also=also)
    town_for = getattr(resolver, "town_for", None)
    if town_for is None:
        return out

    def compact(_name: str, country: Any, _found: list[Any]) -> Any:
        return town_for(country.country, COMPACT_COUNTRY_KM) if country.feature == "PCLI" else None

    skip = _by_land(out, text)
    return _towns_on_a_path(out, resolver, text, "PCLI", compact, also=also, skip=skip)


def _by_land(mentions: Sequence[Found], text: str) -> set[int]:
    """The ids of the countries told in a sentence that travels by land (car, train, foot,
    bicycle)."""
    from .events import modes_named

    out = set()
    for found in mentions:
        if not _of_feature(found, "PCLI"):
            continue
        start = max(text.rfind(m, 0, found.start) for m in (".", "\n", "!", "?")) + 1
        ends = [i for i in (text.find(m, found.end) for m in (".", "\n", "!", "?")) if i >= 0]
        if set(modes_named(text[start : min(ends, default=len(text))])) & _LAND:
            out.add(id(found))
    return out


_LAND = frozenset({"car", "train", "foot", "bicycle"})


#: After a country, a town that says where in it: "stopped in Luxembourg at Vianden".
_WHERE_IN_IT = re.compile(r"\s*,?\s*(?:at|near|in)\s+(?:the\s+)?[A-Z]")


def _stayed_in(mentions: Sequence[Found], text: str) -> set[int]:
    """The ids of the countries a journey stops in ("the flight stopped in Singapore",
    "called at Djibouti"), unless a town right after says where in it ("stopped in
    Luxembourg at Vianden")."""
    stays = verb_forms(("stop",))
    out = set()
    for found in mentions:
        before = text[max(0, found.start - 30) : found.start].lower().split()
        stayed = len(before) >= 2 and before[-1] in ("in", "at") and before[-2] in stays
        if stayed and _of_feature(found, "PCL") and not _WHERE_IN_IT.match(text, found.end):
            out.add(id(found))
    return out


def _paired_with_towns(mentions: Sequence[Found], text: str) -> set[int]:
    """The ids of the countries joined to a town as the two ends of a way ("Singapore to
    Newark via Tokyo is 16,184 kilometres", "the London–Singapore route")."""
    ordered = sorted(mentions, key=lambda f: f.start)
    out: set[int] = set()
    for a, b in itertools.pairwise(ordered):
        if not re.fullmatch(r"\s*(?:to|[–—→-])\s*", text[a.end : b.start]):
            continue
        for country, town in ((a, b), (b, a)):
            if _of_feature(country, "PCL") and _of_feature(town, "PPL"):
                out.add(id(country))
    return out


def _listed_with_towns(mentions: Sequence[Found], text: str) -> set[int]:
    """The ids of the countries listed after a town, right after it or after others so
    listed ("called at Aden, Colombo and Singapore", "Hongkong, Macao, Singapore, Malta,
    and Gibraltar"): the items of one list are things of one kind."""
    ordered = sorted(mentions, key=lambda f: f.start)
    out: set[int] = set()
    for a, b in itertools.pairwise(ordered):
        listed = _of_feature(a, "PPL") or id(a) in out
        if listed and _of_feature(b, "PCL") and listed_after(text, a, b):
            out.add(id(b))
    return out


#: A region gone to is its namesake town when the town is this close to another stop's town.
REGION_TOWN_KM = 300.0


def region_towns(mentions: Sequence[Found], resolver: Any, text: str) -> list[Found]:
    """ "Set off from Canterbury and reached Dover": a region (Canterbury, New Zealand) gone
    to, from or through is its namesake town when that town lies within
    :data:`REGION_TOWN_KM` of a town the text names (Canterbury, Kent, by Dover), else the
    town of its own that bears its name ("flew via Basra", "on to Oaxaca"), else, for a
    second-level division, a namesake town larger than it ("fly to Wellington"), else a
    namesake town :data:`WAY_RATIO` times nearer the text's towns than the region is
    ("sailed from Venice to Acre": Akko, not the Brazilian state), but not for a region of
    a country the text's towns are in ("flying to Alaska, then on to Tokyo" after
    "Andrews Air Force Base": the state, not a village of the Philippines)."""
    from .extract import fold
    from .resolve import Anchors

    # each town once (a big text names its towns thousands of times), as arrays
    towns = list(
        {(f.candidate.lat, f.candidate.lon): f.candidate for f in mentions if is_town(f)}.values()
    )
    if not towns:
        return list(mentions)
    anchors = Anchors(towns)
    named = {t.geonameid for t in towns}
    countries = {t.country for t in towns}

    def km_to_towns(place: Any) -> float:
        """Km to the nearest of the text's towns (0 for one of them)."""
        if place.geonameid in named:
            return 0.0
        km = anchors.nearest_km(place)
        return math.inf if km is None else km

    def namesake(name: str, region: Any, found: list[Any]) -> Any:
        same = fold(name)
        near = [
            (km_to_towns(c), c)
            for c in found
            if str(c.feature).startswith("PPL") and fold(c.name) == same
        ]
        nearest = min(near, key=lambda kc: kc[0], default=None)
        if (
            nearest is not None
            and nearest[0] <= REGION_TOWN_KM
            and not _its_own_region(region, nearest[1], countries)
        ):
            return nearest[1]
        seat = _seat(region, found) or _larger_town(region, found)
        if seat is None and nearest is not None and region.country not in countries:
            own = km_to_towns(region)  # not a region of a country the text's towns are in
            if nearest[0] * WAY_RATIO < own:
                return nearest[1]  # "sailing from Venice to Acre": Akko, not a state of Brazil
        return seat

    listed = _listed_regions(mentions, text)
    kept = [f for f in mentions if id(f) not in listed]
    changed = iter(_towns_on_a_path(kept, resolver, text, "ADM", namesake))
    return [f if id(f) in listed else next(changed) for f in mentions]


def _its_own_region(region: Any, town: Any, countries: set[str]) -> bool:
    """Whether a region keeps its name from a namesake town near the text's towns: a
    region of a country those towns are in, the town a small one outside it ("to
    Oregon's Willamette Valley" from towns on the Missouri: the state, not Oregon,
    Missouri; "from Indiana, across Illinois": not Indiana, Pennsylvania). A big town
    takes the name ("from Washington to New York"), as does a region abroad ("set off
    from Canterbury and reached Dover")."""
    from .resolve import TOWN_OVER_REGION

    return (
        region.country in countries
        and (town.country, town.admin1) != (region.country, region.admin1)
        and town.population < TOWN_OVER_REGION
    )


def _listed_regions(mentions: Sequence[Found], text: str) -> set[int]:
    """The ids of first-level regions listed beside another ("through Indiana, then
    Illinois", "Ohio and Indiana"): the list says they are regions, not towns."""
    ordered = sorted(mentions, key=lambda f: f.start)
    out: set[int] = set()
    for a, b in itertools.pairwise(ordered):
        both = a.candidate.feature == "ADM1" and b.candidate.feature == "ADM1"
        if both and listed_after(text, a, b):
            out.update((id(a), id(b)))
    return out


def _seat(region: Any, found: list[Any]) -> Any:
    """The town of the region that bears its name ("Basra", "Songkhla", "Oaxaca", "Quebec"):
    the most populous town the name matches in the same first-level region."""
    own = [
        c
        for c in found
        if str(c.feature).startswith("PPL")
        and (c.country, c.admin1) == (region.country, region.admin1)
    ]
    return max(own, key=lambda c: c.population, default=None)


def _larger_town(region: Any, found: list[Any]) -> Any:
    """For a second-level division gone to ("fly to Wellington": a shire of Victoria), the
    town of its name with more people than the whole division (New Zealand's capital)."""
    if region.feature != "ADM2":
        return None
    towns = [c for c in found if str(c.feature).startswith("PPL")]
    big = max(towns, key=lambda c: c.population, default=None)
    return big if big is not None and big.population >= region.population else None


def _towns_on_a_path(
    mentions: Sequence[Found],
    resolver: Any,
    text: str,
    feature: str,
    choose: Callable[[str, Any, list[Any]], Any],
    also: set[int] | None = None,
    skip: set[int] | None = None,
) -> list[Found]:
    """The mentions of a ``feature`` on a path (:func:`_on_a_path`), and those whose ids
    are in ``also``, less those in ``skip``, replaced by the town ``choose(name,
    candidate, the gazetteer's entries for the name)`` picks, if any."""
    from .extract import fold

    demonyms = frozenset(resolver.demonyms())
    on_path = {id(f) for f in _on_paths(mentions, text, demonyms) if _of_feature(f, feature)}
    on_path |= also or set()
    on_path -= skip or set()
    if not on_path:
        return list(mentions)
    names = {f.surface: f.candidate for f in mentions if id(f) in on_path}
    found = resolver.lookup_keys({fold(name) for name in names})
    town: dict[str, Any] = {}
    for name, candidate in names.items():
        chosen = choose(name, candidate, found.get(fold(name), []))
        if chosen is not None:
            town[name] = chosen
    return [
        replace(f, candidate=town[f.surface]) if id(f) in on_path and f.surface in town else f
        for f in mentions
    ]


def _of_feature(found: Found, feature: str) -> bool:
    return str(found.candidate.feature).startswith(feature)


def _on_paths(mentions: Sequence[Found], text: str, demonyms: frozenset[str]) -> list[Found]:
    """The mentions right after a preposition of path ("to", "from", "via" …), also past a
    demonym ("from British Hong Kong"), or a place noun's "of" ("the port of Djibouti"),
    the places listed after one of them ("via Lyon, Rome, Basra and Karachi"), and the
    links of a route chain ("Karachi - Basra (Iraq) - Rhodos")."""
    out: list[Found] = []
    before: Found | None = None
    for found in sorted(mentions, key=lambda f: f.start):
        listed = before is not None and listed_after(text, before, found)
        if (
            _after_a_path_word(found, text, demonyms)
            or (listed and out and out[-1] is before)
            or _a_chain_link(found, text)
        ):
            out.append(found)
        before = found
    return out


def _a_chain_link(found: Found, text: str) -> bool:
    """Whether ``found`` stands between two links of a route chain, each a spaced dash or
    an arrow ("Karachi - Basra (Iraq) - Rhodos"): a way's town, not a region."""
    return linked_before(text, found.start) and linked_after(text, found.end)


def _after_a_path_word(found: Found, text: str, demonyms: frozenset[str]) -> bool:
    from .events import place_nouns, preps

    before = text[max(0, found.start - 30) : found.start].lower().split()
    if len(before) >= 2 and before[-1] in demonyms:
        before = before[:-1]  # "from British Hong Kong"
    if len(before) >= 2 and before[-1] == "of" and before[-2] in place_nouns():
        return True  # "the port of Djibouti"
    kinds = ("source", "goal", "route")
    ends = verb_forms(("depart", "arrive"))  # their object is where a journey leaves or ends
    if len(before) >= 2 and preps().get(before[-1], "") == "place" and before[-2] in ends:
        return True  # "arrived in Singapore", "landed at Malta"
    return bool(before) and (
        preps().get(before[-1], "") in kinds or before[-1] in ends
    )  # "left Colón", "reached Panama"


def unify_senses(mentions: Sequence[Found]) -> list[Found]:
    """One sense per text: every mention of a name resolves to the same place.

    The place chosen is the one the name's most confident mention resolved to;
    a name the text qualifies differently ("Paris, Texas") is a different name.
    """
    from dataclasses import replace

    own, qualifiers = _qualified_mentions(mentions)

    def rank(found: Found) -> tuple[bool, float]:
        return id(found) not in qualifiers, found.confidence

    best: dict[tuple[str, str], Found] = {}
    for found in mentions:
        key = (found.kind, found.surface.casefold())
        if key not in best or rank(found) > rank(best[key]):
            best[key] = found
    out: list[Found] = []
    facilities: list[Found] = []
    for found in mentions:
        # a qualifier keeps its own sense and gives it to no other mention: "Haneda,
        # Tokyo" says where Haneda is (the region), "Tokyo - Chitose" names the city
        kept = id(found) in own or id(found) in qualifiers
        chosen = found if kept else best[(found.kind, found.surface.casefold())]
        named = None if kept else _facility_named(found, facilities)
        if named is not None:
            # "Columbus" after "Columbus Air Force Base": the base; "San Antonio" after
            # "San Antonio de los Cobres": the town
            chosen = named
        if chosen.candidate is not found.candidate:
            found = replace(found, candidate=chosen.candidate, confidence=chosen.confidence)
        if _FACILITY.search(found.surface) or _a_long_form(found.surface):
            facilities.append(found)
        out.append(found)
    return out


def _qualified_mentions(mentions: Sequence[Found]) -> tuple[set[int], set[int]]:
    """The ids of mentions the text qualifies where they stand ("New York, New York": the
    city; "Albany, New York": Albany), each of which keeps the place its qualifier chose,
    and the ids of those qualifiers."""
    from .events import qualifies

    ordered = sorted(mentions, key=lambda f: f.start)
    pairs = [
        (town, area)
        for town, area in itertools.pairwise(ordered)
        if is_town(town) and area.start - town.end <= 3 and qualifies(area, town)
    ]
    return {id(town) for town, _ in pairs}, {id(area) for _, area in pairs}


#: The last word of a facility's name ("Edwards Air Force Base", "Cologne Bonn Airport").
_FACILITY = re.compile(
    r"\s(?:base|airport|airfield|station|terminal|center|centre|field|port|harbou?r)$", re.I
)


def _a_long_form(surface: str) -> bool:
    """Whether a name goes on past a particle ("San Antonio de los Cobres", "Newcastle
    upon Tyne"): its first words alone, told later, are short for it."""
    words = surface.split()
    return any(w in CONNECTORS for w in words[1:-1])


def _facility_named(found: Found, facilities: Sequence[Found]) -> Found | None:
    """The facility or long-named place an earlier mention named, when this one is its
    name's first words."""
    short = found.surface.casefold() + " "
    for facility in reversed(facilities):
        if facility.surface.casefold().startswith(short):
            return facility
    return None


#: A stop's namesake whose distance to its neighbours on the journey is this many times
#: shorter, and which has at least as many people, is the place meant.
WAY_RATIO = 3.0
#: A stop whose detour is this many times its namesake's may move to a namesake this many
#: times smaller (a town a continent away from the way between its neighbours).
FAR_RATIO = 10.0


#: A stop between two others whose namesake, this many times more populous, lies on the
#: way between them (a detour of at most :data:`ON_THE_WAY` times the straight line) is
#: that namesake: "Chicago … At Ogden … San Francisco" is Ogden, Utah, not Ogden,
#: Illinois, near Chicago.
BIGGER_RATIO = 20.0
ON_THE_WAY = 1.1


def _bigger_on_the_way(
    towns: Sequence[Any],
    current: Any,
    points: list[tuple[float, float]],
    cost: Callable[[Any], float],
) -> Any:
    """The most populous namesake :data:`BIGGER_RATIO` times bigger than ``current`` on the
    way between the two ``points``, else None."""
    from .distance import geodesic_km

    if len(points) != 2:
        return None
    direct = geodesic_km(*points)
    bigger = [
        c
        for c in towns
        if c.population >= BIGGER_RATIO * max(current.population, 1)
        and cost(c) <= ON_THE_WAY * direct
    ]
    return max(bigger, key=lambda c: c.population, default=None)


def along_the_way(
    stops: Sequence[StopCue], mentions: Sequence[Found], resolver: Any
) -> tuple[list[StopCue], list[Found]]:
    """Stops resolved to a small place far off the way between the stops before and after
    them, when a namesake as populous lies on the way ("from Suva … flew on to Brisbane":
    Brisbane, Australia, not Brisbane, California, chosen because the text set off from
    Oakland); every mention of the name moves with it. Qualified names stay ("Paris, Texas").

    Returns the stops and the mentions, changed or not.
    """
    from .extract import fold

    qualified = _qualified(mentions)
    names = {s.mention.surface for s in stops if s.mention.surface not in qualified}
    found = resolver.lookup_keys({fold(n) for n in names}) if len(stops) >= 2 else {}
    stops, mentions = list(stops), list(mentions)
    for _ in range(WAY_PASSES):  # a move may put the next stop's way right ("Charleston"
        better = _better_on_the_way(stops, names, found)  # once "Huntington" is West
        if not better:  # Virginia's, not New York's)
            break

        def moved(f: Found, better: dict[str, Any] = better) -> Found:
            return replace(f, candidate=better[f.surface]) if f.surface in better else f

        stops = [replace(s, mention=moved(s.mention)) for s in stops]
        mentions = [moved(f) for f in mentions]
    return stops, mentions


#: How many times :func:`along_the_way` looks again after moving a stop.
WAY_PASSES = 3


def _better_on_the_way(
    stops: Sequence[StopCue], names: set[str], found: dict[str, list[Any]]
) -> dict[str, Any]:
    """The namesakes on the way to move stops to, by name (:func:`along_the_way`)."""
    from .distance import geodesic_km
    from .extract import fold

    better: dict[str, Any] = {}
    for k, stop in enumerate(stops):
        name, current = stop.mention.surface, stop.mention.candidate
        points = [
            (float(n.mention.candidate.lat), float(n.mention.candidate.lon))
            for n in (stops[k - 1] if k else None, stops[k + 1] if k + 1 < len(stops) else None)
            if n is not None and n.mention.surface != name
        ]
        if not points or name not in names or current.feature == "PT":
            continue  # a point the text gives ("the North Pole") has no namesake to move to

        def cost(c: Any, points: list[tuple[float, float]] = points) -> float:
            return sum(geodesic_km((float(c.lat), float(c.lon)), p) for p in points)

        towns = [c for c in found.get(fold(name), []) if str(c.feature).startswith("PPL")]
        # a namesake as populous, three times nearer the way; or, for a stop between two
        # others a continent off the way, one ten times smaller, ten times nearer
        # ("Chicago, Milwaukee, La Crosse, Hastings, Saint Paul": Hastings, Minnesota)
        tests = [(WAY_RATIO, 1.0)] + ([(FAR_RATIO, FAR_RATIO)] if len(points) == 2 else [])
        for nearer, smaller in tests:
            near = [c for c in towns if c.population * smaller >= current.population]
            best = min(near, key=cost, default=None)
            if best is not None and cost(best) * nearer < cost(current):
                better[name] = best
                break
        else:
            bigger = _bigger_on_the_way(towns, current, points, cost)
            if bigger is not None:
                better[name] = bigger
    return better
