"""The advisor's mid-year check-in.

Each view: a selector scoped to the user, one service call, a message, a redirect."""


from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView

from pic.access import can, ensure
from pic.forms import apply_validation_error
from pic.notes.selectors import note_thread

from .. import selectors
from ..forms import (
    CheckInForm,
)
from ..services import checkins


class CheckInRecordView(LoginRequiredMixin, FormView):
    template_name = "reporting/checkin_form.html"
    form_class = CheckInForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.checkin = selectors.checkin_get(user=request.user, pk=kwargs["pk"])
            if request.method == "POST":
                ensure(request.user, "checkin.record", self.checkin)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.checkin
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            checkin=self.checkin, today=timezone.localdate(),
            can_record=can(self.request.user, "checkin.record", self.checkin),
            thread=note_thread(user=self.request.user, obj=self.checkin), **kwargs)

    def form_valid(self, form):
        try:
            checkins.checkin_record(checkin=self.checkin, actor=self.request.user,
                                    **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Le bilan de mi-année est enregistré."))
        return redirect("reporting:allocation-detail",
                        pk=self.checkin.allocation_year.allocation_id)
