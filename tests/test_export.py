"""The trajectory table and its CSV (shared by the command line and the page), and file names."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logit import Dataset, TrainingSettings, generate, train
from logit.cli import write_trajectory
from strategies import datasets

from logit.export import (
    STANDARDIZED_COLUMNS,
    TRAJECTORY_COLUMNS,
    data_file_name,
    frame_csv,
    run_file_name,
    slugify,
    trajectory_csv,
    trajectory_frame,
)


@pytest.fixture(scope="module")
def data() -> Dataset:
    return generate("overlap", n=200, seed=0)


def read(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text))


def test_raw_features_give_the_command_line_columns(data):
    run = train(data.X, data.y, TrainingSettings(max_iterations=30))
    frame = trajectory_frame(run)
    assert tuple(frame.columns) == TRAJECTORY_COLUMNS
    assert len(frame) == run.iterations + 1
    assert frame["iteration"].dtype.kind == "i"
    np.testing.assert_array_equal(frame["iteration"], np.arange(31))
    np.testing.assert_array_equal(frame[["w1", "w2", "b"]], run.params_original)
    np.testing.assert_array_equal(frame[["dw1", "dw2", "db"]], run.gradients)
    np.testing.assert_array_equal(frame["loss"], run.loss)
    np.testing.assert_array_equal(frame["accuracy"], run.accuracy)


def test_standardised_features_give_both_units_and_say_which(data):
    run = train(data.X, data.y, TrainingSettings(max_iterations=30, standardize=True))
    frame = trajectory_frame(run)
    assert tuple(frame.columns) == STANDARDIZED_COLUMNS
    np.testing.assert_array_equal(frame[["w1_original", "w2_original", "b_original"]], run.params_original)
    np.testing.assert_array_equal(frame[["w1_standardized", "w2_standardized", "b_standardized"]], run.params)
    np.testing.assert_array_equal(frame[["dw1_standardized", "dw2_standardized", "db_standardized"]], run.gradients)
    # the command line's table is the original-unit one
    assert tuple(trajectory_frame(run, trained_units=False).columns) == TRAJECTORY_COLUMNS


def test_csv_reads_back_exactly(data):
    run = train(data.X, data.y, TrainingSettings(max_iterations=40, standardize=True, learning_rate=0.7))
    frame = trajectory_frame(run)
    back = read(trajectory_csv(run))
    assert list(back.columns) == list(frame.columns)
    np.testing.assert_array_equal(back.to_numpy(dtype=float), frame.to_numpy(dtype=float))


def test_non_finite_values_are_written_and_read_back():
    frame = pd.DataFrame({"iteration": [0, 1], "a": [math.inf, -math.inf], "b": [math.nan, 1e-320]})
    text = frame_csv(frame)
    assert text == "iteration,a,b\n0,inf,nan\n1,-inf,1e-320\n"
    back = read(text)
    assert back["a"].tolist() == [math.inf, -math.inf] and math.isnan(back["b"][0]) and back["b"][1] == 1e-320


def test_the_command_line_writes_the_same_text(data, tmp_path):
    run = train(data.X, data.y, TrainingSettings(max_iterations=25, standardize=True))
    path = tmp_path / "run.csv"
    write_trajectory(run, str(path))
    assert path.read_text(encoding="utf-8") == trajectory_csv(run, trained_units=False)
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(TRAJECTORY_COLUMNS)


@pytest.mark.parametrize("text, slug", [
    ("overlap, n=200, noise=0.3, seed=0", "overlap-n200-noise0.3-seed0"),
    ("Palmer penguins (Horst, Hill & Gorman 2020; Gorman, Williams & Fraser 2014): Adelie vs Gentoo, n=274",
     "palmer-penguins-adelie-vs-gentoo-n274"),
    ("Fisher's irises (Fisher 1936): versicolor vs virginica, n=100", "fishers-irises-versicolor-vs-virginica-n100"),
    ("My Data.CSV", "my-data"),
    ("../../data/points", "data-points"),
    ("企鹅数据.csv", ""),
    ("Café au lait", "cafe-au-lait"),
    ("", ""),
    ("a" * 100, "a" * 60),
    ("word " * 30, ("word-" * 12).strip("-")),
])
def test_slugify(text, slug):
    assert slugify(text) == slug
    assert len(slugify(text)) <= 60


def test_data_file_name(data):
    assert data_file_name(data) == "logit-data-overlap-n200-noise0.3-seed0.csv"
    unnamed = Dataset(data.X, data.y, source="数据")
    assert data_file_name(unnamed) == "logit-data-points.csv"


@pytest.mark.parametrize("settings, name", [
    (TrainingSettings(max_iterations=12), "logit-run-alpha0.1-full-12it.csv"),
    (TrainingSettings(max_iterations=12, learning_rate=0.001, batch_size=32, seed=3),
     "logit-run-alpha0.001-mini32-seed3-12it.csv"),
    (TrainingSettings(max_iterations=12, batch_size=1, l2=0.01, standardize=True),
     "logit-run-alpha0.1-sgd-seed0-l2-0.01-std-12it.csv"),
    (TrainingSettings(max_iterations=12, init=(1.0, -0.5, 0.0)), "logit-run-alpha0.1-full-init1_-0.5_0-12it.csv"),
])
def test_run_file_name_carries_the_settings(data, settings, name):
    assert run_file_name(train(data.X, data.y, settings)) == name


# --- a data set as the bytes a room shares ------------------------------------------------------

@given(datasets(max_n=50), st.text(min_size=1, max_size=12), st.text(max_size=30))
@settings(max_examples=50)
def test_a_shared_data_set_comes_back_exactly(points, name, source):
    from logit.export import dataset_bytes, dataset_from_bytes

    X, y = points
    dataset = Dataset(X, y, feature_names=(name + "₁", name + "₂"), label_name="类别", classes=("否", name),
                      source=source) if name != "否" else Dataset(X, y)
    back = dataset_from_bytes(dataset_bytes(dataset))
    np.testing.assert_array_equal(back.X, dataset.X)
    np.testing.assert_array_equal(back.y, dataset.y)
    assert (back.feature_names, back.label_name, back.classes, back.source) == (
        dataset.feature_names, dataset.label_name, dataset.classes, dataset.source)


@pytest.mark.parametrize("blob", [b"", b"garbage", b"PK\x03\x04 not really a zip", b"\x93NUMPY pickled?"])
def test_bytes_that_are_no_shared_data_set_are_refused_with_a_message(blob):
    from logit.errors import DataError
    from logit.export import dataset_from_bytes

    with pytest.raises(DataError) as caught:
        dataset_from_bytes(blob)
    assert caught.value.code == "shared_data_unreadable" and str(len(blob)) in str(caught.value)


def test_a_pickle_inside_is_never_run(tmp_path):
    """np.load with allow_pickle=False: an object array in the file is refused, not unpickled."""
    from logit.errors import DataError
    from logit.export import dataset_from_bytes

    buffer = io.BytesIO()
    np.savez(buffer, X=np.array([object()], dtype=object), y=np.zeros(1), header=np.array("{}"))
    with pytest.raises(DataError):
        dataset_from_bytes(buffer.getvalue())
