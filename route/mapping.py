"""Draw a trip as a folium (Leaflet) HTML map, self-contained by default.

folium is imported lazily. The default HTML inlines Leaflet, its CSS (images
as data URIs) and jQuery, and draws country outlines as an offline basemap, so
the map opens with no network; ``tiles="osm"`` or ``"cartodb"`` adds an online
basemap over the outlines. ``cdn=True`` writes folium's usual small HTML instead.
Longitudes are unwrapped, so a journey across the Pacific is drawn as one piece.
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ._atomic import atomic_write_bytes, atomic_write_text, check_writable, temp_work_dir
from .distance import great_circle_points, unwrap_lons, unwrap_path
from .errors import InputError, OutputError, RouteError
from .models import Claim, Leg, Mention, Place, Trip

if TYPE_CHECKING:
    import folium

__all__ = [
    "TILES",
    "TILE_NAMES",
    "BrowserNotFoundError",
    "build_map",
    "escape_html",
    "render_html",
    "render_png",
    "save_map",
    "save_png",
    "tile_name",
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
    "Earth 1:110m via world.geo.json (public domain)"
)

#: Online basemaps for ``tiles``: name -> (URL template, attribution, layer name). The
#: offline country outlines are always drawn beneath; ``"none"`` is the outlines alone.
TILES: dict[str, tuple[str, str, str]] = {
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "© OpenStreetMap contributors",
        "OpenStreetMap (online)",
    ),
    "cartodb": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "© OpenStreetMap contributors © CARTO",
        "CartoDB Positron (online)",
    ),
}
#: The names ``tiles`` takes, default first.
TILE_NAMES = ("none", *TILES)

#: Below this width (CSS px) the map is laid out for a phone: the summary panel starts
#: collapsed, across the top right of the controls, and the minimap starts minimised.
NARROW_PX = 600

LatLon = tuple[float, float]
#: How the summary panel starts: collapsed on narrow screens (``auto``), or always so.
PanelState = Literal["auto", "open", "collapsed"]


class BrowserNotFoundError(RouteError, FileNotFoundError):
    """``--png`` needs Chromium (or Chrome), which is not installed."""


# -- escaping ---------------------------------------------------------------------------

#: After HTML escaping, what may still act inside a JavaScript string in a ``<script>``:
#: the template-literal characters `` ` `` and ``$`` (``${…}``), the backslash, line
#: breaks and braces (branca renders elements through Jinja, which would evaluate
#: ``{{ … }}`` and fail on ``{%``) become character references; other control
#: characters (which HTML would remap or reject) become U+FFFD.
_JS_INERT = {
    **{code: "\ufffd" for code in (*range(32), 127, *range(0x80, 0xA0))},
    **{ord(char): f"&#{ord(char)};" for char in "`$\\\t\n\r\u2028\u2029{}"},
}


def escape_html(text: object) -> str:
    """``text`` as inert HTML text, safe wherever the map puts it.

    Every string that reaches the page from outside (stop labels, names from any
    geocoder, excerpts of the text, claims, notes) goes through this one function.
    The result holds no ``<``, ``>``, quotes, backslash, backtick, ``$``, brace or
    line break, only text and character references, so it is inert as HTML text, in
    a quoted attribute, inside any JavaScript string literal in a ``<script>``
    (folium puts tooltips and popups into template literals), and to the Jinja
    that branca renders elements with: it cannot close the string, interpolate
    ``${…}``, end the script with ``</script>`` or run as a template.

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


class _NoPandasHere:
    """An import finder that refuses pandas to one thread, while it imports folium."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" and threading.get_ident() == self.thread:
            raise ModuleNotFoundError("pandas is not imported with folium", name=name)


class _NoFrame:
    """No object is one: what a DataFrame is before pandas is loaded."""


class _PandasOnceLoaded:
    """Stands for pandas in ``folium.utilities``: pandas itself once anything has imported
    it; before that, only a DataFrame class no object is an instance of (there can be no
    DataFrame before pandas is loaded)."""

    def __getattribute__(self, name: str) -> Any:
        pandas = sys.modules.get("pandas")
        if pandas is not None:
            return getattr(pandas, name)
        if name == "DataFrame":
            return _NoFrame
        raise AttributeError(name)


def _import_folium() -> None:
    """Import folium without pandas, when nothing has loaded pandas yet.

    folium imports pandas, if it can, only to accept DataFrames as coordinates; pandas
    costs a quarter of a second to import, a third of folium's own cost. Other threads may
    import pandas meanwhile, and afterwards folium takes DataFrames as before.
    """
    if "folium" in sys.modules or "pandas" in sys.modules:
        return
    finder = _NoPandasHere()
    sys.meta_path.insert(0, finder)
    try:
        import folium.utilities
    finally:
        sys.meta_path.remove(finder)
    names = vars(folium.utilities)
    if names.get("pd", 0) is None:
        names["pd"] = _PandasOnceLoaded()


def _tooltip(text: str) -> folium.Tooltip:
    """A hover label showing ``text`` verbatim (escaped for HTML inside a script)."""
    tooltip: folium.Tooltip = _folium().Tooltip(escape_html(text))
    return tooltip


def _marker_html(number: int, color: str) -> str:
    return (
        f'<div style="background:{color};color:#fff;border:2px solid #fff;border-radius:50%;'
        "box-sizing:border-box;width:26px;height:26px;display:flex;align-items:center;"
        "justify-content:center;font:bold 13px/1 sans-serif;"
        f'box-shadow:0 0 3px rgba(0,0,0,.6)">{number}</div>'
    )


def _stop_icon(number: int, color: str) -> folium.DivIcon:
    """The numbered circle of a stop; its label sits 16 px to either side."""
    icon: folium.DivIcon = _folium().DivIcon(
        html=_marker_html(number, color), icon_size=(26, 26), icon_anchor=(13, 13)
    )
    icon.options["tooltipAnchor"] = [16, 0]  # from the centre; Leaflet mirrors it to the left
    return icon


def _sentences(trip: Trip) -> dict[Any, str]:
    """First sentence of the text naming each place (by :attr:`Place.identity`)."""
    out: dict[Any, str] = {}
    for mention in trip.mentions:
        key = mention.place.identity
        if key not in out and mention.sentence:
            out[key] = mention.sentence
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


def _legend_html(trip: Trip) -> str:
    """Swatches for the markers and every kind of line the map draws."""
    bridges = any(leg.rail is not None and leg.rail.bridges for leg in trip.legs)
    items = [
        f'<span class="sw" style="background:{ORIGIN_COLOR}"></span>origin',
        f'<span class="sw" style="background:{STOP_COLOR}"></span>stop',
        f'<span class="sw" style="background:{DESTINATION_COLOR}"></span>destination<br>',
        f'<span class="ln" style="border-top:2px solid {STRAIGHT_COLOR};opacity:.6"></span>'
        "leg, straight line",
        f'<span class="ln" style="border-top:2px dashed {STRAIGHT_COLOR}"></span>'
        "first → last, straight line<br>",
        f'<span class="ln" style="border-top:4px solid {RAIL_COLOR}"></span>rail',
        f'<span class="ln" style="border-top:3px dotted {ROAD_COLOR}"></span>road leg',
    ]
    if bridges:
        items.append(
            f'<span class="ln" style="border-top:4px dashed {BRIDGE_COLOR}"></span>'
            "gap in the rail data"
        )
    return "".join(f'<span class="li">{item}</span>' for item in items)


def _attribution(tiles: str) -> str:
    if tiles in TILES:
        return f"{ATTRIBUTION} · Tiles: {TILES[tiles][1]}"
    return ATTRIBUTION


_SUMMARY_CSS = f"""
#route-summary{{position:absolute;top:10px;right:10px;z-index:999;
 max-width:min(360px,calc(100% - 86px));max-height:calc(100% - 190px);overflow:auto;
 background:rgba(255,255,255,.95);padding:6px 10px 8px;border-radius:6px;
 box-shadow:0 1px 5px rgba(0,0,0,.4);font:12px/1.4 sans-serif;color:#222;box-sizing:border-box}}
#route-summary .head{{display:flex;align-items:center;gap:8px}}
#route-summary .title{{flex:1;font-weight:bold;font-size:14px}}
#route-summary .toggle{{font:bold 12px/1 sans-serif;padding:6px 10px;border:1px solid #bbb;
 border-radius:4px;background:#fff;color:#222;cursor:pointer;white-space:nowrap}}
#route-summary.collapsed{{max-height:none;overflow:visible}}
#route-summary.collapsed .body{{display:none}}
#route-summary table{{border-collapse:collapse;width:100%;margin:4px 0}}
#route-summary td,#route-summary th{{padding:1px 4px;border-bottom:1px solid #eee;text-align:left}}
#route-summary .n{{text-align:right}}
#route-summary th{{white-space:nowrap}}
#route-summary.print{{max-height:calc(100% - 40px)}}
#route-summary td.n{{white-space:nowrap}}
#route-summary td.n span{{white-space:normal}}
#route-summary tr.t td{{font-weight:bold;border-top:1px solid #999}}
#route-summary .h{{font-weight:bold;margin-top:6px}}
#route-summary ul{{margin:2px 0 2px 16px;padding:0}}
#route-summary .s{{color:#555;font-size:11px;margin-top:6px}}
#route-summary .li{{white-space:nowrap}}
#route-summary .sw{{display:inline-block;width:10px;height:10px;border-radius:50%;
 margin:0 3px 0 6px;vertical-align:middle}}
#route-summary .ln{{display:inline-block;width:22px;height:0;margin:0 3px 0 6px;
 vertical-align:middle}}
@media (max-width:{NARROW_PX}px){{
 #route-summary{{left:66px;right:10px;max-width:none;max-height:calc(100% - 120px)}}
 #route-summary td,#route-summary th{{padding:1px 2px;white-space:normal}}
}}
.leaflet-container{{background:{WATER_COLOR}}}
.leaflet-tooltip.route-label{{padding:1px 5px;font:bold 12px/1.3 sans-serif;color:#222;
 background:rgba(255,255,255,.88);border:1px solid #999;border-radius:3px;
 box-shadow:0 1px 2px rgba(0,0,0,.3);white-space:nowrap}}
.leaflet-tooltip.route-label:before{{display:none}}
"""

#: Collapse the panel on narrow screens (or as told) and wire its button; runs at once,
#: before the map is drawn, so the view is fitted around the panel as it starts. Until
#: the reader uses the button, the panel follows the width (a frame laid out late, a
#: phone turned round).
_SUMMARY_JS = """<script>
(function () {
  var panel = document.getElementById("route-summary");
  var button = panel.querySelector("button.toggle");
  var narrow = window.matchMedia("(max-width: NARROWpx)"), chosen = false;
  function show(open) {
    panel.classList.toggle("collapsed", !open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "Hide" : "Details";
    button.title = open ? "Hide the summary" : "Show the legs, claims and legend";
  }
  var start = panel.getAttribute("data-start");
  show(start === "open" || (start === "auto" && !narrow.matches));
  if (start === "auto" && narrow.addEventListener) {
    narrow.addEventListener("change", function () { if (!chosen) { show(!narrow.matches); } });
  }
  button.addEventListener("click", function () {
    chosen = true;
    show(panel.classList.contains("collapsed"));
  });
})();
</script>""".replace("NARROW", str(NARROW_PX))


def _summary_html(
    trip: Trip, *, tiles: str = "none", interactive: bool = True, panel: PanelState = "auto"
) -> str:
    """The legend and summary panel: legs, totals, claims, sources.

    Interactive, it has a button to collapse it (collapsed at first on narrow
    screens when ``panel`` is ``auto``); the print version is always open.
    """
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
    button, script, start, kind = "", "", "open", "print"
    if interactive:
        kind = "interactive"
        start = panel
        button = (
            '<button type="button" class="toggle" aria-controls="route-summary-body" '
            'aria-expanded="true">Hide</button>'
        )
        script = _SUMMARY_JS
    return f"""
<style>{_SUMMARY_CSS}</style>
<div id="route-summary" class="{kind}" data-start="{start}" role="region" aria-label="Summary">
 <div class="head"><div class="title">{esc(first)} → {esc(last)}</div>{button}</div>
 <div class="body" id="route-summary-body">
 <div>{_legend_html(trip)}</div>
 <table><tr><th>Leg</th><th>Mode</th><th class="n">Straight km</th><th class="n">Rail km</th>
 <th class="n">Ratio</th></tr>{rows}</table>
 <div>{direct}</div>
 {notes_block}{why}{claims_block}{uncertainty}
 <div class="s">{esc(_attribution(tiles))}</div>
 </div>
</div>{script}"""


@cache
def _default_icon_js() -> str:
    """Leaflet's default marker images as data URIs (``folium.Marker`` with no ``icon``).

    Leaflet finds them beside its stylesheet, which an inlined page does not have: it
    would ask for ``marker-icon.png`` next to the HTML file.
    """
    from ._assets import _leaflet_dir

    images = _leaflet_dir() / "images"
    urls = {
        option: "data:image/png;base64," + base64.b64encode((images / name).read_bytes()).decode()
        for option, name in (("iconUrl", "marker-icon.png"),
                             ("iconRetinaUrl", "marker-icon-2x.png"),
                             ("shadowUrl", "marker-shadow.png"))
    }  # fmt: skip
    return f'L.Icon.Default.imagePath = "";\nL.Icon.Default.mergeOptions({json.dumps(urls)});'


@cache
def _raw_element() -> type[Any]:
    """A branca element that puts its HTML into the page as it is. branca's own
    ``Element(html)`` compiles the HTML as a Jinja template: slow for a library's code
    (Leaflet, jQuery), and it would evaluate any ``{{ … }}`` the HTML carried."""
    from branca.element import Element

    class Raw(Element):
        def __init__(self, html: str) -> None:
            super().__init__()
            self._html = html

        def render(self, **kwargs: Any) -> str:
            return self._html

    return Raw


def _raw(html: str) -> Any:
    """``html`` as a branca element, put into the page as it is (see :func:`_raw_element`)."""
    return _raw_element()(html)


#: A line break as Jinja reads one.
_NEWLINE = re.compile(r"\r\n|\r|\n")


def _rendered(text: str) -> Any:
    """What branca's ``Element(text)`` puts into the page, as an element.

    branca compiles ``text`` as a Jinja template and renders it; a text with no Jinja
    markup comes out with its line breaks as ``\\n`` and one final line break dropped
    (Jinja's defaults), which :func:`_raw` gives without compiling (a big element's
    script, as the outlines' data, takes 20 ms to compile). A text with markup is put in
    as it is too: compiling what route has rendered would evaluate anything a label
    carried into it (``tojson`` leaves braces as they are).
    """
    lines = _NEWLINE.split(text)
    if lines[-1] == "":
        del lines[-1]
    return _raw("\n".join(lines))


@cache
def _raw_macro_element() -> type[Any]:
    """A branca ``MacroElement`` whose rendered macros go into the page through
    :func:`_rendered` (branca's own render wraps each in ``Element``, compiling it):
    the same page, for route's own elements."""
    from branca.element import Figure, MacroElement

    class RawMacroElement(MacroElement):
        def render(self, **kwargs: Any) -> Any:
            figure = self.get_root()
            assert isinstance(figure, Figure), "render an element in a Figure"
            macros = self._template.module.__dict__
            for part in ("header", "html", "script"):
                macro = macros.get(part)
                if macro is not None:
                    text = macro(self, kwargs)
                    getattr(figure, part).add_child(_rendered(text), name=self.get_name())
            for element in self._children.values():
                element.render(**kwargs)

    return RawMacroElement


@cache
def _folium() -> Any:
    """folium's map elements as route draws them: each one's rendered macros go into the
    page as they are (:func:`_raw_macro_element`), not compiled once more as a template
    each (branca's ``Element(text)``: 0.4 ms an element, 3 s for a map of 8,000). The page
    is the same (:func:`_rendered`).

    Returns
    -------
    SimpleNamespace
        ``Map``, ``Marker``, ``CircleMarker``, ``PolyLine``, ``Popup``, ``Tooltip``,
        ``DivIcon``, ``FeatureGroup``, ``TileLayer`` and ``LayerControl``.
    """
    import types

    _import_folium()
    import folium
    from branca.element import Figure

    raw_macro = _raw_macro_element()

    def raw(cls: type[Any]) -> type[Any]:  # its own render first, then the raw one
        return type(cls.__name__, (cls, raw_macro), {"__module__": __name__})

    class Popup(folium.Popup):
        def render(self, **kwargs: Any) -> Any:
            for child in self._children.values():
                child.render(**kwargs)
            figure = self.get_root()
            assert isinstance(figure, Figure), "render an element in a Figure"
            text = self._template.render(this=self, kwargs=kwargs)
            figure.script.add_child(_rendered(text), name=self.get_name())

    marker = raw(folium.Marker)
    marker.SetIcon = raw(folium.Marker.SetIcon)
    circle = raw(folium.CircleMarker)
    circle.SetIcon = marker.SetIcon
    names = ("Map", "PolyLine", "Tooltip", "DivIcon", "FeatureGroup", "TileLayer", "LayerControl")
    return types.SimpleNamespace(
        Marker=marker,
        CircleMarker=circle,
        Popup=Popup,
        **{name: raw(getattr(folium, name)) for name in names},
    )


def _inline_assets(m: folium.Map) -> None:
    from ._assets import jquery_js, leaflet_css, leaflet_js, plugins_css, plugins_js

    m.default_js = []
    m.default_css = []
    head = m.get_root().header  # type: ignore[attr-defined]
    head.add_child(_raw(f"<style>{leaflet_css()}</style>"), name="leaflet_css_inline")
    head.add_child(_raw(f"<style>{plugins_css()}</style>"), name="plugins_css_inline")
    head.add_child(_raw(f"<script>{jquery_js()}</script>"), name="jquery_inline")
    head.add_child(_raw(f"<script>{leaflet_js()}</script>"), name="leaflet_inline")
    head.add_child(_raw(f"<script>{_default_icon_js()}</script>"), name="leaflet_icon_inline")
    head.add_child(_raw(f"<script>{plugins_js()}</script>"), name="plugins_inline")


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
var {{ this.get_name() }}_outlines = {{ this.outlines|tojson }};
var {{ this.get_name() }}_mini = L.layerGroup({{ this.shifts|tojson }}.map(function (shift) {
    return L.geoJson({{ this.get_name() }}_outlines, {style: {{ this.style|tojson }},
        coordsToLatLng: function (c) { return L.latLng(c[1], c[0] + shift); }});
}));
{% else %}
var {{ this.get_name() }}_mini = L.tileLayer(
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    {attribution: "&copy; OpenStreetMap contributors"});
{% endif %}
// Minimised on a narrow screen, following the width until the reader toggles it.
var {{ this.get_name() }}_narrow = window.matchMedia("(max-width: {{ this.narrow }}px)");
var {{ this.get_name() }}_minimap = new L.Control.MiniMap({{ this.get_name() }}_mini, {
    position: "bottomright", width: 160, height: 130, zoomLevelOffset: -5,
    toggleDisplay: true, minimized: {{ this.get_name() }}_narrow.matches,
    aimingRectOptions: {color: "#c0392b", weight: 1}}).addTo({{ this._parent.get_name() }});
if ({{ this.get_name() }}_narrow.addEventListener) {
    {{ this.get_name() }}_narrow.addEventListener("change", function (event) {
        if (!{{ this.get_name() }}_minimap._userToggledDisplay) {
            {{ this.get_name() }}_minimap._setDisplay(event.matches);
        }
    });
}
{% endmacro %}
"""

#: The offline basemap: country outlines in a pane under the tiles (so an online basemap,
#: when it loads, covers them), one copy per 360° the view may show. Land is filled
#: without a stroke; the borders are drawn as lines that leave out the seams where
#: Natural Earth cuts Russia and Fiji on the antimeridian (they would show as a border
#: through Chukotka once the map is centred on the Pacific).
_OUTLINES_TEMPLATE = """
{% macro script(this, kwargs) %}
var {{ this.get_name() }}_data = {{ this.data|tojson }};
(function (map, data) {
    var pane = map.createPane("routeOutlines");
    pane.style.zIndex = 150;
    pane.style.pointerEvents = "none";
    var borders = {type: "FeatureCollection", features: data.features.map(function (f) {
        var g = f.geometry, lines = [];
        (g.type === "Polygon" ? [g.coordinates] : g.coordinates).forEach(function (poly) {
            poly.forEach(function (ring) {
                var line = [];
                ring.forEach(function (c) {
                    var prev = line[line.length - 1];
                    if (prev && Math.abs(c[0]) === 180 && Math.abs(prev[0]) === 180) {
                        if (line.length > 1) { lines.push(line); }
                        line = [];
                    }
                    line.push(c);
                });
                if (line.length > 1) { lines.push(line); }
            });
        });
        return {type: "Feature", properties: f.properties,
                geometry: {type: "MultiLineString", coordinates: lines}};
    })};
    {{ this.shifts|tojson }}.forEach(function (shift) {
        var options = {pane: "routeOutlines", interactive: false, smoothFactor: 1,
            coordsToLatLng: function (c) { return L.latLng(c[1], c[0] + shift); }};
        L.geoJson(data, L.extend({style: {{ this.fill|tojson }}}, options)).addTo(map);
        L.geoJson(borders, L.extend({style: {{ this.stroke|tojson }}}, options)).addTo(map);
    });
})({{ this._parent.get_name() }}, {{ this.get_name() }}_data);
{% endmacro %}
"""

#: Fit the view to the journey, around the summary panel as it starts: beside it on a
#: wide map, below it on a narrow one (where it is a strip across the top). A map laid
#: out late or resized (in a frame, a notebook, a phone turned round) is fitted again,
#: until the reader moves it.
_FIT_TEMPLATE = """
{% macro script(this, kwargs) %}
(function (map) {
    var bounds = {{ this.bounds|tojson }}, touched = false;
    function fit() {
        var size = map.getSize(), panel = document.getElementById("route-summary");
        var topLeft = [{{ this.left }}, 30], bottomRight = [30, 30];
        if (panel) {
            var box = panel.getBoundingClientRect();
            var home = map.getContainer().getBoundingClientRect();
            if (box.width > size.x / 2) {
                topLeft[1] = Math.max(topLeft[1], box.bottom - home.top + 10);
            } else {
                bottomRight[0] = Math.max(bottomRight[0], home.right - box.left + 10);
            }
        }
        if (topLeft[0] + bottomRight[0] > 0.7 * size.x) { bottomRight[0] = 20; topLeft[0] = 20; }
        if (topLeft[1] + bottomRight[1] > 0.7 * size.y) { topLeft[1] = 20; bottomRight[1] = 20; }
        map.fitBounds(bounds, {paddingTopLeft: topLeft, paddingBottomRight: bottomRight,
            maxZoom: {{ this.max_zoom }}, animate: false});
    }
    fit();
    var container = map.getContainer();
    ["pointerdown", "touchstart", "wheel", "keydown"].forEach(function (name) {
        container.addEventListener(name, function () { touched = true; }, {passive: true});
    });
    if (window.ResizeObserver) {
        var last = map.getSize();
        new ResizeObserver(function () {
            map.invalidateSize({pan: false});
            var now = map.getSize();
            if (!touched && !now.equals(last) && now.x > 0 && now.y > 0) {
                last = now;
                fit();
            }
        }).observe(container);
    }
})({{ this._parent.get_name() }});
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


def _add_controls(m: folium.Map, *, cdn: bool, shifts: list[float]) -> None:
    """Fullscreen, measure tool and minimap in one element (assets inlined unless ``cdn``).

    The same Leaflet plugins folium's ``plugins`` wrap, without importing
    ``folium.plugins`` (which compiles every plugin's template: 0.3 s).
    """
    from folium.elements import JSCSSMixin
    from folium.template import Template

    from ._assets import country_outlines

    class Controls(JSCSSMixin, _raw_macro_element()):  # type: ignore[misc]
        _template = Template(_CONTROLS_TEMPLATE)

        def __init__(self) -> None:
            super().__init__()
            self._name = "RouteControls"
            # The offline minimap draws coarse outlines; the CDN one, OSM tiles.
            self.outlines = None if cdn else country_outlines(1)
            self.shifts = shifts
            self.narrow = NARROW_PX
            self.style = {"fillColor": LAND_COLOR, "color": "#9aa0a6", "weight": 0.5,
                          "fillOpacity": 1}  # fmt: skip
            self.default_js = list(_PLUGIN_CDN_JS) if cdn else []
            self.default_css = list(_PLUGIN_CDN_CSS) if cdn else []

    Controls().add_to(m)


def _add_outlines(m: folium.Map, shifts: list[float]) -> None:
    """The offline basemap of country outlines (see :data:`_OUTLINES_TEMPLATE`)."""
    from folium.template import Template

    from ._assets import country_outlines

    class Outlines(_raw_macro_element()):  # type: ignore[misc]
        _template = Template(_OUTLINES_TEMPLATE)

        def __init__(self) -> None:
            super().__init__()
            self._name = "RouteOutlines"
            self.data = country_outlines()
            self.shifts = shifts
            self.fill = {"stroke": False, "fillColor": LAND_COLOR, "fillOpacity": 1.0}
            self.stroke = {"color": "#9aa0a6", "weight": 0.6, "fill": False}

    Outlines().add_to(m)


def _fit_view(m: folium.Map, layout: _Layout, *, interactive: bool) -> None:
    """Fit the view to the journey when the page opens (see :data:`_FIT_TEMPLATE`)."""
    from folium.template import Template

    class Fit(_raw_macro_element()):  # type: ignore[misc]
        _template = Template(_FIT_TEMPLATE)

        def __init__(self) -> None:
            super().__init__()
            self._name = "RouteFit"
            south_west, north_east = layout.bounds()
            self.bounds = [list(south_west), list(north_east)]
            self.left = 60 if interactive else 30  # room for the controls on the left
            self.max_zoom = 12

    Fit().add_to(m)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the map draws a trip: longitudes unwrapped, so the journey is one piece.

    A journey across the antimeridian (Tokyo → Honolulu → San Francisco) is drawn
    with longitudes past ±180 (Honolulu at 202.2°, not -157.8°): Leaflet then puts
    its lines and markers side by side across the Pacific instead of at both
    edges of the world, and the view fits them. The whole drawing is moved by
    whole turns so that its middle lies within [-180, 180].
    """

    stops: tuple[LatLon, ...]
    straight: tuple[tuple[LatLon, ...], ...]
    rails: tuple[tuple[LatLon, ...] | None, ...]
    bridges: tuple[tuple[tuple[LatLon, LatLon], ...], ...]
    direct: tuple[tuple[LatLon, ...], ...]
    centre: float

    def near(self, point: LatLon) -> LatLon:
        """``point``, moved by whole turns to the copy nearest the journey."""
        lat, lon = point
        return (lat, lon + 360.0 * round((self.centre - lon) / 360.0))

    def _points(self) -> list[LatLon]:
        lines = [*self.straight, *(r for r in self.rails if r is not None), *self.direct]
        return [*self.stops, *(p for line in lines for p in line)]

    def bounds(self) -> tuple[LatLon, LatLon]:
        """South-west and north-east corners around every stop and line."""
        points = self._points()
        lats = [lat for lat, _ in points]
        lons = [lon for _, lon in points]
        return (min(lats), min(lons)), (max(lats), max(lons))

    def shifts(self, margin: float = 90.0) -> list[float]:
        """Shifts (multiples of 360°) of the outlines' copies that the view may show."""
        (_, west), (_, east) = self.bounds()
        first = math.floor((west - margin + 180.0) / 360.0)
        last = math.floor((east + margin + 180.0) / 360.0)
        return [360.0 * k for k in range(first, last + 1)]


def _layout(trip: Trip) -> _Layout:
    """Unwrap the trip's longitudes along its legs (see :class:`_Layout`)."""
    lons = unwrap_lons(place.lon for place in trip.stops)
    straight: list[list[LatLon]] = []
    for i, leg in enumerate(trip.legs):
        start = lons[i] if i < len(lons) else None
        path = unwrap_path(great_circle_points(leg.start.latlon, leg.end.latlon), start)
        straight.append(path)
        if i + 1 < len(lons) and leg.end.latlon == trip.stops[i + 1].latlon:
            # Follow the geodesic round (over a pole it may go the longer way).
            delta = path[-1][1] - lons[i + 1]
            if delta:
                lons[i + 1 :] = [lon + delta for lon in lons[i + 1 :]]
    every = [*lons, *(lon for path in straight for _, lon in path)]
    turns = 360.0 * math.floor(((min(every) + max(every)) / 2 + 180.0) / 360.0)
    if turns:
        lons = [lon - turns for lon in lons]
        straight = [[(lat, lon - turns) for lat, lon in path] for path in straight]
    rails: list[tuple[LatLon, ...] | None] = []
    bridges: list[tuple[tuple[LatLon, LatLon], ...]] = []
    for i, leg in enumerate(trip.legs):
        start = lons[i] if i < len(lons) else None
        if leg.rail is None:
            rails.append(None)
            bridges.append(())
            continue
        rails.append(tuple(unwrap_path(leg.rail.path, start)))
        pairs = []
        for bridge in leg.rail.bridges:
            a, b = unwrap_path([bridge.start, bridge.end], start)
            pairs.append((a, b))
        bridges.append(tuple(pairs))
    first, last = trip.stops[0], trip.stops[-1]
    points = great_circle_points(first.latlon, last.latlon)
    direct = [tuple(unwrap_path(points, lons[0]))]
    if abs(direct[0][-1][1] - lons[-1]) > 1e-6:
        # The last stop is drawn a turn away from the end of the line from the first
        # (a journey that goes most of the way round): draw it at both ends.
        direct.append(tuple(unwrap_path(points[::-1], lons[-1])[::-1]))
    return _Layout(
        stops=tuple((place.lat, lon) for place, lon in zip(trip.stops, lons, strict=True)),
        straight=tuple(tuple(path) for path in straight),
        rails=tuple(rails),
        bridges=tuple(bridges),
        direct=tuple(direct),
        centre=(min(every) + max(every)) / 2 - turns,
    )


def _add_leg_lines(m: folium.Map, trip: Trip, layout: _Layout) -> None:

    legs = _folium().FeatureGroup(name="Legs (straight line, rail path)")
    for leg, straight, rail, bridges in zip(
        trip.legs, layout.straight, layout.rails, layout.bridges, strict=True
    ):
        name = f"{leg.start.label} → {leg.end.label}"
        road = leg.mode in ("car", "road", "bus")
        _folium().PolyLine(
            list(straight),
            color=ROAD_COLOR if road else STRAIGHT_COLOR,
            weight=3 if road else 2,
            opacity=0.9 if road else 0.6,
            dash_array="2 7" if road else None,
            tooltip=_tooltip(f"{name}: {leg.straight_km:,.1f} km straight line ({leg.mode})"),
        ).add_to(legs)
        if leg.rail is not None and rail is not None:
            detour = f", ×{leg.detour:.2f} the straight line" if leg.detour else ""
            _folium().PolyLine(
                list(rail),
                color=RAIL_COLOR,
                weight=4,
                opacity=0.9,
                tooltip=_tooltip(f"{name}: {leg.rail.km:,.1f} km by rail{detour}"),
            ).add_to(legs)
            for bridge, (start, end) in zip(leg.rail.bridges, bridges, strict=True):
                _folium().PolyLine(
                    [start, end],
                    color=BRIDGE_COLOR,
                    weight=6,
                    dash_array="2 6",
                    tooltip=_tooltip(f"gap in the rail data bridged: {bridge.km * 1000:,.0f} m"),
                ).add_to(legs)
    legs.add_to(m)
    direct = _folium().FeatureGroup(name="Straight line, first → last stop")
    first, last = trip.stops[0], trip.stops[-1]
    for path in layout.direct:
        _folium().PolyLine(
            list(path),
            color=STRAIGHT_COLOR,
            weight=2.5,
            dash_array="8 6",
            tooltip=_tooltip(
                f"{first.label} → {last.label}: {trip.direct_km:,.1f} km as the crow flies"
            ),
        ).add_to(direct)
    direct.add_to(m)


def _add_markers(m: folium.Map, trip: Trip, layout: _Layout) -> None:

    sentences = _sentences(trip)
    stops = _folium().FeatureGroup(name="Stops")
    last = len(trip.stops)
    for number, (place, point) in enumerate(zip(trip.stops, layout.stops, strict=True), start=1):
        if number == 1:
            color, role = ORIGIN_COLOR, "origin"
        elif number == last:
            color, role = DESTINATION_COLOR, "destination"
        else:
            color, role = STOP_COLOR, "stop"
        sentence = sentences.get(place.identity, "")
        _folium().Marker(
            point,
            icon=_stop_icon(number, color),
            # The name, always shown beside the number (on the side towards the middle).
            tooltip=_folium().Tooltip(
                escape_html(place.label),
                sticky=False,
                permanent=True,
                direction="auto",
                class_name="route-label",
            ),
            popup=_folium().Popup(_popup_html(number, place, role, sentence), max_width=320),
        ).add_to(stops)
    stops.add_to(m)
    stop_ids = {p.identity for p in trip.stops}
    others = _folium().FeatureGroup(name="Other places the text mentions", show=False)
    seen: set[Any] = set()
    for mention in trip.mentions:
        place = mention.place
        if place.identity in stop_ids or place.identity in seen:
            continue
        seen.add(place.identity)
        _folium().CircleMarker(
            layout.near(place.latlon),
            radius=4,
            color=MENTION_COLOR,
            weight=1,
            fill=True,
            fill_opacity=0.5,
            tooltip=_tooltip(f"{mention.surface} ({place.name}, {place.country})"),
            popup=_folium().Popup(escape_html(mention.sentence[:300]), max_width=300),
        ).add_to(others)
    others.add_to(m)


def tile_name(tiles: str | bool | None, *, cdn: bool = False) -> str:
    """The basemap ``tiles`` asks for, one of :data:`TILE_NAMES`.

    ``None`` is the default: ``"none"`` (the offline outlines alone), or
    ``"osm"`` for the CDN variant, which has no outlines. ``True`` and ``False``
    (the older switch) mean ``"osm"`` and ``"none"``.

    Raises
    ------
    InputError
        An unknown name.
    """
    if tiles is None:
        return "osm" if cdn else "none"
    if isinstance(tiles, bool):
        return "osm" if tiles else "none"
    name = tiles.strip().lower()
    if name not in TILE_NAMES:
        raise InputError(f"unknown basemap {tiles!r}; use {', '.join(TILE_NAMES)}")
    return name


def build_map(
    trip: Trip,
    *,
    cdn: bool = False,
    tiles: str | bool | None = None,
    interactive: bool = True,
    panel: PanelState = "auto",
) -> folium.Map:
    """A folium map of the trip.

    Numbered stop markers (origin green, stops blue, destination red) with
    their names as labels and popups; each leg's straight line (dotted orange
    for road legs) and rail path; the dashed great circle from first to last
    stop; a faint layer of the other places the text mentions (off by
    default); country outlines as an offline basemap, under an optional online
    one; a collapsible legend and summary panel; layer control and scale.
    Longitudes are unwrapped, so a journey across the antimeridian is drawn in
    one piece, and the view fits the journey.

    Parameters
    ----------
    trip
        The trip to draw.
    cdn
        Load Leaflet from CDNs (folium's usual small HTML) instead of inlining it.
    tiles
        The basemap over the offline outlines: ``"none"`` (default), ``"osm"``
        (OpenStreetMap) or ``"cartodb"`` (CartoDB Positron); see :func:`tile_name`.
    interactive
        ``False`` draws the print version (for images): no zoom, fullscreen,
        measure, minimap or layer controls, and the summary panel open.
    panel
        How the summary panel starts: ``"auto"`` (collapsed on narrow screens),
        ``"open"`` or ``"collapsed"``.

    Raises
    ------
    InputError
        An unknown ``tiles`` name.
    """
    _import_folium()

    basemap = tile_name(tiles, cdn=cdn)
    layout = _layout(trip)
    m: folium.Map = _folium().Map(tiles=None, control_scale=True, zoom_control=interactive)
    first, last = trip.stops[0].label, trip.stops[-1].label
    m.get_root().title = escape_html(f"route: {first} → {last}")  # type: ignore[attr-defined]
    if not cdn:
        _inline_assets(m)
    if not cdn or basemap == "none":  # the CDN variant relies on online tiles unless told
        _add_outlines(m, layout.shifts())
    if basemap in TILES:
        url, attribution, name = TILES[basemap]
        _folium().TileLayer(url, attr=attribution, name=name, overlay=True, show=True).add_to(m)
    _add_leg_lines(m, trip, layout)
    _add_markers(m, trip, layout)
    if interactive:
        _folium().LayerControl(collapsed=True, position="topleft").add_to(m)
        _add_controls(m, cdn=cdn, shifts=layout.shifts())
    summary = _summary_html(trip, tiles=basemap, interactive=interactive, panel=panel)
    m.get_root().html.add_child(_raw(summary))  # type: ignore[attr-defined]
    _fit_view(m, layout, interactive=interactive)
    return m


def render_html(
    trip: Trip,
    *,
    cdn: bool = False,
    tiles: str | bool | None = None,
    interactive: bool = True,
    panel: PanelState = "auto",
) -> str:
    """The map as one HTML document (self-contained unless ``cdn``; see :func:`build_map`)."""
    m = build_map(trip, cdn=cdn, tiles=tiles, interactive=interactive, panel=panel)
    return _render_page(m)


#: What ends a ``<script>`` element, or changes how its end is found, inside it.
_SCRIPT_END = re.compile(r"<(/script|!--)", re.I)


def _render_page(m: folium.Map) -> str:
    """The page of ``m``, its script made safe from the strings in it.

    folium puts popup and tooltip HTML into JavaScript strings in one ``<script>``; a
    ``</script>`` (or ``<!--``) there would end or change that element and break the
    whole map. Inside the script they are written ``<\\/script`` and ``<\\!--``, which
    JavaScript reads back as the same characters.
    """
    figure = m.get_root()
    page: str = figure.render()
    script: str = figure.script.render()  # type: ignore[attr-defined]
    inert = _SCRIPT_END.sub(r"<\\\1", script)
    if inert != script:
        start = page.rindex(script)  # the figure's script is its last element
        page = page[:start] + inert + page[start + len(script) :]
    return page


#: Where ``route``'s own controls load the plugins :func:`_inline_assets` inlines from
#: (``cdn=True``): saved self-contained, these links are dropped.
_INLINED_URLS = frozenset(url for _, url in (*_PLUGIN_CDN_JS, *_PLUGIN_CDN_CSS))
#: A ``<script src>`` or ``<link href>`` that loads from another host.
_EXTERNAL_ASSET = re.compile(
    r"<(?:script[^>]*\bsrc|link[^>]*\bhref)\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]*)", re.I
)
_ASSET_LISTS = ("default_js", "default_css")


def _elements(root: Any) -> Iterator[Any]:
    """``root`` and every element below it (a figure's header, body and script, a popup's
    content too)."""
    from branca.element import Element

    yield root
    parts = [getattr(root, part, None) for part in ("header", "html", "script")]
    for child in [*root._children.values(), *parts]:
        if isinstance(child, Element):
            yield from _elements(child)


def _offline_error(what: str, url: str) -> InputError:
    return InputError(
        f"{what} loads {url} from another host, so the saved map would not open offline; "
        "remove it, or save the map with folium's m.save()"
    )


@contextlib.contextmanager
def _self_contained(m: folium.Map) -> Iterator[None]:
    """``m`` with Leaflet, jQuery and route's plugins inlined while it renders, then as
    it was (a map from ``trip.map()`` is self-contained already).

    Raises
    ------
    InputError
        An element whose script or style route cannot inline: a ``folium.Icon`` (it
        needs Leaflet.awesome-markers and Font Awesome) or a folium plugin.
    """
    import folium

    figure = m.get_root()
    changed: list[tuple[Any, dict[str, Any]]] = []
    for element in _elements(figure):
        if isinstance(element, folium.Icon):
            raise InputError(
                "a folium.Icon needs Leaflet.awesome-markers and Font Awesome from CDNs, so "
                "the saved map would not open offline; use the default marker, a "
                "folium.DivIcon or a folium.CustomIcon"
            )
        links = [url for name in _ASSET_LISTS for _, url in getattr(element, name, None) or ()]
        if not links:
            continue
        foreign = [url for url in links if url not in _INLINED_URLS]
        if element is not m and foreign:
            raise _offline_error(f"the map's {type(element).__name__}", foreign[0])
        changed.append((element, {name: vars(element).get(name) for name in _ASSET_LISTS}))
    header = figure.header  # type: ignore[attr-defined]
    before = header._children.copy()
    try:
        for element, _ in changed:
            for name in _ASSET_LISTS:
                for link, _url in getattr(element, name, None) or ():
                    header._children.pop(link, None)  # left there by an earlier render
                setattr(element, name, [])
        _inline_assets(m)
        yield
    finally:
        header._children = before
        for element, attributes in changed:
            for name, value in attributes.items():
                if value is None:
                    with contextlib.suppress(AttributeError):
                        delattr(element, name)  # the class's list again
                else:
                    setattr(element, name, value)


def save_map(
    trip: Trip | folium.Map,
    path: str | os.PathLike[str],
    *,
    cdn: bool = False,
    tiles: str | bool | None = None,
) -> Path:
    """Write a trip's map, or a folium map, to ``path`` atomically.

    A trip is drawn as :func:`render_html` draws it. A ``folium.Map`` (from
    ``trip.map()``, with your own markers, layers or popups added) is saved
    self-contained as well: Leaflet and jQuery are inlined if the map links them
    from CDNs (``trip.map(cdn=True)``, a plain ``folium.Map``), the map itself is
    left as it was, and the page opens offline (online tiles aside). The page is
    made in full first; then it replaces ``path`` in one step, or, on any error,
    ``path`` is left as it was.

    folium takes popup and tooltip strings as HTML: pass text through
    :func:`escape_html` (as route does with every string it puts on the map). A
    ``</script>`` left in one cannot end the page's script (see
    :func:`_render_page`), but other markup in it is shown as markup.

    Parameters
    ----------
    trip
        The trip to draw, or a folium map to save.
    path
        The HTML file to write.
    cdn, tiles
        For a trip: see :func:`build_map`. A folium map is drawn already: give them
        to ``trip.map(cdn=..., tiles=...)``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    OutputError
        ``path`` cannot be written (missing directory, a directory, read-only).
    InputError
        An unknown ``tiles`` name; ``cdn`` or ``tiles`` with a folium map; a map
        holding something that loads from another host (a ``folium.Icon``, a folium
        plugin, a ``<script src="https://…">``), which would not open offline.
    """
    target = check_writable(path)
    if isinstance(trip, Trip):
        return atomic_write_text(target, render_html(trip, cdn=cdn, tiles=tiles))
    import folium

    if not isinstance(trip, folium.Map):
        raise InputError(f"save_map takes a Trip or a folium.Map, not {type(trip).__name__}")
    if cdn or tiles is not None:
        raise InputError(
            "cdn and tiles are for drawing a trip; a folium map is drawn already: "
            "pass them to trip.map(cdn=..., tiles=...)"
        )
    with _self_contained(trip):
        page = _render_page(trip)
    external = _EXTERNAL_ASSET.search(page)
    if external is not None:
        raise _offline_error("the map", external.group(1))
    return atomic_write_text(target, page)


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

    The image is the print version of the self-contained map (no zoom,
    fullscreen, measure, minimap or layer controls; the summary panel open;
    see ``interactive`` in :func:`build_map`) without online tiles (the
    country outlines are the basemap), drawn with the browser's network cut
    off, so it looks the same on every machine and never waits for a tile
    server. The browser runs with its own profile, home and temp directory,
    removed afterwards with every process it started.

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
        page.write_text(render_html(trip, tiles="none", interactive=False), encoding="utf-8")
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
