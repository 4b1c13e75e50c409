"""``try``: install a package in real throwaway stores, exercise it, uninstall it, report.

One database server for all releases (one database each); per release a ``Session``: copy,
install OpenCart with its CLI installer, serve it with ``php -S``, open the core pages (the
baseline), upload the package through Extensions > Installer, refresh modifications, install
its extensions, open its pages and the core pages again, uninstall everything, and compare the
store with the baseline. Everything started is stopped and removed at the end, on failure and
on Ctrl-C too, unless ``keep`` is asked for.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, Report, SkippedCheck
from .database import DbAddress, PrivateServer, SqlClient, drop_database, parse_dsn
from .errors import StoreError
from .package import TryPackage, load_packages
from .procs import Processes, signals_interrupt
from .release import Release, ReleaseResolver, open_release, resolve_path
from .screens import Screenshots
from .session import Progress, ReleaseRun, Session
from .store import find_php


@dataclass(frozen=True)
class TryOptions:
    """What ``try`` was asked to do. ``resolver`` turns each ``releases`` entry into a path."""

    releases: tuple[str, ...]
    db_dsn: str = ""
    keep: bool = False
    screenshots: Path | None = None
    resolver: ReleaseResolver = resolve_path
    temp_parent: Path | None = None
    progress: Progress | None = None


@dataclass(frozen=True)
class KeptStore:
    """A store left running by ``keep``."""

    release: str
    url: str
    admin_url: str
    username: str
    password: str
    folder: Path
    pids: tuple[int, ...]


@dataclass(frozen=True)
class TryResult:
    """The report (every release's findings), one summary row per release, and kept stores."""

    report: Report
    runs: tuple[ReleaseRun, ...]
    kept: tuple[KeptStore, ...] = ()
    package: str = ""


def run_try(path: Path, options: TryOptions) -> TryResult:
    """Try the package at ``path`` (project, package folder or .ocmod.zip) in every release."""
    say = options.progress or (lambda _m: None)
    if not options.releases:
        raise StoreError("name at least one OpenCart release with --opencart")
    releases = [open_release(spec, options.resolver) for spec in options.releases]
    work = Path(tempfile.mkdtemp(prefix="ocf-try-", dir=options.temp_parent))
    procs = Processes()
    sessions: list[Session] = []
    databases: list[str] = []
    sql: SqlClient | None = None
    skipped: list[SkippedCheck] = []
    packages: dict[str, TryPackage] = {}
    shots: Screenshots | None = None
    fixed_db = ""
    tables_before: set[str] | None = None
    try:
        with signals_interrupt():
            packages = load_packages(path, work)
            chosen = [_package_for(packages, release) for release in releases]
            php = find_php()
            shots = Screenshots.create(options.screenshots, work) if options.screenshots else None
            if options.screenshots and shots is None:
                skipped.append(SkippedCheck("TRY", "screenshots", "Chromium was not found (install chromium): no screenshots were taken"))
            names = sorted({p.filename for p in chosen})
            say(f"try: {', '.join(names)} in OpenCart {', '.join(r.version for r in releases)}")
            address, fixed_db = _database(options, work, procs, say)
            sql = SqlClient(address, php, work)
            if fixed_db:
                # The user's database: remember its tables, so that only ours are removed at the end.
                tables_before = _tables(sql, fixed_db)
            # Databases on a server of the user's get unique names; the private server is ours alone.
            tag = f"{int(time.time()) % 100000:05d}_" if options.db_dsn else ""
            for n, (release, package) in enumerate(zip(releases, chosen, strict=True), 1):
                database = fixed_db or f"ocf_try_{tag}{n}_{re.sub(r'[^0-9]', '', release.version)}"
                if not fixed_db:
                    databases.append(database)
                prefix = f"forge{tag}{n}_" if fixed_db else "forge_"
                session = Session(release, package, work / f"r{n}-{release.version}", sql, address, procs, php, database, prefix, say, shots, own_database=not fixed_db)
                sessions.append(session)
                session.run()
    finally:
        if shots is not None:
            shots.close()  # Chromium needs the store until its last picture
        if sql is not None and options.db_dsn and not options.keep:
            for database in databases:
                drop_database(sql, database)
            if fixed_db and tables_before is not None:
                new = [t for t in _tables(sql, fixed_db) if t not in tables_before]
                if new:
                    sql.run(fixed_db, ["SET FOREIGN_KEY_CHECKS = 0", *(f"DROP TABLE IF EXISTS `{t}`" for t in new)], check=False)
        kept: list[KeptStore] = []
        if options.keep:
            pids = tuple(p.pid for p in procs.detach())
            for s in sessions:
                if s.store is not None:
                    kept.append(KeptStore(s.release.version, s.store.url, s.store.admin_url, s.store.username, s.store.password, s.store.root, pids))
        else:
            procs.stop_all()
            shutil.rmtree(work, ignore_errors=True)
    diagnostics: list[Diagnostic] = [d for s in sessions for d in s.findings.diagnostics()]
    runs = tuple(s.result for s in sessions if s.result is not None)
    files = max((len(p.tree) for p in packages.values()), default=0)
    report = Report(diagnostics=tuple(sorted(diagnostics)), skipped=tuple(skipped), files_checked=files)
    return TryResult(report, runs, tuple(kept), ", ".join(sorted({p.filename for p in packages.values()})))


def _tables(sql: SqlClient, database: str) -> set[str]:
    rows = sql.rows("", f"SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{database}'")
    return {str(r["t"]) for r in rows}


def _package_for(packages: dict[str, TryPackage], release: Release) -> TryPackage:
    """The package for the release's generation; a 3.0 package never goes into a 4.x store."""
    if release.series in packages:
        return packages[release.series]
    names = sorted({p.filename for p in packages.values()})
    if all(p.layout == "3.0" for p in packages.values()):
        raise StoreError(f"{', '.join(names)} is an OpenCart 3.0 package (install.xml, upload/); OpenCart {release.version} installs only 4.x packages")
    if all(p.layout == "4" for p in packages.values()) and release.series == "3.0":
        raise StoreError(f"{', '.join(names)} is an OpenCart 4 package (install.json); OpenCart {release.version} installs only 3.0 packages")
    raise StoreError(f"the project builds no package for OpenCart {release.series} (it builds for {', '.join(sorted(packages))})")


def _database(options: TryOptions, work: Path, procs: Processes, say: Progress) -> tuple[DbAddress, str]:
    if options.db_dsn:
        address, database = parse_dsn(options.db_dsn)
        say(f"try: database server {address.describe()} (--db)")
        return address, database
    server = PrivateServer.locate(work / "db")
    started = time.monotonic()
    address = server.start(procs)
    say(f"try: private database server {Path(server.server).name} on 127.0.0.1:{address.port} ({time.monotonic() - started:.1f} s)")
    return address, ""
