"""Requests per actor per minute: an account, else an IP, past the limit gets 429 RATE_LIMITED
with a Retry-After; other actors are untouched. On PG+Redis the count lives in Redis."""

import pytest

from linli.core.settings import Limits
from linli.testing import make_account, make_community

QUERY = "{ serverInfo { version } }"


@pytest.fixture
def linli_settings_overrides():
    return {"limits": Limits(requests_per_minute=3)}


async def test_an_account_past_its_rate_is_refused_with_a_code_and_retry_after(gql):
    community = await make_community()
    heavy = await make_account("resident", community)
    light = await make_account("resident", community)
    for _ in range(3):
        assert (await gql.execute(QUERY, token=heavy.token)).status == 200
    response = await gql.post_raw(
        '{"query": "{ serverInfo { version } }"}',
        headers={"authorization": f"Bearer {heavy.token}", "accept-language": "en"},
    )
    assert response.status_code == 429
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    seconds = int(response.headers["retry-after"])
    assert 1 <= seconds <= 60
    assert error["message"] == f"Too many attempts; try again in {seconds} seconds."
    # Another account, and anonymous callers (counted by IP), still get through.
    assert (await gql.execute(QUERY, token=light.token)).data == {
        "serverInfo": {"version": "0.1.0"}
    }
    assert (await gql.execute(QUERY)).status == 200


async def test_anonymous_callers_are_counted_by_ip(gql):
    for _ in range(3):
        assert (await gql.execute(QUERY)).status == 200
    refused = await gql.execute(QUERY, locale="zh-CN")
    assert refused.status == 429
    assert refused.codes == ["RATE_LIMITED"]
    assert "秒后再试" in refused.errors[0]["message"]
