"""Shared fixtures: a hermetic cache directory and the built gazetteer (once per session)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

#: GeoNames coordinates of the seed article's stops (lat, lon), from the issue.
SEED_STOPS = {
    "Pyongyang": (39.0339, 125.7543, 1871859),
    "Dandong": (40.1292, 124.3947, 2037886),
    "Dong Dang": (21.9511, 106.6977, 1582998),
    "Hanoi": (21.0245, 105.8412, 1581130),
}

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = ROOT / "seeds" / "kim-train-to-hanoi.txt"


#: The shared world railway network beside the project (present on CI and dev machines).
SHARED_NETWORK = ROOT.parent / "shared" / "data" / "ne_10m_railroads.geojson.gz"
SMALL_NETWORK = ROOT / "tests" / "data" / "rail_small.geojson"


@pytest.fixture(scope="session", autouse=True)
def route_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Hermetic environment: own cache and data directories, no rail network configured."""
    path = tmp_path_factory.mktemp("route-cache")
    names = ("ROUTE_CACHE_DIR", "ROUTE_DATA_DIR", "ROUTE_RAIL_NETWORK")
    old = {name: os.environ.get(name) for name in names}
    os.environ["ROUTE_CACHE_DIR"] = str(path)
    os.environ["ROUTE_DATA_DIR"] = str(tmp_path_factory.mktemp("route-data"))
    os.environ.pop("ROUTE_RAIL_NETWORK", None)
    yield path
    for name, value in old.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def gazetteer(route_cache_dir: Path):
    """The real gazetteer index, built once per session in the hermetic cache."""
    from route.gazetteer import default_gazetteer

    return default_gazetteer()
