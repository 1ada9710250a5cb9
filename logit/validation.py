"""One check for the arrays every part of the core takes: features (n, 2) and 0/1 labels (n,)."""

from __future__ import annotations

import numpy as np

from logit.errors import DataError


def checked_points(X, y, *, min_rows: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """``X`` and ``y`` as float arrays, or a :class:`DataError` saying what is wrong.

    Parameters
    ----------
    X : array_like, shape (n, 2), finite
    y : array_like, shape (n,), each 0 or 1
    min_rows : the fewest points the caller can work with (0 points is "no_points" when 1 is enough)

    Returns
    -------
    X : ndarray, shape (n, 2), float64
    y : ndarray, shape (n,), float64
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise DataError("features_shape", shape=X.shape)
    if y.shape != (X.shape[0],):
        raise DataError("labels_shape", n=X.shape[0], shape=y.shape)
    if X.shape[0] < min_rows:
        raise DataError("no_points" if min_rows == 1 else "too_few_rows", n=X.shape[0])
    finite = np.isfinite(X)
    if not finite.all():
        raise DataError("non_finite_features", count=int(np.count_nonzero(~finite)))
    not_binary = (y != 0.0) & (y != 1.0)
    if not_binary.any():
        raise DataError("labels_values", found=sorted(set(y[not_binary].tolist()))[:5])
    return X, y
