"""The model, its loss and its derivatives (logit.model), and the fast full-data
evaluator (logit.evaluation) checked against them.

Every warning is an error (pyproject.toml), so each test here also shows that the
computation raises no RuntimeWarning (overflow, divide by zero, invalid value).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from logit.evaluation import CHUNK, PARALLEL_MIN, FullDataEvaluator
from logit.model import (
    chain_rule,
    cost,
    gradient,
    log_loss,
    numerical_gradient,
    predict_proba,
    scores,
    sigmoid,
)
from strategies import (
    FAST,
    assert_gradient_close,
    central_difference,
    datasets,
    finite,
    l2_strengths,
    parameters,
)

EPS = np.finfo(float).eps
EXTREME_Z = [800.0, -800.0, 1e4, -1e4, 709.0, -709.0, 745.2, -745.2, 1e300, -1e300]


def plain_sigmoid(z: float) -> float:
    """σ(z) = 1/(1 + e^(−z)) for moderate z, straight from the lecture."""
    return 1.0 / (1.0 + math.exp(-z))


def plain_loss(y: float, z: float) -> float:
    """L = −y ln ŷ − (1−y) ln(1−ŷ) for moderate z, straight from the lecture.

    1 − ŷ is written as 1/(1 + e^z) (the same number) so that it is not rounded away.
    """
    yhat = plain_sigmoid(z)
    one_minus_yhat = 1.0 / (1.0 + math.exp(z))
    return -y * math.log(yhat) - (1.0 - y) * math.log(one_minus_yhat)


# --- sigmoid -----------------------------------------------------------------------------


@FAST
@given(z=finite(1e4))
def test_sigmoid_is_symmetric(z):
    assert abs(sigmoid(-z) - (1.0 - sigmoid(z))) <= 2 * EPS
    assert 0.0 <= sigmoid(z) <= 1.0


@FAST
@given(z=finite(30.0))
def test_sigmoid_matches_the_formula(z):
    assert sigmoid(z) == pytest.approx(plain_sigmoid(z), rel=1e-14, abs=1e-300)


def test_sigmoid_saturates_to_exact_zero_and_one():
    assert sigmoid(800.0) == 1.0
    assert sigmoid(-800.0) == 0.0
    assert sigmoid(1e4) == 1.0 and sigmoid(-1e4) == 0.0
    assert sigmoid(0.0) == 0.5
    # Monotone over the whole float range, including where exp would overflow.
    z = np.array([-1e308, -1e4, -800.0, -40.0, -1.0, 0.0, 1.0, 40.0, 800.0, 1e4, 1e308])
    values = sigmoid(z)
    assert values.shape == z.shape
    assert np.all(np.diff(values) >= 0)


def test_sigmoid_keeps_the_shape():
    z = np.arange(12.0).reshape(3, 4) - 6.0
    assert sigmoid(z).shape == (3, 4)


# --- log loss ------------------------------------------------------------------------------


@FAST
@given(z=finite(30.0), y=st.sampled_from([0.0, 1.0]))
def test_log_loss_matches_the_formula(z, y):
    expected = plain_loss(y, z)
    assert log_loss(np.array([y]), np.array([z]))[0] == pytest.approx(expected, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("z", EXTREME_Z)
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_log_loss_is_finite_at_extreme_scores(z, y):
    loss = log_loss(np.array([y]), np.array([z]))[0]
    assert math.isfinite(loss) and loss >= 0.0
    wrong_side = (z > 0) != (y == 1.0)
    if wrong_side:
        # Confidently wrong: L = |z| + ln(1 + e^(−|z|)), which is |z| to rounding here.
        assert loss == pytest.approx(abs(z), rel=1e-15)
    else:
        # Confidently right: L = ln(1 + e^(−|z|)) ≤ e^(−|z|).
        assert loss <= math.exp(-abs(z))


def test_log_loss_keeps_a_tiny_loss_for_a_confident_right_answer():
    # ŷ = σ(40) rounds to 1 − 4e-18 ≈ 1, but the loss ln(1 + e^−40) is not rounded away.
    loss = log_loss(np.array([1.0, 0.0]), np.array([40.0, -40.0]))
    assert np.all(loss > 0)
    assert loss == pytest.approx(math.log1p(math.exp(-40.0)), rel=1e-14)


def test_cost_is_finite_for_features_up_to_1e150():
    X = np.array([[1e150, -1e150], [-3e149, 2e150], [1e-150, 5e149]])
    y = np.array([1.0, 0.0, 1.0])
    for params in ([1.0, 1.0, 0.0], [-2.0, 0.5, 1.0], [1e6, -1e6, 1e6]):
        params = np.array(params)
        assert math.isfinite(cost(X, y, params))
        assert math.isfinite(cost(X, y, params, l2=0.1))
        assert np.all(np.isfinite(gradient(X, y, params)))
        rule = chain_rule(X, y, params)
        for name in ("yhat", "loss", "dyhat_dw1", "dyhat_dw2", "dL_dw1", "dL_dw2", "dL_db"):
            assert np.all(np.isfinite(getattr(rule, name))), name
        assert not np.any(np.isnan(rule.dL_dyhat))


def test_undefined_scores_propagate_quietly():
    """w·x overflowing to +inf on one feature and −inf on the other gives z = NaN in
    scores(); the loss, cost, gradient and chain rule carry the NaN without a warning."""
    X = np.array([[1e200, -1e200], [1.0, 2.0]])
    y = np.array([1.0, 0.0])
    params = np.array([1e200, 1e200, 0.0])
    assert np.isnan(scores(X, params)[0])
    assert np.isnan(log_loss(y, scores(X, params))[0])
    assert np.isnan(cost(X, y, params)) and np.isnan(cost(X, y, params, l2=1.0))
    assert np.all(np.isnan(gradient(X, y, params)))
    rule = chain_rule(X, y, params)
    assert np.isnan(rule.loss[0]) and np.isfinite(rule.loss[1])


# --- cost ------------------------------------------------------------------------------------


@FAST
@given(data=datasets(max_n=200))
def test_cost_is_ln2_at_zero_for_any_labels(data):
    X, y = data
    assert cost(X, y, np.zeros(3)) == pytest.approx(math.log(2.0), rel=1e-14)
    # The L2 term vanishes with the weights, whatever λ.
    assert cost(X, y, np.zeros(3), l2=3.0) == pytest.approx(math.log(2.0), rel=1e-14)


@FAST
@given(data=datasets(), params=parameters(), l2=l2_strengths())
def test_cost_is_the_mean_loss_plus_the_penalty_on_the_weights_only(data, params, l2):
    X, y = data
    z = [params[0] * a + params[1] * c + params[2] for a, c in X]
    mean_loss = math.fsum(math.log1p(math.exp(-abs(zi))) + max((1 - 2 * yi) * zi, 0.0) for zi, yi in zip(z, y)) / len(y)
    expected = mean_loss + 0.5 * l2 * (params[0] ** 2 + params[1] ** 2)
    assert cost(X, y, params, l2) == pytest.approx(expected, rel=1e-12, abs=1e-300)
    # Moving b changes the data term only, never the penalty.
    shifted = params + np.array([0.0, 0.0, 1.0])
    assert cost(X, y, shifted, l2) - cost(X, y, shifted, 0.0) == pytest.approx(
        0.5 * l2 * (params[0] ** 2 + params[1] ** 2), rel=1e-9, abs=1e-12
    )


def test_cost_with_l2_at_huge_weights_is_inf_without_a_warning():
    X = np.array([[1.0, 2.0], [-1.0, 0.5]])
    y = np.array([1.0, 0.0])
    assert cost(X, y, np.array([1e200, 0.0, 0.0]), l2=1.0) == math.inf


# --- gradients -----------------------------------------------------------------------------


@FAST
@given(data=datasets(), params=parameters(), l2=l2_strengths())
def test_gradient_matches_finite_differences(data, params, l2):
    X, y = data
    numeric = central_difference(lambda p: cost(X, y, p, l2), params)
    assert_gradient_close(gradient(X, y, params, l2), numeric, scale=float(np.max(np.abs(X))))


@FAST
@given(data=datasets(), params=parameters(), l2=l2_strengths())
def test_numerical_gradient_agrees_with_gradient(data, params, l2):
    X, y = data
    assert_gradient_close(
        gradient(X, y, params, l2), numerical_gradient(X, y, params, l2), scale=float(np.max(np.abs(X)))
    )


@FAST
@given(data=datasets(), params=parameters(), l2=l2_strengths())
def test_gradient_is_the_mean_of_the_per_point_gradients_plus_lambda_w(data, params, l2):
    X, y = data
    rule = chain_rule(X, y, params)
    expected = np.array([rule.dL_dw1.mean(), rule.dL_dw2.mean(), rule.dL_db.mean()])
    expected[:2] += l2 * params[:2]
    np.testing.assert_allclose(gradient(X, y, params, l2), expected, rtol=1e-12, atol=1e-14 * (1 + np.max(np.abs(X))))


# --- the chain rule ---------------------------------------------------------------------------


@FAST
@given(data=datasets(), params=parameters())
def test_chain_rule_factors_match_finite_differences(data, params):
    """Each factor of ∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂w1, differentiated numerically point by point."""
    X, y = data
    rule = chain_rule(X, y, params)
    np.testing.assert_array_equal(rule.z, scores(X, params))
    np.testing.assert_array_equal(rule.yhat, predict_proba(X, params))
    np.testing.assert_array_equal(rule.loss, log_loss(y, rule.z))
    for i in range(len(y)):
        xi, yi = X[i : i + 1], y[i : i + 1]
        # ∂ŷ/∂(w1, w2, b) and ∂L/∂(w1, w2, b) of this point alone.
        dyhat = central_difference(lambda p: predict_proba(xi, p)[0], params)
        dloss = central_difference(lambda p: log_loss(yi, scores(xi, p))[0], params)
        scale = float(np.max(np.abs(X)))
        assert_gradient_close([rule.dyhat_dw1[i], rule.dyhat_dw2[i], rule.dyhat_db[i]], dyhat, scale)
        assert_gradient_close([rule.dL_dw1[i], rule.dL_dw2[i], rule.dL_db[i]], dloss, scale)
        # ∂L/∂ŷ, where ŷ is far enough from 0 and 1 to difference it.
        yhat = rule.yhat[i]
        if 1e-3 < yhat < 1 - 1e-3:
            h = 1e-7
            numeric = (plain_loss_of_yhat(yi[0], yhat + h) - plain_loss_of_yhat(yi[0], yhat - h)) / (2 * h)
            assert rule.dL_dyhat[i] == pytest.approx(numeric, rel=1e-5)


def plain_loss_of_yhat(y: float, yhat: float) -> float:
    return -y * math.log(yhat) - (1.0 - y) * math.log(1.0 - yhat)


@FAST
@given(data=datasets(), params=parameters(bound=1000.0))
def test_chain_rule_product_equals_the_direct_derivative_where_finite(data, params):
    """∂L/∂ŷ · ∂ŷ/∂w equals −(y − ŷ)·x wherever the product is a finite number.

    Scores reach ~2·10⁴ here, where ∂L/∂ŷ is infinite and ∂ŷ/∂w is 0 on the saturated
    side: those points are skipped (their product is undefined), as are subnormal
    factors; the rest must agree.
    """
    X, y = data
    rule = chain_rule(X, y, params)
    assert not np.any(np.isnan(rule.dL_dyhat))
    columns = (X[:, 0], X[:, 1], np.ones(len(y)))
    pairs = [(rule.dyhat_dw1, rule.dL_dw1), (rule.dyhat_dw2, rule.dL_dw2), (rule.dyhat_db, rule.dL_db)]
    for x, (dyhat_dw, dL_dw) in zip(columns, pairs):
        with np.errstate(invalid="ignore", over="ignore"):
            product = rule.dL_dyhat * dyhat_dw
        # A subnormal or underflowed ∂ŷ/∂w (x ~ 1e-193 times σ' ~ 1e-123) has lost its digits.
        comparable = np.isfinite(product) & (np.abs(dyhat_dw) >= np.finfo(float).tiny)
        np.testing.assert_allclose(product[comparable], dL_dw[comparable], rtol=1e-9, atol=0)
        # Points with a moderate score and a normal-sized feature are always compared.
        assert np.all(comparable[(np.abs(rule.z) < 30) & (np.abs(x) > 1e-280)])


@FAST
@given(z=finite(1e4), y=st.sampled_from([0.0, 1.0]))
def test_dL_dyhat_is_finite_or_infinite_never_nan(z, y):
    rule = chain_rule(np.array([[1.0, 0.0]]), np.array([y]), np.array([z, 0.0, 0.0]))
    value = rule.dL_dyhat[0]
    assert not math.isnan(value)
    # −1/ŷ for a positive point, 1/(1−ŷ) for a negative one.
    if y == 1.0:
        assert value <= -1.0
    else:
        assert value >= 1.0
    if abs(z) < 30:
        yhat = plain_sigmoid(z)
        assert value == pytest.approx(-y / yhat + (1 - y) / (1 - yhat), rel=1e-9)


@pytest.mark.parametrize("z", EXTREME_Z)
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_chain_rule_at_extreme_scores(z, y):
    rule = chain_rule(np.array([[1.0, -2.0]]), np.array([y]), np.array([z, 0.0, 0.0]))
    assert not np.isnan(rule.dL_dyhat[0])
    for name in ("yhat", "loss", "dyhat_dw1", "dyhat_dw2", "dyhat_db", "dL_dw1", "dL_dw2", "dL_db"):
        assert math.isfinite(getattr(rule, name)[0]), name
    # The direct derivative is −(y − ŷ)·x, with ŷ rounded to 0 or 1 at these scores.
    assert rule.dL_db[0] == pytest.approx(-(y - sigmoid(z)), abs=1e-300)


# --- FullDataEvaluator against the model -------------------------------------------------------


def check_evaluator(X, y, params):
    result = FullDataEvaluator(X, y)(params)
    assert result.loss == pytest.approx(cost(X, y, params), rel=1e-9, abs=1e-15)
    predicted = (scores(X, params) >= 0).astype(float)
    assert result.accuracy == np.mean(predicted == y)
    scale = float(np.max(np.abs(X)))
    np.testing.assert_allclose(result.gradient, gradient(X, y, params), rtol=1e-9, atol=1e-13 * (1 + scale))


@FAST
@given(data=datasets(), params=parameters(bound=50.0))
def test_evaluator_agrees_with_the_model(data, params):
    check_evaluator(*data, params)


@FAST
@given(data=datasets(bound=1e6), params=parameters(bound=1e3))
def test_evaluator_agrees_with_the_model_over_wide_ranges(data, params):
    """Margins up to ~1e9 of both signs: the loss is a sum of non-negative terms in both
    implementations, so they agree to rounding; the gradient sums terms of both signs,
    so it is compared against the size of those terms."""
    X, y = data
    result = FullDataEvaluator(X, y)(params)
    assert result.loss == pytest.approx(cost(X, y, params), rel=1e-12, abs=1e-300)
    assert result.accuracy == np.mean((scores(X, params) >= 0) == (y == 1))
    rule = chain_rule(X, y, params)
    magnitude = np.array([np.abs(rule.dL_dw1).mean(), np.abs(rule.dL_dw2).mean(), np.abs(rule.dL_db).mean()])
    assert np.all(np.abs(result.gradient - gradient(X, y, params)) <= 1e-12 * magnitude + 1e-300)


@FAST
@given(data=datasets(), params=parameters())
def test_evaluator_gradient_matches_finite_differences(data, params):
    X, y = data
    evaluate = FullDataEvaluator(X, y)
    numeric = central_difference(lambda p: evaluate(p).loss, params)
    assert_gradient_close(evaluate(params).gradient, numeric, scale=float(np.max(np.abs(X))))


@pytest.mark.parametrize("n", [CHUNK - 1, CHUNK, 2 * CHUNK + 7, PARALLEL_MIN + 3])
def test_evaluator_agrees_with_the_model_across_chunks_and_threads(n):
    rng = np.random.default_rng(n)
    X = rng.normal(size=(n, 2)) * [3.0, 0.5] + [1.0, -2.0]
    y = (rng.random(n) < 0.4).astype(float)
    for params in ([0.0, 0.0, 0.0], [1.5, -0.7, 0.2], [-40.0, 90.0, 3.0]):
        check_evaluator(X, y, np.array(params))


def test_evaluator_counts_a_score_of_exactly_zero_as_predicting_1():
    X = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, 0.0], [2.0, 2.0]])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    result = FullDataEvaluator(X, y)(np.zeros(3))  # every z = 0 → every prediction is 1
    assert result.accuracy == 0.5
    assert result.loss == pytest.approx(math.log(2.0), rel=1e-15)
    # Same with −0.0 parameters: the sign of zero must not flip the prediction.
    assert FullDataEvaluator(X, y)(np.array([-0.0, -0.0, -0.0])).accuracy == 0.5


@pytest.mark.parametrize("z", [800.0, -800.0, 1e4, -1e4])
def test_evaluator_is_finite_at_extreme_scores(z):
    X = np.array([[1.0, 0.0], [1.0, 0.0]])
    y = np.array([0.0, 1.0])
    params = np.array([z, 0.0, 0.0])
    result = FullDataEvaluator(X, y)(params)
    assert math.isfinite(result.loss) and np.all(np.isfinite(result.gradient))
    assert result.loss == pytest.approx(cost(X, y, params), rel=1e-12)
    np.testing.assert_allclose(result.gradient, gradient(X, y, params), rtol=1e-12)


def test_evaluator_loss_survives_large_margins_of_mixed_sign():
    """Regression: Σ max(m, 0) once computed as ½(Σm + Σ|m|) cancelled when other margins
    were huge and negative, rounding away the wrongly classified points' loss (0.158
    instead of 0.325 here). Fixed in the evaluator rewrite (a0b073f)."""
    X = np.array([[1e20, 0.0], [1e20, 0.0], [0.5, 0.0]])
    y = np.array([1.0, 1.0, 0.0])
    params = np.array([1.0, 0.0, 0.0])
    # Exact: two losses of ln(1 + e^(−1e20)) = 0 and one of softplus(0.5).
    expected = (0.5 + math.log1p(math.exp(-0.5))) / 3
    assert cost(X, y, params) == pytest.approx(expected, rel=1e-15)
    assert FullDataEvaluator(X, y)(params).loss == pytest.approx(expected, rel=1e-9)
