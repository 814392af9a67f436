"""The ``route`` command: a thin typer layer over the library.

Errors the user can fix (:class:`~route.errors.RouteError`, bad usage) are
printed as one line on stderr, with exit status 1 (2 for usage errors); the
library itself never prints or exits.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from . import __version__
from .errors import InputError, RouteError

if TYPE_CHECKING:
    from rich.console import Console
    from typer._click import Command, Context, HelpFormatter, Parameter  # typer's own click

    from .gazetteer import Gazetteer
    from .models import Trip
    from .rail import RailNetwork

__all__ = ["app", "main"]


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"route: error: {message}", err=True)
    sys.exit(code)


#: One-line notes ("rail distances skipped: …") printed once a command has succeeded.
_NOTES: list[str] = []
#: Deprecated spellings this run used (``--json`` for ``--json-out``), for its messages.
_LEGACY: set[str] = set()


class _Terminated(BaseException):
    """SIGTERM arrived: unwind (removing temp files) and exit 143."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


@contextlib.contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """Turn SIGTERM into :class:`_Terminated` while a command runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


#: What the help calls a value of a type (typer would print "<str>", "<float range>").
_VALUE_WORDS = {
    "str": "TEXT", "int": "INTEGER", "float": "NUMBER", "int range": "INTEGER",
    "float range": "NUMBER", "file": "FILE", "path": "PATH", "directory": "DIR",
}  # fmt: skip
_TYPE_LABEL = re.compile(r"<([^<>]*)>")


def _value_word(match: re.Match[str]) -> str:
    label = match.group(1)
    if label.startswith("list[") and label.endswith("]"):
        label = label[5:-1]
    return _VALUE_WORDS.get(label, label.upper())


def _argument_label(param: Parameter) -> str:
    """An argument as the help shows it: ``TEXT``, ``NAME...``."""
    label = param.metavar or (param.name or "value").upper()
    return label if param.nargs == 1 or label.endswith("...") else f"{label}..."


def _format_params(command: Command, ctx: Context, formatter: HelpFormatter) -> None:
    """The Arguments and Options sections, with values named in words, not Python types."""
    args, opts = [], []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        name, text = record
        if param.param_type_name == "argument":
            args.append((_argument_label(param), text))
        else:
            opts.append((_TYPE_LABEL.sub(_value_word, name), text))
    for title, rows in (("Arguments", args), ("Options", opts)):
        if rows:
            with formatter.section(title):
                formatter.write_dl(rows)


class _RouteCommand(TyperCommand):
    """A command whose help names values in words ("TEXT", "FILE") and whose usage line
    shows its arguments as in the help (``route geocode [OPTIONS] NAME...``)."""

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        _format_params(self, ctx, formatter)

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            _quick_param(option)
        return option

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                label = _argument_label(param)
                pieces.append(label if param.required else f"[{label}]")
        return pieces


class _HelpGroup(TyperGroup):
    """A command group whose help lists each command with its whole first sentence."""

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        _format_params(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            _quick_param(option)
        return option

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


#: A value the quick coercion leaves to typer's own.
_UNSURE = object()
_DECIMAL = {int: re.compile(r"-?[0-9]+"), float: re.compile(r"-?[0-9]+(?:\.[0-9]+)?")}


class _QuickCoercion:
    """Turns a parameter's plain values into their types as typer would, without pydantic.

    typer (from 0.2x) coerces every value through a pydantic ``TypeAdapter``, and
    importing pydantic and building the adapters takes a tenth of a second of every
    run. This takes the values route's options usually get: a string, a decimal
    number within the option's range, a path; any other value (and any value typer
    would refuse, so its error messages stay its own) goes to typer's own coercion,
    built when first needed. Set on route's own parameters only (see
    :func:`_tidy_help`); typer itself is not changed.
    """

    def __init__(self) -> None:
        self._typer: Any = None

    def coerce(self, value: Any, param: Any, ctx: Context) -> Any:
        """The coerced value (the ``RuntimeParam.coerce`` interface of typer's own)."""
        if value is None and not (param.multiple or param.nargs == -1):
            return None
        quick = _quick_value(value, param, ctx)
        if quick is not _UNSURE:
            return quick
        if self._typer is None:
            from typer._coercion import build_runtime_param

            self._typer = build_runtime_param(param.type_descriptor)
        return self._typer.coerce(value, param=param, ctx=ctx)


def _quick_value(value: Any, param: Any, ctx: Context) -> Any:
    """What typer makes of ``value`` for ``param``, or :data:`_UNSURE`."""
    descriptor = param.type_descriptor
    annotation, info = descriptor.annotation, descriptor.parameter_info
    if param.multiple or param.nargs != 1 or descriptor.file_annotation is not None:
        return _UNSURE
    if info.parser is not None or info.clamp:
        return _UNSURE
    if annotation is str and isinstance(value, str):
        return value
    if annotation in (int, float):
        if type(value) is annotation:
            number = value
        elif isinstance(value, str) and _DECIMAL[annotation].fullmatch(value):
            try:
                number = annotation(value)
            except ValueError:  # more digits than Python converts: typer says why
                return _UNSURE
        else:
            return _UNSURE
        if (info.min is not None and number < info.min) or (
            info.max is not None and number > info.max
        ):
            return _UNSURE  # typer says why
        return number
    if annotation is Path and info.path_type is None and isinstance(value, str | Path):
        if value in ("", "-"):
            return _UNSURE
        from typer._click.exceptions import BadParameter
        from typer._param_types import coerce_cli_path

        try:
            return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
        except BadParameter:
            return _UNSURE  # typer says why
    return _UNSURE


@cache
def _typer_internals() -> bool:
    """Whether the installed typer has the private names :class:`_QuickCoercion` uses
    (a release that moves one leaves typer's own coercion in place)."""
    try:
        from typer._click.exceptions import BadParameter  # noqa: F401
        from typer._coercion import build_runtime_param  # noqa: F401
        from typer._param_types import coerce_cli_path  # noqa: F401
    except (ImportError, AttributeError):
        return False
    return True


def _quick_param(param: Parameter) -> None:
    """Give ``param`` :class:`_QuickCoercion` (with a typer that uses pydantic: one whose
    parameters build a ``RuntimeParam`` on first use, and has the names it uses)."""
    unset = getattr(param, "_runtime_param", 0) is None and hasattr(param, "type_descriptor")
    if unset and _typer_internals():
        param._runtime_param = _QuickCoercion()  # type: ignore[attr-defined]


def _quick_params(command: Command) -> None:
    """Give ``command``'s parameters :class:`_QuickCoercion`."""
    for param in command.params:
        _quick_param(param)


def _tidy_help(command: Command) -> None:
    """Give typer's commands and groups (any module's) route's help conventions, and
    their parameters :class:`_QuickCoercion`."""
    _quick_params(command)
    if isinstance(command, TyperGroup):
        if type(command) is TyperGroup:
            command.__class__ = _HelpGroup
        for sub in command.commands.values():
            _tidy_help(sub)
    elif type(command) is TyperCommand:
        command.__class__ = _RouteCommand


def _legacy_args(args: list[str], command: Command | None) -> list[str]:
    """``route map --json FILE``, from before ``--json`` was a switch, as ``--json-out FILE``
    (with a note): a FILE ending in ``.json`` or not there (so no text to read), or ``-``
    when the stops come from ``--stops`` or a TEXT argument (else ``--json -`` is the
    switch and a text on stdin). Errors then name the option as typed, ``--json``."""
    if not args or args[0] != "map" or command is None:
        return args
    takes_value = {
        name
        for param in command.params
        if param.param_type_name == "option" and not getattr(param, "is_flag", False)
        for name in getattr(param, "opts", [])
    }
    out = list(args)
    positional, stops, skip = 0, False, False
    for token in out[1:]:
        if token == "--":
            break
        if skip:
            skip = False
        elif token in takes_value:
            skip = True
            stops = stops or token in ("--stops", "-s")
        elif token.startswith("--stops="):
            stops = True
        elif token == "-" or not token.startswith("-"):
            positional += 1
    for i, arg in enumerate(out):
        if arg == "--":
            break
        value = out[i + 1] if arg == "--json" and i + 1 < len(out) else "-x"
        # "--json -" counted "-" as a positional: another one is the text.
        to_stdout = value == "-" and (stops or positional > 1)
        # A file that is not there is no text to read (unless named like one: a typo).
        no_text = not value.startswith("-") and not (
            os.path.exists(value) or value.lower().endswith((".txt", ".text", ".md"))
        )
        if arg.startswith("--json="):
            out[i] = "--json-out=" + arg.split("=", 1)[1]
        elif value.lower().endswith(".json") or to_stdout or no_text:
            out[i] = "--json-out"
        else:
            continue
        _LEGACY.add("--json")
        _NOTES.append(
            "route: note: 'route map --json FILE' is deprecated: write --json-out FILE "
            "(--json alone prints the JSON)"
        )
    return out


class _RouteGroup(_HelpGroup):
    """Turns every user error into one line on stderr and an exit status."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for command in self.commands.values():
            _tidy_help(command)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        _quick_params(self)  # typer adds the completion options after __init__
        _NOTES.clear()  # notes are printed after success only
        _LEGACY.clear()
        command = self.commands.get("map")
        if args:
            args = (_legacy_args(list(args[0] or ()), command), *args[1:])
        else:
            kwargs["args"] = _legacy_args(list(kwargs.get("args") or sys.argv[1:]), command)
        try:
            with _sigterm_unwinds():
                code = super().main(*args, **kwargs)
        except typer.Exit as exc:
            sys.exit(exc.exit_code)
        except (typer.Abort, KeyboardInterrupt):
            _fail("interrupted", 130)
        except _Terminated:
            _fail("terminated", 143)
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
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
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

    # No markup or emoji codes: stop labels and names are shown as they are ("[/x]").
    return Console(width=None if sys.stdout.isatty() else 160, markup=False, emoji=False)


#: Past this many rows a table prints as plain columns: rich lays out every cell (about
#: 0.07 ms each), which took 7.5 s of a 1 MB text's 21 s ``route places`` (10,442 rows).
PLAIN_TABLE_ROWS = 1000


def _print_table(
    console: Console,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: frozenset[str] = frozenset(),
) -> None:
    """Print a table: drawn by rich, or as plain columns past :data:`PLAIN_TABLE_ROWS`
    rows (``right``: the columns aligned right)."""
    # a file's name, a cue or an excerpt may carry anything: no control character reaches
    # the terminal, whichever way the table is drawn
    title = _one_line(title)
    rows = [tuple(_one_line(cell) for cell in row) for row in rows]
    if len(rows) > PLAIN_TABLE_ROWS:
        console.file.write(_plain_table(title, columns, rows, right))
        return
    from rich.table import Table

    table = Table(title=title or None, title_justify="left")
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _plain_table(
    title: str, columns: Sequence[str], rows: Sequence[Sequence[str]], right: frozenset[str]
) -> str:
    """The table as lines of columns two spaces apart (its cells already on one line,
    see :func:`_print_table`); widths are the terminal's cells (a CJK character takes
    two)."""
    from rich.cells import cell_len

    cells = [tuple(columns), *(tuple(row) for row in rows)]
    lengths = [tuple(cell_len(cell) for cell in row) for row in cells]
    widths = [max(row[i] for row in lengths) for i in range(len(columns))]
    cells.insert(1, tuple("-" * width for width in widths))
    lengths.insert(1, tuple(widths))

    def line(row: tuple[str, ...], sizes: tuple[int, ...]) -> str:
        parts = (
            " " * (width - size) + cell if column in right else cell + " " * (width - size)
            for cell, size, width, column in zip(row, sizes, widths, columns, strict=True)
        )
        return "  ".join(parts).rstrip()

    lines = [line(r, n) for r, n in zip(cells, lengths, strict=True)]
    return "".join(f"{text}\n" for text in ([title] if title else []) + lines)


def _one_line(cell: str) -> str:
    return _CONTROL.sub("\ufffd", _LINE_BREAKS.sub(" ", cell))


_LINE_BREAKS = re.compile(r"[\t\n\r]+")


class _BuildNotice:
    """One stderr line around a slow build: "building … 3.1 s", or "rebuilding …" when a
    damaged file is replaced (events ``start``/``rebuild``, then ``done``/``failed``).

    If the build fails, the line is ended before the error is printed.
    """

    def __init__(self, message: str, rebuild: str) -> None:
        self.message = message
        self.rebuild = rebuild
        self.open = False

    def __call__(self, event: str, seconds: float | None) -> None:
        if event in ("start", "rebuild"):
            text = self.message if event == "start" else self.rebuild
            typer.echo(f"{text} ", err=True, nl=False)
            self.open = True
        elif self.open:
            typer.echo("failed" if seconds is None else f"{seconds:.1f} s", err=True)
            self.open = False

    def __enter__(self) -> _BuildNotice:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.open:
            typer.echo("failed", err=True)


def _open_gazetteer() -> Gazetteer:
    from .gazetteer import Gazetteer

    with _BuildNotice(
        "preparing the gazetteer index (first run only)…", "rebuilding the damaged gazetteer index…"
    ) as notice:
        return Gazetteer.open(on_build=notice)


def _km(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"×{value:.2f}"


# Options shared by the commands that measure rail distances.
RailNetworkOption = Annotated[
    Path | None,
    typer.Option(
        "--rail-network",
        metavar="FILE",
        help="Railway network (GeoJSON[.gz], GeoPackage, Shapefile[.zip], .osm.pbf). "
        "Default: $ROUTE_RAIL_NETWORK, then the user data directory, then the world "
        "network shipped with route (Natural Earth 10m).",
    ),
]
MaxSnapOption = Annotated[
    float,
    typer.Option("--max-snap", metavar="KM", min=0.001, help="Max stop-to-railway distance."),
]
BridgeGapsOption = Annotated[
    float,
    typer.Option(
        "--bridge-gaps",
        metavar="KM",
        min=0.0,
        help=(
            "Join dangling line ends closer than KM across gaps in the data (default 0: only"
            " for a leg with no connection, up to 1 km)."
        ),
    ),
]
NoRailOption = Annotated[bool, typer.Option("--no-rail", help="Skip rail distances.")]
GeocoderOption = Annotated[
    str,
    typer.Option(
        "--geocoder",
        metavar="NAME[,NAME]",
        help="offline (default), or any geopy service (nominatim, photon, arcgis …); "
        "a comma list is a fallback chain: nominatim,offline.",
    ),
]
UserAgentOption = Annotated[
    str | None,
    typer.Option("--user-agent", help="Your app and contact, required by Nominatim "
                 "(default $ROUTE_USER_AGENT)."),
]  # fmt: skip
GeocoderUrlOption = Annotated[
    str | None,
    typer.Option("--geocoder-url", metavar="URL",
                 help="A self-hosted Nominatim/Photon/Pelias server "
                 "(default $ROUTE_GEOCODER_URL)."),
]  # fmt: skip
TimeoutOption = Annotated[
    float, typer.Option("--timeout", min=0.1, help="Seconds per online geocoder request.")
]
RetriesOption = Annotated[
    int, typer.Option("--retries", min=0, max=10, help="Retries after 429/5xx/time-outs.")
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Bypass the online geocoder answer cache.")
]
NerOption = Annotated[
    str | None,
    typer.Option(
        "--ner",
        metavar="MODEL",
        help="Also take the place entities of this installed spaCy model (optional).",
    ),
]


# Options shared by the commands that plan a trip (map, report): how its stops are read.
StopsOption = Annotated[
    str | None,
    typer.Option(
        "--stops",
        "-s",
        metavar="STOPS",
        help='Stops in travel order: "Pyongyang, Dandong, Hanoi". A stop may be '
        'qualified, "Perth (GB)", "Springfield (Missouri)", "#2640358", or a position, '
        '"Sinuiju@40.10,124.40"; legs may name their mode, "Tokyo >plane> Honolulu"; '
        'with ; or → between stops a comma qualifies: "Victoria, British Columbia; '
        "Vancouver\". Overrides the text's stops.",
    ),
]
ModesOption = Annotated[
    str | None,
    typer.Option(
        "--modes",
        metavar="MODE,...",
        help="Each leg's mode: train, car, plane, ship, foot, bicycle (empty: as the "
        "text says, else unknown); plane, car and ship legs are not routed on rails.",
    ),
]
CountryOption = Annotated[
    str | None,
    typer.Option(
        "--country",
        "-c",
        metavar="CC",
        help="Prefer places in this country (ISO code) for the typed stops.",
    ),
]
NearOption = Annotated[
    str | None,
    typer.Option(
        "--near",
        metavar="PLACE|LAT,LON",
        help="Prefer places near this one for the typed stops.",
    ),
]
JsonOutOption = Annotated[
    str | None,
    typer.Option("--json-out", metavar="FILE", help="Also write the facts as JSON ('-' = stdout)."),
]


TilesOption = Annotated[
    str | None,
    typer.Option(
        "--tiles",
        metavar="NAME",
        help="Basemap over the offline country outlines: none (the default: outlines only), "
        "osm (OpenStreetMap) or cartodb (CartoDB Positron); online tiles need internet.",
    ),
]


def _tiles(name: str | None, *, cdn: bool = False) -> str:
    """The basemap ``--tiles`` names (checked before any slow work)."""
    from .mapping import tile_name

    return tile_name(_check_text(name, "--tiles") if name is not None else None, cdn=cdn)


def _ner_model(model: str | None) -> Any:
    """The loaded spaCy pipeline for --ner, or None."""
    if model is None:
        return None
    from .ner import load_model

    return load_model(model)


def _geocoder(
    spec: str,
    gazetteer: Gazetteer,
    *,
    user_agent: str | None,
    url: str | None,
    timeout: float,
    retries: int,
    no_cache: bool,
) -> Any:
    """The geocoder for ``--geocoder`` (the offline gazetteer unless told otherwise)."""
    from .gazetteer import OfflineGeocoder
    from .geocode import make_geocoder

    offline = OfflineGeocoder(gazetteer)
    if spec.strip().lower() == "offline":
        return offline
    geocoder = make_geocoder(
        spec,
        user_agent=user_agent,
        url=url,
        timeout=timeout,
        retries=retries,
        use_cache=not no_cache,
        offline=offline,
        on_recover=lambda message: _NOTES.append(f"route: note: {message}"),
    )
    return geocoder


@contextlib.contextmanager
def _geocoding_progress(geocoder: Any, total: int | None) -> Iterator[None]:
    """A progress bar on stderr (a terminal) while an online geocoder works."""
    from .gazetteer import OfflineGeocoder

    if isinstance(geocoder, OfflineGeocoder) or not sys.stderr.isatty():
        yield
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from .geocode import progress_geocoder

    with Progress(
        TextColumn("geocoding online"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}", markup=False),
        console=_err_console(),
        transient=True,
    ) as progress:
        task = progress.add_task("", total=total)

        def report(query: str) -> None:
            progress.update(task, advance=1, description=query)

        progress_geocoder(geocoder, report)
        yield


def _note_fallbacks(geocoder: Any) -> None:
    for query, reasons in getattr(geocoder, "failures", {}).items():
        _NOTES.append(f"route: note: {query!r}: " + "; ".join(reasons))


def _load_network(path: Path | None, bridge_km: float, *, required: bool) -> RailNetwork | None:
    """Load the rail network (by default the one shipped with route).

    If none is found (the shipped one missing from a broken install), note how to add
    one, or fail if ``required``.

    The note is printed by :func:`_flush_notes` once the command has done its job, so
    that an error, if any, stays the only line on stderr.
    """
    from .errors import RailNetworkNotFoundError
    from .rail import RailNetwork, resolve_network_path

    try:
        resolve_network_path(path)
    except RailNetworkNotFoundError as exc:
        configured = path is not None or bool(os.environ.get("ROUTE_RAIL_NETWORK"))
        if required or configured:
            raise
        _NOTES.append(f"route: note: rail distances skipped: {exc}")
        return None

    with _BuildNotice(
        "building rail graph (first run for this network)…",
        "rebuilding the damaged rail graph cache…",
    ) as notice:
        return RailNetwork.load(path, bridge_km=bridge_km, on_build=notice)


def _flush_notes() -> None:
    for note in _NOTES:
        typer.echo(note, err=True)
    _NOTES.clear()


def _print_trip(trip: Trip, console: Console) -> None:
    stops = [
        (
            str(number),
            place.label,
            place.name,
            place.country,
            f"{place.lat:.4f}",
            f"{place.lon:.4f}",
            str(place.geonameid or "–"),
        )
        for number, place in enumerate(trip.stops, start=1)
    ]
    has_rail = any(leg.rail is not None or leg.rail_note for leg in trip.legs)
    columns = ["#", "From", "To", "Straight km", "Cumulative km"]
    if has_rail:
        columns += ["Rail km", "Detour"]
    legs: list[tuple[str, ...]] = []
    notes = []
    for number, (leg, cumulative) in enumerate(
        zip(trip.legs, trip.cumulative_km(), strict=True), start=1
    ):
        row = [str(number), leg.start.label, leg.end.label, _km(leg.straight_km), _km(cumulative)]
        if has_rail:
            row += [_km(leg.rail_km), _ratio(leg.detour)]
        legs.append(tuple(row))
        if leg.rail_note:
            notes.append(f"leg {number}: {leg.rail_note}")
        if leg.rail is not None:
            snaps = (leg.rail.snap_start_km, leg.rail.snap_end_km)
            if max(snaps) > 5:
                notes.append(
                    f"leg {number}: stops lie {snaps[0]:.1f} km and {snaps[1]:.1f} km from the "
                    "railway (not included in rail km)"
                )
            for bridge in leg.rail.bridges:
                notes.append(
                    f"leg {number}: bridged a {bridge.km * 1000:,.0f} m gap in the rail data at "
                    f"{bridge.start[0]:.4f}, {bridge.start[1]:.4f}"
                )
    if has_rail:
        legs.append(("", "Total", "", _km(trip.straight_km), "", _km(trip.rail_km), ""))
    stop_columns = ("#", "Stop", "GeoNames name", "Country", "Lat", "Lon", "GeoNames id")
    _print_table(console, "Stops", stop_columns, stops, frozenset({"#", "Lat", "Lon"}))
    _print_table(console, "Legs", tuple(columns), legs, frozenset(columns) - {"From", "To"})
    if notes:  # one call: rich takes a few ms a call, and a corpus's trip has hundreds
        console.print("\n".join(notes), highlight=False)
    first, last = trip.stops[0].label, trip.stops[-1].label
    line = (
        f"Whole trip, straight line {first} → {last}: {_km(trip.direct_km)} km "
        f"(sum of legs {_km(trip.straight_km)} km)"
    )
    console.print(line, highlight=False)
    if trip.direct_rail is not None:
        ratio = trip.direct_rail.km / trip.direct_km if trip.direct_km else None
        console.print(
            f"First to last stop by rail: {_km(trip.direct_rail.km)} km ({_ratio(ratio)} the "
            "straight line)",
            highlight=False,
        )
    elif trip.direct_rail_note and trip.direct_rail_note != "no rail network":
        console.print(f"First to last stop by rail: {trip.direct_rail_note}", highlight=False)
    if trip.rail_uncertainty:
        console.print(f"Rail data: {trip.rail_uncertainty}", highlight=False)


#: Control characters, line and paragraph separators, and the bidirectional controls
#: that reorder what a terminal shows (U+202A–U+202E, U+2066–U+2069).
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _check_text(value: str, option: str) -> str:
    """``value`` of a text option, refused if it holds undecodable bytes or control codes.

    Raises
    ------
    InputError
        Bytes that are not UTF-8 (lone surrogates in ``sys.argv``) or a control
        character other than tab and line breaks.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raw = value[exc.start].encode("utf-8", "surrogateescape")
        raise InputError(
            f"{option} holds bytes that are not UTF-8 (0x{raw.hex()}); pass UTF-8 text"
        ) from None
    control = _CONTROL.search(value)
    if control is not None:
        raise InputError(
            f"{option} holds a control character (U+{ord(control.group()):04X}); remove it"
        )
    return value


def _user_agent(value: str | None, spec: str) -> str | None:
    """``--user-agent`` (or ``$ROUTE_USER_AGENT``), refused if blank or not one line.

    A blank ``$ROUTE_USER_AGENT`` is ignored while geocoding offline.

    Raises
    ------
    InputError
        A blank user agent, or one holding control characters.
    """
    source = "--user-agent"
    if value is None:
        source, value = "$ROUTE_USER_AGENT", os.environ.get("ROUTE_USER_AGENT")
        if value is None or (not value.strip() and spec.strip().lower() == "offline"):
            return None
    _check_text(value, source)
    if not value.strip() or any(char in value for char in "\t\r\n"):
        raise InputError(
            f"{source} must be one non-blank line naming your app and a contact, "
            "e.g. 'yourapp (you@example.org)'"
        )
    return value.strip()


#: What each output of ``route map`` holds: option, description, fitting extensions.
_OUTPUT_KINDS = {
    "-o": ("an HTML map", (".html", ".htm")),
    "--json": ("JSON", (".json",)),
    "--json-out": ("JSON", (".json",)),
    "--png": ("a PNG image", (".png",)),
    "--export": ("GIS data", (".geojson", ".gpx", ".kml", ".gpkg", ".csv", ".json")),
}


def _export_target(
    export: str | None, fmt: str | None, output: str
) -> tuple[str | None, str | None]:
    """The file (or ``-``) and format of ``--export``/``--format``, or ``(None, None)``.

    Raises
    ------
    InputError
        An unknown format, a file name whose extension names none (or another one),
        or ``--format`` alone with the map on standard output.
    """
    from .export import FORMATS, format_for

    names = ", ".join(FORMATS)
    if fmt is not None:
        fmt = fmt.strip().lower()
        if fmt not in FORMATS:
            raise InputError(f"--format: unknown format {fmt!r}; use one of {names}")
    if export is None:
        if fmt is None:
            return None, None
        if output == "-":
            raise InputError("--format with '-o -': name the export's file with --export FILE")
        return str(Path(output).with_suffix(FORMATS[fmt][0][0])), fmt
    named = format_for(export)
    if fmt is not None and named not in (None, fmt):
        raise InputError(f"--export {export} names {named}, but --format says {fmt}")
    kind = fmt or named
    if kind is None:
        raise InputError(
            f"--export {export}: say which format with --format ({names}) or a file name "
            "ending in .geojson, .gpx, .kml, .gpkg or .csv"
        )
    return export, kind


#: Extensions that name some other kind of content (checked against _OUTPUT_KINDS).
_KNOWN_EXTENSIONS = frozenset(
    {".html", ".htm", ".xhtml", ".json", ".geojson", ".jsonl", ".png", ".jpg", ".jpeg",
     ".gif", ".webp", ".svg", ".pdf", ".txt", ".md", ".csv", ".tsv", ".xml", ".gz", ".zip",
     ".gpkg", ".shp", ".pbf", ".py", ".sqlite", ".gpx", ".kml"}
)  # fmt: skip


def _same_file(a: str, b: str) -> bool:
    """Whether two paths name one file (also through links)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _check_outputs(
    outputs: dict[str, str | None],
    inputs: dict[str, str | None],
    kinds: dict[str, tuple[str, tuple[str, ...]]] | None = None,
) -> None:
    """Refuse outputs that collide with each other or an input, or whose name misleads.

    ``-`` is standard output; at most one output may go there. ``kinds`` says what
    each option writes (default: ``route map``'s outputs).

    Raises
    ------
    InputError
        Two outputs name one file (or both ``-``), an output names an input
        file, or an output's extension names another kind of content.
    """
    given = {option: path for option, path in outputs.items() if path is not None}
    to_stdout = [option for option, path in given.items() if path == "-"]
    if len(to_stdout) > 1:
        raise InputError(
            f"{' and '.join(to_stdout)} both write to standard output ('-'); "
            "send all but one to files"
        )
    files = [(option, path) for option, path in given.items() if path != "-"]
    for option, path in files:
        for source, source_path in inputs.items():
            if source_path is not None and source_path != "-" and _same_file(path, source_path):
                raise InputError(
                    f"{option} {path} is the {source} file; writing there would replace it, "
                    "give another name"
                )
    for i, (option, path) in enumerate(files):
        for other, other_path in files[i + 1 :]:
            if _same_file(path, other_path):
                raise InputError(
                    f"{option} and {other} both name {path}; give each output its own file"
                )
    for option, path in files:
        what, extensions = (kinds or _OUTPUT_KINDS)[option]
        suffix = Path(path).suffix.lower()
        if suffix in _KNOWN_EXTENSIONS and suffix not in extensions:
            raise InputError(
                f"{option} writes {what}, but {path} ends in {suffix}; "
                f"give a name ending in {extensions[0]}"
            )


def _write_stdout(data: str | bytes) -> None:
    """Write an output to stdout, in pieces, so that a reader that went away is noticed."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    sys.stdout.flush()
    for start in range(0, len(raw), 1 << 16):
        sys.stdout.buffer.write(raw[start : start + (1 << 16)])
        sys.stdout.buffer.flush()


def _read_input(path: str) -> str:
    """A text from a file or ``-`` (stdin); warnings on stderr."""
    from .pipeline import decode_text, read_text

    if path == "-":
        text, warning = decode_text(sys.stdin.buffer.read(), "standard input")
    else:
        text, warning = read_text(path)
    if warning:
        typer.echo(f"route: warning: {warning}", err=True)
    return text


@dataclass(frozen=True, slots=True)
class _TripOptions:
    """The options ``route map`` and ``route report`` plan their trip with.

    :func:`_check_trip_options` checks them before any slow work; :func:`_plan_trip`
    plans the trip from them.
    """

    text_file: str | None
    stops: str | None
    modes: str | None
    country: str | None
    near: str | None
    geocoder: str
    user_agent: str | None
    geocoder_url: str | None
    timeout: float
    retries: int
    no_cache: bool
    rail_network: Path | None
    max_snap: float
    bridge_gaps: float
    no_rail: bool
    ner: str | None
    #: The typed stops (``--stops``), once checked.
    names: tuple[str, ...] = ()

    @property
    def inputs(self) -> dict[str, str | None]:
        """The input files, for :func:`_check_outputs`."""
        network = str(self.rail_network) if self.rail_network else None
        return {"input text": self.text_file, "--rail-network": network}


def _check_trip_options(options: _TripOptions) -> _TripOptions:
    """``options`` checked, with the typed stops split and the user agent settled.

    Raises
    ------
    InputError
        Neither a text nor ``--stops``; a bad stop list, mode, country code or
        ``--near``; a blank user agent.
    """
    from .pipeline import read_stops
    from .stops import parse_modes

    if options.text_file is None and options.stops is None:
        raise InputError('give a text file, or stops with --stops "A, B"')
    names = (
        read_stops(_check_text(options.stops, "--stops")).names if options.stops is not None else ()
    )
    if options.modes is not None:
        parse_modes(_check_text(options.modes, "--modes"))  # an unknown mode: a usage error
    country = options.country
    if country is not None and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise InputError(f"--country takes a two-letter ISO code (GB, US), got {country!r}")
    if options.near is not None:
        _check_text(options.near, "--near")
    return replace(
        options, names=tuple(names), user_agent=_user_agent(options.user_agent, options.geocoder)
    )


class _LazyTemplate:
    """Stands for a Jinja template compiled when first used (see :func:`_import_folium`)."""

    __slots__ = ("_make", "_template")

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make: Callable[[], Any] | None = make
        self._template: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._template is None:
            assert self._make is not None
            self._template, self._make = self._make(), None
        return getattr(self._template, name)


def _import_folium() -> None:
    """Import folium for a command that draws a map, compiling its templates on first use.

    folium and branca compile the Jinja template of each of their ~45 element classes as
    they are imported (0.14 s); a map uses a third of them. While folium is imported here,
    ``jinja2.Template(...)`` gives a :class:`_LazyTemplate` that compiles on first use;
    afterwards ``jinja2.Template`` is as it was. This is for the ``route`` process only
    (its commands import folium once, with no other thread making templates meanwhile):
    the library (:mod:`route.mapping`) imports folium as it is, and nothing changes if
    folium is already imported (a notebook, the tests).
    """
    if "folium" in sys.modules:
        return
    import jinja2

    from .mapping import _import_folium as import_folium

    original = jinja2.Template.__dict__["__new__"]
    make = original.__func__ if isinstance(original, staticmethod) else original

    def lazy(cls: type[Any], *args: Any, **kwargs: Any) -> _LazyTemplate:
        return _LazyTemplate(lambda: make(cls, *args, **kwargs))

    jinja2.Template.__new__ = staticmethod(lazy)  # type: ignore[method-assign]
    try:
        import_folium()
        import folium  # noqa: F401
    finally:
        jinja2.Template.__new__ = original  # type: ignore[method-assign]


def _plan_trip(options: _TripOptions, text: str | None) -> Trip:
    """The trip of ``text`` and the stops of ``options`` (the slow work).

    Loads the ``--ner`` model, the gazetteer, the geocoder and the rail network,
    then :func:`route.plan`; the geocoder's fallbacks and the trip's notes are
    kept for :func:`_flush_notes`.
    """
    from .pipeline import plan

    nlp = _ner_model(options.ner) if text is not None else None
    gazetteer = _open_gazetteer()
    geocoder = _geocoder(
        options.geocoder,
        gazetteer,
        user_agent=options.user_agent,
        url=options.geocoder_url,
        timeout=options.timeout,
        retries=options.retries,
        no_cache=options.no_cache,
    )
    network = (
        None
        if options.no_rail
        else _load_network(options.rail_network, options.bridge_gaps, required=False)
    )
    reading = (
        _slow_work(f"reading {options.text_file} ({len(text) / 1e6:,.1f} M characters)")
        if text is not None
        else contextlib.nullcontext()
    )
    with _geocoding_progress(geocoder, len(options.names) or None), reading:
        trip = plan(
            text,
            stops=options.stops,
            modes=options.modes,
            geocoder=geocoder,
            rail_network=network,
            max_snap_km=options.max_snap,
            gazetteer=gazetteer,
            ner=nlp,
            country=options.country,
            near=options.near,
        )
    _note_fallbacks(geocoder)
    _NOTES.extend(f"route: note: {note}" for note in trip.notes)
    return trip


def _check_writable(outputs: dict[str, str | None]) -> None:
    """Fail now, before any slow work, if an output file cannot be written."""
    from ._atomic import check_writable

    for path in outputs.values():
        if path is not None and path != "-":
            check_writable(path)


def _write_outputs(outputs: dict[str, str | None], contents: dict[str, str | bytes]) -> None:
    """Write every output file, all or none, then the one output on stdout, if any."""
    from ._atomic import atomic_write_many

    atomic_write_many(
        [(path, contents[option]) for option, path in outputs.items() if path not in (None, "-")]
    )
    for option, path in outputs.items():
        if path == "-":
            _write_stdout(contents[option])


@app.command("map")
def map_command(
    text_file: Annotated[
        str | None,
        typer.Argument(
            metavar="TEXT",
            help="A news text (file or '-'): stops, modes and claims come from it.",
        ),
    ] = None,
    stops: StopsOption = None,
    modes: ModesOption = None,
    country: CountryOption = None,
    near: NearOption = None,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="HTML map to write ('-' = stdout).", dir_okay=False),
    ] = Path("route.html"),
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the facts as JSON instead of the tables.")
    ] = False,
    json_path: JsonOutOption = None,
    export: Annotated[
        str | None,
        typer.Option(
            "--export",
            metavar="FILE",
            help="Also write the trip as GIS data; the extension picks the format "
            "(.geojson, .gpx, .kml, .gpkg, .csv) unless --format does ('-' = stdout).",
        ),
    ] = None,
    export_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="geojson, gpx, kml, gpkg or csv: the format of --export, or, without "
            "it, a file beside the map (kim.html → kim.gpx).",
        ),
    ] = None,
    rail_network: RailNetworkOption = None,
    max_snap: MaxSnapOption = 30.0,
    bridge_gaps: BridgeGapsOption = 0.0,
    no_rail: NoRailOption = False,
    cdn: Annotated[
        bool,
        typer.Option("--cdn", help="Small HTML that loads Leaflet from CDNs (needs internet)."),
    ] = False,
    tiles: TilesOption = None,
    png: Annotated[
        Path | None,
        typer.Option(
            "--png",
            metavar="FILE",
            help="Also render the map to PNG (needs Chromium; '-' = stdout).",
        ),
    ] = None,
    geocoder_spec: GeocoderOption = "offline",
    user_agent: UserAgentOption = None,
    geocoder_url: GeocoderUrlOption = None,
    timeout: TimeoutOption = 10.0,
    retries: RetriesOption = 2,
    no_cache: NoCacheOption = False,
    ner: NerOption = None,
) -> None:
    """Read a text (or take --stops), measure straight and rail km, check claims, write a map."""
    from .mapping import render_html

    # Usage, input and output errors before any slow work.
    options = _check_trip_options(
        _TripOptions(
            text_file=text_file, stops=stops, modes=modes, country=country, near=near,
            geocoder=geocoder_spec, user_agent=user_agent, geocoder_url=geocoder_url,
            timeout=timeout, retries=retries, no_cache=no_cache, rail_network=rail_network,
            max_snap=max_snap, bridge_gaps=bridge_gaps, no_rail=no_rail, ner=ner,
        )
    )  # fmt: skip
    export_path, export_kind = _export_target(export, export_format, str(output))
    basemap = _tiles(tiles, cdn=cdn)
    json_out = "--json" if "--json" in _LEGACY else "--json-out"  # as the user typed it
    if as_json and json_out == "--json":
        raise InputError("--json is a switch now: write the file with --json-out FILE")
    outputs = {
        "-o": str(output),
        "--json": "-" if as_json else None,
        json_out: json_path or None,
        "--png": str(png) if png is not None else None,
        "--export": export_path,
    }
    _check_outputs(outputs, options.inputs)
    text = _read_input(text_file) if text_file is not None else None
    _check_writable(outputs)
    if png is not None:
        from .mapping import find_browser

        find_browser()  # no browser: say so before any work
    trip = _plan_trip(options, text)
    _import_folium()
    # Every output is made before any is written; then all are written or none.
    page = render_html(trip, cdn=cdn, tiles=basemap)
    contents: dict[str, str | bytes] = {
        "-o": page,
        "--json": trip.to_json() + "\n",
        json_out: trip.to_json() + "\n",
    }
    if export_kind is not None:
        from .export import export_bytes

        contents["--export"] = export_bytes(trip, export_kind)
    if png is not None:
        from .mapping import render_png

        contents["--png"] = render_png(trip)
    if "-" not in outputs.values():
        console = _console()
        _print_trip(trip, console)
        _print_claims(trip, console)
    _write_outputs(outputs, contents)
    where = "standard output" if outputs["-o"] == "-" else outputs["-o"]
    typer.echo(f"map written to {where} ({len(page.encode()) / 1024:,.0f} KiB)", err=True)
    if png is not None:
        where = "standard output" if outputs["--png"] == "-" else outputs["--png"]
        typer.echo(f"image written to {where}", err=True)
    if export_kind is not None:
        where = "standard output" if export_path == "-" else export_path
        typer.echo(f"{export_kind} written to {where}", err=True)
    _flush_notes()


def _print_claims(trip: Trip, console: Console) -> None:
    if not trip.claims:
        return
    rows = []
    for claim in trip.claims:
        measured = f"{claim.measured_km:,.0f} km ({claim.measured})" if claim.measured_km else "–"
        diff = f"{claim.difference_pct:+.1f} %" if claim.difference_pct is not None else "–"
        verdict = claim.verdict + (f": {claim.reason}" if claim.reason else "")
        rows.append((claim.surface, claim.measure, measured, diff, verdict))
    columns = ("Text says", "Measures", "Route measured", "Difference", "Verdict")
    _print_table(console, "Distance claims in the text", columns, rows, frozenset({"Difference"}))


#: What ``route report`` writes: option, description, fitting extensions.
_REPORT_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "-o": ("an HTML page", (".html", ".htm")),
    "--json-out": ("JSON", (".json",)),
}


@app.command("report")
def report_command(
    text_file: Annotated[
        str | None,
        typer.Argument(
            metavar="TEXT",
            help="A news text (file or '-'): stops, modes, mentions and claims come from it.",
        ),
    ] = None,
    stops: StopsOption = None,
    modes: ModesOption = None,
    country: CountryOption = None,
    near: NearOption = None,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="HTML page to write ('-' = stdout).", dir_okay=False),
    ] = Path("report.html"),
    json_path: JsonOutOption = None,
    rail_network: RailNetworkOption = None,
    max_snap: MaxSnapOption = 30.0,
    bridge_gaps: BridgeGapsOption = 0.0,
    no_rail: NoRailOption = False,
    tiles: TilesOption = None,
    geocoder_spec: GeocoderOption = "offline",
    user_agent: UserAgentOption = None,
    geocoder_url: GeocoderUrlOption = None,
    timeout: TimeoutOption = 10.0,
    retries: RetriesOption = 2,
    no_cache: NoCacheOption = False,
    ner: NerOption = None,
) -> None:
    """Write the fact-check page: the text marked up, the journey, each claim's check, the map.

    Without TEXT, the page shows the journey of --stops and its map.
    """
    from .report import build_report

    # Usage, input and output errors before any slow work.
    options = _check_trip_options(
        _TripOptions(
            text_file=text_file, stops=stops, modes=modes, country=country, near=near,
            geocoder=geocoder_spec, user_agent=user_agent, geocoder_url=geocoder_url,
            timeout=timeout, retries=retries, no_cache=no_cache, rail_network=rail_network,
            max_snap=max_snap, bridge_gaps=bridge_gaps, no_rail=no_rail, ner=ner,
        )
    )  # fmt: skip
    basemap = _tiles(tiles)
    outputs = {"-o": str(output), "--json-out": json_path or None}
    _check_outputs(outputs, options.inputs, _REPORT_KINDS)
    text = _read_input(text_file) if text_file is not None else None
    _check_writable(outputs)
    trip = _plan_trip(options, text)
    _import_folium()
    # Every output is made before any is written; then all are written or none.
    page = build_report(trip, text or "", tiles=basemap)
    contents: dict[str, str | bytes] = {"-o": page, "--json-out": trip.to_json() + "\n"}
    if "-" not in outputs.values():
        console = _console()
        _print_trip(trip, console)
        _print_claims(trip, console)
    _write_outputs(outputs, contents)
    where = "standard output" if outputs["-o"] == "-" else outputs["-o"]
    typer.echo(f"report written to {where} ({len(page.encode()) / 1024:,.0f} KiB)", err=True)
    _flush_notes()


def _kinds(option: str | None) -> frozenset[str]:
    """The mention kinds ``--kinds`` asks for (all by default)."""
    from .extract import KINDS

    if option is None:
        return frozenset(KINDS)
    asked = {k.strip() for k in option.split(",") if k.strip()}
    unknown = sorted(asked - set(KINDS))
    if unknown or not asked:
        raise InputError(
            f"--kinds: unknown kind {', '.join(unknown) or '(none)'}; use {', '.join(KINDS)}"
        )
    return frozenset(asked)


def _places_document(analysis: Any, kinds: frozenset[str] | None = None) -> dict[str, Any]:
    from .pipeline import _candidate_place, build_trip, mentions_of

    stops = [_candidate_place(c.mention.candidate, c.mention.surface) for c in analysis.stops]
    trip = (
        build_trip(stops, list(analysis.modes), mode_cues=analysis.mode_cues)
        if len(stops) >= 2
        else None
    )
    why = [
        {"role": c.role, "cue": c.cue, "evidence": c.source, "sentence": c.sentence_text}
        for c in analysis.stops
    ]
    legs = [leg.to_dict() for leg in trip.legs] if trip else []
    return {
        "mentions": [
            m.to_dict() for m in mentions_of(analysis, stops) if kinds is None or m.kind in kinds
        ],
        "stops": [{**s.to_dict(), **w} for s, w in zip(stops, why, strict=True)],
        "legs": legs,
        "claims": [c.to_dict() for c in analysis.claims],
    }


def _places_batch(
    files: list[str],
    gazetteer: Gazetteer,
    nlp: Any = None,
    kinds: frozenset[str] | None = None,
    *,
    workers: int = 1,
    ner: str | None = None,
) -> None:
    """One JSON object per input, in order; a bad file gets an error line, not a stop.

    With ``workers`` > 1 a process pool reads the texts (:func:`route.batch.run_places`),
    each worker with its own read-only connection to the gazetteer and its own ``ner``
    model; the output order is the input order all the same.
    """
    from .batch import json_line, run_places

    data = {"-": sys.stdin.buffer.read()} if "-" in files else None
    pooled = workers > 1 and len(files) > 1
    records = run_places(
        files,
        workers=workers,
        gazetteer=gazetteer,
        ner=ner if pooled else nlp,
        kinds=kinds,
        data=data,
    )
    failed = 0
    with _batch_progress(len(files)) as advance:
        for record in records:
            warning = record.pop("warning", "")
            if warning:
                _NOTES.append(f"route: warning: {warning}")
            failed += "error" in record
            sys.stdout.write(json_line(record) + "\n")
            advance(record["file"])
    _flush_notes()
    if failed:
        raise typer.Exit(1)


@contextlib.contextmanager
def _batch_progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr (a terminal) over a batch of ``total`` texts."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda _name: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("reading texts"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}", markup=False),
        console=_err_console(),
        transient=True,
    ) as progress:
        task = progress.add_task("", total=total)
        yield lambda name: progress.update(task, advance=1, description=name[-40:])


@contextlib.contextmanager
def _slow_work(what: str, delay: float = 2.0) -> Iterator[None]:
    """A progress bar on stderr (a terminal) once the work has taken ``delay`` seconds.

    It tells that the work goes on and for how long; the work itself does not report
    how far it is (a big text), so the bar pulses.
    """
    if not sys.stderr.isatty():
        yield
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(
        SpinnerColumn(),
        TextColumn(what, markup=False),
        BarColumn(),
        TimeElapsedColumn(),
        console=_err_console(),
        transient=True,
    )
    progress.add_task(what, total=None)
    guard = threading.Lock()
    finished = False

    def show() -> None:
        from rich.errors import LiveError

        with guard:
            if not finished:
                with contextlib.suppress(LiveError):  # another bar (online geocoding) is up
                    progress.start()

    timer = threading.Timer(delay, show)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with guard:
            finished = True
            progress.stop()


@app.command("places")
def places_command(
    text_files: Annotated[
        list[str], typer.Argument(metavar="TEXT...", help="Text files, or '-' for stdin.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help="One JSON object per input file (batch).")
    ] = False,
    ner: NerOption = None,
    kinds: Annotated[
        str | None,
        typer.Option(
            "--kinds",
            help="Only these kinds of mention, comma-separated: place (the place itself),"
            " embedded (inside a name: 'Kansas State University'), demonym ('Turkish').",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            metavar="N",
            help="With --jsonl: read the texts in N processes (output in input order).",
        ),
    ] = 1,
) -> None:
    """List the places texts mention, the journey's stops (with their cues) and claims.

    TEXT may be a file, '-', a directory (its *.txt files) or a pattern ('news/**/*.txt').
    """
    from .batch import expand_inputs
    from .pipeline import _candidate_place, analyse_text, mentions_of

    text_files = expand_inputs(text_files)
    if as_json and jsonl:
        raise InputError("--json and --jsonl: give one (--jsonl: one JSON object per file)")
    if len(text_files) > 1 and not jsonl:
        raise InputError("several files need --jsonl (one JSON object per file)")
    shown = _kinds(kinds)
    nlp = _ner_model(ner)  # loaded once, like the gazetteer, for the whole batch
    gazetteer = _open_gazetteer()
    if jsonl:
        _places_batch(text_files, gazetteer, nlp, shown, workers=workers, ner=ner)
        return
    text_file = text_files[0]
    text = _read_input(text_file)
    with _slow_work(f"reading {text_file} ({len(text) / 1e6:,.1f} M characters)"):
        analysis = analyse_text(text, gazetteer, ner=nlp)
    stops = [_candidate_place(c.mention.candidate, c.mention.surface) for c in analysis.stops]
    mentions = [m for m in mentions_of(analysis, stops) if m.kind in shown]
    if as_json:
        sys.stdout.write(
            json.dumps(_places_document(analysis, shown), ensure_ascii=False, indent=2) + "\n"
        )
        return
    console = _console()
    rows = []
    for m in mentions:
        role = f"stop {m.order}" if m.role == "stop" else m.role
        rows.append(
            (
                f"{m.start}-{m.end}",
                m.surface,
                m.kind,
                f"{m.place.name} ({m.place.geonameid or '–'})",
                m.place.country,
                f"{m.place.lat:.4f}",
                f"{m.place.lon:.4f}",
                str(m.candidates),
                f"{m.confidence:.2f}",
                role,
            )
        )
    title = f"Places in {text_file} ({len(mentions)} mentions)"
    columns = ("Span", "Text", "Kind", "GeoNames", "Country", "Lat", "Lon", "Cands", "Conf", "Role")
    _print_table(console, title, columns, rows, frozenset({"Lat", "Lon", "Cands", "Conf"}))
    if analysis.stops:
        modes = [*analysis.modes, ""]
        journey = [
            (str(i), cue.mention.surface, cue.role, cue.cue, mode)
            for i, (cue, mode) in enumerate(zip(analysis.stops, modes, strict=True), start=1)
        ]
        heads = ("#", "Stop", "Role", "Cue in the text", "Next leg")
        _print_table(console, "Journey (travel order)", heads, journey)
    else:
        console.print("No journey found: no stops with travel cues.", highlight=False)
    if analysis.claims:
        claims = [
            (
                f"{c.start}-{c.end}",
                c.surface,
                f"{c.km:,.1f}",
                c.measure,
                " – ".join(c.between) if c.between else "first → last stop",
            )
            for c in analysis.claims
        ]
        heads = ("Span", "Text", "km", "Measures", "Between")
        _print_table(console, "Distance claims", heads, claims)


_BARE_POSITION = re.compile(r"^\s*[-+]?\d+(?:\.\d+)?\s*,\s*[-+]?\d+(?:\.\d+)?\s*$")


@app.command("distance")
def distance_command(
    start: Annotated[str, typer.Argument(help='A place name or a position "lat,lon".')],
    end: Annotated[str, typer.Argument(help='A place name or a position "lat,lon".')],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    rail_network: RailNetworkOption = None,
    max_snap: MaxSnapOption = 30.0,
    bridge_gaps: BridgeGapsOption = 0.0,
    no_rail: NoRailOption = False,
) -> None:
    """Straight-line and rail km between two places or positions."""
    from .gazetteer import OfflineGeocoder
    from .pipeline import build_trip, geocode_stops

    start, end = _check_text(start, "START"), _check_text(end, "END")
    names = [f"@{n.strip()}" if _BARE_POSITION.match(n) else n for n in (start, end)]
    geocoder = OfflineGeocoder(_open_gazetteer()) if not all("@" in n for n in names) else None
    places = geocode_stops(names, geocoder)
    network = None if no_rail else _load_network(rail_network, bridge_gaps, required=False)
    trip = build_trip(places, rail_network=network, max_snap_km=max_snap)
    (leg,) = trip.legs
    doc = {
        "from": leg.start.to_dict(),
        "to": leg.end.to_dict(),
        "straight_km": round(leg.straight_km, 3),
        "rail_km": round(leg.rail.km, 3) if leg.rail else None,
        "detour": round(leg.detour, 4) if leg.detour is not None else None,
        "snap_km": [round(leg.rail.snap_start_km, 3), round(leg.rail.snap_end_km, 3)]
        if leg.rail
        else None,
        "bridges": [b.to_dict() for b in leg.rail.bridges] if leg.rail else [],
        "rail_note": leg.rail_note,
        "rail_uncertainty": trip.rail_uncertainty,
    }
    if as_json:
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        _flush_notes()
        return
    console = _console()
    console.print(
        f"{leg.start.label} → {leg.end.label}: straight line {_km(leg.straight_km)} km",
        highlight=False,
    )
    if leg.rail is not None:
        console.print(
            f"by rail {_km(leg.rail.km)} km ({_ratio(leg.detour)}); stops snapped "
            f"{leg.rail.snap_start_km:.1f} km and {leg.rail.snap_end_km:.1f} km to the railway",
            highlight=False,
        )
        for bridge in leg.rail.bridges:
            console.print(
                f"bridged a {bridge.km * 1000:,.0f} m gap in the rail data at "
                f"{bridge.start[0]:.4f}, {bridge.start[1]:.4f}",
                highlight=False,
            )
        if trip.rail_uncertainty:
            console.print(f"Rail data: {trip.rail_uncertainty}", highlight=False)
    elif leg.rail_note:
        console.print(f"by rail: {leg.rail_note}", highlight=False)
    _flush_notes()


cache_app = typer.Typer(help="The online geocoder answer cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("clear")
def cache_clear_command() -> None:
    """Empty the cache of online geocoder answers."""
    from .geocode import AnswerCache

    cache = AnswerCache(on_recover=lambda message: typer.echo(f"route: note: {message}", err=True))
    removed = cache.clear()
    cache.close()
    typer.echo(f"removed {removed} cached geocoder answers from {cache.path}")


rail_app = typer.Typer(help="Inspect or fetch the railway network.", no_args_is_help=True)
app.add_typer(rail_app, name="rail")


@rail_app.command("info")
def rail_info_command(
    rail_network: RailNetworkOption = None,
    bridge_gaps: BridgeGapsOption = 0.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Lines, nodes, edges, connected components and total km of the network."""
    network = _load_network(rail_network, bridge_gaps, required=True)
    assert network is not None
    info = network.info()
    if as_json:
        sys.stdout.write(json.dumps(info.to_dict(), indent=2) + "\n")
        return
    from .rail import PACKED_SUFFIX

    prebuilt = info.path.lower().endswith(PACKED_SUFFIX)
    rows = [
        ("file", info.path),
        ("lines", f"{info.lines:,}"),
        ("non-line features skipped", f"{info.skipped:,}"),
        ("nodes", f"{info.nodes:,}"),
        ("edges", f"{info.edges:,}"),
        ("connected components", f"{info.components:,}"),
        ("total km", f"{info.total_km:,.1f}"),
        ("largest component km", f"{info.largest_component_km:,.1f}"),
        ("line ends snapped when noding", f"{info.snapped_ends:,}"),
        ("gap bridges", f"{info.bridges:,} (--bridge-gaps {info.bridge_km:g})"),
        ("graph cache", info.cache or ("none (prebuilt graph, decoded)" if prebuilt else "off")),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        typer.echo(f"{key:<{width}}  {value}")


@rail_app.command("download")
def rail_download_command(
    url: Annotated[
        str, typer.Option("--url", help="Where to download ne_10m_railroads.zip from.")
    ] = "",
    force: Annotated[bool, typer.Option("--force", help="Download even if present.")] = False,
) -> None:
    """Download a railway network (Natural Earth's, or --url) into the user data directory.

    It then takes the place of the world network shipped with route. Needs internet.
    """
    from .download import NATURAL_EARTH_RAILROADS_URL, download_network
    from .rail import data_dir

    target = data_dir() / "ne_10m_railroads.zip"
    if target.exists() and not force:
        typer.echo(f"{target} is already there (use --force to download again)")
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        transient=True,
        console=_err_console(),
    ) as progress:
        task = progress.add_task("ne_10m_railroads.zip", total=None)

        def report(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        download_network(url or NATURAL_EARTH_RAILROADS_URL, target, progress=report)
    typer.echo(f"rail network saved to {target}")


def _err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _geocode_rows(
    name: str, geocoder: Any, gazetteer: Gazetteer, country: str | None, limit: int
) -> list[dict[str, Any]]:
    """The records ``route geocode`` shows for one name (offline: the gazetteer's, with
    the region's name and the form to type the place back as a stop)."""
    from .gazetteer import OfflineGeocoder
    from .pipeline import _place
    from .stops import lookup_stop, online_query, typed_form

    if isinstance(geocoder, OfflineGeocoder):
        rows = []
        for cand in lookup_stop(gazetteer, name, country=country, limit=limit):
            raw = cand.as_raw()
            region = gazetteer.region(cand.country, cand.admin1) if cand.admin1 else None
            raw["region"] = region.name if region is not None and region.gid != cand.gid else ""
            raw["typed"] = typed_form(gazetteer, cand.name, raw)
            rows.append(raw)
        return rows
    found = geocoder.geocode(online_query(name, gazetteer), exactly_one=False) or []
    source = str(getattr(geocoder, "source", "online"))
    rows = []
    for location in found:
        place = _place(location, name, source)
        raw = location.raw if isinstance(location.raw, dict) else {}
        address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
        if country and place.country and place.country != country.upper():
            continue
        rows.append(
            {
                **place.to_dict(),
                "admin1": str(raw.get("admin1") or ""),
                "region": str(raw.get("region") or (address or {}).get("state") or ""),
                "address": str(location.address or ""),
                "typed": str(location.address or place.name),
            }
        )
    return rows[:limit]


@app.command("geocode")
def geocode_command(
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME...",
            help='Place names to look up, qualified ones too: "Perth (GB)", "#2640358".',
        ),
    ],
    country: Annotated[
        str | None,
        typer.Option(
            "--country", "-c", metavar="CC", help="Only places in this country (ISO code)."
        ),
    ] = None,
    candidates: Annotated[
        int,
        typer.Option(
            "--candidates",
            "-n",
            metavar="N",
            min=1,
            max=50,
            help="Show this many candidates per name.",
        ),
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    geocoder_spec: GeocoderOption = "offline",
    user_agent: UserAgentOption = None,
    geocoder_url: GeocoderUrlOption = None,
    timeout: TimeoutOption = 10.0,
    retries: RetriesOption = 2,
    no_cache: NoCacheOption = False,
) -> None:
    """Look names up in the offline GeoNames gazetteer (or an online geocoder).

    The table's last column is how to type each place as a stop of route map --stops.
    """

    from .errors import PlaceNotFoundError
    from .geocode import GeocodingError
    from .pipeline import _suggest

    for name in names:
        _check_text(name, "NAME")
    if country is not None and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise InputError(f"--country takes a two-letter ISO code (GB, US), got {country!r}")
    user_agent = _user_agent(user_agent, geocoder_spec)
    gazetteer = _open_gazetteer()
    geocoder = _geocoder(
        geocoder_spec,
        gazetteer,
        user_agent=user_agent,
        url=geocoder_url,
        timeout=timeout,
        retries=retries,
        no_cache=no_cache,
    )
    results: dict[str, list[dict[str, Any]]] = {}
    missing: list[Exception] = []
    with _geocoding_progress(geocoder, len(names)):
        for name in names:
            try:
                results[name] = _geocode_rows(name, geocoder, gazetteer, country, candidates)
            except GeocodingError as exc:
                results[name] = []
                missing.append(exc)
                continue
            if not results[name]:
                missing.append(PlaceNotFoundError(name, _suggest(geocoder, name)))
    _note_fallbacks(geocoder)
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    else:
        found = [
            (
                name,
                raw["name"],
                raw["region"],
                raw["country"],
                f"{raw['lat']:.4f}",
                f"{raw['lon']:.4f}",
                str(raw["geonameid"] or "–"),
                raw["feature"],
                f"{raw['population']:,}",
                raw["typed"],
            )
            for name, rows in results.items()
            for raw in rows
        ]
        if found:
            heads = (
                *("Query", "Name", "Region", "Country", "Lat", "Lon", "GeoNames id"),
                *("Feature", "Population", "Type as"),
            )
            right = frozenset({"Lat", "Lon", "Population"})
            _print_table(_console(), "", heads, found, right)
    for error in missing:
        typer.echo(f"route: error: {error}", err=True)
    _flush_notes()
    if missing:
        sys.exit(1)


def main() -> None:
    """Console-script entry point."""
    app()
