"""Finding a table's text encoding (logit.encodings): certain only when right, never silent mojibake."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logit import DataError
from logit.encodings import CHOICES, codec_of, decode, encoding_name

# Words a teacher's table holds, in the language each code page is for (headers and labels).
WORDS = {
    "gb18030": "身高 体重 性别 男 女 年龄 成绩 通过 未通过 学生 班级 数学 分数 花瓣 长度 宽度 品种 是 否 阳性 阴性 "
               "良性 恶性 温度 湿度 下雨 晴天 价格 面积 城市 企鹅 喙长 毫米 雄 雌 岛屿".split(),
    "cp950": "身高 體重 性別 男 女 年齡 成績 通過 學生 班級 數學 分數 花瓣 長度 寬度 品種 是 否 陽性 陰性 良性 惡性 "
             "溫度 濕度 價格 面積 城市 企鵝 喙長 毫米 雄 雌 島嶼".split(),
    "cp932": "身長 体重 性別 男性 女性 年齢 成績 合格 不合格 学生 クラス 数学 点数 花びら 長さ 幅 品種 はい いいえ "
             "陽性 陰性 良性 悪性 気温 湿度 価格 面積 オス メス ペンギン くちばし".split(),
    "cp1252": "größe gewicht männlich weiblich länge breite höhe température élève français oui non été hiver "
              "año niño señal café résumé Übung Öl Äpfel Körpermasse Schnabellänge Espèce Île mâle "
              "femelle Adélie Zügelpinguin".split(),
}
ASCII_WORDS = "x1 x2 y label class id score".split()


@st.composite
def tables(draw, codec: str) -> str:
    """A small CSV table whose header and labels mix words of ``codec``'s language with ASCII ones."""
    vocabulary = WORDS[codec] + ASCII_WORDS
    header = draw(st.lists(st.sampled_from(vocabulary), min_size=3, max_size=3, unique=True))
    labels = draw(st.lists(st.sampled_from(vocabulary), min_size=2, max_size=2, unique=True))
    rows = draw(st.lists(st.tuples(st.integers(0, 999), st.integers(0, 999), st.sampled_from(labels)),
                         min_size=2, max_size=12))
    return "\r\n".join([",".join(header), *(f"{a},{b},{label}" for a, b, label in rows)]) + "\r\n"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(WORDS)).flatmap(lambda codec: st.tuples(st.just(codec), tables(codec))))
def test_a_certain_answer_is_the_right_one(codec_and_text):
    codec, text = codec_and_text
    decoded = decode(text.encode(codec))
    if decoded.certain:
        assert decoded.text == text
    else:
        assert decoded.alternatives, "an uncertain answer names the others it weighed"


@pytest.mark.parametrize("codec", sorted(WORDS))
def test_a_table_with_a_few_words_of_its_language_is_read_with_certainty(codec):
    words = WORDS[codec]
    text = ",".join(words[:3]) + "\r\n" + "".join(f"{i},{i * 2},{words[3 + i % 2]}\r\n" for i in range(20))
    decoded = decode(text.encode(codec))
    assert (decoded.text, decoded.encoding, decoded.certain) == (text, codec, True)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_some_text_and_never_raise(data):
    decoded = decode(data)
    assert isinstance(decoded.text, str)
    assert decoded.certain or decoded.encoding not in ("utf-8", "utf-16")


def test_a_byte_order_mark_or_valid_utf8_is_certain():
    text = "身高,体重,性别\n170,60,男\n"
    for data, codec in ((codecs.BOM_UTF8 + text.encode(), "utf-8"), (text.encode(), "utf-8"),
                        (text.encode("utf-16"), "utf-16"), (codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "utf-16")):
        assert decode(data) == type(decode(data))(text, codec, True, ())


def test_a_label_alone_is_too_little_to_be_sure_and_says_what_else_it_could_be():
    decoded = decode("x1,x2,y\r\n1,2,男\r\n3,4,女\r\n".encode("gbk"))
    assert not decoded.certain
    assert "cp950" in decoded.alternatives


def test_windows_1252_and_latin_1_are_one_answer_where_they_agree():
    decoded = decode("name,x,y\r\ncafé,1,2\r\nthé,3,4\r\n".encode("latin-1"))
    assert decoded.certain and decoded.text.startswith("name,x,y\r\ncafé")


def test_a_chosen_encoding_is_used_as_it_is():
    data = "x1,x2,y\r\n1,2,男\r\n3,4,女\r\n".encode("gbk")
    assert decode(data, "GBK").text == "x1,x2,y\r\n1,2,男\r\n3,4,女\r\n"
    assert decode(data, "cp950").text != decode(data, "gbk").text  # what the user asked for, mojibake or not


def test_a_chosen_encoding_that_cannot_read_the_bytes_says_where():
    with pytest.raises(DataError) as caught:
        decode("x1,x2,y\n1,2,größe\n".encode("cp1252"), "utf-8")
    assert caught.value.code == "wrong_encoding"
    assert caught.value.details["line"] == 2 and caught.value.details["byte"] == "0xF6"


@pytest.mark.parametrize("name, codec", [("UTF-8", "utf-8"), ("gbk", "gbk"), ("Big5", "cp950"), ("Shift-JIS", "cp932"),
                                         ("shift_jis", "shift_jis"), ("Windows-1252", "cp1252"), ("latin1", "latin-1")])
def test_people_name_encodings_in_many_ways(name, codec):
    assert codecs.lookup(codec_of(name)).name == codecs.lookup(codec).name


def test_an_unknown_encoding_is_refused_with_the_choices():
    with pytest.raises(DataError) as caught:
        codec_of("klingon")
    assert caught.value.code == "unknown_encoding" and "gb18030" in caught.value.details["choices"]


def test_every_choice_has_a_name_for_people_and_is_a_codec():
    for codec in CHOICES:
        assert codecs.lookup(codec) and encoding_name(codec) == CHOICES[codec]
