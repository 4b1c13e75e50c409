"""SQL — the project's SQL files, split with sqlparse."""

from __future__ import annotations

from typing import Iterator

from .base import Context, Finding, Result, rule


@rule("SQL001", "sql-split-error", "error", ("3.0", "4.0", "4.1"))
def sql_split_error(ctx: Context) -> Iterator[Result]:
    """A SQL file does not split cleanly into statements.

    The extension's installer runs the statements one by one. An unclosed quote, identifier or
    comment, or a last statement without ``;``, means the split is not what the author wrote —
    splitting on ``;`` by hand (as the original design did) breaks on semicolons inside strings.

    Fail: ``INSERT INTO t VALUES ('a;b);``
    Pass: ``INSERT INTO t VALUES ('a;b');``
    """
    for source in ctx.sql:
        for problem in source.problems:
            yield Finding(source.path, problem.message, problem.line, 1)
