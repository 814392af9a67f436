from __future__ import annotations

import re
from pathlib import Path

import pytest

from route.gazetteer import Gazetteer, OfflineGeocoder
from route.mapping import build_map, render_html, save_map
from route.models import Trip
from route.pipeline import plan


@pytest.fixture(scope="module")
def seed_trip(gazetteer: Gazetteer) -> Trip:
    return plan(stops="Pyongyang, Dandong, Dong Dang, Hanoi", geocoder=OfflineGeocoder(gazetteer))


def test_html_holds_a_numbered_marker_per_stop_and_a_line_per_leg(seed_trip: Trip) -> None:
    page = render_html(seed_trip)
    assert len(re.findall(r"\bL\.marker\(", page)) == 4
    assert len(re.findall(r"\bL\.polyline\(", page)) == 3
    for number in range(1, 5):  # folium writes the DivIcon html as escaped JSON
        assert f"\\u003e{number}\\u003c/div\\u003e" in page
    assert "Pyongyang → Dandong: 168.6 km" in page
    assert "Dandong → Dong Dang: 2,619.2 km" in page
    assert "Dong Dang → Hanoi: 135.7 km" in page
    assert "1582998" in page  # the GeoNames id in a popup
    assert "Thị Trấn Đồng Đăng" in page


def test_leg_lines_follow_the_geodesic(seed_trip: Trip) -> None:
    m = build_map(seed_trip)
    lines = [child for child in m._children.values() if type(child).__name__ == "PolyLine"]
    assert len(lines) == 3
    long_leg = lines[1].locations
    assert len(long_leg) > 100  # densified about every 25 km
    assert long_leg[0] == pytest.approx([40.12917, 124.39472])
    assert long_leg[-1] == pytest.approx([21.9511, 106.69767])


def test_view_fits_the_journey(seed_trip: Trip) -> None:
    page = render_html(seed_trip)
    bounds = re.search(
        r"fitBounds\(\s*\[\[([-\d.]+), ([-\d.]+)\], \[([-\d.]+), ([-\d.]+)\]\]", page
    )
    assert bounds is not None
    south, west, north, east = map(float, bounds.groups())
    assert (south, west, north, east) == pytest.approx((21.0245, 105.84117, 40.12917, 125.75432))


def test_save_map_is_atomic(seed_trip: Trip, tmp_path: Path) -> None:
    out = save_map(seed_trip, tmp_path / "kim.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["kim.html"]
