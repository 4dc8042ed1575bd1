"""Pagination for long lists: a cached count and deep pages that skip ahead over ids."""

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .caching import PAGE_TIMEOUT


class CountCachedPaginator(Paginator):
    """Counts each list once per version of its content, not on every request."""

    def __init__(self, *args, count_key=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        if self.count_key is None:
            return super().count
        count = cache.get(self.count_key)
        if count is None:
            count = super().count
            cache.set(self.count_key, count, PAGE_TIMEOUT)
        return count

    def page(self, number):
        """Deep pages: skip ahead over the index (ids only), then read just one page of rows.

        The ids are read first and the rows fetched by primary key: a ``pk IN (subquery)``
        with the list's ORDER BY would walk the whole index range again.
        """
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        by_id = self.object_list.order_by().in_bulk(ids)
        return self._get_page([by_id[pk] for pk in ids], number, self)
