"""Translations: the same keys and placeholders in every language, every key the page uses exists,
every core message renders in Chinese, and no English is left in the Chinese page words."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from logit.bundled import BUNDLED
from logit.errors import DataError
from logit.generators import GENERATORS
from logit.messages import MESSAGES, Notice, render
from logit.ui import state
from logit.ui.i18n import Translator, language_from_locale
from logit.ui.locales import en, zh

ROOT = Path(__file__).resolve().parents[1]
UI_FILES = sorted([ROOT / "app.py", *(ROOT / "logit" / "ui").rglob("*.py")])

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# zh TEXTS values that are the same in every language (mathematics, symbols, proper names).
LANGUAGE_NEUTRAL = {"chart.boundary", "control.alpha_down", "control.alpha_up"}  # formulas: the same in both

# Keys built at run time as tr(f"prefix.{option}"): the options each family must cover.
# Options that the code lists inline are also read from the code itself (see _dynamic_calls).
KNOWN_FAMILIES: dict[str, tuple[str, ...]] = {
    "data.source.": ("generate", "bundled", "upload"),
    "gen.": tuple(GENERATORS),
    "bundled.": tuple(BUNDLED),
    "batch.": ("full", "mini", "sgd"),
    "data.encoding.": ("chosen", "found", "guessed"),
    "click.": (),  # the page's CLICK_MODES, read from the code
    "tab.": (),  # the page's PANELS, read from the code
}
# Module constants whose keys a page may offer as options, e.g. list(GENERATORS).
OPTION_CONSTANTS = {"GENERATORS": GENERATORS, "BUNDLED": BUNDLED, "SOURCES": state.SOURCES,
                    "BATCH_MODES": state.BATCH_MODES, "PANELS": state.PANELS, "CLICK_MODES": state.CLICK_MODES}


# --- helpers ---------------------------------------------------------------------------------


def fields(template: str) -> set[str]:
    """Names of the placeholders in a str.format template ('{x.y:.3g}' → 'x')."""
    return {re.split(r"[.\[]", name, maxsplit=1)[0]
            for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def field_specs(template: str) -> set[tuple[str, str, str | None]]:
    """(name, format spec, conversion) of every placeholder."""
    return {(name, spec or "", conversion)
            for _, name, spec, conversion in string.Formatter().parse(template) if name is not None}


def sample_details(template: str) -> dict[str, object]:
    """Representative values for the English template's placeholders: numbers where a format spec asks
    for one, short strings otherwise."""
    details: dict[str, object] = {}
    for _, name, spec, _ in string.Formatter().parse(template):
        if name is None:
            continue
        root = re.split(r"[.\[]", name, maxsplit=1)[0]
        if spec and spec[-1] in "bcdoxX":
            details[root] = 3
        elif spec:
            details[root] = 1.5
        else:
            details.setdefault(root, "'v'")
    return details


def _is_tr(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "tr") or (isinstance(func, ast.Attribute) and func.attr == "tr")


def _tr_calls() -> list[tuple[Path, ast.Call]]:
    calls = []
    for path in UI_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        calls += [(path, node) for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and _is_tr(node.func) and node.args]
    return calls


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def _literal_strings(node: ast.expr, scope: list[ast.AST]) -> tuple[str, ...] | None:
    """The options a picker offers, if the code spells them out: ["a", "b"], a name bound to such a list
    in an enclosing scope, or list(CONSTANT) of a known module constant."""
    if isinstance(node, (ast.List, ast.Tuple)):
        if all(isinstance(item, ast.Constant) and isinstance(item.value, str) for item in node.elts):
            return tuple(item.value for item in node.elts)
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"list", "tuple"} \
            and len(node.args) == 1 and isinstance(node.args[0], ast.Name) and node.args[0].id in OPTION_CONSTANTS:
        return tuple(OPTION_CONSTANTS[node.args[0].id])
    if isinstance(node, ast.Name):
        if node.id in OPTION_CONSTANTS:
            return tuple(OPTION_CONSTANTS[node.id])
        for enclosing in reversed(scope):
            for statement in ast.walk(enclosing):
                if isinstance(statement, ast.Assign) and any(
                    isinstance(target, ast.Name) and target.id == node.id for target in statement.targets
                ):
                    return _literal_strings(statement.value, [])
    return None


def _dynamic_calls() -> tuple[dict[str, set[str]], list[str]]:
    """f-string keys: {prefix: options the code offers for it} and the calls that are not 'prefix.{...}'."""
    families: dict[str, set[str]] = {}
    odd: list[str] = []
    for path in UI_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _is_tr(node.func) and node.args
                    and isinstance(node.args[0], ast.JoinedStr)):
                continue
            parts = node.args[0].values
            prefix_and_option = (len(parts) == 2 and isinstance(parts[0], ast.Constant)
                                 and isinstance(parts[1], ast.FormattedValue))
            if not prefix_and_option:
                odd.append(f"{_where(path, node)}: {ast.unparse(node.args[0])}")
                continue
            prefix = parts[0].value
            offered = families.setdefault(prefix, set())
            # tr(f"prefix.{x}") as format_func=lambda x: ... of a picker: read the picker's options.
            lam = parents.get(node)
            picker = parents.get(lam) if isinstance(lam, ast.Lambda) else None
            if isinstance(picker, ast.keyword) and picker.arg == "format_func":
                picker = parents.get(picker)
            if isinstance(picker, ast.Call):
                scope, up = [], parents.get(picker)
                while up is not None:
                    if isinstance(up, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
                        scope.insert(0, up)
                    up = parents.get(up)
                # The options: st.<picker>(label, options, ...) or a page helper that takes them
                # at another position; the first argument that spells out a list of strings.
                candidates = [k.value for k in picker.keywords if k.arg == "options"] + list(picker.args[1:])
                for options in candidates:
                    values = _literal_strings(options, scope)
                    if values:
                        offered.update(values)
                        break
    return families, odd


# --- same keys, same placeholders -------------------------------------------------------------


def test_en_and_zh_texts_have_the_same_keys():
    assert sorted(set(en.TEXTS) - set(zh.TEXTS)) == [], "keys missing in zh.TEXTS"
    assert sorted(set(zh.TEXTS) - set(en.TEXTS)) == [], "keys in zh.TEXTS that en.TEXTS lacks"


def test_zh_core_messages_cover_exactly_the_core_codes():
    assert sorted(set(MESSAGES) - set(zh.CORE_MESSAGES)) == [], "core codes without a Chinese template"
    assert sorted(set(zh.CORE_MESSAGES) - set(MESSAGES)) == [], "Chinese templates for codes the core lacks"


def test_en_core_messages_are_empty_or_a_subset():
    assert set(en.CORE_MESSAGES) <= set(MESSAGES)


def _pairs():
    for key, text in en.TEXTS.items():
        if key in zh.TEXTS:
            yield f"TEXTS[{key}]", text, zh.TEXTS[key]
    for code, text in MESSAGES.items():
        if code in zh.CORE_MESSAGES:
            yield f"CORE_MESSAGES[{code}]", text, zh.CORE_MESSAGES[code]


def test_placeholder_names_match():
    mismatched = [f"{name}: en {sorted(fields(english))} ≠ zh {sorted(fields(chinese))}"
                  for name, english, chinese in _pairs() if fields(english) != fields(chinese)]
    assert mismatched == [], "\n".join(mismatched)


def test_placeholder_format_specs_match():
    mismatched = [f"{name}: en {sorted(field_specs(english), key=str)} ≠ zh {sorted(field_specs(chinese), key=str)}"
                  for name, english, chinese in _pairs() if field_specs(english) != field_specs(chinese)]
    assert mismatched == [], "\n".join(mismatched)


# --- every key the page uses exists ----------------------------------------------------------


def test_the_scan_finds_the_page_code():
    assert (ROOT / "app.py") in UI_FILES and len(_tr_calls()) > 20


def test_every_literal_key_exists():
    missing = [f"{_where(path, call)}: {call.args[0].value!r}" for path, call in _tr_calls()
               if isinstance(call.args[0], ast.Constant) and call.args[0].value not in en.TEXTS]
    assert missing == [], "tr() keys missing in en.TEXTS:\n" + "\n".join(missing)


def test_every_key_is_a_literal_or_a_known_f_string():
    other = [f"{_where(path, call)}: {ast.unparse(call.args[0])}" for path, call in _tr_calls()
             if not (isinstance(call.args[0], ast.JoinedStr)
                     or isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str))]
    _, odd = _dynamic_calls()
    assert other + odd == [], (
        "tr() keys this test cannot check; use a literal or tr(f\"prefix.{option}\"):\n" + "\n".join(other + odd)
    )


def test_no_unknown_f_string_families():
    families, _ = _dynamic_calls()
    unknown = sorted(set(families) - set(KNOWN_FAMILIES))
    assert unknown == [], f"tr(f\"...\") prefixes unknown to this test, add them to KNOWN_FAMILIES: {unknown}"


@pytest.mark.parametrize("prefix", sorted(KNOWN_FAMILIES))
def test_every_key_of_a_dynamic_family_exists(prefix):
    families, _ = _dynamic_calls()
    options = set(KNOWN_FAMILIES[prefix]) | families.get(prefix, set())
    keys = {prefix + option for option in options}
    for table, name in ((en.TEXTS, "en.TEXTS"), (zh.TEXTS, "zh.TEXTS")):
        missing = sorted(keys - set(table))
        assert missing == [], f"keys missing in {name}: {missing}"


def test_the_family_options_are_read_from_the_code():
    families, _ = _dynamic_calls()
    for prefix in ("data.source.", "batch.", "gen.", "bundled."):
        assert families.get(prefix), f"could not read the options offered for tr(f\"{prefix}{{...}}\")"
    unchecked = sorted(prefix for prefix, options in families.items()
                       if not options and not KNOWN_FAMILIES.get(prefix))
    assert unchecked == [], (
        f"options of these tr(f\"...\") families are neither read from the code nor listed: {unchecked}"
    )


# --- every core message renders in Chinese ----------------------------------------------------


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_core_message_renders_in_chinese(code):
    details = sample_details(MESSAGES[code])
    expected = zh.CORE_MESSAGES[code].format(**details)
    assert render(code, details, zh.CORE_MESSAGES) == expected
    assert CJK.search(expected), expected
    tr = Translator("zh")
    assert tr.error(DataError(code, **details)) == expected
    assert tr.notice(Notice(code, details)) == expected


# --- language from the browser's locale -------------------------------------------------------


@pytest.mark.parametrize("locale", ["zh-CN", "zh_Hans", "zh-TW", "ZH", "zh"])
def test_chinese_locales(locale):
    assert language_from_locale(locale) == "zh"


@pytest.mark.parametrize("locale", ["en-US", None, "", "de-DE"])
def test_other_locales(locale):
    assert language_from_locale(locale) == "en"


# --- no English left in the Chinese page words ------------------------------------------------


def test_zh_texts_are_translated():
    untranslated = {key: text for key, text in zh.TEXTS.items() if key not in LANGUAGE_NEUTRAL and not CJK.search(text)}
    assert untranslated == {}, "zh.TEXTS values without Chinese (translate them or add to LANGUAGE_NEUTRAL)"


def test_language_neutral_keys_exist():
    assert LANGUAGE_NEUTRAL <= set(en.TEXTS)
