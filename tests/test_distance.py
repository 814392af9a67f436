from __future__ import annotations

import itertools
import math

import pytest

from route.distance import geodesic_km, great_circle_line, line_latlon_parts

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
