"""English message templates of the core, keyed by a stable code.

The core raises and reports with codes; :func:`render` turns a code and its details
into the English sentence. A user interface may keep its own table with the same
keys for other languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

MESSAGES: dict[str, str] = {
    # --- settings -----------------------------------------------------------------------
    "learning_rate": (
        "Expected a learning rate α that is a finite number greater than 0, but got {value}. "
        "Use a positive value such as 0.1."
    ),
    "iterations": (
        "Expected a whole number of iterations of at least 0, but got {value}. Use e.g. 1000."
    ),
    "batch_size": (
        "Expected a batch size that is a whole number of at least 1, but got {value}. "
        "Use 1 for stochastic gradient descent or leave it empty for the full batch."
    ),
    "l2": "Expected an L2 strength λ that is a finite number of at least 0, but got {value}. Use 0 to switch it off.",
    "seed": "Expected a shuffle seed that is a whole number of at least 0, but got {value}. Use e.g. 0.",
    "tolerance": "Expected a tolerance that is a finite number greater than 0, but got {value}. Use e.g. 1e-6.",
    "initial_parameters": (
        "Expected three finite initial values w1, w2, b, but got {value}. Use e.g. 0 0 0."
    ),
    "start_not_finite": (
        "Expected a finite {what} at the starting values w1, w2, b = {value}, but it overflows: the features "
        "are too large for these starting weights. Start from smaller weights (e.g. 0 0 0) or standardise "
        "the features."
    ),
    "features_shape": (
        "Expected the features as an array of shape (n, 2), but got shape {shape}. "
        "Pass exactly two feature columns."
    ),
    "labels_shape": (
        "Expected {n} labels (one per row of the features), but got shape {shape}."
    ),
    "labels_values": (
        "Expected labels that are 0 or 1, but found {found}. Map the two classes to 0 and 1 first."
    ),
    "non_finite_features": (
        "Expected finite feature values, but found {count} value(s) that are NaN or infinite. "
        "Drop or fill those rows first."
    ),
    "too_few_rows": (
        "Expected at least 2 rows of data, but got {n}. Add more rows."
    ),
    # --- training status ----------------------------------------------------------------
    "converged": (
        "The gradient's length fell to {gradient_norm:.2g}, below the tolerance {tolerance:.2g}, "
        "after {iterations} iteration(s): the weights no longer change."
    ),
    "max_iterations": (
        "Stopped after the maximum of {iterations} iteration(s); the gradient's length is still "
        "{gradient_norm:.2g}. Run more iterations to go further (a larger learning rate helps if the "
        "loss falls only slowly)."
    ),
    "max_iterations_rising": (
        "Stopped after the maximum of {iterations} iteration(s) with the loss higher than at the start "
        "({start:.3g} → {end:.3g}): the learning rate {learning_rate:g} is probably too large for features "
        "of this scale; {remedy}."
    ),
    "diverged_non_finite": (
        "Training diverged at iteration {iteration}: {what} became infinite or undefined. "
        "The learning rate {learning_rate:g} is too large for features of this scale; {remedy}."
    ),
    "diverged_growth": (
        "Training diverged: the loss grew from {start:.3g} to {end:.3g} in {iterations} iteration(s). "
        "The learning rate {learning_rate:g} is too large for features of this scale; {remedy}."
    ),
    # What to do about a learning rate that is too large (a part of the three messages above).
    "remedy_smaller_rate": "try {suggestion:g}",
    "remedy_smaller_rate_or_standardise": "try {suggestion:g} or standardise the features",
    # --- data ---------------------------------------------------------------------------
    # Reading a file.
    "file_not_found": (
        "Expected a CSV file at {path}, but there is no such file. Check the file name and its folder."
    ),
    "file_unreadable": (
        "Expected a CSV file at {path} that can be read, but opening it failed ({reason}). "
        "Choose a file (not a folder) that you are allowed to read."
    ),
    "file_too_large": (
        "Expected a file of at most {limit:,} bytes, but this one has {size:,} bytes. "
        "Load a smaller sample of the rows."
    ),
    "empty_file": (
        "Expected a CSV table, but the file is empty (0 bytes). "
        "Use a file with a header line and at least two rows of data."
    ),
    "blank_file": (
        "Expected a CSV table, but the file contains only blank lines. "
        "Use a file with a header line and at least two rows of data."
    ),
    "binary_file": (
        "Expected a table (CSV text or a spreadsheet workbook), but the file contains binary data "
        "(byte {byte} on line {line}). Export the data as CSV text and load that file."
    ),
    "binary_file_format": (
        "Expected a table (CSV text, or an .xlsx, .xls or .ods workbook), but the file is {format}. "
        "Export the data as CSV (e.g. “Save as CSV” in a spreadsheet program) and load that file."
    ),
    "unknown_encoding": (
        "Expected a text encoding such as {choices}, but got {encoding}. Choose one of these."
    ),
    "wrong_encoding": (
        "Expected text in {encoding}, as chosen, but line {line} holds a byte ({byte}) that {encoding} "
        "does not use. Choose another encoding, or let it be found automatically."
    ),
    "encoding_guessed": (
        "Read the file as {encoding}, but it may be in another encoding ({alternatives}). "
        "If column names or labels look garbled, choose the file's encoding (the “File encoding” "
        "choice; on the command line, --encoding)."
    ),
    "title_rows_skipped": (
        "Skipped row(s) {rows} above the column names ({texts}): they fill far fewer cells than the "
        "header below them. If they hold data, remove the title rows from the file."
    ),
    "workbook_too_large": (
        "Expected a workbook of at most {limit:,} bytes once unpacked, but this one unpacks to {size:,}. "
        "Save only the sheet you need, or export it as CSV."
    ),
    "workbook_password": (
        "Expected a workbook that can be opened, but this one is protected by a password. "
        "Save a copy without a password and load that."
    ),
    "unreadable_workbook": (
        "Expected {kind}, but it could not be read: {reason}. Open it in a spreadsheet program and save "
        "it again, or export the sheet as CSV."
    ),
    "sheet_not_found": (
        "Expected a sheet named {sheet}, but the workbook has {sheets}. Choose one of these."
    ),
    "empty_sheet": (
        "Expected a table on sheet {sheet}, but it is empty. The workbook's sheets are {sheets}: "
        "choose one that holds the data."
    ),
    "formulas_without_values": (
        "Expected every formula on sheet {sheet} to have a stored result, but {count} formula cell(s) "
        "({cells}) have none (the file was written by a program that does not calculate). Open the file "
        "in Excel or LibreOffice and save it, which stores the results, or export the sheet as CSV."
    ),
    "json_file": (
        "Expected a table of values separated by commas, semicolons or tabs, but the file is JSON. "
        "Convert it to CSV with a header line and one column per feature and label."
    ),
    "not_a_table": (
        "Expected a CSV table, but the file is an {format} document. "
        "Export the table as CSV and load that file."
    ),
    "line_too_long": (
        "Expected lines of at most {limit:,} bytes, but line {line} is longer, so this is probably not "
        "a table (or its line breaks are missing). Use a CSV file with one row per line."
    ),
    "ragged_rows": (
        "Expected {expected} values on every line, as in line {header_line}, but line {line} has {found}. "
        "Give every line the same number of separators, and put quotes around values that contain one."
    ),
    "unclosed_quote": (
        "Expected every opening quote (\") to be closed, but a quote in the row starting on line {line} is "
        "never closed, so the rest of the file would become one value. Close or remove that quote."
    ),
    "unreadable_table": (
        "Expected a CSV table, but it could not be read: {reason}. "
        "Check that quotes are balanced and that the file is plain text."
    ),
    "duplicate_columns": (
        "Expected distinct column names, but these occur more than once: {names}. "
        "Rename the columns so that every name is unique."
    ),
    "too_few_columns": (
        "Expected at least 2 columns separated by commas, semicolons or tabs, but found {count}: {columns}. "
        "Separate the values on each line with one of these characters."
    ),
    "too_few_data_rows": (
        "Expected a header line and at least 2 rows of data, but found {count} row(s) of data. Add more rows."
    ),
    # Choosing the columns.
    "need_three_columns": (
        "Expected at least 3 columns (two features and a label), but the table has {count}: {columns}. "
        "Add the missing column."
    ),
    "choose_columns": (
        "Expected columns named x1, x2 and y, or exactly three columns, but the table has {count}: "
        "{columns}. Choose the x1, x2 and label columns."
    ),
    "column_not_found": (
        "Expected a column named {name} for {role}, but the table's columns are {columns}. "
        "Choose one of these."
    ),
    "same_column": (
        "Expected three different columns for x1, x2 and the label, but {name} was chosen for both "
        "{first} and {second}. Choose another column for one of them."
    ),
    # Turning the table into numbers.
    "not_a_number": (
        "Expected numbers in column {column}, but data row {row} holds {value} "
        "({count} such value(s) in this column; rows are counted from 1 below the header). "
        "Correct or delete these values, or choose another column."
    ),
    "not_a_number_sheet_row": (
        "Expected numbers in column {column}, but row {row} of sheet {sheet} holds {value} "
        "({count} such value(s) in this column). Correct or delete these values, or choose another column."
    ),
    "not_a_number_line": (
        "Expected numbers in column {column}, but line {line} of the file holds {value} "
        "({count} such value(s) in this column). Correct or delete these values, or choose another column."
    ),
    "one_class": (
        "Expected exactly two distinct label values in column {column}, but found only 1: {values}. "
        "Add rows of a second class, or choose another label column."
    ),
    "too_many_classes": (
        "Expected exactly two distinct label values in column {column}, but found {count}: {values}. "
        "Keep only two classes, or choose another label column."
    ),
    "too_few_complete_rows": (
        "Expected at least 2 complete rows (a number in both feature columns and a label), but only {n} "
        "remain after dropping {dropped} row(s) with an empty, NaN or infinite value. "
        "Fill in the missing values."
    ),
    "positive_not_found": (
        "Expected the positive class to be one of the label values {classes}, but got {value}. "
        "Choose one of these."
    ),
    "rows_dropped": (
        "Dropped {count} row(s) with an empty, NaN or infinite value in {columns}: data row(s) {rows} "
        "(counted from 1 below the header). Fill in these values to keep the rows."
    ),
    "rows_dropped_lines": (
        "Dropped {count} row(s) with an empty, NaN or infinite value in {columns}: line(s) {lines} "
        "of the file. Fill in these values to keep the rows."
    ),
    "rows_dropped_sheet_rows": (
        "Dropped {count} row(s) with an empty, NaN or infinite value in {columns}: row(s) {rows} "
        "of sheet {sheet}. Fill in these values to keep the rows."
    ),
    "headerless": (
        "The first line holds only numbers ({first}), so it was read as data rather than as column "
        "names; the columns are named {columns}. Add a header line to name them."
    ),
    "decimal_commas": (
        "Read decimal commas in {columns} as decimal points (e.g. {example} as {value:g})."
    ),
    # Data sets.
    "features_not_numbers": (
        "Expected the features as numbers, but found {found}. Convert them to numbers first."
    ),
    "dataset_names": (
        "Expected three different names for the two features and the label, but got {names}. "
        "Rename the columns."
    ),
    "dataset_classes": (
        "Expected two different texts for the classes 0 and 1, but got {classes}."
    ),
    "unknown_generator": (
        "Expected one of the generated data sets {kinds}, but got {kind}. Choose one of these."
    ),
    "generator_n": (
        "Expected a number of points n that is a whole number from 2 to 1,000,000, but got {value}. "
        "Use e.g. 200."
    ),
    "generator_noise": (
        "Expected a noise level that is a number from 0 to 1, but got {value}. Use e.g. 0.3."
    ),
    "generator_seed": (
        "Expected a seed that is a whole number of at least 0, but got {value}. Use e.g. 0."
    ),
    "unknown_dataset": (
        "Expected one of the bundled data sets {names}, but got {name}. Choose one of these."
    ),
    # --- split and metrics ----------------------------------------------------------------
    "test_fraction": (
        "Expected a test fraction that is a number greater than 0 and less than 1, but got {value}. "
        "Use e.g. 0.25 to hold out a quarter of the points."
    ),
    "split_seed": (
        "Expected a split seed that is a whole number of at least 0, but got {value}. Use e.g. 0."
    ),
    "split_too_few_rows": (
        "Expected at least 4 points to split into a training part and a test part of at least 2 points "
        "each, but got {n}. Add more points, or train on all of them."
    ),
    "threshold": (
        "Expected a decision threshold that is a number from 0 to 1, but got {value}. Use e.g. 0.5."
    ),
    "params_shape": (
        "Expected the parameters (w1, w2, b) of every iteration as an array of shape (K+1, 3), "
        "but got shape {shape}."
    ),
    "probability_shape": (
        "Expected {n} probabilities (one per label), but got shape {shape}."
    ),
    "probability_values": (
        "Expected probabilities from 0 to 1, but found {found}."
    ),
    "no_points": (
        "Expected at least one point, but got none."
    ),
    # --- rooms ---------------------------------------------------------------------------
    "room_code_letters": (
        "Expected a room code of letters and digits without 0, O, 1 or I, but {found} holds {wrong}. "
        "Check the code on the teacher's screen and type it again."
    ),
    "room_code_length": (
        "Expected a room code of {length} letters and digits, but {found} has {count}. "
        "Check the code on the teacher's screen and type it again."
    ),
    "room_not_found": (
        "There is no open room with the code {room}: it was never opened, or it has ended after hours without use. "
        "Check the code on the teacher's screen, or ask the teacher to open a new room."
    ),
    "room_not_teacher": (
        "Only the teacher's browser can drive room {room}, and this one does not hold its current teacher key "
        "(a teacher link stops working when a new one is made). You can still follow the room, or explore on your own."
    ),
    "room_ended": "Room {room} has ended: the teacher closed it. You keep the last state it showed.",
    "room_full": (
        "Room {room} is full: {limit} browsers already follow it. Ask the teacher to open a second room, "
        "or explore on your own."
    ),
    "room_state_invalid": "Expected a page state of a few short texts, but got {found}.",
    "room_data_too_large": (
        "Expected data of at most {limit_mb:.0f} MB to share with the room, but this data set takes {size_mb:.1f} MB. "
        "Use a sample of it or fewer rows."
    ),
    "shared_data_unreadable": (
        "Expected the data the teacher shared with the room, but got {size} bytes that cannot be read as such. "
        "Ask the teacher to choose the data again."
    ),
    "rooms_unavailable": (
        "Rooms are unavailable right now (the room server cannot be reached: {reason}). "
        "Everything else works as usual; try the room again in a minute."
    ),
}


def render(code: str, details: Mapping[str, Any], table: Mapping[str, str] = MESSAGES) -> str:
    """Fill the template ``table[code]`` with ``details``.

    Falls back to the English table for a code the given table lacks, and to the
    bare code with its details if the template cannot be filled, so that showing
    an error never raises another one. Details that are :class:`Notice` are rendered
    first, with the same table.
    """
    template = table.get(code) or MESSAGES.get(code)
    if template is None:
        return f"{code}: {dict(details)}"
    # A detail may itself be a Notice (a part of the sentence): rendered in the same language.
    details = {name: render(value.code, value.details, table) if isinstance(value, Notice) else value
               for name, value in details.items()}
    try:
        return template.format(**details)
    except (KeyError, IndexError, ValueError, TypeError):
        return f"{template} ({dict(details)})"


@dataclass(frozen=True)
class Notice:
    """A warning the core reports without raising (e.g. rows dropped while loading).

    Attributes
    ----------
    code : str
        Key of the template in :data:`MESSAGES`.
    details : Mapping[str, Any]
        Values that fill the template.
    """

    code: str
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The English sentence."""
        return render(self.code, self.details)
