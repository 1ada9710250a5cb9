"""Classroom panels: a held-out test set, and the decision threshold with its confusion matrix.

``split_data_ui`` (sidebar, outside the training fragment) chooses and makes the split;
``split_ui`` and ``threshold_ui`` draw inside the training view at iteration k. The maths
is in :mod:`logit.split` and :mod:`logit.classification`; the charts in
:mod:`logit.ui.classroom_figures`.
"""

from __future__ import annotations

import re

import numpy as np
import streamlit as st

from logit.classification import accuracy_by_threshold, threshold_metrics
from logit.dataset import Dataset
from logit.errors import LogitError
from logit.model import predict_proba
from logit.split import path_metrics, score_threshold, train_test_split
from logit.training import Trajectory
from logit.ui import cached, classroom_figures, formulas
from logit.ui.cached import LoadedData
from logit.ui.downloads import chart_file_name, png_config
from logit.ui.explain import fmt, paren

TEST_FRACTIONS = (0.1, 0.2, 0.25, 0.3, 0.4, 0.5)
SWEEP = np.round(np.arange(1, 100) / 100, 2)  # thresholds 0.01 … 0.99 of the accuracy curve
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md_literal(text: object) -> str:
    """Text from the data (class names) shown literally in Markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


# --- the split (sidebar) -------------------------------------------------------------------------

def split_data_ui(tr, data: LoadedData, container=None) -> tuple[LoadedData, LoadedData] | None:
    """A switch to hold out a test set, its size and seed; the split data, or None when off.

    Call it outside the training fragment (it draws in the sidebar by default). The page
    then trains on the first part and passes the second to :func:`split_ui` and
    :func:`threshold_ui`.
    """
    box = container if container is not None else st.sidebar
    if not box.toggle(tr("split.toggle"), key="split_on", help=tr("split.toggle.help"), bind="query-params"):
        return None
    fraction = box.select_slider(tr("split.fraction"), TEST_FRACTIONS, value=0.25, key="test_fraction",
                                 format_func=lambda v: f"{v:.0%}", bind="query-params")
    seed = box.number_input(tr("split.seed"), 0, 1_000_000, 0, 1, key="split_seed", bind="query-params")
    try:
        return split_data(data, float(fraction), int(seed))
    except LogitError as error:
        box.error(tr.error(error))
        return None


def split_data(data: LoadedData, test_fraction: float, seed: int) -> tuple[LoadedData, LoadedData]:
    """:func:`logit.split.train_test_split` of the data, cached by the data's fingerprint."""
    return _split(data.fingerprint, float(test_fraction), int(seed), data.dataset)


@st.cache_data(max_entries=32, show_spinner=False)
def _split(fingerprint: str, test_fraction: float, seed: int, _dataset: Dataset) -> tuple[LoadedData, LoadedData]:
    train, test = train_test_split(_dataset, test_fraction, seed)
    return cached.loaded(train), cached.loaded(test)


# --- train vs test curves -------------------------------------------------------------------------

def split_ui(page, trajectory: Trajectory, k: int, train: Dataset, test: Dataset) -> None:
    """Loss and accuracy on the training and on the held-out points, iteration by iteration.

    Parameters
    ----------
    page : logit.ui.page.Page
    trajectory : the run, trained on ``train``
    k : the iteration shown
    train, test : the two parts of the split
    """
    tr = page.tr
    st.markdown(tr("split.intro", n_train=train.n, n_test=test.n))
    train_loss, train_accuracy = _metrics_upto("train", train, trajectory, k)
    test_loss, test_accuracy = _metrics_upto("test", test, trajectory, k)
    columns = st.columns(4)
    columns[0].metric(tr("split.train_loss"), f"{train_loss[k]:.4f}", border=True)
    columns[1].metric(tr("split.test_loss"), f"{test_loss[k]:.4f}", f"{test_loss[k] - train_loss[k]:+.3g}",
                      delta_color="inverse", border=True, help=tr("split.gap.help"))
    columns[2].metric(tr("split.train_accuracy"), f"{train_accuracy[k]:.1%}", border=True)
    columns[3].metric(tr("split.test_accuracy"), f"{test_accuracy[k]:.1%}",
                      f"{100 * (test_accuracy[k] - train_accuracy[k]):+.1f} pp", border=True,
                      help=tr("split.gap.help"))
    names = (tr("split.train"), tr("split.test"))
    left, right = st.columns(2)
    with left:
        st.plotly_chart(
            classroom_figures.train_test_figure(train_loss, test_loss, k, names=names, title=tr("split.loss_chart"),
                                                y_title=tr("metric.loss"), x_title=tr("chart.iteration")),
            key="split_loss_chart", config=tr.chart_config(png_config(chart_file_name("train-test-loss", trajectory, k))),
            alt=tr("split.loss_chart"),
        )
    with right:
        st.plotly_chart(
            classroom_figures.train_test_figure(train_accuracy, test_accuracy, k, names=names,
                                                title=tr("split.accuracy_chart"), y_title=tr("metric.accuracy"),
                                                x_title=tr("chart.iteration"), percent=True),
            key="split_accuracy_chart", config=tr.chart_config(png_config(chart_file_name("train-test-accuracy", trajectory, k))),
            alt=tr("split.accuracy_chart"),
        )
    st.caption(tr("split.explain"))


def _metrics_upto(name: str, dataset: Dataset, trajectory: Trajectory, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Loss and accuracy at iterations 0..k, computing only the iterations not seen before.

    Play extends a run without changing its earlier iterations, so the rows already
    computed for the same data and the same parameter history are kept.
    """
    params = trajectory.params_original[: k + 1]
    fingerprint = cached.fingerprint(dataset)
    store = st.session_state.setdefault("split_path_metrics", {})
    kept = store.get(name)
    done = 0
    if kept is not None and kept[0] == fingerprint:
        common = min(len(kept[1]), len(params))
        if np.array_equal(kept[1][:common], params[:common], equal_nan=True):
            done = common
    if done == len(params):
        return kept[2][: k + 1], kept[3][: k + 1]
    loss, accuracy = path_metrics(params[done:], dataset.X, dataset.y)
    if done:
        loss = np.concatenate([kept[2][:done], loss])
        accuracy = np.concatenate([kept[3][:done], accuracy])
    store[name] = (fingerprint, params, loss, accuracy)
    return loss, accuracy


# --- the decision threshold -----------------------------------------------------------------------

def threshold_ui(page, trajectory: Trajectory, k: int, test: Dataset | None = None) -> float:
    """A threshold slider, the confusion matrix, accuracy/precision/recall and accuracy by threshold.

    Parameters
    ----------
    page : logit.ui.page.Page
        Its data are the points the run was trained on.
    trajectory, k : the run and the iteration shown
    test : the held-out points, shown next to the training points, or None

    Returns
    -------
    float : the chosen threshold
    """
    tr = page.tr
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


def _threshold_line(page, trajectory: Trajectory, k: int, threshold: float) -> None:
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
