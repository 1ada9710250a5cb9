"""Feature standardisation, and mapping weights between trained and original units."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Standardizer:
    """z-scores x' = (x − mean) / scale per feature.

    Gradient descent runs on x'. A line w1'·x1' + w2'·x2' + b' = 0 in those units is the
    line w1·x1 + w2·x2 + b = 0 in original units with w = w'/scale and
    b = b' − Σ w'·mean/scale, so the separating line can always be drawn on the data.

    Attributes
    ----------
    mean : ndarray, shape (2,)
    scale : ndarray, shape (2,), > 0 (1 for a constant feature)
    """

    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def identity(cls) -> "Standardizer":
        """The do-nothing scaler (training in original units)."""
        return cls(np.zeros(2), np.ones(2))

    @classmethod
    def fit(cls, X: np.ndarray) -> "Standardizer":
        """Mean and standard deviation of each column of ``X`` (shape (n, 2)).

        Columns are divided by their largest magnitude first, so features near 1e150
        give a finite standard deviation instead of overflowing when squared.
        """
        X = np.asarray(X, dtype=float)
        mean = X.mean(axis=0)
        peak = np.max(np.abs(X - mean), axis=0)
        peak = np.where(peak > 0, peak, 1.0)
        scale = np.std((X - mean) / peak, axis=0) * peak
        scale = np.where((scale > 0) & np.isfinite(scale), scale, 1.0)
        return cls(mean, scale)

    @property
    def is_identity(self) -> bool:
        return bool(np.all(self.mean == 0) and np.all(self.scale == 1))

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Original units → trained units; shape (n, 2) → (n, 2)."""
        if self.is_identity:
            return np.asarray(X, dtype=float)
        return (np.asarray(X, dtype=float) - self.mean) / self.scale

    def params_to_original(self, params: np.ndarray) -> np.ndarray:
        """[w1', w2', b'] in trained units → [w1, w2, b] in original units.

        Accepts shape (3,) or (k, 3) and returns the same shape.
        """
        params = np.asarray(params, dtype=float)
        if self.is_identity:
            return params.copy()
        weights = params[..., :2] / self.scale
        with np.errstate(over="ignore", invalid="ignore"):
            bias = params[..., 2] - _dot2(weights, self.mean)
        return np.concatenate([weights, bias[..., None]], axis=-1)

    def params_from_original(self, params: np.ndarray) -> np.ndarray:
        """Inverse of :meth:`params_to_original`."""
        params = np.asarray(params, dtype=float)
        if self.is_identity:
            return params.copy()
        with np.errstate(over="ignore", invalid="ignore"):
            bias = params[..., 2] + _dot2(params[..., :2], self.mean)
            weights = params[..., :2] * self.scale
        return np.concatenate([weights, bias[..., None]], axis=-1)


def _dot2(weights: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """w1·m1 + w2·m2 over the last axis, element by element.

    Not ``weights @ mean``: a matrix product may round differently for shape (k, 2) than
    for shape (2,), and one iteration's parameters must convert to the same numbers
    whether converted alone or with the whole history.
    """
    return weights[..., 0] * mean[0] + weights[..., 1] * mean[1]
