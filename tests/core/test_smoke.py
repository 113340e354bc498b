async def test_server_info(gql):
    data = await gql.query("{ serverInfo { version plugins { name } } }")
    assert data["serverInfo"]["version"] == "0.1.0"


async def test_malformed_json_is_a_coded_error(gql):
    response = await gql.post_raw("{bad", headers={"accept-language": "en"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"].startswith("Bad request")
