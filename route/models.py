"""Plain data: the places, legs and trips route computes.

Coordinates are ``(lat, lon)`` in degrees on WGS84 in route's own fields
(``Place.latlon``, ``RailRoute.path``); the geometries for GIS tools
(``__geo_interface__``, ``Leg.straight_line``, ``RailRoute.line``, GeoDataFrames and
exports) are in the ``(lon, lat)`` order GeoJSON and shapely use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import os
    from pathlib import Path

    import folium
    import geopandas
    import pandas
    from shapely.geometry import LineString, MultiLineString

__all__ = [
    "FRAME_COLUMNS",
    "SCHEMA_VERSION",
    "Bridge",
    "Claim",
    "Leg",
    "Mention",
    "Place",
    "RailRoute",
    "Trip",
]

#: Version of the JSON written by :meth:`Trip.to_dict`; bumped only on breaking change.
SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place.

    Parameters
    ----------
    name
        The gazetteer's name for the place (e.g. ``"Thị Trấn Đồng Đăng"``).
    lat, lon
        WGS84 degrees.
    country
        ISO 3166-1 alpha-2 code, ``""`` when unknown.
    geonameid
        GeoNames id, or ``None`` for places from sources without one.
    population
        GeoNames population, 0 when unknown.
    feature
        GeoNames feature code: ``PPLC`` capital, ``PPL`` populated place,
        ``PCLI`` country, ``CONT`` continent.
    query
        The text the place was looked up by (``"Dong Dang"``).
    source
        Which geocoder answered (``"offline"`` for the embedded gazetteer).
    """

    name: str
    lat: float
    lon: float
    country: str = ""
    geonameid: int | None = None
    population: int = 0
    feature: str = "PPL"
    query: str = ""
    source: str = "offline"

    @property
    def latlon(self) -> tuple[float, float]:
        """``(lat, lon)``."""
        return (self.lat, self.lon)

    @property
    def identity(self) -> int | tuple[str, float, float]:
        """What makes two resolved places the same: the GeoNames id, else (for a place
        without one: a region, an airport, coordinates given) the name and the point."""
        if self.geonameid is not None:
            return self.geonameid
        return (self.name, round(self.lat, 5), round(self.lon, 5))

    @property
    def label(self) -> str:
        """What to call the place in tables and maps: the query if given, else the name."""
        return self.query or self.name

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """A GeoJSON Feature: the point ``[lon, lat]`` and :meth:`to_dict` as properties."""
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [self.lon, self.lat]},
            "properties": self.to_dict(),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (schema documented in docs/json.md)."""
        return {
            "name": self.name,
            "query": self.query,
            "lat": round(self.lat, 6),
            "lon": round(self.lon, 6),
            "country": self.country,
            "geonameid": self.geonameid,
            "population": self.population,
            "feature": self.feature,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Bridge:
    """A gap in the network data that a rail path jumps (``--bridge-gaps``)."""

    start: tuple[float, float]
    end: tuple[float, float]
    km: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "from": [round(c, 6) for c in self.start],
            "to": [round(c, 6) for c in self.end],
            "km": round(self.km, 3),
        }


@dataclass(frozen=True, slots=True)
class RailRoute:
    """The shortest rail path of a leg.

    Parameters
    ----------
    km
        Geodesic length of the path along the rails, between the snapped nodes.
    path
        The path's vertices, ``(lat, lon)``.
    snap_start_km, snap_end_km
        Distance from each stop to the node the path starts or ends at; not
        included in ``km``.
    bridges
        Gaps in the data the path jumps, when gap bridging is on.
    """

    km: float
    path: tuple[tuple[float, float], ...]
    snap_start_km: float
    snap_end_km: float
    bridges: tuple[Bridge, ...] = ()

    @property
    def line(self) -> LineString:
        """The path as a shapely ``LineString`` in ``(lon, lat)`` order (GeoJSON's).

        Its planar ``.length`` is in degrees, not a distance: use :attr:`km`.
        """
        from shapely.geometry import LineString

        coords = [(lon, lat) for lat, lon in self.path]
        return LineString(coords if len(coords) > 1 else coords * 2)

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The path as a GeoJSON LineString (``[lon, lat]``)."""
        return {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in self.path]}

    def __repr__(self) -> str:
        return (
            f"RailRoute(km={self.km:.1f}, {len(self.path)} vertices, snap_km="
            f"({self.snap_start_km:.1f}, {self.snap_end_km:.1f}), bridges={len(self.bridges)})"
        )


@dataclass(frozen=True, slots=True)
class Leg:
    """One leg of a trip, between two consecutive stops.

    Parameters
    ----------
    start, end
        The stops.
    straight_km
        Geodesic (WGS84 ellipsoid) distance in km.
    mode
        ``"train"``, ``"car"``, ``"plane"`` ... or ``"unknown"``.
    """

    start: Place
    end: Place
    straight_km: float
    mode: str = "unknown"
    rail: RailRoute | None = None
    rail_note: str = ""
    mode_cue: str = ""

    @property
    def rail_km(self) -> float | None:
        """Rail km, or ``None`` when the leg was not (or could not be) routed."""
        return self.rail.km if self.rail is not None else None

    @property
    def detour(self) -> float | None:
        """Rail km over straight km (``None`` without a rail figure)."""
        if self.rail is None or self.straight_km <= 0:
            return None
        return self.rail.km / self.straight_km

    @property
    def straight_line(self) -> LineString | MultiLineString:
        """The leg's geodesic as a shapely line in ``(lon, lat)`` order, a point about
        every 25 km, split at the antimeridian (see :func:`route.distance.great_circle_line`).
        """
        from .distance import great_circle_line

        return great_circle_line(self.start.latlon, self.end.latlon)

    @property
    def rail_line(self) -> LineString | None:
        """The rail path as a shapely ``LineString`` in ``(lon, lat)`` order, or ``None``."""
        return self.rail.line if self.rail is not None else None

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """A GeoJSON Feature: the geodesic (``[lon, lat]``) with :meth:`to_dict` as properties."""
        from shapely.geometry import mapping

        return {
            "type": "Feature",
            "geometry": dict(mapping(self.straight_line)),
            "properties": self.to_dict(),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; ``from``/``to`` are the stops' labels."""
        rail = self.rail
        return {
            "from": self.start.label,
            "to": self.end.label,
            "straight_km": round(self.straight_km, 3),
            "mode": self.mode,
            "rail_km": round(rail.km, 3) if rail else None,
            "detour": round(self.detour, 4) if self.detour is not None else None,
            "snap_km": [round(rail.snap_start_km, 3), round(rail.snap_end_km, 3)] if rail else None,
            "bridges": [b.to_dict() for b in rail.bridges] if rail else [],
            "rail_note": self.rail_note,
            "mode_cue": self.mode_cue,
        }


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in a text.

    Parameters
    ----------
    start, end
        ``str`` indices into the text, end exclusive: ``text[start:end] == surface``.
    surface
        The words as written.
    kind
        ``"place"`` for a name used literally, ``"embedded"`` for a place inside
        another name ("Kansas State University", "R-Tulsa"), ``"demonym"`` for an
        adjective or demonym ("North Korean") standing for its country. Only literal
        places can be stops.
    place
        The resolved GeoNames record.
    candidates
        How many gazetteer records share the name.
    confidence
        The chosen record's share of the context-weighted candidate scores (0–1).
    sentence
        The sentence the mention is in.
    role
        ``"stop"`` (a point of the journey) or ``"mentioned"``.
    order
        1-based position among the stops, for stops.
    cue
        The words that made it a stop ("passed near", "expected in").
    stop_role
        For stops: ``origin``, ``via`` or ``destination``, as the text ties it.
    """

    start: int
    end: int
    surface: str
    kind: str
    place: Place
    candidates: int
    confidence: float
    sentence: str
    role: str = "mentioned"
    order: int | None = None
    cue: str = ""
    stop_role: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (schema in docs/json.md)."""
        p = self.place
        return {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "kind": self.kind,
            "geonameid": p.geonameid,
            "name": p.name,
            "country": p.country,
            "feature": p.feature,
            "lat": round(p.lat, 6),
            "lon": round(p.lon, 6),
            "population": p.population,
            "candidates": self.candidates,
            "confidence": self.confidence,
            "role": self.role,
            "order": self.order,
            "cue": self.cue,
            "stop_role": self.stop_role,
            "sentence": self.sentence,
        }


#: What a distance claim measures, as the text says.
Measure = Literal["straight", "rail", "flight", "road", "sea", "foot", "unknown"]
#: Which part of the journey a claim is about.
Scope = Literal["segment", "whole", "remaining", "round_trip", "stretch", "other", "unknown"]
#: The check's outcome.
Verdict = Literal["consistent", "overstated", "understated", "not checked"]


@dataclass(frozen=True, slots=True)
class Claim:
    """A distance claim in the text, the segment and measure it refers to, and its check.

    Parameters
    ----------
    start, end, surface
        Where the number and unit stand in the text (``text[start:end] == surface``).
    value, value_high
        The number (and the top of a range, "2,000–3,000 km"), in ``unit``.
    unit
        ``"km"``, ``"mi"`` or ``"nmi"``.
    km, km_high
        The same in kilometres.
    qualifier
        "about", "more than", "nearly" … as written, lower case (``""`` for none).
    measure
        What the text says it measures: ``straight`` (as the crow flies, apart),
        ``rail``, ``flight`` (great circles flown), ``road``, ``sea``, ``foot`` or
        ``unknown``.
    scope
        ``segment`` (from one named place to another), ``whole`` (the whole journey
        or line), ``remaining`` ("N km to go"), ``round_trip``, ``stretch`` (a part
        inside a leg), ``other`` (not a distance of the journey) or ``unknown``.
    between
        The segment's two ends (labels of stops or named places), when known.
    cue
        The words that gave the measure and the scope.
    sentence
        The sentence the claim is in.
    measured_km, measured
        What route measured, and on which segment ("rail Pyongyang → Hanoi").
    difference_pct
        (claimed − measured) / measured × 100.
    verdict
        ``consistent``, ``overstated``, ``understated`` or ``not checked``.
    reason
        Why a claim was not checked ("no road network", "the text does not say
        which segment").
    """

    start: int
    end: int
    surface: str
    value: float
    unit: str
    km: float
    qualifier: str
    measure: Measure
    between: tuple[str, str] | None
    sentence: str
    scope: Scope = "unknown"
    value_high: float | None = None
    km_high: float | None = None
    cue: str = ""
    measured_km: float | None = None
    measured: str = ""
    difference_pct: float | None = None
    verdict: Verdict = "not checked"
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (schema in docs/json.md)."""
        return {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "value": self.value,
            "value_high": self.value_high,
            "unit": self.unit,
            "km": round(self.km, 3),
            "km_high": _round(self.km_high),
            "qualifier": self.qualifier,
            "measure": self.measure,
            "scope": self.scope,
            "between": list(self.between) if self.between else None,
            "cue": self.cue,
            "measured_km": _round(self.measured_km),
            "measured": self.measured,
            "difference_pct": _round(self.difference_pct, 1),
            "verdict": self.verdict,
            "reason": self.reason,
            "sentence": self.sentence,
        }


@dataclass(frozen=True, slots=True)
class Trip:
    """A journey: ordered stops and the legs between them.

    Parameters
    ----------
    stops
        At least two places, in travel order.
    legs
        ``len(stops) - 1`` legs.
    direct_km
        Geodesic distance from the first stop to the last.
    direct_rail, direct_rail_note
        The rail path from the first stop to the last (when a leg goes by rail), or why
        there is none.
    rail_uncertainty
        The rail network's stated accuracy, when known.
    mentions, claims
        With a text: its place mentions and distance claims (with their checks).
    notes
        One-line remarks on how typed stops were read: a pick among close namesakes
        ("'Perth' read as Perth (GB), the nearest to the other stops; others: Perth
        (AU), …") or a region joined to the stop before it. Each names the other places
        in a form that can be typed back as a stop.
    """

    stops: tuple[Place, ...]
    legs: tuple[Leg, ...]
    direct_km: float
    direct_rail: RailRoute | None = None
    direct_rail_note: str = ""
    rail_uncertainty: str = ""
    mentions: tuple[Mention, ...] = ()
    claims: tuple[Claim, ...] = ()
    notes: tuple[str, ...] = ()

    def __repr__(self) -> str:
        route = " → ".join(stop.label for stop in self.stops)
        rail = f", {self.rail_km:,.1f} km by rail" if self.rail_km is not None else ""
        return (
            f"<Trip {route}: {len(self.legs)} legs, {self.straight_km:,.1f} km straight{rail}, "
            f"{len(self.mentions)} mentions, {len(self.claims)} claims>"
        )

    @property
    def straight_km(self) -> float:
        """Sum of the legs' straight-line distances."""
        return sum(leg.straight_km for leg in self.legs)

    @property
    def rail_km(self) -> float | None:
        """Sum of the rail km of the legs that have one (``None`` if none has)."""
        routed = [leg.rail.km for leg in self.legs if leg.rail is not None]
        return sum(routed) if routed else None

    def cumulative_km(self) -> list[float]:
        """Running straight-line total at the end of each leg."""
        total = 0.0
        out = []
        for leg in self.legs:
            total += leg.straight_km
            out.append(total)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON document (see docs/json.md, "JSON output")."""
        legs = []
        for leg, cumulative in zip(self.legs, self.cumulative_km(), strict=True):
            item = leg.to_dict()
            item["cumulative_km"] = round(cumulative, 3)
            legs.append(item)
        return {
            "schema": SCHEMA_VERSION,
            "stops": [stop.to_dict() for stop in self.stops],
            "legs": legs,
            "totals": {
                "straight_km": round(self.straight_km, 3),
                "direct_km": round(self.direct_km, 3),
                "rail_km": _round(self.rail_km),
                "rail_legs": sum(1 for leg in self.legs if leg.rail is not None),
                "direct_rail_km": _round(self.direct_rail.km if self.direct_rail else None),
                "direct_rail_note": self.direct_rail_note,
                "rail_uncertainty": self.rail_uncertainty,
            },
            "mentions": [m.to_dict() for m in self.mentions],
            "claims": [c.to_dict() for c in self.claims],
            "notes": list(self.notes),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text."""
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_geojson(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection: stops (points), each leg's great circle, rail paths.

        Coordinates are ``[lon, lat]`` as GeoJSON requires; great circles are
        densified about every 25 km and split at the antimeridian. It opens in
        QGIS and geojson.io.
        """
        from .distance import great_circle_line, line_latlon_parts

        features: list[dict[str, Any]] = []
        for order, stop in enumerate(self.stops, start=1):
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [stop.lon, stop.lat]},
                    "properties": {"kind": "stop", "order": order, **stop.to_dict()},
                }
            )

        def lines(parts: list[list[tuple[float, float]]]) -> dict[str, Any]:
            coords = [[[lon, lat] for lat, lon in part] for part in parts]
            if len(coords) == 1:
                return {"type": "LineString", "coordinates": coords[0]}
            return {"type": "MultiLineString", "coordinates": coords}

        for number, leg in enumerate(self.legs, start=1):
            props = {"leg": number, **leg.to_dict()}
            straight = line_latlon_parts(great_circle_line(leg.start.latlon, leg.end.latlon))
            features.append(
                {
                    "type": "Feature",
                    "geometry": lines(straight),
                    "properties": {"kind": "great_circle", **props},
                }
            )
            if leg.rail is not None:
                features.append(
                    {
                        "type": "Feature",
                        "geometry": lines([list(leg.rail.path)]),
                        "properties": {"kind": "rail", **props},
                    }
                )
        return {"type": "FeatureCollection", "features": features}

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """:meth:`to_geojson`: ``geopandas.GeoDataFrame.from_features(trip)`` reads it."""
        return self.to_geojson()

    def to_frame(self, *, digits: int | None = 1) -> pandas.DataFrame:
        """The legs as a pandas DataFrame (needs the optional ``pandas``).

        One row per leg, the columns of :data:`FRAME_COLUMNS`: ``leg`` (1-based),
        ``origin``, ``destination`` (the stops' labels), ``mode``, ``straight_km``,
        ``rail_km``, ``detour``, ``cumulative_km``, ``snap_start_km``,
        ``snap_end_km``, ``bridges`` (how many gaps the rail path jumps),
        ``rail_note``, ``mode_cue`` and the ends' ``origin_lat``, ``origin_lon``,
        ``destination_lat``, ``destination_lon``. A leg without a rail figure has
        ``NaN`` in the rail columns.

        Parameters
        ----------
        digits
            Decimals kept in the km columns (``detour``: two more; positions: six);
            ``None`` keeps every figure as computed.

        Raises
        ------
        MissingDependencyError
            When pandas is not installed.
        """
        try:
            import pandas as pd
        except ImportError as exc:
            from .errors import MissingDependencyError

            raise MissingDependencyError(
                "Trip.to_frame() needs pandas: pip install 'route[frame]' (or pandas)"
            ) from exc
        rows = self.leg_rows(digits=digits)
        frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
        floats = [c for c in FRAME_COLUMNS if c.endswith(("_km", "_lat", "_lon")) or c == "detour"]
        return frame.astype({c: "float64" for c in floats} | {"leg": "int64", "bridges": "int64"})

    def leg_rows(self, *, digits: int | None = 1) -> list[dict[str, Any]]:
        """The legs as flat records, the columns of :meth:`to_frame` (rounded alike)."""

        def r(value: float | None, extra: int = 0) -> float | None:
            if value is None or digits is None:
                return value
            return round(value, digits + extra)

        rows = []
        for number, (leg, cumulative) in enumerate(
            zip(self.legs, self.cumulative_km(), strict=True), start=1
        ):
            rail = leg.rail
            rows.append(
                {
                    "leg": number,
                    "origin": leg.start.label,
                    "destination": leg.end.label,
                    "mode": leg.mode,
                    "straight_km": r(leg.straight_km),
                    "rail_km": r(rail.km) if rail else None,
                    "detour": r(leg.detour, 2),
                    "cumulative_km": r(cumulative),
                    "snap_start_km": r(rail.snap_start_km) if rail else None,
                    "snap_end_km": r(rail.snap_end_km) if rail else None,
                    "bridges": len(rail.bridges) if rail else 0,
                    "rail_note": leg.rail_note,
                    "mode_cue": leg.mode_cue,
                    "origin_lat": round(leg.start.lat, 6),
                    "origin_lon": round(leg.start.lon, 6),
                    "destination_lat": round(leg.end.lat, 6),
                    "destination_lon": round(leg.end.lon, 6),
                }
            )
        return rows

    def to_geodataframe(self, layer: str | None = None) -> geopandas.GeoDataFrame:
        """The trip as a GeoDataFrame in EPSG:4326 (needs the optional ``geopandas``).

        Parameters
        ----------
        layer
            ``"stops"`` (points), ``"legs"`` (each leg's geodesic) or ``"rail"`` (the
            rail paths); ``None`` gives all three, one after the other, with a ``layer``
            column. The columns are those of :func:`route.export.trip_layers`.

        Raises
        ------
        MissingDependencyError
            When geopandas is not installed (``pip install 'route[geo]'``).
        InputError
            An unknown layer.
        """
        from .export import to_geodataframe

        return to_geodataframe(self, layer)

    def export(self, path: str | os.PathLike[str], format: str | None = None) -> Path:
        """Write the trip as GIS data (atomically); see :mod:`route.export`.

        Parameters
        ----------
        path
            The file; its extension picks the format (``.geojson``, ``.gpx``,
            ``.kml``, ``.gpkg``, ``.csv``) unless ``format`` is given.
        format
            ``geojson``, ``gpx``, ``kml``, ``gpkg`` or ``csv``.

        Returns
        -------
        Path
            The file written.

        Raises
        ------
        InputError
            No format given and the extension names none.
        OutputError
            The file cannot be written.
        """
        from ._atomic import atomic_write_bytes
        from .errors import InputError
        from .export import FORMATS, export_bytes, format_for

        kind = format or format_for(path)
        if kind is None:
            raise InputError(
                f"{path}: give a format ({', '.join(FORMATS)}) or a file name ending in one"
            )
        return atomic_write_bytes(path, export_bytes(self, kind))

    def map(self, **options: Any) -> folium.Map:
        """The trip's folium map (see :func:`route.mapping.build_map` for ``options``)."""
        from .mapping import build_map

        return build_map(self, **options)

    def _repr_html_(self) -> str:
        """A compact summary table for Jupyter."""
        import html

        esc = html.escape
        rows = "".join(
            f"<tr><td>{esc(leg.start.label)} → {esc(leg.end.label)}</td><td>{esc(leg.mode)}</td>"
            f"<td>{leg.straight_km:,.1f}</td>"
            f"<td>{'–' if leg.rail_km is None else f'{leg.rail_km:,.1f}'}</td>"
            f"<td>{'–' if leg.detour is None else f'×{leg.detour:.2f}'}</td></tr>"
            for leg in self.legs
        )
        claims = "".join(
            f"<li>{esc(c.surface)} ({esc(c.measure)}): {esc(c.verdict)}"
            + (f", {c.difference_pct:+.1f} %" if c.difference_pct is not None else "")
            + "</li>"
            for c in self.claims
        )
        return (
            f"<div><b>{esc(self.stops[0].label)} → {esc(self.stops[-1].label)}</b>: "
            f"{self.direct_km:,.1f} km straight line, {len(self.stops)} stops, "
            f"{len(self.mentions)} mentions"
            "<table><tr><th>Leg</th><th>Mode</th><th>Straight km</th><th>Rail km</th>"
            f"<th>Detour</th></tr>{rows}</table>"
            + (f"<ul>{claims}</ul>" if claims else "")
            + "</div>"
        )


#: The columns of :meth:`Trip.to_frame`, in order.
FRAME_COLUMNS = (
    "leg",
    "origin",
    "destination",
    "mode",
    "straight_km",
    "rail_km",
    "detour",
    "cumulative_km",
    "snap_start_km",
    "snap_end_km",
    "bridges",
    "rail_note",
    "mode_cue",
    "origin_lat",
    "origin_lon",
    "destination_lat",
    "destination_lon",
)


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)
