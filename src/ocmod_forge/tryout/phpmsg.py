"""PHP messages in a page's text and in PHP's error log, parsed into one shape.

Formats recognised (all seen in real stores):

* OpenCart's error handler (3.0, 4.x): ``<b>Warning</b>: MESSAGE in <b>FILE</b> on line <b>N</b>``;
  3.0 and 4.0 label deprecations ``Unknown``, 4.1 ``Deprecated``.
* OpenCart 4.0's exception handler: ``<b>MESSAGE</b>: in <b>FILE</b> on line <b>N</b>``.
* OpenCart 4.1's exception handler: ``Error: MESSAGE`` / ``File: FILE`` / ``Line: N`` and
  ``Backtrace:`` blocks.
* PHP itself (``html_errors=0``): ``Warning: MESSAGE in FILE on line N`` and
  ``Fatal error: Uncaught X: MESSAGE in FILE:N`` + ``Stack trace:`` + ``thrown in FILE on line N``;
  in the error log each entry starts with ``[date] PHP ``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

LEVELS = ("error", "warning", "notice", "deprecated")


@dataclass(frozen=True)
class PhpMessage:
    """One PHP message: level, text, where PHP says it happened, and the call stack when known."""

    level: str  # error | warning | notice | deprecated
    text: str
    file: str
    line: int
    trace: tuple[tuple[str, int], ...] = ()  # innermost first: (file, line) of each caller
    exception: bool = False
    source: str = "page"  # page | log

    @property
    def key(self) -> tuple[str, str, int]:
        """Identity used to merge the same message from page and log."""
        return (_norm(self.text), self.file, self.line)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _level(label: str, text: str) -> str:
    """OpenCart 3.0/4.0 print E_DEPRECATED (and E_STRICT, E_RECOVERABLE_ERROR) as "Unknown";
    on PHP 8 practically every "Unknown" is a deprecation."""
    label = label.lower()
    if "deprecated" in label or label == "unknown":
        return "deprecated"
    if "notice" in label or "strict" in label:
        return "notice"
    if "warning" in label:
        return "warning"
    return "error"


_OC_HANDLER = re.compile(r"<b>(Notice|Warning|Fatal Error|Unknown|Deprecated)</b>: (.*?) in <b>([^<>]*?)</b> on line <b>(\d+)</b>", re.S)
_OC40_EXCEPTION = re.compile(r"<b>((?:(?!</b>).)*?)</b>: in <b>([^<>]*?)</b> on line <b>(\d+)</b>", re.S)
_OC41_EXCEPTION = re.compile(r"(?:^|\n)Error: (.*?)\nFile: (.*?)\nLine: (\d+)\n((?:\s*Backtrace: \d+\nFile: .*?\nLine: .*?\n(?:Class: .*?\n)?Function: .*?\n)*)", re.S)
_OC41_FRAME = re.compile(r"Backtrace: \d+\nFile: (.*?)\nLine: (\d+|unknown)\n")
_UNCAUGHT = re.compile(
    r"(?:^|\n)(?:PHP )?(?:Fatal error|Uncaught):\s+Uncaught (.*?)\nStack trace:\n(.*?)\n\s*thrown in (.*?) on line (\d+)[ \t]*",
    re.S,
)
_NATIVE = re.compile(
    r"(?:^|\n)(?:<br />\n)?(?:PHP )?(Fatal error|Parse error|Recoverable fatal error|Catchable fatal error|Warning|Notice|Deprecated|Strict Standards):\s+(.*?) in (/[^\n]*?) on line (\d+)[ \t]*",
    re.S,
)
_FRAME = re.compile(r"^#\d+ (/.*?)\((\d+)\): ", re.M)
_LOG_PREFIX = re.compile(r"^\[\d{2}-[A-Za-z]{3}-\d{4} \d{2}:\d{2}:\d{2}(?: [^\]]*)?\] ", re.M)


def _uncaught(match: re.Match[str], source: str) -> PhpMessage:
    head, stack, thrown_file, thrown_line = match.group(1), match.group(2), match.group(3), int(match.group(4))
    where = re.match(r"(.*) in (/\S.*?):(\d+)$", head, re.S)
    text = where.group(1) if where else head
    trace = tuple((f, int(n)) for f, n in _FRAME.findall(stack))
    return PhpMessage("error", "Uncaught " + _norm(text), thrown_file.strip(), thrown_line, trace, True, source)


def _scan(text: str, source: str) -> list[tuple[int, int, PhpMessage]]:
    """Every message with its span, in order. Formats are tried one after another; each match
    is blanked out with newlines (same length, so positions keep their order) before the next
    format is tried, because a message printed right after another one starts where the
    previous one ended, not on a new line."""
    found: list[tuple[int, int, PhpMessage]] = []
    work = text

    def take(m: re.Match[str], message: PhpMessage) -> None:
        nonlocal work
        found.append((m.start(), m.end(), message))
        work = work[: m.start()] + "\n" * (m.end() - m.start()) + work[m.end() :]

    for m in list(_OC_HANDLER.finditer(work)):
        take(m, PhpMessage(_level(m.group(1), m.group(2)), _norm(m.group(2)), m.group(3), int(m.group(4)), source=source))
    for m in list(_UNCAUGHT.finditer(work)):
        take(m, _uncaught(m, source))
    for m in list(_OC41_EXCEPTION.finditer(work)):
        trace = tuple((f, int(n)) for f, n in _OC41_FRAME.findall(m.group(4)) if n.isdigit())
        take(m, PhpMessage("error", _norm(m.group(1)), m.group(2).strip(), int(m.group(3)), trace, True, source))
    for m in list(_OC40_EXCEPTION.finditer(work)):
        take(m, PhpMessage("error", _norm(m.group(1)), m.group(2), int(m.group(3)), (), True, source))
    for m in list(_NATIVE.finditer(work)):
        take(m, PhpMessage(_level(m.group(1), m.group(2)), _norm(m.group(2)), m.group(3), int(m.group(4)), source=source))
    return sorted(found, key=lambda item: item[0])


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    # Spans may share their boundary newline: cut their union, back to front.
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    for a, b in reversed(merged):
        text = text[:a] + text[b:]
    return text


def parse_text(text: str, source: str = "page") -> tuple[list[PhpMessage], str]:
    """The PHP messages in a response body (or log excerpt), and the body with them removed."""
    found = _scan(text, source)
    return [message for _a, _b, message in found], _cut(text, [(a, b) for a, b, _m in found])


def without(text: str, drop: Callable[[PhpMessage], bool]) -> str:
    """``text`` with the messages ``drop`` selects removed (e.g. OpenCart's own, for a screenshot)."""
    return _cut(text, [(a, b) for a, b, message in _scan(text, "page") if drop(message)])


def parse_log(text: str) -> list[PhpMessage]:
    """Messages in PHP's own error log (``[date] PHP Warning:  … in FILE on line N`` entries)."""
    entries = _LOG_PREFIX.split(text)
    messages: list[PhpMessage] = []
    for entry in entries:
        if entry.strip():
            messages.extend(parse_text("\n" + entry.rstrip("\n") + "\n", source="log")[0])
    return messages


def merge(page: list[PhpMessage], log: list[PhpMessage]) -> list[PhpMessage]:
    """Page messages, then log messages not already shown on the page (same text, file, line)."""
    seen = {m.key for m in page}
    out = list(page)
    for m in log:
        if m.key not in seen:
            seen.add(m.key)
            out.append(m)
    return out
