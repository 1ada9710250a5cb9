"""The page's state, declared once (logit.ui.state): only that module touches Streamlit's session and
URL; every field reads its URL text back, refuses bad text and round-trips through a snapshot; and
importing the UI does no work (no files written, no threads started)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logit.ui import state
from logit.ui.state import FIELDS, _text

ROOT = Path(__file__).resolve().parents[1]
UI_SOURCES = sorted([ROOT / "app.py", *(ROOT / "logit").rglob("*.py")])


def touches(path: Path) -> list[str]:
    """Where a module reads or writes ``st.session_state`` or ``st.query_params``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in ("session_state", "query_params")]


def test_only_the_state_module_touches_the_session_and_the_url():
    found = {path.name: touches(path) for path in UI_SOURCES}
    assert found["state.py"], "the scan must see the state module's own accesses"
    others = [where for path in UI_SOURCES if path.name != "state.py" for where in touches(path)]
    assert others == [], "use logit.ui.state instead:\n" + "\n".join(others)


def test_every_default_is_a_value_its_field_can_take_and_reads_back():
    for name, field in FIELDS.items():
        if field.options is not None:
            assert field.default in field.options, name
        assert field.read(_text(field.default)) == field.default, name
        assert field.read(None) == field.default


@pytest.mark.parametrize("name, text", [("n", "abc"), ("n", "7"), ("alpha", "-3"), ("alpha", "0.3"),
                                        ("noise", "2"), ("noise", "nan"), ("seed", "-1"), ("batch", "huge"),
                                        ("iteration", "1e400"), ("presenter", "maybe"), ("w1_0", "inf"),
                                        ("panel", "nowhere"), ("lang", "xx"), ("point", "3.5")])
def test_a_bad_text_in_a_link_gives_the_default(name, text):
    assert FIELDS[name].read(text) == FIELDS[name].default


@given(st.sampled_from(sorted(FIELDS)), st.data())
def test_a_value_a_field_can_take_reads_back_from_its_text(name, data):
    field = FIELDS[name]
    if field.options is not None:
        value = data.draw(st.sampled_from(field.options))
    elif isinstance(field.default, bool):
        value = data.draw(st.booleans())
    elif isinstance(field.default, int):
        value = data.draw(st.integers(1, state.MAX_ITERATIONS))  # what every whole-number field takes
    elif isinstance(field.default, float):
        low = -state.MAX_WEIGHT if name.endswith("_0") else 0.0
        high = state.MAX_WEIGHT if name.endswith("_0") else 1.0
        value = data.draw(st.floats(low, high, allow_nan=False))
    else:
        value = data.draw(st.text(alphabet="0123456789._~e-", max_size=40))
    assert field.read(_text(value)) == value


def test_a_snapshot_is_small_leaves_out_the_defaults_and_restores_the_state(monkeypatch):
    session: dict = {}
    monkeypatch.setattr(state.st, "session_state", session)
    state.set(alpha=5.0, panel="compare", presenter=True, w1_0=-0.25, iteration=40)
    texts = state.snapshot()
    assert texts == {"alpha": "5", "panel": "compare", "presenter": "true", "w1_0": "-0.25", "iteration": "40"}
    session.clear()
    state.restore(texts)
    assert (state.get("alpha"), state.get("panel"), state.get("presenter"), state.get("w1_0")) == (
        5.0, "compare", True, -0.25)
    assert state.get("n") == FIELDS["n"].default


def test_importing_the_page_writes_no_file_and_starts_no_thread(tmp_path):
    code = (
        "import os, sys, tempfile, threading\n"
        "before = set(os.listdir(tempfile.gettempdir())); threads = threading.active_count()\n"
        "import logit.ui.training_view, logit.ui.sidebar, logit.ui.table_editor, logit.ui.screen\n"
        "written = set(os.listdir(tempfile.gettempdir())) - before\n"
        "print(sorted(written), threading.active_count() - threads)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={"TMPDIR": str(tmp_path), "PATH": "/usr/bin:/bin"}, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[] 0"
