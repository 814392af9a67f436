"""Compose the steps: stops → geocoded places → legs → a :class:`~route.models.Trip`.

The geocoder is a parameter (any geopy geocoder; the offline gazetteer by
default), so tests and notebooks can swap it.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .distance import geodesic_km
from .errors import InputError, NoStopsError, PlaceNotFoundError, TextError
from .models import Claim, Leg, Mention, Place, RailRoute, Trip

if TYPE_CHECKING:
    from geopy.geocoders.base import Geocoder
    from geopy.location import Location

    from .extract import Found
    from .gazetteer import Gazetteer
    from .journey import StopCue
    from .rail import RailNetwork
    from .stops import StopList

__all__ = [
    "TextAnalysis",
    "analyse_text",
    "build_trip",
    "coordinate_place",
    "geocode_stops",
    "parse_stops",
    "plan",
    "read_stops",
    "read_text",
]

#: Candidates within this many orders of magnitude of the best one's score are
#: "ambiguous" and decided by proximity to the other stops ("Perth" between Edinburgh
#: and London: the Scottish town, 1.7 below the Australian city).
AMBIGUITY_MARGIN = 2.0
#: A pick is noted with the candidates within this margin of its score (and the best one,
#: if proximity chose another).
NOTE_MARGIN = 1.0

_NUMBER = r"[-+]?\d+(?:\.\d+)?"
#: ``@lat,lon`` with an optional label before the ``@``.
COORDINATE_STOP = re.compile(
    rf"^(?P<label>[^@]*?)\s*@\s*(?P<lat>{_NUMBER})\s*,\s*(?P<lon>{_NUMBER})$"
)
#: Modes that are routed on rails; others ("car", "plane") are not, unless asked.
RAIL_MODES = frozenset({"train", "unknown"})

#: A stop as the API takes it: a name (possibly qualified, ``"Perth (GB)"``), a
#: position ``"label@lat,lon"``, or a ``(lat, lon)`` pair.
StopSpec = str | tuple[float, float]


def _stop_text(stop: object) -> object:
    """A ``(lat, lon)`` pair as ``"@lat,lon"``; anything else as it is."""
    if (
        isinstance(stop, tuple)
        and len(stop) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in stop)
    ):
        lat, lon = (f"{float(v):.9f}".rstrip("0").rstrip(".") for v in stop)
        return f"@{lat},{lon}"
    return stop


def read_stops(stops: str | Sequence[StopSpec]) -> StopList:
    """Split and check a stop list, with the modes written between the stops.

    Parameters
    ----------
    stops
        ``"Pyongyang, Dandong, Hanoi"``; ``"Victoria, British Columbia; Vancouver"``
        (with ``;``, ``→`` or ``->`` between the stops, a comma adds a qualifier);
        ``"Tokyo >plane> Honolulu"`` (a leg's mode); or a sequence of names and
        ``(lat, lon)`` pairs.

    Raises
    ------
    InputError
        On an empty name, a bad position, an unknown mode or fewer than two stops.
    """
    from .stops import StopList, split_stop_list

    if isinstance(stops, str):
        parsed = split_stop_list(stops)
        names: list[object] = list(parsed.names)
    else:
        names = [_stop_text(stop) for stop in stops]
        parsed = StopList((), (None,) * max(len(names) - 1, 0), commas_separate=False)
    cleaned = []
    for number, name in enumerate(names, start=1):
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"stop {number} of {len(names)} is empty; remove the extra separator")
        cleaned.append(" ".join(name.split()))
        coordinate_place(cleaned[-1])  # a bad position is a usage error, found early
    if len(cleaned) < 2:
        raise InputError(
            f"a journey needs at least two stops, got {len(cleaned)}; "
            'list them like "Pyongyang, Dandong, Hanoi"'
        )
    return StopList(tuple(cleaned), parsed.modes, parsed.commas_separate)


def parse_stops(stops: str | Sequence[StopSpec]) -> list[str]:
    """Split and check a stop list (the names of :func:`read_stops`).

    Parameters
    ----------
    stops
        ``"Pyongyang, Dandong, Hanoi"`` (separated by ``,``, ``;``, ``→``, ``->`` or a
        mode, ``>plane>``), or a sequence of names and ``(lat, lon)`` pairs (given
        as ``"@lat,lon"``).

    Raises
    ------
    InputError
        On an empty name or fewer than two stops.
    """
    return list(read_stops(stops).names)


def coordinate_place(text: str) -> Place | None:
    """A place written as ``[label]@lat,lon`` (``None`` if ``text`` is a name).

    Raises
    ------
    InputError
        When the numbers are not a latitude and longitude.
    """
    match = COORDINATE_STOP.match(text.strip())
    if match is None:
        return None
    lat, lon = float(match["lat"]), float(match["lon"])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(
            f"{text!r} is not a position: latitude must be within ±90 and longitude within ±180"
        )
    label = match["label"].strip()
    return Place(
        name=label or f"{lat:.4f}, {lon:.4f}",
        lat=lat,
        lon=lon,
        feature="",
        query=label or f"{lat:g},{lon:g}",
        source="coordinates",
    )


def _default_geocoder() -> Geocoder:
    from .gazetteer import OfflineGeocoder

    return OfflineGeocoder()


def _place(location: Location, query: str, source: str) -> Place:
    raw: dict[str, Any] = location.raw if isinstance(location.raw, dict) else {}
    details = raw.get("address")
    address: dict[str, Any] = details if isinstance(details, dict) else {}
    return Place(
        name=str(raw.get("name") or location.address.split(",")[0]),
        lat=float(location.latitude),
        lon=float(location.longitude),
        country=str(raw.get("country") or address.get("country_code") or "").upper()[:2],
        geonameid=int(raw["geonameid"]) if raw.get("geonameid") is not None else None,
        population=int(raw.get("population") or 0),
        feature=str(raw.get("feature") or ""),
        query=query,
        source=str(raw.get("source") or source),
    )


def _gazetteer_of(geocoder: Geocoder | None) -> Gazetteer | None:
    """The offline gazetteer behind a geocoder (offline, or a chain with it), if any."""
    found = getattr(geocoder, "gazetteer", None) if geocoder is not None else None
    from .gazetteer import Gazetteer

    return found if isinstance(found, Gazetteer) else None


def _any_gazetteer(geocoder: Geocoder | None) -> Gazetteer:
    found = _gazetteer_of(geocoder)
    if found is None:
        from .gazetteer import default_gazetteer

        found = default_gazetteer()
    return found


def _suggest(geocoder: Geocoder, query: str) -> tuple[str, ...]:
    """Close names in the form they can be typed back (``Perth (GB)``), best first.

    A qualified name whose qualifier admits none of its places gets those places.
    """
    from .stops import lookup_stop, read_stop_name, typed_form

    gazetteer = _any_gazetteer(geocoder)
    stop = read_stop_name(query)
    if stop.geonameid is not None:
        return ()
    namesakes = lookup_stop(gazetteer, stop.name, limit=3) if stop.qualifier else []
    if namesakes:
        return tuple(typed_form(gazetteer, stop.name, c.as_raw()) for c in namesakes)
    return tuple(typed_form(gazetteer, c.name, c.as_raw()) for c in gazetteer.suggest(stop.name))


def _prior(rank: int, raw: dict[str, Any]) -> float:
    """Ranking score: the gazetteer's, Nominatim's importance (0–1), or the answer order."""
    score = raw.get("score")
    if score is not None:
        return float(score)
    importance = raw.get("importance")
    if isinstance(importance, (int, float)):
        return 3.0 + 5.0 * float(importance) - 0.01 * rank
    return -float(rank)


@dataclass(frozen=True, slots=True)
class _Option:
    """A candidate place for a stop: its ranking score, the place, the geocoder's record."""

    score: float
    place: Place
    raw: dict[str, Any]
    address: str = ""


def geocode_stops(
    names: Sequence[str],
    geocoder: Geocoder | None = None,
    *,
    country: str | None = None,
    near: tuple[float, float] | None = None,
) -> list[Place]:
    """Geocode each stop, choosing among same-name candidates by proximity.

    A stop whose best candidate is not clearly ahead (within
    :data:`AMBIGUITY_MARGIN` of it) takes the candidate nearest to the other
    stops (score less :func:`route.resolve.distance_penalty`, the ranking of names in
    a text): "Pingxiang" between Nanning and Dong Dang is the border town in
    Guangxi, not the larger city in Jiangxi; "Perth" between Edinburgh and London
    is the Scottish town. A stop may be qualified (``"Perth (GB)"``, ``"Springfield
    (Missouri)"``, ``"#2640358"``; see :mod:`route.stops`) or a position
    (``"label@lat,lon"``).

    Parameters
    ----------
    names
        The stops, in travel order.
    geocoder
        Any geopy geocoder; the offline gazetteer by default.
    country
        Prefer places in this ISO alpha-2 country: a stop that has candidates there
        takes one of them.
    near
        Prefer places near this ``(lat, lon)``: it counts as one more stop when
        candidates are weighed, and every candidate is weighed, not only the close ones.

    Raises
    ------
    PlaceNotFoundError
        When a name has no match; the message carries close suggestions in the form
        they can be typed back.
    """
    return _geocode_stops(names, geocoder, country=country, near=near)[0]


def _geocode_stops(
    names: Sequence[str],
    geocoder: Geocoder | None,
    *,
    country: str | None = None,
    near: tuple[float, float] | None = None,
) -> tuple[list[Place], list[str]]:
    """:func:`geocode_stops`, and one-line notes on the picks that were close."""
    from .geocode import GeocodingError
    from .resolve import distance_penalty
    from .stops import online_query, read_stop_name

    options: list[list[_Option]] = []
    failed: list[str] = []
    for name in names:
        fixed = coordinate_place(name)
        if fixed is not None:
            options.append([_Option(0.0, fixed, {})])
            continue
        stop = read_stop_name(name)
        if stop.geonameid is not None:  # a GeoNames id: the gazetteer, whatever the geocoder
            record = _any_gazetteer(geocoder).get(stop.geonameid)
            if record is None:
                raise PlaceNotFoundError(name)
            options.append([_Option(0.0, _candidate_place(record, stop.name), record.as_raw())])
            continue
        if geocoder is None:
            geocoder = _default_geocoder()
        source = str(getattr(geocoder, "source", type(geocoder).__name__.lower()))
        from .gazetteer import OfflineGeocoder

        offline = isinstance(geocoder, OfflineGeocoder)
        query = name if offline else online_query(name, _gazetteer_of(geocoder))
        try:
            found = geocoder.geocode(query, exactly_one=False) or []
        except GeocodingError as exc:  # the run carries on; all failures are reported
            failed.append(str(exc))
            continue
        if not found:
            raise PlaceNotFoundError(name, _suggest(geocoder, name))
        scored = []
        for rank, location in enumerate(found):
            raw = location.raw if isinstance(location.raw, dict) else {}
            place = _place(location, name, source)
            scored.append(_Option(_prior(rank, raw), place, raw, str(location.address or "")))
        scored.sort(key=lambda o: -o.score)
        if country:
            inside = [o for o in scored if o.place.country == country.upper()]
            scored = inside or scored
        options.append(scored)
    if failed:
        raise GeocodingError(f"{len(failed)} of {len(names)} stops failed: " + " | ".join(failed))

    chosen = [opts[0].place for opts in options]
    notes: list[str] = []
    for i, opts in enumerate(options):
        best_score = opts[0].score
        close = [o for o in opts if best_score - o.score < AMBIGUITY_MARGIN]
        pool = opts if near is not None else close
        if len(pool) < 2:
            continue
        others = [chosen[j].latlon for j in range(len(chosen)) if j != i]
        if near is not None:
            others.append(near)
        if not others:
            continue

        def with_context(option: _Option, others: list[tuple[float, float]] = others) -> float:
            nearest = min(geodesic_km(option.place.latlon, o) for o in others)
            return option.score - distance_penalty(nearest)

        pick = max(pool, key=with_context)
        chosen[i] = pick.place
        rivals = [
            o
            for o in close
            if o is not pick and (o is opts[0] or abs(o.score - pick.score) < NOTE_MARGIN)
        ]
        if rivals:
            notes.append(_close_note(names[i], pick, rivals, opts[0], _gazetteer_of(geocoder)))
    return chosen, notes


def _typed(gazetteer: Gazetteer | None, name: str, option: _Option) -> str:
    """How to type ``option`` back as a stop."""
    from .stops import read_stop_name, typed_form

    bare = read_stop_name(name).name or option.place.name
    if gazetteer is not None and option.raw.get("country") is not None:
        return typed_form(gazetteer, bare, option.raw)
    if gazetteer is not None and option.place.country:
        return f"{bare} ({option.place.country})"
    return option.address or option.place.name


def _close_note(
    name: str, pick: _Option, rivals: list[_Option], best: _Option, gazetteer: Gazetteer | None
) -> str:
    """``'Perth' read as Perth (GB), the nearest to the other stops; others: Perth (AU)``."""
    why = ", the nearest to the other stops" if pick is not best else ""
    shown = [_typed(gazetteer, name, o) for o in rivals[:3]]
    more = f" and {len(rivals) - 3} more" if len(rivals) > 3 else ""
    return (
        f"{name!r} read as {_typed(gazetteer, name, pick)}{why}; others: {', '.join(shown)}{more}"
    )


def _rail(
    network: RailNetwork | None, a: Place, b: Place, max_snap_km: float
) -> tuple[RailRoute | None, str]:
    if network is None:
        return None, "no rail network"
    from .rail import NoRailRoute  # numpy and scipy: only with a network

    found = network.route(a.latlon, b.latlon, names=(a.label, b.label), max_snap_km=max_snap_km)
    if isinstance(found, NoRailRoute):
        return None, found.reason
    return found, ""


def build_trip(
    places: Sequence[Place],
    modes: Sequence[str] | None = None,
    *,
    rail_network: RailNetwork | None = None,
    max_snap_km: float | None = None,
    rail_all_legs: bool = False,
    mode_cues: Sequence[str] = (),
) -> Trip:
    """Measure the legs between consecutive places, on a straight line and by rail.

    Parameters
    ----------
    places
        At least two places, in travel order.
    modes
        Optional mode of each leg (``len(places) - 1`` items).
    rail_network
        When given, legs whose mode is train or unknown get a rail route, and
        so does the whole trip from first stop to last (unless no leg goes by rail).
    max_snap_km
        Stops farther than this from a railway get no rail figure.
    rail_all_legs
        Route road and plane legs on the rails too.
    mode_cues
        Optional words that gave each leg's mode (shown with the leg).
    """
    if len(places) < 2:
        raise InputError(f"a journey needs at least two stops, got {len(places)}")
    modes = list(modes) if modes is not None else ["unknown"] * (len(places) - 1)
    if len(modes) != len(places) - 1:
        raise InputError(f"{len(places) - 1} legs but {len(modes)} modes")
    if max_snap_km is not None and not max_snap_km > 0:
        raise InputError("the maximum snap distance must be positive")
    if max_snap_km is None and rail_network is not None:
        from .rail import DEFAULT_MAX_SNAP_KM  # numpy and scipy: only with a network

        max_snap_km = DEFAULT_MAX_SNAP_KM
    snap = max_snap_km or 0.0  # used only with a network
    legs = []
    routed: dict[tuple[int, int], tuple[RailRoute | None, str]] = {}
    for i, (a, b, mode) in enumerate(zip(places, places[1:], modes, strict=False)):
        if rail_network is not None and (mode in RAIL_MODES or rail_all_legs):
            rail, note = routed[(i, i + 1)] = _rail(rail_network, a, b, snap)
        elif rail_network is not None:
            rail, note = None, f"{mode} leg: not routed on rail"
        else:
            rail, note = None, ""
        cue = mode_cues[i] if i < len(mode_cues) else ""
        legs.append(Leg(a, b, geodesic_km(a.latlon, b.latlon), mode, rail, note, cue))
    direct_rail, direct_note = (None, "")
    if rail_network is not None and not (rail_all_legs or any(m in RAIL_MODES for m in modes)):
        direct_note = "no leg goes by rail"  # a flight across the Pacific has no rail path
    elif rail_network is not None:
        # A one-leg trip's first -> last route is that leg's: not routed twice.
        last = len(places) - 1
        direct_rail, direct_note = routed.get((0, last)) or _rail(
            rail_network, places[0], places[-1], snap
        )
    return Trip(
        stops=tuple(places),
        legs=tuple(legs),
        direct_km=geodesic_km(places[0].latlon, places[-1].latlon),
        direct_rail=direct_rail,
        direct_rail_note=direct_note,
        rail_uncertainty=rail_network.uncertainty if rail_network is not None else "",
    )


# -- texts ---------------------------------------------------------------------------

#: Tried when a file is not UTF-8 (news exports from Windows tools are often cp1252).
FALLBACK_ENCODING = "cp1252"


def read_text(path: str | os.PathLike[str]) -> tuple[str, str]:
    """Read a text file; returns ``(text, warning)``.

    UTF-8 (with or without BOM) is expected, UTF-16 and UTF-32 with a BOM are
    read too; a file that is not UTF-8 but decodes as Windows-1252 is read as
    such, with a warning to show.

    Raises
    ------
    TextError
        Missing, unreadable, empty, binary or undecodable file.
    """
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise TextError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise TextError(f"{file}: is a directory, not a text file") from None
    except OSError as exc:
        raise TextError(f"{file}: cannot read it ({exc.strerror})") from exc
    return decode_text(data, str(file))


#: Byte-order marks of the UTF-16 and UTF-32 texts Windows tools write (UTF-32 first:
#: its little-endian mark begins like UTF-16's).
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)


def _check_decoded(text: str, name: str) -> str:
    """Refuse a decoded text that is empty or mostly control characters."""
    if not text.strip():
        raise TextError(f"{name}: no text (the file is empty)")
    sample = text[:65536]
    controls = sum(c < " " and c not in "\t\n\f\r" for c in sample)
    if "\x00" in sample or controls > len(sample) * 0.05:
        raise TextError(f"{name}: not a text file (binary content)")
    return text


def decode_text(data: bytes, name: str = "input") -> tuple[str, str]:
    """Decode bytes as :func:`read_text` does.

    UTF-8 (a byte-order mark is dropped); UTF-16 and UTF-32 when they start
    with a byte-order mark; otherwise Windows-1252 with a warning.

    Raises
    ------
    TextError
        Empty, binary or undecodable bytes.
    """
    for bom, codec, label in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise TextError(
                    f"{name}: starts with a {label} byte-order mark but is not {label} "
                    f"(byte {exc.start + len(bom)}); convert it to UTF-8"
                ) from None
            return _check_decoded(text, name), ""
    if not data.strip():
        raise TextError(f"{name}: no text (the file is empty)")
    sample = data[:65536]
    controls = sum(b < 32 and b not in (9, 10, 12, 13) for b in sample)
    if b"\x00" in sample or controls > len(sample) * 0.05:
        raise TextError(f"{name}: not a text file (binary content)")
    try:
        return _check_decoded(data.decode("utf-8-sig"), name), ""
    except UnicodeDecodeError as exc:
        try:
            text = data.decode(FALLBACK_ENCODING)
        except UnicodeDecodeError:
            raise TextError(
                f"{name}: not UTF-8 (byte {exc.start}) and not {FALLBACK_ENCODING} either; "
                "convert it to UTF-8"
            ) from None
        return text, f"{name} is not UTF-8 (byte {exc.start}); read it as {FALLBACK_ENCODING}"


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """What a text says: its place mentions, the journey's stops and leg modes, its claims."""

    text: str
    found: tuple[Found, ...]
    stops: tuple[StopCue, ...]
    modes: tuple[str, ...]
    claims: tuple[Claim, ...]
    mode_cues: tuple[str, ...] = ()
    #: Sites the journey goes to that route cannot place ("Kennedy Space Center").
    unplaced: tuple[str, ...] = ()
    #: The text's sentences as ``(start, end)`` spans (split once, by the reader's
    #: :class:`~route.document.Document`); empty for an analysis made without them.
    sentences: tuple[tuple[int, int], ...] = ()


def analyse_text(
    text: str, gazetteer: Gazetteer | None = None, *, ner: Any = None, journey: bool = True
) -> TextAnalysis:
    """Find the mentions, stops (in travel order), leg modes and distance claims of a text.

    Parameters
    ----------
    text
        The text.
    gazetteer
        The offline gazetteer (the default one if omitted).
    journey
        Read the journey (stops, legs: the dependency parse); ``False`` gives mentions
        and claims only, without loading the parser.
    ner
        Optional spaCy model (a loaded pipeline or an installed model's name)
        whose place entities are added as candidates; see :mod:`route.ner`.
    """
    from .claims import find_claims
    from .document import Document
    from .extract import find_mentions
    from .facilities import add_facilities, geographic_poles
    from .journey import (
        along_the_way,
        city_states,
        find_stops,
        journey_mode,
        leg_modes,
        prefer_famous,
        region_towns,
        unify_senses,
        unplaced_goals,
    )

    if gazetteer is None:
        from .gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
    entities: list[tuple[int, int]] = []
    if ner is not None:
        from .ner import entity_spans, load_model

        entities = entity_spans(load_model(ner), text)
    found = add_facilities(text, unify_senses(find_mentions(text, gazetteer, entities=entities)))
    found = unify_senses(found)  # "from Lajes" after "Lajes Field": the airfield
    if journey:
        found = region_towns(
            city_states(prefer_famous(found, gazetteer, text), gazetteer, text), gazetteer, text
        )
    found = geographic_poles(text, found)  # "to the North Pole": not North Pole, Alaska
    document = Document(text)
    stops = find_stops(document, found) if journey else []
    if stops:
        stops, found = along_the_way(stops, found, gazetteer)
    modes = leg_modes(stops, journey_mode(document, stops))
    return TextAnalysis(
        text=text,
        found=tuple(found),
        stops=tuple(stops),
        modes=tuple(mode for mode, _cue in modes),
        claims=tuple(find_claims(document, found, stops)),
        mode_cues=tuple(cue for _mode, cue in modes),
        unplaced=tuple(unplaced_goals(document, found)) if journey else (),
        sentences=tuple(document.sentences),
    )


def _candidate_place(cand: Any, query: str) -> Place:
    return Place(
        name=cand.name,
        lat=cand.lat,
        lon=cand.lon,
        country=cand.country,
        geonameid=cand.gid,
        population=cand.population,
        feature=cand.feature,
        query=query,
        source="offline",
    )


def mentions_of(analysis: TextAnalysis, stops: Sequence[Place] = ()) -> list[Mention]:
    """The analysis's mentions as models, with role and order for the stops."""
    from .spans import AREA_LEVEL
    from .tokens import sentence_at, sentence_spans

    spans = list(analysis.sentences) or sentence_spans(analysis.text)

    def sentence(start: int) -> str:
        span = sentence_at(spans, start)
        return " ".join(analysis.text[span[0] : span[1]].split()) if span else ""

    cue_of = {c.mention.start: c.cue for c in analysis.stops}
    role_of = {c.mention.start: c.role for c in analysis.stops}
    order_of = {p.identity: i for i, p in enumerate(stops, start=1)}
    out = []
    for f in analysis.found:
        place = _candidate_place(f.candidate, f.surface)
        gid = place.identity
        is_stop = gid in order_of and f.kind == "place" and f.candidate.feature not in AREA_LEVEL
        out.append(
            Mention(
                start=f.start,
                end=f.end,
                surface=f.surface,
                kind=f.kind,
                place=place,
                candidates=f.candidates,
                confidence=f.confidence,
                sentence=sentence(f.start),
                role="stop" if is_stop else "mentioned",
                order=order_of.get(gid) if is_stop else None,
                cue=cue_of.get(f.start, ""),
                stop_role=role_of.get(f.start, ""),
            )
        )
    return out


def _given_modes(
    modes: Sequence[str], cues: Sequence[str], given: str | Sequence[str | None]
) -> tuple[list[str], list[str]]:
    """``modes`` with the legs ``given`` names replaced (their cue: ``"given"``).

    Raises
    ------
    InputError
        An unknown mode, or not one per leg.
    """
    from .stops import parse_modes

    told = parse_modes(given if isinstance(given, str) else [m or "" for m in given])
    if len(told) != len(modes):
        raise InputError(f"{len(modes)} legs but {len(told)} modes; give one mode per leg")
    out = list(modes)
    out_cues = [*cues, *[""] * (len(modes) - len(cues))][: len(modes)]
    for i, mode in enumerate(told):
        if mode is not None:
            out[i], out_cues[i] = mode, "given"
    return out, out_cues


def _text_modes(analysis: TextAnalysis, places: Sequence[Place]) -> tuple[list[str], list[str]]:
    """Each leg's mode from the text, where the leg joins two of the text's stops.

    A leg from the text's stop ``i`` to its stop ``j > i`` takes the mode the text gives
    every leg between them (if it gives them one mode); other legs are ``unknown``.
    """
    from .extract import fold

    keys = [(c.mention.candidate.gid, fold(c.mention.surface)) for c in analysis.stops]

    def where(place: Place) -> list[int]:
        return [
            i
            for i, (gid, surface) in enumerate(keys)
            if (place.geonameid is not None and gid == place.geonameid)
            or surface == fold(place.label)
        ]

    modes, cues = [], []
    for a, b in itertools.pairwise(places):
        mode, cue = "unknown", ""
        for i in where(a):
            for j in where(b):
                told = set(analysis.modes[i:j]) if i < j else set()
                if len(told) == 1 and "unknown" not in told:
                    mode = told.pop()
                    cue = analysis.mode_cues[i] if i < len(analysis.mode_cues) else ""
        modes.append(mode)
        cues.append(cue)
    return modes, cues


def _near_point(
    near: str | tuple[float, float] | None, geocoder: Geocoder | None
) -> tuple[float, float] | None:
    """``near`` as ``(lat, lon)``: a pair, ``"lat,lon"``, or a place name (geocoded).

    Raises
    ------
    InputError
        A position out of range.
    PlaceNotFoundError
        A name no place matches.
    """
    if near is None:
        return None
    text = _stop_text(near)
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"near: {near!r} is neither a place nor a (lat, lon) pair")
    bare = re.fullmatch(rf"\s*{_NUMBER}\s*,\s*{_NUMBER}\s*", text)
    place = coordinate_place(f"@{text}" if bare else text)
    if place is None:
        place = _geocode_stops([text], geocoder)[0][0]
    return place.latlon


def _join_area_qualifiers(names: list[str], gazetteer: Gazetteer) -> tuple[list[str], list[str]]:
    """In a comma list, join a country or region to the stop before it when that stop
    has a place inside it ("Perth, Scotland, London" → "Perth, Scotland", "London").

    Only a name that is an area and nothing close to a town is joined ("New York" stays
    a stop: the city). Returns the names and a note per join.
    """
    from .stops import AREA_FEATURES, lookup_stop, read_stop_name

    def plain(name: str) -> bool:
        stop = read_stop_name(name)
        return coordinate_place(name) is None and not stop.qualifier and stop.geonameid is None

    def area_only(name: str) -> bool:
        found = lookup_stop(gazetteer, name, limit=20)
        return (
            bool(found)
            and found[0].feature in AREA_FEATURES
            and not any(
                c.feature.startswith("PPL") and found[0].score - c.score < AMBIGUITY_MARGIN
                for c in found
            )
        )

    out: list[str] = []
    notes: list[str] = []
    joined = False
    for name in names:
        previous = out[-1] if out else None
        if (
            previous is not None
            and not joined
            and plain(previous)
            and plain(name)
            and area_only(name)
            and not area_only(previous)
            and lookup_stop(gazetteer, f"{previous}, {name}", limit=1)
        ):
            out[-1] = f"{previous}, {name}"
            notes.append(
                f"read {out[-1]!r} as one stop, {previous} in {name}; to make {name} a stop "
                "of its own, separate the stops with ';'"
            )
            joined = True
            continue
        joined = False
        out.append(name)
    return out, notes


def _typed_stops(
    stops: str | Sequence[StopSpec],
    modes: str | Sequence[str | None] | None,
    geocoder: Geocoder | None,
    analysis: TextAnalysis | None,
    *,
    country: str | None,
    near: str | tuple[float, float] | None,
) -> tuple[list[Place], list[str], list[str], list[str]]:
    """The places, leg modes, mode cues and notes of a typed stop list."""
    stop_list = read_stops(stops)
    names = list(stop_list.names)
    notes: list[str] = []
    if stop_list.commas_separate:
        gazetteer = _gazetteer_of(geocoder) if geocoder is not None else _any_gazetteer(None)
        if gazetteer is not None:
            names, notes = _join_area_qualifiers(names, gazetteer)
            if len(names) < 2:
                raise InputError(
                    f"a journey needs at least two stops, got one: {names[0]!r}; "
                    "separate the stops with ';'"
                )
    point = _near_point(near, geocoder)
    places, close = _geocode_stops(names, geocoder, country=country, near=point)
    if analysis is not None:
        leg_modes, cues = _text_modes(analysis, places)
    else:
        leg_modes, cues = ["unknown"] * (len(places) - 1), [""] * (len(places) - 1)
    given: str | Sequence[str | None] | None = modes
    if any(stop_list.modes):
        if modes is not None:
            raise InputError("modes given twice: between the stops ('A >plane> B') and as modes")
        given = stop_list.modes
    if given is not None:
        leg_modes, cues = _given_modes(leg_modes, cues, given)
    return places, leg_modes, cues, [*notes, *close]


#: How many names a place route cannot place the no-journey message quotes at most.
UNKNOWN_QUOTED = 3


def _no_journey(text: str | None, analysis: TextAnalysis) -> str:
    """Why a text gives no journey, in one line: the stops it found, the ends a verb of
    travel names that the offline gazetteer cannot place ("Camp Roberts"), and how to
    give the journey (``--stops``, an online geocoder, a point)."""
    stops = analysis.stops
    what = f"only one stop, {stops[0].mention.surface}" if stops else "no stops"
    unknown: list[tuple[str, int]] = []
    if text is not None:
        from .document import Document
        from .passes import unknown_places

        unknown = unknown_places(Document(text), analysis.found)[:UNKNOWN_QUOTED]
    if not unknown:
        return (
            f"no journey found in the text ({what}); "
            'pass --stops "A, B" (or stops=[...] in the API)'
        )
    names = [name for name, _start in unknown]
    listed = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    told = sorted(  # the stops as the reader placed them, and the others, in text order
        [(s.mention.start, f"{s.mention.surface}@{s.mention.candidate.lat:.4f},"
          f"{s.mention.candidate.lon:.4f}") for s in stops]
        + [(start, name) for name, start in unknown]
    )  # fmt: skip
    example = ", ".join(stop for _start, stop in told)
    return (
        f"no journey found in the text ({what}); it may also go to, from or through "
        f"{listed}, which the offline gazetteer cannot place: pass the stops in the order "
        f'travelled, e.g. --stops "{example}" --geocoder nominatim,offline, or a point for '
        f'each ("{names[0]}@LAT,LON"); in the API, stops=[...]'
    )


def plan(
    text: str | None = None,
    *,
    stops: str | Sequence[StopSpec] | None = None,
    modes: str | Sequence[str | None] | None = None,
    geocoder: Geocoder | None = None,
    rail_network: RailNetwork | None = None,
    max_snap_km: float | None = None,
    gazetteer: Gazetteer | None = None,
    ner: Any = None,
    country: str | None = None,
    near: str | tuple[float, float] | None = None,
) -> Trip:
    """Plan a trip from a text, from named stops, or both.

    Parameters
    ----------
    text
        A news text: its stops (in travel order), leg modes, mentions and
        distance claims are read from it.
    stops
        ``"Pyongyang, Dandong, Dong Dang, Hanoi"`` or a list of names and
        ``(lat, lon)`` pairs, in travel order; overrides the stops found in
        ``text``. A stop may be a position, ``"Sinuiju@40.10,124.40"``, or
        qualified: ``"Perth (GB)"``, ``"Springfield (Missouri)"``, ``"#2640358"``
        (:mod:`route.stops`). With ``;``, ``→``, ``->`` or a mode between the stops
        (``"Tokyo >plane> Honolulu"``), a comma qualifies a stop: ``"Victoria, British
        Columbia; Vancouver"``. In a comma list, a country or region that follows a
        stop inside it qualifies that stop (``"Perth, Scotland, London"``: two stops).
    modes
        The mode of each leg (``"plane,plane"`` or a list; ``None`` or ``""`` for a
        leg leaves it as the stop list or the text gives it). With a text and
        ``stops``, a leg between two of the text's stops keeps the text's mode.
    geocoder
        Any geopy geocoder for ``stops``; the offline GeoNames gazetteer by default.
    country
        Prefer places in this ISO alpha-2 country for ``stops``.
    near
        Prefer places near this one for ``stops``: a name or a ``(lat, lon)`` pair
        (or ``"lat,lon"``).
    rail_network
        A loaded :class:`~route.rail.RailNetwork` for rail distances; without
        one the trip has straight-line figures only.
    max_snap_km
        Stops farther than this from a railway get no rail figure (default 30).
    gazetteer
        The gazetteer for reading ``text`` (the default one if omitted).
    ner
        Optional spaCy model (loaded, or an installed model's name) whose place
        entities are added to the text's candidates (:mod:`route.ner`).

    Returns
    -------
    Trip

    Raises
    ------
    InputError
        Neither text nor stops; fewer than two stops, or an empty one.
    NoStopsError
        The text names fewer than two stops (pass ``stops``).
    PlaceNotFoundError
        A stop that no place matches.

    Examples
    --------
    >>> trip = plan(stops="Pyongyang, Hanoi")  # doctest: +SKIP
    >>> round(trip.direct_km, 1)  # doctest: +SKIP
    2757.7
    """
    if text is None and stops is None:
        raise InputError("give a text or stops (or both)")
    analysis = None
    if text is not None:
        if not text.strip():
            raise TextError("no text")
        if gazetteer is None:
            gazetteer = getattr(geocoder, "gazetteer", None)
        analysis = analyse_text(text, gazetteer, ner=ner)
    leg_modes: list[str] | None = None
    cues: Sequence[str] = ()
    notes: list[str] = []
    if stops is not None:
        places, leg_modes, cues, notes = _typed_stops(
            stops, modes, geocoder, analysis, country=country, near=near
        )
    else:
        assert analysis is not None
        if len(analysis.stops) < 2:
            raise NoStopsError(_no_journey(text, analysis))
        places = [_candidate_place(c.mention.candidate, c.mention.surface) for c in analysis.stops]
        leg_modes, cues = list(analysis.modes), analysis.mode_cues
        if modes is not None:
            leg_modes, cues = _given_modes(leg_modes, cues, modes)
    trip = build_trip(
        places, leg_modes, rail_network=rail_network, max_snap_km=max_snap_km, mode_cues=cues
    )
    from .claims import check_claims, unplaced_reason

    unplaced = analysis.unplaced if analysis is not None and stops is None else ()
    if unplaced:
        notes.append(f"{unplaced_reason(unplaced)}: its stops may not be the whole journey")
    if notes:
        trip = replace(trip, notes=tuple(notes))
    if analysis is None:
        return trip
    mentions = tuple(mentions_of(analysis, places))

    claims = check_claims(
        analysis.claims, replace(trip, mentions=mentions), rail_network, unplaced=unplaced
    )
    return replace(trip, mentions=mentions, claims=tuple(claims))
