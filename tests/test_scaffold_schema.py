"""`claimtrack init` scaffolds a repository that passes `check` and never overwrites; `schema` validates files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from claimtrack.cli import app
from claimtrack.loader import parse_yaml
from claimtrack.schema import json_schemas

runner = CliRunner()
SHIPPED = Path(__file__).parent.parent / "claims"


def test_init_scaffold_passes_check_and_keeps_existing_files(tmp_path: Path) -> None:
    (tmp_path / "claims").mkdir()
    mine = tmp_path / ".pre-commit-config.yaml"
    mine.write_text("# my own config\n")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 0
    assert "exists, left as it was" in result.stdout
    assert mine.read_text() == "# my own config\n"
    assert (tmp_path / ".github" / "workflows" / "claimtrack.yml").exists()
    assert runner.invoke(app, ["check", "--dir", str(tmp_path / "claims")]).exit_code == 0
    topics = tmp_path / "claims" / "topics.yaml"
    topics.write_text(topics.read_text() + "# edited\n")
    runner.invoke(app, ["init", str(tmp_path)])
    assert topics.read_text().endswith("# edited\n")


def _data(path: Path) -> object:
    doc, problems = parse_yaml(path.read_text(encoding="utf-8"), path)
    assert doc is not None and not problems
    return doc.data


def test_schema_command_prints_both_schemas() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schemas = json.loads(result.stdout)
    assert set(schemas) == {"topics", "source"}
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    assert json.loads(runner.invoke(app, ["schema", "source"]).stdout)["title"] == "claimtrack source file"
    assert runner.invoke(app, ["schema", "sauce"]).exit_code == 2


def test_schema_accepts_the_shipped_claims() -> None:
    assert (SHIPPED / "topics.yaml").is_file(), f"the shipped claims folder is missing: {SHIPPED}"
    schemas = json_schemas()
    jsonschema.validate(_data(SHIPPED / "topics.yaml"), schemas["topics"])
    for path in sorted((SHIPPED / "sources").rglob("*.yaml")):
        jsonschema.validate(_data(path), schemas["source"])


def test_schema_rejects_a_typo(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("source: {title: t}\nclaims:\n  - topic: x\n    vaule: 1\n    quote: q\n")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_data(path), json_schemas()["source"])
