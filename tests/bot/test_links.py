from bot.links import find_links, normalize_url


def test_slack_forms_with_label_and_escaped_ampersand():
    text = "look <https://News.Example.COM/story?id=7&amp;utm_source=tw|News story> now"
    assert find_links(text) == ["https://news.example.com/story?id=7"]


def test_discord_embed_suppressed_and_raw_forms():
    text = "first <https://a.example/one> then https://b.example/two."
    assert find_links(text) == ["https://a.example/one", "https://b.example/two"]


def test_bare_url_strips_trailing_punctuation_and_brackets():
    assert find_links("(see https://c.example/x/y), and “https://d.example/z”.") == [
        "https://c.example/x/y",
        "https://d.example/z",
    ]


def test_tracking_parameters_and_fragment_dropped():
    url = "https://e.example/a?fbclid=1&gclid=2&utm_medium=x&page=2#comments"
    assert normalize_url(url) == "https://e.example/a?page=2"


def test_duplicates_collapse_after_normalization_and_cap_applies():
    text = " ".join(
        [
            "https://f.example/1",
            "https://F.EXAMPLE/1#top",
            "https://f.example/1?utm_campaign=z",
            "https://f.example/2",
            "https://f.example/3",
            "https://f.example/4",
        ]
    )
    assert find_links(text) == ["https://f.example/1", "https://f.example/2", "https://f.example/3"]
    assert len(find_links(text, limit=5)) == 4


def test_slack_mentions_channels_and_mailto_are_not_links():
    assert find_links("<@U123> <#C123|general> <!here> <mailto:a@b.example|a@b.example>") == []


def test_non_http_schemes_ignored():
    assert find_links("ftp://g.example/file javascript:alert(1) file:///etc/passwd") == []
    assert normalize_url("gopher://h.example/") is None


def test_parameters_that_address_the_article_are_kept_as_written():
    for url in (
        "https://paper.example/article.php?eid=48213",
        "https://paper.example/story?uid=77&source=rss&ref=home",
        "https://paper.example/read?id=3&p=2&q=a%20b+c",
    ):
        assert normalize_url(url) == url
    assert normalize_url("https://paper.example/a?b=2&a=1") == "https://paper.example/a?b=2&a=1"  # order kept


def test_only_known_trackers_are_stripped():
    url = "https://paper.example/a?UTM_Source=x&eid=5&fbclid=1&mc_eid=2&_ga=3&smid=url-share&ref_src=twsrc"
    assert normalize_url(url) == "https://paper.example/a?eid=5&ref_src=twsrc"
    assert normalize_url("https://paper.example/a?utm_medium=x&fbclid=1") == "https://paper.example/a"


def test_internationalised_hosts_stay_checkable():
    from bot.netguard import validate_url

    for raw in ("https://bücher.example/a?x=1", "https://xn--bcher-kva.example/a?x=1", "https://例え.jp/ニュース"):
        normalized = normalize_url(raw)
        assert normalized is not None
        assert validate_url(normalized).raw_host.startswith(b"xn--")


def test_an_html_escaped_ampersand_separates_parameters():
    assert (
        normalize_url("https://paper.example/a?id=7&amp;utm_source=tw&amp;page=2")
        == "https://paper.example/a?id=7&page=2"
    )
