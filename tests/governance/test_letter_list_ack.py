"""The letter list offers « J'accepte les conditions » to the table, once the letter is sent."""

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import DecisionLetter

pytestmark = pytest.mark.django_db


def test_the_table_sees_the_accept_button_on_a_sent_letter_only(client, proposal,
                                                                tq_saint_michel):
    letter = DecisionLetter.objects.create(proposal=proposal, kind="allocation",
                                           file="letters/x.pdf", sha256="0" * 64)
    client.force_login(tq_saint_michel)
    assert proposal.title not in client.get(reverse("governance:letter-list")).content.decode()
    DecisionLetter.objects.filter(pk=letter.pk).update(sent_at=timezone.now())
    listing = client.get(reverse("governance:letter-list")).content.decode()
    assert proposal.title in listing
    assert reverse("governance:letter-acknowledge", args=[letter.pk]) in listing
