"""Bulk actions write every selected row or none, and name the row they refuse."""

import html

import pytest

from domains.matching.models import RoundPost
from domains.referential.models import Post
from tests.factories.matching import matching_world

pytestmark = pytest.mark.django_db
POSTS = "/cockpit/postes/"


def test_closing_posts_when_one_is_used_by_a_matching_round_closes_none(client):
    world = matching_world(sites=3)
    posts = list(Post.objects.order_by("pk"))
    protected = posts[1]
    RoundPost.objects.filter(round=world.round).exclude(post=protected).delete()
    client.force_login(world.ars)

    response = client.post(
        f"{POSTS}actions/",
        {"action": "close", "confirmed": "1", "selection": [p.pk for p in posts]},
        follow=True,
    )

    page = html.unescape(response.content.decode())
    assert "Rien n'a été enregistré" in page
    assert f"« {protected} »" in page
    assert "Suppression impossible" in page
    assert Post.objects.count() == len(posts)  # the first post is still there
    assert "traitée" not in page


def test_closing_posts_that_nothing_uses_closes_them_all(client):
    world = matching_world(sites=2)
    posts = list(Post.objects.all())
    RoundPost.objects.all().delete()
    client.force_login(world.ars)

    response = client.post(
        f"{POSTS}actions/",
        {"action": "close", "confirmed": "1", "selection": [p.pk for p in posts]},
        follow=True,
    )

    assert "2 lignes traitées" in response.content.decode()
    assert not Post.objects.exists()
