"""Every point's gradient: a table of ∂L/∂w₁, ∂L/∂w₂, ∂L/∂b per point, and their mean, the batch
gradient."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from logit.training import Trajectory
from logit.ui import explain
from logit.ui.context import Page
from logit.ui.tables import numbers_table, small_table

TABLE_LIMIT = 500  # rows shown in the per-point table


def show(page: Page, trajectory: Trajectory, k: int) -> None:
    """Every point's gradient, whose mean is the batch gradient."""
    tr, dataset = page.tr, page.data.dataset
    X = trajectory.scaler.transform(dataset.X)
    params = trajectory.params[k]
    mean = explain.mean_gradient_row(X, dataset.y, params)
    st.markdown(tr("points.intro", n=dataset.n))
    mean_row = pd.DataFrame([mean], columns=["∂L/∂w1", "∂L/∂w2", "∂L/∂b"],
                            index=pd.Index([tr("points.mean", n=dataset.n)], name=tr("points.gradient")))
    small_table(mean_row, "%.6g")
    table = explain.per_point_table(X, dataset.y, params, dataset.feature_names, limit=TABLE_LIMIT)
    if dataset.n > TABLE_LIMIT:
        st.caption(tr("points.limited", shown=TABLE_LIMIT, n=dataset.n))
    numbers_table(table, "%.4g", skip=("y",), height=360)
