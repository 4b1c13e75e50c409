"""refresh()'s outer loops: modifications, ``<file>`` elements, paths, operations; the error
modes, rollback on abort, the log, and which files are written."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..manifest import FileBlock, Manifest, Operation
from . import lines, paths, php
from . import log as oclog
from .model import (
    APPLIED,
    FATAL,
    IGNORED,
    NOT_FOUND,
    SKIPPED,
    UNSUPPORTED,
    Fatal,
    FileSource,
    Flags,
    ModState,
    Outcome,
    PathMiss,
    Result,
    Unsupported,
)


class _State:
    """The in-memory cache of one refresh: text per key (None = PHP null after a failed
    preg_replace), its lowercased copy, and the origin of each line."""

    def __init__(self) -> None:
        self.text: dict[str, str | None] = {}
        self.origin: dict[str, list[int | None]] = {}
        self.lowered: dict[str, str] = {}
        self.lines: dict[str, list[str]] = {}  # text.split("\n"), kept when an operation had it

    def copy(self) -> _State:
        other = _State()
        other.text = dict(self.text)
        other.origin = dict(self.origin)  # lists are replaced, never changed in place
        other.lowered = dict(self.lowered)
        other.lines = dict(self.lines)
        return other

    def set(self, key: str, text: str | None, origin: list[int | None], lines: list[str] | None = None) -> None:
        self.text[key] = text
        self.origin[key] = origin
        self.lowered.pop(key, None)
        if lines is None:
            self.lines.pop(key, None)
        else:
            self.lines[key] = lines

    def lower(self, key: str) -> str:
        value = self.lowered.get(key)
        if value is None:
            value = php.ascii_lower(self.text[key] or "")
            self.lowered[key] = value
        return value


if TYPE_CHECKING:
    from .pcre import Regex

_DEFAULT = Flags()


def apply(manifests: Iterable[Manifest], source: FileSource, flags: Flags = _DEFAULT) -> Result:
    """Apply modifications in the given order (use ``order_modifications`` for OpenCart's).

    Raises ``Fatal`` when OpenCart's refresh dies (nothing is written then)."""
    state = _State()
    original: dict[str, str] = {}
    outcomes: list[Outcome] = []
    misses: list[PathMiss] = []
    states: list[ModState] = []
    log: list[str] = []
    unsupported: list[Outcome] = []
    stopped_by: int | None = None
    for mod_index, manifest in enumerate(manifests):
        mod_state = ModState(manifest)
        states.append(mod_state)
        if stopped_by is not None:
            mod_state.cancelled_by = stopped_by
            continue
        log.append(oclog.mod(manifest.fields["name"].text if "name" in manifest.fields else ""))
        if not _has_modification(manifest):
            if flags.skip_incomplete:
                mod_state.skipped = True
                continue  # 3.0.5.1: `continue` before the separator is logged
            raise Fatal(f"{manifest.path}: no <modification> element (method call on null)")
        recovery = state.copy()
        first_outcome = len(outcomes)
        aborted = False
        for block in manifest.files:
            for part in paths.parts(block.path, flags):
                pattern = paths.pattern_for(part, flags)
                if pattern is None:
                    if block.path is not None:
                        misses.append(PathMiss(mod_index, block, part, "does not start with " + ", ".join(flags.prefixes)))
                    continue
                keys = paths.resolve(pattern, flags, source.glob)
                if not keys:
                    misses.append(PathMiss(mod_index, block, part, "matches no file"))
                    continue
                for key in keys:
                    if state.text.get(key) is None:  # isset() is false for null too
                        text = source.read(key)
                        if "\r" in text:
                            text = text.replace("\r\n", "\n")  # preg_replace('~\r?\n~', "\n")
                        state.set(key, text, list(range(1, text.count("\n") + 2)))
                        original[key] = text
                        log.append(oclog.file(key, False))
                    elif flags.sub_modification_log:
                        log.append(oclog.file(key, True))
                    aborted = _operations(mod_index, block, key, state, flags, outcomes, unsupported, log)
                    if aborted:
                        break
                if aborted:
                    break
            if aborted:
                break
        if aborted:
            state = recovery
            mod_state.aborted = True
            for outcome in outcomes[first_outcome:]:
                if outcome.status == APPLIED:
                    outcome.message = "rolled back by error=\"abort\""
            if flags.abort_stops_later_mods:
                stopped_by = mod_index
                continue  # 3.0 leaves every loop (`break 5`): no separator line
        log.append(oclog.separator())
    files: dict[str, str] = {}
    for key, value in state.text.items():
        if value is None:
            if original[key] != "":  # "" == null in PHP: an empty original stays unwritten
                files[key] = ""
        elif value != original[key]:
            files[key] = value
    return Result(files, original, outcomes, misses, states, log, unsupported)


def _has_modification(manifest: Manifest) -> bool:
    """Whether the document has a ``<modification>`` element (anywhere, as getElementsByTagName)."""
    return manifest.has_modification


def _operations(
    mod_index: int, block: FileBlock, key: str, state: _State, flags: Flags, outcomes: list[Outcome], unsupported: list[Outcome], log: list[str]
) -> bool:
    """The operations of one ``<file>`` on one key; True when an abort rolls the modification back."""
    for operation in block.operations:
        try:
            outcome = _operation(mod_index, block, operation, key, state, flags, log)
        except Unsupported as exc:
            outcome = Outcome(mod_index, block, operation, key, UNSUPPORTED, message=str(exc))
            unsupported.append(outcome)
        except Fatal as exc:
            outcomes.append(Outcome(mod_index, block, operation, key, FATAL, message=str(exc)))
            raise Fatal(str(exc), exact=not unsupported) from None
        outcomes.append(outcome)
        if outcome.status != NOT_FOUND:
            continue
        mode = operation.attrs.get("error", "")
        if mode == "abort":
            outcome.error_mode = "abort"
            log.append(oclog.not_found("abort"))
            return True
        if mode == "skip":
            outcome.error_mode = "skip"
            log.append(oclog.not_found("skip"))
            continue
        outcome.error_mode = "log"
        log.append(oclog.not_found("log"))
        break
    return False


def _operation(mod_index: int, block: FileBlock, op: Operation, key: str, state: _State, flags: Flags, log: list[str]) -> Outcome:
    text = state.text[key] or ""
    if op.ignoreif is not None:
        if op.ignoreif.attrs.get("regex") != "true":
            if op.ignoreif.text in text:
                return Outcome(mod_index, block, op, key, IGNORED)
        elif _preg_match(op.ignoreif.text, text):
            return Outcome(mod_index, block, op, key, IGNORED)
    if op.search is None or (op.add is None and (flags.skip_incomplete or op.search.attrs.get("regex") != "true")):
        if flags.skip_incomplete:
            return Outcome(mod_index, block, op, key, SKIPPED, message="no <search> or <add>: skipped (3.0.5.1)")
        what = "<search>" if op.search is None else "<add> (line mode)"
        raise Fatal(f"an operation without <search> or <add> stops Refresh with a fatal error: this one has no {what}")
    if op.search.attrs.get("regex") == "true":
        return _regex_operation(mod_index, block, op, key, state, flags, log)
    assert op.add is not None
    search = op.search.text
    trim = op.search.attrs.get("trim", "")
    if trim in ("", "0") or trim == "true":
        search = php.trim(search)
    add = op.add.text
    if op.add.attrs.get("trim") == "true":
        add = php.trim(add)
    position = op.add.attrs.get("position", "")
    raw_offset = op.add.attrs.get("offset", "")
    offset = php.offset_41(raw_offset) if flags.int_cast else php.offset_30(raw_offset)
    log.append(oclog.code(search))
    index_attr = op.search.attrs.get("index", "")
    indexes = index_attr.split(",") if index_attr != "" else []
    done = lines.run(text, state.lower(key), state.origin[key], search, add, position, offset, indexes, state.lines.get(key))
    outcome = Outcome(
        mod_index, block, op, key, APPLIED if done.found else NOT_FOUND, matched=done.matched, candidates=done.candidates,
        total_matches=done.total_matches, case_only=done.case_only, rematched=done.rematched, log_lines=done.log_lines,
    )
    log.extend(oclog.line(php.number_str(n)) for n in done.log_lines)
    if done.text is not text or state.text[key] is None:
        state.set(key, done.text, done.origin, done.lines)
    elif done.lines is not None and key not in state.lines:
        state.lines[key] = done.lines
    return outcome


def _preg_match(pattern: str, text: str) -> bool:
    """``preg_match($pattern, $text)`` is truthy (a PHP error gives false)."""
    from . import pcre

    try:
        regex = pcre.compile_php(pattern)
    except pcre.Invalid:
        return False
    subject = _subject(regex, text)
    if subject is None:
        return False
    with pcre.time_budget():
        return regex.compiled.search(subject) is not None


def _subject(regex: Regex, text: str) -> str | bytes | None:
    """The subject as PCRE sees it; None when /u meets invalid UTF-8 (preg_* fail)."""
    if regex.utf:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return None
        return text
    return text.encode("utf-8", "surrogateescape")


def _regex_operation(mod_index: int, block: FileBlock, op: Operation, key: str, state: _State, flags: Flags, log: list[str]) -> Outcome:
    from . import pcre

    assert op.search is not None
    search = php.trim(op.search.text)
    replace = php.trim(op.add.text) if op.add is not None else ""
    limit_attr = op.search.attrs.get("limit", "")
    outcome = Outcome(mod_index, block, op, key, NOT_FOUND)
    text = state.text[key] or ""
    try:
        regex = pcre.compile_php(search)
    except pcre.Invalid as exc:
        regex = None
        outcome.message = f"invalid PCRE pattern ({exc}): preg_replace returns null and the file is written empty"
    limit = php.limit_41(limit_attr) if flags.int_cast else php.limit_30(limit_attr)
    if regex is None and limit.log is not None:
        # preg_match_all left $match empty: array_slice($match[0], …) gets null
        raise Fatal("invalid PCRE pattern with a positive limit: array_slice() of null is a TypeError")
    subject = _subject(regex, text) if regex is not None else None
    if regex is not None and subject is None:
        outcome.message = "/u pattern on text that is not valid UTF-8: preg_replace returns null and the file is written empty"
    if regex is None or subject is None:
        outcome.regex_invalid = True
        outcome.blanked = True
        state.set(key, None, [None])
        return outcome
    with pcre.time_budget():
        matches: list[re.Match[Any]] = list(regex.compiled.finditer(subject))
    logged = matches if limit.log is None else matches[: max(limit.log, 0)]
    origin = state.origin[key]
    newline: Any = "\n" if regex.utf else b"\n"
    if logged:
        log.append(oclog.regex(search))
        line = 1
        counted = 0
        for match in logged:
            line += subject.count(newline, counted, match.start())
            counted = match.start()
            log.append(oclog.line(str(line)))
            outcome.log_lines.append(line)
            source = origin[line - 1] if 0 < line <= len(origin) else None
            if source is not None and source > 0:
                outcome.matched.append(source)
        outcome.status = APPLIED
        outcome.total_matches = len(logged)
        outcome.candidates = list(outcome.matched)
    replaced = [] if limit.replace == 0 else matches if limit.replace < 0 else matches[: limit.replace]
    if not replaced:
        if state.text[key] is None:
            state.set(key, text, origin)
        return outcome
    substitute = pcre.replacer(pcre.parse_replacement(replace), regex.utf)
    pieces: list[Any] = []
    new_origin: list[int | None] = [origin[0] if origin else None]
    old_line = 0
    prev = 0
    for match in replaced:
        segment = subject[prev : match.start()]
        _follow(segment.count(newline), new_origin, origin, old_line)
        old_line += segment.count(newline)
        piece = substitute(match)
        pieces.append(segment)
        pieces.append(piece)
        new_origin.extend([None] * piece.count(newline))
        old_line += match.group(0).count(newline)
        prev = match.end()
    tail = subject[prev:]
    _follow(tail.count(newline), new_origin, origin, old_line)
    pieces.append(tail)
    new_text: str = "".join(pieces) if regex.utf else b"".join(pieces).decode("utf-8", "surrogateescape")
    state.set(key, new_text, new_origin)
    return outcome


def _follow(count: int, new_origin: list[int | None], origin: list[int | None], old_line: int) -> None:
    """Unchanged text between matches (``count`` newlines): each line it starts keeps its origin."""
    if count:
        taken = origin[old_line + 1 : old_line + 1 + count]
        new_origin.extend(taken)
        new_origin.extend([None] * (count - len(taken)))


def order_modifications(core: list[Manifest], developer: list[Manifest], installed: list[Manifest]) -> list[Manifest]:
    """OpenCart's order: core ``system/modification.xml`` (3.0 only), ``system/*.ocmod.xml`` by
    file name, then the installed modifications by ``<name>`` (MySQL's case-insensitive collation)."""

    def name_key(m: Manifest) -> str:
        return (m.name or "").strip().lower()

    return [*core, *developer, *sorted(installed, key=name_key)]
