// One address or estate as a list row with its buttons.
import { h } from "./dom.js";
import { formatDateTime } from "./i18n.js";

// A person and a house: they mean the same in every language, unlike the letters "A" and "I".
const ICON = {
  address: "M8 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-5.5 6.5C2.5 11.6 5 10 8 10s5.5 1.6 5.5 4.5z",
  estate: "M8 1.5 .5 8h2.2v6.5h4v-4h2.6v4h4V8h2.2z",
};

export function badge(kind, kindText) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", ICON[kind] || ICON.address);
  svg.append(path);
  return h("span", { className: `badge ${kind}`, title: kindText, "aria-hidden": "true" }, svg);
}

/** A record of the API as a row; mode "link", "unlink" or "linked" picks its main button. */
export function recordRow(rec, { t, mode, onAction, onOpen, history = [] }) {
  const kindText = rec.kind === "estate" ? t("estate") : t("address");
  const title = rec.title || `${kindText} ${rec.id}`;
  const meta = mode === "unlink" ? linkedMeta(rec, t, history) : "";
  const main =
    mode === "linked"
      ? h("span", { className: "tag" }, t("linked"))
      : h(
          "button",
          {
            type: "button",
            className: mode === "link" ? "btn primary" : "btn",
            "aria-label": t(mode === "link" ? "linkAria" : "unlinkAria", { title }),
            dataset: { action: mode },
            onclick: (ev) => onAction(rec, ev.currentTarget),
          },
          t(mode),
        );
  return h(
    "li",
    { className: "record", dataset: { kind: rec.kind, id: String(rec.id) } },
    badge(rec.kind, kindText),
    h(
      "div",
      { className: "text" },
      h("span", { className: "title" }, h("span", { className: "sr-only" }, `${kindText}: `), title),
      rec.subtitle ? h("span", { className: "sub" }, rec.subtitle) : null,
      rec.reason ? h("span", { className: "reason" }, t(`reason_${rec.reason.kind}`, { text: rec.reason.text })) : null,
      meta ? h("span", { className: "meta" }, meta) : null,
    ),
    h(
      "div",
      { className: "actions" },
      main,
      h(
        "button",
        {
          type: "button",
          className: "btn icon",
          title: t("open"),
          "aria-label": t("openAria", { title }),
          dataset: { action: "open" },
          onclick: () => onOpen(rec),
        },
        h("span", { "aria-hidden": "true" }, "↗"),
      ),
    ),
  );
}

/** "linked by X on <date>" from the record, else from the newest matching history entry. */
function linkedMeta(rec, t, history) {
  let by = rec.linkedByName || rec.linkedBy;
  let at = rec.linkedAt;
  if (!by && !at) {
    const field = rec.kind === "estate" ? "estateId" : "addressId";
    const hit = [...history]
      .filter((e) => e.action === "link" && e.outcome === "ok" && e[field] === rec.id)
      .sort((a, b) => String(b.at).localeCompare(String(a.at)))[0];
    if (hit) ({ by, at } = { by: hit.byName || hit.by, at: hit.at });
  }
  if (!at && !by) return "";
  const when = at ? formatDateTime(at, t.lang) : "";
  return by ? t("linkedBy", { by, at: when }) : t("linkedAt", { at: when });
}
