"""Shipped real data: the views load with real column names, match the files, and need no extra library."""

from __future__ import annotations

import csv
import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from logit.bundled import BUNDLED, VIEWS, list_datasets, load_bundled
from logit.errors import DataError
from logit.generators import GENERATORS

DATA = Path(resources.files("logit").joinpath("data"))


def rows_of(file: str) -> list[dict[str, str]]:
    with open(DATA / file, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_views():
    assert list(BUNDLED) == ["penguins", "penguins-mass", "iris"]
    assert {name: (v.negative, v.positive, v.x1, v.x2) for name, v in VIEWS.items()} == {
        "penguins": ("Adelie", "Chinstrap", "bill_length_mm", "bill_depth_mm"),
        "penguins-mass": ("Adelie", "Gentoo", "flipper_length_mm", "body_mass_g"),
        "iris": ("versicolor", "virginica", "petal_length_cm", "petal_width_cm"),
    }


def test_shipped_files_have_the_documented_size():
    penguins, iris = rows_of("penguins.csv"), rows_of("iris.csv")
    assert len(penguins) == 344 and len(iris) == 150
    assert sorted({row["species"] for row in penguins}) == ["Adelie", "Chinstrap", "Gentoo"]
    assert [sum(row["species"] == s for row in iris) for s in ("setosa", "versicolor", "virginica")] == [50, 50, 50]


@pytest.mark.parametrize("name", list(BUNDLED))
def test_view_matches_the_file_row_by_row(name):
    view = VIEWS[name]
    expected = [
        (float(row[view.x1]), float(row[view.x2]), row[view.label] == view.positive)
        for row in rows_of(view.file)
        if row[view.label] in (view.negative, view.positive) and row[view.x1] and row[view.x2]
    ]
    dataset = load_bundled(name)
    assert dataset.feature_names == (view.x1, view.x2)
    assert dataset.label_name == "species"
    assert dataset.classes == (view.negative, view.positive)
    assert dataset.label_mapping == f"'{view.positive}' → 1, '{view.negative}' → 0"
    np.testing.assert_array_equal(dataset.X, [(a, b) for a, b, _ in expected])
    np.testing.assert_array_equal(dataset.y, [float(positive) for _, _, positive in expected])
    assert dataset.notices == ()
    assert f"n={len(expected)}" in dataset.source


def test_known_sizes_and_a_first_penguin():
    # 152 Adelie and 68 Chinstrap penguins, one Adelie without measurements; 50 + 50 irises.
    penguins = load_bundled("penguins")
    assert (penguins.n, penguins.n_positive) == (219, 68)
    np.testing.assert_array_equal(penguins.X[0], [39.1, 18.7])
    assert (load_bundled("penguins-mass").n, load_bundled("penguins-mass").n_positive) == (274, 123)
    assert (load_bundled("iris").n, load_bundled("iris").n_positive) == (100, 50)


def test_sources_are_cited():
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    for reference in ("Horst", "Gorman, K. B., Williams, T. D., & Fraser", "Fisher, R. A. (1936)", "CC0", "CC BY 4.0"):
        assert reference in sources
    assert "Horst, Hill & Gorman 2020" in load_bundled("penguins").source
    assert "Fisher 1936" in load_bundled("iris").source


def test_unknown_name_lists_the_names():
    with pytest.raises(DataError) as caught:
        load_bundled("titanic")
    assert caught.value.code == "unknown_dataset"
    assert "'penguins', 'penguins-mass', 'iris'" in str(caught.value)
    with pytest.raises(DataError):
        load_bundled(["penguins"])  # not a name, not hashable: still a DataError


def test_list_datasets_lists_generated_then_bundled():
    rows = list_datasets()
    assert [name for name, _, _ in rows] == list(GENERATORS) + list(BUNDLED)
    assert {kind for _, kind, _ in rows} == {"generated", "bundled"}
    assert all(kind == ("generated" if name in GENERATORS else "bundled") for name, kind, _ in rows)
    assert all(description for _, _, description in rows)


def test_loading_imports_neither_the_source_libraries_nor_ui_libraries():
    code = (
        "import sys\n"
        "from logit.bundled import load_bundled\n"
        "from logit.csv_loader import load_csv\n"
        "from logit.generators import generate\n"
        "for name in ('penguins', 'penguins-mass', 'iris'): load_bundled(name)\n"
        "generate('blobs')\n"
        "loaded = [m for m in ('palmerpenguins', 'sklearn', 'streamlit', 'plotly') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
