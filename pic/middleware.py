"""French first: the language is the one the person chose (switch or profile), else French.

Browsers' Accept-Language is deliberately ignored: the program works in French, and the English
switch is one click away on every page. Switching also updates the person's profile, so that
emails reach them in the language they chose.
"""

from django.conf import settings
from django.utils import translation


class PreferredLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = self._language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

    def _language_for(self, request) -> str:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        if chosen in self.supported:
            if authenticated and user.language != chosen:
                user.language = chosen
                user.save(update_fields=["language"])
            return chosen
        if authenticated and user.language in self.supported:
            return user.language
        return settings.LANGUAGE_CODE
