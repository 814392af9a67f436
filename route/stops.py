"""How a typed stop list is written: separators, leg modes, qualifiers, typed-back forms.

A stop list is ``"Pyongyang, Dandong, Hanoi"``: commas separate the stops. A list that
uses another separator (``;``, ``→``, ``->`` or a leg's mode, ``>plane>``) separates its
stops with those only, and a comma inside a stop adds a qualifier:
``"Victoria, British Columbia; Vancouver"``, ``"Tokyo >plane> Honolulu >plane> San
Francisco"``.

A stop pins its place down with a qualifier in parentheses (or after a comma, as above):

* a country code or a US-style region code: ``Perth (GB)``, ``Springfield (MO)``;
* a country or a first- or second-level region: ``Perth (Scotland)``,
  ``Springfield (Missouri)``;
* a kind of place: ``Georgia (country)``, ``New York (state)``, ``Luxembourg (city)``;

or it is a GeoNames id, ``#2640354`` (``Perth #2640354`` keeps the label). The forms
route prints in its notes and suggestions (:func:`typed_form`) are of these kinds, checked
to give back the same place.

The gazetteer's lookup of a stop (:func:`lookup_stop`) also prefers a town to an
administrative area of the same name that contains it ("New York" is the city, "New
York (state)" the state), unless a qualifier asks for the area.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:
    from .gazetteer import Candidate, Gazetteer

__all__ = [
    "MODES",
    "StopList",
    "StopName",
    "lookup_stop",
    "online_query",
    "parse_mode",
    "parse_modes",
    "read_stop_name",
    "split_stop_list",
    "typed_form",
]

#: The modes a leg can have (as the text reader gives them).
MODES = ("train", "car", "plane", "ship", "foot", "bicycle", "unknown")
#: Other words for them, accepted in ``>mode>`` and ``--modes``.
MODE_ALIASES = {
    "rail": "train", "railway": "train", "trains": "train",
    "road": "car", "drive": "car", "bus": "car", "coach": "car", "truck": "car",
    "flight": "plane", "fly": "plane", "air": "plane", "airplane": "plane",
    "aeroplane": "plane", "flew": "plane",
    "boat": "ship", "ferry": "ship", "sea": "ship", "sail": "ship",
    "walk": "foot", "hike": "foot", "bike": "bicycle", "cycle": "bicycle",
    "?": "unknown",
}  # fmt: skip

#: A leg's mode between two stops: ``Tokyo >plane> Honolulu``.
_MODE_SEPARATOR = re.compile(r"\s*>\s*([^\W\d_]+|\?)\s*>\s*")
#: What looks meant as a mode separator (spaces around it) but names no mode.
_MODE_LIKE = re.compile(r"\s>\s*([A-Za-z]+)\s*>\s")
_OTHER_SEPARATORS = re.compile(r"\s*(?:;|→|->)\s*")
_COMMA = re.compile(r"\s*,\s*")
_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_COORD_IN_LIST = re.compile(rf"@\s*{_NUMBER}\s*,\s*{_NUMBER}")
_PARENTHESES = re.compile(r"^(?P<name>.*?\S)\s*\((?P<qualifier>[^()]*)\)$")
_GEONAMEID = re.compile(r"^(?:(?P<label>.*?\S)\s+)?#(?P<gid>\d{1,10})$")

#: Feature codes of administrative areas (which a town of the same name goes before).
AREA_FEATURES = frozenset({"PCLI", "ADM1", "ADM2"})
#: Qualifiers that name a kind of place, and the feature codes they keep.
KIND_WORDS: dict[str, frozenset[str]] = {
    "country": frozenset({"PCLI"}),
    "state": frozenset({"ADM1"}),
    "province": frozenset({"ADM1"}),
    "region": frozenset({"ADM1", "RGN"}),
    "county": frozenset({"ADM2"}),
    "district": frozenset({"ADM2"}),
    "department": frozenset({"ADM2"}),
    "continent": frozenset({"CONT"}),
}
#: Qualifiers for a populated place (GeoNames ``PPL*``).
TOWN_WORDS = frozenset({"city", "town", "village", "capital"})
#: Common codes that are not ISO 3166 codes.
COUNTRY_CODE_ALIASES = {"UK": "GB", "EL": "GR"}
#: An area that contains a town of its own name ranks this far (orders of magnitude of
#: population) below the town, so that a stop's proximity rule does not bring it back.
AREA_DEMOTION = 2.5
#: A town counts as inside a second-level division within this distance of its point.
DIVISION_RADIUS_KM = 80.0
#: How many candidates of a name are read before a qualifier filters them.
_QUALIFIED_LIMIT = 500


@dataclass(frozen=True, slots=True)
class StopList:
    """A stop list as typed.

    Parameters
    ----------
    names
        The stops, in travel order, as written (spaces normalised).
    modes
        One per leg: the mode written between the stops (``>plane>``), else ``None``.
    commas_separate
        Whether commas separated the stops (a list with no other separator).
    """

    names: tuple[str, ...]
    modes: tuple[str | None, ...]
    commas_separate: bool


def parse_mode(word: str) -> str:
    """The mode a word names (``"flight"`` → ``"plane"``).

    Raises
    ------
    InputError
        When the word names no mode.
    """
    key = word.strip().lower()
    mode = key if key in MODES else MODE_ALIASES.get(key)
    if mode is None:
        raise InputError(f"unknown mode {word.strip()!r}; use one of {', '.join(MODES[:-1])}")
    return mode


def parse_modes(modes: str | list[str] | tuple[str, ...]) -> list[str | None]:
    """Modes of the legs from ``"plane,plane"`` or a sequence; an empty item is ``None``.

    Raises
    ------
    InputError
        An unknown mode.
    """
    items = modes.split(",") if isinstance(modes, str) else list(modes)
    return [parse_mode(item) if item and item.strip() else None for item in items]


def _is_mode(word: str) -> bool:
    key = word.lower()
    return key in MODES or key in MODE_ALIASES


def split_stop_list(text: str) -> StopList:
    """Split a typed stop list into stop names and the modes written between them.

    Parameters
    ----------
    text
        ``"Pyongyang, Dandong, Hanoi"``, ``"Victoria, British Columbia; Vancouver"``,
        ``"Tokyo >plane> Honolulu >plane> San Francisco"``.

    Raises
    ------
    InputError
        A ``>word>`` between spaces that names no mode.
    """
    # The comma inside "@lat,lon" separates nothing.
    protected = _COORD_IN_LIST.sub(lambda m: m.group(0).replace(",", "\0"), text.strip())
    pieces: list[str] = []
    modes: list[str | None] = []
    last = 0
    for match in _MODE_SEPARATOR.finditer(protected):
        if not _is_mode(match.group(1)):
            continue
        pieces.append(protected[last : match.start()])
        modes.append(parse_mode(match.group(1)))
        last = match.end()
    pieces.append(protected[last:])
    for piece in pieces:
        odd = _MODE_LIKE.search(f" {piece} ")
        if odd is not None and not _is_mode(odd.group(1)):
            raise InputError(
                f"unknown mode {odd.group(1)!r} in the stop list; "
                f"write a leg's mode as 'A >plane> B' with one of {', '.join(MODES[:-1])}"
            )
    names: list[str] = []
    leg_modes: list[str | None] = []
    others = bool(modes) or any(_OTHER_SEPARATORS.search(piece) for piece in pieces)
    splitter = _OTHER_SEPARATORS if others else _COMMA
    for number, piece in enumerate(pieces):
        parts = splitter.split(piece)
        if number:
            leg_modes.append(modes[number - 1])
        leg_modes.extend([None] * (len(parts) - 1))
        names.extend(parts)
    return StopList(
        names=tuple(" ".join(name.replace("\0", ",").split()) for name in names),
        modes=tuple(leg_modes),
        commas_separate=not others,
    )


@dataclass(frozen=True, slots=True)
class StopName:
    """One stop as typed, read into its parts.

    Parameters
    ----------
    name
        The place name (``"Perth"``), or the label before a GeoNames id.
    qualifier
        What follows in parentheses or after a comma (``"GB"``, ``"Scotland"``), or ``""``.
    geonameid
        The GeoNames id of a ``#2640354`` stop.
    """

    name: str
    qualifier: str = ""
    geonameid: int | None = None


def read_stop_name(text: str) -> StopName:
    """Read ``"Perth (GB)"``, ``"Victoria, British Columbia"``, ``"#2640354"``."""
    text = " ".join(text.split())
    gid = _GEONAMEID.match(text)
    if gid is not None:
        return StopName(name=gid["label"] or "", geonameid=int(gid["gid"]))
    paren = _PARENTHESES.match(text)
    if paren is not None and paren["qualifier"].strip():
        return StopName(name=paren["name"], qualifier=paren["qualifier"].strip())
    name, comma, qualifier = text.partition(",")
    if comma and name.strip() and qualifier.strip():
        return StopName(name=name.strip(), qualifier=qualifier.strip())
    return StopName(name=text)


def _inside(cand: Candidate, area: Candidate) -> bool:
    """Whether ``cand`` lies in the administrative area (or country) ``area``."""
    if cand.geonameid == area.geonameid or not area.country or cand.country != area.country:
        return False
    if area.feature == "PCLI":
        return True
    if cand.admin1 != area.admin1:
        return False
    if area.feature == "ADM1":
        return True
    from .distance import geodesic_km

    return geodesic_km((cand.lat, cand.lon), (area.lat, area.lon)) <= DIVISION_RADIUS_KM


def _towns_first(found: list[Candidate]) -> list[Candidate]:
    """Rank an area below a town of its own name inside it ("New York" → the city).

    The town must carry the name as its own, or be the country's capital.
    """
    out = []
    for cand in found:
        if cand.feature in AREA_FEATURES:
            towns = [
                t
                for t in found
                if t.feature.startswith("PPL")
                and (t.matched == "name" or t.feature == "PPLC")
                and _inside(t, cand)
            ]
            if towns:
                cand = replace(cand, score=min(cand.score, towns[0].score - AREA_DEMOTION))
        out.append(cand)
    out.sort(key=lambda c: (-c.score, c.geonameid))
    return out


def _qualified(gazetteer: Gazetteer, name: str, qualifier: str) -> list[Candidate]:
    """The candidates of ``name`` that the qualifier admits, best first ([] if none)."""
    found = gazetteer.lookup(name, limit=_QUALIFIED_LIMIT)
    if not found:
        return []
    word = qualifier.lower()
    if word in TOWN_WORDS:
        return [c for c in _towns_first(found) if c.feature.startswith("PPL")]
    if word in KIND_WORDS:
        return [c for c in found if c.feature in KIND_WORDS[word]]
    if len(qualifier) == 2 and qualifier.isalpha():
        code = COUNTRY_CODE_ALIASES.get(qualifier.upper(), qualifier.upper())
        inside = [c for c in found if c.country == code] or [
            c
            for c in found
            if c.admin1 == code  # a US state: "Springfield (MO)"
        ]
        if inside:
            return _towns_first(inside)
    for area in gazetteer.lookup(qualifier, limit=20):
        if area.feature in AREA_FEATURES:
            inside = [c for c in found if _inside(c, area)]
            if inside:
                return _towns_first(inside)
    return []


def lookup_stop(
    gazetteer: Gazetteer, text: str, *, country: str | None = None, limit: int = 10
) -> list[Candidate]:
    """The gazetteer's candidates for a typed stop, best first.

    Parameters
    ----------
    gazetteer
        The gazetteer.
    text
        A name, possibly qualified (``"Perth (GB)"``, ``"Victoria, British Columbia"``)
        or a GeoNames id (``"#2640354"``).
    country
        Only places in this ISO alpha-2 country.
    limit
        At most this many candidates.

    Returns
    -------
    list of Candidate
        Empty when nothing matches (or the qualifier admits nothing). An area that
        contains a town of its own name comes after the town unless the qualifier asks
        for the area.
    """
    stop = read_stop_name(text)
    if stop.geonameid is not None:
        found = gazetteer.get(stop.geonameid)
        candidates = [found] if found is not None else []
    else:
        candidates = gazetteer.lookup(text, limit=_QUALIFIED_LIMIT)
        if candidates:
            candidates = _towns_first(candidates)
        elif stop.qualifier:
            candidates = _qualified(gazetteer, stop.name, stop.qualifier)
    if country:
        candidates = [c for c in candidates if c.country == country.upper()]
    return candidates[:limit]


def _region_name(gazetteer: Gazetteer, cand: Mapping[str, Any]) -> str:
    region = gazetteer.region(str(cand["country"]), str(cand["admin1"]))
    return region.name if region is not None else ""


def typed_form(gazetteer: Gazetteer, name: str, cand: Mapping[str, Any]) -> str:
    """How to type a stop so that it resolves to ``cand``: ``Perth (GB)``, ``Springfield
    (Missouri)``, ``New York (state)``, or ``#2640354``.

    Parameters
    ----------
    gazetteer
        The gazetteer the form is checked against.
    name
        The name as the user wrote it (or the place's name).
    cand
        The record, as :meth:`~route.gazetteer.Candidate.as_raw` gives it.
    """
    target = cand.get("geonameid")
    forms = []
    country = str(cand.get("country") or "")
    if country:
        forms.append(f"{name} ({country})")
        if cand.get("admin1") and cand.get("feature") not in ("PCLI", "ADM1"):
            region = _region_name(gazetteer, cand)
            if region and "(" not in region and ")" not in region:
                namesakes = lookup_stop(gazetteer, name, limit=50)
                shared = any(
                    c.country == country and c.feature.startswith("PPL") and not _same(c, cand)
                    for c in namesakes
                )
                # "Springfield (Missouri)" rather than "Springfield (US)" among many.
                forms.insert(len(forms) - 1 if shared else len(forms), f"{name} ({region})")
    feature = str(cand.get("feature") or "")
    words = [w for w, codes in KIND_WORDS.items() if feature in codes]
    forms.extend(f"{name} ({word})" for word in words[:1])
    for form in forms:
        found = lookup_stop(gazetteer, form, limit=1)
        if found and _same(found[0], cand):
            return form
    if target:
        return f"#{target}"
    return forms[0] if forms else name


def _same(found: Candidate, cand: Mapping[str, Any]) -> bool:
    if cand.get("geonameid"):
        return found.gid == cand.get("geonameid")
    return (found.name, found.country, found.feature, found.admin1) == (
        cand.get("name"),
        cand.get("country"),
        cand.get("feature"),
        cand.get("admin1"),
    )


def online_query(text: str, gazetteer: Gazetteer | None = None) -> str:
    """A qualified stop as free text for an online geocoder.

    ``"Perth (GB)"`` → ``"Perth, Scotland, United Kingdom"`` (the place the offline
    gazetteer finds, named with its region and country), or ``"Perth, GB"`` when the
    gazetteer is not given or finds nothing. An unqualified name is left as it is.

    Parameters
    ----------
    text
        The stop as typed.
    gazetteer
        The offline gazetteer that reads the qualifier.
    """
    stop = read_stop_name(text)
    if stop.geonameid is not None or not stop.qualifier:
        return text
    found = lookup_stop(gazetteer, text, limit=1) if gazetteer is not None else []
    if not found:
        return f"{stop.name}, {stop.qualifier}"
    place = found[0]
    parts = [stop.name]
    if place.feature not in ("PCLI", "ADM1", "CONT", "RGN") and place.admin1:
        region = gazetteer.region(place.country, place.admin1) if gazetteer else None
        if region is not None:
            parts.append(region.name)
    if place.feature != "PCLI" and place.country and gazetteer is not None:
        parts.append(gazetteer.country_name(place.country))
    return ", ".join(parts)
