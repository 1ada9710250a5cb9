"""The loss landscape over a (w1, w2) grid (logit.landscape) against the model's cost."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from logit.landscape import ROWS, loss_landscape
from logit.model import cost
from strategies import FAST, datasets, finite, l2_strengths


def axis_values(max_size: int = 7):
    return arrays(np.float64, st.integers(1, max_size), elements=finite(20.0))


@FAST
@given(data=datasets(), w1=axis_values(), w2=axis_values(), b=finite(10.0), l2=l2_strengths())
def test_landscape_is_the_cost_at_every_grid_point(data, w1, w2, b, l2):
    X, y = data
    surface = loss_landscape(X, y, w1, w2, b, l2)
    assert surface.shape == (len(w2), len(w1))
    expected = np.array([[cost(X, y, np.array([a, c, b]), l2) for a in w1] for c in w2])
    np.testing.assert_allclose(surface, expected, rtol=1e-12, atol=1e-300)


def test_rows_run_along_w2_and_columns_along_w1():
    X = np.array([[1.0, -2.0], [0.5, 3.0], [-1.0, 1.0]])
    y = np.array([1.0, 0.0, 1.0])
    w1 = np.array([-1.0, 0.0, 2.0, 5.0])
    w2 = np.array([0.5, -3.0])
    surface = loss_landscape(X, y, w1, w2, b=0.25, l2=0.3)
    assert surface.shape == (2, 4)
    assert surface[1, 2] == pytest.approx(cost(X, y, np.array([2.0, -3.0, 0.25]), 0.3), rel=1e-13)
    assert surface[0, 3] == pytest.approx(cost(X, y, np.array([5.0, 0.5, 0.25]), 0.3), rel=1e-13)


@pytest.mark.parametrize("n", [1, 3, ROWS - 1, ROWS + 1, 2 * ROWS + 17])
def test_small_chunks_give_identical_results(n):
    rng = np.random.default_rng(n)
    X = rng.normal(size=(n, 2)) * [2.0, 5.0]
    y = (rng.random(n) < 0.5).astype(float)
    w1 = np.linspace(-3.0, 3.0, 11)
    w2 = np.linspace(-1.0, 2.0, 6)
    reference = loss_landscape(X, y, w1, w2, b=0.4, l2=0.05)
    for chunk_bytes in (1, 8, 8 * ROWS, 8 * ROWS * 5 + 3, 2**30):
        np.testing.assert_array_equal(loss_landscape(X, y, w1, w2, b=0.4, l2=0.05, chunk_bytes=chunk_bytes), reference)


def test_landscape_at_the_origin_is_ln2():
    X = np.array([[3.0, 1.0], [-2.0, 4.0], [0.0, -1.0]])
    y = np.array([0.0, 1.0, 1.0])
    surface = loss_landscape(X, y, np.array([0.0]), np.array([0.0]), b=0.0, l2=2.0)
    assert surface[0, 0] == pytest.approx(np.log(2.0), rel=1e-15)


def test_landscape_at_extreme_weights_agrees_with_cost_without_warnings():
    """Scores of ±1e350 overflow to ±inf (and inf − inf to NaN) exactly as cost() does."""
    X = np.array([[1e150, -1e150], [2.0, 3.0]])
    y = np.array([1.0, 0.0])
    axis = np.array([-1e200, -1.0, 0.0, 1e6, 1e200])
    for l2 in (0.0, 1.0):
        surface = loss_landscape(X, y, axis, axis, b=0.0, l2=l2)
        expected = np.array([[cost(X, y, np.array([a, c, 0.0]), l2) for a in axis] for c in axis])
        np.testing.assert_allclose(surface, expected, rtol=1e-12, equal_nan=True)
        assert np.all(np.isfinite(surface[1:4, 1:4]))
