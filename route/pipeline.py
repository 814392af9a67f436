"""Compose the steps: stops → geocoded places → legs → a :class:`~route.models.Trip`.

The geocoder is a parameter (any geopy geocoder; the offline gazetteer by
default), so tests and notebooks can swap it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .distance import geodesic_km
from .errors import InputError, PlaceNotFoundError
from .models import Leg, Place, RailRoute, Trip

if TYPE_CHECKING:
    from geopy.geocoders.base import Geocoder
    from geopy.location import Location

    from .rail import RailNetwork

__all__ = ["build_trip", "coordinate_place", "geocode_stops", "parse_stops", "plan"]

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
    return Place(
        name=str(raw.get("name") or location.address.split(",")[0]),
        lat=float(location.latitude),
        lon=float(location.longitude),
        country=str(raw.get("country") or ""),
        geonameid=int(raw["geonameid"]) if raw.get("geonameid") is not None else None,
        population=int(raw.get("population") or 0),
        feature=str(raw.get("feature") or ""),
        query=query,
        source=source,
    )


def _suggest(geocoder: Geocoder, query: str) -> tuple[str, ...]:
    gazetteer = getattr(geocoder, "gazetteer", None)
    if gazetteer is None:
        from .gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
    return tuple(f"{c.name} ({c.country or c.feature})" for c in gazetteer.suggest(query))


def _prior(rank: int, raw: dict[str, Any]) -> float:
    """Ranking score from the geocoder, or one derived from its order."""
    score = raw.get("score")
    return float(score) if score is not None else -float(rank)


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
    options: list[list[tuple[float, Place]]] = []
    for name in names:
        fixed = coordinate_place(name)
        if fixed is not None:
            options.append([(0.0, fixed)])
            continue
        if geocoder is None:
            geocoder = _default_geocoder()
        source = str(getattr(geocoder, "source", type(geocoder).__name__.lower()))
        found = geocoder.geocode(name, exactly_one=False) or []
        if not found:
            raise PlaceNotFoundError(name, _suggest(geocoder, name))
        scored = []
        for rank, location in enumerate(found):
            raw = location.raw if isinstance(location.raw, dict) else {}
            scored.append((_prior(rank, raw), _place(location, name, source)))
        options.append(scored)

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
    from .rail import NoRailRoute

    if network is None:
        return None, "no rail network"
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
    """
    from .rail import DEFAULT_MAX_SNAP_KM

    if len(places) < 2:
        raise InputError(f"a journey needs at least two stops, got {len(places)}")
    modes = list(modes) if modes is not None else ["unknown"] * (len(places) - 1)
    if len(modes) != len(places) - 1:
        raise InputError(f"{len(places) - 1} legs but {len(modes)} modes")
    snap = DEFAULT_MAX_SNAP_KM if max_snap_km is None else max_snap_km
    if not snap > 0:
        raise InputError("the maximum snap distance must be positive")
    legs = []
    for a, b, mode in zip(places, places[1:], modes, strict=False):
        if rail_network is not None and (mode in RAIL_MODES or rail_all_legs):
            rail, note = _rail(rail_network, a, b, snap)
        elif rail_network is not None:
            rail, note = None, f"{mode} leg: not routed on rail"
        else:
            rail, note = None, ""
        legs.append(Leg(a, b, geodesic_km(a.latlon, b.latlon), mode, rail, note))
    direct_rail, direct_note = (None, "")
    if rail_network is not None:
        direct_rail, direct_note = _rail(rail_network, places[0], places[-1], snap)
    return Trip(
        stops=tuple(places),
        legs=tuple(legs),
        direct_km=geodesic_km(places[0].latlon, places[-1].latlon),
        direct_rail=direct_rail,
        direct_rail_note=direct_note,
        rail_uncertainty=rail_network.uncertainty if rail_network is not None else "",
    )


def plan(
    *,
    stops: str | Sequence[str],
    geocoder: Geocoder | None = None,
    rail_network: RailNetwork | None = None,
    max_snap_km: float | None = None,
) -> Trip:
    """Plan a trip from named stops.

    Parameters
    ----------
    stops
        ``"Pyongyang, Dandong, Dong Dang, Hanoi"`` or a list of names, in
        travel order; a stop may be a position, ``"Sinuiju@40.10,124.40"``.
    geocoder
        Any geopy geocoder; the offline GeoNames gazetteer by default.
    rail_network
        A loaded :class:`~route.rail.RailNetwork` for rail distances; without
        one the trip has straight-line figures only.
    max_snap_km
        Stops farther than this from a railway get no rail figure (default 30).

    Returns
    -------
    Trip

    Raises
    ------
    InputError
        Fewer than two stops, or an empty one.
    PlaceNotFoundError
        A stop that no place matches.

    Examples
    --------
    >>> trip = plan(stops="Pyongyang, Hanoi")  # doctest: +SKIP
    >>> round(trip.direct_km, 1)  # doctest: +SKIP
    2757.7
    """
    places = geocode_stops(parse_stops(stops), geocoder)
    return build_trip(places, rail_network=rail_network, max_snap_km=max_snap_km)
