"""The runs the page shows: which one, computing it, extending it, and the runs at
the learning rates next to it, computed ahead.

A run is identified once, by :class:`~logit.ui.run_key.RunKey` (the data's fingerprint and the
settings): the cache key, the run the session keeps, the revision the training view knows it by
and a pin's identity all come from it.
"""

from __future__ import annotations

import dataclasses
import math

import streamlit as st

from logit.errors import LogitError
from logit.training import Trajectory, TrainingSettings, extend
from logit.ui import cached, state
from logit.ui.context import Page
from logit.ui.state import LEARNING_RATES

# Point-iterations computed ahead for the learning rates next to the chosen one, so that
# choosing one of them redraws at once (4 runs of 1,000 iterations at 1,000 points).
AHEAD_BUDGET = 4_000_000
UP_FRONT_BUDGET = 20_000_000  # point-iterations computed before the page first shows a run
MIN_UP_FRONT = 20


def trained(page: Page, settings: TrainingSettings | None = None, compute: bool = True) -> Trajectory:
    """The whole run on the page's data with ``settings`` (default: the page's), shared between
    sessions through the cache; with ``compute=False`` only a cached one (else :class:`cached.NotCached`)."""
    key = page.run_key(settings)
    dataset = page.data.dataset
    return cached.trained(key.text, dataset.X, dataset.y, key.settings, _compute=compute)


def current_run(page: Page) -> Trajectory:
    """The run for this data and these settings, extended by Play if it has been."""
    key = page.run_key()
    stored = state.session("run")
    if stored is not None and stored[0] == key:
        return stored[1]
    with st.spinner(page.tr("busy.training")):
        trajectory = trained(page)
    state.keep(run=(key, trajectory))
    return trajectory


def extended(page: Page, trajectory: Trajectory, target: int) -> Trajectory:
    """Compute more iterations (Play past the end): enough for a while, not so many that it stalls."""
    n = page.data.dataset.n
    chunk = max(target - trajectory.iterations, min(200, max(10, 2_000_000 // n)))
    trajectory = extend(trajectory, page.data.dataset.X, page.data.dataset.y, chunk)
    state.keep(run=(page.run_key(), trajectory))
    return trajectory


def iterations_up_front(requested: int, n: int) -> int:
    """Iterations to compute before the page shows: the request, within a budget of point-iterations.

    1,000 iterations of 100,000 points take about a second; large data get fewer up front
    (200 at 100,000 points, 20 at a million) and Step and Play compute more as they go.
    """
    return max(1, min(requested, max(MIN_UP_FRONT, UP_FRONT_BUDGET // max(n, 1))))


# --- the learning rate and the rates next to it ------------------------------------------------------

def learning_rate_named(value) -> float | None:
    """The offered learning rate equal to ``value`` (a number or its text), or None."""
    try:
        wanted = float(value)
    except (TypeError, ValueError):
        return None
    return next((rate for rate in LEARNING_RATES if math.isclose(rate, wanted, rel_tol=1e-9)), None)


def nearby_learning_rates(rate: float) -> list[float]:
    """The rates one notch up and down, then ×10 and ÷10: the what-ifs computed ahead, in that order."""
    index = LEARNING_RATES.index(rate)
    tenfold = [learning_rate_named(rate * 10), learning_rate_named(rate / 10)]
    notches = [LEARNING_RATES[i] for i in (index + 1, index - 1) if 0 <= i < len(LEARNING_RATES)]
    return list(dict.fromkeys(r for r in notches + tenfold if r is not None))


def runs_ahead(page: Page, compute: bool = True) -> tuple[list[tuple[TrainingSettings, Trajectory]], bool]:
    """The runs at the learning rates next to the chosen one, within :data:`AHEAD_BUDGET`, and
    whether that is all of them (with ``compute=False``, only those already computed).

    Shared between sessions through the run cache: choosing one of these rates finds its run
    ready, and a room on the same page computes each once.
    """
    dataset, settings = page.data.dataset, page.settings
    cost = dataset.n * max(settings.max_iterations, 1)
    found, complete = [], True
    for rate in nearby_learning_rates(settings.learning_rate)[: AHEAD_BUDGET // cost]:
        other = dataclasses.replace(settings, learning_rate=rate)
        try:
            found.append((other, trained(page, other, compute=compute)))
        except cached.NotCached:
            complete = False
        except LogitError:  # as the run on show would be (only the start, not α, can fail); it says why
            break
    return found, complete
