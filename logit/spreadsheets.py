"""The cells of one sheet of a spreadsheet workbook (.xlsx, .xlsm, .xlsb, .xls, .ods), as text.

Workbooks are read with calamine (python-calamine), which reads the values a spreadsheet
program stored with each cell, formula results included. A cell becomes the text a CSV
export would hold: numbers in their shortest exact form (``39.1``; ``18`` rather than
``18.0``), ``TRUE``/``FALSE``, dates in ISO form; empty and error cells are empty. A formula
whose result was never stored (files written by some libraries rather than by a spreadsheet
program) would read as empty, so such a sheet is refused with a message that says how to fix
it, rather than read with holes.

:func:`workbook_kind` tells a workbook from other files by its first bytes and, for ZIP
containers, by what they hold; :func:`read_sheet` reads one sheet.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Iterator
from xml.etree import ElementTree

from logit.dataset import quote, quote_list
from logit.errors import DataError

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97–2003 (.xls), and also Word's .doc
# What a ZIP container holds when it is not a workbook.
OTHER_ZIP_CONTENT = (("word/", "a Word document (.docx)"), ("ppt/", "a PowerPoint presentation (.pptx)"))
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# Refuse a workbook that unpacks to more than this (a small file can unpack to gigabytes).
MAX_UNPACKED_BYTES = 512 * 2**20
# Sheets listed in a message, at most.
MAX_SHOWN_SHEETS = 20

_XLSX_NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_OFFICE_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_XLSX_CELL = re.compile(rb"<c\b[^>]*?(?:/>|>(.*?)</c>)", re.S)
_XLSX_CELL_REFERENCE = re.compile(rb'\br="([A-Z]+)(\d+)"')
_XLSX_STORED_VALUE = re.compile(rb"<v>[^<]|<is>")  # a value, or an inline string (openpyxl writes <v /> for none)


@dataclass(frozen=True)
class Sheet:
    """One sheet's cells as text.

    Attributes
    ----------
    name : str
        The sheet read.
    names : tuple of str
        Every sheet of the workbook, in order.
    rows : list of list of str, shape (rows, columns)
        From the first to the last used row and column; empty cells are ``""``.
    first_row : int
        The sheet's 1-based row number of ``rows[0]``.
    """

    name: str
    names: tuple[str, ...]
    rows: list[list[str]]
    first_row: int


def workbook_kind(data: bytes) -> str | None:
    """``"xlsx"``, ``"xls"`` or ``"ods"`` for a workbook, None for anything else.

    Raises
    ------
    DataError
        ``binary_file_format`` for a ZIP container that holds no workbook (a Word document, …).
    """
    if data.startswith(OLE_SIGNATURE):
        return "xls"
    if not data.startswith(ZIP_SIGNATURE):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if any(name.startswith("xl/workbook.") for name in names):
                return "xlsx"
            if "mimetype" in names and archive.read("mimetype").strip().startswith(ODS_MIMETYPE):
                return "ods"
    except (zipfile.BadZipFile, OSError, EOFError, KeyError):
        raise DataError("binary_file_format", format="a damaged ZIP archive") from None
    for prefix, name in OTHER_ZIP_CONTENT:
        if any(member.startswith(prefix) for member in names):
            raise DataError("binary_file_format", format=name)
    raise DataError("binary_file_format", format="a ZIP archive")


def read_sheet(data: bytes, kind: str, sheet: str | int | None = None) -> Sheet:
    """The cells of one sheet of the workbook ``data``.

    Parameters
    ----------
    data : bytes
        The whole file.
    kind : str
        What :func:`workbook_kind` said.
    sheet : str, int or None
        The sheet's name (a text of digits that names no sheet is its 1-based number), or
        its 0-based position; None: the first sheet.

    Returns
    -------
    Sheet

    Raises
    ------
    DataError
        ``workbook_too_large``, ``workbook_password``, ``unreadable_workbook``,
        ``sheet_not_found``, ``empty_sheet`` or ``formulas_without_values``.
    """
    with _calamine(data, kind) as workbook:
        names = tuple(workbook.sheet_names)
        name = _sheet_name(names, sheet)
        cells = workbook.get_sheet_by_name(name)
        values = cells.to_python(skip_empty_area=True)
        first_row = cells.start[0] + 1 if values else 1
    rows = [[cell_text(value) for value in row] for row in values]
    if not any(any(cell.strip() for cell in row) for row in rows):
        raise DataError("empty_sheet", sheet=quote(name), sheets=quote_list(names, limit=MAX_SHOWN_SHEETS))
    if kind == "xlsx":
        _refuse_formulas_without_values(data, names.index(name), name)
    return Sheet(name=name, names=names, rows=rows, first_row=first_row)


def sheet_names(data: bytes, kind: str) -> tuple[str, ...]:
    """The workbook's sheets, in order (the errors of :func:`read_sheet` that concern the whole file)."""
    with _calamine(data, kind) as workbook:
        return tuple(workbook.sheet_names)


_KIND_NAMES = {"xlsx": "an Excel workbook (.xlsx)", "xls": "an Excel 97–2003 workbook (.xls)",
               "ods": "an OpenDocument spreadsheet (.ods)"}


@contextlib.contextmanager
def _calamine(data: bytes, kind: str) -> Iterator:
    """The workbook opened by calamine; whatever goes wrong while it is used becomes a DataError."""
    import python_calamine  # here, not at import: only workbooks need it

    if kind != "xls":
        _check_unpacked_size(data)
    try:
        yield python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except DataError:
        raise
    except python_calamine.PasswordError:
        raise DataError("workbook_password") from None
    except Exception as error:  # noqa: BLE001 — any bytes must end in a DataError, never a traceback
        reason = " ".join(str(error).split())[:200] or type(error).__name__
        raise DataError("unreadable_workbook", kind=_KIND_NAMES[kind], reason=reason) from None


def cell_text(value: object) -> str:
    """A cell's value as a CSV export writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def _sheet_name(names: tuple[str, ...], sheet: str | int | None) -> str:
    if not names:
        raise DataError("empty_sheet", sheet="—", sheets="—")
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) and 0 <= sheet < len(names):
        return names[sheet]
    if isinstance(sheet, str):
        wanted = sheet.strip()
        for name in names:
            if name == wanted:
                return name
        folded = [name for name in names if name.strip().casefold() == wanted.casefold()]
        if len(folded) == 1:
            return folded[0]
        if wanted.isdigit() and 1 <= int(wanted) <= len(names):  # "2": the second sheet, as people count
            return names[int(wanted) - 1]
    raise DataError("sheet_not_found", sheet=quote(sheet), sheets=quote_list(names, limit=MAX_SHOWN_SHEETS))


def _check_unpacked_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError):
        return  # calamine says what is wrong with it
    if unpacked > MAX_UNPACKED_BYTES:
        raise DataError("workbook_too_large", size=unpacked, limit=MAX_UNPACKED_BYTES)


def _refuse_formulas_without_values(data: bytes, position: int, name: str) -> None:
    """An .xlsx cell with a formula ``<f>`` but no stored value ``<v>`` (or an empty one) would read as empty."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(_xlsx_sheet_path(archive, position))
    except (KeyError, IndexError, zipfile.BadZipFile, ElementTree.ParseError):
        return  # an unusual layout: calamine read it; nothing more to check
    missing = []
    for match in _XLSX_CELL.finditer(xml):
        body = match.group(1) or b""
        if b"<f" in body and not _XLSX_STORED_VALUE.search(body):
            reference = _XLSX_CELL_REFERENCE.search(match.group(0))
            missing.append(b"".join(reference.groups()).decode() if reference else "?")
    if missing:
        cells = ", ".join(missing[:10]) + (", …" if len(missing) > 10 else "")
        raise DataError("formulas_without_values", sheet=quote(name), count=len(missing), cells=cells)


def _xlsx_sheet_path(archive: zipfile.ZipFile, position: int) -> str:
    """The path inside the archive of the ``position``-th sheet, from the workbook and its relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheets = workbook.findall("main:sheets/main:sheet", _XLSX_NS)
    relation = sheets[position].get(_OFFICE_REL_ID)
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for item in relations.findall("rel:Relationship", _XLSX_NS):
        if item.get("Id") == relation:
            target = item.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    raise KeyError(relation)
