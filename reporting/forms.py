"""Forms check the shape of input; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pic.formatting import format_number
from pic.forms import DateField, RowFormSet, error_summary
from proposals.budget import budget_categories
from proposals.documents import ACCEPTED_HELP
from proposals.forms import AmountField
from proposals.guide import EdiAxis, condition_guidance
from proposals.models import CI_CONDITIONS, IndicatorDefinition

from .models import CheckIn, FunderContribution, ReminderPreference, Report, ReportingConfig

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


class DisbursementForm(forms.Form):
    allocation_year = forms.ModelChoiceField(queryset=None, label=_("Année"))
    amount = forms.DecimalField(label=_("Montant ($)"), max_digits=12, decimal_places=2)
    paid_on = DateField(label=_("Versé le"))
    override_reason = forms.CharField(
        label=_("Motif de dérogation"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Requis pour verser une année dont le rapport annuel précédent n'est pas "
                    "accepté."))

    def __init__(self, *args, allocation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocation_year"].queryset = allocation.years.all()


class InstalmentReleaseForm(forms.Form):
    released_on = DateField(label=_("Libéré le"))
    override_reason = forms.CharField(
        label=_("Motif de dérogation"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Requis seulement si la condition du versement n'est pas remplie."))


class InstalmentPayForm(forms.Form):
    paid_on = DateField(label=_("Versé le"))


class InstalmentChangeForm(forms.Form):
    planned_on = DateField(label=_("Date prévue"))
    amount = AmountField(label=_("Montant ($)"), min_value=0)
    reason = forms.CharField(label=_("Motif de la modification"),
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Indiquez le motif de la "
                                                           "modification.")})


class EnvelopeForm(forms.Form):
    year = forms.IntegerField(label=_("Année civile"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("Enveloppe ($)"), **MONEY)


class ContributionForm(forms.Form):
    year = forms.IntegerField(label=_("Année civile"), min_value=2000, max_value=2100)
    funder = forms.ModelChoiceField(label=_("Partenaire"), queryset=None)
    kind = forms.ChoiceField(label=_("Nature"), choices=FunderContribution.Kind.choices)
    amount = forms.DecimalField(label=_("Montant ($)"), help_text=_("0 retire la contribution."),
                                **MONEY)
    note = forms.CharField(label=_("Précision"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        from neighbourhoods.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = Organisation.objects.exclude(
            category=Organisation.Category.COMMUNITY)


class ReportingConfigForm(forms.ModelForm):
    class Meta:
        model = ReportingConfig
        fields = ["annual_report_delay_days", "final_report_delay_days", "checkin_months",
                  "instalment_months", "variance_threshold_percent"]


class CheckInForm(forms.ModelForm):
    class Meta:
        model = CheckIn
        fields = ["held_on", "participants", "summary", "follow_ups"]
        field_classes = {"held_on": DateField}
        widgets = {"participants": forms.Textarea(attrs={"rows": 2}),
                   "summary": forms.Textarea(attrs={"rows": 5}),
                   "follow_ups": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].required = True
        self.fields["participants"].required = True
        self.fields["summary"].required = True


class ReportTextForm(forms.ModelForm):
    """The report's texts. The guide's: what was done for each condition of collective impact,
    the ÉDI axes, the « pérennisation » (stages 2 and 3), the capacity building (annual)."""

    edi_axes = forms.MultipleChoiceField(
        label=_("Axes ÉDI travaillés (guide, section 2.1)"), choices=EdiAxis.choices,
        required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Report
        fields = ["activities", "evaluation_progress", "learnings", "reinvestment", "edi",
                  "edi_axes", *CI_CONDITIONS, "sustainability", "capacity_building",
                  "strategic_learnings"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields
                   if name != "edi_axes"}
        help_texts = {
            "sustainability": _("Comment l'initiative sera-t-elle pérennisée au-delà du "
                                "soutien du PIC ?"),
            "capacity_building": _("Le soutien des partenaires externes, les ressources "
                                   "internes en évaluation et les autres activités de "
                                   "renforcement des compétences de l'année."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.kind != Report.Kind.FINAL:
            del self.fields["strategic_learnings"]
        else:
            del self.fields["capacity_building"]
        if self.instance.allocation.stage.number < 2:  # the guide asks it at stages 2 and 3
            del self.fields["sustainability"]
        for name in CI_CONDITIONS:
            self.fields[name].label = self.fields[name].label.capitalize()
            self.fields[name].help_text = condition_guidance(name)

    def clean_edi_axes(self):
        return [value for value in EdiAxis.values if value in self.cleaned_data["edi_axes"]]


class FinancialLineForm(forms.Form):
    """One row of the financial statement: a category's budget, actual and the explanation of
    a variance (budget and actual blank: no line). With a ratified budget the budget is shown,
    not typed (`budget_fixed`)."""

    category = forms.CharField(widget=forms.HiddenInput, max_length=30)
    # typed as people write amounts: "25 000", "25000,50" (proposals.forms.AmountField)
    budget = AmountField(required=False, min_value=0)
    actual = AmountField(required=False, min_value=0)
    explanation = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, labels=None, budget_fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        category = self["category"].value()
        self.category_label = (labels or {}).get(category, category)
        self.budget_fixed = budget_fixed
        if budget_fixed:
            self.fields["budget"].disabled = True
        self.fields["budget"].label = f"{self.category_label} — {_('budget')}"
        self.fields["actual"].label = f"{self.category_label} — {_('réel')}"
        explanation = _("explication de l'écart")
        self.fields["explanation"].label = f"{self.category_label} — {explanation}"


class _StatementRows(RowFormSet):
    def clean(self):
        categories = [form.cleaned_data.get("category") for form in self.forms
                      if form.cleaned_data]
        if len(categories) != len(set(categories)):
            raise forms.ValidationError(_("Une catégorie figure deux fois dans l'état financier."))
        known = set(self.form_kwargs.get("labels") or {})
        if any(category not in known for category in categories):
            raise forms.ValidationError(_("Catégorie inconnue."))


FinancialLineFormSet = forms.formset_factory(
    FinancialLineForm, formset=_StatementRows, extra=0, max_num=100, validate_max=True)


class FinancialStatementForm(forms.Form):
    """The financial statement: a formset of one row per category of the program (`formset`),
    held by a form so that the view validates it, reads it and shows a service's errors like
    its other forms. Its budget starts from the ratified budget. A post without the
    statement's rows leaves the lines as they are."""

    def __init__(self, data=None, *, report: Report, **kwargs):
        from .services.reports import category_labels, report_budget

        super().__init__(data, **kwargs)
        existing = {line.category: line for line in report.lines.all()}
        labels = category_labels(report)
        ratified = report_budget(report)
        codes = [*labels] + [code for code in existing if code not in labels]
        active = {c.code for c in budget_categories(report.allocation.stage.program)}
        codes = [c for c in codes if c in active or c in existing or c in ratified]
        self.formset = FinancialLineFormSet.from_post(
            data, prefix="lines", form_kwargs={"labels": labels, "budget_fixed": bool(ratified)},
            initial=[{"category": code,
                      "budget": ratified.get(code) if ratified
                      else getattr(existing.get(code), "budget", None),
                      "actual": getattr(existing.get(code), "actual", None),
                      "explanation": getattr(existing.get(code), "explanation", "")}
                     for code in codes])

    def is_valid(self) -> bool:
        form_valid = super().is_valid()
        return self.formset.is_valid_or_unposted() and form_valid

    def lines(self) -> dict:
        if not self.formset.is_bound:
            return {}
        return {row["category"]: (row.get("budget"), row.get("actual"),
                                  row.get("explanation", ""))
                for row in self.formset.rows()}

    def error_summary(self) -> list[tuple[str, str, str]]:
        return error_summary(self, self.formset) if self.formset.is_bound else error_summary(self)


class QuestionProgressForm(forms.Form):
    """For each evaluation question of the proposal: data, progress, learning, reinvestment."""

    PARTS = (("data_collected", _("Données recueillies")),
             ("progress", _("Progrès par rapport à la cible")),
             ("learned", _("Ce que nous avons appris")),
             ("reinvested", _("Comment nous le réinvestissons")))

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {p.question_id: p for p in report.question_progress.all()}
        self.questions = []
        for question in report.allocation.proposal.evaluation_questions.all():
            bound = []
            for part, label in self.PARTS:
                name = f"q{question.pk}_{part}"
                self.fields[name] = forms.CharField(
                    label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                    initial=getattr(existing.get(question.pk), part, ""))
                bound.append(self[name])
            self.questions.append((question, bound))

    def values(self) -> dict[int, dict[str, str]]:
        return {question.pk: {part: self.cleaned_data.get(f"q{question.pk}_{part}", "")
                              for part, _label in self.PARTS}
                for question, _fields in self.questions}


def _plain(value):
    """An indicator's value in its field: « 60 », not « 60.00 »."""
    return None if value is None else format(value.normalize(), "f")


class IndicatorValuesForm(forms.Form):
    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        values = {v.indicator_id: v.actual for v in report.indicator_values.all()}
        self.indicators = []
        for question in report.allocation.proposal.evaluation_questions.all():
            for indicator in question.indicators.all():
                name = f"indicator_{indicator.pk}"
                self.fields[name] = forms.DecimalField(
                    label=f"{indicator.name} ({indicator.unit})", required=False,
                    max_digits=14, decimal_places=2, initial=_plain(values.get(indicator.pk)),
                    help_text=_("Départ : %(b)s — cible : %(t)s") % {
                        "b": format_number(indicator.baseline),
                        "t": format_number(indicator.target)})
                self.indicators.append((indicator, self[name]))

    def values(self) -> dict:
        return {int(name.removeprefix("indicator_")): value
                for name, value in self.cleaned_data.items()}


class IndicatorForm(forms.Form):
    """An indicator from the program's catalogue (its values add up across neighbourhoods),
    or a free one with its own name and unit."""

    question = forms.ModelChoiceField(queryset=None, label=_("Question d'évaluation"))
    definition = forms.ModelChoiceField(
        queryset=None, label=_("Indicateur du catalogue"), required=False,
        help_text=_("Choisi dans le catalogue, l'indicateur s'additionne à ceux des autres "
                    "quartiers; sinon, écrivez un indicateur libre ci-dessous."))
    name = forms.CharField(label=_("Indicateur libre"), max_length=200, required=False)
    unit = forms.CharField(label=_("Unité"), max_length=40, required=False)
    baseline = forms.DecimalField(label=_("Valeur de départ"), required=False, max_digits=14,
                                  decimal_places=2)
    target = forms.DecimalField(label=_("Cible"), required=False, max_digits=14,
                                decimal_places=2)

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = proposal.evaluation_questions.all()
        self.fields["definition"].queryset = IndicatorDefinition.objects.filter(
            program=proposal.stage.program_id, active=True)

    def clean(self):
        data = super().clean()
        if not data.get("definition") and not (
                (data.get("name") or "").strip() and (data.get("unit") or "").strip()):
            raise forms.ValidationError(_("Choisissez un indicateur du catalogue, ou écrivez le "
                                          "nom et l'unité d'un indicateur libre."))
        return data


class ReportDocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"), help_text=ACCEPTED_HELP)


class RequestChangesForm(forms.Form):
    message = forms.CharField(label=_("Modifications demandées"),
                              widget=forms.Textarea(attrs={"rows": 4}))


class ReminderPreferenceForm(forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["window_closing", "report_due_early", "checkin_due"]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Données"), choices=())
    file = forms.FileField(label=_("Fichier CSV ou XLSX"), required=False)
    # The confirmation names the job of the preview (its file is in private storage).
    job = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("job"):
            self.add_error("file", _("Choisissez un fichier."))
        return data
