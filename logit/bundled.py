"""Real data sets shipped with the package, each viewed as two classes and two measurements.

The CSV files live in ``logit/data/`` (sources, licences and citations in
``logit/data/SOURCES.md``) and are read with the same loader as user files.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from logit.csv_loader import dataset_from_frame, read_table
from logit.dataset import Dataset, quote, quote_list
from logit.errors import DataError
from logit.generators import GENERATORS


@dataclass(frozen=True)
class BundledView:
    """Two classes and two columns of one shipped file.

    Attributes
    ----------
    file : str
        File name in ``logit/data/``.
    label : str
        Label column.
    negative, positive : str
        The label values that become 0 and 1; other rows are left out.
    x1, x2 : str
        Feature columns.
    title : str
        The data set's name in English.
    references : str
        The works to cite, as authors and years (the same in every language).
    description : str
        One English sentence on what the view shows.
    """

    file: str
    label: str
    negative: str
    positive: str
    x1: str
    x2: str
    title: str
    references: str
    description: str


_PENGUINS = dict(title="Palmer penguins", references="Horst, Hill & Gorman 2020; Gorman, Williams & Fraser 2014")
_IRIS = dict(title="Fisher's irises", references="Fisher 1936")

VIEWS: dict[str, BundledView] = {
    "penguins": BundledView(
        file="penguins.csv",
        label="species",
        negative="Adelie",
        positive="Chinstrap",
        x1="bill_length_mm",
        x2="bill_depth_mm",
        **_PENGUINS,
        description=(
            "Palmer penguins, Adelie vs Chinstrap by bill length and depth (mm): "
            "almost separable, a few birds overlap."
        ),
    ),
    "penguins-mass": BundledView(
        file="penguins.csv",
        label="species",
        negative="Adelie",
        positive="Gentoo",
        x1="flipper_length_mm",
        x2="body_mass_g",
        **_PENGUINS,
        description=(
            "Palmer penguins, Adelie vs Gentoo by flipper length (mm) and body mass (g): "
            "features of very different scales, a case for standardising."
        ),
    ),
    "iris": BundledView(
        file="iris.csv",
        label="species",
        negative="versicolor",
        positive="virginica",
        x1="petal_length_cm",
        x2="petal_width_cm",
        **_IRIS,
        description=(
            "Fisher's irises, versicolor vs virginica by petal length and width (cm): "
            "overlapping classes, no line is perfect."
        ),
    ),
}

BUNDLED: dict[str, str] = {name: view.description for name, view in VIEWS.items()}


def load_bundled(name: str) -> Dataset:
    """Load a shipped data set view.

    Rows where either measurement is missing are left out (Palmer penguins has two
    such birds), as are the rows of other classes.

    Parameters
    ----------
    name : str
        One of :data:`BUNDLED`.

    Returns
    -------
    Dataset
        Real column names as ``feature_names`` and ``label_name``; ``classes`` =
        (negative, positive) species; ``source`` names the data and the citation.

    Raises
    ------
    DataError
        ``unknown_dataset`` listing the names.
    """
    if not isinstance(name, str) or name not in VIEWS:
        raise DataError("unknown_dataset", name=quote(name), names=quote_list(BUNDLED))
    return _load_view(name)


@lru_cache(maxsize=None)
def _load_view(name: str) -> Dataset:
    """The view, read once per process (a Dataset is immutable, so sharing it is safe)."""
    view = VIEWS[name]
    content = resources.files("logit").joinpath("data", view.file).read_bytes()
    table = read_table(content)
    species = table[view.label].str.strip()
    complete = (table[view.x1].str.strip() != "") & (table[view.x2].str.strip() != "")
    rows = table[species.isin([view.negative, view.positive]) & complete]
    dataset = dataset_from_frame(rows, view.x1, view.x2, view.label, positive=view.positive)
    source = f"{view.title} ({view.references}): {view.negative} vs {view.positive}, n={dataset.n}"
    return replace(dataset, source=source)


def list_datasets() -> list[tuple[str, str, str]]:
    """All data sets by name, for a listing.

    Returns
    -------
    list of (name, kind, description)
        ``kind`` is ``"generated"`` (see :mod:`logit.generators`) or ``"bundled"``.
    """
    generated = [(name, "generated", text) for name, text in GENERATORS.items()]
    bundled = [(name, "bundled", text) for name, text in BUNDLED.items()]
    return generated + bundled
