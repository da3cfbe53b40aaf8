"""The callers' list is searched like the conversations: a number in any common spelling,
for staff who may see numbers; others find nothing."""

import pytest
from django.contrib.auth.models import Permission

from cases.models import Contact, Conversation

pytestmark = pytest.mark.django_db

TERMS = ("(512) 555-0163", "+15125550163", "512-555-0163", "0163")


@pytest.fixture
def callers():
    Contact.objects.create(phone="+15125550163")
    Contact.objects.create(phone="+15125550164")


def _found(client, path: str, term: str) -> int:
    """The rows listed. Not the list's total: for a whole big table it is PostgreSQL's
    estimate (staff.pagination), which other tests' rows leave far from these two."""
    response = client.get(path, {"q": term})
    assert response.status_code == 200
    return len(response.context["cl"].result_list)


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize("path", ["/admin/cases/contact/", "/admin/cases/conversation/"])
def test_a_number_in_any_spelling_finds_the_caller(client, staff_user, callers, path, term):
    if path == "/admin/cases/conversation/":
        for contact in Contact.objects.all():
            Conversation.objects.create(contact=contact, channel="sms")
    client.force_login(staff_user)
    assert _found(client, path, term) == 1
    assert _found(client, path, "") == 2


def test_without_the_numbers_permission_a_search_finds_nothing(client, django_user_model, callers):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_contact"))
    client.force_login(viewer)
    assert _found(client, "/admin/cases/contact/", "") == 2
    for term in TERMS:
        assert _found(client, "/admin/cases/contact/", term) == 0
