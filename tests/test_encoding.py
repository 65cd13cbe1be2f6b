"""crawler.encoding.decode_html: one case per test, each a tiny page."""

from __future__ import annotations

import codecs

from crawler.encoding import declared_charset, decode_html, normalize_charset

TEXT = "泉州市委书记朱镕基调研，（记者 张三）"


def page(charset: str | None = None, text: str = TEXT) -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f"<html><head>{meta}<title>{text}</title></head><body><p>{text}</p></body></html>"


def test_gbk_page_with_utf8_http_header_is_detected():
    body = page("gbk").encode("gbk")
    text, encoding = decode_html(body, http_charset="utf-8")
    assert encoding == "gb18030"
    assert TEXT in text


def test_gbk_page_without_any_declaration():
    text, encoding = decode_html(page().encode("gbk"))
    assert encoding == "gb18030"
    assert TEXT in text


def test_gb2312_declaration_decodes_gbk_only_characters():
    # 镕 is in GBK but not in GB2312: a strict gb2312 decoder would fail on it.
    text, encoding = decode_html(page("gb2312").encode("gb18030"))
    assert encoding == "gb18030"
    assert "朱镕基" in text


def test_utf8_page_declared_gb2312():
    text, encoding = decode_html(page("gb2312").encode("utf-8"))
    assert encoding == "utf-8"
    assert TEXT in text


def test_short_utf8_text_that_also_decodes_as_gbk_stays_utf8():
    body = "中文".encode()
    assert body.decode("gb18030") != "中文"  # the trap: it decodes cleanly, to the wrong text
    assert decode_html(body, http_charset="gbk") == ("中文", "utf-8")


def test_http_charset_agreeing_with_bytes_wins_over_meta():
    body = page("utf-8").encode("gb18030")
    text, encoding = decode_html(body, http_charset="GBK")
    assert encoding == "gb18030"
    assert TEXT in text


def test_latin1_http_default_is_not_trusted():
    text, encoding = decode_html(page("gbk").encode("gbk"), http_charset="ISO-8859-1")
    assert encoding == "gb18030"
    assert TEXT in text


def test_broken_bytes_in_gbk_page_do_not_raise_and_keep_the_rest():
    body = page("gbk", TEXT * 20).encode("gbk")
    broken = body[:200] + b"\xff\xfe\x81" + body[200:]
    text, encoding = decode_html(broken)
    assert encoding == "gb18030"
    assert TEXT in text


def test_broken_bytes_in_utf8_page_do_not_raise():
    body = page("utf-8", TEXT * 20).encode("utf-8")
    text, encoding = decode_html(body[:150] + b"\xc3\x28\xa0" + body[150:])
    assert encoding == "utf-8"
    assert TEXT in text


def test_garbage_does_not_raise():
    text, encoding = decode_html(bytes(range(256)) * 3, http_charset="no-such-charset")
    assert isinstance(text, str)
    assert encoding


def test_empty_body():
    assert decode_html(b"") == ("", "utf-8")


def test_utf8_bom():
    text, encoding = decode_html(codecs.BOM_UTF8 + page("gbk").encode("utf-8"), http_charset="gbk")
    assert encoding == "utf-8"
    assert text.startswith("<html>")


def test_utf16_bom():
    text, encoding = decode_html(codecs.BOM_UTF16_LE + page().encode("utf-16-le"))
    assert encoding == "utf-16-le"
    assert TEXT in text


def test_meta_charset_attribute_form():
    assert declared_charset(b'<html><head><meta charset="GB2312"></head>') == "gb18030"


def test_xml_declaration():
    assert declared_charset(b'<?xml version="1.0" encoding="gbk"?><html/>') == "gb18030"


def test_normalize_charset_aliases():
    assert normalize_charset("GBK") == "gb18030"
    assert normalize_charset("x-gbk") == "gb18030"
    assert normalize_charset("UTF8") == "utf-8"
    assert normalize_charset("big5") == "big5hkscs"
    assert normalize_charset("no-such-charset") is None
    assert normalize_charset(None) is None


def test_a_sites_hint_decides_bytes_that_decode_either_way():
    # Big5 bytes are also valid GB18030: with no declaration they read as gb18030 nonsense.
    body = page(text="遼寧沿海經濟帶").encode("big5")
    assert "遼寧沿海經濟帶" not in decode_html(body)[0]
    text, encoding = decode_html(body, hint="big5")
    assert encoding == "big5hkscs" and "遼寧沿海經濟帶" in text


def test_a_hint_the_bytes_contradict_is_not_taken():
    text, encoding = decode_html(page("gb2312").encode("gbk"), hint="utf-8")
    assert encoding == "gb18030" and TEXT in text
