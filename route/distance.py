"""Distances and paths on the WGS84 ellipsoid.

Public functions take ``(lat, lon)`` tuples. The shapely geometries returned
for drawing are in shapely's ``(lon, lat)`` order; never take their planar
``.length`` as a distance.
"""

from __future__ import annotations

import itertools
import math
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyproj import Geod
    from shapely.geometry import LineString, MultiLineString

__all__ = ["geodesic_km", "great_circle_line", "line_latlon_parts"]

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

    if step_km <= 0:
        raise ValueError("step_km must be positive")
    total = geodesic_km(a, b)
    npts = max(0, math.ceil(total / step_km) - 1)
    inner = _geod().npts(a[1], a[0], b[1], b[0], npts) if npts else []
    coords = [(a[1], a[0]), *inner, (b[1], b[0])]
    parts = _split_antimeridian(coords)
    if len(parts) == 1:
        return LineString(parts[0])
    return MultiLineString(parts)


def _split_antimeridian(coords: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Split a (lon, lat) polyline wherever a step jumps more than 180° in longitude."""
    parts: list[list[tuple[float, float]]] = [[coords[0]]]
    for (lon0, lat0), (lon1, lat1) in itertools.pairwise(coords):
        if abs(lon1 - lon0) > 180:
            # Unwrap the far point, interpolate the crossing latitude.
            edge = 180.0 if lon0 > 0 else -180.0
            lon1_unwrapped = lon1 + 360.0 if lon0 > 0 else lon1 - 360.0
            t = (edge - lon0) / (lon1_unwrapped - lon0)
            lat_x = lat0 + t * (lat1 - lat0)
            parts[-1].append((edge, lat_x))
            parts.append([(-edge, lat_x)])
        if parts[-1][-1] != (lon1, lat1):
            parts[-1].append((lon1, lat1))
    return [part for part in parts if len(part) >= 2]


def line_latlon_parts(geometry: LineString | MultiLineString) -> list[list[LatLon]]:
    """A line's parts as lists of ``(lat, lon)``, ready for Leaflet."""
    lines = geometry.geoms if geometry.geom_type == "MultiLineString" else [geometry]
    return [[(lat, lon) for lon, lat in line.coords] for line in lines]
