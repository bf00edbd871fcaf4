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


class SecurityHeadersMiddleware:
    """The headers Django has no setting for, on every page the app renders (static files are
    served before this, by WhiteNoise, and stay cacheable):

    - Cross-Origin-Resource-Policy and Permissions-Policy (settings PIC_*);
    - `Cache-Control: private, no-store` on every response to a signed-in person, unless the
      view chose its own: pages, exports and files of a signed-in person carry personal or
      financial data, and must stay out of shared caches and the browser's disk cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy",
                                    settings.PIC_CROSS_ORIGIN_RESOURCE_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PIC_PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response
