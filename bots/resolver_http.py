"""The real HTTP adapter of the wallet's DocumentResolver port (httpx).

https only, short timeouts, a size cap, and no redirects: a redirect is
followed only when its target passes the same allow-list check, so a listed
host cannot bounce the verifier elsewhere. Wrap it in
``coach.wallet.resolver.AllowListResolver`` and ``CachingResolver``.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from coach.wallet.resolver import MAX_DOCUMENT_BYTES, ResolutionError

_ACCEPT = "application/did+json, application/ld+json, application/json;q=0.9, */*;q=0.1"


class HttpResolver:
    """Fetches documents over HTTPS; ``allows`` decides every hop (redirects too)."""

    def __init__(
        self,
        allows: Callable[[str], bool],
        *,
        timeout: float = 10.0,
        max_bytes: int = MAX_DOCUMENT_BYTES,
        max_redirects: int = 3,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._allows = allows
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._client = httpx.Client(timeout=timeout, follow_redirects=False, transport=transport)

    def fetch(self, url: str) -> bytes:
        current = url.split("#", 1)[0]
        for _ in range(self._max_redirects + 1):
            if not self._allows(current):
                raise ResolutionError(f"not on the allow-list: {current}")
            try:
                with self._client.stream("GET", current, headers={"Accept": _ACCEPT}) as resp:
                    if resp.is_redirect:
                        location = resp.headers.get("location", "")
                        current = str(resp.url.join(location))
                        continue
                    if resp.status_code != 200:
                        raise ResolutionError(f"{current}: HTTP {resp.status_code}")
                    body = bytearray()
                    for chunk in resp.iter_bytes():
                        body.extend(chunk)
                        if len(body) > self._max_bytes:
                            raise ResolutionError(f"{current}: larger than {self._max_bytes} bytes")
                    return bytes(body)
            except httpx.HTTPError as exc:
                raise ResolutionError(f"{current}: {exc}") from exc
        raise ResolutionError(f"{url}: too many redirects")

    def close(self) -> None:
        self._client.close()
