"""The outlet of a saved web page: the site's own name, or its address's host.

A page's ``<title>`` is usually "Headline | Site", and trafilatura, asked for
a site name the page does not declare, takes a part of that title: the
headline became the outlet. The outlet is read from what a site says about
itself instead, in this order: ``og:site_name``; the publisher (or the
WebSite) named in the page's JSON-LD; ``application-name``; a ``publisher``
meta tag; then the host of the page's canonical address (``<link
rel="canonical">``, else ``og:url``) without ``www.``. A value that is an
address (``article:publisher`` is often a Facebook page) or the page's
headline is not a name. The title is never taken apart."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

#: ``<meta>`` names and properties that carry the site's name, in order of trust.
SITE_NAME_META = ("og:site_name", "application-name", "publisher", "dc.publisher")
#: Where the page's own address is, in order of trust (the host is the fallback).
ADDRESS_XPATHS = ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content',
                  '//meta[@name="og:url"]/@content')
#: JSON-LD types whose ``name`` is the site's (a WebSite, or the publisher itself).
SITE_TYPES = frozenset({"WebSite", "NewsMediaOrganization"})

_ADDRESS = re.compile(r"^(https?:)?//|^www\.", re.I)
_SPACE = re.compile(r"\s+")


def _clean(value: Any) -> str:
    return _SPACE.sub(" ", value).strip() if isinstance(value, str) else ""


def _meta(tree: Any) -> dict[str, str]:
    """First non-empty ``content`` of each ``<meta>`` name or property (lower case)."""
    found: dict[str, str] = {}
    for elem in tree.iter("meta"):
        key = (elem.get("property") or elem.get("name") or "").strip().lower()
        content = _clean(elem.get("content"))
        if key and content and key not in found:
            found[key] = content
    return found


def _objects(data: Any) -> Iterator[dict]:
    """Every JSON object in a JSON-LD document, ``@graph`` members included."""
    if isinstance(data, list):
        for item in data:
            yield from _objects(item)
    elif isinstance(data, dict):
        yield data
        yield from _objects(data.get("@graph"))


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k for k in kinds if isinstance(k, str)}


def _json_ld_names(tree: Any) -> list[str]:
    """Publisher names, then WebSite names, from the page's JSON-LD blocks."""
    publishers: list[str] = []
    sites: list[str] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:  # a broken block says nothing
            continue
        for obj in _objects(data):
            publisher = obj.get("publisher")
            for item in publisher if isinstance(publisher, list) else [publisher]:
                publishers.append(_clean(item.get("name") if isinstance(item, dict) else item))
            if _types(obj) & SITE_TYPES:
                sites.append(_clean(obj.get("name")))
    return publishers + sites


def host_of(url: str) -> str:
    """An address's host, lower case, without port and ``www.`` ('' when none)."""
    try:
        host = urlparse(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def site_name(tree: Any) -> str:
    """The outlet of the page parsed into ``tree`` (an lxml HTML tree): the
    site's declared name, else its canonical address's host, else ''."""
    meta = _meta(tree)
    headlines = {meta.get("og:title", "").casefold(),
                 _clean(tree.findtext(".//title")).casefold()} - {""}
    candidates = [meta.get("og:site_name", ""), *_json_ld_names(tree),
                  *(meta.get(key, "") for key in SITE_NAME_META[1:])]
    for name in candidates:
        if name and not _ADDRESS.match(name) and name.casefold() not in headlines:
            return name
    for xpath in ADDRESS_XPATHS:
        for address in tree.xpath(xpath):
            host = host_of(str(address))
            if host:
                return host
    return ""
