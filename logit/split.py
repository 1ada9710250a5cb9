"""Hold out a test set, and measure a whole run on any data set.

:func:`train_test_split` divides a :class:`~logit.dataset.Dataset` into a training part
(gradient descent sees only these points) and a test part (never used for a gradient),
stratified by class. :func:`path_metrics` evaluates the mean log loss and the accuracy of
every iteration of a run on any points, e.g. the held-out ones, for curves next to the
training loss.
"""

from __future__ import annotations

import math

import numpy as np

from logit.dataset import Dataset
from logit.errors import DataError, SettingsError
from logit.validation import checked_points

# path_metrics works on blocks of iterations × points of about this many scores (8 MB).
CHUNK_ELEMENTS = 1_000_000
# Each part of a split needs this many points to be a Dataset.
MIN_PART = 2


def train_test_split(dataset: Dataset, test_fraction: float = 0.25, seed: int = 0) -> tuple[Dataset, Dataset]:
    """Split into a training and a test data set, stratified by class.

    Parameters
    ----------
    dataset : Dataset
        At least 4 points.
    test_fraction : float
        Share of the points held out for testing, 0 < test_fraction < 1. The test part has
        ``round(n · test_fraction)`` points, kept between 2 and n − 2.
    seed : int
        ≥ 0; the same seed gives the same split (``np.random.default_rng(seed)``).

    Returns
    -------
    (train, test) : tuple of Dataset
        Same feature names, label name, classes and source as ``dataset``; the loading
        notices are dropped (they describe the rows of the whole file). Within each part
        the points keep their original order. Each class is divided in proportion to its
        size; a class with 2 or more points has at least one point in each part.

    Raises
    ------
    SettingsError
        ``test_fraction`` or ``seed`` out of range.
    DataError
        Fewer than 4 points.
    """
    train_rows, test_rows = split_indices(dataset.y, test_fraction, seed)
    return (
        dataset.with_rows(dataset.X[train_rows], dataset.y[train_rows]),
        dataset.with_rows(dataset.X[test_rows], dataset.y[test_rows]),
    )


def split_indices(y: np.ndarray, test_fraction: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers of the training and the test part of :func:`train_test_split`.

    Parameters
    ----------
    y : ndarray, shape (n,), labels 0.0 / 1.0
    test_fraction, seed : see :func:`train_test_split`

    Returns
    -------
    (train_rows, test_rows) : two sorted int arrays that together hold every row once.
    """
    if not _finite_number(test_fraction) or not 0 < test_fraction < 1:
        raise SettingsError("test_fraction", value=test_fraction)
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise SettingsError("split_seed", value=seed)
    y = np.asarray(y, dtype=float)
    if y.ndim != 1:
        raise DataError("labels_shape", n=y.size, shape=y.shape)
    n = int(y.shape[0])
    if n < 2 * MIN_PART:
        raise DataError("split_too_few_rows", n=n)
    target = min(max(math.floor(n * float(test_fraction) + 0.5), MIN_PART), n - MIN_PART)
    members = [np.flatnonzero(y == label) for label in (0.0, 1.0)]
    counts = np.array([len(rows) for rows in members])
    taken = _allocate(counts, target)
    rng = np.random.default_rng(int(seed))
    test = np.concatenate([rng.permutation(rows)[:k] for rows, k in zip(members, taken)])
    is_test = np.zeros(n, dtype=bool)
    is_test[test] = True
    return np.flatnonzero(~is_test), np.flatnonzero(is_test)


def _allocate(counts: np.ndarray, target: int) -> list[int]:
    """Test points per class: ``target`` in all, in proportion to the class sizes.

    A class of 2 or more points gives at least one and keeps at least one; a class of one
    point keeps it. Feasible for 2 ≤ target ≤ n − 2 (two classes).
    """
    n = int(counts.sum())
    ideal = counts * target / n
    low = np.where(counts >= 2, 1, 0)
    high = np.where(counts >= 2, counts - 1, 0)
    taken = np.clip(np.floor(ideal).astype(int), low, high)
    # Largest remainder first; ties go to the larger class, then to class 0.
    while taken.sum() < target:
        room = np.flatnonzero(taken < high)
        best = max(room, key=lambda c: (ideal[c] - taken[c], counts[c], -c))
        taken[best] += 1
    while taken.sum() > target:
        room = np.flatnonzero(taken > low)
        worst = min(room, key=lambda c: (ideal[c] - taken[c], -counts[c], c))
        taken[worst] -= 1
    return [int(k) for k in taken]


def path_metrics(params: np.ndarray, X: np.ndarray, y: np.ndarray, threshold: float = 0.5,
                 chunk_elements: int = CHUNK_ELEMENTS) -> tuple[np.ndarray, np.ndarray]:
    """Mean log loss and accuracy on (X, y) at every iteration of a run.

    Parameters
    ----------
    params : ndarray, shape (K+1, 3)
        (w1, w2, b) of each iteration in the units of ``X`` — for original features,
        ``Trajectory.params_original``.
    X : ndarray, shape (n, 2)
    y : ndarray, shape (n,), labels 0.0 / 1.0
    threshold : float
        Predict 1 where ŷ ≥ threshold (0 ≤ threshold ≤ 1). Decided on the score:
        ŷ ≥ t ⇔ z ≥ ln(t/(1−t)), so at 0.5 this is z ≥ 0, exactly the rule of
        ``Trajectory.accuracy``.
    chunk_elements : int
        Scores computed at once (memory ≈ 8 bytes each); iterations are taken in blocks.

    Returns
    -------
    loss : ndarray, shape (K+1,)
        Mean of ``log_loss`` per iteration, computed from z (finite for finite z; +inf
        where a score overflowed on the wrong side).
    accuracy : ndarray, shape (K+1,)
        Share of the points predicted correctly per iteration.

    Raises
    ------
    SettingsError
        ``params`` not of shape (K+1, 3), or a threshold outside [0, 1].
    DataError
        ``X`` not (n, 2) with n ≥ 1 finite values, or ``y`` not n labels 0/1.
    """
    params = np.asarray(params, dtype=float)
    if params.ndim != 2 or params.shape[1] != 3:
        raise SettingsError("params_shape", shape=params.shape)
    if not _finite_number(threshold) or not 0 <= threshold <= 1:
        raise SettingsError("threshold", value=threshold)
    X, y = checked_points(X, y, min_rows=1)
    cut = score_threshold(threshold)
    steps, n = params.shape[0], X.shape[0]
    loss = np.empty(steps)
    accuracy = np.empty(steps)
    sign = 1.0 - 2.0 * y  # margin m = s·z: the loss is softplus(m)
    positive = y == 1.0
    x1, x2 = X[:, 0], X[:, 1]
    block = max(1, int(chunk_elements) // n)
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, steps, block):
            p = params[start : start + block]
            # The operations of logit.model.scores, in the same order: z is the model's z.
            z = p[:, 0:1] * x1 + p[:, 1:2] * x2 + p[:, 2:3]
            loss[start : start + block] = np.logaddexp(0.0, sign * z).mean(axis=1)
            accuracy[start : start + block] = np.count_nonzero((z >= cut) == positive, axis=1) / n
    return loss, accuracy


def score_threshold(threshold: float) -> float:
    """The score where σ(z) = threshold: z = ln(t/(1−t)); −inf for 0 and +inf for 1.

    The line w1·x1 + w2·x2 + b = ln(t/(1−t)) is where the model's probability equals t:
    parallel to the 0.5 line z = 0, shifted towards class 1 for t > ½.
    """
    t = float(threshold)
    if t <= 0:
        return -math.inf
    if t >= 1:
        return math.inf
    return math.log(t / (1.0 - t))  # exactly 0 at t = ½


def _finite_number(value) -> bool:
    return (isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
            and math.isfinite(value))
