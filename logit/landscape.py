"""The cost over a grid of (w1, w2) at a fixed b: the loss landscape."""

from __future__ import annotations

import numpy as np

from logit.model import l2_penalty

# Bytes one temporary (grid points × data points) may take; two of them live at once.
CHUNK_BYTES = 32 * 2**20
# Data points per block. Fixed (not derived from chunk_bytes), so that every grid point's
# sum is formed from the same blocks in the same order whatever the memory budget:
# the landscape is bit-for-bit the same for any chunk_bytes.
ROWS = 4096


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
    100,000 points needs only two temporaries of ``chunk_bytes`` each (or of
    ``8·ROWS`` bytes, if that is larger). The result does not depend on
    ``chunk_bytes``, and each point's score is w1·x1 + w2·x2 + b rounded exactly as
    :func:`logit.model.scores` rounds it.

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
    grid1, grid2 = W1.ravel(), W2.ravel()  # (G,)
    n, G = len(signs), len(grid1)
    b = float(b)
    total = np.zeros(G)
    rows = max(1, min(n, ROWS))
    grid_rows = max(1, min(G, chunk_bytes // (8 * rows)))
    z_buffer = np.empty((grid_rows, rows))
    product = np.empty((grid_rows, rows))
    with np.errstate(over="ignore", invalid="ignore"):
        for g in range(0, G, grid_rows):
            w1 = grid1[g : g + grid_rows, None]
            w2 = grid2[g : g + grid_rows, None]
            for start in range(0, n, rows):
                x1 = X[start : start + rows, 0]
                x2 = X[start : start + rows, 1]
                z = z_buffer[: len(w1), : len(x1)]
                p = product[: len(w1), : len(x1)]
                np.multiply(w1, x1, out=z)
                np.multiply(w2, x2, out=p)
                z += p
                z += b  # z = w1·x1 + w2·x2 + b, in the order scores() uses
                z *= signs[start : start + rows]
                np.logaddexp(0.0, z, out=z)
                total[g : g + grid_rows] += z.sum(axis=1)
        cost = total / n
        if l2:
            cost += l2_penalty(grid1, grid2, l2)
    return cost.reshape(len(w2_values), len(w1_values))
