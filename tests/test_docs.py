"""The documentation: the README stays short and keeps its commands; the site builds strictly."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

import route
from route.cli import app

from .conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"

#: The README's two commands, exactly: users copy them and .ci/run runs them.
INSTALL_AND_RUN = (
    "python3 -m venv .venv && . .venv/bin/activate && pip install -e . \\\n"
    "  && route map seeds/kim-train-to-hanoi.txt -o kim.html"
)
TEST = (
    ". .venv/bin/activate && pip install -e '.[test]' && ruff check . "
    "&& mypy --strict route && python -m pytest"
)


def _exports() -> list[str]:
    return [name for name in route.__all__ if name != "__version__"]


def _command_paths() -> list[str]:
    """``route``, ``route map``, …, ``route rail info``: every command of the typer app."""
    paths = []

    def walk(command: Any, path: str) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            if not sub.hidden:
                walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "route")
    return paths


def _text(page: Path) -> str:
    """A built page's main text, tags dropped and entities decoded."""
    body = page.read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def _section(markdown: str, heading: str) -> str:
    start = markdown.index(f"\n{heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end != -1 else None]


def _fenced(markdown: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"```[a-z]*\n(.*?)\n```", markdown, re.S)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("mkdocs", reason="the docs extra is not installed")
    pytest.importorskip("mkdocstrings", reason="the docs extra is not installed")
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


def test_site_has_every_page(site: Path) -> None:
    for page in sorted(DOCS.glob("*.md")):
        built = site / ("index.html" if page.stem == "index" else f"{page.stem}/index.html")
        assert built.is_file(), page.name
    assert (site / "kim.png").is_file()
    assert not (site / "hooks").exists()
    assert not (site / "make_screenshot.sh").exists()


def test_cli_reference_has_every_command(site: Path) -> None:
    page = site / "reference" / "cli" / "index.html"
    built = page.read_text(encoding="utf-8")
    text = _text(page)
    paths = _command_paths()
    assert {"route map", "route report", "route places", "route distance", "route geocode"} <= set(
        paths
    )
    assert {"route rail info", "route rail download", "route cache clear"} <= set(paths)
    for path in paths:
        assert f'id="{path.replace(" ", "-")}"' in built, path
        assert f"Usage: {path} [OPTIONS]" in text, path
    # The options themselves, as --help prints them.
    assert "--stops STOPS" in text
    assert "--rail-network FILE" in text
    assert "-h, --help" in text


def test_api_reference_has_the_public_api(site: Path) -> None:
    built = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    for name in _exports():
        assert f'id="route.{name}"' in built, name
    assert 'id="route.plan"' in built
    assert 'id="route.Trip"' in built
    for module in ("pipeline", "models", "errors", "distance", "gazetteer", "rail", "batch"):
        assert f'id="route.{module}"' in built, module
    assert ":func:" not in built


def test_api_page_lists_route_all() -> None:
    """The first section of the library reference, and the filter that keeps those names
    out of the module sections, name exactly ``route.__all__``."""
    api = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    members = re.findall(r"^ {8}- (\w+)$", api, re.M)
    assert members == _exports()
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    exclude = re.findall(r'^ +- "(!\^\(.*\)\$)"$', config, re.M)
    assert exclude == ["!^(" + "|".join(_exports()) + ")$"]


def test_readme_is_short_and_keeps_its_commands() -> None:
    readme = README.read_text(encoding="utf-8")
    assert len(readme.encode("utf-8")) < 16_000
    assert _fenced(_section(readme, "## Install and run"))[0] == INSTALL_AND_RUN
    assert _fenced(_section(readme, "## Test"))[0] == TEST
    assert "![" in readme
    assert "](docs/kim.png)" in readme


def test_readme_commands_are_what_ci_runs() -> None:
    """Each command of the README's two blocks is one that .ci/run runs (give or take
    ``--quiet`` and the output file names)."""

    def norm(command: str) -> str:
        command = command.replace(" --quiet", "").replace("\\\n", " ")
        return re.sub(r"-o \S+", "-o OUT", " ".join(command.split()))

    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_commands = ci[ci.index("install and run (README)") :]
    ci_lines = {
        norm(line.strip().removeprefix("kim=$(").rstrip(")")) for line in ci_commands.split("\n")
    }
    for block in (INSTALL_AND_RUN, TEST):
        for part in block.split("&&"):
            part = norm(part)
            if part.startswith(("python3 -m venv", ". .venv/")):
                continue  # CI makes its own virtualenv, .ci-venv
            assert part in ci_lines, part


def test_readme_points_to_every_docs_page() -> None:
    readme = README.read_text(encoding="utf-8")
    for page in sorted(DOCS.glob("*.md")):
        assert f"](docs/{page.name}" in readme, page.name
    assert "jupyter" in readme.lower()
    assert "notebooks/" in readme


def test_links_in_readme_and_docs_resolve() -> None:
    """Relative links of the README and the pages (which GitHub shows too) name files."""
    for page in [README, *DOCS.rglob("*.md")]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = target.split("#")[0]
            if path.endswith("reference/cli.md"):
                continue  # generated when the site is built
            assert (page.parent / path).resolve().exists(), (page.name, target)


def test_no_paths_outside_the_repository() -> None:
    files = [README, ROOT / "mkdocs.yml"]
    files += [p for p in DOCS.rglob("*") if p.suffix in {".md", ".py", ".sh", ".yml"}]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "../shared" not in text, path
        assert "shared/" not in text, path
