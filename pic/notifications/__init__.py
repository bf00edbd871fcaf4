"""Notifications: the inbox, per-kind email choices, and `notify()`, the one API every app
calls (see services.py). Models are registered by the pic app (pic/models.py imports them)."""


def notify(*args, **kwargs):
    from .services import notify as _notify

    return _notify(*args, **kwargs)


__all__ = ["notify"]
