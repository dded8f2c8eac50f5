"""Settings for the test suite: strict templates, fast hashing."""

from __future__ import annotations

from barometre.web.settings import *
from barometre.web.settings import TEMPLATES


class InvalidTemplateVariable(str):
    """Makes any undefined template variable fail the test that renders it."""

    def __mod__(self, other: object) -> str:
        raise NameError(f"undefined template variable: {other!r}")

    def __bool__(self) -> bool:  # ``{% if x %}`` on an undefined variable stays false
        return False


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The test client builds a new handler, hence a new WhiteNoise middleware, for each test; without
# autorefresh each one lists every static file of the design system (about 0.4 s). Files are then
# looked up when asked for, through the same finders.
WHITENOISE_AUTOREFRESH = True
