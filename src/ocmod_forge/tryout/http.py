"""A small HTTP client for the throwaway store: cookies, forms, file upload, no redirects followed
unless asked, and loopback addresses only (a try run never talks to the network)."""

from __future__ import annotations

import http.client
import json
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

from .errors import StoreError

LOOPBACK = ("127.0.0.1", "localhost", "::1")
Fields = Sequence[tuple[str, str]] | Mapping[str, str]


@dataclass(frozen=True)
class Response:
    """One HTTP exchange: the final URL asked for, status, headers (lower-case names), body."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    seconds: float
    redirects: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class HttpClient:
    """Keeps cookies per client (one browser session); every request goes to ``base`` only."""

    base: str
    timeout: float = 60.0
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        host = urlsplit(self.base).hostname or ""
        if host not in LOOPBACK:
            raise StoreError(f"refusing to drive {self.base}: try only talks to stores on 127.0.0.1")

    def url(self, path_or_url: str) -> str:
        return urljoin(self.base, path_or_url.replace("&amp;", "&"))

    def get(self, path: str, *, follow: bool = False) -> Response:
        return self.request("GET", path, follow=follow)

    def post(self, path: str, fields: Fields, *, follow: bool = False) -> Response:
        items = list(fields.items()) if isinstance(fields, Mapping) else list(fields)
        body = urlencode(items).encode()
        return self.request("POST", path, body=body, content_type="application/x-www-form-urlencoded", follow=follow)

    def upload(self, path: str, field_name: str, filename: str, data: bytes, fields: Fields = ()) -> Response:
        """A multipart POST with one file, as a browser's FormData sends it."""
        boundary = f"----ocmodforge{uuid.uuid4().hex}"
        chunks: list[bytes] = []
        items = list(fields.items()) if isinstance(fields, Mapping) else list(fields)
        for name, value in items:
            chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{filename}"\r\nContent-Type: application/zip\r\n\r\n'.encode())
        chunks.append(data)
        chunks.append(f"\r\n--{boundary}--\r\n".encode())
        return self.request("POST", path, body=b"".join(chunks), content_type=f"multipart/form-data; boundary={boundary}")

    def request(self, method: str, path: str, *, body: bytes | None = None, content_type: str = "", follow: bool = False) -> Response:
        url = self.url(path)
        redirects: list[str] = []
        start = time.monotonic()
        for _hop in range(10):
            status, headers, data = self._once(method, url, body, content_type)
            if follow and status in (301, 302, 303, 307, 308) and headers.get("location"):
                redirects.append(url)
                url = self.url(urljoin(url, headers["location"]))
                if status != 307 and status != 308:
                    method, body, content_type = "GET", None, ""
                continue
            break
        return Response(url, status, headers, data, time.monotonic() - start, tuple(redirects))

    def _once(self, method: str, url: str, body: bytes | None, content_type: str) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(url)
        if (parts.hostname or "") not in LOOPBACK:
            raise StoreError(f"refusing to request {url}: not a loopback address")
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        headers = {"User-Agent": "ocmod-forge-try", "Accept": "*/*", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in sorted(self.cookies.items()))
        if body is not None:
            headers["Content-Type"] = content_type
            headers["Content-Length"] = str(len(body))
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=self.timeout)
        try:
            conn.request(method, target, body=body, headers=headers)
            reply = conn.getresponse()
            data = reply.read()
        except (OSError, http.client.HTTPException) as exc:
            raise StoreError(f"{method} {url}: {exc}") from None
        finally:
            conn.close()
        out: dict[str, str] = {}
        for name, value in reply.getheaders():
            key = name.lower()
            if key == "set-cookie":
                self._remember(value)
            out[key] = value if key not in out else out[key] + ", " + value
        return reply.status, out, data

    def _remember(self, header: str) -> None:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(header)
        except Exception:  # a malformed cookie is the server's problem; keep the others
            return
        for name, morsel in jar.items():
            if morsel["max-age"] == "0" or morsel.value == "deleted":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


def json_body(text: str) -> dict[str, object] | None:
    """The JSON object in a response body, or None when the body is not one."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
