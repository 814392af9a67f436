"""The typed spans the place extractor's passes hand on, and what they need of a gazetteer.

A pass that recognises names gives :class:`Named` spans (tokens and the gazetteer's
candidates); resolving them in context gives :class:`Found` mentions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, Protocol

__all__ = [
    "AREA_LEVEL",
    "COUNTRY_LEVEL",
    "DIVISIONS",
    "KINDS",
    "Found",
    "Kind",
    "Named",
    "Resolver",
]


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


#: Country-level features: not "near" anything, never stops.
COUNTRY_LEVEL = frozenset({"PCLI", "CONT", "RGN"})
#: Areas (countries, continents, first-level regions): never stops, no distance to them.
AREA_LEVEL = COUNTRY_LEVEL | {"ADM1", "ADM2"}
#: Divisions of a country (states, provinces; counties, districts).
DIVISIONS = frozenset({"ADM1", "ADM2"})


class Named(NamedTuple):
    """A name a recognition pass found: its first and last token (indices into the
    text's tokens) and the gazetteer's candidates for it, best first. Names that share
    a key share the one list of candidates (told apart by ``id``)."""

    first: int
    last: int
    cands: list[Any]
