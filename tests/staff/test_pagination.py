"""Totals of big lists: PostgreSQL's estimate for a whole big table, exact otherwise."""

import pytest

from cases.models import Contact
from staff import pagination
from staff.api import StrictLimitOffsetPagination

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_table(monkeypatch):
    """The table as PostgreSQL would estimate it after years of rows."""
    monkeypatch.setattr(
        pagination,
        "rows_estimate",
        lambda queryset: None if queryset.query.where else 5_000_000,
    )


def test_a_whole_big_table_is_counted_from_the_estimate(big_table):
    Contact.objects.create(phone="+15125550100")
    assert pagination.EstimatedCountPaginator(Contact.objects.order_by("pk"), 100).count == 5e6
    assert StrictLimitOffsetPagination().get_count(Contact.objects.all()) == 5_000_000


def test_a_filtered_list_is_counted_exactly(big_table):
    Contact.objects.create(phone="+15125550100")
    Contact.objects.create(phone="+15125550101")
    assert pagination.rows_count(Contact.objects.filter(phone="+15125550100")) == 1


def test_a_small_table_is_counted_exactly(monkeypatch):
    monkeypatch.setattr(pagination, "rows_estimate", lambda queryset: 7)
    Contact.objects.create(phone="+15125550100")
    assert pagination.rows_count(Contact.objects.all()) == 1


def test_no_estimate_without_postgresql_or_with_a_filter():
    from django.db import connection

    if connection.vendor != "postgresql":
        assert pagination.rows_estimate(Contact.objects.all()) is None
    assert pagination.rows_estimate(Contact.objects.filter(simulated=True)) is None
