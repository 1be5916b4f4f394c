"""Who is calling: bearer tokens, session cookies and CSRF protection.

A browser gets an HttpOnly session cookie plus a readable CSRF cookie whose
value is derived from the session token; every cookie-authenticated write must
echo it in ``X-CSRF-Token``. Bearer-token callers need no CSRF token (browsers
never attach bearer tokens on their own).
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import HTTPException, Request, Response

SESSION_COOKIE = "stackwise_session"
CSRF_COOKIE = "stackwise_csrf"
CSRF_HEADER = "x-csrf-token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token_for(session_token: str) -> str:
    """The CSRF token bound to a session; unguessable without the HttpOnly cookie."""
    return hashlib.sha256(b"stackwise-csrf:" + session_token.encode()).hexdigest()[:43]


def set_session_cookies(response: Response, request: Request, token: str) -> None:
    secure = request.url.scheme == "https"
    max_age = 180 * 24 * 3600
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="strict", secure=secure, max_age=max_age
    )
    response.set_cookie(
        CSRF_COOKIE,
        csrf_token_for(token),
        httponly=False,
        samesite="strict",
        secure=secure,
        max_age=max_age,
    )


def clear_session_cookies(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)


def session_token(request: Request) -> tuple[str, bool]:
    """The caller's token and whether it came from a cookie; 401 when there is none."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        token = header[7:].strip()
        if token:
            return token, False
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        return cookie, True
    raise HTTPException(401, "Start a session first: POST /api/sessions.")


def check_csrf(request: Request, token: str) -> None:
    """Refuse a cookie-authenticated write whose CSRF header does not match."""
    if request.method in _SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(sent.encode(), csrf_token_for(token).encode()):
        raise HTTPException(403, "Missing or wrong CSRF token (send the X-CSRF-Token header).")
