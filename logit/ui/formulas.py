"""Formulas on the page: LaTeX lines shown as the browser's own MathML.

Why not ``st.latex``: the chain rule's numbers change on every Step, and KaTeX typesetting
them again in the browser took ~80 ms per Step at 1,000 points (page idle 150 instead of
70 ms with a panel without formulas). The browser lays out MathML natively, at about the
cost of plain text. Each formula keeps its LaTeX as an annotation (what tests read and
some browsers copy).
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as ET

import streamlit as st
from latex2mathml.converter import convert

# Sizes like KaTeX's display formulas; the math font of the reader's system.
FORMULA_STYLE = "font-size: 1.2em; font-family: math; margin: 0.55em 0;"
_MATHML = "{http://www.w3.org/1998/Math/MathML}"
# What the converter writes for our formulas; anything else (say, HTML copied through
# from \\text{…}) is refused.
_ELEMENTS = {_MATHML + name for name in (
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "mtext", "mspace", "mfrac", "msub", "msup",
    "msubsup", "mover", "munder", "munderover", "msqrt", "mroot", "mtable", "mtr", "mtd", "mstyle", "mpadded")}
_MATH_TAG = re.compile(r"^<math[^>]*>(.*)</math>$", re.S)
# A minus right after an operator, an opening bracket or the start of a group is a sign, set
# tight as TeX does ("= −0.15", "(−1.1)"); the converter spaces every minus as a subtraction.
_SIGN = re.compile(r"((?:<mo[^>]*>(?!&#x00029;|\)|&#x0005D;|\]|&#x0007C;|\||&#x02016;)[^<]*</mo>"  # not after ) ] | ‖
                   r"|<m(?:row|frac|sub|sup|subsup|over|sqrt|style|td)>|</munderover>)\s*)"
                   r"<mo>&#x02212;</mo>")
# \ln between a symbol and its argument: the thin spaces TeX puts around an operator name.
_LOG_AFTER_SYMBOL = re.compile(r"(</mi>|</mn>|</mover>|&#x00029;</mo>)<mi>ln</mi>")
_THIN = '<mspace width="0.1667em" />'
# Arrows the converter writes as identifiers: operators, so they get an operator's spacing.
_ARROW = re.compile(r"<mi>(&#x027F6;|&#x027FA;)</mi>")


@functools.lru_cache(maxsize=4096)  # ~6 ms a Step to convert; a room on the same page converts each once
def to_mathml(latex: str) -> str:
    """One display formula as MathML, with its LaTeX as an annotation.

    Raises ValueError unless the result is MathML and nothing else: the page shows it as HTML,
    and the converter copies ``\\text{…}`` through unescaped.
    """
    converted = convert(latex, display="block")
    if re.search(r"<[!?]", converted):  # CDATA, a comment: read one way here, another by the page
        raise ValueError(f"expected LaTeX that converts to MathML only, got {latex!r}")
    inner = _MATH_TAG.match(converted)
    try:
        elements = list(ET.fromstring(converted).iter())
    except ET.ParseError as error:
        raise ValueError(f"expected LaTeX that converts to MathML, got {latex!r} ({error})") from None
    if inner is None or any(element.tag not in _ELEMENTS or any(name.lower().startswith(("on", "href", "src"))
                                                                 for name in element.attrib) for element in elements):
        raise ValueError(f"expected LaTeX that converts to MathML only, got {latex!r}")
    body = _SIGN.sub(r'\1<mo lspace="0" rspace="0">&#x02212;</mo>', inner.group(1))
    body = _ARROW.sub(r"<mo>\1</mo>", body)
    body = _LOG_AFTER_SYMBOL.sub(rf"\1{_THIN}<mi>ln</mi>", body).replace("<mi>ln</mi>", f"<mi>ln</mi>{_THIN}")
    return (
        f'<math xmlns="http://www.w3.org/1998/Math/MathML" display="block" style="{FORMULA_STYLE}">'
        f"<semantics>{body}"
        f'<annotation encoding="application/x-tex">{html.escape(latex)}</annotation></semantics></math>'
    )


def formulas_html(lines: list[str]) -> str:
    """Formulas one under another, as one HTML block (a ``div`` keeps Markdown out of it)."""
    # Focusable: on a narrow screen the box scrolls sideways, and a keyboard must reach it too.
    return "<div class=\"logit-formulas\" tabindex=\"0\">\n" + "".join(to_mathml(line) for line in lines) + "\n</div>"


def show(lines: list[str] | str) -> None:
    """Display formulas (LaTeX) one under another, as one element on the page.

    Keep text that does not change in its own element: an element is drawn again only when
    its contents change.
    """
    st.markdown(formulas_html([lines] if isinstance(lines, str) else list(lines)), unsafe_allow_html=True)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md_literal(text: object) -> str:
    """Text from the data (class names) shown literally in Markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
