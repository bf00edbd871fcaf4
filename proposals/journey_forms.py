"""The forms of the initiative's journey: a new proposal (from a letter of intent, the previous
stage or a copy) and the plan de quartier. Shape only: the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pic.forms import DateField

from .documents import ACCEPTED_HELP
from .models import Initiative, LetterOfIntent, NeighbourhoodPlan, Proposal, Stage


class ProposalCreateForm(forms.Form):
    initiative = forms.ModelChoiceField(
        label=_("Initiative"), queryset=Initiative.objects.none(), required=False,
        help_text=_("Partie d'une lettre d'intention, la proposition peut créer l'initiative "
                    "à partir du changement souhaité de la lettre."))
    stage = forms.ModelChoiceField(label=_("Étape"), queryset=Stage.objects.none())
    title = forms.CharField(label=_("Titre de la proposition"), max_length=200)
    letter_of_intent = forms.ModelChoiceField(
        label=_("Partir d'une lettre d'intention reçue (facultatif)"), required=False,
        queryset=LetterOfIntent.objects.none(),
        help_text=_("Le changement souhaité et l'étape visée sont repris de la lettre."))
    start_from = forms.ModelChoiceField(
        label=_("Copier une proposition précédente (facultatif)"), required=False,
        queryset=Proposal.objects.none(),
        help_text=_("Pour l'étape suivante de la même initiative : la vision, les stratégies, "
                    "la démonstration des préalables et les apprentissages des rapports sont "
                    "repris. Pour une nouvelle initiative : les textes sont copiés. Tout ce qui "
                    "est repris est indiqué et reste modifiable."))

    def __init__(self, *args, initiatives, stages, letters=None, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = initiatives
        self.fields["stage"].queryset = stages
        self.fields["letter_of_intent"].queryset = (
            letters if letters is not None else LetterOfIntent.objects.none())
        self.fields["start_from"].queryset = (
            previous if previous is not None else Proposal.objects.none())
        self.fields["start_from"].label_from_instance = lambda p: _(
            "%(title)s — étape %(n)s (%(status)s)") % {
            "title": p.title, "n": p.stage.number, "status": p.get_status_display()}
        self.fields["letter_of_intent"].label_from_instance = lambda letter: _(
            "%(stage)s — %(change)s") % {"stage": letter.target_stage,
                                          "change": letter.desired_change[:80]}

    def clean(self):
        data = super().clean()
        if not data.get("initiative") and not data.get("letter_of_intent"):
            self.add_error("initiative", _("Choisissez l'initiative, ou partez d'une lettre "
                                           "d'intention reçue."))
        return data


class NeighbourhoodPlanForm(forms.Form):
    """The plan de quartier (the document through the usual upload checks)."""

    title = forms.CharField(label=_("Titre du plan"), max_length=200)
    status = forms.ChoiceField(label=_("État"), choices=NeighbourhoodPlan.Status.choices,
                               widget=forms.RadioSelect)
    adopted_on = DateField(
        label=_("Date d'adoption"), required=False,
        help_text=_("La date d'adoption, ou celle prévue si le plan est en cours d'adoption."))
    priorities = forms.CharField(
        label=_("Priorités du plan"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Une priorité par ligne. Chaque initiative choisit son changement "
                    "prioritaire parmi elles."))
    document = forms.FileField(label=_("Document du plan (facultatif)"), required=False,
                               help_text=ACCEPTED_HELP)

    def priority_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["priorities"].splitlines() if line.strip()]
