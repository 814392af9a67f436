"""Draw a trip as a folium (Leaflet) HTML map, self-contained by default.

folium is imported lazily. The default HTML inlines Leaflet, its CSS (images
as data URIs) and jQuery, and draws country outlines as an offline basemap, so
the map opens with no network; OpenStreetMap and CartoDB tiles are base layers
used when reachable. ``cdn=True`` writes folium's usual small HTML instead.
"""

from __future__ import annotations

import contextlib
import html
import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from ._atomic import atomic_write_bytes, atomic_write_text, check_writable, temp_work_dir
from .distance import great_circle_line, line_latlon_parts
from .errors import OutputError, RouteError
from .models import Claim, Leg, Mention, Place, Trip

if TYPE_CHECKING:
    import folium

__all__ = [
    "BrowserNotFoundError",
    "build_map",
    "escape_html",
    "render_html",
    "render_png",
    "save_map",
    "save_png",
]

ORIGIN_COLOR = "#1a7f37"
STOP_COLOR = "#2f6db5"
DESTINATION_COLOR = "#c0392b"
STRAIGHT_COLOR = "#2f6db5"
RAIL_COLOR = "#7b2d26"
ROAD_COLOR = "#d35400"
BRIDGE_COLOR = "#e67e22"
MENTION_COLOR = "#6c757d"
WATER_COLOR = "#d4e6f1"
LAND_COLOR = "#f7f5ef"

ATTRIBUTION = (
    "Places: GeoNames (CC-BY 4.0) · Rail: Natural Earth (public domain) · Outlines: Natural "
    "Earth 1:110m via world.geo.json (public domain) · Tiles: © OpenStreetMap contributors"
)


class BrowserNotFoundError(RouteError, FileNotFoundError):
    """``--png`` needs Chromium (or Chrome), which is not installed."""


# -- escaping ---------------------------------------------------------------------------

#: After HTML escaping, what may still act inside a JavaScript string in a ``<script>``:
#: the template-literal characters `` ` `` and ``$`` (``${…}``), the backslash, and line
#: breaks become character references; other control characters (which HTML would
#: remap or reject) become U+FFFD.
_JS_INERT = {
    **{code: "\ufffd" for code in (*range(32), 127, *range(0x80, 0xA0))},
    **{ord(char): f"&#{ord(char)};" for char in "`$\\\t\n\r\u2028\u2029"},
}


def escape_html(text: object) -> str:
    """``text`` as inert HTML text, safe wherever the map puts it.

    Every string that reaches the page from outside (stop labels, names from any
    geocoder, excerpts of the text, claims, notes) goes through this one function.
    The result holds no ``<``, ``>``, quotes, backslash, backtick, ``$`` or line
    break, only text and character references, so it is inert as HTML text, in a
    quoted attribute, and inside any JavaScript string literal in a ``<script>``
    (folium puts tooltips and popups into template literals): it cannot close
    the string, interpolate ``${…}`` or end the script with ``</script>``.

    Parameters
    ----------
    text
        The text to show (converted with :class:`str`).

    Returns
    -------
    str
        The escaped text; a browser shows it exactly as ``text`` (control
        characters other than line breaks and tabs appear as U+FFFD).
    """
    return html.escape(str(text), quote=True).translate(_JS_INERT)


def _tooltip(text: str) -> folium.Tooltip:
    """A hover label showing ``text`` verbatim (escaped for HTML inside a script)."""
    import folium

    return folium.Tooltip(escape_html(text))


def _marker_html(number: int, color: str) -> str:
    return (
        f'<div style="background:{color};color:#fff;border:2px solid #fff;border-radius:50%;'
        "box-sizing:border-box;width:26px;height:26px;display:flex;align-items:center;"
        "justify-content:center;font:bold 13px/1 sans-serif;"
        f'box-shadow:0 0 3px rgba(0,0,0,.6)">{number}</div>'
    )


def _sentences(trip: Trip) -> dict[int, str]:
    """First sentence of the text naming each place (by GeoNames id)."""
    out: dict[int, str] = {}
    for mention in trip.mentions:
        gid = mention.place.geonameid
        if gid is not None and gid not in out and mention.sentence:
            out[gid] = mention.sentence
    return out


def _popup_html(number: int, place: Place, role: str, sentence: str) -> str:
    esc = escape_html
    gid = "–"
    if place.geonameid is not None:
        url = f"https://www.geonames.org/{place.geonameid}"
        gid = f'<a href="{url}" target="_blank">{place.geonameid}</a>'
    heading = esc(place.label)
    if place.name != place.label:
        heading += f" <small>({esc(place.name)})</small>"
    quote = f"<br><i>“{esc(sentence[:300])}”</i>" if sentence else ""
    return (
        f"<b>{number}. {heading}</b> <small>{role}</small><br>"
        f"Country: {esc(place.country or '–')}<br>"
        f"Lat, lon: {place.lat:.4f}, {place.lon:.4f}<br>"
        f"GeoNames: {gid}{quote}"
    )


def _km(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _leg_row(leg: Leg) -> str:
    esc = escape_html
    rail = _km(leg.rail_km)
    if leg.rail is None and leg.rail_note:
        rail = f'<span title="{esc(leg.rail_note)}">no rail figure</span>'
    ratio = f"×{leg.detour:.2f}" if leg.detour else "–"
    return (
        f"<tr><td>{esc(leg.start.label)} → {esc(leg.end.label)}</td><td>{esc(leg.mode)}</td>"
        f'<td class="n">{_km(leg.straight_km)}</td><td class="n">{rail}</td>'
        f'<td class="n">{ratio}</td></tr>'
    )


_SCOPE_WORDS = {
    "segment": "from one place to another",
    "whole": "the whole journey",
    "remaining": "the distance still to go",
    "round_trip": "a round trip",
    "stretch": "a stretch inside a leg",
    "other": "not a distance of this journey",
    "unknown": "segment not said",
}


def _claim_item(claim: Claim) -> str:
    """One claim: what the text says, the segment and measure read, route's check."""
    esc = escape_html
    segment = " → ".join(claim.between) if claim.between else _SCOPE_WORDS[claim.scope]
    said = f"“{esc(claim.surface)}” ({esc(claim.measure)}, {esc(segment)}"
    said += f"; words: {esc(claim.cue)})" if claim.cue else ")"
    if claim.verdict != "not checked" and claim.measured_km is not None:
        pct = f", {claim.difference_pct:+.1f} %" if claim.difference_pct is not None else ""
        check = (
            f"measured {_km(claim.measured_km)} km ({esc(claim.measured)}){pct}: "
            f"<b>{esc(claim.verdict)}</b>"
        )
    else:
        check = f"<b>not checked</b>: {esc(claim.reason)}" if claim.reason else "<b>not checked</b>"
    return f"<li>text: {said}; {check}</li>"


def _why_block(trip: Trip) -> str:
    """Why these stops and modes: the words of the text behind each."""
    esc = escape_html
    stops = sorted((m for m in trip.mentions if m.role == "stop" and m.cue), key=_order)
    items = "".join(
        f"<li>{m.order}. {esc(m.surface)}: {esc(m.stop_role or 'stop')} (“{esc(m.cue)}”)</li>"
        for m in stops
    )
    modes = "".join(
        f"<li>{esc(leg.start.label)} → {esc(leg.end.label)}: {esc(leg.mode)} "
        f"(“{esc(leg.mode_cue)}”)</li>"
        for leg in trip.legs
        if leg.mode_cue
    )
    if not items and not modes:
        return ""
    return f"<div class='h'>Read from the text</div><ul>{items}{modes}</ul>"


def _order(mention: Mention) -> int:
    return mention.order or 0


def _summary_html(trip: Trip) -> str:
    """The legend and summary panel: legs, totals, claims, sources."""
    esc = escape_html
    first, last = trip.stops[0].label, trip.stops[-1].label
    rows = "".join(_leg_row(leg) for leg in trip.legs)
    total_rail = _km(trip.rail_km)
    rows += (
        f'<tr class="t"><td>Total</td><td></td><td class="n">{_km(trip.straight_km)}</td>'
        f'<td class="n">{total_rail}</td><td></td></tr>'
    )
    direct = f"Straight line {esc(first)} → {esc(last)}: <b>{_km(trip.direct_km)} km</b>"
    if trip.direct_rail is not None:
        direct += f"; by rail {_km(trip.direct_rail.km)} km"
    notes = "".join(
        f"<li>{esc(leg.start.label)} → {esc(leg.end.label)}: {esc(leg.rail_note)}</li>"
        for leg in trip.legs
        if leg.rail is None and leg.rail_note and leg.rail_note != "no rail network"
    )
    claims = "".join(_claim_item(claim) for claim in trip.claims)
    claims_block = f"<div class='h'>Claims in the text</div><ul>{claims}</ul>" if claims else ""
    why = _why_block(trip)
    notes_block = f"<div class='h'>No rail figure</div><ul>{notes}</ul>" if notes else ""
    uncertainty = (
        f"<div class='s'>Rail data: {esc(trip.rail_uncertainty)}</div>"
        if trip.rail_uncertainty
        else ""
    )
    legend = (
        f'<span class="sw" style="background:{ORIGIN_COLOR}"></span>origin '
        f'<span class="sw" style="background:{STOP_COLOR}"></span>stop '
        f'<span class="sw" style="background:{DESTINATION_COLOR}"></span>destination<br>'
        f'<span class="ln" style="border-top:2px dashed {STRAIGHT_COLOR}"></span>straight line '
        f'<span class="ln" style="border-top:4px solid {RAIL_COLOR}"></span>rail '
        f'<span class="ln" style="border-top:3px dotted {ROAD_COLOR}"></span>road'
    )
    return f"""
<style>
#route-summary{{position:absolute;top:10px;right:10px;z-index:1000;max-width:360px;
 max-height:calc(100% - 40px);overflow:auto;background:rgba(255,255,255,.95);padding:8px 10px;
 border-radius:6px;box-shadow:0 1px 5px rgba(0,0,0,.4);font:12px/1.4 sans-serif;color:#222}}
#route-summary .title{{font-weight:bold;font-size:14px;margin-bottom:4px}}
#route-summary table{{border-collapse:collapse;width:100%;margin:4px 0}}
#route-summary td,#route-summary th{{padding:1px 4px;border-bottom:1px solid #eee;text-align:left}}
#route-summary .n{{text-align:right;white-space:nowrap}}
#route-summary tr.t td{{font-weight:bold;border-top:1px solid #999}}
#route-summary .h{{font-weight:bold;margin-top:6px}}
#route-summary ul{{margin:2px 0 2px 16px;padding:0}}
#route-summary .s{{color:#555;font-size:11px;margin-top:6px}}
#route-summary .sw{{display:inline-block;width:10px;height:10px;border-radius:50%;
 margin:0 3px 0 6px;vertical-align:middle}}
#route-summary .ln{{display:inline-block;width:22px;height:0;margin:0 3px 0 6px;
 vertical-align:middle}}
.leaflet-container{{background:{WATER_COLOR}}}
</style>
<div id="route-summary">
 <div class="title">{esc(first)} → {esc(last)}</div>
 <div>{legend}</div>
 <table><tr><th>Leg</th><th>Mode</th><th class="n">Straight km</th><th class="n">Rail km</th>
 <th class="n">Ratio</th></tr>{rows}</table>
 <div>{direct}</div>
 {notes_block}{why}{claims_block}{uncertainty}
 <div class="s">{esc(ATTRIBUTION)}</div>
</div>"""


def _inline_assets(m: folium.Map) -> None:
    from branca.element import Element

    from ._assets import jquery_js, leaflet_css, leaflet_js, plugins_css, plugins_js

    m.default_js = []
    m.default_css = []
    head = m.get_root().header  # type: ignore[attr-defined]
    head.add_child(Element(f"<style>{leaflet_css()}</style>"), name="leaflet_css_inline")
    head.add_child(Element(f"<style>{plugins_css()}</style>"), name="plugins_css_inline")
    head.add_child(Element(f"<script>{jquery_js()}</script>"), name="jquery_inline")
    head.add_child(Element(f"<script>{leaflet_js()}</script>"), name="leaflet_inline")
    head.add_child(Element(f"<script>{plugins_js()}</script>"), name="plugins_inline")


_CONTROLS_TEMPLATE = """
{% macro script(this, kwargs) %}
L.control.fullscreen({position: "topleft", title: "Full screen",
    titleCancel: "Exit full screen"}).addTo({{ this._parent.get_name() }});
var {{ this.get_name() }}_measure = new L.Control.Measure({position: "topleft",
    primaryLengthUnit: "kilometers", secondaryLengthUnit: "miles",
    primaryAreaUnit: "sqkilometers"});
{{ this._parent.get_name() }}.addControl({{ this.get_name() }}_measure);
// leaflet-measure with Leaflet >= 1.8 (ljagis/leaflet-measure#171), as folium does.
L.Control.Measure.include({_setCaptureMarkerIcon: function () {
    this._captureMarker.options.autoPanOnFocus = false;
    this._captureMarker.setIcon(L.divIcon({iconSize: this._map.getSize().multiplyBy(2)}));
}});
{% if this.outlines %}
var {{ this.get_name() }}_mini = L.geoJson({{ this.outlines|tojson }},
    {style: {{ this.style|tojson }}});
{% else %}
var {{ this.get_name() }}_mini = L.tileLayer(
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    {attribution: "&copy; OpenStreetMap contributors"});
{% endif %}
new L.Control.MiniMap({{ this.get_name() }}_mini, {position: "bottomright", width: 160,
    height: 130, zoomLevelOffset: -5, toggleDisplay: true,
    aimingRectOptions: {color: "#c0392b", weight: 1}}).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""

_PLUGIN_CDN_JS = [
    ("fullscreen_js", "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js"),
    ("measure_js", "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.js"),
    ("minimap_js", "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.js"),
]  # fmt: skip
_PLUGIN_CDN_CSS = [
    ("fullscreen_css", "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css"),
    ("measure_css", "https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.css"),
    ("minimap_css", "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.css"),
]  # fmt: skip


def _add_controls(m: folium.Map, *, cdn: bool) -> None:
    """Fullscreen, measure tool and minimap in one element (assets inlined unless ``cdn``).

    The same Leaflet plugins folium's ``plugins`` wrap, without importing
    ``folium.plugins`` (which compiles every plugin's template: 0.3 s).
    """
    from branca.element import MacroElement
    from folium.elements import JSCSSMixin
    from folium.template import Template

    from ._assets import country_outlines

    class Controls(JSCSSMixin, MacroElement):
        _template = Template(_CONTROLS_TEMPLATE)

        def __init__(self) -> None:
            super().__init__()
            self._name = "RouteControls"
            # The offline minimap draws coarse outlines; the CDN one, OSM tiles.
            self.outlines = None if cdn else country_outlines(1)
            self.style = {"fillColor": LAND_COLOR, "color": "#9aa0a6", "weight": 0.5,
                          "fillOpacity": 1}  # fmt: skip
            self.default_js = list(_PLUGIN_CDN_JS) if cdn else []
            self.default_css = list(_PLUGIN_CDN_CSS) if cdn else []

    Controls().add_to(m)


def _add_leg_lines(m: folium.Map, trip: Trip) -> None:
    import folium

    legs = folium.FeatureGroup(name="Legs (straight line, rail path)")
    for leg in trip.legs:
        name = f"{leg.start.label} → {leg.end.label}"
        road = leg.mode in ("car", "road", "bus")
        straight = great_circle_line(leg.start.latlon, leg.end.latlon)
        for part in line_latlon_parts(straight):
            folium.PolyLine(
                part,
                color=ROAD_COLOR if road else STRAIGHT_COLOR,
                weight=3 if road else 2,
                opacity=0.9 if road else 0.6,
                dash_array="2 7" if road else None,
                tooltip=_tooltip(f"{name}: {leg.straight_km:,.1f} km straight line ({leg.mode})"),
            ).add_to(legs)
        if leg.rail is not None:
            detour = f", ×{leg.detour:.2f} the straight line" if leg.detour else ""
            folium.PolyLine(
                list(leg.rail.path),
                color=RAIL_COLOR,
                weight=4,
                opacity=0.9,
                tooltip=_tooltip(f"{name}: {leg.rail.km:,.1f} km by rail{detour}"),
            ).add_to(legs)
            for bridge in leg.rail.bridges:
                folium.PolyLine(
                    [bridge.start, bridge.end],
                    color=BRIDGE_COLOR,
                    weight=6,
                    dash_array="2 6",
                    tooltip=_tooltip(f"gap in the rail data bridged: {bridge.km * 1000:,.0f} m"),
                ).add_to(legs)
    legs.add_to(m)
    direct = folium.FeatureGroup(name="Straight line, first → last stop")
    first, last = trip.stops[0], trip.stops[-1]
    for part in line_latlon_parts(great_circle_line(first.latlon, last.latlon)):
        folium.PolyLine(
            part,
            color=STRAIGHT_COLOR,
            weight=2.5,
            dash_array="8 6",
            tooltip=_tooltip(
                f"{first.label} → {last.label}: {trip.direct_km:,.1f} km as the crow flies"
            ),
        ).add_to(direct)
    direct.add_to(m)


def _add_markers(m: folium.Map, trip: Trip) -> None:
    import folium

    sentences = _sentences(trip)
    stops = folium.FeatureGroup(name="Stops")
    last = len(trip.stops)
    for number, place in enumerate(trip.stops, start=1):
        if number == 1:
            color, role = ORIGIN_COLOR, "origin"
        elif number == last:
            color, role = DESTINATION_COLOR, "destination"
        else:
            color, role = STOP_COLOR, "stop"
        sentence = sentences.get(place.geonameid, "") if place.geonameid else ""
        folium.Marker(
            place.latlon,
            icon=folium.DivIcon(
                html=_marker_html(number, color), icon_size=(26, 26), icon_anchor=(13, 13)
            ),
            tooltip=_tooltip(f"{number}. {place.label}"),
            popup=folium.Popup(_popup_html(number, place, role, sentence), max_width=320),
        ).add_to(stops)
    stops.add_to(m)
    stop_ids = {p.geonameid for p in trip.stops}
    others = folium.FeatureGroup(name="Other places the text mentions", show=False)
    seen: set[int | None] = set()
    for mention in trip.mentions:
        place = mention.place
        if place.geonameid in stop_ids or place.geonameid in seen:
            continue
        seen.add(place.geonameid)
        folium.CircleMarker(
            place.latlon,
            radius=4,
            color=MENTION_COLOR,
            weight=1,
            fill=True,
            fill_opacity=0.5,
            tooltip=_tooltip(f"{mention.surface} ({place.name}, {place.country})"),
            popup=folium.Popup(escape_html(mention.sentence[:300]), max_width=300),
        ).add_to(others)
    others.add_to(m)


def build_map(trip: Trip, *, cdn: bool = False, tiles: bool = True) -> folium.Map:
    """A folium map of the trip.

    Numbered stop markers (origin green, stops blue, destination red) with
    popups; each leg's straight line (dotted orange for road legs) and rail
    path; the dashed great circle from first to last stop; a faint layer of
    the other places the text mentions (off by default); country outlines as
    an offline basemap under optional tile layers; a legend and summary panel;
    layer control and scale. The view fits the journey.

    Parameters
    ----------
    trip
        The trip to draw.
    cdn
        Load Leaflet from CDNs (folium's usual small HTML) instead of inlining it.
    tiles
        Offer the online tile layers (off: outlines only, for a deterministic image).
    """
    import folium
    from branca.element import Element

    m = folium.Map(tiles=None, control_scale=True, zoom_control=True)
    if not cdn:
        _inline_assets(m)
    from ._assets import country_outlines

    if not cdn:  # an offline basemap; the CDN variant relies on online tiles
        folium.GeoJson(
            country_outlines(),
            name="Country outlines (offline)",
            style_function=lambda _: {
                "fillColor": LAND_COLOR,
                "color": "#9aa0a6",
                "weight": 0.6,
                "fillOpacity": 1.0,
            },
            smooth_factor=1.0,
            control=False,
        ).add_to(m)
    if tiles:
        folium.TileLayer(
            "OpenStreetMap", name="OpenStreetMap (online)", overlay=True, show=True
        ).add_to(m)
        folium.TileLayer(
            "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
            attr="© OpenStreetMap contributors © CARTO",
            name="CartoDB Positron (online)",
            overlay=True,
            show=False,
        ).add_to(m)
    _add_leg_lines(m, trip)
    _add_markers(m, trip)
    folium.LayerControl(collapsed=True, position="topleft").add_to(m)
    _add_controls(m, cdn=cdn)
    m.get_root().html.add_child(Element(_summary_html(trip)))  # type: ignore[attr-defined]
    lats = [p.lat for p in trip.stops]
    lons = [p.lon for p in trip.stops]
    # Leave room for the summary panel on the right.
    m.fit_bounds(
        [(min(lats), min(lons)), (max(lats), max(lons))],
        padding_top_left=(60, 40),
        padding_bottom_right=(390, 40),
    )
    return m


def render_html(trip: Trip, *, cdn: bool = False, tiles: bool = True) -> str:
    """The map as one HTML document (self-contained unless ``cdn``)."""
    return build_map(trip, cdn=cdn, tiles=tiles).get_root().render()


def save_map(trip: Trip, path: str | os.PathLike[str], *, cdn: bool = False) -> Path:
    """Render and write the map atomically; returns the path written."""
    return atomic_write_text(path, render_html(trip, cdn=cdn))


# -- PNG -------------------------------------------------------------------------------

_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = (
    "--png needs Chromium: install it (Debian/Ubuntu: apt-get install chromium) "
    "or set ROUTE_CHROMIUM to a Chrome/Chromium executable"
)


def find_browser() -> str:
    """Path of a Chromium/Chrome executable (``$ROUTE_CHROMIUM`` first)."""
    configured = os.environ.get("ROUTE_CHROMIUM")
    if configured:
        if shutil.which(configured):
            return str(shutil.which(configured))
        raise BrowserNotFoundError(
            f"ROUTE_CHROMIUM={configured} is not an executable; {INSTALL_HINT}"
        )
    for name in _BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserNotFoundError(INSTALL_HINT)


def browser_command(browser: str, profile: str, *extra: str) -> list[str]:
    """Headless Chromium with no network chatter, no crash reporter and a fresh profile."""
    return [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-crash-reporter",
        "--disable-breakpad",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *extra,
    ]


_BROWSER_DIRS = (
    ("HOME", "home"),
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_CACHE_HOME", "cache"),
    ("XDG_DATA_HOME", "data"),
)


def browser_env(home: str | os.PathLike[str]) -> dict[str, str]:
    """The environment for a browser that must write nothing outside ``home``.

    Chromium keeps crash reports in ``$XDG_CONFIG_HOME/chromium`` and caches in
    ``$XDG_CACHE_HOME`` whatever its ``--user-data-dir``; pointing ``HOME`` and
    the XDG directories into a throw-away directory keeps the user's
    ``~/.config/chromium`` untouched. (``TMPDIR`` stays: Chromium's socket path
    there must be short.)
    """
    root = Path(home)
    env = dict(os.environ)
    for name, sub in _BROWSER_DIRS:
        (root / sub).mkdir(parents=True, exist_ok=True)
        env[name] = str(root / sub)
    return env


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """End the browser and every helper process it started (its own session)."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    else:  # pragma: no cover - not POSIX
        process.kill()


def render_png(trip: Trip, *, size: tuple[int, int] = (1400, 900), wait_ms: int = 4000) -> bytes:
    """The trip's map as a PNG image, drawn by headless Chromium.

    The image is drawn from the self-contained map without online tiles (the
    country outlines are the basemap), with the browser's network cut off, so
    it looks the same on every machine and never waits for a tile server. The
    browser runs with its own profile, home and temp directory, removed
    afterwards with every process it started.

    Raises
    ------
    BrowserNotFoundError
        No Chromium/Chrome on this machine (the message says how to install it).
    OutputError
        The browser failed or did not finish within 120 s.
    """
    browser = find_browser()
    with temp_work_dir("route-chromium-") as work:
        page = Path(work) / "map.html"
        page.write_text(render_html(trip, tiles=False), encoding="utf-8")
        shot = Path(work) / "shot.png"
        command = browser_command(
            browser,
            str(Path(work) / "profile"),
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--window-size={size[0]},{size[1]}",
            f"--virtual-time-budget={wait_ms}",
            f"--screenshot={shot}",
            page.as_uri(),
        )
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=browser_env(work),
            start_new_session=True,
        )
        try:
            _, stderr = process.communicate(timeout=120)
        except subprocess.TimeoutExpired as exc:
            raise OutputError("Chromium did not finish the screenshot within 120 s") from exc
        finally:
            _kill_group(process)
            process.communicate()
        if not shot.exists() or shot.stat().st_size == 0:
            lines = stderr.decode(errors="replace").strip().splitlines() or ["no output"]
            fatal = [line for line in lines if ":FATAL:" in line]
            reason = (fatal or lines)[-1].strip()
            raise OutputError(f"Chromium could not render the map ({reason[:200]})")
        return shot.read_bytes()


def save_png(
    trip: Trip,
    png_path: str | os.PathLike[str],
    *,
    size: tuple[int, int] = (1400, 900),
    wait_ms: int = 4000,
) -> Path:
    """Render the trip's map to PNG with headless Chromium (:func:`render_png`), atomically.

    Raises
    ------
    BrowserNotFoundError
        No Chromium/Chrome on this machine (the message says how to install it).
    OutputError
        The PNG cannot be written, or the browser failed.
    """
    target = check_writable(png_path)
    return atomic_write_bytes(target, render_png(trip, size=size, wait_ms=wait_ms))
