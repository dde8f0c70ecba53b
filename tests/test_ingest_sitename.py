"""The outlet of a saved web page: its site's declared name, or its address's
host, never the headline of a "Headline | Site" title."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import trafilatura

from ultimatum.ingest.reader import html_to_text, ingest, read_article
from ultimatum.ingest.sitename import host_of, site_name

HEADLINE = "U.S. rejects Russia's demands"
STORY = "".join(f"<p>Russia demanded on Wednesday, for the {n} time, that NATO stop expanding eastward, a "
                "foreign ministry spokesperson told reporters in Moscow.</p>" for n in ("first", "second", "third"))


def _page(head: str = "", title: str = f"{HEADLINE} | The Daily Planet") -> str:
    return (f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body><article>"
            f"<h1>{HEADLINE}</h1>{STORY}</article></body></html>")


def _ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


CANONICAL = '<link rel="canonical" href="https://www.dailyplanet.com/2022/01/12/story">'


def _outlet(head: str, title: str = f"{HEADLINE} | The Daily Planet") -> str:
    return site_name(trafilatura.load_html(_page(head, title)))


def test_a_title_with_a_site_after_a_bar_gives_the_host_not_the_headline() -> None:
    text, meta = html_to_text(_page(CANONICAL))
    assert meta["sitename"] == "dailyplanet.com"
    assert meta["title"] == HEADLINE and "stop expanding" in text


@pytest.mark.parametrize(("head", "outlet"), [
    ('<meta property="og:site_name" content="The Daily Planet">' + CANONICAL, "The Daily Planet"),
    ('<meta name="og:site_name" content=" The  Daily Planet ">', "The Daily Planet"),
    (_ld({"@type": "NewsArticle", "headline": HEADLINE,
          "publisher": {"@type": "NewsMediaOrganization", "name": "Daily Planet Media"}}) + CANONICAL,
     "Daily Planet Media"),
    (_ld({"@graph": [{"@type": "WebSite", "name": "Planet Online"}, {"@type": "WebPage"}]}), "Planet Online"),
    ('<meta name="application-name" content="Planet App">' + CANONICAL, "Planet App"),
    ('<meta name="publisher" content="Planet Press">', "Planet Press"),
    # og:site_name before every other name
    ('<meta name="application-name" content="Planet App">'
     + _ld({"publisher": {"name": "Daily Planet Media"}})
     + '<meta property="og:site_name" content="The Daily Planet">', "The Daily Planet"),
    # JSON-LD publisher before application-name
    ('<meta name="application-name" content="Planet App">' + _ld([{"publisher": {"name": "Daily Planet Media"}}]),
     "Daily Planet Media"),
])
def test_the_site_declares_its_name(head: str, outlet: str) -> None:
    assert _outlet(head) == outlet


@pytest.mark.parametrize(("head", "outlet"), [
    (CANONICAL, "dailyplanet.com"),
    ('<meta property="og:url" content="https://WWW.Planet.example:8443/story?id=1">', "planet.example"),
    ('<link rel="canonical" href="/2022/01/12/story">'
     '<meta property="og:url" content="https://news.planet.example/story">', "news.planet.example"),
    # an address is not a name; a broken JSON-LD block or a headline as application name says nothing
    ('<meta property="article:publisher" content="https://www.facebook.com/dailyplanet">' + CANONICAL,
     "dailyplanet.com"),
    ('<script type="application/ld+json">{"publisher": </script>' + CANONICAL, "dailyplanet.com"),
    (f'<meta name="application-name" content="{HEADLINE} | The Daily Planet">' + CANONICAL, "dailyplanet.com"),
])
def test_without_a_name_the_host_of_the_canonical_address(head: str, outlet: str) -> None:
    assert _outlet(head) == outlet


def test_without_a_name_or_an_address_no_part_of_the_title_is_taken() -> None:
    assert _outlet("", title=f"{HEADLINE} | dailyplanet.com") == ""
    assert _outlet("", title=f"{HEADLINE} - The Daily Planet") == ""


def test_host_of_odd_addresses() -> None:
    assert host_of("https://www.reuters.com/world/") == "reuters.com"
    assert host_of("http://[::1") == "" and host_of("") == "" and host_of("/relative/path") == ""


def test_the_article_row_takes_the_site_name(tmp_path: Path) -> None:
    (tmp_path / "planet.html").write_text(_page(CANONICAL), encoding="utf-8")
    (tmp_path / "named.htm").write_text(_page('<meta property="og:site_name" content="The Daily Planet">'),
                                        encoding="utf-8")
    row = read_article(tmp_path / "planet.html")
    assert (row["outlet"], row["url"], row["title"]) == (
        "dailyplanet.com", "https://www.dailyplanet.com/2022/01/12/story", HEADLINE)
    outlets = dict(zip(*ingest(tmp_path).articles[["article_id", "outlet"]].T.to_numpy()))
    assert outlets == {"planet": "dailyplanet.com", "named": "The Daily Planet"}
