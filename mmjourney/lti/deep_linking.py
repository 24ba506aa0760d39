"""Deep linking: an instructor picks a story and a mode in the tool, and the platform makes the link.

The platform sends an `LtiDeepLinkingRequest` launch (checked like any other, launch.py); the tool
shows its catalog, and answers with an `LtiDeepLinkingResponse`: a JWT signed with the tool's key,
posted by the instructor's browser to the platform's `deep_link_return_url`, holding one LTI resource
link whose custom parameters name the story and the mode (the resource link launch reads them back).
An assessment link asks the platform for a gradebook column (a line item), so its scores come back.
"""

from __future__ import annotations

import secrets
import time

import jwt

from .launch import LTI, Claims

RESPONSE_LIFETIME = 600  # seconds


def response_token(claims: Claims, launch_url: str, story_id: str, title: str, mode: str) -> str:
    """The signed answer to a deep linking request: a link to `story_id` in `mode`."""
    settings = claims.deep_linking_settings()
    item: dict = {"type": "ltiResourceLink", "title": f"{title} ({mode})", "url": launch_url,
                  "custom": {"story": story_id, "mode": mode}}
    if mode == "assessment":
        item["lineItem"] = {"label": title, "scoreMaximum": 100, "resourceId": story_id}
    now = int(time.time())
    payload = {"iss": claims.platform.client_id, "aud": claims.platform.issuer, "iat": now,
               "exp": now + RESPONSE_LIFETIME, "nonce": secrets.token_urlsafe(16),
               LTI + "message_type": "LtiDeepLinkingResponse", LTI + "version": "1.3.0",
               LTI + "deployment_id": claims.deployment_id,
               "https://purl.imsglobal.org/spec/lti-dl/claim/content_items": [item]}
    if "data" in settings:  # the platform's own value, returned as it was sent
        payload["https://purl.imsglobal.org/spec/lti-dl/claim/data"] = settings["data"]
    return jwt.encode(payload, claims.platform.key.private, algorithm="RS256",
                      headers={"kid": claims.platform.key.kid})
