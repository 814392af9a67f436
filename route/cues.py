"""What a text says about its words, read once per text: the recognition passes that
are no run of capitalised words.

Demonyms and abbreviations (country-level mentions of their own), the words the
text uses as people's names, speakers and pathogens, the words it puts as places
("in Kim"), the candidates it fixes itself ("Paris, Texas", "New York state") and
the facilities it names ("Kennedy Space Center").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cache, cached_property, lru_cache
from typing import Any

from .spans import AREA_LEVEL, COUNTRY_LEVEL, Found, Kind, Named, Resolver
from .tokens import Token, adjacent, fold
from .words import (
    ABBREVIATED,
    ABBREVIATIONS,
    DISEASE_NOUNS,
    KIN_NOUNS,
    LEADING,
    LOCATIVES,
    MODIFIERS,
    PERSON_TITLES,
    PLACE_NOUNS,
    QUALIFIER_ONLY,
    REGION_ABBREVIATIONS,
    REGION_NOUNS,
    SPEECH_VERBS,
    STATION_WORDS,
    TITLES,
)

__all__ = [
    "FACILITY_TOWN_POPULATION",
    "Cues",
    "as_embedded",
    "demonyms_and_abbreviations",
    "facility_names",
    "fixed_by_text",
    "placed",
]

#: A facility named "<X> … Airport/Air Force Base" is at the town X when X has at least
#: this many people ("Altus Air Force Base", "Cologne Bonn Airport"); a smaller namesake is
#: more likely a person the facility is named after ("Kennedy Space Center"), and then a
#: bare "Kennedy" in the same text is short for the facility, not that town.
FACILITY_TOWN_POPULATION = 10_000


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, escaped."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) or "(?!)"


@lru_cache(maxsize=64)
def _pattern(kind: str, words: frozenset[str]) -> re.Pattern[str]:
    """The regex of ``kind`` built from the current word list (lists can be swapped)."""
    alt = _alternation(words)
    if kind == "abbreviation":
        return re.compile(rf"(?<![\w.])(?:{alt})(?![\w$])")
    if kind == "region abbreviation":
        return re.compile(rf"(?<![\w.])(?:{alt})(?![\w])")
    if kind == "pathogen":
        return re.compile(rf"\b([A-Z][\w'’-]*(?: [A-Z][\w'’-]*){{0,2}}) (?:{alt})\b")
    if kind == "speaker":
        # "Dunn asked" starting a clause (not "officials in Tyler said"), or "..., said Dunn."
        return re.compile(
            rf"(?:^|[.!?\"”]\s+|\n)([A-Z][a-z]+)\s+(?:then\s+)?(?:{alt})\b"
            rf"|\b(?:{alt})\s+([A-Z][a-z]+)\s*[,.;]"
        )
    if kind == "person before":
        # an abbreviation may take a full stop ("Dr. Kim"), a whole word none ("Captain.
        # Sydney was his next posting" ends a sentence)
        stops = _alternation(words & ABBREVIATED)
        return re.compile(rf"(?:\b(?:{alt})|\b(?:{stops})\.)\s+$")
    if kind == "person after":
        return re.compile(
            rf"(?:['’]s\s+(?:{alt})\b|\s+(?:herself|himself)\b|,\s+(?:aged\s+)?\d{{1,3}},(?!\d))"
        )
    if kind == "region word":
        return re.compile(rf"\s+(?:{alt})\b", re.IGNORECASE)
    if kind == "region of":
        return re.compile(rf"\b(?:{alt}) of\s+$", re.IGNORECASE)
    raise ValueError(kind)


def pathogens(text: str) -> set[str]:
    """Folded names the text gives a pathogen or disease ("Marburg virus", "West Nile
    fever"): not places there, nor wherever else it uses them ("an imported Marburg")."""
    out = set()
    for match in _pattern("pathogen", DISEASE_NOUNS).finditer(text):
        words = match.group(1).split()
        while len(words) > 1 and words[0].lower() in LEADING:
            words = words[1:]  # "The Marburg virus"
        out.add(fold(" ".join(words)))
    return out


#: After a person's whole name: a life's dates in brackets, as a biography opens ("Arthur
#: Richardson (23 February 1872 – 3 April 1939)", "(born 1872)", "(b. 1872)"), or "was
#: born": every word of the name is a person's.
_LIFE = re.compile(
    r"\s*\((?:born|b\.)\s[^()\n]{0,40}\d{3,4}[^()\n]{0,10}\)"
    r"|\s*\([^()\n]{0,25}\b\d{3,4}\s*[–—-]\s*[^()\n]{0,25}\b\d{3,4}\)"
    r"|\s+(?:was|were)\s+born\b"
)


#: Two initials or more before a surname ("J. M. Kennedy", "H. G. Wells"): a person's name
#: (one initial may end a sentence: "on Plan B. Paris was next").
_INITIALS = re.compile(r"\b((?:[A-Z]\.\s?){2,3})([A-Z][a-z][\w'’-]*)")


def names_of_people(text: str, tokens: list[Token]) -> set[str]:
    """Capitalised words the text uses as a person's name somewhere ("Georgia's father",
    "Georgia herself", "Georgia, 12,", "Ms Georgia", "Arthur Richardson (1872–1939)",
    "Richardson was born", "J. M. Kennedy"): not places anywhere in it."""
    people: set[str] = set()
    after, before = _pattern("person after", KIN_NOUNS), _pattern("person before", PERSON_TITLES)
    for k, tok in enumerate(tokens):
        if not tok.capital or tok.word in people:
            continue
        if _LIFE.match(text, tok.end):
            people.update(t.word for t in _name_ending_at(text, tokens, k))
        elif after.match(text, tok.end) or before.search(text, max(0, tok.start - 12), tok.start):
            people.add(tok.word)
    people.update(
        m.group(2)
        for m in _INITIALS.finditer(text)
        if not _an_abbreviated_place(m.group(1))  # "Washington, D. C. Paris was next"
    )
    return people | _listed_with_people(text, people)


def _an_abbreviated_place(initials: str) -> bool:
    """Whether initials are a country's or region's abbreviation ("U. S.", "D. C.")."""
    short = "".join(initials.split())
    return short in ABBREVIATIONS or short in REGION_ABBREVIATIONS


def _name_ending_at(text: str, tokens: list[Token], k: int) -> list[Token]:
    """The capitalised words written one after another that end with token ``k`` (at most
    four: "Arthur Charles Jeston Richardson")."""
    name = [tokens[k]]
    while (
        len(name) < 4
        and k - len(name) >= 0
        and tokens[k - len(name)].capital
        and adjacent(text, tokens[k - len(name)], name[0])
    ):
        name.insert(0, tokens[k - len(name)])
    return name


#: A list of names: items of one to four capitalised words (with initials and titles'
#: full stops) parted by commas and "and".
_NAME_LIST = re.compile(
    r"(?:(?:[A-Z][a-z]{0,3}\.|[A-Z][\w'’-]*)\s+){0,3}[A-Z][\w'’-]*"
    r"(?:(?:,\s+(?:and\s+)?|\s+and\s+)"
    r"(?:(?:[A-Z][a-z]{0,3}\.|[A-Z][\w'’-]*)\s+){0,3}[A-Z][\w'’-]*\b(?!\s+(?!and\b)[a-z])){2,}"
)  # a word with a full stop only as a title or an initial ("Lt.", "H."), not a sentence's
# end; an item before a lower-case word is no name ("Detroit police officers")
_ITEM_GLUE = re.compile(r",\s+(?:and\s+)?|\s+and\s+")


def _listed_with_people(text: str, people: set[str]) -> set[str]:
    """The one-word items of a list of names a third or more of whose items (two at least)
    end in a person's name ("Lt. Elsey, Captain Graham, Agents Holmes, Haman, Campion and
    Gilliam": Campion is a man there, not a town)."""
    out: set[str] = set()
    for match in _NAME_LIST.finditer(text):
        items = [i.split()[-1] for i in _ITEM_GLUE.split(match.group()) if i.strip()]
        titled = sum(i in people for i in items)
        if titled >= 2 and titled * 3 >= len(items) and len(items) >= 3:
            out.update(i for i in items if i not in people)
    return out


def speakers(text: str) -> set[str]:
    """Capitalised words the text puts as speakers ("Dunn asked", "..., said Dunn.")."""
    return {m.group(1) or m.group(2) for m in _pattern("speaker", SPEECH_VERBS).finditer(text)}


class Cues:
    """What a text says about its words, read once per text (see the functions of each).

    Parameters
    ----------
    text, tokens
        The text and its tokens (:func:`route.tokens.tokenise`).
    """

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text, self.tokens = text, tokens
        #: Capitalised words used as a person's name somewhere (:func:`names_of_people`).
        self.people = names_of_people(text, tokens)
        #: Every word the text writes in lower case: a capitalised one starting a sentence
        #: is an ordinary word there.
        self.lowercase_words = set(re.findall(r"\b[a-z]+\b", text))
        #: Capitalised words put as speakers (:func:`speakers`).
        self.speakers = speakers(text)
        #: Folded names of pathogens and diseases (:func:`pathogens`).
        self.pathogens = pathogens(text)

    @cached_property
    def put_as_places(self) -> tuple[set[str], set[str]]:
        """:func:`words_put_as_places`, read once, when first needed."""
        return words_put_as_places(self.text, self.tokens)

    @cached_property
    def acronyms(self) -> frozenset[str]:
        """:func:`defined_acronyms`, read once, when first needed."""
        return defined_acronyms(self.text)


#: A word of four capitals or more in brackets ("(SOFIA)"); shorter ones are no town's
#: name anyway (see :mod:`route.recognise`).
_BRACKETED_CAPITALS = re.compile(r"\s\(([A-Z]{4,10})\)")
#: How far before the brackets their words are looked for.
_ACRONYM_WORDS_CHARS = 200


def defined_acronyms(text: str) -> frozenset[str]:
    """The words in capitals that the text defines as the initials of the words before
    them ("the Stratospheric Observatory for Infrared Astronomy (SOFIA)"): names of
    things, not of the places they may spell, throughout the text (the definition of an
    acronym by its expansion; Schwartz and Hearst 2003, kept to word initials)."""
    out = set()
    for match in _BRACKETED_CAPITALS.finditer(text):
        acronym = match.group(1)
        before = text[max(0, match.start() - _ACRONYM_WORDS_CHARS) : match.start()]
        before = before.rsplit("\n", 1)[-1].rsplit("(", 1)[-1].rsplit(")", 1)[-1]
        words = re.findall(r"[^\W\d_][\w'’]*", before)[-(len(acronym) + 4) :]
        if _initials_spell(words, acronym):
            out.add(acronym)
    return frozenset(out)


def _initials_spell(words: list[str], acronym: str) -> bool:
    """Whether the last of ``words`` spell ``acronym`` by their initials, read backwards:
    each letter the initial of a word, lower-case words between them passed over (one of
    them may give a letter: "for" in SOFIA), no capitalised word passed over, the first
    letter a capitalised word's ("he read over many emails (ROME)" spells nothing)."""
    letters = list(acronym)
    lower = 0
    for word in reversed(words):
        if not letters:
            break
        if word[0] == letters[-1] and (len(letters) > 1 or word[0].isupper()):
            letters.pop()
        elif word[0].upper() == letters[-1] and len(letters) > 1 and lower == 0:
            letters.pop()
            lower += 1
        elif word[0].isupper():
            return False
    return not letters


def placed(text: str, tokens: list[Token], i: int) -> bool:
    """Whether the text puts token ``i`` as a place: right after a locative preposition
    ("in Springfield", "a man of Springfield", "from Jackson")."""
    if i == 0 or text[tokens[i - 1].end : tokens[i].start] != " ":
        return False
    return tokens[i - 1].word in LOCATIVES


#: Prepositions of a journey's ends and path: a large town after one of them anywhere in
#: a text is that town, even where another of its names uses the word.
_PATH_WORDS = frozenset({"to", "from", "via", "through", "at"})


def words_put_as_places(text: str, tokens: list[Token]) -> tuple[set[str], set[str]]:
    """The words the text puts as places somewhere (one pass over the text): after a
    locative preposition, and after "to", "from", "via", "through" or "at"."""
    located: set[str] = set()
    pathed: set[str] = set()
    for i, tok in enumerate(tokens):
        if i == 0:
            continue
        if placed(text, tokens, i):
            located.add(tok.word)
        elif text[tokens[i - 1].end : tok.start] == " " and (
            tokens[i - 1].word.lower() in _PATH_WORDS
        ):
            pathed.add(tok.word)
    return located, pathed


def _names_something(text: str, tokens: list[Token], j: int) -> bool:
    """Whether token ``j`` continues a name ("Airways" after "British"), not a title."""
    if j >= len(tokens) or not tokens[j].capital:
        return False
    if not adjacent(text, tokens[j - 1], tokens[j]):
        return False
    return tokens[j].word.lower() not in TITLES and tokens[j].word.lower() not in MODIFIERS


def demonyms_and_abbreviations(
    text: str, tokens: list[Token], resolver: Resolver
) -> tuple[list[Found], set[int], dict[int, Any]]:
    """Demonyms, country and region abbreviations.

    Returns
    -------
    tuple
        Their mentions, the tokens they use, and the regions abbreviated, by token.
    """
    demonyms = resolver.demonyms()
    country = cache(resolver.country)
    by_start = {tok.start: i for i, tok in enumerate(tokens)}
    used: set[int] = set()
    found = _country_abbreviations(text, tokens, by_start, country, used)
    regions: dict[int, Any] = {}
    found += _region_abbreviations(text, tokens, by_start, resolver, used, regions)
    found += _demonyms(text, tokens, demonyms, country, used)
    return found, used, regions


#: After a country's abbreviation, the number of one of its highways ("U.S. 223", "US-23",
#: "U.S. Route 66", "U.S. Highway 101").
_A_ROUTE_NUMBER = re.compile(
    r"(?:[ ]+(?:Route|Highway|Hwy\.?)[ ]+\d{1,3}\b|-\d{1,3}\b|"
    # a bare number only where a road's stands: before a comma, "to", "and", a bearing
    # ("from U.S. 223 to Carlton Road"), not before a noun ("the U.S. 40 people")
    r"[ ]+\d{1,3}(?=\s*(?:[,;:.)]|$|(?:to|and|at|near|north|south|east|west|[NSEW]B)\b)))",
    re.IGNORECASE,
)


def _country_abbreviations(
    text: str,
    tokens: list[Token],
    by_start: dict[int, int],
    country: Callable[[str], Any],
    used: set[int],
) -> list[Found]:
    """Country abbreviations ("US", "U.K."); the tokens they use are added to ``used``."""
    found: list[Found] = []
    for match in _pattern("abbreviation", frozenset(ABBREVIATIONS)).finditer(text):
        if _A_ROUTE_NUMBER.match(text, match.end()):
            continue  # "U.S. 223", "US-23", "U.S. Route 66": a highway, not the country
        record = country(ABBREVIATIONS[match.group()])
        if record is None:
            continue
        found.append(Found(match.start(), match.end(), match.group(), "place", record, 1, 1.0))
        _use(tokens, by_start.get(match.start()), match.end(), used)
    return found


def _region_abbreviations(
    text: str,
    tokens: list[Token],
    by_start: dict[int, int],
    resolver: Resolver,
    used: set[int],
    regions: dict[int, Any],
) -> list[Found]:
    """Region abbreviations ("Calif.", "Ont."; "Miss." only after "Town, "); the tokens
    they use are added to ``used``, the regions to ``regions`` by first token."""
    found: list[Found] = []
    region_abbreviations = frozenset(REGION_ABBREVIATIONS)
    for match in _pattern("region abbreviation", region_abbreviations).finditer(text):
        abbreviation = match.group()
        after_town = re.search(
            r"[A-Z][\w.'’-]*, $", text[max(0, match.start() - 40) : match.start()]
        )
        if abbreviation in QUALIFIER_ONLY and not after_town:
            continue  # "Miss. Smith", "Pa." alone: not a state
        record = resolver.region(*REGION_ABBREVIATIONS[abbreviation].split(".", 1))
        i = by_start.get(match.start())
        if record is None or i is None:
            continue
        kind: Kind = "embedded" if tokens[i].tag else "place"  # "(D-Calif.)"
        found.append(Found(match.start(), match.end(), abbreviation, kind, record, 1, 1.0))
        regions[i] = record
        _use(tokens, i, match.end(), used)
    return found


def _use(tokens: list[Token], i: int | None, end: int, used: set[int]) -> None:
    """Add to ``used`` the tokens from ``i`` on that start before ``end`` (a match's)."""
    while i is not None and i < len(tokens) and tokens[i].start < end:
        used.add(i)
        i += 1


def _demonyms(
    text: str,
    tokens: list[Token],
    demonyms: dict[str, str],
    country: Callable[[str], Any],
    used: set[int],
) -> list[Found]:
    """Demonyms and adjectives of countries ("North Korean", "Turkish-Russian"), outside
    the tokens in ``used``; the tokens they use are added to it."""
    found: list[Found] = []
    for i, tok in enumerate(tokens):
        if i in used or not tok.capital:
            continue
        for n in (3, 2, 1):
            if i + n > len(tokens):
                continue
            last = tokens[i + n - 1]
            if not all(adjacent(text, tokens[j], tokens[j + 1]) for j in range(i, i + n - 1)):
                continue
            code = demonyms.get(fold(text[tok.start : last.end]))
            if code and _names_something(text, tokens, i + n):
                break  # "British Airways", "British Columbia": part of a longer name
            if code and not last.word[:1].islower():
                record = country(code)
                if record is not None:
                    surface = text[tok.start : last.end]
                    # a country's own name in the demonym list ("Djibouti", "Gibraltar")
                    kind: Kind = "place" if fold(surface) == fold(record.name) else "demonym"
                    found.append(Found(tok.start, last.end, surface, kind, record, 1, 1.0))
                    used.update(range(i, i + n))
                break
        else:
            # "Turkish-Russian relations": one token, two demonyms.
            parts = list(re.finditer(r"[^\W\d_]+", tok.word)) if "-" in tok.word else []
            codes = [demonyms.get(fold(p.group())) for p in parts]
            if len(parts) > 1 and all(codes) and all(p.group()[:1].isupper() for p in parts):
                for part, code in zip(parts, codes, strict=True):
                    record = country(str(code))
                    if record is not None:
                        start, end = tok.start + part.start(), tok.start + part.end()
                        found.append(Found(start, end, part.group(), "demonym", record, 1, 1.0))
                used.add(i)
    return found


def _comma_qualified(
    text: str,
    tokens: list[Token],
    raw: list[Named],
    abbreviated: dict[int, Any],
) -> dict[int, Any]:
    """Both sides of "Town, Region" and "Town, Country" ("Blakely, Georgia", "Paris, Texas").

    When a name is followed by ", " and a region or country that holds one of its
    candidates, that candidate and that region are the answers. Keys are first
    token indices.
    """
    by_first = {a: (b, cands) for a, b, cands in raw}
    by_first.update({i: (i, [record]) for i, record in abbreviated.items()})  # "Hazard, Ky."
    out: dict[int, Any] = {}
    for a, b, cands in raw:
        after = _after_facility(text, tokens, b)  # "Altus Air Force Base, Okla."
        nxt = by_first.get(after + 1)
        if nxt is None or text[tokens[after].end : tokens[after + 1].start] != ", ":
            continue
        for area in nxt[1]:
            if area.feature not in ("ADM1", "PCLI"):
                continue
            inside = [
                c
                for c in cands
                if c.feature not in COUNTRY_LEVEL
                and c.feature != "ADM1"  # towns and counties: "Orange County, Calif."
                and c.country == area.country
                and (area.feature == "PCLI" or c.admin1 == area.admin1)
            ]
            if inside:
                out[a] = inside[0]
                out[after + 1] = area
                break
    return out


def _after_facility(text: str, tokens: list[Token], b: int) -> int:
    """The last token of a station or airport name that a town's name (ending at token
    ``b``) starts ("Altus Air Force Base"), or ``b`` itself."""
    last = b
    for j in range(b + 1, min(b + 5, len(tokens))):
        if text[tokens[j - 1].end : tokens[j].start] != " " or not tokens[j].capital:
            break
        if tokens[j].word.lower() in STATION_WORDS:
            last = j
    return last if last + 1 < len(tokens) else b


def _qualified_region(text: str, start: int, end: int, cands: list[Any]) -> Any | None:
    """The region candidate when the text says so: "New York state", "the state of Georgia"."""
    regions = [c for c in cands if c.feature == "ADM1"]
    if not regions:
        return None
    before = text[max(0, start - 20) : start]
    if _pattern("region word", REGION_NOUNS).match(text, end) or _pattern(
        "region of", REGION_NOUNS
    ).search(before):
        return regions[0]
    return None


def fixed_by_text(
    text: str, tokens: list[Token], raw: list[Named], abbreviated: dict[int, Any]
) -> dict[int, Any]:
    """The candidate the text itself gives a name, by the name's position in ``raw``:
    "Town, Region" on both sides (:func:`_comma_qualified`), else the region where the
    text says so (:func:`_qualified_region`)."""
    qualified = _comma_qualified(text, tokens, raw, abbreviated)
    out: dict[int, Any] = {}
    for k, (a, b, cands) in enumerate(raw):
        if a in qualified:
            out[k] = qualified[a]
            continue
        region = _qualified_region(text, tokens[a].start, tokens[b].end, cands)
        if region is not None:
            out[k] = region
    return out


def facility_names(tokens: list[Token], runs: list[list[int]]) -> set[str]:
    """The first words of the text's facility and site names ("Kennedy" of "Kennedy
    Space Center"): a capitalised name of two to five words ending in a place noun."""
    out = set()
    for run in runs:
        last = tokens[run[-1]].word.lower()
        if len(run) == 2 and last in STATION_WORDS:
            continue  # "Dombås Station", "Dublin Airport": the town's own, named by it
        if 2 <= len(run) <= 5 and (last in STATION_WORDS or last in PLACE_NOUNS):
            out.add(fold(tokens[run[0]].word))
    return out


def _short_for_facility(found: Found, facilities: set[str]) -> bool:
    """A bare name that stands for a facility the text names in full ("flew on to
    Kennedy" after "Kennedy Space Center"): its namesake town is small, and the
    gazetteer did not resolve the name to the facility itself."""
    cand = found.candidate
    return (
        " " not in found.surface
        and fold(found.surface) in facilities
        and cand.feature not in AREA_LEVEL
        and cand.population < FACILITY_TOWN_POPULATION
        and not (fold(cand.name).startswith(fold(found.surface) + " "))
    )


def _owned_elsewhere(text: str, found: Found, before: Found | None) -> bool:
    """ "Ontario's Lake Country": a town named as a region's or country's own ("<R>'s X")
    that is not in it is not that town, but a part of R of the same name."""
    if before is None or before.candidate.feature not in ("PCLI", "ADM1"):
        return False
    if text[before.end : found.start] not in ("'s ", "’s "):
        return False
    owner, cand = before.candidate, found.candidate
    if cand.feature in AREA_LEVEL:
        return False
    if owner.country != cand.country:
        return True
    return bool(owner.feature == "ADM1" and owner.admin1 != cand.admin1)


def as_embedded(text: str, found: list[Found], facilities: set[str]) -> list[Found]:
    """The mentions (in order) with the places that stand for something else made
    ``embedded``: a bare name short for a facility the text names (``facilities``, from
    :func:`facility_names`), a town named as a region's own ("Ontario's Lake Country")."""
    return [
        replace(f, kind="embedded")
        if f.kind == "place"
        and (
            _short_for_facility(f, facilities)
            or _owned_elsewhere(text, f, found[k - 1] if k else None)
        )
        else f
        for k, f in enumerate(found)
    ]
