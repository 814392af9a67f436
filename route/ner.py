"""Optional named-entity recognition: a spaCy model's place entities as extra candidates.

The default path needs no model. With ``--ner MODEL`` (or ``ner=`` in the API)
the model's ``GPE``, ``LOC`` and ``FAC`` entities become candidate spans for
:func:`route.extract.find_mentions`: each one the gazetteer knows is resolved in
context like any other name. spaCy is imported only here, only when asked.
"""

from __future__ import annotations

from typing import Any

from .errors import InputError, MissingDependencyError

__all__ = ["PLACE_LABELS", "entity_spans", "load_model"]

#: spaCy entity labels that name places.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def load_model(model: Any) -> Any:
    """A spaCy pipeline: ``model`` itself if already loaded, else ``spacy.load(model)``.

    Raises
    ------
    MissingDependencyError
        spaCy is not installed.
    InputError
        No model of that name is installed.
    """
    if not isinstance(model, str):
        return model
    try:
        import spacy
    except ImportError as exc:
        raise MissingDependencyError(
            "--ner needs spaCy: pip install spacy, then install a model"
            " (python -m spacy download en_core_web_sm)"
        ) from exc
    try:
        return spacy.load(model)
    except (OSError, ImportError) as exc:
        raise InputError(
            f"spaCy model {model!r} is not installed: python -m spacy download {model}"
        ) from exc


def entity_spans(nlp: Any, text: str) -> list[tuple[int, int]]:
    """``(start, end)`` character spans of the place entities ``nlp`` finds in ``text``."""
    return [(e.start_char, e.end_char) for e in nlp(text).ents if e.label_ in PLACE_LABELS]
