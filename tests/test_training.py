"""Gradient descent runs (logit.training): settings, the recorded history, statuses,
mini-batches, extending a run, agreement with scikit-learn, numerical extremes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from logit.errors import SettingsError
from logit.model import cost, gradient, scores
from logit.training import TrainingSettings, extend, stable_learning_rate, train
from strategies import FAST, spread_datasets

TRAJECTORY_ARRAYS = ("params", "gradients", "loss", "accuracy", "gradient_norm")


def noisy_data(n: int = 40, seed: int = 0, scale=(1.0, 1.0), shift=(0.0, 0.0)):
    """Two overlapping classes (not separable, so the optimum is finite)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] - 0.5 * X[:, 1] + rng.normal(scale=0.8, size=n) > 0).astype(float)
    return X * np.asarray(scale) + np.asarray(shift), y


def assert_all_finite(trajectory) -> None:
    for name in TRAJECTORY_ARRAYS:
        values = getattr(trajectory, name)
        assert np.all(np.isfinite(values)), f"{name} has a non-finite entry"


def assert_same_run(a, b) -> None:
    for name in TRAJECTORY_ARRAYS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert a.status == b.status
    assert a.reason == b.reason
    np.testing.assert_array_equal(a.scaler.mean, b.scaler.mean)
    np.testing.assert_array_equal(a.scaler.scale, b.scaler.scale)


# --- settings -----------------------------------------------------------------------------------

BAD_SETTINGS = [
    ("learning_rate", 0.0, "learning_rate"),
    ("learning_rate", -0.1, "learning_rate"),
    ("learning_rate", math.nan, "learning_rate"),
    ("learning_rate", math.inf, "learning_rate"),
    ("learning_rate", "0.1", "learning_rate"),
    ("learning_rate", None, "learning_rate"),
    ("learning_rate", True, "learning_rate"),
    ("max_iterations", -1, "iterations"),
    ("max_iterations", 2.5, "iterations"),
    ("max_iterations", True, "iterations"),
    ("batch_size", 0, "batch_size"),
    ("batch_size", -3, "batch_size"),
    ("batch_size", 1.5, "batch_size"),
    ("batch_size", True, "batch_size"),
    ("l2", -0.5, "l2"),
    ("l2", math.nan, "l2"),
    ("tolerance", 0.0, "tolerance"),
    ("tolerance", math.nan, "tolerance"),
    ("init", (1.0, 2.0), "initial_parameters"),
    ("init", (math.nan, 0.0, 0.0), "initial_parameters"),
    ("init", (0.0, math.inf, 0.0), "initial_parameters"),
    ("init", "abc", "initial_parameters"),
    ("init", None, "initial_parameters"),
    ("init", ((1.0, 2.0, 3.0),), "initial_parameters"),
]


@pytest.mark.parametrize(("field", "value", "code"), BAD_SETTINGS)
def test_bad_settings_raise_a_settings_error_that_says_what_and_how(field, value, code):
    with pytest.raises(SettingsError) as caught:
        TrainingSettings(**{field: value})
    error = caught.value
    assert error.code == code
    message = str(error)
    assert message.startswith("Expected")
    assert str(value) in message  # what was found
    assert "Use" in message  # how to fix it


def test_good_settings_are_normalised():
    settings = TrainingSettings(max_iterations=np.int64(5), batch_size=np.int32(3), init=[1, 2, 3])
    assert settings.max_iterations == 5 and type(settings.max_iterations) is int
    assert settings.batch_size == 3 and type(settings.batch_size) is int
    assert settings.init == (1.0, 2.0, 3.0)


def test_extend_rejects_a_negative_number_of_iterations():
    X, y = noisy_data()
    run = train(X, y, TrainingSettings(max_iterations=3))
    with pytest.raises(SettingsError) as caught:
        extend(run, X, y, -1)
    assert caught.value.code == "iterations"


def test_a_starting_point_with_an_infinite_loss_is_rejected():
    X = np.array([[1e300, 0.0], [-1e300, 1.0]])
    y = np.array([0.0, 1.0])
    with pytest.raises(SettingsError) as caught:
        train(X, y, TrainingSettings(init=(1e300, 0.0, 0.0)))
    assert caught.value.code == "start_not_finite"
    assert "1e+300" in str(caught.value) and "standardise" in str(caught.value)


# --- the recorded history ------------------------------------------------------------------------


def test_zero_iterations_gives_one_row():
    X, y = noisy_data()
    run = train(X, y, TrainingSettings(max_iterations=0, init=(0.3, -0.2, 0.1)))
    assert run.iterations == 0
    assert run.params.shape == (1, 3) and run.gradients.shape == (1, 3)
    assert run.loss.shape == run.accuracy.shape == run.gradient_norm.shape == (1,)
    np.testing.assert_array_equal(run.params[0], [0.3, -0.2, 0.1])
    assert run.status == "max_iterations"
    assert run.loss[0] == pytest.approx(cost(X, y, run.params[0]), rel=1e-12)


@FAST
@given(
    data=spread_datasets(),
    iterations=st.integers(0, 25),
    batch_size=st.sampled_from([None, 1, 3, 7]),
    l2=st.sampled_from([0.0, 0.1]),
    standardize=st.booleans(),
)
def test_history_shapes_and_the_update_rule(data, iterations, batch_size, l2, standardize):
    """Shapes (K+1, 3), and params[k+1] = params[k] − α·gradients[k] exactly: the recorded
    gradient is the one the step used."""
    X, y = data
    alpha = 0.1 if standardize else 0.5 * max(stable_learning_rate(X), 1e-12)
    settings = TrainingSettings(
        learning_rate=alpha, max_iterations=iterations, batch_size=batch_size, l2=l2,
        standardize=standardize, tolerance=1e-300,
    )
    run = train(X, y, settings)
    K = run.iterations
    assert run.status == "max_iterations" and K == iterations
    assert run.params.shape == run.gradients.shape == (K + 1, 3)
    assert run.loss.shape == run.accuracy.shape == run.gradient_norm.shape == (K + 1,)
    np.testing.assert_array_equal(run.params[1:], run.params[:-1] - alpha * run.gradients[:-1])
    # Loss, accuracy and gradient length are full-data values, whatever the batch.
    Xt = run.scaler.transform(X)
    for k in range(K + 1):
        p = run.params[k]
        assert run.loss[k] == pytest.approx(cost(Xt, y, p), rel=1e-9)
        assert run.accuracy[k] == np.mean((scores(Xt, p) >= 0) == (y == 1))
        assert run.gradient_norm[k] == pytest.approx(np.linalg.norm(gradient(Xt, y, p, l2)), rel=1e-9, abs=1e-15)


@FAST
@given(data=spread_datasets(), l2=st.sampled_from([0.0, 0.05, 1.0]), standardize=st.booleans())
def test_full_batch_gradient_is_the_model_gradient_at_every_iteration(data, l2, standardize):
    X, y = data
    alpha = 0.5 if standardize else max(stable_learning_rate(X), 1e-12)
    run = train(X, y, TrainingSettings(learning_rate=alpha, max_iterations=20, l2=l2, standardize=standardize))
    Xt = run.scaler.transform(X)
    for k in range(run.iterations + 1):
        expected = gradient(Xt, y, run.params[k], l2)
        np.testing.assert_allclose(run.gradients[k], expected, rtol=1e-9, atol=1e-13 * (1 + np.max(np.abs(Xt))))
        assert run.gradient_norm[k] == pytest.approx(np.linalg.norm(run.gradients[k]), rel=1e-12, abs=1e-300)


def test_one_step_by_hand():
    """One iteration of the lecture's formulas on three points, computed with math.exp."""
    X = np.array([[1.0, 2.0], [-1.0, 0.5], [2.0, -1.0]])
    y = np.array([1.0, 0.0, 1.0])
    w1, w2, b = 0.5, -0.25, 0.1
    alpha, lam = 0.3, 0.2

    # z_i, ŷ_i = 1 / (1 + e^(−z_i)) and L_i = −y ln ŷ − (1−y) ln(1−ŷ), point by point.
    z1 = 0.5 * 1.0 + (-0.25) * 2.0 + 0.1  # 0.1
    z2 = 0.5 * (-1.0) + (-0.25) * 0.5 + 0.1  # −0.525
    z3 = 0.5 * 2.0 + (-0.25) * (-1.0) + 0.1  # 1.35
    yhat1 = 1 / (1 + math.exp(-z1))
    yhat2 = 1 / (1 + math.exp(-z2))
    yhat3 = 1 / (1 + math.exp(-z3))
    loss = (-math.log(yhat1) - math.log(1 - yhat2) - math.log(yhat3)) / 3
    # ∂L/∂w1 = −(y − ŷ)·x1 per point, averaged; then + λ·w for the weights.
    dw1 = (-(1 - yhat1) * 1.0 - (0 - yhat2) * (-1.0) - (1 - yhat3) * 2.0) / 3
    dw2 = (-(1 - yhat1) * 2.0 - (0 - yhat2) * 0.5 - (1 - yhat3) * (-1.0)) / 3
    db = (-(1 - yhat1) - (0 - yhat2) - (1 - yhat3)) / 3
    accuracy = (1 + 1 + 1) / 3  # z1 ≥ 0 with y=1, z2 < 0 with y=0, z3 ≥ 0 with y=1

    run = train(X, y, TrainingSettings(learning_rate=alpha, max_iterations=1, init=(w1, w2, b)))
    np.testing.assert_allclose(run.gradients[0], [dw1, dw2, db], rtol=1e-13)
    np.testing.assert_allclose(run.params[1], [w1 - alpha * dw1, w2 - alpha * dw2, b - alpha * db], rtol=1e-13)
    assert run.loss[0] == pytest.approx(loss, rel=1e-13)
    assert run.accuracy[0] == accuracy

    regular = train(X, y, TrainingSettings(learning_rate=alpha, max_iterations=1, init=(w1, w2, b), l2=lam))
    dw1_l2, dw2_l2 = dw1 + lam * w1, dw2 + lam * w2
    np.testing.assert_allclose(regular.gradients[0], [dw1_l2, dw2_l2, db], rtol=1e-13)
    np.testing.assert_allclose(
        regular.params[1], [w1 - alpha * dw1_l2, w2 - alpha * dw2_l2, b - alpha * db], rtol=1e-13
    )
    # The recorded loss is the data term alone; cost() adds (λ/2)(w1² + w2²).
    assert regular.loss[0] == pytest.approx(loss, rel=1e-13)
    assert cost(X, y, np.array([w1, w2, b]), lam) == pytest.approx(loss + lam / 2 * (w1**2 + w2**2), rel=1e-13)


# --- statuses ---------------------------------------------------------------------------------------


def test_converged():
    X, y = noisy_data(scale=(3.0, 50.0), shift=(10.0, -200.0))
    run = train(X, y, TrainingSettings(learning_rate=1.0, max_iterations=5000, standardize=True, tolerance=1e-7))
    assert run.status == "converged" and not run.can_continue
    assert run.iterations < 5000
    assert run.gradient_norm[-1] < 1e-7 <= run.gradient_norm[:-1].min()
    assert run.reason.code == "converged"
    assert "1e-07" in run.reason.message
    assert_all_finite(run)
    # Nothing left to do: extending a converged run returns it unchanged.
    assert extend(run, X, y, 100) is run


def test_max_iterations():
    X, y = noisy_data()
    run = train(X, y, TrainingSettings(learning_rate=0.1, max_iterations=5))
    assert run.status == "max_iterations" and run.can_continue and run.iterations == 5
    assert run.reason.code == "max_iterations"
    assert run.loss[-1] < run.loss[0]
    assert "5 iteration" in run.reason.message


@pytest.mark.parametrize("batch_size", [None, 1, 8])
def test_diverged_with_a_huge_learning_rate_on_unscaled_features(batch_size):
    X, y = noisy_data(scale=(100.0, 1000.0), shift=(500.0, -3000.0))
    alpha = 10.0
    run = train(X, y, TrainingSettings(learning_rate=alpha, max_iterations=1000, batch_size=batch_size))
    assert run.status == "diverged" and not run.can_continue
    assert run.iterations < 1000
    assert run.reason.code in ("diverged_growth", "diverged_non_finite")
    suggestion = run.reason.details["suggestion"]
    assert 0 < suggestion < alpha
    message = run.reason.message
    assert "learning rate 10 " in message
    assert f"try {suggestion:g}" in message
    assert_all_finite(run)
    # The suggestion is safe for full-batch descent on these features.
    calmer = train(X, y, TrainingSettings(learning_rate=suggestion, max_iterations=200))
    assert calmer.status != "diverged"
    assert np.all(np.diff(calmer.loss) <= 1e-12 * calmer.loss[:-1])


def test_diverged_to_infinity_keeps_only_the_finite_history():
    X = np.array([[1e150, -2e150], [-1e150, 3e150], [2e150, 1e150]])
    y = np.array([1.0, 0.0, 1.0])
    run = train(X, y, TrainingSettings(learning_rate=1e200, max_iterations=50))
    assert run.status == "diverged"
    assert run.reason.code == "diverged_non_finite"
    assert run.reason.details["iteration"] == 1
    assert run.reason.details["what"] in ("w1", "w2", "b", "the loss", "the gradient")
    assert "learning rate 1e+200" in run.reason.message
    assert run.iterations == 0 and run.params.shape == (1, 3)
    assert_all_finite(run)


@FAST
@given(data=spread_datasets(), l2=st.sampled_from([0.0, 0.1, 50.0]))
def test_the_stable_learning_rate_never_increases_the_full_batch_cost(data, l2):
    X, y = data
    alpha = stable_learning_rate(X, l2)
    assert 0 < alpha <= stable_learning_rate(X)
    mantissa = alpha / 10.0 ** math.floor(math.log10(alpha))
    assert any(math.isclose(mantissa, m, rel_tol=1e-9) for m in (1, 2, 5))  # 1, 2 or 5 × 10^k
    run = train(X, y, TrainingSettings(learning_rate=alpha, max_iterations=60, l2=l2, tolerance=1e-300))
    assert run.status == "max_iterations"
    costs = np.array([cost(X, y, p, l2) for p in run.params])
    assert np.all(np.diff(costs) <= 1e-12 * costs[:-1])


def test_a_strong_penalty_lowers_the_suggested_learning_rate():
    """With λ = 50 the cost's curvature is ~50 along w: α = 2 diverges, and the
    suggestion must account for λ to be a rate that then descends."""
    X, y = noisy_data(n=30)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    run = train(X, y, TrainingSettings(learning_rate=2.0, l2=50.0, max_iterations=100))
    assert run.status == "diverged"
    suggestion = run.reason.details["suggestion"]
    assert suggestion == stable_learning_rate(X, 50.0) < stable_learning_rate(X)
    calmer = train(X, y, TrainingSettings(learning_rate=suggestion, l2=50.0, max_iterations=100))
    assert calmer.status != "diverged"
    costs = np.array([cost(X, y, p, 50.0) for p in calmer.params])
    assert np.all(np.diff(costs) <= 1e-12 * costs[:-1])


# --- mini-batches -------------------------------------------------------------------------------------


@pytest.mark.parametrize("batch_size", [1, 5])
def test_mini_batches_are_deterministic_for_a_seed_and_differ_between_seeds(batch_size):
    X, y = noisy_data(n=30)
    settings = TrainingSettings(learning_rate=0.2, max_iterations=40, batch_size=batch_size, seed=7)
    assert_same_run(train(X, y, settings), train(X, y, settings))
    other = train(X, y, TrainingSettings(learning_rate=0.2, max_iterations=40, batch_size=batch_size, seed=8))
    assert not np.array_equal(train(X, y, settings).params, other.params)


def test_a_batch_of_one_is_stochastic_gradient_descent():
    X, y = noisy_data(n=20)
    run = train(X, y, TrainingSettings(learning_rate=0.2, max_iterations=30, batch_size=1, seed=3))
    full = train(X, y, TrainingSettings(learning_rate=0.2, max_iterations=30))
    assert not np.allclose(run.params, full.params)
    # Every step used the gradient of exactly one point.
    for k in range(run.iterations):
        singles = [gradient(X[i : i + 1], y[i : i + 1], run.params[k]) for i in range(len(y))]
        assert any(np.allclose(run.gradients[k], g, rtol=1e-12, atol=1e-15) for g in singles), k
        assert not np.allclose(run.gradients[k], gradient(X, y, run.params[k]))


@pytest.mark.parametrize("extra", [0, 1, 50])
def test_a_batch_as_large_as_the_data_is_the_full_batch(extra):
    X, y = noisy_data(n=25)
    full = train(X, y, TrainingSettings(learning_rate=0.3, max_iterations=30, l2=0.01))
    batch = train(X, y, TrainingSettings(learning_rate=0.3, max_iterations=30, l2=0.01, batch_size=25 + extra, seed=4))
    for name in TRAJECTORY_ARRAYS:
        np.testing.assert_array_equal(getattr(batch, name), getattr(full, name), err_msg=name)


@pytest.mark.parametrize(("n", "batch_size"), [(12, 1), (12, 5), (13, 4), (10, 9)])
def test_each_epoch_visits_every_point_once(n, batch_size):
    """Identify each batch from its gradient: with x1 = 2^i, y = 0 and parameters held at
    ~0 (α = 1e-300, so every ŷ is exactly 0.5), ∂J/∂w1 = ½·Σ_batch 2^i / |batch|."""
    X = np.column_stack([2.0 ** np.arange(n), np.ones(n)])
    y = np.zeros(n)
    per_epoch = -(-n // batch_size)
    sizes = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    epochs = 3
    run = train(
        X, y, TrainingSettings(learning_rate=1e-300, max_iterations=epochs * per_epoch, batch_size=batch_size, seed=11)
    )
    assert run.iterations == epochs * per_epoch
    orders = []
    for epoch in range(epochs):
        seen = 0
        order = []
        for index, size in enumerate(sizes):
            k = epoch * per_epoch + index
            assert run.gradients[k][2] == 0.5  # mean of ŷ − y = 0.5 over the batch
            mask = round(run.gradients[k][0] * size * 2)
            members = [i for i in range(n) if mask >> i & 1]
            assert len(members) == size
            assert seen & mask == 0, "a point was visited twice in one epoch"
            seen |= mask
            order.append(members)
        assert seen == 2**n - 1, "a point was not visited in this epoch"
        orders.append(order)
    assert orders[0] != orders[1] or orders[1] != orders[2], "the order is reshuffled every epoch"


# --- extending a run ---------------------------------------------------------------------------------


@pytest.mark.parametrize("batch_size", [None, 1, 4])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("l2", [0.0, 0.05])
def test_extending_equals_one_long_run(batch_size, standardize, l2):
    X, y = noisy_data(n=23, scale=(2.0, 20.0), shift=(1.0, 40.0))
    alpha = 0.3 if standardize else stable_learning_rate(X)

    def settings(K):
        return TrainingSettings(
            learning_rate=alpha, max_iterations=K, batch_size=batch_size, l2=l2, seed=5,
            standardize=standardize, tolerance=1e-300,
        )

    long = train(X, y, settings(7 + 11))
    extended = extend(train(X, y, settings(7)), X, y, 11)
    assert_same_run(extended, long)
    assert extended.settings == long.settings
    # In pieces that cut across epochs.
    pieces = extend(extend(extend(train(X, y, settings(1)), X, y, 5), X, y, 0), X, y, 12)
    assert_same_run(pieces, long)


@FAST
@given(data=spread_datasets(), first=st.integers(0, 12), more=st.integers(0, 12),
       batch_size=st.sampled_from([None, 1, 2, 6]), standardize=st.booleans())
def test_extending_equals_one_long_run_for_any_split(data, first, more, batch_size, standardize):
    X, y = data
    alpha = 0.3 if standardize else stable_learning_rate(X)

    def settings(K):
        return TrainingSettings(learning_rate=alpha, max_iterations=K, batch_size=batch_size, l2=0.01,
                                standardize=standardize, seed=first)

    long = train(X, y, settings(first + more))
    short = train(X, y, settings(first))
    assert_same_run(extend(short, X, y, more), long)


# --- scikit-learn's optimum on real data ----------------------------------------------------------


def iris_versicolor_virginica():
    """Fisher's irises as bundled with logit: versicolor (0) vs virginica (1) by petal
    length and width, 100 flowers, overlapping classes (so the optimum is finite)."""
    from logit.bundled import load_bundled

    data = load_bundled("iris")
    assert data.X.shape == (100, 2) and set(np.unique(data.y)) == {0.0, 1.0}
    return data.X, data.y


def test_converges_to_scikit_learns_unregularised_optimum():
    from sklearn.linear_model import LogisticRegression

    X, y = iris_versicolor_virginica()
    run = train(X, y, TrainingSettings(learning_rate=1.0, max_iterations=50_000, standardize=True, tolerance=1e-8))
    assert run.status == "converged"
    reference = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X, y)
    optimum = np.r_[reference.coef_[0], reference.intercept_]
    ours = run.final_params_original
    assert abs(cost(X, y, ours) - cost(X, y, optimum)) < 1e-4
    assert abs(run.loss[-1] - cost(X, y, optimum)) < 1e-4
    assert run.accuracy[-1] == reference.score(X, y)
    np.testing.assert_allclose(ours, optimum, rtol=1e-3)


@pytest.mark.parametrize("lam", [0.01, 0.3])
def test_converges_to_scikit_learns_l2_optimum(lam):
    """sklearn minimises ½‖w‖² + C·Σ L_i; ours is (1/n)Σ L_i + (λ/2)‖w‖², the same with C = 1/(λn).

    The penalty acts on the weights in the units training runs in, so sklearn is fitted
    on the same standardised features."""
    from sklearn.linear_model import LogisticRegression

    X, y = iris_versicolor_virginica()
    run = train(X, y, TrainingSettings(learning_rate=1.0, max_iterations=50_000, standardize=True, l2=lam, tolerance=1e-9))
    assert run.status == "converged"
    Xt = run.scaler.transform(X)
    reference = LogisticRegression(C=1.0 / (lam * len(y)), tol=1e-12, max_iter=10_000).fit(Xt, y)
    optimum = np.r_[reference.coef_[0], reference.intercept_]
    assert abs(cost(Xt, y, run.params[-1], lam) - cost(Xt, y, optimum, lam)) < 1e-8
    assert abs(run.loss[-1] - cost(Xt, y, optimum)) < 1e-4
    assert run.accuracy[-1] == reference.score(Xt, y)
    np.testing.assert_allclose(run.params[-1], optimum, rtol=1e-5, atol=1e-7)


# --- numerical extremes ----------------------------------------------------------------------------


@pytest.mark.parametrize("feature_scale", [1e-150, 1.0, 1e150])
@pytest.mark.parametrize("alpha", [1e-6, 1.0, 1e3])
@pytest.mark.parametrize("init", [(0.0, 0.0, 0.0), (1e6, -1e6, 1e6), (-1e6, 1e6, -1e6)])
@pytest.mark.parametrize("batch_size", [None, 3])
@pytest.mark.parametrize("standardize", [False, True])
def test_extremes_never_raise_or_record_nan(feature_scale, alpha, init, batch_size, standardize):
    X, y = noisy_data(n=24)
    X = X * feature_scale
    settings = TrainingSettings(
        learning_rate=alpha, max_iterations=60, init=init, batch_size=batch_size, standardize=standardize
    )
    run = train(X, y, settings)
    assert_all_finite(run)
    assert np.all(np.isfinite(run.params_original))
    assert run.loss.min() >= 0.0 and 0.0 <= run.accuracy.min() <= run.accuracy.max() <= 1.0
    if run.status == "converged":
        assert run.gradient_norm[-1] < settings.tolerance
    elif run.status == "max_iterations":
        assert run.iterations == 60
        expected = "max_iterations_rising" if run.loss[-1] > run.loss[0] else "max_iterations"
        assert run.reason.code == expected
    else:
        assert run.status == "diverged"
        assert run.reason.code.startswith("diverged")
        assert f"learning rate {alpha:g} " in run.reason.message
        assert 0 < run.reason.details["suggestion"] < alpha
    # Standardised features from the origin at a moderate α cannot blow up.
    if standardize and alpha <= 1.0 and init == (0.0, 0.0, 0.0):
        assert run.status != "diverged"
        assert run.loss[-1] <= run.loss[0]


@pytest.mark.parametrize("seed", [-1, 1.5, "3", True])
def test_a_bad_shuffle_seed_is_refused_up_front(seed):
    with pytest.raises(SettingsError, match="shuffle seed") as caught:
        TrainingSettings(seed=seed, batch_size=4)
    assert caught.value.code == "seed"
