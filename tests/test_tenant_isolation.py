"""Tenant isolation over every URL that takes an object id or a slug (DESIGN.md, "Who uses it").

The tenant is the neighbourhood: with the demo loaded, every URL pattern with arguments is
either MAPPED to the Saint-Michel objects it can address, or EXEMPT with the reason. For each
mapped pattern and each outsider account, every concrete URL answers 403 or 404 (a redirect
only when it leads to a 403 or 404), for GET and for an empty POST, and the database is left
unchanged. A pattern added later with neither a mapping nor an exemption fails
`test_every_pattern_with_arguments_is_mapped_or_exempt`.

Accounts (README.md):
- tq.verdun: another neighbourhood; conseiller.ouest: an advisor not following Saint-Michel;
  partenaire.mcconnell: a read-only partner (aggregates only);
- gouvernance.coutu: a member of another committee (no meeting holds Saint-Michel there);
- gestion.chagnon: a comité de gestion member, who may see only what is on the agendas of their
  committee (so what is tied to a proposal on such an agenda is left out of their checks);
- tq.saint-michel (or, for pages that are not the neighbourhood's, the person who may read
  them): the sanity check that the mapping addresses real, reachable pages.
"""

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from governance import demo as governance_demo
from governance import services as governance_services
from governance.models import AgendaItem, CommitteeMember, DecisionLetter, Meeting, MeetingMinutes
from neighbourhoods import services as neighbourhood_services
from neighbourhoods.models import AdvisorAssignment, Invitation, Membership, Neighbourhood
from pic.models import AuditEvent, Note, NoteAttachment, Notification, User
from pic.privacy import services as privacy_services
from proposals import workflow
from proposals.models import (
    Initiative,
    LetterOfIntent,
    NeighbourhoodPlanDocument,
    Proposal,
    ProposalDocument,
)
from reporting import exports
from reporting.charts import LABEL_MAX_CHARS
from reporting.models import (
    Allocation,
    Amendment,
    CheckIn,
    ExportJob,
    ImportJob,
    Instalment,
    Report,
    ReportDocument,
)
from reporting.resources import EXPORTS
from reporting.services import jobs as job_services
from reporting.services import reports as report_services

SLUG = "saint-michel"
OWNER = "tq.saint-michel@example.org"
ADVISOR_EST = "conseillere.est@example.org"  # follows Saint-Michel
COORDINATION = "coordination@example.org"
COMMITTEE = "gestion.chagnon@example.org"
OTHER_COMMITTEE = "gouvernance.coutu@example.org"  # comité de gouvernance: no agenda of its own
OUTSIDERS = ("tq.verdun@example.org", "conseiller.ouest@example.org",
             "partenaire.mcconnell@example.org", OTHER_COMMITTEE)
NON_STAFF = (*OUTSIDERS, COMMITTEE, OWNER, ADVISOR_EST)
REFUSED = (403, 404)
# What would betray a Saint-Michel row in an export or a page of another neighbourhood.
MARKERS = ("Saint-Michel", "saint-michel", "Vivre Saint-Michel en santé")


# --- The URL resolver -------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the full route for an unnamed pattern
    route: str
    namespace: str
    args: tuple[str, ...]
    callback: Callable


def walk(patterns=None, prefix="", namespaces=()) -> Iterable[Pattern]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            key = ":".join((*namespaces, entry.name)) if entry.name else route
            args = tuple(entry.pattern.regex.groupindex) or tuple(
                f"_{i}" for i in range(entry.pattern.regex.groups))
            yield Pattern(key, route, ":".join(namespaces), args, entry.callback)


PATTERNS_WITH_ARGUMENTS = {p.key: p for p in walk() if p.args}


def methods_of(pattern: Pattern) -> tuple[str, ...]:
    """The HTTP methods the view answers: GET and/or POST (a POST-only view gets no GET)."""
    view = getattr(pattern.callback, "view_class", None)
    if view is None:
        return ("GET", "POST")
    allowed = getattr(view, "http_method_names", ())
    return tuple(m.upper() for m in ("get", "post") if m in allowed and hasattr(view, m))


# --- What each pattern addresses --------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The Saint-Michel objects a pattern addresses, as URL kwargs; `proposal_of` ties an object
    to its proposal (for the committee member's agenda rule); `reader` is who must get 200 on
    at least one GET (None: POST-only or no one but coordination staff)."""

    objects: Callable[[Neighbourhood], Iterable]
    kwargs: Callable[[object], dict]
    proposal_of: Callable[[object], int | None] = lambda obj: None
    reader: str | None = OWNER
    every_url_readable: bool = False  # the reader gets 200 (or a redirect to a 200) on each


def pk(obj) -> dict:
    return {"pk": obj.pk}


def proposals(sm):
    return Proposal.objects.filter(neighbourhood=sm).order_by("pk")


def by_pk(obj):
    return obj.pk


def by_proposal(obj):
    return obj.proposal_id


PROPOSAL = Target(proposals, pk, by_pk)
PROPOSAL_READ = Target(proposals, pk, by_pk, every_url_readable=True)
PROPOSAL_POST = Target(proposals, pk, by_pk, reader=None)
BY_PROPOSAL_PK = {"kwargs": lambda p: {"proposal_pk": p.pk}, "proposal_of": by_pk}


def sm_meetings(sm):
    return Meeting.objects.filter(items__proposal__neighbourhood=sm).distinct().order_by("pk")


def sm_items(sm):
    return AgendaItem.objects.filter(proposal__neighbourhood=sm).order_by("pk")


def sm_reports(sm):
    return Report.objects.filter(allocation__neighbourhood=sm).order_by("pk")


def sm_amendments(sm):
    return Amendment.objects.filter(neighbourhood=sm).order_by("pk")


def report_of_document(doc):
    return {"pk": doc.report_id, "document_pk": doc.pk}


def meeting_proposals(meeting):
    """A meeting is 'on the agenda' of its own committee: tie it to any of its proposals."""
    return meeting.items.values_list("proposal_id", flat=True).first()


MAPPED: dict[str, Target] = {
    # neighbourhoods
    "neighbourhoods:neighbourhood-detail": Target(
        lambda sm: [sm], lambda n: {"slug": n.slug}, every_url_readable=True),
    "neighbourhoods:membership-end": Target(
        lambda sm: Membership.objects.active().filter(neighbourhood=sm), pk, reader=None),
    "neighbourhoods:advisor-unassign": Target(
        lambda sm: AdvisorAssignment.objects.active().filter(neighbourhood=sm), pk,
        reader=None),
    "neighbourhoods:invitation-revoke": Target(
        lambda sm: Invitation.objects.filter(neighbourhood=sm), pk, reader=None),
    # proposals
    "proposals:proposal-detail": PROPOSAL_READ,
    "proposals:proposal-edit": PROPOSAL,
    "proposals:proposal-edit-section": Target(
        proposals, lambda p: {"pk": p.pk, "section": "resume"}, by_pk),
    "proposals:proposal-submit": PROPOSAL,
    "proposals:proposal-resubmit": PROPOSAL,
    "proposals:proposal-withdraw": PROPOSAL,
    "proposals:proposal-start-analysis": PROPOSAL_POST,
    "proposals:proposal-request-changes": Target(proposals, pk, by_pk, reader=ADVISOR_EST),
    "proposals:proposal-letter-sent": PROPOSAL_POST,
    "proposals:proposal-versions": PROPOSAL_READ,
    "proposals:proposal-budget": PROPOSAL_READ,
    "proposals:document-download": Target(
        lambda sm: ProposalDocument.objects.filter(proposal__neighbourhood=sm), pk, by_proposal,
        every_url_readable=True),
    "proposals:document-delete": Target(
        lambda sm: ProposalDocument.objects.filter(proposal__neighbourhood=sm), pk, by_proposal,
        reader=None),
    "proposals:initiative-detail": Target(
        lambda sm: Initiative.objects.filter(neighbourhood=sm), pk, every_url_readable=True),
    "proposals:initiative-access-grant": Target(
        lambda sm: Initiative.objects.filter(neighbourhood=sm), pk, reader=None),
    "proposals:initiative-access-revoke": Target(
        lambda sm: Initiative.objects.filter(neighbourhood=sm), pk, reader=None),
    "proposals:letter-acknowledge": Target(
        lambda sm: LetterOfIntent.objects.filter(neighbourhood=sm), pk, reader=None),
    "proposals:neighbourhood-file": Target(
        lambda sm: [sm], lambda n: {"slug": n.slug}, every_url_readable=True),
    "proposals:contact-create": Target(
        lambda sm: [sm], lambda n: {"slug": n.slug}, reader=ADVISOR_EST),
    # governance: the meetings and agenda items that hold a Saint-Michel proposal
    "governance:meeting-detail": Target(sm_meetings, pk, meeting_proposals, reader=COMMITTEE),
    "governance:meeting-agenda": Target(sm_meetings, pk, meeting_proposals, reader=COMMITTEE),
    "governance:agenda-item-add": Target(sm_meetings, pk, meeting_proposals, reader=None),
    "governance:meeting-attendance": Target(sm_meetings, pk, meeting_proposals, reader=None),
    "governance:minutes-generate": Target(sm_meetings, pk, meeting_proposals, reader=None),
    "governance:minutes-upload": Target(sm_meetings, pk, meeting_proposals, reader=None),
    "governance:meeting-ratify": Target(sm_meetings, pk, meeting_proposals, reader=None),
    "governance:minutes-download": Target(
        lambda sm: MeetingMinutes.objects.filter(meeting__in=sm_meetings(sm)), pk,
        lambda m: meeting_proposals(m.meeting), reader=COMMITTEE),
    "governance:item-detail": Target(sm_items, pk, by_proposal, reader=COMMITTEE),
    "governance:item-document": Target(
        lambda sm: [(item, doc) for item in sm_items(sm) for doc in item.proposal.documents.all()],
        lambda pair: {"pk": pair[0].pk, "document_pk": pair[1].pk},
        lambda pair: pair[0].proposal_id, reader=COMMITTEE),
    "governance:item-vote": Target(sm_items, pk, by_proposal, reader=None),
    "governance:item-conflict": Target(sm_items, pk, by_proposal, reader=None),
    "governance:item-close": Target(sm_items, pk, by_proposal, reader=None),
    "governance:item-remind": Target(sm_items, pk, by_proposal, reader=None),
    "governance:item-voters": Target(sm_items, pk, by_proposal, reader=COORDINATION),
    "governance:analysis-detail": Target(proposals, **BY_PROPOSAL_PK, reader=ADVISOR_EST),
    "governance:analysis-edit": Target(proposals, **BY_PROPOSAL_PK, reader=ADVISOR_EST),
    "governance:ratification-record": Target(proposals, **BY_PROPOSAL_PK, reader=None),
    "governance:letter-refusal": Target(proposals, **BY_PROPOSAL_PK, reader=None),
    "governance:letter-download": Target(  # the letters sent (the others wait « à envoyer »)
        lambda sm: DecisionLetter.objects.filter(proposal__neighbourhood=sm,
                                                 sent_at__isnull=False), pk, by_proposal,
        every_url_readable=True),
    "governance:letter-regenerate": Target(
        lambda sm: DecisionLetter.objects.filter(proposal__neighbourhood=sm), pk, by_proposal,
        reader=None),
    **{name: Target(lambda sm: DecisionLetter.objects.filter(proposal__neighbourhood=sm), pk,
                    by_proposal, reader=None)
       for name in ("governance:letter-review", "governance:letter-conditions",
                    "governance:letter-send")},
    "governance:letter-acknowledge": Target(
        lambda sm: DecisionLetter.objects.filter(proposal__neighbourhood=sm), pk, by_proposal),
    # reporting (follow-up)
    "reporting:allocation-detail": Target(
        lambda sm: Allocation.objects.filter(neighbourhood=sm), pk, by_proposal,
        every_url_readable=True),
    "reporting:disbursement-create": Target(
        lambda sm: Allocation.objects.filter(neighbourhood=sm), pk, by_proposal, reader=None),
    "reporting:indicator-create": Target(
        lambda sm: Allocation.objects.filter(neighbourhood=sm), pk, by_proposal, reader=None),
    **{f"reporting:instalment-{verb}": Target(
        lambda sm: Instalment.objects.filter(allocation_year__allocation__neighbourhood=sm)
        .order_by("pk"), pk, lambda i: i.allocation_year.allocation.proposal_id, reader=None)
       for verb in ("release", "pay", "change")},
    "reporting:report-detail": Target(sm_reports, pk, every_url_readable=True),
    "reporting:report-edit": Target(sm_reports, pk),
    "reporting:report-submit": Target(sm_reports, pk, reader=None),
    "reporting:report-resubmit": Target(sm_reports, pk, reader=None),
    "reporting:report-accept": Target(sm_reports, pk, reader=None),
    "reporting:report-request-changes": Target(sm_reports, pk, reader=None),
    "reporting:report-document-upload": Target(sm_reports, pk, reader=None),
    "reporting:report-document-download": Target(
        lambda sm: ReportDocument.objects.filter(report__allocation__neighbourhood=sm),
        report_of_document, every_url_readable=True),
    "reporting:amendment-create": Target(
        lambda sm: Allocation.objects.filter(neighbourhood=sm), pk, by_proposal, reader=None),
    "reporting:amendment-detail": Target(sm_amendments, pk, every_url_readable=True),
    "reporting:amendment-edit": Target(sm_amendments, pk, reader=None),
    "reporting:amendment-submit": Target(sm_amendments, pk, reader=None),
    "reporting:amendment-review": Target(sm_amendments, pk, reader=None),
    "reporting:amendment-request-changes": Target(sm_amendments, pk, reader=None),
    "reporting:amendment-accept": Target(sm_amendments, pk, reader=None),
    "reporting:amendment-refer": Target(sm_amendments, pk, reader=None),
    "reporting:amendment-agenda-add": Target(sm_amendments, pk, reader=None),
    "reporting:amendment-withdraw": Target(sm_amendments, pk, reader=None),
    "proposals:plan-record": Target(lambda sm: [sm], lambda n: {"slug": n.slug}),
    "proposals:plan-document": Target(
        lambda sm: NeighbourhoodPlanDocument.objects.filter(plan__neighbourhood=sm), pk,
        every_url_readable=True),
    # notes (pic.notes): a note is written on a Saint-Michel file; edited by its author only
    "notes:note-create": Target(
        lambda sm: [sm, *proposals(sm)], lambda obj: {
            "content_type_id": ContentType.objects.get_for_model(obj).pk, "object_id": obj.pk},
        lambda obj: obj.pk if isinstance(obj, Proposal) else None, reader=None),
    "notes:mentionable": Target(
        lambda sm: [sm, *proposals(sm)], lambda obj: {
            "content_type_id": ContentType.objects.get_for_model(obj).pk, "object_id": obj.pk},
        lambda obj: obj.pk if isinstance(obj, Proposal) else None, every_url_readable=True),
    "notes:note-edit": Target(lambda sm: Note.objects.filter(neighbourhood_id=sm.pk), pk,
                              reader=None),
    "notes:note-delete": Target(lambda sm: Note.objects.filter(neighbourhood_id=sm.pk), pk,
                                reader=None),
    # a note's document: the table reads the shared note's, not the internal note's
    "notes:attachment-download": Target(
        lambda sm: NoteAttachment.objects.filter(note__neighbourhood_id=sm.pk), pk),
    "reporting:checkin-record": Target(
        lambda sm: CheckIn.objects.filter(allocation_year__allocation__neighbourhood=sm), pk,
        every_url_readable=True),
    # Background exports and imports belong to the person who asked (and coordination): the
    # demo fixture gives Saint-Michel's member an export, coordination an import.
    **{key: Target(lambda sm: ExportJob.objects.filter(requested_by__email=OWNER), pk,
                   every_url_readable=True)
       for key in ("reporting:export-job", "reporting:export-job-progress",
                   "reporting:export-job-download")},
    **{key: Target(lambda sm: ImportJob.objects.filter(requested_by__email=COORDINATION), pk,
                   reader=COORDINATION, every_url_readable=True)
       for key in ("reporting:import-job", "reporting:import-job-progress")},
    # A notification is its recipient's only: the demo fixture's export tells Saint-Michel's
    # member it is ready; nobody else marks it read.
    "notifications:mark-read": Target(
        lambda sm: Notification.objects.filter(recipient__email=OWNER), pk, reader=None),
}

# Coordination-only set-up pages, not owned by any neighbourhood: non-staff get 403 (any id).
STAFF_ONLY = "program or committee set-up, owned by no neighbourhood; coordination staff only"
EXEMPT: dict[str, str] = {
    "proposals:program-update": STAFF_ONLY,
    "proposals:budget-category-create": STAFF_ONLY,
    "governance:ratification-act-minutes": STAFF_ONLY,
    "proposals:budget-category-update": STAFF_ONLY,
    "proposals:external-partner-create": STAFF_ONLY,
    "proposals:external-partner-update": STAFF_ONLY,
    "proposals:indicator-definition-create": STAFF_ONLY,
    "proposals:indicator-definition-update": STAFF_ONLY,
    "proposals:stage-create": STAFF_ONLY,
    "proposals:stage-update": STAFF_ONLY,
    "proposals:prerequisite-create": STAFF_ONLY,
    "proposals:prerequisite-update": STAFF_ONLY,
    "proposals:window-create": STAFF_ONLY,
    "proposals:window-update": STAFF_ONLY,
    "proposals:window-extension-create": STAFF_ONLY,
    "governance:committee-seat-end": STAFF_ONLY,
    "governance:letter-template-edit": STAFF_ONLY,
    "governance:letter-template-reset": STAFF_ONLY,
    "governance:letter-signatory-edit": STAFF_ONLY,
    "privacy:incident-detail": STAFF_ONLY,
    "privacy:incident-update": STAFF_ONLY,
    "neighbourhoods:invitation-accept": "capability URL: a secret emailed token, not a guessable "
                                        "id (a forged token answers 410, checked below)",
    "account_confirm_email": "allauth: secret e-mail confirmation key, not a tenant object",
    "account_reset_password_from_key": "allauth: secret password-reset key, not a tenant object",
    "reporting:export": "export kind and format, not an object id: "
                        "test_exports_hold_no_saint_michel_row",
    "calendar-ics": "capability URL: a person's secret feed token, not a guessable id (a "
                    "revoked or forged token is a 404: tests/reporting/test_calendar.py)",
    "^static/(?P<path>.*)$": "static files (DEBUG only), no tenant data",
}
# Every pattern of the Django admin (now and later): is_staff only; test_admin_is_staff_only.
EXEMPT_NAMESPACES = {"admin": "Django admin: is_staff accounts only (no demo account is); "
                              "test_admin_is_staff_only"}


def exempt_reason(pattern: Pattern) -> str | None:
    return EXEMPT.get(pattern.key) or EXEMPT_NAMESPACES.get(pattern.namespace.split(":")[0])


# --- The demo, once per module ----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("isolation-media")


@pytest.fixture(autouse=True)
def _media_in_a_scratch_folder(settings, demo_media):
    """Overrides tests/fixtures.py's: the module's demo files live in one module folder."""
    settings.MEDIA_ROOT = demo_media
    settings.PRIVATE_MEDIA_ROOT = demo_media / "private"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    """The demo data, plus what it lacks for full coverage (an invitation to Saint-Michel, the
    demo meeting's minutes, a document on a Saint-Michel report); rolled back at the end."""
    with django_db_blocker.unblock(), override_settings(
            MEDIA_ROOT=demo_media, PRIVATE_MEDIA_ROOT=demo_media / "private",
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
            sm = Neighbourhood.objects.get(slug=SLUG)
            coordination = User.objects.get(email=COORDINATION)
            neighbourhood_services.invitation_create(
                email="nouvelle.agente@example.org", full_name="Nouvelle agente",
                kind=Invitation.Kind.NEIGHBOURHOOD_MEMBER, neighbourhood=sm,
                actor=coordination, base_url="http://testserver")
            # The demo's coming meeting holds no Saint-Michel proposal: its advisor starts the
            # analysis of the one submitted, and coordination puts it on that agenda.
            advisor = User.objects.get(email=ADVISOR_EST)
            meeting = Meeting.objects.get(title=governance_demo.DEMO_MEETING)
            for proposal in proposals(sm).filter(status=Proposal.Status.SUBMITTED):
                workflow.proposal_start_analysis(proposal=proposal, actor=advisor)
                proposal.refresh_from_db()
                governance_services.agenda_item_add(meeting=meeting, proposal=proposal,
                                                    actor=coordination)
            for item in sm_items(sm):
                if not item.proposal.documents.exists():
                    ProposalDocument.objects.create(
                        proposal=item.proposal, original_name="annexe.pdf",
                        content_type="application/pdf", size=16,
                        file=SimpleUploadedFile("annexe.pdf", b"%PDF-1.4\n%%EOF\n"))
            for meeting in sm_meetings(sm):
                if not meeting.minutes.exists():
                    governance_services.minutes_generate(meeting=meeting, actor=coordination)
            report = sm_reports(sm).filter(status__in=report_services.EDITABLE_STATES).first()
            if report is not None and not report.documents.exists():
                report_services.report_document_upload(
                    report=report, actor=User.objects.get(email=OWNER),
                    upload=SimpleUploadedFile("bilan.pdf", b"%PDF-1.4\n%%EOF\n",
                                              content_type="application/pdf"))
            # A document on a shared and on an internal Saint-Michel note.
            for visibility in (Note.Visibility.SHARED, Note.Visibility.INTERNAL):
                note = Note.objects.filter(neighbourhood_id=sm.pk, visibility=visibility).first()
                if note is not None:
                    NoteAttachment.objects.create(
                        note=note, original_name="piece.pdf", content_type="application/pdf",
                        size=16, file=SimpleUploadedFile("piece.pdf", b"%PDF-1.4\n%%EOF\n"))
            # An export built for Saint-Michel's member, an import previewed by coordination.
            export = job_services.export_job_request(
                kind="allocations", file_format="xlsx", actor=User.objects.get(email=OWNER))
            job_services.export_job_build(job_id=export.pk)
            import_job = job_services.import_job_upload(
                kind="organisations", actor=coordination, upload=SimpleUploadedFile(
                    "orgs.csv", b"name,short_name,category\nNouvel OBNL,NO,external\n"))
            job_services.import_job_preview(job_id=import_job.pk)
            # The register of confidentiality incidents holds one entry (coordination only).
            privacy_services.incident_record(
                actor=coordination, summary="Courriel mal adressé", information_involved="Noms",
                circumstances="Erreur d'envoi", occurred_on=datetime.date(2026, 1, 5),
                discovered_on=datetime.date(2026, 1, 6), people_affected=2,
                risk_assessment="Faible", measures_taken="Rappel des consignes")
            yield sm
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def sm(demo, db):
    return demo


def client_for(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def agenda_proposals(email: str) -> set[int]:
    """Proposals on an agenda of one of the user's committees."""
    committees = CommitteeMember.objects.current().filter(user__email=email).values("committee")
    return set(AgendaItem.objects.filter(meeting__committee__in=committees)
               .values_list("proposal_id", flat=True))


def urls_of(key: str, sm: Neighbourhood, *, skip_proposals: set[int] = frozenset()):
    target = MAPPED[key]
    for obj in target.objects(sm):
        if target.proposal_of(obj) in skip_proposals:
            continue
        yield reverse(key, kwargs=target.kwargs(obj))


def state(sm: Neighbourhood) -> dict:
    """What a refused request must not change: every table's row count, the audit log, and the
    workflow states of Saint-Michel's files."""
    counts = {m._meta.label: m.objects.count() for m in apps.get_models()
              if m._meta.label not in {"sessions.Session"}}
    return {
        "counts": counts,
        "audit": AuditEvent.objects.count(),
        "proposals": list(proposals(sm).values_list("pk", "status", "updated_at")),
        "reports": list(sm_reports(sm).values_list("pk", "status")),
        "letters_of_intent": list(LetterOfIntent.objects.filter(neighbourhood=sm)
                                  .values_list("pk", "acknowledged_at")),
        "checkins": list(CheckIn.objects.filter(allocation_year__allocation__neighbourhood=sm)
                         .values_list("pk", "held_on")),
    }


def refused(client: Client, method: str, url: str) -> tuple[bool, str]:
    """403/404, or a redirect that itself leads to a 403/404 (e.g. a transition's GET sends
    back to the proposal's page, which the outsider cannot read)."""
    response = client.get(url) if method == "GET" else client.post(url, {})
    status = response.status_code
    if status in REFUSED:
        return True, str(status)
    if status in (301, 302, 303):
        location = response["Location"]
        followed = client.get(urlsplit(location).path)
        if followed.status_code in REFUSED:
            return True, f"{status} -> {followed.status_code}"
        return False, f"{status} -> {location} -> {followed.status_code}"
    return False, str(status)


# --- The guard --------------------------------------------------------------------------------


def test_every_pattern_with_arguments_is_mapped_or_exempt():
    unaccounted = sorted(k for k, p in PATTERNS_WITH_ARGUMENTS.items()
                         if k not in MAPPED and exempt_reason(p) is None)
    assert not unaccounted, (f"URL patterns with arguments neither mapped to Saint-Michel "
                             f"objects nor exempt (add them to MAPPED or EXEMPT): {unaccounted}")
    both = sorted(set(MAPPED) & set(EXEMPT))
    assert not both, f"both mapped and exempt: {both}"
    stale = sorted((set(MAPPED) | set(EXEMPT)) - set(PATTERNS_WITH_ARGUMENTS)
                   - {"^static/(?P<path>.*)$"})  # only there with DEBUG on
    assert not stale, f"mapped or exempt, but no such URL pattern: {stale}"


@pytest.mark.parametrize("key", sorted(MAPPED))
def test_mapping_addresses_real_pages(sm, key):
    """Every mapped pattern yields URLs, and its reader gets 200 (the mapping is right)."""
    target = MAPPED[key]
    urls = list(urls_of(key, sm))
    assert urls, f"{key}: no Saint-Michel object to address in the demo"
    pattern = PATTERNS_WITH_ARGUMENTS[key]
    if target.reader is None or "GET" not in methods_of(pattern):
        return
    client = client_for(target.reader)
    results = {}
    for url in urls:
        response = client.get(url)
        status = response.status_code
        if status in (301, 302, 303):
            status = (status, client.get(urlsplit(response["Location"]).path).status_code)
        results[url] = status
    assert 200 in results.values(), f"{key} as {target.reader}: no 200 among {results}"
    if target.every_url_readable:
        unreadable = {u: s for u, s in results.items() if s != 200 and s != (302, 200)}
        assert not unreadable, f"{key} as {target.reader}: {unreadable}"


# --- Outsiders and the committee member -------------------------------------------------------

KNOWN_LEAKS: dict[tuple[str, str], str] = {}


# The meeting and agenda-item pages address only objects on an agenda: the committee that
# holds the agenda may read them (checked by the readers above); another committee may not
# (OTHER_COMMITTEE, among the outsiders).
ON_AN_AGENDA = ("governance:meeting-", "governance:item-", "governance:agenda-item-",
                "governance:minutes-")


def cases():
    for key in sorted(MAPPED):
        committee = () if key.startswith(ON_AN_AGENDA) else (COMMITTEE,)
        for email in (*OUTSIDERS, *committee):
            reason = KNOWN_LEAKS.get((key, email))
            marks = [pytest.mark.xfail(strict=True, reason=f"LEAK: {reason}")] if reason else []
            yield pytest.param(key, email, marks=marks, id=f"{key}-{email.split('@')[0]}")


@pytest.mark.parametrize(("key", "email"), list(cases()))
def test_outsider_is_refused(sm, key, email):
    skip = agenda_proposals(email) if email == COMMITTEE else set()
    urls = list(urls_of(key, sm, skip_proposals=skip))
    if not urls and email == COMMITTEE and list(urls_of(key, sm)):
        # Every Saint-Michel object of this kind was decided by this committee (the demo's
        # recommendations go through its votes): the member may read them all.
        pytest.skip(f"every Saint-Michel object of {key} is on {email}'s committee agenda")
    assert urls, f"no Saint-Michel object of {key} outside {email}'s committee agenda"
    client = client_for(email)
    before = state(sm)
    leaks = []
    for url in urls:
        for method in methods_of(PATTERNS_WITH_ARGUMENTS[key]):
            ok, what = refused(client, method, url)
            if not ok:
                leaks.append(f"{method} {url} -> {what}")
    after = state(sm)
    assert not leaks, f"{email} reaches Saint-Michel through {key}: {leaks}"
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert not changed, f"{email}'s refused requests on {key} changed the database: {changed}"


def test_the_check_can_fail(sm):
    """The refusal check is not vacuous: Saint-Michel's own coordinator is not refused."""
    client = client_for(OWNER)
    url = next(urls_of("proposals:proposal-detail", sm))
    assert refused(client, "GET", url) == (False, "200")


@pytest.mark.parametrize(("key", "field"), [("proposals:proposal-create", "initiative"),
                                            ("proposals:initiative-create", "neighbourhood"),
                                            ("proposals:letter-create", "neighbourhood")])
def test_forms_refuse_saint_michel_ids_in_the_body(sm, key, field):
    """Pages without an id in the URL take one in their form: another neighbourhood's table
    cannot create anything in Saint-Michel's file by naming it."""
    initiative = Initiative.objects.filter(neighbourhood=sm).first()
    stage = proposals(sm).first().stage
    data = {"initiative": initiative.pk, "neighbourhood": sm.pk, "stage": stage.pk,
            "target_stage": stage.pk, "title": "Intrusion", "desired_change": "Intrusion"}
    before = state(sm)
    response = client_for("tq.verdun@example.org").post(reverse(key), data)
    assert response.status_code in (200, 400), response.status_code  # the form, with errors
    assert field in response.context["form"].errors
    assert state(sm) == before


# --- Exempt patterns: still refused to whom they are not for -----------------------------------

STAFF_ONLY_OBJECTS = {
    "proposals:program-update": lambda: {"pk": _first("proposals.Program")},
    "proposals:stage-create": lambda: {"parent": _first("proposals.Program")},
    "proposals:stage-update": lambda: {"pk": _first("proposals.Stage")},
    "proposals:prerequisite-create": lambda: {"parent": _first("proposals.Stage")},
    "proposals:prerequisite-update": lambda: {"pk": _first("proposals.PrerequisiteItem")},
    "proposals:window-create": lambda: {"parent": _first("proposals.Program")},
    "proposals:budget-category-create": lambda: {"parent": _first("proposals.Program")},
    "governance:ratification-act-minutes": lambda: {"pk": _first("governance.RatificationAct")},
    "proposals:budget-category-update": lambda: {"pk": _first("proposals.BudgetCategory")},
    "proposals:external-partner-create": lambda: {"parent": _first("proposals.Program")},
    "proposals:external-partner-update": lambda: {"pk": _first("proposals.ExternalPartner")},
    "proposals:indicator-definition-create": lambda: {"parent": _first("proposals.Program")},
    "proposals:indicator-definition-update":
        lambda: {"pk": _first("proposals.IndicatorDefinition")},
    "proposals:window-update": lambda: {"pk": _first("proposals.Window")},
    "proposals:window-extension-create": lambda: {"pk": _first("proposals.Window")},
    "governance:committee-seat-end": lambda: {"pk": _first("governance.CommitteeMember")},
    **{key: lambda: {"program": _first("proposals.Program"), "kind": "allocation",
                     "language": "fr"}
       for key in ("governance:letter-template-edit", "governance:letter-template-reset")},
    "governance:letter-signatory-edit": lambda: {"program": _first("proposals.Program")},
    "privacy:incident-detail": lambda: {"pk": _first("pic.ConfidentialityIncident")},
    "privacy:incident-update": lambda: {"pk": _first("pic.ConfidentialityIncident")},
}


def _first(label: str) -> int:
    return apps.get_model(label).objects.order_by("pk").values_list("pk", flat=True).first()


def test_every_staff_only_exemption_is_checked():
    assert {k for k, v in EXEMPT.items() if v == STAFF_ONLY} == set(STAFF_ONLY_OBJECTS)


@pytest.mark.parametrize("email", NON_STAFF)
@pytest.mark.parametrize("key", sorted(STAFF_ONLY_OBJECTS))
def test_staff_only_pages_are_refused(sm, key, email):
    client = client_for(email)
    url = reverse(key, kwargs=STAFF_ONLY_OBJECTS[key]())
    before = state(sm)
    for method in methods_of(PATTERNS_WITH_ARGUMENTS[key]):
        response = client.get(url) if method == "GET" else client.post(url, {})
        assert response.status_code == 403, f"{method} {url} as {email}"
    assert state(sm) == before


def test_forged_invitation_token_is_gone(sm):
    response = Client().get(reverse("neighbourhoods:invitation-accept", args=["forged-token"]))
    assert response.status_code == 410
    assert "Saint-Michel" not in response.content.decode()


def test_admin_is_staff_only(sm):
    """No demo account is is_staff: every admin URL sends them to the admin login."""
    assert not User.objects.filter(email__in=[*NON_STAFF, COORDINATION], is_staff=True).exists()
    admin_login = reverse("admin:login")
    sample = Proposal.objects.filter(neighbourhood=sm).values_list("pk", flat=True).first()
    wrong = []
    for email in OUTSIDERS:
        client = client_for(email)
        for pattern in PATTERNS_WITH_ARGUMENTS.values():
            if pattern.namespace != "admin":
                continue
            kwargs = {name: "1" if name == "content_type_id" else str(sample)
                      for name in pattern.args}
            try:
                url = reverse(pattern.key, kwargs=kwargs)
            except Exception:  # noqa: BLE001 (an unnamed pattern: build it from its route)
                url = "/" + pattern.route.replace("<path:object_id>", str(sample))
            response = client.get(url)
            if not (response.status_code == 302
                    and urlsplit(response["Location"]).path == admin_login):
                wrong.append(f"{url} as {email}: {response.status_code}")
    assert not wrong, wrong


# --- Exports ----------------------------------------------------------------------------------

EXPORT_URLS = [
    *(reverse("reporting:export", kwargs={"kind": kind, "file_format": "csv"})
      for kind in EXPORTS),
    # Built by a worker, as the person who asked (reporting.exports.export_write).
    "360giving.csv", "360giving.json",
]


def export_body(url: str, email: str) -> str:
    if url.startswith("360giving."):
        kind, file_format = url.split(".")
        return exports.export_data(kind=kind, file_format=file_format,
                                   user=User.objects.get(email=email)).decode("utf-8-sig")
    response = client_for(email).get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def saint_michel_words(sm) -> list[str]:
    return [*MARKERS, sm.table_name,
            *proposals(sm).values_list("title", flat=True),
            *Initiative.objects.filter(neighbourhood=sm).values_list("title", flat=True)]


def export_cases():
    for url in EXPORT_URLS:
        for email in ("tq.verdun@example.org", "conseiller.ouest@example.org",
                      "partenaire.mcconnell@example.org"):
            if "360giving" in url and email.startswith("partenaire."):
                # By design, not a leak: partners get the whole portfolio as 360Giving open
                # data (reporting.exports.giving_rows; tests/reporting/test_portfolio.py).
                continue
            yield pytest.param(url, email, id=f"{url}-{email.split('@')[0]}")


@pytest.mark.parametrize(("url", "email"), list(export_cases()))
def test_exports_hold_no_saint_michel_row(sm, url, email):
    body = export_body(url, email)
    found = [w for w in saint_michel_words(sm) if w in body]
    assert not found, f"{url} as {email} holds Saint-Michel: {found}"
    if url.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(body)))
        assert rows, "a CSV export has at least its header"
    else:
        json.loads(body)


@pytest.mark.parametrize("url", EXPORT_URLS)
def test_exports_of_saint_michel_hold_its_rows(sm, url):
    """The sanity side: the same exports, for Saint-Michel, do name Saint-Michel."""
    body = export_body(url, OWNER)
    rows = list(csv.reader(io.StringIO(body))) if url.endswith(".csv") else [body]
    if len(rows) > 1 or not url.endswith(".csv"):
        assert any(w in body for w in saint_michel_words(sm)), url


# --- Lists without an id: another neighbourhood's pages never name Saint-Michel ----------------


def list_pages():
    for pattern in walk():
        if pattern.args or pattern.namespace.startswith("admin"):
            continue
        if pattern.key.startswith(("account_", "mfa_")):  # allauth: one's own account
            continue
        if "GET" in methods_of(pattern) and pattern.key not in {"set_language", "health"}:
            yield pattern.key


@pytest.mark.parametrize("email", OUTSIDERS)
def test_pages_without_id_name_no_saint_michel(sm, email):
    client = client_for(email)
    found = {}
    for key in list_pages():
        response = client.get(reverse(key))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        if key == "home" and email.startswith("partenaire.") and sm.borough:
            # By design, not a leak: the partners' portfolio charts the amounts by borough, a
            # public area name (« Villeray–Saint-Michel–Parc-Extension », shortened in the
            # chart, whole in its table), never a file.
            body = body.replace(sm.borough, "").replace(sm.borough[:LABEL_MAX_CHARS - 1], "")
        words = [w for w in saint_michel_words(sm) if w in body]
        if words:
            found[key] = words
    assert not found, f"as {email}: {found}"

