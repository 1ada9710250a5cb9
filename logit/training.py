"""Gradient descent, one recorded iteration at a time.

An iteration is one update of all three parameters at once, from the gradient at the
same point::

    w1 ← w1 − α·∂J/∂w1,   w2 ← w2 − α·∂J/∂w2,   b ← b − α·∂J/∂b

where J is the mean log loss of the batch (+ (λ/2)(w1² + w2²) for L2). The batch is
the full data (default), a mini-batch of B points, or one point (stochastic), drawn
from a permutation that is reshuffled every epoch from an explicit seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from logit.errors import SettingsError
from logit.evaluation import FullDataEvaluator
from logit.messages import Notice
from logit.model import l2_gradient
from logit.scaling import Standardizer
from logit.validation import checked_points

Status = Literal["converged", "max_iterations", "diverged"]

# The loss counts as exploding once it exceeds both this multiple of its starting value
# and an absolute floor (a mean log loss of 10 means points ~10 logits on the wrong side).
DIVERGENCE_FACTOR = 100.0
DIVERGENCE_FLOOR = 10.0


@dataclass(frozen=True)
class TrainingSettings:
    """Everything that determines a run (with the data).

    Attributes
    ----------
    learning_rate : float
        α > 0.
    max_iterations : int
        K ≥ 0 updates at most.
    batch_size : int or None
        None for the full batch, B ≥ 1 for mini-batches (1 = stochastic). A B of n or more
        is the full batch.
    l2 : float
        λ ≥ 0; adds λ·w to the gradient of w1 and w2 (b is not penalised).
    seed : int
        Seeds the mini-batch shuffling.
    init : tuple of 3 floats
        Initial (w1, w2, b), in the units training runs in.
    tolerance : float
        Converged when the full-data gradient's length falls below this.
    standardize : bool
        Train on z-scored features.
    """

    learning_rate: float = 0.1
    max_iterations: int = 1000
    batch_size: int | None = None
    l2: float = 0.0
    seed: int = 0
    init: tuple[float, float, float] = (0.0, 0.0, 0.0)
    tolerance: float = 1e-6
    standardize: bool = False

    def __post_init__(self) -> None:
        if not _finite_number(self.learning_rate) or self.learning_rate <= 0:
            raise SettingsError("learning_rate", value=self.learning_rate)
        if not _whole(self.max_iterations) or self.max_iterations < 0:
            raise SettingsError("iterations", value=self.max_iterations)
        if self.batch_size is not None and (not _whole(self.batch_size) or self.batch_size < 1):
            raise SettingsError("batch_size", value=self.batch_size)
        if not _finite_number(self.l2) or self.l2 < 0:
            raise SettingsError("l2", value=self.l2)
        if not _whole(self.seed) or self.seed < 0:
            raise SettingsError("seed", value=self.seed)
        if not _finite_number(self.tolerance) or self.tolerance <= 0:
            raise SettingsError("tolerance", value=self.tolerance)
        init = tuple(self.init) if np.ndim(self.init) == 1 else ()
        if len(init) != 3 or not all(_finite_number(v) for v in init):
            raise SettingsError("initial_parameters", value=self.init)
        object.__setattr__(self, "init", tuple(float(v) for v in init))
        object.__setattr__(self, "max_iterations", int(self.max_iterations))
        if self.batch_size is not None:
            object.__setattr__(self, "batch_size", int(self.batch_size))


@dataclass(frozen=True)
class Trajectory:
    """A run of gradient descent: the state at every iteration k = 0..K.

    Attributes
    ----------
    params : ndarray, shape (K+1, 3)
        (w1, w2, b) at iteration k, in the units training runs in.
    gradients : ndarray, shape (K+1, 3)
        The gradient used for the step from k to k+1 (the batch's, + λ·w). Row K is
        the gradient the next step would use.
    loss : ndarray, shape (K+1,)
        Full-data mean log loss at iteration k (without the penalty term).
    accuracy : ndarray, shape (K+1,)
        Full-data accuracy at iteration k (predict 1 where z ≥ 0, i.e. ŷ ≥ ½; decided
        on z because σ(z) rounds to exactly ½ for tiny negative z).
    gradient_norm : ndarray, shape (K+1,)
        Length of the full-data gradient (+ λ·w) at iteration k.
    status : {"converged", "max_iterations", "diverged"}
    reason : Notice
        Plain-words reason for the status, with a suggestion where one helps.
    settings : TrainingSettings
    scaler : Standardizer
        Maps trained units to the original feature units.
    """

    params: np.ndarray
    gradients: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray
    gradient_norm: np.ndarray
    status: Status
    reason: Notice
    settings: TrainingSettings
    scaler: Standardizer = field(default_factory=Standardizer.identity)

    @property
    def iterations(self) -> int:
        """K, the number of updates made."""
        return len(self.loss) - 1

    @property
    def params_original(self) -> np.ndarray:
        """(w1, w2, b) at every iteration in original feature units, shape (K+1, 3)."""
        return self.scaler.params_to_original(self.params)

    @property
    def final_params_original(self) -> np.ndarray:
        """(w1, w2, b) after the last update, in original feature units, shape (3,)."""
        return self.scaler.params_to_original(self.params[-1])

    @property
    def can_continue(self) -> bool:
        """True when more iterations would change something (it stopped at the maximum)."""
        return self.status == "max_iterations"


def train(X: np.ndarray, y: np.ndarray, settings: TrainingSettings | None = None) -> Trajectory:
    """Run gradient descent from ``settings.init`` for up to ``settings.max_iterations`` updates.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        Features in original units.
    y : ndarray, shape (n,)
        Labels 0.0 / 1.0.
    settings : TrainingSettings, optional

    Returns
    -------
    Trajectory
        Stops early when converged (gradient length < tolerance) or diverged (a
        parameter or the loss stopped being finite, or the loss exploded); the history
        up to the last finite iteration is kept.
    """
    settings = settings or TrainingSettings()
    X, y = checked_points(X, y)
    scaler = Standardizer.fit(X) if settings.standardize else Standardizer.identity()
    run = _Run(scaler.transform(X), y, settings)
    start = np.array(settings.init, dtype=float)
    return run.continue_from([start], [], [], [], [], settings.max_iterations, scaler)


def extend(trajectory: Trajectory, X: np.ndarray, y: np.ndarray, iterations: int) -> Trajectory:
    """Continue a run that stopped at its maximum for ``iterations`` more updates.

    The result is identical to one run of ``max_iterations + iterations`` updates on
    the same data (mini-batch order depends only on the seed and the iteration number).
    A converged or diverged run is returned unchanged.
    """
    if not _whole(iterations) or iterations < 0:
        raise SettingsError("iterations", value=iterations)
    if not trajectory.can_continue or iterations == 0:
        return trajectory
    X, y = checked_points(X, y)
    settings = replace(trajectory.settings, max_iterations=trajectory.settings.max_iterations + int(iterations))
    run = _Run(trajectory.scaler.transform(X), y, settings)
    K = trajectory.iterations
    # Drop row K's "next step" entries: they are recomputed identically as the loop resumes.
    return run.continue_from(
        list(trajectory.params),
        list(trajectory.gradients[:K]),
        list(trajectory.loss[:K]),
        list(trajectory.accuracy[:K]),
        list(trajectory.gradient_norm[:K]),
        settings.max_iterations,
        trajectory.scaler,
        first_loss=float(trajectory.loss[0]),
    )


def stable_learning_rate(X: np.ndarray, l2: float = 0.0) -> float:
    """A learning rate below which full-batch descent on these features cannot blow up.

    The log loss's curvature is at most ¼·λ_max(AᵀA/n) with A = [x1 x2 1], plus λ for
    the L2 term, and gradient descent is stable for α < 2/curvature; this returns half
    of that bound, 1 / (¼·λ_max + λ), rounded down to 1, 2 or 5 × a power of ten.
    At that α every full-batch step lowers the cost.

    Parameters
    ----------
    X : ndarray, shape (n, 2), in the units training runs in.
    l2 : float
        λ ≥ 0 of the run (0 for none).
    """
    X = np.asarray(X, dtype=float)
    design = np.column_stack([X, np.ones(len(X))])
    peak = np.max(np.abs(design))
    with np.errstate(over="ignore", invalid="ignore"):
        gram = (design / peak).T @ (design / peak) / len(X)
        largest = float(np.linalg.eigvalsh(gram)[-1]) * peak * peak
    if not math.isfinite(largest) or largest <= 0:
        return 0.0
    return _round_down_125(1.0 / (0.25 * largest + float(l2)))


def suggested_learning_rate(X: np.ndarray, settings: TrainingSettings) -> float:
    """The learning rate to suggest when ``settings.learning_rate`` is too large for features ``X``
    (in the units training runs in): :func:`stable_learning_rate` if it is smaller, else a tenth
    of the rate, rounded down to 1, 2 or 5 × a power of ten."""
    suggestion = stable_learning_rate(X, settings.l2)
    if not 0 < suggestion < settings.learning_rate:
        suggestion = _round_down_125(settings.learning_rate / 10)
    return suggestion


def remedy(suggestion: float, settings: TrainingSettings) -> Notice:
    """What to do about a learning rate that is too large: a smaller one, and standardising the
    features unless they are standardised already."""
    code = "remedy_smaller_rate" if settings.standardize else "remedy_smaller_rate_or_standardise"
    return Notice(code, {"suggestion": suggestion})


class _Run:
    """The loop of one run, on features already in trained units."""

    def __init__(self, X: np.ndarray, y: np.ndarray, settings: TrainingSettings) -> None:
        self.X, self.y, self.settings = X, y, settings
        n = len(y)
        batch = settings.batch_size
        self.batch_size = None if batch is None or batch >= n else batch
        self.evaluate = FullDataEvaluator(X, y)
        self._epoch_order: tuple[int, np.ndarray] | None = None

    def continue_from(self, params, gradients, losses, accuracies, norms, max_iterations, scaler,
                      first_loss: float | None = None) -> Trajectory:
        """Loop from ``params[-1]`` (iteration len(params) − 1); the lists hold the history so far."""
        s = self.settings
        status: Status = "max_iterations"
        detail: dict = {}
        while True:
            k = len(params) - 1
            current = params[-1]
            with np.errstate(over="ignore", invalid="ignore"):
                full = self.evaluate(current)
                full_gradient = full.gradient + l2_gradient(current, s.l2)
                norm = float(np.linalg.norm(full_gradient))
            if first_loss is None:
                first_loss = full.loss
            non_finite = _first_non_finite(current, full.loss, full_gradient)
            if non_finite and k > 0:
                status, detail = "diverged", {"iteration": k, "what": non_finite}
                params.pop()  # keep only the finite history
                break
            if non_finite:  # the starting point itself is unusable
                self.evaluate.close()
                raise SettingsError("start_not_finite", value=s.init, what=non_finite)
            if self.batch_size is None:
                step_gradient = full_gradient
            else:
                step_gradient = self._batch_gradient(current, k) + l2_gradient(current, s.l2)
            gradients.append(step_gradient)
            losses.append(full.loss)
            accuracies.append(full.accuracy)
            norms.append(norm)
            if full.loss > max(DIVERGENCE_FACTOR * first_loss, DIVERGENCE_FLOOR):
                status, detail = "diverged", {"start": first_loss, "end": full.loss, "iterations": k}
                break
            if norm < s.tolerance:
                status = "converged"
                break
            if k >= max_iterations:
                break
            with np.errstate(over="ignore", invalid="ignore"):
                params.append(current - s.learning_rate * step_gradient)
        self.evaluate.close()
        K = len(params) - 1
        return Trajectory(
            params=np.array(params, dtype=float).reshape(-1, 3),
            gradients=np.array(gradients, dtype=float).reshape(-1, 3),
            loss=np.array(losses, dtype=float),
            accuracy=np.array(accuracies, dtype=float),
            gradient_norm=np.array(norms, dtype=float),
            status=status,
            reason=self._reason(status, detail, norms[-1], K, losses),
            settings=replace(s, max_iterations=max_iterations),
            scaler=scaler,
        )

    def _batch_gradient(self, params: np.ndarray, k: int) -> np.ndarray:
        """Mean gradient over the mini-batch used by iteration k."""
        B = self.batch_size
        n = len(self.y)
        per_epoch = -(-n // B)  # the last batch of an epoch may be smaller
        epoch, index = divmod(k, per_epoch)
        if self._epoch_order is None or self._epoch_order[0] != epoch:
            rng = np.random.default_rng([self.settings.seed, epoch])
            self._epoch_order = (epoch, rng.permutation(n))
        rows = self._epoch_order[1][index * B : (index + 1) * B]
        Xb, yb = self.X[rows], self.y[rows]
        with np.errstate(over="ignore", invalid="ignore"):
            z = Xb @ params[:2] + params[2]
            e = np.exp(-np.abs(z))
            residual = np.where(z >= 0, 1.0, e) / (1.0 + e) - yb  # ŷ − y
            return np.array([residual @ Xb[:, 0], residual @ Xb[:, 1], residual.sum()]) / len(rows)

    def _reason(self, status: Status, detail: dict, norm: float, K: int, losses: list) -> Notice:
        s = self.settings
        if status == "converged":
            return Notice("converged", {"gradient_norm": norm, "tolerance": s.tolerance, "iterations": K})
        if status == "max_iterations" and not losses[-1] > losses[0]:
            return Notice("max_iterations", {"gradient_norm": norm, "iterations": K})
        suggestion = suggested_learning_rate(self.X, s)
        details = {**detail, "learning_rate": s.learning_rate, "suggestion": suggestion,
                   "remedy": remedy(suggestion, s)}
        if status == "max_iterations":
            details.update(iterations=K, start=losses[0], end=losses[-1])
            return Notice("max_iterations_rising", details)
        return Notice("diverged_non_finite" if "what" in detail else "diverged_growth", details)


def _first_non_finite(params: np.ndarray, loss: float, gradient: np.ndarray) -> str:
    """Name of the first quantity that is not finite, or ''."""
    for name, value in zip(("w1", "w2", "b"), params):
        if not math.isfinite(value):
            return name
    if not math.isfinite(loss):
        return "J"
    if not np.all(np.isfinite(gradient)):
        return "∂J/∂w"
    return ""


def _finite_number(value) -> bool:
    try:
        return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) and math.isfinite(value)
    except TypeError:
        return False


def _whole(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _round_down_125(value: float) -> float:
    """Largest 1, 2 or 5 × 10^k that is ≤ value (value > 0)."""
    if not math.isfinite(value) or value <= 0:
        return 0.0
    power = 10.0 ** math.floor(math.log10(value))
    for mantissa in (5.0, 2.0, 1.0):
        if mantissa * power <= value * (1 + 1e-12):
            return mantissa * power
    return power
