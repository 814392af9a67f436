from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from route.gazetteer import Gazetteer, OfflineGeocoder
from route.mapping import build_map, render_html, save_map
from route.models import Trip
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
    assert "no rail figure" not in seed_page  # no network: no rail column entries to flag
    assert "GeoNames (CC-BY 4.0)" in seed_page
    assert "Natural Earth" in seed_page
    assert "Outlines: Natural Earth 1:110m" in seed_page
    assert '"name": "Vietnam"' in seed_page  # the offline outlines are in the page
    assert "Other places the text mentions" in seed_page
    assert "OpenStreetMap (online)" in seed_page


def test_other_mentions_layer_is_off_by_default(seed_trip: Trip) -> None:
    m = build_map(seed_trip)
    groups = {c.layer_name: c for c in m._children.values() if type(c).__name__ == "FeatureGroup"}
    others = groups["Other places the text mentions"]
    assert others.show is False
    names = {child.options.get("radius") for child in others._children.values()}
    assert names == {4}
    assert len(others._children) >= 5  # North Korea, China, Vietnam, Singapore, Moscow, …


def test_antimeridian_line_is_split(gazetteer: Gazetteer) -> None:
    places = geocode_stops(["Tokyo@35.6895,139.6917", "San Francisco@37.7749,-122.4194"])
    page = render_html(build_trip(places))
    for match in re.finditer(r"L\.polyline\(\s*(\[\[.*?\]\])", page, re.S):
        lons = [float(lon) for _, lon in re.findall(r"\[([-\d.]+), ([-\d.]+)\]", match.group(1))]
        for lon0, lon1 in itertools.pairwise(lons):
            assert abs(lon1 - lon0) < 10, "a line runs across the whole map"
    assert "San Francisco" in page


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
