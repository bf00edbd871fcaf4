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


def _letter(proposal, version, **fields):
    return DecisionLetter.objects.create(proposal=proposal, kind="allocation", version=version,
                                         file=f"letters/v{version}.pdf", sha256="0" * 64,
                                         **fields)


def test_an_older_version_is_no_longer_to_send_once_corrected(client, proposal, coordination):
    old, new = _letter(proposal, 1), _letter(proposal, 2)
    assert list(DecisionLetter.objects.to_send()) == [new]
    client.force_login(coordination)
    listing = client.get(reverse("governance:letter-list")).content.decode()
    assert f'value="{new.pk}"' in listing
    assert f'value="{old.pk}"' not in listing  # no checkbox on the old version
    assert reverse("governance:letter-review", args=[old.pk]) not in listing
    # ticking the old one with the new one sends the new one only (not all-or-nothing failing)
    response = client.get(reverse("governance:letter-bulk-send"),
                          {"letter": [old.pk, new.pk]})
    assert response.status_code == 200
    assert response.context["object"] == [new]


def test_the_table_accepts_the_latest_sent_version_only(client, proposal, tq_saint_michel):
    old = _letter(proposal, 1, sent_at=timezone.now())
    new = _letter(proposal, 2, sent_at=timezone.now())
    client.force_login(tq_saint_michel)
    listing = client.get(reverse("governance:letter-list")).content.decode()
    assert reverse("governance:letter-acknowledge", args=[new.pk]) in listing
    assert reverse("governance:letter-acknowledge", args=[old.pk]) not in listing
