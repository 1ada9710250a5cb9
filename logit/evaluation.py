"""Fast evaluation of loss, accuracy and batch gradient over a whole data set.

This is the hot path of training: every iteration evaluates the full data once (the
trajectory records the full-data loss and accuracy even in mini-batch mode). It does
the same maths as :mod:`logit.model`, arranged for speed:

* features are stored as two contiguous columns and the labels as signs s = 1 − 2y,
  so the margin m = s·z gives the loss softplus(m), the residual ŷ − y = s·σ(m) and
  "correct" = (m has its sign bit set), all from one e = exp(−|m|);
* the data are walked in cache-sized chunks into preallocated buffers, so each
  element is read from memory once per iteration and temporaries stay in cache;
* for large data the chunks are shared between two threads (numpy releases the GIL
  inside ufuncs).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

# 16k float64 per buffer: the 4 working buffers fit in a 512 KiB L2 cache.
CHUNK = 16_384
# Below this many points the thread hand-off costs more than it saves.
PARALLEL_MIN = 131_072


@dataclass(frozen=True)
class Evaluation:
    """Full-data quantities at one parameter vector.

    Attributes
    ----------
    loss : float
        Mean log loss (no penalty term).
    accuracy : float
        Fraction of points with (z ≥ 0) == y.
    gradient : ndarray, shape (3,)
        Mean per-point gradient [∂L/∂w1, ∂L/∂w2, ∂L/∂b] (no penalty term).
    """

    loss: float
    accuracy: float
    gradient: np.ndarray


class _Chunk:
    """Buffers and views for one slice of the data."""

    def __init__(self, columns: np.ndarray, signs: np.ndarray) -> None:
        self.columns = columns  # (2, c)
        self.signs = signs  # (c,)
        size = signs.shape[0]
        self.margin = np.empty(size)
        self.exp = np.empty(size)
        self.work = np.empty(size)
        self.correct = np.empty(size, dtype=bool)

    def accumulate(self, weights: np.ndarray, bias: float) -> tuple[float, int, np.ndarray, float]:
        """Sums (loss, correct count, Σ residual·x, Σ residual) over this chunk."""
        m, e, u, ok, s = self.margin, self.exp, self.work, self.correct, self.signs
        np.dot(weights, self.columns, out=m)
        m += bias  # bias is +0.0-normalised, so no margin is −0.0 (see signbit below)
        m *= s  # m = s·z: ≥ 0 where the point is on the wrong side
        np.abs(m, out=u)
        loss = 0.5 * (float(m.sum()) + float(u.sum()))  # Σ max(m, 0)
        np.negative(u, out=u)
        np.exp(u, out=e)  # e = exp(−|m|) ∈ (0, 1]
        np.log1p(e, out=u)
        loss += float(u.sum())  # softplus(m) = max(m, 0) + log1p(exp(−|m|))
        # Correct ⇔ m < 0, or m = −0.0 (z = +0.0 on a positive point, predicted 1).
        np.signbit(m, out=ok)
        correct = int(np.count_nonzero(ok))
        # σ(m) = 1/(1+e) where m ≥ 0, e/(1+e) where m < 0; residual ŷ − y = s·σ(m).
        np.add(e, 1.0, out=u)
        np.reciprocal(u, out=u)
        np.multiply(u, e, out=u, where=ok)
        u *= s
        weighted = self.columns @ u
        return loss, correct, weighted, float(u.sum())


class FullDataEvaluator:
    """Evaluates loss, accuracy and gradient of a fixed data set at many parameter vectors.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        Features (already in the units training runs in).
    y : ndarray, shape (n,)
        Labels 0.0 / 1.0.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray) -> None:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        self.n = int(y.shape[0])
        columns = np.ascontiguousarray(X.T)
        signs = 1.0 - 2.0 * y
        self._chunks = [
            _Chunk(columns[:, start : start + CHUNK], signs[start : start + CHUNK])
            for start in range(0, self.n, CHUNK)
        ]
        threads = min(2, os.cpu_count() or 1)
        self._pool = ThreadPoolExecutor(threads) if self.n >= PARALLEL_MIN and threads > 1 else None

    def __call__(self, params: np.ndarray) -> Evaluation:
        """Evaluate at ``params`` = [w1, w2, b] (shape (3,))."""
        weights = np.array([params[0], params[1]], dtype=float)
        bias = float(params[2]) + 0.0
        with np.errstate(over="ignore", invalid="ignore"):
            if self._pool is None:
                parts = [chunk.accumulate(weights, bias) for chunk in self._chunks]
            else:
                half = (len(self._chunks) + 1) // 2
                groups = (self._chunks[:half], self._chunks[half:])
                futures = [self._pool.submit(_accumulate_all, g, weights, bias) for g in groups]
                parts = [part for future in futures for part in future.result()]
            loss = sum(p[0] for p in parts) / self.n
            correct = sum(p[1] for p in parts)
            weighted = np.sum([p[2] for p in parts], axis=0) / self.n
            residual = sum(p[3] for p in parts) / self.n
        return Evaluation(loss, correct / self.n, np.array([weighted[0], weighted[1], residual]))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)

    def __del__(self) -> None:
        self.close()


def _accumulate_all(chunks: list[_Chunk], weights: np.ndarray, bias: float) -> list:
    with np.errstate(over="ignore", invalid="ignore"):
        return [chunk.accumulate(weights, bias) for chunk in chunks]
