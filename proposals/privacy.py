"""Law 25, proposals' part: what a person wrote or sent in the files (contacts recorded,
letters of intent submitted, proposals started, documents uploaded: metadata only)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pic.privacy.registry import Section
from pic.privacy.services import value

from .models import Contact, LetterOfIntent, Proposal, ProposalDocument


def collect(user) -> list[Section]:
    return [
        Section("contacts", _("Échanges consignés"), [
            {"neighbourhood": c.neighbourhood.name, "date": value(c.date),
             "kind": c.get_kind_display(), "summary": c.summary,
             "recorded_at": value(c.recorded_at)}
            for c in Contact.objects.filter(Q(recorded_by=user) | Q(advisor=user))
            .select_related("neighbourhood").order_by("date", "pk")]),
        Section("letters_of_intent", _("Lettres d'intention déposées"), [
            {"neighbourhood": letter.neighbourhood.name,
             "submitted_at": value(letter.submitted_at)}
            for letter in LetterOfIntent.objects.filter(submitted_by=user)
            .select_related("neighbourhood").order_by("submitted_at", "pk")]),
        Section("proposals_started", _("Propositions commencées"), [
            {"title": p.title, "neighbourhood": p.neighbourhood.name,
             "status": p.get_status_display(), "created_at": value(p.created_at)}
            for p in Proposal.objects.filter(created_by=user).select_related("neighbourhood")
            .order_by("created_at", "pk")]),
        Section("proposal_documents", _("Documents versés aux propositions"), [
            {"file_name": d.original_name, "proposal": d.proposal.title, "size": d.size,
             "content_type": d.content_type, "uploaded_at": value(d.uploaded_at)}
            for d in ProposalDocument.objects.filter(uploaded_by=user).select_related("proposal")
            .order_by("uploaded_at", "pk")]),
    ]
