"""logit: gradient descent for a two-feature sigmoid classifier, step by step.

The core is pure numpy (and pandas for reading files): the model and its chain rule
(:mod:`logit.model`), training runs recorded iteration by iteration
(:mod:`logit.training`), standardisation (:mod:`logit.scaling`), the separating line
and probability grid (:mod:`logit.geometry`), the loss landscape
(:mod:`logit.landscape`) and data (:mod:`logit.dataset`, :mod:`logit.generators`,
:mod:`logit.bundled`, :mod:`logit.csv_loader`).
"""

from logit.bundled import BUNDLED, list_datasets, load_bundled
from logit.csv_loader import load_csv, read_table
from logit.dataset import Dataset
from logit.errors import DataError, LogitError, SettingsError
from logit.generators import GENERATORS, generate
from logit.geometry import padded_box, probability_grid, separating_line
from logit.landscape import loss_landscape
from logit.messages import Notice
from logit.model import (
    ChainRule,
    chain_rule,
    cost,
    gradient,
    log_loss,
    numerical_gradient,
    predict_proba,
    sigmoid,
)
from logit.scaling import Standardizer
from logit.training import Trajectory, TrainingSettings, extend, stable_learning_rate, train

__all__ = [
    "BUNDLED", "GENERATORS", "Dataset", "generate", "list_datasets", "load_bundled", "load_csv", "read_table",
    "ChainRule", "DataError", "LogitError", "Notice", "SettingsError", "Standardizer", "Trajectory",
    "TrainingSettings", "chain_rule", "cost", "extend", "gradient", "log_loss", "loss_landscape",
    "numerical_gradient", "padded_box", "predict_proba", "probability_grid", "separating_line", "sigmoid",
    "stable_learning_rate", "train",
]
