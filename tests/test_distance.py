from __future__ import annotations

import itertools
import math

import pytest

from route.distance import (
    geodesic_km,
    great_circle_line,
    great_circle_points,
    line_latlon_parts,
    unwrap_lons,
    unwrap_path,
)

PYONGYANG = (39.03385, 125.75432)
HANOI = (21.0245, 105.84117)
TOKYO = (35.6895, 139.69171)
SAN_FRANCISCO = (37.77493, -122.41942)


def test_geodesic_pyongyang_hanoi() -> None:
    assert geodesic_km(PYONGYANG, HANOI) == pytest.approx(2757.7, abs=0.5)


def test_geodesic_is_symmetric_and_zero_on_itself() -> None:
    assert geodesic_km(HANOI, PYONGYANG) == pytest.approx(geodesic_km(PYONGYANG, HANOI), abs=1e-6)
    assert geodesic_km(HANOI, HANOI) == 0.0


def test_geodesic_is_ellipsoidal_not_spherical() -> None:
    # A meridian degree at the equator is 110.574 km on WGS84 (111.195 on a sphere).
    assert geodesic_km((0.0, 0.0), (1.0, 0.0)) == pytest.approx(110.574, abs=0.001)


@pytest.mark.parametrize("bad", [(91.0, 0.0), (0.0, 181.0), (math.nan, 0.0)])
def test_geodesic_rejects_bad_coordinates(bad: tuple[float, float]) -> None:
    with pytest.raises(ValueError, match="lat, lon"):
        geodesic_km(bad, HANOI)


def test_great_circle_line_is_densified_along_the_geodesic() -> None:
    line = great_circle_line(PYONGYANG, HANOI, step_km=25)
    assert line.geom_type == "LineString"
    (points,) = line_latlon_parts(line)
    assert points[0] == PYONGYANG
    assert points[-1] == HANOI
    steps = [geodesic_km(a, b) for a, b in itertools.pairwise(points)]
    assert max(steps) <= 25.0
    assert len(points) == math.ceil(2757.66 / 25) + 1
    # The pieces add up to the geodesic: the points lie on it.
    assert sum(steps) == pytest.approx(geodesic_km(PYONGYANG, HANOI), rel=1e-6)


def test_tokyo_san_francisco_is_split_at_the_antimeridian() -> None:
    line = great_circle_line(TOKYO, SAN_FRANCISCO)
    assert line.geom_type == "MultiLineString"
    parts = line_latlon_parts(line)
    assert len(parts) == 2
    west, east = parts
    assert west[0] == TOKYO
    assert east[-1] == SAN_FRANCISCO
    # They meet on the antimeridian at the same latitude.
    assert abs(west[-1][1]) == 180.0
    assert west[-1][1] == -east[0][1]
    assert west[-1][0] == pytest.approx(east[0][0], abs=1e-9)
    # No segment runs across the whole map.
    for part in parts:
        for (_, lon0), (_, lon1) in itertools.pairwise(part):
            assert abs(lon1 - lon0) < 5
    total = sum(geodesic_km(a, b) for part in parts for a, b in itertools.pairwise(part))
    assert total == pytest.approx(geodesic_km(TOKYO, SAN_FRANCISCO), rel=1e-4)


def test_great_circle_line_rejects_bad_step() -> None:
    with pytest.raises(ValueError, match="step_km"):
        great_circle_line(PYONGYANG, HANOI, step_km=0)


def test_unwrap_lons_takes_the_shorter_way_round() -> None:
    assert unwrap_lons([139.5, -157.5, -122.5]) == [139.5, 202.5, 237.5]
    assert unwrap_lons([-149.9, 158.65]) == [-149.9, pytest.approx(-201.35)]
    assert unwrap_lons([2.35, 151.21, -58.38]) == [2.35, 151.21, pytest.approx(301.62)]
    assert unwrap_lons([10.0, 180.0, -180.0]) == [10.0, 180.0, 180.0]
    # Longitudes that need no turn are kept exactly.
    lons = [125.75432, 124.3947, 106.6977, 105.8412]
    assert unwrap_lons(lons) == lons
    assert unwrap_lons([-170.0], start=175.0) == [190.0]
    assert unwrap_lons([]) == []


def test_unwrap_path_follows_a_line_across_the_antimeridian() -> None:
    points = great_circle_points(TOKYO, SAN_FRANCISCO)
    assert points[0] == TOKYO
    assert points[-1] == SAN_FRANCISCO
    path = unwrap_path(points)
    lons = [lon for _, lon in path]
    assert lons[0] == TOKYO[1]
    assert lons[-1] == pytest.approx(SAN_FRANCISCO[1] + 360)
    assert all(abs(b - a) < 5 for a, b in itertools.pairwise(lons))
    # Started near another copy of Tokyo, the whole path moves by a turn.
    assert unwrap_path(points, start_lon=-200)[0][1] == pytest.approx(TOKYO[1] - 360)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ((10.0, 180.0), (20.0, -180.0)),  # along the antimeridian itself
        ((10.0, 180.0), (10.0, -180.0)),  # one point, written twice
        ((10.0, -180.0), (20.0, 170.0)),
        ((10.0, 180.0), (20.0, -170.0)),
        ((61.2181, -149.9003), (53.0452, 158.6483)),  # Anchorage -> Petropavlovsk
        ((0.0, 0.0), (0.0, 0.0)),
    ],
)
def test_lines_on_or_across_the_antimeridian_never_span_the_map(
    a: tuple[float, float], b: tuple[float, float]
) -> None:
    parts = line_latlon_parts(great_circle_line(a, b))
    assert parts
    for part in parts:
        assert len(part) >= 2
        for (lat, lon0), (_, lon1) in itertools.pairwise(part):
            assert -180 <= lon0 <= 180
            assert abs(lon1 - lon0) < 5
            assert -90 <= lat <= 90
    # The pieces still add up to the geodesic.
    total = sum(geodesic_km(p, q) for part in parts for p, q in itertools.pairwise(part))
    assert total == pytest.approx(geodesic_km(a, b), abs=1e-6, rel=1e-4)
