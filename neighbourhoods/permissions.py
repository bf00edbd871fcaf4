from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from .models import is_coordination


class CoordinationRequiredMixin(LoginRequiredMixin):
    """Pages for the coordination team only (others get 403 with an explanation)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_coordination(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
