"""The exceptions route raises.

Every error derives from :class:`RouteError` and also from the builtin it
resembles, so callers may catch either. Messages are one line that says what is
wrong and what to do; the CLI prints them as they are.
"""

from __future__ import annotations

__all__ = [
    "CacheError",
    "GazetteerError",
    "InputError",
    "MissingDependencyError",
    "NoStopsError",
    "OutputError",
    "PlaceNotFoundError",
    "RailNetworkError",
    "RailNetworkNotFoundError",
    "RouteError",
    "TextError",
]


class RouteError(Exception):
    """Root of every error route raises on purpose."""

    #: Exit status the CLI uses for this error.
    exit_code: int = 1


class InputError(RouteError, ValueError):
    """The caller's arguments are unusable (too few stops, an empty name ...)."""

    exit_code = 2


class PlaceNotFoundError(RouteError, LookupError):
    """No place in the gazetteer (or geocoder) matches a name.

    Parameters
    ----------
    query
        The name that was looked up.
    suggestions
        Close names that do exist, best first, as ``"Name (CC)"`` strings.
    """

    def __init__(self, query: str, suggestions: tuple[str, ...] = ()) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        message = f"no place named {query!r}"
        if self.suggestions:
            message += "; did you mean " + " or ".join(self.suggestions) + "?"
        else:
            message += "; check the spelling or give a nearby larger town"
        super().__init__(message)


class OutputError(RouteError, OSError):
    """An output file cannot be written; nothing was changed on disk."""


class CacheError(RouteError, OSError):
    """A cache file cannot be used and could not be set aside (unwritable directory ...)."""


class GazetteerError(RouteError, RuntimeError):
    """The offline gazetteer index cannot be built or read."""


class RailNetworkError(RouteError, ValueError):
    """A rail network file cannot be used (not a GIS file, no lines, no CRS ...)."""


class RailNetworkNotFoundError(RailNetworkError, FileNotFoundError):
    """No rail network is configured, or the configured file does not exist."""


class TextError(RouteError, ValueError):
    """An input text cannot be read: missing, empty, binary or undecodable."""


class NoStopsError(RouteError, ValueError):
    """A text names fewer than two stops of a journey."""


class MissingDependencyError(RouteError, ImportError):
    """An optional dependency (pandas, Chromium …) is needed for this call."""
