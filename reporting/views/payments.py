"""The payment schedule: release, pay or change one instalment (coordination), each with its
confirmation page. Each view: a selector scoped to the user, one service call, a message."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pic.access import ensure
from pic.formatting import format_date, format_money
from pic.views import ActionView

from .. import selectors
from ..forms import InstalmentChangeForm, InstalmentPayForm, InstalmentReleaseForm
from ..services import payments
from ..services.allocations import payment_blockers


def _subject(instalment) -> str:
    return _("%(proposal)s — versement %(n)s de l'année %(y)s : %(amount)s, prévu le "
             "%(date)s") % {
        "proposal": instalment.allocation_year.allocation.proposal,
        "n": instalment.number, "y": instalment.allocation_year.year_number,
        "amount": format_money(instalment.amount), "date": format_date(instalment.planned_on)}


class InstalmentActionView(ActionView):
    confirm = True
    action = ""

    def get_object(self):
        instalment = selectors.instalment_get(user=self.request.user, pk=self.kwargs["pk"])
        ensure(self.request.user, self.action, instalment.allocation_year)
        return instalment

    def get_success_url(self, instalment):
        return reverse("reporting:allocation-detail",
                       args=[instalment.allocation_year.allocation_id])


class InstalmentReleaseView(InstalmentActionView):
    action = "instalment.release"
    form_class = InstalmentReleaseForm
    success_message = _("Le versement est libéré.")

    def get_form_kwargs(self, instalment):
        return {"initial": {"released_on": timezone.localdate()}}

    def confirmation(self, instalment):
        blockers = payment_blockers(instalment.allocation_year)
        return {"title": _("Libérer le versement"), "subject": _subject(instalment),
                "consequences": [*blockers, _("Le versement pourra être payé; la libération "
                                              "est consignée au journal.")],
                "button": _("Oui, libérer le versement")}

    def perform(self, instalment, form):
        payments.instalment_release(instalment=instalment, actor=self.request.user,
                                    **form.cleaned_data)


class InstalmentPayView(InstalmentActionView):
    action = "instalment.pay"
    form_class = InstalmentPayForm
    success_message = _("Le versement est enregistré comme payé.")

    def get_form_kwargs(self, instalment):
        return {"initial": {"paid_on": timezone.localdate()}}

    def confirmation(self, instalment):
        return {"title": _("Enregistrer le paiement"), "subject": _subject(instalment),
                "consequences": [_("Le versement est enregistré au dossier de l'allocation; "
                                   "il ne se retire pas.")],
                "button": _("Oui, enregistrer le paiement")}

    def perform(self, instalment, form):
        payments.instalment_pay(instalment=instalment, actor=self.request.user,
                                **form.cleaned_data)


class InstalmentChangeView(InstalmentActionView):
    action = "instalment.change"
    form_class = InstalmentChangeForm
    success_message = _("Le versement est modifié.")

    def get_form_kwargs(self, instalment):
        return {"initial": {"planned_on": instalment.planned_on, "amount": instalment.amount}}

    def confirmation(self, instalment):
        return {"title": _("Modifier le versement"), "subject": _subject(instalment),
                "consequences": [_("La date et le montant changent; l'ancien et le nouveau, "
                                   "avec le motif, sont consignés au journal.")],
                "button": _("Oui, modifier le versement")}

    def perform(self, instalment, form):
        payments.instalment_change(instalment=instalment, actor=self.request.user,
                                   **form.cleaned_data)
