"""Standardisation (logit.scaling) and training on standardised features."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

from logit.model import predict_proba, scores
from logit.scaling import Standardizer
from logit.training import TrainingSettings, train
from strategies import FAST, parameters, spread_datasets


@FAST
@given(data=spread_datasets(min_n=3))
def test_fit_gives_zero_mean_and_unit_spread(data):
    X, _ = data
    scaler = Standardizer.fit(X)
    Xt = scaler.transform(X)
    assert Xt.shape == X.shape
    np.testing.assert_allclose(Xt.mean(axis=0), 0.0, atol=1e-9)
    np.testing.assert_allclose(Xt.std(axis=0), 1.0, rtol=1e-9)
    np.testing.assert_allclose(scaler.mean, X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(scaler.scale, X.std(axis=0), rtol=1e-12)


@FAST
@given(data=spread_datasets(), params=parameters(bound=20.0))
def test_params_round_trip_and_describe_the_same_scores(data, params):
    X, _ = data
    scaler = Standardizer.fit(X)
    original = scaler.params_to_original(params)
    np.testing.assert_allclose(scaler.params_from_original(original), params, rtol=1e-9, atol=1e-9)
    # w'·x' + b' in trained units is w·x + b in original units, point by point.
    z_trained = scores(scaler.transform(X), params)
    z_original = scores(X, original)
    np.testing.assert_allclose(z_original, z_trained, rtol=1e-9, atol=1e-9 * (1 + np.abs(params).sum() * (1 + np.abs(scaler.mean / scaler.scale).max())))


def test_params_conversion_keeps_the_shape():
    scaler = Standardizer(np.array([1.0, -2.0]), np.array([2.0, 0.5]))
    history = np.arange(12.0).reshape(4, 3)
    converted = scaler.params_to_original(history)
    assert converted.shape == (4, 3)
    np.testing.assert_allclose(converted[2], scaler.params_to_original(history[2]))
    np.testing.assert_allclose(scaler.params_from_original(converted), history)
    # w = w'/scale, b = b' − Σ w'·mean/scale, written out.
    w1, w2, b = 3.0, 4.0, 5.0
    np.testing.assert_allclose(converted[1], [w1 / 2.0, w2 / 0.5, b - (w1 * 1.0 / 2.0 + w2 * -2.0 / 0.5)])


def test_identity_changes_nothing():
    scaler = Standardizer.identity()
    assert scaler.is_identity
    X = np.array([[1.0, 2.0], [3.0, -4.0]])
    np.testing.assert_array_equal(scaler.transform(X), X)
    params = np.array([1.0, 2.0, 3.0])
    converted = scaler.params_to_original(params)
    np.testing.assert_array_equal(converted, params)
    converted[0] = 99.0  # a copy, not a view of the caller's array
    assert params[0] == 1.0


@FAST
@given(data=spread_datasets())
def test_a_standardised_run_predicts_the_same_on_original_features(data):
    X, y = data
    run = train(X, y, TrainingSettings(learning_rate=0.5, max_iterations=40, standardize=True, l2=0.01))
    assert not run.scaler.is_identity
    Xt = run.scaler.transform(X)
    for k in range(run.iterations + 1):
        np.testing.assert_allclose(
            predict_proba(X, run.params_original[k]), predict_proba(Xt, run.params[k]), rtol=1e-9, atol=1e-12
        )
    np.testing.assert_array_equal(run.final_params_original, run.params_original[-1])


def test_an_unstandardised_run_reports_its_params_unchanged():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]])
    y = np.array([0.0, 1.0, 1.0])
    run = train(X, y, TrainingSettings(max_iterations=5))
    assert run.scaler.is_identity
    np.testing.assert_array_equal(run.params_original, run.params)


def test_a_constant_feature_does_not_crash():
    X = np.array([[3.0, 7.0], [3.0, -1.0], [3.0, 2.0], [3.0, 5.0]])
    y = np.array([0.0, 1.0, 0.0, 1.0])
    scaler = Standardizer.fit(X)
    assert scaler.scale[0] == 1.0 and scaler.mean[0] == 3.0
    np.testing.assert_array_equal(scaler.transform(X)[:, 0], 0.0)
    run = train(X, y, TrainingSettings(learning_rate=0.5, max_iterations=50, standardize=True))
    assert np.all(np.isfinite(run.params)) and np.all(np.isfinite(run.params_original))
    assert run.status in ("converged", "max_iterations")
    # Both columns constant as well.
    flat = np.ones((4, 2))
    np.testing.assert_array_equal(Standardizer.fit(flat).scale, [1.0, 1.0])


@pytest.mark.parametrize("scale", [1e150, 1e-150])
def test_features_near_1e150_and_1e_150_train_without_warnings(scale):
    rng = np.random.default_rng(2)
    base = rng.normal(size=(50, 2)) * [1.0, 3.0] + [4.0, -1.0]
    y = (base[:, 0] - 4.0 + 0.3 * base[:, 1] + rng.normal(scale=0.5, size=50) > 0).astype(float)
    X = base * scale
    scaler = Standardizer.fit(X)
    assert np.all(np.isfinite(scaler.scale)) and np.all(scaler.scale > 0)
    np.testing.assert_allclose(scaler.transform(X), Standardizer.fit(base).transform(base), rtol=1e-9, atol=1e-9)

    run = train(X, y, TrainingSettings(learning_rate=1.0, max_iterations=2000, standardize=True))
    reference = train(base, y, TrainingSettings(learning_rate=1.0, max_iterations=2000, standardize=True))
    assert run.status == "converged"
    # The same problem in trained units, whatever the original scale.
    np.testing.assert_allclose(run.params[-1], reference.params[-1], rtol=1e-6, atol=1e-9)
    final = run.final_params_original
    assert np.all(np.isfinite(final))
    np.testing.assert_allclose(predict_proba(X, final), predict_proba(scaler.transform(X), run.params[-1]), atol=1e-9)
