"""HTTP failures outside GraphQL answer JSON with a code, like every other error of the API.

Starlette answers a path no route has, or a method a route does not take, with plain text;
an exception escaping a handler (a plugin route's bug, the database gone while resolving the
caller) becomes a plain-text 500 that uvicorn logs, and Starlette's error middleware logs it
again. Here the router's refusals are coded (NOT_FOUND 404, METHOD_NOT_ALLOWED 405), and an
unexpected exception is logged once, at ERROR with the request's id, and answered with
``{"errors": [{"message", "extensions": {"code": "INTERNAL", "requestId"}}]}`` (500).

Every HTTP request gets its id here (``request.state.request_id``); the GraphQL context
takes the same one, so a client reporting an INTERNAL error's ``requestId`` names its log line.
"""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from linli.core.context import new_request_id
from linli.core.i18n import negotiate, translate

log = logging.getLogger("linli.http")

STATUS_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


def coded(request: Request, code: str, status: int, **extensions: object) -> JSONResponse:
    locale = negotiate(request.headers.get("accept-language"))
    message = translate(code, locale, detail=request.method)
    body = {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    return JSONResponse(body, status_code=status)


async def http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such route, a method the route does not take)."""
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    response = coded(request, STATUS_CODES.get(status, "BAD_REQUEST"), status)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


class UnexpectedErrors:
    """Outermost ASGI middleware: gives each HTTP request its id, and turns an exception no
    one handled into one log line and a coded JSON 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            log.error(
                "unexpected error in %s %s (request %s): %s",
                scope.get("method"),
                scope.get("path"),
                request_id,
                type(exc).__name__,
                exc_info=exc,
            )
            if not started:
                response = coded(Request(scope), "INTERNAL", 500, requestId=request_id)
                await response(scope, receive, send)
