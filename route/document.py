"""A text read once: its sentences and lines, and the dependency parse of the sentences asked for.

The :class:`Document` is shared by the journey reader (:mod:`route.journey`)
and the claim reader (:mod:`route.claims`). Sentences come from route's own
splitter, refined at line breaks: a heading or list line ("Day 3: Lyon –
Avignon") is a sentence of its own, unless the text is hard-wrapped prose
(lines of even length that run on). The parse is spaCy's, made only for the
sentences a reader asks for, in batches, so a long text costs what its
journey sentences cost.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from unicodedata import category
from unicodedata import name as _char_name

__all__ = ["Document", "load_list", "load_sets", "load_table"]

_LINE = re.compile(r"[^\n]+")
#: Sentences longer than this many characters are cut for the parser (a pasted table).
MAX_PARSE_CHARS = 5000

#: A short aside in round brackets, within one line.
_BRACKETED = re.compile(r"\(([^()\n]{1,400})\)")
#: A pronunciation: "(/ˈhaʊlənd/)", "(/ˈhaʊlənd/ HOW-lənd)".
_PRONUNCIATION = re.compile(r"\s*/[^/]+/")


def _foreign(text: str) -> bool:
    """Whether ``text`` holds a letter of a script other than Latin (a name in Chinese,
    Arabic or Cyrillic). Modifier letters ("ʻ" of "Hawaiʻi", "ʿ") are no script's."""
    return any(
        c.isalpha() and category(c) != "Lm" and "LATIN" not in _char_name(c, "") for c in text
    )


def blank_glosses(sentence: str) -> str:
    """``sentence`` with its glosses blanked out for the parser, every other character
    where it was.

    A gloss is an aside in brackets that gives a name in another script, or its
    pronunciation: "Deng's southern tour (simplified Chinese: 邓小平南巡) was …".
    Encyclopaedic and news prose put them right after the subject, where the parser,
    which has seen few of them, takes a word of the foreign name for the subject of the
    sentence. An aside in Latin letters stays ("(280 km; 170 mi)", "(now Yangon)",
    "(Hungarian: Budapest)", where the name may be a stop).
    """

    def blank(match: re.Match[str]) -> str:
        inner = match.group(1)
        if _PRONUNCIATION.match(inner) or _foreign(inner):
            return " " * len(match.group())
        return match.group()

    return _BRACKETED.sub(blank, sentence)


def _hard_wrapped(text: str) -> bool:
    """True for prose wrapped at a fixed width (Project Gutenberg style)."""
    lengths = [len(m.group().rstrip()) for m in _LINE.finditer(text)]
    long = [n for n in lengths if n >= 20]
    if len(long) < 6:
        return False
    width = sorted(long)[len(long) * 9 // 10]
    wrapped = sum(1 for n in long if width - 15 <= n <= width)
    return width <= 100 and wrapped >= 0.6 * len(long)


def _split_lines(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for start, end in spans:
        piece_start = start
        for match in re.finditer(r"\n", text[start:end]):
            cut = start + match.start()
            if text[piece_start:cut].strip():
                out.append((piece_start, cut))
            piece_start = cut + 1
        if text[piece_start:end].strip():
            out.append((piece_start, end))
    return out


def _strip(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


#: A quotation: curly or straight quotation marks, not across a blank line.
_QUOTED = re.compile(r'“(?:[^”\n]|\n(?!\s*\n))*”|"(?:[^"\n]|\n(?!\s*\n))*"')


@dataclass
class Document:
    """A text with its sentences; parses are made on demand and kept.

    Parameters
    ----------
    text
        The text; every span is a ``str`` index into it, end exclusive.
    """

    text: str
    sentences: list[tuple[int, int]] = field(init=False)
    _parses: dict[int, Any] = field(init=False, default_factory=dict, repr=False)
    _headings: list[str] = field(init=False, default_factory=list, repr=False)
    _quotes: list[tuple[int, int]] | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        from .tokens import sentence_spans

        spans = sentence_spans(self.text)
        if not _hard_wrapped(self.text):
            spans = _split_lines(self.text, spans)
        self.sentences = [_strip(self.text, s) for s in spans]

    def sentence_index(self, position: int) -> int | None:
        """Index of the sentence holding ``position`` (``None`` between sentences)."""
        i = bisect_right(self.sentences, (position, float("inf"))) - 1
        if i >= 0 and self.sentences[i][0] <= position < self.sentences[i][1]:
            return i
        return None

    def _alone(self, index: int) -> bool:
        """Whether sentence ``index`` is a line of its own."""
        start, end = self.sentences[index]
        before = self.text[max(0, start - 1) : start]
        after = self.text[end : end + 1]
        return before in ("", "\n") and after in ("", "\n")

    def is_heading(self, index: int) -> bool:
        """A line of a few words standing alone, without closing punctuation ("History")."""
        start, end = self.sentences[index]
        line = self.text[start:end]
        return self._alone(index) and len(line.split()) <= 6 and line.rstrip()[-1:] not in ".!?,;:"

    def _a_headline(self, index: int) -> bool:
        """A line standing alone in title case (:func:`route.tokens.title_case_line`)."""
        from .tokens import title_case_line

        start, end = self.sentences[index]
        return self._alone(index) and title_case_line(self.text[start:end])

    def heading_of(self, index: int) -> str:
        """The heading of the section sentence ``index`` is in (``""`` before any)."""
        if not self._headings:
            current = ""
            headings = []
            for i in range(len(self.sentences)):
                if self.is_heading(i):
                    current = self.sentence_text(i)
                headings.append(current)
            self._headings = headings
        return self._headings[index]

    def quoted(self, position: int) -> bool:
        """Whether ``position`` is inside quotation marks (“…” or "…", within a paragraph)."""
        if self._quotes is None:
            self._quotes = [m.span() for m in _QUOTED.finditer(self.text)]
        i = bisect_right(self._quotes, (position, float("inf"))) - 1
        return i >= 0 and self._quotes[i][0] < position < self._quotes[i][1]

    def sentence_text(self, index: int) -> str:
        """The sentence with its white space folded."""
        start, end = self.sentences[index]
        return " ".join(self.text[start:end].split())

    def parse(self, indices: Iterable[int]) -> None:
        """Parse these sentences (those not parsed yet), in one batch; a sentence parsed
        before, in this text or another, comes from the parse cache (:mod:`route.parses`)."""
        todo = sorted({i for i in indices if i not in self._parses})
        if not todo:
            return
        from .parses import MAX_CACHED_SENTENCES, Parse, default_cache

        texts = []
        for i in todo:
            start, end = self.sentences[i]
            sentence = self.text[start : min(end, start + MAX_PARSE_CHARS)].replace("\n", " ")
            if self._a_headline(i):
                sentence = headline_for_parser(sentence)
            sentence = log_verb_for_parser(capitals_for_parser(dashes_for_parser(sentence)))
            texts.append(blank_glosses(sentence))
        cache = default_cache() if len(self.sentences) <= MAX_CACHED_SENTENCES else None
        kept = cache.get_many(texts) if cache is not None else {}
        missing = list(dict.fromkeys(t for t in texts if t not in kept))
        if missing:
            from .nlp import load_pipeline

            nlp = load_pipeline()
            fresh = {
                t: Parse.from_spacy(doc)
                for t, doc in zip(missing, nlp.pipe(missing, batch_size=64), strict=True)
            }
            if cache is not None:
                cache.put_many(fresh)
            kept.update(fresh)
        for i, text in zip(todo, texts, strict=True):
            self._parses[i] = kept[text]

    def release(self, indices: Iterable[int]) -> None:
        """Drop the parses of these sentences (a long text keeps only what it needs)."""
        for i in indices:
            self._parses.pop(i, None)

    def parsed(self, index: int) -> Any:
        """The :class:`~route.parses.Parse` of sentence ``index`` (parsed now if it was
        not): spaCy's parse, as the reader reads it."""
        self.parse([index])
        return self._parses[index]


def headline_for_parser(line: str) -> str:
    """A title-case headline as the parser reads it best: its capitalised function words,
    motion verbs, journey nouns, mode and path words in lower case, the length unchanged
    ("Secretary Kerry Travel To Colombo" → "… travel to Colombo"). The small parser
    takes a capitalised "Travel" for a name; so lowered, it is the verb it is."""
    from .words import title_words

    words = title_words()

    def lower(match: re.Match[str]) -> str:
        word = match.group()
        return word.lower() if word[1:].islower() and word.lower() in words else word

    return re.sub(r"\b[A-Z][a-z]+\b", lower, line)


#: A line's first word, after a short label ("May 1: Depart Norfolk", "• Reached Helena").
_OPENING_WORD = re.compile(r"([\s•*·-]*(?:[^:\n]{1,30}:\s+)?)([A-Z][a-z]+)\b")


def log_verb_for_parser(sentence: str) -> str:
    """``sentence`` with the verb of motion it opens with in lower case ("Left Butte at
    noon" → "left Butte at noon", :func:`route.words.opens_a_log`), the length unchanged:
    the parser takes a capitalised "Left" before a name for part of the name."""
    from .words import opens_a_log

    match = _OPENING_WORD.match(sentence)
    if match is None or not opens_a_log(match.group(2).lower()):
        return sentence
    return sentence[: match.start(2)] + match.group(2).lower() + sentence[match.end(2) :]


#: An em dash set close after a stop, comma, colon or semicolon and before a word
#: ("arrived at Calais.—161 miles", "from Calcutta,—one hundred", "notice:—Why"), as old
#: books print it; the parser's tokenizer keeps the words and dash as one token. (One
#: between two words, "Paris—Lyon", stays a dash.)
_CLOSE_DASH = re.compile(r"(?<=[.,;:])[—―](?=\S)")


def dashes_for_parser(sentence: str) -> str:
    """``sentence`` with each em dash set close between two words made a space, the length
    unchanged ("Calais.—161 miles" → "Calais. 161 miles"): the parser then reads the
    name as a word of its own."""
    return _CLOSE_DASH.sub(" ", sentence)


#: Two words or more in capitals: a chapter's opening words set in capitals ("WE REACHED
#: BOMBAY AT SUNSET and …"), a title line.
_CAPITALS_RUN = re.compile(r"\b[A-Z]{2,}(?:[ '’-]+[A-Z]{2,})+\b")


def capitals_for_parser(sentence: str) -> str:
    """``sentence`` with the function, motion, journey and mode words of its runs of
    capitals in lower case, the length unchanged ("WE REACHED BOMBAY AT SUNSET" → "we
    reached BOMBAY at SUNSET"): the parser reads a word in capitals as a name. A word in
    capitals alone ("US", "IT") is left as it is."""
    from .words import title_words

    words = title_words()

    def lower(match: re.Match[str]) -> str:
        return re.sub(
            r"[A-Z]+",
            lambda w: w.group().lower() if w.group().lower() in words else w.group(),
            match.group(),
        )

    return _CAPITALS_RUN.sub(lower, sentence)


@cache
def _lexicon_lines(name: str) -> tuple[tuple[str, ...], ...]:
    from importlib.resources import files

    raw = files("route").joinpath("lexicon", name).read_text(encoding="utf-8")
    rows = []
    for line in raw.splitlines():
        line = line.split("#", 1)[0].rstrip()
        if line.strip():
            rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)  # read once per process: the passes ask for their lists per text


@cache
def load_list(name: str) -> frozenset[str]:
    """A one-column word list from ``route/lexicon/`` (built once per process: the passes
    ask for theirs per token)."""
    return frozenset(row[0] for row in _lexicon_lines(name))


def load_table(name: str) -> dict[str, str]:
    """A two-column list from ``route/lexicon/`` as a mapping."""
    return {row[0]: row[1] for row in _lexicon_lines(name) if len(row) >= 2}


@cache
def load_sets(name: str) -> dict[str, frozenset[str]]:
    """A two-column list (word, set) from ``route/lexicon/`` as each set's words (a word in
    two sets has a row in each)."""
    sets: dict[str, set[str]] = {}
    for row in _lexicon_lines(name):
        if len(row) >= 2:
            sets.setdefault(row[1], set()).add(row[0])
    return {key: frozenset(words) for key, words in sets.items()}
