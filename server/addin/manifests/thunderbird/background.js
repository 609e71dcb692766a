// Background page of the Thunderbird add-on: runs the web sign-in for the popup.
// Listeners are registered at top level (MV3 backgrounds may be stopped when idle).
import { backendUrl, SESSION, serveSignIn } from "./js/hosts/thunderbird.js";
import { codeFromRedirect, exchangeCode, loginUrl } from "./auth.js";

async function signIn() {
  const baked = await (await fetch(new URL("./config.json", import.meta.url))).json();
  const backend = await backendUrl(messenger, baked.backendUrl);
  const redirectUri = messenger.identity.getRedirectURL();
  const finalUrl = await messenger.identity.launchWebAuthFlow({ url: loginUrl(backend, redirectUri), interactive: true });
  const session = await exchangeCode(backend, codeFromRedirect(finalUrl), redirectUri);
  await messenger.storage.local.set({ [SESSION]: session });
  return session;
}

serveSignIn(messenger, signIn);
