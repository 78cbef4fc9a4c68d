import pytest

from bot.extract import (
    clean_text,
    decode_html,
    extract_file,
    extract_html,
    extract_text,
)
from bot.outcome import CheckError, Outcome
from tests.support.paths import REPO

PARA = "The council approved a budget of $12 million for the harbor on Tuesday after a long debate. " * 3


def page(body: str, head: str = "<title>Harbor budget approved</title>") -> bytes:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>".encode()


def test_metadata_text_paragraphs_and_links_with_offsets():
    html = page(
        f"<h1>Harbor budget approved</h1><p>{PARA}</p>"
        '<p>The figure comes from <a href="https://council.example/minutes">the council minutes</a> published Wednesday.</p>',
        head='<title>Harbor budget approved</title><meta name="author" content="Ann Lee">'
        '<meta property="article:published_time" content="2026-01-02">',
    )
    article = extract_html(html, url="https://paper.example/a")
    assert article.title == "Harbor budget approved"
    assert article.author == "Ann Lee"
    assert article.published == "2026-01-02"
    assert article.language == "en"
    assert not article.text.startswith("Harbor budget approved")  # headline is metadata
    assert len(article.paragraphs) == 2
    (link,) = article.links
    assert link.url == "https://council.example/minutes"
    assert article.text[link.start : link.end] == "the council minutes" == link.anchor
    assert link.sentence.startswith("The figure comes from")
    for para in article.paragraphs:
        assert article.text[para.start : para.end].strip() == article.text[para.start : para.end]
    assert len(article.content_hash) == 64


def test_invisible_characters_are_stripped():
    assert clean_text("ig\u200bnore\u202e this\U000e0041") == "ignore this"


def test_empty_and_boilerplate_pages_have_no_article():
    with pytest.raises(CheckError) as err:
        extract_html(b"")
    assert err.value.outcome is Outcome.NO_ARTICLE_TEXT
    with pytest.raises(CheckError) as err:
        extract_html(page("<nav>Home | About</nav>"))
    assert err.value.outcome is Outcome.NO_ARTICLE_TEXT


def test_paywall_page_is_named_as_such():
    html = page(
        "<p>Subscribe to continue reading this story.</p>",
        head='<script type="application/ld+json">{"isAccessibleForFree": "False"}</script>',
    )
    with pytest.raises(CheckError) as err:
        extract_html(html)
    assert err.value.outcome is Outcome.PAYWALL


@pytest.mark.parametrize("encoding", ["shift_jis", "koi8-r", "cp1252"])
def test_declared_and_meta_charsets(encoding):
    words = {
        "shift_jis": "港の予算が承認された。" * 30,
        "koi8-r": "Бюджет гавани утверждён. " * 20,
        "cp1252": "Le budget du port a été approuvé à l'unanimité. " * 10,
    }[encoding]
    html = f'<html><head><meta charset="{encoding}"><title>t</title></head><body><p>{words}</p></body></html>'
    body = html.encode(encoding)
    assert words.split()[0] in decode_html(body)  # via the meta tag
    assert words.split()[0] in decode_html(body, encoding)  # via the header
    assert words.split()[0] in decode_html(body, "utf-8")  # mislabelled: utf-8 fails strictly, meta wins
    assert words.split()[0] in decode_html(body, "x-unknown-charset")


def test_plain_text_takes_first_short_line_as_title():
    article = extract_text("Bridge costs soar\n\nThe bridge will cost $4 billion, twice the estimate.\nSecond line.")
    assert article.title == "Bridge costs soar"
    assert article.text == "The bridge will cost $4 billion, twice the estimate.\nSecond line."
    assert [article.text[p.start : p.end] for p in article.paragraphs] == [
        "The bridge will cost $4 billion, twice the estimate.",
        "Second line.",
    ]


def test_short_pasted_text_is_refused():
    with pytest.raises(CheckError) as err:
        extract_text("hi")
    assert err.value.outcome is Outcome.NO_ARTICLE_TEXT


def test_local_files(tmp_path):
    article = extract_file(REPO / "examples" / "harbor-bridge.html")
    assert article.site_name == "The Riverside Ledger"
    assert "fictional" in article.text.lower()
    assert any(link.url.endswith("/budget/2026") for link in article.links)
    with pytest.raises(CheckError) as err:
        extract_file(tmp_path / "missing.html")
    assert err.value.outcome is Outcome.FILE_NOT_FOUND
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(CheckError) as err:
        extract_file(pdf)
    assert err.value.outcome is Outcome.NOT_ARTICLE


def test_language_detected_from_the_text_not_only_the_template():
    french = (
        "<p>" + "Le conseil municipal a approuvé mardi un budget de 12 millions d'euros pour le port. " * 5 + "</p>"
    )
    article = extract_html(
        f'<html lang="en"><head><title>Port</title></head><body><article>{french}</article></body></html>'.encode()
    )
    assert article.language == "fr"  # the lang attribute was left at the template's default
    assert (
        extract_text("Der Stadtrat hat am Dienstag einen Haushalt von 12 Millionen Euro beschlossen.").language == "de"
    )
    assert extract_text("12345 67890 12345 67890 12345").language is None


def test_dates_come_from_the_markup_without_loading_dateparser():
    """htmldate's extensive search loads dateparser's 205 locales as pages need them (40-100 ms of CPU on a
    new page, 43 MB a process): the published date is read from the page's markup alone."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from bot.extract import extract_html\n"
        "body = ''.join(f'<p>The council met on the {n}th of Brumaire, year {n}, and approved the harbor budget "
        "of several million after a long debate.</p>' for n in range(3, 12))\n"
        'html = (\'<html><head><title>Harbor</title><meta property="article:published_time" '
        "content=\"2026-01-02T10:00:00Z\"></head><body><article>' + body + '</article></body></html>')\n"
        "article = extract_html(html.encode(), url='https://paper.example/harbor')\n"
        "print(article.published, 'dateparser' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["2026-01-02", "False"], done.stdout + done.stderr
