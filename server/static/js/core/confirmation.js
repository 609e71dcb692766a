// The visible answer to a link or unlink: a banner right under the mail, in the normal text size.
// The status line (the live region) says the same to screen readers; this one is for the eyes.
// Loads with the first link or unlink: the first paint has nothing to confirm.
import { h, replace } from "./dom.js";

/** el: the pane's empty, hidden banner (p.confirm); the pane hides it again itself. */
export function showConfirmation(el, text) {
  replace(el, h("span", { className: "tick", "aria-hidden": "true" }, "✓"), text);
  el.hidden = false;
}
