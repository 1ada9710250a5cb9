"""What one run of the page works on: the language, the data and the settings (:class:`Page`).

Every room of the page (the sidebar, the training view, the panels) receives a ``Page``; it
lives apart from them so that each can import it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from logit.dataset import Dataset
from logit.training import TrainingSettings
from logit.ui.cached import LoadedData
from logit.ui.i18n import Translator
from logit.ui.run_key import RunKey


@dataclass(frozen=True)
class Page:
    """What the sidebar chose: the language, the data and the training settings."""

    tr: Translator
    data: LoadedData  # what gradient descent trains on (the training part when a test set is held out)
    settings: TrainingSettings
    test: Dataset | None = None  # held-out points when a split is on
    everything: Dataset | None = None  # all the points (what "Data (CSV)" downloads)

    def run_key(self, settings: TrainingSettings | None = None) -> RunKey:
        """The run of these data with ``settings`` (default: the page's)."""
        return RunKey(self.data.fingerprint, settings or self.settings)

    def with_learning_rate(self, rate: float) -> Page:
        """The same page at another learning rate (the training view changes it without the sidebar)."""
        if self.settings.learning_rate == rate:
            return self
        return dataclasses.replace(self, settings=dataclasses.replace(self.settings, learning_rate=rate))
