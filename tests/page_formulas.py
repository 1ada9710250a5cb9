"""The formulas an AppTest page shows, as the LaTeX they were written in (see logit.ui.formulas)."""

from __future__ import annotations

import html
import re

ANNOTATION = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.S)


def formulas(at) -> list[str]:
    """The LaTeX of every formula on the page, in order."""
    return [html.unescape(tex) for element in at.markdown for tex in ANNOTATION.findall(element.value)]
