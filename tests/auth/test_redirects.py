from server.auth.redirects import extension_redirect


def test_allowed_targets_are_normalised():
    assert extension_redirect("https://ABC123.extensions.allizom.org") == "https://abc123.extensions.allizom.org/"
    assert extension_redirect("https://abc.extensions.allizom.org/cb") == "https://abc.extensions.allizom.org/cb"
    assert extension_redirect("http://127.0.0.1:53682/") == "http://127.0.0.1:53682/"
    assert extension_redirect("http://127.0.0.1/") == "http://127.0.0.1/"


def test_everything_else_is_refused():
    for uri in (None, "", "https://abc.extensions.allizom.org/#x", "https://abc.extensions.allizom.org/?a=b",
                "https://abc.extensions.allizom.org:99999/", "https://abc.extensions.allizom.org\\@evil/",
                "https://abc.extensions.allizom.org/%2e%2e", "ftp://127.0.0.1/",
                "https://" + "a" * 64 + ".extensions.allizom.org/", "https://127.0.0.1/",
                "https://a" + "/x" * 300):
        assert extension_redirect(uri) is None, uri
