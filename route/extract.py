"""Find the places a text mentions, with exact character spans.

Pure text processing: the gazetteer is passed in (anything with
``lookup_keys``, ``demonyms``, ``country`` and ``region``), so this module imports no
data. :func:`find_mentions` composes the steps, each in its own module:

1. :mod:`route.tokens`: the text's words and runs of capitalised words (with
   connectors such as "de" or "upon" inside), read once.
2. :mod:`route.cues`: demonyms and adjectives ("North Korean", "Vietnamese") and
   country and region abbreviations ("US", "U.S.", "Calif.") become mentions of their
   own; the words the text uses as people's names, speakers or pathogens are noted.
3. :mod:`route.recognise`: runs are matched against the gazetteer, longest name first.
   A run is a place only when one name covers all of it: "Dong Dang" is a place, while
   "Kim Jong Un", "Air China" or "Getty Images" are names of people and companies, and
   their words are remembered so that "Kim" alone later is not taken for Kim in India
   (unless the text puts it as a place: "in Kim"). A place heading the name of an
   organisation ("Kansas State University", "Denver City Council", "Bank of England")
   or a party tag ("R-Tulsa") is reported with kind ``embedded``; the journey reader
   uses kind ``place`` only. Month and weekday names and common words that are also
   towns ("Summit", "Central") are never places on their own.
4. :mod:`route.resolve`: each name's candidates are ranked in context: population is
   the prior; candidates in countries the text mentions, and near the text's other
   places, win. A weak candidate far from everything else is dropped.

The word lists are data files in ``route/lexicon/`` (each says where it comes from),
loaded by :mod:`route.words`; the scoring constants are named in :mod:`route.resolve`,
:mod:`route.recognise` and :mod:`route.cues`. ``python bench/geoparse.py --ablate``
prints what each is worth.
"""

from __future__ import annotations

from collections.abc import Iterable

from .cues import as_embedded, demonyms_and_abbreviations, facility_names, fixed_by_text
from .recognise import recognise
from .resolve import resolve
from .spans import KINDS, Found, Kind, Resolver
from .tokens import fold, sentence_at, sentence_spans, tokenise

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
    tokens = tokenise(text)
    found, used, abbreviated = demonyms_and_abbreviations(text, tokens, resolver)
    names = recognise(text, tokens, resolver, used=used, abbreviated=abbreviated, entities=entities)
    found += resolve(
        text,
        tokens,
        names.raw,
        named={f.candidate.country for f in found},
        fixed=fixed_by_text(text, tokens, names.raw, abbreviated),
        embedded=names.embedded,
    )
    found.sort(key=lambda f: f.start)
    return as_embedded(text, found, facility_names(tokens, names.runs))
