"""Write the real data sets shipped in ``logit/data/`` (run once; the package never imports these libraries).

Sources and licences are in ``logit/data/SOURCES.md``. Usage::

    python scripts/make_bundled_data.py
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
from palmerpenguins import load_penguins
from sklearn.datasets import load_iris

DATA = Path(__file__).resolve().parent.parent / "logit" / "data"


def penguins_csv() -> str:
    """All 344 penguins, every column; missing values as empty cells."""
    frame = load_penguins()
    buffer = io.StringIO()
    # float_format "%g" writes 181 rather than 181.0 and keeps 39.1 exact.
    frame.to_csv(buffer, index=False, na_rep="", float_format="%g", lineterminator="\n")
    return buffer.getvalue()


def iris_csv() -> str:
    """All 150 irises from scikit-learn's copy (Fisher's values), lengths in cm."""
    iris = load_iris()
    names = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm", "species"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for row, target in zip(iris.data, iris.target):
        writer.writerow([f"{value:g}" for value in row] + [str(iris.target_names[target])])
    return buffer.getvalue()


if __name__ == "__main__":
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "penguins.csv").write_text(penguins_csv(), encoding="utf-8")
    (DATA / "iris.csv").write_text(iris_csv(), encoding="utf-8")
    check = pd.read_csv(DATA / "penguins.csv")
    assert check.shape == (344, 8), check.shape
    assert pd.read_csv(DATA / "iris.csv").shape == (150, 5)
