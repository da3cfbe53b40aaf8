"""Staff accounts by role, as the adversarial review used them."""

import pytest
from django.contrib.auth.models import Group

from staff.roles import DATA_EDITORS, HOTLINE_STAFF


def _login(client, django_user_model, name: str, groups: list[str]):
    user = django_user_model.objects.create_user(name, password="pw-role-123", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    client.force_login(user)
    return client


@pytest.fixture
def hotline_staff_client(client, django_user_model):
    """Hotline staff: handoffs and callers, read-only reference data."""
    return _login(client, django_user_model, "hotline", [HOTLINE_STAFF])


@pytest.fixture
def data_editor_client(client, django_user_model):
    """Data editors: reference data, no callers."""
    return _login(client, django_user_model, "editor", [DATA_EDITORS])
