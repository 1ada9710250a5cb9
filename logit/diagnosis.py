"""What the loss so far says about a run, at every iteration: the status a learner sees at k.

A run's :attr:`~logit.training.Trajectory.status` speaks of its end (converged, diverged, out
of iterations). A learner stepping through it is at some iteration k and sees only the loss
up to k; the status there must describe that history, and say so as soon as it shows:

- **rising**: the mean loss is above where it started. The steps are too long for
  features of this scale and carry the weights away from the minimum.
- **oscillating** (full batch only): the loss went up in at least :data:`UPS` of the last
  :data:`WINDOW` steps. With the full batch and a learning rate small enough, every step
  lowers the loss; going up means the steps overshoot the bottom of the valley and bounce
  from side to side. (With mini-batches the loss on all the data wobbles anyway; only
  rising above the start is a warning there.)
- **descending** otherwise.

Increases smaller than a relative :data:`NOISE` are rounding, not a trend.
"""

from __future__ import annotations

import numpy as np

DESCENDING, RISING, OSCILLATING = 0, 1, 2
TRENDS = ("descending", "rising", "oscillating")
WINDOW = 6
UPS = 2
NOISE = 1e-9


def loss_trend(loss: np.ndarray, full_batch: bool = True) -> np.ndarray:
    """The trend the loss history shows at each iteration.

    Parameters
    ----------
    loss : ndarray, shape (K+1,)
        The mean loss at iterations 0..K (finite; a diverged run's history stops before
        the first non-finite value).
    full_batch : bool
        Whether every step used all the points (only then is an increase a warning sign).

    Returns
    -------
    ndarray of int8, shape (K+1,)
        :data:`DESCENDING`, :data:`RISING` or :data:`OSCILLATING` for each k, judged from
        ``loss[:k+1]`` only. Rising wins over oscillating; iteration 0 is descending.
    """
    loss = np.asarray(loss, dtype=float)
    trend = np.full(loss.shape, DESCENDING, dtype=np.int8)
    if loss.size < 2:
        return trend
    tolerance = NOISE * np.maximum(np.abs(loss[:-1]), 1.0)
    up = np.concatenate([[False], np.diff(loss) > tolerance])  # up[k]: the step into k raised the loss
    if full_batch:
        ups_in_window = np.convolve(up.astype(int), np.ones(WINDOW, dtype=int))[: loss.size]
        trend[ups_in_window >= UPS] = OSCILLATING
    trend[loss > loss[0] + NOISE * max(abs(loss[0]), 1.0)] = RISING
    return trend
