"""An emulation of OpenCart's modification refresh (``marketplace/modification/refresh``).

It knows nothing of diagnostics: given parsed manifests in OpenCart's order and a source of
original files, it returns what OpenCart would do — per operation the lines acted on, not found,
skipped, the error mode taken — plus the resulting texts and the log OpenCart writes. Behaviour
follows ocmod-facts §2 (3.0) and §4.3 (4.1), checked against OpenCart's own refresh code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from .manifest import FileBlock, Manifest, Operation

LOG_SEPARATOR = "-" * 64


@dataclass(frozen=True)
class Flags:
    """Differences between OpenCart versions that change what a refresh does."""

    version: str = "3.0.3.8"
    abort_stops_later_mods: bool = True  # 3.0: `break 5`; 4.1: only this modification
    backslash_paths: bool = True  # 3.0.3.7+: '\\' in path becomes '/'
    sub_modification_log: bool = True  # 3.0.3.8+: "FILE: (sub modification) key"; before: no line
    prefixes: tuple[str, ...] = ("catalog", "admin", "system")
    dedupe_glob: bool = False  # 4.1.0.4 oc_glob removes duplicates


def flags_for(version: str) -> Flags:
    """The flags for an OpenCart version string such as ``3.0.3.8`` or ``4.1.0.4``."""
    parts = tuple(int(p) for p in re.findall(r"\d+", version)[:4]) or (3, 0, 3, 8)
    parts = parts + (0,) * (4 - len(parts))
    if parts[:2] >= (4, 1):
        return Flags(version, False, True, True, ("catalog", "admin", "extension", "system"), parts >= (4, 1, 0, 4))
    return Flags(version, True, parts >= (3, 0, 3, 7), parts >= (3, 0, 3, 8))


class FileSource(Protocol):
    """Original files of an OpenCart tree, by cache key (``admin/…``, ``catalog/…``, ``system/…``)."""

    def glob(self, pattern: str) -> list[str]:
        """Keys matching a glob pattern (``*``, ``?``, ``[…]``, ``{a,b}``; ``*`` stops at ``/``)."""

    def read(self, key: str) -> str:
        """The file's text (decoded as UTF-8, undecodable bytes kept as surrogates)."""


@dataclass
class Outcome:
    """What one operation did to one target file."""

    mod: int  # index of the modification in the applied list
    block: FileBlock
    operation: Operation
    key: str
    status: str  # "applied", "not-found", "ignored" (ignoreif), "fatal"
    error_mode: str = "log"  # the mode OpenCart used when nothing matched: log, skip, abort
    matched: list[int] = field(default_factory=list)  # 1-based lines of the ORIGINAL file acted on
    candidates: list[int] = field(default_factory=list)  # matching original lines, before `index` filtering
    total_matches: int = 0  # every matching line, inserted ones included (what `index` counts)
    case_only: list[int] = field(default_factory=list)  # replace: matched only case-insensitively, unchanged
    rematched: bool = False  # after + positive offset re-matched inserted text
    regex_invalid: bool = False
    message: str = ""


@dataclass
class PathMiss:
    """A ``|``-part of a ``<file path>`` that resolved to no file (OpenCart skips it silently)."""

    mod: int
    block: FileBlock
    part: str
    reason: str


@dataclass
class ModState:
    """Per modification: was it rolled back by an abort, or never applied because of an earlier abort."""

    manifest: Manifest
    aborted: bool = False
    cancelled_by: int | None = None


@dataclass
class Result:
    """Everything a refresh produced."""

    files: dict[str, str]  # key -> final text, only files that differ from the original
    originals: dict[str, str]
    outcomes: list[Outcome]
    misses: list[PathMiss]
    mods: list[ModState]
    log: list[str]

    def log_text(self) -> str:
        return "\n".join(self.log)


class Fatal(Exception):
    """A construct that stops OpenCart's refresh with a PHP fatal error."""


def _php_trim(text: str) -> str:
    return text.strip(" \t\n\r\0\x0b")


def _php_int(value: str) -> int:
    """PHP 8 arithmetic on a numeric string; a non-numeric one is a TypeError (fatal refresh)."""
    text = value.strip(" \t\n\r\x0b\x0c")
    try:
        number = float(text)
    except ValueError:
        raise Fatal(f"non-numeric value {value!r}") from None
    return int(number)


def _php_in_indexes(i: int, indexes: list[str]) -> bool:
    """``in_array($i, $indexes)`` with PHP 8 loose comparison of an int and numeric strings."""
    for entry in indexes:
        text = entry.strip(" \t\n\r\x0b\x0c")
        try:
            if float(text) == i:
                return True
        except ValueError:
            continue
    return False


def _splice(lines: list[str], start: int, length: int, replacement: list[str]) -> None:
    """PHP ``array_splice`` for a non-negative length: a negative start counts from the end."""
    size = len(lines)
    if start < 0:
        start = max(0, size + start)
    start = min(start, size)
    end = min(size, start + length)
    lines[start:end] = replacement


def _stripos(line: str, search: str) -> bool:
    return search.lower() in line.lower() if search else True  # PHP 8: empty needle matches


def apply(manifests: Iterable[Manifest], source: FileSource, flags: Flags = Flags()) -> Result:
    """Apply modifications in the given order (use ``order_modifications`` for OpenCart's)."""
    modification: dict[str, str] = {}
    original: dict[str, str] = {}
    # For each current line of each file, the original line it came from (None: inserted), so
    # outcomes name lines of the file as shipped, whatever earlier operations did.
    origins: dict[str, list[int | None]] = {}
    outcomes: list[Outcome] = []
    misses: list[PathMiss] = []
    states: list[ModState] = []
    log: list[str] = []
    stopped_by: int | None = None
    for mod_index, manifest in enumerate(manifests):
        state = ModState(manifest)
        states.append(state)
        if stopped_by is not None:
            state.cancelled_by = stopped_by
            continue
        log.append("MOD: " + (manifest.fields["name"].text if "name" in manifest.fields else ""))
        recovery = dict(modification)
        recovery_origins = {k: list(v) for k, v in origins.items()}
        recovery_outcomes = len(outcomes)
        aborted = False
        for block in manifest.files:
            if aborted:
                break
            raw_path = block.path or ""
            if flags.backslash_paths:
                raw_path = raw_path.replace("\\", "/")
            for part in raw_path.split("|"):
                if aborted:
                    break
                prefix = next((p for p in flags.prefixes if part[: len(p)] == p), None)
                if prefix is None:
                    if block.path is not None:
                        misses.append(PathMiss(mod_index, block, part, "does not start with " + ", ".join(flags.prefixes)))
                    continue
                pattern = prefix + "/" + part[len(prefix) + 1 :]
                keys = source.glob(pattern)
                if flags.dedupe_glob:
                    keys = sorted(dict.fromkeys(keys))
                if not keys:
                    misses.append(PathMiss(mod_index, block, part, "matches no file"))
                    continue
                for key in keys:
                    if key not in modification:
                        text = re.sub(r"\r?\n", "\n", source.read(key))
                        modification[key] = text
                        original[key] = text
                        origins[key] = list(range(1, text.count("\n") + 2))
                        log.append("\nFILE: " + key)
                    elif flags.sub_modification_log:
                        log.append("\nFILE: (sub modification) " + key)
                    # Before 3.0.3.8 a file another modification already changed gets no FILE line.
                    for operation in block.operations:
                        outcome = _operation(mod_index, block, operation, key, modification, origins, log)
                        outcomes.append(outcome)
                        if outcome.status == "fatal":
                            raise Fatal(outcome.message)
                        if outcome.status != "not-found":
                            continue
                        mode = operation.attrs.get("error", "")
                        if mode == "abort":
                            outcome.error_mode = "abort"
                            modification = recovery
                            origins = recovery_origins
                            log.append("NOT FOUND - ABORTING!")
                            aborted = True
                            break
                        if mode == "skip":
                            outcome.error_mode = "skip"
                            log.append("NOT FOUND - OPERATION SKIPPED!")
                            continue
                        outcome.error_mode = "log"
                        log.append("NOT FOUND - OPERATIONS ABORTED!")
                        break
                    if aborted:
                        break
        if aborted:
            state.aborted = True
            for outcome in outcomes[recovery_outcomes:]:
                if outcome.status == "applied":
                    outcome.message = "rolled back by error=\"abort\""
            if flags.abort_stops_later_mods:
                stopped_by = mod_index
                continue  # 3.0 leaves the loop: no separator line is logged
        log.append(LOG_SEPARATOR)
    changed = {k: v for k, v in modification.items() if original.get(k) != v}
    return Result(changed, original, outcomes, misses, states, log)


def _operation(
    mod_index: int, block: FileBlock, op: Operation, key: str, modification: dict[str, str], origins: dict[str, list[int | None]], log: list[str]
) -> Outcome:
    if op.search is None or op.add is None:
        return Outcome(mod_index, block, op, key, "fatal", message="an operation without <search> or <add> stops Refresh with a fatal error")
    text = modification[key]
    if op.ignoreif is not None:
        if op.ignoreif.attrs.get("regex") != "true":
            if op.ignoreif.text in text:
                return Outcome(mod_index, block, op, key, "ignored")
        else:
            pattern = php_regex(op.ignoreif.text)
            if pattern is not None and pattern.search(text):
                return Outcome(mod_index, block, op, key, "ignored")
    if op.search.attrs.get("regex") == "true":
        return _regex_operation(mod_index, block, op, key, modification, origins, log)
    search = op.search.text
    trim = op.search.attrs.get("trim", "")
    if not trim or trim == "true":
        search = _php_trim(search)
    add = op.add.text
    if op.add.attrs.get("trim") == "true":
        add = _php_trim(add)
    position = op.add.attrs.get("position", "")
    try:
        offset = _php_int(op.add.attrs.get("offset", "") or "0")
    except Fatal as exc:
        return Outcome(mod_index, block, op, key, "fatal", message=f"offset: {exc}")
    log.append("CODE: " + search)
    index_attr = op.search.attrs.get("index", "")
    indexes = index_attr.split(",") if index_attr != "" else []
    outcome = Outcome(mod_index, block, op, key, "not-found")
    lines = text.split("\n")
    origin = origins[key]
    i = 0
    line_id = 0
    while line_id < len(lines):
        line = lines[line_id]
        match = False
        if _stripos(line, search):
            source_line = origin[line_id]
            if source_line is not None:
                outcome.candidates.append(source_line)
            elif position == "after":
                outcome.rematched = True
            if not indexes or _php_in_indexes(i, indexes):
                match = True
            i += 1
            outcome.total_matches = i
        if match:
            new_lines = add.split("\n")
            if origin[line_id] is not None:
                outcome.matched.append(origin[line_id])  # type: ignore[arg-type]
            if position not in ("before", "after"):
                replaced = line.replace(search, add) if search else line
                if search and replaced == line and origin[line_id] is not None:
                    outcome.case_only.append(origin[line_id])  # type: ignore[arg-type]
                if offset < 0:
                    _splice(lines, line_id + offset, abs(offset) + 1, [replaced])
                    _splice(origin, line_id + offset, abs(offset) + 1, [origin[line_id]])
                    line_id -= offset
                else:
                    _splice(lines, line_id, offset + 1, [replaced])
                    _splice(origin, line_id, offset + 1, [origin[line_id]])
            elif position == "before":
                _splice(lines, line_id - offset, 0, new_lines)
                _splice(origin, line_id - offset, 0, [None] * len(new_lines))
                line_id += len(new_lines)
            else:
                _splice(lines, line_id + 1 + offset, 0, new_lines)
                _splice(origin, line_id + 1 + offset, 0, [None] * len(new_lines))
                line_id += len(new_lines)
            log.append("LINE: " + str(line_id))
            outcome.status = "applied"
        line_id += 1
    modification[key] = "\n".join(lines)
    origins[key] = _expand_origins(lines, origin)
    return outcome


def _expand_origins(lines: list[str], origin: list[int | None]) -> list[int | None]:
    """One origin per line of the joined text: a replace with a multi-line add leaves one array
    element holding several lines; the first keeps the origin, the rest are inserted text."""
    if len(lines) == len(origin) and not any("\n" in line for line in lines):
        return origin
    out: list[int | None] = []
    for line, source in zip(lines, origin, strict=True):
        out.append(source)
        out.extend([None] * line.count("\n"))
    return out


def _regex_operation(
    mod_index: int, block: FileBlock, op: Operation, key: str, modification: dict[str, str], origins: dict[str, list[int | None]], log: list[str]
) -> Outcome:
    assert op.search is not None and op.add is not None
    search = _php_trim(op.search.text)
    replace = _php_trim(op.add.text)
    limit_attr = op.search.attrs.get("limit", "")
    outcome = Outcome(mod_index, block, op, key, "not-found")
    try:
        limit = _php_int(limit_attr) if limit_attr else 0
    except Fatal as exc:
        return Outcome(mod_index, block, op, key, "fatal", message=f"limit: {exc}")
    if limit <= 0:
        limit = -1
    pattern = php_regex(search)
    text = modification[key]
    if pattern is None:
        # preg_* fail: OpenCart stores null, and the cached file is written empty.
        outcome.regex_invalid = True
        outcome.message = "invalid PCRE pattern: the target file is blanked"
        modification[key] = ""
        origins[key] = [None]
        return outcome
    matches = list(pattern.finditer(text))
    if limit > 0:
        matches = matches[:limit]
    origin = origins[key]
    if matches:
        log.append("REGEX: " + search)
        for m in matches:
            number = text.count("\n", 0, m.start()) + 1
            log.append("LINE: " + str(number))
            if 0 < number <= len(origin) and origin[number - 1] is not None:
                outcome.matched.append(origin[number - 1])  # type: ignore[arg-type]
        outcome.status = "applied"
        outcome.total_matches = len(matches)
    outcome.candidates = list(outcome.matched)
    new_text = pattern.sub(_php_replacement(replace), text, count=max(limit, 0))
    modification[key] = new_text
    if new_text.count("\n") != text.count("\n"):  # lines moved: only the untouched head keeps its origin
        head = text[: matches[0].start()].count("\n") if matches else 0
        origins[key] = origin[:head] + [None] * (new_text.count("\n") + 1 - head)
    return outcome


_DELIMITER_PAIRS = {"(": ")", "[": "]", "{": "}", "<": ">"}
_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE, "u": 0, "D": 0, "A": 0, "S": 0, "X": 0, "J": 0, "U": 0, "n": 0}


def split_php_regex(pattern: str) -> tuple[str, str] | None:
    """(body, modifiers) of a PHP PCRE pattern with delimiters, or None when PHP would refuse it."""
    text = pattern.lstrip(" \t\n\r\x0b\x0c")
    if not text:
        return None
    delimiter = text[0]
    if delimiter.isalnum() or delimiter == "\\":
        return None
    closing = _DELIMITER_PAIRS.get(delimiter, delimiter)
    end = text.rfind(closing)
    if end <= 0:
        return None
    body, modifiers = text[1:end], text[end + 1 :]
    if any(m not in _FLAGS and m not in "\n " for m in modifiers):
        return None
    return body, modifiers.strip()


def php_regex(pattern: str) -> re.Pattern[str] | None:
    """A Python approximation of a PHP PCRE pattern; None when PHP (or Python) cannot compile it."""
    parts = split_php_regex(pattern)
    if parts is None:
        return None
    body, modifiers = parts
    flags = 0
    for m in modifiers:
        flags |= _FLAGS.get(m, 0)
    body = re.sub(r"\(\?<(?![=!])", "(?P<", body)  # PCRE named groups
    if "A" in modifiers:
        body = r"\A(?:" + body + ")"
    try:
        return re.compile(body, flags)
    except (re.error, RecursionError, OverflowError):
        return None


def _php_replacement(replace: str) -> str:
    """``$1``, ``${1}`` and ``\\1`` references in PHP replacements as Python ones."""
    out = []
    i = 0
    while i < len(replace):
        c = replace[i]
        m = re.match(r"\$\{(\d{1,2})\}|\$(\d{1,2})|\\(\d{1,2})", replace[i:])
        if m:
            out.append("\\g<" + (m.group(1) or m.group(2) or m.group(3)) + ">")
            i += len(m.group(0))
            continue
        out.append("\\\\" if c == "\\" else c)
        i += 1
    return "".join(out)


def order_modifications(core: list[Manifest], developer: list[Manifest], installed: list[Manifest]) -> list[Manifest]:
    """OpenCart 3.0's order: core ``system/modification.xml``, ``system/*.ocmod.xml`` by file name,
    then the installed modifications by ``<name>`` (MySQL's case-insensitive collation)."""
    def name_key(m: Manifest) -> str:
        return (m.name or "").strip().lower()

    return [*core, *developer, *sorted(installed, key=name_key)]
