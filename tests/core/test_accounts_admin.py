import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import verified_login
from tests.factories.core import UserFactory
from wardkeeper.core.models import User


@pytest.fixture
def admin_client(login, system_admin):
    return login(system_admin)


@pytest.mark.django_db
def test_the_account_list_filters_by_name_role_and_state(admin_client):
    UserFactory(username="li.na", password=None, roles=["network_engineer"])
    UserFactory(
        username="zhou", password=None, roles=["hardware_engineer"], is_active=False
    )
    url = reverse("core:user-list")

    def names(query):
        return [u.username for u in admin_client.get(url, query).context["users"]]

    assert names({"q": "li."}) == ["li.na"]
    assert names({"role": "hardware_engineer"}) == ["zhou"]
    assert "zhou" not in names({"is_active": "true"})


@pytest.mark.django_db
def test_the_account_list_costs_the_same_queries_for_any_page_size(
    admin_client, django_assert_max_num_queries
):
    UserFactory.create_batch(60, password=None, roles=["analyst", "network_engineer"])
    admin_client.get(reverse("core:user-list"), {"per_page": 10})
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("core:user-list"), {"per_page": 200})
    assert len(response.context["users"]) == 61  # the 60 and the administrator


@pytest.mark.django_db
def test_a_new_account_gets_a_generated_password_shown_once(admin_client):
    response = admin_client.post(
        reverse("core:user-add"), {"username": "chen.wei", "display_name": "Chen Wei"}
    )
    password = response.context["password"]
    assert password in response.text
    assert "no-store" in response["Cache-Control"]
    user = User.objects.get(username="chen.wei")
    assert user.check_password(password)
    assert user.must_change_password
    assert user.role_codes() == set()


@pytest.mark.django_db
def test_a_new_account_may_get_a_chosen_password(admin_client):
    response = admin_client.post(
        reverse("core:user-add"),
        {"username": "chen.wei", "password": "Chosen-by-admin-2026"},
    )
    user = User.objects.get(username="chen.wei")
    assert response.url == reverse("core:user-detail", args=[user.pk])
    assert user.check_password("Chosen-by-admin-2026")


@pytest.mark.django_db
def test_a_taken_username_or_weak_password_is_refused_on_the_form(admin_client):
    url = reverse("core:user-add")
    taken = admin_client.post(url, {"username": "sam"})
    assert taken.context["form"].errors["username"]
    weak = admin_client.post(url, {"username": "new", "password": "abcdefghijkl"})
    assert weak.context["form"].errors["password"]
    assert not User.objects.filter(username="new").exists()


@pytest.mark.django_db
def test_the_system_administrator_edits_details_but_not_roles(
    admin_client, hardware_engineer
):
    url = reverse("core:user-edit", args=[hardware_engineer.pk])
    form_fields = admin_client.get(url).context["form"].fields
    assert "roles" not in form_fields
    assert "username" not in form_fields
    admin_client.post(url, {"display_name": "Hana Wu", "email": "hana@h.example"})
    hardware_engineer.refresh_from_db()
    assert hardware_engineer.display_name == "Hana Wu"
    roles_url = reverse("core:user-roles", args=[hardware_engineer.pk])
    assert admin_client.post(roles_url, {"roles": ["analyst"]}).status_code == 403


@pytest.mark.django_db
def test_disabling_an_account_ends_its_sessions(admin_client, hardware_engineer):
    theirs = verified_login(Client(), hardware_engineer)
    admin_client.post(reverse("core:user-disable", args=[hardware_engineer.pk]))
    assert theirs.get(reverse("core:profile")).status_code == 302
    admin_client.post(reverse("core:user-enable", args=[hardware_engineer.pk]))
    hardware_engineer.refresh_from_db()
    assert hardware_engineer.is_active


@pytest.mark.django_db
def test_a_password_reset_shows_the_new_password_once(admin_client, hardware_engineer):
    response = admin_client.post(
        reverse("core:user-password-reset", args=[hardware_engineer.pk])
    )
    password = response.context["password"]
    client = Client()
    signed_in = client.post(
        reverse("core:login"), {"username": "hana", "password": password}
    )
    assert signed_in.status_code == 302
    # The person must choose their own password before anything else.
    assert client.get(reverse("core:home")).url == reverse("core:password-change")


@pytest.mark.django_db
def test_the_detail_page_shows_roles_and_history(admin_client, hardware_engineer):
    response = admin_client.get(
        reverse("core:user-detail", args=[hardware_engineer.pk])
    )
    assert "Hardware maintenance engineer" in response.text
    assert "History" in response.text
