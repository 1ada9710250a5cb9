"""AppTest helpers for the training view, a browser component that AppTest cannot click.

The component moves through the run in the browser and reports to the server as
``st.session_state["player"] = {k, nonce, more?, click?, alpha?}``; these helpers send the same
reports, and read back what the server sent it (its arguments and the run's bytes).
"""

from __future__ import annotations

import itertools
import json

import numpy as np
from streamlit.testing.v1 import AppTest

from logit.ui.view_component import RUN_COLUMNS

_nonces = itertools.count(1)


def element(at: AppTest):
    found = [e for e in at.get("component_instance") if e.proto.component_name.endswith("logit_player")]
    assert len(found) == 1, f"expected one training view, found {len(found)}"
    return found[0]


def args(at: AppTest) -> dict:
    """The component's JSON arguments as the browser receives them."""
    return json.loads(element(at).proto.json_args)


def run_values(at: AppTest) -> np.ndarray:
    """The run the browser received: shape (K+1, len(RUN_COLUMNS))."""
    special = {a.key: a for a in element(at).proto.special_args}
    values = np.frombuffer(special["run_values"].bytes, dtype="<f8")
    return values.reshape(-1, len(RUN_COLUMNS))


def ahead_values(at: AppTest) -> dict[float, np.ndarray]:
    """The runs computed ahead, by learning rate: each shape (K+1, len(RUN_COLUMNS))."""
    special = {a.key: a for a in element(at).proto.special_args}
    values = np.frombuffer(special["ahead_values"].bytes, dtype="<f8").reshape(-1, len(RUN_COLUMNS))
    runs, row = {}, 0
    for meta in args(at)["ahead"]:
        runs[meta["alpha"]] = values[row: row + meta["K"] + 1]
        row += meta["K"] + 1
    assert row == len(values), "the runs ahead must fill their bytes exactly"
    return runs


def figures(at: AppTest) -> dict[str, dict]:
    """The training view's four figures: "data", "weights", "gradients", "loss"."""
    return args(at)["figures"]


def iteration(at: AppTest) -> int:
    return int(page_state(at)["iteration"])


def report(at: AppTest, *, then_rest: bool = True, **event) -> AppTest:
    """Send what the component sends, then run the page as the report would.

    then_rest: then let the component rest, as a person would (see :func:`rest`).
    """
    at.session_state["player"] = dict(event, nonce=f"test:{next(_nonces)}")
    at.run()
    assert not at.exception, at.exception
    if then_rest:
        rest(at)
    return at


def rest(at: AppTest) -> AppTest:
    """What the component does once it has rested after a run sent before its runs ahead: report
    the iteration again, so that the server, which then knows the view shows the run, sends them."""
    shown = [e for e in at.get("component_instance") if e.proto.component_name.endswith("logit_player")]
    if shown and args(at)["ahead_pending"]:
        report(at, then_rest=False, k=iteration(at))
    return at


def step(at: AppTest, n: int = 1) -> AppTest:
    """Step ``n`` times in the browser: past the end of the run it asks for more, as the component does."""
    k = iteration(at) + n
    return report(at, k=k, more=k > int(args(at)["run"]["K"]))


def scrub(at: AppTest, k: int) -> AppTest:
    return report(at, k=k)


def choose_alpha(at: AppTest, alpha: float, *, then_rest: bool = True) -> AppTest:
    """Another learning rate chosen in the training view (which reports it with the iteration on show)."""
    return report(at, then_rest=then_rest, k=iteration(at), alpha=alpha)


def click_chart(at: AppTest, *, mode: str, x: float | None = None, y: float | None = None,
                index: int | None = None) -> AppTest:
    """A click on the data chart, as the component reports it."""
    return report(at, k=iteration(at), click=dict(mode=mode, x=x, y=y, index=index))


def click(at: AppTest, key: str) -> AppTest:
    """Click a Streamlit button by its key and run the page; the run must raise nothing."""
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def page_state(at: AppTest) -> dict:
    """The page's state (logit.ui.state's fields), as the session holds it: read it, or change it
    before ``at.run()`` as a click or a link would."""
    from logit.ui.state import VALUES

    return at.session_state[VALUES]
