"""The one storage of private files (proposal and report documents, decision letters, meeting
minutes): `STORAGES["private"]` in settings, so that another backend (S3, …) is a change of
settings only. Files stored there have no URL: only a permission-checked view serves them
(pic.files.private_file_response)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, read at each use (so a test's override of the
    setting applies to the storage already built), or under OPTIONS' `location` when given;
    never a URL."""

    def __init__(self, location=None, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(location=location, base_url=None, **kwargs)

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a permission-checked view.")


class PrivateStorage(LazyObject):
    """STORAGES["private"], looked up at first use (like Django's default_storage) and again
    after a change of the STORAGES setting (tests)."""

    def _setup(self):
        self._wrapped = storages["private"]


_private = PrivateStorage()


@receiver(setting_changed)
def _forget_the_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


def private_storage() -> PrivateStorage:
    """The storage of every private FileField (`storage=private_storage`): migrations name only
    this function, whatever the backend set in STORAGES["private"]."""
    return _private
