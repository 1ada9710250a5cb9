"""The core is pure: nothing in ``logit`` outside the ``logit.ui`` subpackage imports
streamlit or plotly, directly or through another module.

Two checks over every module file found on disk (so new modules are covered without
editing this test): a static scan of the import statements, and importing each
module in a fresh interpreter and looking at ``sys.modules``.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "logit"
UI_LIBRARIES = ("streamlit", "plotly")


def core_module_files() -> list[Path]:
    """Every .py file of the package, except those of the logit/ui/ subpackage."""
    files = sorted(PACKAGE.rglob("*.py"))
    return [path for path in files if path.relative_to(PACKAGE).parts[0] != "ui"]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


CORE_FILES = core_module_files()
CORE_MODULES = [module_name(path) for path in CORE_FILES]


def is_ui_library(name: str | None) -> bool:
    return name is not None and name.split(".")[0] in UI_LIBRARIES


def test_the_scan_sees_the_core_and_skips_only_the_ui():
    for expected in ("logit", "logit.model", "logit.training", "logit.evaluation", "logit.geometry"):
        assert expected in CORE_MODULES
    assert not any(name == "logit.ui" or name.startswith("logit.ui.") for name in CORE_MODULES)
    # Only files inside logit/ui/ are left out.
    skipped = set(PACKAGE.rglob("*.py")) - set(CORE_FILES)
    assert all(path.is_relative_to(PACKAGE / "ui") and path.parent != PACKAGE for path in skipped)


@pytest.mark.parametrize("path", CORE_FILES, ids=CORE_MODULES)
def test_no_ui_import_statement(path):
    """Any import, at the top or inside a function, of streamlit or plotly."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    offending = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            offending += [f"line {node.lineno}: import {a.name}" for a in node.names if is_ui_library(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and is_ui_library(node.module):
            offending.append(f"line {node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module",
            "__import__",
        ):
            for argument in node.args[:1]:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and is_ui_library(argument.value):
                    offending.append(f"line {node.lineno}: dynamic import of {argument.value}")
    assert not offending, f"{path.relative_to(ROOT)} imports a UI library: {offending}"


# One fresh interpreter imports the modules one after another and looks at sys.modules
# after each, so the first module that brings in a UI library is named.
CHECK = """
import importlib, sys
import logit
for name in {names!r}:
    importlib.import_module(name)
    loaded = sorted(m for m in sys.modules if m.split('.')[0] in {libraries!r})
    if loaded:
        sys.exit(f'importing {{name}} loaded {{loaded}}')
print(len({names!r}))
"""


def test_importing_the_core_loads_no_ui_library():
    code = CHECK.format(names=CORE_MODULES, libraries=UI_LIBRARIES)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(len(CORE_MODULES))  # every module was imported


def test_the_import_check_would_catch_a_ui_import():
    """The same check on a module list that does load a UI library fails (if one is installed)."""
    available = [name for name in ("plotly", "streamlit") if importlib.util.find_spec(name) is not None]
    if not available:
        pytest.skip("neither streamlit nor plotly is installed here")
    code = CHECK.format(names=["logit.model", available[0]], libraries=UI_LIBRARIES)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert f"importing {available[0]} loaded" in result.stderr
