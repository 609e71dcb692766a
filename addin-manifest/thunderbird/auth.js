// Sign-in for the Thunderbird add-on: our backend's /auth/login ends with a redirect to
// identity.getRedirectURL() carrying the session token in the fragment (or the query).

export function loginUrl(backend, redirectUri) {
  const u = new URL(`${String(backend).replace(/\/+$/, "")}/auth/login`);
  u.searchParams.set("client", "thunderbird");
  u.searchParams.set("redirect_uri", redirectUri);
  return u.toString();
}

/** "https://x.extensions.allizom.org/#token=..&mailbox=..&expiresAt=.." -> {token, mailbox, expiresAt}. */
export function sessionFromRedirect(finalUrl) {
  const u = new URL(finalUrl);
  const fragment = new URLSearchParams(u.hash.replace(/^#/, ""));
  const params = fragment.has("token") || fragment.has("error") ? fragment : u.searchParams;
  if (params.get("error")) throw new Error(params.get("error_description") || params.get("error"));
  const token = params.get("token");
  if (!token) throw new Error("The sign-in ended without a token.");
  return { token, mailbox: params.get("mailbox") || "", expiresAt: params.get("expiresAt") || null };
}
