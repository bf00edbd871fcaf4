"""The calendar of deadlines (reporting/deadlines.py): a month per person, as a grid and as a
list (small screens, screen readers); the private iCalendar feed and its management from the
account pages."""

import calendar as month_grid
import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from pic import icalendar

from .. import deadlines
from ..models import CalendarFeed
from ..services import feeds

FEED_PAST_DAYS = 60
FEED_FUTURE_DAYS = 400


def _month(value: str) -> datetime.date:
    try:
        month = datetime.datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007 (a date)
    except ValueError:
        month = None
    if month is None or not 2000 <= month.year <= 2100:
        return timezone.localdate().replace(day=1)
    return month


def _weeks(first: datetime.date, found: list) -> list[list[dict]]:
    by_day: dict[datetime.date, list] = {}
    for deadline in found:
        by_day.setdefault(deadline.day, []).append(deadline)
    return [[{"day": day, "in_month": day.month == first.month, "events": by_day.get(day, [])}
             for day in week]
            for week in month_grid.Calendar().monthdatescalendar(first.year, first.month)]


class CalendarView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/calendar.html"

    def get_context_data(self, **kwargs):
        first = _month(self.request.GET.get("mois", ""))
        last = first.replace(day=month_grid.monthrange(first.year, first.month)[1])
        found = deadlines.deadlines_for(user=self.request.user, start=first, end=last)
        return super().get_context_data(
            first=first, deadlines=found, weeks=_weeks(first, found),
            kinds=deadlines.KINDS, list_only=self.request.GET.get("vue") == "liste",
            previous=(first - datetime.timedelta(days=1)).strftime("%Y-%m"),
            next=(last + datetime.timedelta(days=1)).strftime("%Y-%m"),
            today=timezone.localdate(), **kwargs)


class CalendarFeedView(View):
    """The .ics behind the secret address: no session (a calendar app fetches it); an unknown
    or revoked token is a 404."""

    def get(self, request, token):
        user = feeds.calendar_feed_owner(token=token)
        if user is None:
            raise Http404
        today = timezone.localdate()
        with translation.override(user.language):
            found = deadlines.deadlines_for(
                user=user, start=today - datetime.timedelta(days=FEED_PAST_DAYS),
                end=today + datetime.timedelta(days=FEED_FUTURE_DAYS))
            events = [icalendar.Event(uid=d.uid, day=d.day, summary=d.title,
                                      url=settings.PIC_SITE_URL + d.url,
                                      category=d.kind_label) for d in found]
            body = icalendar.calendar(events, name=_("PIC — mes échéances"))
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="pic.ics"'
        response["Cache-Control"] = "private, max-age=900"
        return response


class CalendarFeedManageView(LoginRequiredMixin, View):
    """The account page of the feed: make an address (shown once), make a new one, revoke."""

    template_name = "reporting/calendar_feed.html"

    def get(self, request):
        feed = CalendarFeed.objects.filter(user=request.user).first()
        return render(request, self.template_name, {"feed": feed})

    def post(self, request):
        if request.POST.get("action") == "revoke":
            if feeds.calendar_feed_revoke(user=request.user, actor=request.user):
                messages.success(request, _("L'adresse de votre agenda est révoquée : elle ne "
                                            "fonctionne plus."))
            return redirect("reporting:calendar-feed")
        token = feeds.calendar_feed_create(user=request.user, actor=request.user)
        address = settings.PIC_SITE_URL + reverse("calendar-ics", args=[token])
        feed = CalendarFeed.objects.get(user=request.user)
        return render(request, self.template_name, {"feed": feed, "address": address})
