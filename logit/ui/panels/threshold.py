"""Threshold: a decision threshold, the confusion matrix with precision and recall, and the accuracy
at every threshold (the maths is in :mod:`logit.classification`)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from logit.classification import accuracy_by_threshold, threshold_metrics
from logit.model import predict_proba
from logit.split import score_threshold
from logit.training import Trajectory
from logit.ui import classroom_figures, formulas
from logit.ui.context import Page
from logit.ui.explain import fmt, paren
from logit.ui.exports import chart_file_name, png_config
from logit.ui.formulas import md_literal

SWEEP = np.round(np.arange(1, 100) / 100, 2)  # thresholds 0.01 … 0.99 of the accuracy curve


def show(page: Page, trajectory: Trajectory, k: int) -> float:
    """A threshold slider, the confusion matrix, accuracy/precision/recall and accuracy by threshold.

    Parameters
    ----------
    page : logit.ui.context.Page
        Its data are the points the run was trained on; its held-out points, if any, are shown
        next to them.
    trajectory, k : the run and the iteration shown

    Returns
    -------
    float : the chosen threshold
    """
    tr, test = page.tr, page.test
    dataset = page.data.dataset
    c0, c1 = (md_literal(c) for c in dataset.classes)
    st.markdown(tr("threshold.intro", c1=c1))
    threshold = float(st.slider(tr("threshold.slider"), 0.01, 0.99, 0.5, 0.01, key="threshold",
                                help=tr("threshold.slider.help")))
    _threshold_line(page, trajectory, k, threshold)

    parts = [(tr("split.train") if test is not None else tr("threshold.all"), dataset)]
    if test is not None:
        parts.append((tr("split.test"), test))
    params = trajectory.params[k]
    names = tuple(f"{c} ({j})" for j, c in enumerate(dataset.classes))
    cells = ((tr("threshold.tn"), tr("threshold.fp")), (tr("threshold.fn"), tr("threshold.tp")))
    curves = []
    for (title, part), column, slot in zip(parts, st.columns(len(parts)), ("train", "test")):
        probability = predict_proba(trajectory.scaler.transform(part.X), params)
        metrics = threshold_metrics(part.y, probability, threshold)
        curves.append((title, accuracy_by_threshold(part.y, probability, SWEEP)))
        with column:
            figure = classroom_figures.confusion_figure(
                metrics.matrix, names, cells, title=tr("threshold.matrix", part=title, n=part.n),
                x_title=tr("threshold.predicted"), y_title=tr("threshold.actual"),
            )
            st.plotly_chart(figure, key=f"confusion_{slot}", alt=tr("threshold.matrix.alt"),
                            config=tr.chart_config(png_config(chart_file_name(f"confusion-{slot}", trajectory, k))))
            a, p, r = st.columns(3)
            a.metric(tr("metric.accuracy"), f"{metrics.accuracy:.1%}", border=True,
                     help=tr("threshold.accuracy.help"))
            p.metric(tr("threshold.precision"), _percent(metrics.precision), border=True,
                     help=tr("threshold.precision.help", c1=c1))
            r.metric(tr("threshold.recall"), _percent(metrics.recall), border=True,
                     help=tr("threshold.recall.help", c1=c1))
            if metrics.precision is None:
                st.caption(tr("threshold.precision.undefined", c1=c1))
    st.plotly_chart(
        classroom_figures.threshold_figure(SWEEP, curves, threshold, title=tr("threshold.sweep"),
                                           x_title=tr("threshold.axis"), y_title=tr("metric.accuracy")),
        key="threshold_sweep", config=tr.chart_config(png_config(chart_file_name("accuracy-by-threshold", trajectory, k))),
        alt=tr("threshold.sweep"),
    )
    st.caption(tr("threshold.sweep.caption", c0=c0, c1=c1))
    return threshold


def _threshold_line(page: Page, trajectory: Trajectory, k: int, threshold: float) -> None:
    """σ(z) = t ⇔ w1·x1 + w2·x2 + b = ln(t/(1−t)), with the current numbers."""
    tr = page.tr
    cut = score_threshold(threshold)
    w1, w2, b = trajectory.params_original[k]
    st.markdown(tr("threshold.line", c1=md_literal(page.data.dataset.classes[1])))
    formulas.show([
        rf"\sigma(z) \ge t \iff w_1 x_1 + w_2 x_2 + b \ge \ln\frac{{t}}{{1-t}}"
        rf" = \ln\frac{{{fmt(threshold, 2)}}}{{{fmt(1 - threshold, 2)}}} = {fmt(cut)}",
        rf"{fmt(w1)}\,x_1 + {paren(w2)}\,x_2 + {paren(b)} = {fmt(cut)}",
    ])
    st.caption(tr("threshold.parallel"))


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"
