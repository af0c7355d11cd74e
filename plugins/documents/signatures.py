"""Signed PDFs (PAdES, with pyHanko): the settings and errors shared by signing at
issue (:mod:`plugins.documents.signing`) and verifying on receipt
(:mod:`plugins.documents.verification`). See docs/decisions/0031-signed-pdfs.md.

The settings, read once at start-up (:func:`read_signatures`):

- ``cong.documents.signing_key.<unit code>``: the PKCS#12 file (``.p12``, ``.pfx``)
  holding that unit's certificate and key; ``cong.documents.signing_key``: the one
  of the units without their own. The key stays in its file, read at each signing,
  never put in the database.
- ``cong.documents.signing_passphrase_env`` (and ``….<unit code>``): the name of the
  environment variable holding the file's passphrase (none: the file has none).
- ``cong.documents.trust_roots``: PEM (or DER) files of the CA certificates trusted,
  separated by spaces or new lines. A file that cannot be read stops the start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from io import BytesIO
from types import MappingProxyType
from typing import TYPE_CHECKING

from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyramid.exceptions import ConfigurationError

from core.i18n import _

if TYPE_CHECKING:
    from asn1crypto import x509

logger = logging.getLogger(__name__)

KEY = "cong.documents.signing_key"
PASSPHRASE_ENV = "cong.documents.signing_passphrase_env"
TRUST_ROOTS = "cong.documents.trust_roots"


@dataclass(frozen=True)
class SignatureSettings:
    """Where each unit's key is and which certificate authorities are trusted."""

    keys: Mapping[str, str] = field(default_factory=dict)  #: unit code -> PKCS#12 file
    default_key: str | None = None
    passphrase_envs: Mapping[str, str] = field(default_factory=dict)  #: unit -> variable
    default_passphrase_env: str | None = None
    trust_roots: tuple[x509.Certificate, ...] = ()

    def key_file(self, unit_code: str) -> str | None:
        """The PKCS#12 file of unit ``unit_code`` (its own, else the default)."""
        return self.keys.get(unit_code) or self.default_key

    def passphrase_env(self, unit_code: str) -> str | None:
        """The environment variable holding the passphrase of that file."""
        return self.passphrase_envs.get(unit_code) or self.default_passphrase_env


class SignatureError(ValueError):
    """A PDF that cannot be signed or checked: ``message`` says why (Vietnamese),
    ``reason`` is a short code for programs."""

    def __init__(self, message, reason: str):
        super().__init__(message)
        self.message = message
        self.reason = reason


class SigningError(SignatureError):
    """A PDF that cannot be signed (reasons: ``not_pdf``, ``encrypted``,
    ``no_key`` — the unit has no key configured —, ``key_unreadable``,
    ``no_passphrase``, ``key_locked``, ``certificate_expired``,
    ``certificate_not_yet_valid``, ``cannot_sign``)."""


class VerificationError(SignatureError):
    """A file whose signatures cannot be checked (reasons: ``not_pdf``,
    ``encrypted``)."""


def _by_unit(settings: Mapping, prefix: str) -> Mapping[str, str]:
    found = {
        name[len(prefix) + 1 :]: str(value).strip()
        for name, value in settings.items()
        if name.startswith(prefix + ".") and str(value).strip()
    }
    return MappingProxyType(found)


def _trust_roots(raw: str) -> tuple[x509.Certificate, ...]:
    roots = []
    for path in raw.split():
        try:
            with open(path, "rb") as file:
                found = list(load_certs_from_pemder_data(file.read()))
            # parsed now, so that a broken one stops the start-up, not a check later
            names = [certificate.subject.human_friendly for certificate in found]
        except (OSError, ValueError, TypeError) as exc:
            raise ConfigurationError(
                f"{TRUST_ROOTS}: cannot read the certificates of {path!r} ({exc})"
            ) from exc
        if not found:
            raise ConfigurationError(f"{TRUST_ROOTS}: {path!r} holds no certificate")
        logger.info("trust roots from %s: %s", path, "; ".join(names))
        roots.extend(found)
    return tuple(roots)


def parse_settings(settings: Mapping) -> SignatureSettings:
    """The signature settings found in ``settings`` (the application's);
    ConfigurationError for trust roots that cannot be read."""
    return SignatureSettings(
        keys=_by_unit(settings, KEY),
        default_key=str(settings.get(KEY) or "").strip() or None,
        passphrase_envs=_by_unit(settings, PASSPHRASE_ENV),
        default_passphrase_env=str(settings.get(PASSPHRASE_ENV) or "").strip() or None,
        trust_roots=_trust_roots(str(settings.get(TRUST_ROOTS) or "")),
    )


def read_signatures(registry) -> None:
    """Read the signature settings once and keep them in the registry."""
    registry.documents_signatures = parse_settings(registry.settings)


def signature_settings(registry) -> SignatureSettings:
    """The signature settings read at start-up."""
    return registry.documents_signatures


def read_pdf(data: bytes, error: type[SignatureError]) -> PdfFileReader:
    """pyHanko's reader of the PDF file ``data``; ``error`` (``not_pdf``,
    ``encrypted``) when it is not one pyHanko can read or it is encrypted."""
    if not isinstance(data, bytes | bytearray) or b"%PDF-" not in data[:1024]:
        raise error(_("Tệp không phải là tệp PDF."), "not_pdf")
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        reader.root  # noqa: B018 - the catalog read now: a broken file fails here
    except Exception as exc:  # noqa: BLE001 - any failure to parse is the file's
        raise error(_("Tệp PDF bị hỏng, không đọc được."), "not_pdf") from exc
    if reader.encrypted:
        raise error(_("Tệp PDF được mã hóa bằng mật khẩu, không xử lý chữ ký được."), "encrypted")
    return reader
