"""SQL splitting with sqlparse, and the statement facts shared by the SQL rules and the build."""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .toolinfo import file_identity
from .verdicts import VerdictStore

DB_PREFIX_PLACEHOLDER = "{DB_PREFIX}"


@dataclass(frozen=True)
class Statement:
    """One SQL statement: its text (stripped, no trailing ';'), 1-based start line, and kind."""

    text: str
    line: int
    kind: str  # "CREATE", "DROP", "ALTER", "INSERT", … or "UNKNOWN"
    terminated: bool


@dataclass(frozen=True)
class SplitProblem:
    """Why a SQL file does not split cleanly, with the line it starts at."""

    line: int
    message: str


SQL_SPLIT = "sql-split"  # the verdict store's name for SQL splits


def split_sql(text: str, store: VerdictStore | None = None) -> tuple[list[Statement], list[SplitProblem]]:
    """Split SQL into statements with sqlparse; never on a bare ``;`` inside strings or comments.

    Leading comments are not part of a statement; ``line`` is where its first keyword stands.
    Results are kept in memory (the build and the SQL rules split the same files) and, when a
    ``store`` is given (salted with ``split_salt()``), across runs.
    """
    statements, problems = _split_stored(text, store) if store is not None else _split_memo(text)
    return list(statements), list(problems)


@lru_cache(maxsize=1)
def split_salt() -> str:
    """What a split depends on besides the text: the installed sqlparse and this code."""
    spec = importlib.util.find_spec("sqlparse")  # found, not imported: a stored split needs no sqlparse
    version = ""
    try:
        from importlib.metadata import version as dist_version

        version = dist_version("sqlparse")
    except Exception:
        pass
    return f"{version}\0{file_identity(spec.origin or '') if spec else ''}\0{file_identity(__file__)}"


@lru_cache(maxsize=128)
def _split_memo(text: str) -> tuple[tuple[Statement, ...], tuple[SplitProblem, ...]]:
    return _split(text)


def _split_stored(text: str, store: VerdictStore) -> tuple[tuple[Statement, ...], tuple[SplitProblem, ...]]:
    known, _ = store.split({"sql": text})
    if "sql" in known:
        try:
            saved_statements, saved_problems = known["sql"]
            return tuple(Statement(*s) for s in saved_statements), tuple(SplitProblem(*p) for p in saved_problems)
        except (TypeError, ValueError):
            pass  # an entry of another shape: split again and overwrite it
    statements, problems = _split_memo(text)
    store.store({"sql": text}, {"sql": [[[s.text, s.line, s.kind, s.terminated] for s in statements], [[p.line, p.message] for p in problems]]})
    return statements, problems


def _split(text: str) -> tuple[tuple[Statement, ...], tuple[SplitProblem, ...]]:
    # Imported here: a build whose SQL is all in the cache never loads sqlparse.
    from sqlparse import tokens as T
    from sqlparse.engine import FilterStack

    statements: list[Statement] = []
    problems: list[SplitProblem] = []
    offset = 0
    # sqlparse's lexer and statement splitter without its (slow) grouping pass: splitting and
    # token types are all we need, and this is several times faster than sqlparse.parse.
    stack: Any = FilterStack()  # type: ignore[no-untyped-call]  # sqlparse ships no types
    for parsed in stack.run(text) if text.strip() else []:
        chunk = str(parsed)
        start = offset
        offset += len(chunk)
        tokens = list(parsed.flatten())
        significant = [i for i, t in enumerate(tokens) if not (t.is_whitespace or t.ttype in T.Comment)]
        if not significant or (len(significant) == 1 and tokens[significant[0]].value == ";"):
            continue
        first, last = significant[0], significant[-1]
        lead = sum(len(t.value) for t in tokens[:first])
        body = "".join(t.value for t in tokens[first : last + 1])
        line = text.count("\n", 0, start + lead) + 1
        terminated = body.endswith(";")
        kind = (parsed.get_type() or "UNKNOWN").upper()
        for token in tokens:
            if token.ttype in T.Error:
                problems.append(SplitProblem(line, f"unbalanced quote or bracket near {token.value[:20]!r}"))
                break
        if terminated:
            body = body[:-1].rstrip()
        statements.append(Statement(text=body, line=line, kind=kind, terminated=terminated))
    if statements and not statements[-1].terminated:
        final = statements[-1]
        if _unclosed(final.text):
            problems.append(SplitProblem(final.line, "statement has an unclosed string, identifier or comment"))
        else:
            problems.append(SplitProblem(final.line, "last statement is not terminated with ';'"))
    return tuple(statements), tuple(problems)


def _unclosed(text: str) -> bool:
    """True when quotes or block comments are left open (sqlparse then swallows the rest)."""
    cleaned = re.sub(r"'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|/\*.*?\*/|--[^\n]*|#[^\n]*", "", text, flags=re.S)
    return any(ch in cleaned for ch in "'\"`") or "/*" in cleaned
