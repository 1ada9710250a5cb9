"""Chain rule, with numbers: the lecture's steps for one point, with the live values, then the batch
gradient, the update of all three parameters and a finite-difference check."""

from __future__ import annotations

import streamlit as st

from logit.model import l2_gradient
from logit.training import Trajectory
from logit.ui import explain, formulas, state
from logit.ui.context import Page
from logit.ui.tables import small_table


def show(page: Page, trajectory: Trajectory, k: int) -> None:
    """The chain rule for one point with the live numbers, the batch gradient, the update and a check."""
    tr, dataset = page.tr, page.data.dataset
    X = trajectory.scaler.transform(dataset.X)
    st.markdown(tr("chain.intro"))
    state.explained_point(dataset.n)  # within the data
    index = int(st.number_input(tr("chain.point"), 0, dataset.n - 1, key=state.widget("point"),
                                help=tr("chain.point.help"), on_change=state.take, args=("point",)))
    params = trajectory.params[k]
    x, y = X[index], dataset.y[index]
    if not trajectory.scaler.is_identity:
        st.caption(tr("chain.standardized"))
    st.markdown(tr("chain.point.values", index=index, x1=f"{x[0]:.4g}", x2=f"{x[1]:.4g}", y=int(y),
                   cls=dataset.classes[int(y)]))
    parts = explain.explain_point(x, y, params)
    st.markdown(tr("chain.step1"))
    formulas.show(parts.forward)
    st.markdown(tr("chain.step2"))
    formulas.show([parts.dL_dyhat])
    st.markdown(tr("chain.step3"))
    formulas.show(parts.dyhat)
    st.markdown(tr("chain.step4"))
    formulas.show(parts.products)
    st.markdown(tr("chain.step5", n=dataset.n))
    settings = trajectory.settings
    mean = explain.mean_gradient_row(X, dataset.y, params)
    step_gradient = trajectory.gradients[k]
    formulas.show(
        rf"\frac{{\partial J}}{{\partial w_1}} = \frac{{1}}{{n}}\sum_i \frac{{\partial L_i}}{{\partial w_1}}"
        rf" = {explain.fmt(mean[0])},\quad \frac{{\partial J}}{{\partial w_2}} = {explain.fmt(mean[1])},"
        rf"\quad \frac{{\partial J}}{{\partial b}} = {explain.fmt(mean[2])}"
    )
    if settings.l2:
        st.caption(tr("chain.l2", l2=f"{settings.l2:g}"))
    if settings.batch_size is not None and settings.batch_size < dataset.n:
        st.caption(tr("chain.minibatch", b=settings.batch_size))
    st.markdown(tr("chain.step6", alpha=f"{settings.learning_rate:g}"))
    formulas.show(explain.update_lines(params, step_gradient, settings.learning_rate, settings.l2))
    if k >= trajectory.iterations and trajectory.status != "max_iterations":
        st.caption(tr("chain.no_next_step"))
    st.markdown(tr("chain.check"))
    full_gradient = mean + l2_gradient(params, settings.l2)
    check = explain.gradient_check(X, dataset.y, params, full_gradient, settings.l2)
    check.columns = [tr("chain.check.analytic"), tr("chain.check.numerical"), tr("chain.check.difference")]
    check.index.name = tr("chain.check.derivative")
    small_table(check, "%.6g")
