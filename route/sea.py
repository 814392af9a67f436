"""Sea lanes: a world shipping-lane network for ship legs and sea-distance claims.

The lanes are Eurostat's *marnet* (SeaRoute), as the ``searoute`` package ships it
(``searoute/data/marnet_searoute.geojson``; the package is a dependency of route, and
route reads only that file, never imports it). Eurostat built marnet from the Oak Ridge
National Laboratory's Global Shipping Lane Network (2000) and added lanes along European
coasts from ship positions (AIS). It routes with the same graph code as the railways
(:class:`route.rail.RailNetwork`): a port snaps to the nearest lane node, and the km is
the geodesic length of the shortest path plus the two snaps.

Its accuracy, measured against five published port-to-port distances
(``bench/bench_rail.py --only sea``): +0.5 to +4.4 % across the oceans (by Suez, across
the North Pacific, Hawaii to Japan), +10 % on a short coastal passage (Brisbane to
Sydney), where the lanes keep off the coast. Ships often sail farther than the shortest
lanes, and the lanes lack some short cuts (the Kiel Canal), so
:func:`route.claims.check_claims` never calls a longer sea figure wrong, and a shorter one
only when it is shorter than the straight line.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from .errors import RailNetworkNotFoundError
from .rail import RailNetwork

__all__ = ["MAX_PORT_KM", "SEA_UNCERTAINTY", "load_sea_network", "sea_network_path"]

#: The package that ships the lanes, and the file inside it.
SEA_PACKAGE = "searoute"
SEA_LINES = ("data", "marnet_searoute.geojson")
#: A port farther than this from every lane gets no sea figure: harbours sit on the
#: coast, and the lanes keep a few tens of km off it.
MAX_PORT_KM = 100.0
#: What the lanes' accuracy means for sea km (shown to the user).
SEA_UNCERTAINTY = (
    "Eurostat marnet shipping lanes, checked against five published port-to-port "
    "distances: +0.5 to +4.4 % across the oceans, +10 % on a short coastal passage"
)


def sea_network_path() -> Path:
    """The lanes file inside the installed ``searoute`` package.

    Raises
    ------
    RailNetworkNotFoundError
        When ``searoute`` is not installed or lacks the file.
    """
    spec = importlib.util.find_spec(SEA_PACKAGE)  # finds the package without running it
    roots = list(spec.submodule_search_locations or []) if spec is not None else []
    for root in roots:
        path = Path(root).joinpath(*SEA_LINES)
        if path.is_file():
            return path
    raise RailNetworkNotFoundError(
        "the shipping-lane network comes with the searoute package, which is missing or "
        "incomplete; reinstall route (pip install searoute)"
    )


@functools.cache
def load_sea_network() -> RailNetwork:
    """The shipping-lane network, loaded once per process (its graph is cached on disk).

    Raises
    ------
    RailNetworkError
        When the lanes file is missing or unreadable.
    """
    network = RailNetwork.load(sea_network_path(), bridge_km=0.0, fallback_bridge_km=0.0)
    network.uncertainty = SEA_UNCERTAINTY
    return network
