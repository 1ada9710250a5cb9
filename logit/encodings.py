"""Which text encoding a table was saved in, and its text.

Spreadsheet programs save "CSV" in the computer's legacy code page unless told otherwise:
GBK in Simplified Chinese Windows, Big5 in Traditional Chinese, Shift-JIS in Japanese,
Windows-1252 in Western European and American ones. Excel's "CSV UTF-8" starts with a byte
order mark (BOM) and its "Unicode text" is UTF-16 with a BOM.

:func:`decode` settles what it can with certainty (a BOM, valid UTF-8). Otherwise it reads the
file in each of those code pages and asks which reading is the most likely text. The legacy
standards list their frequent characters apart from their rare ones (GB2312 level 1 before
level 2, Big5's frequent block before its less frequent one, JIS X 0208 level 1 before level
2), and a wrong code page turns real words into rare characters, or into accented letters in
places no language puts them. Each reading gets a log-likelihood under a simple model of its
code page (how often real text uses each block, spread evenly over the block's characters);
the best reading is certain when it beats every other by :data:`CERTAIN_NATS`. Only the
distinct non-ASCII cells are read: the rest of a table (digits, delimiters) says nothing about
the encoding, and a long file repeats the same labels. When no code page of ours reads the
text plausibly (Cyrillic, Korean, …), charset-normalizer, a maintained general detector,
names the encoding.

charset-normalizer is not the first judge because on tables it can be wrong with confidence:
on a GBK copy of the penguin data (344 rows) it answers EUC-JIS-2004.

When two code pages read the file about equally well, the result says so (``certain=False``)
and names the others, so that the caller can say which encoding was used and how to choose
another.
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer

from logit.errors import DataError

# The encodings a user can choose between, with their names for people.
# Detection tries the code pages among them (the Windows variants, which extend the standards).
CHOICES: dict[str, str] = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "gb18030": "GB18030 / GBK",
    "cp950": "Big5",
    "cp932": "Shift-JIS",
    "cp1252": "Windows-1252",
    "latin-1": "ISO-8859-1 (Latin-1)",
}
CODE_PAGES = ("gb18030", "cp950", "cp932", "cp1252", "latin-1")
# Distinct non-ASCII cells looked at, at most.
SAMPLE_FIELDS = 2_000
# The best reading is certain when it is this much more likely than any other (e^8 ≈ 3,000 : 1).
CERTAIN_NATS = 8.0
# Below this share of plausible non-ASCII characters, no code page of ours fits: ask charset-normalizer.
PLAUSIBLE_SHARE = 0.8
# A field of a table: the bytes between delimiters, quotes and line ends. These bytes are
# below 0x40, where no double-byte code page puts the second byte of a character.
_NON_ASCII_FIELD = re.compile(rb'[^,;\t\r\n"]*[\x80-\xff][^,;\t\r\n"]*')
# Symbols of Windows-1252 that real tables use (units, currency, typography).
_COMMON_SYMBOLS = frozenset("°µ€£¥¢§©®±×÷²³¹½¼¾·–—‘’‚“”„«»…‰¿¡•™")
# The model of each code page: for each block of its characters, the share of real text's
# non-ASCII characters that fall in it, and how many characters it has. The shares are
# rough; what decides is that they differ by orders of magnitude between the blocks.
_BLOCKS: dict[str, dict[str, tuple[float, int]]] = {
    "gb18030": {"symbols": (0.10, 282), "frequent": (0.79, 3755), "rare": (0.08, 3008),
                "other scripts": (0.01, 564), "outside the standard": (0.02, 22_000),
                "inside a Latin word": (0.001, 20_000)},
    "cp950": {"symbols": (0.10, 408), "frequent": (0.79, 5401), "rare": (0.08, 7652),
              "other scripts": (0.01, 400), "outside the standard": (0.02, 1000),
              "inside a Latin word": (0.001, 20_000)},
    "cp932": {"symbols": (0.45, 700), "frequent": (0.45, 2965), "rare": (0.07, 3390),
              "half-width": (0.01, 63), "outside the standard": (0.02, 800),
              "inside a Latin word": (0.001, 20_000)},
    "cp1252": {"in place": (0.97, 95), "out of place": (0.03, 28)},
    "latin-1": {"in place": (0.97, 95), "out of place": (0.03, 32), "control": (1e-6, 32)},
}
_PLAUSIBLE = frozenset({"symbols", "frequent", "rare", "in place"})
# Every model gives half the characters to ASCII, spread over its 95 printable characters.
_ASCII_LOG_P = math.log(0.5 / 95)


@dataclass(frozen=True)
class Decoded:
    """A file's text and how it was read.

    Attributes
    ----------
    text : str
        The whole text, without a byte order mark.
    encoding : str
        The codec used (a key of :data:`CHOICES` when detected).
    certain : bool
        False when other encodings read the file about as well.
    alternatives : tuple of str
        Those other encodings, best first (empty when certain).
    """

    text: str
    encoding: str
    certain: bool = True
    alternatives: tuple[str, ...] = ()


def encoding_name(encoding: str) -> str:
    """The name people know an encoding by: ``"cp950"`` → ``"Big5"``."""
    return CHOICES.get(encoding, encoding)


def codec_of(name: str) -> str:
    """The codec a user's name for an encoding means (``"GBK"``, ``"big5"``, ``"UTF-8"``).

    Raises
    ------
    DataError
        ``unknown_encoding`` when Python knows no such encoding.
    """
    wanted = name.strip()
    for codec, shown in CHOICES.items():
        if wanted.casefold() in (codec, shown.casefold()):
            return codec
    try:
        return codecs.lookup(wanted).name
    except (LookupError, ValueError):
        raise DataError("unknown_encoding", encoding=repr(name), choices=", ".join(CHOICES)) from None


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """The text of ``data``, in ``encoding`` or the one detected.

    Parameters
    ----------
    data : bytes
        A whole file.
    encoding : str or None
        A codec name the user chose (see :func:`codec_of`); None detects it.

    Returns
    -------
    Decoded

    Raises
    ------
    DataError
        ``unknown_encoding``; ``wrong_encoding`` when the chosen encoding cannot read the bytes.
    """
    if encoding is not None:
        return _decode_as(data, codec_of(encoding))
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _decode_as(data, codec)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    return _detect(data)


def _decode_as(data: bytes, codec: str) -> Decoded:
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return Decoded(data.decode(codec), codec)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DataError("wrong_encoding", encoding=encoding_name(codec), line=line,
                        byte=f"0x{data[error.start]:02X}") from None


def _detect(data: bytes) -> Decoded:
    """The most likely reading of bytes that are not UTF-8."""
    sample = _sample(data)
    readings: dict[str, str] = {}
    for codec in CODE_PAGES:
        try:
            readings[codec] = sample.decode(codec)
        except UnicodeDecodeError:
            continue
    scores = {codec: log_likelihood(text, codec) for codec, text in readings.items()}
    ranked = sorted(scores, key=lambda codec: -scores[codec])  # stable: CODE_PAGES order on ties
    best = next((codec for codec in ranked if _reads(data, codec)), None)
    if best is None or plausible_share(readings[best], best) < PLAUSIBLE_SHARE:
        general = _general_detector(data, exclude=set(readings))
        if general is not None:
            return general
    if best is None:
        return Decoded(data.decode("latin-1"), "latin-1", False)  # decodes any bytes
    # Readings that give the same text are the same answer (cp1252 and Latin-1 agree on most bytes).
    others = [codec for codec in ranked if codec != best and readings[codec] != readings[best]]
    certain = all(scores[best] - scores[other] >= CERTAIN_NATS for other in others)
    return Decoded(data.decode(best), best, certain, () if certain else tuple(others))


def _reads(data: bytes, codec: str) -> bool:
    """Whether ``codec`` decodes the whole file (the sample may have missed a byte it lacks)."""
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _general_detector(data: bytes, exclude: set[str]) -> Decoded | None:
    """charset-normalizer's answer when it is an encoding our models do not cover."""
    best = charset_normalizer.from_bytes(data[: 1 << 20]).best()
    if best is None:
        return None
    codec = codecs.lookup(best.encoding).name
    if codec in {codecs.lookup(c).name for c in exclude} or not _reads(data, codec):
        return None
    return Decoded(data.decode(codec), codec, False, tuple(exclude & set(CODE_PAGES)))


def _sample(data: bytes) -> bytes:
    """The distinct fields holding a non-ASCII byte, one per line, in order of appearance."""
    fields: dict[bytes, None] = {}
    for match in _NON_ASCII_FIELD.finditer(data):
        fields.setdefault(match.group(), None)
        if len(fields) >= SAMPLE_FIELDS:
            break
    return b"\n".join(fields)


def log_likelihood(text: str, codec: str) -> float:
    """log P(text) under the model of ``codec``'s code page (see the module's docstring)."""
    total = 0.0
    for position, char in enumerate(text):
        if ord(char) < 0x80:
            total += _ASCII_LOG_P
        else:
            share, size = _BLOCKS[codec][block_of(text, position, codec)]
            total += math.log(0.5 * share / size)
    return total


def plausible_share(text: str, codec: str) -> float:
    """The share of the non-ASCII characters of ``text`` that real text in ``codec`` would use (1 if none)."""
    blocks = [block_of(text, position, codec) for position, char in enumerate(text) if ord(char) >= 0x80]
    return sum(block in _PLAUSIBLE for block in blocks) / len(blocks) if blocks else 1.0


def block_of(text: str, position: int, codec: str) -> str:
    """Which block of ``codec``'s model the non-ASCII character ``text[position]`` falls in."""
    if codec in ("cp1252", "latin-1"):
        if unicodedata.category(text[position]) == "Cc":
            return "control"  # Latin-1's reading of Windows-1252's € “ ” …: no text holds these
        return "in place" if _in_place(text, position) else "out of place"
    if _inside_latin_word(text, position):
        return "inside a Latin word"  # "Gr鲔e": a wrong reading of an accented letter
    standard = {"gb18030": "gb2312", "cp950": "big5", "cp932": "shift_jis"}[codec]
    try:
        first, *rest = text[position].encode(standard)
    except UnicodeEncodeError:
        return "outside the standard"  # an extension: rare characters and private use
    if codec == "gb18030":  # rows A1–A3 symbols, A4–A9 kana, Greek, Cyrillic…, B0–D7 level 1, D8–F7 level 2
        return "symbols" if first <= 0xA3 else "other scripts" if first < 0xB0 else (
            "frequent" if first <= 0xD7 else "rare")
    if codec == "cp950":  # A140–A3BF symbols, A440–C67E frequent, C6A1–C8FE kana…, C940–F9D5 less frequent
        second = rest[0]
        if first <= 0xA3:
            return "symbols"
        if first < 0xC6 or (first == 0xC6 and second <= 0x7E):
            return "frequent"
        return "other scripts" if first < 0xC9 else "rare"
    if not rest:  # Shift-JIS: A1–DF half-width katakana, 81–84 symbols and kana, 889F–9872 level 1
        return "half-width"
    if first <= 0x84:
        return "symbols"
    return "frequent" if (first, rest[0]) <= (0x98, 0x72) else "rare"


def _inside_latin_word(text: str, position: int) -> bool:
    before = text[position - 1] if position > 0 else ""
    after = text[position + 1] if position + 1 < len(text) else ""
    return before.isascii() and before.isalpha() and after.isascii() and after.isalpha()


def _in_place(text: str, position: int) -> bool:
    """A symbol tables use, or an accented letter where European words have them: in lower case, or a
    capital that starts a word or stands in an all-capital word; in a word with at least as many
    plain letters (one accented letter alone is a word too: "à")."""
    char = text[position]
    if char in _COMMON_SYMBOLS:
        return True
    if not char.isalpha() or not unicodedata.name(char, "").startswith("LATIN"):
        return False
    start = position
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    end = position + 1
    while end < len(text) and text[end].isalpha():
        end += 1
    word = text[start:end]
    plain = sum(letter.isascii() for letter in word)
    if len(word) - plain > max(1, plain):
        return False
    return char.islower() or start == position or word.isupper()
