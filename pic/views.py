"""The one base for a write from a page: "POST a form, call a service, show the message,
redirect, or show the errors with what was typed", with an optional confirmation step.

A subclass names how to find its object (`get_object`, from a scoped selector), the form it
validates (`form_class`, optional), the one service it calls (`perform`), the message it
shows (`success_message`, lazy, or what `perform` returns) and where it goes next
(`get_success_url`). With `confirm`, a GET shows a page that says what will happen, with one
primary button « Oui, … » and a « Annuler » link (GOV.UK's pattern, no JavaScript needed);
the POST comes from that page. A refusal (ValidationError) re-renders `template_name` with the
bound form (what was typed, the errors beside the fields) when there is one, else it is shown
as a message on the page it redirects to. No view calls another view.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from pic.forms import apply_validation_error


def error_messages(error: Exception) -> list[str]:
    """What a refusal says, one message per reason."""
    if isinstance(error, ValidationError):
        return [str(m) for m in error.messages]
    return [str(error) or str(_("Action refusée."))]


def _form_for(view, obj: Any, *data) -> forms.Form | None:
    """The view's form (bound to the POST's data and files when given), or None."""
    if view.form_class is None:
        return None
    return view.form_class(*data, **view.get_form_kwargs(obj))


class ConfirmationMixin:
    """The optional confirmation step: with `confirm`, a GET shows a page that says what will
    happen (`confirmation`), the POST comes from that page."""

    confirm = False
    confirm_template = "confirm.html"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Without a confirmation step the view answers POST only.
        cls.http_method_names = list(View.http_method_names) if cls.confirm else ["post"]

    def get_cancel_url(self, obj: Any) -> str:
        return self.get_success_url(obj)

    def confirmation(self, obj: Any) -> dict:
        """What the confirmation page says: title, subject, consequences (a list), button."""
        return {}

    def get(self, request, *args, **kwargs) -> HttpResponse:
        obj = self.get_object()
        return self.render_confirmation(obj, _form_for(self, obj))

    def render_confirmation(self, obj, form, status: int = 200) -> HttpResponse:
        context = self.get_context_data(obj, form)
        context["confirm"] = {"cancel_url": self.get_cancel_url(obj),
                              **self.confirmation(obj)}
        return render(self.request, self.confirm_template, context, status=status)


class RefusalMixin:
    """What a refusal shows (`refused`)."""

    template_name: str | None = None  # re-rendered with the errors (and the confirmation page)
    # Governance shows a PermissionDenied as a message; elsewhere it is a 403.
    refusals_as_messages = False

    def get_error_url(self, obj: Any) -> str:
        return self.get_success_url(obj)

    def refused(self, obj, form, error: Exception | None) -> HttpResponse:
        """Show what went wrong: beside the fields, with what was typed, when there is a page
        for it; else as messages above the page the person came from."""
        if form is not None and (self.template_name or self.confirm):
            if error is not None and isinstance(error, ValidationError):
                apply_validation_error(form, error)
            if self.template_name:
                return render(self.request, self.template_name,
                              self.get_context_data(obj, form), status=400)
            return self.render_confirmation(obj, form, status=400)
        if error is None and form is not None:
            error = ValidationError([e for errors in form.errors.values() for e in errors])
        for message in error_messages(error):
            messages.error(self.request, message)
        return HttpResponseRedirect(self.get_error_url(obj))


class ActionView(ConfirmationMixin, RefusalMixin, LoginRequiredMixin, View):
    form_class: type[forms.Form] | None = None
    success_message: Any = ""

    # --- What a subclass gives (also confirmation, get_cancel_url, get_error_url) ------------

    def get_object(self) -> Any:
        return None

    def perform(self, obj: Any, form: forms.Form | None) -> str | None:
        raise NotImplementedError

    def get_success_url(self, obj: Any) -> str:
        raise NotImplementedError

    def get_form_kwargs(self, obj: Any) -> dict:
        return {}

    def get_context_data(self, obj: Any, form: forms.Form | None, **kwargs) -> dict:
        return {"object": obj, "form": form, **kwargs}

    # --- The flow (GET and the confirmation page: ConfirmationMixin) -------------------------

    def post(self, request, *args, **kwargs) -> HttpResponse:
        obj = self.get_object()
        form = _form_for(self, obj, request.POST, request.FILES or None)
        if form is not None and not form.is_valid():
            return self.refused(obj, form, None)
        try:
            message = self.perform(obj, form)
        except ValidationError as error:
            return self.refused(obj, form, error)
        except PermissionDenied as error:
            if not self.refusals_as_messages:
                raise
            return self.refused(obj, None, error)
        message = message if message is not None else self.success_message
        if message:
            messages.success(request, str(message))
        return HttpResponseRedirect(self.get_success_url(obj))
