"""From probabilities to decisions: the confusion matrix at a decision threshold.

The model gives a probability ŷ for every point; a threshold t turns it into a class,
1 where ŷ ≥ t and 0 otherwise. t = ½ is the line w1·x1 + w2·x2 + b = 0; another t
is the parallel line w1·x1 + w2·x2 + b = ln(t/(1−t)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from logit.errors import DataError, SettingsError


@dataclass(frozen=True, eq=False)
class ThresholdMetrics:
    """How well the decisions at one threshold match the labels.

    Attributes
    ----------
    threshold : float
    matrix : ndarray, shape (2, 2), int64
        Counts; rows are the actual class 0/1, columns the predicted class 0/1:
        [[TN, FP], [FN, TP]].
    accuracy : float
        (TN + TP) / n.
    precision : float or None
        TP / (TP + FP): of the points predicted 1, the share that are 1. None when no
        point is predicted 1 (undefined).
    recall : float or None
        TP / (TP + FN): of the points that are 1, the share predicted 1. None when no
        point is 1 (undefined).

    Equality is identity (``eq=False``), as for :class:`~logit.dataset.Dataset`.
    """

    threshold: float
    matrix: np.ndarray
    accuracy: float
    precision: float | None
    recall: float | None

    @property
    def n(self) -> int:
        return int(self.matrix.sum())

    @property
    def tn(self) -> int:
        return int(self.matrix[0, 0])

    @property
    def fp(self) -> int:
        return int(self.matrix[0, 1])

    @property
    def fn(self) -> int:
        return int(self.matrix[1, 0])

    @property
    def tp(self) -> int:
        return int(self.matrix[1, 1])


def predict(probability: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Predicted classes 0/1 (int): 1 where probability ≥ threshold."""
    _check_threshold(threshold)
    return (np.asarray(probability, dtype=float) >= float(threshold)).astype(np.int64)


def confusion_matrix(y: np.ndarray, probability: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Counts of (actual, predicted) pairs.

    Parameters
    ----------
    y : ndarray, shape (n,), labels 0/1
    probability : ndarray, shape (n,), the model's ŷ, each in [0, 1]
    threshold : float in [0, 1]; predict 1 where ŷ ≥ threshold

    Returns
    -------
    ndarray, shape (2, 2), int64
        ``[[TN, FP], [FN, TP]]``: rows actual 0 and 1, columns predicted 0 and 1. The
        counts add up to n.
    """
    _check_threshold(threshold)
    positive, probability = _validated(y, probability)
    predicted = probability >= float(threshold)
    tp = int(np.count_nonzero(predicted & positive))
    fp = int(np.count_nonzero(predicted & ~positive))
    fn = int(np.count_nonzero(positive)) - tp
    tn = int(positive.size) - tp - fp - fn
    return np.array([[tn, fp], [fn, tp]], dtype=np.int64)


def threshold_metrics(y: np.ndarray, probability: np.ndarray, threshold: float = 0.5) -> ThresholdMetrics:
    """Confusion matrix, accuracy, precision and recall at ``threshold``.

    Precision and recall are None (not 0, not a warning) where their denominator is 0.
    """
    matrix = confusion_matrix(y, probability, threshold)
    matrix.setflags(write=False)
    (tn, fp), (fn, tp) = matrix.tolist()
    n = tn + fp + fn + tp
    return ThresholdMetrics(
        threshold=float(threshold),
        matrix=matrix,
        accuracy=(tn + tp) / n,
        precision=tp / (tp + fp) if tp + fp else None,
        recall=tp / (tp + fn) if tp + fn else None,
    )


def accuracy_by_threshold(y: np.ndarray, probability: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Accuracy at each of many thresholds, in O((n + m) log n).

    Parameters
    ----------
    y : ndarray, shape (n,), labels 0/1
    probability : ndarray, shape (n,)
    thresholds : array_like, shape (m,), each in [0, 1]

    Returns
    -------
    ndarray, shape (m,): equal to ``threshold_metrics(y, probability, t).accuracy`` for each t.
    """
    thresholds = np.asarray(thresholds, dtype=float)
    if thresholds.ndim != 1:
        raise SettingsError("threshold", value=f"an array of shape {thresholds.shape}")
    bad = ~((thresholds >= 0) & (thresholds <= 1))  # NaN too
    if np.any(bad):
        raise SettingsError("threshold", value=float(thresholds[bad][0]))
    positive, probability = _validated(y, probability)
    on_positives = np.sort(probability[positive])
    on_negatives = np.sort(probability[~positive])
    # Below t (predicted 0): right for the negatives, wrong for the positives.
    negatives_below = np.searchsorted(on_negatives, thresholds, side="left")
    positives_below = np.searchsorted(on_positives, thresholds, side="left")
    correct = negatives_below + (on_positives.size - positives_below)
    return correct / probability.size


def _check_threshold(threshold: float) -> None:
    ok = isinstance(threshold, (int, float, np.integer, np.floating)) and not isinstance(threshold, bool)
    if not ok or not math.isfinite(threshold) or not 0 <= threshold <= 1:
        raise SettingsError("threshold", value=threshold)


def _validated(y: np.ndarray, probability: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(y == 1 as bool, probability as float) after checking shapes and values."""
    y = np.asarray(y, dtype=float)
    probability = np.asarray(probability, dtype=float)
    if y.ndim != 1:
        raise DataError("labels_shape", n=y.size, shape=y.shape)
    if y.size == 0:
        raise DataError("no_points")
    if probability.shape != y.shape:
        raise DataError("probability_shape", n=y.size, shape=probability.shape)
    bad = ~((y == 0) | (y == 1))
    if np.any(bad):
        raise DataError("labels_values", found=sorted(set(y[bad].tolist()))[:5])
    outside = ~((probability >= 0) & (probability <= 1))
    if np.any(outside):
        raise DataError("probability_values", found=sorted(set(probability[outside].tolist()), key=str)[:5])
    return y == 1, probability
