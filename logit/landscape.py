"""The cost over a grid of (w1, w2) at a fixed b: the loss landscape."""

from __future__ import annotations

import numpy as np

# Bytes one temporary (grid points × data points) may take; a few of them live at once.
CHUNK_BYTES = 32 * 2**20


def loss_landscape(
    X: np.ndarray,
    y: np.ndarray,
    w1_values: np.ndarray,
    w2_values: np.ndarray,
    b: float,
    l2: float = 0.0,
    chunk_bytes: int = CHUNK_BYTES,
) -> np.ndarray:
    """Mean log loss (+ (λ/2)(w1² + w2²)) at every (w1, w2) of a grid, b fixed.

    Works through the grid and the data in chunks so that a 200 × 200 grid over
    100,000 points needs only a few temporaries of ``chunk_bytes`` each.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
    y : ndarray, shape (n,)
    w1_values : ndarray, shape (m,)
    w2_values : ndarray, shape (p,)
    b : float
    l2 : float

    Returns
    -------
    ndarray, shape (p, m): row i is w2 = w2_values[i], column j is w1 = w1_values[j].
    """
    X = np.asarray(X, dtype=float)
    signs = 1.0 - 2.0 * np.asarray(y, dtype=float)
    w1_values = np.asarray(w1_values, dtype=float)
    w2_values = np.asarray(w2_values, dtype=float)
    W1, W2 = np.meshgrid(w1_values, w2_values)
    weights = np.column_stack([W1.ravel(), W2.ravel()])  # (G, 2)
    n, G = len(signs), len(weights)
    total = np.zeros(G)
    rows = max(1, min(n, chunk_bytes // (8 * max(G, 1))))
    grid_rows = max(1, chunk_bytes // (8 * rows))
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, n, rows):
            margins_base = X[start : start + rows]  # (r, 2)
            s = signs[start : start + rows]
            for g in range(0, G, grid_rows):
                z = weights[g : g + grid_rows] @ margins_base.T + b  # (g, r)
                z *= s
                total[g : g + grid_rows] += np.logaddexp(0.0, z).sum(axis=1)
    cost = total / n
    if l2:
        cost += 0.5 * l2 * (weights ** 2).sum(axis=1)
    return cost.reshape(len(w2_values), len(w1_values))
