"""Forms check the shape of input; the rules live in rules.py and the services."""

import re
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.forms.formsets import TOTAL_FORM_COUNT
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from neighbourhoods.models import Neighbourhood
from pic.drafts import version_of
from pic.formatting import format_money
from pic.forms import DateField, RowFormSet, error_summary
from pic.models import User

from . import journey, rules
from .documents import ACCEPTED_HELP
from .guide import CapacityTheme, EdiAxis, EvaluationAim, condition_guidance
from .models import (
    CAPACITY_AMOUNTS,
    CI_CONDITIONS,
    Contact,
    ExternalPartner,
    Initiative,
    PlanPriority,
    PrerequisiteItem,
    Proposal,
    Stage,
)

TEXTAREA = forms.Textarea(attrs={"rows": 4})
QUESTION_SLOTS = 3
QUESTION_MAX = 20
SPACES = re.compile(r"[\s\u00a0\u202f]+")
GROUPED = re.compile(r"-?[1-9]\d{0,2}(,\d{3})+(\.\d*)?")


class AmountField(forms.DecimalField):
    """A dollar amount typed as people write it: "25000", "25 000", "25000,50", "25000.50",
    "25,000" or "25 000 $". A whole amount shows without ".00" when the form is redisplayed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = SPACES.sub("", value).replace("$", "")
            if GROUPED.fullmatch(value):  # "25,000" or "1,250,000.50": commas group thousands
                value = value.replace(",", "")
            elif value.count(",") == 1 and "." not in value:  # "25000,50": a decimal comma
                value = value.replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            value = Decimal(value)
            if value == value.to_integral_value():
                return str(int(value))
            return f"{value:.2f}"
        return value


class YearAmountForm(forms.Form):
    """The amount asked for one year of the proposal (a row of YearAmountFormSet); its
    number is its place in the formset, and its id the rules' key (`year_N`), so a rule's
    error links to it and shows beside it."""

    amount = AmountField(min_value=0, required=False)

    def __init__(self, *args, number: int | None = None, stage: Stage | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        self.rule_key = rules.year_field(number) if number else ""
        field = self.fields["amount"]
        field.label = _("Montant demandé, année %(n)s ($)") % {"n": number or ""}
        if stage is not None:
            field.help_text = _("Entre %(low)s et %(high)s.") % {
                "low": format_money(stage.min_yearly_amount),
                "high": format_money(stage.max_yearly_amount)}
        if number:
            field.widget.attrs["id"] = f"id_{self.rule_key}"


class _YearRows(RowFormSet):
    """One row per year the stage allows (or the proposal already has): no row to add."""

    def __init__(self, *args, stage: Stage, count: int, **kwargs):
        self.stage, self.max_num, self.absolute_max = stage, count, count
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"number": None if index is None else index + 1, "stage": self.stage}


YearAmountFormSet = forms.formset_factory(YearAmountForm, formset=_YearRows, extra=0,
                                          validate_max=True)


class EvaluationQuestionForm(forms.Form):
    """One evaluation question of a proposal (a row of EvaluationQuestionFormSet)."""

    question = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    aim = forms.ChoiceField(label=_("Visée du guide"), required=False,
                            choices=[("", "—"), *EvaluationAim.choices])
    data_to_collect = forms.CharField(label=_("Données à collecter"), required=False,
                                      max_length=2000)
    target = forms.CharField(label=_("Cible"), required=False, max_length=2000)

    def __init__(self, *args, number: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].label = _("Question d'évaluation %(n)s") % {"n": number or ""}

    def clean(self):
        data = super().clean()
        if not (data.get("question") or "").strip() and (
                (data.get("data_to_collect") or "").strip() or (data.get("target") or "").strip()):
            self.add_error("question", _("Écrivez la question, ou videz cette ligne."))
        return data


class _QuestionRows(RowFormSet):
    def __init__(self, *args, initial=None, **kwargs):
        super().__init__(*args, initial=initial, **kwargs)
        self.extra = max(QUESTION_SLOTS - len(initial or []), 1)  # three rows, or one empty

    def get_form_kwargs(self, index):
        return {"number": None if index is None else index + 1}


EvaluationQuestionFormSet = forms.formset_factory(
    EvaluationQuestionForm, formset=_QuestionRows, can_delete=True, max_num=QUESTION_MAX,
    validate_max=True)


class ProposalForm(forms.Form):
    """Every field optional: a draft is saved whatever its state. Built for one proposal (its
    stage's prerequisites and maximum duration)."""

    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    summary = forms.CharField(label=_("Résumé"), widget=TEXTAREA, required=False)
    vision = forms.CharField(label=_("Vision de changement (une page)"),
                             widget=forms.Textarea(attrs={"rows": 8}), required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)  # pic.drafts
    duration_justification = forms.CharField(
        label=_("Justification de la durée"), widget=TEXTAREA, required=False,
        help_text=_("Exigée au-delà de la durée normale de l'étape."))
    capacity_building_amount = AmountField(
        label=_("Renforcement des compétences ($)"), min_value=0, required=False)
    edi = forms.CharField(label=_("Équité, diversité et inclusion (ÉDI)"), widget=TEXTAREA,
                          required=False)
    edi_axes = forms.MultipleChoiceField(
        label=_("Axes ÉDI travaillés (guide, section 2.1)"), choices=EdiAxis.choices,
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Le guide invite à travailler plusieurs de ces aspects à la fois."))
    # --- Capacity building as the guide has it (5.4) ---
    capacity_partners = forms.ModelMultipleChoiceField(
        label=_("Partenaires externes choisis"), queryset=ExternalPartner.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Parmi la liste des partenaires ciblés par le programme."))
    capacity_external_amount = AmountField(
        label=_("Accompagnement par des partenaires externes ($)"), min_value=0, required=False)
    capacity_internal_amount = AmountField(
        label=_("Ressources internes en évaluation ($)"), min_value=0, required=False)
    capacity_other_amount = AmountField(
        label=_("Autres renforcements des compétences ($)"), min_value=0, required=False,
        help_text=_("Les trois parts totalisent le montant du renforcement des compétences."))
    capacity_needs = forms.MultipleChoiceField(
        label=_("Besoins de renforcement des compétences, par thème"),
        choices=CapacityTheme.choices, required=False, widget=forms.CheckboxSelectMultiple)
    capacity_needs_detail = forms.CharField(label=_("Précisions sur les besoins"),
                                            widget=TEXTAREA, required=False)
    # --- The initiative's journey (w-journey) ---
    previous_learnings = forms.CharField(
        label=_("Apprentissages de l'étape précédente"), widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Ce que l'étape précédente a appris et comment vous le réinvestissez."))
    stage_jump_justification = forms.CharField(
        label=_("Justification du passage de la planification à l'intensification"),
        widget=TEXTAREA, required=False,
        help_text=_("Exigée pour passer de l'étape 1 à l'étape 3 : p. ex. une initiative déjà "
                    "déployée à la phase 1, avec des effets documentés."))

    def __init__(self, *args, proposal: Proposal, **kwargs):
        self.proposal = proposal
        stage = proposal.stage
        super().__init__(*args, **kwargs)
        # The widget's limits are the stage's (1 to its maximum duration).
        duration = self.fields["duration_years"] = forms.IntegerField(
            label=_("Durée demandée (années)"), min_value=1,
            max_value=stage.max_duration_years, required=False)
        duration.help_text = ngettext(
            "Durée normale : %(normal)s an; au plus %(max)s avec une justification.",
            "Durée normale : %(normal)s ans; au plus %(max)s avec une justification.",
            stage.normal_duration_years) % {
            "normal": stage.normal_duration_years, "max": stage.max_duration_years}
        self.fields["capacity_building_amount"].help_text = _(
            "Au plus %(max)s pour l'étape.") % {"max": format_money(stage.capacity_building_amount)}
        years = {y.year_number: y.amount for y in proposal.years.all()}
        count = max(stage.max_duration_years, *years, 1)
        self.year_formset = YearAmountFormSet.from_post(
            self.data if self.is_bound else None, prefix="years", stage=stage, count=count,
            initial=[{"amount": years.get(number)} for number in range(1, count + 1)])
        for name in CI_CONDITIONS:
            self.fields[name] = forms.CharField(
                label=Proposal._meta.get_field(name).verbose_name.capitalize(),
                widget=TEXTAREA, required=False, help_text=condition_guidance(name))
        chosen = [p.pk for p in proposal.capacity_partners.all()]
        self.fields["capacity_partners"].queryset = ExternalPartner.objects.filter(
            Q(active=True) | Q(pk__in=chosen), program=stage.program_id)
        self.evidence_names = []
        for item in stage.prerequisites.all():
            name = rules.evidence_field(item.pk)
            self.fields[name] = forms.CharField(label=item.display_label, widget=TEXTAREA,
                                                required=False,
                                                help_text=item.display_guidance)
            self.evidence_names.append((name, item))
        questions = [{"question": q.question, "aim": q.aim, "data_to_collect": q.data_to_collect,
                      "target": q.target} for q in proposal.evaluation_questions.all()]
        posted = self.is_bound and f"questions-{TOTAL_FORM_COUNT}" in self.data
        self.question_formset = EvaluationQuestionFormSet.from_post(
            self.data if self.is_bound else None, prefix="questions",
            initial=None if posted else questions)  # posted: every row typed counts
        if not self.is_bound:
            self.initial.update(self._initial_from(proposal))
            self.initial["version"] = version_of(proposal)
        self._mark_carried(proposal)

    JOURNEY_FIELDS = ("previous_learnings", "stage_jump_justification")
    CAPACITY_AMOUNTS = CAPACITY_AMOUNTS
    # A set of checkboxes with none ticked posts nothing: it counts as posted when the text
    # field of its section is (a section page posts its own fields only).
    CHOICE_LISTS = {"edi_axes": "edi", "capacity_needs": "capacity_needs_detail",
                    "capacity_partners": "capacity_needs_detail"}

    def _mark_carried(self, proposal: Proposal) -> None:
        """« Repris de … » on every carried field (and whether it changed since): the field's
        `carry_mark`, shown by proposals/_field.html."""
        texts = {name: getattr(proposal, name) for name in (*journey.CARRIED_TEXTS,
                                                             *self.JOURNEY_FIELDS)}
        texts.update({rules.evidence_field(e.item_id): e.text for e in proposal.evidence.all()})
        for name, field in self.fields.items():
            field.carry_mark = journey.mark_for(proposal, name, texts.get(name, ""))

    @staticmethod
    def _initial_from(proposal: Proposal) -> dict:
        initial = {name: getattr(proposal, name) for name in (
            "title", "summary", "vision", "duration_years", "duration_justification",
            "capacity_building_amount", "edi", *CI_CONDITIONS, *ProposalForm.JOURNEY_FIELDS,
            *ProposalForm.CAPACITY_AMOUNTS, "edi_axes", "capacity_needs",
            "capacity_needs_detail")}
        initial["capacity_partners"] = [p.pk for p in proposal.capacity_partners.all()]
        for evidence in proposal.evidence.all():
            initial[rules.evidence_field(evidence.item_id)] = evidence.text
        return initial

    def is_valid(self) -> bool:
        valid = [super().is_valid(), self.year_formset.is_valid_or_unposted(),
                 self.question_formset.is_valid_or_unposted()]
        return all(valid)

    def error_summary(self) -> list[tuple[str, str, str]]:
        return error_summary(self, self.year_formset, self.question_formset)

    def draft_data(self) -> dict:
        """What may be saved: every field that is well-formed, even when others are not."""
        cleaned = getattr(self, "cleaned_data", {})

        def ok(name):  # posted (a section page posts its own fields only) and well-formed
            return (name in cleaned and name not in self.errors
                    and self.add_prefix(name) in self.data)

        data = {name: cleaned[name] for name in (
            "title", "summary", "vision", "duration_justification", "edi", *CI_CONDITIONS,
            *self.JOURNEY_FIELDS, "capacity_needs_detail") if ok(name)}
        for name in ("duration_years", "capacity_building_amount", *self.CAPACITY_AMOUNTS):
            if ok(name) and cleaned[name] is not None:
                data[name] = cleaned[name]
        for name, beside in self.CHOICE_LISTS.items():
            if name in cleaned and name not in self.errors and (
                    self.add_prefix(name) in self.data or self.add_prefix(beside) in self.data):
                data[name] = list(cleaned[name])
        if self.year_formset.is_bound:
            data["years"] = {form.number: form.cleaned_data["amount"]
                             for form in self.year_formset if form.is_valid()}
        data["evidence"] = {item.pk: cleaned[name] for name, item in self.evidence_names
                            if ok(name)}
        if self.question_formset.is_bound and self.question_formset.is_valid():
            data["questions"] = self.question_formset.rows()
        return data


class InitiativeForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(label=_("Quartier"),
                                           queryset=Neighbourhood.objects.none())
    title = forms.CharField(label=_("Titre de l'initiative"), max_length=200)
    desired_change = forms.CharField(label=_("Changement souhaité"), widget=TEXTAREA)
    priority = forms.ModelChoiceField(
        label=_("Changement prioritaire (priorité du plan de quartier)"), required=False,
        queryset=PlanPriority.objects.none(),
        help_text=_("Le guide : les quartiers choisissent un changement prioritaire basé sur "
                    "leur plan de quartier."))

    def __init__(self, *args, neighbourhoods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods
        self.fields["priority"].queryset = PlanPriority.objects.filter(
            plan__neighbourhood__in=neighbourhoods).select_related("plan__neighbourhood")
        self.fields["priority"].label_from_instance = lambda p: (
            f"{p.plan.neighbourhood.name} — {p.label}")
        only = list(neighbourhoods[:2])
        if len(only) == 1:
            self.fields["neighbourhood"].initial = only[0].pk


class LetterOfIntentForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(label=_("Quartier"),
                                           queryset=Neighbourhood.objects.none())
    desired_change = forms.CharField(label=_("Changement souhaité"), widget=TEXTAREA)
    target_stage = forms.ModelChoiceField(label=_("Étape visée"), queryset=Stage.objects.none())

    def __init__(self, *args, neighbourhoods, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods
        self.fields["target_stage"].queryset = stages
        only = list(neighbourhoods[:2])
        if len(only) == 1:
            self.fields["neighbourhood"].initial = only[0].pk


class ContactForm(forms.Form):
    date = DateField(label=_("Date de l'échange"))
    kind = forms.ChoiceField(label=_("Type d'échange"), choices=Contact.Kind.choices)
    initiative = forms.ModelChoiceField(label=_("Initiative (facultatif)"), required=False,
                                        queryset=Initiative.objects.none())
    summary = forms.CharField(label=_("Résumé"), widget=TEXTAREA)

    def __init__(self, *args, initiatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = initiatives


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"), help_text=ACCEPTED_HELP)
    prerequisite = forms.ModelChoiceField(
        label=_("Préalable démontré (facultatif)"), required=False,
        queryset=PrerequisiteItem.objects.none())

    def __init__(self, *args, stage: Stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prerequisite"].queryset = stage.prerequisites.all()


class RequestChangesForm(forms.Form):
    message = forms.CharField(label=_("Modifications demandées"), widget=TEXTAREA)


class InitiativeAccessForm(forms.Form):
    email = forms.EmailField(label=_("Courriel de la personne"),
                             help_text=_("Un compte actif existant, p. ex. une personne "
                                         "évaluatrice externe."))

    def clean_email(self):
        user = User.objects.filter(email__iexact=self.cleaned_data["email"],
                                   is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Aucun compte actif n'utilise ce courriel."))
        return user


class BudgetForm(forms.Form):
    """The proposal's budget: one amount per category and year (blank: no line)."""

    def __init__(self, *args, grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        for row in grid.rows:
            for year, amount in zip(grid.years, row.amounts, strict=True):
                self.fields[f"line_{row.category.pk}_{year}"] = forms.DecimalField(
                    label=_("%(category)s, année %(n)s ($)") % {
                        "category": row.category.display_name, "n": year},
                    required=False, min_value=Decimal("0"), max_digits=12, decimal_places=2,
                    initial=amount, widget=forms.NumberInput(attrs={"step": "0.01", "min": "0",
                                                                    "inputmode": "decimal"}))

    def rows(self):
        """(category, [bound field per year]) for the grid the page shows."""
        return [(row.category, [self[f"line_{row.category.pk}_{year}"]
                                for year in self.grid.years]) for row in self.grid.rows]

    def lines(self) -> dict:
        return {(row.category.pk, year): self.cleaned_data.get(f"line_{row.category.pk}_{year}")
                for row in self.grid.rows for year in self.grid.years}


from .program_forms import *  # noqa: E402, F403 (the program settings forms, re-exported)
