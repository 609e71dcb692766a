// Several contacts on one mail: each linked address has its own Unlink, and "Link" adds to
// the list instead of replacing it. The estate stays one per mail. Knows nothing of hosts.
import { h } from "./dom.js";

/** The POST /links body part that links (on) or unlinks one record and leaves the others. */
export function linkChange(rec, on) {
  const id = Number(rec.id);
  if (rec.kind === "estate") return { estateId: on ? id : 0 };
  return on ? { addAddressIds: [id] } : { removeAddressIds: [id] };
}

/** "2 contacts" above the linked list once there is more than one. */
export function contactCount(links, t) {
  const n = (links?.addresses || []).length;
  return n > 1 ? h("p", { className: "hint contacts-count" }, t("contactCount", { n })) : null;
}

/** A line under the subject when the mail sits in a shared or delegated mailbox. */
export function mailboxNote(msg, t) {
  if (!msg?.sharedMailbox) return null;
  return h("p", { className: "from shared-mailbox" }, t("inMailbox", { mailbox: msg.sharedMailbox }));
}

export const isEmail = (text) => /^[^\s@,<>]+@[^\s@,<>]+\.[^\s@,<>]+$/.test(String(text || ""));

/** Sender and recipients (not the user's own mailbox) that no suggested address carries. */
export function peopleWithoutAddress(msg, suggestions, self) {
  const known = new Set([String(self || "").toLowerCase()]);
  for (const a of suggestions?.addresses || []) {
    if (a.reason?.text) known.add(String(a.reason.text).toLowerCase());
    if (a.email) known.add(String(a.email).toLowerCase());
  }
  const people = [];
  const add = (p, role) => {
    const email = String(p?.email || "").trim();
    const key = email.toLowerCase();
    if (!isEmail(email) || known.has(key)) return;
    known.add(key);
    people.push({ name: String(p?.name || "").trim(), email, role });
  };
  add(msg?.from, "sender");
  for (const p of [...(msg?.to || []), ...(msg?.cc || [])]) add(p, "participant");
  return people;
}
