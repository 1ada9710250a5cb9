"""The Dataset: validation, read-only arrays, display helpers, table and CSV round trip."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from logit.csv_loader import load_csv
from logit.dataset import MAX_SHOWN_CHARS, Dataset, quote, quote_list
from logit.errors import DataError
from logit.messages import MESSAGES, Notice
from strategies import FAST

PENGUINS = dict(
    X=[[39.1, 18.7], [46.5, 17.9], [50.0, 19.5]],
    y=[0, 1, 1],
    feature_names=("bill_length_mm", "bill_depth_mm"),
    label_name="species",
    classes=("Adelie", "Chinstrap"),
    source="three penguins",
)


def test_fields_and_counts():
    dataset = Dataset(**PENGUINS)
    assert dataset.X.dtype == np.float64 and dataset.X.shape == (3, 2)
    assert dataset.y.dtype == np.float64 and dataset.y.tolist() == [0.0, 1.0, 1.0]
    assert (dataset.n, dataset.n_positive) == (3, 2)
    assert dataset.label_mapping == "'Chinstrap' → 1, 'Adelie' → 0"


def test_defaults():
    dataset = Dataset(X=np.zeros((2, 2)), y=np.array([0.0, 1.0]))
    assert dataset.feature_names == ("x1", "x2") and dataset.label_name == "y"
    assert dataset.classes == ("0", "1") and dataset.source == "" and dataset.notices == ()


def test_arrays_are_private_read_only_copies():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    dataset = Dataset(X=X, y=[0, 1])
    X[0, 0] = 99.0
    assert dataset.X[0, 0] == 1.0
    with pytest.raises(ValueError):
        dataset.X[0, 0] = 5.0
    with pytest.raises(ValueError):
        dataset.y[0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        dataset.source = "other"


@pytest.mark.parametrize(
    "X, y, code",
    [
        (np.zeros((3, 3)), np.zeros(3), "features_shape"),
        (np.zeros(4), np.zeros(4), "features_shape"),
        (np.zeros((3, 2)), np.zeros(2), "labels_shape"),
        (np.zeros((3, 2)), np.zeros((3, 1)), "labels_shape"),
        (np.zeros((1, 2)), np.zeros(1), "too_few_rows"),
        (np.zeros((0, 2)), np.zeros(0), "too_few_rows"),
        ([[0.0, np.inf], [1.0, 2.0]], [0, 1], "non_finite_features"),
        ([[0.0, np.nan], [1.0, 2.0]], [0, 1], "non_finite_features"),
        ([[0.0, 1.0], [1.0, 2.0]], [0, 2], "labels_values"),
        ([[0.0, 1.0], [1.0, 2.0]], [0, np.nan], "labels_values"),
        ([[0.0, 1.0], [1.0, 2.0]], ["no", "yes"], "labels_values"),
        ([[0.0, "a"], [1.0, 2.0]], [0, 1], "features_not_numbers"),
    ],
)
def test_invalid_data_is_refused_with_a_filled_message(X, y, code):
    with pytest.raises(DataError) as caught:
        Dataset(X=X, y=y)
    assert caught.value.code == code
    MESSAGES[code].format(**caught.value.details)


def test_names_and_classes_must_be_distinct():
    with pytest.raises(DataError) as caught:
        Dataset(X=np.zeros((2, 2)), y=[0, 1], feature_names=("a", "b"), label_name="a")
    assert caught.value.code == "dataset_names"
    with pytest.raises(DataError) as caught:
        Dataset(X=np.zeros((2, 2)), y=[0, 1], feature_names=("a", "b", "c"))
    assert caught.value.code == "dataset_names"
    with pytest.raises(DataError) as caught:
        Dataset(X=np.zeros((2, 2)), y=[0, 1], classes=("cat", "cat"))
    assert caught.value.code == "dataset_classes"


def test_to_frame_shows_the_class_text():
    frame = Dataset(**PENGUINS).to_frame()
    assert list(frame.columns) == ["bill_length_mm", "bill_depth_mm", "species"]
    assert frame["bill_length_mm"].tolist() == [39.1, 46.5, 50.0]
    assert frame["species"].tolist() == ["Adelie", "Chinstrap", "Chinstrap"]


def test_to_csv_bytes_is_plain_utf8_with_a_header():
    assert Dataset(**PENGUINS).to_csv_bytes() == (
        b"bill_length_mm,bill_depth_mm,species\n39.1,18.7,Adelie\n46.5,17.9,Chinstrap\n50.0,19.5,Chinstrap\n"
    )


SAFE_CLASS_NAMES = st.sampled_from(
    [
        "0", "1", "-1", "no", "yes", "False", "True", "Adelie", "Chinstrap", "a, b", 'say "hi"', "猫",
        "<script>alert(1)</script>",
    ]
)


@FAST
@given(
    data=st.data(),
    n=st.integers(2, 40),
    classes=st.lists(SAFE_CLASS_NAMES, min_size=2, max_size=2, unique=True),
)
def test_csv_round_trip_gives_the_same_points(data, n, classes):
    # Any finite float, from subnormal to ±1e308 and −0.0, must come back bit for bit.
    X = data.draw(arrays(np.float64, (n, 2), elements=st.floats(allow_nan=False, allow_infinity=False)))
    y = data.draw(arrays(np.float64, (n,), elements=st.sampled_from([0.0, 1.0])))
    y[:2] = [0.0, 1.0]  # both classes, as a loaded file needs
    dataset = Dataset(X=X, y=y, feature_names=("length", "depth"), label_name="kind", classes=tuple(classes))
    again = load_csv(dataset.to_csv_bytes(), positive=classes[1])
    np.testing.assert_array_equal(again.X, dataset.X)
    np.testing.assert_array_equal(again.y, dataset.y)
    assert again.classes == dataset.classes
    assert again.feature_names == dataset.feature_names and again.label_name == dataset.label_name


def test_with_rows_keeps_names_and_drops_notices():
    dataset = dataclasses.replace(Dataset(**PENGUINS), notices=(Notice("rows_dropped", {"count": 1}),))
    edited = dataset.with_rows([[1.0, 2.0], [3.0, 4.0]], [1.0, 0.0])
    assert edited.n == 2 and edited.X.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert (edited.feature_names, edited.label_name, edited.classes, edited.source) == (
        dataset.feature_names,
        dataset.label_name,
        dataset.classes,
        dataset.source,
    )
    assert edited.notices == ()
    assert dataset.n == 3  # the original is unchanged
    with pytest.raises(DataError) as caught:
        dataset.with_rows([[1.0, 2.0]], [1.0])
    assert caught.value.code == "too_few_rows"


def test_quote_keeps_messages_short_and_on_one_line():
    assert quote("Adelie") == "'Adelie'"
    assert quote("two\nlines") == "'two\\nlines'"
    long = quote("x" * 500)
    assert len(long) == MAX_SHOWN_CHARS + 2 and long.endswith("…'")
    assert quote_list(["a", 1, None]) == "'a', '1', 'None'"
    assert quote_list("abcdefghij", limit=3) == "'a', 'b', 'c', …"
