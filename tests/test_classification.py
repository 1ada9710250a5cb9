"""Confusion matrix, precision, recall and accuracy by threshold, against scikit-learn."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from logit import DataError, SettingsError, generate, train
from logit.classification import (
    ThresholdMetrics,
    accuracy_by_threshold,
    confusion_matrix,
    predict,
    threshold_metrics,
)
from logit.model import predict_proba
from strategies import FAST

sklearn_metrics = pytest.importorskip("sklearn.metrics")

# Probabilities on a coarse grid, so that ties with the threshold happen often.
probabilities = st.one_of(st.floats(0, 1), st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]))
thresholds = st.one_of(st.floats(0, 1), st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]))


@st.composite
def scored(draw, min_n: int = 1, max_n: int = 40):
    n = draw(st.integers(min_n, max_n))
    y = draw(arrays(np.float64, (n,), elements=st.sampled_from([0.0, 1.0])))
    p = draw(arrays(np.float64, (n,), elements=probabilities))
    return y, p


@FAST
@given(data=scored(), t=thresholds)
def test_agrees_with_scikit_learn(data, t):
    y, p = data
    predicted = (p >= t).astype(int)
    expected = sklearn_metrics.confusion_matrix(y.astype(int), predicted, labels=[0, 1])
    matrix = confusion_matrix(y, p, t)
    np.testing.assert_array_equal(matrix, expected)
    np.testing.assert_array_equal(predict(p, t), predicted)
    metrics = threshold_metrics(y, p, t)
    assert metrics.accuracy == pytest.approx(sklearn_metrics.accuracy_score(y.astype(int), predicted))
    precision = sklearn_metrics.precision_score(y.astype(int), predicted, labels=[0, 1], zero_division=np.nan)
    recall = sklearn_metrics.recall_score(y.astype(int), predicted, labels=[0, 1], zero_division=np.nan)
    if math.isnan(precision):
        assert metrics.precision is None
    else:
        assert metrics.precision == pytest.approx(precision)
    if math.isnan(recall):
        assert metrics.recall is None
    else:
        assert metrics.recall == pytest.approx(recall)


@FAST
@given(data=scored(), t=thresholds)
def test_counts_add_up(data, t):
    y, p = data
    m = threshold_metrics(y, p, t)
    assert m.n == len(y) == m.tn + m.fp + m.fn + m.tp
    assert m.matrix.dtype == np.int64 and m.matrix.shape == (2, 2)
    assert m.tp + m.fn == np.count_nonzero(y == 1)  # each row is one actual class
    assert m.tn + m.fp == np.count_nonzero(y == 0)
    assert m.tp + m.fp == np.count_nonzero(p >= t)  # each column one predicted class
    assert m.accuracy == pytest.approx((m.tn + m.tp) / m.n)


@FAST
@given(data=scored())
def test_threshold_zero_predicts_everything_as_one(data):
    y, p = data
    m = threshold_metrics(y, p, 0.0)
    assert m.tn == m.fn == 0
    assert m.recall in (None, 1.0)
    assert m.accuracy == pytest.approx(np.mean(y == 1))


@FAST
@given(data=scored())
def test_raising_the_threshold_never_predicts_more_ones(data):
    y, p = data
    grid = np.linspace(0, 1, 21)
    predicted_ones = [int(confusion_matrix(y, p, t)[:, 1].sum()) for t in grid]
    assert predicted_ones == sorted(predicted_ones, reverse=True)
    recalls = [threshold_metrics(y, p, t).recall for t in grid]
    if recalls[0] is not None:
        assert recalls == sorted(recalls, reverse=True)


@FAST
@given(data=scored(), grid=arrays(np.float64, st.integers(1, 30), elements=thresholds))
def test_sweep_equals_one_threshold_at_a_time(data, grid):
    y, p = data
    expected = np.array([threshold_metrics(y, p, t).accuracy for t in grid])
    np.testing.assert_allclose(accuracy_by_threshold(y, p, grid), expected, rtol=0, atol=1e-15)


def test_undefined_precision_and_recall_are_none_without_warnings():
    y = np.array([0.0, 0.0, 0.0])
    p = np.array([0.1, 0.2, 0.3])
    m = threshold_metrics(y, p, 0.5)
    assert m.precision is None and m.recall is None and m.accuracy == 1.0
    m = threshold_metrics(np.array([1.0, 1.0]), np.array([0.1, 0.2]), 0.5)
    assert m.precision is None and m.recall == 0.0


def test_a_trained_model_at_one_half_matches_the_run_accuracy():
    data = generate("overlap", n=400, seed=4)
    run = train(data.X, data.y)
    p = predict_proba(data.X, run.params[-1])
    assert threshold_metrics(data.y, p, 0.5).accuracy == run.accuracy[-1]
    sweep = accuracy_by_threshold(data.y, p, [0.5])
    assert sweep[0] == run.accuracy[-1]


def test_the_result_is_read_only_and_compared_by_identity():
    m = threshold_metrics(np.array([0.0, 1.0]), np.array([0.2, 0.9]), 0.5)
    assert isinstance(m, ThresholdMetrics)
    with pytest.raises(ValueError):
        m.matrix[0, 0] = 5
    assert m != threshold_metrics(np.array([0.0, 1.0]), np.array([0.2, 0.9]), 0.5)


@pytest.mark.parametrize("threshold", [-0.01, 1.01, math.nan, math.inf, "0.5", None, True])
def test_bad_threshold(threshold):
    with pytest.raises(SettingsError) as error:
        confusion_matrix(np.array([0.0, 1.0]), np.array([0.2, 0.9]), threshold)
    assert error.value.code == "threshold"


@pytest.mark.parametrize("grid", [[0.5, 1.5], [math.nan], [[0.5]]])
def test_bad_sweep(grid):
    with pytest.raises(SettingsError) as error:
        accuracy_by_threshold(np.array([0.0, 1.0]), np.array([0.2, 0.9]), grid)
    assert error.value.code == "threshold"


@pytest.mark.parametrize("y, p, code", [
    (np.array([0.0, 1.0]), np.array([0.2]), "probability_shape"),
    (np.array([0.0, 2.0]), np.array([0.2, 0.3]), "labels_values"),
    (np.array([0.0, 1.0]), np.array([0.2, 1.5]), "probability_values"),
    (np.array([0.0, 1.0]), np.array([0.2, math.nan]), "probability_values"),
    (np.array([]), np.array([]), "no_points"),
    (np.zeros((2, 2)), np.zeros((2, 2)), "labels_shape"),
])
def test_bad_data(y, p, code):
    with pytest.raises(DataError) as error:
        threshold_metrics(y, p, 0.5)
    assert error.value.code == code
