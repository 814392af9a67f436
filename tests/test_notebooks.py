"""The notebooks run headless, offline, through the public API only."""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import SHARED_NETWORK

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_two_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS] == ["kim_train_to_hanoi.ipynb", "your_own_journey.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_small_and_cleared(path: Path) -> None:
    assert path.stat().st_size < 50_000
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None
            assert "route.cli" not in cell.source
            assert not re.search(r"\broute\.(?:\w+\.)*_\w", cell.source), "private API"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path: Path, monkeypatch: pytest.MonkeyPatch, gazetteer: object) -> None:
    if SHARED_NETWORK.exists():
        monkeypatch.setenv("ROUTE_RAIL_NETWORK", str(SHARED_NETWORK))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute(env=dict(os.environ))
    text = "\n".join(
        output.get("text", "") or str(output.get("data", {}).get("text/plain", ""))
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    assert "Traceback" not in text
    if path.name == "kim_train_to_hanoi.ipynb":
        assert "The journey runs Pyongyang → Dandong → Dong Dang → Hanoi." in text
        assert "2,758 km apart as the crow flies" in text
        assert "In context: Pingxiang at 22.10 N, 106.76 E" in text
        html = "".join(
            output.get("data", {}).get("text/html", "")
            for cell in nb.cells
            if cell.cell_type == "code"
            for output in cell.outputs
        )
        assert "<mark" in html
        assert "leaflet" in html.lower()  # the map displayed inline
