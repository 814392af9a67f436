"""Assets that make a map self-contained: Leaflet, jQuery and country outlines.

- Leaflet 1.9.3 (BSD-2-Clause) and jQuery 3.7.1 (MIT) come from the PyPI packages
  ``xstatic-leaflet`` and ``xstatic-jquery``, the exact versions folium 0.20 uses.
  Leaflet's CSS images are rewritten to data URIs.
- Country outlines: Natural Earth 1:110m (public domain) as published in
  johan/world.geo.json, shipped inside the ``countryinfo`` package (MIT).
"""

from __future__ import annotations

import ast
import base64
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "country_outlines",
    "jquery_js",
    "leaflet_css",
    "leaflet_js",
    "plugins_css",
    "plugins_js",
]

_VENDOR = Path(__file__).parent / "vendor"
#: Leaflet plugins (see route/vendor/README.md): (folder, JavaScript, CSS).
_PLUGINS = (
    ("leaflet.fullscreen", "Control.FullScreen.js", "Control.FullScreen.css"),
    ("leaflet-measure", "leaflet-measure.min.js", "leaflet-measure.css"),
    ("leaflet-minimap", "Control.MiniMap.min.js", "Control.MiniMap.min.css"),
)
_MIME = {".png": "image/png", ".svg": "image/svg+xml"}


def _inline_images(css: str, base: Path) -> str:
    """Rewrite ``url(relative/image.png)`` in a stylesheet to data URIs."""

    def inline(match: re.Match[str]) -> str:
        image = base / match.group(1)
        data = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:{_MIME[image.suffix]};base64,{data})"

    return re.sub(r"url\(['\"]?([\w./@-]+\.(?:png|svg))['\"]?\)", inline, css)


@cache
def plugins_js() -> str:
    """The vendored Leaflet plugins' JavaScript."""
    return "\n;\n".join(
        (_VENDOR / folder / js).read_text(encoding="utf-8") for folder, js, _ in _PLUGINS
    )


@cache
def plugins_css() -> str:
    """The vendored Leaflet plugins' CSS, images inlined."""
    return "\n".join(
        _inline_images((_VENDOR / folder / css).read_text(encoding="utf-8"), _VENDOR / folder)
        for folder, _, css in _PLUGINS
    )


def _leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as leaflet

    return Path(leaflet.BASE_DIR)


@cache
def leaflet_js() -> str:
    """Leaflet's minified JavaScript."""
    return (_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")


@cache
def leaflet_css() -> str:
    """Leaflet's CSS with its images inlined as data URIs."""
    base = _leaflet_dir()
    return _inline_images((base / "leaflet.css").read_text(encoding="utf-8"), base)


@cache
def jquery_js() -> str:
    """jQuery, which folium's popups call."""
    import xstatic.pkg.jquery as jquery

    return (Path(jquery.BASE_DIR) / "jquery.min.js").read_text(encoding="utf-8")


def _round(coords: Any, digits: int) -> Any:
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], digits), round(coords[1], digits)]
    return [_round(c, digits) for c in coords]


@cache
def country_outlines(digits: int = 2) -> dict[str, Any]:
    """Country outlines as a GeoJSON FeatureCollection (coordinates rounded).

    Built once from countryinfo's 250 files and kept as one JSON file in the cache
    directory (keyed by countryinfo's version), which loads in milliseconds.
    """
    from importlib import metadata

    from ._atomic import kept_json
    from .gazetteer import cache_dir

    version = metadata.version("countryinfo")
    path = cache_dir() / f"outlines-ci{version}-d{digits}.json"
    outlines: dict[str, Any] = kept_json(path, lambda: _build_outlines(digits), _sound_outlines)
    return outlines


def _sound_outlines(kept: Any) -> bool:
    return (
        isinstance(kept, dict)
        and kept.get("type") == "FeatureCollection"
        and bool(kept.get("features"))
    )


def _build_outlines(digits: int) -> dict[str, Any]:
    from countryinfo import CountryInfo

    features = []
    for info in CountryInfo.all().values():
        raw = info.get("geoJSON")
        if not raw:
            continue
        doc = json.loads(raw) if isinstance(raw, str) and raw.startswith('{"') else raw
        if isinstance(doc, str):
            doc = ast.literal_eval(doc)
        for feature in doc.get("features", []):
            geometry = feature.get("geometry") or {}
            if geometry.get("type") not in ("Polygon", "MultiPolygon"):
                continue
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": info.get("name", "")},
                    "geometry": {
                        "type": geometry["type"],
                        "coordinates": _round(geometry["coordinates"], digits),
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}
