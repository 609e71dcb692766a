// The browser demo's mail picker, grouped by mailbox and naming the mailbox of the chosen mail:
// a colleague's mail needs the colleague's sign-in, so the picker says whose it is.
// Loaded only by hosts that list mails (the demo), never in Outlook or Thunderbird.
import { h, replace } from "./dom.js";

export async function mountDemoPicker(el, host, t) {
  const owner = h("p", { className: "hint", id: "demo-owner" });
  const select = h("select", {
    id: "demo-pick",
    "aria-describedby": "demo-owner",
    onchange: (e) => {
      showOwner(e.target.value);
      host.selectMessage(e.target.value);
    },
  });
  replace(el, h("label", { for: "demo-pick" }, t("demoPick")), select, owner);
  const messages = await host.listMessages();
  const whose = (m) => t("demoMailbox", { who: m.mailboxName ? `${m.mailboxName} <${m.mailbox}>` : m.mailbox });
  const groups = new Map();
  for (const m of messages) {
    if (!groups.has(m.mailbox)) {
      groups.set(m.mailbox, h("optgroup", { label: whose(m) }));
      select.append(groups.get(m.mailbox));
    }
    groups.get(m.mailbox).append(h("option", { value: m.messageId }, `${m.from?.name || m.from?.email}: ${m.subject}`));
  }
  function showOwner(id) {
    const m = messages.find((x) => x.messageId === id);
    owner.textContent = m ? whose(m) : "";
  }
  const current = await host.getMessage();
  if (current) select.value = current.messageId;
  showOwner(select.value);
}
