"""The shape of the views, checked on the code: no view calls another view, and no message is
translated when a module is imported (an English speaker would read it in French)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("pic", "neighbourhoods", "proposals", "governance", "reporting")
MODULES = sorted(p for app in APPS for p in (ROOT / app).rglob("*.py")
                 if "migrations" not in p.parts)
EAGER = {"gettext", "ngettext", "pgettext"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _eager_names(tree: ast.Module) -> set[str]:
    """The names this module gives to Django's eager gettext functions."""
    return {alias.asname or alias.name for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
            for alias in node.names if alias.name in EAGER}


def _at_import_time(body, names):
    """Calls of `names` run when the module (or a class body) is executed: not inside a
    function or a lambda."""
    for stmt in body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if isinstance(stmt, ast.ClassDef):
            yield from _at_import_time(stmt.body, names)
            continue
        stack = [stmt]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Lambda):
                continue
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in names):
                yield node
            stack.extend(ast.iter_child_nodes(node))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_message_is_translated_at_import_time(path):
    tree = _tree(path)
    calls = list(_at_import_time(tree.body, _eager_names(tree)))
    assert not calls, (f"{path.name}: eager gettext at import time, lines "
                       f"{[c.lineno for c in calls]} (use gettext_lazy)")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_view_calls_another_view(path):
    calls = [node.lineno for node in ast.walk(_tree(path))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Call)
             and isinstance(node.func.func, ast.Attribute) and node.func.func.attr == "as_view"]
    assert not calls, f"{path.name}: a view calls another view's as_view() at lines {calls}"


def test_the_check_finds_an_eager_message_in_a_class():
    tree = ast.parse("from django.utils.translation import gettext as _\n"
                     "class V:\n    done = {'submit': _('Remis.')}\n"
                     "    def f(self):\n        return _('ok')\n")
    assert [c.lineno for c in _at_import_time(tree.body, _eager_names(tree))] == [3]
