"""A text's words, runs of capitalised words and sentences; the one ``fold`` of names.

Pure text processing, shared by the place extractor (:mod:`route.extract`), the
gazetteer's keys (:func:`fold`) and the journey reader's
:class:`~route.document.Document` (:func:`sentence_spans`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from .words import ABBREVIATED, CONNECTORS, NAME_SUFFIXES, no_name_word_in_titles

__all__ = [
    "Token",
    "adjacent",
    "capital_runs",
    "fold",
    "linked_after",
    "linked_before",
    "ngram_keys",
    "sentence_at",
    "sentence_initial",
    "sentence_spans",
    "split_at_connectors",
    "title_case_line",
    "tokenise",
    "word_before",
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
class Token:
    """A word of a text: its span, the word as matched against names, and whether it
    is capitalised."""

    start: int
    end: int  # without a possessive 's
    word: str
    capital: bool
    tag: bool = False  # the place of a party tag ("Tulsa" of "R-Tulsa")
    part: bool = False  # a name after a hyphen ("Toulouse" of "Nîmes-Toulouse")


def tokenise(text: str) -> list[Token]:
    """The words of ``text``, in order, as the extractor reads them.

    A possessive "'s", a final full stop and an adjective's ending ("-based") are left
    out of a word; a party tag ("R-Tulsa") gives its place; names joined by hyphens
    ("Nîmes-Toulouse") are a word each, and words run together across a sentence's end
    ("Berlin.Then") are two.
    """
    out = []
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isalpha():  # most words: no possessive, stop, hyphen or party tag
            start = match.start()
            out.append(Token(start, start + len(word), word, word[:1].isupper()))
            continue
        cuts = [m.start() for m in _RUN_ON_CUT.finditer(word)]
        if cuts:  # "Berlin.Then": two sentences run together, two words
            for a, b in itertools.pairwise([0, *cuts, len(word)]):
                for token in tokenise(word[a:b]):
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
            out.append(Token(start + 2, start + len(word), word[2:], True, tag=True))
            continue
        parts = word.split("-")
        if len(parts) > 1 and all(p[:1].isupper() and p.isalpha() for p in parts):
            # "Nîmes-Toulouse", "the Beijing-Shanghai railway": a word for each name; the
            # run joins them again, so a name with hyphens is still found whole
            # ("Winston-Salem").
            for k, part in enumerate(parts):
                out.append(Token(start, start + len(part), part, True, part=k > 0))
                start += len(part) + 1
            continue
        out.append(Token(start, start + len(word), word, _capitalised(parts)))
    return _in_capital_lines(text, out)


#: The Arabic article in romanised names, with the forms it takes before sun letters
#: ("Deir ez-Zor", "Umm ar-Rasas", "Dhahran ash-Sharqiyah"); written joined to its word by
#: a hyphen, so never the English words "as", "at" or "an".
_HYPHENED_ARTICLES = frozenset(
    "al el ad adh an ar as ash at ath az ed en er es esh et ez ul".split()
)


#: French and Italian "of" and articles elided before a vowel ("Coeur d'Alene", "Cortina
#: d'Ampezzo", "Reggio nell'Emilia").
_ELIDED = re.compile(r"(?:d|l|dell|dall|nell|sull|all)['’](.)")


def _capitalised(parts: list[str]) -> bool:
    """Whether a word (split at its hyphens) is a name's word: capitalised, an elided
    particle before a capitalised word ("d'Alene" of "Coeur d'Alene"), or the Arabic
    article joined by a hyphen to a capitalised word ("el-Sheikh" of "Sharm el-Sheikh",
    "al-Khaimah", "ez-Zor")."""
    if parts[0][:1].isupper():
        return True
    elided = _ELIDED.match(parts[0])
    if elided is not None and elided.group(1).isupper():
        return True
    return len(parts) == 2 and parts[0] in _HYPHENED_ARTICLES and parts[1][:1].isupper()


def title_case_line(line: str) -> bool:
    """Whether a line is a headline in title case: three words or more, every one of four
    letters or more capitalised, not all in capitals, no full stop at its end ("President
    Arrives In Hanoi After Train Journey From Pyongyang")."""
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    long = [w for w in words if len(w) >= 4]
    return (
        len(words) >= 3
        and bool(long)
        and line.rstrip()[-1:] not in ".!?,;:"
        and all(w[0].isupper() for w in long)
        and not all(w.isupper() for w in long)
    )


def _in_runs_of_capitals(text: str, tokens: list[Token]) -> None:
    """In two words or more set in capitals within running text (a chapter's opening:
    "WE REACHED BOMBAY AT SUNSET and …") the function words and a log's verbs are no
    name's words (:func:`route.words.no_name_word_in_titles`): "BOMBAY" stands alone."""
    for k, token in enumerate(tokens):
        low = token.word.lower()
        if not token.capital or low in CONNECTORS or not no_name_word_in_titles(low):
            continue
        if len(token.word) < 2 or not token.word.isupper():
            continue
        neighbours = (tokens[k - 1] if k else None, tokens[k + 1] if k + 1 < len(tokens) else None)
        if any(
            n is not None
            and len(n.word) >= 2
            and n.word.isupper()
            and not text[min(n.end, token.end) : max(n.start, token.start)].strip(" '’-")
            for n in neighbours
        ):
            token.capital = False


def _in_capital_lines(text: str, tokens: list[Token]) -> list[Token]:
    """In a line all in capitals ("LIVERPOOL TO SIERRA LEONE", a chapter's title) or in
    title case ("President Arrives In Hanoi From Pyongyang", a headline) the case says
    nothing of a function word ("TO", "The", "Aboard") or a log's verb ("Arrives"): it is
    no capitalised word there, so it parts the names around it as in running text."""
    _in_runs_of_capitals(text, tokens)
    breaks: list[int] | None = None  # the text's line breaks, found once if needed
    capital_line: dict[int, bool] = {}  # a line (by number): whether its case says nothing
    for token in tokens:
        low = token.word.lower()
        if not token.capital or low in CONNECTORS or not no_name_word_in_titles(low):
            continue
        if not (token.word.isupper() or token.word[1:].islower()):
            continue
        if breaks is None:
            breaks = [m.start() for m in re.finditer("\n", text)]
        number = bisect_right(breaks, token.start)
        if number not in capital_line:
            start = breaks[number - 1] + 1 if number else 0
            line = text[start : breaks[number] if number < len(breaks) else len(text)]
            capitals = line.isupper() and len(_WORD.findall(line)) >= 2
            capital_line[number] = capitals or title_case_line(line)
        if capital_line[number]:
            token.capital = False
    return tokens


#: A party tag after a politician's name: party initial, hyphen, place ("D-N.Y", "R-Tulsa").
_PARTY_TAG = re.compile(r"[DRI]-[A-Z]")


def capital_runs(text: str, tokens: list[Token]) -> list[list[int]]:
    """Indices of runs of capitalised tokens, joined only by spaces, hyphens or connectors."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, tok in enumerate(tokens):
        joined = bool(current) and (
            adjacent(text, tokens[current[-1]], tok) or _after_an_initial(text, tokens, current)
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


def _after_an_initial(text: str, tokens: list[Token], run: list[int]) -> bool:
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


def adjacent(text: str, a: Token, b: Token) -> bool:
    """Whether ``b`` goes on the name ``a`` is in: only a space, a hyphen or the stop
    of "St. " between them, and no possessive after ``a``."""
    if b.part:
        return False  # names joined by a hyphen are one only if known whole (find_mentions)
    gap = text[a.end : b.start]
    if a.end < len(text) and text[a.end : a.end + 2] in ("'s", "’s"):
        return False  # "Kim's train": the possessive ends the name
    if gap == ". " and a.word in ("St", "Ste", "Mt", "Ft", "Pt"):
        return True  # "St. Louis"
    return gap in (" ", "-", "‐", "\u00a0")


def ngram_keys(text: str, tokens: list[Token], run: list[int], limit: int = 6) -> set[str]:
    """The folded names of every stretch of up to ``limit`` tokens of ``run`` that
    starts and ends with a capitalised word: the keys to look up."""
    keys = set()
    for i in range(len(run)):
        for n in range(1, min(limit, len(run) - i) + 1):
            first, last = tokens[run[i]], tokens[run[i + n - 1]]
            if first.capital and last.capital:
                keys.add(fold(text[first.start : last.end]))
    return keys


def split_at_connectors(tokens: list[Token], run: list[int]) -> list[list[int]]:
    """The capitalised pieces of ``run`` between its connectors ("Pyongyang", "Sunday"
    of "Pyongyang on Sunday")."""
    pieces: list[list[int]] = [[]]
    for i in run:
        if tokens[i].capital:
            pieces[-1].append(i)
        elif pieces[-1]:
            pieces.append([])
    return [piece for piece in pieces if piece]


def sentence_initial(text: str, tok: Token) -> bool:
    """Whether ``tok`` starts a sentence, a line (after its bullet: "- Off the ship at
    Fengdu") or a quotation."""
    line = text[text.rfind("\n", 0, tok.start) + 1 : tok.start].strip(" \t\"'“‘(")
    if line in _BULLETS:
        return True
    before = text[max(0, tok.start - 4) : tok.start].rstrip(" \"'“‘(")
    return not before or before[-1] in ".!?:\n"


#: The marks a list's line may open with.
_BULLETS = frozenset({"-", "•", "*", "·", "–", "—"})


#: A spaced dash or an arrow that links the towns of a route ("Tokyo - Chitose - Nome"),
#: after a name (a word, or its country in brackets) and before the next one.
_LINK_BEFORE = re.compile(r"[^\W_][.)]?\s(?:[–—―‒-]{1,2}|→|->)\s+$")
#: The same after a name, perhaps past its country or region, in brackets or after a
#: comma ("Basra (Iraq) - Karachi", "Nome, Alaska - Fairbanks").
_LINK_AFTER = re.compile(
    r"(?:\s*\([^()\n]{1,30}\)|,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?"
    r"\s+(?:[–—―‒-]{1,2}|→|->)\s+(?=[^\W\d_])"
)


def linked_before(text: str, start: int) -> bool:
    """Whether a route's link (a spaced dash or an arrow) joins the name at ``start`` to a
    name before it ("Dakar - Casablanca")."""
    return _LINK_BEFORE.search(text, max(0, start - 6), start) is not None


def linked_after(text: str, end: int) -> bool:
    """Whether a route's link joins the name ending at ``end``, perhaps past its country
    or region, to a capitalised name after it ("Basra (Iraq) - Karachi", not "Vichy
    France - a study")."""
    m = _LINK_AFTER.match(text, end)
    return m is not None and text[m.end()].isupper()


def word_before(text: str, tokens: list[Token], i: int) -> str:
    """The word right before token ``i``, in lower case, where one space parts them ("from"
    of "from Long Beach"); else ``""``."""
    if i == 0 or text[tokens[i - 1].end : tokens[i].start] != " ":
        return ""
    return tokens[i - 1].word.lower()
