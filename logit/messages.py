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
    "tolerance": "Expected a tolerance that is a finite number greater than 0, but got {value}. Use e.g. 1e-6.",
    "initial_parameters": (
        "Expected three finite initial values w1, w2, b, but got {value}. Use e.g. 0 0 0."
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
        "of this scale; try {suggestion:g} or standardise the features."
    ),
    "diverged_non_finite": (
        "Training diverged at iteration {iteration}: {what} became infinite or undefined. "
        "The learning rate {learning_rate:g} is too large for features of this scale; "
        "try {suggestion:g} or standardise the features."
    ),
    "diverged_growth": (
        "Training diverged: the loss grew from {start:.3g} to {end:.3g} in {iterations} iteration(s). "
        "The learning rate {learning_rate:g} is too large for features of this scale; "
        "try {suggestion:g} or standardise the features."
    ),
}


def render(code: str, details: Mapping[str, Any], table: Mapping[str, str] = MESSAGES) -> str:
    """Fill the template ``table[code]`` with ``details``.

    Falls back to the English table for a code the given table lacks, and to the
    bare code with its details if the template cannot be filled, so that showing
    an error never raises another one.
    """
    template = table.get(code) or MESSAGES.get(code)
    if template is None:
        return f"{code}: {dict(details)}"
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
