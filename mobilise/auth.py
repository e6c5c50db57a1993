"""Log-in throttling: repeated failures pause logging in as that user from that address.

Failures are counted per (username, client address) pair and, more loosely, per address.
Keying on the pair means an attacker elsewhere cannot lock a real user out: the user's own
address has its own count. The counts live in the default cache, which is the database
cache, so every app server behind the load balancer sees the same numbers.
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.core.exceptions import ValidationError

DEFAULTS = {"failures_per_user_and_address": 5, "failures_per_address": 50, "cooloff_seconds": 15 * 60}


def throttle_settings() -> dict:
    return {**DEFAULTS, **getattr(settings, "LOGIN_THROTTLE", {})}


def client_address(request) -> str:
    """The client's address. Behind TRUSTED_PROXY_COUNT proxies, the entry those proxies
    appended to X-Forwarded-For (entries further left are whatever the client sent).
    IPv6 clients are grouped by /64, since one machine usually holds a whole /64."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6 and not ip.ipv4_mapped:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip.ipv4_mapped or ip) if ip.version == 6 else str(ip)


def _digest(*parts: str) -> str:
    # Usernames are user input: hash them so cache keys stay short and safe.
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


@dataclass
class LoginThrottle:
    username: str
    address: str

    @classmethod
    def for_request(cls, request, username: str) -> "LoginThrottle":
        return cls(username=username.strip().casefold(), address=client_address(request))

    @property
    def pair_key(self) -> str:
        return f"login-failures:pair:{_digest(self.username, self.address)}"

    @property
    def address_key(self) -> str:
        return f"login-failures:address:{_digest(self.address)}"

    def _limits(self):
        conf = throttle_settings()
        return (
            (self.pair_key, conf["failures_per_user_and_address"]),
            (self.address_key, conf["failures_per_address"]),
        )

    def seconds_left(self) -> int:
        """Seconds until logging in is allowed again (0: allowed now)."""
        return max(self._waits().values(), default=0)

    def paused_for_whole_address(self) -> bool:
        return self.address_key in self._waits()

    def _waits(self) -> dict:
        now = time.time()
        waits = {}
        for key, limit in self._limits():
            entry = cache.get(key)
            if entry and entry["count"] >= limit and entry["until"] > now:
                waits[key] = int(entry["until"] - now) + 1
        return waits

    def failed(self) -> None:
        """Count one failure. The count lapses `cooloff_seconds` after the latest failure, so a
        pause lasts that long from the last wrong password. Two simultaneous failures may count
        once: the limit is a brake, not an exact tally."""
        cooloff = throttle_settings()["cooloff_seconds"]
        now = time.time()
        for key, _limit in self._limits():
            entry = cache.get(key)
            count = entry["count"] + 1 if entry and entry["until"] > now else 1
            cache.set(key, {"count": count, "until": now + cooloff}, timeout=cooloff)

    def succeeded(self) -> None:
        # The per-address count stays: one valid account must not reset a password-guessing run.
        cache.delete(self.pair_key)


def throttled_message(seconds: int, *, whole_address: bool = False) -> str:
    minutes = max(1, -(-seconds // 60))
    who = "from your network" if whole_address else "with this username from your network"
    return (
        f"Too many failed log-in attempts. Logging in {who} is paused for {minutes} "
        f"minute{'s' if minutes != 1 else ''}. Check your username and password, then try again after that, "
        f"or ask your project's buyer to confirm your username."
    )


class ThrottledLoginMixin:
    """For an AuthenticationForm: refuse while throttled, count wrong passwords."""

    throttled = False

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        throttle = LoginThrottle.for_request(self.request, username)
        if wait := throttle.seconds_left():
            # The password is not even checked while paused, so guessing gains nothing.
            self.throttled = True
            message = throttled_message(wait, whole_address=throttle.paused_for_whole_address())
            raise ValidationError(message, code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                throttle.failed()
            raise
        throttle.succeeded()
        return cleaned


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class ThrottledLoginView(LoginView):
    form_class = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response
