"""Readable, translatable labels for the audit log: only strings, so that `pic` (the lowest
layer) needs no import from the apps above it.

`VERB_LABELS` holds every verb the services write with `audit()` (a test scans the code to
keep it complete); `verb_label()` and `details_display()` fall back to the raw code when a
verb or a key is unknown, so nothing is ever hidden."""

from typing import Any

from django.utils.translation import gettext_lazy as _

VERB_LABELS: dict[str, Any] = {
    # neighbourhoods
    "membership.created": _("Membre ajouté·e à une table"),
    "membership.role_changed": _("Rôle d'un·e membre de table modifié"),
    "membership.ended": _("Membre retiré·e d'une table"),
    "advisor.assigned": _("Conseiller·ère affecté·e à un quartier"),
    "advisor.unassigned": _("Conseiller·ère retiré·e d'un quartier"),
    "staff_role.granted": _("Rôle au programme accordé"),
    "staff_role.ended": _("Rôle au programme retiré"),
    "invitation.created": _("Invitation envoyée"),
    "invitation.accepted": _("Invitation acceptée"),
    "invitation.revoked": _("Invitation annulée"),
    "initiative.access_granted": _("Accès en lecture à une initiative accordé"),
    "initiative.access_revoked": _("Accès en lecture à une initiative retiré"),
    # proposals: program set-up (verb built from the model's name)
    "program.created": _("Programme créé"),
    "program.changed": _("Programme modifié"),
    "stage.created": _("Étape créée"),
    "stage.changed": _("Étape modifiée"),
    "prerequisiteitem.created": _("Prérequis créé"),
    "prerequisiteitem.changed": _("Prérequis modifié"),
    "window.created": _("Période de dépôt créée"),
    "window.changed": _("Période de dépôt modifiée"),
    "window.extension_granted": _("Prolongation de la date limite accordée"),
    # proposals
    "letter_of_intent.submitted": _("Lettre d'intention déposée"),
    "letter_of_intent.acknowledged": _("Lettre d'intention reçue"),
    "contact.recorded": _("Contact consigné"),
    "initiative.created": _("Initiative créée"),
    "proposal.created": _("Proposition créée"),
    "proposal.draft_saved": _("Brouillon de proposition enregistré"),
    "proposal.document_uploaded": _("Document ajouté à la proposition"),
    "proposal.document_deleted": _("Document retiré de la proposition"),
    # proposals: transitions (proposals/workflow.py TRANSITIONS)
    "proposal.submit": _("Proposition déposée"),
    "proposal.start_analysis": _("Analyse de la proposition commencée"),
    "proposal.request_changes": _("Modifications demandées à la proposition"),
    "proposal.resubmit": _("Proposition déposée de nouveau"),
    "proposal.recommend": _("Proposition recommandée"),
    "proposal.not_recommend": _("Proposition non recommandée"),
    "proposal.ratify": _("Proposition entérinée"),
    "proposal.mark_letter_sent": _("Lettre de décision marquée comme envoyée"),
    "proposal.withdraw": _("Proposition retirée"),
    # governance
    "committee.member_seated": _("Membre de comité nommé·e"),
    "committee.member_left": _("Membre de comité sorti·e"),
    "analysis.created": _("Analyse rédigée"),
    "analysis.updated": _("Analyse modifiée"),
    "meeting.created": _("Rencontre créée"),
    "meeting.attendance": _("Présences à la rencontre modifiées"),
    "meeting.minutes_generated": _("Procès-verbal produit"),
    "agenda_item.added": _("Proposition inscrite à l'ordre du jour"),
    "agenda_item.closed": _("Vote fermé"),
    "recusal.recorded": _("Récusation automatique consignée"),
    "recusal.declared": _("Conflit d'intérêts déclaré"),
    "vote.cast": _("Vote exprimé"),
    "vote.changed": _("Vote modifié"),
    "vote.withdrawn": _("Vote retiré"),
    "vote.reminder_sent": _("Rappel de vote envoyé"),
    "proposal.ratification_recorded": _("Entérinement consigné"),
    "ratification_act.recorded": _("Délibération d'entérinement consignée"),
    "ratification_act.completed": _("Délibération d'entérinement : dossiers traités"),
    "meeting.minutes_uploaded": _("Procès-verbal adopté déposé"),
    "letter.refusal_requested": _("Lettre de refus demandée"),
    "letter.generated": _("Lettre de décision produite"),
    "letter.emailed": _("Lettre de décision envoyée par courriel"),
    "letter.sent": _("Lettre de décision relue et envoyée"),
    "letter.acknowledged": _("Conditions de la lettre acceptées par la table"),
    "letter.conditions_corrected": _("Conditions de la lettre corrigées avant l'envoi"),
    "letter_template.saved": _("Modèle de lettre enregistré"),
    "letter_template.reset": _("Modèle de lettre rétabli au texte d'origine"),
    "letterhead.saved": _("En-tête des lettres enregistré"),
    "letter_signatory.saved": _("Signataire des lettres enregistré"),
    # reporting
    "allocation.created": _("Allocation créée"),
    "allocation.stage_closed": _("Étape de l'allocation terminée"),
    "disbursement.recorded": _("Versement consigné"),
    "envelope.set": _("Enveloppe annuelle fixée"),
    "contribution.set": _("Contribution d'un partenaire à l'enveloppe enregistrée"),
    "proposal.budget_saved": _("Budget par poste enregistré"),
    "instalment.release": _("Versement prévu libéré"),
    "instalment.pay": _("Versement prévu payé"),
    "instalment.changed": _("Versement prévu modifié"),
    "reporting_config.saved": _("Paramètres du suivi enregistrés"),
    "checkin.recorded": _("Bilan de mi-année consigné"),
    "checkin.corrected": _("Bilan de mi-année corrigé"),
    "report.draft_saved": _("Brouillon de rapport enregistré"),
    "report.document_uploaded": _("Document ajouté au rapport"),
    "indicator.added": _("Indicateur ajouté"),
    # reporting: transitions (reporting/reports.py TRANSITIONS)
    "report.submit": _("Rapport remis"),
    "report.request_changes": _("Modifications demandées au rapport"),
    "report.resubmit": _("Rapport remis de nouveau"),
    "report.accept": _("Rapport accepté"),
    "export.requested": _("Export demandé (préparé en arrière-plan)"),
    "import.done": _("Importation effectuée"),
    "import.row_created": _("Ligne importée : fiche créée"),
    "import.row_updated": _("Ligne importée : fiche modifiée"),
    "organisation.recusal_changed": _(
        "Retrait des décisions d'investissement de l'organisation modifié"),
    "reminders.digest_sent": _("Courriel de rappels envoyé"),
    "reminders.preferences_saved": _("Préférences de rappel enregistrées"),
    "neighbourhood.reminded": _("Rappel envoyé aux membres du quartier"),
    "calendar_feed.created": _("Adresse d'agenda iCalendar créée"),
    "calendar_feed.revoked": _("Adresse d'agenda iCalendar révoquée"),
    # the initiative's journey: the plan de quartier, amendments after ratification
    # (reporting/services/amendments.py TRANSITIONS)
    "neighbourhood_plan.recorded": _("Plan de quartier consigné"),
    "proposal.amended": _("Proposition modifiée après entérinement"),
    "amendment.created": _("Modification commencée"),
    "amendment.saved": _("Modification enregistrée"),
    "amendment.submit": _("Modification déposée"),
    "amendment.review": _("Modification revue par le·la conseiller·ère"),
    "amendment.request_changes": _("Modifications demandées à la modification"),
    "amendment.accept": _("Modification acceptée"),
    "amendment.refer": _("Modification renvoyée au comité"),
    "amendment.on_agenda": _("Modification inscrite à l'ordre du jour du comité de gestion"),
    "amendment.approve": _("Modification approuvée par le comité de gestion"),
    "amendment.refuse": _("Modification refusée par le comité de gestion"),
    "amendment.withdraw": _("Modification retirée"),
    # pic: Quebec Law 25
    "privacy.data_exported": _("Données personnelles téléchargées par la personne"),
    "privacy.person_anonymised": _("Personne anonymisée (politique de conservation)"),
    "privacy.retention_applied": _("Politique de conservation appliquée"),
    "consent.given": _("Consentement donné"),
    "consent.withdrawn": _("Consentement retiré"),
    "incident.recorded": _("Incident de confidentialité consigné"),
    "incident.updated": _("Incident de confidentialité mis à jour"),
    # pic: notes and notifications
    "note.written": _("Note écrite"),
    "note.edited": _("Note modifiée"),
    "note.deleted": _("Note supprimée"),
    "notifications.preferences_saved": _("Préférences de notification enregistrées"),
}

# Keys that appear in details, in words (unknown keys are shown as they are).
KEY_LABELS: dict[str, Any] = {
    "before": _("de"),
    "after": _("à"),
    "choice": _("choix"),
    "previous": _("choix précédent"),
    "reason": _("motif"),
    "details": _("précisions"),
    "role": _("rôle"),
    "kind": _("type"),
    "email": _("courriel"),
    "neighbourhood": _("quartier"),
    "committee": _("comité"),
    "organisation": _("organisation"),
    "member": _("membre"),
    "meeting": _("rencontre"),
    "proposal": _("proposition"),
    "result": _("résultat"),
    "votes_for": _("pour"),
    "votes_against": _("contre"),
    "votes_abstain": _("abstentions"),
    "eligible": _("votant·es admissibles"),
    "present": _("présent·es"),
    "quorum_needed": _("quorum requis"),
    "held_on": _("tenue le"),
    "due_on": _("prévu le"),
    "ratified_on": _("entérinée le"),
    "starts_on": _("début"),
    "new_deadline": _("nouvelle date limite"),
    "name": _("nom"),
    "version": _("version"),
    "amount": _("montant"),
    "amounts": _("montants"),
    "year": _("année"),
    "paid_on": _("payé le"),
    "count": _("nombre"),
    "recipients": _("destinataires"),
    "added": _("ajouté·es"),
    "removed": _("retiré·es"),
    "date": _("date"),
    "stage": _("étape"),
    "because": _("parce que"),
    "report": _("rapport"),
    "document": _("document"),
    "indicator": _("indicateur"),
    "rows": _("lignes"),
    "totals": _("totaux"),
    "override": _("dérogation"),
    "override_reason": _("motif de la dérogation"),
    "prerequisites_met": _("prérequis remplis"),
    "yearly_amounts": _("montants annuels"),
    "capacity_building_amount": _("renforcement des compétences"),
    "sha256": _("empreinte SHA-256"),
    "letter": _("lettre"),
    "row": _("ligne"),
    "changes": _("modifications"),
    "purpose": _("finalité"),
    "format": _("format"),
    "discovered_on": _("connu le"),
    "people_affected": _("personnes concernées"),
    "fields": _("champs"),
    "anonymised": _("personnes anonymisées"),
    "inactive_years": _("années d'inactivité"),
    "cutoff": _("inactives depuis avant le"),
}

# Shown first, in this order ("de … à …"); PostgreSQL's jsonb does not keep the keys' order.
FIRST_KEYS = ("before", "after")

# Codes that appear as values (statuses, vote choices, results…), by the verb's first part
# when the same code reads differently there, else in `VALUE_LABELS[""]`.
VALUE_LABELS: dict[str, dict[str, Any]] = {
    "proposal": {
        "draft": _("Brouillon"),
        "submitted": _("Déposée"),
        "in_analysis": _("En analyse"),
        "changes_requested": _("Modifications demandées"),
        "resubmitted": _("Déposée de nouveau"),
        "recommended": _("Recommandée"),
        "not_recommended": _("Non recommandée"),
        "ratified": _("Entérinée"),
        "letter_sent": _("Lettre envoyée"),
        "withdrawn": _("Retirée"),
    },
    "report": {
        "draft": _("Brouillon"),
        "submitted": _("Remis"),
        "changes_requested": _("Modifications demandées"),
        "resubmitted": _("Remis de nouveau"),
        "accepted": _("Accepté"),
    },
    "": {
        "for": _("Pour"),
        "against": _("Contre"),
        "abstain": _("Abstention"),
        "recommended": _("Recommandée"),
        "not_recommended": _("Non recommandée"),
        "allocation": _("Lettre de confirmation d'allocation"),
        "refusal": _("Lettre de refus"),
        "organisation": _("Son organisation se retire des décisions d'investissement"),
        "neighbourhood": _("Son organisation est la table de quartier visée"),
        "conflict": _("Conflit d'intérêts déclaré"),
        # contacts with the advisor
        "pre_submission": _("Échange avant le dépôt"),
        "follow_up": _("Suivi"),
        "analysis": _("Retour d'analyse"),
        "other": _("Autre"),
    },
}

# Keys whose value is a code to put in words.
CODED_KEYS = {"before", "after", "choice", "previous", "result", "kind", "reason"}


def verb_label(verb: str) -> str:
    """The verb in words, in the active language; the code itself when unknown."""
    label = VERB_LABELS.get(verb)
    return str(label) if label is not None else verb


def verb_choices() -> list[tuple[str, str]]:
    """(code, label) for a filter, sorted by label."""
    return sorted(((v, str(label)) for v, label in VERB_LABELS.items()), key=lambda c: c[1])


def _value(verb: str, key: str, value: Any) -> str:
    if isinstance(value, bool):
        return str(_("oui") if value else _("non"))
    if isinstance(value, list | tuple):
        return ", ".join(_value(verb, key, v) for v in value)
    if isinstance(value, dict) and set(value) == {"before", "after"}:  # an import's change
        return " → ".join(_value(verb, k, value[k]) or "—" for k in ("before", "after"))
    if isinstance(value, dict):
        return ", ".join(f"{k} {_value(verb, key, v)}" for k, v in value.items())
    if key in CODED_KEYS and isinstance(value, str):
        scope = VALUE_LABELS.get(verb.split(".", 1)[0], {})
        label = scope.get(value, VALUE_LABELS[""].get(value))
        if label is not None:
            return str(label)
    return "" if value is None else str(value)


def details_display(verb: str, details: dict | None) -> list[tuple[str, str]]:
    """The details as (key, value) pairs in words; unknown keys and values are kept as they
    are."""
    details = details or {}
    keys = [k for k in FIRST_KEYS if k in details]
    keys += [k for k in details if k not in FIRST_KEYS]
    return [(str(KEY_LABELS.get(key, key)), _value(verb, key, details[key])) for key in keys]
