"""The ``route`` command: a thin typer layer over the library.

Errors the user can fix (:class:`~route.errors.RouteError`, bad usage) are
printed as one line on stderr, with exit status 1 (2 for usage errors); the
library itself never prints or exits.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import RouteError

if TYPE_CHECKING:
    from rich.console import Console

    from .gazetteer import Gazetteer
    from .models import Trip

__all__ = ["app", "main"]


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"route: error: {message}", err=True)
    sys.exit(code)


class _RouteGroup(TyperGroup):
    """Turns every user error into one line on stderr and an exit status."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except typer.Exit as exc:
            sys.exit(exc.exit_code)
        except (typer.Abort, KeyboardInterrupt):
            _fail("interrupted", 130)
        except RouteError as exc:
            _fail(str(exc), exc.exit_code)
        except typer.TyperException as exc:  # click's usage and parameter errors
            if type(exc).__name__ == "NoArgsIsHelpError":
                typer.echo(exc.format_message(), err=True)
                sys.exit(exc.exit_code)
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            _fail(exc.format_message() + hint, exc.exit_code)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_RouteGroup,
    help="Turn a news text about a journey into a verified map.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"route {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Turn a news text about a journey into a verified map."""


def _console() -> Console:
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 160)


def _open_gazetteer() -> Gazetteer:
    from .gazetteer import Gazetteer

    def notice(event: str, seconds: float | None) -> None:
        if event == "start":
            typer.echo("building gazetteer index (first run only)… ", err=True, nl=False)
        else:
            typer.echo(f"{seconds:.1f} s", err=True)

    return Gazetteer.open(on_build=notice)


def _km(value: float) -> str:
    return f"{value:,.1f}"


def _print_trip(trip: Trip, console: Console) -> None:
    from rich.table import Table

    stops = Table(title="Stops", title_justify="left")
    for column in ("#", "Stop", "GeoNames name", "Country", "Lat", "Lon", "GeoNames id"):
        stops.add_column(column, justify="right" if column in ("#", "Lat", "Lon") else "left")
    for number, place in enumerate(trip.stops, start=1):
        stops.add_row(
            str(number),
            place.label,
            place.name,
            place.country,
            f"{place.lat:.4f}",
            f"{place.lon:.4f}",
            str(place.geonameid or "–"),
        )
    legs = Table(title="Legs", title_justify="left")
    for column in ("#", "From", "To", "Straight km", "Cumulative km"):
        legs.add_column(
            column, justify="right" if column.endswith("km") or column == "#" else "left"
        )
    for number, (leg, cumulative) in enumerate(
        zip(trip.legs, trip.cumulative_km(), strict=True), start=1
    ):
        legs.add_row(
            str(number), leg.start.label, leg.end.label, _km(leg.straight_km), _km(cumulative)
        )
    console.print(stops)
    console.print(legs)
    console.print(
        f"Whole trip, straight line {trip.stops[0].label} → {trip.stops[-1].label}: "
        f"{_km(trip.direct_km)} km (sum of legs {_km(trip.straight_km)} km)",
        highlight=False,
    )


@app.command("map")
def map_command(
    stops: Annotated[
        str,
        typer.Option(
            "--stops",
            "-s",
            help='Stops in travel order, comma-separated: "Pyongyang, Dandong, Hanoi".',
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="HTML map to write.", dir_okay=False)
    ] = Path("route.html"),
    json_path: Annotated[
        str | None,
        typer.Option("--json", metavar="FILE", help="Also write the facts as JSON ('-' = stdout)."),
    ] = None,
) -> None:
    """Geocode the stops offline, print the distances and write an HTML map."""
    from ._atomic import atomic_write_text, check_writable
    from .gazetteer import OfflineGeocoder
    from .mapping import render_html
    from .pipeline import parse_stops, plan

    # Usage and output errors before any slow work.
    names = parse_stops(stops)
    check_writable(output)
    if json_path and json_path != "-":
        check_writable(json_path)
    trip = plan(stops=names, geocoder=OfflineGeocoder(_open_gazetteer()))
    document = json.dumps(trip.to_dict(), ensure_ascii=False, indent=2) + "\n"
    page = render_html(trip)
    if json_path == "-":
        sys.stdout.write(document)
    else:
        _print_trip(trip, _console())
        if json_path:
            atomic_write_text(json_path, document)
    atomic_write_text(output, page)
    typer.echo(f"map written to {output}", err=True)


@app.command("geocode")
def geocode_command(
    names: Annotated[list[str], typer.Argument(help="Place names to look up.")],
    country: Annotated[
        str | None, typer.Option("--country", "-c", help="Only places in this ISO country code.")
    ] = None,
    candidates: Annotated[
        int,
        typer.Option(
            "--candidates", "-n", min=1, max=50, help="Show this many candidates per name."
        ),
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Look names up in the offline GeoNames gazetteer."""
    from rich.table import Table

    from .errors import PlaceNotFoundError

    gazetteer = _open_gazetteer()
    results: dict[str, list[dict[str, Any]]] = {}
    missing: list[PlaceNotFoundError] = []
    for name in names:
        found = gazetteer.lookup(name, country=country, limit=candidates)
        if not found:
            suggestions = tuple(f"{c.name} ({c.country})" for c in gazetteer.suggest(name))
            missing.append(PlaceNotFoundError(name, suggestions))
        results[name] = [c.as_raw() for c in found]
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table()
        for column in (
            "Query",
            "Name",
            "Country",
            "Lat",
            "Lon",
            "GeoNames id",
            "Feature",
            "Population",
        ):
            table.add_column(
                column, justify="right" if column in ("Lat", "Lon", "Population") else "left"
            )
        for name, found_raw in results.items():
            for raw in found_raw:
                table.add_row(
                    name,
                    raw["name"],
                    raw["country"],
                    f"{raw['lat']:.4f}",
                    f"{raw['lon']:.4f}",
                    str(raw["geonameid"]),
                    raw["feature"],
                    f"{raw['population']:,}",
                )
        if table.row_count:
            _console().print(table)
    for error in missing:
        typer.echo(f"route: error: {error}", err=True)
    if missing:
        sys.exit(1)


def main() -> None:
    """Console-script entry point."""
    app()
