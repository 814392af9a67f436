from __future__ import annotations

import itertools
import json
import os
import re
from pathlib import Path
from typing import Any

import folium
import pytest

from route.errors import InputError
from route.gazetteer import Gazetteer, OfflineGeocoder
from route.mapping import _layout, build_map, escape_html, render_html, save_map, tile_name
from route.models import Bridge, Claim, Leg, Mention, Place, RailRoute, Trip
from route.pipeline import build_trip, geocode_stops, plan

from .conftest import SEED_TEXT

EXTERNAL_ASSET = re.compile(r"<(?:script[^>]*\bsrc|link[^>]*\bhref)=[\"']?(?:https?:)?//", re.I)


@pytest.fixture(scope="module")
def seed_trip(gazetteer: Gazetteer) -> Trip:
    return plan(SEED_TEXT.read_text(encoding="utf-8"), gazetteer=gazetteer)


@pytest.fixture(scope="module")
def seed_page(seed_trip: Trip) -> str:
    return render_html(seed_trip)


def test_html_holds_a_numbered_marker_per_stop_and_the_lines(seed_page: str) -> None:
    assert len(re.findall(r"\bL\.marker\(", seed_page)) == 4
    # Three legs and the dashed first -> last great circle.
    assert len(re.findall(r"\bL\.polyline\(", seed_page)) == 4
    for number in range(1, 5):  # folium writes the DivIcon html as escaped JSON
        assert f"\\u003e{number}\\u003c/div\\u003e" in seed_page
    assert "Pyongyang → Dandong: 168.6 km straight line (train)" in seed_page
    assert "Dong Dang → Hanoi: 135.7 km straight line (car)" in seed_page
    assert "Pyongyang → Hanoi: 2,757.7 km as the crow flies" in seed_page
    assert '"dashArray": "8 6"' in seed_page  # the great circle is dashed
    assert '"dashArray": "2 7"' in seed_page  # the road leg is dotted


def test_elements_are_not_compiled_as_templates(
    seed_trip: Trip, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    compiled: list[str] = []
    real = jinja2.Environment.from_string

    def counting(self: jinja2.Environment, source: Any, *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(source))
        return real(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "from_string", counting)
    page = render_html(seed_trip)
    # branca compiled each rendered element (a marker, its icon, popup, tooltip, line) as
    # a template of its own, once more: rendered text, with no markup left in it
    rendered = [source for source in compiled if "{{" not in source and "{%" not in source]
    drawn = ("L.marker(", "L.popup(", "bindTooltip(", "L.polyline(", "L.divIcon(", "setIcon(")
    assert not [source for source in rendered if any(code in source for code in drawn)]
    assert page.count("L.marker(") == len(seed_trip.stops)
    assert "bindTooltip(" in page
    assert "L.polyline(" in page


def test_popups_quote_the_text(seed_page: str) -> None:
    assert "1582998" in seed_page
    assert "Thị Trấn Đồng Đăng" in seed_page
    assert "expected Tuesday in the Vietnamese border town of Dong Dang" in seed_page


def test_self_contained(seed_page: str) -> None:
    assert not EXTERNAL_ASSET.search(seed_page)
    assert "cdn.jsdelivr" not in seed_page
    assert "L.version" in seed_page or "leaflet" in seed_page.lower()
    assert "jQuery" in seed_page
    assert "data:image/png;base64," in seed_page  # Leaflet's CSS images inlined
    size = len(seed_page.encode())
    assert size <= 1.5 * 1024 * 1024, size


def test_cdn_variant_is_small_and_links_out(seed_trip: Trip) -> None:
    page = render_html(seed_trip, cdn=True)
    assert EXTERNAL_ASSET.search(page)
    assert len(page.encode()) < 300_000


def test_summary_panel_and_layers(seed_page: str) -> None:
    assert 'id="route-summary"' in seed_page
    assert "Claims in the text" in seed_page
    assert "+5.2 %: <b>consistent</b>" in seed_page
    assert '">no rail figure</span>' not in seed_page  # no network: no leg to flag
    assert "GeoNames (CC-BY 4.0)" in seed_page
    assert "Natural Earth" in seed_page
    assert "Outlines: Natural Earth 1:110m" in seed_page
    assert '"name": "Vietnam"' in seed_page  # the offline outlines are in the page
    assert "Other places the text mentions" in seed_page
    # No online basemap unless asked (--tiles): the page asks no tile server for anything.
    assert "OpenStreetMap (online)" not in seed_page
    assert "{z}" not in seed_page


def test_other_mentions_layer_is_off_by_default(seed_trip: Trip) -> None:
    m = build_map(seed_trip)
    groups = {c.layer_name: c for c in m._children.values() if type(c).__name__ == "FeatureGroup"}
    others = groups["Other places the text mentions"]
    assert others.show is False
    names = {child.options.get("radius") for child in others._children.values()}
    assert names == {4}
    assert len(others._children) >= 5  # North Korea, China, Vietnam, Singapore, Moscow, …


def _polylines(page: str) -> list[list[tuple[float, float]]]:
    """The points of every ``L.polyline`` in a page, as ``(lat, lon)``."""
    lines = []
    for match in re.finditer(r"L\.polyline\(\s*(\[\[.*?\]\])", page, re.S):
        points = re.findall(r"\[([-\d.e]+), ([-\d.e]+)\]", match.group(1))
        lines.append([(float(lat), float(lon)) for lat, lon in points])
    return lines


def _markers(page: str) -> list[tuple[float, float]]:
    points = re.findall(r"L\.marker\(\s*\[([-\d.e]+), ([-\d.e]+)\]", page)
    return [(float(lat), float(lon)) for lat, lon in points]


def _fit_bounds(page: str) -> list[list[float]]:
    match = re.search(r"var bounds = (\[\[.*?\]\])", page, re.S)
    assert match is not None
    bounds: list[list[float]] = json.loads(match.group(1))
    return bounds


PACIFIC = {
    "Tokyo → Honolulu → San Francisco": [
        "Tokyo@35.6895,139.6917",
        "Honolulu@21.3069,-157.8583",
        "San Francisco@37.7749,-122.4194",
    ],
    "Anchorage → Petropavlovsk-Kamchatsky": [
        "Anchorage@61.2181,-149.9003",
        "Petropavlovsk-Kamchatsky@53.0452,158.6483",
    ],
}


@pytest.mark.parametrize("stops", PACIFIC.values(), ids=PACIFIC.keys())
def test_a_journey_across_the_antimeridian_is_drawn_in_one_piece(stops: list[str]) -> None:
    page = render_html(build_trip(geocode_stops(stops)))
    lines = _polylines(page)
    assert len(lines) == len(stops)  # one line per leg and the first -> last: none is cut
    for line in lines:
        for (_, lon0), (_, lon1) in itertools.pairwise(line):
            assert abs(lon1 - lon0) < 5, "a line runs across the whole map"
    markers = _markers(page)
    assert len(markers) == len(stops)
    # Consecutive markers are less than half a world apart: side by side across the Pacific.
    for (_, lon0), (_, lon1) in itertools.pairwise(markers):
        assert abs(lon1 - lon0) < 180
    # Each leg's line runs from its marker to the next one.
    for line, start, end in zip(lines, markers, markers[1:], strict=False):
        assert line[0] == pytest.approx(start)
        assert line[-1] == pytest.approx(end)
    # The view fits the journey (not the whole world): less than 120° wide.
    (south, west), (north, east) = _fit_bounds(page)
    assert 0 < east - west < 120
    assert all(west <= lon <= east and south <= lat <= north for lat, lon in markers)
    # The middle of the view lies within [-180, 180], and the outlines are drawn there.
    assert -180 <= (west + east) / 2 <= 180


def test_a_journey_that_does_not_cross_keeps_its_longitudes(seed_trip: Trip) -> None:
    layout = _layout(seed_trip)
    assert layout.stops == tuple(p.latlon for p in seed_trip.stops)
    assert layout.shifts(margin=0) == [0.0]


def test_the_outlines_are_copied_where_the_view_crosses_the_antimeridian() -> None:
    trip = build_trip(geocode_stops(PACIFIC["Tokyo → Honolulu → San Francisco"]))
    layout = _layout(trip)
    (_, west), (_, east) = layout.bounds()
    assert west < -180 < east or west < 180 < east
    shifts = layout.shifts()
    assert 0.0 in shifts
    assert len(shifts) == 2
    page = render_html(trip)
    assert f"{json.dumps(shifts)}.forEach" in page


def test_a_round_the_world_trip_draws_the_direct_line_at_both_ends() -> None:
    stops = ["Paris@48.85,2.35", "Sydney@-33.87,151.21", "Buenos Aires@-34.6,-58.38"]
    layout = _layout(build_trip(geocode_stops(stops)))
    assert [round(lon, 2) for _, lon in layout.stops] == [2.35, 151.21, 301.62]
    assert len(layout.direct) == 2
    assert layout.direct[0][0][1] == pytest.approx(2.35)
    assert layout.direct[1][-1][1] == pytest.approx(301.62)


def test_labels_title_and_legend(seed_page: str) -> None:
    assert "<title>route: Pyongyang → Hanoi</title>" in seed_page
    # Every stop's name is a permanent label, not only its number.
    labels = re.findall(r"bindTooltip\(\s*`<div>\s*(.*?)\s*</div>`,\s*(\{.*?\})", seed_page, re.S)
    permanent = [text for text, options in labels if '"permanent": true' in options]
    assert permanent == ["Pyongyang", "Dandong", "Dong Dang", "Hanoi"]
    assert all('"className": "route-label"' in o for t, o in labels if t in permanent)
    legend = re.sub(r"<[^>]+>", " ", seed_page.split('id="route-summary-body"')[1][:3000])
    for entry in ("leg, straight line", "first → last, straight line", "rail", "road leg"):
        assert entry in legend
    assert "border-top:2px solid #2f6db5" in seed_page  # the thin per-leg line's swatch


def test_the_title_is_escaped() -> None:
    trip = build_trip([Place("A", 0, 0, query="<b>x</b></title><script>"), Place("B", 1, 1)])
    page = render_html(trip, cdn=True)
    assert "<title>route: &lt;b&gt;x&lt;/b&gt;&lt;/title&gt;&lt;script&gt; → B</title>" in page


def test_the_summary_panel_collapses(seed_page: str) -> None:
    assert re.search(r'<div id="route-summary" class="interactive" data-start="auto"', seed_page)
    assert '<button type="button" class="toggle"' in seed_page
    assert 'matchMedia("(max-width: 600px)")' in seed_page
    # On narrow screens the panel leaves the left column of controls free.
    assert re.search(r"@media \(max-width:600px\)\{\s*#route-summary\{left:66px", seed_page)
    assert "toggleDisplay: true, minimized: " in seed_page


def test_panel_start_state_can_be_chosen(seed_trip: Trip) -> None:
    page = render_html(seed_trip, cdn=True, panel="collapsed")
    assert 'data-start="collapsed"' in page


def test_print_version_has_no_controls(seed_trip: Trip) -> None:
    page = render_html(seed_trip, interactive=False)
    assert '"zoomControl": false' in page
    controls = ("L.control.fullscreen({", "_mini, {", "new L.Control.Measure({",
                "L.control.layers(")  # fmt: skip
    for control in controls:
        assert control not in page, control
    assert '<div id="route-summary" class="print" data-start="open"' in page
    assert '<button type="button" class="toggle"' not in page
    assert "L.control.scale" in page  # a printed map keeps its scale
    interactive = render_html(seed_trip)
    for control in controls:
        assert control in interactive, control


@pytest.mark.parametrize(
    ("tiles", "host"),
    [("osm", "tile.openstreetmap.org"), ("cartodb", "basemaps.cartocdn.com"), ("none", None)],
)
def test_tiles_choose_the_basemap_over_the_outlines(
    seed_trip: Trip, tiles: str, host: str | None
) -> None:
    page = render_html(seed_trip, tiles=tiles)
    assert '"name": "Vietnam"' in page  # the outlines are always there
    assert 'createPane("routeOutlines")' in page
    assert "pane.style.zIndex = 150" in page  # under the tiles (200), so tiles cover them
    hosts = set(re.findall(r"https://(?:\{s\}\.)?([\w.]+)/[^\"']*\{z\}", page))
    assert hosts == ({host} if host else set())
    if tiles == "osm":
        assert "Tiles: © OpenStreetMap contributors" in page


def test_unknown_tiles_are_refused(seed_trip: Trip) -> None:
    with pytest.raises(InputError, match="unknown basemap 'stamen'; use none, osm, cartodb"):
        build_map(seed_trip, tiles="stamen")
    assert tile_name(None) == "none"
    assert tile_name(None, cdn=True) == "osm"
    assert tile_name(True) == "osm"
    assert tile_name(False) == "none"
    assert tile_name(" OSM ") == "osm"


def test_legs_without_rail_are_marked(gazetteer: Gazetteer) -> None:
    from route.rail import RailNetwork

    from .conftest import SMALL_NETWORK

    places = geocode_stops(["A@0,0", "B@0,1", "C@20,20"], OfflineGeocoder(gazetteer))
    trip = build_trip(places, rail_network=RailNetwork.load(SMALL_NETWORK))
    page = render_html(trip)
    assert "no rail figure" in page
    assert "no railway within 30 km of C" in page


def test_save_map_is_atomic(seed_trip: Trip, tmp_path: Path) -> None:
    out = save_map(seed_trip, tmp_path / "kim.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["kim.html"]


# -- save_map with a folium map (issue 14) ----------------------------------------------

#: Text a user puts in a popup of their own: markup, a script, template-literal syntax.
POPUP = '<script>alert("popup")</script> & `${document.title}` <b>bold</b>'


@pytest.fixture(scope="module")
def typed_trip(gazetteer: Gazetteer) -> Trip:
    """The seed's journey from typed stops (no text to read)."""
    stops = "Pyongyang >train> Dandong >train> Dong Dang >car> Hanoi"
    return plan(stops=stops, geocoder=OfflineGeocoder(gazetteer), gazetteer=gazetteer)


def _customised(trip: Trip, **options: Any) -> folium.Map:
    """``trip.map()`` with a marker of the user's own (default icon, escaped popup)."""
    m = trip.map(**options)
    folium.Marker(
        [47.3769, 8.5417], popup=escape_html(POPUP), tooltip=escape_html("Zürich <HQ>")
    ).add_to(m)
    return m


def test_save_map_takes_a_customised_folium_map(typed_trip: Trip, tmp_path: Path) -> None:
    m = _customised(typed_trip)
    out = save_map(m, tmp_path / "custom.html")
    assert [p.name for p in tmp_path.iterdir()] == ["custom.html"]
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "[47.3769, 8.5417]" in page  # the user's marker
    assert len(re.findall(r"\bL\.marker\(", page)) == len(typed_trip.stops) + 1
    # Offline: nothing loaded from another host; Leaflet, jQuery and the default
    # marker's images are in the page.
    assert not EXTERNAL_ASSET.search(page)
    assert not re.search(r"<script[^>]*\bsrc=", page, re.I)
    assert "cdn.jsdelivr" not in page
    assert "jQuery" in page
    assert 'L.Icon.Default.imagePath = "";' in page
    assert re.search(r'"iconUrl": "data:image/png;base64,[A-Za-z0-9+/=]{100,}"', page)
    # The popup's text only escaped: no tag of it, no template-literal syntax.
    assert escape_html(POPUP) in page
    assert "&lt;script&gt;alert(&quot;popup&quot;)&lt;/script&gt;" in page
    assert 'alert("popup")' not in page
    assert "${document.title}" not in page
    assert "Zürich &lt;HQ&gt;" in page
    # Route's own strings and panel are kept.
    assert 'id="route-summary"' in page
    assert "Pyongyang → Dandong: 168.6 km straight line (train)" in page


def test_save_map_leaves_the_folium_map_as_it_was(typed_trip: Trip, tmp_path: Path) -> None:
    m = _customised(typed_trip, cdn=True)  # loads Leaflet and the plugins from CDNs
    links = (list(m.default_js), list(m.default_css))
    assert EXTERNAL_ASSET.search(m.get_root().render())
    header = m.get_root().header  # type: ignore[attr-defined]
    before = list(header._children.items())
    page = save_map(m, tmp_path / "cdn.html").read_text(encoding="utf-8")
    assert not EXTERNAL_ASSET.search(page)  # saved self-contained all the same
    assert "[47.3769, 8.5417]" in page
    assert "leaflet-measure" in page  # route's plugins, inlined
    assert (m.default_js, m.default_css) == links
    assert list(header._children.items()) == before
    assert "cdn.jsdelivr.net/npm/leaflet@" in m.get_root().render()


def test_save_map_takes_a_plain_folium_map(tmp_path: Path) -> None:
    m = folium.Map(location=[0, 0], zoom_start=2, tiles=None)
    folium.Marker([12.5, -7.25], popup=escape_html("Bamako <i>")).add_to(m)
    page = save_map(m, tmp_path / "plain.html").read_text(encoding="utf-8")
    assert not EXTERNAL_ASSET.search(page)
    assert "[12.5, -7.25]" in page
    assert "Bamako &lt;i&gt;" in page


def test_a_script_end_in_a_popup_cannot_end_the_maps_script(
    typed_trip: Trip, tmp_path: Path
) -> None:
    m = typed_trip.map()
    raw = '</script><script>document.title="PWNED"</script><!--'
    folium.Marker([10.0, 20.0], popup=raw).add_to(m)  # not escaped: folium takes it as HTML
    page = save_map(m, tmp_path / "raw.html").read_text(encoding="utf-8")
    assert raw not in page
    assert '<\\/script><script>document.title="PWNED"<\\/script><\\!--' in page
    script = page[page.rindex("<script>") :]  # the figure's script, the page's last element
    assert script.count("</script>") == 1
    assert not re.search(r"</script|<!--", script[: -len("</script>\n</html>\n")], re.I)


def test_template_syntax_in_labels_and_text_is_text_not_a_template() -> None:
    from route import plan
    from route.mapping import render_html

    text = (
        "The train left Pyongyang ({{ 6*7 }} days) and reached Hanoi, a distance of "
        "{{convert|2700|km|mi}} {% raw %} {# note"
    )
    trip = plan(
        text,
        stops=["Start {{ 7*7 }}@39.03,125.75", "End {% if 1 %}X{% endif %}@21.03,105.85"],
    )
    page = render_html(trip)
    summary = re.search(r"Straight line ([^<]*)", page)
    assert summary is not None
    assert (
        summary.group(1)
        == "Start &#123;&#123; 7*7 &#125;&#125; → End &#123;% if 1 %&#125;X&#123;% endif %&#125;: "
    )
    assert "Start 49" not in page
    assert page.count("&#123;&#123; 7*7 &#125;&#125;") >= 3  # summary, tooltips, popup


def test_a_customised_map_opens_offline_in_chromium(typed_trip: Trip, tmp_path: Path) -> None:
    from .test_browser import _OPEN_EVERYTHING, _browser, _run

    if _browser() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    m = typed_trip.map()
    raw = '</script><script>document.title="PWNED-raw"</script>'
    folium.Marker([10.0, 20.0], popup=raw).add_to(m)
    folium.Marker(  # the last popup opened: the one left open
        [47.3769, 8.5417], popup=escape_html(POPUP), tooltip=escape_html("Zürich <HQ>")
    ).add_to(m)
    page = save_map(m, tmp_path / "custom.html")
    page.write_text(page.read_text(encoding="utf-8") + _OPEN_EVERYTHING, encoding="utf-8")
    done = _run(tmp_path, "--virtual-time-budget=5000", "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    console = [
        line for line in done.stderr.splitlines() if ":CONSOLE" in line and "source: file:" in line
    ]
    assert console == [], console
    dom = done.stdout
    assert re.search(r'data-opened="(\d+)"', dom), "the page's scripts did not run"
    # The stops' numbered markers and the user's two, drawn with the inlined images.
    assert len(re.findall(r'class="[^"]*leaflet-marker-icon', dom)) == len(typed_trip.stops) + 2
    images = re.findall(r'<img src="([^"]*)" class="leaflet-marker-(?:icon|shadow)', dom)
    assert len(images) == 4
    assert all(src.startswith("data:image/png;base64,") for src in images)
    # The popups opened: the escaped text shown as text, the raw script never run.
    assert '&lt;script&gt;alert("popup")&lt;/script&gt; &amp; `${document.title}` &lt;b&gt;' in dom
    assert "Zürich &lt;HQ&gt;" in dom
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert title is not None
    assert title.group(1).startswith("route: Pyongyang →")


def test_save_map_refuses_what_would_not_open_offline(typed_trip: Trip, tmp_path: Path) -> None:
    from branca.element import Element

    out = tmp_path / "map.html"
    out.write_text("before", encoding="utf-8")
    icon = typed_trip.map()
    folium.Marker([1.0, 2.0], icon=folium.Icon(color="red")).add_to(icon)
    with pytest.raises(InputError, match=r"folium\.Icon needs Leaflet\.awesome-markers"):
        save_map(icon, out)
    linked = typed_trip.map()
    linked.get_root().header.add_child(  # type: ignore[attr-defined]
        Element('<script src="https://example.org/plugin.js"></script>')
    )
    with pytest.raises(InputError, match=r"loads https://example\.org/plugin\.js from another"):
        save_map(linked, out)
    with pytest.raises(InputError, match="cdn and tiles are for drawing a trip"):
        save_map(typed_trip.map(), out, tiles="osm")
    with pytest.raises(InputError, match=r"takes a Trip or a folium\.Map, not str"):
        save_map("trip", out)  # type: ignore[arg-type]
    assert out.read_text(encoding="utf-8") == "before"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_save_map_failed_write_leaves_nothing(typed_trip: Trip, tmp_path: Path) -> None:
    from route.errors import OutputError, RouteError

    m = _customised(typed_trip)
    for target in (tmp_path / "missing" / "map.html", tmp_path):
        with pytest.raises(OutputError) as caught:
            save_map(m, target)
        assert isinstance(caught.value, RouteError)
        assert isinstance(caught.value, OSError)
    assert list(tmp_path.iterdir()) == []
    read_only = tmp_path / "ro"
    read_only.mkdir()
    read_only.chmod(0o500)
    try:
        if os.access(read_only, os.W_OK):  # root may write anywhere
            return
        with pytest.raises(OutputError, match="no permission"):
            save_map(m, read_only / "map.html")
        assert list(read_only.iterdir()) == []
    finally:
        read_only.chmod(0o700)


# -- hostile strings (issue 13, item 1) --------------------------------------------------

#: Strings that try to run script from any field that reaches the page: closing the
#: script, markup with handlers, breaking out of a template literal or interpolating in
#: it (also past folium's own backtick escaping), quotes, JS line terminators.
HOSTILE = (
    '</script><script>document.title="PWNED-script"</script>',
    "<img src=y onerror=\"document.title='PWNED-img'\">",
    "`;document.title='PWNED-backtick';`",
    "${document.title='PWNED-interp'}",
    "\\`;document.title='PWNED-escaped';\\`${document.title='PWNED-escaped2'}",
    "a\"b'c</b></div><svg onload=document.title='PWNED-svg'>",
    "\u2028\u2029</SCRIPT ><!--<script>document.title='PWNED-comment'</script>",
)


def hostile_trip() -> Trip:
    """A trip whose every text field (names, labels, countries, modes, notes, excerpts,
    claims) is one of :data:`HOSTILE`, as a geocoder or a text could deliver them."""
    n = len(HOSTILE)
    places = [
        Place(
            name=HOSTILE[i % n],
            lat=lat,
            lon=lon,
            country=HOSTILE[(i + 1) % n],
            geonameid=9_000_000 + i,
            query=HOSTILE[(i + 2) % n],
            source=HOSTILE[(i + 3) % n],
        )
        for i, (lat, lon) in enumerate([(39.0, 125.7), (40.1, 124.4), (21.9, 106.7), (21.0, 105.8)])
    ]
    other = Place(name=HOSTILE[4], lat=30.0, lon=110.0, country=HOSTILE[5], geonameid=1)
    rail = RailRoute(
        km=250.0,
        path=((39.0, 125.7), (39.5, 125.0), (40.1, 124.4)),
        snap_start_km=1.0,
        snap_end_km=1.0,
        bridges=(Bridge(start=(39.5, 125.0), end=(39.6, 124.9), km=0.5),),
    )
    legs = (
        Leg(places[0], places[1], 168.6, mode=HOSTILE[0], rail=rail),
        Leg(places[1], places[2], 2619.2, mode=HOSTILE[1], rail_note=HOSTILE[2]),
        Leg(places[2], places[3], 135.7, mode="car", rail_note=HOSTILE[3]),
    )
    mentions = tuple(
        Mention(
            start=0,
            end=1,
            surface=HOSTILE[(i + 4) % n],
            kind="place",
            place=place,
            candidates=1,
            confidence=1.0,
            sentence=HOSTILE[(i + 5) % n],
        )
        for i, place in enumerate([*places, other])
    )
    claims = tuple(
        Claim(
            start=0,
            end=1,
            surface=HOSTILE[i],
            value=4500.0,
            unit="km",
            km=4500.0,
            qualifier="about",
            measure=HOSTILE[(i + 1) % n],  # type: ignore[arg-type]
            between=None,
            sentence=HOSTILE[(i + 2) % n],
            measured_km=measured,
            measured=HOSTILE[(i + 3) % n],
            difference_pct=2.0 if measured else None,
            verdict=HOSTILE[(i + 4) % n],  # type: ignore[arg-type]
        )
        for i, measured in enumerate([3881.0, None])
    )
    return Trip(
        stops=tuple(places),
        legs=legs,
        direct_km=2757.7,
        direct_rail_note=HOSTILE[5],
        rail_uncertainty=HOSTILE[6],
        mentions=mentions,
        claims=claims,
    )


def _script_tags(page: str) -> tuple[int, int]:
    return len(re.findall(r"<script\b", page, re.I)), len(re.findall(r"</script\b", page, re.I))


def test_hostile_strings_reach_the_page_only_escaped() -> None:
    plain = render_html(build_trip([Place("A", 39.0, 125.7), Place("B", 21.0, 105.8)]), cdn=True)
    page = render_html(hostile_trip(), cdn=True)
    assert _script_tags(page) == _script_tags(plain)  # no script opened or closed early
    for text in HOSTILE:
        assert text not in page
        assert escape_html(text) in page  # shown, as text
    # Each hostile string appears only escaped: remove those, and no payload is left.
    rest = page
    for text in sorted(HOSTILE, key=len, reverse=True):
        rest = rest.replace(escape_html(text), "")
    assert "PWNED" not in rest
    for fragment in ("<img src=y", "<svg", "${document", "`;document"):
        assert fragment.lower() not in page.lower()


def test_hostile_page_self_contained_variant(tmp_path: Path) -> None:
    page = save_map(hostile_trip(), tmp_path / "hostile.html").read_text(encoding="utf-8")
    plain = render_html(build_trip([Place("A", 39.0, 125.7), Place("B", 21.0, 105.8)]))
    assert _script_tags(page) == _script_tags(plain)
    assert '</script><script>document.title="PWNED' not in page


def test_escape_html_covers_every_context() -> None:
    escaped = escape_html("<a href=\"x\" title='y'>`${z}`\\ & \n\u2028\x1b")
    assert escaped == (
        "&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;&#96;&#36;&#123;z&#125;&#96;&#92; &amp; "
        "&#10;&#8232;\ufffd"
    )


def test_the_panel_shows_why(seed_page: str) -> None:
    text = re.sub(r"<[^>]+>", " ", seed_page)
    assert "Read from the text" in text
    assert "2. Dandong: via (“passed near”)" in text
    assert "Dong Dang → Hanoi: car (“car”)" in text
    assert "(straight, the whole journey; words: crow flies; start and finish)" in text


def test_a_claim_not_checked_shows_its_reason(gazetteer: Gazetteer) -> None:
    trip = plan("The train left Paris for Lyon. It is 42 km to go.", gazetteer=gazetteer)
    text = re.sub(r"<[^>]+>", " ", render_html(trip))
    assert "not checked : a distance still to go" in text


def test_a_map_is_built_without_importing_pandas_which_stays_usable() -> None:
    import subprocess
    import sys

    code = (
        "import sys, threading\n"
        "from route.mapping import build_map\n"
        "from route.models import Place\n"
        "from route.pipeline import build_trip\n"
        "a = Place(name='A', lat=0.0, lon=0.0)\n"
        "b = Place(name='B', lat=1.0, lon=1.0)\n"
        "other = []\n"  # another thread imports pandas while folium loads
        "t = threading.Thread(target=lambda: other.append(__import__('pandas').__name__))\n"
        "t.start()\n"
        "build_map(build_trip([a, b]))\n"
        "t.join()\n"
        "print(other)\n"
        "import folium, pandas\n"
        "frame = pandas.DataFrame({'lat': [0.0, 1.0], 'lon': [0.0, 1.0]})\n"
        "line = folium.PolyLine(frame)\n"  # folium still takes DataFrames
        "print(line.locations)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split("\n")[:2] == ["['pandas']", "[[0.0, 0.0], [1.0, 1.0]]"]


def test_folium_loads_without_pandas_in_a_fresh_process() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from route.mapping import _import_folium\n"
        "_import_folium()\n"
        "import folium, folium.utilities\n"
        "print('pandas' in sys.modules, folium.utilities.if_pandas_df_convert_to_numpy([1]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "False [1]"


@pytest.mark.parametrize(
    "text",
    [
        "var a = 1;\n",
        "var a = 1;\n\n",
        "a\r\nb\rc\n",
        "",
        "\n",
        "no break",
        "  {\n  x: [1, 2]}  \n",
    ],
)
def test_a_rendered_macro_goes_into_the_page_as_branca_puts_it(text: str) -> None:
    from branca.element import Element

    from route.mapping import _raw_element, _rendered

    element = _rendered(text)
    assert element.render() == Element(text).render()
    assert isinstance(element, _raw_element())


@pytest.mark.parametrize("text", ["var t = '{{ 7*7 }}';\n", "{% if x %}y{% endif %}\n"])
def test_a_rendered_macro_is_never_compiled_again(text: str) -> None:
    from route.mapping import _rendered

    # what route rendered is the page's text: markup a label carried stays as it is
    assert _rendered(text).render() == text.rstrip("\n")
