"""Reading a table (CSV text or a spreadsheet workbook) and turning two feature columns and a
label column into a Dataset.

Reading (:func:`read_table`) is separate from interpreting (:func:`choose_columns`,
:func:`dataset_from_frame`), so that a user interface can show the table and let the
user pick columns before any number is parsed. Every problem with the input becomes a
:class:`~logit.errors.DataError` whose message says what was expected, what was found
and how to fix it; no other exception escapes :func:`read_table` for any bytes.

The frame returned by :func:`read_table` holds every cell as text (nothing is
interpreted yet) and is indexed by the file line each row came from (index name
``"line"``), or by the row of the sheet for a workbook (index name ``"sheet_row"``), so
that later messages can point at lines of the file or rows of the sheet. The text's
encoding is found by :mod:`logit.encodings`; workbooks are read by :mod:`logit.spreadsheets`.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import json
import os
import re
import warnings
from collections import Counter
from typing import Any, Hashable, Sequence

import numpy as np
import pandas as pd

from logit import encodings
from logit.dataset import Dataset, quote, quote_list
from logit.errors import DataError
from logit.messages import Notice
from logit.spreadsheets import OLE_SIGNATURE, ZIP_SIGNATURE, Sheet, read_sheet, workbook_kind

DELIMITERS = (",", ";", "\t")
# A line longer than this is not a row of a table: refuse it before parsing (a 1 GB file
# without line breaks would otherwise become one enormous cell).
MAX_LINE_BYTES = 1_000_000
# Lines looked at to guess the delimiter.
SNIFF_LINES = 50
# Cell texts (compared in lower case, after stripping spaces) that mean "no value".
MISSING_TOKENS = frozenset({"", "nan", "-nan", "+nan", "na", "n/a", "#n/a", "null", "<na>"})
# Label texts that mean an infinite value (dropped like an infinite feature).
INFINITE_TOKENS = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})
# How a file starts when it is something other than text.
BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
)
# Characters no text table contains: C0 controls other than tab, line feed and carriage return, and DEL.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WHITESPACE_ONLY_LINE = re.compile(r"(?m)^[ \t]+$")
# "1,5" or "-0,25e3": a number written with a decimal comma.
_DECIMAL_COMMA = re.compile(r"^[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?$")
_PANDAS_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
LINE_INDEX_NAME = "line"
SHEET_ROW_INDEX_NAME = "sheet_row"
# The header may sit below title rows: it is the first of this many rows that fills nearly as
# many cells as the widest of them.
HEADER_SEARCH_ROWS = 20
# A path is shown whole in messages (up to a sane length): its end names the file.
MAX_SHOWN_PATH_CHARS = 1000
# Messages show at most this many row or line numbers.
MAX_SHOWN_POSITIONS = 10


# --- reading ------------------------------------------------------------------------------


def read_table(
    source: str | os.PathLike[str] | bytes,
    *,
    max_bytes: int | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a table with every cell as text: CSV text, or one sheet of a workbook.

    Text: the delimiter is guessed among ``,`` ``;`` and tab; the encoding is found by
    :func:`logit.encodings.decode` (a BOM, UTF-8, else the most likely legacy code page,
    with an ``encoding_guessed`` notice when another one is nearly as likely). Line ends
    may be LF, CRLF or CR. A delimiter at the end of every line is ignored.
    Workbooks (.xlsx, .xls, .ods, told apart by their content, not their name): the first
    sheet unless ``sheet`` names another.
    The header is the first row unless title rows stand above it (rows filling far fewer
    cells: they are skipped, with a ``title_rows_skipped`` notice) or it holds only numbers
    (then the columns are named ``column_1`` … and a ``headerless`` notice is attached).

    Parameters
    ----------
    source : str, os.PathLike or bytes
        A path to a file, or the file's content as bytes (a ``str`` is a path; pass
        text as ``text.encode()``).
    max_bytes : int or None
        Refuse a larger file before reading it (None: no limit).
    encoding : str or None
        The text's encoding as the user chose it (see :func:`logit.encodings.codec_of`);
        None detects it. Ignored for workbooks.
    sheet : str, int or None
        A workbook's sheet, by name or 0-based position; None: the first. Ignored for text.

    Returns
    -------
    DataFrame, shape (rows, columns)
        Stripped, unique column names; cells as ``str`` exactly as in the file; index =
        the 1-based line of the file each row starts on (name ``"line"``), or the row of
        the sheet (name ``"sheet_row"``).
        ``frame.attrs`` holds ``"delimiter"`` (None for a workbook), ``"encoding"`` (the
        codec, or the workbook's kind ``"xlsx"``, ``"xls"``, ``"ods"``),
        ``"encoding_certain"``, ``"sheet"`` and ``"sheets"`` (the sheet read and all of
        them; None and () for text) and ``"notices"`` (a tuple of
        :class:`~logit.messages.Notice`).

    Raises
    ------
    DataError
        ``file_not_found``, ``file_unreadable``, ``file_too_large``, ``empty_file``,
        ``blank_file``, ``binary_file``, ``binary_file_format``, ``json_file``,
        ``not_a_table``, ``line_too_long``, ``ragged_rows``, ``unclosed_quote``,
        ``duplicate_columns``, ``too_few_columns``, ``too_few_data_rows``,
        ``unknown_encoding``, ``wrong_encoding``, the workbook errors of
        :func:`logit.spreadsheets.read_sheet`, or ``unreadable_table`` (anything else that
        went wrong while parsing).
    """
    try:
        data = _read_bytes(source, max_bytes)
        kind = workbook_kind(data)
        if kind is not None:
            return _sheet_table(read_sheet(data, kind, sheet), kind)
        return _parse_table(_decode(data, encoding))
    except DataError:
        raise
    except MemoryError:
        raise DataError("unreadable_table", reason="not enough memory") from None
    except Exception as error:  # noqa: BLE001 — any bytes must end in a DataError, never a traceback
        raise DataError("unreadable_table", reason=_short_reason(error)) from None


def _read_bytes(source: str | os.PathLike[str] | bytes, max_bytes: int | None) -> bytes:
    """The raw content, after the checks that can be made on its first megabyte."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if max_bytes is not None and len(data) > max_bytes:
            raise DataError("file_too_large", size=len(data), limit=max_bytes)
        _check_head(data[: MAX_LINE_BYTES + 1], total_size=len(data))
        return data
    path = os.fspath(source)
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            if max_bytes is not None and size > max_bytes:
                raise DataError("file_too_large", size=size, limit=max_bytes)
            head = file.read(MAX_LINE_BYTES + 1)
            # Refuse a binary file or a huge first line before reading the rest.
            _check_head(head, total_size=size)
            rest = file.read() if max_bytes is None else file.read(max_bytes + 1 - len(head))
    except FileNotFoundError:
        raise DataError("file_not_found", path=quote(path, MAX_SHOWN_PATH_CHARS)) from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise DataError("file_unreadable", path=quote(path, MAX_SHOWN_PATH_CHARS), reason=reason) from None
    data = head + rest
    if max_bytes is not None and len(data) > max_bytes:  # the file grew while we read it
        raise DataError("file_too_large", size=len(data), limit=max_bytes)
    return data


def _check_head(head: bytes, total_size: int) -> None:
    """Refuse empty, known binary formats and a first line without end, from the first bytes."""
    if total_size == 0:
        raise DataError("empty_file")
    if head.startswith((ZIP_SIGNATURE, OLE_SIGNATURE)):
        return  # a workbook (or another container): workbook_kind looks inside
    for signature, name in BINARY_SIGNATURES:
        if head.startswith(signature):
            raise DataError("binary_file_format", format=name)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return  # UTF-16 text is full of NUL bytes; it is checked after decoding
    nul = head.find(b"\x00")
    if nul >= 0:
        raise DataError("binary_file", byte="0x00", line=head.count(b"\n", 0, nul) + 1)
    if len(head) > MAX_LINE_BYTES and b"\n" not in head and b"\r" not in head:
        raise DataError("line_too_long", line=1, limit=MAX_LINE_BYTES)


def _decode(data: bytes, encoding: str | None) -> encodings.Decoded:
    """The text and how it was read; refuses binary content."""
    wide = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        encoding is not None and encodings.codec_of(encoding).startswith(("utf-16", "utf-32")))
    if not wide:  # UTF-16 text is full of NUL bytes; it is checked after decoding
        nul = data.find(b"\x00")
        if nul >= 0:
            raise DataError("binary_file", byte="0x00", line=data.count(b"\n", 0, nul) + 1)
        _check_line_lengths(data)
    decoded = encodings.decode(data, encoding)
    # A DOS end-of-file mark (Ctrl-Z) at the very end is harmless.
    text = decoded.text.rstrip("\x1a")
    control = _CONTROL_CHARACTER.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        raise DataError("binary_file", byte=f"0x{ord(control.group()):02X}", line=line)
    return dataclasses.replace(decoded, text=text)


def _check_line_lengths(data: bytes, chunk_size: int = 1 << 24) -> None:
    """Refuse a line longer than MAX_LINE_BYTES, scanning newlines chunk by chunk (cheap)."""
    if len(data) <= MAX_LINE_BYTES:
        return
    everything = np.frombuffer(data, dtype=np.uint8)
    # Lines end in LF (also CRLF); only a file without any LF uses lone CRs.
    line_end = 10 if b"\n" in data else 13
    line_start = 0  # offset where the current line began
    lines_before = 0
    for chunk_start in range(0, len(everything), chunk_size):
        chunk = everything[chunk_start : chunk_start + chunk_size]
        breaks = np.flatnonzero(chunk == line_end) + chunk_start
        if len(breaks):
            starts = np.concatenate([[line_start], breaks[:-1] + 1])
            too_long = np.flatnonzero(breaks - starts > MAX_LINE_BYTES)
            if len(too_long):
                raise DataError("line_too_long", line=lines_before + int(too_long[0]) + 1, limit=MAX_LINE_BYTES)
            lines_before += len(breaks)
            line_start = int(breaks[-1]) + 1
        if chunk_start + len(chunk) - line_start > MAX_LINE_BYTES:
            raise DataError("line_too_long", line=lines_before + 1, limit=MAX_LINE_BYTES)


def _parse_table(decoded: encodings.Decoded) -> pd.DataFrame:
    """Text → frame of strings with header, line index and notices."""
    text = decoded.text
    if not text.strip():
        raise DataError("blank_file")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _refuse_other_formats(text)
    # Lines of spaces and tabs count as blank (pandas skips only some of them).
    text = _WHITESPACE_ONLY_LINE.sub("", text)
    delimiter = _sniff_delimiter(text)
    lines, counts = _scan_records(text, delimiter)
    if counts:
        _refuse_short_rows(lines, counts)
    with warnings.catch_warnings():
        # Structure is checked above and below; pandas' own warnings add nothing.
        warnings.simplefilter("ignore")
        try:
            raw = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                header=None,
                # As many columns as the widest record, so that no record is an error here.
                names=range(max(counts)) if counts else None,
                dtype=str,
                na_filter=False,
                index_col=False,
                skip_blank_lines=True,
                engine="c",
            )
        except pd.errors.ParserError as error:
            ragged = _PANDAS_RAGGED.search(str(error))
            if ragged:
                expected, line, found = (int(g) for g in ragged.groups())
                raise DataError("ragged_rows", expected=expected, header_line=1, line=line, found=found) from None
            if "EOF inside string" in str(error) and lines:
                # The csv scan ran the unclosed quote to the end: its record is the last one.
                raise DataError("unclosed_quote", line=lines[-1]) from None
            raise
    if len(raw) == len(lines):
        raw.index = pd.Index(lines, name=LINE_INDEX_NAME)
    else:  # the two parsers disagree (exotic quoting): number the rows instead of naming lines
        counts = []
    header_cells = [str(cell) for cell in raw.iloc[0]] if len(raw) else []
    header_width = counts[0] if counts else _width_without_trailing_empties(header_cells)
    raw = _drop_trailing_fields(raw, header_width, counts)
    notices = []
    if not decoded.certain:
        notices.append(Notice("encoding_guessed", {
            "encoding": encodings.encoding_name(decoded.encoding),
            "alternatives": ", ".join(map(encodings.encoding_name, decoded.alternatives)) or "—",
        }))
    frame = _with_header(raw, notices)
    frame.attrs.update(delimiter=delimiter, encoding=decoded.encoding, encoding_certain=decoded.certain,
                       sheet=None, sheets=())
    return frame


def _sheet_table(sheet: Sheet, kind: str) -> pd.DataFrame:
    """A sheet's cells → frame of strings with header, sheet-row index and notices."""
    width = max(map(len, sheet.rows))
    cells = [row + [""] * (width - len(row)) for row in sheet.rows]
    rows = pd.DataFrame(cells, dtype=object).astype(str)
    rows.index = pd.Index(range(sheet.first_row, sheet.first_row + len(cells)), name=SHEET_ROW_INDEX_NAME)
    filled = (rows.apply(lambda column: column.str.strip()) != "").any(axis=1)
    frame = _with_header(rows[filled], [])
    frame.attrs.update(delimiter=None, encoding=kind, encoding_certain=True, sheet=sheet.name, sheets=sheet.names)
    return frame


def _refuse_other_formats(text: str) -> None:
    """JSON, JSON Lines, HTML and XML are text, but not tables."""
    start = text.lstrip()
    if start[:1] in ("{", "["):
        first_line = start.split("\n", 1)[0].strip()
        for candidate in (start, first_line):
            try:
                json.loads(candidate)
            except Exception:  # noqa: BLE001 — any failure (incl. deep nesting) means "not JSON"
                continue
            raise DataError("json_file")
    lowered = start[:200].lower()
    if lowered.startswith(("<!doctype html", "<html")):
        raise DataError("not_a_table", format="HTML")
    if lowered.startswith("<?xml"):
        raise DataError("not_a_table", format="XML")


def _field_count(line: str, delimiter: str) -> int:
    """Fields on one line, honouring quotes when there are any."""
    if '"' not in line:
        return line.count(delimiter) + 1
    try:
        return len(next(csv.reader([line], delimiter=delimiter), [""]))
    except csv.Error:
        return line.count(delimiter) + 1


def _sniff_delimiter(text: str) -> str:
    """The delimiter among , ; tab that splits the first lines most consistently.

    A candidate must give the header at least 2 fields; among those, the one with the
    largest share of sample lines having as many fields as the header wins, then the
    one giving more fields, then the order , ; tab.
    """
    sample = [line for line in text.split("\n", 4 * SNIFF_LINES)[: 4 * SNIFF_LINES] if line][:SNIFF_LINES]
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        counts = [_field_count(line, delimiter) for line in sample]
        if not counts or counts[0] < 2:
            continue
        header = counts[0]
        # A delimiter at the end of the data lines only gives header + 1 fields.
        consistent = sum(1 for c in counts if c in (header, header + 1)) / len(counts)
        score = (consistent, header)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _scan_records(text: str, delimiter: str) -> tuple[list[int], list[int]]:
    """(first line, field count) of every non-blank record; ([], []) if the scan fails.

    Without quotes a record is a line; with quotes the csv module follows quoted line
    breaks. pandas parses the values; this scan names lines in messages.
    """
    lines: list[int] = []
    counts: list[int] = []
    if '"' not in text:
        for number, line in enumerate(text.split("\n"), start=1):
            if line:
                lines.append(number)
                counts.append(line.count(delimiter) + 1)
        return lines, counts
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    try:
        for record in reader:
            if record:
                lines.append(previous_end + 1)
                counts.append(len(record))
            previous_end = reader.line_num
    except csv.Error:  # e.g. a quoted field beyond the csv module's size limit
        return [], []
    return lines, counts


def _refuse_short_rows(lines: list[int], counts: list[int]) -> None:
    """Every record needs at least as many fields as the header (more only if empty, see below)."""
    header = counts[0]
    short = np.flatnonzero(np.asarray(counts) < header)
    if len(short):
        first = int(short[0])
        raise DataError("ragged_rows", expected=header, header_line=lines[0], line=lines[first], found=counts[first])


def _width_without_trailing_empties(cells: Sequence[str]) -> int:
    width = len(cells)
    while width > 1 and not cells[width - 1].strip():
        width -= 1
    return width


def _drop_trailing_fields(raw: pd.DataFrame, header_width: int, counts: list[int]) -> pd.DataFrame:
    """Drop the fields beyond the header's width if they are all empty (a trailing delimiter)."""
    if raw.shape[1] <= header_width:
        return raw
    extra = raw.iloc[:, header_width:]
    filled = np.zeros(len(raw), dtype=bool)
    for column in extra.columns:
        filled |= extra[column].str.strip().to_numpy(dtype=object) != ""
    if filled.any():
        row = int(np.flatnonzero(filled)[0])
        line = int(raw.index[row]) if raw.index.name == LINE_INDEX_NAME else row + 1
        found = counts[row] if counts else raw.shape[1]
        header_line = int(raw.index[0]) if raw.index.name == LINE_INDEX_NAME else 1
        raise DataError("ragged_rows", expected=header_width, header_line=header_line, line=line, found=found)
    return raw.iloc[:, :header_width]


def _with_header(raw: pd.DataFrame, notices: list[Notice]) -> pd.DataFrame:
    """Find the header (below any title rows), take the names from it (unless it is all numbers)
    and check the shape. Sets ``attrs["notices"]``; the caller adds the rest of ``attrs``."""
    # A column without name and values is what a delimiter at the end of the lines leaves.
    keep = [p for p in range(raw.shape[1]) if (raw.iloc[:, p].str.strip() != "").any()]
    raw = raw.iloc[:, keep]
    top = _header_position(raw)
    if top:
        titles = [cell.strip() for row in range(top) for cell in raw.iloc[row] if cell.strip()]
        notices.append(Notice("title_rows_skipped", {
            "rows": ", ".join(str(position) for position in raw.index[:top]),
            "texts": quote_list(titles, limit=5),
        }))
        raw = raw.iloc[top:]
    header = [str(cell).strip() for cell in raw.iloc[0]] if len(raw) else []
    if header and all(header) and np.isfinite(_parse_numbers(header)).all():
        names = [f"column_{i}" for i in range(1, len(header) + 1)]
        notices.append(Notice("headerless", {"first": quote_list(header, limit=5), "columns": quote_list(names)}))
        data = raw
    else:
        names = [name or f"column_{p + 1}" for name, p in zip(header, keep)]
        data = raw.iloc[1:]
    duplicates = [name for name, count in Counter(names).items() if count > 1]
    if duplicates:
        raise DataError("duplicate_columns", names=quote_list(duplicates))
    if len(names) < 2:
        raise DataError("too_few_columns", count=len(names), columns=quote_list(names))
    if len(data) < 2:
        raise DataError("too_few_data_rows", count=len(data))
    frame = data.copy()
    frame.columns = pd.Index(names, dtype=object)
    frame.attrs = {"notices": tuple(notices)}
    return frame


def _header_position(raw: pd.DataFrame) -> int:
    """Rows above the header: a title, a blank row, a merged group heading fill far fewer cells.

    The header is the first of the first :data:`HEADER_SEARCH_ROWS` rows that fills at least
    as many cells as the widest of them less a quarter (at least 2): one missing column name
    does not make a header a title.
    """
    top = raw.iloc[:HEADER_SEARCH_ROWS]
    filled = (top.apply(lambda column: column.str.strip()) != "").sum(axis=1).to_numpy()
    if not len(filled):
        return 0
    widest = int(filled.max())
    enough = max(2, widest - max(1, widest // 4))
    return int(np.flatnonzero(filled >= enough)[0]) if (filled >= enough).any() else 0


def _short_reason(error: BaseException) -> str:
    """One line of an exception's text for a message."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 200 else text[:199] + "…"


# --- choosing columns ------------------------------------------------------------------------

_ROLES = ("x1", "x2", "label")
_ROLE_TEXT = {"x1": "x1", "x2": "x2", "label": "the label"}
# Column names (case-insensitive) that choose themselves.
_CONVENTIONAL = {"x1": "x1", "x2": "x2", "label": "y"}


def choose_columns(
    frame: pd.DataFrame,
    x1: Hashable | None = None,
    x2: Hashable | None = None,
    label: Hashable | None = None,
) -> tuple[str, str, str]:
    """Decide which columns are the features x1, x2 and the label.

    Each given name must be a column (exact, else ignoring case and surrounding spaces).
    A role left as None takes the column named ``x1``, ``x2`` or ``y`` (any case); if
    that does not settle it and the table has exactly three columns, the remaining
    columns fill the remaining roles in order.

    Parameters
    ----------
    frame : DataFrame
    x1, x2, label : column name or None

    Returns
    -------
    (x1, x2, label) : tuple of 3 column names
        As they appear in ``frame.columns``, all different.

    Raises
    ------
    DataError
        ``need_three_columns``, ``duplicate_columns``, ``column_not_found``,
        ``choose_columns`` or ``same_column``.
    """
    columns = list(frame.columns)
    if len(columns) < 3:
        raise DataError("need_three_columns", count=len(columns), columns=quote_list(columns, limit=20))
    if not frame.columns.is_unique:
        raise DataError("duplicate_columns", names=quote_list(frame.columns[frame.columns.duplicated()].unique()))
    given = {"x1": x1, "x2": x2, "label": label}
    chosen = {role: _find_column(columns, name, role) for role, name in given.items() if name is not None}
    for role in _ROLES:
        if role in chosen:
            continue
        matches = [c for c in columns if str(c).strip().lower() == _CONVENTIONAL[role]]
        if len(matches) == 1 and matches[0] not in chosen.values():
            chosen[role] = matches[0]
    open_roles = [role for role in _ROLES if role not in chosen]
    if open_roles:
        if len(columns) != 3:
            raise DataError("choose_columns", count=len(columns), columns=quote_list(columns, limit=20))
        remaining = [c for c in columns if c not in chosen.values()]
        chosen.update(zip(open_roles, remaining))
    _check_distinct(chosen)
    return chosen["x1"], chosen["x2"], chosen["label"]


def suggest_columns(frame: pd.DataFrame) -> tuple[Hashable, Hashable, Hashable]:
    """A first guess at (x1, x2, label) for a table whose columns :func:`choose_columns` cannot
    settle, for a picker to start from: the first two columns of numbers, and the first other
    column with exactly two values (else the other column with the fewest values).

    Parameters
    ----------
    frame : DataFrame with at least 3 columns

    Returns
    -------
    (x1, x2, label) : three different column names
    """
    columns = list(frame.columns)
    texts = {column: _stripped_text(frame[column]) for column in columns}
    present = {column: text[(text != "") & ~np.isin(_lower(text), list(MISSING_TOKENS))] for column, text in texts.items()}
    numeric = [c for c in columns if len(present[c]) and np.isfinite(_parse_numbers(present[c])).mean() >= 0.9]
    features = (numeric + [c for c in columns if c not in numeric])[:2]
    others = [c for c in columns if c not in features]
    distinct = {c: len(pd.unique(present[c])) for c in others}
    two = [c for c in others if distinct[c] == 2]
    label = two[0] if two else min(others, key=lambda c: (distinct[c] < 2, distinct[c]))
    return features[0], features[1], label


def _find_column(columns: list[Hashable], name: Hashable, role: str) -> Hashable:
    """The column called ``name``: exact match first, then ignoring case and spaces."""
    for column in columns:
        if column == name:
            return column
    wanted = str(name).strip().casefold()
    matches = [c for c in columns if str(c).strip().casefold() == wanted]
    if len(matches) == 1:
        return matches[0]
    raise DataError("column_not_found", name=quote(name), role=_ROLE_TEXT[role], columns=quote_list(columns, limit=20))


def _check_distinct(chosen: dict[str, Hashable]) -> None:
    for i, first in enumerate(_ROLES):
        for second in _ROLES[i + 1 :]:
            if first in chosen and second in chosen and str(chosen[first]) == str(chosen[second]):
                raise DataError(
                    "same_column", name=quote(chosen[first]), first=_ROLE_TEXT[first], second=_ROLE_TEXT[second]
                )


# --- from text to numbers --------------------------------------------------------------------


def distinct_labels(frame: pd.DataFrame, label: Hashable) -> list[str]:
    """The distinct values of the label column, sorted as the class order (e.g. for a picker).

    Empty, NaN and infinite cells are left out. Values that are the same number
    (``1`` and ``1.0``) or the same boolean (``True``, ``true``) count once, shown as
    first written. Sorting: numerically if all are numbers, False < True if all are
    booleans, else as text. The last one is the default positive class.

    Parameters
    ----------
    frame : DataFrame
    label : column name

    Returns
    -------
    list of str

    Raises
    ------
    DataError
        ``column_not_found``.
    """
    label = _find_column(list(frame.columns), label, "label")
    texts = _stripped_text(frame[label])
    classes = _LabelClasses.from_texts(texts[~_missing_label(texts)])
    return classes.sorted_display()


def dataset_from_frame(
    frame: pd.DataFrame,
    x1: Hashable,
    x2: Hashable,
    label: Hashable,
    *,
    positive: Any = None,
    source: str = "",
) -> Dataset:
    """Turn two feature columns and a label column into a :class:`Dataset`.

    Features must be numbers (a decimal comma is accepted when the table was read with
    ``;`` or tab as delimiter). Rows with an empty, NaN or infinite value in any of the
    three columns are dropped, with a notice naming them (as file lines if ``frame``
    came from :func:`read_table`, else as data rows counted from 1). The label column
    must then hold exactly two distinct values; the later in sorted order (see
    :func:`distinct_labels`) becomes 1 unless ``positive`` says otherwise.

    Parameters
    ----------
    frame : DataFrame, shape (rows, columns)
        Cells as text (from :func:`read_table`) or already numbers.
    x1, x2, label : column names
        Three different columns of ``frame``.
    positive : any, optional
        The label value that becomes class 1 (matched as text, as number or as boolean).
    source : str
        Stored as :attr:`Dataset.source`.

    Returns
    -------
    Dataset
        ``X`` shape (m, 2), ``y`` shape (m,) for the m ≥ 2 complete rows, with
        ``feature_names`` = (x1, x2), ``label_name`` = label and ``classes`` = the label
        texts mapped to 0 and 1.

    Raises
    ------
    DataError
        ``column_not_found``, ``same_column``, ``duplicate_columns``, ``not_a_number`` /
        ``not_a_number_line``, ``too_few_complete_rows``, ``one_class``,
        ``too_many_classes`` or ``positive_not_found``.
    """
    columns = list(frame.columns)
    if not frame.columns.is_unique:
        raise DataError("duplicate_columns", names=quote_list(frame.columns[frame.columns.duplicated()].unique()))
    chosen = {
        "x1": _find_column(columns, x1, "x1"),
        "x2": _find_column(columns, x2, "x2"),
        "label": _find_column(columns, label, "label"),
    }
    _check_distinct(chosen)
    x1, x2, label = chosen["x1"], chosen["x2"], chosen["label"]
    positions, unit = _row_positions(frame)
    decimal_comma_ok = frame.attrs.get("delimiter") in (";", "\t")
    notices: list[Notice] = list(frame.attrs.get("notices", ()))

    features, missing, decimal_examples = [], [], {}
    for column in (x1, x2):
        values, column_missing, bad, example = _feature_values(frame[column], decimal_comma_ok)
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            text = _stripped_text(frame[column])[first]
            details = {"column": quote(column), "value": quote(text), "count": int(bad.sum())}
            if unit == LINE_INDEX_NAME:
                raise DataError("not_a_number_line", line=int(positions[first]), **details)
            if unit == SHEET_ROW_INDEX_NAME:
                raise DataError("not_a_number_sheet_row", row=int(positions[first]), sheet=_sheet_of(frame),
                                **details)
            raise DataError("not_a_number", row=int(positions[first]), **details)
        if example is not None:
            decimal_examples[column] = example
        features.append(values)
        missing.append(column_missing)
    label_texts = _stripped_text(frame[label])
    missing.append(_missing_label(label_texts))

    dropped = missing[0] | missing[1] | missing[2]
    keep = ~dropped
    n_kept = int(keep.sum())
    if n_kept < 2:
        raise DataError("too_few_complete_rows", n=n_kept, dropped=int(dropped.sum()))
    classes = _LabelClasses.from_texts(label_texts[keep])
    if len(classes.keys) == 1:
        raise DataError("one_class", column=quote(label), values=quote_list(classes.sorted_display()))
    if len(classes.keys) > 2:
        raise DataError(
            "too_many_classes",
            column=quote(label),
            count=len(classes.keys),
            values=quote_list(classes.sorted_display()),
        )
    positive_key = classes.sorted_keys()[1] if positive is None else classes.key_of(positive)
    negative_key = next(key for key in classes.keys if key != positive_key)

    if decimal_examples:
        example_text, example_value = next(iter(decimal_examples.values()))
        notices.append(
            Notice(
                "decimal_commas",
                {"columns": quote_list(decimal_examples), "example": quote(example_text), "value": example_value},
            )
        )
    if dropped.any():
        notices.append(_dropped_notice(frame, positions[dropped], unit, [x1, x2, label], missing))

    y = (classes.keys_of(label_texts[keep]) == positive_key).astype(np.float64)
    X = np.column_stack([features[0][keep], features[1][keep]])
    return Dataset(
        X=X,
        y=y,
        feature_names=(str(x1), str(x2)),
        label_name=str(label),
        classes=(classes.display[negative_key], classes.display[positive_key]),
        source=source,
        notices=tuple(notices),
    )


def load_csv(
    source: str | os.PathLike[str] | bytes,
    *,
    x1: Hashable | None = None,
    x2: Hashable | None = None,
    label: Hashable | None = None,
    positive: Any = None,
    max_bytes: int | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> Dataset:
    """Read a table (CSV text or a workbook) and make a :class:`Dataset`: :func:`read_table`,
    then :func:`choose_columns`, then :func:`dataset_from_frame`.

    Parameters
    ----------
    source : str, os.PathLike or bytes
        Path, or the file's content.
    x1, x2, label : column names, optional
        See :func:`choose_columns`.
    positive : any, optional
        Label value that becomes 1; see :func:`dataset_from_frame`.
    max_bytes, encoding, sheet
        See :func:`read_table`.

    Returns
    -------
    Dataset
        ``source`` is the file name (empty for bytes).

    Raises
    ------
    DataError
        Any error of the three steps.
    """
    frame = read_table(source, max_bytes=max_bytes, encoding=encoding, sheet=sheet)
    columns = choose_columns(frame, x1, x2, label)
    name = "" if isinstance(source, (bytes, bytearray, memoryview)) else os.path.basename(os.fspath(source))
    return dataset_from_frame(frame, *columns, positive=positive, source=name)


# --- helpers for cells -----------------------------------------------------------------------


def _stripped_text(series: pd.Series) -> np.ndarray:
    """Cells as stripped text, shape (rows,), dtype object; a missing cell is ``""``."""
    if isinstance(series.dtype, pd.StringDtype):
        return series.str.strip().fillna("").to_numpy(dtype=object)
    values = series.to_numpy(dtype=object)
    missing = pd.isna(values)
    return np.array(["" if m else str(v).strip() for v, m in zip(values, missing)], dtype=object).reshape(-1)


def _parse_numbers(texts: Sequence[str] | np.ndarray) -> np.ndarray:
    """Float of each text, NaN where it is not a number; shape (len(texts),)."""
    parsed = pd.to_numeric(pd.Series(np.asarray(texts, dtype=object), dtype=object), errors="coerce")
    return np.array(parsed.to_numpy(dtype=np.float64, na_value=np.nan))  # writable copy


def _lower(texts: np.ndarray) -> np.ndarray:
    return np.array([t.lower() for t in texts], dtype=object).reshape(-1)


def _feature_values(
    series: pd.Series, decimal_comma_ok: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[str, float] | None]:
    """Parse one feature column.

    Returns
    -------
    values : ndarray, shape (rows,), float64 (NaN where missing or bad)
    missing : ndarray of bool, shape (rows,)
        Empty, NaN-like or infinite: the row is dropped.
    bad : ndarray of bool, shape (rows,)
        Text that is no number: an error.
    decimal_comma_example : (text, value) or None
        One value read with a decimal comma, if any.
    """
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return values, ~np.isfinite(values), np.zeros(len(values), dtype=bool), None
    texts = _stripped_text(series)
    values = _parse_numbers(texts)
    failed = np.isnan(values)
    example = None
    if failed.any():
        lowered = _lower(texts[failed])
        missing_token = np.isin(lowered, list(MISSING_TOKENS))
        failed_positions = np.flatnonzero(failed)
        if decimal_comma_ok:
            candidates = [p for p in failed_positions[~missing_token] if _DECIMAL_COMMA.match(texts[p])]
            if candidates:
                values[candidates] = _parse_numbers([texts[p].replace(",", ".") for p in candidates])
                example = (texts[candidates[0]], float(values[candidates[0]]))
        bad = np.zeros(len(values), dtype=bool)
        bad[failed_positions[~missing_token]] = True
        bad &= np.isnan(values)
    else:
        bad = np.zeros(len(values), dtype=bool)
    missing = ~np.isfinite(values) & ~bad
    return values, missing, bad, example


def _missing_label(texts: np.ndarray) -> np.ndarray:
    """True where a label cell is empty, NaN-like or infinite; shape (rows,)."""
    if len(texts) == 0:
        return np.zeros(0, dtype=bool)
    unique = pd.unique(texts)
    missing_unique = {t for t in unique if t.lower() in MISSING_TOKENS or t.lower() in INFINITE_TOKENS}
    if not missing_unique:
        return np.zeros(len(texts), dtype=bool)
    return np.isin(texts, list(missing_unique))


class _LabelClasses:
    """The distinct labels: a key per class and the text shown for it.

    Keys are floats if every label is a number (so "1" and "1.0" are one class and
    -1 < 1 < 10), bools if every label is true/false in any case, else the texts.
    """

    def __init__(self, key_of_text: dict[str, Any], display: dict[Any, str], kind: str) -> None:
        self.key_of_text = key_of_text
        self.display = display  # key → first text written for it
        self.kind = kind
        self.keys = list(display)

    @classmethod
    def from_texts(cls, texts: np.ndarray) -> _LabelClasses:
        unique = [str(t) for t in pd.unique(np.asarray(texts, dtype=object))]
        numbers = _parse_numbers(unique)
        if unique and np.isfinite(numbers).all():
            # +0.0 turns -0.0 into 0.0 so that "0" and "-0" share a key and "-0" is not shown as "-0.0".
            keys, kind = [float(v) + 0.0 for v in numbers], "number"
        elif unique and all(t.lower() in ("true", "false") for t in unique):
            keys, kind = [t.lower() == "true" for t in unique], "boolean"
        else:
            keys, kind = list(unique), "text"
        key_of_text = dict(zip(unique, keys))
        display: dict[Any, str] = {}
        for text, key in zip(unique, keys):
            display.setdefault(key, text)
        return cls(key_of_text, display, kind)

    def sorted_keys(self) -> list[Any]:
        return sorted(self.keys)

    def sorted_display(self) -> list[str]:
        return [self.display[key] for key in self.sorted_keys()]

    def keys_of(self, texts: np.ndarray) -> np.ndarray:
        """Key of each text, shape (rows,), dtype object."""
        return np.array([self.key_of_text[t] for t in texts], dtype=object).reshape(-1)

    def key_of(self, value: Any) -> Any:
        """The key a user's choice of positive class means; DataError if none."""
        text = str(value).strip()
        if text in self.key_of_text:
            return self.key_of_text[text]
        if self.kind == "number":
            number = float(_parse_numbers([text])[0]) + 0.0
            if number in self.display:
                return number
        if self.kind == "boolean" and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if self.kind == "text":
            folded = [t for t in self.keys if t.casefold() == text.casefold()]
            if len(folded) == 1:
                return folded[0]
        raise DataError("positive_not_found", value=quote(value), classes=quote_list(self.sorted_display()))


def _row_positions(frame: pd.DataFrame) -> tuple[np.ndarray, str]:
    """Where each row came from: (the line of the file, ``"line"``), (the row of the sheet,
    ``"sheet_row"``) or (the 1-based data row, ``"row"``)."""
    index = frame.index
    if index.name in (LINE_INDEX_NAME, SHEET_ROW_INDEX_NAME) and pd.api.types.is_integer_dtype(index.dtype):
        return index.to_numpy(dtype=np.int64), index.name
    return np.arange(1, len(frame) + 1), "row"


def _sheet_of(frame: pd.DataFrame) -> str:
    return quote(frame.attrs.get("sheet") or "—")


def _dropped_notice(
    frame: pd.DataFrame, positions: np.ndarray, unit: str, columns: list[Hashable], missing: list[np.ndarray]
) -> Notice:
    shown = ", ".join(str(int(p)) for p in positions[:MAX_SHOWN_POSITIONS])
    if len(positions) > MAX_SHOWN_POSITIONS:
        shown += ", …"
    affected = [column for column, column_missing in zip(columns, missing) if column_missing.any()]
    details = {"count": int(len(positions)), "columns": quote_list(affected)}
    if unit == LINE_INDEX_NAME:
        return Notice("rows_dropped_lines", {**details, "lines": shown})
    if unit == SHEET_ROW_INDEX_NAME:
        return Notice("rows_dropped_sheet_rows", {**details, "rows": shown, "sheet": _sheet_of(frame)})
    return Notice("rows_dropped", {**details, "rows": shown})
