"""Security settings and a static look at the code: what the browser tests cannot see.

* ``.streamlit/config.toml`` keeps Streamlit's XSRF protection on and caps uploads.
* ``app.py`` and ``logit/**/*.py`` never unpickle, ``eval`` or ``exec`` anything, and every
  place that hands raw HTML to the browser (``unsafe_allow_html=True``, ``st.html``,
  ``components.html``) passes text made only of constants, or is one of the reviewed sites
  listed in :data:`REVIEWED_HTML_SITES`.
"""

from __future__ import annotations

import ast
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".streamlit" / "config.toml"
SOURCES = sorted([ROOT / "app.py", *(ROOT / "logit").rglob("*.py")])


# --- .streamlit/config.toml -------------------------------------------------------------------

@pytest.fixture(scope="module")
def server_config() -> dict:
    with open(CONFIG, "rb") as file:
        return tomllib.load(file).get("server", {})


def test_xsrf_protection_is_not_turned_off(server_config):
    # Streamlit's default is on; the file may say so or say nothing, but never false.
    assert server_config.get("enableXsrfProtection", True) is True


def test_upload_size_is_capped_and_matches_what_the_page_says(server_config):
    from logit.ui.upload import UPLOAD_LIMIT_MB

    limit = server_config.get("maxUploadSize")
    assert isinstance(limit, int) and not isinstance(limit, bool), "server.maxUploadSize must be set (MB)"
    assert 1 <= limit <= 200, f"server.maxUploadSize = {limit} MB"
    # The uploader's help text and the loader's own byte limit use UPLOAD_LIMIT_MB.
    assert limit == UPLOAD_LIMIT_MB


# --- the code ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Module:
    path: Path
    tree: ast.Module

    @property
    def name(self) -> str:
        return self.path.relative_to(ROOT).as_posix()


def modules() -> list[Module]:
    return [Module(path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))) for path in SOURCES]


def where(module: Module, node: ast.AST) -> str:
    return f"{module.name}:{getattr(node, 'lineno', '?')}"


FORBIDDEN_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle", "joblib"}
FORBIDDEN_CALLS = {"eval", "exec", "__import__"}
FORBIDDEN_ATTRIBUTES = {"read_pickle", "to_pickle", "loads_pickle"}


def test_sources_are_found():
    names = {m.name for m in modules()}
    assert "app.py" in names and "logit/ui/training_view.py" in names and "logit/csv_loader.py" in names


def test_no_pickle_marshal_eval_or_exec():
    """Nothing a visitor sends (an upload, a URL) may reach a deserialiser or an interpreter."""
    found = []
    for module in modules():
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Import):
                found += [f"{where(module, node)} import {a.name}" for a in node.names
                          if a.name.split(".")[0] in FORBIDDEN_MODULES]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in FORBIDDEN_MODULES:
                found.append(f"{where(module, node)} from {node.module} import …")
            elif isinstance(node, ast.Call):
                if isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
                    found.append(f"{where(module, node)} {node.func.id}(…)")
                if isinstance(node.func, ast.Attribute) and node.func.attr in FORBIDDEN_ATTRIBUTES | FORBIDDEN_CALLS:
                    found.append(f"{where(module, node)} .{node.func.attr}(…)")
                for keyword in node.keywords:
                    if keyword.arg == "allow_pickle" and not _is_false(keyword.value):
                        found.append(f"{where(module, node)} allow_pickle=…")
            elif isinstance(node, ast.Name) and node.id in FORBIDDEN_CALLS | {"pickle", "marshal"}:
                found.append(f"{where(module, node)} {node.id}")  # e.g. passed around as a value
    assert not found, "forbidden (de)serialisation or code execution:\n" + "\n".join(found)


# Places that send raw HTML and whose text is not a plain constant. Each was read and found to
# contain nothing a visitor controls; a new site fails test_raw_html_only_from_constants until it
# has been read the same way and added here with its reason. (Column names, class names, file
# names and every other text from an upload reach the page through Streamlit's escaping
# elements only; tests/e2e/test_security.py checks that in a browser.)
REVIEWED_HTML_SITES = {
    # A coloured line (fixed colour and dash tables), the pin's number (an int) and pin_label():
    # numbers formatted with :g and the locale's fixed words. No data-derived text.
    ("logit/ui/panels/compare.py", "show"),
    # Formulas: MathML from LaTeX that the app writes from numbers (explain.fmt) and fixed symbols;
    # to_mathml refuses any element that is not MathML (tests/test_formulas.py).
    ("logit/ui/formulas.py", "show"),
}


def _is_false(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def _constant_names(tree: ast.Module) -> dict[str, ast.AST]:
    """Module-level ``NAME = value`` assignments (the last one wins, as at import time)."""
    names: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            names[node.target.id] = node.value
    return names


def _made_of_constants(node: ast.AST, names: dict[str, ast.AST], seen: frozenset[str] = frozenset()) -> bool:
    """True for a string built only from literals and module constants that are themselves built so."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (str, int, float))
    if isinstance(node, ast.JoinedStr):
        return all(_made_of_constants(v, names, seen) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        return _made_of_constants(node.value, names, seen)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mult)):
        return _made_of_constants(node.left, names, seen) and _made_of_constants(node.right, names, seen)
    if isinstance(node, ast.IfExp):  # a choice between constants is a constant, whatever decides it
        return _made_of_constants(node.body, names, seen) and _made_of_constants(node.orelse, names, seen)
    if isinstance(node, ast.Name) and node.id in names and node.id not in seen:
        return _made_of_constants(names[node.id], names, seen | {node.id})
    return False


def _raw_html_calls(module: Module):
    """(call, enclosing function name) for every call that sends raw HTML."""
    def visit(node: ast.AST, function: str):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Call):
                allows = [k for k in child.keywords if k.arg == "unsafe_allow_html"]
                # st.html(...) and components.html(...) / components.v1.html(...) render their text as HTML
                is_html = isinstance(child.func, ast.Attribute) and child.func.attr == "html"
                if is_html or any(not _is_false(k.value) for k in allows):
                    yield child, function
            yield from visit(child, inner)

    yield from visit(module.tree, "<module>")


def test_raw_html_only_from_constants():
    unreviewed = []
    for module in modules():
        names = _constant_names(module.tree)
        for call, function in _raw_html_calls(module):
            allows = [k for k in call.keywords if k.arg == "unsafe_allow_html"]
            if allows and not (isinstance(allows[0].value, ast.Constant) and allows[0].value.value is True):
                # A computed flag can't be reviewed here.
                unreviewed.append(f"{where(module, call)} in {function}(): unsafe_allow_html is not a literal")
                continue
            text = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg in ("body", "html")), None)
            if text is not None and _made_of_constants(text, names):
                continue
            if (module.name, function) in REVIEWED_HTML_SITES:
                continue
            unreviewed.append(f"{where(module, call)} in {function}(): {ast.unparse(call)[:160]}")
    assert not unreviewed, (
        "raw HTML built from something other than constants; make sure no uploaded or URL text can reach it, "
        "then list the site in REVIEWED_HTML_SITES with the reason:\n" + "\n".join(unreviewed)
    )


def test_the_html_check_catches_what_it_should():
    """The checker itself, on small made-up modules."""
    def flagged(source: str) -> list[str]:
        module = Module(ROOT / "logit" / "made_up.py", ast.parse(source))
        names = _constant_names(module.tree)
        out = []
        for call, function in _raw_html_calls(module):
            text = call.args[0] if call.args else None
            if text is None or not _made_of_constants(text, names):
                out.append(function)
        return out

    assert flagged("CSS = '<style>' + 'a{}' + '</style>'\ndef f():\n    st.markdown(CSS, unsafe_allow_html=True)") == []
    assert flagged("def f(name):\n    st.markdown(f'<b>{name}</b>', unsafe_allow_html=True)") == ["f"]
    assert flagged("def g(x):\n    st.html(x)") == ["g"]
    assert flagged("def h(x):\n    st.markdown(x, unsafe_allow_html=False)") == []
    assert flagged("T = '<p>'\nT = input()\ndef k():\n    st.markdown(T, unsafe_allow_html=True)") == ["k"]
    assert flagged("A = '<i>'\nB = '<b>'\ndef m(on):\n    st.markdown(A + (B if on else ''), unsafe_allow_html=True)") == []
    assert flagged("A = '<i>'\ndef n(on, x):\n    st.markdown(A if on else x, unsafe_allow_html=True)") == ["n"]
