"""route: turn a news text about a journey into a verified map.

The public API is importable from here; heavy modules load on first use, so
``import route`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "plan": "pipeline",
    "build_trip": "pipeline",
    "geocode_stops": "pipeline",
    "parse_stops": "pipeline",
    "Place": "models",
    "Leg": "models",
    "Trip": "models",
    "geodesic_km": "distance",
    "great_circle_line": "distance",
    "Gazetteer": "gazetteer",
    "OfflineGeocoder": "gazetteer",
    "RailNetwork": "rail",
    "load_rail_network": "rail",
    "build_map": "mapping",
    "save_map": "mapping",
    "build_report": "report",
    "save_report": "report",
    "RouteError": "errors",
    "InputError": "errors",
    "PlaceNotFoundError": "errors",
    "OutputError": "errors",
    "GazetteerError": "errors",
    "RailNetworkError": "errors",
    "RailNetworkNotFoundError": "errors",
    "TextError": "errors",
    "NoStopsError": "errors",
    "MissingDependencyError": "errors",
    "Mention": "models",
    "Claim": "models",
    "analyse_text": "pipeline",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from .distance import geodesic_km, great_circle_line
    from .errors import (
        GazetteerError,
        InputError,
        MissingDependencyError,
        NoStopsError,
        OutputError,
        PlaceNotFoundError,
        RailNetworkError,
        RailNetworkNotFoundError,
        RouteError,
        TextError,
    )
    from .gazetteer import Gazetteer, OfflineGeocoder
    from .mapping import build_map, save_map
    from .models import Claim, Leg, Mention, Place, Trip
    from .pipeline import analyse_text, build_trip, geocode_stops, parse_stops, plan
    from .rail import RailNetwork, load_rail_network
    from .report import build_report, save_report


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'route' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
