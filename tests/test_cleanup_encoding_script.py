"""Decoding of the common encodings of Chinese and English text; language, script and OpenCC."""
from __future__ import annotations

import codecs

import pytest

from cleanup import clean_source, decode_bytes, detect_language, to_simplified
from cleanup.script import detect_script
from mt.errors import InputError, UserError

ZH = "大连高新区搭建国际化双创平台激活发展新动能。创新是引领发展的第一动力，人才是第一资源。"
ZH_HANT = "大連高新區搭建國際化雙創平臺激活發展新動能。創新是引領發展的第一動力，人才是第一資源。"
EN = "Dalian high tech Zone to promote innovation and Entrepreneurship"


@pytest.mark.parametrize("text, data, encoding", [
    (ZH, ZH.encode("utf-8"), "utf-8"),
    (ZH, codecs.BOM_UTF8 + ZH.encode("utf-8"), "utf-8-sig"),
    (ZH, ZH.encode("utf-16"), "utf-16"),  # with BOM
    (ZH, ZH.encode("utf-16-be").join([codecs.BOM_UTF16_BE, b""]), "utf-16"),
    (ZH, ZH.encode("gb18030"), "gb18030"),
    (ZH, ZH.encode("gbk"), "gb18030"),  # GBK is a subset of GB18030
    (ZH[:6], ZH[:6].encode("gbk"), "gb18030"),  # short text: no statistics to lean on
    (ZH_HANT, ZH_HANT.encode("big5"), "big5"),
    (ZH_HANT[:6], ZH_HANT[:6].encode("big5"), "big5"),
    (EN, EN.encode("ascii"), "utf-8"),
    ("Café crème – “quoted”", "Café crème – “quoted”".encode("cp1252"), "cp1252"),
])
def test_decode_bytes(text, data, encoding):
    assert decode_bytes(data) == (text, encoding)


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"  \n\t\n", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(300), "binary"),
    (bytes(range(1, 32)) * 40, "binary"),
])
def test_decode_bytes_rejects_empty_and_binary(data, words):
    with pytest.raises(InputError) as e:
        decode_bytes(data)
    assert words in str(e.value) and "\n" not in str(e.value)


def test_detect_language_and_script():
    assert detect_language(ZH) == ("zh", "Hans")
    assert detect_language(ZH_HANT) == ("zh", "Hant")
    assert detect_language(EN) == ("en", "Latn")
    assert detect_language("1234 — 5678") == ("unknown", None)
    assert detect_language(ZH + " " + EN * 3)[0] == "mixed"
    assert detect_script("人才") == "Hans"  # shared characters only: nothing to convert


@pytest.mark.parametrize("config, source, expected", [
    ("t2s", "開放中文轉換", "开放中文转换"),
    ("tw2s", "軟體", "软体"),
    ("hk2s", "裏面", "里面"),
    ("s2t", "开放中文转换", "開放中文轉換"),
])
def test_to_simplified_configs(config, source, expected):
    assert to_simplified(source, config) == expected


def test_to_simplified_unknown_config_is_a_user_error():
    with pytest.raises(UserError):
        to_simplified("開放", "x2y")


def test_traditional_paragraph_becomes_simplified_before_mt():
    r = clean_source("大連高新區\n\n" + ZH_HANT, lang="zh")
    assert r.paragraphs == ["大连高新区", ZH]
    assert any(c.stage == "script" and "OpenCC t2s" in c.reason for c in r.changes)
    # configurable, and can be turned off
    assert clean_source(ZH_HANT, lang="zh", script_config=None).paragraphs == [ZH_HANT]


WMT = __import__("pathlib").Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "wmt"


@pytest.mark.skipif(not (WMT / "tatoeba-test-v2021-08-07.zh-en.zho.labels").exists(),
                    reason="../shared/data/wmt (Tatoeba zh-en test set with script labels) is not beside the repository")
def test_script_detection_on_labelled_tatoeba_sentences(capsys):
    zho = (WMT / "tatoeba-test-v2021-08-07.zh-en.zho").read_text(encoding="utf-8").splitlines()
    labels = (WMT / "tatoeba-test-v2021-08-07.zh-en.zho.labels").read_text(encoding="utf-8").splitlines()
    right = total = 0
    for text, label in zip(zho, labels):
        if label not in ("cmn_Hans", "cmn_Hant") or to_simplified(text) == text == to_simplified(text, "s2t"):
            continue  # only sentences whose script shows (some use shared characters only)
        total += 1
        right += detect_script(text) == label[-4:]
    with capsys.disabled():
        print(f"\nTatoeba script detection: {right}/{total} = {right / total:.3f}")
    # some "cmn_Hans" labels sit on sentences written mostly in Traditional characters
    assert total > 1000 and right / total >= 0.95


def test_byte_prefilters_agree_with_the_character_classes():
    """The UTF-8 byte tests before the kana/Hangul and Extension A regexes miss no character of theirs."""
    from cleanup.script import _HAN_EXT_A, _HAN_EXT_A_UTF8, _KANA_OR_HANGUL, _maybe_kana_or_hangul

    for cp in range(0x1000, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        data = ("a" + ch + "b").encode("utf-8")
        assert bool(_HAN_EXT_A.search(ch)) == bool(_HAN_EXT_A_UTF8.search(data)), hex(cp)
        if _KANA_OR_HANGUL.search(ch):
            assert _maybe_kana_or_hangul(data), hex(cp)
