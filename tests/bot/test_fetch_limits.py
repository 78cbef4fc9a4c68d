"""The guarded fetcher's limits over real HTTP on loopback (security-and-reliability.md §2).

Size (declared, chunked, lying Content-Length, gzip bomb with bounded memory),
encodings, time (slow drip, silent server, slow DNS), content types and legacy
charsets, plus the bounded decoder on its own.
"""

from __future__ import annotations

import asyncio
import gzip
import time
import tracemalloc
import zlib

import pytest
import trafilatura

from bot.config import MIB, Settings
from bot.fetch import BoundedDecoder, fetch_page
from bot.outcome import CheckError, Outcome
from tests.servers.article_server import (
    ArticleServer,
    chunked,
    hang,
    raw_response,
    sequence,
    slow_drip,
)
from tests.support.fetch_harness import ARTICLE, FIXTURES, allow, head, refused

# --- §2: resource limits ----------------------------------------------------------------

SMALL_CAP = 256 * 1024


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """~200 KB of gzip that inflates to 200 MiB of zeros (built in steps, never whole)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(MIB)
    return b"".join([packer.compress(zeros) for _ in range(200)] + [packer.flush()])


async def test_declared_length_over_cap_rejected_before_reading(server: ArticleServer, strict: Settings) -> None:
    # Sends 10 bytes of a declared 10 MiB, then hangs: reading would run into the deadline.
    server.add(
        "/huge",
        handler=sequence(
            raw_response(head(Content_Type="text/html", Content_Length="10485760"), b"<html>....", close=False), hang()
        ),
    )
    started = time.monotonic()
    error = await refused(server.url("/huge"), settings=strict, policy=allow(server))
    assert error.outcome is Outcome.TOO_LARGE
    assert time.monotonic() - started < strict.fetch_timeout_s - 1 and server.hits() == 1


async def test_chunked_body_over_cap_rejected(server: ArticleServer, strict: Settings) -> None:
    settings = strict.replace(max_bytes=SMALL_CAP)
    server.add("/stream", handler=chunked(b"<p>" + b"x" * 16_000 + b"</p>" for _ in range(1000)))
    error = await refused(server.url("/stream"), settings=settings, policy=allow(server))
    assert error.outcome is Outcome.TOO_LARGE and server.hits() == 1


async def test_chunked_body_under_cap_accepted(server: ArticleServer, strict: Settings) -> None:
    parts = [b"<html><body>", *[b"<p>part %d</p>" % n for n in range(500)], b"</body></html>"]
    server.add("/stream", handler=chunked(parts))
    page = await fetch_page(server.url("/stream"), settings=strict, policy=allow(server))
    assert page.body == b"".join(parts)


async def test_body_exactly_at_cap_accepted(server: ArticleServer, strict: Settings) -> None:
    settings = strict.replace(max_bytes=SMALL_CAP)
    server.add("/full", b"y" * SMALL_CAP)
    assert len((await fetch_page(server.url("/full"), settings=settings, policy=allow(server))).body) == SMALL_CAP
    server.add("/over", b"y" * (SMALL_CAP + 1))
    assert (await refused(server.url("/over"), settings=settings, policy=allow(server))).outcome is Outcome.TOO_LARGE


async def test_content_length_shorter_than_body_reads_only_declared(server: ArticleServer, strict: Settings) -> None:
    server.add(
        "/lie", handler=raw_response(head(Content_Type="text/html", Content_Length="100"), b"A" * 100 + b"B" * 5000)
    )
    page = await fetch_page(server.url("/lie"), settings=strict, policy=allow(server))
    assert page.body == b"A" * 100


async def test_content_length_longer_than_body_is_fetch_failed(server: ArticleServer, strict: Settings) -> None:
    server.add("/short", handler=raw_response(head(Content_Type="text/html", Content_Length="1000"), b"A" * 10))
    error = await refused(server.url("/short"), settings=strict, policy=allow(server))
    assert error.outcome is Outcome.FETCH_FAILED and server.hits() == 1


async def test_gzip_bomb_rejected_with_bounded_memory(
    server: ArticleServer, strict: Settings, gzip_bomb: bytes
) -> None:
    server.add("/bomb", gzip_bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        error = await refused(server.url("/bomb"), settings=strict, policy=allow(server))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.outcome is Outcome.TOO_LARGE and "decompressed" in (error.detail or "")
    assert peak < 2 * strict.max_bytes, f"peak {peak / MIB:.1f} MiB"
    print(f"gzip bomb: peak traced memory {peak / MIB:.2f} MiB for a {strict.max_bytes / MIB:.0f} MiB cap")


@pytest.mark.parametrize("coding", ["gzip", "x-gzip", "deflate"])
async def test_compressed_article_decoded(coding: str, server: ArticleServer, strict: Settings) -> None:
    packed = gzip.compress(ARTICLE) if "gzip" in coding else zlib.compress(ARTICLE)
    server.add("/z", packed, headers={"Content-Encoding": coding})
    page = await fetch_page(server.url("/z"), settings=strict, policy=allow(server))
    assert page.body == ARTICLE


async def test_raw_deflate_without_zlib_header_decoded(server: ArticleServer, strict: Settings) -> None:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    server.add("/raw", packer.compress(ARTICLE) + packer.flush(), headers={"Content-Encoding": "deflate"})
    assert (await fetch_page(server.url("/raw"), settings=strict, policy=allow(server))).body == ARTICLE


async def test_corrupt_gzip_is_fetch_failed(server: ArticleServer, strict: Settings) -> None:
    server.add("/bad", b"\x1f\x8b\x08\x00garbage-garbage-garbage", headers={"Content-Encoding": "gzip"})
    assert (await refused(server.url("/bad"), settings=strict, policy=allow(server))).outcome is Outcome.FETCH_FAILED


@pytest.mark.parametrize(
    "encoding", ["gzip, gzip, gzip, gzip, gzip, gzip", "gzip, deflate", "zstd", "br", "x-foo", "compress"]
)
async def test_stacked_or_unknown_encodings_rejected(encoding: str, server: ArticleServer, strict: Settings) -> None:
    body = ARTICLE
    for _ in encoding.split(","):
        body = gzip.compress(body)
    server.add("/enc", body, headers={"Content-Encoding": encoding})
    error = await refused(server.url("/enc"), settings=strict, policy=allow(server))
    assert error.outcome is Outcome.NOT_ARTICLE and "encoding" in (error.detail or "")
    assert server.hits() == 1


async def test_redirect_body_bomb_never_decoded(server: ArticleServer, strict: Settings, gzip_bomb: bytes) -> None:
    server.add("/moved", gzip_bomb, status=302, headers={"Location": "/article", "Content-Encoding": "gzip"})
    server.add("/moved-odd", gzip_bomb, status=301, headers={"Location": "/article", "Content-Encoding": "x-foo, br"})
    for path in ("/moved", "/moved-odd"):
        page = await fetch_page(server.url(path), settings=strict, policy=allow(server))
        assert page.body == ARTICLE and page.redirects == (server.url("/article"),)


async def test_slow_drip_aborted_at_deadline(server: ArticleServer, strict: Settings) -> None:
    settings = strict.replace(fetch_timeout_s=1.5)
    server.add("/drip", handler=slow_drip(interval=0.25, total=60))
    started = time.monotonic()
    error = await refused(server.url("/drip"), settings=settings, policy=allow(server))
    elapsed = time.monotonic() - started
    assert error.outcome is Outcome.TOO_SLOW
    assert 1.0 <= elapsed < 1.5 + 2  # whole-fetch deadline, although every byte came within the read timeout


async def test_no_headers_times_out(server: ArticleServer, strict: Settings) -> None:
    settings = strict.replace(fetch_timeout_s=1.5)
    server.add("/silent", handler=hang())
    started = time.monotonic()
    error = await refused(server.url("/silent"), settings=settings, policy=allow(server))
    assert error.outcome is Outcome.TOO_SLOW and time.monotonic() - started < 1.5 + 2


async def test_slow_dns_counts_against_the_deadline(strict: Settings) -> None:
    async def stuck(host: str, port: int) -> list[str]:
        await asyncio.sleep(30)
        return ["127.0.0.1"]

    settings = strict.replace(fetch_timeout_s=0.5)
    error = await refused("http://slow-dns.example/", settings=settings, resolver=stuck)
    assert error.outcome is Outcome.TOO_SLOW


# --- content types and charsets ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "detail"),
    [
        ("application/pdf", "application/pdf"),
        ("image/png", "image/png"),
        ("text/html, image/png", "several content types"),
        (None, "no content type"),
        ("application/json; charset=utf-8", "application/json"),
        ("<!channel>/x", "unknown content type"),
    ],
)
async def test_non_article_types_rejected(
    content_type: str | None, detail: str, server: ArticleServer, strict: Settings
) -> None:
    server.add("/file", b"%PDF-1.7 ...", content_type=content_type)
    error = await refused(server.url("/file"), settings=strict, policy=allow(server))
    assert error.outcome is Outcome.NOT_ARTICLE and error.detail == detail
    assert server.hits() == 1


async def test_two_content_type_headers_rejected(server: ArticleServer, strict: Settings) -> None:
    # head() cannot repeat a header name, so the lines are written by hand.
    server.add(
        "/two",
        handler=raw_response(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Type: image/png\r\nContent-Length: 5\r\n\r\n",
            b"hello",
        ),
    )
    error = await refused(server.url("/two"), settings=strict, policy=allow(server))
    assert error.outcome is Outcome.NOT_ARTICLE


@pytest.mark.parametrize(
    ("content_type", "media", "charset"),
    [
        ("application/xhtml+xml", "application/xhtml+xml", None),
        ("text/plain; charset=ISO-8859-1", "text/plain", "ISO-8859-1"),
        ('TEXT/HTML; Charset="Windows-1251"', "text/html", "Windows-1251"),
    ],
)
async def test_article_types_accepted(
    content_type: str, media: str, charset: str | None, server: ArticleServer, strict: Settings
) -> None:
    server.add("/ok", ARTICLE, content_type=content_type)
    page = await fetch_page(server.url("/ok"), settings=strict, policy=allow(server))
    assert (page.content_type, page.charset) == (media, charset)


@pytest.mark.parametrize(
    ("fixture", "header_charset", "title"),
    [
        ("shift_jis.html", "Shift_JIS", "東京の天気予報"),
        ("shift_jis.html", "utf-8", "東京の天気予報"),  # mislabelled: header says UTF-8, bytes are SJIS
        ("koi8_r.html", "koi8-r", "Погода в Москве"),
        ("koi8_r_no_meta.html", "unknown", "Погода в Москве"),
    ],
)
async def test_legacy_charsets_come_back_as_bytes(
    fixture: str, header_charset: str, title: str, server: ArticleServer, strict: Settings
) -> None:
    raw = (FIXTURES / fixture).read_bytes()
    server.add("/page", raw, content_type=f"text/html; charset={header_charset}")
    page = await fetch_page(server.url("/page"), settings=strict, policy=allow(server))
    assert page.body == raw and page.charset == header_charset
    extracted = await asyncio.to_thread(trafilatura.bare_extraction, page.body, with_metadata=True)
    assert extracted.title == title and title in extracted.text


# --- the bounded decoder on its own ---------------------------------------------------------


@pytest.mark.parametrize("chunk_size", [1, 7, 4096, 1 << 20])
@pytest.mark.parametrize("packer", ["gzip", "zlib", "raw"])
def test_bounded_decoder_round_trips_any_chunking(chunk_size: int, packer: str) -> None:
    original = b"".join(b"line %d of a very repetitive article\n" % (n % 50) for n in range(60_000))  # ~2 MiB
    wbits = {"gzip": 31, "zlib": 15, "raw": -15}[packer]
    squeezer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    packed = squeezer.compress(original) + squeezer.flush()
    coding = "gzip" if packer == "gzip" else "deflate"
    decoder = BoundedDecoder(coding=coding, cap=len(original))
    for start in range(0, len(packed), chunk_size):
        decoder.feed(packed[start : start + chunk_size])
    assert decoder.finish() == original
    over = BoundedDecoder(coding=coding, cap=len(original) - 1)
    with pytest.raises(CheckError) as caught:
        over.feed(packed)
        over.finish()
    assert caught.value.outcome is Outcome.TOO_LARGE


def test_bounded_decoder_never_returns_more_than_a_step() -> None:
    zeros = zlib.compress(bytes(8 * MIB), 9)
    decoder = BoundedDecoder(coding="deflate", cap=16 * MIB)
    decoder.feed(zeros)
    body = decoder.finish()
    assert body == bytes(8 * MIB)
    assert max(len(chunk) for chunk in decoder._chunks) <= 64 * 1024  # noqa: SLF001 (the bound under test)
