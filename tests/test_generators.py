"""Synthetic data: validation, determinism per seed, both classes always, and the lesson each kind shows."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from logit.errors import DataError
from logit.generators import GENERATORS, MAX_POINTS, generate
from strategies import FAST

KINDS = list(GENERATORS)


def best_line_accuracy(X: np.ndarray, y: np.ndarray) -> float:
    """Training accuracy of an (almost) unregularised logistic regression: the best a line does."""
    return LogisticRegression(C=1e6, max_iter=10_000).fit(X, y).score(X, y)


def test_the_six_kinds_in_order_with_descriptions():
    assert KINDS == ["blobs", "overlap", "xor", "circles", "outliers", "imbalanced"]
    assert all(isinstance(text, str) and text.endswith(".") for text in GENERATORS.values())


@pytest.mark.parametrize("kind", KINDS)
def test_shapes_types_and_names(kind):
    dataset = generate(kind, n=101, noise=0.5, seed=3)
    assert dataset.X.shape == (101, 2) and dataset.X.dtype == np.float64
    assert dataset.y.shape == (101,) and set(np.unique(dataset.y)) == {0.0, 1.0}
    assert dataset.feature_names == ("x1", "x2") and dataset.label_name == "y"
    assert dataset.classes == ("0", "1")
    assert dataset.source == f"{kind}, n=101, noise=0.5, seed=3"
    assert dataset.notices == ()


@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_points_other_seed_other_points(kind):
    first, again, other = generate(kind, seed=11), generate(kind, seed=11), generate(kind, seed=12)
    np.testing.assert_array_equal(first.X, again.X)
    np.testing.assert_array_equal(first.y, again.y)
    assert not np.array_equal(first.X, other.X)


@pytest.mark.parametrize("kind", KINDS)
def test_global_random_state_is_neither_used_nor_changed(kind):
    np.random.seed(1)
    before = np.random.get_state()[1].copy()
    first = generate(kind, seed=5)
    np.random.seed(2)  # a different global state must not change the result
    second = generate(kind, seed=5)
    np.testing.assert_array_equal(first.X, second.X)
    np.random.seed(1)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


@FAST
@given(
    kind=st.sampled_from(KINDS),
    n=st.integers(2, 300),
    noise=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**63),
)
def test_both_classes_always_present_and_all_finite(kind, n, noise, seed):
    dataset = generate(kind, n=n, noise=noise, seed=seed)
    assert dataset.n == n
    assert 1 <= dataset.n_positive <= n - 1
    assert np.isfinite(dataset.X).all()


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "imbalanced"])
def test_balanced_kinds_split_the_points_in_half(kind):
    assert generate(kind, n=201).n_positive == 100


def test_imbalanced_has_one_positive_in_ten():
    assert generate("imbalanced", n=1000).n_positive == 100
    assert generate("imbalanced", n=2).n_positive == 1
    assert generate("imbalanced", n=5).n_positive == 1


@pytest.mark.parametrize("kind", KINDS)
def test_features_stay_on_a_natural_scale_even_at_full_noise(kind):
    X = generate(kind, n=5000, noise=1.0, seed=0).X
    low, high = np.quantile(X, [0.001, 0.999])
    assert -5.0 < low < -1.0 and 1.0 < high < 5.0


@pytest.mark.parametrize("kind", KINDS)
def test_more_noise_spreads_the_points(kind):
    calm = generate(kind, n=2000, noise=0.0, seed=4).X
    noisy = generate(kind, n=2000, noise=1.0, seed=4).X
    assert noisy.std() > calm.std()


def test_blobs_are_separated_by_the_diagonal_line_x1_plus_x2_equals_0():
    # Centres (±1.5, ±1.5), each 2.1 from that line: ≥ 3 standard deviations even at noise 1.
    for noise in (0.0, 0.3):
        dataset = generate("blobs", n=1000, noise=noise, seed=1)
        np.testing.assert_array_equal(dataset.X.sum(axis=1) > 0, dataset.y == 1)


def test_outliers_are_exactly_the_five_percent_on_the_wrong_side():
    dataset = generate("outliers", n=400, noise=0.3, seed=2)
    wrong_side = (dataset.X.sum(axis=1) > 0) != (dataset.y == 1)
    assert wrong_side.sum() == 20
    # Half of them far out: beyond every regular point of the other class.
    far = np.abs(dataset.X).min(axis=1) > 3.1
    assert (far & wrong_side).sum() == 10


def test_overlap_lets_no_line_be_perfect_but_beats_guessing():
    dataset = generate("overlap", n=1000, noise=0.3, seed=0)
    assert 0.7 < best_line_accuracy(dataset.X, dataset.y) < 0.97


@pytest.mark.parametrize("kind", ["xor", "circles"])
def test_no_line_separates_xor_or_circles(kind):
    dataset = generate(kind, n=1000, noise=0.0, seed=0)
    assert best_line_accuracy(dataset.X, dataset.y) < 0.7


def test_xor_puts_class_1_where_x1_and_x2_share_a_sign():
    dataset = generate("xor", n=500, noise=0.0, seed=0)
    np.testing.assert_array_equal(np.sign(dataset.X[:, 0]) == np.sign(dataset.X[:, 1]), dataset.y == 1)


def test_circles_put_class_1_inside_the_ring():
    dataset = generate("circles", n=500, noise=0.0, seed=0)
    radius = np.hypot(dataset.X[:, 0], dataset.X[:, 1])
    assert radius[dataset.y == 1].max() < radius[dataset.y == 0].min()


def test_numpy_integers_and_floats_are_accepted():
    dataset = generate("blobs", n=np.int64(10), noise=np.float32(0.5), seed=np.uint8(3))
    np.testing.assert_array_equal(dataset.X, generate("blobs", n=10, noise=0.5, seed=3).X)


def test_the_largest_size_is_allowed():
    assert generate("blobs", n=MAX_POINTS, seed=0).n == 1_000_000


def test_unknown_kind_lists_the_kinds():
    with pytest.raises(DataError) as caught:
        generate("moons")
    assert caught.value.code == "unknown_generator"
    assert str(caught.value) == (
        "Expected one of the generated data sets 'blobs', 'overlap', 'xor', 'circles', 'outliers', "
        "'imbalanced', but got 'moons'. Choose one of these."
    )


@pytest.mark.parametrize("n", [1, 0, -5, MAX_POINTS + 1, 2.5, 200.0, True, "200", None])
def test_bad_sizes(n):
    with pytest.raises(DataError) as caught:
        generate("blobs", n=n)
    assert caught.value.code == "generator_n"


@pytest.mark.parametrize("noise", [-0.01, 1.01, math.nan, math.inf, "0.3", True, None])
def test_bad_noise(noise):
    with pytest.raises(DataError) as caught:
        generate("blobs", noise=noise)
    assert caught.value.code == "generator_noise"


@pytest.mark.parametrize("seed", [-1, 1.5, "0", None, False])
def test_bad_seeds(seed):
    with pytest.raises(DataError) as caught:
        generate("blobs", seed=seed)
    assert caught.value.code == "generator_seed"
