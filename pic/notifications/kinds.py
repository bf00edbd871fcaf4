"""The kinds of notification: one vocabulary of strings, so that pic (the lowest layer) needs no
import from the apps that notify. Each kind has its label (the preferences page), its default
delivery and the sentence shown in the inbox and the email, in the reader's language.

`%(actor)s` is who did it (or « le système »), `%(object)s` the object's name when it was
notified; a service may pass more values to `notify(..., **context)`."""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    IMMEDIATE = "immediate", _("Courriel immédiat")
    DIGEST = "digest", _("Résumé quotidien")
    OFF = "off", _("Pas de courriel")


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    message: str | Promise
    default: str = Mode.DIGEST


# Decisions and requests are emailed at once by default; the rest waits for the daily digest.
KINDS: dict[str, Kind] = {k.code: k for k in [
    Kind("proposal.submitted", _("Proposition déposée"),
         _("%(actor)s a déposé la proposition « %(object)s »."), Mode.IMMEDIATE),
    Kind("proposal.changes_requested", _("Modifications demandées à une proposition"),
         _("%(actor)s demande des modifications à la proposition « %(object)s »."),
         Mode.IMMEDIATE),
    Kind("proposal.resubmitted", _("Proposition déposée de nouveau"),
         _("%(actor)s a déposé de nouveau la proposition « %(object)s »."), Mode.IMMEDIATE),
    Kind("analysis.started", _("Analyse commencée"),
         _("L'analyse de la proposition « %(object)s » a commencé.")),
    Kind("analysis.completed", _("Analyse terminée"),
         _("L'analyse de la proposition « %(object)s » est rédigée.")),
    Kind("agenda.added", _("Proposition mise à l'ordre du jour"),
         _("La proposition « %(object)s » est à l'ordre du jour d'une rencontre.")),
    Kind("vote.opened", _("Vote ouvert"),
         _("Le vote sur « %(object)s » est ouvert."), Mode.IMMEDIATE),
    Kind("vote.closing_soon", _("Vote qui se termine bientôt"),
         _("Votre vote sur « %(object)s » est attendu : le vote se termine bientôt."),
         Mode.IMMEDIATE),
    Kind("recommendation.recorded", _("Recommandation du comité"),
         _("Le comité a rendu sa recommandation sur la proposition « %(object)s »."),
         Mode.IMMEDIATE),
    Kind("proposal.ratified", _("Décision entérinée"),
         _("La décision sur la proposition « %(object)s » est entérinée."), Mode.IMMEDIATE),
    Kind("letter.sent", _("Lettre de décision envoyée"),
         _("La lettre de décision de la proposition « %(object)s » est envoyée."),
         Mode.IMMEDIATE),
    Kind("report.submitted", _("Rapport remis"),
         _("%(actor)s a remis le rapport « %(object)s »."), Mode.IMMEDIATE),
    Kind("report.returned", _("Rapport retourné avec des commentaires"),
         _("%(actor)s a retourné le rapport « %(object)s » avec des commentaires."),
         Mode.IMMEDIATE),
    Kind("report.accepted", _("Rapport accepté"),
         _("%(actor)s a accepté le rapport « %(object)s »."), Mode.IMMEDIATE),
    Kind("checkin.recorded", _("Bilan de mi-année consigné"),
         _("%(actor)s a consigné le bilan de mi-année « %(object)s ».")),
    Kind("payment.recorded", _("Versement consigné"),
         _("Un versement est consigné pour « %(object)s ».")),
    Kind("invitation.accepted", _("Invitation acceptée"),
         _("%(actor)s a accepté l'invitation (« %(object)s »).")),
    Kind("note.mention", _("Mention dans une note"),
         _("%(actor)s vous mentionne dans une note sur « %(object)s »."), Mode.IMMEDIATE),
    Kind("note.followed", _("Note sur un dossier que vous suivez"),
         _("%(actor)s a écrit une note sur « %(object)s ».")),
    Kind("export.ready", _("Export prêt à télécharger"),
         _("Votre export « %(object)s » est prêt à télécharger."), Mode.IMMEDIATE)]}


def kind(code: str) -> Kind:
    try:
        return KINDS[code]
    except KeyError:
        raise LookupError(f"unknown notification kind {code!r}: add it to "
                          "pic/notifications/kinds.py") from None
