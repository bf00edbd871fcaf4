"""Writes on tenants and access: memberships, advisor assignments and staff roles, the one
source of neighbourhood access, change only here (and forget the person's cached roles)."""

from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pic import outbox
from pic.access import SYSTEM, ensure, forget_roles, person
from pic.audit import audit
from pic.models import User
from pic.notifications import notify

from .models import (
    AdvisorAssignment,
    Invitation,
    Membership,
    Neighbourhood,
    Organisation,
    StaffRole,
)

INVITATION_SALT = "pic.invitation"


@transaction.atomic
def membership_create(
    *, user: User, neighbourhood: Neighbourhood, role: str = Membership.Role.MEMBER,
    actor: User,
) -> Membership:
    ensure(actor, "membership.manage", neighbourhood)
    membership = Membership.objects.active().filter(user=user, neighbourhood=neighbourhood).first()
    if membership is not None:
        if membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
            audit(actor, "membership.role_changed", membership, role=role)
        return membership
    membership = Membership.objects.create(user=user, neighbourhood=neighbourhood, role=role)
    forget_roles(user)
    audit(actor, "membership.created", membership, neighbourhood=neighbourhood.slug, role=role)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, actor: User) -> Membership:
    ensure(actor, "membership.manage", membership.neighbourhood_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ended_at is not None:
        return membership
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])
    forget_roles(membership.user)
    audit(actor, "membership.ended", membership, neighbourhood=membership.neighbourhood.slug)
    return membership


@transaction.atomic
def advisor_assign(*, advisor: User, neighbourhood: Neighbourhood, actor: User
                   ) -> AdvisorAssignment:
    ensure(actor, "advisor.assign", neighbourhood)
    staff_role_grant(user=advisor, role=StaffRole.Role.ADVISOR, actor=actor)
    assignment = AdvisorAssignment.objects.active().filter(
        advisor=advisor, neighbourhood=neighbourhood
    ).first()
    if assignment is not None:
        return assignment
    assignment = AdvisorAssignment.objects.create(advisor=advisor, neighbourhood=neighbourhood)
    forget_roles(advisor)
    audit(actor, "advisor.assigned", assignment, neighbourhood=neighbourhood.slug)
    return assignment


@transaction.atomic
def advisor_unassign(*, assignment: AdvisorAssignment, actor: User) -> AdvisorAssignment:
    ensure(actor, "advisor.assign", assignment.neighbourhood_id)
    assignment = AdvisorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_at is not None:
        return assignment
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    forget_roles(assignment.advisor)
    audit(actor, "advisor.unassigned", assignment, neighbourhood=assignment.neighbourhood.slug)
    return assignment


@transaction.atomic
def staff_role_grant(
    *, user: User, role: str, actor: User, organisation: Organisation | None = None
) -> StaffRole:
    ensure(actor, "staff_role.grant")
    existing = StaffRole.objects.active().filter(user=user, role=role).first()
    if existing is not None:
        return existing
    staff_role = StaffRole.objects.create(user=user, role=role, organisation=organisation)
    forget_roles(user)
    audit(actor, "staff_role.granted", staff_role, role=role)
    return staff_role


@transaction.atomic
def staff_role_end(*, staff_role: StaffRole, actor: User) -> StaffRole:
    ensure(actor, "staff_role.grant")
    staff_role = StaffRole.objects.select_for_update().get(pk=staff_role.pk)
    if staff_role.ended_at is None:
        staff_role.ended_at = timezone.now()
        staff_role.save(update_fields=["ended_at"])
        forget_roles(staff_role.user)
        audit(actor, "staff_role.ended", staff_role, role=staff_role.role)
    return staff_role


@transaction.atomic
def organisation_recusal_set(*, organisation: Organisation, recused: bool,
                             actor: User) -> Organisation:
    """Whether the organisation's delegates withdraw from investment decisions (the CMTQ): a
    governance fact, changed here only (never by an import), with its audit event."""
    ensure(actor, "organisation.recusal_set", organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.recused_from_investment_decisions != recused:
        before = organisation.recused_from_investment_decisions
        organisation.recused_from_investment_decisions = recused
        organisation.save(update_fields=["recused_from_investment_decisions"])
        audit(actor, "organisation.recusal_changed", organisation, before=before,
              after=recused)
    return organisation


# Invitations -----------------------------------------------------------------------------------

# A higher layer registers how to seat someone for its own kind of invitation (e.g. governance
# for committee seats): acceptor(invitation, user) -> None; it acts as SYSTEM.
_ACCEPTORS: dict[str, Callable[[Invitation, User], None]] = {}


def register_invitation_acceptor(kind: str, acceptor: Callable[[Invitation, User], None]) -> None:
    _ACCEPTORS[kind] = acceptor


def _accept_builtin(invitation: Invitation, user: User) -> None:
    kind = Invitation.Kind
    if invitation.kind in (kind.NEIGHBOURHOOD_COORDINATOR, kind.NEIGHBOURHOOD_MEMBER):
        role = (Membership.Role.COORDINATOR if invitation.kind == kind.NEIGHBOURHOOD_COORDINATOR
                else Membership.Role.MEMBER)
        membership_create(user=user, neighbourhood=invitation.neighbourhood, role=role,
                          actor=SYSTEM)
    elif invitation.kind == kind.ADVISOR:
        staff_role_grant(user=user, role=StaffRole.Role.ADVISOR, actor=SYSTEM,
                         organisation=invitation.organisation)
        if invitation.neighbourhood is not None:
            advisor_assign(advisor=user, neighbourhood=invitation.neighbourhood, actor=SYSTEM)
    elif invitation.kind == kind.COORDINATION:
        staff_role_grant(user=user, role=StaffRole.Role.COORDINATION, actor=SYSTEM,
                         organisation=invitation.organisation)
    elif invitation.kind == kind.PARTNER:
        staff_role_grant(user=user, role=StaffRole.Role.PARTNER, actor=SYSTEM,
                         organisation=invitation.organisation)
    else:
        raise ValidationError(_("Ce type d'invitation n'est pas pris en charge."))


def invitation_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=INVITATION_SALT).sign(str(invitation.pk))


def invitation_from_token(token: str) -> Invitation:
    """The pending invitation a link names; ValidationError if forged, expired or used."""
    max_age = settings.PIC_INVITATION_MAX_AGE_DAYS * 24 * 3600
    try:
        pk = signing.TimestampSigner(salt=INVITATION_SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("Ce lien d'invitation a expiré. Demandez-en un nouveau à "
                                "l'équipe de coordination.")) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("Ce lien d'invitation n'est pas valide.")) from exc
    invitation = Invitation.objects.filter(pk=pk).select_related("neighbourhood").first()
    if invitation is None or not invitation.is_pending:
        raise ValidationError(_("Cette invitation a déjà été utilisée ou a été annulée."))
    return invitation


@transaction.atomic
def invitation_create(
    *, email: str, kind: str, actor: User, full_name: str = "",
    neighbourhood: Neighbourhood | None = None, organisation: Organisation | None = None,
    target: dict | None = None, base_url: str = "",
) -> Invitation:
    ensure(actor, "invitation.create")
    email = email.strip().lower()
    errors = {}
    if kind in (Invitation.Kind.NEIGHBOURHOOD_COORDINATOR, Invitation.Kind.NEIGHBOURHOOD_MEMBER):
        if neighbourhood is None:
            errors["neighbourhood"] = _("Choisissez le quartier de cette personne.")
    if kind == Invitation.Kind.COMMITTEE_SEAT and not (target or {}).get("committee"):
        errors["target"] = _("Choisissez le comité.")
    if errors:
        raise ValidationError(errors)
    invitation = Invitation.objects.create(
        email=email, full_name=full_name, kind=kind, neighbourhood=neighbourhood,
        organisation=organisation, target=target or {}, invited_by=person(actor),
    )
    audit(actor, "invitation.created", invitation, email=email, kind=kind)
    from .tasks import send_invitation_email

    outbox.schedule(send_invitation_email, invitation.pk, base_url,
                    key=f"invitation:{invitation.pk}")
    return invitation


def invitation_email_send(*, invitation: Invitation, base_url: str) -> bool:
    """Email the invitation's signed link (signed now: the link is not stored), if it is
    still pending. Returns whether an email left."""
    if not invitation.is_pending:
        return False
    token = invitation_token(invitation)
    link = base_url + reverse("neighbourhoods:invitation-accept", args=[token])
    language = invitation.neighbourhood.language if invitation.neighbourhood else "fr"
    with translation.override(language):
        context = {"invitation": invitation, "link": link,
                   "days": settings.PIC_INVITATION_MAX_AGE_DAYS,
                   "has_account": invitation_has_account(invitation)}
        send_mail(
            subject=_("Invitation à PIC — %(role)s") % {"role": invitation.get_kind_display()},
            message=render_to_string("neighbourhoods/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    return True


def invitation_has_account(invitation: Invitation) -> bool:
    """Is the invitation addressed to someone who already has an account?"""
    return User.objects.filter(email__iexact=invitation.email).exists()


def _locked_pending(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("Cette invitation a déjà été utilisée ou a été annulée."))
    return invitation


def _seat(invitation: Invitation, user: User) -> None:
    acceptor = _ACCEPTORS.get(invitation.kind, _accept_builtin)
    acceptor(invitation, user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_roles(user)
    audit(user, "invitation.accepted", invitation, kind=invitation.kind)
    notify("invitation.accepted", [invitation.invited_by_id], invitation, actor=user,
           url=reverse("neighbourhoods:invitation-list"))


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, password: str, full_name: str = ""
) -> User:
    """A new person: create their account with the password they chose, and seat them.

    An address that already has an account is refused: that person logs in normally
    (password, then MFA) and accepts with `invitation_accept_existing`. No password is ever
    set on an existing account from an invitation link."""
    from allauth.account.models import EmailAddress

    invitation = _locked_pending(invitation)
    if invitation_has_account(invitation):
        raise ValidationError(_("Un compte existe déjà pour cette adresse : connectez-vous pour "
                                "accepter l'invitation."))
    user = User.objects.create_user(
        email=invitation.email, password=password, full_name=full_name or invitation.full_name,
    )
    # The link reached this mailbox: the address is verified.
    EmailAddress.objects.update_or_create(
        user=user, email=invitation.email, defaults={"verified": True, "primary": True}
    )
    _seat(invitation, user)
    return user


@transaction.atomic
def invitation_accept_existing(*, invitation: Invitation, actor: User) -> User:
    """A person who already has an account, logged in as themselves, takes the role offered."""
    if not actor.is_authenticated or actor.email.lower() != invitation.email.lower():
        raise PermissionDenied(_("Cette invitation est adressée à une autre personne."))
    invitation = _locked_pending(invitation)
    _seat(invitation, actor)
    return actor


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    ensure(actor, "invitation.revoke")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_pending:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit(actor, "invitation.revoked", invitation)
    return invitation
