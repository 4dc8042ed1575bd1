"""Reading what a reader sees in the article page's comment section."""

import re
from html import unescape


def field_value(html, name):
    """The value the comment form shows in input ``name`` (or the message textarea)."""
    if name == "message":
        match = re.search(r'<textarea name="message"[^>]*>\n?(.*?)</textarea>', html, re.S)
    else:
        match = re.search(rf'<input [^>]*\sname="{name}"[^>]*>', html)
        if match:
            value = re.search(r'value="([^"]*)"', match.group(0))
            return unescape(value.group(1)) if value else ""
    assert match, f"no {name} field in the comment form"
    return unescape(match.group(1))


def field_errors(html, name):
    """The error lines printed beside field ``name`` of the comment form."""
    return [unescape(e) for e in re.findall(rf'id="id_{name}-error">(.*?)</p>', html)]


def form_errors(html):
    """The errors shown above the comment form, not tied to one field."""
    block = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', html, re.S)
    return [unescape(e) for e in re.findall(r"<p>(.*?)</p>", block.group(1))] if block else []


def comment_list(html):
    """Names and messages in the public comment list, in page order."""
    return [
        (unescape(name), message)
        for name, message in re.findall(
            r'<li id="comment-\d+" class="comment">.*?<strong>(.*?)</strong>.*?'
            r'<div class="comment-message">(.*?)</div>',
            html,
            re.S,
        )
    ]
