"""The reader's address, for rate limits and moderation: never one the client can forge.

Without a proxy it is the connection's own (``REMOTE_ADDR``). Behind one, the deployment
says where its proxies write the address (``PORTAL_CLIENT_IP_HEADER``, a header the proxy
sets and overwrites) or how many proxies append to ``X-Forwarded-For``
(``PORTAL_TRUSTED_PROXY_COUNT``): only what they wrote is read, so a client sending the
header itself changes nothing.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR"))
    header = settings.PORTAL_CLIENT_IP_HEADER
    if header:
        return _valid(request.META.get(header, "").split(",")[-1]) or remote
    proxies = settings.PORTAL_TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        # Each trusted proxy appends the address it was reached from: the client is the
        # entry the outermost one wrote. Anything left of it came from the client.
        if len(hops) >= proxies:
            return _valid(hops[-proxies]) or remote
    return remote


def _valid(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None
