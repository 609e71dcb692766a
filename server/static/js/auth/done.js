// The last page of /auth/callback (Outlook dialog or plain browser): hands the result on.
// A static file, not an inline script, so the page's Content-Security-Policy allows no
// inline script at all. The result comes from a JSON data block, which never executes.
const { result, office, origin } = JSON.parse(document.getElementById("sign-in-result").textContent);

if (office) {
  // The Outlook dialog: the pane's dialogSignIn() receives {token, mailbox, expiresAt} or {error}.
  Office.onReady(() => Office.context.ui.messageParent(JSON.stringify(result)));
} else if (!result.error) {
  document.getElementById("copy")?.addEventListener("click", () => navigator.clipboard.writeText(result.token));
  if (window.opener) window.opener.postMessage(result, origin);
}
