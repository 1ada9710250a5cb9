"""Write the corpus of real data files in ``tests/data/real/`` (run once; tests only read them).

The corpus holds public data sets saved the way real spreadsheet programs save them:
CSV files in the byte encodings, separators and line ends that Excel uses in China,
Taiwan, Japan and Germany, and workbooks (xlsx, ods, xls, CSV) that LibreOffice Calc
itself wrote. Every variant file has a "clean twin": the same table as plain UTF-8
CSV (no BOM, LF line ends, comma separator, decimal point) that it must load
identically to. ``tests/data/real/MANIFEST.csv`` pairs them; ``SOURCES.md`` says
where each file comes from and under which licence.

Usage::

    python scripts/make_real_corpus.py

Needs: pandas, scikit-learn (for its bundled breast cancer and wine data), openpyxl,
python-calamine (for the checks at the end), and LibreOffice Calc (the Debian package
``libreoffice-calc``; the ``soffice`` program must be on PATH).

How LibreOffice is used: the script writes each workbook as a flat OpenDocument
spreadsheet (``.fods``, plain XML) into a temporary folder and lets LibreOffice
convert it, headless and with a throw-away user profile::

    soffice -env:UserInstallation=<temporary folder URL> --headless --norestore \\
        --convert-to "<extension>:<filter name>[:<filter options>]" --outdir <dir> <file.fods>

with these filters:

- ``xlsx:Calc MS Excel 2007 XML`` (Office Open XML workbook),
- ``ods:calc8`` (OpenDocument spreadsheet),
- ``xls:MS Excel 97`` (Excel 97-2003 binary workbook, BIFF8),
- ``csv:Text - txt - csv (StarCalc):44,34,12,1,,0,false,true,true`` (CSV with the
  export dialog's defaults except the character set: separator 44 = ``,``, text
  delimiter 34 = ``"``, character set 12 = RTL_TEXTENCODING_ISO_8859_1, shown as
  "Western Europe (ISO-8859-1)" in the dialog; text cells quoted only where needed;
  cell contents saved as shown).

So the saved files are LibreOffice's own, formula results included (LibreOffice
computes them on load and stores them on save). Files named ``*_excel_*`` were not
written by Excel (none is available here): this script writes the bytes the way
Excel writes them (see SOURCES.md).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
PENGUINS = ROOT / "logit" / "data" / "penguins.csv"
OUT = ROOT / "tests" / "data" / "real"

XLSX = "xlsx:Calc MS Excel 2007 XML"
ODS = "ods:calc8"
XLS = "xls:MS Excel 97"
# The defaults of Calc's "Export Text File" dialog with the character set changed:
# 44 = "," separates fields, 34 = '"' delimits text, 12 = RTL_TEXTENCODING_ISO_8859_1
# ("Western Europe (ISO-8859-1)"), 1 = first line, no column formats, 0 = default
# language, false = do not quote all text cells, true = detect special numbers,
# true = save cell contents as shown. With only the first four tokens LibreOffice 7.4
# quotes every text cell; a name such as "ISO-8859-1" instead of 12 is silently
# ignored (the file comes out in UTF-8).
CSV_LATIN1 = "csv:Text - txt - csv (StarCalc):44,34,12,1,,0,false,true,true"

PENGUIN_COLUMNS = [
    "species", "island", "bill_length_mm", "bill_depth_mm",
    "flipper_length_mm", "body_mass_g", "sex", "year",
]
NUMERIC_PENGUIN_COLUMNS = {2, 3, 4, 5, 7}


# --------------------------------------------------------------------------- data


def read_penguins() -> list[list[str]]:
    """The 344 penguins as text cells (header first); a missing value is ''."""
    with open(PENGUINS, encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == PENGUIN_COLUMNS, rows[0]
    assert len(rows) == 345, len(rows)
    return rows


@dataclass(frozen=True)
class Language:
    """How one language names the penguin columns and labels."""

    code: str
    columns: list[str]
    species: dict[str, str]
    islands: dict[str, str]
    sexes: dict[str, str]


LANGUAGES = {
    "zh": Language(
        "zh",
        ["物种", "岛屿", "喙长(毫米)", "喙深(毫米)", "鳍长(毫米)", "体重(克)", "性别", "年份"],
        {"Adelie": "阿德利企鹅", "Chinstrap": "帽带企鹅", "Gentoo": "巴布亚企鹅"},
        {"Torgersen": "托尔格森岛", "Biscoe": "比斯科岛", "Dream": "德里姆岛"},
        {"male": "雄", "female": "雌"},
    ),
    "zh_hant": Language(
        "zh_hant",
        ["物種", "島嶼", "喙長(毫米)", "喙深(毫米)", "鰭長(毫米)", "體重(克)", "性別", "年份"],
        {"Adelie": "阿德利企鵝", "Chinstrap": "帽帶企鵝", "Gentoo": "巴布亞企鵝"},
        {"Torgersen": "托爾格森島", "Biscoe": "比斯科島", "Dream": "德里姆島"},
        {"male": "雄", "female": "雌"},
    ),
    "ja": Language(
        "ja",
        ["種", "島", "くちばしの長さ(mm)", "くちばしの厚さ(mm)", "ひれの長さ(mm)", "体重(g)", "性別", "年"],
        {"Adelie": "アデリーペンギン", "Chinstrap": "ヒゲペンギン", "Gentoo": "ジェンツーペンギン"},
        {"Torgersen": "トーガーセン", "Biscoe": "ビスコー", "Dream": "ドリーム"},
        {"male": "オス", "female": "メス"},
    ),
    "de": Language(
        "de",
        ["Art", "Insel", "Schnabellänge (mm)", "Schnabelhöhe (mm)", "Flossenlänge (mm)",
         "Körpermasse (g)", "Geschlecht", "Jahr"],
        {"Adelie": "Adélie", "Chinstrap": "Zügelpinguin", "Gentoo": "Eselspinguin"},
        {"Torgersen": "Torgersen", "Biscoe": "Biscoe", "Dream": "Dream"},
        {"male": "männlich", "female": "weiblich"},
    ),
    "fr": Language(
        "fr",
        ["Espèce", "Île", "Longueur du bec (mm)", "Épaisseur du bec (mm)",
         "Longueur de nageoire (mm)", "Masse (g)", "Sexe", "Année"],
        {"Adelie": "Adélie", "Chinstrap": "À jugulaire", "Gentoo": "Papou"},
        {"Torgersen": "Torgersen", "Biscoe": "Biscoe", "Dream": "Dream"},
        {"male": "mâle", "female": "femelle"},
    ),
}


def translate(rows: list[list[str]], language: Language) -> list[list[str]]:
    """The penguin table with the headers and labels of one language."""
    out = [list(language.columns)]
    for species, island, *measures, sex, year in rows[1:]:
        out.append(
            [language.species[species], language.islands[island], *measures,
             language.sexes[sex] if sex else "", year]
        )
    return out


def number_text(value: float) -> str:
    """Shortest text that reads back as the same double; integers without '.0'."""
    text = repr(float(value))
    if text.endswith(".0"):
        text = text[:-2]
    assert "e" not in text and "inf" not in text and "nan" not in text, text
    return text


def sklearn_table(loader, label_name: str) -> list[list[str]]:
    """A scikit-learn bundled data set as text cells, labels as their names."""
    bunch = loader(as_frame=True)
    names = [str(name) for name in bunch.target_names]
    rows = [[*map(str, bunch.data.columns), label_name]]
    for values, target in zip(bunch.data.itertuples(index=False), bunch.target):
        rows.append([*(number_text(v) for v in values), names[int(target)]])
    return rows


def breast_cancer() -> list[list[str]]:
    from sklearn.datasets import load_breast_cancer

    return sklearn_table(load_breast_cancer, "diagnosis")


def wine() -> list[list[str]]:
    from sklearn.datasets import load_wine

    return sklearn_table(load_wine, "class")


def libreoffice_rounding(value: float) -> float:
    """The value LibreOffice 7.4 stores for a formula result (xlsx <v>, ods office:value).

    It keeps 15 significant digits, rounding the shortest decimal form of the double
    half up (not the exact binary value: 39/17.1 = 2.2807017543859649... is stored as
    2.28070175438597, where rounding the exact value would give ...596).
    """
    exact = Decimal(repr(value))
    step = Decimal(1).scaleb(exact.adjusted() - 14)
    return float(exact.quantize(step, rounding=ROUND_HALF_UP))


def report_rows(penguins: list[list[str]]) -> list[list[str]]:
    """The report table: penguins with both bill measurements, plus bill_ratio."""
    out = [["species", "bill_length_mm", "bill_depth_mm", "flipper_length_mm",
            "body_mass_g", "sex", "bill_ratio"]]
    for species, _island, length, depth, flipper, mass, sex, _year in penguins[1:]:
        if not length or not depth:
            continue
        ratio = libreoffice_rounding(float(length) / float(depth))
        out.append([species, length, depth, flipper, mass, sex, number_text(ratio)])
    return out


# --------------------------------------------------------------------------- text files


def csv_text(rows: list[list[str]], sep: str = ",", newline: str = "\n") -> str:
    """Rows as delimited text, quoting a field only where it needs it (as Excel does)."""
    def field(text: str) -> str:
        if any(c in text for c in (sep, '"', "\r", "\n")):
            return '"' + text.replace('"', '""') + '"'
        return text

    return "".join(sep.join(field(cell) for cell in row) + newline for row in rows)


def write_bytes(name: str, data: bytes) -> None:
    (OUT / name).write_bytes(data)


def write_clean(name: str, rows: list[list[str]]) -> None:
    """A clean twin: UTF-8 without BOM, LF, commas, decimal point."""
    write_bytes(name, csv_text(rows).encode("utf-8"))


def excel_csv(rows: list[list[str]], codec: str, bom: bytes = b"") -> bytes:
    """What Excel's "CSV" save writes: the given code page, CRLF after every row."""
    return bom + csv_text(rows, ",", "\r\n").encode(codec)


def german_excel_rows(rows: list[list[str]]) -> list[list[str]]:
    """Numbers written with a decimal comma, as German Excel shows them."""
    out = [rows[0]]
    for row in rows[1:]:
        out.append([cell.replace(".", ",") if i in NUMERIC_PENGUIN_COLUMNS else cell
                    for i, cell in enumerate(row)])
    return out


# --------------------------------------------------------------------------- flat ODS


@dataclass(frozen=True)
class Formula:
    """A cell formula in OpenFormula syntax, e.g. 'of:=[.B5]/[.C5]'."""

    text: str


@dataclass(frozen=True)
class Span:
    """A text cell merged over ``columns`` columns of its row."""

    text: str
    columns: int
    style: str = "Merged"


@dataclass(frozen=True)
class Styled:
    """A text cell with a named cell style."""

    text: str
    style: str


FODS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document
 xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:styles>
  <style:style style:name="Title" style:family="table-cell" style:parent-style-name="Default">
   <style:text-properties fo:font-size="14pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Heading" style:family="table-cell" style:parent-style-name="Default">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Merged" style:family="table-cell" style:parent-style-name="Heading">
   <style:paragraph-properties fo:text-align="center"/>
  </style:style>
 </office:styles>
 <office:body>
  <office:spreadsheet>
"""
FODS_TAIL = """  </office:spreadsheet>
 </office:body>
</office:document>
"""


def fods_cell(value: object, numeric: bool) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, Formula):
        # No cached value: LibreOffice computes it when it loads the file.
        return f"<table:table-cell table:formula={quoteattr(value.text)}/>"
    if isinstance(value, Span):
        return (
            f'<table:table-cell table:style-name="{value.style}" office:value-type="string"'
            f' table:number-columns-spanned="{value.columns}" table:number-rows-spanned="1">'
            f"<text:p>{escape(value.text)}</text:p></table:table-cell>"
            + "<table:covered-table-cell/>" * (value.columns - 1)
        )
    if isinstance(value, Styled):
        return (f'<table:table-cell table:style-name="{value.style}" office:value-type="string">'
                f"<text:p>{escape(value.text)}</text:p></table:table-cell>")
    text = str(value)
    if numeric:
        float(text)
        return (f'<table:table-cell office:value-type="float" office:value="{text}">'
                f"<text:p>{text}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(text)}</text:p></table:table-cell>'


def fods(sheets: list[tuple[str, list[list[object]], int]]) -> str:
    """A flat ODS document; each sheet is (name, rows, first data row index).

    In rows at or after the first data row, cells that parse as numbers become
    numeric cells; everything above is text (titles and headers).
    """
    parts = [FODS_HEAD]
    for name, rows, first_data in sheets:
        parts.append(f"   <table:table table:name={quoteattr(name)}>\n")
        width = max(len(row) for row in rows)
        parts.append(f'    <table:table-column table:number-columns-repeated="{width}"/>\n')
        for index, row in enumerate(rows):
            cells = []
            for value in row:
                numeric = index >= first_data and isinstance(value, str) and is_number(value)
                cells.append(fods_cell(value, numeric))
            parts.append("    <table:table-row>" + "".join(cells) + "</table:table-row>\n")
        parts.append("   </table:table>\n")
    parts.append(FODS_TAIL)
    return "".join(parts)


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def libreoffice(jobs: list[tuple[str, str, str]]) -> None:
    """Convert flat ODS texts with LibreOffice: jobs are (stem, fods text, --convert-to)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice is needed: apt-get install libreoffice-calc")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        profile = (tmp_path / "profile").as_uri()
        for stem, text, target in jobs:
            work = tmp_path / stem
            work.mkdir(exist_ok=True)
            source = work / f"{stem}.fods"
            source.write_text(text, encoding="utf-8")
            subprocess.run(
                [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--convert-to", target, "--outdir", str(work), str(source)],
                check=True, capture_output=True, timeout=300,
                env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
            )
            extension = target.split(":", 1)[0]
            made = work / f"{stem}.{extension}"
            if not made.exists():
                sys.exit(f"LibreOffice did not write {made.name} ({target})")
            shutil.copyfile(made, OUT / made.name)


def libreoffice_version() -> str:
    soffice = shutil.which("soffice") or "soffice"
    result = subprocess.run([soffice, "--version"], capture_output=True, text=True, check=True)
    return result.stdout.strip()


# --------------------------------------------------------------------------- openpyxl


def formulas_without_values(penguins: list[list[str]]) -> None:
    """Measurements as formulas over a 'raw' sheet in cm and kg, no cached values."""
    from openpyxl import Workbook

    book = Workbook()
    main = book.active
    main.title = "penguins"
    raw = book.create_sheet("raw")
    raw.append(["species", "island", "bill_length_cm", "bill_depth_cm",
                "flipper_length_cm", "body_mass_kg", "sex", "year"])
    main.append(PENGUIN_COLUMNS)
    scale = {2: 10, 3: 10, 4: 10, 5: 1000}
    for number, row in enumerate(penguins[1:], start=2):
        raw_row: list[object] = [row[0], row[1]]
        main_row: list[object] = [row[0], row[1]]
        for column in (2, 3, 4, 5):
            raw_row.append(round(float(row[column]) / scale[column], 5) if row[column] else None)
            letter = "CDEF"[column - 2]
            main_row.append(f'=IF(raw!{letter}{number}="","",raw!{letter}{number}*{scale[column]})')
        raw_row += [row[6] or None, int(row[7])]
        main_row += [row[6] or None, int(row[7])]
        raw.append(raw_row)
        main.append(main_row)
    book.save(OUT / "penguins_formulas_without_values.xlsx")


# --------------------------------------------------------------------------- manifest


MANIFEST_COLUMNS = ["file", "twin", "sheet", "x1", "x2", "label", "positive", "encoding", "expect"]


def manifest() -> list[list[str]]:
    en = ["bill_length_mm", "body_mass_g", "sex", "female"]
    zh = ["喙长(毫米)", "体重(克)", "性别", "雌"]
    hant = ["喙長(毫米)", "體重(克)", "性別", "雌"]
    ja = ["くちばしの長さ(mm)", "体重(g)", "性別", "メス"]
    de = ["Schnabellänge (mm)", "Körpermasse (g)", "Geschlecht", "weiblich"]
    fr = ["Longueur du bec (mm)", "Masse (g)", "Sexe", "femelle"]
    cancer = ["mean radius", "mean texture", "diagnosis", "malignant"]
    grapes = ["alcohol", "proline", "class", ""]
    two = ["bill_length_mm", "body_mass_g", "species", "Gentoo"]
    rows = [
        ["breast_cancer.csv", "breast_cancer.csv", "", *cancer, "utf-8", "same"],
        ["breast_cancer_excel_utf8_bom.csv", "breast_cancer.csv", "", *cancer, "utf-8-sig", "same"],
        ["wine.csv", "wine.csv", "", *grapes, "utf-8", "too_many_classes"],
        ["wine_two_classes.csv", "wine_two_classes.csv", "", *grapes, "utf-8", "same"],
        ["wine_two_classes_libreoffice.xlsx", "wine_two_classes.csv", "", *grapes, "xlsx", "same"],
        ["penguins.csv", "penguins.csv", "", *en, "utf-8", "same"],
        ["penguins_zh.csv", "penguins_zh.csv", "", *zh, "utf-8", "same"],
        ["penguins_zh_excel_gbk.csv", "penguins_zh.csv", "", *zh, "gbk", "same"],
        ["penguins_zh_excel_utf8_bom.csv", "penguins_zh.csv", "", *zh, "utf-8-sig", "same"],
        ["penguins_zh_excel_unicode_text.txt", "penguins_zh.csv", "", *zh, "utf-16", "same"],
        ["penguins_zh_utf16be.txt", "penguins_zh.csv", "", *zh, "utf-16", "same"],
        ["penguins_zh_libreoffice.ods", "penguins_zh.csv", "", *zh, "ods", "same"],
        ["penguins_zh_excel97.xls", "penguins_zh.csv", "", *zh, "xls", "same"],
        ["penguins_zh_hant.csv", "penguins_zh_hant.csv", "", *hant, "utf-8", "same"],
        ["penguins_zh_hant_excel_big5.csv", "penguins_zh_hant.csv", "", *hant, "cp950", "same"],
        ["penguins_ja.csv", "penguins_ja.csv", "", *ja, "utf-8", "same"],
        ["penguins_ja_excel_shift_jis.csv", "penguins_ja.csv", "", *ja, "cp932", "same"],
        ["penguins_de.csv", "penguins_de.csv", "", *de, "utf-8", "same"],
        ["penguins_de_excel.csv", "penguins_de.csv", "", *de, "cp1252", "same"],
        ["penguins_fr.csv", "penguins_fr.csv", "", *fr, "utf-8", "same"],
        ["penguins_fr_libreoffice_latin1.csv", "penguins_fr.csv", "", *fr, "latin-1", "same"],
        ["penguins_adelie_gentoo.csv", "penguins_adelie_gentoo.csv", "", *two, "utf-8", "same"],
        ["penguins_chinstrap_gentoo.csv", "penguins_chinstrap_gentoo.csv", "", *two, "utf-8", "same"],
        ["penguins_two_sheets_libreoffice.xlsx", "penguins_adelie_gentoo.csv", "", *two, "xlsx", "same"],
        ["penguins_two_sheets_libreoffice.xlsx", "penguins_chinstrap_gentoo.csv",
         "Chinstrap and Gentoo", *two, "xlsx", "same"],
        ["penguins_report.csv", "penguins_report.csv", "", *en, "utf-8", "same"],
        ["penguins_report_libreoffice.xlsx", "penguins_report.csv", "", *en, "xlsx", "same"],
        ["penguins_report_libreoffice.ods", "penguins_report.csv", "", *en, "ods", "same"],
        ["penguins_formulas_without_values.xlsx", "penguins.csv", "", *en, "xlsx",
         "formulas_without_values"],
    ]
    return [MANIFEST_COLUMNS, *rows]


# --------------------------------------------------------------------------- SOURCES.md


def sources_md(libreoffice: str) -> str:
    """SOURCES.md, with the versions of the programs that wrote the files."""
    from importlib.metadata import version

    import openpyxl
    import sklearn

    calamine = version("python-calamine")

    excel = "bytes as Excel writes them, made by `scripts/make_real_corpus.py` (no Excel was used)"
    lo = f"LibreOffice Calc ({libreoffice}), converting a flat ODS that the script writes"
    files = [
        ("breast_cancer.csv", "Breast cancer, 569 tumours, 30 features + `diagnosis`", "clean twin", "B"),
        ("breast_cancer_excel_utf8_bom.csv", "Excel \"CSV UTF-8 (Comma delimited)\": UTF-8 with BOM, CRLF", excel, "B"),
        ("wine.csv", "Wine, 178 wines, 13 features + `class` (three classes)", "clean twin", "W"),
        ("wine_two_classes.csv", "Wine, only class_0 and class_1 (130 wines)", "clean twin", "W"),
        ("wine_two_classes_libreoffice.xlsx", "the same two classes, one sheet `wine`", lo + ", filter `Calc MS Excel 2007 XML`", "W"),
        ("penguins.csv", "Palmer penguins in English, a copy of `logit/data/penguins.csv`", "clean twin", "P"),
        ("penguins_zh.csv", "penguins, Simplified Chinese headers and labels", "clean twin", "P"),
        ("penguins_zh_excel_gbk.csv", "Chinese Excel \"CSV (逗号分隔)\": GBK (code page 936), CRLF, no BOM", excel, "P"),
        ("penguins_zh_excel_utf8_bom.csv", "Excel \"CSV UTF-8 (逗号分隔)\": UTF-8 with BOM, CRLF", excel, "P"),
        ("penguins_zh_excel_unicode_text.txt", "Excel \"Unicode 文本\": UTF-16 LE with BOM, TAB-separated, CRLF", excel, "P"),
        ("penguins_zh_utf16be.txt", "UTF-16 BE with BOM, TAB-separated, CRLF (no program writes this by default; made for the byte order)", "`scripts/make_real_corpus.py`", "P"),
        ("penguins_zh_libreoffice.ods", "the Chinese penguins, one sheet `企鹅`", lo + ", filter `calc8`", "P"),
        ("penguins_zh_excel97.xls", "the Chinese penguins, one sheet `企鹅`, Excel 97-2003 (BIFF8)", lo + ", filter `MS Excel 97`", "P"),
        ("penguins_zh_hant.csv", "penguins, Traditional Chinese headers and labels", "clean twin", "P"),
        ("penguins_zh_hant_excel_big5.csv", "Taiwanese Excel \"CSV\": Big5 (code page 950), CRLF", excel, "P"),
        ("penguins_ja.csv", "penguins, Japanese headers and labels", "clean twin", "P"),
        ("penguins_ja_excel_shift_jis.csv", "Japanese Excel \"CSV\": Shift-JIS (code page 932), CRLF", excel, "P"),
        ("penguins_de.csv", "penguins, German headers and labels", "clean twin", "P"),
        ("penguins_de_excel.csv", "German Excel \"CSV (Trennzeichen-getrennt)\": `;`, decimal comma, Windows-1252, CRLF", excel, "P"),
        ("penguins_fr.csv", "penguins, French headers and labels", "clean twin", "P"),
        ("penguins_fr_libreoffice_latin1.csv", "CSV in \"Western Europe (ISO-8859-1)\", `,`, decimal point, LF", lo + ", filter `Text - txt - csv (StarCalc)` with options `44,34,12,1,,0,false,true,true`", "P"),
        ("penguins_adelie_gentoo.csv", "English penguins, Adelie and Gentoo only (276)", "clean twin", "P"),
        ("penguins_chinstrap_gentoo.csv", "English penguins, Chinstrap and Gentoo only (192)", "clean twin", "P"),
        ("penguins_two_sheets_libreoffice.xlsx", "two sheets, `Adelie and Gentoo` and `Chinstrap and Gentoo`", lo + ", filter `Calc MS Excel 2007 XML`", "P"),
        ("penguins_report.csv", "the report's table: header row and 342 penguins with a `bill_ratio`", "clean twin", "P"),
        ("penguins_report_libreoffice.xlsx", "a teacher's report sheet `Report` (see below)", lo + ", filter `Calc MS Excel 2007 XML`", "P"),
        ("penguins_report_libreoffice.ods", "the same report", lo + ", filter `calc8`", "P"),
        ("penguins_formulas_without_values.xlsx", "measurement cells are formulas with no cached values (see below)", f"openpyxl {openpyxl.__version__}", "P"),
    ]
    table = "\n".join(f"| `{name}` | {what} | {who} | {data} |" for name, what, who, data in files)
    return f"""# Real data files

Public data sets saved the way real spreadsheet programs save them, for testing the
readers of CSV files and workbooks. Everything here is written by
`scripts/make_real_corpus.py`; run it again to rebuild the folder (it needs
LibreOffice Calc, see the script's docstring).

Each variant file has a **clean twin**: the same table as plain UTF-8 CSV without
BOM, LF line ends, comma separator and decimal point. A reader that handles the
variant must load it identically to its twin. `MANIFEST.csv` lists one row per file
and sheet:

| column | meaning |
|---|---|
| `file` | the file in this folder |
| `twin` | its clean twin (a clean twin names itself) |
| `sheet` | the sheet to read; empty = the first |
| `x1`, `x2`, `label` | the columns a teacher would pick, in the file's own language |
| `positive` | the class a teacher would call positive; empty = the app's default |
| `encoding` | the Python codec the bytes are in (`utf-8-sig` and `utf-16` include the BOM), or `xlsx` / `xls` / `ods` |
| `expect` | `same` (loads identically to the twin) or the error the reader should give: `too_many_classes` (three wine classes), `formulas_without_values` |

## Who wrote the files

- **LibreOffice Calc**: {libreoffice}, the Debian package `libreoffice-calc`, run
  headless. The script writes each workbook as a flat ODS (`.fods`, plain XML) and
  LibreOffice converts it, so the saved file is LibreOffice's own, including the
  formula results it computed. The filters are named in the table below.
- **Excel**: no copy of Excel was available. Files named `*_excel_*` are bytes as
  Excel writes them, made by `scripts/make_real_corpus.py`: the system's ANSI code
  page for "CSV" (936 = GBK in mainland China, 950 = Big5 in Taiwan, 932 = Shift-JIS
  in Japan, 1252 in Germany), UTF-8 with a BOM for "CSV UTF-8", UTF-16 LE with a BOM
  and TABs for "Unicode Text"; CRLF after every row, the last one included; a field
  in double quotes only if it holds the separator, a quote or a line break; numbers as
  the General format shows them (`181`, not `181.0`); the list separator `;` and the
  decimal comma of German regional settings. They were not checked against a real
  Excel. (`penguins_zh_excel97.xls` is not one of them: LibreOffice wrote it with its
  "MS Excel 97" filter.)
- **openpyxl** {openpyxl.__version__} wrote `penguins_formulas_without_values.xlsx`.
- Data taken from scikit-learn {sklearn.__version__}.

## Files

Data: P = Palmer penguins, B = breast cancer, W = wine (below).

| file | what | written by | data |
|---|---|---|---|
{table}

Details:

- Penguins: all 344 penguins and all 8 columns, missing values as empty cells, in
  every language. Translated headers and labels were made for this corpus:
  - Simplified Chinese: 物种, 岛屿, 喙长(毫米), 喙深(毫米), 鳍长(毫米), 体重(克), 性别,
    年份; 阿德利企鹅 / 帽带企鹅 / 巴布亚企鹅; 托尔格森岛 / 比斯科岛 / 德里姆岛; 雄 / 雌.
  - Traditional Chinese: 物種, 島嶼, 喙長(毫米), 喙深(毫米), 鰭長(毫米), 體重(克), 性別,
    年份; 阿德利企鵝 / 帽帶企鵝 / 巴布亞企鵝; 托爾格森島 / 比斯科島 / 德里姆島; 雄 / 雌.
  - Japanese: 種, 島, くちばしの長さ(mm), くちばしの厚さ(mm), ひれの長さ(mm), 体重(g), 性別,
    年; アデリーペンギン / ヒゲペンギン / ジェンツーペンギン; トーガーセン / ビスコー /
    ドリーム; オス / メス.
  - German: Art, Insel, Schnabellänge (mm), Schnabelhöhe (mm), Flossenlänge (mm),
    Körpermasse (g), Geschlecht, Jahr; Adélie / Zügelpinguin / Eselspinguin; island
    names unchanged; männlich / weiblich.
  - French: Espèce, Île, Longueur du bec (mm), Épaisseur du bec (mm), Longueur de
    nageoire (mm), Masse (g), Sexe, Année; Adélie / À jugulaire / Papou; island names
    unchanged; mâle / femelle.
- `penguins_fr_libreoffice_latin1.csv`: the document's numbers use the default
  (English) locale, so they have a decimal point; LibreOffice on Linux ends lines
  with LF. The filter options are the export dialog's defaults with the character set
  changed to 12 (ISO-8859-1). With only the first four tokens (`44,34,12,1`)
  LibreOffice 7.4 quotes every text cell; a character set given by name
  (`ISO-8859-1`) is ignored without a warning and the file comes out in UTF-8.
- `penguins_report_libreoffice.xlsx` / `.ods`, sheet `Report`: A1 holds the title
  "Palmer penguins, 2007–2009"; row 2 is blank; row 3 holds "Bill (mm)" merged over
  B3:C3 and "Body" merged over D3:E3; row 4 the headers `species, bill_length_mm,
  bill_depth_mm, flipper_length_mm, body_mass_g, sex, bill_ratio`; the data start in
  row 5. `bill_ratio` cells are formulas `=B5/C5`, `=B6/C6`, …, whose results
  LibreOffice computed and stored. The two penguins without bill measurements are
  left out (their ratio would be `#DIV/0!`), so the report has 342 penguins.
  LibreOffice stores a result with 15 significant digits, rounding the shortest
  decimal form of the double half up (`2.09090909090909`, and `2.28070175438597` for
  39/17.1); the twin's `bill_ratio` is rounded the same way, so the numbers are equal.
- `penguins_formulas_without_values.xlsx`: sheet `penguins` has the 8 English
  columns; its four measurement columns are formulas over sheet `raw` (the
  measurements in cm and kg), e.g. `=IF(raw!C2="","",raw!C2*10)`. openpyxl writes the
  formula with an empty `<v/>` and no value; only a program that calculates (Excel,
  LibreOffice) would fill them in. A reader must refuse or flag this file, not read
  the columns as empty.
- `MANIFEST.csv` picks bill length, body mass and sex (positive: female) for the
  penguin files, but `species` (positive: Gentoo) for the two-species sheets and
  their twins, since telling two species apart is why the sheets were split.
- `wine_two_classes_libreoffice.xlsx`: its twin is `wine_two_classes.csv`; `wine.csv`
  and its three classes stay a clean twin whose expected result is
  `too_many_classes`.

## What python-calamine returns ({calamine}, `sheet.to_python()`)

- Numbers come back as `float` from xlsx and ods (`181.0`, `2007.0`) and as `int`
  from the xls when whole (`181`, `2007`); empty cells are `''`.
- Report sheet, rows 1 to 5 (xlsx and ods alike):
  `['Palmer penguins, 2007–2009', '', '', '', '', '', '']`, `['', '', '', '', '', '', '']`,
  `['', 'Bill (mm)', '', 'Body', '', '', '']`, the header row, then
  `['Adelie', 39.1, 18.7, 181.0, 3750.0, 'male', 2.09090909090909]`. A merged cell's
  text is in its first cell; the cells it covers are `''`. The title row is padded to
  the sheet's width. `merged_cell_ranges` is `[((2, 1), (2, 2)), ((2, 3), (2, 4))]`
  for the xlsx and `None` for the ods.
- Formula cells with stored values read as the values (`2.09090909090909`).
- Formula cells without stored values read as `''`, exactly like empty cells:
  row 2 of `penguins_formulas_without_values.xlsx` is
  `['Adelie', 'Torgersen', '', '', '', '', 'male', 2007.0]`. calamine cannot tell
  them apart; a reader must look at the sheet's XML (`<f>` with an empty or missing
  `<v>`) to give `formulas_without_values`.

## Data sets and licences

**P: Palmer penguins.** `logit/data/penguins.csv` (from the `palmerpenguins` Python
package 0.1.6, `NA` written as an empty cell). CC0 1.0 (public domain dedication) by
the Palmer Station LTER. Please cite:
Horst, A. M., Hill, A. P., & Gorman, K. B. (2020). *palmerpenguins: Palmer
Archipelago (Antarctica) penguin data.* R package version 0.1.0.
doi:10.5281/zenodo.3960218; and Gorman, K. B., Williams, T. D., & Fraser, W. R.
(2014). Ecological sexual dimorphism and environmental variability within a community
of Antarctic penguins (genus *Pygoscelis*). *PLoS ONE* 9(3): e90081.
doi:10.1371/journal.pone.0090081.

**B: Breast Cancer Wisconsin (Diagnostic).** scikit-learn's bundled copy
(`sklearn.datasets.load_breast_cancer`), feature names as scikit-learn spells them,
target 0 written as `malignant` and 1 as `benign`. Data from the UCI Machine Learning
Repository, CC BY 4.0; scikit-learn is BSD-3-Clause. Please cite: Wolberg, W.,
Mangasarian, O., Street, N., & Street, W. (1993). Breast Cancer Wisconsin
(Diagnostic) [Dataset]. UCI Machine Learning Repository. doi:10.24432/C5DW2B; and
Street, W. N., Wolberg, W. H., & Mangasarian, O. L. (1993). Nuclear feature
extraction for breast tumor diagnosis. *Proc. SPIE* 1905, 861–870.

**W: Wine.** scikit-learn's bundled copy (`sklearn.datasets.load_wine`), feature
names as scikit-learn spells them, classes `class_0`, `class_1`, `class_2` (three
cultivars). Data from the UCI Machine Learning Repository, CC BY 4.0; scikit-learn is
BSD-3-Clause. Please cite: Aeberhard, S., & Forina, M. (1992). Wine [Dataset]. UCI
Machine Learning Repository. doi:10.24432/C5PC7J.

Numbers from scikit-learn are written in their shortest exact form (`14.23`,
`1065`, `0.0008948`, `9.899999`).
"""


# --------------------------------------------------------------------------- main


def build() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    penguins = read_penguins()

    # 1. Breast cancer.
    cancer = breast_cancer()
    write_clean("breast_cancer.csv", cancer)
    write_bytes("breast_cancer_excel_utf8_bom.csv", excel_csv(cancer, "utf-8", b"\xef\xbb\xbf"))

    # 2. Wine.
    grapes = wine()
    write_clean("wine.csv", grapes)
    two_wines = [grapes[0]] + [row for row in grapes[1:] if row[-1] in ("class_0", "class_1")]
    write_clean("wine_two_classes.csv", two_wines)

    # English penguins, as shipped in the package (twin of the formula workbook).
    write_clean("penguins.csv", penguins)

    # 3-7. Penguins in other languages.
    zh = translate(penguins, LANGUAGES["zh"])
    write_clean("penguins_zh.csv", zh)
    write_bytes("penguins_zh_excel_gbk.csv", excel_csv(zh, "gbk"))
    write_bytes("penguins_zh_excel_utf8_bom.csv", excel_csv(zh, "utf-8", b"\xef\xbb\xbf"))
    write_bytes("penguins_zh_excel_unicode_text.txt",
                b"\xff\xfe" + csv_text(zh, "\t", "\r\n").encode("utf-16-le"))
    write_bytes("penguins_zh_utf16be.txt",
                b"\xfe\xff" + csv_text(zh, "\t", "\r\n").encode("utf-16-be"))

    hant = translate(penguins, LANGUAGES["zh_hant"])
    write_clean("penguins_zh_hant.csv", hant)
    write_bytes("penguins_zh_hant_excel_big5.csv", excel_csv(hant, "cp950"))

    ja = translate(penguins, LANGUAGES["ja"])
    write_clean("penguins_ja.csv", ja)
    write_bytes("penguins_ja_excel_shift_jis.csv", excel_csv(ja, "cp932"))

    de = translate(penguins, LANGUAGES["de"])
    write_clean("penguins_de.csv", de)
    write_bytes("penguins_de_excel.csv",
                csv_text(german_excel_rows(de), ";", "\r\n").encode("cp1252"))

    fr = translate(penguins, LANGUAGES["fr"])
    write_clean("penguins_fr.csv", fr)

    # 8. Two species pairs.
    adelie_gentoo = [penguins[0]] + [r for r in penguins[1:] if r[0] in ("Adelie", "Gentoo")]
    chinstrap_gentoo = [penguins[0]] + [r for r in penguins[1:] if r[0] in ("Chinstrap", "Gentoo")]
    write_clean("penguins_adelie_gentoo.csv", adelie_gentoo)
    write_clean("penguins_chinstrap_gentoo.csv", chinstrap_gentoo)

    # 9. The report: title, blank row, merged group headers, headers, data, formulas.
    report = report_rows(penguins)
    write_clean("penguins_report.csv", report)
    sheet: list[list[object]] = [
        [Styled("Palmer penguins, 2007–2009", "Title")],
        [],
        ["", Span("Bill (mm)", 2), Span("Body", 2)],
        [Styled(name, "Heading") for name in report[0]],
    ]
    for number, row in enumerate(report[1:], start=5):
        sheet.append([*row[:6], Formula(f"of:=[.B{number}]/[.C{number}]")])
    report_fods = fods([("Report", sheet, 4)])

    # The LibreOffice files.
    libreoffice([
        ("wine_two_classes_libreoffice", fods([("wine", two_wines, 1)]), XLSX),
        ("penguins_zh_libreoffice", fods([("企鹅", zh, 1)]), ODS),
        ("penguins_zh_excel97", fods([("企鹅", zh, 1)]), XLS),
        ("penguins_fr_libreoffice_latin1", fods([("Manchots", fr, 1)]), CSV_LATIN1),
        ("penguins_two_sheets_libreoffice",
         fods([("Adelie and Gentoo", adelie_gentoo, 1),
               ("Chinstrap and Gentoo", chinstrap_gentoo, 1)]), XLSX),
        ("penguins_report_libreoffice", report_fods, XLSX),
        ("penguins_report_libreoffice", report_fods, ODS),
    ])

    # 10. Formulas without cached values.
    formulas_without_values(penguins)

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(manifest())
    write_bytes("MANIFEST.csv", buffer.getvalue().encode("utf-8"))
    write_bytes("SOURCES.md", sources_md(libreoffice_version()).encode("utf-8"))


# --------------------------------------------------------------------------- checks


def read_clean(name: str) -> list[list[str]]:
    data = (OUT / name).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data, name
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def same_cell(expected: str, got: object) -> bool:
    """A twin's text cell against a spreadsheet value from calamine."""
    if expected == "":
        return got == ""
    if is_number(expected):
        return isinstance(got, (int, float)) and float(got) == float(expected)
    return got == expected


def check_no_cached_values(path: Path) -> None:
    """The first sheet of an xlsx holds formulas and not one cached value for them."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    formulas = re.findall(r"<c [^>]*><f>[^<]*</f>(<v ?/>|<v>[^<]*</v>)?</c>", xml)
    assert len(formulas) == 4 * 344, len(formulas)
    assert all(value in ("", "<v />", "<v/>") for value in formulas), set(formulas)


def check() -> list[str]:
    """Check every file against its twin; return notes on the special cells."""
    from python_calamine import CalamineWorkbook

    notes: list[str] = []
    with open(OUT / "MANIFEST.csv", encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        path = OUT / row["file"]
        twin = read_clean(row["twin"])
        assert path.stat().st_size < 150_000, (path.name, path.stat().st_size)
        assert twin[0][-1] and row["x1"] in twin[0] and row["x2"] in twin[0], row
        assert row["label"] in twin[0], row
        if row["encoding"] in ("xlsx", "xls", "ods"):
            book = CalamineWorkbook.from_path(str(path))
            sheet = (book.get_sheet_by_name(row["sheet"]) if row["sheet"]
                     else book.get_sheet_by_index(0))
            cells = sheet.to_python()
            label = f"{path.name} [{sheet.name}]"
            if row["expect"] == "formulas_without_values":
                check_no_cached_values(path)
                notes.append(f"{label}: sheets {book.sheet_names!r}; rows 1-2 {cells[:2]!r}")
                continue
            header_at = 0
            if row["file"].startswith("penguins_report"):
                notes.append(f"{label}: rows 1-5 {cells[:5]!r}")
                notes.append(f"{label}: merged_cell_ranges {sheet.merged_cell_ranges!r}")
                header_at = 3
            table = cells[header_at:]
            assert table[0] == twin[0], (path.name, table[0])
            assert len(table) == len(twin), (path.name, len(table), len(twin))
            for got_row, want_row in zip(table[1:], twin[1:]):
                assert len(got_row) == len(want_row), (path.name, got_row)
                for want, got in zip(want_row, got_row):
                    assert same_cell(want, got), (path.name, want, got)
            notes.append(f"{label}: {len(table) - 1} data rows equal the twin; "
                         f"first data row {table[1]!r}")
            continue
        data = path.read_bytes()
        text = data.decode(row["encoding"])
        if row["file"] == row["twin"]:
            continue
        crlf = data.count(b"\r\n") if row["encoding"] != "utf-16" else text.count("\r\n")
        lines = text.count("\n")
        sep = "\t" if path.suffix == ".txt" else (";" if "_de_" in path.name else ",")
        parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
        if "_de_" in path.name:
            parsed = [parsed[0]] + [
                [c.replace(",", ".") if i in NUMERIC_PENGUIN_COLUMNS else c for i, c in enumerate(r)]
                for r in parsed[1:]]
        assert parsed == twin, path.name
        notes.append(f"{path.name}: {len(data)} bytes, {lines} lines, {crlf} end in CRLF, "
                     f"starts {data[:4].hex(' ')}")
    return notes


if __name__ == "__main__":
    build()
    for note in check():
        print(note[:2000])
