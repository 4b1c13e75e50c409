"""PHP's preg_* functions on top of Python's ``re``: delimiters and modifiers as PHP parses them,
the pattern translated construct by construct, and the replacement string as preg_replace reads it.

Without ``/u`` PCRE works on bytes, so such patterns run on the UTF-8 bytes of the text (``.``
is one byte, classes are ASCII). Every construct whose meaning Python cannot reproduce exactly
raises ``Unsupported``; a pattern PHP refuses gives ``Invalid``.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .model import Unsupported

REGEX_SECONDS = 2.0  # time budget of one preg_* emulation (catastrophic backtracking)


class _Expired(Exception):
    pass


@contextmanager
def time_budget(seconds: float | None = None) -> Iterator[None]:
    """Stop a Python match that runs away: raises Unsupported after ``seconds``.

    PCRE gives up at its backtrack limit (preg_* then fail and OpenCart blanks the file); when
    exactly depends on PCRE's JIT, so a runaway match is reported, not guessed. Works in the main
    thread on platforms with SIGALRM and when no other interval timer is running.
    """
    budget = REGEX_SECONDS if seconds is None else seconds
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
        or signal.getitimer(signal.ITIMER_REAL)[0] > 0
    ):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        yield
    except _Expired:
        raise Unsupported(f"the pattern ran for more than {budget:g} s (catastrophic backtracking; PCRE would stop at its limit)") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

_PAIRS = {"(": ")", "[": "]", "{": "}", "<": ">"}
_KNOWN_MODIFIERS = set("imsxADSUXJun")
_SPACE = " \t\n\r\x0b\x0c"
_ATOMIC = sys.version_info >= (3, 11)  # possessive quantifiers and atomic groups


class Invalid(Exception):
    """PHP refuses the pattern: preg_* return false/null with a warning."""


def split_php_regex(pattern: str) -> tuple[str, str] | None:
    """(body, modifiers) of a PHP PCRE pattern with delimiters, or None when PHP would refuse it."""
    try:
        return _split(pattern)
    except Invalid:
        return None


def _split(pattern: str) -> tuple[str, str]:
    text = pattern.lstrip(_SPACE)
    if not text:
        raise Invalid("empty regular expression")
    delimiter = text[0]
    if (delimiter.isascii() and delimiter.isalnum()) or delimiter in "\\\0":
        raise Invalid("delimiter must not be alphanumeric, backslash, or NUL")
    closing = _PAIRS.get(delimiter, delimiter)
    i = 1
    depth = 1
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            i += 2
            continue
        if c == closing and (closing == delimiter or depth == 1):
            break
        if closing != delimiter:
            if c == closing:
                depth -= 1
            elif c == delimiter:
                depth += 1
        i += 1
    else:
        raise Invalid("no ending delimiter")
    body, modifiers = text[1:i], text[i + 1 :]
    for m in modifiers:
        if m in " \n\r":
            continue
        if m not in _KNOWN_MODIFIERS:
            raise Invalid(f"unknown modifier {m!r}")
    return body, "".join(m for m in modifiers if m not in " \n\r")


@dataclass(frozen=True)
class Regex:
    """A translated pattern. ``utf`` patterns match ``str``; the others the text's UTF-8 bytes."""

    compiled: re.Pattern[Any]  # str patterns with /u, bytes patterns without
    utf: bool
    groups: int


@lru_cache(maxsize=1024)
def compile_php(pattern: str) -> Regex:
    """Translate a PHP pattern; raises Invalid (PHP refuses it) or Unsupported."""
    body, modifiers = _split(pattern)
    for m in "AJ":
        if m in modifiers:
            raise Unsupported(f"modifier /{m} is not emulated")
    translator = _Translator(body, modifiers)
    python = translator.translate()
    flags = re.DOTALL if "s" in modifiers else 0
    if "i" in modifiers:
        flags |= re.IGNORECASE
    utf = "u" in modifiers
    try:
        if utf:
            compiled: re.Pattern[Any] = re.compile(python, flags)
        else:
            compiled = re.compile(python.encode("latin-1"), flags)
    except re.error as exc:
        raise Unsupported(f"Python cannot compile the translation ({exc})") from None
    except (RecursionError, OverflowError) as exc:
        raise Unsupported(f"pattern too complex ({type(exc).__name__})") from None
    return Regex(compiled, utf, translator.groups)


def php_regex(pattern: str) -> re.Pattern[str] | None:
    """A Python ``str`` pattern for a PHP PCRE pattern; None when PHP refuses it.

    For patterns the engine cannot emulate exactly the result never matches; use
    ``compile_php`` to tell the two apart.
    """
    try:
        regex = compile_php(pattern)
    except Invalid:
        return None
    except Unsupported:
        return re.compile(r"(?!)")
    if regex.utf:
        return regex.compiled
    body, modifiers = _split(pattern)
    try:
        return re.compile(_Translator(body, modifiers.replace("u", "") + "u").translate(), re.DOTALL * ("s" in modifiers) | re.IGNORECASE * ("i" in modifiers))
    except (re.error, Unsupported, RecursionError, OverflowError):
        return re.compile(r"(?!)")


_POSIX = {
    "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7f", "blank": " \\t", "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~", "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\x0b\\x0c\\r ", "upper": "A-Z", "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f",
}
_SIMPLE_ESCAPES = {"n": "\\n", "t": "\\t", "r": "\\r", "f": "\\x0c", "e": "\\x1b", "a": "\\x07"}
_H_BYTES = "\\t \\xa0"
_V_BYTES = "\\n\\x0b\\x0c\\r\\x85"
_H_UTF = "\\t \\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000"
_V_UTF = "\\n\\x0b\\x0c\\r\\x85\\u2028\\u2029"
_S_UTF = "\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"


class _Translator:
    """One pass over a PCRE body, producing Python ``re`` syntax (latin-1 text for byte mode)."""

    def __init__(self, body: str, modifiers: str) -> None:
        self.utf = "u" in modifiers
        self.src = body if self.utf else body.encode("utf-8", "surrogateescape").decode("latin-1")
        self.extended = "x" in modifiers
        self.multiline = "m" in modifiers
        self.dollar_end = "D" in modifiers
        self.ungreedy = "U" in modifiers
        self.no_capture = "n" in modifiers
        self.i = 0
        self.out: list[str] = []
        self.groups = 0
        self.total_groups, names = _count_groups(self.src, self.extended, self.no_capture)
        if len(names) != len(set(names)):
            raise Invalid("two named subpatterns have the same name")
        self.names = set(names)
        self.seen_names: set[str] = set()
        self.depth = 0
        self.open_groups: list[int] = []
        self.can_repeat = False

    def translate(self) -> str:
        src = self.src
        while self.i < len(src):
            c = src[self.i]
            if self.extended and c in _SPACE:
                self.i += 1
                continue
            if self.extended and c == "#":
                end = src.find("\n", self.i)
                self.i = len(src) if end < 0 else end + 1
                continue
            if c == "\\":
                self._escape()
            elif c == "[":
                self._class()
                self.can_repeat = True
            elif c == "(":
                self._group()
            elif c == ")":
                if self.depth == 0:
                    raise Invalid("unmatched closing parenthesis")
                self.depth -= 1
                if self.open_groups:
                    self.open_groups.pop()
                self.out.append(")")
                self.i += 1
                self.can_repeat = True
            elif c in "*+?":
                self._quantifier(c)
            elif c == "{" and _QUANT.match(src, self.i):
                self._quantifier("{")
            elif c == "|":
                self.out.append("|")
                self.i += 1
                self.can_repeat = False
            elif c == "^":
                self.out.append(r"(?:\A|(?<=\n)(?!\Z))" if self.multiline else r"\A")
                self.i += 1
                self.can_repeat = False
            elif c == "$":
                if self.multiline:
                    self.out.append(r"(?=\n|\Z)")
                elif self.dollar_end:
                    self.out.append(r"\Z")
                else:
                    self.out.append(r"(?=\n?\Z)")
                self.i += 1
                self.can_repeat = False
            elif c == ".":
                self.out.append(".")
                self.i += 1
                self.can_repeat = True
            else:
                self.out.append(_literal(c))
                self.i += 1
                self.can_repeat = True
        if self.depth:
            raise Invalid("missing closing parenthesis")
        return "".join(self.out)

    # -- quantifiers -------------------------------------------------------------------------

    def _quantifier(self, c: str) -> None:
        src = self.src
        if not self.can_repeat:
            raise Invalid("quantifier does not follow a repeatable item")
        if c == "{":
            match = _QUANT.match(src, self.i)
            assert match is not None
            low, comma, high = match.group(1), match.group(2), match.group(3)
            if high and int(high) < int(low):
                raise Invalid("numbers out of order in {} quantifier")
            if int(low) > 65535 or (high and int(high) > 65535):
                raise Invalid("number too big in {} quantifier")
            text = "{" + low + ("," + high if comma else "") + "}"
            self.i = match.end()
        else:
            text = c
            self.i += 1
        suffix = ""
        if self.i < len(src) and src[self.i] in "?+":
            suffix = src[self.i]
            self.i += 1
        if suffix == "+":
            if not _ATOMIC:
                raise Unsupported("possessive quantifier (needs Python 3.11)")
            text += "+"
        else:
            lazy = (suffix == "?") != self.ungreedy
            text += "?" if lazy else ""
        self.out.append(text)
        self.can_repeat = False

    # -- groups ------------------------------------------------------------------------------

    def _group(self) -> None:
        src = self.src
        rest = src[self.i + 1 : self.i + 4]
        previous = self.can_repeat
        self.depth += 1
        self.can_repeat = False
        if rest.startswith("*"):
            raise Unsupported("backtracking verb (*…)")
        if not rest.startswith("?"):
            self.i += 1
            if self.no_capture:
                self.out.append("(?:")
                self.open_groups.append(0)
            else:
                self.groups += 1
                self.open_groups.append(self.groups)
                self.out.append("(")
            return
        kind = src[self.i + 2 : self.i + 3]
        if kind in (":", "=", "!"):
            self.out.append("(?" + kind)
            self.i += 3
            self.open_groups.append(0)
            return
        if kind == "#":
            end = src.find(")", self.i)
            if end < 0:
                raise Invalid("missing ) after comment")
            self.i = end + 1
            self.depth -= 1
            self.can_repeat = previous
            return
        if kind == ">":
            if not _ATOMIC:
                raise Unsupported("atomic group (needs Python 3.11)")
            self.out.append("(?>")
            self.i += 3
            self.open_groups.append(0)
            return
        if kind == "<" and src[self.i + 3 : self.i + 4] in ("=", "!"):
            self.out.append("(?<" + src[self.i + 3])
            self.i += 4
            self.open_groups.append(0)
            return
        name_match = _NAMED_GROUP.match(src, self.i)
        if name_match is not None:
            self.groups += 1
            self.open_groups.append(self.groups)
            name = name_match.group("name") or name_match.group("q")
            self.seen_names.add(name)
            self.out.append("(?P<" + name + ">")
            self.i = name_match.end()
            return
        if kind == "|":
            raise Unsupported("branch reset group (?|…)")
        if kind in ("R", "&", "+") or kind.isdigit() or src.startswith("(?P>", self.i) or (src.startswith("(?-", self.i) and src[self.i + 3 : self.i + 4].isdigit()):
            raise Unsupported("recursion or subroutine call")
        if kind == "(":
            raise Unsupported("conditional group (?(…)…)")
        if kind == "C":
            raise Unsupported("callout (?C…)")
        if src.startswith("(?P=", self.i):
            end = src.find(")", self.i)
            if end < 0:
                raise Invalid("missing )")
            self._named_ref(src[self.i + 4 : end])
            self.i = end + 1
            self.depth -= 1
            self.can_repeat = True
            return
        flag_match = _INLINE_FLAGS.match(src, self.i)
        if flag_match is not None:
            on, off, closer = flag_match.group(1), flag_match.group(2) or "", flag_match.group(3)
            if closer == ")" and not self.out and self.depth == 1 and not off and not set(on) - set("imsx"):
                # options at the very start of the pattern apply to all of it
                self.multiline |= "m" in on
                self.extended |= "x" in on
                python = "".join(f for f in on if f in "is")
                if python:
                    self.out.append("(?" + python + ")")
                self.i = flag_match.end()
                self.depth -= 1
                return
            if set(on + off) - set("is"):
                raise Unsupported(f"inline option (?{on}{'-' + off if off else ''}…)")
            if closer == ":":
                self.out.append("(?" + on + ("-" + off if off else "") + ":")
                self.i = flag_match.end()
                self.open_groups.append(0)
                return
            raise Unsupported("inline option setting that applies to the rest of the group")
        raise Invalid("unrecognized character after (?")

    # -- escapes -----------------------------------------------------------------------------

    def _escape(self) -> None:
        src = self.src
        if self.i + 1 >= len(src):
            raise Invalid("\\ at end of pattern")
        c = src[self.i + 1]
        self.i += 2
        self.can_repeat = True
        if c in "dDwWsS":
            if c in "sS" and self.utf:
                self.out.append(("[" if c == "s" else "[^") + _S_UTF + "]")
            else:
                self.out.append("\\" + c)
        elif c in "bB":
            self.out.append("\\" + c)
            self.can_repeat = False
        elif c == "A":
            self.out.append(r"\A")
            self.can_repeat = False
        elif c == "z":
            self.out.append(r"\Z")
            self.can_repeat = False
        elif c == "Z":
            self.out.append(r"(?=\n?\Z)")
            self.can_repeat = False
        elif c in "hH":
            chars = _H_UTF if self.utf else _H_BYTES
            self.out.append(("[" if c == "h" else "[^") + chars + "]")
        elif c in "vV":
            chars = _V_UTF if self.utf else _V_BYTES
            self.out.append(("[" if c == "v" else "[^") + chars + "]")
        elif c == "R":
            if not _ATOMIC:
                raise Unsupported("\\R (needs atomic groups, Python 3.11)")
            self.out.append(r"(?>\r\n|[" + (_V_UTF if self.utf else _V_BYTES) + "])")
        elif c == "N":
            if src[self.i : self.i + 1] == "{":
                raise Unsupported("\\N{…}")
            self.out.append(r"[^\n]")
        elif c in _SIMPLE_ESCAPES:
            self.out.append(_SIMPLE_ESCAPES[c])
        elif c == "x":
            self.out.append(_literal(chr(self._hex())))
        elif c == "c":
            if self.i >= len(src) or not src[self.i].isascii():
                raise Invalid("\\c at end of pattern")
            self.out.append(_literal(chr(ord(src[self.i].upper()) ^ 0x40)))
            self.i += 1
        elif c == "0":
            digits = _OCTAL2.match(src, self.i)
            value = int("0" + (digits.group(0) if digits else ""), 8)
            self.i += len(digits.group(0)) if digits else 0
            self.out.append(_literal(chr(value)))
        elif c.isdigit():
            self._backref_digits(c)
        elif c == "g":
            self._backref_g()
        elif c == "k":
            match = _K_NAME.match(src, self.i)
            if match is None:
                raise Invalid("\\k is not followed by a name")
            self._named_ref(match.group("name") or match.group("q") or match.group("b"))
            self.i = match.end()
        elif c == "Q":
            end = src.find("\\E", self.i)
            text = src[self.i :] if end < 0 else src[self.i : end]
            self.i = len(src) if end < 0 else end + 2
            if text:
                self.out.append("(?:" + "".join(_literal(ch) for ch in text) + ")")
            else:
                self.can_repeat = False
        elif c == "E":
            self.can_repeat = False
        elif c in "KGXCpPo":
            raise Unsupported(f"\\{c} is not emulated")
        elif c.isascii() and c.isalnum():
            raise Invalid(f"unrecognized escape \\{c}")
        else:
            self.out.append(_literal(c))

    def _hex(self) -> int:
        src = self.src
        if src[self.i : self.i + 1] == "{":
            end = src.find("}", self.i)
            digits = src[self.i + 1 : end] if end > 0 else ""
            if end < 0 or not digits or any(ch not in "0123456789abcdefABCDEF" for ch in digits):
                raise Invalid("malformed \\x{…}")
            value = int(digits, 16)
            if value > (0x10FFFF if self.utf else 0xFF):
                raise Invalid("character code point value in \\x{} is too large")
            self.i = end + 1
            return value
        match = _HEX2.match(src, self.i)
        if match is None:
            return 0
        self.i = match.end()
        return int(match.group(0), 16)

    def _backref_digits(self, first: str) -> None:
        src = self.src
        digits = first
        while self.i < len(src) and src[self.i].isdigit():
            digits += src[self.i]
            self.i += 1
        number = int(digits)
        if len(digits) == 1 or number <= self.groups:
            self._backref(number, digits)
            return
        raise Unsupported(f"\\{digits}: octal or back-reference by PCRE's rules")

    def _backref_g(self) -> None:
        src = self.src
        match = _G_REF.match(src, self.i)
        if match is None:
            raise Invalid("\\g is not followed by a number or name")
        self.i = match.end()
        ref = match.group("ref") or match.group("plain")
        if ref.lstrip("+-").isdigit():
            relative = ref[0] in "+-"
            number = self.groups + int(ref) + (ref[0] == "-") if relative else int(ref)
            self._backref(number, ref)
        else:
            self._named_ref(ref)

    def _named_ref(self, name: str) -> None:
        if name not in self.names:
            raise Invalid(f"reference to non-existent subpattern {name!r}")
        if name not in self.seen_names:
            raise Unsupported("reference to a named group defined later")
        self.out.append("(?P=" + name + ")")

    def _backref(self, number: int, text: str) -> None:
        if number <= 0 or number > self.total_groups:
            raise Invalid(f"reference to non-existent subpattern \\{text}")
        if number in self.open_groups or number > self.groups:
            raise Unsupported("reference to a group that is not closed yet")
        self.out.append(f"(?:\\{number})")

    # -- classes -----------------------------------------------------------------------------

    def _class(self) -> None:
        src = self.src
        if _POSIX_OUTSIDE.match(src, self.i):
            raise Invalid("POSIX named classes are supported only within a class")
        i = self.i + 1
        negate = src[i : i + 1] == "^"
        if negate:
            i += 1
        items: list[tuple[str, str]] = []  # (kind, text): "lit" one character, "set" a class, "-"
        first = True
        while True:
            if i >= len(src):
                raise Invalid("missing terminating ] for character class")
            c = src[i]
            if c == "]" and not first:
                i += 1
                break
            if not (c == "\\" and src[i + 1 : i + 2] in ("E", "Q")):
                first = False  # \E and an empty \Q…\E leave a following ] literal
            if c == "[" and src[i + 1 : i + 2] in (":", ".", "="):
                match = _POSIX_CLASS.match(src, i)
                if match is not None:
                    if match.group(2) not in _POSIX:
                        raise Invalid("unknown POSIX class name")
                    if self.utf:
                        raise Unsupported("POSIX class with /u")
                    if match.group(1):
                        raise Unsupported("negated POSIX class [:^…:]")
                    items.append(("set", _POSIX[match.group(2)]))
                    i = match.end()
                    continue
                raise Unsupported("POSIX collating element or malformed POSIX class")
            if c == "\\":
                if i + 1 >= len(src):
                    raise Invalid("\\ at end of pattern")
                e = src[i + 1]
                i += 2
                if e in "dDwWsS":
                    items.append(("set", _class_s(e, self.utf)))
                elif e in "hv":
                    items.append(("set", (_H_UTF if self.utf else _H_BYTES) if e == "h" else (_V_UTF if self.utf else _V_BYTES)))
                elif e in "HV":
                    raise Unsupported(f"\\{e} inside a class")
                elif e == "b":
                    items.append(("lit", "\\x08"))
                elif e in _SIMPLE_ESCAPES:
                    items.append(("lit", _SIMPLE_ESCAPES[e]))
                elif e == "x":
                    self.i = i
                    items.append(("lit", _literal(chr(self._hex()))))
                    i = self.i
                elif e in "01234567":
                    match = _OCTAL3.match(src, i - 1)
                    assert match is not None
                    items.append(("lit", _literal(chr(int(match.group(0), 8)))))
                    i = match.end()
                elif e == "c":
                    if i >= len(src) or not src[i].isascii():
                        raise Invalid("\\c at end of pattern")
                    items.append(("lit", _literal(chr(ord(src[i].upper()) ^ 0x40))))
                    i += 1
                elif e == "Q":
                    end = src.find("\\E", i)
                    text = src[i:] if end < 0 else src[i:end]
                    items.extend(("lit", _literal(ch)) for ch in text)
                    i = len(src) if end < 0 else end + 2
                elif e == "E":
                    pass
                elif e in "89g":
                    items.append(("lit", _literal(e)))  # PCRE2 takes these literally in a class
                elif e in "pPo":
                    raise Unsupported(f"\\{e} inside a class")
                elif e.isascii() and e.isalnum():
                    raise Invalid(f"escape \\{e} is invalid in a character class")
                else:
                    items.append(("lit", _literal(e)))
                continue
            if c == "-":
                items.append(("-", "-"))
            else:
                items.append(("lit", _literal(c)))
            i += 1
        self.i = i
        parts: list[str] = []
        for k, (kind, text) in enumerate(items):
            if kind == "-":
                before = items[k - 1][0] if k > 0 else ""
                after = items[k + 1][0] if k + 1 < len(items) else ""
                if before == "lit" and after == "lit" and (k < 2 or items[k - 2][0] != "-"):
                    parts.append("-")
                    continue
                if (before == "set" and after == "lit") or (before == "lit" and after == "set"):
                    raise Invalid("invalid range in character class")
                parts.append("\\-")
            else:
                parts.append(text)
        self.out.append("[" + ("^" if negate else "") + "".join(parts) + "]")


def _class_s(e: str, utf: bool) -> str:
    if e == "s" and utf:
        return _S_UTF
    if e == "S" and utf:
        raise Unsupported("\\S inside a class with /u")
    return "\\" + e


def _literal(c: str) -> str:
    if c.isascii() and (c.isalnum() or c in " _"):
        return c
    code = ord(c)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


_QUANT = re.compile(r"\{(\d+)(,)?(\d*)\}")
_NAMED_GROUP = re.compile(r"\(\?(?:P?<(?P<name>[A-Za-z_][A-Za-z0-9_]*)>|'(?P<q>[A-Za-z_][A-Za-z0-9_]*)')")
_INLINE_FLAGS = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])")
_K_NAME = re.compile(r"(?:<(?P<name>\w+)>|'(?P<q>\w+)'|\{(?P<b>\w+)\})")
_G_REF = re.compile(r"(?:\{(?P<ref>[+-]?\w+)\}|(?P<plain>[+-]?\d+))")
_HEX2 = re.compile(r"[0-9a-fA-F]{1,2}")
_OCTAL2 = re.compile(r"[0-7]{1,2}")
_OCTAL3 = re.compile(r"[0-7]{1,3}")
_NAMES = re.compile(r"\(\?(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')")
_POSIX_OUTSIDE = re.compile(r"\[([:.=])[^\]\\]*?\1\]")
_POSIX_CLASS = re.compile(r"\[:(\^?)([a-z]+):\]")


def _count_groups(src: str, extended: bool, no_capture: bool) -> tuple[int, list[str]]:
    """Capturing groups in a PCRE body and the names among them (for reference checks)."""
    count = 0
    names: list[str] = []
    i = 0
    in_class = False
    while i < len(src):
        c = src[i]
        if c == "\\":
            if src.startswith("\\Q", i):
                end = src.find("\\E", i + 2)
                i = len(src) if end < 0 else end + 2
                continue
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if src[i + 1 : i + 2] == "^":
                i += 1
            if src[i + 1 : i + 2] == "]":
                i += 1
        elif c == "(":
            nxt = src[i + 1 : i + 2]
            named = _NAMES.match(src, i)
            if named is not None:
                count += 1
                names.append(named.group(1) or named.group(2))
            elif nxt not in ("?", "*") and not no_capture:
                count += 1
        elif extended and c == "#":
            end = src.find("\n", i)
            i = len(src) if end < 0 else end + 1
            continue
        i += 1
    return count, names


# -- the replacement string -------------------------------------------------------------------


@lru_cache(maxsize=1024)
def parse_replacement(replace: str) -> tuple[str | int, ...]:
    """preg_replace's reading of a replacement: literal pieces and group numbers.

    ``\\\\`` and ``\\$`` escape, ``\\N``/``\\NN``/``$N``/``$NN``/``${N}``/``${NN}`` are references
    (two digits at most), a backslash before anything else is kept.
    """
    out: list[str | int] = []
    buf: list[str] = []
    walk_last = ""
    i = 0
    n = len(replace)
    while i < n:
        c = replace[i]
        if c in "\\$":
            if walk_last == "\\":
                buf[-1] = c
                i += 1
                walk_last = ""
                continue
            ref = _backref_at(replace, i)
            if ref is not None:
                number, i = ref
                if buf:
                    out.append("".join(buf))
                    buf = []
                out.append(number)
                continue
        buf.append(c)
        walk_last = c
        i += 1
    if buf:
        out.append("".join(buf))
    return tuple(out)


def _backref_at(text: str, i: int) -> tuple[int, int] | None:
    if i + 1 >= len(text):
        return None
    j = i
    brace = text[i] == "$" and text[i + 1] == "{"
    if brace:
        j += 1
    j += 1
    if j < len(text) and "0" <= text[j] <= "9":
        number = ord(text[j]) - 48
        j += 1
    else:
        return None
    if j < len(text) and "0" <= text[j] <= "9":
        number = number * 10 + ord(text[j]) - 48
        j += 1
    if brace:
        if j >= len(text) or text[j] != "}":
            return None
        j += 1
    return number, j


def replacer(pieces: tuple[str | int, ...], utf: bool) -> Callable[[re.Match[Any]], Any]:
    """A ``re.sub`` callback producing preg_replace's text for each match (missing groups: empty)."""
    if utf:
        def sub_str(match: re.Match[str]) -> str:
            groups = match.re.groups
            return "".join(p if isinstance(p, str) else (match.group(p) or "" if p <= groups else "") for p in pieces)

        return sub_str
    encoded = tuple(p.encode("utf-8", "surrogateescape") if isinstance(p, str) else p for p in pieces)

    def sub_bytes(match: re.Match[bytes]) -> bytes:
        groups = match.re.groups
        return b"".join(p if isinstance(p, bytes) else (match.group(p) or b"" if p <= groups else b"") for p in encoded)

    return sub_bytes
