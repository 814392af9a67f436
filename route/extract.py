"""Find the places a text mentions, with exact character spans.

Pure text processing: the gazetteer is passed in (anything with
``lookup_keys``, ``demonyms`` and ``country``), so this module imports no data.

How a mention is found, precision first:

1. Demonyms and adjectives ("North Korean", "Vietnamese") and country
   abbreviations ("US", "U.S.", "UK") become country-level mentions.
2. Runs of capitalised words (with connectors such as "de" or "upon" inside)
   are matched against the gazetteer, longest name first. A run is a place
   only when one name covers all of it: "Dong Dang" is a place, while
   "Kim Jong Un", "Air China" or "Getty Images" are names of people and
   companies, and their words are remembered so that "Kim" alone later is
   not taken for Kim in India (unless the text puts it as a place: "in Kim").
   A place heading the name of an organisation ("Kansas State University",
   "Denver City Council", "Bank of England") or a party tag ("R-Tulsa") is
   reported with kind ``embedded``; the journey reader uses kind ``place`` only.
3. Month and weekday names and common words that are also towns ("Summit",
   "Central") are never places on their own.
4. Each name's candidates are ranked in context: population is the prior;
   candidates in countries the text mentions, and near the text's other
   places, win. A weak candidate far from everything else is dropped.

The word lists are data files in ``route/lexicon/`` (each says where it comes
from); the scoring constants are named below. ``python bench/geoparse.py
--ablate`` prints what each is worth.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from bisect import bisect_right
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal, Protocol

from .document import load_list, load_table

__all__ = [
    "KINDS",
    "Found",
    "Kind",
    "Resolver",
    "find_mentions",
    "fold",
    "sentence_at",
    "sentence_spans",
]

# Letters that NFKD leaves whole; folded by hand.
_EXTRA_FOLDS = str.maketrans(
    {
        "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o",
        "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "ı": "i",
        "Ħ": "H", "ħ": "h", "‐": " ", "-": " ", "–": " ", "—": " ",
        "'": "", "’": "", "‘": "", "ʼ": "", "`": "", ".": "",
    }
)  # fmt: skip


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Fold a place name for matching.

    Lower-cases, removes diacritics, maps letters Unicode does not decompose
    (``Đ`` → ``d``), drops apostrophes and full stops, turns hyphens into
    spaces and collapses white space.

    Examples
    --------
    >>> fold("Thị Trấn Đồng Đăng")
    'thi tran dong dang'
    >>> fold("Xi'an")
    'xian'
    """
    text = text.translate(_EXTRA_FOLDS)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    else:
        text = text.lower()
    return " ".join(text.split())


class Resolver(Protocol):
    """What extraction needs from a gazetteer."""

    def lookup_keys(self, keys: Iterable[str]) -> dict[str, list[Any]]: ...

    def demonyms(self) -> dict[str, str]: ...

    def country(self, code: str) -> Any: ...

    def region(self, country: str, admin1: str) -> Any: ...


#: How a toponym is used: ``place``, the place itself ("flew to Denver"); ``embedded``,
#: inside the name of something else ("Denver City Council", "Kansas State University",
#: "University of Manitoba", the party tag "R-Tulsa"); ``demonym``, an adjective or
#: demonym standing for a country ("Turkish"). The journey reader uses places only.
Kind = Literal["place", "embedded", "demonym"]
KINDS: tuple[Kind, ...] = ("place", "embedded", "demonym")


@dataclass(frozen=True, slots=True)
class Found:
    """A place mention before it becomes a :class:`route.models.Mention`.

    ``kind`` says how the text uses the toponym (see :data:`Kind`);
    ``candidate`` is the chosen gazetteer record; ``candidates`` how many
    records shared the name; ``confidence`` the chosen one's share of the
    context-weighted scores.
    """

    start: int
    end: int
    surface: str
    kind: Kind
    candidate: Any
    candidates: int
    confidence: float


#: Country abbreviations → ISO code, matched case-sensitively ("U.S.", "UK").
ABBREVIATIONS = load_table("country_abbreviations.tsv")
#: Abbreviations of first-level regions (AP style for US states, Canadian and
#: Australian usage) → GeoNames code ``country.admin1``. Matched case-sensitively
#: with their full stops.
REGION_ABBREVIATIONS = load_table("region_abbreviations.tsv")
#: Those that are also ordinary words or titles: regions only after "Town, ".
QUALIFIER_ONLY = load_list("region_abbreviations_after_town.txt")
#: Lower-case words allowed inside a multi-word place name.
CONNECTORS = load_list("name_connectors.txt")
#: Words that make "<Town> …" a station, port or airport of that town.
STATION_WORDS = load_list("station_words.txt")
#: Heads of the names of built works and ways named after a place ("Dombås Tunnel").
STRUCTURE_WORDS = load_list("structure_words.txt")
#: Nouns that end the names of facilities and sites ("Space Center", "Air Force Base").
PLACE_NOUNS = load_list("place_nouns.txt")
#: Capitalised words that start a sentence or a run without being part of a name.
LEADING = load_list("function_words.txt")
#: Days and months: never the end of a place name.
TIME_WORDS = load_list("time_words.txt")
#: Never a place on their own, whatever the gazetteer says.
COMMON_WORDS = load_list("common_words.txt")
#: Titles that a place name can qualify ("Texas Governor", "Canadian Prime Minister").
TITLES = load_list("titles.txt")
#: Words between a demonym and a title ("Russian Foreign Minister").
MODIFIERS = load_list("title_modifiers.txt")
#: First words of the names of a place's public bodies ("California Department of Health").
PUBLIC_BODIES = load_list("public_bodies.txt")
#: ... and of a state's after "State" ("Kentucky State Police"; not "Michigan State University").
STATE_BODIES = load_list("state_bodies.txt")
#: Ordinary words that are also towns: places mid-sentence ("in Buffalo"), not at its start.
ORDINARY_WORDS = load_list("ordinary_town_words.txt")
#: First words of the keys of an infobox's rows ("Start", "End", "Stations"): a row copied
#: without its colon ("Start Adelaide") starts with an ordinary word, not a name.
FIELD_WORDS = frozenset(key.split()[0] for key in load_table("field_keys.tsv"))
#: Heads of organisation names "X of <place>" ("Bank of England", "Voice of America").
ORGANISATIONS = load_list("organisation_heads.txt")
#: Abbreviations whose full stop does not end a sentence ("St. Louis", "Mr. Kim").
ABBREVIATED = load_list("abbreviated_words.txt")
#: Lower-case endings that turn a place into an adjective ("Seattle-based").
NAME_SUFFIXES = load_list("name_suffixes.txt")
#: Verbs of saying: "Dunn said", "said Dunn" (a person).
SPEECH_VERBS = load_list("speech_verbs.txt")
#: Titles before a person's name ("Ms Georgia").
PERSON_TITLES = load_list("person_titles.txt")
#: Nouns after a person's possessive ("Georgia's father").
KIN_NOUNS = load_list("kinship_nouns.txt")
#: Nouns after a pathogen's or disease's name ("Marburg virus").
DISEASE_NOUNS = load_list("disease_nouns.txt")
#: Prepositions after which a name is a place, whatever else the text uses it for.
LOCATIVES = load_list("locative_prepositions.txt")
#: Nouns that make a name a first-level region ("New York state", "province of Ontario").
REGION_NOUNS = load_list("region_nouns.txt")


def _common(key: str) -> bool:
    """A folded word that is never a place on its own (a common word, a day, a month)."""
    return key in COMMON_WORDS or key in TIME_WORDS


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
        return re.compile(rf"\b(?:{alt})\.?\s+$")
    if kind == "person after":
        return re.compile(
            rf"(?:['’]s\s+(?:{alt})\b|\s+(?:herself|himself)\b|,\s+(?:aged\s+)?\d{{1,3}},)"
        )
    if kind == "region word":
        return re.compile(rf"\s+(?:{alt})\b", re.IGNORECASE)
    if kind == "region of":
        return re.compile(rf"\b(?:{alt}) of\s+$", re.IGNORECASE)
    raise ValueError(kind)


def _pathogens(text: str) -> set[str]:
    """Folded names the text gives a pathogen or disease ("Marburg virus", "West Nile
    fever"): not places there, nor wherever else it uses them ("an imported Marburg")."""
    out = set()
    for match in _pattern("pathogen", DISEASE_NOUNS).finditer(text):
        words = match.group(1).split()
        while len(words) > 1 and words[0].lower() in LEADING:
            words = words[1:]  # "The Marburg virus"
        out.add(fold(" ".join(words)))
    return out


#: Country-level features: not "near" anything, never stops.
COUNTRY_LEVEL = frozenset({"PCLI", "CONT", "RGN"})
#: Areas (countries, continents, first-level regions): never stops, no distance to them.
AREA_LEVEL = COUNTRY_LEVEL | {"ADM1", "ADM2"}
#: Divisions of a country (states, provinces; counties, districts).
DIVISIONS = frozenset({"ADM1", "ADM2"})

#: Ranking in context (scores are in orders of magnitude of population).
COUNTRY_BONUS = 1.5
FOREIGN_PENALTY = 1.0
REGION_BONUS = 1.0
#: A country or region named inside a longer name counts from this score on.
REGION_INSIDE_SCORE = 7.0
MAX_PENALTY = 3.0
DISTANCE_WEIGHT = 2.0
#: A name whose best candidate scores this much (a city of about a million people, with
#: its own name) is a place even inside other names ("China" of "Air China").
STRONG_SCORE = 7.0
#: A name is unambiguous (context for the others) when its best candidate leads the
#: second by this much.
CLEAR_MARGIN = 1.0
#: A region loses its name to a town of it this populous ("Moscow", "New York").
TOWN_OVER_REGION = 100_000
#: A city-level mention weaker than this after context is dropped ...
MIN_SCORE = 3.5
#: ... unless it is a large town by itself (about 100,000 people, own name).
LARGE_TOWN_SCORE = 6.0
#: ... or a town this populous, by whichever of its names ("Seville", "Marseilles").
LARGE_TOWN_POPULATION = 100_000
#: A facility named "<X> … Airport/Air Force Base" is at the town X when X has at least
#: this many people ("Altus Air Force Base", "Cologne Bonn Airport"); a smaller namesake is
#: more likely a person the facility is named after ("Kennedy Space Center"), and then a
#: bare "Kennedy" in the same text is short for the facility, not that town.
FACILITY_TOWN_POPULATION = 10_000
#: A single word that names a place only through one of its alternate names, and a
#: small one (fewer people than this), is a place only where the text puts it as one
#: ("in X"): GeoNames' by-names of small places include ordinary words.
ALTERNATE_ONLY_POPULATION = 10_000

_WORD = re.compile(r"[^\W\d_]+(?:[-'’.][^\W\d_]+)*(?:['’]s)?", re.UNICODE)
#: A sentence ends at end punctuation before a capital, at a blank line, before a bullet,
#: and where a word runs into the next sentence without a space ("towns.Those cities").
_RUN_ON = r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]{2})"  # "towns.Those": no space after the stop
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*[-•*])|" + _RUN_ON
)
_RUN_ON_CUT = re.compile(_RUN_ON)


def sentence_at(spans: list[tuple[int, int]], position: int) -> tuple[int, int] | None:
    """The span in ``spans`` (from :func:`sentence_spans`) holding ``position``."""
    i = bisect_right(spans, (position, float("inf"))) - 1
    if i >= 0 and spans[i][0] <= position < spans[i][1]:
        return spans[i]
    return None


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries ``(start, end)``: end punctuation before a capital, blank lines."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        last_word = text[max(start, end - 5) : end].rsplit(None, 1)[-1:] or [""]
        if last_word[0].rstrip(".").lstrip("(\"'") in ABBREVIATED and "\n" not in match.group():
            continue  # "St. Louis", "Mr. Kim": not the end of a sentence
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


@dataclass(slots=True)
class _Token:
    start: int
    end: int  # without a possessive 's
    word: str
    capital: bool
    tag: bool = False  # the place of a party tag ("Tulsa" of "R-Tulsa")
    part: bool = False  # a name after a hyphen ("Toulouse" of "Nîmes-Toulouse")


def _tokens(text: str) -> list[_Token]:
    out = []
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isalpha():  # most words: no possessive, stop, hyphen or party tag
            start = match.start()
            out.append(_Token(start, start + len(word), word, word[:1].isupper()))
            continue
        cuts = [m.start() for m in _RUN_ON_CUT.finditer(word)]
        if cuts:  # "Berlin.Then": two sentences run together, two words
            for a, b in itertools.pairwise([0, *cuts, len(word)]):
                for token in _tokens(word[a:b]):
                    token.start += match.start() + a
                    token.end += match.start() + a
                    out.append(token)
            continue
        if word.endswith(("'s", "’s")) and len(word) > 2:
            word = word[:-2]
        word = word.rstrip(".")
        head, dash, tail = word.rpartition("-")
        if dash and head and tail in NAME_SUFFIXES:
            word = head  # "Seattle-based", "Canada-wide": the place is the head
        start = match.start()
        if _PARTY_TAG.match(word) and (start == 0 or text[start - 1] in "(, "):
            # "Sen. Jane Doe (R-Tulsa)": the place a politician stands for.
            out.append(_Token(start + 2, start + len(word), word[2:], True, tag=True))
            continue
        parts = word.split("-")
        if len(parts) > 1 and all(p[:1].isupper() and p.isalpha() for p in parts):
            # "Nîmes-Toulouse", "the Beijing-Shanghai railway": a word for each name; the
            # run joins them again, so a name with hyphens is still found whole
            # ("Winston-Salem").
            for k, part in enumerate(parts):
                out.append(_Token(start, start + len(part), part, True, part=k > 0))
                start += len(part) + 1
            continue
        out.append(_Token(start, start + len(word), word, word[:1].isupper()))
    return out


#: A party tag after a politician's name: party initial, hyphen, place ("D-N.Y", "R-Tulsa").
_PARTY_TAG = re.compile(r"[DRI]-[A-Z]")


def _runs(text: str, tokens: list[_Token]) -> list[list[int]]:
    """Indices of runs of capitalised tokens, joined only by spaces, hyphens or connectors."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, tok in enumerate(tokens):
        joined = bool(current) and (
            _adjacent(text, tokens[current[-1]], tok) or _after_an_initial(text, tokens, current)
        )
        if tok.capital:
            if current and not joined:
                runs.append(current)
                current = []
            current.append(i)
        elif current and joined and tok.word in CONNECTORS:
            current.append(i)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    # Connectors never end a run.
    for run in runs:
        while run and not tokens[run[-1]].capital:
            run.pop()
    return [run for run in runs if run]


def _after_an_initial(text: str, tokens: list[_Token], run: list[int]) -> bool:
    """Whether the run so far is a title or name, a given name and a middle initial before
    ". " ("President Lyndon B. Johnson"): the name goes on. Two names before the initial,
    so that "on Plan B. Paris was next" and "Route A. Dover" end where they stand."""
    if len(run) < 3:
        return False
    initial = tokens[run[-1]]
    return (
        len(initial.word) == 1
        and initial.word.isupper()
        and text.startswith(". ", initial.end)
        and all(tokens[k].capital for k in run[-3:])
    )


def _both_names(
    text: str, tokens: list[_Token], left: list[int], right: list[int], known: Mapping[str, Any]
) -> bool:
    """Whether the words on both sides of a hyphen end and begin a known name, neither a
    continent ("the Asia-Pacific region" is one region, not Asia and a town)."""
    end, start = tokens[left[-1]].end, tokens[right[0]].start
    lefts = [known.get(fold(text[tokens[i].start : end])) for i in left]
    rights = [known.get(fold(text[start : tokens[i].end])) for i in right]
    sides = [[c for c in lefts if c], [c for c in rights if c]]
    return all(side and side[0][0].feature != "CONT" for side in sides)


def _adjacent(text: str, a: _Token, b: _Token) -> bool:
    if b.part:
        return False  # names joined by a hyphen are one only if known whole (find_mentions)
    gap = text[a.end : b.start]
    if a.end < len(text) and text[a.end : a.end + 2] in ("'s", "’s"):
        return False  # "Kim's train": the possessive ends the name
    if gap == ". " and a.word in ("St", "Ste", "Mt", "Ft", "Pt"):
        return True  # "St. Louis"
    return gap in (" ", "-", "‐", "\u00a0")


def _ngram_keys(text: str, tokens: list[_Token], run: list[int], limit: int = 6) -> set[str]:
    keys = set()
    for i in range(len(run)):
        for n in range(1, min(limit, len(run) - i) + 1):
            first, last = tokens[run[i]], tokens[run[i + n - 1]]
            if first.capital and last.capital:
                keys.add(fold(text[first.start : last.end]))
    return keys


def _names_something(text: str, tokens: list[_Token], j: int) -> bool:
    """Whether token ``j`` continues a name ("Airways" after "British"), not a title."""
    if j >= len(tokens) or not tokens[j].capital:
        return False
    if not _adjacent(text, tokens[j - 1], tokens[j]):
        return False
    return tokens[j].word.lower() not in TITLES and tokens[j].word.lower() not in MODIFIERS


def _entity_mentions(
    text: str,
    tokens: list[_Token],
    entities: Iterable[tuple[int, int]],
    raw: list[tuple[int, int, list[Any]]],
    used: set[int],
    resolver: Resolver,
) -> list[tuple[int, int, list[Any]]]:
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
            out.append((first, last, known[key]))
            taken.update(range(first, last + 1))
    return out


def _before_area(
    text: str,
    tokens: list[_Token],
    i: int,
    known: dict[str, list[Any]],
    abbreviated: dict[int, Any],
) -> bool:
    """Whether token ``i`` is followed by ", " and a region or country ("Jackson, Miss.")."""
    j = i + 1
    if j >= len(tokens) or text[tokens[i].end : tokens[j].start] != ", ":
        return False
    if j in abbreviated:
        return True
    for n in (1, 2, 3):
        if j + n > len(tokens):
            break
        cands = known.get(fold(text[tokens[j].start : tokens[j + n - 1].end]), [])
        if any(c.feature in ("ADM1", "PCLI") for c in cands):
            return True
    return False


def _named_as_people(text: str, tokens: list[_Token]) -> set[str]:
    """Capitalised words the text uses as a person's name somewhere ("Georgia's father",
    "Georgia herself", "Georgia, 12,", "Ms Georgia"): not places anywhere in it."""
    people = set()
    after, before = _pattern("person after", KIN_NOUNS), _pattern("person before", PERSON_TITLES)
    for tok in tokens:
        if not tok.capital or tok.word in people:
            continue
        if after.match(text, tok.end) or before.search(text, max(0, tok.start - 12), tok.start):
            people.add(tok.word)
    return people


def _organisation_word(word: str) -> bool:
    """A word of organisation names: "Schools", "Public", "Village", an acronym."""
    low = word.lower()
    return (
        low in ORGANISATIONS
        or low.removesuffix("s") in ORGANISATIONS
        or _common(low)
        or _common(low.removesuffix("s"))  # "Lakes", "Islands"
        or (word.isupper() and len(word) >= 2)
    )


def _organisation_head(word: str) -> bool:
    """A head noun of organisation names ("University", "Council", "Schools", "Club")."""
    low = word.lower()
    return low in ORGANISATIONS or low in PUBLIC_BODIES or low.removesuffix("s") in ORGANISATIONS


def _placed(text: str, tokens: list[_Token], i: int) -> bool:
    """Whether the text puts token ``i`` as a place: right after a locative preposition
    ("in Springfield", "a man of Springfield", "from Jackson")."""
    if i == 0 or text[tokens[i - 1].end : tokens[i].start] != " ":
        return False
    return tokens[i - 1].word in LOCATIVES


#: Prepositions of a journey's ends and path: a large town after one of them anywhere in
#: a text is that town, even where another of its names uses the word.
_PATH_WORDS = frozenset({"to", "from", "via", "through", "at"})


def _words_put_as_places(text: str, tokens: list[_Token]) -> tuple[set[str], set[str]]:
    """The words the text puts as places somewhere (one pass over the text): after a
    locative preposition, and after "to", "from", "via", "through" or "at"."""
    located: set[str] = set()
    pathed: set[str] = set()
    for i, tok in enumerate(tokens):
        if i == 0:
            continue
        if _placed(text, tokens, i):
            located.add(tok.word)
        elif text[tokens[i - 1].end : tok.start] == " " and (
            tokens[i - 1].word.lower() in _PATH_WORDS
        ):
            pathed.add(tok.word)
    return located, pathed


def _sentence_initial(text: str, tok: _Token) -> bool:
    """Whether ``tok`` starts a sentence, a line or a quotation."""
    before = text[max(0, tok.start - 4) : tok.start].rstrip(" \"'“‘(")
    return not before or before[-1] in ".!?:\n"


def _qualifier_then_name(
    text: str,
    tokens: list[_Token],
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


def names_a_date(word: str, *, abbreviated: bool = False) -> bool:
    """Whether a folded word is a day's or month's name ("monday", "january"), or with
    ``abbreviated`` the first three letters or more of one ("jan", "tues")."""
    if not abbreviated:
        return word in TIME_WORDS
    return len(word) >= 3 and any(name.startswith(word) for name in TIME_WORDS)


def _abbreviated_date(text: str, tok: _Token) -> bool:
    """A month's abbreviation before the day ("Jan. 20")."""
    return re.match(r"\.?\s*\d", text[tok.end : tok.end + 4]) is not None and names_a_date(
        fold(tok.word), abbreviated=True
    )


def _without_a_date(
    text: str, tokens: list[_Token], run: list[int], known: dict[str, list[Any]]
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


def _split_at_connectors(tokens: list[_Token], run: list[int]) -> list[list[int]]:
    pieces: list[list[int]] = [[]]
    for i in run:
        if tokens[i].capital:
            pieces[-1].append(i)
        elif pieces[-1]:
            pieces.append([])
    return [piece for piece in pieces if piece]


def _match_run(
    text: str, tokens: list[_Token], run: list[int], known: dict[str, list[Any]]
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
    text: str, tokens: list[_Token], run: list[int], i: int, n: int, known: dict[str, list[Any]]
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


def _demonyms_and_abbreviations(
    text: str, tokens: list[_Token], resolver: Resolver
) -> tuple[list[Found], set[int], dict[int, Any]]:
    """Demonyms, country and region abbreviations; the tokens they use; regions by token."""
    found: list[Found] = []
    used: set[int] = set()
    regions: dict[int, Any] = {}
    demonyms = resolver.demonyms()
    countries: dict[str, Any] = {}

    def country(code: str) -> Any:
        if code not in countries:
            countries[code] = resolver.country(code)
        return countries[code]

    by_start = {tok.start: i for i, tok in enumerate(tokens)}
    for match in _pattern("abbreviation", frozenset(ABBREVIATIONS)).finditer(text):
        record = country(ABBREVIATIONS[match.group()])
        if record is None:
            continue
        found.append(Found(match.start(), match.end(), match.group(), "place", record, 1, 1.0))
        i = by_start.get(match.start())
        while i is not None and i < len(tokens) and tokens[i].start < match.end():
            used.add(i)
            i += 1
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
        while i < len(tokens) and tokens[i].start < match.end():
            used.add(i)
            i += 1
    for i, tok in enumerate(tokens):
        if i in used or not tok.capital:
            continue
        for n in (3, 2, 1):
            if i + n > len(tokens):
                continue
            last = tokens[i + n - 1]
            if not all(_adjacent(text, tokens[j], tokens[j + 1]) for j in range(i, i + n - 1)):
                continue
            code = demonyms.get(fold(text[tok.start : last.end]))
            if code and _names_something(text, tokens, i + n):
                break  # "British Airways", "British Columbia": part of a longer name
            if code and not last.word[:1].islower():
                record = country(code)
                if record is not None:
                    surface = text[tok.start : last.end]
                    found.append(Found(tok.start, last.end, surface, "demonym", record, 1, 1.0))
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
    return found, used, regions


def find_mentions(
    text: str, resolver: Resolver, *, entities: Iterable[tuple[int, int]] = ()
) -> list[Found]:
    """Every place mention in ``text``, in order, resolved in context.

    Parameters
    ----------
    text
        Any text; spans are ``str`` indices into it, end exclusive.
    resolver
        A :class:`route.gazetteer.Gazetteer` (or anything with the same
        ``lookup_keys``, ``demonyms``, ``country`` and ``region`` methods).
    entities
        Extra candidate spans, such as a named-entity recogniser's places
        (:mod:`route.ner`): each one the gazetteer knows, and that no other
        mention overlaps, is resolved in context like the rest.
    """
    tokens = _tokens(text)
    found, used, abbreviated = _demonyms_and_abbreviations(text, tokens, resolver)
    runs = []
    for run in _runs(text, tokens):
        run = [i for i in run if i not in used]
        # Leading function words ("The", "In") are not part of a name, unless they are
        # ("The Hague"): keep them only when the whole run is then a name.
        while len(run) > 1 and tokens[run[0]].word.lower() in LEADING:
            run = run[1:]
        if len(run) == 1 and tokens[run[0]].word.lower() in LEADING:
            continue  # "We", "The" at the start of a sentence
        # "the United Kingdom Sunday", "Turkey on Monday": the day is not part of the name.
        while len(run) > 1 and (
            fold(tokens[run[-1]].word) in TIME_WORDS or not tokens[run[-1]].capital
        ):
            run = run[:-1]
        if run and tokens[run[0]].capital:
            runs.append(run)
    keys: set[str] = set()
    for run in runs:
        keys |= _ngram_keys(text, tokens, run)
    # A possessive ends a name ("Kim's train") unless a name goes on through it
    # ("People's Republic of China", "Queen Anne's County"); so does a hyphen
    # ("Nîmes-Toulouse"), unless the names joined are one ("Winston-Salem").
    joins = [
        (k, run + runs[k + 1])
        for k, run in enumerate(runs[:-1])
        if runs[k + 1][0] == run[-1] + 1
        and (
            tokens[run[-1] + 1].part
            or text[tokens[run[-1]].end : tokens[run[-1] + 1].start] in ("'s ", "’s ")
        )
    ]
    crossing = {k: _ngram_keys(text, tokens, joined) - keys for k, joined in joins}
    known = resolver.lookup_keys(keys.union(*crossing.values()))
    for k, joined in reversed(joins):
        if any(key in known for key in crossing[k]) or (
            tokens[runs[k + 1][0]].part
            and not _both_names(text, tokens, runs[k], runs[k + 1], known)
        ):
            runs[k : k + 2] = [joined]  # "Vest-Agder", "Jean-Pierre": one name, as written
    # "departed Alameda Jan. 20": the month is not part of the name (but "Del Mar. 20 …" is)
    runs = [_without_a_date(text, tokens, run, known) for run in runs]

    names_of_people: set[str] = _named_as_people(text, tokens)
    names_in_runs: set[str] = set()  # words of other names: people's, unless put as places
    put_as_places: tuple[set[str], set[str]] | None = None  # read once, when first needed
    lowercase_words = set(re.findall(r"\b[a-z]+\b", text))
    speakers = {m.group(1) or m.group(2) for m in _pattern("speaker", SPEECH_VERBS).finditer(text)}
    singles: list[tuple[int, list[Any]]] = []  # (token index, candidates)
    multi: list[tuple[int, int, list[Any]]] = []
    inside: list[tuple[int, int, list[Any]]] = []
    after_of: set[int] = set()  # first tokens of pieces after "of" ("School of Law")
    before_of: set[int] = set()  # last tokens of pieces before "of" ("Tour" of "Tour de France")
    organisations: set[int] = set()  # ... after an organisation's head ("Bank of England")
    embedded: set[int] = {i for i, tok in enumerate(tokens) if tok.tag}  # first tokens
    pending = deque(runs)
    demonym_words = set(resolver.demonyms())
    while pending:
        run = pending.popleft()
        matches = _match_run(text, tokens, run, known)
        covers = len(matches) == 1 and matches[0] == (0, len(run) - 1)
        if (
            len(run) > 1
            and matches == [(1, len(run) - 1)]
            and fold(tokens[run[0]].word) in demonym_words
        ):
            pending.appendleft(run[1:])  # "British Hong Kong", "French Indochina": the place
            continue
        if _qualifier_then_name(text, tokens, run, matches, known):
            # "Cape Town, South Africa Auckland, New Zealand" (a table's columns run
            # together): the country qualifies the town before it; the next name is its own
            cut = matches[0][1] + 1
            pending.extendleft([run[cut:], run[:cut]])
            continue
        if (
            not covers
            and len(run) > 1
            and (  # an ordinary word ...
                tokens[run[0]].word.lower() in lowercase_words
                or tokens[run[0]].word.lower().endswith(("ing", "ly"))  # "Neighbouring"
                or tokens[run[0]].word.lower() in FIELD_WORDS  # "Start Adelaide"
            )
            and _sentence_initial(text, tokens[run[0]])  # ... capitalised by the sentence
        ):
            rest = run[1:]
            rest_matches = _match_run(text, tokens, rest, known)
            if rest_matches == [(0, len(rest) - 1)]:  # "One Edmonton resident": not "One"
                pending.appendleft(rest)
                continue
        if not covers:
            pieces = _split_at_connectors(tokens, run)
            if len(pieces) > 1:  # "Pyongyang on Sunday": judge "Pyongyang" and "Sunday" alone
                after_of.update(
                    p[0] for p in pieces[1:] if tokens[p[0] - 1].word.lower() in ("of", "de")
                )
                before_of.update(
                    p[-1] for p in pieces[:-1] if tokens[p[-1] + 1].word.lower() in ("of", "de")
                )
                # "Bank of England", "Voice of America": an organisation, not the place.
                organisations.update(
                    q[0]
                    for p, q in itertools.pairwise(pieces)
                    if tokens[q[0] - 1].word.lower() == "of"
                    and tokens[p[-1]].word.lower() in ORGANISATIONS
                )
                pending.extendleft(reversed(pieces))
                continue
            # A name that is not a place: remember its words ("Kim" of "Kim Jong Un"),
            # but not a country's or a large city's ("China" of "Air China"); elsewhere
            # they are places only where the text puts them as places ("in Kim").
            # An organisation's name ("Buffalo Public Schools", "CDC Atlanta") says
            # nothing about its words.
            # A station's, a site's or a built work's name ("Dombås Tunnel", "Rauma Line")
            # is named after its place, not a person; its words stay places elsewhere.
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
                    cands = known.get(fold(tokens[i].word))
                    if tokens[i].capital and not (cands and _strong(cands[0])):
                        names_in_runs.add(tokens[i].word)
            # A place before a title is still that place ("Texas Senator Ted Cruz",
            # "Ontario Premier Doug Ford"). A place heading the name of its public body
            # ("California Department of Public Health", "Seoul City Hall") or of another
            # organisation ("Kansas State University", "Springfield Rotary Club") is
            # embedded in that name; before other words it names nothing ("Texas A&M",
            # "Paris Hilton").
            for lo, hi in matches:
                first, last = tokens[run[lo]], tokens[run[hi]]
                cands = known[fold(text[first.start : last.end])]
                after = " ".join(t.word.lower() for t in (tokens[i] for i in run[hi + 1 : hi + 3]))
                head = after.partition(" ")[0]
                area = cands[0].feature in AREA_LEVEL
                second = after.partition(" ")[2]
                # "Texas Senator", "Quebec Health Minister" (not "Queensland Police": a body)
                titled = (head in TITLES and head not in PUBLIC_BODIES) or (
                    head in MODIFIERS and second in TITLES and second not in PUBLIC_BODIES
                )
                if titled:
                    if cands[0].score >= REGION_INSIDE_SCORE:
                        inside.append((run[lo], run[hi], cands))
                elif cands[0].feature not in AREA_LEVEL and (
                    (
                        lo == 0
                        and _facility_of_town(
                            [tokens[i].word.lower() for i in run[hi + 1 :]], cands
                        )
                    )
                    or (
                        lo > 0
                        and hi == len(run) - 1
                        and tokens[run[lo - 1]].word.lower() in STATION_WORDS
                    )
                ):
                    # "Milano Centrale", "Paris Gare de Lyon", "Altus Air Force Base": a
                    # station, port or airport gives its town; so does an installation
                    # named by its kind and then its town ("Naval Station Norfolk")
                    if hi > lo:
                        multi.append((run[lo], run[hi], cands))
                    else:
                        singles.append((run[lo], cands))
                elif (
                    lo == 0
                    and (
                        head in PUBLIC_BODIES
                        or _state_body(after)
                        or any(_organisation_head(tokens[i].word) for i in run[hi + 1 :])
                    )
                    and not all(_common(fold(tokens[i].word)) for i in run[lo : hi + 1])
                    and (area or cands[0].score >= LARGE_TOWN_SCORE)
                ):
                    inside.append((run[lo], run[hi], cands))
                    embedded.add(run[lo])
            continue
        first, last = tokens[run[0]], tokens[run[-1]]
        cands = known[fold(text[first.start : last.end])]
        if run[0] in organisations:
            embedded.add(run[0])  # "University of New Mexico"
        if len(run) == 1:
            singles.append((run[0], cands))
        elif _strong(cands[0]) or not all(_common(fold(tokens[i].word)) for i in run):
            multi.append((run[0], run[-1], cands))
        # else: "White House", "Red Cross": ordinary words, not a town of that name

    pathogens = _pathogens(text)
    raw: list[tuple[int, int, list[Any]]] = [
        m
        for m in multi + inside
        if fold(text[tokens[m[0]].start : tokens[m[1]].end]) not in pathogens
        or m[2][0].feature == "PCLI"
    ]
    uncoded: dict[str, list[Any]] = {}  # candidates without codes, by name
    for i, cands in singles:
        tok = tokens[i]
        key = fold(tok.word)
        if not tok.word.isupper() and any(c.matched == "code" for c in cands):
            # "Sea", not Seattle's "SEA"; one list per name (lists are told apart by id)
            cands = uncoded.setdefault(key, [c for c in cands if c.matched != "code"])
            if not cands:
                continue
        if key in pathogens and cands[0].feature != "PCLI":
            continue
        by_area = _before_area(text, tokens, i, known, abbreviated)
        if (_common(key) or key in TITLES) and not by_area:
            continue  # "Summit", "Secretary" (of State): words; not "Independence, Missouri"
        placed = _placed(text, tokens, i) or by_area
        if tok.word in names_of_people and not placed:
            continue  # "Georgia's father"; but "Jackson, Miss." and "in Jackson" are towns
        if tok.word in names_in_runs and not placed:
            if put_as_places is None:
                put_as_places = _words_put_as_places(text, tokens)
            located, pathed = put_as_places
            large = cands[0].population >= TOWN_OVER_REGION
            if tok.word not in located and not (large and tok.word in pathed):
                continue  # "Kim" of "Kim Jong Un"; but "Ferrocarril Huancayo … goes to Huancayo"
        if key in ORGANISATIONS:
            continue  # "Bank" of "Bank of England"
        if i in before_of and cands[0].matched == "alternate" and not placed:
            continue  # "Tour" of "Tour de France": the head of a name, not Tours's by-name
        if (
            cands[0].matched == "alternate"
            and cands[0].population < ALTERNATE_ONLY_POPULATION
            and not placed
        ):
            continue  # "Headquarters", "Mormon": a small place's by-name, read as a word
        strong = _strong(cands[0])
        if key in ORDINARY_WORDS and _sentence_initial(text, tok):
            continue  # "Nice work", "Reading the report": capitalised by the sentence
        if i in after_of and i not in organisations and not strong:
            continue  # "School of Law", "Church of St Paul": part of a name
        area = cands[0].feature in AREA_LEVEL
        if not area and tok.word.lower() in lowercase_words and _sentence_initial(text, tok):
            continue  # "Can you imagine": the text uses the word as an ordinary one
        if tok.word in speakers and not placed and all(c.feature in ("PPL", "ADM2") for c in cands):
            continue  # "Dunn asked", "said Dunn": a person (capitals may speak for countries)
        if tok.word.isupper() and len(tok.word) <= 3:
            continue  # an acronym, not a town
        if tok.word in PERSON_TITLES and text.startswith(".", tok.end):
            continue  # "Rep. Doe", "Gov. Roe": a title, not a town
        raw.append((i, i, cands))

    raw.extend(_entity_mentions(text, tokens, entities, raw, used, resolver))

    # Context: the countries the text names, and the places it names unambiguously.
    # A name's own best guess is no context for itself: "Paris" is not evidence for France
    # when the text around it names Dallas and Houston; "Georgia" not for Georgia.
    named = {f.candidate.country for f in found}
    countries_of: dict[int, str] = {}
    anchors: dict[int, Any] = {}
    regions_of: dict[int, tuple[str, str]] = {}
    for _, _, cands in raw:
        top = cands[0]
        clear = len(cands) == 1 or top.score - cands[1].score >= CLEAR_MARGIN
        if top.feature == "PCLI":
            countries_of[id(cands)] = top.country
        elif top.feature in DIVISIONS and clear:  # a county names its state too
            regions_of[id(cands)] = (top.country, top.admin1)
        if top.feature not in COUNTRY_LEVEL | {"ADM1"} and clear and top.score >= MIN_SCORE:
            anchors[id(cands)] = top  # towns, and counties (small enough to be near)
    listed = _listed_with_regions(text, tokens, raw)
    qualified = _comma_qualified(text, tokens, raw, abbreviated)
    chosen: dict[int, tuple[Any | None, float]] = {}  # the same name, the same context
    for a, b, cands in raw:
        first, last = tokens[a], tokens[b]
        kind: Kind = "embedded" if a in embedded else "place"
        if a in qualified:
            found.append(Found(first.start, last.end, text[first.start : last.end], kind,
                               qualified[a], len(cands), 1.0))  # fmt: skip
            continue
        region = _qualified_region(text, first.start, last.end, cands)
        if region is not None:
            found.append(Found(first.start, last.end, text[first.start : last.end], kind,
                               region, len(cands), 1.0))  # fmt: skip
            continue
        if id(cands) not in chosen:
            own = id(cands)
            others = list({c.geonameid: c for k, c in anchors.items() if k != own}.values())
            told = (  # the countries the text names, or names regions of
                named
                | {c for k, c in countries_of.items() if k != own}
                | {r[0] for k, r in regions_of.items() if k != own}
            )
            context = Context(
                countries=told | {c.country for c in others},  # naming Hanoi names Vietnam
                regions={r for k, r in regions_of.items() if k != own}
                | {(c.country, c.admin1) for c in others},
                anchors=others,
                listed_with=listed.get(own, set()),
                named=told,
            )
            chosen[own] = _choose(cands, context, strict=a == b, name=text[first.start : last.end])
        best, confidence = chosen[id(cands)]
        if best is None:
            continue
        surface = text[first.start : last.end]
        found.append(Found(first.start, last.end, surface, kind, best, len(cands), confidence))
    facilities = _facility_names(tokens, runs)
    found.sort(key=lambda f: f.start)
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


def _facility_of_town(after: list[str], cands: list[Any]) -> bool:
    """Whether a town's name followed by the words ``after`` (of the same name) is a
    station, port or airport of that town: a station word right after it ("Milano
    Centrale"), or a name of up to three more words ending in one, when the town is
    large enough to give a facility its name ("Cologne Bonn Airport")."""
    if not after:
        return False
    if after[0] in STATION_WORDS:
        return True
    return (
        len(after) <= 3
        and after[-1] in STATION_WORDS
        and cands[0].population >= FACILITY_TOWN_POPULATION
    )


def _facility_names(tokens: list[_Token], runs: list[list[int]]) -> set[str]:
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


def _state_body(after: str) -> bool:
    """Whether ``after`` (the two words after a name) is "state police" and the like."""
    first, _, second = after.partition(" ")
    return first == "state" and second in STATE_BODIES


def _strong(cand: Any) -> bool:
    """A country, continent or large city: its name is a place even inside other names."""
    return cand.feature in COUNTRY_LEVEL or cand.score >= STRONG_SCORE


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


_LIST_GAP = re.compile(r"\s*(?:,|,? and|,? or|&)\s*")


def _listed_with_regions(
    text: str, tokens: list[_Token], raw: list[tuple[int, int, list[Any]]]
) -> dict[int, set[str]]:
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


def _comma_qualified(
    text: str,
    tokens: list[_Token],
    raw: list[tuple[int, int, list[Any]]],
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


def _after_facility(text: str, tokens: list[_Token], b: int) -> int:
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


class _Anchors:
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
        if not self.valid or not (
            math.isfinite(place.lat)
            and math.isfinite(place.lon)
            and abs(place.lat) <= 90
            and abs(place.lon) <= 180
        ):  # geodesic_km's own error
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

    def _angles(self, place: Any) -> Any:
        """Central angles (radians, on a sphere) from ``place`` to every anchor."""
        import numpy as np

        lat, lon = math.radians(place.lat), math.radians(place.lon)
        half = np.sin((self.rad_lats - lat) / 2) ** 2 + math.cos(lat) * self.cos_lats * (
            np.sin((self.rad_lons - lon) / 2) ** 2
        )
        return 2 * np.arcsin(np.sqrt(np.clip(half, 0.0, 1.0)))


def _choose(
    cands: list[Any], context: Context, *, strict: bool = True, name: str = ""
) -> tuple[Any | None, float]:
    """The best candidate in context and its confidence; ``None`` if too weak.

    Candidates in the countries and regions the rest of the text names win, so
    do towns near its other towns; then the gazetteer's prior (population,
    feature). ``strict`` (one-word names) drops a best candidate scoring under
    :data:`MIN_SCORE`; a multi-word name matched whole is trusted.
    """
    contested = len({c.feature in COUNTRY_LEVEL for c in cands[:25]}) > 1
    scored = []
    nearest_km = _Anchors(context.anchors).nearest_km
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
            penalty += DISTANCE_WEIGHT * math.log10(1 + nearest / 100.0)
        # Far from the story is evidence against, not a veto: "observers in Washington".
        scored.append((score - min(penalty, MAX_PENALTY), cand))
    scored.sort(key=lambda sc: -sc[0])
    best_score, best = scored[0]
    if best.feature in DIVISIONS:
        # A region and a town of it share the name ("New York", "Moscow"): the town,
        # unless the text says "state" (see _qualified_region).
        town = next(
            (
                (s, c)
                for s, c in scored
                if c.feature not in AREA_LEVEL
                and (c.country, c.admin1) == (best.country, best.admin1)
                and c.population >= TOWN_OVER_REGION
                and c.matched == "name"  # "Moscow"; "New York" (City), see the gazetteer
            ),
            None,
        )
        if town is not None:
            best_score, best = town
    weak = (
        best_score < MIN_SCORE
        and _own_score(best, name) < LARGE_TOWN_SCORE
        and best.population < LARGE_TOWN_POPULATION  # "Seville": Sevilla's English name
    )
    if strict and best.feature not in COUNTRY_LEVEL and weak:
        # Weak after context, and no large town by itself (Malakal, 160,000 people, far
        # from the rest of a text about Sudan, stays).
        return None, 0.0
    total = sum(10 ** (s - best_score) for s, _ in scored)
    return best, round(min(1.0, 1.0 / total), 3)
