"""The HTTP driver and the admin flows against a fake OpenCart admin (tests/tryout/fake_admin.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_admin import TOKEN, fake_admin

from ocmod_forge.tryout.admin import Admin, Admin4, Browser, admin_for, find_form
from ocmod_forge.tryout.errors import StoreError
from ocmod_forge.tryout.http import HttpClient


def _admin(base: str, series: str, tmp_path: Path, version: str) -> tuple[Browser, Admin]:
    log = tmp_path / "php-error.log"
    log.write_text("")
    browser = Browser(HttpClient(base), log)
    return browser, admin_for(series, browser, base + "admin/", version)


def test_http_client_refuses_other_hosts() -> None:
    with pytest.raises(StoreError, match=r"127\.0\.0\.1"):
        HttpClient("http://example.com/")
    client = HttpClient("http://127.0.0.1:1/")
    with pytest.raises(StoreError, match="not a loopback"):
        client.get("http://192.0.2.1/x")


def test_login_30_keeps_cookie_and_token(tmp_path: Path) -> None:
    with fake_admin("3.0") as (base, state):
        browser, admin = _admin(base, "3.0", tmp_path, "3.0.3.8")
        visit = admin.login("admin", "secret")
        assert admin.token == TOKEN
        assert browser.client.cookies == {"OCSESSID": "abc123"}
        assert visit.status == 302
        # The core deprecation printed before the redirect is parsed, not lost.
        assert [m.level for m in visit.messages] == ["deprecated"]
        assert state.requests[1][0:2] == ("POST", "common/login")


def test_login_failure_is_a_store_error(tmp_path: Path) -> None:
    with fake_admin("4.1") as (base, _state):
        _browser, admin = _admin(base, "4.1", tmp_path, "4.1.0.4")
        with pytest.raises(StoreError, match="No match"):
            admin.login("admin", "wrong")


def test_install_steps_30_follow_next_until_success(tmp_path: Path) -> None:
    with fake_admin("3.0") as (base, state):
        _browser, admin = _admin(base, "3.0", tmp_path, "3.0.3.8")
        admin.login("admin", "secret")
        steps = admin.upload("x.ocmod.zip", b"PK\x03\x04data")
        assert [s.label.rsplit(" ", 1)[-1] for s in steps] == [
            "marketplace/installer/upload",
            "marketplace/install/install",
            "marketplace/install/unzip",
            "marketplace/install/move",
            "marketplace/install/xml",
            "marketplace/install/remove",
        ]
        assert steps[-1].data == {"success": "Success: You have modified extensions!"}
        assert all(s.data is not None for s in steps)  # JSON decoded after the deprecation was removed
        assert state.uploads == [("x.ocmod.zip", state.uploads[0][1])]


def test_install_step_error_stops_the_chain(tmp_path: Path) -> None:
    with fake_admin("3.0", fail_step="marketplace/install/move") as (base, _state):
        _browser, admin = _admin(base, "3.0", tmp_path, "3.0.3.8")
        admin.login("admin", "secret")
        steps = admin.upload("x.ocmod.zip", b"zip")
        assert steps[-1].label.endswith("marketplace/install/move")
        assert "not allowed" in steps[-1].json_error


def test_install_4x_pages_then_xml(tmp_path: Path) -> None:
    with fake_admin("4.1", noise=False) as (base, _state):
        _browser, admin = _admin(base, "4.1", tmp_path, "4.1.0.4")
        assert isinstance(admin, Admin4)
        admin.login("admin", "secret")
        upload = admin.upload("acme_try.ocmod.zip", b"zip")
        assert upload[0].data == {"success": "Success: You have uploaded!"}
        steps = admin.install(7)
        assert [s.label for s in steps] == [
            "install step marketplace/installer.install",
            "install step marketplace/installer.install (page 2)",
            "install step marketplace/installer.xml",
        ]
        removal = admin.uninstall_package(7)
        assert [s.label for s in removal] == ["Installer > uninstall", "uninstall step marketplace/installer.vendor", "Installer > delete"]


def test_separator_by_version(tmp_path: Path) -> None:
    browser = Browser(HttpClient("http://127.0.0.1:9/"), tmp_path / "none.log")
    assert Admin4(browser, "", "4.0.1.1").method("sale/order", "info") == "sale/order|info"
    assert Admin4(browser, "", "4.0.2.3").method("sale/order", "info") == "sale/order.info"


def test_refresh_30_follows_redirect(tmp_path: Path) -> None:
    with fake_admin("3.0") as (base, state):
        _browser, admin = _admin(base, "3.0", tmp_path, "3.0.3.8")
        admin.login("admin", "secret")
        visit = admin.refresh()
        assert visit.status == 200
        assert [r[1] for r in state.requests[-2:]] == ["marketplace/modification/refresh", "marketplace/modification"]


def test_grant_ticks_the_checkbox_and_keeps_the_rest(tmp_path: Path) -> None:
    with fake_admin("3.0", granted=["catalog/product"]) as (base, state):
        _browser, admin = _admin(base, "3.0", tmp_path, "3.0.3.8")
        admin.login("admin", "secret")
        granted, _saved = admin.grant(1, "extension/acme")
        assert granted
        post = [r for r in state.requests if r[0] == "POST" and r[1] == "user/user_permission/edit"][-1]
        assert post[2]["permission[access][]"] == ["catalog/product", "extension/acme"]
        assert post[2]["permission[modify][]"] == ["extension/acme"]
        assert post[2]["name"] == ["Administrator"]
        refused, _page = admin.grant(1, "extension/other")
        assert not refused


def test_session_loss_is_reported(tmp_path: Path) -> None:
    with fake_admin("3.0") as (base, _state):
        _browser, admin = _admin(base, "3.0", tmp_path, "3.0.3.8")
        admin.token = "stale"
        with pytest.raises(StoreError, match="session was lost"):
            admin.open("admin page x", "catalog/product")


def test_browser_reads_only_new_php_log_lines(tmp_path: Path) -> None:
    log = tmp_path / "php-error.log"
    log.write_text("[03-Dec-2026 08:06:22 UTC] PHP Warning:  old in /s/a.php on line 1\n")
    with fake_admin("4.1", noise=False) as (base, _state):
        browser = Browser(HttpClient(base), log)
        with log.open("a") as handle:
            handle.write("[03-Dec-2026 08:06:23 UTC] PHP Fatal error:  Uncaught Error: boom in /s/b.php:4\nStack trace:\n#0 {main}\n  thrown in /s/b.php on line 4\n")
        visit = browser.get("page", base + "admin/index.php?route=common/login")
        assert [(m.level, m.file, m.source) for m in visit.messages] == [("error", "/s/b.php", "log")]
        again = browser.get("page", base + "admin/index.php?route=common/login")
        assert again.messages == []


def test_find_form_collects_what_a_browser_submits() -> None:
    html = (
        '<form id="f" action="/save?a=1&amp;b=2"><input type="hidden" name="id" value="5"><input name="q" value="x &amp; y">'
        '<input type="checkbox" name="c[]" value="a" checked><input type="checkbox" name="c[]" value="b"><input type="submit" name="go" value="Go">'
        '<input type="file" name="upload"></form><form id="other"><input name="z"></form>'
    )
    form = find_form(html, "f")
    assert form is not None
    assert form.action == "/save?a=1&b=2"
    assert form.fields == [("id", "5"), ("q", "x & y"), ("c[]", "a")]
    assert form.offered == [("c[]", "a"), ("c[]", "b")]
    assert form.tick("c[]", "b") and not form.tick("c[]", "zzz")
    assert find_form(html, "missing") is None
