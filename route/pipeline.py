"""Compose the steps: stops → geocoded places → legs → a :class:`~route.models.Trip`.

The geocoder is a parameter (any geopy geocoder; the offline gazetteer by
default), so tests and notebooks can swap it.
"""

from __future__ import annotations

import math
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

__all__ = [
    "TextAnalysis",
    "analyse_text",
    "build_trip",
    "coordinate_place",
    "geocode_stops",
    "parse_stops",
    "plan",
    "read_text",
]

#: Candidates within this many orders of magnitude of the best one's score are
#: "ambiguous" and decided by proximity to the other stops.
AMBIGUITY_MARGIN = 1.0
#: Score lost per tenfold distance (in units of 100 km) to the nearest other stop.
DISTANCE_WEIGHT = 2.0

_SEPARATORS = re.compile(r"\s*(?:,|;|→|->)\s*")
_NUMBER = r"[-+]?\d+(?:\.\d+)?"
#: ``@lat,lon`` with an optional label before the ``@``.
COORDINATE_STOP = re.compile(
    rf"^(?P<label>[^@]*?)\s*@\s*(?P<lat>{_NUMBER})\s*,\s*(?P<lon>{_NUMBER})$"
)
_COORD_IN_LIST = re.compile(rf"@\s*{_NUMBER}\s*,\s*{_NUMBER}")
#: Modes that are routed on rails; others ("car", "plane") are not, unless asked.
RAIL_MODES = frozenset({"train", "unknown"})


def parse_stops(stops: str | Sequence[str]) -> list[str]:
    """Split and check a stop list.

    Parameters
    ----------
    stops
        ``"Pyongyang, Dandong, Hanoi"`` (separated by ``,``, ``;``, ``→`` or
        ``->``) or a sequence of names.

    Raises
    ------
    InputError
        On an empty name or fewer than two stops.
    """
    if isinstance(stops, str):
        # The comma inside "@lat,lon" does not separate stops.
        protected = _COORD_IN_LIST.sub(lambda m: m.group(0).replace(",", "\0"), stops.strip())
        names = [name.replace("\0", ",") for name in _SEPARATORS.split(protected)]
    else:
        names = list(stops)
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
    return cleaned


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


def _suggest(geocoder: Geocoder, query: str) -> tuple[str, ...]:
    gazetteer = getattr(geocoder, "gazetteer", None)
    if gazetteer is None:
        from .gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
    return tuple(f"{c.name} ({c.country or c.feature})" for c in gazetteer.suggest(query))


def _prior(rank: int, raw: dict[str, Any]) -> float:
    """Ranking score: the gazetteer's, Nominatim's importance (0–1), or the answer order."""
    score = raw.get("score")
    if score is not None:
        return float(score)
    importance = raw.get("importance")
    if isinstance(importance, (int, float)):
        return 3.0 + 5.0 * float(importance) - 0.01 * rank
    return -float(rank)


def geocode_stops(names: Sequence[str], geocoder: Geocoder | None = None) -> list[Place]:
    """Geocode each stop, choosing among same-name candidates by proximity.

    A stop whose best candidate is not clearly ahead (within
    :data:`AMBIGUITY_MARGIN` of the next) takes the candidate nearest to the
    other stops: "Pingxiang" between Nanning and Dong Dang is the border town
    in Guangxi, not the larger city in Jiangxi.

    Raises
    ------
    PlaceNotFoundError
        When a name has no match; the message carries close suggestions.
    """
    from .geocode import GeocodingError

    options: list[list[tuple[float, Place]]] = []
    failed: list[str] = []
    for name in names:
        fixed = coordinate_place(name)
        if fixed is not None:
            options.append([(0.0, fixed)])
            continue
        if geocoder is None:
            geocoder = _default_geocoder()
        source = str(getattr(geocoder, "source", type(geocoder).__name__.lower()))
        try:
            found = geocoder.geocode(name, exactly_one=False) or []
        except GeocodingError as exc:  # the run carries on; all failures are reported
            failed.append(str(exc))
            continue
        if not found:
            raise PlaceNotFoundError(name, _suggest(geocoder, name))
        scored = []
        for rank, location in enumerate(found):
            raw = location.raw if isinstance(location.raw, dict) else {}
            scored.append((_prior(rank, raw), _place(location, name, source)))
        options.append(scored)
    if failed:
        raise GeocodingError(f"{len(failed)} of {len(names)} stops failed: " + " | ".join(failed))

    chosen = [opts[0][1] for opts in options]
    for i, opts in enumerate(options):
        best_score = opts[0][0]
        close = [(s, p) for s, p in opts if best_score - s < AMBIGUITY_MARGIN]
        if len(close) < 2:
            continue
        others = [chosen[j] for j in range(len(chosen)) if j != i]

        def with_context(item: tuple[float, Place], others: list[Place] = others) -> float:
            score, place = item
            nearest = min(geodesic_km(place.latlon, o.latlon) for o in others)
            return score - DISTANCE_WEIGHT * math.log10(1 + nearest / 100.0)

        chosen[i] = max(close, key=with_context)[1]
    return chosen


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
        so does the whole trip from first stop to last.
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
    if rail_network is not None:
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
    from .journey import find_stops, journey_mode, leg_modes, prefer_famous, unify_senses

    if gazetteer is None:
        from .gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
    entities: list[tuple[int, int]] = []
    if ner is not None:
        from .ner import entity_spans, load_model

        entities = entity_spans(load_model(ner), text)
    found = unify_senses(find_mentions(text, gazetteer, entities=entities))
    if journey:
        found = prefer_famous(found, gazetteer)
    document = Document(text)
    stops = find_stops(document, found) if journey else []
    modes = leg_modes(stops, journey_mode(document, stops))
    return TextAnalysis(
        text=text,
        found=tuple(found),
        stops=tuple(stops),
        modes=tuple(mode for mode, _cue in modes),
        claims=tuple(find_claims(document, found, stops)),
        mode_cues=tuple(cue for _mode, cue in modes),
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
    from .extract import AREA_LEVEL, sentence_at, sentence_spans

    spans = sentence_spans(analysis.text)

    def sentence(start: int) -> str:
        span = sentence_at(spans, start)
        return " ".join(analysis.text[span[0] : span[1]].split()) if span else ""

    cue_of = {c.mention.start: c.cue for c in analysis.stops}
    role_of = {c.mention.start: c.role for c in analysis.stops}
    order_of = {p.geonameid: i for i, p in enumerate(stops, start=1) if p.geonameid}
    out = []
    for f in analysis.found:
        gid = f.candidate.geonameid
        is_stop = gid in order_of and f.kind == "place" and f.candidate.feature not in AREA_LEVEL
        out.append(
            Mention(
                start=f.start,
                end=f.end,
                surface=f.surface,
                kind=f.kind,
                place=_candidate_place(f.candidate, f.surface),
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


def plan(
    text: str | None = None,
    *,
    stops: str | Sequence[str] | None = None,
    geocoder: Geocoder | None = None,
    rail_network: RailNetwork | None = None,
    max_snap_km: float | None = None,
    gazetteer: Gazetteer | None = None,
    ner: Any = None,
) -> Trip:
    """Plan a trip from a text, from named stops, or both.

    Parameters
    ----------
    text
        A news text: its stops (in travel order), leg modes, mentions and
        distance claims are read from it.
    stops
        ``"Pyongyang, Dandong, Dong Dang, Hanoi"`` or a list of names, in
        travel order; overrides the stops found in ``text``. A stop may be a
        position, ``"Sinuiju@40.10,124.40"``.
    geocoder
        Any geopy geocoder for ``stops``; the offline GeoNames gazetteer by default.
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
    modes: list[str] | None = None
    if stops is not None:
        places = geocode_stops(parse_stops(stops), geocoder)
    else:
        assert analysis is not None
        if len(analysis.stops) < 2:
            what = (
                f"only one stop, {analysis.stops[0].mention.surface}"
                if analysis.stops
                else "no stops"
            )
            raise NoStopsError(
                f"no journey found in the text ({what}); "
                'pass --stops "A, B" (or stops=[...] in the API)'
            )
        places = [_candidate_place(c.mention.candidate, c.mention.surface) for c in analysis.stops]
        modes = list(analysis.modes)
    cues = analysis.mode_cues if analysis is not None and stops is None else ()
    trip = build_trip(
        places, modes, rail_network=rail_network, max_snap_km=max_snap_km, mode_cues=cues
    )
    if analysis is None:
        return trip
    mentions = tuple(mentions_of(analysis, places))
    from .claims import check_claims

    claims = check_claims(analysis.claims, replace(trip, mentions=mentions), rail_network)
    return replace(trip, mentions=mentions, claims=tuple(claims))
