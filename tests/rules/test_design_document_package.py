"""A package assembled the way the original design document's build script and SQL do it gets
a finding for each mistake, at the right file and line."""

from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner

from ocmod_forge.cli import main

STEM = "meschain-sync-enterprise-v3.1.1"
SQL = """-- SQL/install_tables.sql
CREATE TABLE IF NOT EXISTS `oc_meschain_settings` (
    `setting_id` int(11) NOT NULL AUTO_INCREMENT,
    PRIMARY KEY (`setting_id`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8 COLLATE=utf8_general_ci;
"""
CLIENT = """<?php
class MestechApiAmazon {
    public function createOrUpdateProduct($product_data) {
        $ch = curl_init();
        curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
        curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);
        return curl_exec($ch);
    }
}
"""
XML = '<?xml version="1.0" encoding="utf-8"?>\n<modification>\n  <name>MesChain-Sync Enterprise</name>\n  <code>meschain_sync_enterprise</code>\n</modification>\n'


def test_design_document_package(tmp_path: Path) -> None:
    # build_ocmod_package.sh: everything copied into a folder, and the folder zipped.
    path = tmp_path / f"{STEM}.ocmod.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{STEM}/install.xml", XML)
        zf.writestr(f"{STEM}/upload/system/library/mestech/api/amazon.php", CLIENT)
        zf.writestr(f"{STEM}/system/library/mestech/api/amazon.php", CLIENT)
        zf.writestr(f"{STEM}/SQL/install_tables.sql", SQL)
        zf.writestr(f"{STEM}/docs/README.md", "# docs\n")
    result = CliRunner().invoke(main, ["validate", str(path), "--format", "text"])
    assert result.exit_code == 1
    out = result.output
    expected = [
        f"{STEM}/install.xml: error: PKG002 ",  # wrapper folder: OpenCart installs nothing
        f"{STEM}/SQL/: warning: PKG004 ",  # SQL files 3.0 never runs
        f"{STEM}/docs/: warning: PKG004 ",  # ignored
        f"{STEM}/system/: warning: PKG004 ",  # ignored at the root (belongs in upload/system/)
        f"{STEM}/SQL/install_tables.sql:2:29: error: SQL004 ",  # `oc_meschain_settings`: hard-coded prefix
        f"{STEM}/SQL/install_tables.sql:5:3: warning: SQL005 ",  # ENGINE=MyISAM
        f"{STEM}/SQL/install_tables.sql:5:25: warning: SQL006 ",  # CHARSET=utf8
        f"{STEM}/upload/system/library/mestech/api/amazon.php:6:26: error: SEC001 ",  # CURLOPT_SSL_VERIFYPEER false
        f"{STEM}/system/library/mestech/api/amazon.php:6:26: error: SEC001 ",
    ]
    for needle in expected:
        assert needle in out, f"{needle!r} not in\n{out}"
    assert "error" in out.splitlines()[-1]


def test_design_document_sql_embedded_in_php_is_checked_too(tmp_path: Path) -> None:
    """The same SQL moved into the extension's install() (as packages without SQL files do)."""
    model = (
        "<?php\nclass ModelExtensionModuleMeschain extends Model {\n    public function install() {\n"
        "        $this->db->query(\"CREATE TABLE IF NOT EXISTS `oc_meschain_logs` (\n"
        "            `log_id` int(11) NOT NULL AUTO_INCREMENT,\n            PRIMARY KEY (`log_id`)\n"
        "        ) ENGINE=MyISAM DEFAULT CHARSET=utf8\");\n    }\n}\n"
    )
    path = tmp_path / f"{STEM}.ocmod.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("install.xml", XML)
        zf.writestr("upload/admin/model/extension/module/meschain.php", model)
    result = CliRunner().invoke(main, ["validate", str(path), "--format", "text", "--select", "SQL"])
    where = "upload/admin/model/extension/module/meschain.php"
    for needle in (f"{where}:4:55: error: SQL004 ", f"{where}:7:11: warning: SQL005 ", f"{where}:7:33: warning: SQL006 ", f"{where}:4:27: warning: SQL008 "):
        assert needle in result.output, f"{needle!r} not in\n{result.output}"
