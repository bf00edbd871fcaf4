"""Read access to one initiative, given by coordination staff to a person outside its
neighbourhood (a partner, an evaluator), and taken back; both audited."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from pic.access import ensure
from pic.audit import audit
from pic.models import User

from .models import (
    INITIATIVE_READ_PERMISSION,
    Initiative,
    InitiativeUserObjectPermission,
)


def _has_initiative_read(user: User, initiative: Initiative) -> bool:
    return InitiativeUserObjectPermission.objects.filter(
        user=user, content_object=initiative, permission__codename=INITIATIVE_READ_PERMISSION,
    ).exists()


@transaction.atomic
def initiative_access_grant(*, initiative: Initiative, user: User,
                            actor: User) -> Initiative:
    """Read access to one initiative, its proposals and their documents (e.g. an external
    evaluator); never a write: those require membership of the table."""
    ensure(actor, "initiative.grant_read", initiative)
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not user.is_active:
        raise ValidationError({"email": _("Ce compte est désactivé.")})
    if _has_initiative_read(user, initiative):
        return initiative
    assign_perm(INITIATIVE_READ_PERMISSION, user, initiative)
    audit(actor, "initiative.access_granted", initiative, email=user.email)
    return initiative


@transaction.atomic
def initiative_access_revoke(*, initiative: Initiative, user: User,
                             actor: User) -> Initiative:
    ensure(actor, "initiative.grant_read", initiative)
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not _has_initiative_read(user, initiative):
        return initiative
    remove_perm(INITIATIVE_READ_PERMISSION, user, initiative)
    audit(actor, "initiative.access_revoked", initiative, email=user.email)
    return initiative
