"""A small public-key infrastructure for the signature tests, made with
``cryptography``: a root CA, a unit's certificate issued by it (and an expired
one), and a self-signed impostor bearing the same unit's name; keys and
certificates as the settings name them, PKCS#12 files with a passphrase and the
root as a PEM file.

Not a test module: ``make_pki(folder)`` writes the files and answers their paths;
key generation takes a fraction of a second, so a test module makes them once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

#: The passphrase of every PKCS#12 file made here (a demo value).
PASSPHRASE = "mat-khau-thu-nghiem"
UNIT_NAME = "UBND xã Tân Phú"
UNIT_ORGANISATION = "UBND tỉnh Đồng Nai"
ROOT_NAME = "CA thử nghiệm của cổng"


@dataclass(frozen=True)
class Pki:
    """The files made by :func:`make_pki`."""

    root_pem: Path  #: the root CA's certificate, to trust
    unit_p12: Path  #: the unit's key and certificate (with the root), issued by the root
    expired_p12: Path  #: the same unit's key and a certificate that expired last year
    impostor_p12: Path  #: a self-signed certificate with the unit's name
    impostor_pem: Path  #: the impostor's certificate, as another trust root


def _name(common_name: str, organisation: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def _certificate(subject, public_key, issuer, issuer_key, *, ca, start, days):
    usage = dict.fromkeys(
        ("content_commitment", "data_encipherment", "key_agreement", "key_cert_sign",
         "crl_sign", "encipher_only", "decipher_only", "key_encipherment"), False,
    )  # fmt: skip
    if ca:
        usage.update(key_cert_sign=True, crl_sign=True)
    else:
        usage.update(content_commitment=True)  # nonRepudiation
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, **usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _write_p12(path: Path, name: str, key, certificate, chain=()) -> Path:
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            name.encode(), key, certificate, list(chain),
            serialization.BestAvailableEncryption(PASSPHRASE.encode()),
        )
    )  # fmt: skip
    return path


def _write_pem(path: Path, certificate) -> Path:
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return path


def make_pki(folder: Path) -> Pki:
    """Make the CA, the certificates and their files in ``folder``."""
    now = datetime.now(UTC)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name(ROOT_NAME, "Cổng thông tin điện tử")
    root = _certificate(
        root_name, root_key.public_key(), root_name, root_key,
        ca=True, start=now - timedelta(days=365), days=3650,
    )  # fmt: skip
    unit_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    unit_name = _name(UNIT_NAME, UNIT_ORGANISATION)
    unit = _certificate(
        unit_name, unit_key.public_key(), root_name, root_key,
        ca=False, start=now - timedelta(days=1), days=365,
    )  # fmt: skip
    expired = _certificate(
        unit_name, unit_key.public_key(), root_name, root_key,
        ca=False, start=now - timedelta(days=400), days=30,
    )  # fmt: skip
    impostor_key = ec.generate_private_key(ec.SECP256R1())
    impostor = _certificate(
        unit_name, impostor_key.public_key(), unit_name, impostor_key,
        ca=False, start=now - timedelta(days=1), days=365,
    )  # fmt: skip
    return Pki(
        root_pem=_write_pem(folder / "root.pem", root),
        unit_p12=_write_p12(folder / "unit.p12", "unit", unit_key, unit, [root]),
        expired_p12=_write_p12(folder / "expired.p12", "expired", unit_key, expired, [root]),
        impostor_p12=_write_p12(folder / "impostor.p12", "impostor", impostor_key, impostor),
        impostor_pem=_write_pem(folder / "impostor.pem", impostor),
    )
