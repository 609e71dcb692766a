// Outlook host adapter: reads the open mail through Office.js and signs in with
// Office SSO where the host offers it, otherwise with the Office dialog API and our /auth/login.
import { normalizeMessageId } from "../core/messageid.js";
import { createSessionStore } from "../core/session.js";

/** The fields the pane needs from an Office.js read-mode item. */
export function readOutlookItem(item, self) {
  if (!item) return null;
  const person = (p) => ({ name: p?.displayName || "", email: p?.emailAddress || "" });
  const many = (v) => (Array.isArray(v) ? v.map(person) : []);
  return {
    messageId: normalizeMessageId(item.internetMessageId),
    subject: item.subject || "",
    from: person(item.from || item.sender),
    to: many(item.to),
    cc: many(item.cc),
    mailbox: self || "",
  };
}

/** The owner of the mailbox the item sits in when that is not the signed-in user's own (a shared
 *  folder, a shared mailbox, a delegate's mailbox); "" otherwise. Needs Mailbox 1.8 / 1.13. */
export function sharedOwner(item, self, waitMs = 3000) {
  if (typeof item?.getSharedPropertiesAsync !== "function") return Promise.resolve("");
  return new Promise((resolve) => {
    setTimeout(() => resolve(""), waitMs); // a host that never calls back must not hang the pane
    try {
      item.getSharedPropertiesAsync((res) => {
        const owner = res?.status === "succeeded" ? String(res.value?.owner || "").trim() : "";
        resolve(owner && owner.toLowerCase() !== String(self || "").toLowerCase() ? owner : "");
      });
    } catch {
      resolve(""); // an item of the user's own mailbox may throw instead of failing
    }
  });
}

export function createOutlookHost({ Office, storage, publicUrl, win = globalThis }) {
  const session = createSessionStore(storage);
  const mailbox = Office.context.mailbox;
  const self = () => mailbox.userProfile?.emailAddress || "";
  // Legacy Office SSO: tried silently once; "off" after the first failure so each load stays fast.
  let sso = ssoSupported(Office) ? "unknown" : "off";

  async function ssoToken(interactive) {
    if (sso === "off") return null;
    try {
      const token = await Office.auth.getAccessToken({
        allowSignInPrompt: interactive,
        allowConsentPrompt: interactive,
        forMSGraphAccess: false,
      });
      sso = "on";
      return token;
    } catch {
      sso = "off";
      return null;
    }
  }

  return {
    name: "outlook",
    displayLanguage: Office.context.displayLanguage || win.navigator?.language,
    async getMessage() {
      const msg = readOutlookItem(mailbox.item, self());
      const owner = msg && (await sharedOwner(mailbox.item, self()));
      return owner ? { ...msg, sharedMailbox: owner } : msg;
    },
    /** The plain text of the open mail (suggestions read it; it is never stored). */
    getBody() {
      return new Promise((resolve) => {
        const body = mailbox.item?.body;
        if (!body?.getAsync) return resolve("");
        body.getAsync(Office.CoercionType?.Text || "text", (res) =>
          resolve(res?.status === Office.AsyncResultStatus.Succeeded ? String(res.value || "") : ""),
        );
      });
    },
    onMessageChanged(cb) {
      // Pinned pane: Outlook keeps the pane open and reports the newly selected mail.
      if (mailbox.addHandlerAsync && Office.EventType?.ItemChanged) {
        mailbox.addHandlerAsync(Office.EventType.ItemChanged, () => cb());
      }
    },
    async getToken() {
      return session.token() || (await ssoToken(false));
    },
    async signIn() {
      if (ssoSupported(Office) && (await ssoToken(true))) return;
      const base = String(publicUrl).replace(/\/+$/, "");
      const { dialogSignIn } = await import("./sign-in-dialog.js"); // only without SSO, once signed out
      session.save(await dialogSignIn(Office, `${base}/auth/login?client=outlook`));
    },
    async signOut() {
      session.clear();
      sso = "off";
    },
    openUrl(urlPromise) {
      // openBrowserWindow exists only in classic Outlook for Windows and Outlook for Mac.
      if (Office.context.requirements?.isSetSupported?.("OpenBrowserWindowApi", "1.1")) {
        urlPromise.then((url) => Office.context.ui.openBrowserWindow(url), () => {});
        return;
      }
      // Elsewhere a browser window, opened blank inside the click; open-window.js fills it later.
      const w = win.open("", "_blank");
      urlPromise.catch(() => {}); // rejected before the module is there: it handles it then
      import("../core/open-window.js").then((m) => m.fillWhenReady(win, w, urlPromise), () => w?.close());
    },
  };
}

function ssoSupported(Office) {
  const req = Office.context?.requirements;
  return Boolean(Office.auth?.getAccessToken && req?.isSetSupported?.("IdentityAPI", "1.3"));
}
