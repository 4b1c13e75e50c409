"""The PHP code scanners the PHP and SEC rules share."""

from __future__ import annotations

from ocmod_forge.rules.php import blank_strings_and_comments, class_heads, methods


def test_class_heads_are_declarations_only() -> None:
    code = blank_strings_and_comments(
        "<?php\n// class Fake {}\n$name = Foo::class;\n$class = 'class Nope';\n$x = new class {};\n"
        "abstract class Base extends \\X\\Root {}\nfinal readonly class Leaf extends Base {}\n  class Plain {}\n"
    )
    assert [(m.group(1), m.group(2)) for m in class_heads(code)] == [("Base", "X\\Root"), ("Leaf", "Base"), ("Plain", None)]


def test_methods_bodies_visibility_and_braces_in_strings() -> None:
    text = "<?php\nclass A {\n  public function a() { $s = '}'; if (1) { } }\n  private function b() {}\n  abstract protected function c();\n  function d() { $f = function () { return 1; }; }\n}\n"
    found = [(name, text[start : end + 1], public) for name, start, end, public in methods(text)]
    assert found[0] == ("a", "{ $s = '}'; if (1) { } }", True)
    assert found[1] == ("b", "{}", False)
    assert [name for name, _body, _public in found] == ["a", "b", "d"]  # c has no body; the closure is nameless
    assert found[2][2] is True  # no modifier: public
