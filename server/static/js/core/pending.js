// Clicks the server keeps until onOffice answers (HTTP 202, "pending" in GET /links): shown
// greyed as "saved, will be linked as soon as onOffice answers", asked after with a growing pause
// (1 s doubling up to 30 s) until they are applied. The server holds the truth, so this survives
// reloads and mail switches; only the records' titles are remembered here, for the greyed rows.
import { h } from "./dom.js";
import { addTexts } from "./i18n.js";
import { badge } from "./records.js";

// Its texts load with it, not with the pane (German and English).
addTexts({
  de: {
    pendingTitle: "Wartet auf onOffice",
    pendingLink: "Gespeichert – wird verknüpft, sobald onOffice antwortet",
    pendingUnlink: "Gespeichert – Verknüpfung wird gelöst, sobald onOffice antwortet",
  },
  en: {
    pendingTitle: "Waiting for onOffice",
    pendingLink: "Saved, will be linked as soon as onOffice answers",
    pendingUnlink: "Saved, the link will be removed as soon as onOffice answers",
  },
});

const TITLES = "onoffice.pendingTitles";
const FIRST_WAIT = 1000;
const MAX_WAIT = 30000;

function titles() {
  try {
    return JSON.parse(localStorage.getItem(TITLES) || "{}") || {};
  } catch {
    return {};
  }
}

/** Keep the titles a click brought along (`item.titles`), so its row names them after reloads. */
function remember(pending) {
  const fresh = pending.filter((p) => p.titles);
  if (!fresh.length) return;
  try {
    const all = titles();
    for (const p of fresh) Object.assign(all, p.titles);
    const keys = Object.keys(all);
    for (const k of keys.slice(0, Math.max(0, keys.length - 200))) delete all[k];
    localStorage.setItem(TITLES, JSON.stringify(all));
  } catch {
    /* storage may be off (private mode): rows then show the kind and id */
  }
}

/** Each record a waiting click links (`on`) or unlinks, from any address form it carries. */
function targets(p) {
  const out = [];
  const add = (kind, ids, on) => ids.forEach((id) => out.push({ kind, id, on }));
  if ("addressId" in p) add("address", [p.addressId], Boolean(p.addressId));
  if (Array.isArray(p.addressIds)) add("address", p.addressIds.length ? p.addressIds : [0], p.addressIds.length > 0);
  if (Array.isArray(p.addAddressIds)) add("address", p.addAddressIds, true);
  if (Array.isArray(p.removeAddressIds)) add("address", p.removeAddressIds, false);
  if ("estateId" in p) add("estate", [p.estateId], Boolean(p.estateId));
  return out;
}

/** The "waiting for onOffice" section, or null when nothing waits. */
function pendingSection(pending, t) {
  if (!pending?.length) return null;
  remember(pending);
  const known = titles();
  const rows = pending.flatMap((p) =>
    targets(p).map(({ kind, id, on }) => {
      const kindText = t(kind);
      const title = (id && known[`${kind}:${id}`]) || (id ? `${kindText} ${id}` : kindText);
      return h(
        "li",
        { className: "record pending", dataset: { kind, id: String(id), pending: String(p.id) } },
        badge(kind, kindText),
        h(
          "div",
          { className: "text" },
          h("span", { className: "title" }, h("span", { className: "sr-only" }, `${kindText}: `), title),
          h("span", { className: "meta" }, t(on ? "pendingLink" : "pendingUnlink")),
        ),
      );
    }),
  );
  return h(
    "section",
    { className: "waiting", "aria-labelledby": "pending-h" },
    h("h2", { id: "pending-h" }, t("pendingTitle")),
    h("ul", { className: "records" }, rows),
  );
}

/**
 * The waiting clicks of the open mail inside the pane's `body`: shown after `after` (or at the
 * end), asked after while any wait. `fetchLinks()` is GET /links of the open mail; `onLinks`
 * gets its answers; a 503/504 that still names waiting clicks just redraws them.
 */
export function createWaiting({ t, body, fetchLinks, onLinks }) {
  let timer = null;
  let wait = FIRST_WAIT;
  let turn = 0;

  function stop() {
    clearTimeout(timer);
    timer = null;
    wait = FIRST_WAIT;
    turn++;
  }

  function show(pending, after = null) {
    body.querySelector(".waiting")?.remove();
    const section = pendingSection(pending, t);
    if (section && after?.isConnected) after.after(section);
    else if (section) body.append(section);
    follow(pending);
  }

  function follow(pending) {
    if (!pending?.length) return stop();
    if (timer) return;
    const mine = turn;
    timer = setTimeout(async () => {
      timer = null;
      wait = Math.min(wait * 2, MAX_WAIT);
      try {
        const links = await fetchLinks();
        if (mine === turn) onLinks(links);
      } catch (err) {
        if (mine !== turn) return;
        if (err?.details?.pending) show(err.details.pending);
        else follow([true]); // the backend itself is away: keep asking
      }
    }, wait);
  }

  return { show, stop };
}
