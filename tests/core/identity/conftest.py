"""Identity test helpers: proving a phone with its one-time code, as an app does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from linli.core.identity.rules import normalize_phone
from linli.testing import login_codes

REQUEST_CODE = """mutation($input: RequestLoginCodeInput!) { requestLoginCode(input: $input) {
  ok errors { code } } }"""


@pytest.fixture
def code_for(gql) -> Callable[[str], Awaitable[str]]:
    """``await code_for(phone)``: ask for a one-time code for the phone (registered or not)
    over the API, and read the code the phone received."""

    async def send(phone: str) -> str:
        payload = await gql.mutate(REQUEST_CODE, {"phone": phone})
        assert payload == {"ok": True, "errors": []}, payload
        return login_codes(normalize_phone(phone))[-1]

    return send
