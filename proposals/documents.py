"""The upload rules live in pic.documents (one place for every app, notes included)."""

from pic.documents import ACCEPTED, ACCEPTED_HELP, MAX_UPLOAD_BYTES, ZIPPED, validate_upload

__all__ = ["ACCEPTED", "ACCEPTED_HELP", "MAX_UPLOAD_BYTES", "ZIPPED", "validate_upload"]
