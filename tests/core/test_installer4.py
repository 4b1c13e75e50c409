"""installer4: OpenCart 4.x's installer and class/file rules, line by line against
shared/design/opencart4-facts.md §1 (installer) and §3.2 (class ↔ file), with the fact check's
corrections (A4 basename, W3 scalars). Each test names the fact it encodes."""

from __future__ import annotations

import pytest

from ocmod_forge.installer4 import (
    after_steps,
    class_file,
    code_problems,
    decode_install_json,
    expected_class,
    extension_types,
    install_json_outcome,
    install_pages,
    install_plan,
    namespace_segment,
    package_code,
    php_basename,
    php_truthy,
    place,
    route_class,
    taken_code,
    ucwords,
    upload_refusals,
    vendor_autoloaded,
)
from ocmod_forge.versions import RELEASES

ALL4 = RELEASES["4.0"] + RELEASES["4.1"]


def checks(name: str, release: str) -> list[str]:
    return [r.check for r in upload_refusals(name, release)]


# --------------------------------------------------------------------------- §1.2 upload


@pytest.mark.parametrize("release", ALL4)
def test_the_code_is_the_file_name_minus_the_suffix(release: str) -> None:
    """§1.2 Code: basename($filename, '.ocmod.zip'); a renamed or versioned zip gets another code."""
    assert package_code("my_ext.ocmod.zip") == "my_ext"
    assert package_code("x (1).ocmod.zip") == "x (1)"
    assert package_code("x_v1.2.ocmod.zip") == "x_v1.2"
    assert package_code("/tmp/php/upload/my_ext.ocmod.zip") == "my_ext"
    assert checks("my_ext.ocmod.zip", release) == []


def test_basename_keeps_a_suffix_that_is_the_whole_name() -> None:
    """Fact check A4: basename('.ocmod.zip', '.ocmod.zip') is '.ocmod.zip'; '..ocmod.zip' → '.'."""
    assert php_basename(".ocmod.zip", ".ocmod.zip") == ".ocmod.zip"
    assert package_code("..ocmod.zip") == "."
    assert package_code("...ocmod.zip") == ".."
    assert php_basename("a/b/", "") == "b"


@pytest.mark.parametrize("release", ALL4)
@pytest.mark.parametrize("name", ["x.OCMOD.ZIP", "x.zip", "x.ocmod.zip.zip", "x.ocmod.xml", "x.Ocmod.zip"])
def test_the_suffix_is_exact_and_case_sensitive(release: str, name: str) -> None:
    """§1.2 suffix exactly `.ocmod.zip` (case-sensitive substr(-10)): "Invalid file type!"."""
    refusals = upload_refusals(name, release)
    assert [r.check for r in refusals] == ["suffix"]
    assert refusals[-1].message == "Invalid file type!"


@pytest.mark.parametrize("release", ALL4)
def test_name_length_is_1_to_128_characters(release: str) -> None:
    """§1.2 length 1–128 characters; the message says 3 but the check is 1."""
    ok = "a" * 118 + ".ocmod.zip"
    assert len(ok) == 128 and checks(ok, release) == []
    too_long = "a" * 119 + ".ocmod.zip"
    refusals = upload_refusals(too_long, release)
    assert [r.check for r in refusals] == ["length"]
    assert refusals[0].message == "Filename must be between 3 and 128 characters!"
    assert checks("a.ocmod.zip", release) == []


def test_name_length_counts_characters_except_on_4_1_0_0() -> None:
    """§1.2 (mb) length; differs from the facts: 4.1.0.0's oc_validate_length uses strlen (bytes)."""
    name = "ü" * 100 + ".ocmod.zip"  # 110 characters, 210 bytes
    for release in ALL4:
        assert checks(name, release) == (["length"] if release == "4.1.0.0" else []), release


def test_name_length_is_trimmed_on_4_1() -> None:
    """§1.2 'trimmed in 4.1': leading blanks do not count on 4.1.x, they do on 4.0.x."""
    name = " " * 6 + "a" * 113 + ".ocmod.zip"  # 129 characters, 123 after trim
    for release in RELEASES["4.0"]:
        assert checks(name, release) == ["length"]
    for release in RELEASES["4.1"]:
        assert checks(name, release) == []


def test_the_last_failing_check_gives_the_message() -> None:
    """§1.2: every check sets $json['error']; the last one wins."""
    refusals = upload_refusals("a" * 200 + ".zip", "4.0.2.3")
    assert [r.check for r in refusals] == ["length", "suffix"]
    assert refusals[-1].message == "Invalid file type!"


def test_dot_codes_are_refused_only_by_4_1_0_4() -> None:
    """§1.2 / §1.7: 4.1.0.4 also rejects code '.'/'..' (PR #15609); '.ocmod.zip' passes (A4)."""
    for release in ALL4:
        expected = ["dot-code"] if release == "4.1.0.4" else []
        assert checks("..ocmod.zip", release) == expected
        assert checks("...ocmod.zip", release) == expected
        assert checks(".ocmod.zip", release) == []


@pytest.mark.parametrize("release", ALL4)
def test_the_default_package_code_is_taken(release: str) -> None:
    """§1.2 code already in extension_install: 'opencart' is installed with the store."""
    assert checks("opencart.ocmod.zip", release) == ["installed"]
    refusal = taken_code("opencart", release)
    assert refusal is not None and refusal.message == "Extension already installed!"


def test_ocmod_is_taken_on_4_1_only() -> None:
    """§3.2 codes `opencart` and (4.1) `ocmod` are taken: extension/ocmod/ ships with 4.1, so
    install() page 1 stops with "Path ocmod/ already exists!"."""
    for release in RELEASES["4.0"]:
        assert taken_code("ocmod", release) is None
    for release in RELEASES["4.1"]:
        refusal = taken_code("ocmod", release)
        assert refusal is not None and refusal.message == "Path ocmod/ already exists!"
    assert taken_code("my_ext", "4.1.0.4") is None


def test_unknown_releases_are_refused() -> None:
    with pytest.raises(ValueError):
        upload_refusals("x.ocmod.zip", "3.0.3.8")
    with pytest.raises(ValueError):
        place("x", "c", "4.2.0.0")


# --------------------------------------------------------------------------- §3.2 codes


@pytest.mark.parametrize(
    "code, fragment",
    [
        ("x_v1.2", "method separator"),
        ("x (1)", "sanitiser"),
        ("my-ext", "sanitiser"),
        ("2fa_login", "digit"),
        ("My_Ext", "upper case"),
        ("my__ext", "same namespace segment"),
        ("_my_ext", "leading or trailing"),
        ("", "empty"),
        (".", "method separator"),
    ],
)
def test_codes_that_break_namespaces_or_routes(code: str, fragment: str) -> None:
    """§3.2: use ^[a-z][a-z0-9_]*$, no '__' (my_ext and my__ext both map to MyExt)."""
    problems = code_problems(code)
    assert any(fragment in p for p in problems), problems


@pytest.mark.parametrize("code", ["my_ext", "oc_payment_example", "my_2fa", "a", "ipay_opencart"])
def test_good_codes(code: str) -> None:
    assert code_problems(code) == ()


def test_namespace_segment() -> None:
    """§0.1 / SEA:21: ucwords on '_', underscores removed."""
    assert namespace_segment("my_ext") == "MyExt"
    assert namespace_segment("my__ext") == namespace_segment("my_ext")
    assert namespace_segment("oc_theme_example") == "OcThemeExample"
    assert namespace_segment("x_v1.2") == "XV1.2"
    assert namespace_segment("x (1)") == "X (1)"
    assert ucwords("hello world_x/y", "_/") == "Hello world_X/Y"


# --------------------------------------------------------------------------- §1.3 install.json


def test_json_decode_is_strict_like_php() -> None:
    """§1.3 JSON strictness [run]: BOM or trailing comma → NULL ("Could not find install.json!")."""
    assert decode_install_json(b'{"name": "x"}') == ({"name": "x"}, "", 0)
    value, why, line = decode_install_json(b'\xef\xbb\xbf{"name": "x"}')
    assert value is None and "BOM" in why and line == 1
    value, why, line = decode_install_json(b'{\n  "name": "x",\n  "version": "1",\n}\n')
    assert value is None and why == "has a trailing comma" and line == 3
    assert decode_install_json(b"[1, 2,]")[1] == "has a trailing comma"
    assert decode_install_json(b'{"a": NaN}')[0] is None
    assert decode_install_json(b'{"a": "\\ud800"}')[0] is None
    assert decode_install_json(b"\xff\xfe{}")[1] == "is not valid UTF-8"
    assert decode_install_json(b"")[0] is None
    # php -r: 511 nested arrays decode, 512 give NULL (json_decode's depth 512)
    assert decode_install_json(b"[" * 512 + b"]" * 512)[0] is None
    assert decode_install_json(b"[" * 511 + b"]" * 511)[0] == _nested(511)
    assert decode_install_json(b'["[[[[", {"a": "]]"}]')[0] == ["[[[[", {"a": "]]"}]
    value, why, line = decode_install_json(b'{\n"a": 1\n"b": 2}')
    assert value is None and why.startswith("is not valid JSON") and line == 3


def _nested(depth: int) -> object:
    value: list[object] = []
    for _ in range(depth - 1):
        value = [value]
    return value


def test_php_truthiness() -> None:
    """§1.3: `"0"` is falsy; [] and {} are falsy."""
    assert [php_truthy(v) for v in ("", "0", 0, 0.0, False, None, [], {})] == [False] * 8
    assert [php_truthy(v) for v in ("x", "00", "0.0", 1, True, [0], {"a": 0}, " ")] == [True] * 8


@pytest.mark.parametrize("release", ALL4)
@pytest.mark.parametrize("data", [None, b"", b"[]", b"{}", b'\xef\xbb\xbf{"name":"x"}', b'{"name":"x",}', b"null", b"false", b"0", b'"0"'])
def test_missing_or_falsy_install_json_is_refused(release: str, data: bytes | None) -> None:
    """§1.3: json_decode must be truthy; 4.0.0.0 then looks for FOLDER/install.json."""
    outcome = install_json_outcome(data, release)
    assert not outcome.accepted
    assert outcome.message == ("Zip file could not be opened!" if release == "4.0.0.0" else "Warning: Could not find install.json!")


def test_4_0_0_0_folder_mode() -> None:
    """§1.3 4.0.0.0: root install.json absent → each FOLDER/install.json is an extension."""
    outcome = install_json_outcome(None, "4.0.0.0", folders=["a", "b"])
    assert outcome.accepted and outcome.folder_mode
    for release in ALL4[1:]:
        assert not install_json_outcome(None, release, folders=["a"]).accepted


def test_4_0_1_0_to_4_0_2_3_require_four_truthy_keys() -> None:
    """§1.3 / Z5: name, version, author, link each truthy; a missing key is a PHP warning first."""
    good = b'{"name": "N", "version": "1.0", "author": "A", "link": "https://x"}'
    for release in ALL4:
        assert install_json_outcome(good, release).accepted
    for release in ("4.0.1.0", "4.0.1.1", "4.0.2.0", "4.0.2.1", "4.0.2.2", "4.0.2.3"):
        outcome = install_json_outcome(b'{"name": "N", "version": "1.0", "link": "https://x"}', release)
        assert not outcome.accepted and outcome.message == "Author must be between 3 and 128 characters!"
        assert outcome.warnings == ('Undefined array key "author"',)
        outcome = install_json_outcome(b'{"name": "0", "version": "1.0", "author": "A", "link": "https://x"}', release)
        assert not outcome.accepted and outcome.message.startswith("Name") and not outcome.warnings
        # the last failing key gives the message
        assert install_json_outcome(b'{"x": 1}', release).message.startswith("Link")
    for release in ("4.0.0.0", *RELEASES["4.1"]):
        assert install_json_outcome(b'{"name": "N"}', release).accepted
        assert install_json_outcome(b'{"x": 1}', release).accepted


def test_scalars_and_lists_per_fact_check_w3() -> None:
    """W3: 4.1 — "x" TypeError, true/5 Error, ["a"] accepted; 4.0.1.0+ — true/number warnings then
    "Name must be…", only a string throws."""
    for release in RELEASES["4.1"]:
        assert install_json_outcome(b'"x"', release).fatal
        assert install_json_outcome(b"true", release).fatal
        assert install_json_outcome(b"5", release).fatal
        assert install_json_outcome(b'["a"]', release).accepted
    outcome = install_json_outcome(b"true", "4.0.2.3")
    assert not outcome.fatal and not outcome.accepted and outcome.warnings and outcome.message.startswith("Link")
    assert install_json_outcome(b'"x"', "4.0.2.3").fatal
    assert not install_json_outcome(b'["a"]', "4.0.2.3").accepted


# --------------------------------------------------------------------------- §1.4 extraction


@pytest.mark.parametrize("release", ALL4)
def test_ordinary_entries_land_in_extension_code(release: str) -> None:
    """§1.4 'anything else' → DIR_EXTENSION/CODE/<entry>, recorded CODE/<entry>."""
    for entry in ("admin/controller/module/x.php", "install.json", "README.md", "upload/admin/x.php", "__MACOSX/._x", ".DS_Store", "system/library/x.php"):
        p = place(entry, "my_ext", release)
        assert (p.kind, p.target, p.recorded, p.escapes) == ("extension", f"extension/my_ext/{entry}", f"my_ext/{entry}", False), entry


@pytest.mark.parametrize("release", ALL4)
def test_images_go_to_the_store_image_folder(release: str) -> None:
    """§1.4 image/… → DIR_IMAGE/…, recorded image/…."""
    p = place("image/catalog/x.png", "my_ext", release)
    assert (p.kind, p.target, p.recorded) == ("image", "image/catalog/x.png", "image/catalog/x.png")


def test_system_storage_goes_to_dir_storage() -> None:
    """§1.4 system/storage/… → DIR_STORAGE/…; 4.0.0.0 only system/storage/vendor/…, recorded vendor/…."""
    for release in ALL4[1:]:
        p = place("system/storage/vendor/a/b/c.php", "my_ext", release)
        assert (p.kind, p.target, p.recorded) == ("storage", "system/storage/vendor/a/b/c.php", "system/storage/vendor/a/b/c.php")
        p = place("system/storage/other/x.txt", "my_ext", release)
        assert (p.kind, p.recorded) == ("storage", "system/storage/other/x.txt")
    p = place("system/storage/vendor/a/b/c.php", "my_ext", "4.0.0.0")
    assert (p.kind, p.target, p.recorded) == ("storage", "system/storage/vendor/a/b/c.php", "vendor/a/b/c.php")
    p = place("system/storage/other/x.txt", "my_ext", "4.0.0.0")
    assert (p.kind, p.target) == ("extension", "extension/my_ext/system/storage/other/x.txt")


def test_ocmod_folder_is_copied_on_4_0_and_skipped_on_4_1() -> None:
    """§1.4 ocmod/…: 4.1.x not copied; 4.0.x copied like any file."""
    for release in RELEASES["4.0"]:
        assert place("ocmod/x.ocmod.xml", "c", release).target == "extension/c/ocmod/x.ocmod.xml"
    for release in RELEASES["4.1"]:
        assert place("ocmod/x.ocmod.xml", "c", release).kind == "skipped"
    # only the prefix counts: OCMOD/ and a root *.ocmod.xml are copied everywhere
    assert place("OCMOD/x.ocmod.xml", "c", "4.1.0.4").kind == "extension"
    assert place("x.ocmod.xml", "c", "4.1.0.4").kind == "extension"


def test_dot_dot_entries_escape_until_4_1_0_4() -> None:
    """§1.4 / §0.8: ≤ 4.1.0.3 a '..' entry is written relative to extension/ (outside it);
    4.1.0.4 skips it."""
    for release in ALL4:
        p = place("../../evil.php", "c", release)
        if release == "4.1.0.4":
            assert p.kind == "skipped" and not p.escapes
        else:
            assert p.escapes and p.target == "evil.php", p
        q = place("image/../../evil2.php", "c", release)
        assert q.escapes == (release != "4.1.0.4")
        if release != "4.1.0.4":
            assert q.target == "../evil2.php"  # above the store root
    assert place("admin/../install.json", "c", "4.0.2.3").escapes is False  # stays inside CODE/


@pytest.mark.parametrize("release", ALL4)
def test_absolute_and_backslash_names(release: str) -> None:
    """§1.4: absolute names stay inside (CODE//x); '\\' is turned into '/' first."""
    assert place("/x.php", "c", release).target == "extension/c/x.php"
    assert place("admin\\controller\\x.php", "c", release).target == "extension/c/admin/controller/x.php"
    assert place("image\\a.png", "c", release).kind == "image"


@pytest.mark.parametrize("release", ALL4)
def test_directory_entries_are_not_copied(release: str) -> None:
    """§1.4: entries ending in '/' are not copied; empty directories are never created."""
    for entry in ("admin/", "image/catalog/", "system/storage/vendor/"):
        assert place(entry, "c", release).kind == "skipped"


def test_existing_core_files_are_skipped_silently() -> None:
    """§1.4 / Z10: a file is written only if the target does not exist; only image/ and
    system/storage/ targets can collide (the CODE/ directory is new)."""
    core = {"image/catalog/logo.png", "system/storage/vendor/twig/twig/composer.json", "extension/c/admin/x.php"}
    plan = install_plan(["image/catalog/logo.png", "image/catalog/mine.png", "system/storage/vendor/twig/twig/composer.json", "admin/x.php"], "c", "4.0.2.3", core=core)
    assert [p.entry for p in plan.collisions] == ["image/catalog/logo.png", "system/storage/vendor/twig/twig/composer.json"]
    assert [p.entry for p in plan.written] == ["image/catalog/mine.png", "admin/x.php"]


def test_long_recorded_paths() -> None:
    """Z12: extension_path.path is varchar(255)."""
    entry = "admin/" + "a" * 240 + ".php"
    plan = install_plan([entry, "admin/short.php"], "my_ext", "4.1.0.4")
    assert [p.entry for p in plan.long_paths] == [entry]
    assert len(plan.long_paths[0].recorded) == len("my_ext/") + len(entry)


def test_plan_reports_zip_slip() -> None:
    plan = install_plan(["admin/x.php", "../x.php"], "c", "4.1.0.3")
    assert [p.entry for p in plan.escaping] == ["../x.php"]
    assert install_plan(["admin/x.php", "../x.php"], "c", "4.1.0.4").escaping == ()


def test_4_0_0_0_folder_mode_extraction() -> None:
    """§1.4: 4.0.0.0 folder mode: FOLDER/… → extension/FOLDER/…; image/vendor stay inside."""
    entries = ["a/install.json", "a/admin/x.php", "a/image/p.png", "a/system/storage/vendor/v/c.json", "b/install.json", "loose.txt", "c/readme.txt", "a/admin/"]
    plan = install_plan(entries, "pkg", "4.0.0.0", install_json=None)
    assert plan.codes == ("a", "b")
    targets = {p.entry: (p.kind, p.target) for p in plan.placements}
    assert targets["a/admin/x.php"] == ("extension", "extension/a/admin/x.php")
    assert targets["a/image/p.png"] == ("extension", "extension/a/image/p.png")
    assert targets["a/system/storage/vendor/v/c.json"] == ("extension", "extension/a/system/storage/vendor/v/c.json")
    assert targets["loose.txt"][0] == "skipped" and targets["c/readme.txt"][0] == "skipped" and targets["a/admin/"][0] == "skipped"
    # a valid root install.json: the normal mapping, code from the file name
    plan = install_plan(entries, "pkg", "4.0.0.0", install_json=b'{"name": "x"}')
    assert plan.codes == ("pkg",) and {p.target for p in plan.placements if p.entry == "loose.txt"} == {"extension/pkg/loose.txt"}
    # later releases never use folder mode
    assert install_plan(entries, "pkg", "4.0.1.0", install_json=None).codes == ("pkg",)


def test_pages_of_200_entries() -> None:
    """§1.4 200 entries per request; 4.0.0.0 asks for one more page when page * 200 == total."""
    assert [install_pages(n, "4.1.0.4") for n in (0, 1, 200, 201, 400, 401)] == [1, 1, 1, 2, 2, 3]
    assert [install_pages(n, "4.0.2.3") for n in (200, 201)] == [1, 2]
    assert [install_pages(n, "4.0.0.0") for n in (0, 199, 200, 201)] == [1, 1, 2, 2]


def test_steps_after_extraction_and_vendor_autoloading() -> None:
    """§1.4 / §1.7: 4.0.x vendor; 4.1.0.0–4.1.0.3 xml → vendor; 4.1.0.4 xml only (Z11)."""
    assert {r: after_steps(r) for r in ("4.0.0.0", "4.0.2.3", "4.1.0.0", "4.1.0.3", "4.1.0.4")} == {
        "4.0.0.0": ("vendor",),
        "4.0.2.3": ("vendor",),
        "4.1.0.0": ("xml", "vendor"),
        "4.1.0.3": ("xml", "vendor"),
        "4.1.0.4": ("xml",),
    }
    assert [r for r in ALL4 if not vendor_autoloaded(r)] == ["4.1.0.4"]


def test_extension_types_per_release() -> None:
    """§3.4: 13 types; + language (4.0.1.0+), + marketplace (4.0.2.3+)."""
    assert len(extension_types("4.0.0.0")) == 13 and "language" not in extension_types("4.0.0.0")
    assert "language" in extension_types("4.0.1.0") and "marketplace" not in extension_types("4.0.2.2")
    assert "marketplace" in extension_types("4.0.2.3") and len(extension_types("4.1.0.4")) == 15


# --------------------------------------------------------------------------- §3.2 class ↔ file


@pytest.mark.parametrize(
    "segment, back",
    [("dash_board", "dash_board"), ("tab2", "tab_2"), ("html5", "html_5"), ("oauth2_client", "oauth_2client"), ("my_2fa", "my_2fa"), ("x__y", "xy"), ("FooBar", "foo_bar"), ("x_2", "x2")],
)
def test_round_trips(segment: str, back: str) -> None:
    """§3.2 round trip [run]: route → class (F:42) → file (AL:78)."""
    assert class_file(route_class(segment)) == back + ".php"


def test_route_class_sanitises_and_capitalises() -> None:
    assert route_class("extension/my_ext/module/foo_bar") == "Extension\\MyExt\\Module\\FooBar"
    assert route_class("extension/my_ext/module/foo-bar") == "Extension\\MyExt\\Module\\Foobar"


def test_expected_class_of_controllers_models_and_libraries() -> None:
    """§3.1 path → namespace/class, for admin and catalog controllers and models and libraries."""
    c = expected_class("admin/controller/module/foo_bar.php", "my_ext")
    assert c is not None and (c.namespace, c.name, c.route, c.round_trip) == ("Opencart\\Admin\\Controller\\Extension\\MyExt\\Module", "FooBar", "extension/my_ext/module/foo_bar", True)
    m = expected_class("catalog/model/payment/credit_card.php", "oc_payment_example")
    assert m is not None and m.fqcn == "Opencart\\Catalog\\Model\\Extension\\OcPaymentExample\\Payment\\CreditCard"
    bad = expected_class("admin/controller/module/forge_seg_tab2.php", "forge_seg")
    assert bad is not None and not bad.round_trip and bad.autoload_file == "admin/controller/module/forge_seg_tab_2.php"
    lib = expected_class("system/library/my_class.php", "oc_theme_example", "4.0.2.3")
    assert lib is not None and lib.fqcn == "Opencart\\System\\Library\\Extension\\OcThemeExample\\MyClass" and lib.round_trip
    old = expected_class("system/library/my_class.php", "oc_theme_example", "4.0.0.0")
    assert old is not None and old.fqcn == "Opencart\\System\\Extension\\OcThemeExample\\Library\\MyClass" and old.round_trip
    assert expected_class("admin/view/template/x.twig", "c") is None
    assert expected_class("system/config/x.php", "c") is None


# --------------------------------------------------------------------------- against PHP itself

PHP_CASES = ["dash_board", "tab2", "html5", "oauth2_client", "my_2fa", "x__y", "FooBar", "x_2", "extension/my_ext/module/foo-bar", "a1b2_c3", "ABc_dEf", "x (1)", "my.ext", "ünï_code"]
JSON_CASES = ['{"a":1}', "[]", "{}", '{"a":1,}', "\ufeff{}", '"x"', "NaN", '{"a":"\\ud800"}', "[1] ", " ", "[[[[1]]]]"]
NAMES = ["my_ext.ocmod.zip", ".ocmod.zip", "..ocmod.zip", "a/b.ocmod.zip", "x.zip", "dir/"]


def test_emulation_agrees_with_php() -> None:
    """ucwords, the Factory and Autoloader transforms, basename and json_decode as PHP computes them."""
    import json as _json
    import shutil
    import subprocess

    php = shutil.which("php")
    if php is None:
        pytest.skip("php is not on PATH; the emulation was checked against PHP 8.2 when it was written")
    script = r"""
$in = json_decode(stream_get_contents(STDIN), true);
$out = ['route' => [], 'file' => [], 'base' => [], 'json' => []];
foreach ($in['routes'] as $r) {
    $c = str_replace(['_', '/'], ['', '\\'], ucwords(preg_replace('/[^a-zA-Z0-9_\/]/', '', $r), '_/'));
    $out['route'][] = $c;
    $out['file'][] = trim(str_replace('\\', '/', strtolower(preg_replace('~([a-z])([A-Z]|[0-9])~', '\1_\2', $c))), '/') . '.php';
}
foreach ($in['names'] as $n) { $out['base'][] = basename($n, '.ocmod.zip'); }
foreach ($in['json'] as $j) { $v = json_decode($j, true); $out['json'][] = $v === null ? 'NULL' : json_encode($v); }
echo json_encode($out);
"""
    payload = _json.dumps({"routes": PHP_CASES, "names": NAMES, "json": JSON_CASES})
    result = subprocess.run([php, "-r", script], input=payload, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    answer = _json.loads(result.stdout)
    assert answer["route"] == [route_class(r) for r in PHP_CASES]
    assert answer["file"] == [class_file(route_class(r)) for r in PHP_CASES]
    assert answer["base"] == [php_basename(n, ".ocmod.zip") for n in NAMES]
    ours = []
    for text in JSON_CASES:
        value, _why, _line = decode_install_json(text.encode("utf-8"))
        # PHP's json_encode writes an empty array for a decoded {} (assoc = true)
        ours.append("NULL" if value is None and _why else "[]" if value == {} else _json.dumps(value, separators=(",", ":")))
    assert answer["json"] == ours
