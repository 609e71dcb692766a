// Stand-in for Thunderbird's messenger.* in browser tests. The popup and the add-on's own
// background.js both run in the test page and talk through this fake runtime.
// Configure with window.__FAKE_TB__ = {shape: "mv2"|"mv3", displayed: [MessageHeader], email, language}.
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
    accounts: { get: async (id) => ({ id, name: "Demo", type: "imap", identities: [{ email: cfg.email }] }) },
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
      onMessage: { addListener: (fn) => onMessage.push(fn) },
      async sendMessage(message) {
        for (const fn of onMessage) {
          const answer = fn(message, { id: "popup" });
          if (answer !== undefined) return await answer;
        }
        throw new Error("Could not establish connection. Receiving end does not exist.");
      },
    },
    identity: {
      getRedirectURL: () => redirect,
      async launchWebAuthFlow({ url }) {
        log.authUrls.push(url);
        if (cfg.auth === "cancel") throw new Error("User cancelled or denied access.");
        // Stand-in for the /auth/login round trip: a test-only route of the demo backend starts
        // a demo session and hands out its one-time code, as /auth/callback does after Entra.
        const res = await fetch("/test/tb-sign-in", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ mailbox: cfg.email, redirectUri: redirect }),
        });
        const { code } = await res.json();
        log.authRedirects.push(`${redirect}?code=${encodeURIComponent(code)}`);
        return log.authRedirects.at(-1);
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
