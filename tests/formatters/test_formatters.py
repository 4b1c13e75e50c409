"""Golden output for every format, SARIF checked against a schema, escaping, JUnit parsing."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from helpers import REPO
from ocmod_forge.diagnostics import Diagnostic, Report, Severity, SkippedCheck
from ocmod_forge.formatters import FORMATTERS
from ocmod_forge.formatters.github import escape_data, escape_property

GOLDEN = Path(__file__).parent / "golden"

REPORT = Report(
    diagnostics=tuple(
        sorted(
            [
                Diagnostic("install.xml", 12, 7, "MAN004", "code-missing", Severity.ERROR, "no <code> element: OpenCart refuses the package"),
                Diagnostic("upload/admin/x.php", 3, 1, "TPL001", "template-delimiter-leftover", Severity.ERROR, "leftover template delimiter '[='", "render it: add .j2"),
                Diagnostic("upload/a,b:c%.twig", 0, 0, "TPL002", "empty-file", Severity.WARNING, "file is empty\nreally"),
            ]
        )
    ),
    skipped=(SkippedCheck("SQL001", "sql-split-error", "no SQL files"),),
    suppressed=2,
    files_checked=5,
)
EMPTY = Report(files_checked=3)


@pytest.mark.parametrize("name", sorted(FORMATTERS))
@pytest.mark.parametrize("report, label", [(REPORT, "findings"), (EMPTY, "clean")], ids=["findings", "clean"])
def test_golden(name: str, report: Report, label: str) -> None:
    text = FORMATTERS[name](report)
    path = GOLDEN / f"{label}.{name}"
    if name == "sarif":  # the version string changes with releases
        text = text.replace(json.dumps(__import__("ocmod_forge").__version__), '"VERSION"')
    if os.environ.get("OCMOD_FORGE_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_text_ends_with_summary_even_when_clean() -> None:
    assert FORMATTERS["text"](EMPTY).splitlines()[-1] == "0 problems (0 errors, 0 warnings, 0 skipped checks, 0 suppressed) in 3 files"


def _schemas() -> list[dict]:
    schemas = [json.loads((REPO / "tests" / "data" / "sarif-2.1.0-subset.schema.json").read_text())]
    official = REPO.parent / "shared" / "sarif-schema-2.1.0.json"
    if official.is_file():
        schemas.append(json.loads(official.read_text()))
    return schemas


@pytest.mark.parametrize("report", [REPORT, EMPTY], ids=["findings", "clean"])
def test_sarif_is_valid(report: Report) -> None:
    document = json.loads(FORMATTERS["sarif"](report))
    for schema in _schemas():
        jsonschema.validate(document, schema)
    run = document["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids)) and "MAN004" in ids
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]


def test_sarif_subset_schema_rejects_broken_documents() -> None:
    schema = _schemas()[0]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": "2.0.0", "runs": []}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"level": "fatal", "message": {"text": "m"}}]}]}, schema)


def test_json_has_schema_version_and_parses() -> None:
    document = json.loads(FORMATTERS["json"](REPORT))
    assert document["schema_version"] == 1
    assert document["summary"] == {"errors": 2, "warnings": 1, "infos": 0, "skipped": 1, "suppressed": 2, "files_checked": 5}


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"
    out = FORMATTERS["github"](REPORT)
    assert "::warning file=upload/a%2Cb%3Ac%25.twig,title=TPL002 empty-file::file is empty%0Areally" in out
    assert "::error file=install.xml,line=12,col=7,title=MAN004 code-missing::" in out


def test_junit_parses() -> None:
    root = ET.fromstring(FORMATTERS["junit"](REPORT).encode("utf-8"))
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "3" and suite.get("skipped") == "1"
    failures = root.findall(".//failure")
    assert {f.get("type") for f in failures} == {"MAN004", "TPL001", "TPL002"}
    clean = ET.fromstring(FORMATTERS["junit"](EMPTY).encode("utf-8")).find("testsuite")
    assert clean is not None and clean.get("failures") == "0" and clean.get("tests") == "1"
