import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site


class AccountAdapter(DefaultAccountAdapter):
    """People join by invitation only: the public sign-up page is closed. Account emails
    (password reset, address confirmation) go through the outbox like every other email: a
    mail server or broker that fails costs a delay, never a 500 nor a lost message."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from pic import outbox

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        outbox.schedule_email(message, key=f"account-email:{uuid.uuid4()}")
