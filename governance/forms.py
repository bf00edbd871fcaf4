"""Forms check the shape of input; the services check the rules."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from pic.forms import DateField
from proposals.guide import condition_guidance

from .models import Committee, CommitteeMember, Meeting, QuorumRule, RatificationAct, Vote
from .models.analyses import GUIDE_TEXT_FIELDS, Analysis


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["committee", "title", "held_on", "location", "quorum_rule"]
        field_classes = {"held_on": DateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.all()
        self.fields["quorum_rule"].choices = [("", _("Règle du comité")), *QuorumRule.choices]


class AgendaItemAddForm(forms.Form):
    proposal = forms.ModelChoiceField(label=_("Proposition"), queryset=None)

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.get_full_name() or obj.user.email} ({obj.organisation})"


class AttendanceForm(forms.Form):
    present = MemberChoiceField(
        label=_("Membres présents"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = (CommitteeMember.objects.current()
                                           .filter(committee_id=meeting.committee_id)
                                           .select_related("user", "organisation"))


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Votre vote"), choices=Vote.Choice.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez pour, contre ou abstention."),
                        "invalid_choice": _("Choisissez pour, contre ou abstention.")})


class ConflictForm(forms.Form):
    details = forms.CharField(
        label=_("Nature du conflit d'intérêts"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Elle est consignée au procès-verbal. Un vote déjà exprimé sur ce point "
                    "est retiré."),
        error_messages={"required": _("Précisez la nature du conflit d'intérêts.")},
    )


class CloseItemForm(forms.Form):
    reasons = forms.CharField(
        label=_("Motifs de la décision"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Repris dans la lettre de refus si la proposition n'est pas recommandée."),
    )


class RatificationForm(forms.Form):
    ratified_on = DateField(label=_("Date de l'entérinement"),
                                  error_messages={
                                      "required": _("Indiquez la date de l'entérinement."),
                                      "invalid": _("Indiquez la date de l'entérinement.")})


class MinutesUploadForm(forms.Form):
    file = forms.FileField(label=_("Procès-verbal adopté (PDF)"))


class ProposalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.neighbourhood} — {obj.title}"


class RatificationActForm(forms.Form):
    """The ratifying body's deliberation and the recommendations it ratifies (all ticked)."""

    mode = forms.ChoiceField(label=_("Forme de la délibération"),
                             choices=RatificationAct.Mode.choices, widget=forms.RadioSelect,
                             initial=RatificationAct.Mode.MEETING)
    held_on = DateField(label=_("Date de la délibération"),
                        error_messages={"required": _("Indiquez la date de la "
                                                      "délibération.")})
    resolution_number = forms.CharField(label=_("Numéro de résolution"), max_length=40,
                                        error_messages={"required": _("Indiquez le numéro "
                                                                      "de résolution.")})
    minutes = forms.FileField(label=_("Procès-verbal (PDF)"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    proposals = ProposalChoiceField(
        label=_("Recommandations entérinées"), queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une recommandation.")})

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = proposals
        self.fields["proposals"].initial = [p.pk for p in proposals]


class AnalysisForm(forms.Form):
    """Built from the proposal's stage: one met/comment pair per prerequisite, one amount per
    year of the stage's maximum duration."""

    MET_CHOICES = [("yes", _("Satisfait")), ("no", _("Non satisfait"))]

    needs_and_context = forms.CharField(label=_("Besoins et contexte du quartier"),
                                        widget=forms.Textarea(attrs={"rows": 5}), required=False)
    capacity_building_amount = forms.DecimalField(
        label=_("Renforcement des compétences recommandé ($)"), min_value=Decimal("0"),
        max_digits=12, decimal_places=2, initial=Decimal("0"))
    conditions = forms.CharField(label=_("Conditions"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, proposal, prerequisites, analysis=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.prerequisite_items = list(prerequisites)
        assessed = ({a.prerequisite_id: a for a in analysis.prerequisites.all()}
                    if analysis else {})
        years = {y.year_number: y.amount for y in analysis.years.all()} if analysis else {}
        requested = {y.year_number: y.amount for y in proposal.years.all()}
        for item in self.prerequisite_items:
            previous = assessed.get(item.pk)
            self.fields[f"met_{item.pk}"] = forms.ChoiceField(
                label=item.display_label, choices=self.MET_CHOICES, widget=forms.RadioSelect,
                initial=(("yes" if previous.met else "no") if previous else None),
            )
            self.fields[f"comment_{item.pk}"] = forms.CharField(
                label=_("Commentaire — %(prerequisite)s") % {"prerequisite": item.display_label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=previous.comment if previous else "",
            )
        for number in range(1, proposal.duration_years + 1):
            self.fields[f"year_{number}"] = forms.DecimalField(
                label=_("Montant recommandé, année %(n)s ($)") % {"n": number},
                min_value=Decimal("0"), max_digits=12, decimal_places=2,
                initial=years.get(number, requested.get(number)),
            )
        self.duration = proposal.duration_years
        for name in GUIDE_TEXT_FIELDS:  # each condition's assessment, the people's reach
            model_field = Analysis._meta.get_field(name)
            self.fields[name] = forms.CharField(
                label=model_field.verbose_name.capitalize(), required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=model_field.help_text or condition_guidance(name),
                initial=getattr(analysis, name, ""))
        if analysis is not None:
            self.initial.update(needs_and_context=analysis.needs_and_context,
                                capacity_building_amount=analysis.capacity_building_amount,
                                conditions=analysis.conditions)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "needs_and_context": data["needs_and_context"],
            "conditions": data["conditions"],
            "capacity_building_amount": data["capacity_building_amount"],
            "prerequisites": {item.pk: (data[f"met_{item.pk}"] == "yes",
                                        data[f"comment_{item.pk}"])
                              for item in self.prerequisite_items},
            "yearly_amounts": {n: data[f"year_{n}"] for n in range(1, self.duration + 1)},
            "guide_texts": {name: data[name] for name in GUIDE_TEXT_FIELDS},
        }


class SeatForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Comité"), queryset=Committee.objects.all())
    email = forms.EmailField(label=_("Adresse courriel de la personne"),
                             help_text=_("Sans compte sur la plateforme, la personne reçoit une "
                                         "invitation et siège dès qu'elle l'accepte."))
    full_name = forms.CharField(label=_("Nom complet (pour une invitation)"), max_length=150,
                                required=False)
    organisation = forms.ModelChoiceField(label=_("Organisation représentée"), queryset=None)
    is_chair = forms.BooleanField(label=_("Présidence"), required=False)

    def __init__(self, *args, **kwargs):
        from neighbourhoods.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.all()

    def clean_email(self):
        from pic.models import User

        email = self.cleaned_data["email"].strip().lower()
        self.cleaned_data["user"] = User.objects.filter(email__iexact=email,
                                                        is_active=True).first()
        return email


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} — {obj.committee.display_name} ({obj.held_on:%Y-%m-%d})"


class AgendaBulkAddForm(forms.Form):
    """Several proposals (ticked on the proposal list) for one meeting's agenda."""

    meeting = MeetingChoiceField(label=_("Rencontre"), queryset=None,
                                 empty_label=_("Choisir une rencontre"))
    proposal = forms.ModelMultipleChoiceField(queryset=None, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, meetings, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["proposal"].queryset = proposals


class LetterConditionsForm(forms.Form):
    conditions = forms.CharField(
        label=_("Conditions"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Le texte des conditions tel qu'il paraîtra dans la lettre; une nouvelle "
                    "version de la lettre est produite, toujours à envoyer."))


class LetterChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.proposal.neighbourhood.name} — {obj.proposal.title} (v{obj.version})"


class LetterBulkSendForm(forms.Form):
    letter = LetterChoiceField(label=_("Lettres à envoyer"), queryset=None,
                               widget=forms.MultipleHiddenInput)

    def __init__(self, *args, letters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letter"].queryset = letters
