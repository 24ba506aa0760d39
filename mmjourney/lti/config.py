"""A learning platform registered with `mmjourney serve --lti CONFIG`: one TOML file per platform.

The file holds what the platform's administrator gave when the tool was registered (issuer, client
id, deployment ids, its three URLs) and where the tool's private key is. Every problem is said with
the file's name (and, for TOML syntax, the line and column tomllib reports) in an administrator's
words. The private key must be readable by its owner only, like the LRS settings (records/lrs.py).
"""

from __future__ import annotations

import hashlib
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from ..journey.files import read_private_file

MAX_CONFIG_BYTES = 64 * 1024
MAX_KEY_BYTES = 64 * 1024
MIN_KEY_BITS = 2048  # what 1EdTech's security framework asks of RS256 keys

URL_FIELDS = ("auth_login_url", "token_url", "jwks_url")
TEXT_FIELDS = ("issuer", "client_id", "private_key")
KNOWN_FIELDS = frozenset({"name", *TEXT_FIELDS, *URL_FIELDS, "deployment_ids", "token_audience"})


class ConfigError(ValueError):
    """A platform file that cannot be used; the message names the file and says what to change."""


@dataclass(frozen=True)
class ToolKey:
    """The tool's RSA key: it signs the grade requests; its public half is published at /lti/jwks."""

    private: RSAPrivateKey = field(repr=False)
    kid: str  # the key's RFC 7638 thumbprint: the same key always has the same id

    def public_jwk(self) -> dict:
        import jwt

        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        return {**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}


@dataclass(frozen=True)
class Platform:
    """One registration of the tool in a platform (a Canvas, Moodle, Brightspace…), from its file."""

    path: Path
    name: str
    issuer: str
    client_id: str
    deployment_ids: tuple[str, ...]
    auth_login_url: str
    token_url: str
    jwks_url: str
    token_audience: str  # the `aud` of the tool's grant request: the token URL unless the platform says otherwise
    key: ToolKey

    @property
    def ident(self) -> str:
        """A short, stable name for this registration in the tool's own tables."""
        return hashlib.sha256(f"{self.issuer}\0{self.client_id}".encode()).hexdigest()[:16]


def load_platform(path: Path) -> Platform:
    """The platform registered in `path`; raises ConfigError naming the file and the problem."""
    path = Path(path)
    data = _read_toml(path)
    unknown = sorted(set(data) - KNOWN_FIELDS)
    if unknown:
        raise ConfigError(f"{path}: unknown setting {unknown[0]!r}; the settings are "
                          f"{', '.join(sorted(KNOWN_FIELDS))}")
    for name in (*TEXT_FIELDS, *URL_FIELDS):
        if name not in data:
            raise ConfigError(f"{path}: {name} is missing (see docs/lms.md)")
        if not isinstance(data[name], str) or not data[name].strip():
            raise ConfigError(f"{path}: {name} must be text in quotes")
    for name in URL_FIELDS:
        _check_url(path, name, data[name])
    deployments = data.get("deployment_ids")
    if not isinstance(deployments, list) or not deployments or not all(
            isinstance(d, str) and d.strip() for d in deployments):
        raise ConfigError(f"{path}: deployment_ids must be a list of the deployment ids the platform showed, "
                          'in quotes, e.g. deployment_ids = ["1:8865aa05b4b79b64a91a86042e43af5ea8ae79eb"]')
    audience = data.get("token_audience", data["token_url"])
    if not isinstance(audience, str) or not audience.strip():
        raise ConfigError(f"{path}: token_audience must be text in quotes")
    key_path = (path.parent / data["private_key"]).resolve()
    name = data.get("name", data["issuer"])
    if not isinstance(name, str):
        raise ConfigError(f"{path}: name must be text in quotes")
    return Platform(path, name.strip(), data["issuer"].strip(), data["client_id"].strip(),
                    tuple(d.strip() for d in deployments), data["auth_login_url"].strip(), data["token_url"].strip(),
                    data["jwks_url"].strip(), audience.strip(), load_key(key_path, path))


def load_key(key_path: Path, config: Path) -> ToolKey:
    """The tool's private key (PEM, RSA, at least 2048 bits, private to its owner)."""
    try:
        pem = read_private_file(key_path, MAX_KEY_BYTES)
    except OSError as error:
        raise ConfigError(f"{config}: the private key {key_path} cannot be read ({error.strerror}). Make one "
                          f"with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out {key_path}"
                          ) from None
    except ValueError as problem:
        raise ConfigError(f"{config}: the private key {key_path}: {problem}") from None
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise ConfigError(f"{config}: {key_path} is not an unencrypted PEM private key ({error})") from None
    if not isinstance(key, RSAPrivateKey):
        raise ConfigError(f"{config}: {key_path} is not an RSA key; LTI 1.3 signs with RS256")
    if key.key_size < MIN_KEY_BITS:
        raise ConfigError(f"{config}: {key_path} has {key.key_size} bits; LTI asks for at least {MIN_KEY_BITS}")
    return ToolKey(key, _thumbprint(key))


def _thumbprint(key: RSAPrivateKey) -> str:
    import jwt

    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    # RFC 7638: the required members in lexicographic order, no white space, hashed with SHA-256.
    canonical = '{"e":"%s","kty":"RSA","n":"%s"}' % (jwk["e"], jwk["n"])
    return jwt.utils.base64url_encode(hashlib.sha256(canonical.encode()).digest()).decode()


def _read_toml(path: Path) -> dict:
    try:
        info = path.stat()
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"{path}: is not a file")
    if info.st_size > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: is too large to be a platform's settings")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        # tomllib's message ends with "(at line L, column C)".
        raise ConfigError(f"{path}: {error}") from None


def _check_url(path: Path, name: str, value: str) -> None:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{path}: {name} must be an https:// address, not {value!r}")
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ConfigError(f"{path}: {name} must start with https:// (plain http is only for a platform on this "
                          f"machine), not {value!r}")
