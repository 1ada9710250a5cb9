"""The CSV loader: the corpus of unusual files, every error code, exact values from tiny
files, big files, and fuzzing (only a Dataset or a DataError may come out)."""

from __future__ import annotations

import csv
import os
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import logit.csv_loader as csv_loader
from logit.csv_loader import (
    MAX_LINE_BYTES,
    choose_columns,
    dataset_from_frame,
    distinct_labels,
    load_csv,
    read_table,
)
from logit.dataset import Dataset
from logit.errors import DataError
from logit.messages import MESSAGES

DATA = Path(__file__).parent / "data"
MANIFEST = DATA / "MANIFEST.csv"


def manifest_rows() -> list[dict[str, str]]:
    with open(MANIFEST, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def load_arguments(row: dict[str, str]) -> dict[str, str]:
    return {key: row[key] for key in ("x1", "x2", "label", "positive") if row[key]}


def assert_message_filled(error_or_notice_code: str, details: dict) -> None:
    """The template exists and every placeholder is filled (no fallback text)."""
    assert error_or_notice_code in MESSAGES
    MESSAGES[error_or_notice_code].format(**details)


def assert_valid_dataset(dataset: Dataset) -> None:
    assert dataset.X.dtype == np.float64 and dataset.X.shape == (dataset.n, 2)
    assert dataset.y.shape == (dataset.n,)
    assert np.isfinite(dataset.X).all()
    assert set(np.unique(dataset.y)) <= {0.0, 1.0}


# --- the corpus ---------------------------------------------------------------------------


def test_corpus_is_large_and_fully_described():
    files = {p.name for p in DATA.iterdir() if p.is_file()} - {"MANIFEST.csv", ".gitattributes"}
    described = {row["file"] for row in manifest_rows()}
    assert len(files) >= 40
    assert files == described


@pytest.mark.parametrize(
    "row", manifest_rows(), ids=lambda row: row["file"] + "".join(f"-{k}={v}" for k, v in load_arguments(row).items())
)
def test_corpus_file_loads_or_fails_as_described(row):
    path = DATA / row["file"]
    if row["outcome"] == "error":
        with pytest.raises(DataError) as caught:
            load_csv(path, **load_arguments(row))
        assert caught.value.code == row["code"]
        assert_message_filled(caught.value.code, caught.value.details)
        return
    dataset = load_csv(path, **load_arguments(row))
    assert_valid_dataset(dataset)
    assert dataset.n == int(row["n"])
    assert dataset.n_positive == int(row["n_positive"])
    assert dataset.classes == (row["class_0"], row["class_1"])
    assert dataset.feature_names == tuple(row["feature_names"].split("|"))
    assert dataset.label_name == row["label_name"]
    assert [notice.code for notice in dataset.notices] == row["notices"].split()
    for notice in dataset.notices:
        assert_message_filled(notice.code, dict(notice.details))
    assert dataset.source == row["file"]


# Codes that the corpus cannot show (they need a missing file, a limit, a huge file or a
# frame that did not come from a file); each has its own test below.
CODES_TESTED_OUTSIDE_THE_CORPUS = {
    "file_not_found",
    "file_unreadable",
    "file_too_large",
    "line_too_long",
    "not_a_number",
    "not_a_number_sheet_row",  # tests/test_real_files.py (the real files' manifest)
    "unreadable_table",
}


def test_every_error_code_of_the_loader_is_tested():
    source = Path(csv_loader.__file__).read_text(encoding="utf-8")
    raised = set(re.findall(r'DataError\(\s*"(\w+)"', source))
    in_corpus = {row["code"] for row in manifest_rows() if row["outcome"] == "error"}
    assert raised <= in_corpus | CODES_TESTED_OUTSIDE_THE_CORPUS
    assert raised <= set(MESSAGES)


# --- exact values from tiny files ----------------------------------------------------------


def test_decimal_commas_are_read_with_semicolons():
    dataset = load_csv(DATA / "semicolons_decimal_commas.csv")
    np.testing.assert_array_equal(dataset.X, [[1.5, 2.25], [-0.5, 3.0], [4.0, 100.0]])
    np.testing.assert_array_equal(dataset.y, [0.0, 1.0, 0.0])
    (notice,) = dataset.notices
    assert notice.details["example"] == "'1,5'" and notice.details["value"] == 1.5


def test_decimal_commas_are_read_with_tabs():
    dataset = load_csv(b"a\tb\tc\n1,5\t2\t0\n3\t4,25\t1\n")
    np.testing.assert_array_equal(dataset.X, [[1.5, 2.0], [3.0, 4.25]])


def test_columns_found_by_name_in_another_order():
    dataset = load_csv(DATA / "xy_in_other_order.csv")
    np.testing.assert_array_equal(dataset.X, [[10, 20], [30, 40], [50, 60]])
    np.testing.assert_array_equal(dataset.y, [0, 1, 0])


def test_dropped_rows_are_named_by_file_line():
    dataset = load_csv(DATA / "nan_values.csv")
    np.testing.assert_array_equal(dataset.X, [[1, 2], [7, 8], [9, 10]])
    (notice,) = dataset.notices
    assert notice.code == "rows_dropped_lines"
    assert notice.details["count"] == 2
    assert notice.details["lines"] == "3, 4"
    assert notice.details["columns"] == "'x1', 'x2'"
    assert "line(s) 3, 4 of the file" in notice.message


def test_line_numbers_follow_quoted_line_breaks_and_blank_lines():
    (notice,) = load_csv(DATA / "quoted_line_break.csv").notices
    assert notice.details["lines"] == "4"
    frame = read_table(DATA / "blank_lines_between_and_at_end.csv")
    assert frame.index.name == "line" and list(frame.index) == [4, 6]


def test_errors_point_at_the_line_and_the_value():
    with pytest.raises(DataError) as caught:
        load_csv(DATA / "text_in_features.csv")
    assert caught.value.details == {"line": 3, "column": "'x2'", "value": "'abc'", "count": 1}
    with pytest.raises(DataError) as caught:
        load_csv(DATA / "ragged_short_row.csv")
    assert caught.value.details == {"expected": 3, "header_line": 1, "line": 3, "found": 2}
    with pytest.raises(DataError) as caught:
        load_csv(DATA / "ragged_long_row.csv")
    assert caught.value.details == {"expected": 3, "header_line": 1, "line": 3, "found": 4}
    with pytest.raises(DataError) as caught:
        load_csv(DATA / "nul_bytes.csv")
    assert caught.value.details == {"byte": "0x00", "line": 3}
    with pytest.raises(DataError) as caught:
        load_csv(DATA / "unbalanced_quote.csv")
    assert caught.value.details == {"line": 2}


def test_three_classes_message_lists_them():
    with pytest.raises(DataError) as caught:
        load_csv(DATA / "three_classes.csv")
    assert str(caught.value) == (
        "Expected exactly two distinct label values in column 'species', but found 3: "
        "'Adelie', 'Chinstrap', 'Gentoo'. Keep only two classes, or choose another label column."
    )


def test_headerless_file_keeps_its_first_row():
    dataset = load_csv(DATA / "headerless.csv")
    np.testing.assert_array_equal(dataset.X, [[1, 2], [3, 4], [5, 6]])


def test_extreme_numbers_are_kept_exactly():
    dataset = load_csv(DATA / "tiny_magnitudes.csv")
    np.testing.assert_array_equal(dataset.X, [[1e-150, -2e-150], [-1e-150, 5e-324]])
    dataset = load_csv(DATA / "negative_zero.csv")
    assert dataset.X[0].tolist() == [0.0, 0.0]
    assert np.signbit(dataset.X[0, 1])  # "-0.0" keeps its sign (pandas reads "-0" as the integer 0)
    dataset = load_csv(DATA / "scientific_notation.csv")
    np.testing.assert_array_equal(dataset.X, [[1500, 0.002], [0.5, 5], [7, -1]])


def test_markup_is_kept_as_plain_text():
    dataset = load_csv(DATA / "html_payloads.csv")
    frame = dataset.to_frame()
    assert list(frame.columns) == ["<script>alert(1)</script>", "x2", "<b>label</b>"]
    assert list(frame["<b>label</b>"]) == [
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
    ]


# --- read_table ----------------------------------------------------------------------------


def test_read_table_keeps_cells_as_text_with_line_index_and_attributes():
    frame = read_table(b"x1;x2;y\n 1,5 ;abc;yes\n3;4;no\n")
    assert list(frame.columns) == ["x1", "x2", "y"]
    assert frame.loc[2, "x1"] == " 1,5 " and frame.loc[2, "x2"] == "abc"
    assert frame.index.name == "line" and list(frame.index) == [2, 3]
    assert frame.attrs["delimiter"] == ";" and frame.attrs["encoding"] == "utf-8"
    assert frame.attrs["notices"] == ()


def test_read_table_reports_the_encoding_it_used():
    assert read_table(DATA / "latin1_names.csv").attrs["encoding"] == "cp1252"
    assert read_table(DATA / "utf16_excel.txt").attrs["encoding"] == "utf-16"
    assert list(read_table(DATA / "utf8_bom.csv").columns) == ["x1", "x2", "y"]


def test_missing_file(tmp_path):
    with pytest.raises(DataError) as caught:
        load_csv(tmp_path / "nope.csv")
    assert caught.value.code == "file_not_found"
    assert "nope.csv" in str(caught.value)


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(DataError) as caught:
        read_table(tmp_path)
    assert caught.value.code == "file_unreadable"


@pytest.mark.parametrize("as_bytes", [True, False])
def test_file_larger_than_the_limit(tmp_path, as_bytes):
    content = b"x1,x2,y\n1,2,0\n3,4,1\n"
    path = tmp_path / "small.csv"
    path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        read_table(content if as_bytes else path, max_bytes=len(content) - 1)
    assert caught.value.code == "file_too_large"
    assert caught.value.details == {"size": len(content), "limit": len(content) - 1}
    assert read_table(content if as_bytes else path, max_bytes=len(content)).shape == (2, 3)


def test_a_huge_field_without_line_breaks_is_refused_quickly(tmp_path):
    path = tmp_path / "one_huge_field.csv"
    path.write_bytes(b"7" * 20_000_000)
    started = time.perf_counter()
    with pytest.raises(DataError) as caught:
        load_csv(path)
    assert caught.value.code == "line_too_long"
    assert caught.value.details == {"line": 1, "limit": MAX_LINE_BYTES}
    # Only the first megabyte is read: far below the time parsing 20 MB would take.
    assert time.perf_counter() - started < 1.0


def test_a_huge_line_after_normal_lines_is_refused(tmp_path):
    path = tmp_path / "late_huge_line.csv"
    path.write_bytes(b"x1,x2,y\r\n" + b"1,2,0\r\n" * 5 + b"3," * 600_000 + b"\r\n")
    with pytest.raises(DataError) as caught:
        load_csv(path)
    assert caught.value.code == "line_too_long"
    assert caught.value.details["line"] == 7


def test_parser_failures_become_unreadable_table(monkeypatch):
    def broken_parser(*args, **kwargs):
        raise pd.errors.ParserError("something pandas did not like")

    monkeypatch.setattr(csv_loader.pd, "read_csv", broken_parser)
    with pytest.raises(DataError) as caught:
        read_table(b"x1,x2,y\n1,2,0\n3,4,1\n")
    assert caught.value.code == "unreadable_table"
    assert "something pandas did not like" in str(caught.value)


def test_running_out_of_memory_becomes_a_data_error(monkeypatch):
    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(csv_loader.pd, "read_csv", out_of_memory)
    with pytest.raises(DataError) as caught:
        read_table(b"x1,x2,y\n1,2,0\n3,4,1\n")
    assert caught.value.code == "unreadable_table"


def test_two_hundred_thousand_rows_load_exactly(tmp_path):
    rng = np.random.default_rng(7)
    n = 200_000
    X = rng.normal(0.0, 3.0, size=(n, 2))
    y = rng.integers(0, 2, size=n)
    y[:2] = [0, 1]
    lines = [f"{a!r},{b!r},{'pos' if c else 'neg'}" for a, b, c in zip(X[:, 0].tolist(), X[:, 1].tolist(), y)]
    path = tmp_path / "big.csv"
    path.write_text("x1,x2,y\n" + "\n".join(lines) + "\n", encoding="utf-8")
    dataset = load_csv(path)
    assert dataset.n == n and dataset.classes == ("neg", "pos")
    np.testing.assert_array_equal(dataset.X, X)
    np.testing.assert_array_equal(dataset.y, y)


# --- choose_columns ------------------------------------------------------------------------


def frame_with_columns(*names: str) -> pd.DataFrame:
    return pd.DataFrame({name: ["1", "2"] for name in names})


def test_conventional_names_are_found_in_any_case_among_more_columns():
    assert choose_columns(frame_with_columns("id", "Y", "X2", "x1")) == ("x1", "X2", "Y")


def test_three_columns_are_taken_in_order():
    assert choose_columns(frame_with_columns("length", "depth", "species")) == ("length", "depth", "species")


def test_a_partial_choice_is_completed_from_the_remaining_columns():
    assert choose_columns(frame_with_columns("species", "length", "depth"), label="species") == (
        "length",
        "depth",
        "species",
    )


def test_explicit_names_tolerate_case_and_spaces():
    frame = frame_with_columns("Bill Length", "depth", "kind", "other")
    assert choose_columns(frame, x1=" bill length ", x2="DEPTH", label="Kind") == ("Bill Length", "depth", "kind")


def test_choose_columns_errors_list_the_columns():
    with pytest.raises(DataError) as caught:
        choose_columns(frame_with_columns("a", "b", "c", "d"))
    assert caught.value.code == "choose_columns"
    assert caught.value.details == {"count": 4, "columns": "'a', 'b', 'c', 'd'"}
    assert "Choose the x1, x2 and label columns." in str(caught.value)
    with pytest.raises(DataError) as caught:
        choose_columns(frame_with_columns("a", "b"))
    assert caught.value.code == "need_three_columns"
    with pytest.raises(DataError) as caught:
        choose_columns(frame_with_columns("a", "b", "c"), label="label")
    assert caught.value.code == "column_not_found"
    assert caught.value.details["role"] == "the label"
    with pytest.raises(DataError) as caught:
        choose_columns(frame_with_columns("a", "b", "c"), x1="a", label="A")
    assert caught.value.code == "same_column"


def test_a_frame_with_duplicate_columns_is_refused():
    frame = pd.DataFrame([["1", "2", "0"]], columns=["a", "a", "y"])
    with pytest.raises(DataError) as caught:
        choose_columns(frame)
    assert caught.value.code == "duplicate_columns"


# --- distinct_labels and dataset_from_frame --------------------------------------------------


@pytest.mark.parametrize(
    "labels, expected",
    [
        (["10", "2", "-1", "2.0", ""], ["-1", "2", "10"]),
        (["True", "false", "TRUE", "NaN"], ["false", "True"]),
        (["yes", "no", "Yes", " no "], ["Yes", "no", "yes"]),
        (["b", "a", "inf", "n/a"], ["a", "b"]),
    ],
)
def test_distinct_labels_sort_numbers_as_numbers_and_skip_missing(labels, expected):
    frame = pd.DataFrame({"y": labels})
    assert distinct_labels(frame, "y") == expected


def test_dataset_from_a_frame_of_numbers_names_rows_not_lines():
    frame = pd.DataFrame(
        {"a": [1.0, np.nan, 3.0, 4.0], "b": [1.0, 2.0, np.inf, 5.0], "kind": ["cat", "dog", "cat", None]},
        index=[10, 11, 12, 13],
    )
    with pytest.raises(DataError) as caught:
        dataset_from_frame(frame, "a", "b", "kind")
    # Only one complete row is left: (1, 1, cat).
    assert caught.value.code == "too_few_complete_rows"
    assert caught.value.details == {"n": 1, "dropped": 3}
    frame.loc[14] = [5.0, 6.0, "dog"]
    dataset = dataset_from_frame(frame, "a", "b", "kind", source="typed in")
    np.testing.assert_array_equal(dataset.X, [[1, 1], [5, 6]])
    assert dataset.classes == ("cat", "dog") and dataset.source == "typed in"
    (notice,) = dataset.notices
    assert notice.code == "rows_dropped" and notice.details["rows"] == "2, 3, 4"


def test_a_bad_value_in_a_frame_is_named_by_row():
    frame = pd.DataFrame({"a": ["1", "2", "x"], "b": ["1", "2", "3"], "y": ["0", "1", "0"]})
    with pytest.raises(DataError) as caught:
        dataset_from_frame(frame, "a", "b", "y")
    assert caught.value.code == "not_a_number"
    assert caught.value.details == {"row": 3, "column": "'a'", "value": "'x'", "count": 1}


def test_decimal_commas_are_refused_in_frames_not_read_with_semicolons():
    frame = pd.DataFrame({"a": ["1,5", "2"], "b": ["1", "2"], "y": ["0", "1"]})
    with pytest.raises(DataError) as caught:
        dataset_from_frame(frame, "a", "b", "y")
    assert caught.value.code == "not_a_number"


@pytest.mark.parametrize(
    "positive, expected", [(None, ("False", "True")), (False, ("True", "False")), ("true", ("False", "True"))]
)
def test_positive_class_matches_booleans_given_in_any_form(positive, expected):
    frame = pd.DataFrame({"a": [1, 2], "b": [3, 4], "y": [True, False]})
    dataset = dataset_from_frame(frame, "a", "b", "y", positive=positive)
    assert dataset.classes == expected


def test_positive_class_matches_numbers_and_text_case():
    frame = pd.DataFrame({"a": [1, 2], "b": [3, 4], "y": ["-1", "1.0"]})
    assert dataset_from_frame(frame, "a", "b", "y", positive=-1).classes == ("1.0", "-1")
    frame = pd.DataFrame({"a": [1, 2], "b": [3, 4], "y": ["Adelie", "Gentoo"]})
    assert dataset_from_frame(frame, "a", "b", "y", positive="adelie").classes == ("Gentoo", "Adelie")
    with pytest.raises(DataError) as caught:
        dataset_from_frame(frame, "a", "b", "y", positive="Chinstrap")
    assert caught.value.details == {"value": "'Chinstrap'", "classes": "'Adelie', 'Gentoo'"}


def test_the_core_prints_nothing(capsys):
    load_csv(DATA / "nan_values.csv")
    with pytest.raises(DataError):
        load_csv(DATA / "three_classes.csv")
    assert capsys.readouterr() == ("", "")


# --- fuzzing -------------------------------------------------------------------------------

# Modest for a quick suite; LOGIT_EXAMPLES=5000 for a long soak.
FUZZ = settings(
    max_examples=int(os.environ.get("LOGIT_EXAMPLES", "100")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Characters that matter to a CSV parser, plus a few that matter to decoding.
CSV_ALPHABET = st.sampled_from(
    list(',;\t\n\r" 0123456789.-+eE') + ["nan", "inf", "x1", "x2", "y", "é", "猫", "\ufeff", "\x00", "\x1a", "{", "[", "<"]
)
TRICKY_CELLS = st.sampled_from(
    [
        "0", "1", "-1", "1.5", "1,5", "", " ", "nan", "NA", "inf", "-inf", "1e309", "abc", "True", "no",
        '"', '""', '"a,b"', "猫", "-0", "1e-320",
    ]
)


def only_dataset_or_data_error(content: bytes) -> None:
    try:
        result = load_csv(content)
    except DataError as error:
        assert error.code in MESSAGES
        assert isinstance(str(error), str)
        return
    assert isinstance(result, Dataset)
    assert_valid_dataset(result)
    assert result.n >= 2 and 0 < result.n_positive < result.n


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_give_a_dataset_or_a_data_error(content):
    only_dataset_or_data_error(content)


@FUZZ
@given(st.lists(CSV_ALPHABET, max_size=120).map("".join), st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_random_csv_like_text_gives_a_dataset_or_a_data_error(text, encoding):
    only_dataset_or_data_error(text.encode(encoding, errors="replace"))


@FUZZ
@given(
    st.lists(st.lists(TRICKY_CELLS, min_size=2, max_size=4), min_size=1, max_size=8),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_random_tables_of_tricky_cells_give_a_dataset_or_a_data_error(rows, delimiter, newline):
    header = delimiter.join(["x1", "x2", "y", "z"][: len(rows[0])])
    body = newline.join(delimiter.join(row) for row in rows)
    only_dataset_or_data_error((header + newline + body + newline).encode("utf-8"))
