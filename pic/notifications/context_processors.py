from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread(request):
    """The header's count of unread notifications (one query, only when the page shows it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(
        lambda: Notification.objects.visible_to(user).unread().count())}
