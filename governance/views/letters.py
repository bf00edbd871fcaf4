"""Decision letters « à envoyer »: coordination reads the PDF, may correct the conditions,
and sends it (alone or several at once, after a confirmation); the table then accepts the
conditions of its allocation letter."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from pic.access import ActionRequiredMixin, ensure
from pic.views import ActionView

from .. import services
from ..forms import LetterBulkSendForm, LetterConditionsForm
from ..models import Analysis, DecisionLetter
from .base import ServicePostView


def _letters(user):
    return (DecisionLetter.objects.visible_to(user)
            .select_related("proposal__neighbourhood", "proposal__stage"))


def _current_conditions(letter: DecisionLetter) -> str:
    if letter.conditions:
        return letter.conditions
    analysis = Analysis.objects.filter(proposal_id=letter.proposal_id).first()
    return analysis.conditions if analysis else ""


class LetterReviewView(ActionRequiredMixin, View):
    """The letter « à envoyer »: its PDF, its conditions to correct, its send button."""

    action = "letter.send"
    template_name = "governance/letter_review.html"

    def get(self, request, pk):
        letter = get_object_or_404(_letters(request.user), pk=pk)
        form = LetterConditionsForm(initial={"conditions": _current_conditions(letter)})
        return render(request, self.template_name, {"letter": letter, "form": form})


class LetterConditionsView(ActionRequiredMixin, ServicePostView):
    action = "letter.send"
    form_class = LetterConditionsForm
    template_name = "governance/letter_review.html"

    def get_object(self):
        return get_object_or_404(_letters(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, letter, form, **kwargs):
        return {"letter": letter, "form": form, **kwargs}

    def perform(self, letter, form):
        self.new = services.letter_conditions_correct(
            letter=letter, conditions=form.cleaned_data["conditions"], actor=self.request.user)
        return _("Conditions corrigées : la version %(v)s de la lettre est à relire et à "
                 "envoyer.") % {"v": self.new.version}

    def get_success_url(self, letter):
        new = getattr(self, "new", None)
        return reverse("governance:letter-review", args=[(new or letter).pk])


class LetterSendView(ActionRequiredMixin, ServicePostView):
    action = "letter.send"
    confirm = True
    success_message = gettext_lazy("La lettre part au quartier par courriel; la table la "
                                   "voit dans l'application.")

    def get_object(self):
        return get_object_or_404(_letters(self.request.user), pk=self.kwargs["pk"])

    def confirmation(self, letter):
        return {"title": _("Envoyer la lettre"),
                "subject": f"{letter.proposal.neighbourhood.name} — {letter.proposal.title} "
                           f"({letter.get_kind_display()}, v{letter.version})",
                "consequences": [_("La lettre est envoyée par courriel à la table (copie à la "
                                   "conseillère ou au conseiller) et paraît dans "
                                   "l'application; elle ne se retire pas.")],
                "button": _("Oui, envoyer la lettre")}

    def perform(self, letter, _form):
        services.letter_send(letter=letter, actor=self.request.user)

    def get_cancel_url(self, letter):
        return reverse("governance:letter-review", args=[letter.pk])

    def get_error_url(self, letter):
        return reverse("governance:letter-review", args=[letter.pk])

    def get_success_url(self, letter):
        return reverse("governance:letter-list")


class LetterBulkSendView(ActionView):
    """The letters ticked on the list, sent together after one confirmation (all or none)."""

    confirm = True
    form_class = LetterBulkSendForm

    def get_object(self):
        ensure(self.request.user, "letter.send")
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        ids = [int(v) for v in data.getlist("letter") if v.isdigit()][:200]
        return list(_letters(self.request.user).to_send().filter(pk__in=ids)
                    .order_by("proposal__neighbourhood__name", "pk"))

    def get(self, request, *args, **kwargs):
        if not self.get_object():
            messages.error(request, _("Cochez au moins une lettre à envoyer dans la liste."))
            return redirect("governance:letter-list")
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self, letters):
        return {"letters": _letters(self.request.user).to_send(),
                "initial": {"letter": [x.pk for x in letters]}}

    def confirmation(self, letters):
        return {"title": _("Envoyer plusieurs lettres"),
                "consequences": [
                    _("« %(title)s » (%(n)s) part par courriel à la table.")
                    % {"title": x.proposal.title, "n": x.proposal.neighbourhood.name}
                    for x in letters],
                "button": _("Oui, envoyer ces lettres")}

    def perform(self, letters, form):
        sent = services.letters_send(letters=list(form.cleaned_data["letter"]),
                                     actor=self.request.user)
        return ngettext("%(n)s lettre envoyée.", "%(n)s lettres envoyées.",
                        len(sent)) % {"n": len(sent)}

    def get_success_url(self, letters):
        return reverse("governance:letter-list")


class LetterAcknowledgeView(ServicePostView):
    """« J'accepte les conditions », by a member of the table."""

    confirm = True
    success_message = gettext_lazy("Merci : votre acceptation des conditions est enregistrée.")

    def get_object(self):
        letter = get_object_or_404(_letters(self.request.user), pk=self.kwargs["pk"])
        ensure(self.request.user, "letter.acknowledge", letter.proposal)
        return letter

    def confirmation(self, letter):
        return {"title": _("J'accepte les conditions"),
                "subject": f"{letter.proposal.neighbourhood.name} — {letter.proposal.title}",
                "consequences": [_("Votre nom, votre rôle et l'heure sont enregistrés au "
                                   "dossier; le premier versement pourra ensuite être "
                                   "libéré.")],
                "button": _("J'accepte les conditions")}

    def perform(self, letter, _form):
        services.letter_acknowledge(letter=letter, actor=self.request.user)

    def get_success_url(self, letter):
        return reverse("governance:letter-list")
