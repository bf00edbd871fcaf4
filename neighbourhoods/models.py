"""Tenants: organisations, neighbourhoods (tables de quartier), memberships, advisors, staff."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pic.access import roles_of, sees_whole_program


class Organisation(models.Model):
    class Category(models.TextChoices):
        OPERATOR = "operator", _("Opérateur")
        PHILANTHROPIC = "philanthropic", _("Philanthropique")
        INSTITUTIONAL = "institutional", _("Institutionnel")
        COMMUNITY = "community", _("Communautaire")
        EXTERNAL = "external", _("Externe")

    name = models.CharField(_("nom"), max_length=200, unique=True)
    short_name = models.CharField(_("nom court"), max_length=60, blank=True)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    recused_from_investment_decisions = models.BooleanField(
        _("se retire des décisions d'investissement"), default=False,
        help_text=_("Ses délégué·e·s ne votent pas sur les allocations (p. ex. la CMTQ)."),
    )
    website = models.URLField(_("site web"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class NeighbourhoodQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NeighbourhoodQuerySet":
        """The neighbourhoods whose files `user` may see: all for coordination staff (no filter),
        else those of the user's active memberships and advisor assignments."""
        scope = neighbourhood_scope(user, "pk")
        return self.all() if scope is None else self.filter(scope)


def neighbourhood_scope(user, path: str, *, also=None) -> Q | None:
    """The filter "`path` is one of the user's neighbourhoods", as one id subquery an index
    serves (`path IN (memberships UNION assignments)`: a semi-join, where an OR of two
    subqueries is a filter on every row); None means everything (coordination staff); no
    user, nothing. `also`: more neighbourhood ids (a one-column queryset) in the union."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if sees_whole_program(user):
        return None
    memberships = Membership.objects.active().filter(user=user).values("neighbourhood_id")
    assignments = AdvisorAssignment.objects.active().filter(advisor=user).values(
        "neighbourhood_id")
    more = [assignments.order_by()] + ([also.order_by()] if also is not None else [])
    return Q(**{f"{path}__in": memberships.order_by().union(*more)})


class Neighbourhood(models.Model):
    """A neighbourhood and its table de quartier: the tenant."""

    name = models.CharField(_("quartier"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    table_name = models.CharField(_("table de quartier"), max_length=200)
    borough = models.CharField(_("arrondissement ou ville"), max_length=120, blank=True)
    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation de la table"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="neighbourhood",
    )
    language = models.CharField(
        _("langue de correspondance"), max_length=2, choices=settings.LANGUAGES, default="fr"
    )

    objects = NeighbourhoodQuerySet.as_manager()

    class Meta:
        verbose_name = _("quartier")
        verbose_name_plural = _("quartiers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ActiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class Membership(models.Model):
    """A person working for a neighbourhood's table de quartier."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordination de la table")
        MEMBER = "member", _("Membre de l'équipe")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    started_at = models.DateTimeField(_("depuis"), default=timezone.now)
    ended_at = models.DateTimeField(_("jusqu'au"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre d'une table")
        verbose_name_plural = _("membres des tables")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "neighbourhood"], condition=Q(ended_at__isnull=True),
                name="one_active_membership_per_neighbourhood",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.neighbourhood} ({self.get_role_display()})"


class AdvisorAssignment(models.Model):
    """A Centraide advisor (conseiller·ère territorial·e) following a neighbourhood."""

    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advisor_assignments"
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="advisor_assignments"
    )
    started_at = models.DateTimeField(_("depuis"), default=timezone.now)
    ended_at = models.DateTimeField(_("jusqu'au"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("affectation de conseiller·ère")
        verbose_name_plural = _("affectations des conseiller·ère·s")
        constraints = [
            models.UniqueConstraint(
                fields=["advisor", "neighbourhood"], condition=Q(ended_at__isnull=True),
                name="one_active_assignment_per_neighbourhood",
            )
        ]

    def __str__(self) -> str:
        return f"{self.advisor} → {self.neighbourhood}"


class StaffRole(models.Model):
    """A role at the program level: coordination staff, advisor, or read-only partner."""

    class Role(models.TextChoices):
        COORDINATION = "coordination", _("Équipe de coordination PIC")
        ADVISOR = "advisor", _("Conseiller·ère territorial·e")
        PARTNER = "partner", _("Partenaire (lecture seule)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="staff_roles",
    )
    started_at = models.DateTimeField(_("depuis"), default=timezone.now)
    ended_at = models.DateTimeField(_("jusqu'au"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("rôle au programme")
        verbose_name_plural = _("rôles au programme")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(ended_at__isnull=True),
                name="one_active_staff_role_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


def is_coordination(user) -> bool:
    """Kept for callers by name (the MFA middleware): the role lookup of pic.access."""
    return roles_of(user).coordination


def is_advisor(user) -> bool:
    return roles_of(user).advisor


class Invitation(models.Model):
    """An invitation, by email, to a role; the invitee sets a password through a signed link."""

    class Kind(models.TextChoices):
        NEIGHBOURHOOD_COORDINATOR = "neighbourhood_coordinator", _("Coordination d'une table")
        NEIGHBOURHOOD_MEMBER = "neighbourhood_member", _("Membre d'une table")
        ADVISOR = "advisor", _("Conseiller·ère territorial·e")
        COORDINATION = "coordination", _("Équipe de coordination PIC")
        PARTNER = "partner", _("Partenaire (lecture seule)")
        COMMITTEE_SEAT = "committee_seat", _("Siège à un comité")

    email = models.EmailField(_("adresse courriel"))
    full_name = models.CharField(_("nom complet"), max_length=150, blank=True)
    kind = models.CharField(_("rôle offert"), max_length=40, choices=Kind.choices)
    neighbourhood = models.ForeignKey(
        Neighbourhood, verbose_name=_("quartier"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="invitations",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="invitations",
    )
    # What a higher layer needs to seat the person, e.g. {"committee": 3} for a committee seat.
    target = models.JSONField(default=dict, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} — {self.get_kind_display()}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
