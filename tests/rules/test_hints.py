"""Hints reach the developer: ``validate -v`` prints them (each documented failure's hint is
checked with its example in test_rule_docs.py), and the checks on hints can fail."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_rule_docs import assert_hint

from helpers import write_tree
from ocmod_forge.cli import main
from ocmod_forge.rules import RULES


def test_few_rules_opt_out_of_hints() -> None:
    silent = sorted(code for code, rule in RULES.items() if not rule.hints)
    assert len(silent) <= len(RULES) // 10, silent


@pytest.mark.parametrize(
    "message, hint",
    [("file is empty", ""), ("file is empty", "File is empty."), ("a", "one\ntwo")],
    ids=["missing", "message-again", "two-lines"],
)
def test_a_hint_that_says_nothing_new_is_refused(message: str, hint: str) -> None:
    with pytest.raises(AssertionError):
        assert_hint(RULES["TPL002"], message, hint)


def test_validate_verbose_prints_the_hint(tmp_path: Path) -> None:
    files = {
        "install.xml": "<modification><name>X</name><code>vendor_x</code></modification>\n",
        "upload/system/library/vendor/client.php": "<?php\ncurl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);\n",
    }
    package = write_tree(tmp_path / "pkg", files)
    result = CliRunner().invoke(main, ["validate", str(package), "--format", "text", "--select", "SEC001", "-v"])
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if ": SEC001 " in line)
    assert lines[at + 1].startswith("    hint: ") and "CURLOPT_SSL_VERIFYPEER, true" in lines[at + 1]
    quiet = CliRunner().invoke(main, ["validate", str(package), "--format", "text", "--select", "SEC001"])
    assert ": SEC001 " in quiet.output and "hint:" not in quiet.output
