"""Decoding by the WHATWG Encoding Standard's labels only; binary input refused as text."""

from __future__ import annotations

import random

import pytest

from bot.decode import decode_html, decode_text, whatwg_encoding
from bot.outcome import CheckError, Outcome
from tests.support.hostile_pages import punycode_charset

ARTICLE = "Le budget du port a été approuvé à l'unanimité mardi, selon le maire. " * 20


@pytest.mark.parametrize("where", ["header", "meta"])
def test_a_punycode_page_is_read_as_utf8(where: str) -> None:
    # The real 5 MB payload: decoding it as punycode would take hours (the pytest timeout fails first).
    page = punycode_charset(where=where)
    charset = "punycode" if where == "header" else None
    text = decode_html(page.body, charset)
    assert len(text) == len(page.body) and text.startswith("<!DOCTYPE html>") and text.endswith("aaaa")


@pytest.mark.parametrize("label", ["punycode", "utf-7", "rot13", "idna", "unicode_escape", "zlib", "hex", "bogus"])
def test_labels_the_standard_does_not_name_are_ignored(label: str) -> None:
    assert whatwg_encoding(label) is None
    body = f"<html><head><meta charset='{label}'></head><body><p>{ARTICLE}</p></body></html>".encode()
    assert ARTICLE in decode_html(body, label)


@pytest.mark.parametrize(
    ("label", "name"),
    [("latin1", "windows-1252"), ("ISO-8859-1", "windows-1252"), (" utf8 ", "utf-8"), ("sjis", "shift_jis")],
)
def test_the_standards_labels_map_to_its_encodings(label: str, name: str) -> None:
    encoding = whatwg_encoding(label)
    assert encoding is not None and encoding.name == name


def test_replacement_labels_and_user_defined_do_not_break_decoding() -> None:
    assert whatwg_encoding("iso-2022-kr") is None  # the Standard's "replacement": read as unlabelled
    body = ARTICLE.encode("utf-8")
    assert decode_html(body, "iso-2022-kr") == ARTICLE
    assert decode_html(b"<meta charset=x-user-defined>caf\xe9", None).endswith("café")  # as windows-1252


def test_a_byte_order_mark_wins_over_labels() -> None:
    body = "\ufeff<p>Grüße</p>".encode("utf-16-le")
    assert decode_html(body, "windows-1252").endswith("<p>Grüße</p>")


def test_text_in_a_legacy_encoding_is_detected() -> None:
    assert decode_text(ARTICLE.encode("latin-1")) == ARTICLE
    assert decode_text(ARTICLE.encode("utf-8")) == ARTICLE


@pytest.mark.parametrize(
    "data",
    [random.Random(7).randbytes(20_000), b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, b"ELF\x00\x01" * 100],
    ids=["random", "png", "nul-bytes"],
)
def test_binary_data_is_not_text(data: bytes) -> None:
    with pytest.raises(CheckError) as caught:
        decode_text(data)
    assert caught.value.outcome is Outcome.NOT_TEXT
    assert caught.value.outcome.is_target_problem
