"""Translations: one string table per language, looked up by key.

``locales/en.py`` and ``locales/zh.py`` each define ``TEXTS`` (the page's words) and
``CORE_MESSAGES`` (templates for the core's error and status codes; English ones live
in :mod:`logit.messages`). Mathematical notation is the same in every language.
"""

from __future__ import annotations

from typing import Any

from logit.errors import LogitError
from logit.messages import MESSAGES, Notice, render
from logit.ui.locales import en, zh

LANGUAGES = {"en": "English", "zh": "简体中文"}
PLOTLY_LOCALES = {"zh": "zh-CN"}
TABLES = {"en": en, "zh": zh}
DEFAULT_LANGUAGE = "en"


def language_from_locale(locale: str | None) -> str:
    """'zh-CN', 'zh_Hans', 'zh' → 'zh'; anything else → 'en'."""
    if locale and locale.lower().replace("_", "-").startswith("zh"):
        return "zh"
    return DEFAULT_LANGUAGE


class Translator:
    """``tr("key", **values)`` gives the page's words in one language."""

    def __init__(self, language: str) -> None:
        self.language = language if language in TABLES else DEFAULT_LANGUAGE
        self._texts = TABLES[self.language].TEXTS
        self._core = TABLES[self.language].CORE_MESSAGES if self.language != "en" else MESSAGES

    def __call__(self, key: str, **values: Any) -> str:
        template = self._texts.get(key, en.TEXTS.get(key, key))
        if not values:
            return template
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            return template

    def notice(self, notice: Notice) -> str:
        """A core status or warning in this language."""
        return render(notice.code, notice.details, self._core)

    def error(self, error: LogitError) -> str:
        """A core error in this language."""
        return render(error.code, error.details, self._core)

    def chart_config(self, config: dict | None = None) -> dict:
        """A Plotly chart's ``config`` with the words of its toolbar and notes in this language.

        Plotly speaks English unless told a locale and given its dictionary (a table's
        ``PLOTLY_TEXTS``, Plotly's own English phrases → ours).
        """
        config = {"displaylogo": False, **(config or {})}
        texts = getattr(TABLES[self.language], "PLOTLY_TEXTS", None)
        if texts:
            locale = PLOTLY_LOCALES[self.language]
            config.update(locale=locale, locales={locale: {"dictionary": texts}})
        return config
