"""The TRY family: what ``ocmod-forge try`` reports after installing a package in a real store.

Exposed as data (``TRY_RULES``: code → ``TryRule``) so that ``ocmod-forge rules`` can list and
explain these codes next to the static rules. Codes are stable; a retired code is never reused.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Severity

ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
ALL = ("3.0", "4.0", "4.1")


@dataclass(frozen=True)
class TryRule:
    """One TRY code: its kebab-case name, default severity, the series it applies to, and its
    user documentation (first line = summary; then why, and Fail/Pass examples)."""

    code: str
    name: str
    severity: Severity
    targets: tuple[str, ...]
    doc: str
    family: str = "TRY"

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]


def _r(code: str, name: str, severity: Severity, doc: str, targets: tuple[str, ...] = ALL) -> TryRule:
    return TryRule(code, name, severity, targets, "\n".join(line.strip() for line in doc.strip().splitlines()))


TRY_RULES: dict[str, TryRule] = {
    r.code: r
    for r in (
        _r(
            "TRY001",
            "install-step-failed",
            ERR,
            """
            A step of Extensions > Installer answered an error, so the package is not (fully) installed.
            The installer runs its steps one after another (3.0: upload, install, unzip, move, xml,
            remove; 4.x: upload, install pages, xml/vendor); the first error stops it, and what was
            copied before stays in the store.
            Fail: 3.0 move answers "The directory admin/controller/common is not allowed to be written to!".
            Pass: every step answers ``next`` or ``success``.""",
        ),
        _r(
            "TRY002",
            "install-step-not-json",
            ERR,
            """
            An installer step answered something that is not JSON, so the admin's browser shows a parse error.
            PHP output printed by package code (or an HTML error page) in front of the JSON breaks
            the installer's JavaScript even when the step itself worked. OpenCart's own PHP 8
            deprecations in old releases are removed before this check; they are reported as TRY015.
            Fail: ``Warning: Undefined variable $x in …/install.php`` followed by ``{"next": …}``.
            Pass: a plain ``{"next": "…"}``.""",
        ),
        _r(
            "TRY003",
            "refresh-failed",
            ERR,
            """
            Extensions > Modifications > Refresh did not finish, or left the store in maintenance mode.
            A fatal error while OpenCart applies the modifications leaves the modification cache
            half empty and maintenance mode on: the whole store is down for customers.
            Fail: Refresh answers with ``Fatal error: Uncaught Error: Call to a member function getAttribute() on null``.
            Pass: Refresh answers "Success: You have modified modifications!" and ``config_maintenance`` is 0.""",
        ),
        _r(
            "TRY004",
            "extension-install-failed",
            ERR,
            """
            Installing an extension in Extensions > Extensions answered an error or did not install it.
            This is where OpenCart grants the extension's own permissions and calls its ``install()``
            method, which creates tables, settings and events.
            Fail: the answer carries "Warning: You do not have permission to modify …" or the row still shows the Install button.
            Pass: the extension is listed as installed and ``install()`` ran without PHP messages.""",
        ),
        _r(
            "TRY005",
            "extension-not-listed",
            ERR,
            """
            A controller in an extension type folder is not offered in Extensions > Extensions.
            3.0 lists ``admin/controller/extension/<type>/<file>.php``; 4.0 lists only files the
            installer recorded, 4.1 ``extension/*/admin/controller/<type>/<file>.php``. A file that is
            not listed can never be installed, so its permissions, settings and events never exist.
            Fail: ``admin/controller/payment/my_pay.php`` without ``admin/language/en-gb/payment/my_pay.php`` (no heading_title).
            Pass: the type list shows the extension with an Install button.""",
        ),
        _r(
            "TRY010",
            "php-error",
            ERR,
            """
            A PHP fatal error or uncaught exception was raised in the package's code.
            The page or step stops half-way; in 3.0 an uncaught exception is a blank or broken page.
            Located at the package file and line PHP names (for code OpenCart copied into its
            modification cache: the install.xml operation that added the line).
            Fail: ``Call to undefined method ModelExtensionModuleX::getItems()`` on the module page.
            Pass: no fatal error on any page or step.""",
        ),
        _r(
            "TRY011",
            "php-warning",
            WARN,
            """
            A PHP warning in the package's code was printed on a page or step.
            With display_errors on (OpenCart's default) the text lands in the page, and in JSON
            answers it breaks the admin's JavaScript.
            Fail: ``Warning: Undefined array key "status" in …/module/x.php on line 42``.
            Pass: the value is checked with ``isset()`` before it is read.""",
        ),
        _r(
            "TRY012",
            "php-notice",
            WARN,
            """
            A PHP notice in the package's code was printed on a page or step.
            Notices (undefined index on PHP 7, ``Only variables should be passed by reference`` …)
            are printed like warnings in OpenCart and corrupt JSON answers just the same.
            Fail: ``Notice: Undefined index: filter_name``.
            Pass: the package reads request values with ``isset()``/``??``.""",
        ),
        _r(
            "TRY013",
            "php-deprecation",
            INFO,
            """
            A PHP deprecation was raised in the package's code.
            Deprecations become errors in a later PHP version; OpenCart prints them like warnings.
            Fail: ``Creation of dynamic property ControllerExtensionModuleX::$foo is deprecated``.
            Pass: the property is declared.""",
        ),
        _r(
            "TRY014",
            "core-message-after-install",
            WARN,
            """
            OpenCart's own code printed a PHP message that it did not print before the package was installed.
            The message is in a core file, but it appears only with the package installed, so the
            package most likely causes it (a modification of core code, an event handler passing
            bad data, a missing setting the core reads).
            Fail: ``Undefined array key "meschain"`` in the cached product_form controller after install.
            Pass: the core prints the same messages with and without the package.""",
        ),
        _r(
            "TRY015",
            "core-messages",
            INFO,
            """
            OpenCart itself printed PHP messages (not caused by the package).
            Old releases on PHP 8 print deprecations on every page. They are counted here, once per
            release, so that the package's own messages stand out; they never fail a run.
            Fail: (informational only).
            Pass: a release that runs on the PHP in use without messages.""",
        ),
        _r(
            "TRY016",
            "sql-error",
            ERR,
            """
            A query of the package failed in the database.
            OpenCart turns a failed query into an exception, so the page dies. Located at the
            package line that ran the query when PHP's stack trace names one.
            Fail: ``Unknown column 'sync_status' in 'field list'``.
            Pass: every query the package runs on its pages succeeds.""",
        ),
        _r(
            "TRY017",
            "hard-coded-table-prefix",
            ERR,
            """
            The package uses a table name with a fixed ``oc_`` prefix instead of ``DB_PREFIX``.
            Stores choose their own prefix; the test store uses ``forge_``, so ``oc_product`` does not
            exist there and a table created as ``oc_x`` is left outside the store's tables.
            Fail: ``$this->db->query("SELECT * FROM oc_product")``.
            Pass: ``$this->db->query("SELECT * FROM " . DB_PREFIX . "product")``.""",
        ),
        _r(
            "TRY020",
            "page-http-error",
            ERR,
            """
            A page answered an HTTP error status (500 after a fatal error, 404 …).
            Fail: the package's settings page answers 500.
            Pass: 200 (or a redirect to another page that answers 200).""",
        ),
        _r(
            "TRY021",
            "page-not-found",
            ERR,
            """
            A route of one of the package's controllers answers OpenCart's "Page Not Found".
            The controller file exists, but OpenCart cannot load its class or method (class name
            not matching the route, namespace wrong in 4.x, no ``index()`` method).
            Fail: ``admin/controller/extension/module/my_mod.php`` declares ``class ControllerModuleMyMod``.
            Pass: the class name matches the route (``ControllerExtensionModuleMyMod``).""",
        ),
        _r(
            "TRY022",
            "page-permission-missing",
            ERR,
            """
            A package page answered "Permission Denied" to the admin who installed the package.
            Installing an extension grants access to its own route only; pages under other routes
            (3.0: gated by the first two route segments, e.g. ``extension/mestech``) need the
            extension's ``install()`` to grant them. try then grants the permission in User Groups,
            as the admin would have to, and opens the page again.
            Fail: ``install()`` adds no permission, and ``extension/mestech/dashboard`` is denied.
            Pass: ``install()`` calls ``model_user_user_group->addPermission($group_id, 'access', 'extension/mestech')``.""",
        ),
        _r(
            "TRY023",
            "permission-not-grantable",
            ERR,
            """
            A package page needs a permission that System > Users > User Groups does not offer.
            The form lists one checkbox per controller file; 3.0 checks only the first two route
            segments, so pages under ``extension/<folder>/`` need a controller file
            ``admin/controller/extension/<folder>.php`` for the permission to be grantable (and to
            survive the next save of the user group).
            Fail: pages under ``extension/acme/`` and no ``admin/controller/extension/acme.php``.
            Pass: the permission is offered, or the pages live in an extension type folder.""",
        ),
        _r(
            "TRY024",
            "page-empty",
            ERR,
            """
            A page answered 200 with an empty body.
            The controller did not call ``$this->response->setOutput()`` (or died silently).
            Fail: an admin page that returns without output.
            Pass: every page renders.""",
        ),
        _r(
            "TRY030",
            "ocmod-search-not-found",
            ERR,
            """
            A modification's search was not found in the real store's file when Refresh applied it.
            OpenCart logs "NOT FOUND" in ocmod.log and skips the rest of that file's operations (or
            the whole modification with error="abort"); the change never reaches the store.
            Fail: ``<search><![CDATA[<li><a href="#tab-links"]]></search>`` when the template says ``data-toggle="tab">``.
            Pass: the search text is one exact line of the real file.""",
        ),
        _r(
            "TRY031",
            "ocmod-file-not-found",
            WARN,
            """
            A modification's ``<file path>`` matches no file in the store, so it changes nothing.
            OpenCart skips such paths without a word (no log line, no error).
            Fail: ``path="catalog/view/theme/journal3/template/product/product.twig"`` in a store without that theme.
            Pass: the path (or glob) matches at least one file.""",
        ),
        _r(
            "TRY032",
            "change-not-shown",
            WARN,
            """
            A change the package makes to a page does not show on that page.
            try looks for the literal HTML of each OCMOD ``<add>`` aimed at a template (and for the
            package's links in the admin menu its event adds) in the rendered page.
            Fail: the tab ``<li><a href="#tab-meschain"`` is in the cached template but a Twig condition hides it.
            Pass: the added element is in the page.""",
        ),
        _r(
            "TRY033",
            "change-shown-twice",
            ERR,
            """
            A change the package makes appears more than once on the page.
            Usually a search that matches several lines, a modification applied twice, or an event
            registered twice; duplicated HTML ids break the page's JavaScript.
            Fail: ``id="tab-meschain"`` twice in the product form.
            Pass: each added element id appears exactly once.""",
        ),
        _r(
            "TRY034",
            "event-action-missing",
            ERR,
            """
            An event the package registered points to a controller or method that does not exist.
            OpenCart calls the action for every matching trigger and silently ignores a missing one
            (4.x) or shows an error (3.0), so the feature never works.
            Fail: action ``extension/module/x/eventMenu`` and no method ``eventMenu`` in the controller.
            Pass: the controller file exists and defines the method.""",
        ),
        _r(
            "TRY040",
            "uninstall-failed",
            ERR,
            """
            Uninstalling an extension or the package answered an error.
            Fail: 4.x "There are 1 extensions that need to be uninstalled before this package can be removed!".
            Pass: every uninstall answers success.""",
        ),
        _r(
            "TRY041",
            "leftover-table",
            ERR,
            """
            A table (or a column of a core table) created by the package remains after uninstall.
            Compared: the database schema before the package was installed and after its
            extensions and the package were uninstalled.
            Fail: ``uninstall()`` forgets ``DROP TABLE IF EXISTS " . DB_PREFIX . "x_log"``.
            Pass: the schema after uninstall equals the schema before install.""",
        ),
        _r(
            "TRY042",
            "leftover-event",
            WARN,
            """
            An event registered by the package remains after uninstall.
            Leftover events keep calling controllers that no longer exist.
            Fail: ``uninstall()`` does not call ``model_setting_event->deleteEventByCode('x')``.
            Pass: every event code the package added is gone.""",
        ),
        _r(
            "TRY043",
            "leftover-setting",
            WARN,
            """
            A setting written by the package remains after uninstall (or a core setting keeps a changed value).
            Fail: ``x_api_key`` stays in the setting table; ``config_maintenance`` left at 1.
            Pass: the setting table after uninstall equals the table before install.""",
        ),
        _r(
            "TRY044",
            "leftover-permission",
            WARN,
            """
            A permission the package added to a user group remains after uninstall.
            Permissions OpenCart itself adds when an extension is installed are not counted.
            Fail: ``extension/mestech`` stays in the Administrator group.
            Pass: ``uninstall()`` calls ``removePermission()`` for what ``install()`` added.""",
        ),
        _r(
            "TRY045",
            "leftover-modification",
            ERR,
            """
            A modification row of the package remains after the package was uninstalled.
            Fail: a row with the package's code is still in Extensions > Modifications.
            Pass: no modification row of the package remains.""",
        ),
        _r(
            "TRY046",
            "leftover-file",
            WARN,
            """
            A file the package (or its code) created remains in the store after uninstall.
            Fail: ``system/library/x/cache.json`` written at runtime and never removed.
            Pass: the store's files after uninstall equal its files before install.""",
        ),
        _r(
            "TRY047",
            "leftover-rows",
            WARN,
            """
            Rows added to a core table by the package remain after uninstall.
            Fail: a layout module or a custom field stays in the store after uninstall.
            Pass: every core table has as many rows as before install.""",
        ),
        _r(
            "TRY048",
            "core-file-changed",
            ERR,
            """
            A core file of OpenCart was overwritten or deleted by installing and uninstalling the package.
            3.0 packages may overwrite core files under the allowed folders; uninstall then deletes
            them, with no backup.
            Fail: ``upload/admin/language/en-gb/en-gb.php`` in the package: after uninstall the store has no en-gb.php.
            Pass: every core file is unchanged.""",
        ),
    )
}


def get(code_or_name: str) -> TryRule:
    """A TRY rule by code (``TRY010``) or name (``php-error``)."""
    key = code_or_name.strip()
    if key.upper() in TRY_RULES:
        return TRY_RULES[key.upper()]
    for rule in TRY_RULES.values():
        if rule.name == key.lower():
            return rule
    raise KeyError(f"no TRY rule {code_or_name!r}")
