"""What identifies a run: the data (by fingerprint) and the settings (:class:`RunKey`), once."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from logit.training import TrainingSettings


@dataclass(frozen=True)
class RunKey:
    """What determines a run: the data (by fingerprint) and the settings."""

    fingerprint: str
    settings: TrainingSettings

    @property
    def text(self) -> str:
        """The key as text (what caches are keyed by): the fingerprint and the settings' repr."""
        return f"{self.fingerprint}|{self.settings!r}"

    def revision(self, iterations: int) -> str:
        """What the training view knows a run by: its key and its length."""
        return hashlib.blake2b(json.dumps([self.text, iterations]).encode(), digest_size=8).hexdigest()
