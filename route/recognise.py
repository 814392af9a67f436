"""Recognise place names in a text's runs of capitalised words.

A run ("Kim Jong Un", "Dong Dang", "Bank of England") is matched against the
gazetteer, longest name first. A run is a place only when one name covers all of it;
otherwise its words are remembered as another name's ("Kim" alone later is not Kim in
India, unless the text puts it as a place: "in Kim"), and a place heading the name of
an organisation ("Kansas State University", "Denver City Council") is ``embedded``.
Month and weekday names and common words that are also towns ("Summit", "Central")
are never places on their own. Each pass returns :class:`~route.spans.Named` spans;
:mod:`route.resolve` picks their candidates.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .cues import FACILITY_TOWN_POPULATION, Cues, placed
from .resolve import CLEAR_MARGIN, LARGE_TOWN_SCORE, TOWN_OVER_REGION
from .spans import AREA_LEVEL, COUNTRY_LEVEL, Named, Resolver
from .tokens import (
    Token,
    capital_runs,
    fold,
    linked_after,
    linked_before,
    ngram_keys,
    sentence_initial,
    split_at_connectors,
    word_before,
)
from .words import (
    ABBREVIATED,
    COMPASS,
    FEATURE_HEADS,
    FIELD_WORDS,
    LEADING,
    LOCATIVES,
    MODIFIERS,
    ORDINARY_WORDS,
    ORGANISATIONS,
    PERSON_TITLES,
    PLACE_NOUNS,
    PLACE_PREPOSITIONS,
    POSSESSIVE_HEADS,
    PUBLIC_BODIES,
    REGION_NOUNS,
    STATE_BODIES,
    STATION_WORDS,
    STRUCTURE_WORDS,
    TIME_WORDS,
    TITLES,
    common,
    names_a_date,
    opens_a_log,
    verb_forms,
)

__all__ = [
    "ALTERNATE_ONLY_POPULATION",
    "REGION_INSIDE_SCORE",
    "STRONG_SCORE",
    "Recognised",
    "recognise",
]

#: A country or region named inside a longer name counts from this score on.
REGION_INSIDE_SCORE = 7.0
#: A name whose best candidate scores this much (a city of about a million people, with
#: its own name) is a place even inside other names ("China" of "Air China").
STRONG_SCORE = 7.0
#: A single word that names a place only through one of its alternate names, and a
#: small one (fewer people than this), is a place only where the text puts it as one
#: ("in X"): GeoNames' by-names of small places include ordinary words.
ALTERNATE_ONLY_POPULATION = 10_000


class Recognised(NamedTuple):
    """What :func:`recognise` finds in a text."""

    #: The runs of capitalised words read, after joins and dates (token indices).
    runs: list[list[int]]
    #: The names, in the order found: known whole runs and names inside runs, then the
    #: single words that are places, then a recogniser's entities.
    raw: list[Named]
    #: First tokens of names inside the names of other things (kind ``embedded``).
    embedded: set[int]


def recognise(
    text: str,
    tokens: list[Token],
    resolver: Resolver,
    *,
    used: set[int],
    abbreviated: dict[int, Any],
    entities: Iterable[tuple[int, int]] = (),
) -> Recognised:
    """The place names of a text's runs of capitalised words, and of ``entities``.

    Parameters
    ----------
    text, tokens
        The text and its tokens (:func:`route.tokens.tokenise`).
    resolver
        The gazetteer (see :class:`route.spans.Resolver`).
    used
        Tokens already read (demonyms, abbreviations): in no name.
    abbreviated
        Regions abbreviated, by token ("Jackson, Miss.").
    entities
        Extra candidate spans (a named-entity recogniser's places): each one the
        gazetteer knows, and that no other name overlaps, is a name too.
    """
    runs = _name_runs(text, tokens, used)
    runs, known = _joined(text, tokens, runs, resolver)
    # "departed Alameda Jan. 20": the month is not part of the name (but "Del Mar. 20 …" is)
    runs = [_without_a_date(text, tokens, run, known) for run in runs]
    cues = Cues(text, tokens)
    names = _RunNames(text, tokens, known, cues, set(resolver.demonyms()))
    names.read(runs)
    raw = [
        m
        for m in names.multi + names.inside
        if fold(text[tokens[m[0]].start : tokens[m[1]].end]) not in cues.pathogens
        or m[2][0].feature == "PCLI"
    ]
    raw += names.places_alone(abbreviated)
    raw.extend(_entity_mentions(text, tokens, entities, raw, used, resolver))
    divisions = _listed_divisions(text, tokens, resolver) + _abbreviated_counties(
        text, tokens, resolver
    )
    raw = _with_listed_divisions(raw, divisions)
    return Recognised(runs, raw, names.embedded)


#: Names listed before a plural of a division's noun: "Cameron, Centre, Elk, and Potter
#: counties", "Orange and Seminole counties", "Acadia and Jefferson Davis parishes".
_DIVISION_PLURAL = re.compile(r"(?<![\s,]),?\s+(?P<noun>counties|parishes|boroughs)\b")
_NAMES_BEFORE = re.compile(
    r"(?<![\w'’.-])(?P<names>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?"
    r"(?:(?:,\s+(?:and\s+|&\s+)?|\s+(?:and|&)\s+)[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?)+)$"
)
#: How far before the plural noun such a list may start (a bound on the search).
_LIST_CHARS = 300
_DIVISION_NOUN = {"counties": "County", "parishes": "Parish", "boroughs": "Borough"}


def _listed_divisions(text: str, tokens: list[Token], resolver: Resolver) -> list[Named]:
    """The divisions a list names before their plural noun, each by its own name ("Elk"
    of "Clinton, Elk, and Potter counties" is Elk County), where the gazetteer knows the
    division."""
    lists = [
        (plural, match)
        for plural in _DIVISION_PLURAL.finditer(text)
        if (
            match := _NAMES_BEFORE.search(
                text, max(0, plural.start() - _LIST_CHARS), plural.start()
            )
        )
    ]
    if not lists:
        return []
    by_start, by_end = _token_positions(tokens)
    # each item's list, tokens, own key and its division's key
    items: list[tuple[int, int, int, str, str]] = []
    for group, (plural, match) in enumerate(lists):
        noun = _DIVISION_NOUN[plural["noun"]]
        for item in re.finditer(r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?", match["names"]):
            base = match.start("names") + item.start()
            words = [
                (base + w.start(), base + w.end(), w.group())
                for w in re.finditer(r"\S+", item.group())
            ]
            # the whole item, or its last word after one the sentence capitalised
            # ("In Cameron and Elk counties", "Several Texas and Oklahoma counties")
            for start, name in ((words[0][0], item.group()), (words[-1][0], words[-1][2])):
                first, last = by_start.get(start), by_end.get(words[-1][1])
                if first is not None and last is not None:
                    items.append((group, first, last, fold(name), fold(f"{name} {noun}")))
    if not items:
        return []
    known = resolver.lookup_keys({k for *_, own, key in items for k in (own, key)})

    def an_area(own: str, key: str) -> bool:
        """A country, or a state of the country of the divisions ("Texas" of "Texas and
        Oklahoma counties"; not "Centre" of Centre County, Pennsylvania, for France's
        region). A list of states only is no list of divisions; a state's name among
        counties' is the county's ("Jewell, Washington, Mitchell counties")."""
        countries = {c.country for c in _divisions(known, key)}
        return any(
            c.feature in COUNTRY_LEVEL or (c.feature == "ADM1" and c.country in countries)
            for c in known.get(own, [])
        )

    items = [i for i in items if known.get(i[4])]
    states_only = {  # "Texas and Oklahoma counties": no list of divisions
        group
        for group in {i[0] for i in items}
        if all(an_area(own, key) for g, _, _, own, key in items if g == group)
    }
    taken: set[int] = set()
    kept = []
    for group, first, last, _own, key in items:  # the whole item first, then its last word
        if group in states_only:
            continue
        if not taken & set(range(first, last + 1)):
            taken.update(range(first, last + 1))
            kept.append((first, last, key))
    listed = {key: _divisions(known, key) for _, _, key in kept}
    # a list of divisions is of one state: the one that has the most of them
    states = Counter((c.country, c.admin1) for cands in listed.values() for c in cands)
    ranked = states.most_common(2)
    if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        ranked = []
    out = []
    for first, last, key in kept:
        cands = listed[key]
        if ranked:
            state = ranked[0][0]
            cands = sorted(cands, key=lambda c: (c.country, c.admin1) != state)
        if cands:
            out.append(Named(first, last, cands))
    return out


#: A county by the abbreviation local news writes: "Stephens Co", "Ross Co.".
_ABBREVIATED_COUNTY = re.compile(r"\b(?P<name>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?) (?P<co>Co)\b\.?")


def _abbreviated_counties(text: str, tokens: list[Token], resolver: Resolver) -> list[Named]:
    """Counties named with "Co" or "Co." ("the Comanche (Stephens Co) tornado"), where the
    gazetteer knows the name with "County" (not "Ford Motor Co.")."""
    matches = list(_ABBREVIATED_COUNTY.finditer(text))
    if not matches:
        return []
    by_start, by_end = _token_positions(tokens)
    spans = []
    for match in matches:
        first, last = by_start.get(match.start("name")), by_end.get(match.end("co"))
        if first is not None and last is not None:
            spans.append((first, last, fold(f"{match['name']} County")))
    known = resolver.lookup_keys({key for _, _, key in spans})
    return [
        Named(first, last, cands) for first, last, key in spans if (cands := _divisions(known, key))
    ]


def _token_positions(tokens: list[Token]) -> tuple[dict[int, int], dict[int, int]]:
    """Each token's index by its start, and by its end, in the text."""
    return {t.start: i for i, t in enumerate(tokens)}, {t.end: i for i, t in enumerate(tokens)}


def _divisions(known: Mapping[str, list[Any]], key: str) -> list[Any]:
    """The second-level divisions among the candidates for ``key``."""
    return [c for c in known.get(key, []) if c.feature == "ADM2"]


def _with_listed_divisions(raw: list[Named], divisions: list[Named]) -> list[Named]:
    """``raw`` with the listed divisions in place of the names read over their words."""
    if not divisions:
        return raw
    taken = {i for d in divisions for i in range(d.first, d.last + 1)}
    kept = [n for n in raw if not any(i in taken for i in range(n.first, n.last + 1))]
    return kept + divisions


#: Prepositions of place and path before a name ("in", "at", "beyond", "past", "near").
_BEFORE_A_PLACE = (
    PLACE_PREPOSITIONS | LOCATIVES | frozenset({"beyond", "past", "toward", "towards"})
)


def _name_runs(text: str, tokens: list[Token], used: set[int]) -> list[list[int]]:
    """The runs of capitalised words that may be names, without the tokens in ``used``,
    leading function words and trailing days."""
    runs = []
    for run in capital_runs(text, tokens):
        run = [i for i in run if i not in used]
        # Leading function words ("The", "In") are not part of a name, unless they are
        # ("The Hague"): keep them only when the whole run is then a name.
        # the word before the run, when it is a preposition of place or path ("beyond
        # Epernay I followed")
        placed_before = bool(run) and word_before(text, tokens, run[0]) in _BEFORE_A_PLACE
        while len(run) > 1 and tokens[run[0]].word.lower() in LEADING:
            placed_before = tokens[run[0]].word.lower() in PLACE_PREPOSITIONS
            run = run[1:]
        if placed_before and len(run) > 1 and tokens[run[-1]].word == "I":
            run = run[:-1]  # "At Clunes I parted with my companions": the pronoun
        if len(run) == 1 and tokens[run[0]].word.lower() in LEADING:
            continue  # "We", "The" at the start of a sentence
        # "the United Kingdom Sunday", "Turkey on Monday": the day is not part of the name.
        while len(run) > 1 and (
            _a_date_after(text, tokens[run[-1]]) or not tokens[run[-1]].capital
        ):
            run = run[:-1]
        if run and tokens[run[0]].capital:
            runs.append(run)
    return runs


#: The months' names: a date only before its day or year ("Paris March 3", not "the Salt
#: March", "Theresa May").
_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)


def _a_date_after(text: str, tok: Token) -> bool:
    """Whether a run's last word is a day ("the United Kingdom Sunday") or a month with
    its day or year after it ("in Paris March 3"), not a name's word."""
    key = fold(tok.word)
    if key not in TIME_WORDS:
        return False
    return key not in _MONTHS or re.match(r"\s*\d", text[tok.end : tok.end + 4]) is not None


#: Between two names that may be one: "and", perhaps "the" ("Bosnia and Herzegovina",
#: "Saint Vincent and the Grenadines").
_AND_NAME = re.compile(r" and (?:the )?")


def _joined(
    text: str, tokens: list[Token], runs: list[list[int]], resolver: Resolver
) -> tuple[list[list[int]], dict[str, list[Any]]]:
    """The runs, joined where a name goes on through a possessive or a hyphen, and the
    gazetteer's candidates for every key of them.

    A possessive ends a name ("Kim's train") unless a name goes on through it
    ("People's Republic of China", "Queen Anne's County"); so does a hyphen
    ("Nîmes-Toulouse"), unless the names joined are one ("Winston-Salem"); and "and"
    parts two names unless they are one ("Trinidad and Tobago").
    """
    keys: set[str] = set()
    for run in runs:
        keys |= ngram_keys(text, tokens, run)
    joins = [
        (k, run + runs[k + 1])
        for k, run in enumerate(runs[:-1])
        if runs[k + 1][0] == run[-1] + 1
        and (
            tokens[run[-1] + 1].part
            or text[tokens[run[-1]].end : tokens[run[-1] + 1].start] in ("'s ", "’s ")
        )
    ]
    owned = {  # "Fowler's Bay", "Hunter's Point": one name, whether the gazetteer knows it
        k
        for k, joined in joins
        if len(runs[k + 1]) == 1
        and tokens[runs[k + 1][0]].word.lower() in POSSESSIVE_HEADS
        and not tokens[runs[k + 1][0]].part
    }
    anded = [  # "Trinidad and Tobago", "Saint Vincent and the Grenadines": one name
        (k, [*run, *range(run[-1] + 1, runs[k + 1][0]), *runs[k + 1]])
        for k, run in enumerate(runs[:-1])
        if _AND_NAME.fullmatch(text, tokens[run[-1]].end, tokens[runs[k + 1][0]].start)
    ]
    joins = sorted(joins + anded)
    crossing = {k: ngram_keys(text, tokens, joined) - keys for k, joined in joins}
    owning = _possessive_names(text, tokens, runs)
    known = resolver.lookup_keys(keys.union(*crossing.values(), owning.values()))
    for plain, whole in owning.items():
        cands = known.get(whole)
        if cands and (
            cands[0].population >= FACILITY_TOWN_POPULATION or cands[0].feature == "PPLC"
        ):
            known[plain] = cands  # "St. John's", "St Helen's": the name as written
    by_and = {k for k, _ in anded}
    for k, joined in reversed(joins):
        if k in by_and and _two_places(text, tokens, runs[k], runs[k + 1], known):
            continue  # "Australia and New Zealand": two countries (and a UN region)
        if (
            k in owned
            or any(key in known for key in crossing[k])
            or (
                tokens[runs[k + 1][0]].part
                and not _both_names(text, tokens, runs[k], runs[k + 1], known)
            )
        ):
            runs[k : k + 2] = [joined]  # "Vest-Agder", "Jean-Pierre": one name, as written
    return runs, known


def _possessive_names(text: str, tokens: list[Token], runs: list[list[int]]) -> dict[str, str]:
    """The names of two or more words that end a run in a possessive "'s" with no name
    after it ("to St. John's and", "St Helen's,"; not "St Paul's Cathedral"): each name's
    key without the "'s", and the key of the whole as written."""
    out = {}
    for run in runs:
        last = tokens[run[-1]]
        if text[last.end : last.end + 2] not in ("'s", "’s"):
            continue
        if re.match(r"\s+[A-Z]", text[last.end + 2 : last.end + 4]):
            continue  # "St Paul's Cathedral": a possessive, the name goes on
        for i in range(max(0, len(run) - 6), len(run) - 1):
            first = tokens[run[i]]
            if first.capital:
                key = fold(text[first.start : last.end])
                out[key] = fold(text[first.start : last.end + 2])
    return out


def _two_places(
    text: str, tokens: list[Token], a: list[int], b: list[int], known: dict[str, list[Any]]
) -> bool:
    """Whether runs ``a`` and ``b``, joined by "and", are two places, not one name: two
    countries ("Australia and New Zealand", also a UN region), two towns whose names a
    district joins ("Derry and Strabane", "Windsor and Maidenhead"), or the two ends of
    a way ("between Antigua and Barbuda")."""

    def best(run: list[int]) -> str:
        found = known.get(fold(text[tokens[run[0]].start : tokens[run[-1]].end]), [])
        return str(found[0].feature) if found else ""

    if text[max(0, tokens[a[0]].start - 8) : tokens[a[0]].start].lower().endswith("between "):
        return True
    first, second = best(a), best(b)
    if first == second == "PCLI":
        return True
    whole = known.get(fold(text[tokens[a[0]].start : tokens[b[-1]].end]), [])
    district = bool(whole) and str(whole[0].feature) == "ADM2"
    return district and first.startswith("PPL") and second.startswith("PPL")


@dataclass
class _RunNames:
    """The names read from a text's runs, and what reading them says about its words."""

    text: str
    tokens: list[Token]
    known: dict[str, list[Any]]
    cues: Cues
    demonym_words: set[str]
    singles: list[tuple[int, list[Any]]] = field(default_factory=list)  # (token, candidates)
    multi: list[Named] = field(default_factory=list)
    inside: list[Named] = field(default_factory=list)
    #: Words of other names: people's, unless put as places.
    names_in_runs: set[str] = field(default_factory=set)
    #: First tokens of pieces after "of" ("School of Law").
    after_of: set[int] = field(default_factory=set)
    #: Last tokens of pieces before "of" ("Tour" of "Tour de France").
    before_of: set[int] = field(default_factory=set)
    #: ... after an organisation's head ("Bank of England").
    organisations: set[int] = field(default_factory=set)
    #: First tokens of names inside other names (a party tag's place from the start).
    embedded: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.embedded = {i for i, tok in enumerate(self.tokens) if tok.tag}

    def read(self, runs: list[list[int]]) -> None:
        """Read ``runs`` (and the pieces they are cut into) into names."""
        pending = deque(runs)
        while pending:
            run = pending.popleft()
            matches = _match_run(self.text, self.tokens, run, self.known)
            if self._a_part_of(run, matches):
                continue
            covers = len(matches) == 1 and matches[0] == (0, len(run) - 1)
            parts = self._parts(run, matches, covers)
            if parts is not None:
                pending.extendleft(reversed(parts))
            elif covers:
                self._whole(run)
            else:
                self._partly_known(run, matches)

    def _a_part_of(self, run: list[int], matches: list[tuple[int, int]]) -> bool:
        """A word of direction and then a place the gazetteer knows whole ("North Texas",
        "Southern Oregon", "North London"), the two no name of their own: the place, its
        span the whole (a part of it the text names as a place)."""
        tokens = self.tokens
        rest = (1, len(run) - 1)
        if len(run) < 2 or matches not in ([rest], [(0, 0), rest]):  # "North" is a town too
            return False
        if tokens[run[0]].word.lower() not in COMPASS or not tokens[run[0]].word[:1].isupper():
            return False
        if run[0] in self.after_of:
            return False  # "University of North Texas": the organisation's own words
        first, last = tokens[run[1]], tokens[run[-1]]
        if first.word.lower() in COMPASS:
            return False  # "North Eastern Province"
        cands = self.known[fold(self.text[first.start : last.end])]
        areas = [c for c in cands if str(c.feature).startswith(("PCL", "ADM", "CONT"))]
        if areas:
            cands = areas  # "Western New York", "Northern Quebec": the region, not its city
        elif not (
            str(cands[0].feature).startswith("PPL") and cands[0].population >= TOWN_OVER_REGION
        ):
            return False  # "North London", "North Dallas"; not "the Western Pacific" (a town)
        if cands[0].matched != "name":
            return False  # "West Midlands" is not Midlands Province
        self.multi.append(Named(run[0], run[-1], cands))
        return True

    def _parts(
        self, run: list[int], matches: list[tuple[int, int]], covers: bool
    ) -> list[list[int]] | None:
        """The pieces to read instead of ``run``, in order; ``None`` to read it as it is."""
        text, tokens, known = self.text, self.tokens, self.known
        if (
            len(run) > 1
            and matches == [(1, len(run) - 1)]
            and fold(tokens[run[0]].word) in self.demonym_words
        ):
            return [run[1:]]  # "British Hong Kong", "French Indochina": the place
        if _qualifier_then_name(text, tokens, run, matches, known):
            # "Cape Town, South Africa Auckland, New Zealand" (a table's columns run
            # together): the country qualifies the town before it; the next name is its own
            cut = matches[0][1] + 1
            return [run[:cut], run[cut:]]
        if covers:
            return None
        if (
            len(run) > 1
            and matches[:1] == [(0, len(run) - 2)]
            and re.fullmatch(r"[A-Z]{2,4}", tokens[run[-1]].word)
            and tokens[run[-1]].word.lower() not in ORGANISATIONS  # "Riverview LLP": a firm
        ):
            return [run[:-1]]  # "Mettupalayam MTP", "Austin TX": a name, then its code
        if len(run) > 1 and self._ordinary_start(run):
            rest = run[1:]
            if len(rest) > 1 and tokens[rest[-1]].word == "I":
                rest = rest[:-1]  # "Leaving Constantinople I took the boat": the pronoun
            rest_matches = _match_run(text, tokens, rest, known)
            if rest_matches == [(0, len(rest) - 1)]:  # "One Edmonton resident": not "One"
                return [rest]
            if (
                rest_matches
                and rest_matches[0][0] == 0
                and self.tokens[run[0]].word.lower() in FIELD_WORDS
            ):
                return [rest]  # "Start Ankara Central Station": a field's key, then its value
        pieces = split_at_connectors(tokens, run)
        if len(pieces) > 1:  # "Pyongyang on Sunday": judge "Pyongyang" and "Sunday" alone
            self._note_connections(pieces)
            return _without_features(tokens, pieces)
        return None

    def _ordinary_start(self, run: list[int]) -> bool:
        """Whether the run starts with an ordinary word capitalised by the sentence."""
        first = self.tokens[run[0]]
        low = first.word.lower()
        return (
            low in self.cues.lowercase_words
            or low.endswith(("ing", "ly"))  # "Neighbouring"
            or low in FIELD_WORDS  # "Start Adelaide"
            or opens_a_log(low)  # a log's "Reached Helena 11:50", "Left Butte"
        ) and sentence_initial(self.text, first)

    def _note_connections(self, pieces: list[list[int]]) -> None:
        """Remember the pieces of a run that "of" or a word for it joins ("de", Gaelic
        "na": "Bealach na Bà")."""
        tokens = self.tokens
        self.after_of.update(p[0] for p in pieces[1:] if tokens[p[0] - 1].word.lower() in _OF)
        self.before_of.update(p[-1] for p in pieces[:-1] if tokens[p[-1] + 1].word.lower() in _OF)
        # "Bank of England", "Voice of America": an organisation, not the place.
        self.organisations.update(
            q[0]
            for p, q in itertools.pairwise(pieces)
            if tokens[q[0] - 1].word.lower() == "of" and tokens[p[-1]].word.lower() in ORGANISATIONS
        )

    def _whole(self, run: list[int]) -> None:
        """A run the gazetteer knows whole."""
        tokens = self.tokens
        first, last = tokens[run[0]], tokens[run[-1]]
        cands = self.known[fold(self.text[first.start : last.end])]
        if run[0] in self.organisations:
            self.embedded.add(run[0])  # "University of New Mexico"
        if len(run) == 1:
            self.singles.append((run[0], cands))
        elif (
            _strong(cands[0])
            or not all(common(fold(tokens[i].word)) for i in run)
            or (  # "from Long Beach, California"; not "to Long Island" (Long Island City)
                self._after_a_place_preposition(run[0]) and cands[0].matched == "name"
            )
        ):
            self.multi.append(Named(run[0], run[-1], cands))
        # else: "the White House", "Red Cross": ordinary words, not a town of that name

    def _after_a_place_preposition(self, i: int) -> bool:
        """Whether token ``i`` follows a preposition of place or path right before it ("from
        Long Beach"; not "to the White House")."""
        return word_before(self.text, self.tokens, i) in PLACE_PREPOSITIONS

    def _partly_known(self, run: list[int], matches: list[tuple[int, int]]) -> None:
        """A name that is not a place: its words, and the places inside it."""
        if self._a_linked_town_and_its_area(run, matches):
            return
        self._remember_words(run)
        for lo, hi in matches:
            self._inside(run, lo, hi)

    def _a_linked_town_and_its_area(self, run: list[int], matches: list[tuple[int, int]]) -> bool:
        """A town and then its country or region with no comma, as a link of a route
        chain ("Dakar - Casablanca Morocco - Seville"): two places, both read. (Elsewhere
        the two may be one name of an age: "Weimar Germany", "Vichy France".)"""
        if (
            len(matches) != 2
            or matches[0][0] != 0
            or matches[1] != (matches[0][1] + 1, len(run) - 1)
        ):
            return False
        first, last = self.tokens[run[0]], self.tokens[run[-1]]
        if not (linked_before(self.text, first.start) or linked_after(self.text, last.end)):
            return False
        pieces = [run[lo : hi + 1] for lo, hi in matches]
        town, area = (
            self.known[fold(self.text[self.tokens[p[0]].start : self.tokens[p[-1]].end])]
            for p in pieces
        )
        if not str(area[0].feature).startswith(("PCL", "ADM1")):
            return False
        if not any(str(c.feature).startswith("PPL") and c.country == area[0].country for c in town):
            return False
        for piece, cands in zip(pieces, (town, area), strict=True):
            self._a_town_of(piece, 0, len(piece) - 1, cands)
        return True

    def _remember_words(self, run: list[int]) -> None:
        """Remember the words of a name that is not a place ("Kim" of "Kim Jong Un"), but
        not a country's or a large city's ("China" of "Air China"); elsewhere they are
        places only where the text puts them as places ("in Kim").

        An organisation's name ("Buffalo Public Schools", "CDC Atlanta") says nothing
        about its words. A station's, a site's or a built work's name ("Dombås Tunnel",
        "Rauma Line") is named after its place, not a person; its words stay places
        elsewhere.
        """
        tokens = self.tokens
        head_word = tokens[run[-1]].word.lower()
        station = any(tokens[i].word.lower() in STATION_WORDS for i in run[1:]) or (
            head_word in PLACE_NOUNS or head_word in STRUCTURE_WORDS
        )
        if (
            len(run) <= 3
            and not station
            and not any(_organisation_word(tokens[i].word) for i in run)
        ):
            for i in run:
                cands = self.known.get(fold(tokens[i].word))
                if tokens[i].capital and not (cands and _strong(cands[0])):
                    self.names_in_runs.add(tokens[i].word)

    def _inside(self, run: list[int], lo: int, hi: int) -> None:
        """A place ``run[lo : hi + 1]`` inside a longer name.

        A place before a title is still that place ("Texas Senator Ted Cruz", "Ontario
        Premier Doug Ford"). A place heading the name of its public body ("California
        Department of Public Health", "Seoul City Hall") or of another organisation
        ("Kansas State University", "Springfield Rotary Club") is embedded in that name;
        before other words it names nothing ("Texas A&M", "Paris Hilton").
        """
        tokens = self.tokens
        first, last = tokens[run[lo]], tokens[run[hi]]
        cands = self.known[fold(self.text[first.start : last.end])]
        after = " ".join(t.word.lower() for t in (tokens[i] for i in run[hi + 1 : hi + 3]))
        head = after.partition(" ")[0]
        area = cands[0].feature in AREA_LEVEL
        second = after.partition(" ")[2]
        # "Texas Senator", "Quebec Health Minister" (not "Queensland Police": a body)
        titled = (head in TITLES and head not in PUBLIC_BODIES) or (
            head in MODIFIERS and second in TITLES and second not in PUBLIC_BODIES
        )
        if titled:
            if cands[0].score >= REGION_INSIDE_SCORE or cands[0].feature == "ADM2":
                # "Texas Senator", "Chippewa County Attorney"
                self.inside.append(Named(run[lo], run[hi], cands))
        elif cands[0].feature not in AREA_LEVEL and (
            (lo == 0 and _facility_of_town([tokens[i].word.lower() for i in run[hi + 1 :]], cands))
            or (lo > 0 and hi == len(run) - 1 and tokens[run[lo - 1]].word.lower() in STATION_WORDS)
        ):
            # "Milano Centrale", "Paris Gare de Lyon", "Altus Air Force Base": a
            # station, port or airport gives its town; so does an installation
            # named by its kind and then its town ("Naval Station Norfolk")
            self._a_town_of(run, lo, hi, cands)
        elif lo == 0 and self._gone_to_a_big_towns_station(run, hi, cands):
            # "flew into Chicago O'Hare", "left London St Pancras": a big town's station
            # or airport by its own name, where a journey goes from or to
            self._a_town_of(run, lo, hi, cands)
        elif (
            lo == 0
            and (
                head in PUBLIC_BODIES
                or _state_body(after)
                or any(_organisation_head(tokens[i].word) for i in run[hi + 1 :])
            )
            and not all(common(fold(tokens[i].word)) for i in run[lo : hi + 1])
            and (area or cands[0].score >= LARGE_TOWN_SCORE)
        ):
            self.inside.append(Named(run[lo], run[hi], cands))
            self.embedded.add(run[lo])

    def _a_town_of(self, run: list[int], lo: int, hi: int, cands: list[Any]) -> None:
        """``run[lo : hi + 1]``, inside a facility's name, is the facility's town."""
        if hi > lo:
            self.multi.append(Named(run[lo], run[hi], cands))
        else:
            self.singles.append((run[lo], cands))

    def _gone_to_a_big_towns_station(self, run: list[int], hi: int, cands: list[Any]) -> bool:
        """Whether a run that opens with a big town's name and goes on with one or two
        other words ("Chicago O'Hare", "London St Pancras") stands where a journey goes
        from or to ("flew into", "left", "arrived at"): a station or airport of the town,
        not a person or a firm of its name ("Paris Hilton", "London Stock Exchange")."""
        tokens, rest = self.tokens, run[hi + 1 :]
        # the town of the name, past a region of it ("New York JFK": the city, not the state)
        town = next((c for c in cands if str(c.feature).startswith("PPL")), None)
        if town is None or not 1 <= len(rest) <= 2 or town.population < BIG_TOWN_POPULATION:
            return False
        if town.matched != "name":
            return False  # "Franklin Elementary": Columbus's old name, not a station's town
        if any(
            _organisation_word(tokens[i].word) and tokens[i].word.lower() not in STATION_WORDS
            for i in rest
        ):
            return False  # "London Stock Exchange"; not "New York Penn Station"
        first = tokens[run[0]]
        before = self.text[max(0, first.start - 20) : first.start].split()
        return bool(before) and before[-1].lower() in _GONE_FROM_OR_TO

    def places_alone(self, abbreviated: dict[int, Any]) -> list[Named]:
        """The single words read that are places where they stand.

        Parameters
        ----------
        abbreviated
            Regions abbreviated, by token ("Jackson, Miss.").
        """
        uncoded: dict[str, list[Any]] = {}  # candidates without codes, by name
        out = []
        for i, cands in self.singles:
            tok = self.tokens[i]
            key = fold(tok.word)
            if not tok.word.isupper() and any(c.matched == "code" for c in cands):
                # "Sea", not Seattle's "SEA"; one list per name (lists are told apart by id)
                cands = uncoded.setdefault(key, [c for c in cands if c.matched != "code"])
                if not cands:
                    continue
            by_area = _before_area(self.text, self.tokens, i, self.known, abbreviated)
            if self._a_word(i, cands, by_area):
                continue
            if i in self.before_of and not _a_strong_town_or_country(cands):
                continue  # "a visit to Porto da Praia": the port of Praia, not Porto
            if not (placed(self.text, self.tokens, i) or by_area) and self._named_otherwise(
                i, cands
            ):
                continue
            out.append(Named(i, i, cands))
        return out

    def _a_word(self, i: int, cands: list[Any], by_area: bool) -> bool:
        """Whether the single word ``i`` is a word here, not a place, wherever the text
        puts it. ``by_area``: a region or country follows it ("Independence, Missouri")."""
        text, tok = self.text, self.tokens[i]
        key = fold(tok.word)
        return (
            (key in self.cues.pathogens and cands[0].feature != "PCLI")
            # "Summit", "Secretary" (of State): words; not "Independence, Missouri"
            or ((common(key) or key in TITLES) and not by_area and not self._a_place_nouns(i))
            # "… (Rainbow Bridge) Airport", "the Station": a facility's word, not the
            # village of Airport, Hawaii
            or (key in STATION_WORDS and not self._in_its_area(i, cands))
            # "Al-Ahram", "El-Alamein": the Arabic article of a longer name, not Ål
            or (key in ("al", "el") and text.startswith("-", tok.end))
            or key in ORGANISATIONS  # "Bank" of "Bank of England"
            # "Nice work", "Reading the report": capitalised by the sentence
            or (key in ORDINARY_WORDS and sentence_initial(text, tok))
            # "School of Law", "Church of St Paul": part of a name; not "the Port of
            # Nouadhibou", "the Metropolitan Region of Vitória" (a place's own noun)
            or (
                i in self.after_of
                and i not in self.organisations
                and not _strong(cands[0])
                and not self._of_a_place_noun(i)
            )
            # "Joint Institute for Marine and Atmospheric Research": the body's own words
            or (self._after_a_bodys_for(i) and not _strong(cands[0]))
            # "Can you imagine": the text uses the word as an ordinary one
            or (
                cands[0].feature not in AREA_LEVEL
                and tok.word.lower() in self.cues.lowercase_words
                and sentence_initial(text, tok)
            )
            or (tok.word.isupper() and len(tok.word) <= 3)  # an acronym, not a town
            or tok.word in self.cues.acronyms  # "Stratospheric Observatory … (SOFIA)"
            # "H.B.M. Minister": the initials of words, not an airport's code (but
            # "N.Y.C." is New York City's)
            or (
                "." in tok.word
                and all(c.matched == "code" for c in cands)
                and not _strong(cands[0])
            )
            # "Rep. Doe", "Gov. Roe": a title, not a town; "Plane No. 1": an abbreviation
            or (tok.word in PERSON_TITLES and text.startswith(".", tok.end))
            or _an_abbreviation(text, tok)
        )

    def _of_a_place_noun(self, i: int) -> bool:
        """Whether the single word ``i`` follows a capitalised place noun and "of": the
        place named ("the Port of Nouadhibou", "Region of Vitória", "Town of Hempstead")."""
        if i < 2 or self.tokens[i - 1].word.lower() != "of":
            return False
        head = self.tokens[i - 2]
        low = head.word.lower()
        return head.capital and (low in PLACE_NOUNS or low in REGION_NOUNS)

    def _after_a_bodys_for(self, i: int) -> bool:
        """Whether the single word ``i`` follows an organisation's head and "for" (the
        "Institute for Marine …", "Center for Disease Control")."""
        if i < 2 or self.tokens[i - 1].word != "for":
            return False
        head = self.tokens[i - 2]
        return head.capital and _organisation_head(head.word)

    def _a_chains_link(self, i: int) -> bool:
        """Whether the word ``i`` is a link of a chain of places joined by dashes
        ("Perpignan–Luchon"), where no other word of a name stands. (Not after "from" or
        "to" alone: "on to Hormuz" then pulled "Acre" of a story about Venice to Brazil;
        the resolver weighs its senses one name at a time.)"""
        tokens, text = self.tokens, self.text
        # an en dash with no space round it joins the links of a route's chain
        # ("Perpignan–Luchon and Luchon–Bayonne"), not a spaced dash of an aside
        # ("Denver — Brown said …")
        before = (
            i > 0 and text[tokens[i - 1].end : tokens[i].start] == "–" and tokens[i - 1].capital
        )
        after = (
            text.startswith("–", tokens[i].end)
            and i + 1 < len(tokens)
            and tokens[i + 1].start == tokens[i].end + 1
            and tokens[i + 1].capital
        )
        return before or after

    def _a_place_nouns(self, i: int) -> bool:
        """Whether the word ``i`` is named by a noun of a settlement before "of" ("the
        English port of Deal", "the town of Reading"): a place whatever else the word
        means."""
        before = self.text[max(0, self.tokens[i].start - 30) : self.tokens[i].start]
        match = _NOUN_OF.search(before)  # in lower case: "the City of Hope" is a name
        return match is not None and match.group(1) in _SETTLEMENT_NOUNS

    def _in_its_area(self, i: int, cands: list[Any]) -> bool:
        """Whether the single word ``i`` is followed by a region or country it lies in."""
        return _its_area_after(self.text, self.tokens, i, self.known, cands)

    def _named_otherwise(self, i: int, cands: list[Any]) -> bool:
        """Whether the text uses the single word ``i`` (which it does not put as a place
        here) for something else: a person, another name's word, a small place's by-name."""
        word = self.tokens[i].word
        if word in self.cues.people:
            return True  # "Georgia's father"; but "Jackson, Miss." and "in Jackson" are towns
        if word in self.names_in_runs:
            located, pathed = self.cues.put_as_places
            large = cands[0].population >= TOWN_OVER_REGION
            if word not in located and not (large and word in pathed):
                return True  # "Kim" of "Kim Jong Un"; but "Ferrocarril Huancayo … goes to Huancayo"
        return (
            # "Tour" of "Tour de France": the head of a name, not Tours's by-name
            (i in self.before_of and cands[0].matched == "alternate")
            # "Headquarters", "Mormon": a small place's by-name, read as a word; not a
            # link of a chain of places ("Perpignan–Luchon")
            or (
                cands[0].matched == "alternate"
                and cands[0].population < ALTERNATE_ONLY_POPULATION
                and not self._a_chains_link(i)
            )
            # "Dunn asked", "said Dunn": a person (capitals may speak for countries)
            or (word in self.cues.speakers and all(c.feature in ("PPL", "ADM2") for c in cands))
        )


#: Nouns of a settlement that name the place after "of" ("the port of Deal").
_SETTLEMENT_NOUNS = frozenset({"town", "city", "village", "port", "hamlet", "borough"})
_NOUN_OF = re.compile(r"\b(\w+)\s+of\s+$")

#: "Of" in names: English, Romance "de" and Portuguese "da", "do", Irish and Scottish
#: Gaelic "na", "nan".
_OF = frozenset({"of", "de", "da", "do", "na", "nan"})


def _without_features(tokens: list[Token], pieces: list[list[int]]) -> list[list[int]]:
    """The pieces of a run less a natural feature's name: "Gulf" and "Mexico" of "the Gulf
    of Mexico", "Cape" and "Good Hope" of "Cape of Good Hope" are no places."""
    drop: set[int] = set()
    for k, (head, name) in enumerate(itertools.pairwise(pieces)):
        if (
            len(head) == 1  # the bare head ("Gulf"), not a name ending in one ("Gold Coast")
            and tokens[name[0] - 1].word.lower() == "of"
            and tokens[head[0]].word.lower() in FEATURE_HEADS
        ):
            drop.update((k, k + 1))
    return [p for k, p in enumerate(pieces) if k not in drop]


def _both_names(
    text: str, tokens: list[Token], left: list[int], right: list[int], known: Mapping[str, Any]
) -> bool:
    """Whether the words on both sides of a hyphen end and begin a known name, neither a
    continent ("the Asia-Pacific region" is one region, not Asia and a town)."""
    end, start = tokens[left[-1]].end, tokens[right[0]].start
    lefts = [known.get(fold(text[tokens[i].start : end])) for i in left]
    rights = [known.get(fold(text[start : tokens[i].end])) for i in right]
    sides = [[c for c in lefts if c], [c for c in rights if c]]
    return all(side and side[0][0].feature != "CONT" for side in sides)


def _match_run(
    text: str, tokens: list[Token], run: list[int], known: dict[str, list[Any]]
) -> list[tuple[int, int]]:
    """Greedy longest matches in a run, as (first, last) positions in ``run``."""
    matches = []
    i = 0
    while i < len(run):
        for n in range(min(6, len(run) - i), 0, -1):
            first, last = tokens[run[i]], tokens[run[i + n - 1]]
            if first.capital and last.capital and fold(text[first.start : last.end]) in known:
                if _city_body(text, tokens, run, i, n, known):
                    continue  # "Denver City Council": Denver's, not Denver City's
                matches.append((i, i + n - 1))
                i += n
                break
        else:
            i += 1
    return matches


def _city_body(
    text: str, tokens: list[Token], run: list[int], i: int, n: int, known: dict[str, list[Any]]
) -> bool:
    """Whether ``run[i : i + n]`` is "<Town> City" before a public body ("Denver City
    Council") and the town alone is the far larger place (Denver, not Denver City, Texas)."""
    if n < 2 or i + n >= len(run) or tokens[run[i + n - 1]].word != "City":
        return False
    if tokens[run[i + n]].word.lower() not in PUBLIC_BODIES:
        return False
    first, before = tokens[run[i]], tokens[run[i + n - 2]]
    shorter = known.get(fold(text[first.start : before.end]))
    longer = known[fold(text[first.start : tokens[run[i + n - 1]].end])]
    return bool(
        shorter
        and shorter[0].feature not in AREA_LEVEL
        and shorter[0].score >= longer[0].score + CLEAR_MARGIN
    )


def _qualifier_then_name(
    text: str,
    tokens: list[Token],
    run: list[int],
    matches: list[tuple[int, int]],
    known: dict[str, list[Any]],
) -> bool:
    """A run that opens with a country or first-level division qualifying the name before
    it (after a comma) and goes straight on into another known name that a comma or the
    line's end closes in its turn ("Cape Town, South Africa Auckland, New Zealand", not
    "Washington, Indiana Jones star")."""
    if len(matches) < 2 or matches[0][0] != 0 or matches[1][0] != matches[0][1] + 1:
        return False
    first, last = tokens[run[0]], tokens[run[matches[0][1]]]
    if not text[: first.start].rstrip(" ").endswith(","):
        return False
    after = tokens[run[matches[1][1]]].end
    if not re.match(r"[ \t]*(?:[,(]|$)", text[after:], re.MULTILINE):
        return False
    return known[fold(text[first.start : last.end])][0].feature in ("PCLI", "ADM1")


def _abbreviated_date(text: str, tok: Token) -> bool:
    """A month's abbreviation before the day ("Jan. 20")."""
    return re.match(r"\.?\s*\d", text[tok.end : tok.end + 4]) is not None and names_a_date(
        fold(tok.word), abbreviated=True
    )


def _without_a_date(
    text: str, tokens: list[Token], run: list[int], known: dict[str, list[Any]]
) -> list[int]:
    """The run without a month's abbreviation at its end ("Alameda Jan. 20", "Montreal on
    Dec. 4"), unless the whole is a known name ("Del Mar. 20 …")."""
    if len(run) < 2 or not _abbreviated_date(text, tokens[run[-1]]):
        return run
    if fold(text[tokens[run[0]].start : tokens[run[-1]].end]) in known:
        return run
    run = run[:-1]
    while len(run) > 1 and not tokens[run[-1]].capital:
        run = run[:-1]  # and the connector before it
    return run


def _organisation_word(word: str) -> bool:
    """A word of organisation names: "Schools", "Public", "Village", an acronym."""
    low = word.lower()
    return (
        low in ORGANISATIONS
        or low.removesuffix("s") in ORGANISATIONS
        or common(low)
        or common(low.removesuffix("s"))  # "Lakes", "Islands"
        or (word.isupper() and len(word) >= 2)
    )


def _organisation_head(word: str) -> bool:
    """A head noun of organisation names ("University", "Council", "Schools", "Club")."""
    low = word.lower()
    return low in ORGANISATIONS or low in PUBLIC_BODIES or low.removesuffix("s") in ORGANISATIONS


def _state_body(after: str) -> bool:
    """Whether ``after`` (the two words after a name) is "state police" and the like."""
    first, _, second = after.partition(" ")
    return first == "state" and second in STATE_BODIES


#: A town this big gives its name to stations and airports ("London St Pancras").
BIG_TOWN_POPULATION = 500_000
#: Words before a place a journey goes from or to: prepositions of path ("between New York
#: Penn Station and …"), and the verbs of departure and arrival ("left", "reached").
_GONE_FROM_OR_TO = frozenset({"at", "into", "from", "to", "via", "between"}) | verb_forms(
    ("depart", "arrive")
)


def _strong(cand: Any) -> bool:
    """A country, continent or large city: its name is a place even inside other names."""
    return cand.feature in COUNTRY_LEVEL or cand.score >= STRONG_SCORE


def _a_strong_town_or_country(cands: list[Any]) -> bool:
    """Whether a name is a country's, or a town's of about a million people: a place even
    at the head of a longer name ("Paris of the East"), unlike a region's ("Porto" of
    "Porto da Praia" is the district's name, and its town's of 250,000 people)."""
    return cands[0].feature in COUNTRY_LEVEL or any(
        c.score >= STRONG_SCORE for c in cands if str(c.feature).startswith("PPL")
    )


def _facility_of_town(after: list[str], cands: list[Any]) -> bool:
    """Whether a town's name followed by the words ``after`` (of the same name) is a
    station, port or airport of that town: a station word right after it ("Milano
    Centrale"), or a name of up to four more words ending in one, when the town is
    large enough to give a facility its name ("Cologne Bonn Airport", "Louisville Air
    National Guard Base")."""
    if not after:
        return False
    if after[0] in STATION_WORDS:
        return True
    return (
        len(after) <= 4
        and after[-1] in STATION_WORDS
        and cands[0].population >= FACILITY_TOWN_POPULATION
        # by its own name, or a big town's ("Cologne"): "Soto Cano Air Base" is not
        # DeSoto's by-name
        and (cands[0].matched == "name" or cands[0].population >= BIG_TOWN_POPULATION)
    )


def _before_area(
    text: str,
    tokens: list[Token],
    i: int,
    known: dict[str, list[Any]],
    abbreviated: dict[int, Any],
) -> bool:
    """Whether token ``i`` is followed by ", " and a region or country ("Jackson, Miss.")."""
    j = i + 1
    if j < len(tokens) and j in abbreviated and text[tokens[i].end : tokens[j].start] == ", ":
        return True
    return next(_areas_after(text, tokens, i, known), None) is not None


def _its_area_after(
    text: str, tokens: list[Token], i: int, known: dict[str, list[Any]], cands: list[Any]
) -> bool:
    """Whether token ``i`` is followed by ", " and a region or country one of ``cands``
    lies in ("Junction, Texas"; not "Airport, Shanghai" for Airport, Hawaii)."""
    own = {(c.country, c.admin1) for c in cands} | {(c.country, "") for c in cands}
    return any(
        (a.country, a.admin1 if a.feature == "ADM1" else "") in own
        for a in _areas_after(text, tokens, i, known)
    )


def _areas_after(
    text: str, tokens: list[Token], i: int, known: dict[str, list[Any]]
) -> Iterator[Any]:
    """The regions and countries named by the one to three words after token ``i`` and a
    ", " ("Jackson, Mississippi", "Junction, Texas")."""
    j = i + 1
    if j >= len(tokens) or text[tokens[i].end : tokens[j].start] != ", ":
        return
    for n in (1, 2, 3):
        if j + n > len(tokens):
            break
        for cand in known.get(fold(text[tokens[j].start : tokens[j + n - 1].end]), []):
            if cand.feature in ("ADM1", "PCLI"):
                yield cand


def _entity_mentions(
    text: str,
    tokens: list[Token],
    entities: Iterable[tuple[int, int]],
    raw: list[Named],
    used: set[int],
    resolver: Resolver,
) -> list[Named]:
    """Entity spans (from a recogniser) the gazetteer knows, outside the other mentions."""
    taken = set(used)
    for a, b, _ in raw:
        taken.update(range(a, b + 1))
    starts = [tok.start for tok in tokens]
    spans: dict[str, tuple[int, int]] = {}
    for start, end in entities:
        first = bisect_right(starts, start - 1)
        last = bisect_right(starts, end - 1) - 1
        while first <= last and tokens[first].word.lower() in LEADING:
            first += 1  # "the Bronx" → "Bronx"
        if first > last or tokens[last].end > end or taken & set(range(first, last + 1)):
            continue
        spans[fold(text[tokens[first].start : tokens[last].end])] = (first, last)
    known = resolver.lookup_keys(spans)
    out = []
    for key, (first, last) in spans.items():
        if key in known:
            out.append(Named(first, last, known[key]))
            taken.update(range(first, last + 1))
    return out


#: Abbreviations that begin or are a place's name ("St. Louis", "Ft. Worth", "U.S.").
_PLACE_ABBREVIATIONS = frozenset({"St", "Ste", "Mt", "Ft", "Pt", "U.S", "U.K"})


def _an_abbreviation(text: str, tok: Any) -> bool:
    """An abbreviation with its full stop ("No. 1", "Co.", "Jan. 5") that some small place
    also bears as a by-name ("No" is one of Ho's names in GeoNames), not a place's name
    ("St. Louis" leads one)."""
    return (
        tok.word in ABBREVIATED
        and tok.word not in _PLACE_ABBREVIATIONS
        and text.startswith(".", tok.end)
    )
