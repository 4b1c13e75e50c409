"""PHP messages in page text and logs: every format real stores print, and what is left of the page."""

from __future__ import annotations

import json

import pytest

from ocmod_forge.tryout.phpmsg import PhpMessage, merge, parse_log, parse_text

OC30 = "<b>Unknown</b>: Creation of dynamic property Cart\\Tax::$db is deprecated in <b>/s/system/library/cart/tax.php</b> on line <b>8</b>"
OC30_WARN = '<b>Warning</b>: Undefined array key "filter" in <b>/s/admin/controller/extension/acme/report.php</b> on line <b>11</b>'
OC41_DEP = "<b>Deprecated</b>: strlen(): Passing null is deprecated in <b>/s/a.php</b> on line <b>2</b>"
OC40_EXC = "<b>Call to undefined method Opencart\\Admin\\Model\\X::y()</b>: in <b>/s/extension/acme_try/admin/controller/module/acme_try.php</b> on line <b>9</b>"
OC41_EXC = (
    # 4.1's handler prints "Error: " + the exception's message, which is the DB driver's "Error: …".
    "Error: Error: Table 'db.oc_x' doesn't exist<br/>Error No: 1146<br/>SELECT * FROM oc_x\n"
    "File: /s/system/library/db/mysqli.php\nLine: 76\n\n"
    "Backtrace: 0\nFile: /s/system/library/db.php\nLine: 52\nClass: Opencart\\System\\Library\\DB\\MySQLi\nFunction: query\n\n"
    "Backtrace: 1\nFile: /s/extension/acme_try/admin/model/module/acme_try.php\nLine: 13\nClass: Opencart\\System\\Library\\DB\nFunction: query\n\n"
    "Backtrace: 2\nFile: unknown\nLine: unknown\nFunction: call_user_func_array\n"
)
NATIVE = (
    'hello\nWarning: Undefined array key "x" in /tmp/t1.php on line 4\n\n'
    "Fatal error: Uncaught RuntimeException: boom at f in /tmp/t1.php:5\nStack trace:\n#0 /tmp/t1.php(6): f()\n#1 /tmp/t1.php(7): g()\n#2 {main}\n  thrown in /tmp/t1.php on line 5\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (OC30, [("deprecated", "/s/system/library/cart/tax.php", 8, False)]),
        (OC30_WARN, [("warning", "/s/admin/controller/extension/acme/report.php", 11, False)]),
        (OC41_DEP, [("deprecated", "/s/a.php", 2, False)]),
        ("<b>Notice</b>: Undefined index: a in <b>/s/n.php</b> on line <b>3</b>", [("notice", "/s/n.php", 3, False)]),
        ("<b>Fatal Error</b>: x in <b>/s/f.php</b> on line <b>1</b>", [("error", "/s/f.php", 1, False)]),
        (OC40_EXC, [("error", "/s/extension/acme_try/admin/controller/module/acme_try.php", 9, True)]),
        (OC41_EXC, [("error", "/s/system/library/db/mysqli.php", 76, True)]),
        (NATIVE, [("warning", "/tmp/t1.php", 4, False), ("error", "/tmp/t1.php", 5, True)]),
        ("<p>no <b>messages</b> here: in <i>x</i></p>", []),
    ],
)
def test_formats(text: str, expected: list[tuple[str, str, int, bool]]) -> None:
    messages, _rest = parse_text(text)
    assert [(m.level, m.file, m.line, m.exception) for m in messages] == expected


def test_uncaught_keeps_stack_and_short_text() -> None:
    messages, rest = parse_text(NATIVE)
    fatal = messages[1]
    assert fatal.text == "Uncaught RuntimeException: boom at f"
    assert fatal.trace == (("/tmp/t1.php", 6), ("/tmp/t1.php", 7))
    assert rest.strip() == "hello"


def test_oc41_backtrace_frames_skip_unknown() -> None:
    (message,), rest = parse_text("x" + "\n" + OC41_EXC + "\ntail")
    assert message.trace == (("/s/system/library/db.php", 52), ("/s/extension/acme_try/admin/model/module/acme_try.php", 13))
    assert message.text.startswith("Error: Table 'db.oc_x' doesn't exist")
    assert rest.split() == ["x", "tail"]


def test_exception_right_after_a_warning() -> None:
    # 4.1 prints the exception block directly after the warning's closing </b>.
    messages, rest = parse_text("<html>" + OC30_WARN + OC41_EXC + "</html>")
    assert [(m.level, m.line) for m in messages] == [("warning", 11), ("error", 76)]
    assert rest.strip() == "<html></html>"


def test_json_survives_removal_of_messages() -> None:
    body = OC30 * 3 + OC30_WARN + json.dumps({"next": "http://127.0.0.1/a?b=1&c=2"})
    messages, rest = parse_text(body)
    assert len(messages) == 4
    assert json.loads(rest) == {"next": "http://127.0.0.1/a?b=1&c=2"}


def test_message_text_is_whitespace_normalised() -> None:
    (message,), _ = parse_text("<b>Warning</b>: a\n   b in <b>/s/w.php</b> on line <b>1</b>")
    assert message.text == "a b"


def test_log_entries_and_merge() -> None:
    log = (
        '[03-Dec-2026 08:06:22 UTC] PHP Warning:  Undefined array key "x" in /tmp/t1.php on line 4\n'
        "[03-Dec-2026 08:06:22 UTC] PHP Fatal error:  Uncaught RuntimeException: boom at f in /tmp/t1.php:5\n"
        "Stack trace:\n#0 /tmp/t1.php(6): f()\n#1 {main}\n  thrown in /tmp/t1.php on line 5\n"
        "[03-Dec-2026 08:06:23 UTC] PHP Deprecated:  Return type of X::count() should either be compatible in /s/x.php on line 9\n"
    )
    logged = parse_log(log)
    assert [(m.level, m.line, m.source) for m in logged] == [("warning", 4, "log"), ("error", 5, "log"), ("deprecated", 9, "log")]
    page, _ = parse_text(NATIVE)
    merged = merge(page, logged)
    # The page already showed the warning and the fatal error: only the deprecation is added.
    assert [(m.level, m.source) for m in merged] == [("warning", "page"), ("error", "page"), ("deprecated", "log")]


def test_key_ignores_source() -> None:
    a = PhpMessage("warning", "x  y", "/f", 1, source="page")
    b = PhpMessage("warning", "x y", "/f", 1, source="log")
    assert a.key == b.key
