"""The packages stack one way: cleanup <- eval <- mt (see ARCHITECTURE.md).

Every import is read from the source (also imports inside functions), so a lower
package that reaches up fails here, whatever the tests happen to execute.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: package -> the project packages it may import
ALLOWED = {"cleanup": {"cleanup"}, "eval": {"cleanup", "eval"}, "mt": {"cleanup", "eval", "mt"}}


def imported_packages(path: Path) -> set[tuple[int, str]]:
    """(line, top-level project package) of every import in ``path``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in ALLOWED:
                found.add((node.lineno, top))
    return found


def violations(root: Path = ROOT) -> list[str]:
    bad = []
    for pkg, allowed in ALLOWED.items():
        for path in sorted((root / pkg).rglob("*.py")):
            for line, top in sorted(imported_packages(path)):
                if top not in allowed:
                    bad.append(f"{path.relative_to(root)}:{line} imports {top}")
    return bad


def test_lower_packages_never_import_higher_ones():
    assert violations() == []


def test_the_check_finds_an_upward_import_even_inside_a_function(tmp_path):
    for pkg in ALLOWED:
        (tmp_path / pkg).mkdir()
    (tmp_path / "cleanup" / "x.py").write_text("def f():\n    from mt.record import Change\n")
    (tmp_path / "eval" / "y.py").write_text("import mt.atomic\nfrom cleanup import api\n")
    (tmp_path / "mt" / "z.py").write_text("from eval import garble_score\nfrom cleanup import api\n")
    assert violations(tmp_path) == ["cleanup/x.py:2 imports mt", "eval/y.py:1 imports mt"]
