"""TRY findings as a Report in every format; the TRY code table as data."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from ocmod_forge.diagnostics import Report, Severity
from ocmod_forge.formatters import get_formatter
from ocmod_forge.tryout import TRY_RULES
from ocmod_forge.tryout.codes import get
from ocmod_forge.tryout.findings import Findings
from sarif_schema import official_sarif_schema

SRC = Path(__file__).resolve().parents[2] / "src" / "ocmod_forge" / "tryout"


def _findings() -> Findings:
    f = Findings("3.0.3.8", "acme_try.ocmod.zip")
    f.replacements = [("/tmp/ocf-try-x/r1/store/", ""), ("ocf_try_1_3038", "<database>")]
    for page in ("admin page a", "admin page b", "admin page a", "admin page c", "admin page d", "admin page e"):
        f.add("TRY011", 'PHP warning: Undefined array key "filter"', path="upload/admin/controller/extension/acme/report.php", line=11, where=page)
    f.add("TRY017", "query on table `oc_x`: Table 'ocf_try_1_3038.oc_x' doesn't exist", path="upload/admin/model/x.php", line=12, where="admin page a")
    f.add("TRY041", "table forge_acme_log is still there after uninstall", path="upload/admin/model/x.php", line=4, where="after uninstall")
    f.add("TRY015", "OpenCart's own code printed 3 distinct PHP messages", hint="see visits.log")
    f.add("TRY032", "text '<p>x</p>' does not show", path="install.xml", line=9, severity=Severity.INFO)
    return f


def test_same_cause_on_several_pages_is_one_finding() -> None:
    diagnostics = _findings().diagnostics()
    warning = next(d for d in diagnostics if d.code == "TRY011")
    assert warning.message == ('OpenCart 3.0.3.8: PHP warning: Undefined array key "filter" '
                               "[admin page a; admin page b; admin page c; admin page d and 1 more]")  # fmt: skip
    assert (warning.path, warning.line, warning.name, warning.severity) == ("upload/admin/controller/extension/acme/report.php", 11, "php-warning", Severity.WARNING)
    assert len(diagnostics) == 5


def test_run_specific_names_are_replaced() -> None:
    sql = next(d for d in _findings().diagnostics() if d.code == "TRY017")
    assert "ocf_try" not in sql.message and "<database>.oc_x" in sql.message
    fallback = next(d for d in _findings().diagnostics() if d.code == "TRY015")
    assert fallback.path == "acme_try.ocmod.zip" and fallback.hint == "see visits.log"
    info = next(d for d in _findings().diagnostics() if d.code == "TRY032")
    assert info.severity is Severity.INFO


def _report() -> Report:
    return Report(diagnostics=tuple(sorted(_findings().diagnostics())), files_checked=9)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_every_format_carries_the_findings(fmt: str) -> None:
    out = get_formatter(fmt)(_report())
    assert out == get_formatter(fmt)(_report())  # deterministic
    for code in ("TRY011", "TRY017", "TRY041", "TRY015"):
        assert code in out
    assert "report.php" in out


def test_text_and_github_locations() -> None:
    text = get_formatter("text")(_report())
    assert "upload/admin/controller/extension/acme/report.php:11:0: warning: TRY011 OpenCart 3.0.3.8: PHP warning" in text
    assert text.rstrip().endswith(_report().summary())
    assert _report().summary().startswith("5 problems (2 errors, 1 warning, 2 info")
    github = get_formatter("github")(_report())
    assert "::error file=upload/admin/model/x.php,line=4,title=TRY041 leftover-table::" in github


def test_json_records_and_junit_parse() -> None:
    document = json.loads(get_formatter("json")(_report()))
    assert {d["code"] for d in document["diagnostics"]} == {"TRY011", "TRY015", "TRY017", "TRY032", "TRY041"}
    assert document["summary"]["errors"] == 2
    suites = ET.fromstring(get_formatter("junit")(_report()))
    names = [case.get("name") for case in suites.iter("testcase")]
    assert "TRY041 leftover-table" in names


def test_sarif_is_valid() -> None:
    schema = official_sarif_schema()
    document = json.loads(get_formatter("sarif")(_report()))
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    results = document["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"TRY011", "TRY041"}


# ---- the code table ------------------------------------------------------------------------------------


def test_code_table_is_well_formed() -> None:
    names = set()
    for code, rule in TRY_RULES.items():
        assert re.fullmatch(r"TRY\d{3}", code) and rule.code == code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
        assert rule.name not in names
        names.add(rule.name)
        assert rule.summary and rule.summary.endswith(".")
        assert "\nFail:" in rule.doc and "\nPass:" in rule.doc, code
        assert rule.targets and set(rule.targets) <= {"3.0", "4.0", "4.1"}
        assert get(code) is rule and get(rule.name) is rule
    with pytest.raises(KeyError):
        get("TRY999")


def test_every_code_in_the_table_is_used_and_every_used_code_exists() -> None:
    used = set()
    for path in SRC.glob("*.py"):
        if path.name != "codes.py":
            used |= set(re.findall(r'"(TRY\d{3})"', path.read_text(encoding="utf-8")))
    assert used <= set(TRY_RULES), used - set(TRY_RULES)
    assert set(TRY_RULES) <= used, set(TRY_RULES) - used
