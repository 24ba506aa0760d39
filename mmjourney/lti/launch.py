"""Checking an LTI 1.3 launch: the platform's `id_token`, verified before anything in it is believed.

A launch is refused (LaunchRefused, with the reason in words an administrator can act on) unless:
- it is signed with RS256 by a key in the JWKS of a platform registered here (PyJWT fetches and caches
  the key set, and fetches it again for a key id it does not know, as platforms rotate keys);
- `iss` is that platform's issuer and `aud` holds its client id (with `azp` the client id when `aud`
  names several parties);
- `exp` has not passed and `iat` is not in the future, give or take LEEWAY for clocks that differ;
- its `nonce` is the one the login started here sent, unused until now: the login's state is used
  up by the launch, so the same token posted again is refused as a replay;
- it is LTI version 1.3.0, from a deployment registered for that platform, and a message this tool
  handles (a resource link launch, or a deep linking request from an instructor), with the claims
  the specification requires of that message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, urlsplit

import jwt

from .config import Platform
from .store import Store

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
RESOURCE_LINK = "LtiResourceLinkRequest"
DEEP_LINKING = "LtiDeepLinkingRequest"
LEEWAY = 60.0  # seconds of clock difference between the platform and this server
MAX_TOKEN_CHARS = 64 * 1024
MODES = ("practice", "assessment")
STORY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


class LaunchRefused(Exception):
    """A launch that is not accepted; the message says why, safe to show to the person launching."""


@dataclass(frozen=True)
class Claims:
    """A verified launch: the platform it came from and the token's claims."""

    platform: Platform
    payload: dict[str, Any]

    @property
    def message_type(self) -> str:
        return self.payload[LTI + "message_type"]

    @property
    def deployment_id(self) -> str:
        return self.payload[LTI + "deployment_id"]

    @property
    def subject(self) -> str:
        return self.payload["sub"]

    def lineitem(self) -> str | None:
        """Where this link's scores go: the line item of the AGS claim, when the platform lets this tool
        post scores to it."""
        endpoint = self.payload.get(AGS_ENDPOINT)
        if not isinstance(endpoint, dict):
            return None
        scopes, lineitem = endpoint.get("scope"), endpoint.get("lineitem")
        if not isinstance(scopes, list) or SCORE_SCOPE not in scopes or not isinstance(lineitem, str):
            return None
        return lineitem if urlsplit(lineitem).scheme in ("http", "https") else None

    def learner_name(self) -> str | None:
        """The name the platform gives (`name`, else given and family names), if it gives one."""
        name = self.payload.get("name")
        if not isinstance(name, str) or not name.strip():
            parts = [self.payload.get(key) for key in ("given_name", "family_name")]
            name = " ".join(part for part in parts if isinstance(part, str) and part.strip())
        return name.strip() or None

    def deep_linking_settings(self) -> dict[str, Any]:
        settings = self.payload.get(DEEP_LINKING_SETTINGS)
        return settings if isinstance(settings, dict) else {}


def verify(token: str, state: str, platforms: Iterable[Platform], store: Store,
           signing_key: Callable[[Platform, str], Any]) -> Claims:
    """The claims of a launch's `id_token` once every check above has passed; raises LaunchRefused.

    `signing_key(platform, token)` is the platform's public key that signed `token` (from its JWKS)."""
    if not token or len(token) > MAX_TOKEN_CHARS or not state:
        raise LaunchRefused("The launch carried no id_token and state. Start it again from the course.")
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise LaunchRefused("The launch's id_token is not a JSON Web Token.") from None
    if header.get("alg") != "RS256":
        raise LaunchRefused(f"The launch's id_token is signed with {header.get('alg')!r}; LTI 1.3 uses RS256.")
    platform = _platform(unverified, platforms)
    try:
        key = signing_key(platform, token)
    except jwt.PyJWKClientError as error:
        raise LaunchRefused(f"The key that signed this launch could not be found in the platform's key set at "
                            f"{platform.jwks_url} ({error}). Check jwks_url in {platform.path}.") from None
    try:
        payload = jwt.decode(token, key, algorithms=["RS256"], audience=platform.client_id, issuer=platform.issuer,
                             leeway=LEEWAY, options={"require": ["iss", "aud", "exp", "iat", "nonce"]})
    except jwt.InvalidSignatureError:
        raise LaunchRefused(f"The launch's signature does not match the keys of {platform.name}: the token was "
                            "forged or altered, or signed with another platform's key.") from None
    except jwt.ExpiredSignatureError:
        raise LaunchRefused("The launch has expired (its token's exp has passed). Start it again from the course; "
                            "if this keeps happening, check the clocks of this server and the platform.") from None
    except jwt.ImmatureSignatureError:
        raise LaunchRefused("The launch's token was issued in the future (iat): check the clocks of this server "
                            "and the platform.") from None
    except jwt.InvalidAudienceError:
        raise LaunchRefused(f"The launch is addressed to another tool (aud), not to client id "
                            f"{platform.client_id}.") from None
    except jwt.MissingRequiredClaimError as error:
        raise LaunchRefused(f"The launch's token has no {error.claim} claim.") from None
    except jwt.PyJWTError as error:
        raise LaunchRefused(f"The launch's token cannot be accepted ({error}).") from None
    _check_azp(payload, platform)
    nonce = payload["nonce"]
    if not isinstance(nonce, str) or store.nonce_used(nonce):
        raise LaunchRefused("This launch was already used (its nonce has been seen before): a token is good for "
                            "one launch. Start it again from the course.")
    login = store.use_state(state, nonce, float(payload["exp"]) + LEEWAY)
    if login is None:
        raise LaunchRefused("This launch's login was not started here, or took longer than 10 minutes. Start it "
                            "again from the course.")
    if login != (nonce, platform.ident):
        raise LaunchRefused("The launch's nonce is not the one its login sent: the token belongs to another login.")
    _check_lti(payload, platform)
    return Claims(platform, payload)


def _platform(unverified: dict, platforms: Iterable[Platform]) -> Platform:
    issuer = unverified.get("iss")
    audience = unverified.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    same_issuer = [p for p in platforms if p.issuer == issuer]
    if not same_issuer:
        raise LaunchRefused(f"This launch comes from a platform that is not registered here (issuer {issuer!r}). "
                            "Its administrator must give a platform file to mmjourney serve --lti.")
    for platform in same_issuer:
        if platform.client_id in audiences:
            return platform
    raise LaunchRefused(f"The launch is addressed to another tool (aud {audience!r}); this server is registered "
                        f"with {issuer} as client id {same_issuer[0].client_id}.")


def _check_azp(payload: dict, platform: Platform) -> None:
    audience = payload["aud"]
    several = isinstance(audience, list) and len(audience) > 1
    if (several or "azp" in payload) and payload.get("azp") != platform.client_id:
        raise LaunchRefused(f"The launch's authorized party (azp) is {payload.get('azp')!r}, not this tool's "
                            f"client id {platform.client_id}.")


def _check_lti(payload: dict, platform: Platform) -> None:
    version = payload.get(LTI + "version")
    if version != "1.3.0":
        raise LaunchRefused(f"The launch is LTI version {version!r}; this tool speaks LTI 1.3.0.")
    deployment = payload.get(LTI + "deployment_id")
    if deployment not in platform.deployment_ids:
        raise LaunchRefused(f"The launch comes from deployment {deployment!r}, which is not among the deployment_ids "
                            f"in {platform.path}. Add it there if the platform's administrator made it.")
    kind = payload.get(LTI + "message_type")
    if kind not in (RESOURCE_LINK, DEEP_LINKING):
        raise LaunchRefused(f"The launch is a {kind!r} message; this tool takes {RESOURCE_LINK} and {DEEP_LINKING}.")
    if not isinstance(payload.get(LTI + "roles"), list):
        raise LaunchRefused("The launch has no roles claim (a list, possibly empty).")
    if kind == RESOURCE_LINK:
        link = payload.get(LTI + "resource_link")
        if not isinstance(link, dict) or not isinstance(link.get("id"), str) or not link["id"]:
            raise LaunchRefused("The launch has no resource link id.")
        if not isinstance(payload.get("sub"), str) or not payload["sub"]:
            raise LaunchRefused("The launch does not say who the learner is (no sub claim): anonymous launches "
                                "cannot keep a learner's records.")
    elif not isinstance(payload.get(DEEP_LINKING_SETTINGS, {}).get("deep_link_return_url"), str):
        raise LaunchRefused("The deep linking request has no deep_link_return_url.")


def story_and_mode(claims: Claims, story_ids: Iterable[str], graded: bool) -> tuple[str, str]:
    """The story (an id from the server's catalog) and the mode a resource link opens: from its custom
    parameters `story` and `mode`, else from the query of its target link URI. Without a mode, a link
    with a gradebook column is played as an assessment, any other for practice. Raises LaunchRefused."""
    custom = claims.payload.get(LTI + "custom")
    custom = custom if isinstance(custom, dict) else {}
    target = claims.payload.get(LTI + "target_link_uri")
    query = parse_qs(urlsplit(target).query) if isinstance(target, str) else {}
    story = custom.get("story") or query.get("story", [None])[0]
    mode = custom.get("mode") or query.get("mode", [None])[0] or ("assessment" if graded else "practice")
    known = set(story_ids)
    if not isinstance(story, str) or not story:
        raise LaunchRefused("This link does not say which story to open. In the course, set the link's custom "
                            "parameter story=STORY-ID (one of: " + ", ".join(sorted(known)) + ").")
    if not STORY_ID.fullmatch(story) or story not in known:
        raise LaunchRefused(f"This link asks for the story {story[:100]!r}, which this server does not offer. The "
                            "stories offered are: " + ", ".join(sorted(known)) + ".")
    if mode not in MODES:
        raise LaunchRefused(f"This link asks for the mode {str(mode)[:40]!r}; the modes are practice and assessment.")
    return story, mode


def clean_name(name: str | None) -> str | None:
    """A platform's name for a learner, kept to what a typed name may hold (names.py): letters, digits, marks,
    spaces and name punctuation, without control or invisible characters. None if nothing is left."""
    from ..classroom import NameProblem, check_name
    from ..classroom.names import NAME_PUNCTUATION

    if name is None:
        return None
    kept = "".join(char if unicodedata.category(char)[0] in "LMN" or char in NAME_PUNCTUATION else " "
                   for char in unicodedata.normalize("NFKC", name))
    try:
        return check_name(" ".join(kept.split())[:60]).shown
    except NameProblem:
        return None
