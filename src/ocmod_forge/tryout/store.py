"""One throwaway OpenCart store: copied release, OpenCart's own CLI installer, PHP's web server.

The store listens on 127.0.0.1 only, shows every PHP message (``display_errors``, E_ALL, output
buffered so that messages printed before a redirect do not swallow it) and logs PHP's own
messages to a file of its own. Its tables use the prefix ``forge_`` (never ``oc_``), so a query
with a hard-coded ``oc_`` table fails instead of silently finding a table.
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .database import DbAddress, SqlClient, create_database, free_port, port_open
from .errors import StoreError
from .procs import Processes, Started, run_to_end, wait_until
from .release import Release, copy_release, repair

PREFIX = "forge_"
ADMIN_USER = "admin"


@dataclass
class Store:
    """A running store and what is needed to drive and inspect it."""

    release: Release
    root: Path
    port: int
    database: str
    prefix: str
    password: str
    sql: SqlClient
    php_log: Path
    notes: list[str] = field(default_factory=list)
    server: Started | None = None
    username: str = ADMIN_USER

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def admin_url(self) -> str:
        return self.url + "admin/"

    @property
    def series(self) -> str:
        return self.release.series

    def table(self, name: str) -> str:
        return f"`{self.prefix}{name}`"

    def query(self, sql: str) -> tuple[dict[str, str | None], ...]:
        return self.sql.rows(self.database, sql)

    def execute(self, *statements: str) -> None:
        self.sql.run(self.database, list(statements))

    def language_string(self, rel: str, key: str) -> str:
        """A string from one of the store's en-gb language files (``admin/language/en-gb/…``)."""
        path = self.root / rel
        if not path.is_file():
            return ""
        match = re.search(r"\$_\['" + re.escape(key) + r"'\]\s*=\s*'((?:[^'\\]|\\.)*)'", path.read_text(encoding="utf-8", errors="replace"))
        return match.group(1).replace("\\'", "'") if match else ""


def php_server_args(php: str, root: Path, port: int, log: Path) -> list[str]:
    """``php -S`` for the store: loopback only, every message shown and logged."""
    settings = {
        "display_errors": "1",
        "display_startup_errors": "1",
        "error_reporting": "-1",
        "html_errors": "0",
        "log_errors": "1",
        "error_log": str(log),
        # Core deprecations are printed before headers are sent; buffering keeps redirects working.
        "output_buffering": "On",
        "upload_max_filesize": "64M",
        "post_max_size": "64M",
        "max_execution_time": "120",
        "memory_limit": "512M",
        "date.timezone": "UTC",
        "session.auto_start": "0",
    }
    argv = [php, "-S", f"127.0.0.1:{port}", "-t", str(root)]
    for key, value in settings.items():
        argv += ["-d", f"{key}={value}"]
    return argv


def find_php() -> str:
    php = shutil.which("php")
    if php is None:
        raise StoreError("php not found on PATH: try runs OpenCart with PHP's built-in web server")
    return php


def setup_store(release: Release, workdir: Path, db: DbAddress, sql: SqlClient, procs: Processes, php: str, *, database: str, prefix: str = PREFIX, create: bool = True) -> Store:
    """Copy, install and start one store; raises ``StoreError`` with OpenCart's own output.
    ``create``: make ``database`` afresh (ours); otherwise it must exist (the user's, shared:
    only tables with ``prefix`` are added)."""
    root = workdir / "store"
    copy_release(release, root)
    notes = repair(root)
    for rel in ("config.php", "admin/config.php"):
        dist = root / rel.replace("config.php", "config-dist.php")
        if dist.is_file() and not (root / rel).exists():
            shutil.copyfile(dist, root / rel)
    port = free_port()
    if create:
        create_database(sql, database)
    elif not sql.rows("", f"SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{database}'"):
        raise StoreError(f"--db: the database {database!r} does not exist on {db.describe()}")
    password = "Tr" + secrets.token_hex(6)
    argv = [
        php, "-d", "display_errors=1", "-d", "error_reporting=-1", str(root / "install" / "cli_install.php"), "install",
        "--db_hostname", db.host, "--db_username", db.user, "--db_password", db.password, "--db_database", database,
        "--db_driver", "mysqli", "--db_port", str(db.port), "--db_prefix", prefix,
        "--username", ADMIN_USER, "--password", password, "--email", "admin@example.com",
        "--http_server", f"http://127.0.0.1:{port}/",
    ]  # fmt: skip
    if not (root / "install" / "cli_install.php").is_file():
        raise StoreError(f"{release.path}: no install/cli_install.php in this release")
    try:
        _status, out, err = run_to_end(argv, timeout=300, cwd=root / "install")
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise StoreError(f"OpenCart {release.version}: the CLI installer did not run: {exc}") from None
    output = (out + err).decode("utf-8", errors="replace")
    (workdir / "cli_install.log").write_text(output, encoding="utf-8")
    if "SUCCESS" not in output:
        tail = "\n  ".join(output.strip().splitlines()[-8:])
        raise StoreError(f"OpenCart {release.version}: install/cli_install.php failed:\n  {tail}")
    # OpenCart tells every shop owner to delete the install folder; a store with it shows warnings.
    shutil.rmtree(root / "install", ignore_errors=True)
    log = workdir / "php-error.log"
    log.touch()
    store = Store(release, root, port, database, prefix, password, sql, log, notes)
    store.server = procs.start(f"PHP web server (OpenCart {release.version})", php_server_args(php, root, port, log), log=workdir / "php-server.log", cwd=root)
    wait_until(lambda: port_open(port), 20, f"PHP's web server on port {port}", store.server)
    return store
