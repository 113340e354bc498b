"""The published bundle (E9): GET /elections/{election}/bundles/{name}.json.

Public on purpose: anyone may recount an election from what is published (``verify.py``), and
the bundle exists only after a count, so during voting this route answers 404 like for an
election that does not exist (E16). The body is the canonical bundle, byte for byte, so its
sha256 is the one ``electionResult`` shows.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from linli.core.http import error_response

from .models.ballots import PublishedBundle

_NAME = re.compile(r"^(election|recall-\d{1,6})$")


async def bundle_json(request: Request) -> Response:
    name = request.path_params["name"]
    if not _NAME.match(name):
        return error_response(request, "NOT_FOUND", 404)
    row = await PublishedBundle.get_or_none(election_id=request.path_params["election"],
                                            name=name)
    if row is None:
        return error_response(request, "NOT_FOUND", 404)
    return Response(bytes(row.body), media_type="application/json; charset=utf-8", headers={
        "etag": f'"{row.sha256}"', "x-content-sha256": row.sha256,
        "content-disposition": f'attachment; filename="election-{row.election_id}-{name}.json"',
    })


routes = [Route("/elections/{election:pk}/bundles/{name}.json", bundle_json, methods=["GET"])]
