"""``--screenshots DIR``: a PNG of every page opened, taken with headless Chromium.

The page is rendered from the very HTML the store answered (saved with a ``<base href>`` so that
stylesheets, scripts and images load from the store), so no session cookie has to be handed to
the browser, and the picture shows exactly what was checked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
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
    "--window-size=1366,1600",
)


@dataclass
class Screenshots:
    """Takes screenshots into ``folder`` with ``chromium``; failures are recorded, never raised."""

    chromium: str
    folder: Path
    scratch: Path
    failures: int = 0

    @classmethod
    def create(cls, folder: Path, scratch: Path) -> Screenshots | None:
        chromium = find_program(("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"), ("/usr/bin", "/usr/local/bin", "/snap/bin"))
        if chromium is None:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        return cls(chromium, folder, scratch)

    def take(self, visit: Visit, release: str, number: int) -> Path | None:
        name = f"{release}-{number:03d}-{_slug(visit.label)}.png"
        target = self.folder / name
        html = self.scratch / f"shot-{number:03d}.html"
        base = re.sub(r"[^/]*$", "", visit.url.split("?", 1)[0])
        body = visit.raw
        tag = f'<base href="{base}">'
        body = re.sub(r"(<head[^>]*>)", lambda m: m.group(1) + tag, body, count=1, flags=re.I) if re.search(r"<head", body, re.I) else tag + body
        html.write_text(body, encoding="utf-8")
        profile = Path(tempfile.mkdtemp(prefix="chromium-", dir=self.scratch))
        try:
            subprocess.run(
                [self.chromium, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={target}", html.as_uri()],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                stdin=subprocess.DEVNULL,
                timeout=60,
                check=False,
                start_new_session=True,
            )
        except (OSError, subprocess.TimeoutExpired):
            self.failures += 1
            return None
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        if not target.is_file():
            self.failures += 1
            return None
        return target


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]
