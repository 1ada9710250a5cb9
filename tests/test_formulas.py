"""Formulas as MathML: every formula the page writes converts, keeps its LaTeX, and is safe HTML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from logit.ui import explain
from logit.ui.formulas import formulas_html, to_mathml
from strategies import FAST, finite

MATHML = "{http://www.w3.org/1998/Math/MathML}"


def parsed(latex: str) -> ET.Element:
    return ET.fromstring(to_mathml(latex))


def signs(root: ET.Element) -> list[str]:
    """For every minus, "sign" (set tight) or "minus" (spaced as a subtraction)."""
    return ["sign" if mo.get("lspace") == "0" else "minus" for mo in root.iter(f"{MATHML}mo") if mo.text == "−"]


# Values as the chain rule meets them: ordinary, tiny, huge, and the ones fmt writes as words or ∞.
values = st.one_of(finite(1e3), st.sampled_from([0.0, 1e-150, -3e-9, 2.5e12, float("inf"), float("-inf"), float("nan")]))


@FAST
@given(x=st.tuples(values, values), y=st.sampled_from([0.0, 1.0]), params=st.tuples(values, values, values),
       gradient=st.tuples(values, values, values), alpha=st.sampled_from([1e-4, 0.1, 10.0]),
       l2=st.sampled_from([0.0, 0.01]))
def test_every_chain_rule_formula_becomes_block_mathml_that_keeps_its_latex(x, y, params, gradient, alpha, l2):
    with np.errstate(all="ignore"):  # ±inf and NaN weights are what a diverged run shows
        parts = explain.explain_point(np.array(x), y, np.array(params))
        lines = parts.forward + [parts.dL_dyhat] + parts.dyhat + parts.products
        lines += explain.update_lines(np.array(params), np.array(gradient), alpha, l2)
    for line in lines:
        root = parsed(line)  # well-formed XML, so the browser builds exactly this tree
        assert root.tag == f"{MATHML}math" and root.get("display") == "block"
        assert root.find(f"{MATHML}semantics/{MATHML}annotation").text == line
        assert root.find(f".//{MATHML}merror") is None


def test_a_sign_is_set_tight_and_a_subtraction_spaced():
    assert signs(parsed("z = -0.5")) == ["sign"]
    assert signs(parsed("a - b")) == ["minus"]
    assert signs(parsed(r"(-1.2)\cdot(-3) - x")) == ["sign", "sign", "minus"]
    assert signs(parsed(r"-\frac{-1}{2} - (1-y)")) == ["sign", "sign", "minus", "minus"]
    assert signs(parsed(r"\sum_{i=1}^{n} -(y_i-\hat y_i)")) == ["sign", "minus"]
    assert signs(parsed(r"10^{-7}")) == ["sign"]
    assert signs(parsed(r"[a]-b \quad |a|-b \quad x\,-y")) == ["minus", "minus", "minus"]


def test_text_in_a_formula_cannot_become_markup():
    for latex in (r"\text{<img src=x onerror=alert(1)>} = 1", r"\text{<b>bold</b>}", r"\text{a & b < c}",
                  r"\text{<![CDATA[</mtext></math><img src=x>]]>}", r"\text{<!-- x -->}"):
        with pytest.raises(ValueError, match="expected LaTeX that converts to MathML"):
            to_mathml(latex)
    assert parsed(r"a < b \quad c > d").find(f"{MATHML}semantics/{MATHML}annotation").text == r"a < b \quad c > d"


def test_formulas_come_one_under_another_in_one_html_block():
    block = formulas_html(["a = 1", "b = 2"])
    # A div on its own lines with no blank line inside: Markdown leaves the whole block alone.
    # Focusable (tabindex): on a phone the box scrolls sideways, and a keyboard must reach it.
    assert block.startswith('<div class="logit-formulas" tabindex="0">\n') and block.endswith("\n</div>")
    assert "\n\n" not in block
    root = ET.fromstring(block)
    assert [math.find(f"{MATHML}semantics/{MATHML}annotation").text for math in root] == ["a = 1", "b = 2"]


def test_a_small_table_is_markdown_with_its_numbers_formatted_and_pipes_escaped():
    frame = pd.DataFrame({"analytic | exact": [0.1234567, -2e-9], "numerical": [0.1234566, float("nan")]},
                         index=["∂J/∂w1", "a|b"])
    lines = explain.markdown_table(frame, "%.6g").split("\n")
    assert lines[0] == r"| |analytic \| exact|numerical|"
    assert lines[1] == "|---|--:|--:|"  # numbers aligned right
    assert lines[2:] == ["|∂J/∂w1|0.123457|0.123457|", r"|a\|b|-2e-09|nan|"]
    frame.index.name = "derivative"  # a header over the first column too (an empty one fails screen readers)
    assert explain.markdown_table(frame, "%.6g").split("\n")[0] == r"|derivative|analytic \| exact|numerical|"
