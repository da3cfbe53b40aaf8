"""Counting a list's rows for its pages without reading years of them.

A page of the newest rows comes from an index in milliseconds, but its total, ``COUNT(*)``,
reads every row: 0.5 s for 20 million messages, 0.4-0.7 s for 2 million conversations. For a
whole big table on PostgreSQL the planner's own estimate (kept by autovacuum's ANALYZE) is
used instead; a filtered list (a caller's number, a status) and any table under
``ESTIMATE_ABOVE`` rows are counted exactly.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

#: Below this many rows a count is exact (and cheap).
ESTIMATE_ABOVE = 100_000


def rows_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows of an unfiltered queryset's table, else None."""
    query = queryset.query
    if query.where or query.distinct or query.is_sliced or query.combinator:
        return None
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


def rows_count(queryset: QuerySet) -> int:
    """The rows of ``queryset``: exact, or estimated for a whole big table."""
    estimate = rows_estimate(queryset)
    if estimate is not None and estimate > ESTIMATE_ABOVE:
        return estimate
    return queryset.count()


class EstimatedCountPaginator(Paginator):
    """The admin's paginator with ``rows_count`` (pages past the estimate are just empty)."""

    @cached_property
    def count(self) -> int:
        """The admin pages querysets only."""
        assert isinstance(self.object_list, QuerySet)
        return rows_count(self.object_list)
