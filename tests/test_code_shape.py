"""The codebase keeps its shape: no module over 400 lines and no view over 40 lines, outside
migrations, demo and scale data and tests. A module that grows becomes a package split by
topic; a view that grows hands its work to a service, a selector or the base view
(pic/views.py)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["pic", "neighbourhoods", "proposals", "governance", "reporting"]
MAX_MODULE_LINES = 400
MAX_VIEW_LINES = 40


def source_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path.stem in ("demo", "scale"):
                continue  # migrations, and the demo and scale data sets (reporting/scale.py)
            if "management" in path.parts and path.stem.startswith("seed_"):
                continue  # demo and scale data sets
            yield path


def is_view(node: ast.AST, path: Path) -> bool:
    if "views" not in path.parts and path.stem != "views" and not path.stem.startswith("views"):
        return False
    if isinstance(node, ast.ClassDef):
        return node.name.endswith(("View", "Mixin"))
    return isinstance(node, ast.FunctionDef) and not node.name.startswith("_")


def test_no_module_is_over_400_lines():
    too_long = {}
    for path in source_files():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            too_long[str(path.relative_to(ROOT))] = lines
    assert too_long == {}


def test_no_view_is_over_40_lines():
    too_long = {}
    for path in source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if is_view(node, path):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_VIEW_LINES:
                    too_long[f"{path.relative_to(ROOT)}:{node.name}"] = length
    assert too_long == {}
