from openapi_spec_validator import validate


def test_openapi_document_is_valid_and_complete(client):
    spec = client.get("/api/openapi.json").json
    validate(spec)
    assert {"/healthz", "/api/v1/me", "/api/v1/links", "/api/v1/suggestions",
            "/api/v1/search"} <= set(spec["paths"])
    assert set(spec["paths"]["/api/v1/links"]) == {"get", "post"}
    body = spec["paths"]["/api/v1/links"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"].endswith("/LinkRequest")
    link_request = spec["components"]["schemas"]["LinkRequest"]
    assert link_request["required"] == ["messageId"]
    assert "emailidentity" not in link_request["properties"]  # the server derives it
    assert spec["servers"][0]["url"] == "https://onoffice-link.makler-demo.test"
