"""Where the model puts its boundary: the separating line and σ(z) over a grid."""

from __future__ import annotations

import numpy as np

from logit.model import sigmoid

Box = tuple[float, float, float, float]  # (x1_min, x1_max, x2_min, x2_max)


def separating_line(params: np.ndarray, box: Box) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """Endpoints of w1·x1 + w2·x2 + b = 0 inside ``box``, or None if it misses the box.

    Handles a vertical line (w2 = 0) and no line at all (w1 = w2 = 0).

    Parameters
    ----------
    params : ndarray, shape (3,)
        (w1, w2, b) in the box's units.
    box : (x1_min, x1_max, x2_min, x2_max)

    Returns
    -------
    ((x1_a, x2_a), (x1_b, x2_b)) or None
    """
    # Plain Python floats: their arithmetic overflows to ±inf silently, where numpy
    # scalars from the caller's box would warn (e.g. b / w2 with w2 = 1e-310).
    w1, w2, b = (float(v) for v in params)
    x1_min, x1_max, x2_min, x2_max = (float(v) for v in box)
    if not all(np.isfinite([w1, w2, b])) or (w1 == 0 and w2 == 0):
        return None
    points: list[tuple[float, float]] = []
    if w2 != 0:  # crossings of the left and right edges
        for x1 in (x1_min, x1_max):
            x2 = -(w1 * x1 + b) / w2
            if x2_min <= x2 <= x2_max:
                points.append((x1, x2))
    if w1 != 0:  # crossings of the bottom and top edges
        for x2 in (x2_min, x2_max):
            x1 = -(w2 * x2 + b) / w1
            if x1_min <= x1 <= x1_max:
                points.append((x1, x2))
    points = sorted(set(points))
    if len(points) < 2:
        return None
    return points[0], points[-1]


def probability_grid_axes(box: Box, resolution: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """The x1 and x2 coordinates of :func:`probability_grid`, shapes (resolution,) each."""
    return np.linspace(box[0], box[1], resolution), np.linspace(box[2], box[3], resolution)


def probability_grid(params: np.ndarray, box: Box, resolution: int = 60) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """σ(w1·x1 + w2·x2 + b) on a regular grid over ``box``.

    Returns
    -------
    x1 : ndarray, shape (resolution,)
    x2 : ndarray, shape (resolution,)
    probability : ndarray, shape (resolution, resolution), rows along x2
    """
    w1, w2, b = (float(v) for v in params)
    x1, x2 = probability_grid_axes(box, resolution)
    with np.errstate(over="ignore", invalid="ignore"):
        z = w1 * x1[None, :] + w2 * x2[:, None] + b
    z = np.nan_to_num(z, nan=0.0)
    return x1, x2, sigmoid(z)


def padded_box(X: np.ndarray, margin: float = 0.08) -> Box:
    """The data's bounding box grown by ``margin`` of its size on each side (shape (n, 2) in)."""
    low, high = np.min(X, axis=0), np.max(X, axis=0)
    magnitude = np.maximum(np.abs(low), np.abs(high))
    # A spread below 1e-9 of the values' size (1e6 and its next float) would give a
    # margin smaller than the rounding of the bounds, i.e. no margin at all: widen it.
    span = np.where(high > low, np.maximum(high - low, 1e-9 * magnitude), np.maximum(magnitude, 1.0))
    low, high = low - margin * span, high + margin * span
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])
