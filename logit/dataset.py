"""A labelled data set with two features: what training, plots and tables consume.

A :class:`Dataset` holds numbers only (features ``X`` and labels ``y`` as 0.0/1.0)
plus the words needed to show them: the column names, the original text of the two
classes, where the data came from, and notices raised while loading it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable

import numpy as np
import pandas as pd

from logit.errors import DataError
from logit.messages import Notice
from logit.validation import checked_points

# Values quoted in messages are cut to this many characters, so that a pasted paragraph
# (or a hostile payload) in a cell cannot flood the message.
MAX_SHOWN_CHARS = 40
# Lists in messages show at most this many items, then "…".
MAX_SHOWN_ITEMS = 8


def quote(value: Any, max_chars: int = MAX_SHOWN_CHARS) -> str:
    """Text of ``value`` in single quotes for a message, shortened and on one line.

    Parameters
    ----------
    value : any
        A column name, a cell, a label value, ...
    max_chars : int
        Longer text is cut to this many characters, ending in ``…``.

    Returns
    -------
    str
        E.g. ``'Adelie'``.
    """
    text = str(value)
    # Line breaks and other control characters are shown escaped, like Python does.
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    return f"'{text}'"


def quote_list(values: Iterable[Any], limit: int = MAX_SHOWN_ITEMS) -> str:
    """Comma-separated quoted values, the first ``limit`` of them then ``…``.

    Parameters
    ----------
    values : iterable
    limit : int

    Returns
    -------
    str
        E.g. ``'a', 'b', 'c'`` or ``'a', 'b', …``.
    """
    values = list(values)
    shown = [quote(v) for v in values[:limit]]
    if len(values) > limit:
        shown.append("…")
    return ", ".join(shown)


@dataclass(frozen=True, eq=False)
class Dataset:
    """Features, 0/1 labels and how to show them.

    Instances are immutable: the arrays are read-only copies. Equality is identity
    (``eq=False``), since comparing arrays element-wise has no single truth value.

    Attributes
    ----------
    X : ndarray, shape (n, 2), float64
        Feature values x1, x2 of each point; all finite.
    y : ndarray, shape (n,), float64
        Labels, each 0.0 or 1.0.
    feature_names : tuple of 2 str
        Names of the columns of ``X``.
    label_name : str
        Name of the label column.
    classes : tuple of 2 str
        Display text of the original label value mapped to 0 and to 1.
    source : str
        Where the data came from, e.g. ``"blobs, n=200, noise=0.3, seed=0"`` or a file name.
    notices : tuple of Notice
        Warnings raised while making the data set (e.g. rows dropped).

    Raises
    ------
    DataError
        If the shapes do not match, there are fewer than 2 rows, a feature is not
        finite, a label is not 0 or 1, or the names or classes are not distinct.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, str] = ("x1", "x2")
    label_name: str = "y"
    classes: tuple[str, str] = ("0", "1")
    source: str = ""
    notices: tuple[Notice, ...] = ()

    def __post_init__(self) -> None:
        X = _as_float_array(self.X, "features_not_numbers")
        y = _as_float_array(self.y, "labels_values")
        X, y = checked_points(X, y)
        feature_names = tuple(str(name) for name in self.feature_names)
        names = (*feature_names, str(self.label_name))
        if len(feature_names) != 2 or len(set(names)) != 3:
            raise DataError("dataset_names", names=quote_list(names))
        classes = tuple(str(c) for c in self.classes)
        if len(classes) != 2 or classes[0] == classes[1]:
            raise DataError("dataset_classes", classes=quote_list(classes))
        X.setflags(write=False)
        y.setflags(write=False)
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "feature_names", feature_names)
        object.__setattr__(self, "label_name", str(self.label_name))
        object.__setattr__(self, "classes", classes)
        object.__setattr__(self, "source", str(self.source))
        object.__setattr__(self, "notices", tuple(self.notices))

    @property
    def n(self) -> int:
        """Number of points."""
        return int(self.X.shape[0])

    @property
    def n_positive(self) -> int:
        """Number of points labelled 1."""
        return int(np.count_nonzero(self.y == 1.0))

    @property
    def label_mapping(self) -> str:
        """How the original labels became 1 and 0, e.g. ``'Gentoo' → 1, 'Adelie' → 0``."""
        return f"{quote(self.classes[1])} → 1, {quote(self.classes[0])} → 0"

    def to_frame(self) -> pd.DataFrame:
        """The data as a table with the original class text as labels.

        Returns
        -------
        DataFrame, shape (n, 3)
            Columns ``feature_names[0]``, ``feature_names[1]`` (float64) and
            ``label_name`` (the class text, ``classes[0]`` or ``classes[1]``).
        """
        labels = np.where(self.y == 1.0, self.classes[1], self.classes[0])
        return pd.DataFrame(
            {
                self.feature_names[0]: self.X[:, 0].copy(),
                self.feature_names[1]: self.X[:, 1].copy(),
                self.label_name: labels.astype(object),
            }
        )

    def to_csv_bytes(self) -> bytes:
        """The table of :meth:`to_frame` as UTF-8 CSV with a header line.

        Numbers are written with full precision, so loading the bytes again (with
        ``positive=classes[1]``) gives the same points.

        Returns
        -------
        bytes
        """
        return self.to_frame().to_csv(index=False, lineterminator="\n").encode("utf-8")

    def with_rows(self, X: np.ndarray, y: np.ndarray) -> Dataset:
        """A copy with other points (e.g. after editing the table), same names and classes.

        The notices are cleared: they described the rows that were loaded.

        Parameters
        ----------
        X : array_like, shape (m, 2)
        y : array_like, shape (m,)
            0.0 or 1.0.

        Returns
        -------
        Dataset

        Raises
        ------
        DataError
            If the new rows are not valid (see :class:`Dataset`).
        """
        return replace(self, X=X, y=y, notices=())


def _as_float_array(values: Any, code: str) -> np.ndarray:
    """A float64 copy of ``values``; ``DataError(code, found=...)`` if they are not numbers."""
    try:
        return np.array(values, dtype=np.float64, copy=True)
    except (TypeError, ValueError, OverflowError):
        found = np.asarray(values, dtype=object).ravel()
        raise DataError(code, found=quote_list(dict.fromkeys(found.tolist()), limit=5)) from None


def fixed_sample(n: int, limit: int) -> np.ndarray | None:
    """The rows to use of ``n`` when there are more than ``limit``: a random sample that is the same
    every time (points drawn from it do not jump from one drawing to the next), in order.

    Returns
    -------
    ndarray of int, shape (limit,), or None when all ``n`` rows fit.
    """
    if n <= limit:
        return None
    return np.sort(np.random.default_rng(0).choice(n, limit, replace=False))
