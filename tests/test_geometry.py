"""The separating line and the probability grid (logit.geometry)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from logit.geometry import padded_box, probability_grid, separating_line
from logit.model import predict_proba
from strategies import FAST, datasets, finite, parameters

BOX = (-2.0, 3.0, -1.0, 4.0)


@st.composite
def boxes(draw):
    x1_min = draw(finite(100.0))
    x2_min = draw(finite(100.0))
    return (x1_min, x1_min + draw(st.floats(0.01, 100.0)), x2_min, x2_min + draw(st.floats(0.01, 100.0)))


def corner_scores(params, box):
    w1, w2, b = params
    return np.array([w1 * x1 + w2 * x2 + b for x1 in box[:2] for x2 in box[2:]])


def assert_on_line_and_in_box(point, params, box):
    x1, x2 = point
    w1, w2, b = params
    assert box[0] <= x1 <= box[1] and box[2] <= x2 <= box[3]
    size = abs(w1 * x1) + abs(w2 * x2) + abs(b)
    assert abs(w1 * x1 + w2 * x2 + b) <= 1e-12 * size + 1e-300  # (subnormal weights round coarsely)


@FAST
@given(params=parameters(bound=10.0), box=boxes())
def test_endpoints_lie_on_the_line_and_in_the_box(params, box):
    line = separating_line(params, box)
    corners = corner_scores(params, box)
    if line is None:
        # Every corner on one side (or the line only touches the box).
        spread = np.abs(corners).max()
        assert corners.min() >= -1e-9 * spread or corners.max() <= 1e-9 * spread
        return
    for point in line:
        assert_on_line_and_in_box(point, params, box)
    # The corners lie on both sides of a line that crosses the box.
    assert corners.min() <= 0 <= corners.max()


@FAST
@given(
    box=boxes(),
    t1=st.floats(0.05, 0.95),
    t2=st.floats(0.05, 0.95),
    radius=st.floats(0.01, 10.0),
    angle=st.floats(0.0, 2 * np.pi),
)
def test_a_line_through_the_box_is_found(box, t1, t2, radius, angle):
    """The line through an inside point (p1, p2), in any direction, is found and passes it."""
    p1 = box[0] + t1 * (box[1] - box[0])
    p2 = box[2] + t2 * (box[3] - box[2])
    w1, w2 = radius * np.cos(angle), radius * np.sin(angle)
    params = np.array([w1, w2, -(w1 * p1 + w2 * p2)])
    line = separating_line(params, box)
    assert line is not None
    for point in line:
        assert_on_line_and_in_box(point, params, box)
    (a1, a2), (b1, b2) = line
    # The inside point lies between the two endpoints (they are on opposite sides of it).
    assert (a1 - p1) * (b1 - p1) + (a2 - p2) * (b2 - p2) <= 1e-9 * ((box[1] - box[0]) ** 2 + (box[3] - box[2]) ** 2)


def test_a_vertical_line_when_w2_is_zero():
    line = separating_line(np.array([2.0, 0.0, -1.0]), BOX)  # 2·x1 − 1 = 0 → x1 = 0.5
    assert line == ((0.5, -1.0), (0.5, 4.0))


def test_a_horizontal_line_when_w1_is_zero():
    line = separating_line(np.array([0.0, -4.0, 6.0]), BOX)  # x2 = 1.5
    assert line == ((-2.0, 1.5), (3.0, 1.5))


def test_a_diagonal_through_two_corners():
    box = (0.0, 1.0, 0.0, 1.0)
    line = separating_line(np.array([1.0, 1.0, -1.0]), box)  # x1 + x2 = 1
    assert line is not None
    assert {tuple(line[0]), tuple(line[1])} == {(0.0, 1.0), (1.0, 0.0)}


@pytest.mark.parametrize("b", [0.0, 1.0, -7.5])
def test_no_line_without_weights(b):
    assert separating_line(np.array([0.0, 0.0, b]), BOX) is None


@pytest.mark.parametrize(
    "params",
    [
        [1.0, 0.0, -10.0],  # x1 = 10, right of the box
        [0.0, 1.0, 5.0],  # x2 = −5, below the box
        [1.0, 1.0, 100.0],  # far below-left
        [np.nan, 1.0, 0.0],
        [1.0, np.inf, 0.0],
    ],
)
def test_a_line_missing_the_box_gives_none(params):
    assert separating_line(np.array(params), BOX) is None


@pytest.mark.parametrize("tiny", [1e-310, -1e-300])
def test_nearly_vertical_and_nearly_horizontal_lines_with_numpy_box_values(tiny):
    box = tuple(np.float64(v) for v in (0.0, 1.0, 0.0, 1.0))
    vertical = separating_line(np.array([1.0, tiny, -0.5]), box)
    horizontal = separating_line(np.array([tiny, 1.0, -0.5]), box)
    assert vertical == ((0.5, 0.0), (0.5, 1.0))
    assert horizontal == ((0.0, 0.5), (1.0, 0.5))
    assert all(type(v) is float for point in vertical for v in point)


@FAST
@given(params=parameters(bound=20.0), box=boxes(), resolution=st.integers(2, 25))
def test_probability_grid_matches_predict_proba(params, box, resolution):
    x1, x2, probability = probability_grid(params, box, resolution)
    assert x1.shape == x2.shape == (resolution,)
    assert probability.shape == (resolution, resolution)
    assert x1[0] == box[0] and x1[-1] == box[1] and x2[0] == box[2] and x2[-1] == box[3]
    # Rows run along x2, columns along x1.
    grid1, grid2 = np.meshgrid(x1, x2)
    points = np.column_stack([grid1.ravel(), grid2.ravel()])
    expected = predict_proba(points, params).reshape(resolution, resolution)
    np.testing.assert_allclose(probability, expected, rtol=1e-12, atol=1e-300)
    assert np.all((0.0 <= probability) & (probability <= 1.0))


def test_probability_grid_with_extreme_weights_stays_in_0_1():
    _, _, probability = probability_grid(np.array([1e300, -1e300, 1e300]), (-1e10, 1e10, -1e10, 1e10), 7)
    assert np.all(np.isfinite(probability))
    assert np.all((0.0 <= probability) & (probability <= 1.0))


def test_default_grid_resolution():
    x1, x2, probability = probability_grid(np.array([1.0, -1.0, 0.0]), BOX)
    assert probability.shape == (len(x2), len(x1)) and len(x1) > 1


@FAST
@given(data=datasets(max_n=20, bound=1e6))
def test_padded_box_contains_the_data_with_a_margin(data):
    X, _ = data
    x1_min, x1_max, x2_min, x2_max = padded_box(X)
    assert x1_min < X[:, 0].min() and X[:, 0].max() < x1_max
    assert x2_min < X[:, 1].min() and X[:, 1].max() < x2_max
    assert all(type(v) is float for v in (x1_min, x1_max, x2_min, x2_max))


@pytest.mark.parametrize("value", [1e6, -3e12, 1e150])
def test_padded_box_has_a_margin_for_a_nearly_constant_column(value):
    X = np.array([[value, 0.0], [np.nextafter(value, np.inf), 1.0], [value, 2.0]])
    x1_min, x1_max, x2_min, x2_max = padded_box(X)
    assert x1_min < X[:, 0].min() and X[:, 0].max() < x1_max
    assert (x2_min, x2_max) == pytest.approx((-0.16, 2.16))


def test_padded_box_around_a_constant_column():
    X = np.array([[5.0, 0.0], [5.0, 1.0]])
    x1_min, x1_max, _, _ = padded_box(X)
    assert x1_min == pytest.approx(5.0 - 0.08 * 5.0) and x1_max == pytest.approx(5.0 + 0.08 * 5.0)
