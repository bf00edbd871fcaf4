from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """People join by invitation only: the public sign-up page is closed."""

    def is_open_for_signup(self, request) -> bool:
        return False
