"""Fast evaluation of loss, accuracy and batch gradient over a whole data set.

This is the hot path of training: every iteration evaluates the full data once (the
trajectory records the full-data loss and accuracy even in mini-batch mode). It does
the same maths as :mod:`logit.model`, arranged for speed with plain numpy:

* The points are stored grouped by label (all y = 0, then all y = 1) as two contiguous
  feature columns, so every chunk of work has a single label and the labels cost no
  memory traffic at all. The order only changes the order of the sums.
* Per chunk the margin m = s·z (s = 1 − 2y) is computed with the operations of
  :func:`logit.model.scores` in the same order, so z has exactly the model's value and
  the accuracy is exact. For y = 1 the weights are negated instead of the result
  (−(w·x + b) rounds like (−w)·x + (−b)), which saves a pass.
* From m and one e = exp(−|m|) ∈ (0, 1] come everything else:
  loss softplus(m) = max(m, 0) + log1p(e), and σ(m) = g/(1 + e) with g = 1 where
  m ≥ 0 and g = e where m < 0; the residual ŷ − y is s·σ(m). Each of these is
  accurate to a few units in the last place for any finite m, even where σ(m) or the
  loss are far below 1e-16.
* The data are walked in chunks that, with the working buffers, fit in a core's L2
  cache; each thread reuses one set of buffers for all its chunks, so every feature
  is read from memory once per evaluation and the temporaries never leave the cache.
  Sums use BLAS dot products with a ones vector, which are about twice as fast as
  ``ndarray.sum`` and, being sums of non-negative terms, just as accurate here.
* For large data the chunks are split between two threads (numpy releases the GIL
  inside ufuncs and BLAS calls).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

# Points per chunk. Each thread's working set is ~65 bytes per point of chunk (two
# feature rows, four float buffers, the ones and zeros vectors, one bool buffer), so
# 8192 points is ~0.5 MiB: half of a 1 MiB L2, leaving room for the streaming reads.
# Smaller chunks pay numpy's ~0.5 µs per call too often; larger ones spill to L3.
CHUNK = 8_192
# Below this many points the hand-off to a second thread costs more than it saves.
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


class _Worker:
    """One thread's share of the chunks, with one set of buffers reused for all of them."""

    def __init__(self, pieces: list[tuple[np.ndarray, int]], size: int) -> None:
        margin, work, aside, exp = (np.empty(size) for _ in range(4))
        ones, zeros = np.ones(size), np.zeros(size)
        flags = np.empty(size, dtype=bool)
        self.pieces = []
        for columns, k in pieces:
            # The first k points of the chunk have y = 0, the rest y = 1. A chunk of
            # positives computes m = −z directly by negating the weights (sign −1).
            c = columns.shape[1]
            m, u, v, e, f = margin[:c], work[:c], aside[:c], exp[:c], flags[:c]
            negatives = (m[:k], f[:k]) if k else None
            positives = (m[k:], f[k:], v[k:]) if k < c else None
            sign = -1.0 if k == 0 else 1.0
            self.pieces.append((columns, sign, m, u, v, e, ones[:c], zeros[:c], negatives, positives, 0 < k < c))

    def accumulate(self, w1: float, w2: float, b: float) -> tuple[float, int, np.ndarray]:
        """Sums (loss, correct count, [Σ(ŷ−y)·x1, Σ(ŷ−y)·x2, Σ(ŷ−y)]) over this share."""
        loss = 0.0
        correct = 0
        gradient = np.zeros(3)
        # numpy warns of exp(−|m|) underflowing to 0 and of ±inf/NaN margins; both give
        # the model's values (NaN stays NaN), so the warnings carry no news.
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            for columns, sign, m, u, v, e, ones, zeros, negatives, positives, mixed in self.pieces:
                # m = s·z, rounded exactly like model.scores: ((w1·x1) + (w2·x2)) + b.
                np.multiply(columns[0], sign * w1, out=m)
                np.multiply(columns[1], sign * w2, out=u)
                m += u
                m += sign * b
                if mixed:
                    np.negative(positives[0], out=positives[0])
                # Predicted 1 ⇔ z ≥ 0. For y = 0 (m = z) the point is wrong when m ≥ 0; for
                # y = 1 (m = −z) it is right when m ≤ 0. A tie at z = ±0 predicts 1 either way.
                if negatives:
                    m_negative, flags = negatives
                    wrong = np.count_nonzero(np.greater_equal(m_negative, 0.0, out=flags))
                    correct += m_negative.shape[0] - int(wrong)
                if positives:
                    m_positive, flags, _ = positives
                    correct += int(np.count_nonzero(np.less_equal(m_positive, 0.0, out=flags)))
                # softplus(m) = max(m, 0) + log1p(e): both parts are ≥ 0, so their sums
                # carry no cancellation whatever the spread of the margins.
                np.maximum(m, zeros, out=v)  # an array operand: the scalar form is 2× slower
                loss += float(np.dot(v, ones))
                np.abs(m, out=u)
                np.negative(u, out=u)
                np.exp(u, out=e)  # e = exp(−|m|) ∈ [0, 1], never overflows
                np.log1p(e, out=u)
                loss += float(np.dot(u, ones))
                # σ(m) = g/(1 + e) with g = min(1, e + max(m, 0)): e + m ≥ 1 for m ≥ 0
                # (1 − e^(−m) ≤ m), so g is 1 there (to 1 ulp), and g = e exactly for m < 0.
                v += e
                np.minimum(v, ones, out=v)
                e += 1.0
                v /= e  # σ(m), to a few ulp even where it is ~1e-300
                # Residual ŷ − y = s·σ(m); Σ residual·x1 and Σ residual·x2 in one BLAS call.
                if mixed:
                    np.negative(positives[2], out=positives[2])
                x_part = columns @ v
                total = float(np.dot(v, ones))
                gradient[0] += sign * x_part[0]
                gradient[1] += sign * x_part[1]
                gradient[2] += sign * total
        return loss, correct, gradient


class FullDataEvaluator:
    """Evaluates loss, accuracy and gradient of a fixed data set at many parameter vectors.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        Features (already in the units training runs in).
    y : ndarray, shape (n,)
        Labels 0.0 / 1.0.
    """

    _pool: ThreadPoolExecutor | None = None  # (also when __init__ raised, for __del__)

    def __init__(self, X: np.ndarray, y: np.ndarray) -> None:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        positive = y == 1.0
        if not np.all(positive | (y == 0.0)):
            raise ValueError("labels must be 0.0 or 1.0")
        self.n = int(y.shape[0])
        n_negative = self.n - int(np.count_nonzero(positive))
        # Feature columns, y = 0 points first (np.compress into place: the quickest copy).
        columns = np.empty((2, self.n))
        negative = ~positive
        for row in range(2):
            np.compress(negative, X[:, row], out=columns[row, :n_negative])
            np.compress(positive, X[:, row], out=columns[row, n_negative:])
        # Chunks of the sorted data, each with its count of y = 0 points (only one chunk
        # can hold both labels).
        pieces = [
            (columns[:, start : start + CHUNK], min(max(n_negative - start, 0), CHUNK))
            for start in range(0, self.n, CHUNK)
        ]
        threads = min(2, os.cpu_count() or 1)
        if self.n >= PARALLEL_MIN and threads > 1:
            # Two halves of the chunks; the caller's thread works on the first.
            split = (len(pieces) + 1) // 2
            self._workers = [_Worker(pieces[:split], CHUNK), _Worker(pieces[split:], CHUNK)]
            self._pool = ThreadPoolExecutor(1)
        else:
            self._workers = [_Worker(pieces, CHUNK)]
            self._pool = None

    def __call__(self, params: np.ndarray) -> Evaluation:
        """Evaluate at ``params`` = [w1, w2, b] (shape (3,))."""
        w1, w2, b = float(params[0]), float(params[1]), float(params[2])
        if self._pool is None:
            loss, correct, gradient = self._workers[0].accumulate(w1, w2, b)
        else:
            other = self._pool.submit(self._workers[1].accumulate, w1, w2, b)
            loss, correct, gradient = self._workers[0].accumulate(w1, w2, b)
            loss_2, correct_2, gradient_2 = other.result()
            loss, correct, gradient = loss + loss_2, correct + correct_2, gradient + gradient_2
        return Evaluation(loss / self.n, correct / self.n, gradient / self.n)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)

    def __del__(self) -> None:
        self.close()
