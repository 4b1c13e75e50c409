"""SQL — the project's SQL files, split with sqlparse."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..sql import SQL_SPLIT, Statement, split_salt, split_sql
from .base import Context, Finding, Result, rule
from .php import call_arguments


def split_fix(message: str, line: int) -> str:
    """What to change for a SQL split problem."""
    if message.startswith("unbalanced"):
        return "close the quote or bracket; a quote inside a string is doubled ('it''s') or escaped (\\')"
    if "unclosed" in message:
        return f"close the string, `identifier` or /* comment */ opened in the statement of line {line}: everything after it is read as part of it"
    return "end the statement with ';' (the installer runs statements one by one and needs each one closed)"


@rule("SQL001", "sql-split-error", "error", ("3.0", "4.0", "4.1"))
def sql_split_error(ctx: Context) -> Iterator[Result]:
    """A SQL file (of the project, or inside the package) does not split cleanly into statements.

    The extension's installer runs the statements one by one. An unclosed quote, identifier or
    comment, or a last statement without ``;``, means the split is not what the author wrote;
    splitting on ``;`` by hand (as the original design did) breaks on semicolons inside strings.

    Fail::

        === sql: sql/install.sql
        INSERT INTO `{DB_PREFIX}meschain_settings` (`setting_key`, `setting_value`) VALUES ('separator', ';);
        DROP TABLE IF EXISTS `{DB_PREFIX}meschain_tmp`;
        === expect: sql/install.sql:1

    Fail::

        === sql: sql/install.sql
        DROP TABLE IF EXISTS `{DB_PREFIX}meschain_tmp`;
        DELETE FROM `{DB_PREFIX}meschain_logs` WHERE `level` = 'debug'
        === expect: sql/install.sql:2

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === sql: sql/install.sql
        INSERT INTO `{DB_PREFIX}meschain_settings` (`setting_key`, `setting_value`) VALUES ('separator', ';);
        DROP TABLE IF EXISTS `{DB_PREFIX}meschain_tmp`;
        === expect: sql/install.sql:1

    Pass::

        === sql: sql/install.sql
        INSERT INTO `{DB_PREFIX}meschain_settings` (`setting_key`, `setting_value`) VALUES ('separator', ';');
        DELETE FROM `{DB_PREFIX}meschain_logs` WHERE `level` = 'debug';
    """
    for source in ctx.sql:
        for problem in source.problems:
            yield Finding(source.path, problem.message, problem.line, 1, hint=split_fix(problem.message, problem.line))
    for path in ctx.files(".sql"):  # .sql files shipped inside the package itself
        for problem in split_sql(ctx.text(path), ctx.verdicts(SQL_SPLIT, split_salt()))[1]:
            yield Finding(path, problem.message, problem.line, 1, hint=split_fix(problem.message, problem.line))


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


def _as_written(s: _Sql, sql: str) -> str:
    """``sql`` as the author would write it where ``s`` comes from: ``{DB_PREFIX}`` in SQL files,
    the ``DB_PREFIX`` constant concatenated in PHP."""
    return sql.replace("{DB_PREFIX}", '" . DB_PREFIX . "') if s.path.endswith(".php") else sql


def _line_from(s: _Sql, pos: int) -> str:
    """The statement's text from ``pos`` to the end of its line (no trailing ``);`` noise trimmed)."""
    end = s.text.find("\n", pos)
    return s.text[pos : end if end >= 0 else len(s.text)].rstrip()


@rule("SQL002", "create-table-without-if-not-exists", "warning", ("3.0", "4.0", "4.1"))
def create_table_without_if_not_exists(ctx: Context) -> Iterator[Result]:
    """``CREATE TABLE`` without ``IF NOT EXISTS``.

    Reinstalling the extension (or installing after a failed uninstall) then fails with
    "Table already exists" and the rest of the install never runs.

    Fail::

        === sql: sql/install.sql
        CREATE TABLE `{DB_PREFIX}meschain_logs` (`log_id` INT(11) NOT NULL AUTO_INCREMENT, PRIMARY KEY (`log_id`)) ENGINE=InnoDB;
        === expect: sql/install.sql:1

    Fail::

        === upload/admin/model/extension/module/meschain.php
        <?php
        class ModelExtensionModuleMeschain extends Model {
            public function install() {
                $this->db->query("CREATE TABLE `" . DB_PREFIX . "meschain_logs` (`log_id` INT(11) NOT NULL AUTO_INCREMENT, PRIMARY KEY (`log_id`)) ENGINE=InnoDB");
            }
        }
        === expect: upload/admin/model/extension/module/meschain.php:4

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === sql: sql/install.sql
        CREATE TABLE `{DB_PREFIX}meschain_logs` (`log_id` INT(11) NOT NULL AUTO_INCREMENT, PRIMARY KEY (`log_id`)) ENGINE=InnoDB;
        === expect: sql/install.sql:1

    Pass::

        === sql: sql/install.sql
        CREATE TABLE IF NOT EXISTS `{DB_PREFIX}meschain_logs` (`log_id` INT(11) NOT NULL AUTO_INCREMENT, PRIMARY KEY (`log_id`)) ENGINE=InnoDB;
    """
    for s in _statements(ctx):
        for m in _CREATE_RE.finditer(s.text):
            if not m.group(1):
                fixed = re.sub(r"(?i)\bTABLE\s+", "TABLE IF NOT EXISTS ", m.group(0), count=1)
                yield Finding(s.path, f"CREATE TABLE {_table(m.group(2))} without IF NOT EXISTS", *s.at(m.start()), hint=f"write {_as_written(s, fixed)} …")


@rule("SQL003", "drop-table-without-if-exists", "warning", ("3.0", "4.0", "4.1"))
def drop_table_without_if_exists(ctx: Context) -> Iterator[Result]:
    """``DROP TABLE`` without ``IF EXISTS``.

    Uninstalling twice, or after a partial install, fails with "Unknown table" and leaves the
    rest of the uninstall undone (settings, events, permissions).

    Fail::

        === sql: sql/uninstall.sql
        DROP TABLE `{DB_PREFIX}meschain_logs`;
        === expect: sql/uninstall.sql:1

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === sql: sql/uninstall.sql
        DROP TABLE `{DB_PREFIX}meschain_logs`;
        === expect: sql/uninstall.sql:1

    Pass::

        === sql: sql/uninstall.sql
        DROP TABLE IF EXISTS `{DB_PREFIX}meschain_logs`;
    """
    for s in _statements(ctx):
        for m in _DROP_RE.finditer(s.text):
            if not m.group(1):
                fixed = re.sub(r"(?i)\bTABLE\s+", "TABLE IF EXISTS ", m.group(0), count=1)
                yield Finding(s.path, f"DROP TABLE {_table(m.group(2))} without IF EXISTS", *s.at(m.start()), hint=f"write {_as_written(s, fixed)}")


@rule("SQL004", "hard-coded-table-prefix", "error", ("3.0", "4.0", "4.1"))
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

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === sql: sql/install.sql
        CREATE TABLE IF NOT EXISTS `oc_meschain_logs` (`log_id` INT NOT NULL);
        === expect: sql/install.sql:1

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
            quote = s.text[m.start(1) - 1] if s.text[m.start(1) - 1] in "`\"" else ""
            fixed = _as_written(s, f"{quote}{{DB_PREFIX}}{m.group(1)[3:]}{quote}")
            yield Finding(s.path, f"table {m.group(1)!r} hard-codes the 'oc_' prefix; use DB_PREFIX", *s.at(m.start(1)), hint=f"write {fixed} instead of {quote}{m.group(1)}{quote}")


@rule("SQL005", "myisam-engine", "warning", ("3.0", "4.0", "4.1"))
def myisam_engine(ctx: Context) -> Iterator[Result]:
    """A table is created with ``ENGINE=MyISAM``.

    MyISAM has no transactions and locks whole tables; a sync queue written by cron and admin
    at once needs InnoDB (OpenCart itself moved to InnoDB in 3.0.5).

    Fail::

        === sql: sql/install.sql
        CREATE TABLE IF NOT EXISTS `{DB_PREFIX}meschain_queue` (
          `queue_id` INT(11) NOT NULL AUTO_INCREMENT,
          PRIMARY KEY (`queue_id`)
        ) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
        === expect: sql/install.sql:4

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === sql: sql/install.sql
        CREATE TABLE IF NOT EXISTS `{DB_PREFIX}meschain_queue` (
          `queue_id` INT(11) NOT NULL AUTO_INCREMENT,
          PRIMARY KEY (`queue_id`)
        ) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
        === expect: sql/install.sql:4

    Pass::

        === sql: sql/install.sql
        CREATE TABLE IF NOT EXISTS `{DB_PREFIX}meschain_queue` (
          `queue_id` INT(11) NOT NULL AUTO_INCREMENT,
          PRIMARY KEY (`queue_id`)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
    """
    for s in _statements(ctx):
        for m in re.finditer(r"ENGINE\s*=?\s*MyISAM\b", s.text, re.I):
            fixed = re.sub(r"(?i)MyISAM", "InnoDB", _line_from(s, m.start()), count=1)
            yield Finding(s.path, "ENGINE=MyISAM: use InnoDB", *s.at(m.start()), hint=f"write {_as_written(s, fixed)}")


def _utf8mb4(text: str) -> str:
    """``text`` with 3-byte utf8 charsets and collations turned into their utf8mb4 forms."""
    text = re.sub(r"(?i)\butf8(?:mb3)?_general_ci\b", "utf8mb4_unicode_ci", text)
    text = re.sub(r"(?i)\butf8(?:mb3)?_(\w+)", r"utf8mb4_\1", text)
    return re.sub(r"(?i)\butf8(?:mb3)?\b(?!mb4)", "utf8mb4", text)


@rule("SQL006", "utf8-charset", "warning", ("3.0", "4.0", "4.1"))
def utf8_charset(ctx: Context) -> Iterator[Result]:
    """A table or column uses the 3-byte ``utf8`` charset (or a ``utf8_`` collation).

    ``utf8`` cannot store 4-byte characters: emoji and some symbols in product names are cut
    or rejected. Use ``utf8mb4`` (indexed ``varchar`` columns then hold at most 191 characters
    on MySQL 5.6 and MariaDB 10.1, whose index keys are limited to 767 bytes).

    Fail::

        === sql: sql/install.sql
        CREATE TABLE IF NOT EXISTS `{DB_PREFIX}meschain_product_sync` (
          `product_id` INT(11) NOT NULL,
          `title` VARCHAR(255) NOT NULL,
          PRIMARY KEY (`product_id`)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8 COLLATE=utf8_general_ci;
        === expect: sql/install.sql:5

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === sql: sql/install.sql
        CREATE TABLE IF NOT EXISTS `{DB_PREFIX}meschain_product_sync` (
          `product_id` INT(11) NOT NULL,
          `title` VARCHAR(255) NOT NULL,
          PRIMARY KEY (`product_id`)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8 COLLATE=utf8_general_ci;
        === expect: sql/install.sql:5

    Pass::

        === sql: sql/install.sql
        CREATE TABLE IF NOT EXISTS `{DB_PREFIX}meschain_product_sync` (
          `product_id` INT(11) NOT NULL,
          `title` VARCHAR(255) NOT NULL,
          PRIMARY KEY (`product_id`)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
    """
    for s in _statements(ctx):
        m = re.search(r"(CHARSET|CHARACTER\s+SET)\s*=?\s*utf8(?:mb3)?(?!mb4)\b|COLLATE\s*=?\s*utf8(?:mb3)?_", s.text, re.I)
        if m:
            yield Finding(s.path, "3-byte 'utf8' charset: use utf8mb4", *s.at(m.start()), hint=f"write {_as_written(s, _utf8mb4(_line_from(s, m.start())))}")


# The key column of OpenCart's own tables where it is not "<table>_id".
_CORE_KEYS = {"product_description": "product_id", "product_to_category": "product_id", "product_to_store": "product_id", "setting": "setting_id"}


def core_table_fix(verb: str, name: str, s: _Sql, owner: str) -> str:
    """How to keep extension data out of OpenCart's own table ``name`` (``owner``: the
    extension's code, to name its own table)."""
    if verb == "ALTER":
        key = _CORE_KEYS.get(name, f"{name}_id")
        create = f"CREATE TABLE IF NOT EXISTS `{{DB_PREFIX}}{owner}_{name}` (`{key}` INT(11) NOT NULL, …, PRIMARY KEY (`{key}`))"
        return f"keep the new columns in a table of the extension's own, joined on {key}: {_as_written(s, create)}"
    if verb == "DROP":
        return f"never drop OpenCart's {name!r}: drop only the tables the extension created"
    return f"never empty OpenCart's {name!r}: delete only the rows the extension added (DELETE FROM `{_as_written(s, '{DB_PREFIX}')}{name}` WHERE …)"


@rule("SQL007", "core-table-altered", "error", ("3.0", "4.0", "4.1"))
def core_table_altered(ctx: Context) -> Iterator[Result]:
    """An ``ALTER``, ``DROP`` or ``TRUNCATE`` touches one of OpenCart's own tables.

    Changing core tables breaks upgrades and other extensions, and uninstall cannot restore
    them; keep extension data in the extension's own tables.

    Fail::

        === sql: sql/install.sql
        ALTER TABLE `{DB_PREFIX}product` ADD `marketplace_sku` VARCHAR(64) NOT NULL DEFAULT '';
        === expect: sql/install.sql:1

    Fail::

        === upload/admin/model/extension/module/meschain.php
        <?php
        class ModelExtensionModuleMeschain extends Model {
            public function uninstall() {
                $this->db->query("TRUNCATE `" . DB_PREFIX . "order`");
            }
        }
        === expect: upload/admin/model/extension/module/meschain.php:4

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === sql: sql/install.sql
        ALTER TABLE `{DB_PREFIX}product` ADD `marketplace_sku` VARCHAR(64) NOT NULL DEFAULT '';
        === expect: sql/install.sql:1

    Pass::

        === sql: sql/install.sql
        CREATE TABLE IF NOT EXISTS `{DB_PREFIX}meschain_product_sync` (`product_id` INT(11) NOT NULL, `marketplace_sku` VARCHAR(64) NOT NULL, PRIMARY KEY (`product_id`));
        ALTER TABLE `{DB_PREFIX}meschain_product_sync` ADD `status` TINYINT(1) NOT NULL DEFAULT '1';
    """
    manifest = ctx.manifest
    owner = re.sub(r"\W+", "_", (manifest.code or "").strip().lower()) if manifest is not None else ""
    for s in _statements(ctx):
        for m in _ALTER_RE.finditer(s.text):
            name = re.sub(r"^oc_", "", _table(m.group(2)))
            if name in _CORE_TABLES:
                verb = m.group(1).split()[0].upper()
                yield Finding(s.path, f"{verb} of OpenCart's core table {name!r}", *s.at(m.start()), hint=core_table_fix(verb, name, s, owner or "vendor"))


@rule("SQL008", "table-never-dropped", "warning", ("3.0", "4.0", "4.1"))
def table_never_dropped(ctx: Context) -> Iterator[Result]:
    """A table the extension creates is never dropped anywhere (no uninstall for it).

    Uninstalling then leaves the table behind, and a later reinstall starts on stale data.
    Drops are looked for in every SQL file of the project and the package and in every
    ``->query()`` of its PHP.

    Fail::

        === sql: sql/install.sql
        CREATE TABLE IF NOT EXISTS `{DB_PREFIX}meschain_logs` (`log_id` INT(11) NOT NULL);
        === expect: sql/install.sql:1

    Fail::

        === target: 4.1
        === install.json
        {"name": "Vendor X", "version": "1.0.0", "author": "Vendor", "link": "https://example.com/x"}
        === sql: sql/install.sql
        CREATE TABLE IF NOT EXISTS `{DB_PREFIX}meschain_logs` (`log_id` INT(11) NOT NULL);
        === expect: sql/install.sql:1

    Pass::

        === sql: sql/install.sql
        CREATE TABLE IF NOT EXISTS `{DB_PREFIX}meschain_logs` (`log_id` INT(11) NOT NULL);
        === upload/admin/model/extension/module/meschain.php
        <?php
        class ModelExtensionModuleMeschain extends Model {
            public function uninstall() {
                $this->db->query("DROP TABLE IF EXISTS `" . DB_PREFIX . "meschain_logs`");
            }
        }
    """
    statements = _statements(ctx)
    dropped = {_table(m.group(2)).lower() for s in statements for m in _DROP_RE.finditer(s.text)}
    for s in statements:
        for m in _CREATE_RE.finditer(s.text):
            name = _table(m.group(2))
            if name.lower() not in dropped:
                if s.path.endswith(".php"):
                    hint = f"drop it in the extension's uninstall(): $this->db->query(\"DROP TABLE IF EXISTS `\" . DB_PREFIX . \"{name}`\");"
                else:
                    hint = f"add DROP TABLE IF EXISTS `{{DB_PREFIX}}{name}`; to the uninstall SQL (run from the extension's uninstall())"
                yield Finding(s.path, f"table {name!r} is created but never dropped", *s.at(m.start()), hint=hint)
