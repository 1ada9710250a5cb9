"""Loss landscape: contours of J over (w₁, w₂) at the current b, on the user's own data, with the
descent path so far (the figures: :mod:`logit.ui.landscape_figures`)."""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from logit.model import l2_penalty
from logit.training import Trajectory
from logit.ui.context import Page
from logit.ui.landscape_figures import (
    B_QUANTUM, WEIGHT_LIMIT, LandscapeText, Window, evaluate_window, landscape_figure, landscape_window,
    resolution_for, sample_rows,
)


def show(page: Page, trajectory: Trajectory, k: int) -> None:
    """The landscape at iteration k: caption, chart (cached by data, scaling, λ, window and rounded b)."""
    tr, dataset = page.tr, page.data.dataset
    k = int(min(max(k, 0), trajectory.iterations))
    rows = sample_rows(dataset.n)
    X = dataset.X if rows is None else dataset.X[rows]
    y = dataset.y if rows is None else dataset.y[rows]
    X_trained = trajectory.scaler.transform(X)
    window = landscape_window(X_trained, trajectory, k)
    b = _rounded_b(float(trajectory.params[k, 2]))
    l2 = float(trajectory.settings.l2)
    resolution = resolution_for(dataset.n)
    standardized = not trajectory.scaler.is_identity
    with st.spinner(tr("landscape.busy")):
        w1_values, w2_values, J = _cached_grid(page.data.fingerprint, standardized, l2, window, b, resolution,
                                               X_trained, y)
    text = LandscapeText(
        title=tr("landscape.title", b=f"{b:.3g}"), path=tr("landscape.path"), start=tr("landscape.start"),
        current=tr("landscape.current", k=k), iteration=tr("landscape.iteration"),
        note=tr("landscape.sampled", shown=f"{len(y):,}", n=f"{dataset.n:,}") if rows is not None else "",
    )
    params = trajectory.params
    w1, w2 = (float(v) for v in params[k, :2])
    penalty = float(l2_penalty(w1, w2, l2)) if l2 and max(abs(w1), abs(w2)) < WEIGHT_LIMIT else 0.0
    current_loss = float(trajectory.loss[k]) + penalty
    figure = landscape_figure(w1_values, w2_values, J, params[: k + 1, :2], params[k, :2], text,
                              current_loss=current_loss)
    st.plotly_chart(figure, key="landscape_chart", width="content", config=tr.chart_config(),
                    alt=tr("landscape.alt"))
    notes = [tr("landscape.caption"), tr("landscape.standardized") if standardized else tr("landscape.raw")]
    if l2:
        notes.append(tr("landscape.l2", l2=f"{l2:g}"))
    st.caption(" ".join(notes))


def _rounded_b(b: float) -> float:
    if not math.isfinite(b) or abs(b) > 1e15:
        return b
    return round(b / B_QUANTUM) * B_QUANTUM + 0.0  # + 0.0: no −0


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_grid(fingerprint: str, standardized: bool, l2: float, window: Window, b: float, resolution: int,
                 _X_trained: np.ndarray, _y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`evaluate_window`, keyed by what determines it.

    The data enter through their fingerprint and whether they are standardised (that
    fixes the trained units); the arrays themselves are not hashed. The sample, if any,
    is fixed by n, which the fingerprint fixes too.
    """
    return evaluate_window(_X_trained, _y, window, b, l2, resolution)
