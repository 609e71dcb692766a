// The task pane: one open mail, its links, suggestions and a search. Host-agnostic.
//
// A host adapter provides: name, displayLanguage, getMessage(), onMessageChanged(cb),
// getToken(), signIn(), signOut(), openUrl(promiseOfUrl), and optionally
// listMessages()/selectMessage(id) (demo picker). A message is
// {messageId, subject, from: {name, email}, to: [], cc: [], mailbox, folder?, uid?}.
import { contactCount, isEmail, linkChange, mailboxNote, peopleWithoutAddress } from "./contacts.js";
import { h, replace } from "./dom.js";
import { loadLanguage, translator } from "./i18n.js";
import { chooseLanguage, languageSwitch } from "./language.js";
import { recordRow } from "./records.js";

export async function mountPane(root, { host, api }) {
  const lang = chooseLanguage(host.displayLanguage);
  await loadLanguage(lang);
  const t = translator(lang);
  document.documentElement.lang = t.lang;
  const status = h("p", { className: "status", role: "status", "aria-live": "polite" });
  const alert = h("p", { className: "alert", role: "alert" });
  const mailBox = h("section", { className: "mail", "aria-label": t("openMail") });
  const body = h("div", { className: "body" });
  const picker = h("div", { className: "picker" });
  // The banner's look (confirmation.js) loads with the first link or unlink.
  const confirmation = {
    el: h("p", { className: "confirm", hidden: true }),
    seq: 0,
    show(text) {
      const mine = ++this.seq;
      import("./confirmation.js").then((m) => mine === this.seq && m.showConfirmation(this.el, text));
    },
    clear() {
      this.seq += 1;
      this.el.hidden = true;
      replace(this.el);
    },
  };
  const signOutBtn = h(
    "button",
    { type: "button", className: "btn subtle", hidden: true, onclick: () => signOut() },
    t("signOut"),
  );
  replace(
    root,
    h("header", { className: "top" }, h("h1", {}, t("title")), languageSwitch(t.lang), signOutBtn),
    picker,
    mailBox,
    confirmation.el,
    alert,
    body,
    h("footer", {}, status),
  );

  let msg = null;
  let seq = 0;
  let state = { links: null, suggestions: null };
  // Clicks the server keeps until onOffice answers (202): pending.js loads once one exists.
  let waiting = null;
  function showWaiting(pending, after = null) {
    if (!pending?.length && !waiting) return;
    waiting ||= import("./pending.js").then((m) =>
      m.createWaiting({
        t,
        body,
        fetchLinks: () => api.links(msg),
        onLinks: (links) => (root.dataset.state === "ready" ? ((state = { ...state, links }), renderReady()) : load()),
      }),
    );
    waiting.then((w) => w.show(pending, after));
  }
  // `echo`: the text already stands on screen (card, banner); the live region only reads it out.
  const say = (text, echo = false) => {
    status.textContent = text;
    status.classList.toggle("sr-only", echo);
  };
  const warn = (text) => {
    alert.textContent = text || "";
    if (text) confirmation.clear();
  };

  function setState(name, extra = {}) {
    root.dataset.state = name;
    if (extra.code) root.dataset.errorCode = extra.code;
    else delete root.dataset.errorCode;
    root.setAttribute("aria-busy", name === "loading" ? "true" : "false");
  }

  function showMail() {
    if (!msg) return replace(mailBox);
    const from = msg.from?.name ? `${msg.from.name} <${msg.from.email}>` : msg.from?.email || "";
    replace(
      mailBox,
      h("h2", { className: "subject" }, msg.subject || "—"),
      h("p", { className: "from" }, `${t("from")}: ${from}`),
      mailboxNote(msg, t),
    );
  }

  function showMessageState(title, text, action) {
    const btn =
      action === "signin"
        ? h("button", { type: "button", className: "btn primary", onclick: (e) => signIn(e.currentTarget) }, t("signIn"))
        : action === "retry"
          ? h("button", { type: "button", className: "btn", onclick: () => load() }, t("retry"))
          : null;
    replace(body, h("div", { className: "card notice" }, h("h2", {}, title), h("p", {}, text), btn));
    return btn;
  }

  async function load() {
    const mine = ++seq;
    waiting?.then((w) => w.stop());
    warn("");
    confirmation.clear();
    setState("loading");
    say(t("loading"));
    searchLoad?.then((s) => s?.cancel());
    try {
      msg = await host.getMessage();
    } catch (err) {
      msg = null;
      showMail();
      return mine === seq && fail(err);
    }
    if (mine !== seq) return;
    showMail();
    if (!msg || !msg.messageId) {
      setState("nomessage");
      showMessageState(t("noMessageTitle"), msg ? t("noMessageIdText") : t("noMessageText"), null);
      return say("");
    }
    const token = await host.getToken();
    if (mine !== seq) return;
    if (!token) return signedOut(false, await host.signedInElsewhere?.());
    signOutBtn.hidden = false;
    const linksAsked = api.links(msg);
    linksAsked.catch(() => {}); // awaited below; its error (with the clicks that wait) wins
    try {
      const [links, suggestions] = await Promise.all([
        linksAsked,
        isEmail(msg.from?.email)
          ? readBody(host).then((body) => api.suggestions({ ...msg, body }, participants(msg, msg.mailbox)))
          : { addresses: [], estates: [] },
      ]);
      if (mine !== seq) return;
      state = { links, suggestions };
      renderReady();
    } catch (err) {
      const linksErr = await linksAsked.then(() => null, (e) => e);
      if (mine === seq) fail(linksErr || err);
    }
  }

  async function fail(err) {
    if (err?.code === "unauthorized") return signedOut(true);
    const d = await describeError(err, t);
    setState("error", { code: d.code });
    const btn = showMessageState(d.title, d.text, d.action);
    say(d.title, true);
    btn?.focus();
    if (err?.details?.pending?.length) showWaiting(err.details.pending);
  }

  /** `elsewhere` {mailbox, signedIn}: the mail sits in another mailbox than the one signed in. */
  function signedOut(clear = false, elsewhere = null) {
    if (clear) host.signOut();
    signOutBtn.hidden = true;
    setState("signedout");
    const title = elsewhere ? t("otherMailboxTitle") : t("signedOutTitle");
    showMessageState(title, elsewhere ? t("otherMailboxText", elsewhere) : t("signedOutText"), "signin");
    say(title);
  }

  async function signIn(btn) {
    if (btn) btn.disabled = true;
    say(t("signingIn"));
    warn("");
    try {
      await host.signIn();
    } catch (err) {
      if (btn) btn.disabled = false;
      say(t("signedOutTitle")); // no longer "Signing in …"
      // The sign-in page may already know why (e.g. identity_not_mapped): say that instead.
      if (err?.code && err.code !== "unauthorized") return fail(err);
      warn(t("signInFailed"));
      return;
    }
    await load();
  }

  async function signOut() {
    await host.signOut();
    signedOut();
  }

  const searchInput = h("input", {
    id: "search",
    type: "search",
    autocomplete: "off",
    spellcheck: "false",
    "aria-describedby": "search-hint",
    oninput: (e) => {
      loadSearch().then((s) => s?.input(e.target.value));
      if (e.target.value.trim()) recent?.hide();
      else showRecent();
    },
    onfocus: () => {
      loadSearch();
      showRecent();
    },
    onkeydown: (e) => {
      if (e.key === "Escape") {
        e.target.value = "";
        loadSearch().then((s) => s?.input(""));
      }
    },
  });
  const searchResults = h("div", { className: "results", id: "search-results" });
  // Shown only while the term is too short: next to results it would only be noise.
  const searchHint = h("p", { className: "hint", id: "search-hint", hidden: true }, t("searchHint"));
  // The search itself (search.js) loads with the box's first focus or keystroke; null when it
  // could not (offline): that is said where the results would be, and the next keystroke retries.
  let searchLoad = null;
  function loadSearch() {
    return (searchLoad ||= import("./search.js").then(
      (m) =>
        m.createSearch({
          run: async (q, signal) => {
            const [a, e] = await Promise.all([api.search("address", q, signal), api.search("estate", q, signal)]);
            return [...(a.results || []), ...(e.results || [])];
          },
          onState: renderSearch,
        }),
      () => {
        searchLoad = null;
        const code = globalThis.navigator?.onLine === false ? "offline" : "network";
        renderSearch({ q: "", status: "error", error: { code } });
        return null;
      },
    ));
  }
  const searchSection = h(
    "section",
    { className: "search", "aria-labelledby": "search-h" },
    h("h2", { id: "search-h" }, t("search")),
    h("label", { for: "search", className: "sr-only" }, t("searchLabel")),
    searchInput,
    searchHint,
    searchResults,
  );
  searchInput.setAttribute("placeholder", t("searchLabel"));
  // "Recently linked" (recent.js) loads when the search box first gets the focus.
  let recent = null;
  let recentLoad = null;
  function showRecent() {
    recentLoad ||= import("./recent.js").then(
      (m) => (recent = m.createRecent({ api, t, input: searchInput, target: searchResults, list })),
    );
    recentLoad.then((r) => r.show());
  }

  function linkedIds() {
    const l = state.links || {};
    return new Set([...(l.addresses || []), ...(l.estates || [])].map((r) => `${r.kind}:${r.id}`));
  }

  // Records a waiting click will link: they stand under "waiting", so they are not offered again.
  function waitingIds() {
    const ids = new Set();
    for (const p of state.links?.pending || []) {
      for (const id of [...(p.addAddressIds || []), ...(p.addressIds || []), p.addressId]) {
        if (id) ids.add(`address:${id}`);
      }
      if (p.estateId) ids.add(`estate:${p.estateId}`);
    }
    return ids;
  }

  function list(records, mode, emptyText) {
    if (!records.length) return h("p", { className: "empty" }, emptyText);
    const linked = linkedIds();
    // "Linked by whom and when" belongs to the linked list only.
    const history = mode === "unlink" ? state.links?.history || [] : [];
    return h(
      "ul",
      { className: "records" },
      records.map((r) =>
        recordRow(r, {
          t,
          history,
          mode: mode === "link" && linked.has(`${r.kind}:${r.id}`) ? "linked" : mode,
          onAction: mode === "unlink" ? unlink : link,
          onOpen: open,
        }),
      ),
    );
  }

  function renderReady() {
    const l = state.links || {};
    const s = state.suggestions || {};
    const linked = [...(l.addresses || []), ...(l.estates || [])];
    // What is linked already stands under "Linked"; repeating it as a suggestion only confuses.
    const linkedNow = linkedIds();
    const all = [...(s.addresses || []), ...(s.estates || [])];
    const suggested = all.length;
    const waiting = waitingIds();
    const sugg = all.filter((r) => !linkedNow.has(`${r.kind}:${r.id}`) && !waiting.has(`${r.kind}:${r.id}`));
    replace(
      body,
      h(
        "section",
        { className: "linked", "aria-labelledby": "linked-h" },
        h("h2", { id: "linked-h" }, t("linked")),
        contactCount(l, t),
        list(linked, "unlink", t("noLinks")),
      ),
      h(
        "section",
        { className: "suggestions", "aria-labelledby": "sugg-h" },
        h("h2", { id: "sugg-h" }, t("suggestions")),
        list(sugg, "link", sugg.length < suggested ? t("allSuggestionsLinked") : t("noSuggestions")),
      ),
      createContact(s),
      searchSection,
    );
    // Re-draw the last results so their "linked" marks follow the new state, without a request.
    if (lastSearch?.status === "done") renderSearch(lastSearch, true);
    else if (recent?.shown) recent.show();
    setState("ready");
    showWaiting(l.pending, body.querySelector(".linked"));
    say(t("ready"));
    globalThis.performance?.mark?.("pane-usable");
  }

  // "Create contact and link" (create-contact.js) loads only for a mail with someone whom
  // onOffice does not know; until then a hidden placeholder holds its place.
  let createContactLoad = null;
  function createContact(s) {
    const people = peopleWithoutAddress(msg, s, msg.mailbox);
    if (!people.length) return null;
    const slot = h("span", { hidden: true });
    createContactLoad ||= import("./create-contact.js").then((m) => m.styled.then(() => m));
    createContactLoad.then((m) => {
      if (!slot.isConnected) return; // drawn over meanwhile
      slot.replaceWith(
        m.createContactSection({
          t,
          api,
          people,
          describe: (err) => describeError(err, t),
          onCreated: (rec, btn) => {
            state.suggestions = { ...s, addresses: [...(s.addresses || []), rec] };
            return change(rec, btn, rec.id, "didLink");
          },
        }),
      );
    });
    return slot;
  }

  let lastSearch = null;
  async function renderSearch(s, quiet = false) {
    lastSearch = s;
    searchHint.hidden = s.status !== "short";
    if (s.status === "idle") return replace(searchResults);
    if (s.status === "short") return replace(searchResults);
    if (s.status === "busy") return say(t("searching"));
    if (s.status === "error") {
      if (s.error?.code === "unauthorized") return signedOut(true);
      const d = await describeError(s.error, t);
      if (s !== lastSearch) return;
      replace(searchResults, h("p", { className: "empty" }, d.text));
      return say(d.title);
    }
    const rows = s.data || [];
    replace(searchResults, list(rows, "link", t("noResults", { q: s.q })));
    if (!quiet) say(rows.length ? t("results", { n: rows.length }) : t("noResults", { q: s.q }));
  }

  async function change(rec, btn, id, doneKey) {
    const title = rec.title || String(rec.id);
    const target = msg;
    if (btn) btn.disabled = true;
    warn("");
    try {
      const result = await api.changeLinks(target, linkChange(rec, id !== 0));
      if (result?.status === "queued") return queued(rec, target, id, result.pending);
      const links = await api.links(target);
      if (target !== msg) return;
      state = { ...state, links };
      renderReady();
      say(t(doneKey, { title }), true);
      confirmation.show(t(doneKey, { title }));
    } catch (err) {
      if (btn?.isConnected) btn.disabled = false;
      if (err?.code === "unauthorized") return signedOut(true);
      const d = await describeError(err, t);
      warn(`${d.title}: ${d.text}`);
      say(d.title);
    }
  }

  function queued(rec, target, id, item) {
    if (target !== msg) return;
    const links = state.links || {};
    const titled = { ...item, titles: { [`${rec.kind}:${rec.id}`]: rec.title } };
    state = { ...state, links: { ...links, pending: [...(links.pending || []), titled] } };
    renderReady();
    waiting?.then(() => say(`${rec.title || rec.id}: ${t(id ? "pendingLink" : "pendingUnlink")}`));
  }

  const link = (rec, btn) => change(rec, btn, rec.id, "didLink");
  const unlink = (rec, btn) => change(rec, btn, 0, "didUnlink");

  function open(rec) {
    warn("");
    const url = api.recordUrl(rec.kind, rec.id).then((r) => r.url);
    url.catch(async (err) => warn((await describeError(err, t)).text));
    host.openUrl(url);
  }

  if (host.listMessages) import("./demo-picker.js").then((m) => m.mountDemoPicker(picker, host, t));
  host.onMessageChanged(() => {
    // A new mail starts with an empty search: the last term belonged to the last mail.
    searchInput.value = "";
    searchLoad?.then((s) => s?.input(""));
    load();
  });

  return { load, t };
}

const UNREACHABLE = ["network", "offline", "server_unavailable"];

/** errors.js (which words and which way out for a code) loads with the first error. If even it
 *  cannot come, the server is out of reach: the pane's own texts say so. */
async function describeError(err, t) {
  try {
    return await (await import("./errors.js")).describeError(err, t);
  } catch {
    const code = UNREACHABLE.includes(err?.code) ? err.code : "server_unavailable";
    return { code, title: t(`${code}Title`), text: t(`${code}Text`), action: "retry" };
  }
}

const MAX_PARTICIPANTS = 20; // the backend refuses more

/** The mail's plain text if the host can read it; suggestions go on without it. */
const readBody = (host) => new Promise((ok) => ok(host.getBody?.())).then((b) => String(b || ""), () => "");

export { isEmail };

/** Everyone on the mail except the sender and the signed-in mailbox: lower-cased, unique,
 *  real addresses only ("undisclosed-recipients:;" is not one), at most 20. */
export function participants(msg, self) {
  const skip = new Set([String(msg.from?.email || "").toLowerCase(), String(self || "").toLowerCase()]);
  const out = [];
  for (const p of [...(msg.to || []), ...(msg.cc || [])]) {
    const e = String(p?.email || "").trim().toLowerCase();
    if (isEmail(e) && !skip.has(e) && !out.includes(e)) out.push(e);
  }
  return out.slice(0, MAX_PARTICIPANTS);
}
