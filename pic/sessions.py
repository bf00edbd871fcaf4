"""Active sessions (allauth.usersessions): a person sees where they are signed in and ends the
others. The last-seen time is refreshed at most every PIC_SESSION_SEEN_EVERY_SECONDS, so that a
page view does not write to the database each time."""

import re
import time

from allauth.usersessions.internal.usersessionkit import track_activity
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

SEEN_SESSION_KEY = "pic.session_seen_at"


class UserSessionsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = time.time()
            if now - session.get(SEEN_SESSION_KEY, 0) >= settings.PIC_SESSION_SEEN_EVERY_SECONDS:
                track_activity(request, user=user, session=session)
                session[SEEN_SESSION_KEY] = now
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="pic.sessions.seen_at_login")
def _seen_at_login(sender, request, user, **kwargs):
    """A login is a sighting: allauth records the new session itself (on its own login
    signal), so the first pages after it need not write again."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SEEN_SESSION_KEY] = time.time()


# Most specific first: Edge and Opera announce Chrome too, Chrome announces Safari.
BROWSERS = [("Edg", "Edge"), ("OPR", "Opera"), ("Firefox", "Firefox"), ("Chrome", "Chrome"),
            ("Safari", "Safari")]
SYSTEMS = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
           ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
           ("Linux", "Linux")]


def device_label(user_agent: str) -> str:
    """'Firefox, Linux' from a browser's User-Agent; the raw text when it is not recognised."""
    browser = next((name for token, name in BROWSERS
                    if re.search(rf"\b{re.escape(token)}/", user_agent)), None)
    system = next((name for token, name in SYSTEMS if token in user_agent), None)
    if browser and system:
        return _("%(browser)s, %(system)s") % {"browser": browser, "system": system}
    return browser or system or user_agent or _("Appareil inconnu")
