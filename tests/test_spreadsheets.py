"""Reading workbooks (logit.spreadsheets): what is a workbook, cells as CSV text, sheets, and refusals."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest

from logit import DataError, read_table
from logit import spreadsheets
from logit.spreadsheets import cell_text, read_sheet, workbook_kind

REAL = Path(__file__).resolve().parent / "data" / "real"
TWO_SHEETS = (REAL / "penguins_two_sheets_libreoffice.xlsx").read_bytes()


def zip_of(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


@pytest.mark.parametrize("value, text", [
    (39.1, "39.1"), (18.0, "18"), (-0.0, "0"), (2007, "2007"), (1e300, "1e+300"), (0.1 + 0.2, "0.30000000000000004"),
    (True, "TRUE"), (False, "FALSE"), ("Adélie", "Adélie"), ("", ""), (None, ""),
    (datetime.date(2007, 11, 9), "2007-11-09"), (datetime.datetime(2007, 11, 9, 8, 30), "2007-11-09T08:30:00"),
])
def test_a_cell_reads_as_a_csv_export_writes_it(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize("name, kind", [
    ("penguins_two_sheets_libreoffice.xlsx", "xlsx"), ("penguins_zh_libreoffice.ods", "ods"),
    ("penguins_zh_excel97.xls", "xls"), ("penguins_zh.csv", None), ("penguins_zh_excel_unicode_text.txt", None),
])
def test_a_workbook_is_known_by_its_content(name, kind):
    assert workbook_kind((REAL / name).read_bytes()) == kind


@pytest.mark.parametrize("members, found", [
    ({"word__document.xml": b"<w/>", "[Content_Types].xml": b"<x/>"}, "a Word document (.docx)"),
    ({"ppt__presentation.xml": b"<p/>"}, "a PowerPoint presentation (.pptx)"),
    ({"data.csv": b"x1,x2,y\n1,2,0\n"}, "a ZIP archive"),
])
def test_a_zip_that_holds_no_workbook_is_named(members, found):
    with pytest.raises(DataError) as caught:
        read_table(zip_of(**members))
    assert caught.value.code == "binary_file_format" and caught.value.details["format"] == found


def test_a_damaged_workbook_is_refused_with_a_reason():
    for data in (TWO_SHEETS[:2000], zip_of(xl__workbook_xml=b"not xml")):
        with pytest.raises(DataError) as caught:
            read_table(data)
        assert caught.value.code in ("binary_file_format", "unreadable_workbook")


def test_an_ole_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(DataError) as caught:
        read_table(spreadsheets.OLE_SIGNATURE + bytes(4000))
    assert caught.value.code == "unreadable_workbook"
    assert caught.value.details["kind"] == "an Excel 97–2003 workbook (.xls)"


@pytest.mark.parametrize("sheet, name", [
    (None, "Adelie and Gentoo"), (0, "Adelie and Gentoo"), (1, "Chinstrap and Gentoo"),
    ("Chinstrap and Gentoo", "Chinstrap and Gentoo"), ("  chinstrap AND gentoo ", "Chinstrap and Gentoo"),
    ("2", "Chinstrap and Gentoo"),
])
def test_a_sheet_is_chosen_by_name_or_position(sheet, name):
    read = read_sheet(TWO_SHEETS, "xlsx", sheet)
    assert read.name == name and read.names == ("Adelie and Gentoo", "Chinstrap and Gentoo")
    assert read.first_row == 1 and read.rows[0][0] == "species"


@pytest.mark.parametrize("sheet", ["Gentoo", 2, "3", -1])
def test_a_missing_sheet_names_the_ones_there_are(sheet):
    with pytest.raises(DataError) as caught:
        read_sheet(TWO_SHEETS, "xlsx", sheet)
    assert caught.value.code == "sheet_not_found"
    assert "'Adelie and Gentoo', 'Chinstrap and Gentoo'" in caught.value.details["sheets"]


def with_member(workbook: bytes, name: str, content: bytes) -> bytes:
    """A copy of an .xlsx workbook with one member replaced."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for member in source.infolist():
            copy.writestr(member, content if member.filename == name else source.read(member))
    return buffer.getvalue()


def test_an_empty_sheet_is_refused_and_the_others_are_named():
    empty = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
             b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')
    with pytest.raises(DataError) as caught:
        read_table(with_member(TWO_SHEETS, "xl/worksheets/sheet1.xml", empty))
    assert caught.value.code == "empty_sheet"
    assert caught.value.details == {"sheet": "'Adelie and Gentoo'", "sheets": "'Adelie and Gentoo', 'Chinstrap and Gentoo'"}


def test_a_workbook_that_unpacks_too_far_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_UNPACKED_BYTES", 10_000)
    with pytest.raises(DataError) as caught:
        read_table(TWO_SHEETS)
    assert caught.value.code == "workbook_too_large" and caught.value.details["size"] > 10_000


def test_formulas_without_stored_results_are_named_by_cell():
    with pytest.raises(DataError) as caught:
        read_table(REAL / "penguins_formulas_without_values.xlsx")
    assert caught.value.code == "formulas_without_values"
    assert caught.value.details["cells"].startswith("C2, D2, E2, F2")
    # The formulas LibreOffice calculated and stored read as their results.
    frame = read_table(REAL / "penguins_report_libreoffice.xlsx")
    assert frame["bill_ratio"].iloc[0] == "2.09090909090909"
