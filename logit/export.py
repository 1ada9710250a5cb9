"""A run and its data as files: the trajectory table, its CSV text and file names.

Shared by the command line (``--trajectory``) and the page's downloads. Numbers are
written with Python's ``repr`` (the shortest text that reads back as the same float),
so a file loads back to exactly the recorded values; ``inf`` and ``nan`` are written
as such.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile

import numpy as np
import pandas as pd

from logit.dataset import Dataset
from logit.errors import DataError
from logit.training import Trajectory

# The command line's columns, and the page's when the features are not standardised:
# w1, w2, b in original feature units; dw1, dw2, db the gradient used for the step from
# that row (the batch's, + λ·w) in the units training runs in.
TRAJECTORY_COLUMNS = ("iteration", "w1", "w2", "b", "dw1", "dw2", "db", "loss", "accuracy")
# With standardised features every unit-dependent column says which units it is in.
STANDARDIZED_COLUMNS = (
    "iteration",
    "w1_original", "w2_original", "b_original",
    "w1_standardized", "w2_standardized", "b_standardized",
    "dw1_standardized", "dw2_standardized", "db_standardized",
    "loss", "accuracy",
)
SLUG_LENGTH = 60


def trajectory_frame(trajectory: Trajectory, *, trained_units: bool | None = None) -> pd.DataFrame:
    """One row per iteration 0..K.

    Parameters
    ----------
    trajectory : Trajectory
    trained_units : bool or None
        Also give w1, w2, b in the units training ran in. None (default): when the
        features were standardised (the columns are then :data:`STANDARDIZED_COLUMNS`).
        False: always :data:`TRAJECTORY_COLUMNS`, as the command line writes them.

    Returns
    -------
    DataFrame
        ``iteration`` (int), then float columns: weights in original units, the weights
        in trained units if asked, the step's gradient (trained units), the full-data
        mean loss and accuracy.
    """
    standardized = not trajectory.scaler.is_identity
    if trained_units is None:
        trained_units = standardized
    iterations = np.arange(trajectory.iterations + 1)
    original = trajectory.params_original
    if trained_units:
        columns = STANDARDIZED_COLUMNS if standardized else (
            "iteration", "w1_original", "w2_original", "b_original", "w1_trained", "w2_trained", "b_trained",
            "dw1", "dw2", "db", "loss", "accuracy",
        )
        values = [original, trajectory.params, trajectory.gradients]
    else:
        columns = TRAJECTORY_COLUMNS
        values = [original, trajectory.gradients]
    table = np.column_stack([*values, trajectory.loss, trajectory.accuracy])
    frame = pd.DataFrame(table, columns=list(columns[1:]))
    frame.insert(0, "iteration", iterations)
    return frame


def frame_csv(frame: pd.DataFrame) -> str:
    """CSV text of a trajectory frame: a header line, then ``k,v1,v2,...`` with ``repr`` floats."""
    lines = [",".join(frame.columns)]
    numbers = frame.iloc[:, 1:].to_numpy(dtype=float).tolist()
    for k, row in zip(frame.iloc[:, 0].tolist(), numbers):
        lines.append(f"{int(k)}," + ",".join(map(repr, row)))
    return "\n".join(lines) + "\n"


def trajectory_csv(trajectory: Trajectory, *, trained_units: bool | None = None) -> str:
    """The CSV text of :func:`trajectory_frame`."""
    return frame_csv(trajectory_frame(trajectory, trained_units=trained_units))


def slugify(text: str, limit: int = SLUG_LENGTH) -> str:
    """A file-name-safe, lower-case, ASCII version of ``text``.

    ``"overlap, n=200, noise=0.3, seed=0"`` → ``"overlap-n200-noise0.3-seed0"``;
    parenthesised parts (citations) and a file extension are dropped, other characters
    become ``-``. Cut at a ``-`` to at most ``limit`` characters; may be empty.
    """
    text = re.sub(r"\([^()]*\)", " ", str(text))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"\.(csv|tsv|txt|gz)\b", " ", text)
    text = re.sub(r"['=]", "", text)
    text = re.sub(r"[^a-z0-9.]+", "-", text)
    text = re.sub(r"\.{2,}", ".", text).strip("-.")
    if len(text) > limit:
        cut = text[: limit + 1].rfind("-")
        text = text[: cut if cut > 0 else limit].strip("-.")
    return text


def data_file_name(dataset: Dataset) -> str:
    """``logit-data-<source>.csv``, e.g. ``logit-data-overlap-n200-noise0.3-seed0.csv``."""
    return f"logit-data-{slugify(dataset.source) or 'points'}.csv"


def run_slug(trajectory: Trajectory) -> str:
    """The run's settings in a file name, e.g. ``alpha0.1-full-1000it`` (K = iterations computed)."""
    s = trajectory.settings
    parts = [f"alpha{s.learning_rate:g}"]
    if s.batch_size is None:
        parts.append("full")
    elif s.batch_size == 1:
        parts += ["sgd", f"seed{s.seed}"]
    else:
        parts += [f"mini{s.batch_size}", f"seed{s.seed}"]
    if s.l2:
        parts.append(f"l2-{s.l2:g}")
    if s.standardize:
        parts.append("std")
    if any(s.init):
        parts.append("init" + "_".join(f"{v:g}" for v in s.init))
    parts.append(f"{trajectory.iterations}it")
    return "-".join(parts)


def run_file_name(trajectory: Trajectory) -> str:
    """``logit-run-<settings>.csv``, e.g. ``logit-run-alpha0.1-full-1000it.csv``."""
    return f"logit-run-{run_slug(trajectory)}.csv"


def dataset_bytes(dataset: Dataset) -> bytes:
    """A data set as a small file a room stores and its students load (:func:`dataset_from_bytes`).

    NumPy's ``.npz`` of ``X``, ``y`` and a JSON header (names, classes, source): exact floats,
    ~17 bytes a point, and nothing that executes when read (no pickles).
    """
    header = json.dumps({"feature_names": list(dataset.feature_names), "label_name": dataset.label_name,
                         "classes": list(dataset.classes), "source": dataset.source}, ensure_ascii=False)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, X=dataset.X, y=dataset.y, header=np.array(header))
    return buffer.getvalue()


def dataset_from_bytes(blob: bytes) -> Dataset:
    """The data set :func:`dataset_bytes` wrote.

    Raises
    ------
    DataError
        ``shared_data_unreadable`` for bytes it did not write (or that were damaged); and
        whatever :class:`~logit.dataset.Dataset` says of values that break its rules.
    """
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as stored:
            header = json.loads(str(stored["header"]))
            X, y = stored["X"], stored["y"]
        names = (header["feature_names"], header["label_name"], header["classes"], header["source"])
    except (OSError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile):
        raise DataError("shared_data_unreadable", size=len(blob)) from None
    return Dataset(X, y, feature_names=tuple(names[0]), label_name=names[1], classes=tuple(names[2]), source=names[3])
