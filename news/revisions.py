"""Reading an article's revisions (修订历史): what each one changed, and two side by side.

Everything shown here is escaped: a revision holds what an editor typed, and the body's
HTML is compared as the text a reader sees, never rendered.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from . import text
from .models import Article

# What the comparison page puts side by side.
COMPARED = [("title", _("标题")), ("summary", _("摘要")), ("body", _("正文"))]
KINDS = {"+": _("创建"), "~": _("修改"), "-": _("删除")}
# The body is compared block by block (paragraph, heading, list item…), as a reader sees it.
_BLOCK_END = re.compile(
    r"</(?:p|h[1-6]|li|blockquote|figure|figcaption|caption|tr|pre|div)>|<(?:br|hr)\b[^>]*>",
    re.I,
)


def history_of(article: Article):
    """The article's revisions, the newest first, with who saved each one."""
    return (
        Article.history.filter(id=article.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def label_changes(revisions) -> list:
    """The revisions (newest first), each with ``kind`` and ``changed``: the names of the
    fields it changed compared with the one before it (none for the first)."""
    revisions = list(revisions)
    for newer, older in zip(revisions, [*revisions[1:], None], strict=True):
        newer.kind = KINDS.get(newer.history_type, newer.history_type)
        newer.changed = []
        if older is not None:
            delta = newer.diff_against(older, foreign_keys_are_objs=False)
            names = set(delta.changed_fields)
            newer.changed = [
                str(f.verbose_name) for f in Article.history.model._meta.fields if f.name in names
            ]
    return revisions


@dataclass
class Row:
    """One line of a side-by-side comparison: ``kind`` is equal, changed, removed or added."""

    kind: str
    old: SafeString
    new: SafeString


@dataclass
class FieldComparison:
    label: str
    rows: list[Row] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(row.kind != "equal" for row in self.rows)


def compare(old, new) -> list[FieldComparison]:
    """Title, summary and body of two revisions, side by side, line by line."""
    return [
        FieldComparison(str(label), _side_by_side(_lines(name, old), _lines(name, new)))
        for name, label in COMPARED
    ]


def _lines(name: str, revision) -> list[str]:
    value = getattr(revision, name) or ""
    if name != "body":
        return [value] if value else []
    lines = []
    for block in _BLOCK_END.split(value):
        seen = text.visible_text(block)
        if not seen and "<img" in block.lower():
            seen = str(_("〔图片〕"))
        if seen:
            lines.append(seen)
    return lines


def _side_by_side(old: list[str], new: list[str]) -> list[Row]:
    rows = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [Row("equal", escape(line), escape(line)) for line in old[i1:i2]]
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for k in range(max(len(olds), len(news))):
            a = olds[k] if k < len(olds) else None
            b = news[k] if k < len(news) else None
            if a is not None and b is not None:
                rows.append(Row("changed", *_marked(a, b)))
            elif a is not None:
                rows.append(Row("removed", _wrap("del", a), mark_safe("")))
            else:
                rows.append(Row("added", mark_safe(""), _wrap("ins", b)))
    return rows


def _marked(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Two versions of a line, the characters that differ marked (Chinese has no spaces:
    compared character by character)."""
    left, right = [], []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(escape(old[i1:i2]))
            right.append(escape(new[j1:j2]))
            continue
        if i2 > i1:
            left.append(_wrap("del", old[i1:i2]))
        if j2 > j1:
            right.append(_wrap("ins", new[j1:j2]))
    return mark_safe("".join(left)), mark_safe("".join(right))


def _wrap(tag: str, value: str) -> SafeString:
    return mark_safe(f"<{tag}>{escape(value)}</{tag}>")
