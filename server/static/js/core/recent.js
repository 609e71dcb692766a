// "Recently linked": shown under the search box while it is focused and empty.
import { h, replace } from "./dom.js";

/** input: the search box; target: where results go; list: the pane's record list. */
export function createRecent({ api, t, input, target, list }) {
  let seq = 0;
  let shown = false;
  const empty = () => !input.value.trim();

  async function show() {
    const mine = ++seq;
    if (!empty()) return;
    let data;
    try {
      data = await api.recent();
    } catch {
      return; // the search works without it
    }
    if (mine !== seq || !empty()) return;
    shown = true;
    const rows = [...(data.addresses || []), ...(data.estates || [])];
    replace(
      target,
      h(
        "section",
        { className: "recent", "aria-labelledby": "recent-h" },
        h("h3", { id: "recent-h" }, t("recent")),
        list(rows, "link", t("noRecent")),
      ),
    );
  }

  return {
    show,
    hide() {
      seq += 1;
      shown = false;
    },
    get shown() {
      return shown;
    },
  };
}
