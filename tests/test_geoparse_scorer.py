"""The geoparsing scorer of bench/geoparse.py on a tiny hand-made example."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "geoparse_bench", Path(__file__).parent.parent / "bench" / "geoparse.py"
)
assert _SPEC is not None
assert _SPEC.loader is not None
geoparse = importlib.util.module_from_spec(_SPEC)
sys.modules["geoparse_bench"] = geoparse  # dataclasses look their module up
_SPEC.loader.exec_module(geoparse)
Prediction = geoparse.Prediction

GOLD = [
    [
        {"start": 0, "end": 5, "lat": 21.0, "lon": 105.8, "geonameid": 1581130},  # Hanoi
        {"start": 10, "end": 15, "lat": 48.85, "lon": 2.35, "geonameid": None},  # Paris
        {"start": 20, "end": 26, "lat": None, "lon": None, "geonameid": None},  # no point
    ],
    [{"start": 3, "end": 9, "lat": 0.0, "lon": 0.0, "geonameid": None}],
]


def test_scores_a_small_example() -> None:
    predicted = [
        [
            Prediction(0, 5, 0.0, 0.0, 1581130),  # right id, wrong point: counts as 0 km
            Prediction(10, 15, 48.85, 4.35),  # 146 km off: within 161 km
            Prediction(20, 26, 1.0, 1.0),  # gold has no point: not resolved
            Prediction(30, 34),  # not in the gold: a false positive
        ],
        [Prediction(2, 9, 0.0, 0.0)],  # overlaps but is not exact
    ]
    s = geoparse.score(GOLD, predicted)
    assert s.precision == pytest.approx(3 / 5)
    assert s.recall == pytest.approx(3 / 4)
    assert s.f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    assert s.overlap_f1 == pytest.approx(2 * 0.8 * 1.0 / 1.8)
    assert s.resolved == 2
    assert s.acc161 == 1.0
    assert s.median_km == pytest.approx(146.4 / 2, rel=0.01)
    # AUC of errors (0, 146.4 km): trapezoid between 0 and ln(147.4)/ln(20039), over n - 1 = 1.
    assert s.auc == pytest.approx(math.log(147.4) / math.log(20039) / 2, rel=0.01)


def test_auc_edges() -> None:
    assert geoparse.auc([]) == 0.0
    assert geoparse.auc([0.0, 0.0, 0.0]) == 0.0
    assert geoparse.auc([20039.0, 20039.0]) == pytest.approx(1.0, rel=1e-4)
