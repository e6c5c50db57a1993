"""Log-in throttling: repeated failures pause logging in as that user from that address.

Failures are counted per (username, client address) pair and, more loosely, per address.
Keying on the pair means an attacker elsewhere cannot lock a real user out: the user's own
address has its own count. The counts live in a database table (mobilise.models), so every
app server behind the load balancer sees the same numbers.

An attempt is counted *before* its password is checked, with the count's row locked, and
uncounted if the password was right. So 24 guesses sent at once still get at most 5 password
checks: a read-then-write count (the cache's incr) would let them all through.
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from .models import LoginFailureCount

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
    # Usernames are user input: hash them so keys stay short and never store a username.
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

    def reserve(self) -> tuple[int, bool]:
        """Count this attempt before its password is checked: (0, _) when it may go ahead, else
        (seconds to wait, whether the whole address is paused) and nothing is counted.

        The rows are locked (SELECT ... FOR UPDATE; SQLite's transactions take the write lock
        at BEGIN), so simultaneous attempts are counted one after another. A count lapses
        `cooloff_seconds` after the latest attempt, so a pause lasts that long from the last
        wrong password."""
        cooloff = throttle_settings()["cooloff_seconds"]
        now = time.time()
        with transaction.atomic():
            rows = {}
            for key, _limit in self._limits():
                row, _ = LoginFailureCount.objects.select_for_update().get_or_create(key=key, defaults={"until": now})
                if row.until <= now:
                    row.count = 0
                rows[key] = row
            for key, limit in self._limits():
                if rows[key].count >= limit:
                    return int(rows[key].until - now) + 1, key == self.address_key
            for row in rows.values():
                row.count += 1
                row.until = now + cooloff
                row.save(update_fields=["count", "until"])
        _forget_lapsed(now)
        return 0, False

    def release(self) -> None:
        """The reserved attempt turned out not to be a wrong password: uncount it."""
        LoginFailureCount.objects.filter(key__in=[self.pair_key, self.address_key], count__gt=0).update(
            count=F("count") - 1
        )

    def succeeded(self) -> None:
        """The reserved attempt had the right password: it was no failure. The per-address
        count keeps the earlier failures: one valid account must not reset a guessing run."""
        LoginFailureCount.objects.filter(key=self.pair_key).delete()
        LoginFailureCount.objects.filter(key=self.address_key, count__gt=0).update(count=F("count") - 1)


def _forget_lapsed(now, batch=100):
    """Delete lapsed counts so the table stays small. Rows another attempt holds are skipped
    (SKIP LOCKED on PostgreSQL): waiting for them could deadlock with that attempt."""
    with transaction.atomic():
        lapsed = LoginFailureCount.objects.select_for_update(skip_locked=True).filter(until__lt=now)
        keys = list(lapsed.values_list("key", flat=True)[:batch])
        if keys:
            LoginFailureCount.objects.filter(key__in=keys, until__lt=now).delete()


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
        wait, whole_address = throttle.reserve()
        if wait:
            # The password is not even checked while paused, so guessing gains nothing.
            self.throttled = True
            raise ValidationError(throttled_message(wait, whole_address=whole_address), code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if error.code != "invalid_login":
                # Not a wrong password (an inactive account, say): not a failure either.
                throttle.release()
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
