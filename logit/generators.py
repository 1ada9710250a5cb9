"""Synthetic two-class data sets, each showing one lesson about the linear classifier.

Every generator draws from ``numpy.random.default_rng(seed)`` only, so a seed gives
the same points on every run and machine. Features are on a natural scale of roughly
−4..4 (not standardised), so the separating line is visible in the plot.

``noise`` runs from 0 (tidy) to 1 (messy) and widens each generator's spread:

========== =================================================================
kind       what ``noise`` scales
========== =================================================================
blobs      standard deviation of each blob, 0.1 + 0.6·noise (centres ±1.5)
overlap    standard deviation of each blob, 0.5 + 0.6·noise (centres ±0.75, ±0.5)
xor        standard deviation of the four clusters, 0.2 + 0.6·noise (centres ±1.8)
circles    radial jitter of disc and ring, 0.05 + 0.5·noise (radii ≤ 1.2 and 3)
outliers   standard deviation of the blobs, 0.2 + 0.5·noise; 5 % of points are outliers
imbalanced standard deviation of the blobs, 0.4 + 0.5·noise; 10 % of points are class 1
========== =================================================================
"""

from __future__ import annotations

import math
import numbers
from typing import Callable

import numpy as np

from logit.dataset import Dataset, quote, quote_list
from logit.errors import DataError

GENERATORS: dict[str, str] = {
    "blobs": "Two separate Gaussian blobs: a straight line splits them (more noise brings them closer).",
    "overlap": "Two overlapping Gaussian blobs: no line is perfect, the best one still errs.",
    "xor": "XOR: opposite corners share a class, so no single straight line can separate them.",
    "circles": "One class inside a ring of the other: a straight line cannot enclose it.",
    "outliers": "Two separate blobs plus a few mislabelled or far-away points that pull the line.",
    "imbalanced": "About 1 point of class 1 for every 9 of class 0: accuracy alone misleads.",
}

MIN_POINTS = 2
MAX_POINTS = 1_000_000
# Share of points that are outliers / of class 1 in the "outliers" / "imbalanced" sets.
OUTLIER_SHARE = 0.05
POSITIVE_SHARE_IMBALANCED = 0.1


def generate(kind: str, n: int = 200, noise: float = 0.3, seed: int = 0) -> Dataset:
    """Draw a synthetic data set.

    Parameters
    ----------
    kind : str
        One of :data:`GENERATORS`.
    n : int
        Number of points, 2 … 1,000,000. Both classes are always present.
    noise : float
        0 … 1; how much the points spread (see the module docstring for each kind).
    seed : int
        ≥ 0; the same seed gives the same points.

    Returns
    -------
    Dataset
        ``X`` of shape (n, 2), ``y`` of shape (n,), features named ``x1``, ``x2``,
        label ``y`` with classes ``"0"`` and ``"1"``, rows in random order.

    Raises
    ------
    DataError
        ``unknown_generator``, ``generator_n``, ``generator_noise`` or ``generator_seed``.
    """
    if not isinstance(kind, str) or kind not in GENERATORS:
        raise DataError("unknown_generator", kind=quote(kind), kinds=quote_list(GENERATORS))
    if not _is_whole(n) or not MIN_POINTS <= n <= MAX_POINTS:
        raise DataError("generator_n", value=quote(n))
    if not _is_real(noise) or not 0.0 <= noise <= 1.0:
        raise DataError("generator_noise", value=quote(noise))
    if not _is_whole(seed) or seed < 0:
        raise DataError("generator_seed", value=quote(seed))
    n, noise, seed = int(n), float(noise), int(seed)
    rng = np.random.default_rng(seed)
    X, y = _DRAW[kind](rng, n, noise)
    # Shuffle so that the classes interleave (the table and mini-batches look natural).
    order = rng.permutation(n)
    return Dataset(
        X=X[order],
        y=y[order],
        source=f"{kind}, n={n}, noise={noise:g}, seed={seed}",
    )


def _class_sizes(n: int, positive_share: float = 0.5) -> tuple[int, int]:
    """(n0, n1) with both at least 1 for n ≥ 2."""
    n1 = min(max(round(n * positive_share), 1), n - 1)
    return n - n1, n1


def _two_blobs(
    rng: np.random.Generator, n0: int, n1: int, centre0: tuple[float, float], centre1: tuple[float, float], std: float
) -> tuple[np.ndarray, np.ndarray]:
    """n0 points around centre0 labelled 0, then n1 around centre1 labelled 1."""
    X = np.concatenate(
        [rng.normal(centre0, std, size=(n0, 2)), rng.normal(centre1, std, size=(n1, 2))]
    )
    y = np.concatenate([np.zeros(n0), np.ones(n1)])
    return X, y


def _blobs(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    # Centres 4.2 apart: at noise 1 (std 0.7) they are 3 standard deviations from the midline.
    n0, n1 = _class_sizes(n)
    return _two_blobs(rng, n0, n1, (-1.5, -1.5), (1.5, 1.5), 0.1 + 0.6 * noise)


def _overlap(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    # Centres 1.8 apart, under 3 standard deviations even at noise 0: always some overlap.
    n0, n1 = _class_sizes(n)
    return _two_blobs(rng, n0, n1, (-0.75, -0.5), (0.75, 0.5), 0.5 + 0.6 * noise)


def _xor(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    # Class 1 in the quadrants where x1 and x2 share a sign; each class splits over two clusters.
    n0, n1 = _class_sizes(n)
    std = 0.2 + 0.6 * noise
    corner_signs0 = rng.choice([-1.0, 1.0], size=n0)
    corner_signs1 = rng.choice([-1.0, 1.0], size=n1)
    centres0 = 1.8 * np.column_stack([corner_signs0, -corner_signs0])
    centres1 = 1.8 * np.column_stack([corner_signs1, corner_signs1])
    X = np.concatenate([centres0, centres1]) + rng.normal(0.0, std, size=(n, 2))
    y = np.concatenate([np.zeros(n0), np.ones(n1)])
    return X, y


def _circles(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    # Class 1 fills a disc of radius 1.2 (uniform by area), class 0 a ring of radius 3.
    n0, n1 = _class_sizes(n)
    jitter = 0.05 + 0.5 * noise
    radius1 = 1.2 * np.sqrt(rng.uniform(0.0, 1.0, size=n1)) + rng.normal(0.0, jitter, size=n1)
    radius0 = 3.0 + rng.normal(0.0, jitter, size=n0)
    angles = rng.uniform(0.0, 2.0 * np.pi, size=n)
    radius = np.concatenate([radius0, np.abs(radius1)])
    X = np.column_stack([radius * np.cos(angles), radius * np.sin(angles)])
    y = np.concatenate([np.zeros(n0), np.ones(n1)])
    return X, y


def _outliers(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    # Separable blobs; then some points keep their label but move: half into the other
    # blob (mislabelled), half far out on the other class's side (they pull the line most).
    n0, n1 = _class_sizes(n)
    X, y = _two_blobs(rng, n0, n1, (-1.5, -1.5), (1.5, 1.5), 0.2 + 0.5 * noise)
    count = round(n * OUTLIER_SHARE)
    chosen = rng.choice(n, size=count, replace=False)
    other_side = np.where(y[chosen] == 1.0, -1.0, 1.0)[:, None]
    mislabelled, far = chosen[: count // 2], chosen[count // 2 :]
    X[mislabelled] = other_side[: count // 2] * 1.5 + rng.normal(0.0, 0.3, size=(len(mislabelled), 2))
    X[far] = other_side[count // 2 :] * rng.uniform(3.2, 3.8, size=(len(far), 2))
    return X, y


def _imbalanced(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    n0, n1 = _class_sizes(n, POSITIVE_SHARE_IMBALANCED)
    return _two_blobs(rng, n0, n1, (-0.8, -0.6), (1.4, 1.2), 0.4 + 0.5 * noise)


_DRAW: dict[str, Callable[[np.random.Generator, int, float], tuple[np.ndarray, np.ndarray]]] = {
    "blobs": _blobs,
    "overlap": _overlap,
    "xor": _xor,
    "circles": _circles,
    "outliers": _outliers,
    "imbalanced": _imbalanced,
}


def _is_whole(value: object) -> bool:
    """An int (Python or numpy), not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value: object) -> bool:
    """A finite real number (Python or numpy), not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
