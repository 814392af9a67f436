"""Plain data: the places, legs and trips route computes.

Coordinates are always ``(lat, lon)`` in degrees on WGS84.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["SCHEMA_VERSION", "Bridge", "Claim", "Leg", "Mention", "Place", "RailRoute", "Trip"]

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
    def label(self) -> str:
        """What to call the place in tables and maps: the query if given, else the name."""
        return self.query or self.name

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (schema documented in the README)."""
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
        """JSON-ready fields (schema in the README)."""
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
        """JSON-ready fields (schema in the README)."""
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
    """

    stops: tuple[Place, ...]
    legs: tuple[Leg, ...]
    direct_km: float
    direct_rail: RailRoute | None = None
    direct_rail_note: str = ""
    rail_uncertainty: str = ""
    mentions: tuple[Mention, ...] = ()
    claims: tuple[Claim, ...] = ()

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
        """The stable JSON document (see README, "JSON output")."""
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

    def to_frame(self) -> Any:
        """The legs as a pandas DataFrame (needs the optional ``pandas``).

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
        rows = []
        for leg, cumulative in zip(self.legs, self.cumulative_km(), strict=True):
            row = leg.to_dict()
            row["cumulative_km"] = cumulative
            row.pop("bridges")
            rows.append(row)
        return pd.DataFrame(rows)

    def map(self, **options: Any) -> Any:
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


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)
