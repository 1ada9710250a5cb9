"""Real files (tests/data/real/, see its SOURCES.md): public data sets saved the way Excel,
Chinese Excel and LibreOffice save them. Each one either reads exactly as its clean UTF-8 twin
(the same cells, columns, labels, positive class and run) or fails with the error its manifest
names. Through the loader and the command line here; through the page in test_app.py."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from logit import DataError, TrainingSettings, read_table, train
from logit.cli import main
from logit.csv_loader import load_csv
from logit.messages import MESSAGES

REAL = Path(__file__).resolve().parent / "data" / "real"


def manifest() -> list[dict[str, str]]:
    with open(REAL / "MANIFEST.csv", encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


ROWS = manifest()
VARIANTS = [row for row in ROWS if row["file"] != row["twin"]]
SAME = [row for row in VARIANTS if row["expect"] == "same"]
ERRORS = [row for row in ROWS if row["expect"] != "same"]


def row_id(row: dict[str, str]) -> str:
    return row["file"] + (f"[{row['sheet']}]" if row["sheet"] else "")


def choices(row: dict[str, str]) -> dict:
    return dict(x1=row["x1"], x2=row["x2"], label=row["label"], positive=row["positive"] or None,
                sheet=row["sheet"] or None)


def test_the_manifest_covers_every_file_and_every_way_of_saving():
    files = {path.name for path in REAL.iterdir()} - {"MANIFEST.csv", "SOURCES.md"}
    assert files == {row["file"] for row in ROWS}
    kinds = {row["encoding"] for row in VARIANTS}
    assert {"gbk", "cp950", "cp932", "cp1252", "latin-1", "utf-8-sig", "utf-16", "xlsx", "xls", "ods"} <= kinds


@pytest.mark.parametrize("row", SAME, ids=row_id)
def test_a_saved_file_reads_cell_for_cell_as_its_clean_twin(row):
    frame = read_table(REAL / row["file"], sheet=row["sheet"] or None)
    twin = read_table(REAL / row["twin"])
    assert list(frame.columns) == list(twin.columns)
    if frame.attrs["delimiter"] == ";":  # European Excel: decimal commas, read as points later
        frame = frame.apply(lambda column: column.str.replace(",", ".", regex=False))
    assert frame.to_numpy().tolist() == twin.to_numpy().tolist()
    assert frame.attrs["encoding_certain"], "a real file's encoding must be found with certainty"
    assert "encoding_guessed" not in [notice.code for notice in frame.attrs["notices"]]
    if row["encoding"] not in ("xlsx", "xls", "ods"):
        # The codec found reads the bytes exactly as the one they were written in.
        data = (REAL / row["file"]).read_bytes()
        assert data.decode(row["encoding"]).replace("\r\n", "\n") == (
            data.decode(frame.attrs["encoding"]).lstrip("\ufeff").replace("\r\n", "\n"))


@pytest.mark.parametrize("row", SAME, ids=row_id)
def test_a_saved_file_gives_the_same_data_and_run_as_its_clean_twin(row):
    dataset = load_csv(REAL / row["file"], **choices(row))
    twin = load_csv(REAL / row["twin"], **{**choices(row), "sheet": None})
    np.testing.assert_array_equal(dataset.X, twin.X)
    np.testing.assert_array_equal(dataset.y, twin.y)
    assert (dataset.feature_names, dataset.label_name, dataset.classes) == (
        twin.feature_names, twin.label_name, twin.classes)
    assert dataset.classes[1] == row["positive"] or not row["positive"]
    settings = TrainingSettings(learning_rate=0.5, max_iterations=50, standardize=True)
    np.testing.assert_array_equal(train(dataset.X, dataset.y, settings).params,
                                  train(twin.X, twin.y, settings).params)


@pytest.mark.parametrize("row", ERRORS, ids=row_id)
def test_a_file_that_cannot_be_used_says_why(row):
    with pytest.raises(DataError) as caught:
        load_csv(REAL / row["file"], **choices(row))
    assert caught.value.code == row["expect"]
    assert row["expect"] in MESSAGES and "{" not in str(caught.value)


def test_the_report_sheet_skips_its_title_rows_and_says_so():
    frame = read_table(REAL / "penguins_report_libreoffice.xlsx")
    (notice,) = frame.attrs["notices"]
    assert notice.code == "title_rows_skipped"
    assert notice.details["rows"] == "1, 3"  # row 2 is blank; row 4 holds the names
    assert "Bill (mm)" in notice.details["texts"]
    assert frame.index[0] == 5  # the first penguin is on row 5 of the sheet


def test_the_two_sheet_workbook_lists_its_sheets_and_reads_the_first_by_default():
    frame = read_table(REAL / "penguins_two_sheets_libreoffice.xlsx")
    assert frame.attrs["sheets"] == ("Adelie and Gentoo", "Chinstrap and Gentoo")
    assert frame.attrs["sheet"] == "Adelie and Gentoo"
    by_number = read_table(REAL / "penguins_two_sheets_libreoffice.xlsx", sheet="2")
    assert by_number.attrs["sheet"] == "Chinstrap and Gentoo"


def cli_json(capsys, *args: str) -> dict:
    """The JSON report, less the file's name and the notes (which name lines of a file or rows of a sheet)."""
    assert main(["train", *args, "--iterations", "30", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    del report["source"], report["warnings"]
    return report


@pytest.mark.parametrize("row", SAME, ids=row_id)
def test_the_command_line_trains_on_a_saved_file_as_on_its_clean_twin(row, capsys):
    options = ["--x1", row["x1"], "--x2", row["x2"], "--label", row["label"]]
    if row["positive"]:
        options += ["--positive", row["positive"]]
    sheet = ["--sheet", row["sheet"]] if row["sheet"] else []
    assert cli_json(capsys, str(REAL / row["file"]), *options, *sheet) == cli_json(
        capsys, str(REAL / row["twin"]), *options)


def test_the_command_line_can_be_told_the_encoding(capsys):
    gbk = str(REAL / "penguins_zh_excel_gbk.csv")
    options = ["--x1", "喙长(毫米)", "--x2", "体重(克)", "--label", "性别"]
    assert cli_json(capsys, gbk, *options, "--encoding", "GBK") == cli_json(capsys, gbk, *options)
    assert main(["train", gbk, "--encoding", "big5"]) == 2
    assert "error: " in capsys.readouterr().err
