"""SQL — the project's SQL files, split with sqlparse."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..sql import SQL_SPLIT, Statement, split_salt, split_sql
from .base import Context, Finding, Result, rule
from .php import call_arguments


@rule("SQL001", "sql-split-error", "error")
def sql_split_error(ctx: Context) -> Iterator[Result]:
    """A SQL file (of the project, or inside the package) does not split cleanly into statements.

    The extension's installer runs the statements one by one. An unclosed quote, identifier or
    comment, or a last statement without ``;``, means the split is not what the author wrote —
    splitting on ``;`` by hand (as the original design did) breaks on semicolons inside strings.

    Fail: ``INSERT INTO t VALUES ('a;b);``
    Pass: ``INSERT INTO t VALUES ('a;b');``
    """
    for source in ctx.sql:
        for problem in source.problems:
            yield Finding(source.path, problem.message, problem.line, 1)
    for path in ctx.files(".sql"):  # .sql files shipped inside the package itself
        for problem in split_sql(ctx.text(path), ctx.verdicts(SQL_SPLIT, split_salt()))[1]:
            yield Finding(path, problem.message, problem.line, 1)


# --------------------------------------------------------------------------- statement facts

_CORE_TABLES = (
    "address", "attribute", "banner", "category", "country", "coupon", "currency", "customer", "customer_group",
    "event", "extension", "geo_zone", "information", "language", "layout", "length_class", "manufacturer",
    "modification", "module", "option", "order", "order_history", "order_product", "order_total", "product",
    "product_description", "product_to_category", "product_to_store", "return", "review", "setting", "stock_status",
    "store", "tax_class", "tax_rate", "upload", "url_alias", "seo_url", "user", "user_group", "weight_class", "zone",
)
_CREATE_RE = re.compile(r"\bCREATE\s+(?:TEMPORARY\s+)?TABLE\s+(IF\s+NOT\s+EXISTS\s+)?[`\"]?([\w{}]+)[`\"]?", re.I)
_DROP_RE = re.compile(r"\bDROP\s+TABLE\s+(IF\s+EXISTS\s+)?[`\"]?([\w{}]+)[`\"]?", re.I)
_ALTER_RE = re.compile(r"\b(ALTER\s+TABLE|TRUNCATE(?:\s+TABLE)?|DROP\s+TABLE(?:\s+IF\s+EXISTS)?)\s+[`\"]?([\w{}]+)[`\"]?", re.I)


@dataclass(frozen=True)
class _Sql:
    """A statement with where its text starts in the file (1-based line, 0-based column)."""

    path: str
    line: int
    text: str
    col0: int = 0

    def at(self, pos: int) -> tuple[int, int]:
        """(line, column), both 1-based, of ``text[pos]`` in the file."""
        before = self.text.count("\n", 0, pos)
        if before == 0:
            return self.line, self.col0 + pos + 1
        return self.line + before, pos - self.text.rfind("\n", 0, pos)


def _from_file(path: str, text: str, statements: Sequence[Statement] | None = None) -> list[_Sql]:
    if statements is None:
        statements, _ = split_sql(text)
    lines = text.split("\n")
    out = []
    for st in statements:
        first = st.text.split("\n", 1)[0]
        col0 = max(lines[st.line - 1].find(first), 0) if st.line <= len(lines) else 0
        out.append(_Sql(path, st.line, st.text, col0))
    return out


def _statements(ctx: Context) -> list[_Sql]:
    """SQL the package or project runs: project SQL files, .sql files in the package, PHP queries."""
    out: list[_Sql] = []
    for source in ctx.sql:
        out.extend(_from_file(source.path, source.text, source.statements))
    for path in ctx.files(".sql"):
        out.extend(_from_file(path, ctx.text(path)))
    for path in ctx.files(".php"):
        text = ctx.text(path)
        if "->query(" not in text:
            continue
        for start, end in call_arguments(text):
            # DB_PREFIX concatenations become the placeholder the SQL files use (on one line only,
            # so positions inside the query still map back to the PHP file's lines).
            sql = re.sub(r"""['"][ \t]*\.[ \t]*DB_PREFIX[ \t]*\.[ \t]*['"]""", "{DB_PREFIX}", text[start:end])
            line_start = text.rfind("\n", 0, start) + 1
            out.append(_Sql(path, text.count("\n", 0, start) + 1, sql, start - line_start))
    return out


def _table(name: str) -> str:
    return name.replace("{DB_PREFIX}", "")


@rule("SQL002", "create-table-without-if-not-exists", "warning")
def create_table_without_if_not_exists(ctx: Context) -> Iterator[Result]:
    """``CREATE TABLE`` without ``IF NOT EXISTS``.

    Reinstalling the extension (or installing after a failed uninstall) then fails with
    "Table already exists" and the rest of the install never runs.

    Fail: ``CREATE TABLE `{DB_PREFIX}x` (…)``
    Pass: ``CREATE TABLE IF NOT EXISTS `{DB_PREFIX}x` (…)``
    """
    for s in _statements(ctx):
        for m in _CREATE_RE.finditer(s.text):
            if not m.group(1):
                yield Finding(s.path, f"CREATE TABLE {_table(m.group(2))} without IF NOT EXISTS", *s.at(m.start()))


@rule("SQL003", "drop-table-without-if-exists", "warning")
def drop_table_without_if_exists(ctx: Context) -> Iterator[Result]:
    """``DROP TABLE`` without ``IF EXISTS``.

    Uninstalling twice, or after a partial install, fails with "Unknown table" and leaves the
    rest of the uninstall undone (settings, events, permissions).

    Fail: ``DROP TABLE `{DB_PREFIX}x```
    Pass: ``DROP TABLE IF EXISTS `{DB_PREFIX}x```
    """
    for s in _statements(ctx):
        for m in _DROP_RE.finditer(s.text):
            if not m.group(1):
                yield Finding(s.path, f"DROP TABLE {_table(m.group(2))} without IF EXISTS", *s.at(m.start()))


@rule("SQL004", "hard-coded-table-prefix", "error")
def hard_coded_table_prefix(ctx: Context) -> Iterator[Result]:
    """A table name starts with ``oc_`` instead of the store's ``DB_PREFIX``.

    Stores choose their prefix at installation; with any other prefix the queries hit missing
    tables (or another shop's tables in a shared database).

    Fail::

        === sql: sql/install.sql
        CREATE TABLE IF NOT EXISTS `oc_meschain_logs` (`log_id` INT NOT NULL);
        === expect: sql/install.sql:1

    Fail::

        === upload/admin/model/extension/module/x.php
        <?php
        class ModelExtensionModuleX extends Model {
            public function install() {
                $this->db->query("CREATE TABLE IF NOT EXISTS `oc_x` (`id` INT NOT NULL)");
            }
        }
        === expect: upload/admin/model/extension/module/x.php:4

    Pass::

        === sql: sql/install.sql
        CREATE TABLE IF NOT EXISTS `{DB_PREFIX}meschain_logs` (`log_id` INT NOT NULL);
        === upload/admin/model/extension/module/x.php
        <?php
        class ModelExtensionModuleX extends Model {
            public function install() {
                $this->db->query("CREATE TABLE IF NOT EXISTS `" . DB_PREFIX . "x` (`id` INT NOT NULL)");
            }
        }
    """
    pattern = re.compile(r"(?:\bFROM|\bJOIN|\bINTO|\bUPDATE|\bTABLE(?:\s+IF\s+(?:NOT\s+)?EXISTS)?)\s+[`\"]?(oc_\w+)", re.I)
    for s in _statements(ctx):
        for m in pattern.finditer(s.text):
            yield Finding(s.path, f"table {m.group(1)!r} hard-codes the 'oc_' prefix; use DB_PREFIX", *s.at(m.start(1)))


@rule("SQL005", "myisam-engine", "warning")
def myisam_engine(ctx: Context) -> Iterator[Result]:
    """A table is created with ``ENGINE=MyISAM``.

    MyISAM has no transactions and locks whole tables; a sync queue written by cron and admin
    at once needs InnoDB (OpenCart itself moved to InnoDB in 3.0.5).

    Fail: ``) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;``
    Pass: ``) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;``
    """
    for s in _statements(ctx):
        for m in re.finditer(r"ENGINE\s*=?\s*MyISAM\b", s.text, re.I):
            yield Finding(s.path, "ENGINE=MyISAM: use InnoDB", *s.at(m.start()))


@rule("SQL006", "utf8-charset", "warning")
def utf8_charset(ctx: Context) -> Iterator[Result]:
    """A table or column uses the 3-byte ``utf8`` charset (or a ``utf8_`` collation).

    ``utf8`` cannot store 4-byte characters: emoji and some symbols in product names are cut
    or rejected. Use ``utf8mb4``.

    Fail: ``DEFAULT CHARSET=utf8 COLLATE=utf8_general_ci``
    Pass: ``DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci``
    """
    for s in _statements(ctx):
        m = re.search(r"(CHARSET|CHARACTER\s+SET)\s*=?\s*utf8(?:mb3)?(?!mb4)\b|COLLATE\s*=?\s*utf8(?:mb3)?_", s.text, re.I)
        if m:
            yield Finding(s.path, "3-byte 'utf8' charset: use utf8mb4", *s.at(m.start()))


@rule("SQL007", "core-table-altered", "error")
def core_table_altered(ctx: Context) -> Iterator[Result]:
    """An ``ALTER``, ``DROP`` or ``TRUNCATE`` touches one of OpenCart's own tables.

    Changing core tables breaks upgrades and other extensions, and uninstall cannot restore
    them; keep extension data in the extension's own tables.

    Fail: ``ALTER TABLE `{DB_PREFIX}product` ADD `marketplace_sku` …``, ``TRUNCATE `{DB_PREFIX}order```
    Pass: ``CREATE TABLE IF NOT EXISTS `{DB_PREFIX}meschain_product_sync` …``
    """
    for s in _statements(ctx):
        for m in _ALTER_RE.finditer(s.text):
            name = re.sub(r"^oc_", "", _table(m.group(2)))
            if name in _CORE_TABLES:
                yield Finding(s.path, f"{m.group(1).split()[0].upper()} of OpenCart's core table {name!r}", *s.at(m.start()))


@rule("SQL008", "table-never-dropped", "warning")
def table_never_dropped(ctx: Context) -> Iterator[Result]:
    """A table the extension creates is never dropped anywhere (no uninstall for it).

    Uninstalling then leaves the table behind, and a later reinstall starts on stale data.

    Fail: ``CREATE TABLE IF NOT EXISTS `{DB_PREFIX}x`…`` and no ``DROP TABLE IF EXISTS `{DB_PREFIX}x```
    Pass: a matching DROP in the uninstall SQL or the uninstall() method
    """
    statements = _statements(ctx)
    dropped = {_table(m.group(2)).lower() for s in statements for m in _DROP_RE.finditer(s.text)}
    for s in statements:
        for m in _CREATE_RE.finditer(s.text):
            name = _table(m.group(2))
            if name.lower() not in dropped:
                yield Finding(s.path, f"table {name!r} is created but never dropped", *s.at(m.start()))
