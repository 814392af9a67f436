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
from .models import Leg, Place, Trip

if TYPE_CHECKING:
    from geopy.geocoders.base import Geocoder
    from geopy.location import Location

__all__ = ["build_trip", "geocode_stops", "parse_stops", "plan"]

#: Candidates within this many orders of magnitude of the best one's score are
#: "ambiguous" and decided by proximity to the other stops.
AMBIGUITY_MARGIN = 1.0
#: Score lost per tenfold distance (in units of 100 km) to the nearest other stop.
DISTANCE_WEIGHT = 2.0

_SEPARATORS = re.compile(r"\s*(?:,|;|→|->)\s*")


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
    names = _SEPARATORS.split(stops.strip()) if isinstance(stops, str) else list(stops)
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
    geocoder = geocoder or _default_geocoder()
    source = str(getattr(geocoder, "source", type(geocoder).__name__.lower()))
    options: list[list[tuple[float, Place]]] = []
    for name in names:
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


def build_trip(places: Sequence[Place], modes: Sequence[str] | None = None) -> Trip:
    """Measure the legs between consecutive places.

    Parameters
    ----------
    places
        At least two places, in travel order.
    modes
        Optional mode of each leg (``len(places) - 1`` items).
    """
    if len(places) < 2:
        raise InputError(f"a journey needs at least two stops, got {len(places)}")
    modes = list(modes) if modes is not None else ["unknown"] * (len(places) - 1)
    if len(modes) != len(places) - 1:
        raise InputError(f"{len(places) - 1} legs but {len(modes)} modes")
    legs = tuple(
        Leg(a, b, geodesic_km(a.latlon, b.latlon), mode)
        for a, b, mode in zip(places, places[1:], modes, strict=False)
    )
    return Trip(
        stops=tuple(places),
        legs=legs,
        direct_km=geodesic_km(places[0].latlon, places[-1].latlon),
    )


def plan(*, stops: str | Sequence[str], geocoder: Geocoder | None = None) -> Trip:
    """Plan a trip from named stops.

    Parameters
    ----------
    stops
        ``"Pyongyang, Dandong, Dong Dang, Hanoi"`` or a list of names, in
        travel order.
    geocoder
        Any geopy geocoder; the offline GeoNames gazetteer by default.

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
    return build_trip(geocode_stops(parse_stops(stops), geocoder))
