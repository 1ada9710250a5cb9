"""Lesson mode: the lecture's walk through one iteration, six short steps with live numbers.

1 what ŷ is, 2 why the log loss, 3 the chain rule for one point, 4 the batch gradient,
5 the update of all three parameters, 6 iterate. Every number is the run's, at the
iteration shown, for the point chosen on the page (clicked in the data chart).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from logit.model import chain_rule
from logit.training import Trajectory
from logit.ui import explain, formulas, state
from logit.ui.context import Page
from logit.ui.formulas import md_literal
from logit.ui.explain import fmt

STEPS = 6


def show(page: Page, trajectory: Trajectory, k: int) -> int:
    """A guided walk in six steps with Back / Next; returns the step shown (0-based).

    Parameters
    ----------
    page : logit.ui.context.Page
    trajectory : the run shown on the page
    k : the iteration shown
    """
    tr = page.tr
    step = min(max(int(state.session("lesson_step")), 0), STEPS - 1)
    state.keep(lesson_step=step)
    titles = (
        tr("lesson.1.title"), tr("lesson.2.title"), tr("lesson.3.title"),
        tr("lesson.4.title"), tr("lesson.5.title"), tr("lesson.6.title"),
    )
    st.progress((step + 1) / STEPS, text=tr("lesson.progress", step=step + 1, total=STEPS, title=titles[step]))
    st.caption(" → ".join(f"**{title}**" if i == step else title for i, title in enumerate(titles)))

    dataset = page.data.dataset
    X = trajectory.scaler.transform(dataset.X)
    params = trajectory.params[k]
    index = state.explained_point(dataset.n)
    lecture = (_prediction, _loss, _chain, _batch, _update, _iterate)[step]
    with st.container(border=True):
        st.subheader(titles[step])
        lecture(page, trajectory, k, X, params, index)
        if not trajectory.scaler.is_identity and step < 5:
            st.caption(tr("lesson.standardized"))

    bar = st.container(horizontal=True)
    bar.button(tr("lesson.back"), key="lesson_back", on_click=_move, args=(-1,), disabled=step == 0,
               icon=":material/arrow_back:")
    bar.button(tr("lesson.next"), key="lesson_next", on_click=_move, args=(1,), disabled=step == STEPS - 1,
               type="primary", icon=":material/arrow_forward:", icon_position="right")
    return step


def _move(delta: int) -> None:
    state.keep(lesson_step=min(max(int(state.session("lesson_step")) + delta, 0), STEPS - 1))


def _point_words(page: Page, X: np.ndarray, index: int, k: int) -> dict:
    """The values of the "lesson.point" sentence."""
    dataset = page.data.dataset
    label = int(dataset.y[index])
    return dict(index=index, x1=f"{X[index, 0]:.4g}", x2=f"{X[index, 1]:.4g}", y=label,
                cls=md_literal(dataset.classes[label]), k=k)


# --- the six steps ----------------------------------------------------------------------------

def _prediction(page, trajectory, k, X, params, index) -> None:
    tr, dataset = page.tr, page.data.dataset
    c0, c1 = (md_literal(c) for c in dataset.classes)
    words = _point_words(page, X, index, k)
    st.markdown(tr("lesson.1.text", c1=c1))
    st.markdown(tr("lesson.point", **words))
    formulas.show(explain.explain_point(X[index], dataset.y[index], params).forward[:2])
    one = chain_rule(X[index : index + 1], dataset.y[index : index + 1], params)
    says_one = bool(one.z[0] >= 0)  # ŷ ≥ ½, decided on z as in training
    verdict = tr("lesson.right") if says_one == (dataset.y[index] == 1) else tr("lesson.wrong")
    st.markdown(tr("lesson.1.verdict", yhat=fmt(one.yhat[0]), predicted=c1 if says_one else c0, cls=words["cls"],
                   verdict=verdict))
    st.caption(tr("lesson.point.hint"))


def _loss(page, trajectory, k, X, params, index) -> None:
    tr, dataset = page.tr, page.data.dataset
    st.markdown(tr("lesson.2.text"))
    st.markdown(tr("lesson.2.right"))
    formulas.show(rf"y = 1,\ \hat y = 0.9:\quad L = -\ln 0.9 = {fmt(-np.log(0.9))}")
    st.markdown(tr("lesson.2.wrong"))
    formulas.show([rf"y = 1,\ \hat y = 0.1:\quad L = -\ln 0.1 = {fmt(-np.log(0.1))}",
                   rf"y = 1,\ \hat y = 0.01:\quad L = -\ln 0.01 = {fmt(-np.log(0.01))}"])
    st.markdown(tr("lesson.2.mean", n=dataset.n))
    st.markdown(tr("lesson.point", **_point_words(page, X, index, k)))
    formulas.show([explain.explain_point(X[index], dataset.y[index], params).forward[2],
                   rf"J = \frac{{1}}{{n}}\sum_{{i=1}}^{{n}} L_i = {fmt(trajectory.loss[k])}"])


def _chain(page, trajectory, k, X, params, index) -> None:
    tr, dataset = page.tr, page.data.dataset
    st.markdown(tr("lesson.3.text"))
    st.markdown(tr("lesson.point", **_point_words(page, X, index, k)))
    parts = explain.explain_point(X[index], dataset.y[index], params)
    formulas.show([parts.dL_dyhat, parts.dyhat[0], parts.products[0]])
    st.markdown(tr("lesson.3.cancel"))
    error = np.abs(chain_rule(X, dataset.y, params).dL_db)  # |y − ŷ| of every point
    worst, best = int(np.argmax(error)), int(np.argmin(error))
    classes = [md_literal(c) for c in dataset.classes]
    st.markdown(tr("lesson.3.worst", index=worst, cls=classes[int(dataset.y[worst])], error=fmt(error[worst])))
    formulas.show(explain.explain_point(X[worst], dataset.y[worst], params).products[0])
    st.markdown(tr("lesson.3.best", index=best, cls=classes[int(dataset.y[best])], error=fmt(error[best])))
    formulas.show(explain.explain_point(X[best], dataset.y[best], params).products[0])


def _batch(page, trajectory, k, X, params, index) -> None:
    tr, dataset = page.tr, page.data.dataset
    settings = trajectory.settings
    st.markdown(tr("lesson.4.text", n=dataset.n))
    mean = explain.mean_gradient_row(X, dataset.y, params)
    terms = (r"-(y_i-\hat y_i)\,x_{i1}", r"-(y_i-\hat y_i)\,x_{i2}", r"-(y_i-\hat y_i)")
    formulas.show([rf"\frac{{\partial J}}{{\partial {name}}} = \frac{{1}}{{n}}\sum_{{i=1}}^{{n}} {term} = {fmt(value)}"
                   for name, term, value in zip(explain.PARAMETERS, terms, mean)])
    st.markdown(tr("lesson.4.vote"))
    if settings.l2:
        st.caption(tr("lesson.4.l2", l2=f"{settings.l2:g}"))
    if settings.batch_size is not None and settings.batch_size < dataset.n:
        st.caption(tr("lesson.4.minibatch", b=settings.batch_size))


def _update(page, trajectory, k, X, params, index) -> None:
    tr = page.tr
    settings = trajectory.settings
    st.markdown(tr("lesson.5.text", alpha=f"{settings.learning_rate:g}"))
    formulas.show(explain.update_lines(params, trajectory.gradients[k], settings.learning_rate, settings.l2))
    if k < trajectory.iterations:
        st.markdown(tr("lesson.5.next", next=k + 1))
    else:
        st.caption(tr("lesson.5.stopped"))
    st.markdown(tr("lesson.5.alpha"))


def _iterate(page, trajectory, k, X, params, index) -> None:
    tr = page.tr
    st.markdown(tr("lesson.6.text"))
    formulas.show(
        rf"J_0 = {fmt(trajectory.loss[0])}\ \longrightarrow\ J_{{{k}}} = {fmt(trajectory.loss[k])},\qquad"
        rf"\lVert\nabla J\rVert_{{{k}}} = {fmt(trajectory.gradient_norm[k])}"
    )
    st.markdown(tr("lesson.6.watch"))
    st.markdown(tr("lesson.6.try"))

