"""Bulk actions: one service call per item, each in its own transaction, so a refusal on one
item names it and leaves the others done. The page that starts one shows what it will do and
asks for confirmation first (pic/views.py ConfirmationMixin); `report` tells the outcome."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from pic.views import error_messages


@dataclass
class BulkResult:
    done: list[Any] = field(default_factory=list)
    failed: list[tuple[Any, list[str]]] = field(default_factory=list)  # (item, reasons)


def each_in_its_own_transaction(items: Iterable[Any], act: Callable[[Any], Any]) -> BulkResult:
    """`act(item)` for every item, each in a transaction of its own; a ValidationError or a
    PermissionDenied rolls back that item only and is kept with its reasons."""
    result = BulkResult()
    for item in items:
        try:
            with transaction.atomic():
                act(item)
        except (ValidationError, PermissionDenied) as error:
            result.failed.append((item, error_messages(error)))
        else:
            result.done.append(item)
    return result


def report(request, result: BulkResult, *, done: Callable[[list], str],
           failed: Callable[[Any, str], str]) -> None:
    """One success message for what was done (`done(items)`), one error per item refused
    (`failed(item, reasons)`), each naming its item."""
    if result.done:
        messages.success(request, done(result.done))
    for item, reasons in result.failed:
        messages.error(request, failed(item, " ".join(reasons)))
