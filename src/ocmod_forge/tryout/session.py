"""One release's try: set up the store, baseline, install, exercise, uninstall, compare."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Severity
from . import checks, snapshot
from .admin import Admin4, Browser, Visit, admin_for, query_value
from .database import DbAddress, SqlClient
from .findings import Findings
from .http import HttpClient
from .locate import Location, Locator
from .package import TryPackage
from .pages import CORE_PAGES, Page, page_for_template, page_for_trigger
from .phpmsg import PhpMessage, without
from .procs import Processes
from .release import Release
from .sample import ensure_order, ensure_product
from .screens import Screenshots
from .store import Store, setup_store

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ReleaseRun:
    """One row of the summary table."""

    release: str
    installed: bool
    pages: int
    package_messages: int
    core_messages: int
    leftovers: int
    seconds: float
    findings: int
    notes: tuple[str, ...] = ()
    phases: tuple[tuple[str, float], ...] = ()  # (setup|baseline|install|pages|uninstall, seconds)


@dataclass
class Session:
    """Everything that happens in one release's store."""

    release: Release
    package: TryPackage
    workdir: Path
    sql: SqlClient
    address: DbAddress
    procs: Processes
    php: str
    database: str
    prefix: str
    say: Progress
    shots: Screenshots | None = None
    own_database: bool = True
    store: Store | None = None
    findings: Findings = field(init=False)
    core_seen: dict[tuple[str, int, str], int] = field(default_factory=dict)
    baseline_keys: set[tuple[str, int, str]] = field(default_factory=set)
    baseline_pages: dict[str, Visit] = field(default_factory=dict)
    skipped_ops: set[tuple[str, int]] = field(default_factory=set)
    package_messages: int = 0
    pages_opened: int = 0
    phase: str = "setup"
    result: ReleaseRun | None = None
    granted: set[str] = field(default_factory=set)  # permissions try granted in User Groups, as the admin
    phases: list[tuple[str, float]] = field(default_factory=list)
    _phase_started: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.findings = Findings(self.release.version, self.package.filename)
        self.workdir.mkdir(parents=True, exist_ok=True)

    # ---- the run ----------------------------------------------------------------------------------
    def run(self) -> ReleaseRun:
        try:
            self.result = self._run()
            return self.result
        finally:
            if hasattr(self, "browser"):
                self._write_visits()

    def _write_visits(self) -> None:
        """``visits.log`` beside the store: every request, its status, time and PHP messages."""
        lines = []
        for v in self.browser.visits:
            lines.append(f"{v.status} {v.seconds:6.3f}s {v.label}  {v.url}")
            lines.extend(f"    {m.level}: {m.text} in {m.file}:{m.line}" for m in v.messages)
        try:
            (self.workdir / "visits.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
        except OSError:
            pass

    def _run(self) -> ReleaseRun:
        started = self._phase_started = time.monotonic()
        version = self.release.version
        self.say(f"[{version}] setting up the store")
        store = self.store = setup_store(self.release, self.workdir, self.address, self.sql, self.procs, self.php, database=self.database, prefix=self.prefix, create=self.own_database)
        self.locator = Locator(store.root, self.package)
        real = str(store.root.resolve())
        self.findings.replacements = [
            (real + "/", ""), (str(store.root) + "/", ""), (real, "<store>"), (str(store.root), "<store>"),
            (f"'{self.database}.", "'"), (self.database, "<database>"), (f"127.0.0.1:{store.port}", "127.0.0.1:<port>"),
        ]  # fmt: skip
        if not self.own_database:
            self.findings.replacements.append((self.prefix, "<prefix>"))  # unique per run on a shared database
        self.browser = Browser(HttpClient(store.url), store.php_log)
        self.admin = admin_for(store.series, self.browser, store.admin_url, version)
        if self.release.series != "3.0":
            # Releases ship their example packages in storage/marketplace; an upload of the same
            # name would be refused with "File already exists!".
            same = store.root / "system" / "storage" / "marketplace" / self.package.filename
            if same.is_file():
                same.unlink()
                store.notes.append(f"removed the release's own system/storage/marketplace/{self.package.filename} so that the upload is not refused")
        self.admin.login(store.username, store.password)
        group = store.query(f"SELECT user_group_id FROM {store.table('user')} WHERE username = '{store.username}'")
        self.group_id = int(group[0]["user_group_id"] or 1) if group else 1
        self.product_id = ensure_product(store)
        self.order_id = ensure_order(store, self.product_id, self.release.at_least("4.0.2.0"))
        self.permission_text = store.language_string("admin/language/en-gb/error/permission.php", "text_permission")
        self.not_found_text = store.language_string("admin/language/en-gb/error/not_found.php", "text_not_found")
        uses_ocmod = bool(self.package.manifests()) and self.release.series in ("3.0", "4.1")

        # Baseline: the core pages (and those the package's modifications target), before install.
        self._enter("baseline")
        core_pages = self._core_pages()
        if uses_ocmod:
            self._refresh(check=False)
        for page in core_pages:
            self.baseline_pages[page.name] = self._open(page, check=False)
        before = snapshot.take(store)

        # Install: upload, modifications, extensions.
        self._enter("install")
        self.say(f"[{version}] installing {self.package.filename}")
        install_id, installed = self._install()
        if installed and uses_ocmod:
            self._enable_modifications(install_id)
            self._refresh(check=True)
            self._check_modifications()
        types = self._types()
        extensions = self.package.type_extensions(types) if installed else []
        done = [ext for ext in extensions if self._install_extension(*ext)]
        events = sorted(snapshot.take(store).events - before.events) if installed else []
        self._check_events(events)

        # Exercise: the package's admin pages, then the core pages again.
        self._enter("pages")
        if installed:
            if len(done) < len(extensions):
                # Its pages depend on what install() sets up; an admin would stop here too.
                store.notes.append("the package's own pages were not opened: one of its extensions did not install (TRY004/TRY005)")
            else:
                self.say(f"[{version}] opening the package's pages")
                for route, source in self.package.admin_controllers():
                    if checks.has_index(self.package.tree.text(source)):
                        self._open_package_page(Page(route, "admin", route, source))
            extra = [page_for_trigger(trigger) for _code, trigger, _action in events]
            pages = core_pages + [p for p in extra if p is not None and p not in core_pages]
            after = {page.name: self._open(page) for page in pages}
            if uses_ocmod:
                self._check_changes(after)
            self._check_menu(events, after.get("dashboard"))

        # Uninstall, then compare the store with the baseline.
        self._enter("uninstall")
        self.say(f"[{version}] uninstalling")
        for ext_type, code, source in reversed(done):
            self._uninstall_extension(ext_type, code, source)
        if install_id:
            self._uninstall_package(install_id)
        if uses_ocmod:
            self._refresh(check=True)
        leftovers = self._leftovers(before, snapshot.take(store), types)
        core_total = self._core_summary()
        if self.shots is not None:
            failed = self.shots.failures
            self.shots.wait()
            if self.shots.failures > failed:
                store.notes.append(f"{self.shots.failures - failed} screenshots could not be taken")
        self._enter("")
        return ReleaseRun(
            version, installed, self.pages_opened, self.package_messages, core_total, leftovers, time.monotonic() - started, self.findings.count(), tuple(store.notes),
            tuple(self.phases),
        )  # fmt: skip

    def _enter(self, phase: str) -> None:
        """Start ``phase`` ("" ends the last one), timing each."""
        now = time.monotonic()
        self.phases.append((self.phase, now - self._phase_started))
        self.phase, self._phase_started = phase, now

    def _core_summary(self) -> int:
        total = sum(self.core_seen.values())
        if self.core_seen:
            levels: dict[str, int] = {}
            for (_rel, _line, text), count in self.core_seen.items():
                level = text.split(":", 1)[0]
                levels[level] = levels.get(level, 0) + count
            detail = ", ".join(f"{n} {lvl}" for lvl, n in sorted(levels.items()))
            self.findings.add(
                "TRY015",
                f"OpenCart's own code printed {len(self.core_seen)} distinct PHP messages {total} times ({detail}); none is in a package file",
                hint="they come from the release on this PHP version; each request's messages are listed in visits.log beside the store (--keep)",
            )
        return total

    def _types(self) -> list[str]:
        """Extension types of this store (the files Extensions > Extensions reads)."""
        assert self.store is not None
        folder = self.store.root / "admin" / "controller" / "extension"
        if self.release.series == "3.0":
            folder = folder / "extension"
        return sorted(p.stem for p in folder.glob("*.php"))

    def _core_pages(self) -> list[Page]:
        pages = list(CORE_PAGES)
        for _mpath, manifest in self.package.manifests():
            for block in manifest.files:
                for part in (block.path or "").split("|"):
                    page = page_for_template(part.strip())
                    if page is not None and page not in pages:
                        pages.append(page)
        return pages

    # ---- requests and their messages ------------------------------------------------------------
    def _open(self, page: Page, *, check: bool = True) -> Visit:
        assert self.store is not None
        if page.side == "admin":
            if page.route:
                visit = self.admin.open(page.label, page.route)
            else:
                params: list[tuple[str, str]] = []
                if page.name == "product_form":
                    params = [("product_id", str(self.product_id))]
                elif page.name == "order_info":
                    params = [("order_id", str(self.order_id))]
                visit = self.admin.open(page.label, self.admin.page_route(page.name), params)
        else:
            query = "route=common/home" if page.name == "home" else f"route=product/product&product_id={self.product_id}"
            visit = self.browser.get(page.label, f"{self.store.url}index.php?{query}", follow=True)
        self.pages_opened += 1
        if self.shots is not None:
            # The picture is of the package: OpenCart's own PHP messages are left out of it.
            body = without(visit.raw, lambda m: self.locator.locate_message(m)[0] is None)
            web = (self.store.root / "image" / "cache" / "ocmod-forge", f"{self.store.url}image/cache/ocmod-forge/")
            visit.screenshot = self.shots.take(visit, self.release.version, self.pages_opened, body, web)
        self._messages(visit)
        if check:
            self._check_page(visit, page)
        return visit

    def _messages(self, visit: Visit) -> None:
        """Sort every PHP message of a visit into the package's (findings) and OpenCart's own."""
        for message in visit.messages:
            where, rel = self.locator.locate_message(message)
            if self._sql_message(message, visit, where):
                continue
            if where is not None:
                self.package_messages += 1
                via = f" ({where.via})" if where.via else ""
                self.findings.add(checks.LEVEL_CODE[message.level], f"PHP {message.level}: {message.text}{via}", path=where.path, line=where.line, where=visit.label)
                continue
            core_rel, core_line = self.locator.core_key(message.file, message.line)
            key = (core_rel, core_line, f"{message.level}: {message.text}")
            if self.phase == "baseline":
                self.baseline_keys.add(key)
            elif key not in self.baseline_keys and message.level != "deprecated":
                # Deprecations in core code are about the core's own syntax; anything else that
                # only shows with the package installed is most likely the package's doing.
                self.findings.add(
                    "TRY014",
                    f"PHP {message.level} in OpenCart's {rel}:{message.line} that the store did not show before install: {message.text}",
                    where=visit.label,
                    severity=Severity.ERROR if message.level == "error" else None,
                )
                continue
            self.core_seen[key] = self.core_seen.get(key, 0) + 1

    def _sql_message(self, message: PhpMessage, visit: Visit, where: Location | None) -> bool:
        """A failed query: a table outside the store's prefix is TRY017, a failure in the package's code TRY016."""
        failure = checks.sql_failure(message.text)
        if failure is None:
            return False
        if failure.missing_table and not failure.missing_table.startswith(self.prefix):
            table = failure.missing_table
            found = self.package.find_literal(table)
            path, line = found if found else ((where.path, where.line) if where else ("", 0))
            self.package_messages += 1
            self.findings.add(
                "TRY017",
                f"query on table `{table}`, which is not under the store's prefix {self.prefix}: {failure.error}",
                path=path,
                line=line,
                where=visit.label,
                hint=f'write the table as DB_PREFIX . "{re.sub(r"^oc_", "", table)}"',
            )
            return True
        if where is None and failure.missing_table:
            # OpenCart 4.0 prints no stack trace: the package file naming the table is the place.
            found = checks.table_location(self.package, failure.missing_table[len(self.prefix) :])
            where = Location(found[0], found[1], "the query's table is named here") if found else None
        if where is None:
            return False
        self.package_messages += 1
        self.findings.add("TRY016", f"SQL error: {failure.error}" + (f" in: {failure.sql}" if failure.sql else ""), path=where.path, line=where.line, where=visit.label)
        return True

    def _check_page(self, visit: Visit, page: Page) -> None:
        path = page.source
        line = checks.class_line(self.package.tree.text(path)) if path else 0
        if visit.status >= 400:
            self.findings.add("TRY020", f"{page.label} answered HTTP {visit.status}", path=path, line=line, where=visit.label)
        elif visit.status == 200 and not visit.body.strip() and not visit.messages:
            self.findings.add("TRY024", f"{page.label} is empty", path=path, line=line, where=visit.label)
        if path and self.not_found_text and self.not_found_text in visit.body:
            self.findings.add("TRY021", f"{page.label}: OpenCart answers 'Page Not Found' for route {page.route}", path=path, line=line, where=visit.label)

    def _denied(self, visit: Visit) -> bool:
        return bool(self.permission_text) and self.permission_text in visit.body

    # ---- install ------------------------------------------------------------------------------------
    def _install(self) -> tuple[int, bool]:
        store = self.store
        assert store is not None
        steps = self.admin.upload(self.package.filename, self.package.data)
        ok = self._check_steps(steps)
        if self.release.series == "3.0":
            for step in steps:
                value = query_value(str(step.data.get("next", "")) if step.data else "", "extension_install_id")
                if value.isdigit():
                    return int(value), ok
            return 0, ok
        if not ok:
            return 0, False
        rows = store.query(f"SELECT extension_install_id FROM {store.table('extension_install')} WHERE code = '{self.package.code.replace(chr(39), '')}' ORDER BY extension_install_id DESC LIMIT 1")
        if not rows:
            self.findings.add("TRY001", "the upload answered success but the Installer lists no such package", where=steps[-1].label)
            return 0, False
        install_id = int(rows[0]["extension_install_id"] or 0)
        assert isinstance(self.admin, Admin4)
        return install_id, self._check_steps(self.admin.install(install_id))

    def _check_steps(self, steps: list[Visit], code: str = "TRY001") -> bool:
        """Every step answers JSON without error; the last one success."""
        ok = True
        for step in steps:
            self._messages(step)
            if step.status >= 400:
                self.findings.add(code, f"{step.label} answered HTTP {step.status}", where=step.label)
                return False
            if step.data is None:
                self.findings.add("TRY002", f"{step.label} did not answer JSON: {' '.join(step.body.split())[:200]!r}", where=step.label)
                return False
            if step.json_error:
                self.findings.add(code, f"{step.label} answered: {checks.plain(step.json_error)}", where=step.label)
                return False
            if any(self.locator.locate_message(m)[0] is not None for m in step.messages):
                self.findings.add("TRY002", f"{step.label}: the package's PHP messages precede the JSON answer; the admin's browser shows a parse error", where=step.label)
                ok = False
        last = steps[-1] if steps else None
        if ok and (last is None or last.data is None or not last.data.get("success")):
            self.findings.add(code, f"{last.label if last else 'the installer'} ended without success", where=last.label if last else "")
            return False
        return ok

    def _enable_modifications(self, install_id: int) -> None:
        """4.1 installs modifications disabled: the admin enables each one, then refreshes."""
        if not isinstance(self.admin, Admin4) or not install_id:
            return
        store = self.store
        assert store is not None
        rows = store.query(f"SELECT modification_id, status FROM {store.table('modification')} WHERE extension_install_id = {install_id} ORDER BY modification_id")
        for row in rows:
            if str(row["status"]) != "1":
                visit = self.admin.enable_modification(int(row["modification_id"] or 0))
                self._messages(visit)
                if visit.json_error or visit.data is None:
                    detail = visit.json_error or visit.body[:200]
                    self.findings.add("TRY003", f"enabling modification {row['modification_id']} failed: {checks.plain(detail)}", path=self._manifest_path(), where=visit.label)

    def _refresh(self, *, check: bool) -> None:
        store = self.store
        assert store is not None
        log = store.root / "system" / "storage" / "logs" / "ocmod.log"
        self.ocmod_offset = log.stat().st_size if log.is_file() else 0
        visit = self.admin.refresh()
        if not check:
            return
        self._messages(visit)
        failed = visit.status >= 400 or bool(visit.json_error) or (self.release.series != "3.0" and visit.data is None)
        maintenance = store.query(f"SELECT value FROM {store.table('setting')} WHERE `key` = 'config_maintenance' AND store_id = 0")
        if maintenance and str(maintenance[0]["value"]) == "1":
            self.findings.add("TRY003", "Modifications > Refresh left the store in maintenance mode (it died half-way)", path=self._manifest_path(), where=visit.label)
            store.execute(f"UPDATE {store.table('setting')} SET value = '0' WHERE `key` = 'config_maintenance'")
        elif failed:
            detail = visit.json_error or " ".join(visit.body.split())[:200]
            self.findings.add("TRY003", f"Modifications > Refresh failed: {checks.plain(detail)}", path=self._manifest_path(), where=visit.label)

    def _manifest_path(self) -> str:
        manifests = self.package.manifests()
        return manifests[0][0] if manifests else ""

    def _check_modifications(self) -> None:
        """NOT FOUND in the ocmod.log this Refresh wrote; ``<file path>`` parts matching no file."""
        store = self.store
        assert store is not None
        log = store.root / "system" / "storage" / "logs" / "ocmod.log"
        text = ""
        if log.is_file():
            with open(log, "rb") as handle:
                handle.seek(self.ocmod_offset)
                text = handle.read().decode("utf-8", errors="replace")
        manifests = self.package.manifests()
        for miss in checks.ocmod_not_found(text, manifests):
            line = 0
            if miss.operation is not None:
                self.skipped_ops.add((miss.manifest, miss.operation.line))
                line = miss.operation.search.line if miss.operation.search is not None else miss.operation.line
            self.findings.add("TRY030", f"search not found in {miss.key}: {miss.search[:120]!r} (ocmod.log: {miss.status})", path=miss.manifest, line=line, where="Modifications > Refresh")
        for mpath, block, part in checks.unmatched_paths(manifests, store.root, self.release.series):
            self.findings.add("TRY031", f"<file path> {part!r} matches no file in the store", path=mpath, line=block.line, where="Modifications > Refresh")

    # ---- extensions ---------------------------------------------------------------------------------
    def _install_extension(self, ext_type: str, code: str, source: str) -> bool:
        store = self.store
        assert store is not None
        listing = self.admin.extension_list(ext_type)
        self._messages(listing)
        owner = code if self.release.series == "3.0" else self.package.code
        listed = re.compile(r"[?&](?:amp;)?extension=" + re.escape(owner) + r"(?:&(?:amp;)?code=" + re.escape(code) + r")?\b")
        if not listed.search(listing.body):
            self.findings.add("TRY005", f"Extensions > Extensions > {ext_type} does not list {code}", path=source, where=listing.label)
            return False
        visit = self.admin.install_extension(ext_type, self.package.code, code)
        self._messages(visit)
        row = store.query(f"SELECT COUNT(*) AS n FROM {store.table('extension')} WHERE `type` = '{ext_type}' AND `code` = '{code}'")
        installed = bool(row and int(row[0]["n"] or 0))
        error = visit.json_error or checks.alert_text(visit.body)
        if error or not installed or visit.status >= 400:
            self.findings.add("TRY004", f"installing {ext_type} {code}: {checks.plain(error) or 'not installed'}", path=source, where=visit.label)
        return installed

    def _uninstall_extension(self, ext_type: str, code: str, source: str) -> None:
        visit = self.admin.uninstall_extension(ext_type, self.package.code, code)
        self._messages(visit)
        error = visit.json_error or checks.alert_text(visit.body)
        if error or visit.status >= 400:
            self.findings.add("TRY040", f"uninstalling {ext_type} {code}: {checks.plain(error) or f'HTTP {visit.status}'}", path=source, where=visit.label)

    def _uninstall_package(self, install_id: int) -> None:
        for step in self.admin.uninstall_package(install_id):
            self._messages(step)
            if step.json_error or step.status >= 400 or step.data is None:
                detail = step.json_error or " ".join(step.body.split())[:200] or f"HTTP {step.status}"
                self.findings.add("TRY040", f"{step.label}: {checks.plain(detail)}", where=step.label)
                return

    def _check_events(self, events: list[tuple[str, str, str]]) -> None:
        assert self.store is not None
        version = tuple(int(p) for p in re.findall(r"\d+", self.release.version))
        for problem in checks.event_problems(events, self.store.root, self.release.series, version):
            found = self.package.find_literal(problem.code, prefer="addEvent|event") or self.package.find_literal(problem.trigger)
            path, line = found if found else ("", 0)
            self.findings.add("TRY034", f"event {problem.code} ({problem.trigger}) calls {problem.action}: {problem.reason}", path=path, line=line)

    # ---- pages ------------------------------------------------------------------------------------------
    def _open_package_page(self, page: Page) -> None:
        visit = self._open(page, check=False)
        if self._denied(visit):
            assert self.store is not None
            startup = self.store.root / "admin" / "controller" / "startup" / "permission.php"
            key = checks.permission_key(page.route, self.release.series, startup.read_text(encoding="utf-8", errors="replace") if startup.is_file() else "")
            line = checks.class_line(self.package.tree.text(page.source))
            self.findings.add(
                "TRY022",
                f"{page.label}: 'Permission Denied' for the admin who installed the package (needs access on {key})",
                path=page.source,
                line=line,
                where=visit.label,
                hint=f"grant it in install(): $this->model_user_user_group->addPermission($user_group_id, 'access', '{key}')",
            )
            granted, saved = self.admin.grant(self.group_id, key)
            self.granted.add(key)
            self._messages(saved)
            if not granted:
                self.findings.add(
                    "TRY023",
                    f"{page.label} needs access on {key}, which System > Users > User Groups does not offer",
                    path=page.source,
                    line=line,
                    hint=f"add a controller file for {key} (admin/controller/{key}.php) or move the page into an extension type folder",
                )
                return
            visit = self._open(page, check=False)
            if self._denied(visit):
                return
        self._check_page(visit, page)

    def _check_changes(self, after: dict[str, Visit]) -> None:
        """Each OCMOD change to a template shows on the page that renders it, once."""
        now = {name: visit.body for name, visit in after.items()}
        then = {name: visit.body for name, visit in self.baseline_pages.items()}
        for change in checks.change_counts(self.package.manifests(), self.skipped_ops, now, then):
            where = after[change.page].label
            what = f"{change.what} added to {change.target}"
            if change.count < 1:
                if change.conditional:
                    self.findings.add(
                        "TRY032",
                        f"{what} does not show on the page (it is inside a Twig if/for of the <add>: the page's data may hide it)",
                        path=change.manifest,
                        line=change.line,
                        where=where,
                        severity=Severity.INFO,
                    )
                else:
                    self.findings.add("TRY032", f"{what} does not show on the page", path=change.manifest, line=change.line, where=where)
            elif change.count > 1:
                self.findings.add("TRY033", f"{what} shows {change.count} times on the page", path=change.manifest, line=change.line, where=where)

    def _check_menu(self, events: list[tuple[str, str, str]], dashboard: Visit | None) -> None:
        """An admin menu event must add links to the package's pages to the menu, each once."""
        menu_events = [e for e in events if "common/column_left" in e[1]]
        if not menu_events or dashboard is None:
            return
        then = self.baseline_pages.get("dashboard")
        routes = [route for route, source in self.package.admin_controllers() if checks.has_index(self.package.tree.text(source))]
        counts = checks.menu_counts(dashboard.body, then.body if then else "", routes)
        found = self.package.find_literal(menu_events[0][0], prefer="column_left") or self.package.find_literal("common/column_left")
        path, line = found if found else ("", 0)
        if not any(n > 0 for n in counts.values()):
            self.findings.add("TRY032", f"the admin menu event {menu_events[0][0]} adds no link to the package's pages", path=path, line=line, where=dashboard.label)
        for route, n in sorted(counts.items()):
            if n > 1:
                self.findings.add("TRY033", f"the admin menu links {route} {n} times", path=path, line=line, where=dashboard.label)

    # ---- leftovers ------------------------------------------------------------------------------------
    def _leftovers(self, before: snapshot.Snapshot, after: snapshot.Snapshot, types: list[str]) -> int:
        # OpenCart grants extension/<type>/<code> itself when an extension is installed and does
        # not take it back on uninstall: not the package's doing.
        own = self.package.code
        granted = {f"extension/{t}/{c}" if self.release.series == "3.0" else f"extension/{own}/{t}/{c}" for t, c, _s in self.package.type_extensions(types)}
        if not any(p.startswith("system/storage/vendor/") for p in self.package.tree):
            # 4.0's installer rewrites system/vendor.php on every install and uninstall.
            for shot in (before, after):
                shot.files.pop("system/vendor.php", None)
        # What try itself granted in User Groups (TRY022) is the admin's doing, not the package's.
        lefts = snapshot.diff(before, after, ignore_permissions=frozenset(granted | self.granted))
        for left in lefts:
            finding = checks.leftover_finding(left, self.package, self.prefix, self._manifest_path())
            self.findings.add(finding.code, finding.message, path=finding.path, line=finding.line, where="after uninstall")
        return len(lefts)
