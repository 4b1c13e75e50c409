"""``--screenshots DIR``: a PNG of every page opened, taken with headless Chromium.

The page is rendered from the very HTML the store answered, saved into the store's image cache
folder (which the store serves and the leftovers check ignores) with a ``<base href>``, so that
stylesheets, fonts, scripts and images load from the store as on the real page, and no session
cookie has to be handed to the browser. Chromium may resolve no host but
127.0.0.1 (pages that pull fonts or scripts from the internet would otherwise wait for them),
and runs in its own session so that its helper processes end with it. Screenshots are taken
in the background, two at a time; ``wait()`` (before the store stops) collects them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .database import find_program

if TYPE_CHECKING:
    from .admin import Visit

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--timeout=10000",
    "--window-size=1366,1600",
)


@dataclass
class Screenshots:
    """Takes screenshots into ``folder`` with ``chromium``; failures are counted, never raised."""

    chromium: str
    folder: Path
    scratch: Path
    timeout: float = 40.0
    failures: int = 0
    taken: int = 0
    _pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=2, thread_name_prefix="chromium"))
    _jobs: list[Future[bool]] = field(default_factory=list)

    @classmethod
    def create(cls, folder: Path, scratch: Path) -> Screenshots | None:
        """None when no Chromium (or Chrome) is installed."""
        chromium = find_program(("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"), ("/usr/bin", "/usr/local/bin", "/snap/bin"))
        if chromium is None:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        return cls(chromium, folder, scratch)

    def take(self, visit: Visit, release: str, number: int, body: str, web: tuple[Path, str]) -> Path:
        """Queue a screenshot of ``body`` (the page as ``visit`` answered it); returns where the PNG
        will be. ``web`` is a folder the store serves and its URL: the page is loaded from there,
        so that the store's fonts and scripts load as on the real page (same origin)."""
        name = f"{release}-{number:03d}-{_slug(visit.label)}"
        target = self.folder / f"{name}.png"
        folder, url = web
        folder.mkdir(parents=True, exist_ok=True)
        base = re.sub(r"[^/]*$", "", visit.url.split("?", 1)[0])
        # The page's AJAX calls have no session here: their alert() would block the picture.
        tag = f'<script>window.alert=function(){{}};window.confirm=function(){{return false}};window.prompt=function(){{return null}};</script><base href="{base}">'
        body = re.sub(r"(<head[^>]*>)", lambda m: m.group(1) + tag, body, count=1, flags=re.I) if re.search(r"<head", body, re.I) else tag + body
        (folder / f"{name}.html").write_text(body, encoding="utf-8")
        self._jobs.append(self._pool.submit(self._shoot, f"{url}{name}.html", target))
        return target

    def _shoot(self, page: str, target: Path) -> bool:
        profile = Path(tempfile.mkdtemp(prefix="chromium-", dir=self.scratch))
        argv = [self.chromium, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={target}", page]
        try:
            proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            return False
        try:
            proc.wait(self.timeout)
        except subprocess.TimeoutExpired:
            pass
        finally:
            _stop_group(proc)
            shutil.rmtree(profile, ignore_errors=True)
        return target.is_file()

    def wait(self) -> None:
        """Wait for every queued screenshot (call before the store stops)."""
        for job in self._jobs:
            if job.result():
                self.taken += 1
            else:
                self.failures += 1
        self._jobs.clear()

    def close(self) -> None:
        self.wait()
        self._pool.shutdown(wait=True)


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            break
        try:
            proc.wait(2)
            break
        except subprocess.TimeoutExpired:
            continue


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]
