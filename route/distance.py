"""Distances and paths on the WGS84 ellipsoid.

Public functions take ``(lat, lon)`` tuples. The shapely geometries returned
for drawing are in shapely's ``(lon, lat)`` order; never take their planar
``.length`` as a distance.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyproj import Geod
    from shapely.geometry import LineString, MultiLineString

__all__ = [
    "geodesic_km",
    "great_circle_line",
    "great_circle_points",
    "line_latlon_parts",
    "unwrap_lons",
    "unwrap_path",
]

LatLon = tuple[float, float]


@cache
def _geod() -> Geod:
    from pyproj import Geod

    return Geod(ellps="WGS84")


def _check(point: LatLon) -> None:
    lat, lon = point
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        raise ValueError(f"not a (lat, lon) pair in degrees: {point!r}")


def geodesic_km(a: LatLon, b: LatLon) -> float:
    """Geodesic distance between two ``(lat, lon)`` points on WGS84, in km.

    Examples
    --------
    >>> round(geodesic_km((39.03385, 125.75432), (21.0245, 105.84117)), 1)
    2757.7
    """
    _check(a)
    _check(b)
    _, _, metres = _geod().inv(a[1], a[0], b[1], b[0])
    return float(metres) / 1000.0


def great_circle_points(a: LatLon, b: LatLon, step_km: float = 25.0) -> list[LatLon]:
    """The geodesic from ``a`` to ``b`` as ``(lat, lon)`` points about ``step_km`` apart.

    Longitudes stay in [-180, 180] as :mod:`pyproj` gives them, so a path across
    the antimeridian jumps there; :func:`unwrap_path` makes it continuous,
    :func:`great_circle_line` splits it.

    Parameters
    ----------
    a, b
        ``(lat, lon)`` endpoints; the first and last points are exactly these.
    step_km
        Spacing of the intermediate points (``pyproj.Geod.npts``).

    Raises
    ------
    ValueError
        A point that is not ``(lat, lon)`` in degrees, or ``step_km <= 0``.
    """
    if step_km <= 0:
        raise ValueError("step_km must be positive")
    total = geodesic_km(a, b)
    npts = max(0, math.ceil(total / step_km) - 1)
    inner = _geod().npts(a[1], a[0], b[1], b[0], npts) if npts else []
    return [a, *((float(lat), float(lon)) for lon, lat in inner), b]


def great_circle_line(a: LatLon, b: LatLon, step_km: float = 25.0) -> LineString | MultiLineString:
    """The geodesic from ``a`` to ``b`` as a densified shapely line.

    Points are spaced about ``step_km`` apart (``pyproj.Geod.npts``). A path
    that crosses the antimeridian is split there into a ``MultiLineString``
    whose parts end and start exactly on ±180°, so a map never draws a line
    across the whole world.

    Parameters
    ----------
    a, b
        ``(lat, lon)`` endpoints.
    step_km
        Spacing of the intermediate points.
    """
    from shapely.geometry import LineString, MultiLineString

    coords = [(lon, lat) for lat, lon in great_circle_points(a, b, step_km)]
    parts = _split_antimeridian(coords)
    if len(parts) == 1:
        return LineString(parts[0])
    return MultiLineString(parts)


def unwrap_lons(lons: Iterable[float], start: float | None = None) -> list[float]:
    """Longitudes made continuous: each step goes the shorter way round the globe.

    Each longitude is moved by a whole number of turns (360°) so that it lies
    within 180° of the one before; a longitude already within 180° is kept
    exactly. The results may leave [-180, 180]: Tokyo (139.7) then Honolulu
    (-157.8) gives 139.7, 202.2, which Leaflet draws east of Tokyo.

    Parameters
    ----------
    lons
        Longitudes in degrees.
    start
        If given, the first longitude is moved to lie within 180° of it.

    Returns
    -------
    list of float
        The unwrapped longitudes.

    Examples
    --------
    >>> unwrap_lons([139.5, -157.5, -122.5])
    [139.5, 202.5, 237.5]
    >>> unwrap_lons([10.0, 180.0, -180.0])
    [10.0, 180.0, 180.0]
    """
    out: list[float] = []
    previous = start
    for lon in lons:
        if previous is not None:
            lon += 360.0 * round((previous - lon) / 360.0)
        out.append(lon)
        previous = lon
    return out


def unwrap_path(points: Iterable[LatLon], start_lon: float | None = None) -> list[LatLon]:
    """A ``(lat, lon)`` path with continuous longitudes (see :func:`unwrap_lons`).

    Parameters
    ----------
    points
        The path's ``(lat, lon)`` points.
    start_lon
        If given, the path is moved by whole turns to start within 180° of it
        (a map's copy of the stop it starts at).
    """
    path = list(points)
    lons = unwrap_lons((lon for _, lon in path), start_lon)
    return [(lat, lon) for (lat, _), lon in zip(path, lons, strict=True)]


def _split_antimeridian(coords: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Split a (lon, lat) polyline where it crosses the antimeridian.

    The line is unwrapped (each step the shorter way round), cut wherever it
    crosses 180° + k·360°, and each part is put back into [-180, 180]: a part
    ends on +180 and the next starts on -180 (or the other way round), at the
    latitude interpolated along the step. Points on ±180 itself stay on the
    side of the part they belong to, so a step from 180 to -180 (the same
    meridian) is no crossing.
    """
    lons = unwrap_lons(lon for lon, _ in coords)
    # (unwrapped lon, lat, the given lon or None for a cut point)
    parts: list[list[tuple[float, float, float | None]]] = [[(lons[0], coords[0][1], coords[0][0])]]
    for (x0, (_, y0)), (x1, (lon1, y1)) in itertools.pairwise(zip(lons, coords, strict=True)):
        low, high = min(x0, x1), max(x0, x1)
        edge = 180.0 + 360.0 * math.floor((low - 180.0) / 360.0 + 1.0)
        edges = []
        while edge < high:
            if edge > low:
                edges.append(edge)
            edge += 360.0
        for edge in sorted(edges, reverse=x1 < x0):
            lat = y0 + (edge - x0) / (x1 - x0) * (y1 - y0)
            parts[-1].append((edge, lat, None))
            parts.append([(edge, lat, None)])
        parts[-1].append((x1, y1, lon1))
    lines: list[list[tuple[float, float]]] = []
    for part in parts:
        xs = [x for x, _, _ in part]
        turns = 360.0 * math.floor(((min(xs) + max(xs)) / 2 + 180.0) / 360.0)
        line: list[tuple[float, float]] = []
        for x, lat, given in part:
            lon = x - turns
            if given is not None and abs(given - lon) < 1e-9:
                lon = given  # the input's value, exactly
            if not line or line[-1] != (lon, lat):
                line.append((lon, lat))
        if len(line) >= 2:
            lines.append(line)
    # A line of no length (one point, maybe written as both +180 and -180).
    return lines or [[coords[0], coords[0]]]


def line_latlon_parts(geometry: LineString | MultiLineString) -> list[list[LatLon]]:
    """A line's parts as lists of ``(lat, lon)``, ready for Leaflet."""
    lines = geometry.geoms if geometry.geom_type == "MultiLineString" else [geometry]
    return [[(lat, lon) for lon, lat in line.coords] for line in lines]
