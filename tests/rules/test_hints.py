"""Every finding says what to do: each rule's documented failures carry a hint that is more than
the message again (rules declared ``hints=False`` excepted), and ``validate -v`` prints it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from examples import Example, lint_input, parse_examples

from helpers import write_tree
from ocmod_forge.cli import main
from ocmod_forge.lint import lint
from ocmod_forge.rules import RULES

FAILS = [(code, ex) for code, rule in RULES.items() for ex in parse_examples(rule.doc) if ex.kind == "Fail"]


def _words(text: str) -> set[str]:
    return {w.strip(".,:;()'\"`").lower() for w in text.split()} - {""}


@pytest.mark.parametrize("code, ex", FAILS, ids=[f"{c}-{e.label}" for c, e in FAILS])
def test_documented_failure_has_a_hint(code: str, ex: Example, tmp_path: Path) -> None:
    report = lint(lint_input(ex, tmp_path), select=[code])
    found = [d for d in report.diagnostics if d.code == code]
    if not found:
        reasons = [s.reason for s in report.skipped if s.code == code]
        if reasons:
            pytest.skip("; ".join(reasons))
    assert found, f"{code} {ex.label} did not fire"
    for d in found:
        if not RULES[code].hints:
            assert not d.hint, f"{code} declares hints=False but gave one: {d.hint!r}"
            continue
        assert d.hint.strip(), f"{code} {ex.label}: no hint for {d.message!r}"
        assert "\n" not in d.hint, f"{code}: a hint is one line (the text format prints it so)"
        # Not the message again: the hint must bring words of its own.
        assert d.hint.strip() != d.message.strip() and _words(d.hint) - _words(d.message), f"{code}: hint {d.hint!r} repeats {d.message!r}"


def test_hints_false_rules_are_few_and_documented() -> None:
    silent = sorted(code for code, rule in RULES.items() if not rule.hints)
    assert len(silent) <= len(RULES) // 10, silent


def test_validate_verbose_prints_the_hint(tmp_path: Path) -> None:
    files = {"install.xml": "<modification><name>X</name><code>vendor_x</code></modification>\n",
             "upload/system/library/vendor/client.php": "<?php\ncurl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);\n"}
    package = write_tree(tmp_path / "pkg", files)
    result = CliRunner().invoke(main, ["validate", str(package), "--format", "text", "--select", "SEC001", "-v"])
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if ": SEC001 " in line)
    assert lines[at + 1].startswith("    hint: ") and "CURLOPT_SSL_VERIFYPEER, true" in lines[at + 1]
    quiet = CliRunner().invoke(main, ["validate", str(package), "--format", "text", "--select", "SEC001"])
    assert "hint:" not in quiet.output
