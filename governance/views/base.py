"""What every governance POST view shares."""

from pic.views import ActionView, error_messages


def _message_of(error: Exception) -> str:
    return " ".join(error_messages(error))


class ServicePostView(ActionView):
    """Load the object, call one service, say what happened (a refusal too), redirect."""

    refusals_as_messages = True
