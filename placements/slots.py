"""What a page shows in its slots at a given time (now, or an editor's preview time)."""

from dataclasses import dataclass, field

from .models import Placement

HEADLINES = 5  # the 头条 area: placed articles first, then the newest featured ones
SLIDESHOW_SIZE = 5
TICKER_SIZE = 10
RECOMMENDED_SIZE = 6
# Read at most this many placements of a page: far more than its slots hold.
MOST_PLACEMENTS = 200


@dataclass
class PageSlots:
    headline: list = field(default_factory=list)
    recommended: list = field(default_factory=list)
    slideshow: list = field(default_factory=list)
    ticker: list = field(default_factory=list)


def page_slots(category=None, at=None, *, headlines: int = HEADLINES) -> PageSlots:
    """The articles placed on the home page (``category`` None) or on a category's page,
    each slot in the editors' order, an article once per slot; one query."""
    sizes = {
        Placement.Slot.HEADLINE: headlines,
        Placement.Slot.RECOMMENDED: RECOMMENDED_SIZE,
        Placement.Slot.SLIDESHOW: SLIDESHOW_SIZE,
        Placement.Slot.TICKER: TICKER_SIZE,
    }
    found = {slot: [] for slot in sizes}
    showing = Placement.objects.for_category(category).showing(at)
    for placement in showing[:MOST_PLACEMENTS]:
        articles = found[placement.slot]
        if len(articles) < sizes[placement.slot] and placement.article not in articles:
            articles.append(placement.article)
    return PageSlots(**{str(slot): articles for slot, articles in found.items()})


def fill_up(first: list, then, size: int) -> list:
    """``first``, then articles of ``then`` not already in it, ``size`` in all."""
    seen = {a.pk for a in first}
    return (first + [a for a in then if a.pk not in seen])[:size]
