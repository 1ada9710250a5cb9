"""Fast evaluation of loss, accuracy and batch gradient over a whole data set.

This is the hot path of training: every iteration evaluates the full data once (the
trajectory records the full-data loss and accuracy even in mini-batch mode). It does
the same maths as :mod:`logit.model`, arranged for speed with plain numpy:

* The points are stored grouped by label (all y = 0, then all y = 1) as three
  contiguous rows [x1; x2; 1], 24 bytes a point. Every chunk of work but one has a
  single label, so the labels need no memory traffic and the sign s = 1 − 2y of the
  margin m = s·z folds into the weights: −(w·x + b) rounds exactly like (−w)·x + (−b).
  The order only changes the order of the sums.
* m is computed with the operations of :func:`logit.model.scores` in the same order
  (no BLAS, which may fuse multiply-adds), so z has exactly the model's value and the
  accuracy is exact, ties at z = 0 included.
* Everything else comes from m and one e = exp(−|m|) ∈ [0, 1]: the loss
  softplus(m) = max(m, 0) + log1p(e), a sum of non-negative terms, and
  σ(m) = g/(1 + e) with g = 1 where m ≥ 0 and g = e where m < 0; the residual ŷ − y
  is s·σ(m), and [x1; x2; 1] @ residual is the gradient's three sums in one call.
  Each is accurate to a few units in the last place for any finite m, even where σ(m)
  or the loss are far below 1e-16 (log1p, not log(1 + e)).
* The data are walked in chunks, each thread reusing one set of buffers for all its
  chunks, so every point is read from memory once per evaluation and the temporaries
  stay in cache. About 20 numpy calls a chunk: exp and log1p cost ~2 ns a point, the
  other passes ~0.2–0.5 ns each.
* Large data are split between two threads (numpy releases the GIL inside ufuncs and
  BLAS calls). Sums use np.add.reduce rather than np.dot with a ones vector: OpenBLAS
  runs a dot of more than 10 000 elements on its own threads, which on a busy machine
  costs far more than it saves.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

# Points per chunk. A thread's working set is ~65 bytes per point of chunk (three data
# rows, four float buffers, the zeros vector, one bool buffer): ~4 MiB here, which lives
# in L3. Chunks that fit in a 1 MiB L2 (8192 points) measured ~15% slower, not faster:
# numpy's ~0.5 µs per call then weighs more than the L3 traffic. With two threads, short
# calls also make the threads queue for the GIL (a thread re-takes it before the other
# one has woken up), so that the second thread gained nothing at 8192 points a chunk.
CHUNK = 65_536
# Two threads only when each gets at least a whole chunk (below that the calls are too
# short to overlap, see above) and the thread hand-off is small next to the work.
PARALLEL_MIN = 2 * CHUNK


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


class _Chunk(NamedTuple):
    """One chunk of the data with views of its worker's buffers (all of length c)."""

    rows: np.ndarray  # [x1; x2; 1], shape (3, c); the first k points have y = 0
    sign: float  # −1 for a chunk of y = 1 only: m = −z straight from negated weights
    margin: np.ndarray
    work: np.ndarray
    aside: np.ndarray
    exp: np.ndarray
    zeros: np.ndarray
    flags: np.ndarray  # bool
    predicts_1: np.ufunc  # compare(m, 0) ⇔ z ≥ 0: m ≥ 0 where m = z, m ≤ 0 where m = −z
    negatives: np.ndarray  # flags of the y = 0 points: predicting 1 is wrong there
    positives: np.ndarray  # flags of the y = 1 points: predicting 1 is right there
    flip: tuple[np.ndarray, np.ndarray] | None  # m and σ of the y = 1 tail of a mixed chunk


class _Worker:
    """One thread's share of the chunks, with one set of buffers reused for all of them."""

    def __init__(self, pieces: list[tuple[np.ndarray, int]]) -> None:
        size = max((rows.shape[1] for rows, _ in pieces), default=0)
        margin, work, aside, exp = (np.empty(size) for _ in range(4))
        zeros = np.zeros(size)
        flags = np.empty(size, dtype=bool)
        self.chunks = []
        for rows, k in pieces:
            c = rows.shape[1]
            m, v, f = margin[:c], aside[:c], flags[:c]
            sign, predicts_1 = (-1.0, np.less_equal) if k == 0 else (1.0, np.greater_equal)
            flip = (m[k:], v[k:]) if 0 < k < c else None
            buffers = (m, work[:c], v, exp[:c], zeros[:c], f)
            self.chunks.append(_Chunk(rows, sign, *buffers, predicts_1, f[:k], f[k:], flip))

    def accumulate(self, w1: float, w2: float, b: float) -> tuple[float, int, np.ndarray]:
        """Sums (loss, correct count, [Σ(ŷ−y)·x1, Σ(ŷ−y)·x2, Σ(ŷ−y)]) over this share."""
        loss = 0.0
        correct = 0
        gradient = np.zeros(3)
        signed = {1.0: (w1, w2, b), -1.0: (-w1, -w2, -b)}
        # numpy warns of exp(−|m|) underflowing to 0 and of ±inf/NaN margins; both give
        # the model's values (NaN stays NaN), so the warnings carry no news.
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            for chunk in self.chunks:
                rows, sign, m, u, v, e, zeros, flags, predicts_1, negatives, positives, flip = chunk
                # m = s·z, rounded exactly like model.scores: ((w1·x1) + (w2·x2)) + b.
                a1, a2, a0 = signed[sign]
                np.multiply(rows[0], a1, out=m)
                np.multiply(rows[1], a2, out=u)
                m += u
                m += a0
                # Predicted 1 ⇔ z ≥ 0: a comparison, so a tie at z = ±0 predicts 1.
                predicts_1(m, 0.0, out=flags)
                wrong = np.count_nonzero(negatives)
                correct += negatives.shape[0] - int(wrong) + int(np.count_nonzero(positives))
                if flip:
                    np.negative(flip[0], out=flip[0])  # now m = s·z in the y = 1 tail too
                # softplus(m) = max(m, 0) + log1p(e): a sum of terms ≥ 0, so no cancellation
                # whatever the spread of the margins.
                np.maximum(m, zeros, out=v)  # an array operand: the scalar form is 2× slower
                np.abs(m, out=u)
                np.negative(u, out=u)
                np.exp(u, out=e)  # e = exp(−|m|) ∈ [0, 1], never overflows
                np.log1p(e, out=u)
                u += v
                loss += float(np.add.reduce(u))
                # σ(m) = g/(1 + e) with g = min(1, e + max(m, 0)): e + m ≥ 1 for m ≥ 0
                # (1 − e^(−m) ≤ m), so g is 1 there (to 1 ulp), and g = e exactly for m < 0.
                v += e
                np.minimum(v, rows[2], out=v)  # rows[2] is the ones row
                e += 1.0
                v /= e  # σ(m), to a few ulp even where it is ~1e-300
                # Residual ŷ − y = s·σ(m); [x1; x2; 1] @ residual is the gradient's three
                # sums in one BLAS call.
                if flip:
                    np.negative(flip[1], out=flip[1])
                if sign > 0:
                    gradient += rows @ v
                else:
                    gradient -= rows @ v
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
        # Rows [x1; x2; 1], y = 0 points first (np.compress into place: the quickest copy).
        # The ones row lets one matrix-vector product give all three gradient sums.
        rows = np.empty((3, self.n))
        negative = ~positive
        for row in range(2):
            np.compress(negative, X[:, row], out=rows[row, :n_negative])
            np.compress(positive, X[:, row], out=rows[row, n_negative:])
        rows[2] = 1.0
        # The cores this process may run on (a container may allow fewer than the machine has).
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

        def chunks(begin: int, end: int) -> list[tuple[np.ndarray, int]]:
            """Equal chunks of at most CHUNK points covering [begin, end), each with its
            count of y = 0 points (only one chunk of all can hold both labels)."""
            count = -(-(end - begin) // CHUNK)
            bounds = [begin + (end - begin) * i // count for i in range(count + 1)]
            return [
                (rows[:, lo:hi], min(max(n_negative - lo, 0), hi - lo))
                for lo, hi in zip(bounds[:-1], bounds[1:])
            ]

        if self.n >= PARALLEL_MIN and cores > 1:
            # Two halves of the points; the caller's thread works on the first.
            half = self.n // 2
            self._workers = [_Worker(chunks(0, half)), _Worker(chunks(half, self.n))]
            self._pool = ThreadPoolExecutor(1)
        else:
            self._workers = [_Worker(chunks(0, self.n))]
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
