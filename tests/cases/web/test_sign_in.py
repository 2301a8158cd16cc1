import pytest
from django.test import Client

from tests.support import factories
from tests.support.auth import authenticator, totp_code
from tests.support.world import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        ("practitioner", "Your caseload"),
        ("lead", "Your team and agency"),
        ("manager", "Your team and agency"),
        ("analyst", "Partnership overview"),
        ("executive", "Partnership overview"),
        ("admin", "Administration"),
    ],
)
def test_each_role_signs_in_and_lands_on_its_home_page(
    world: World, role: str, heading: str
) -> None:
    client = Client()
    user = world.users[role]
    client.post("/sign-in/", {"username": user.username, "password": factories.PASSWORD})
    response = client.post(
        "/sign-in/second-factor/",
        {"code": totp_code(authenticator(user)), "next": "/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    assert heading in response.content.decode()
    assert user.display_name in response.content.decode()


def test_it_shows_an_error_summary_for_a_wrong_password(world: World) -> None:
    response = Client().post("/sign-in/", {"username": "hv", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a correct username and password" in page
    assert "<title>Error: " in page or "- Error -" in page


def test_it_asks_for_both_fields(world: World) -> None:
    page = Client().post("/sign-in/", {"username": "", "password": ""}).content.decode()
    assert 'href="#id_username">Enter your username' in page
    assert 'href="#id_password">Enter your password' in page


def test_the_practitioner_home_lists_their_caseload_not_every_child_the_agency_knows(
    world: World,
) -> None:
    unknown = factories.child(known_to=[world.school], first_name="Ulysses")
    known_not_mine = factories.child(known_to=[world.health], first_name="Violet")
    client = Client()
    client.force_login(world.users["practitioner"])
    page = client.get("/").content.decode()
    assert world.child.last_name in page
    assert unknown.last_name not in page
    assert known_not_mine.last_name not in page


def test_the_executive_home_shows_no_child(world: World) -> None:
    client = Client()
    client.force_login(world.users["executive"])
    assert world.child.last_name not in client.get("/").content.decode()


def test_signing_out_ends_the_session(world: World) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    client.post("/sign-out/")
    assert client.get("/").status_code == 302
