// The visible answer to a link or unlink: a banner right under the mail, in the normal text size.
// The status line (the live region) says the same to screen readers; this one is for the eyes.
import { h, replace } from "./dom.js";

export function createConfirmation() {
  const el = h("p", { className: "confirm", hidden: true });
  return {
    el,
    show(text) {
      replace(el, h("span", { className: "tick", "aria-hidden": "true" }, "✓"), text);
      el.hidden = false;
    },
    clear() {
      el.hidden = true;
      replace(el);
    },
  };
}
