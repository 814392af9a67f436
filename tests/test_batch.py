"""Batches of texts: the pure per-text function, the process pool, the CLI and Dask."""

from __future__ import annotations

import functools
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from route.batch import expand_inputs, json_line, places_on_dask, places_record, run_places
from route.cli import app
from route.errors import InputError
from route.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "tests" / "data" / "texts").glob("*.txt"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder of texts, one of them in a subfolder, and a file that is not a text."""
    folder = tmp_path / "news"
    (folder / "more").mkdir(parents=True)
    for i, text in enumerate(TEXTS[:4]):
        target = folder / "more" if i == 3 else folder
        (target / text.name).write_bytes(text.read_bytes())
    (folder / "notes.md").write_text("Paris", encoding="utf-8")
    return folder


def _lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines()]


def test_expand_inputs(corpus: Path) -> None:
    top = sorted(str(p) for p in corpus.glob("*.txt"))
    every = sorted(str(p) for p in corpus.rglob("*.txt"))
    assert expand_inputs([str(corpus)]) == every  # a folder: its texts, subfolders too
    assert expand_inputs([f"{corpus}/*.txt"]) == top
    assert expand_inputs([f"{corpus}/**/*.txt"]) == every
    assert expand_inputs(["-", str(corpus / "notes.md")]) == ["-", str(corpus / "notes.md")]
    assert expand_inputs(["missing.txt"]) == ["missing.txt"]  # its error comes when read


@pytest.mark.parametrize("argument", ["{}/*.csv", "{}/more/more"])
def test_expand_inputs_refuses_what_names_no_text(corpus: Path, argument: str) -> None:
    (corpus / "more" / "more").mkdir()
    with pytest.raises(InputError):
        expand_inputs([argument.format(corpus)])


def test_record_is_the_analysis_without_the_journey(gazetteer: Gazetteer) -> None:
    from route.pipeline import analyse_text, mentions_of

    for text in TEXTS:
        analysis = analyse_text(text.read_text(encoding="utf-8"), gazetteer, journey=False)
        assert places_record(text, gazetteer=gazetteer) == {
            "file": str(text),
            "mentions": [m.to_dict() for m in mentions_of(analysis)],
            "claims": [c.to_dict() for c in analysis.claims],
        }


def test_record_of_kinds_bytes_and_errors(gazetteer: Gazetteer, tmp_path: Path) -> None:
    text = "North Korean leader Kim Jong Un left Pyongyang for Hanoi."
    whole = places_record("-", data=text.encode(), gazetteer=gazetteer)
    assert {m["kind"] for m in whole["mentions"]} == {"demonym", "place"}
    towns = places_record("-", text=text, gazetteer=gazetteer, kinds={"place"})
    assert [m["kind"] for m in towns["mentions"]] == ["place", "place"]
    assert places_record("-", data=b"", gazetteer=gazetteer) == {
        "file": "-",
        "error": "standard input: no text (the file is empty)",
    }
    assert set(places_record(tmp_path / "none.txt", gazetteer=gazetteer)) == {"file", "error"}
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("Hanoi, Vietnam \u2013 caf\xe9".encode("cp1252"))
    assert "cp1252" in places_record(legacy, gazetteer=gazetteer)["warning"]


def test_record_function_and_gazetteer_pickle(gazetteer: Gazetteer) -> None:
    task = pickle.loads(pickle.dumps(functools.partial(places_record, gazetteer=gazetteer)))
    assert task(TEXTS[0]) == places_record(TEXTS[0], gazetteer=gazetteer)
    shipped = pickle.loads(pickle.dumps(gazetteer))
    assert shipped.path == gazetteer.path
    assert shipped.lookup("Hanoi")[0].geonameid == 1581130
    assert pickle.loads(pickle.dumps(gazetteer)) is shipped  # one connection per process


def test_pool_keeps_the_input_order(gazetteer: Gazetteer) -> None:
    sources = [str(p) for p in TEXTS] + ["-", "missing.txt"]
    data = {"-": b"The train left Hanoi for Hue."}
    alone = list(run_places(sources, gazetteer=gazetteer, data=data))
    pooled = list(run_places(sources, workers=2, gazetteer=gazetteer, data=data, chunksize=2))
    assert pooled == alone
    assert [r["file"] for r in pooled] == sources
    assert "error" in pooled[-1]


def test_cli_batch_with_workers(runner: CliRunner, corpus: Path) -> None:
    broken = corpus / "b-broken.txt"
    broken.write_bytes(b"\x00\x01binary")
    args = ["places", str(corpus), "-", "--jsonl", "--kinds", "place"]
    stdin = "The train left Hanoi for Hue."
    alone = runner.invoke(app, args, input=stdin)
    pooled = runner.invoke(app, [*args, "--workers", "2"], input=stdin)
    assert alone.exit_code == pooled.exit_code == 1  # one text could not be read
    assert pooled.stdout == alone.stdout
    records = _lines(pooled.stdout)
    assert [r["file"] for r in records] == [*expand_inputs([str(corpus)]), "-"]
    assert records[0] == {
        "file": str(broken),
        "error": f"{broken}: not a text file (binary content)",
    }
    assert [m["surface"] for m in records[-1]["mentions"]] == ["Hanoi", "Hue"]


def test_workers_need_a_count(runner: CliRunner) -> None:
    result = runner.invoke(app, ["places", str(TEXTS[0]), "--jsonl", "--workers", "0"])
    assert result.exit_code == 2


def test_dask_recipe_on_a_local_cluster(gazetteer: Gazetteer, tmp_path: Path) -> None:
    """The README's recipe: a dask.bag over files on a LocalCluster, JSON Lines out."""
    pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("dask.distributed")

    sources = [str(p) for p in TEXTS]
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        parts = places_on_dask(sources, tmp_path / "out", npartitions=3, gazetteer=gazetteer)
    assert [Path(p).name for p in parts] == [f"part-{i:05d}.jsonl" for i in range(3)]
    written = "".join(Path(p).read_text(encoding="utf-8") for p in parts)
    expected = [json_line(r) for r in run_places(sources, gazetteer=gazetteer)]
    assert written.splitlines() == expected
