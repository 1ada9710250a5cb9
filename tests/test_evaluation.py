"""The fast full-data evaluator (logit.evaluation) against the readable model (logit.model).

The evaluator regroups the points by label, walks them in chunks, splits large data
between two threads and computes the loss and σ from one exp(−|m|) per point. None of
that may show: the mean loss must agree with :func:`logit.model.cost` to 1e-12
(relative), the gradient with :func:`logit.model.gradient` to 1e-12 of its natural
scale, and the accuracy exactly, ties at z = 0 counting as predicted 1. Sizes cross
the chunk and thread thresholds. Every warning is an error (pyproject.toml), so each
test also shows that nothing overflows or divides by zero noisily. No timing here:
see benchmarks/core.py.
"""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import logit.evaluation as evaluation
from logit.evaluation import CHUNK, PARALLEL_MIN, Evaluation, FullDataEvaluator
from logit.model import cost, gradient, scores, sigmoid

LOSS_RTOL = 1e-12
GRADIENT_RTOL = 1e-12

SIZES = [
    1, 2, 3, 1000, CHUNK - 1, CHUNK, CHUNK + 1,  # one thread, one or two chunks
    PARALLEL_MIN - 1, PARALLEL_MIN, PARALLEL_MIN + CHUNK // 2 + 3, 4 * CHUNK + 5,  # two threads
]
PARAMS = [
    [0.0, 0.0, 0.0],  # every z = 0: all ties, every prediction is 1
    [1.5, -0.7, 0.2],
    [-40.0, 90.0, 3.0],
    [800.0, -1500.0, 5.0],  # margins in the thousands
]


def evaluate(X, y, params) -> Evaluation:
    evaluator = FullDataEvaluator(X, y)
    try:
        return evaluator(np.asarray(params, dtype=float))
    finally:
        evaluator.close()


def assert_agrees_with_model(result: Evaluation, X, y, params) -> None:
    X, y, params = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(params, dtype=float)
    expected = cost(X, y, params)
    if math.isfinite(expected):
        assert result.loss == pytest.approx(expected, rel=LOSS_RTOL, abs=0.0)
    else:
        assert result.loss == expected
    z = scores(X, params)
    assert result.accuracy == np.mean((z >= 0) == y)  # exact: a count, ties predict 1
    # The gradient's natural scale per component is the mean |per-point term|: any sum
    # of the terms, in any order, is off by a few ulp of that.
    residual = sigmoid((1.0 - 2.0 * y) * z)  # |ŷ − y| = σ(m), to the last digit even when tiny
    with np.errstate(over="ignore"):
        terms = np.abs(residual[:, None] * np.column_stack([X, np.ones(len(y))]))
    scale = np.mean(terms, axis=0)
    difference = np.abs(result.gradient - gradient(X, y, params))
    assert np.all(difference <= GRADIENT_RTOL * scale), (result.gradient, gradient(X, y, params), scale)
    assert result.gradient.shape == (3,)
    assert isinstance(result.loss, float) and isinstance(result.accuracy, float)


def mixed_data(n: int, seed: int, positive_share: float = 0.4):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)) * [3.0, 0.5] + [1.0, -2.0]
    y = (rng.random(n) < positive_share).astype(float)
    return X, y


# --- sizes across the chunk and thread thresholds ------------------------------------------


@pytest.mark.parametrize("n", SIZES)
def test_agrees_with_the_model_at_every_size(n):
    X, y = mixed_data(n, seed=n)
    evaluator = FullDataEvaluator(X, y)
    for params in PARAMS:
        assert_agrees_with_model(evaluator(np.array(params)), X, y, params)
    evaluator.close()


@pytest.mark.parametrize("n", [CHUNK + 5, PARALLEL_MIN + 11])
@pytest.mark.parametrize("share", [0.0, 1.0, 0.5])
def test_agrees_with_the_model_with_one_label_or_an_even_split(n, share):
    X, y = mixed_data(n, seed=7, positive_share=share)
    for params in PARAMS[1:]:
        assert_agrees_with_model(evaluate(X, y, params), X, y, params)


@pytest.mark.parametrize(
    "n, negatives",
    [(2 * CHUNK - 2, CHUNK - 1), (PARALLEL_MIN, PARALLEL_MIN // 2), (4 * CHUNK, CHUNK)],
)
def test_label_boundary_on_a_chunk_edge(n, negatives):
    # The y = 0 points fill whole chunks exactly, so no chunk holds both labels.
    X, _ = mixed_data(n, seed=3)
    y = np.r_[np.zeros(negatives), np.ones(n - negatives)]
    np.random.default_rng(4).shuffle(y)
    evaluator = FullDataEvaluator(X, y)
    assert all(chunk.flip is None for worker in evaluator._workers for chunk in worker.chunks)
    for params in PARAMS[1:]:
        assert_agrees_with_model(evaluator(np.array(params)), X, y, params)
    evaluator.close()


def test_two_threads_give_the_one_thread_answer(monkeypatch):
    X, y = mixed_data(PARALLEL_MIN + 1000, seed=5)
    params = np.array([0.8, -1.1, 0.3])
    threaded = FullDataEvaluator(X, y)
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: the evaluator never starts a second thread")
    assert threaded._pool is not None  # the threshold really is crossed here
    monkeypatch.setattr(evaluation, "PARALLEL_MIN", 10 * len(y))
    single = FullDataEvaluator(X, y)
    assert single._pool is None
    a, b = threaded(params), single(params)
    assert a.accuracy == b.accuracy
    assert a.loss == pytest.approx(b.loss, rel=1e-14)
    np.testing.assert_allclose(a.gradient, b.gradient, rtol=1e-13, atol=1e-16)
    threaded.close()
    single.close()


def test_reused_buffers_leave_no_trace():
    X, y = mixed_data(2 * CHUNK + 7, seed=11)
    evaluator = FullDataEvaluator(X, y)
    first = evaluator(np.array(PARAMS[1]))
    for params in PARAMS:
        evaluator(np.array(params))
    again = evaluator(np.array(PARAMS[1]))
    assert (again.loss, again.accuracy) == (first.loss, first.accuracy)
    assert np.array_equal(again.gradient, first.gradient)
    evaluator.close()
    evaluator.close()  # closing twice is harmless


# --- ties and near-ties at z = 0 ---------------------------------------------------------------


@pytest.mark.parametrize("n", [200, CHUNK + 3, PARALLEL_MIN + 3])
@pytest.mark.parametrize(
    "params", [[1.0, -1.0, 0.0], [1.0, -1.0, -0.0], [-0.0, -0.0, -0.0], [2.0, 3.0, -5.0]],
)
def test_exact_ties_count_as_predicting_1(n, params):
    # Small integer features: z = w·x + b is exact and is 0 for many points of both labels.
    rng = np.random.default_rng(n)
    X = rng.integers(-3, 4, size=(n, 2)).astype(float)
    y = (rng.random(n) < 0.5).astype(float)
    z = scores(X, np.array(params))
    ties = z == 0
    assert np.count_nonzero(ties & (y == 0)) > n // 100 and np.count_nonzero(ties & (y == 1)) > n // 100
    assert_agrees_with_model(evaluate(X, y, params), X, y, params)


def test_all_scores_zero_predicts_1_everywhere():
    X = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, 0.0], [2.0, 2.0]])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    for params in ([0.0, 0.0, 0.0], [-0.0, -0.0, -0.0]):
        result = evaluate(X, y, params)
        assert result.accuracy == 0.5
        assert result.loss == pytest.approx(math.log(2.0), rel=1e-15)
        # Residuals σ(0) − y = ∓½: Σ r·x1 = (−1 − 3 + 0 − 2)/2,
        # Σ r·x2 = (−2 + 0.5 + 0 − 2)/2 and Σ r = 0.
        assert np.array_equal(result.gradient, [-3.0 / 4, -1.75 / 4, 0.0])


@pytest.mark.parametrize("n", [50, CHUNK + 3, PARALLEL_MIN + 3])
def test_near_ties_round_like_the_model(n):
    # Points put on the line w·x + b = 0 in floating point: z is a rounding error of
    # either sign (or 0), so only a bit-for-bit equal z gives the model's accuracy.
    rng = np.random.default_rng(n)
    params = np.array([0.7, -1.3, 0.1])
    x1 = rng.normal(size=n) * 10
    x2 = -(params[0] * x1 + params[2]) / params[1]
    X = np.column_stack([x1, x2])
    y = (rng.random(n) < 0.5).astype(float)
    z = scores(X, params)
    assert np.count_nonzero(z > 0) and np.count_nonzero(z < 0) and np.all(np.abs(z) < 1e-13)
    assert_agrees_with_model(evaluate(X, y, params), X, y, params)


# --- extreme margins and features --------------------------------------------------------------


@pytest.mark.parametrize("z", [800.0, -800.0, 1e4, -1e4, 1e300, -1e300])
def test_extreme_scores_stay_finite_and_exact(z):
    X = np.array([[1.0, 0.0], [1.0, 0.0], [0.5, 2.0]])
    y = np.array([0.0, 1.0, 1.0])
    params = np.array([z, 0.0, 0.0])
    result = evaluate(X, y, params)
    assert math.isfinite(result.loss) and np.all(np.isfinite(result.gradient))
    assert_agrees_with_model(result, X, y, params)


def test_huge_confident_margins_do_not_swamp_a_small_loss():
    # Two losses of ln(1 + e^(−1e20)) = 0 and one of softplus(0.5): summing m and |m|
    # separately would cancel 1e20-sized terms and lose the 0.5 entirely.
    X = np.array([[1e20, 0.0], [1e20, 0.0], [0.5, 0.0]])
    y = np.array([1.0, 1.0, 0.0])
    params = np.array([1.0, 0.0, 0.0])
    expected = (0.5 + math.log1p(math.exp(-0.5))) / 3
    assert evaluate(X, y, params).loss == pytest.approx(expected, rel=1e-15)
    assert_agrees_with_model(evaluate(X, y, params), X, y, params)


@pytest.mark.parametrize("n", [1000, PARALLEL_MIN + 3])
def test_margins_up_to_1e4_of_both_signs(n):
    rng = np.random.default_rng(n)
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] > 0).astype(float)
    y[::97] = 1.0 - y[::97]  # a few points on the wrong side, by thousands
    for params in ([3000.0, 1.0, 0.0], [-9000.0, 500.0, -20.0], [30.0, 0.0, 0.0]):
        z = scores(X, np.array(params))
        assert np.max(np.abs(z)) > 1000 or params[0] == 30.0
        assert_agrees_with_model(evaluate(X, y, params), X, y, params)


@pytest.mark.parametrize(
    "params", [[1e-150, -2e-150, 0.5], [1.0, 1.0, 0.0], [3e-151, 0.0, -1.0], [1e160, 0.0, 0.0]]
)
def test_features_up_to_1e150(params):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2)) * 1e150
    y = (rng.random(200) < 0.5).astype(float)
    # The last set overflows z to ±inf: the loss is inf, exactly as in the model.
    assert_agrees_with_model(evaluate(X, y, params), X, y, params)


# --- precision of the loss where its terms are tiny --------------------------------------------


def reference_loss(X, y, params) -> float:
    """Mean log loss with Python's math, one point at a time, summed exactly (math.fsum)."""
    terms = []
    for (x1, x2), label in zip(X.tolist(), y.tolist()):
        z = params[0] * x1 + params[1] * x2 + params[2]
        m = -z if label == 1.0 else z
        terms.append(max(m, 0.0) + math.log1p(math.exp(-abs(m))))
    return math.fsum(terms) / len(terms)


@pytest.mark.parametrize("low, high", [(-40.0, -30.0), (-37.0, -1.0), (-700.0, -600.0), (-5.0, 5.0)])
def test_loss_of_confident_points_keeps_its_digits(low, high):
    # Margins m = s·z in [low, high]: for m < −36 each term is ~e^m < 1e-16, where
    # log(1 + e) would round to 0; log1p keeps them, and so must the mean.
    rng = np.random.default_rng(int(-low))
    n = 3000
    m = rng.uniform(low, high, size=n)
    y = (rng.random(n) < 0.5).astype(float)
    X = np.column_stack([m * (1.0 - 2.0 * y), np.zeros(n)])  # z = x1 with params [1, 0, 0]
    params = [1.0, 0.0, 0.0]
    result = evaluate(X, y, params)
    assert result.loss == pytest.approx(reference_loss(X, y, params), rel=LOSS_RTOL)
    assert_agrees_with_model(result, X, y, params)


def test_separable_data_near_its_optimum():
    # Large weights on separable data: a mean loss ~1e-30 and a gradient ~1e-30,
    # both to their last digits.
    rng = np.random.default_rng(2)
    X = rng.normal(size=(5000, 2))
    X[:, 0] += np.where(X[:, 0] > 0, 1.0, -1.0)
    y = (X[:, 0] > 0).astype(float)
    params = np.array([70.0, 0.0, 0.0])
    result = evaluate(X, y, params)
    assert 0.0 < result.loss < 1e-25
    assert result.loss == pytest.approx(reference_loss(X, y, params), rel=LOSS_RTOL)
    assert_agrees_with_model(result, X, y, params)


# --- inputs -----------------------------------------------------------------------------------


def test_accepts_lists_integers_and_any_memory_order():
    X = np.asfortranarray(np.array([[1, 2], [3, -4], [0, 1], [-2, 2]]))
    y = [0, 1, 1, 0]
    params = [0.5, -0.25, 0.1]
    assert_agrees_with_model(evaluate(X, y, params), X, y, params)
    assert_agrees_with_model(evaluate(X.tolist(), np.array(y, dtype=float), tuple(params)), X, y, params)


def test_rejects_labels_other_than_0_and_1():
    with pytest.raises(ValueError):
        FullDataEvaluator(np.zeros((3, 2)), np.array([0.0, 0.5, 1.0]))


@settings(max_examples=60, deadline=None, database=None)
@given(
    data=st.integers(1, 40).flatmap(
        lambda n: st.tuples(
            arrays(np.float64, (n, 2), elements=st.floats(-1e3, 1e3, allow_nan=False)),
            arrays(np.float64, (n,), elements=st.sampled_from([0.0, 1.0])),
        )
    ),
    params=arrays(np.float64, (3,), elements=st.floats(-100, 100, allow_nan=False)),
)
def test_agrees_with_the_model_on_random_small_data(data, params):
    X, y = data
    assert_agrees_with_model(evaluate(X, y, params), X, y, params)
