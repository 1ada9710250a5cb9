"""The model of the lecture, its loss and its derivatives.

ŷ = σ(z) with z = w1·x1 + w2·x2 + b, and the log loss
L(y, ŷ) = −y ln ŷ − (1−y) ln(1−ŷ).

Everything is computed from the raw score ``z`` rather than from ``ŷ``, so that a score
of ±800 (where ŷ rounds to exactly 0 or 1) still gives a finite loss and finite
gradients. Parameters travel as one array ``params = [w1, w2, b]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def sigmoid(z: np.ndarray | float) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), without overflow for any finite z.

    Uses e = exp(−|z|) ≤ 1, so σ(z) = 1/(1+e) for z ≥ 0 and e/(1+e) for z < 0:
    exact to rounding at ±800, and σ(−z) = 1 − σ(z).

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    ndarray, same shape as ``z``, values in [0, 1].
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def log_loss(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Per-point log loss L = −y ln σ(z) − (1−y) ln(1−σ(z)), from the raw score.

    For y ∈ {0, 1} this equals ``logaddexp(0, z) − y·z``; written as
    softplus((1−2y)·z) it has no cancellation, so a confident right answer gives a
    tiny positive loss instead of a rounded 0.

    Parameters
    ----------
    y : ndarray, shape (n,)
        Labels 0.0 or 1.0.
    z : ndarray, shape (n,)
        Raw scores w1·x1 + w2·x2 + b.

    Returns
    -------
    ndarray, shape (n,), each ≥ 0 and finite for finite ``z``; +inf for a score that
    overflowed to ±inf on the wrong side, and NaN (quietly, like :func:`scores`) for
    one that is undefined (inf − inf).
    """
    y = np.asarray(y, dtype=float)
    z = np.asarray(z, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.logaddexp(0.0, (1.0 - 2.0 * y) * z)


def scores(X: np.ndarray, params: np.ndarray) -> np.ndarray:
    """z = w1·x1 + w2·x2 + b for every row of ``X`` (shape (n, 2)) → shape (n,)."""
    w1, w2, b = params
    with np.errstate(over="ignore", invalid="ignore"):
        return w1 * X[:, 0] + w2 * X[:, 1] + b


def predict_proba(X: np.ndarray, params: np.ndarray) -> np.ndarray:
    """ŷ = σ(w1·x1 + w2·x2 + b) for every row of ``X`` (shape (n, 2)) → shape (n,)."""
    return sigmoid(scores(X, params))


def l2_penalty(w1, w2, l2: float):
    """The L2 penalty (λ/2)·(w1² + w2²) (b is not penalised), for numbers or arrays of them."""
    # Huge weights give an infinite penalty, like the infinite loss scores() allows.
    with np.errstate(over="ignore"):
        return 0.5 * l2 * (w1 * w1 + w2 * w2)


def l2_gradient(params: np.ndarray, l2: float) -> np.ndarray:
    """The penalty's gradient λ·(w1, w2, 0), shape (3,): what L2 adds to ∂J/∂(w1, w2, b)."""
    return np.array([l2 * params[0], l2 * params[1], 0.0])


def cost(X: np.ndarray, y: np.ndarray, params: np.ndarray, l2: float = 0.0) -> float:
    """Data-set cost: the mean log loss, plus (λ/2)·(w1² + w2²) when ``l2`` = λ > 0.

    The bias b is not penalised, matching the gradient λ·w of :func:`gradient`.
    """
    mean_loss = float(np.mean(log_loss(y, scores(X, params))))
    if not l2:
        return mean_loss
    w1, w2, _ = params
    return float(mean_loss + l2_penalty(w1, w2, l2))


@dataclass(frozen=True)
class ChainRule:
    """The lecture's chain rule, evaluated for every point (each field has shape (n,)).

    ∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂w1, and the factor ŷ(1−ŷ) cancels, leaving −(y−ŷ)·x1;
    likewise for w2 and b.
    """

    z: np.ndarray
    yhat: np.ndarray
    loss: np.ndarray
    dL_dyhat: np.ndarray
    dyhat_dw1: np.ndarray
    dyhat_dw2: np.ndarray
    dyhat_db: np.ndarray
    dL_dw1: np.ndarray
    dL_dw2: np.ndarray
    dL_db: np.ndarray


def chain_rule(X: np.ndarray, y: np.ndarray, params: np.ndarray) -> ChainRule:
    """Every factor of the lecture's chain rule for every point.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
    y : ndarray, shape (n,), labels 0.0 / 1.0
    params : ndarray, shape (3,), [w1, w2, b]

    Returns
    -------
    ChainRule
        ``dL_dyhat`` = −(y−ŷ)/(ŷ(1−ŷ)) is unbounded as ŷ → 0 or 1; it is returned
        as a finite float or ±inf, never NaN, and without a warning.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    x1, x2 = X[:, 0], X[:, 1]
    z = scores(X, params)
    yhat = sigmoid(z)
    loss = log_loss(y, z)

    # dL/dŷ = −y/ŷ + (1−y)/(1−ŷ); with 1/ŷ = 1 + e^(−z) and 1/(1−ŷ) = 1 + e^(z)
    # it stays exact where ŷ has rounded to 0 or 1, and overflows only to inf.
    with np.errstate(over="ignore"):
        dL_dyhat = np.where(y == 1.0, -(1.0 + np.exp(-z)), 1.0 + np.exp(z))

    # dŷ/dz = σ(z)·(1 − σ(z)) = σ(z)·σ(−z), which avoids the cancellation in 1 − σ(z).
    dyhat_dz = yhat * sigmoid(-z)
    dyhat_dw1 = dyhat_dz * x1
    dyhat_dw2 = dyhat_dz * x2
    dyhat_db = dyhat_dz

    # The product, after ŷ(1−ŷ) cancels: −(y − ŷ)·x.
    error = _residual(y, z)
    dL_dw1 = -error * x1
    dL_dw2 = -error * x2
    dL_db = -error
    return ChainRule(z, yhat, loss, dL_dyhat, dyhat_dw1, dyhat_dw2, dyhat_db, dL_dw1, dL_dw2, dL_db)


def _residual(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """y − ŷ, without the cancellation of 1 − σ(z) for a confident positive point.

    y − σ(z) = y·σ(−z) − (1−y)·σ(z), using 1 − σ(z) = σ(−z): for y = 1 this is σ(−z),
    accurate to the last digit even where σ(z) has rounded to 1 (z ≳ 37).
    """
    return y * sigmoid(-z) - (1.0 - y) * sigmoid(z)


def gradient(X: np.ndarray, y: np.ndarray, params: np.ndarray, l2: float = 0.0) -> np.ndarray:
    """Batch gradient: the mean of the per-point gradients (+ λ·w for L2, b not penalised).

    Parameters
    ----------
    X : ndarray, shape (n, 2)
    y : ndarray, shape (n,)
    params : ndarray, shape (3,), [w1, w2, b]
    l2 : float, λ ≥ 0

    Returns
    -------
    ndarray, shape (3,): [∂J/∂w1, ∂J/∂w2, ∂J/∂b]
    """
    X = np.asarray(X, dtype=float)
    error = _residual(np.asarray(y, dtype=float), scores(X, params))
    n = len(error)
    grad = np.array([-(error @ X[:, 0]) / n, -(error @ X[:, 1]) / n, -error.sum() / n])
    if l2:
        grad += l2_gradient(np.asarray(params, dtype=float), l2)
    return grad


def numerical_gradient(
    X: np.ndarray, y: np.ndarray, params: np.ndarray, l2: float = 0.0, step: float = 1e-6
) -> np.ndarray:
    """Central finite-difference gradient of :func:`cost`, the "numerical check".

    (J(p + h·e_i) − J(p − h·e_i)) / 2h for each parameter, with h = step·max(1, |p_i|).

    Returns
    -------
    ndarray, shape (3,)
    """
    params = np.asarray(params, dtype=float)
    grad = np.empty(3)
    for i in range(3):
        h = step * max(1.0, abs(params[i]))
        up, down = params.copy(), params.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (cost(X, y, up, l2) - cost(X, y, down, l2)) / (2.0 * h)
    return grad
