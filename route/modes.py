"""The mode of each leg: from the clause that reaches a stop, else the journey's mode."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

from .document import Document
from .events import Mode, StopCue, lexicon, mode_named, word_set
from .words import LEADING

__all__ = ["journey_mode", "leg_modes"]


def journey_mode(document: Document, stops: Sequence[StopCue]) -> Mode:
    """The mode the journey's sentences name, when one mode makes two thirds of them.

    Counted over the sentences that give stops, from the same word list as the legs;
    where they name none, or no mode has two thirds, over their paragraphs, then over the
    whole text (a railway's article whose station list names no mode, and whose paragraph
    names its "LHB coach" and a "Khurda Road" station, is still about a train). The wider
    context only chooses among the modes a split narrower one names: a paragraph about a
    car crash breaks no tie between plane and train.
    """
    own = sorted({s.sentence for s in stops if s.sentence >= 0})
    tiers = (  # the journey's sentences, their paragraphs, the whole text
        lambda: own,
        lambda: _paragraphs_of(document, own),
        lambda: range(len(document.sentences)),
    )
    split: set[Mode] = set()  # the modes a narrower context was split between
    for tier in tiers:
        told = _modes_told(document, tier())
        if not told:
            continue
        best = max(sorted(set(told)), key=lambda m: told.count(m))
        if split and best not in split:
            return "unknown"  # the wider text may break a tie, not bring in another mode
        if told.count(best) * 3 >= len(told) * 2:
            return best
        split = split or set(told)
    return "unknown"


def _paragraphs_of(document: Document, indices: Sequence[int]) -> list[int]:
    """The sentences of the paragraphs (text between blank lines) these sentences are in."""
    text, spans = document.text, document.sentences
    out: set[int] = set()
    for index in indices:
        if index in out:
            continue  # its paragraph is in already
        first = last = index
        while first > 0 and "\n\n" not in text[spans[first - 1][1] : spans[first][0]]:
            first -= 1
        while last + 1 < len(spans) and "\n\n" not in text[spans[last][1] : spans[last + 1][0]]:
            last += 1
        out.update(range(first, last + 1))
    return sorted(out)


def _modes_told(document: Document, indices: Iterable[int]) -> list[Mode]:
    modes = lexicon()[3]
    named_way, other_verb, before_verb, other_noun = (
        word_set("named_way"),
        word_set("other_verb_sense"),
        word_set("before_verb"),
        word_set("other_noun_sense"),
    )
    told: list[Mode] = []
    for index in indices:
        start, end = document.sentences[index]
        words = list(re.finditer(r"[A-Za-z]+", document.text[start:end]))
        for k, match in enumerate(words):
            word = match.group()
            after = words[k + 1].group().lower() if k + 1 < len(words) else ""
            if after in modes and not after.endswith(("ing", "ed")):
                continue  # "ferry flight": the second word names the mode (not "ship flying")
            at_start = match.start() == 0 or document.text[start:end][: match.start()].rstrip()[
                -1:
            ] in (":", "-", "–", ".", "")
            if word[:1].isupper() and not at_start and word.lower() not in named_way:
                continue
            before = words[k - 1].group().lower() if k else ""
            if word.lower() in other_verb and _after_a_verb_sign(words, k, before_verb):
                continue  # "to express U.S. appreciation", "help train forces"
            if word.lower() in other_noun and _other_noun(words, k, document.text[start:end]):
                continue  # "the training cycle", "a tsetse fly" (not "hired a cycle")
            mode = mode_named(word.lower(), before)
            gap = (
                document.text[start + match.end() : start + words[k + 1].start()]
                if k + 1 < len(words)
                else ""
            )
            if mode is not None and not _a_foot_noun(word, before, after, gap):
                told.append(mode)
    return told


def _a_foot_noun(word: str, before: str, after: str, gap: str) -> bool:
    """Whether "on foot", "by foot" is a noun's modifier ("a ban on foot passengers",
    "followed by foot soldiers"), not the way gone ("by foot, began"): a word other than a
    function word right after it, only a space between."""
    return (
        word.lower() == "foot"
        and before in ("on", "by")
        and bool(after)
        and after not in LEADING
        and not gap.strip()
    )


def _after_a_verb_sign(words: Sequence[re.Match[str]], k: int, signs: frozenset[str]) -> bool:
    """Whether ``words[k]`` follows a word that makes it a verb ("to", "will", "help"), or
    is the second of two verbs joined after one ("to hear and express U.S. support")."""
    before = [w.group().lower() for w in words[max(0, k - 3) : k]]
    if not before:
        return False
    joined = len(before) == 3 and before[2] in ("and", "or") and before[0] in signs
    return before[-1] in signs or joined


#: Articles and demonstratives that open a noun phrase ("a tsetse fly", "the flies"); not
#: "that", "some", "each", which also stand for a subject ("airlines that fly").
_DETERMINERS = frozenset("a an the this these those".split())
#: Words after which "fly" is the verb whatever stands before it ("the crew fly to").
_AFTER_THE_VERB = frozenset("to from into out over in back home".split())


def _other_noun(words: Sequence[re.Match[str]], k: int, sentence: str) -> bool:
    """Whether ``words[k]`` is the noun that names no conveyance: a recurring series
    ("cycle", see :func:`_recurring`), or an insect ("fly" right after a determiner, or
    after one and a word that is no verb's sign nor a plural subject: "a tsetse fly", not
    "the planes fly" or "the team will fly")."""
    word = words[k].group().lower()
    if word.startswith("cycle"):
        return _recurring(words, k, sentence)
    before = [w.group().lower() for w in words[max(0, k - 2) : k]]
    after = words[k + 1].group().lower() if k + 1 < len(words) else ""
    if after in _AFTER_THE_VERB:
        return False
    if before[-1:] and before[-1] in _DETERMINERS:
        return True
    return (
        word == "fly"
        and len(before) == 2
        and before[0] in _DETERMINERS
        and before[1] not in word_set("before_verb")
        and not before[1].endswith("s")
    )


def _recurring(words: Sequence[re.Match[str]], k: int, sentence: str) -> bool:
    """Whether ``words[k]`` ("cycle") names a series of events that recurs: "of" after it
    ("a cycle of talks"), a word of such a series before it ("the election cycle"), or a
    capitalised name before it ("the Training Availability cycle")."""
    after = words[k + 1].group().lower() if k + 1 < len(words) else ""
    before = words[k - 1] if k else None
    if after == "of":
        return True
    if before is None:
        return False
    named = before.group()[:1].isupper() and sentence[: before.start()].strip() != ""
    return named or before.group().lower() in word_set("recurring_before")


_AS_BEFORE = " (as the leg before)"


def leg_modes(stops: Sequence[StopCue], default: Mode = "unknown") -> list[tuple[Mode, str]]:
    """Mode of each leg and the words that gave it.

    How the text says one reaches the next stop, else how one leaves this one;
    a leg whose clauses name no mode takes the mode of the leg before it ("then
    continued to X"), else ``"unknown"``.
    """
    modes: list[tuple[Mode, str]] = []
    told: list[Mode] = [s.mode for s in stops if s.mode != "unknown"]
    dominant: Mode = default
    if told and max(told.count(m) for m in set(told)) * 3 >= len(told) * 2:
        dominant = max(sorted(set(told)), key=lambda m: told.count(m))
    for a, b in itertools.pairwise(stops):
        if b.mode != "unknown":
            modes.append((b.mode, b.mode_cue))
        elif a.mode != "unknown" and (a.role == "origin" or not modes):
            modes.append((a.mode, a.mode_cue))
        elif modes and modes[-1][0] != "unknown":
            cue = modes[-1][1].removesuffix(_AS_BEFORE)
            modes.append((modes[-1][0], cue + _AS_BEFORE))
        elif dominant != "unknown":
            modes.append((dominant, f"{dominant} (the journey's mode)"))
        else:
            modes.append(("unknown", ""))
    return modes
