"""Who may see and do what in the console.

- anonymous (or signed in without the second factor): redirected to the sign-in page, from every URL;
- ``viewer``: reads every page, gets 403 on every state-changing request (any method but GET/HEAD);
- ``analyst``: runs editions; ``admin``: also manages accounts.
A respondent's link opens a portal session only: it carries no console rights.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from barometre.apps.console.accounts import VERIFIED_SESSION_KEY
from barometre.apps.console.models import Role, StaffProfile

SAFE_METHODS = ("GET", "HEAD")


def profile_of(request: HttpRequest) -> StaffProfile | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.session.get(VERIFIED_SESSION_KEY):
        return None
    return StaffProfile.objects.filter(user=user).first()


def staff(admin: bool = False) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            profile = profile_of(request)
            if profile is None:
                if request.user.is_authenticated and StaffProfile.objects.filter(user=request.user).exists():
                    return redirect_to_login(request.get_full_path())
                if request.user.is_authenticated:
                    raise PermissionDenied
                return redirect_to_login(request.get_full_path())
            if not request.user.is_active:
                raise PermissionDenied
            if request.method not in SAFE_METHODS and not profile.can_write:
                raise PermissionDenied
            if admin and profile.role != Role.ADMIN:
                raise PermissionDenied
            request.staff = profile  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
