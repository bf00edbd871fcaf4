"""Every success message of a committee action, in English for a person who chose English
(translated at request time), and the confirmation pages of the irreversible ones."""

import datetime

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from governance import services
from proposals.models import Proposal
from tests.factories import english


def _said(client, name, pk, data=None) -> list[str]:
    response = client.post(reverse(f"governance:{name}", args=[pk]), data or {})
    assert response.status_code == 302, response.content[:500]
    # The messages not shown yet pile up in the session: this action's is the last.
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


def test_votes_recusals_reminders_and_closing_say_so_inenglish(client, item, chair, member,
                                                                member2, mailoutbox):
    services.attendance_set(meeting=item.meeting, actor=chair.user,
                            present=[chair, member, member2])
    client.force_login(english(member.user))
    assert _said(client, "item-vote", item.pk, {"choice": "for"}) == [
        "Your vote has been recorded: For."]
    client.force_login(english(member2.user))
    assert _said(client, "item-conflict", item.pk, {"details": "Ma sœur y travaille"}) == [
        "Your conflict of interest has been recorded: you are recused from this item."]
    client.force_login(english(chair.user))
    assert _said(client, "item-remind", item.pk) == ["Reminder sent to 1 member."]
    services.vote_cast(item=item, actor=chair.user, choice="for")
    assert _said(client, "item-close", item.pk, {"reasons": ""}) == [
        "Vote closed: Recommended."]


def test_ratification_says_so_inenglish(client, proposal, coordination, partenaires, chair,
                                         member, member2, item,
                                         django_capture_on_commit_callbacks):
    services.attendance_set(meeting=item.meeting, actor=chair.user,
                            present=[chair, member, member2])
    for seat in (chair, member, member2):
        services.vote_cast(item=item, actor=seat.user, choice="for")
    services.item_close(item=item, actor=chair.user)
    client.force_login(english(coordination))
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    with django_capture_on_commit_callbacks(execute=False):
        said = _said(client, "ratification-record", proposal.pk, {"ratified_on": yesterday})
    assert said == ["Decision ratified; the confirmation letter is ready to read and send "
                    "(Decision letters)."]


def test_closing_a_vote_asks_first_and_says_what_will_happen(client, item, chair, member,
                                                             member2):
    services.attendance_set(meeting=item.meeting, actor=chair.user,
                            present=[chair, member, member2])
    services.vote_cast(item=item, actor=member.user, choice="for")
    client.force_login(chair.user)
    page = client.get(reverse("governance:item-close", args=[item.pk])).content.decode()
    assert "Oui, fermer le vote" in page
    assert "Le résultat est définitif" in page
    assert "la proposition sera recommandée" in page  # one vote for, none against
    assert reverse("governance:item-detail", args=[item.pk]) in page  # « Annuler »
    item.refresh_from_db()
    assert not item.is_closed
    assert item.proposal.status == Proposal.Status.IN_ANALYSIS


def test_ratifying_asks_first_with_the_date_typed_on_the_list(client, proposal, coordination):
    client.force_login(english(coordination))
    url = reverse("governance:ratification-record", args=[proposal.pk])
    page = client.get(url, {"ratified_on": "2026-01-15"}).content.decode()
    assert "Yes, record the ratification" in page
    assert "The allocation is created" in page
    assert 'value="2026-01-15"' in page
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.IN_ANALYSIS


def test_a_refused_ratification_keeps_the_date_typed(client, proposal, coordination):
    client.force_login(coordination)
    url = reverse("governance:ratification-record", args=[proposal.pk])
    response = client.post(url, {"ratified_on": "pas une date"})
    assert response.status_code == 400
    assert 'value="pas une date"' in response.content.decode()


def test_vote_reminders_ask_first(client, item, chair, mailoutbox):
    client.force_login(chair.user)
    page = client.get(reverse("governance:item-remind", args=[item.pk])).content.decode()
    assert "Oui, envoyer le rappel" in page
    assert not mailoutbox


def test_a_vote_without_a_choice_says_what_to_do(client, item, member):
    client.force_login(member.user)
    response = client.post(reverse("governance:item-vote", args=[item.pk]), {})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Choisissez pour, contre ou abstention."]
    assert not item.votes.exists()
