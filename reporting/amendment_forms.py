"""The amendment's form (shape only; the rules are reporting/services/amendments.py's)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.models import CI_CONDITIONS, Proposal

from .models import Amendment

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class AmendmentForm(forms.Form):
    """Built for one amendment: the allocation's years, the values of the version in force
    (or already amended) as initial values."""

    reason = forms.CharField(label=_("Ce qui change, à la suite de l'échange avec l'équipe"),
                             widget=TEXTAREA, required=False)
    year_number = forms.TypedChoiceField(label=_("Année du plan d'action"), coerce=int)
    action_plan = forms.CharField(label=_("Plan d'action de l'année à venir"),
                                  widget=forms.Textarea(attrs={"rows": 8}), required=False)
    summary = forms.CharField(label=_("Résumé"), widget=TEXTAREA, required=False)
    vision = forms.CharField(label=_("Vision de changement (une page)"),
                             widget=forms.Textarea(attrs={"rows": 6}), required=False)
    edi = forms.CharField(label=_("Équité, diversité et inclusion (ÉDI)"), widget=TEXTAREA,
                          required=False)
    adjusts_initiative = forms.BooleanField(
        label=_("Ajuster l'initiative (une fois par année)"), required=False)
    initiative_title = forms.CharField(label=_("Titre de l'initiative"), max_length=200,
                                       required=False)
    desired_change = forms.CharField(label=_("Changement souhaité de l'initiative"),
                                     widget=TEXTAREA, required=False)

    def __init__(self, *args, amendment: Amendment, **kwargs):
        super().__init__(*args, **kwargs)
        self.amendment = amendment
        years = list(amendment.allocation.years.all())
        self.fields["year_number"].choices = [(y.year_number, str(y)) for y in years]
        for name in CI_CONDITIONS:
            self.fields[name] = forms.CharField(
                label=Proposal._meta.get_field(name).verbose_name.capitalize(),
                widget=TEXTAREA, required=False)
        base = amendment.base_version.snapshot if amendment.base_version_id else {}
        amended = {**base, **amendment.changes}
        self.year_names = []
        for year in years:
            name = f"year_{year.year_number}"
            self.fields[name] = forms.DecimalField(
                label=_("Montant, année %(n)s ($)") % {"n": year.year_number}, min_value=0,
                max_digits=12, decimal_places=2, required=False,
                help_text=_("Alloué : %(a)s $") % {"a": year.amount})
            self.year_names.append((name, year.year_number))
        if not self.is_bound:
            years_now = {**amendment.allocated, **amendment.changes.get("years", {})}
            self.initial.update({key: amended.get(key, "") for key in (
                "summary", "vision", "edi", *CI_CONDITIONS, "initiative_title",
                "desired_change")})
            self.initial.update({name: years_now.get(str(n), "") for name, n in self.year_names})
            self.initial.update(reason=amendment.reason, action_plan=amendment.action_plan,
                                year_number=amendment.year_number,
                                adjusts_initiative=amendment.adjusts_initiative)

    def data_for_service(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items()
                if not key.startswith("year_") or key == "year_number"}
        data["years"] = {n: self.cleaned_data[name] for name, n in self.year_names}
        return data


class AmendmentReviewForm(forms.Form):
    note = forms.CharField(label=_("Avis du·de la conseiller·ère (facultatif)"), widget=TEXTAREA,
                           required=False)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.held_on:%Y-%m-%d})"


class AmendmentAgendaForm(forms.Form):
    """The upcoming comité de gestion meeting a referred amendment goes to."""

    meeting = MeetingChoiceField(label=_("Rencontre du comité de gestion"), queryset=None,
                                 error_messages={"required": _("Choisissez une rencontre."),
                                                 "invalid_choice": _("Choisissez une rencontre "
                                                                     "à venir du comité de "
                                                                     "gestion.")})

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
