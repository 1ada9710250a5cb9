"""The panels below the training view, one at a time: each module's ``show(page, trajectory, k)``
draws it at iteration k.

One panel at a time (not tabs): tabs would compute and send every panel on every Step.
"""

from __future__ import annotations

import streamlit as st

from logit.training import Trajectory
from logit.ui import state
from logit.ui.context import Page
from logit.ui.panels import chain_rule, compare, downloads, landscape, lesson, per_point, threshold, train_test
from logit.ui.state import PANELS

SHOW = dict(zip(PANELS, (chain_rule.show, per_point.show, landscape.show, compare.show, lesson.show, threshold.show,
                         train_test.show, downloads.show)))


def panel_ui(page: Page, trajectory: Trajectory, k: int) -> None:
    """The panel chosen (the state's ``panel``), with its chooser."""
    tr = page.tr
    panel = st.segmented_control(tr("panel.label"), PANELS, format_func=lambda p: tr(f"tab.{p}"),
                                 key=state.widget("panel"), required=True, label_visibility="collapsed",
                                 on_change=state.take, args=("panel",))
    SHOW[panel](page, trajectory, k)
