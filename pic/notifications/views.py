"""The inbox: a person's own notifications, mark one or all as read."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView

from . import services
from .models import Notification


class UnreadCountView(LoginRequiredMixin, View):
    """The header's count of unread notifications, fetched by the page once it is shown
    (htmx), so that no page spends a query of its budget on it."""

    def get(self, request):
        count = Notification.objects.visible_to(request.user).unread().count()
        return render(request, "notifications/_unread_count.html", {"count": count})


class InboxView(LoginRequiredMixin, ListView):
    template_name = "notifications/inbox.html"
    context_object_name = "notifications"
    paginate_by = 30

    def get_queryset(self):
        queryset = Notification.objects.visible_to(self.request.user)
        if self.request.GET.get("non-lues"):
            queryset = queryset.unread()
        return queryset.select_related("actor")

    def get_context_data(self, **kwargs):
        return super().get_context_data(only_unread=bool(self.request.GET.get("non-lues")),
                                        **kwargs)


class MarkReadView(LoginRequiredMixin, View):
    """POST: mark one notification read, then go to its object (or back to the inbox)."""

    def post(self, request, pk: int):
        notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
        services.notification_mark_read(notification=notification, actor=request.user)
        target = notification.url if request.POST.get("open") else ""
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("notifications:inbox")


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        count = services.notification_mark_all_read(actor=request.user)
        messages.success(request, ngettext("%(n)s notification marquée comme lue.",
                                            "%(n)s notifications marquées comme lues.",
                                            count) % {
            "n": count})
        return redirect("notifications:inbox")
