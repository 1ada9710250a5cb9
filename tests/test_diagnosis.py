"""The trend of the loss at every iteration (logit.diagnosis): judged from the history up to k only,
and flagged as soon as it shows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from logit import TrainingSettings, load_csv, train
from logit.diagnosis import DESCENDING, NOISE, OSCILLATING, RISING, UPS, WINDOW, loss_trend
from logit.generators import generate

REAL = Path(__file__).resolve().parent / "data" / "real"


def trend_by_definition(loss: list[float], k: int, full_batch: bool) -> int:
    """The module's rules for one k, written out plainly from loss[:k+1]."""
    seen = loss[: k + 1]
    if seen[-1] > seen[0] + NOISE * max(abs(seen[0]), 1.0):
        return RISING
    if full_batch:
        ups = sum(seen[i] - seen[i - 1] > NOISE * max(abs(seen[i - 1]), 1.0)
                  for i in range(max(1, k - WINDOW + 1), k + 1))
        if ups >= UPS:
            return OSCILLATING
    return DESCENDING


losses = st.lists(st.floats(0.0, 100.0, allow_nan=False), min_size=1, max_size=40)


@given(losses, st.booleans())
def test_the_trend_at_k_follows_the_rules_and_sees_only_the_history_up_to_k(loss, full_batch):
    trend = loss_trend(np.array(loss), full_batch)
    assert trend.shape == (len(loss),)
    assert trend.tolist() == [trend_by_definition(loss, k, full_batch) for k in range(len(loss))]
    # Nothing after k changes the judgement at k.
    for k in range(len(loss)):
        assert loss_trend(np.array(loss[: k + 1]), full_batch)[k] == trend[k]


@given(st.lists(st.floats(0.01, 10.0), min_size=2, max_size=30))
def test_a_loss_that_only_falls_is_descending(values):
    loss = np.sort(np.array(values))[::-1]
    assert (loss_trend(loss) == DESCENDING).all()


def test_a_stable_learning_rate_descends_all_the_way_on_the_default_data():
    data = generate("overlap", n=200, noise=0.3, seed=0)
    run = train(data.X, data.y, TrainingSettings(learning_rate=0.1, max_iterations=300))
    assert (loss_trend(run.loss) == DESCENDING).all()


def test_overshooting_is_flagged_by_the_second_bounce():
    data = generate("overlap", n=200, noise=0.3, seed=0)
    run = train(data.X, data.y, TrainingSettings(learning_rate=50.0, max_iterations=300))
    trend = loss_trend(run.loss)
    ups = np.flatnonzero(np.diff(run.loss) > NOISE * np.maximum(run.loss[:-1], 1.0)) + 1
    # The first time two bounces come within a window of each other, the second one is flagged.
    second = next(j for i, j in zip(ups, ups[1:]) if j - i < WINDOW)
    assert trend[second] != DESCENDING
    assert (trend != DESCENDING).mean() > 0.5, "at α = 50 the loss bounces for most of the run"


def test_the_breast_cancer_data_at_alpha_0_1_raw_is_rising_from_the_first_steps_past_the_first_block():
    data = load_csv(REAL / "breast_cancer.csv", x1="mean radius", x2="mean texture", label="diagnosis",
                    positive="malignant")
    settings = TrainingSettings(learning_rate=0.1, max_iterations=1000)
    run = train(data.X, data.y, settings)
    trend = loss_trend(run.loss)
    assert run.loss.max() > 5 * run.loss[0]
    first_flag = int(np.flatnonzero(trend != DESCENDING)[0])
    assert first_flag <= 3
    assert (trend[first_flag:] != DESCENDING).mean() > 0.95
    # Past the first computed block (Play computes more): still flagged.
    from logit import extend
    longer = extend(run, data.X, data.y, 500)
    assert (loss_trend(longer.loss)[run.iterations:] != DESCENDING).mean() > 0.95


@pytest.mark.parametrize("batch_size", [1, 8])
def test_mini_batches_wobble_without_a_warning_unless_the_loss_rises_above_the_start(batch_size):
    data = generate("overlap", n=200, noise=0.3, seed=0)
    run = train(data.X, data.y, TrainingSettings(learning_rate=0.1, max_iterations=300, batch_size=batch_size))
    assert (np.diff(run.loss) > 0).any(), "mini-batches make the full loss go up now and then"
    trend = loss_trend(run.loss, full_batch=False)
    assert not (trend == OSCILLATING).any()
    assert ((trend == RISING) == (run.loss > run.loss[0] + NOISE * max(run.loss[0], 1.0))).all()
