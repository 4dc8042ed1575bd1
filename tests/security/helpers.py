"""Hostile input: the XSS corpus, raw form bodies, and what a browser would run in a page."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, quote_from_bytes

CORPUS = Path(__file__).parent / "data" / "xss_payloads.txt"

# Elements that run code, load other documents, restyle the page, or switch the parser into
# another mode (where mutation XSS lives): none may reach a stored body.
ACTIVE_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "svg",
    "math", "form", "input", "button", "select", "textarea", "base", "meta", "link",
    "noscript", "template", "xmp", "plaintext", "noembed", "noframes", "title", "portal",
}  # fmt: skip
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
# Attributes a browser shows as text and never follows as a link.
TEXT_ATTRIBUTES = {"alt", "title"}
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")


def load_payloads() -> list[str]:
    """The corpus, one payload a line; ``esc:`` lines spell invisible characters as escapes."""
    payloads = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("# ") or line == "#":
            continue
        if line.startswith("esc:"):
            line = line[4:].encode("ascii").decode("unicode_escape")
        payloads.append(line)
    return payloads


class _Elements(HTMLParser):
    """Every element of a fragment with its attributes, entities in values decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        # JSON data blocks (JSON-LD included) are never run: their text is data, not code.
        data_block = dict(attrs).get("type") in ("application/json", "application/ld+json")
        self._in_script = tag == "script" and not data_block

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def dangerous_url(value: str) -> bool:
    """Would a browser follow ``value`` as a script or data URL? (controls, spaces and case
    are ignored by browsers in the scheme, and entities are already decoded)."""
    return _URL_NOISE.sub("", value).lower().startswith(DANGEROUS_SCHEMES)


def active_content(html: str) -> list[str]:
    """What in ``html`` could run script: elements, event handlers, script URLs."""
    found = []
    for tag, attrs in parse(html).elements:
        if tag in ACTIVE_ELEMENTS:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            elif name not in TEXT_ATTRIBUTES and dangerous_url(value):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def event_handlers(html: str) -> list[str]:
    """Elements of a whole page carrying an on* attribute."""
    return [
        f"<{tag} {name}>"
        for tag, attrs in parse(html).elements
        for name in attrs
        if name.startswith("on")
    ]


def scripts_mentioning(html: str, marker: str) -> list[str]:
    """Inline scripts of a page whose code contains ``marker``."""
    return [code for code in parse(html).scripts if marker in code]


def form_body(data: dict[str, str | bytes]) -> bytes:
    """An urlencoded form body; ``bytes`` values go as they are, even if not valid UTF-8."""
    pairs = []
    for name, value in data.items():
        raw = quote_from_bytes(value) if isinstance(value, bytes) else quote(str(value))
        pairs.append(f"{quote(name)}={raw}")
    return "&".join(pairs).encode("ascii")


def post_raw(client, url: str, data: dict[str, str | bytes]):
    """POST ``data`` the way a browser would, without the test client re-encoding it."""
    return client.post(url, form_body(data), content_type="application/x-www-form-urlencoded")


def change_url(article) -> str:
    return f"/admin/news/article/{article.pk}/change/"


def form_errors(response) -> list[str]:
    """The error messages of the admin form the response re-renders."""
    form = response.context["adminform"].form
    return [message for messages in form.errors.values() for message in messages]
