"""The engine's parts on their own; values checked against PHP 8.2 / glibc (tools/opencart-refresh)."""

from __future__ import annotations

import time

import pytest

from ocmod_forge.engine import Flags, flags_for, log_entry
from ocmod_forge.engine.model import Unsupported
from ocmod_forge.engine.paths import glibc_brace, oc_glob, pattern_for
from ocmod_forge.engine.pcre import Invalid, compile_php, parse_replacement
from ocmod_forge.engine.php import in_indexes, int_cast, limit_30, loose_lt_zero, numeric, offset_30

FILES = ["a/x.twig", "a/y.twig", "a/z.php"]


def fake_glob(pattern: str) -> list[str]:
    import fnmatch

    return sorted(f for f in FILES if fnmatch.fnmatchcase(f, pattern))


def test_glibc_braces_keep_order_and_duplicates() -> None:
    assert glibc_brace("a/{y,x,y}.twig", fake_glob) == ["a/y.twig", "a/x.twig", "a/y.twig"]
    assert glibc_brace("a/{x.twig,{z,y}*}", fake_glob) == ["a/x.twig", "a/z.php", "a/y.twig"]  # nested
    assert glibc_brace("a/{x.twig", fake_glob) == []  # unbalanced: literal


def test_oc_glob_dedupes_sorts_and_has_no_nesting() -> None:
    assert oc_glob("a/{y,x,y}.twig", fake_glob) == ["a/x.twig", "a/y.twig"]
    assert oc_glob("a/{}.twig", fake_glob) == []  # no group: nothing at all


def test_prefixes_are_a_character_test() -> None:
    assert pattern_for("administrator/x", Flags()) == "admin/strator/x"
    assert pattern_for("extension/demo/a.twig", Flags()) is None
    assert pattern_for("extension/demo/a.twig", flags_for("4.1.0.4")) == "extension/demo/a.twig"


def test_php_numeric_strings() -> None:
    assert numeric(" 2 ") == ("numeric", 2) and numeric("2x") == ("leading", 2) and numeric("1_0")[0] == "leading"
    assert int_cast("1e2") == 100 and int_cast(" 0x1A") == 0 and int_cast("-1.9") == -1
    assert loose_lt_zero(" 1x") and not loose_lt_zero("5x") and loose_lt_zero("-1")
    assert in_indexes(1, ["1.0"]) and not in_indexes(1, ["1x"]) and not in_indexes(0, ["a", ""])
    assert offset_30("abc").fatal and not offset_30("2x").abs_ok and offset_30("").value == 0
    assert limit_30("0.0").replace == 0 and limit_30("").replace == -1


def test_replacement_syntax() -> None:
    assert parse_replacement("\\\\") == ("\\",)
    assert parse_replacement("\\$1") == ("$1",)
    assert parse_replacement("$12x${1}\\0") == (12, "x", 1, 0)
    assert parse_replacement("${1") == ("${1",)
    assert parse_replacement("\\a$") == ("\\a$",)


def test_pcre_verdicts() -> None:
    with pytest.raises(Invalid):
        compile_php("/a/b/")  # 'b' is an unknown modifier
    with pytest.raises(Invalid):
        compile_php("~(~")
    with pytest.raises(Unsupported):
        compile_php("~a\\Kb~")
    assert compile_php("{a{1,2}}i").compiled.search(b"AA") is not None
    assert compile_php("/./").compiled.findall("é".encode()) == [b"\xc3", b"\xa9"]  # bytes without /u
    assert compile_php("/./u").compiled.findall("é") == ["é"]
    assert len(compile_php("/^/m").compiled.findall(b"a\nb\n")) == 2  # not after the final newline


def test_log_entry_hour_format() -> None:
    when = time.strptime("2026-12-03 07:05:09", "%Y-%m-%d %H:%M:%S")
    assert log_entry("MOD: x", flags_for("3.0.3.8"), when) == "2026-12-03 7:05:09 - MOD: x\n"
    assert log_entry("MOD: x", flags_for("4.1.0.4"), when) == "2026-12-03 07:05:09 - MOD: x\n"


def test_runaway_pattern_is_reported_not_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """Catastrophic backtracking: PCRE stops at its limit, Python would run for ages."""
    from ocmod_forge.engine import UNSUPPORTED, apply, pcre
    from ocmod_forge.manifest import parse_manifest
    from ocmod_forge.opencart import OpenCartTree

    monkeypatch.setattr(pcre, "REGEX_SECONDS", 0.2)
    data = {"admin/a.twig": b"a" * 60 + b"\n"}
    tree = OpenCartTree("t", "3.0.3.8", sorted(data), data.__getitem__)
    xml = b'<modification><name>m</name><file path="admin/a.twig"><operation><search regex="true"><![CDATA[~(a+)+b~]]></search><add>x</add></operation></file></modification>'
    started = time.perf_counter()
    result = apply([parse_manifest(xml)], tree)
    assert time.perf_counter() - started < 5
    assert [o.status for o in result.outcomes] == [UNSUPPORTED] and not result.exact
    assert "backtracking" in result.outcomes[0].message
