"""MkDocs hooks: the CLI reference page, rendered from the typer app at every build.

The page ``reference/cli.md`` is not a file in ``docs/``: it is made from
``route.cli.app`` when the site is built, so it always matches ``route COMMAND --help``.
Recent typer versions carry their own copy of click, so the commands and contexts are
used through their own classes (``command.context_class``), never ``import click``.
"""

from __future__ import annotations

import re
from typing import Any

import typer
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

PAGE = "reference/cli.md"
WIDTH = 88  # help text wrap width, so the page is the same on every machine


def _commands(command: Any, name: str, parent: Any = None) -> list[tuple[str, Any]]:
    """Every command and subcommand with its context, depth first, in ``--help`` order."""
    settings = {**command.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    ctx = command.context_class(command, info_name=name, parent=parent, **settings)
    found = [(ctx.command_path, ctx)]
    if hasattr(command, "list_commands"):  # a group
        for sub_name in command.list_commands(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                found += _commands(sub, sub_name, ctx)
    return found


def _anchor(path: str) -> str:
    """The id MkDocs gives the heading of ``path``: ``route rail info`` → ``route-rail-info``."""
    return path.replace(" ", "-")


def render() -> str:
    """The CLI reference page, as Markdown."""
    from route.cli import app

    commands = _commands(typer.main.get_command(app), "route")
    out = [
        "# CLI reference",
        "",
        "Generated from the program when this site is built: each section is what "
        "`route COMMAND --help` prints. The [CLI guide](../cli.md) explains the commands "
        "with examples.",
        "",
    ]
    out += [f"- [`{path}`](#{_anchor(path)})" for path, _ in commands]
    for path, ctx in commands:
        with ctx:
            text = ctx.get_help()
        if not text.strip():
            raise RuntimeError(f"no help text for {path!r}")
        out += ["", f"## `{path}`", "", "```text", text.rstrip(), "```"]
    return "\n".join(out) + "\n"


def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    """Add the generated page to the site's files."""
    files.append(File.generated(config, PAGE, content=render()))
    return files


# Some docstrings use Sphinx roles (":func:`plan`"), which Markdown renders as
# ":func:" before the code; the reference shows the code alone.
_SPHINX_ROLE = re.compile(r":(?:py:)?(?:func|meth|class|mod|attr|data|exc|obj):(?=<code>)")


def on_page_content(html: str, page: Page, **kwargs: Any) -> str:
    """Drop the Sphinx role prefixes in the library reference."""
    if page.file.src_uri == "reference/api.md":
        return _SPHINX_ROLE.sub("", html)
    return html
