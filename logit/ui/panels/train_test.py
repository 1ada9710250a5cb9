"""Train vs test: loss and accuracy on the points trained on and on the held-out points, iteration by
iteration (the split is made in the sidebar; the maths is in :mod:`logit.split`)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from logit.dataset import Dataset
from logit.split import path_metrics
from logit.training import Trajectory
from logit.ui import cached, classroom_figures, state
from logit.ui.context import Page
from logit.ui.exports import chart_file_name, png_config


def show(page: Page, trajectory: Trajectory, k: int) -> None:
    """The panel: the two parts' curves when a test set is held out, else how to hold one out."""
    if page.test is None:
        st.info(page.tr("split.off"))
        return
    curves(page, trajectory, k, page.data.dataset, page.test)


def curves(page: Page, trajectory: Trajectory, k: int, train: Dataset, test: Dataset) -> None:
    """Loss and accuracy on the training and on the held-out points, iteration by iteration.

    Parameters
    ----------
    page : logit.ui.context.Page
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
    store = state.session("split_path_metrics")
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
