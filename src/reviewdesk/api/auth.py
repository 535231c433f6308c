"""Bearer-token authentication for the API (and the web session cookie)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from reviewdesk.domain.principals import Principal
from reviewdesk.services.access import authenticate
from reviewdesk.services.platform import Platform

bearer = HTTPBearer(auto_error=False, description="A reviewdesk token (`rd_...`)")


async def get_platform(request: Request) -> Platform:
    """The platform the app was built with (async: no thread hop for an attribute read)."""
    platform: Platform = request.app.state.platform
    return platform


PlatformDep = Annotated[Platform, Depends(get_platform)]


def get_principal(
    platform: PlatformDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The principal of the request's bearer token (401 problem without a valid one)."""
    return authenticate(platform, credentials.credentials if credentials else None)


PrincipalDep = Annotated[Principal, Depends(get_principal)]
