"""Which payment providers there are, and which one new payments go through.

A plugin registers its provider in ``cong_configure``::

    config.add_payment_provider("national", NationalPlatform(settings))

Two providers of one name stop the start-up (a ``config.action`` conflict). The
ini's ``cong.payment_provider`` names the active one: by default the built-in
``sandbox`` (:mod:`core.payments.sandbox`), except in production, where the
sandbox (which lets anyone mark a fee paid) is refused and there is no default. A
name no plugin registers stops the start-up. ``cong.payment_secret`` is the secret
shared with the platform; it lives in the ini only, never in the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError

from core.i18n import _
from core.payments.errors import PaymentUnavailable
from core.payments.interfaces import IPaymentProvider
from core.settings import SettingsError

#: The name of the built-in sandbox provider.
SANDBOX = "sandbox"
#: The name of the callback view: ``/@payment-callback/<provider>``.
CALLBACK = "@payment-callback"
#: Discriminator prefix of a provider's registration.
DISCRIMINATOR = "cong.payment_provider"


@dataclass(frozen=True)
class PaymentSettings:
    """``cong.payment_provider`` ('' when none) and ``cong.payment_secret``."""

    provider: str
    secret: str = field(repr=False)


def read_payment_settings(settings: dict) -> PaymentSettings:
    """The payment settings; SettingsError for the sandbox in production."""
    production = settings["cong"].production
    name = settings.get("cong.payment_provider", "" if production else SANDBOX).strip()
    if production and name == SANDBOX:
        raise SettingsError(
            "cong.payment_provider = sandbox lets anyone mark a fee paid: name a real "
            "payment provider in production (or none)."
        )
    return PaymentSettings(provider=name, secret=settings.get("cong.payment_secret", "").strip())


def payment_settings(registry) -> PaymentSettings:
    return registry.cong_payment_settings


def get_provider(registry, name: str) -> IPaymentProvider | None:
    """The provider registered as ``name``, or None."""
    return registry.cong_payment_providers.get(name)


def active_provider(registry) -> tuple[str, IPaymentProvider]:
    """The name and provider new payments go through; PaymentUnavailable when the
    ini names none."""
    name = payment_settings(registry).provider
    provider = get_provider(registry, name) if name else None
    if provider is None:
        raise PaymentUnavailable(_("Chưa cấu hình thanh toán trực tuyến."))
    return name, provider


def add_payment_provider(config: Configurator, name: str, provider: IPaymentProvider) -> None:
    """Directive: register ``provider`` (an :class:`IPaymentProvider`) as ``name``."""
    if not isinstance(name, str) or not name.isidentifier():
        raise ConfigurationError(f"a payment provider's name is a word, not {name!r}")
    if not IPaymentProvider.providedBy(provider):
        raise ConfigurationError(f"payment provider {name!r} does not provide IPaymentProvider")

    def register():
        config.registry.cong_payment_providers[name] = provider

    config.action((DISCRIMINATOR, name), register)


def check_active(registry) -> None:
    """Stop the start-up when ``cong.payment_provider`` names no registered provider."""
    name = payment_settings(registry).provider
    if name and get_provider(registry, name) is None:
        known = ", ".join(sorted(registry.cong_payment_providers)) or "none"
        raise ConfigurationError(
            f"cong.payment_provider names '{name}', which no plugin registers (registered: {known})"
        )


def includeme(config: Configurator) -> None:
    """Read the settings, add the directive, and check the active provider once
    every provider is registered."""
    registry = config.registry
    registry.cong_payment_settings = read_payment_settings(registry.settings)
    registry.cong_payment_providers = {}
    config.add_directive("add_payment_provider", add_payment_provider)
    config.action(None, check_active, args=(registry,), order=10)


def callback_url(request, name: str) -> str:
    """The address the platform of provider ``name`` calls back."""
    return request.resource_url(request.root, CALLBACK, name)
