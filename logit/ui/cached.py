"""Cached loading and training, keyed by the values that determine the result.

Loads and runs are shared between sessions (a room of 30 opening the same default
page computes it once); uploads are cached per session and keyed by their bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from logit.bundled import load_bundled
from logit.csv_loader import dataset_from_frame, read_table
from logit.dataset import Dataset
from logit.generators import generate
from logit.spreadsheets import sheet_names, workbook_kind
from logit.training import Trajectory, TrainingSettings, train


@dataclass(frozen=True)
class LoadedData:
    """A data set, a fingerprint that changes whenever its contents do, and where it came from.

    ``origin`` says where, in words of no language, for the page to put in its own:
    ``("generated", kind, n, noise, seed)``, ``("bundled", name)``, ``("edited", *origin)``,
    or ``()`` (the data set's ``source``, e.g. a file name, says it).
    """

    dataset: Dataset
    fingerprint: str
    origin: tuple = ()


def fingerprint(dataset: Dataset) -> str:
    """Hash of the values and names: two data sets with one fingerprint train identically."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(np.ascontiguousarray(dataset.X).tobytes())
    digest.update(np.ascontiguousarray(dataset.y).tobytes())
    digest.update(repr((dataset.feature_names, dataset.label_name, dataset.classes)).encode())
    return digest.hexdigest()


def loaded(dataset: Dataset, origin: tuple = ()) -> LoadedData:
    return LoadedData(dataset, fingerprint(dataset), origin)


@st.cache_data(max_entries=64, show_spinner=False)
def generated(kind: str, n: int, noise: float, seed: int) -> LoadedData:
    return loaded(generate(kind, n=n, noise=noise, seed=seed), ("generated", kind, n, noise, seed))


@st.cache_data(max_entries=16, show_spinner=False)
def bundled(name: str) -> LoadedData:
    return loaded(load_bundled(name), ("bundled", name))


@st.cache_data(max_entries=8, show_spinner=False, scope="session")
def uploaded_table(content: bytes, max_bytes: int, encoding: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    return read_table(content, max_bytes=max_bytes, encoding=encoding, sheet=sheet)


@st.cache_data(max_entries=8, show_spinner=False, scope="session")
def uploaded_sheets(content: bytes) -> tuple[str, ...] | None:
    """The sheets of an uploaded workbook; None for a text file."""
    kind = workbook_kind(content)
    return None if kind is None else sheet_names(content, kind)


@st.cache_data(max_entries=8, show_spinner=False, scope="session")
def uploaded_dataset(table_key: str, x1: str, x2: str, label: str, positive: str | None, source: str,
                     _frame: pd.DataFrame) -> LoadedData:
    return loaded(dataset_from_frame(_frame, x1, x2, label, positive=positive, source=source))


class NotCached(Exception):
    """The run is not in the cache, and the caller did not want it computed now."""


@st.cache_data(max_entries=128, show_spinner=False)
def trained(run_key: str, _X: np.ndarray, _y: np.ndarray, _settings: TrainingSettings,
            _compute: bool = True) -> Trajectory:
    """A whole run, keyed by its :class:`~logit.ui.run_key.RunKey` as text (the data's fingerprint and
    the settings).

    With ``_compute=False`` only a cached run is returned; else :class:`NotCached` is raised
    (an exception is not cached, so a later call computes it). Such a look waits while
    another session computes that same run (Streamlit computes each key once at a time).
    """
    if not _compute:
        raise NotCached(run_key)
    return train(_X, _y, _settings)


def content_hash(content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=16).hexdigest()
