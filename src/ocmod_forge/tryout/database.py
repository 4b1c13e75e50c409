"""The database behind the throwaway stores: a private MariaDB/MySQL server, or one given by DSN.

The private server never touches the system service: its own data folder (initialised with
``mariadb-install-db``, or ``mysqld --initialize-insecure`` for MySQL), its own socket, a free
port on 127.0.0.1, ``--no-defaults`` so no system option file is read. Queries go through PHP's
mysqli (PHP is needed for the store anyway), one short ``php`` process per batch.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import StoreError
from .procs import Processes, Started, run_to_end, wait_until

_SBIN = ("/usr/sbin", "/usr/local/sbin", "/usr/libexec", "/usr/local/mysql/bin", "/usr/local/bin", "/usr/bin")

# One batch of queries in, one JSON document out. Values come back as strings or null, exactly
# what OpenCart's own mysqli driver sees.
_HELPER = r"""<?php
$in = json_decode(stream_get_contents(STDIN), true);
mysqli_report(MYSQLI_REPORT_OFF);
$db = @new mysqli($in['host'], $in['user'], $in['password'], $in['database'], (int)$in['port']);
if ($db->connect_errno) {
    echo json_encode(['error' => $db->connect_error]);
    exit(0);
}
$db->set_charset('utf8mb4');
$db->query("SET SESSION sql_mode = 'NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'");
$out = [];
foreach ($in['queries'] as $sql) {
    $result = $db->query($sql);
    if ($result === false) {
        $out[] = ['error' => $db->error, 'errno' => $db->errno];
    } elseif ($result === true) {
        $out[] = ['affected' => $db->affected_rows, 'insert_id' => $db->insert_id];
    } else {
        $out[] = ['rows' => $result->fetch_all(MYSQLI_ASSOC)];
    }
}
echo json_encode(['results' => $out], JSON_INVALID_UTF8_SUBSTITUTE);
"""

Row = dict[str, str | None]


@dataclass(frozen=True)
class DbAddress:
    """Where a server listens and who to log in as (TCP: OpenCart's installer wants host + port)."""

    host: str
    port: int
    user: str
    password: str = ""

    def describe(self) -> str:
        return f"{self.user}@{self.host}:{self.port}"


@dataclass(frozen=True)
class SqlResult:
    """One query's outcome: rows for a SELECT, else affected rows; ``error`` when it failed."""

    rows: tuple[Row, ...] = ()
    affected: int = 0
    insert_id: int = 0
    error: str = ""


class SqlClient:
    """Runs batches of SQL through PHP mysqli against one server."""

    def __init__(self, address: DbAddress, php: str, scratch: Path) -> None:
        self.address = address
        self.php = php
        self.helper = scratch / "forge-sql.php"
        if not self.helper.is_file():
            self.helper.write_text(_HELPER, encoding="utf-8")

    def run(self, database: str, queries: Sequence[str], *, check: bool = True) -> list[SqlResult]:
        """Run ``queries`` in order on ``database`` (``""`` for none); with ``check`` the first
        failing query raises ``StoreError``."""
        payload = {
            "host": self.address.host,
            "port": self.address.port,
            "user": self.address.user,
            "password": self.address.password,
            "database": database,
            "queries": list(queries),
        }
        argv = [self.php, "-d", "display_errors=stderr", "-d", "log_errors=0", self.helper.as_posix()]
        try:
            _status, output, errors = run_to_end(argv, timeout=120, stdin=json.dumps(payload).encode())
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise StoreError(f"cannot run SQL through {self.php}: {exc}") from None
        try:
            document = json.loads(output.decode("utf-8", "replace"))
        except ValueError:
            detail = (errors or output).decode("utf-8", "replace").strip()[:400]
            raise StoreError(f"SQL helper failed (is PHP's mysqli extension installed?): {detail}") from None
        if "error" in document:
            raise StoreError(f"cannot connect to the database server {self.address.describe()}: {document['error']}")
        results = [
            SqlResult(
                rows=tuple(item.get("rows", ())),
                affected=int(item.get("affected", 0) or 0),
                insert_id=int(item.get("insert_id", 0) or 0),
                error=str(item.get("error", "")),
            )
            for item in document["results"]
        ]
        if check:
            for sql, result in zip(queries, results, strict=True):
                if result.error:
                    raise StoreError(f"SQL failed: {result.error}: {sql[:200]}")
        return results

    def rows(self, database: str, sql: str) -> tuple[Row, ...]:
        """The rows of one SELECT."""
        return self.run(database, [sql])[0].rows


def parse_dsn(dsn: str) -> tuple[DbAddress, str]:
    """``mysql://user:password@host:port/database`` (database optional) → address and database."""
    parts = urlsplit(dsn)
    if parts.scheme not in ("mysql", "mariadb") or not parts.hostname:
        raise StoreError(f"--db {dsn!r}: expected mysql://USER:PASSWORD@HOST:PORT[/DATABASE]")
    try:
        port = parts.port or 3306
    except ValueError:
        raise StoreError(f"--db {dsn!r}: the port is not a number") from None
    database = unquote(parts.path.lstrip("/"))
    if database and not re.fullmatch(r"[A-Za-z0-9_$]{1,64}", database):
        raise StoreError(f"--db {dsn!r}: database names may use letters, digits, '_' and '$' only")
    return DbAddress(parts.hostname, port, unquote(parts.username or "root"), unquote(parts.password or "")), database


def find_program(names: Sequence[str], extra_dirs: Sequence[str] = _SBIN) -> str | None:
    """The first of ``names`` found on PATH, else in the usual sbin folders."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    for folder in extra_dirs:
        for name in names:
            candidate = Path(folder) / name
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


@dataclass
class PrivateServer:
    """A MariaDB/MySQL server of our own under ``workdir``; stopped with the run's processes."""

    workdir: Path
    server: str
    process: Started | None = None
    address: DbAddress | None = None

    @classmethod
    def locate(cls, workdir: Path) -> PrivateServer:
        server = find_program(("mariadbd", "mysqld"))
        if server is None:
            raise StoreError("no MariaDB or MySQL server found (mariadbd/mysqld on PATH or in /usr/sbin); install mariadb-server or pass --db mysql://USER:PASS@HOST:PORT")
        return cls(workdir, server)

    def _is_mysql(self) -> bool:
        out = subprocess.run([self.server, "--version"], capture_output=True, text=True, check=False).stdout
        return "mariadb" not in out.lower()

    def _user_args(self) -> list[str]:
        # mysqld refuses to run as root unless told to; it never switches to another user here.
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            return ["--user=root"]
        return []

    def initialise(self) -> None:
        """Create the data folder with the server's own bootstrap."""
        data = self.workdir / "data"
        data.mkdir(parents=True, exist_ok=True)
        log = self.workdir / "install-db.log"
        sizing = ["--innodb-log-file-size=8M", "--innodb-buffer-pool-size=32M"]
        if self._is_mysql():
            argv = [self.server, "--no-defaults", "--initialize-insecure", f"--datadir={data}", f"--tmpdir={self.workdir}", *self._user_args()]
        else:
            install_db = find_program(("mariadb-install-db", "mysql_install_db"))
            if install_db is None:
                raise StoreError("mariadb-install-db not found (it comes with mariadb-server)")
            argv = [
                install_db,
                "--no-defaults",
                f"--datadir={data}",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                *self._user_args(),
                *sizing,
                f"--tmpdir={self.workdir}",  # the bootstrap server's temporary tables stay in our folder
            ]
        try:
            status, out, err = run_to_end(argv, timeout=300)
            output = out + err
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise StoreError(f"initialising the database folder failed: {exc}") from None
        log.write_bytes(output)
        if status != 0:
            tail = output.decode("utf-8", "replace").strip().splitlines()[-5:]
            raise StoreError(f"initialising the database folder failed ({Path(argv[0]).name} exit {status}):\n  " + "\n  ".join(tail))

    def start(self, procs: Processes, timeout: float = 60.0) -> DbAddress:
        """Initialise (first time) and start the server on a free loopback port."""
        if not (self.workdir / "data" / "mysql").is_dir():
            self.initialise()
        sock = self.workdir / "mysqld.sock"
        if len(str(sock)) > 100:  # AF_UNIX path limit (108 bytes on Linux)
            raise StoreError(f"temporary folder path too long for a socket: {sock}")
        for _attempt in range(3):
            port = free_port()
            argv = [
                self.server,
                "--no-defaults",
                f"--datadir={self.workdir / 'data'}",
                f"--socket={sock}",
                f"--port={port}",
                "--bind-address=127.0.0.1",
                f"--pid-file={self.workdir / 'mysqld.pid'}",
                f"--log-error={self.workdir / 'mysqld.err'}",
                f"--tmpdir={self.workdir}",
                "--skip-name-resolve",
                "--innodb-buffer-pool-size=64M",
                "--innodb-flush-log-at-trx-commit=0",
                "--innodb-doublewrite=0",
                "--performance-schema=OFF",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_general_ci",
                "--max-connections=50",
                *self._user_args(),
            ]
            self.process = procs.start("database server", argv, log=self.workdir / "mysqld.out")
            try:
                wait_until(partial(port_open, port), timeout, f"the database server on port {port}", self.process)
            except StoreError:
                procs.stop(self.process)
                err = self.workdir / "mysqld.err"
                text = err.read_text(encoding="utf-8", errors="replace") if err.is_file() else ""
                if "already in use" in text:
                    err.unlink()
                    continue  # another program took the port between our check and the bind
                tail = text.strip().splitlines()[-5:]
                raise StoreError("the database server did not start:\n  " + "\n  ".join(tail)) from None
            self.address = DbAddress("127.0.0.1", port, "root", "")
            return self.address
        raise StoreError("no free port for the database server")


def create_database(sql: SqlClient, name: str) -> None:
    """A fresh, empty database (utf8mb4) named ``name``."""
    sql.run("", [f"DROP DATABASE IF EXISTS `{name}`", f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"])


def drop_database(sql: SqlClient, name: str) -> None:
    sql.run("", [f"DROP DATABASE IF EXISTS `{name}`"], check=False)
