"""Site-wide defences: security headers, refused NUL bytes, admin login lockout, database faults.

- ``SecurityHeadersMiddleware``: a Content-Security-Policy with a fresh script nonce on every
  response (``request.csp_nonce`` for templates; reader pages have no inline scripts, so no
  nonce is ever stored in a cached page) and a Permissions-Policy. Django's
  SecurityMiddleware adds nosniff, Referrer-Policy and HSTS.
- ``RejectNulMiddleware``: a NUL byte in the path or the query string gets a 400 before any
  view runs (PostgreSQL refuses such strings outright, which used to be a 500).
- ``AdminLoginLockoutMiddleware``: too many failed admin logins from one address lock that
  address out for a while, whatever usernames were tried.
- ``DatabaseUnavailableMiddleware``: a database that cannot be reached gets a static 503
  page with Retry-After instead of a 500; the next request connects afresh.
"""

import logging
import secrets

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from .client_ip import client_ip

logger = logging.getLogger("portal.security")
db_logger = logging.getLogger("portal.db")


class SecurityHeadersMiddleware:
    """Content-Security-Policy (nonced scripts) and Permissions-Policy on every response.

    Every response gets them, not only HTML: an uploaded file opened on its own (an SVG, a
    mislabelled upload) is then as unable to run script as a page is.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(
            f"{directive} {' '.join(sources)}".strip()
            for directive, sources in settings.PORTAL_CONTENT_SECURITY_POLICY.items()
        )
        self.permissions = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PORTAL_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy.replace("{nonce}", request.csp_nonce)
        response.setdefault("Permissions-Policy", self.permissions)
        return response


def bad_request_page(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}))


class RejectNulMiddleware:
    """A NUL byte anywhere in the path or the query string: 400, before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A decoded parameter holds a NUL only if the raw query string has %00 or a NUL
        # itself: checked there, without parsing the parameters.
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            logger.warning("拒绝含 NUL 字符的请求：%r", request.get_full_path()[:200])
            return bad_request_page(_("请求地址中含有无效字符（NUL），无法处理。"))
        return self.get_response(request)


class AdminLoginLockoutMiddleware:
    """Lock an address out of the admin login after repeated failures.

    Counted per client address only (``portal.client_ip``), never per username: a locked
    address gets the same page whatever username it sends, so the lockout tells nothing
    about which accounts exist, and an attacker cannot lock a real editor out by trying
    their name from elsewhere. Failures count for PORTAL_ADMIN_LOGIN_WINDOW seconds; the
    lockout lasts PORTAL_ADMIN_LOGIN_LOCKOUT seconds from the last failure; a successful
    login clears the address's count. The counts live in the shared cache (Redis in
    production); while Redis is down nobody is locked out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or request.path_info != reverse("admin:login"):
            return self.get_response(request)
        key = f"admin-login:failures:{client_ip(request) or 'unknown'}"
        if (cache.get(key) or 0) >= settings.PORTAL_ADMIN_LOGIN_FAILURES:
            return self.locked_out(request)
        response = self.get_response(request)
        if response.status_code == 200:  # the form came back: the login failed
            if self.record_failure(key) >= settings.PORTAL_ADMIN_LOGIN_FAILURES:
                logger.warning("后台登录失败次数过多，已锁定地址 %s", client_ip(request))
                return self.locked_out(request)
        elif 300 <= response.status_code < 400:  # logged in and sent on
            cache.delete(key)
        return response

    def record_failure(self, key: str) -> int:
        if cache.add(key, 1, settings.PORTAL_ADMIN_LOGIN_WINDOW):
            failures = 1
        else:
            try:
                failures = cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.set(key, 1, settings.PORTAL_ADMIN_LOGIN_WINDOW)
                failures = 1
        if failures >= settings.PORTAL_ADMIN_LOGIN_FAILURES:
            cache.touch(key, settings.PORTAL_ADMIN_LOGIN_LOCKOUT)
        return failures

    def locked_out(self, request):
        """The admin login page, its form refused without checking any password: 429."""
        minutes = max(1, round(settings.PORTAL_ADMIN_LOGIN_LOCKOUT / 60))
        message = _("登录失败次数过多，该地址已被暂时锁定，请 %(minutes)d 分钟后再试。") % {
            "minutes": minutes
        }

        class LockedOutForm(admin.site.login_form or _admin_authentication_form()):
            def clean(self):
                raise ValidationError(message, code="locked_out")

        context = {
            **admin.site.each_context(request),
            "title": _("登录"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": "",
        }
        # Without a "next" address the login form sends editors to LOGIN_REDIRECT_URL, the
        # admin's index, as the admin's own login view does.
        request.current_app = admin.site.name
        response = LoginView.as_view(
            authentication_form=LockedOutForm,
            template_name=admin.site.login_template or "admin/login.html",
            extra_context=context,
        )(request).render()
        response.status_code = 429
        response["Retry-After"] = str(settings.PORTAL_ADMIN_LOGIN_LOCKOUT)
        return response


def _admin_authentication_form():
    from django.contrib.admin.forms import AdminAuthenticationForm

    return AdminAuthenticationForm


DATABASE_RETRY_AFTER = 30  # seconds, the Retry-After of the 503 page


class DatabaseUnavailableMiddleware:
    """The database cannot be reached: a static 503 page with Retry-After, not a 500.

    The page uses no template tags, no database and no cache. Nothing needs restarting when
    the database is back: Django closes a connection that failed when the request ends, and
    checks a reused one before its first query (CONN_HEALTH_CHECKS), so the next request
    connects afresh.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        db_logger.error(
            "数据库不可用，已返回 503：%s %s：%s",
            request.method,
            request.path,
            str(exception).strip().splitlines()[0] if str(exception).strip() else exception,
        )
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
