"""A recusal explained to the person it concerns (issue 14): « Votre organisation se retire… »,
not the third person the lists of recusals use."""

import pytest
from django.urls import reverse

from governance.models import Vote

pytestmark = pytest.mark.django_db


def test_the_recusal_is_explained_to_the_reader(client, item, cmtq_delegate):
    client.force_login(cmtq_delegate.user)
    page = client.get(reverse("governance:item-detail", args=[item.pk])).content.decode()
    notice = page[page.index('id="recusal-notice"'):]
    assert "Votre organisation se retire des décisions d&#x27;investissement." in notice[:600]
    response = client.post(reverse("governance:item-vote", args=[item.pk]),
                           {"choice": Vote.Choice.FOR}, follow=True)
    assert "Vous êtes récusé·e de ce vote. Votre organisation se retire" in (
        response.content.decode().replace("&#x27;", "'"))
    assert not Vote.objects.exists()
