"""The outbox's settings (``cong.outbox.*`` in the ini), read once at start-up.

============================== ======= ==============================================
setting                        default meaning
============================== ======= ==============================================
cong.outbox.max_attempts       10      attempts before a temporary failure is final
cong.outbox.retry_delay        60      seconds before the first retry; doubled each time
cong.outbox.max_retry_delay    21600   the longest wait between two attempts (6 hours)
cong.outbox.sending_timeout    300     seconds after which a message left ``sending``
                                       (its sender crashed) is sent again
cong.outbox.deliver_in_process true    deliver in a thread of the application after
                                       each commit that queued messages (false: only
                                       ``cong outbox send`` delivers)
cong.outbox.sms_provider       sandbox the :class:`~core.outbox.sms.ISmsProvider` used
cong.outbox.http_timeout       10      seconds an HTTP receiver may take to answer
cong.outbox.http_tokens                lines ``<URL prefix> <bearer token>``: the token
                                       sent to the addresses starting with the prefix
============================== ======= ==============================================

The mail transport reads pyramid_mailer's own settings (``mail.host``,
``mail.port``, ``mail.username``, ``mail.password``, ``mail.tls``, ``mail.ssl``,
``mail.default_sender``...).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyramid.settings import asbool

from core.settings import SettingsError

PREFIX = "cong.outbox."


@dataclass(frozen=True)
class OutboxSettings:
    max_attempts: int = 10
    retry_delay: int = 60
    max_retry_delay: int = 21600
    sending_timeout: int = 300
    deliver_in_process: bool = True
    sms_provider: str = "sandbox"
    http_timeout: int = 10
    http_tokens: tuple[tuple[str, str], ...] = ()

    def retry_after(self, attempts: int) -> int:
        """Seconds to wait after the ``attempts``-th failed attempt."""
        return min(self.retry_delay * 2 ** max(attempts - 1, 0), self.max_retry_delay)

    def token_for(self, url: str) -> str | None:
        """The bearer token for ``url``: the one of the longest matching prefix."""
        matching = [(len(p), t) for p, t in self.http_tokens if url.startswith(p)]
        return max(matching)[1] if matching else None


def _positive(settings: dict, name: str, default: int) -> int:
    value = settings.get(PREFIX + name, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise SettingsError(f"{PREFIX}{name} must be a whole number of at least 1, not {value!r}")
    return number


def _tokens(text: str) -> tuple[tuple[str, str], ...]:
    tokens = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2 or not parts[0].startswith(("http://", "https://")):
            raise SettingsError(
                f"{PREFIX}http_tokens takes lines '<URL prefix> <token>', "
                "the prefix starting with http:// or https://"
            )
        tokens.append((parts[0], parts[1]))
    return tuple(tokens)


def read_outbox_settings(settings: dict) -> OutboxSettings:
    """The outbox's settings; SettingsError naming a wrong one."""
    defaults = OutboxSettings()
    return OutboxSettings(
        max_attempts=_positive(settings, "max_attempts", defaults.max_attempts),
        retry_delay=_positive(settings, "retry_delay", defaults.retry_delay),
        max_retry_delay=_positive(settings, "max_retry_delay", defaults.max_retry_delay),
        sending_timeout=_positive(settings, "sending_timeout", defaults.sending_timeout),
        deliver_in_process=asbool(settings.get(PREFIX + "deliver_in_process", True)),
        sms_provider=settings.get(PREFIX + "sms_provider", "").strip() or defaults.sms_provider,
        http_timeout=_positive(settings, "http_timeout", defaults.http_timeout),
        http_tokens=_tokens(settings.get(PREFIX + "http_tokens", "")),
    )


def outbox_settings(registry) -> OutboxSettings:
    """The settings read at start-up."""
    return registry.cong_outbox_settings
