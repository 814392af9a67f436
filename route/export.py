"""A trip as GIS data: GeoJSON, GPX, KML, GeoPackage, CSV, and GeoDataFrames.

Three layers, in EPSG:4326 with ``(lon, lat)`` geometries (:func:`trip_layers`):

* ``stops``: one point per stop (``stop`` number, ``label``, GeoNames ``name``,
  ``query``, ``country``, ``geonameid``, ``population``, ``feature``, ``source``,
  ``lat``, ``lon``);
* ``legs``: each leg's geodesic, a point about every 25 km, split at the antimeridian
  (the columns of :meth:`route.models.Trip.to_frame` without the positions);
* ``rail``: the rail path of each leg that has one (``leg``, ``origin``,
  ``destination``, ``mode``, ``rail_km``, ``detour``, ``snap_start_km``,
  ``snap_end_km``, ``bridges``).

Formats (:data:`FORMATS`): ``geojson`` (:meth:`~route.models.Trip.to_geojson`),
``gpkg`` (the three layers), ``kml`` (three folders; placemarks named by the stops'
labels), both written by pyogrio (GDAL); ``gpx`` (stops as waypoints, the journey as a
route, each leg's geodesic and rail path as tracks), written by gpxpy; ``csv`` (one row
per leg, the columns of :meth:`~route.models.Trip.to_frame`). Figures keep metres
(three decimals).
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, MissingDependencyError

if TYPE_CHECKING:
    import geopandas

    from .models import Trip

__all__ = ["FORMATS", "LAYERS", "export_bytes", "format_for", "to_geodataframe", "trip_layers"]

#: Export formats: name → (file extensions, what it is).
FORMATS: dict[str, tuple[tuple[str, ...], str]] = {
    "geojson": ((".geojson",), "GeoJSON"),
    "gpx": ((".gpx",), "GPX"),
    "kml": ((".kml",), "KML"),
    "gpkg": ((".gpkg",), "a GeoPackage"),
    "csv": ((".csv",), "CSV"),
}
#: The layers of :func:`trip_layers`, in order.
LAYERS = ("stops", "legs", "rail")
#: The fields of the ``rail`` layer.
RAIL_COLUMNS = (
    "leg", "origin", "destination", "mode", "rail_km", "detour",
    "snap_start_km", "snap_end_km", "bridges",
)  # fmt: skip
#: Decimals of the km figures in files.
FILE_DIGITS = 3

#: A layer: its records (one dict per feature, same keys in each) and shapely geometries.
Layer = tuple[list[dict[str, Any]], list[Any]]


def format_for(path: str | os.PathLike[str]) -> str | None:
    """The export format a file name asks for by its extension (``None`` if none)."""
    suffix = Path(path).suffix.lower()
    for name, (extensions, _) in FORMATS.items():
        if suffix in extensions:
            return name
    return None


def trip_layers(trip: Trip, *, digits: int | None = FILE_DIGITS) -> dict[str, Layer]:
    """The trip's ``stops``, ``legs`` and ``rail`` layers (see the module docstring).

    Parameters
    ----------
    trip
        The trip.
    digits
        Decimals of the km figures (``None``: as computed).
    """
    from shapely.geometry import Point

    stops: Layer = ([], [])
    for number, stop in enumerate(trip.stops, start=1):
        stops[0].append(
            {
                "stop": number,
                "label": stop.label,
                "name": stop.name,
                "query": stop.query,
                "country": stop.country,
                "geonameid": stop.geonameid,
                "population": stop.population,
                "feature": stop.feature,
                "source": stop.source,
                "lat": round(stop.lat, 6),
                "lon": round(stop.lon, 6),
            }
        )
        stops[1].append(Point(stop.lon, stop.lat))
    legs: Layer = ([], [])
    rail: Layer = ([], [])
    positions = ("origin_lat", "origin_lon", "destination_lat", "destination_lon")
    for leg, row in zip(trip.legs, trip.leg_rows(digits=digits), strict=True):
        legs[0].append({k: v for k, v in row.items() if k not in positions})
        legs[1].append(leg.straight_line)
        if leg.rail is not None:
            rail[0].append({k: row[k] for k in RAIL_COLUMNS})
            rail[1].append(leg.rail.line)
    return {"stops": stops, "legs": legs, "rail": rail}


def to_geodataframe(trip: Trip, layer: str | None = None) -> geopandas.GeoDataFrame:
    """One layer of the trip (or all, with a ``layer`` column) as a GeoDataFrame.

    See :meth:`route.models.Trip.to_geodataframe`.
    """
    if layer is not None and layer not in LAYERS:
        raise InputError(f"unknown layer {layer!r}; use {', '.join(LAYERS)} (or None for all)")
    try:
        import geopandas as gpd
    except ImportError as exc:
        raise MissingDependencyError(
            "Trip.to_geodataframe() needs geopandas: pip install 'route[geo]' (or geopandas)"
        ) from exc
    import pandas as pd

    layers = trip_layers(trip, digits=1)
    names = [layer] if layer is not None else list(LAYERS)
    frames = []
    for name in names:
        records, geometries = layers[name]
        columns = list(records[0]) if records else list(RAIL_COLUMNS)  # only rail can be empty
        frame = gpd.GeoDataFrame(
            pd.DataFrame(records, columns=columns), geometry=geometries, crs="EPSG:4326"
        )
        km = [c for c in columns if c.endswith("_km") or c == "detour"]
        counts = [c for c in columns if c in _INTEGER_COLUMNS]
        frame = frame.astype(dict.fromkeys(km, "float64") | dict.fromkeys(counts, "Int64"))
        if layer is None:
            frame.insert(0, "layer", name)
        frames.append(frame)
    if len(frames) == 1:
        return frames[0]
    nonempty = [f for f in frames if len(f)]
    combined = pd.concat(nonempty, ignore_index=True)
    counts = [c for c in combined.columns if c in _INTEGER_COLUMNS]
    combined = combined.astype(dict.fromkeys(counts, "Int64"))  # missing in other layers
    return gpd.GeoDataFrame(combined, geometry="geometry", crs="EPSG:4326")


#: Whole-number columns: nullable integers in GeoDataFrames.
_INTEGER_COLUMNS = frozenset({"stop", "leg", "geonameid", "population", "bridges"})


def export_bytes(trip: Trip, fmt: str) -> bytes:
    """The trip in an export format, as the bytes of the file.

    Parameters
    ----------
    trip
        The trip.
    fmt
        ``geojson``, ``gpx``, ``kml``, ``gpkg`` or ``csv`` (:data:`FORMATS`).

    Raises
    ------
    InputError
        An unknown format.
    """
    if fmt == "geojson":
        return (json.dumps(trip.to_geojson(), ensure_ascii=False, indent=1) + "\n").encode()
    if fmt == "csv":
        return _csv(trip).encode("utf-8")
    if fmt == "gpx":
        return _gpx(trip).encode("utf-8")
    if fmt in ("kml", "gpkg"):
        return _ogr(trip, fmt)
    raise InputError(f"unknown export format {fmt!r}; use {', '.join(FORMATS)}")


def _csv(trip: Trip) -> str:
    from .models import FRAME_COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(FRAME_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in trip.leg_rows(digits=FILE_DIGITS):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def _gpx(trip: Trip) -> str:
    import gpxpy.gpx

    gpx = gpxpy.gpx.GPX()
    gpx.creator = "route"
    gpx.name = " → ".join(stop.label for stop in trip.stops)
    journey = gpxpy.gpx.GPXRoute(name=gpx.name, description="the stops in travel order")
    for number, stop in enumerate(trip.stops, start=1):
        where = ", ".join(part for part in (stop.name, stop.country) if part)
        gpx.waypoints.append(
            gpxpy.gpx.GPXWaypoint(
                latitude=stop.lat,
                longitude=stop.lon,
                name=stop.label,
                description=f"stop {number}: {where}",
                type="stop",
            )
        )
        journey.points.append(
            gpxpy.gpx.GPXRoutePoint(latitude=stop.lat, longitude=stop.lon, name=stop.label)
        )
    gpx.routes.append(journey)
    for number, leg in enumerate(trip.legs, start=1):
        name = f"leg {number}: {leg.start.label} → {leg.end.label}"
        lines = [(f"{name}, straight line", f"{leg.straight_km:.1f} km", leg.straight_line)]
        if leg.rail is not None:
            lines.append((f"{name}, rail", f"{leg.rail.km:.1f} km by rail", leg.rail.line))
        for title, description, geometry in lines:
            track = gpxpy.gpx.GPXTrack(name=title, description=f"{description} ({leg.mode})")
            track.type = "rail" if title.endswith("rail") else "straight"  # type: ignore[assignment]
            parts = geometry.geoms if geometry.geom_type == "MultiLineString" else [geometry]
            for part in parts:
                segment = gpxpy.gpx.GPXTrackSegment()
                segment.points.extend(
                    gpxpy.gpx.GPXTrackPoint(latitude=lat, longitude=lon) for lon, lat in part.coords
                )
                track.segments.append(segment)
            gpx.tracks.append(track)
    return str(gpx.to_xml())


def _ogr(trip: Trip, fmt: str) -> bytes:
    """GeoPackage or KML through pyogrio (GDAL), written in a scratch directory."""
    import numpy as np
    import pyogrio.raw
    import shapely

    from ._atomic import temp_work_dir

    layers = trip_layers(trip)
    with temp_work_dir("route-export-") as work:
        path = work / f"trip.{fmt}"
        written = False
        for name in LAYERS:
            records, geometries = layers[name]
            if not records:
                continue
            if fmt == "kml":  # the placemark's name and description
                records = [_kml_record(name, r) for r in records]
            fields = list(records[0])
            data, masks = [], []
            for field in fields:
                values = [r[field] for r in records]
                array, mask = _column(values, np)
                data.append(array)
                masks.append(mask)
            multi = any(g.geom_type.startswith("Multi") for g in geometries)
            if multi:
                geometries = [shapely.multilinestrings([g]) if g.geom_type == "LineString" else g
                              for g in geometries]  # fmt: skip
            kind = geometries[0].geom_type
            pyogrio.raw.write(
                str(path),
                shapely.to_wkb(np.array(geometries, dtype=object)),
                field_data=data,
                fields=fields,
                field_mask=masks,
                layer=name,
                driver="GPKG" if fmt == "gpkg" else "KML",
                geometry_type=kind,
                crs="EPSG:4326",
                append=written,
            )
            written = True
        return path.read_bytes()


def _kml_record(layer: str, record: dict[str, Any]) -> dict[str, Any]:
    if layer == "stops":
        where = ", ".join(p for p in (record["name"], record["country"]) if p)
        head = {"Name": record["label"], "description": f"stop {record['stop']}: {where}"}
        rest = {k: v for k, v in record.items() if k not in ("label", "name")}
    else:
        what = "rail" if layer == "rail" else "straight line"
        km = record["rail_km"] if layer == "rail" else record["straight_km"]
        head = {
            "Name": f"leg {record['leg']}: {record['origin']} → {record['destination']}",
            "description": f"{what}: {km:,.1f} km ({record['mode']})",
        }
        rest = dict(record)
    return {**head, **rest}


def _column(values: list[Any], np: Any) -> tuple[Any, Any]:
    """A field's values as a typed array and a mask of the missing ones."""
    mask = np.array([v is None for v in values], dtype=bool)
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return np.array([0 if v is None else v for v in values], dtype=np.int64), mask
    if present and all(isinstance(v, int | float) for v in present):
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64), mask
    return np.array(["" if v is None else str(v) for v in values], dtype=object), mask
