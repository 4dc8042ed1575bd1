"""What feed readers, crawlers and social sites read: XML documents, a page's head tags and
its JSON-LD, checked against a small schema.org vocabulary kept beside the tests."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.news.helpers import image_bytes

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
ATOM_NS = "http://www.w3.org/2005/Atom"
NS = {"sm": SITEMAP_NS, "news": NEWS_NS, "atom": ATOM_NS}
ORIGIN = "http://testserver"


def xml_of(response) -> ET.Element:
    """The response parsed by a real XML parser (it fails on anything ill-formed)."""
    assert response.status_code == 200, response.status_code
    return ET.fromstring(response.content)


def cover_upload(name="cover.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG", (1200, 750)), "image/jpeg")


def parse_iso(value: str) -> datetime:
    """An ISO 8601 moment that carries its offset (a naive one fails the test)."""
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)", value), value
    moment = datetime.fromisoformat(value)
    assert moment.utcoffset() is not None, value
    return moment


class _Head(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta, self.links, self.scripts, self.title = [], [], [], ""
        self._in, self._script = None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.append(attrs)
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "title":
            self._in = "title"
        elif tag == "script":
            self._script = [attrs.get("type"), ""]

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(tuple(self._script))
            self._script = None
        self._in = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data
        elif self._in == "title":
            self.title += data


class Head:
    """The ``<head>`` of a page, as a crawler reads it."""

    def __init__(self, html: str):
        parser = _Head()
        parser.feed(html[: html.index("</head>")])
        self.title = parser.title.strip()
        self._meta, self._links = parser.meta, parser.links
        self.json_ld = [
            json.loads(text) for kind, text in parser.scripts if kind == "application/ld+json"
        ]
        self.script_count = len(parser.scripts)

    def meta(self, key: str) -> str | None:
        """The content of <meta name=key> or <meta property=key> (None if missing)."""
        values = self.meta_all(key)
        assert len(values) <= 1, f"{key} appears {len(values)} times"
        return values[0] if values else None

    def meta_all(self, key: str) -> list[str]:
        return [
            m.get("content") for m in self._meta if m.get("name") == key or m.get("property") == key
        ]

    def link(self, rel: str, type: str | None = None) -> list[str]:
        return [
            link["href"]
            for link in self._links
            if link.get("rel") == rel and (type is None or link.get("type") == type)
        ]

    def ld(self, schema_type: str) -> dict:
        found = [data for data in self.json_ld if data.get("@type") == schema_type]
        assert len(found) == 1, f"{len(found)} JSON-LD objects of type {schema_type}"
        return found[0]


def head_of(response) -> Head:
    assert response.status_code == 200, response.status_code
    return Head(response.content.decode())


# --- schema.org ----------------------------------------------------------------------------

_URL_KEYS = {"@id", "url", "item", "image", "contentUrl"}
_DATE_KEYS = {"datePublished", "dateModified", "dateCreated", "uploadDate"}


@cache
def vocabulary() -> dict:
    return json.loads((Path(__file__).parent / "schema_vocabulary.json").read_text())


def ancestors(schema_type: str) -> list[str]:
    types = vocabulary()["types"]
    chain = []
    while schema_type is not None:
        assert schema_type in types, f"{schema_type} is not a schema.org type we know"
        chain.append(schema_type)
        schema_type = types[schema_type]["subClassOf"]
    return chain


def allowed_properties(schema_type: str) -> set[str]:
    types = vocabulary()["types"]
    return {p for t in ancestors(schema_type) for p in types[t]["properties"]}


def validate_json_ld(data, *, top=True) -> None:
    """Every @type known, every property allowed on it (inherited ones included), typed
    values of a type the property accepts, dates ISO 8601 with offset, URLs absolute."""
    if top:
        assert data.get("@context") == "https://schema.org", data.get("@context")
    schema_type = data["@type"]
    allowed = allowed_properties(schema_type)
    for key, value in data.items():
        if key in ("@context", "@type", "@id"):
            if key == "@id":
                _check_url(key, value)
            continue
        assert key in allowed, f"{schema_type} has no property {key}"
        for single in value if isinstance(value, list) else [value]:
            if isinstance(single, dict):
                accepted = vocabulary()["ranges"].get(key)
                assert accepted, f"no range recorded for {key}"
                assert set(ancestors(single["@type"])) & set(accepted), (
                    f"{key} does not accept a {single['@type']}"
                )
                validate_json_ld(single, top=False)
            elif key in _URL_KEYS:
                _check_url(key, single)
            elif key in _DATE_KEYS:
                parse_iso(single)


def _check_url(key, value) -> None:
    assert isinstance(value, str) and value.startswith(f"{ORIGIN}/"), f"{key}: {value!r}"
