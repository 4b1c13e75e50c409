"""PHP 8 scalar semantics that refresh() depends on: trim, numeric strings, ``(int)``, loose
comparison, and the attribute values (offset, limit, index) built from them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .model import Fatal, Unsupported

_TRIM = " \t\n\r\0\x0b"
_WS = " \t\n\r\x0b\x0c"
# A PHP numeric string: optional leading whitespace, a number, optional trailing whitespace.
_NUMBER = re.compile(r"[ \t\n\r\x0b\x0c]*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_LIMIT = 10**9  # beyond this PHP's int/float conversions in array_splice differ: not emulated
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def trim(text: str) -> str:
    """PHP ``trim()`` with its default characters."""
    return text.strip(_TRIM)


def ascii_lower(text: str) -> str:
    """PHP 8.2 ``strtolower``/``stripos`` folding: ASCII letters only, length kept."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


Number = int | float


def _number(token: str) -> Number:
    if _INTEGER.match(token):
        value = int(token)
        if -(2**63) <= value < 2**63:
            return value
    return float(token)


def numeric(text: str) -> tuple[str, Number]:
    """PHP's view of a string: (``"numeric"``, value), (``"leading"``, value of the numeric
    prefix), or (``"none"``, 0)."""
    match = _NUMBER.match(text)
    if match is None:
        return "none", 0
    value = _number(match.group(1))
    rest = text[match.end() :]
    if rest.strip(_WS) == "" and (rest == "" or rest[0] in _WS):
        return "numeric", value
    return "leading", value


def int_cast(text: str) -> int:
    """PHP ``(int)$string``."""
    kind, value = numeric(text)
    if kind == "none":
        return 0
    if isinstance(value, float):
        if not math.isfinite(value):
            return 0
        if abs(value) >= 2**63:
            raise Unsupported(f"(int) of {text!r} overflows")
        return int(value)
    return value


def loose_lt_zero(text: str) -> bool:
    """``$string < 0`` in PHP 8: numeric strings compare as numbers, others as strings with "0"."""
    kind, value = numeric(text)
    if kind == "numeric":
        return value < 0
    return text < "0"


def in_indexes(i: int, indexes: list[str]) -> bool:
    """``in_array($i, $indexes)``: PHP 8 loose comparison of an int with strings."""
    for entry in indexes:
        kind, value = numeric(entry)
        if kind == "numeric" and value == i:
            return True
    return False


def number_str(value: Number) -> str:
    """PHP's string conversion of an int or float (``'LINE: ' . $line_id``)."""
    if isinstance(value, int):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = repr(value)
    if "e" in text or "inf" in text or "nan" in text:
        raise Unsupported(f"float {value!r} in the log")
    return text


def to_int_param(value: Number) -> int:
    """A number passed to an ``int`` parameter (``array_splice`` offset/length)."""
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) > _LIMIT:
            raise Unsupported(f"offset {value!r} out of the emulated range")
        return int(value)  # truncation, with a deprecation notice in PHP
    return value


@dataclass(frozen=True)
class Offset:
    """The ``offset`` attribute as the line loop uses it.

    ``value`` is what arithmetic sees; ``negative`` is the result of ``$offset < 0`` (string
    comparison for non-numeric strings); ``abs_ok`` is False when ``abs($offset)`` throws
    (a string that is not numeric); ``fatal`` is set when arithmetic itself throws.
    """

    value: Number
    negative: bool
    abs_ok: bool = True
    fatal: str = ""
    raw: str = ""  # the attribute as written


def offset_30(raw: str) -> Offset:
    """3.0: ``if ($offset == '') $offset = 0;`` then the string takes part in PHP 8 arithmetic."""
    if raw == "":
        return Offset(0, False)
    kind, value = numeric(raw)
    if kind == "none":
        return Offset(0, loose_lt_zero(raw), abs_ok=False, fatal=f"offset: non-numeric value {raw!r} (a TypeError in PHP 8 arithmetic once a line matches)")
    if abs(value) > _LIMIT:
        raise Unsupported(f"offset {raw!r} out of the emulated range")
    return Offset(value, loose_lt_zero(raw), abs_ok=kind == "numeric", raw=raw)


def offset_41(raw: str) -> Offset:
    """4.1: ``(int)`` of the attribute."""
    value = int_cast(raw)
    if abs(value) > _LIMIT:
        raise Unsupported(f"offset {raw!r} out of the emulated range")
    return Offset(value, value < 0)


@dataclass(frozen=True)
class Limit:
    """The regex ``limit`` attribute: how many matches are logged (``None``: all) and how many
    replacements ``preg_replace`` makes (negative: all)."""

    log: int | None
    replace: int


def limit_30(raw: str) -> Limit:
    """3.0: ``if (!$limit) $limit = -1;``, ``array_slice`` when ``$limit > 0``, then preg_replace."""
    if raw in ("", "0"):
        return Limit(None, -1)
    kind, value = numeric(raw)
    positive = value > 0 if kind == "numeric" else raw > "0"
    if kind != "numeric":
        raise Fatal(f"limit: non-numeric value {raw!r} (a TypeError in array_slice/preg_replace)")
    count = to_int_param(value)
    return Limit(count if positive else None, count)


def limit_41(raw: str) -> Limit:
    """4.1: ``(int)`` of the attribute, 0 meaning unlimited."""
    value = int_cast(raw)
    if value == 0:
        value = -1
    return Limit(value if value > 0 else None, value)
