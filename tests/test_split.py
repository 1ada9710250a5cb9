"""Train/test split (stratified, seeded) and the loss and accuracy of a whole run on any points."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from logit import Dataset, DataError, SettingsError, TrainingSettings, generate, train
from logit.model import log_loss, scores
from logit.split import path_metrics, score_threshold, split_indices, train_test_split
from strategies import FAST


def labels(n0: int, n1: int, seed: int = 0) -> np.ndarray:
    y = np.r_[np.zeros(n0), np.ones(n1)]
    return np.random.default_rng(seed).permutation(y)


def dataset(n0: int, n1: int) -> Dataset:
    rng = np.random.default_rng(n0 * 1000 + n1)
    y = labels(n0, n1)
    return Dataset(rng.normal(size=(n0 + n1, 2)), y, ("a", "b"), "label", ("no", "yes"), source="made up")


# --- the split --------------------------------------------------------------------------------


def test_split_keeps_names_classes_and_proportions():
    data = generate("overlap", n=200, seed=3)
    train, test = train_test_split(data, 0.25, seed=0)
    assert (train.n, test.n) == (150, 50)
    assert (train.n_positive, test.n_positive) == (75, 25)
    for part in (train, test):
        assert part.feature_names == data.feature_names and part.classes == data.classes
        assert part.label_name == data.label_name and part.source == data.source
        assert part.notices == ()


def test_parts_are_disjoint_cover_everything_and_keep_the_order():
    data = dataset(37, 64)
    train_rows, test_rows = split_indices(data.y, 0.3, seed=5)
    assert np.all(np.diff(train_rows) > 0) and np.all(np.diff(test_rows) > 0)
    assert np.array_equal(np.sort(np.r_[train_rows, test_rows]), np.arange(data.n))
    train, test = train_test_split(data, 0.3, seed=5)
    np.testing.assert_array_equal(train.X, data.X[train_rows])
    np.testing.assert_array_equal(test.y, data.y[test_rows])


def test_same_seed_same_split_other_seed_other_split():
    y = labels(50, 50)
    first = split_indices(y, 0.25, seed=1)
    again = split_indices(y, 0.25, seed=1)
    other = split_indices(y, 0.25, seed=2)
    assert np.array_equal(first[1], again[1])
    assert not np.array_equal(first[1], other[1])


def test_imbalanced_data_keep_both_classes_in_both_parts():
    y = labels(95, 5)
    train_rows, test_rows = split_indices(y, 0.1, seed=0)
    assert set(y[train_rows]) == set(y[test_rows]) == {0.0, 1.0}
    # a tiny class still gets one test point even when its share would round to 0
    train_rows, test_rows = split_indices(labels(97, 3), 0.1, seed=0)
    assert np.count_nonzero(labels(97, 3)[test_rows] == 1) == 1


def test_smallest_split():
    train, test = train_test_split(dataset(2, 2), 0.5, seed=0)
    assert train.n == test.n == 2
    assert train.n_positive == test.n_positive == 1
    # a one-point class stays in the training part
    y = labels(4, 1)
    train_rows, test_rows = split_indices(y, 0.5, seed=0)
    assert np.count_nonzero(y[train_rows] == 1) == 1 and len(test_rows) == 3  # round(2.5) = 3


@FAST
@given(n0=st.integers(0, 60), n1=st.integers(0, 60), fraction=st.floats(0.01, 0.99), seed=st.integers(0, 2**32))
def test_split_properties(n0, n1, fraction, seed):
    n = n0 + n1
    if n < 4:
        with pytest.raises(DataError) as error:
            split_indices(labels(n0, n1), fraction, seed)
        assert error.value.code == "split_too_few_rows"
        return
    y = labels(n0, n1, seed % 7)
    train_rows, test_rows = split_indices(y, fraction, seed)
    assert len(test_rows) == min(max(math.floor(n * fraction + 0.5), 2), n - 2)
    assert len(train_rows) + len(test_rows) == n
    assert not set(train_rows) & set(test_rows)
    for label, count in ((0.0, n0), (1.0, n1)):
        in_test = np.count_nonzero(y[test_rows] == label)
        if count >= 2:  # both parts hold the class
            assert 1 <= in_test <= count - 1
        else:
            assert in_test == 0
        # stratified: within one point of the class's exact share of the test part, when the clamps allow
        share = count * len(test_rows) / n
        if count >= 2 and 1 <= share <= count - 1:
            assert abs(in_test - share) < 1 + 1e-9


@pytest.mark.parametrize("fraction", [0, 1, -0.1, 1.5, math.nan, math.inf, "0.2", True, None])
def test_bad_fraction(fraction):
    with pytest.raises(SettingsError) as error:
        train_test_split(dataset(5, 5), fraction, seed=0)
    assert error.value.code == "test_fraction"
    assert "greater than 0 and less than 1" in str(error.value)


@pytest.mark.parametrize("seed", [-1, 1.5, "1", None, True])
def test_bad_seed(seed):
    with pytest.raises(SettingsError) as error:
        train_test_split(dataset(5, 5), 0.25, seed=seed)
    assert error.value.code == "split_seed"


def test_too_few_points():
    with pytest.raises(DataError) as error:
        train_test_split(dataset(2, 1), 0.5, seed=0)
    assert error.value.code == "split_too_few_rows" and "3" in str(error.value)


# --- the metrics of a whole run ---------------------------------------------------------------


def reference(params: np.ndarray, X: np.ndarray, y: np.ndarray, cut: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """One iteration at a time with the model's own functions."""
    loss = np.array([np.mean(log_loss(y, scores(X, p))) for p in params])
    accuracy = np.array([np.mean((scores(X, p) >= cut) == (y == 1)) for p in params])
    return loss, accuracy


def test_on_the_training_data_it_reproduces_the_trajectory():
    data = generate("overlap", n=300, seed=1)
    run = train(data.X, data.y, TrainingSettings(max_iterations=200))
    loss, accuracy = path_metrics(run.params_original, data.X, data.y)
    np.testing.assert_allclose(loss, run.loss, rtol=1e-12)
    np.testing.assert_array_equal(accuracy, run.accuracy)  # the same rule z ≥ 0, the same z


def test_matches_the_model_iteration_by_iteration_and_chunking_changes_nothing():
    data = generate("blobs", n=120, seed=2)
    run = train(data.X, data.y, TrainingSettings(max_iterations=60, standardize=True, learning_rate=0.5))
    train_part, test_part = train_test_split(data, 0.25, seed=0)
    loss, accuracy = path_metrics(run.params_original, test_part.X, test_part.y)
    expected_loss, expected_accuracy = reference(run.params_original, test_part.X, test_part.y)
    np.testing.assert_allclose(loss, expected_loss, rtol=1e-13, atol=1e-300)
    np.testing.assert_array_equal(accuracy, expected_accuracy)
    for chunk in (1, 7, 30, 10**9):
        again = path_metrics(run.params_original, test_part.X, test_part.y, chunk_elements=chunk)
        np.testing.assert_array_equal(again[0], loss)
        np.testing.assert_array_equal(again[1], accuracy)


@FAST
@given(seed=st.integers(0, 2**32), t=st.floats(0.01, 0.99), n=st.integers(1, 40))
def test_threshold_is_decided_on_the_score(seed, t, n):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)) * 3
    y = (rng.random(n) < 0.5).astype(float)
    params = rng.normal(size=(5, 3)) * 2
    loss, accuracy = path_metrics(params, X, y, threshold=t)
    expected_loss, expected_accuracy = reference(params, X, y, math.log(t / (1 - t)))
    np.testing.assert_allclose(loss, expected_loss, rtol=1e-13)
    np.testing.assert_array_equal(accuracy, expected_accuracy)
    # the loss does not depend on the threshold
    np.testing.assert_array_equal(path_metrics(params, X, y, threshold=0.5)[0], loss)


def test_extreme_scores_stay_finite_and_quiet():
    X = np.array([[1.0, 0.0], [-1.0, 0.0]])
    y = np.array([1.0, 0.0])
    params = np.array([[800.0, 0.0, 0.0], [-800.0, 0.0, 0.0], [1e308, 0.0, 0.0]])
    loss, accuracy = path_metrics(params, X, y)  # warnings are errors in this suite
    assert loss[0] == pytest.approx(0.0, abs=1e-300) and loss[0] >= 0
    assert loss[1] == pytest.approx(800.0)
    assert list(accuracy) == [1.0, 0.0, 1.0]
    # inf − inf: an undefined score gives an undefined loss (as logit.model.log_loss) and counts as predicted 0
    undefined = path_metrics(np.array([[1e308, 1e308, 0.0]]), np.array([[1e10, -1e10]]), np.array([1.0]))
    assert np.isnan(undefined[0][0]) and undefined[1][0] == 0.0


def test_threshold_ends():
    X = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]])
    y = np.array([1.0, 0.0, 1.0])
    params = np.array([[2.0, 0.0, 0.0]])
    assert path_metrics(params, X, y, threshold=0.0)[1][0] == pytest.approx(2 / 3)  # all predicted 1
    assert path_metrics(params, X, y, threshold=1.0)[1][0] == pytest.approx(1 / 3)  # none predicted 1
    assert score_threshold(0.5) == 0.0
    assert score_threshold(0.0) == -math.inf and score_threshold(1.0) == math.inf
    assert score_threshold(0.7) == pytest.approx(math.log(0.7 / 0.3))


@pytest.mark.parametrize("args, error_type, code", [
    ((np.zeros(3), np.zeros((2, 2)), np.zeros(2)), SettingsError, "params_shape"),
    ((np.zeros((4, 2)), np.zeros((2, 2)), np.zeros(2)), SettingsError, "params_shape"),
    ((np.zeros((4, 3)), np.zeros((2, 3)), np.zeros(2)), DataError, "features_shape"),
    ((np.zeros((4, 3)), np.zeros((2, 2)), np.zeros(3)), DataError, "labels_shape"),
    ((np.zeros((4, 3)), np.zeros((0, 2)), np.zeros(0)), DataError, "no_points"),
    ((np.zeros((4, 3)), np.array([[np.nan, 0.0]]), np.zeros(1)), DataError, "non_finite_features"),
    ((np.zeros((4, 3)), np.zeros((2, 2)), np.array([0.0, 2.0])), DataError, "labels_values"),
])
def test_bad_input(args, error_type, code):
    with pytest.raises(error_type) as error:
        path_metrics(*args)
    assert error.value.code == code


@pytest.mark.parametrize("threshold", [-0.1, 1.1, math.nan, "0.5", None])
def test_bad_threshold(threshold):
    with pytest.raises(SettingsError) as error:
        path_metrics(np.zeros((1, 3)), np.zeros((2, 2)), np.zeros(2), threshold=threshold)
    assert error.value.code == "threshold"
