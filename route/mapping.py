"""Draw a trip as a folium (Leaflet) HTML map. folium is imported lazily."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from ._atomic import atomic_write_text
from .distance import great_circle_line, line_latlon_parts
from .models import Place, Trip

if TYPE_CHECKING:
    import folium

__all__ = ["build_map", "render_html", "save_map"]

ORIGIN_COLOR = "#1a7f37"
STOP_COLOR = "#0b5cad"
DESTINATION_COLOR = "#c0392b"
LEG_COLOR = "#0b5cad"
RAIL_COLOR = "#7b2d26"
BRIDGE_COLOR = "#e67e22"


def _marker_html(number: int, color: str) -> str:
    return (
        f'<div style="background:{color};color:#fff;border:2px solid #fff;border-radius:50%;'
        "width:26px;height:26px;line-height:22px;text-align:center;font:bold 13px sans-serif;"
        f'box-shadow:0 0 3px rgba(0,0,0,.6)">{number}</div>'
    )


def _popup_html(number: int, place: Place) -> str:
    esc = html.escape
    gid = "–"
    if place.geonameid is not None:
        url = f"https://www.geonames.org/{place.geonameid}"
        gid = f'<a href="{url}" target="_blank">{place.geonameid}</a>'

    heading = esc(place.label)
    if place.name != place.label:
        heading += f" <small>({esc(place.name)})</small>"
    return (
        f"<b>{number}. {heading}</b><br>"
        f"Country: {esc(place.country or '–')}<br>"
        f"Lat, lon: {place.lat:.4f}, {place.lon:.4f}<br>"
        f"GeoNames: {gid}"
    )


def build_map(trip: Trip) -> folium.Map:
    """A folium map of the trip: numbered stop markers, a geodesic line per leg, rail paths.

    The view fits the stops. Origin, intermediate stops and destination have
    distinct colours; each leg's tooltip gives its straight-line km. Legs with
    a rail route show it as a solid line (the straight line turns dashed), and
    any gap in the data the path jumps is drawn in orange.
    """
    import folium

    m = folium.Map(tiles="OpenStreetMap", control_scale=True)
    for leg in trip.legs:
        name = f"{leg.start.label} → {leg.end.label}"
        tooltip = f"{name}: {leg.straight_km:,.1f} km (straight line)"
        line = great_circle_line(leg.start.latlon, leg.end.latlon)
        dash = "8 6" if leg.rail is not None else None
        for part in line_latlon_parts(line):
            folium.PolyLine(
                part, color=LEG_COLOR, weight=3, opacity=0.85, dash_array=dash, tooltip=tooltip
            ).add_to(m)
        if leg.rail is not None:
            detour = f", ×{leg.detour:.2f} the straight line" if leg.detour else ""
            folium.PolyLine(
                list(leg.rail.path),
                color=RAIL_COLOR,
                weight=4,
                opacity=0.9,
                tooltip=f"{name}: {leg.rail.km:,.1f} km by rail{detour}",
            ).add_to(m)
            for bridge in leg.rail.bridges:
                folium.PolyLine(
                    [bridge.start, bridge.end],
                    color=BRIDGE_COLOR,
                    weight=6,
                    dash_array="2 6",
                    tooltip=f"gap in the rail data bridged: {bridge.km * 1000:,.0f} m",
                ).add_to(m)
    last = len(trip.stops)
    for number, place in enumerate(trip.stops, start=1):
        color = ORIGIN_COLOR if number == 1 else DESTINATION_COLOR if number == last else STOP_COLOR
        folium.Marker(
            place.latlon,
            icon=folium.DivIcon(
                html=_marker_html(number, color), icon_size=(26, 26), icon_anchor=(13, 13)
            ),
            tooltip=f"{number}. {place.label}",
            popup=folium.Popup(_popup_html(number, place), max_width=300),
        ).add_to(m)
    if trip.claims:
        _add_summary(m, trip)
    lats = [p.lat for p in trip.stops]
    lons = [p.lon for p in trip.stops]
    m.fit_bounds([(min(lats), min(lons)), (max(lats), max(lons))], padding=(30, 30))
    return m


def _add_summary(m: folium.Map, trip: Trip) -> None:
    """A small panel with the text's distance claims and how they check out."""
    from branca.element import Element

    esc = html.escape
    rows = []
    for claim in trip.claims:
        measured = (
            f"measured {claim.measured_km:,.0f} km ({esc(claim.measured)}), "
            f"{claim.difference_pct:+.1f} %: {esc(claim.verdict)}"
            if claim.measured_km is not None
            else esc(claim.verdict)
        )
        rows.append(f"<li>text: {esc(claim.surface)} ({esc(claim.measure)}); {measured}</li>")
    panel = (
        '<div id="route-claims" style="position:fixed;bottom:24px;left:12px;z-index:1000;'
        "background:rgba(255,255,255,.92);padding:6px 10px;border-radius:4px;max-width:420px;"
        'font:12px/1.4 sans-serif;box-shadow:0 0 4px rgba(0,0,0,.4)"><b>Distance claims</b>'
        f'<ul style="margin:4px 0 0 16px;padding:0">{"".join(rows)}</ul></div>'
    )
    m.get_root().html.add_child(Element(panel))


def render_html(trip: Trip) -> str:
    """The map as one HTML document."""
    return build_map(trip).get_root().render()


def save_map(trip: Trip, path: str | Path) -> Path:
    """Render and write the map atomically; returns the path written."""
    return atomic_write_text(path, render_html(trip))
