"""Resolve names in context: one ranking of a name's candidates, for text and stops.

A name's candidates (best first by the gazetteer's prior, population) are ranked in
the context of the rest of the text: candidates in the countries and regions it names
win, and so do towns near its unambiguous towns (:func:`distance_penalty`, the one
distance weight, which :func:`route.pipeline.geocode_stops` uses for stop lists too).
Scores are in orders of magnitude of population.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .spans import AREA_LEVEL, COUNTRY_LEVEL, DIVISIONS, Found, Kind, Named
from .tokens import Token, fold, word_before
from .words import PLACE_NOUNS, path_words

__all__ = [
    "CLEAR_MARGIN",
    "COUNTRY_BONUS",
    "DISTANCE_WEIGHT",
    "FOREIGN_PENALTY",
    "LARGE_TOWN_POPULATION",
    "LARGE_TOWN_SCORE",
    "MAX_PENALTY",
    "MIN_SCORE",
    "REGION_BONUS",
    "TOWN_OVER_REGION",
    "Anchors",
    "Context",
    "distance_penalty",
    "resolve",
]

#: Ranking in context (scores are in orders of magnitude of population).
COUNTRY_BONUS = 1.5
FOREIGN_PENALTY = 1.0
REGION_BONUS = 1.0
MAX_PENALTY = 3.0
#: Score lost per tenfold distance (in units of 100 km) to the nearest other place: of a
#: text's unambiguous towns (here), of a stop list's other stops (``geocode_stops``).
DISTANCE_WEIGHT = 2.0
#: A name is unambiguous (context for the others) when its best candidate leads the
#: second by this much.
CLEAR_MARGIN = 1.0
#: A region loses its name to a town of it this populous ("Moscow", "New York"), or to
#: a town of it whose own name it bears, whatever its size (see ``_its_namesake``).
TOWN_OVER_REGION = 100_000
#: A city-level mention weaker than this after context is dropped ...
MIN_SCORE = 3.5
#: ... unless it is a large town by itself (about 100,000 people, own name).
LARGE_TOWN_SCORE = 6.0
#: ... or a town this populous, by whichever of its names ("Seville", "Marseilles").
LARGE_TOWN_POPULATION = 100_000
#: A name of one sense that the text puts where a way goes or stays ("landing in") is
#: kept, far from the text's other places and in a country it does not name, when it is a
#: town of this many people.
PLACED_TOWN_POPULATION = 20_000


def distance_penalty(km: float) -> float:
    """The score a candidate loses for being ``km`` from the nearest other place.

    Parameters
    ----------
    km
        Geodesic distance to the nearest other place (an anchor of the text, another
        stop), in km.

    Returns
    -------
    float
        ``DISTANCE_WEIGHT * log10(1 + km / 100)``: nothing nearby, :data:`DISTANCE_WEIGHT`
        at 900 km, twice that at 9,900 km.
    """
    return DISTANCE_WEIGHT * math.log10(1 + km / 100.0)


@dataclass(frozen=True, slots=True)
class Context:
    """What the rest of a text says about where it is."""

    countries: set[str]
    regions: set[tuple[str, str]]  # (country, GeoNames admin1 code)
    anchors: list[Any]  # unambiguous towns
    listed_with: set[str] = field(default_factory=set)  # countries of regions listed beside
    #: The countries the text names itself or through their regions, not through its
    #: towns: only these count against a town elsewhere. A journey goes from country to
    #: country, so "Berlin" makes a German town likelier, but is no evidence against Venice.
    named: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _Evidence:
    """What each of a text's names says about where the text is, keyed by
    ``id(candidates)`` of the name that says it: a name is no context for itself."""

    named: set[str]  # countries of the text's demonyms and abbreviations
    countries_of: dict[int, str]
    regions_of: dict[int, tuple[str, str]]
    anchors: dict[int, Any]  # towns, and counties (small enough to be near)
    listed: dict[int, set[str]]
    #: the states of each ambiguous division name's candidates ("Benton County": a dozen)
    divisions: dict[int, set[tuple[str, str]]] = field(default_factory=dict)
    #: how many of those names each state has divisions of
    division_states: Counter[tuple[str, str]] = field(init=False)

    def __post_init__(self) -> None:
        states = Counter(s for held in self.divisions.values() for s in held)
        object.__setattr__(self, "division_states", states)

    def context(self, own: int) -> Context:
        """The context of the name whose candidates have id ``own``: what the others say."""
        others = list({c.geonameid: c for k, c in self.anchors.items() if k != own}.values())
        told = (  # the countries the text names, or names regions of
            self.named
            | {c for k, c in self.countries_of.items() if k != own}
            | {r[0] for k, r in self.regions_of.items() if k != own}
        )
        return Context(
            countries=told | {c.country for c in others},  # naming Hanoi names Vietnam
            regions={r for k, r in self.regions_of.items() if k != own}
            | {(c.country, c.admin1) for c in others}
            | self._shared_state(own),
            anchors=others,
            listed_with=self.listed.get(own, set()),
            named=told,
        )

    def _shared_state(self, own: int) -> set[tuple[str, str]]:
        """The one state that has divisions of the names of two or more of the text's
        other ambiguous division names, and more than any other state ("Benton County …
        Decatur County … Houston County": Tennessee has all three)."""
        states = self.division_states - Counter(self.divisions.get(own, ()))
        ranked = states.most_common(2)
        if not ranked or ranked[0][1] < 2 or (len(ranked) == 2 and ranked[1][1] == ranked[0][1]):
            return set()
        return {ranked[0][0]}


def _clear(cands: list[Any]) -> bool:
    """Whether a name's best candidate leads its next by :data:`CLEAR_MARGIN`, not counting
    the division of the best town's that bears its name ("Madrid" the city and the
    community of Madrid say the same about where the text is)."""
    top = cands[0]
    rest = [
        c
        for c in cands[1:]
        if not (c.feature in DIVISIONS and (c.country, c.admin1) == (top.country, top.admin1))
    ]
    return not rest or top.score - rest[0].score >= CLEAR_MARGIN


def _evidence(text: str, tokens: list[Token], raw: list[Named], named: set[str]) -> _Evidence:
    """Context: the countries the text names, and the places it names unambiguously.

    A name's own best guess is no context for itself: "Paris" is not evidence for France
    when the text around it names Dallas and Houston; "Georgia" not for Georgia.
    """
    countries_of: dict[int, str] = {}
    anchors: dict[int, Any] = {}
    regions_of: dict[int, tuple[str, str]] = {}
    for _, _, cands in raw:
        top = cands[0]
        clear = _clear(cands)
        if top.feature == "PCLI":
            countries_of[id(cands)] = top.country
        elif top.feature in DIVISIONS and clear:  # a county names its state too
            regions_of[id(cands)] = (top.country, top.admin1)
        if top.feature not in COUNTRY_LEVEL | {"ADM1"} and clear and top.score >= MIN_SCORE:
            anchors[id(cands)] = top  # towns, and counties (small enough to be near)
    listed = _listed_with_regions(text, tokens, raw)
    divisions = {
        id(cands): held
        for _, _, cands in raw
        if cands[0].feature == "ADM2"
        and len(held := {(c.country, c.admin1) for c in cands if c.feature == "ADM2"}) > 1
    }
    return _Evidence(named, countries_of, regions_of, anchors, listed, divisions)


def resolve(
    text: str,
    tokens: list[Token],
    raw: list[Named],
    *,
    named: set[str],
    fixed: dict[int, Any],
    embedded: set[int],
) -> list[Found]:
    """The text's names as mentions, each with its candidate in context (in ``raw``'s order).

    Parameters
    ----------
    text, tokens
        The text and its tokens (:func:`route.tokens.tokenise`).
    raw
        The names recognised in it.
    named
        The countries the text names by demonyms and abbreviations.
    fixed
        The candidate the text itself gives a name ("Paris, Texas"), by its position
        in ``raw``: taken as it is.
    embedded
        First tokens of names inside the names of other things: kind ``embedded``.

    Returns
    -------
    list[Found]
        A mention for each name but those too weak in context. The same name is
        resolved once, in one context.
    """
    evidence = _evidence(text, tokens, raw, named)
    on_a_path = {id(cands) for a, b, cands in raw if _on_a_path(text, tokens, a, b)}
    # put where one goes or stays, not only where something comes "from" ("a letter from
    # Obama", "phones from Nokia")
    reached = {
        id(cands)
        for a, b, cands in raw
        if id(cands) in on_a_path and word_before(text, tokens, a) not in ("from", "of")
    }
    chosen: dict[int, tuple[Any | None, float]] = {}  # the same name, the same context
    out: list[Found] = []
    for k, (a, b, cands) in enumerate(raw):
        first, last = tokens[a], tokens[b]
        surface = text[first.start : last.end]
        kind: Kind = "embedded" if a in embedded else "place"
        if k in fixed:
            out.append(Found(first.start, last.end, surface, kind, fixed[k], len(cands), 1.0))
            continue
        own = id(cands)
        if own not in chosen:
            chosen[own] = _choose(
                cands,
                evidence.context(own),
                strict=a == b,
                name=surface,
                placed=own in on_a_path,
                reached=own in reached,
            )
        best, confidence = chosen[own]
        if best is None:
            continue
        out.append(Found(first.start, last.end, surface, kind, best, len(cands), confidence))
    return out


def _on_a_path(text: str, tokens: list[Token], a: int, b: int) -> bool:
    """Whether the name of tokens ``a`` to ``b`` follows a word of place or path, a verb
    whose object is where a journey leaves or ends ("left Coolgardie", "reached Nome"),
    "out of", or a noun of place and "of" ("the city of Golmud"), and is no label before
    a number ("to Section 60", "at Gate 5")."""
    word = word_before(text, tokens, a)
    if not word or re.match(r"\s*(?:No\.?\s*)?\d", text[tokens[b].end : tokens[b].end + 8]):
        return False
    if word == "of":
        before = word_before(text, tokens, a - 1)
        return before == "out" or before in PLACE_NOUNS  # "pulled out of Golmud"
    return word in path_words()


_LIST_GAP = re.compile(r"\s*(?:,|,? and|,? or|&)\s*")


def _listed_with_regions(text: str, tokens: list[Token], raw: list[Named]) -> dict[int, set[str]]:
    """For each name, the countries of the regions it is listed with ("Texas, Georgia
    and Ohio" → Georgia is listed with US states). Keys are ``id(candidates)``."""
    ordered = sorted(raw, key=lambda m: m[0])
    out: dict[int, set[str]] = {}
    for (_, b1, c1), (a2, _, c2) in itertools.pairwise(ordered):
        if not _LIST_GAP.fullmatch(text, tokens[b1].end, tokens[a2].start):
            continue
        if c2[0].feature == "ADM1":
            out.setdefault(id(c1), set()).add(c2[0].country)
        if c1[0].feature == "ADM1":
            out.setdefault(id(c2), set()).add(c1[0].country)
    return out


def _own_score(cand: Any, name: str) -> float:
    """The candidate's score as if ``name`` were its own name when ``name`` is the leading
    words of it: the short form is as much the town's own ("Frankfurt" of Frankfurt am
    Main) when deciding whether it is a large town by itself."""
    from .gazetteer import PRIMARY_NAME_BONUS

    short = cand.matched == "alternate" and fold(cand.name).startswith(fold(name) + " ")
    return float(cand.score) + (PRIMARY_NAME_BONUS if short and name else 0.0)


#: How much farther on a sphere than the nearest anchor the nearest on the ellipsoid can
#: be. The geodesic per radian of angle between two points lies between the ellipsoid's
#: least and greatest radii of curvature (6,335 and 6,400 km: 1% apart); taken as 4%.
_SPHERE_SLACK = 1.02**2
#: A radius no geodesic's km per radian of central angle falls below (the least radius of
#: curvature, 6,335 km, less a margin).
_LEAST_RADIUS_KM = 6300.0


class Anchors:
    """A text's anchors (its unambiguous towns) as columns, for distances to many at once.

    :meth:`nearest_km` is ``min(geodesic_km(place, anchor) for anchor in others)`` in
    one call of :mod:`pyproj` over arrays (the same geodesic, point by point), not one
    call per anchor: a big text has hundreds of anchors and thousands of candidates.
    """

    def __init__(self, anchors: list[Any]) -> None:
        self.anchors = anchors
        if anchors:
            import numpy as np

            self.ids = np.array([a.geonameid for a in anchors], dtype=np.int64)
            self.lats = np.array([a.lat for a in anchors], dtype=np.float64)
            self.lons = np.array([a.lon for a in anchors], dtype=np.float64)
            self.valid = bool(
                np.isfinite(self.lats).all()
                and np.isfinite(self.lons).all()
                and (np.abs(self.lats) <= 90).all()
                and (np.abs(self.lons) <= 180).all()
            )
            self.rad_lats, self.rad_lons = np.radians(self.lats), np.radians(self.lons)
            self.cos_lats = np.cos(self.rad_lats)

    def nearest_km(self, place: Any) -> float | None:
        """Geodesic km from ``place`` to the nearest anchor that is not itself (``None``
        when there is none)."""
        if not self.anchors:
            return None
        from .distance import _geod, geodesic_km

        others = self.ids != place.geonameid
        count = int(others.sum())
        if not count:
            return None
        if not self._on_arrays(place):
            rest = [a for a in self.anchors if a.geonameid != place.geonameid]
            return min(geodesic_km((place.lat, place.lon), (a.lat, a.lon)) for a in rest)
        import numpy as np

        # Only the anchors that may be the nearest on the ellipsoid: those within the
        # nearest one's angle on a sphere, widened well past the two's difference (a
        # few parts per thousand).
        angles = self._angles(place)
        near = others & (angles <= angles[others].min() * _SPHERE_SLACK + 1e-9)
        count = int(near.sum())
        _, _, metres = _geod().inv(
            np.full(count, place.lon), np.full(count, place.lat), self.lons[near], self.lats[near]
        )
        return float(metres.min()) / 1000.0

    def within_km(self, place: Any, km: float) -> list[bool]:
        """Whether each anchor lies within ``km`` of ``place`` (geodesic), in one call of
        :mod:`pyproj` over the anchors a sphere says may (the same test, point by point)."""
        from .distance import _geod, geodesic_km

        if not self.anchors:
            return []
        here = (place.lat, place.lon)
        if not self._on_arrays(place):
            return [geodesic_km(here, (a.lat, a.lon)) <= km for a in self.anchors]
        import numpy as np

        # no geodesic is shorter than its central angle on the least radius of curvature
        # (6,335 km), taken a little smaller still
        maybe = self._angles(place) * _LEAST_RADIUS_KM <= km
        count = int(maybe.sum())
        out = np.zeros(len(self.anchors), dtype=bool)
        if count:
            _, _, metres = _geod().inv(
                np.full(count, place.lon),
                np.full(count, place.lat),
                self.lons[maybe],
                self.lats[maybe],
            )
            out[maybe] = metres / 1000.0 <= km
        return [bool(x) for x in out]

    def _on_arrays(self, place: Any) -> bool:
        """Whether the arrays may measure from ``place``: every anchor's point and this one
        valid; else :func:`~route.distance.geodesic_km` measures, one by one, and raises
        its own error."""
        return bool(
            self.valid
            and math.isfinite(place.lat)
            and math.isfinite(place.lon)
            and abs(place.lat) <= 90
            and abs(place.lon) <= 180
        )

    def _angles(self, place: Any) -> Any:
        """Central angles (radians, on a sphere) from ``place`` to every anchor."""
        import numpy as np

        lat, lon = math.radians(place.lat), math.radians(place.lon)
        half = np.sin((self.rad_lats - lat) / 2) ** 2 + math.cos(lat) * self.cos_lats * (
            np.sin((self.rad_lons - lon) / 2) ** 2
        )
        return 2 * np.arcsin(np.sqrt(np.clip(half, 0.0, 1.0)))


def _its_namesake(town: Any, division: Any) -> bool:
    """Whether a division and a town of it both bear the name as their own: the division
    is named after the town ("Obock", "Tadjourah", "Galle"), and the name alone means the
    town, however small, as it does for "Moscow"."""
    return bool(town.matched == division.matched == "name")


def _choose(
    cands: list[Any],
    context: Context,
    *,
    strict: bool = True,
    name: str = "",
    placed: bool = False,
    reached: bool = False,
) -> tuple[Any | None, float]:
    """The best candidate in context and its confidence; ``None`` if too weak.

    Candidates in the countries and regions the rest of the text names win, so
    do towns near its other towns; then the gazetteer's prior (population,
    feature). ``strict`` (one-word names) drops a best candidate scoring under
    :data:`MIN_SCORE`; a multi-word name matched whole is trusted; so is a name of one
    sense that the text puts on a path (``placed``: "from Fremantle") in its country, and
    one put where the way goes or stays (``reached``: "landing in Larnaca") that is a town
    of :data:`PLACED_TOWN_POPULATION` people anywhere.
    """
    contested = len({c.feature in COUNTRY_LEVEL for c in cands[:25]}) > 1
    scored = []
    nearest_km = Anchors(context.anchors).nearest_km
    for cand in cands[:25]:
        score = cand.score
        penalty = 0.0
        if cand.feature in COUNTRY_LEVEL and not contested:
            scored.append((score, cand))
            continue
        if cand.country in context.countries:
            score += COUNTRY_BONUS
        elif context.named:
            penalty += FOREIGN_PENALTY  # the text is about other countries
        # In a region the text names ("Austin ... Texas", "Atlanta ... Georgia"), or a
        # region listed beside others of its country ("Texas, Georgia and Ohio").
        if cand.feature not in COUNTRY_LEVEL and (
            (cand.country, cand.admin1) in context.regions
            or (cand.feature == "ADM1" and cand.country in context.listed_with)
        ):
            score += REGION_BONUS
        nearest = nearest_km(cand) if cand.feature not in COUNTRY_LEVEL else None
        if nearest is not None:
            penalty += distance_penalty(nearest)
        # Far from the story is evidence against, not a veto: "observers in Washington".
        scored.append((score - min(penalty, MAX_PENALTY), cand))
    scored.sort(key=lambda sc: -sc[0])
    best_score, best = scored[0]
    if best.feature in COUNTRY_LEVEL and best.country not in context.countries:
        region = next(
            (
                (s, c)
                for s, c in scored
                if c.feature == "ADM1"
                and c.country in context.countries
                and (c.country, c.admin1) in context.regions
            ),
            None,
        )
        if region is not None:  # "to Georgia for a rally in Atlanta": the state, not the
            best_score, best = region  # country, where the text names a town of the state
    cand_score_alone = best.score + COUNTRY_BONUS  # its own score in its country, unpenalised
    if best.feature in DIVISIONS:
        # A region and a town of it share the name ("New York", "Moscow"): the town,
        # unless the text says "state" (see _qualified_region).
        town = next(
            (
                (s, c)
                for s, c in scored
                if c.feature not in AREA_LEVEL
                and (c.country, c.admin1) == (best.country, best.admin1)
                and (c.population >= TOWN_OVER_REGION or _its_namesake(c, best))
                and c.matched == "name"  # "Moscow"; "New York" (City), see the gazetteer
            ),
            None,
        )
        if town is not None:  # as strong as the name stands for the division
            best_score, best = max(town[0], best_score), town[1]
    # a name with one sense, put as a place ("a long run from Fremantle") in a country the
    # text names, is not dropped for being far from the text's other towns (Sydney): a
    # journey's places may lie far apart, and there is no nearer sense to prefer; nor is
    # one put where the way goes or stays that is a town of some size wherever it lies
    # ("landing in Larnaca, Bahrain and Dubai" in a text that never names Cyprus)
    alone = (
        placed
        and len(cands) == 1
        and (
            best.country in context.countries
            or (reached and best.population >= PLACED_TOWN_POPULATION)
        )
    )
    weak = (
        (cand_score_alone if alone else best_score) < MIN_SCORE
        and _own_score(best, name) < LARGE_TOWN_SCORE
        and best.population < LARGE_TOWN_POPULATION  # "Seville": Sevilla's English name
    )
    # a longer name is trusted, unless it is a village in a country the text does not
    # name, while it names others ("Monkey Hill" of Saint Kitts in a text about India)
    unnamed = (
        bool(context.named)
        and best.country not in context.countries
        and str(best.feature).startswith("PPL")
    )
    if (strict or unnamed) and best.feature not in COUNTRY_LEVEL and weak:
        # Weak after context, and no large town by itself (Malakal, 160,000 people, far
        # from the rest of a text about Sudan, stays).
        return None, 0.0
    total = sum(10 ** (s - best_score) for s, _ in scored)
    return best, round(min(1.0, 1.0 / total), 3)
