"""Shared hypothesis strategies and helpers for the core's tests.

Data sets are small (2–30 points) with features in a moderate range, so that a
central finite difference is accurate to ~1e-8 and every property runs in
milliseconds. Tests that need extreme values build them explicitly.
"""

from __future__ import annotations

import os

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

# Modest for a quick suite (LOGIT_EXAMPLES=1000 for a longer soak); no example database in the tree.
FAST = settings(
    max_examples=int(os.environ.get("LOGIT_EXAMPLES", "40")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def finite(bound: float) -> st.SearchStrategy[float]:
    """Finite floats in [−bound, bound]."""
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False)


@st.composite
def datasets(draw, min_n: int = 2, max_n: int = 30, bound: float = 10.0):
    """(X, y): X of shape (n, 2) with |x| ≤ bound, y of shape (n,) with values 0.0 / 1.0."""
    n = draw(st.integers(min_n, max_n))
    X = draw(arrays(np.float64, (n, 2), elements=finite(bound)))
    y = draw(arrays(np.float64, (n,), elements=st.sampled_from([0.0, 1.0])))
    return X, y


@st.composite
def spread_datasets(draw, min_n: int = 4, max_n: int = 30):
    """Data sets whose two columns both vary (standardisation is meaningful) and both labels occur."""
    n = draw(st.integers(min_n, max_n))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    scale = np.array([draw(st.sampled_from([0.1, 1.0, 30.0])), draw(st.sampled_from([0.5, 1.0, 200.0]))])
    shift = np.array([draw(finite(50.0)), draw(finite(50.0))])
    X = rng.normal(size=(n, 2)) * scale + shift
    y = (rng.random(n) < 0.5).astype(float)
    y[0], y[1] = 0.0, 1.0
    return X, y


def parameters(bound: float = 5.0) -> st.SearchStrategy[np.ndarray]:
    """[w1, w2, b] with each |value| ≤ bound."""
    return arrays(np.float64, (3,), elements=finite(bound))


def l2_strengths() -> st.SearchStrategy[float]:
    """λ: zero half of the time, otherwise up to 2."""
    return st.one_of(st.just(0.0), st.floats(1e-4, 2.0))


def central_difference(f, params: np.ndarray, step: float = 1e-5) -> np.ndarray:
    """(f(p + h·e_i) − f(p − h·e_i)) / 2h for each coordinate, h = step·max(1, |p_i|).

    Written out here rather than borrowed from the code under test.
    """
    params = np.asarray(params, dtype=float)
    grad = np.empty(params.shape)
    for i in range(params.size):
        h = step * max(1.0, abs(params[i]))
        up, down = params.copy(), params.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (f(up) - f(down)) / (up[i] - down[i])
    return grad


def assert_gradient_close(analytic: np.ndarray, numeric: np.ndarray, scale: float) -> None:
    """Analytic and finite-difference gradients agree to ~1e-6 of the problem's scale."""
    analytic, numeric = np.asarray(analytic), np.asarray(numeric)
    tolerance = 1e-6 * (1.0 + scale)
    assert np.all(np.abs(analytic - numeric) <= tolerance + 1e-6 * np.abs(analytic)), (analytic, numeric)
