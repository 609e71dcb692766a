// Stand-in for Thunderbird's messenger.* in browser tests. The popup and the add-on's own
// background.js both run in the test page and talk through this fake runtime.
// Configure with window.__FAKE_TB__ = {shape: "mv2"|"mv3", displayed: [MessageHeader], email, language,
// accounts?: {accountId: [identity e-mails]}} (default: every account has the one identity `email`).
(() => {
  const cfg = window.__FAKE_TB__ || {};
  const local = new Map();
  const onMessage = [];
  const onDisplayed = [];
  const log = { authUrls: [], authRedirects: [], opened: [], fullReads: [] };
  let displayed = cfg.displayed || [];
  const shaped = () => (cfg.shape === "mv3" ? { id: null, messages: displayed } : displayed);
  const redirect = "https://0123456789abcdef.extensions.allizom.org/";
  const messenger = {
    tabs: { query: async () => [{ id: 7, active: true, type: "mail" }] },
    messageDisplay: {
      getDisplayedMessages: async (tabId) => (tabId === 7 ? shaped() : cfg.shape === "mv3" ? { messages: [] } : []),
      [cfg.shape === "mv3" ? "onMessagesDisplayed" : "onMessageDisplayed"]: {
        addListener: (fn) => onDisplayed.push(fn),
      },
    },
    // The mail's text as Thunderbird's messages.getFull returns it: a text and an HTML part.
    messages: {
      async getFull(id) {
        const m = displayed.find((d) => d.id === id);
        if (!m) throw new Error(`Message not found: ${id}.`);
        log.fullReads.push(id);
        return {
          contentType: "multipart/alternative",
          parts: [
            { contentType: "text/plain", body: m.bodyText || "" },
            { contentType: "text/html", body: "<p>html</p>" },
          ],
        };
      },
    },
    accounts: {
      get: async (id) => {
        const emails = cfg.accounts ? cfg.accounts[id] : [cfg.email];
        return emails ? { id, name: `Demo ${id}`, type: "imap", identities: emails.map((email) => ({ email })) } : null;
      },
    },
    storage: {
      managed: {
        get: async () => {
          throw new Error("Managed storage manifest not found");
        },
      },
      local: {
        get: async (k) => (local.has(k) ? { [k]: local.get(k) } : {}),
        set: async (o) => Object.entries(o).forEach(([k, v]) => local.set(k, v)),
        remove: async (k) => local.delete(k),
      },
    },
    runtime: {
      onMessage: {
        addListener: (fn) => onMessage.push(fn),
        removeListener: (fn) => onMessage.splice(onMessage.indexOf(fn) >>> 0, 1),
      },
      // Popup and background share this page: every listener hears every message.
      async sendMessage(message) {
        if (!onMessage.length) throw new Error("Could not establish connection. Receiving end does not exist.");
        for (const fn of [...onMessage]) {
          const answer = fn(message, { id: "popup" });
          if (answer !== undefined) return await answer;
        }
        return undefined;
      },
    },
    identity: {
      getRedirectURL: () => redirect,
      async launchWebAuthFlow({ url }) {
        log.authUrls.push(url);
        if (cfg.auth === "cancel") throw new Error("User cancelled or denied access.");
        // The real demo sign-in: the page /auth/login shows, then the form post its button
        // makes. The backend's 303 to the add-on's redirect URL is where Thunderbird stops; the
        // test stops there too (pages.py) and tells us where the backend sent us.
        const page = await fetch(url);
        if (!page.ok) throw new Error(`the sign-in page answered HTTP ${page.status}`);
        const doc = new DOMParser().parseFromString(await page.text(), "text/html");
        const form = doc.querySelector("form");
        const body = new URLSearchParams(new FormData(form));
        body.set("mailbox", cfg.email);
        const res = await fetch(new URL(form.getAttribute("action"), url), { method: "POST", body });
        const { status, location } = await res.json();
        if (status !== 303 || !location.startsWith(redirect)) throw new Error(`the sign-in ended with ${status} ${location}`);
        log.authRedirects.push(location);
        return location;
      },
    },
    windows: { openDefaultBrowser: async (url) => log.opened.push(url) },
    i18n: { getUILanguage: () => cfg.language || "en-US" },
  };
  window.messenger = messenger;
  window.__tb = {
    log,
    local,
    display(headers) {
      displayed = headers;
      for (const fn of onDisplayed) fn({ id: 7 }, cfg.shape === "mv3" ? shaped() : headers[0]);
    },
  };
})();
