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


@pytest.fixture(scope="session", autouse=True)
def route_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test run uses its own cache directory, never the user's."""
    path = tmp_path_factory.mktemp("route-cache")
    old = os.environ.get("ROUTE_CACHE_DIR")
    os.environ["ROUTE_CACHE_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("ROUTE_CACHE_DIR", None)
    else:
        os.environ["ROUTE_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def gazetteer(route_cache_dir: Path):
    """The real gazetteer index, built once per session in the hermetic cache."""
    from route.gazetteer import default_gazetteer

    return default_gazetteer()
