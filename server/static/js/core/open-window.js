// Fill a browser window, opened blank inside the click (so popup blockers allow it), with the
// record's URL once it is fetched. Loads on the first "open in onOffice" click, after that window.

/** win: the pane's window; w: what win.open("", "_blank") returned (null when blocked). */
export function fillWhenReady(win, w, urlPromise) {
  urlPromise.then(
    (url) => {
      if (!w) return win.open(url, "_blank", "noopener");
      w.opener = null;
      w.location.href = url;
    },
    () => w?.close(),
  );
}

/** Both steps at once, for hosts that load this module up front. */
export function openWhenReady(win, urlPromise) {
  fillWhenReady(win, win.open("", "_blank"), urlPromise);
}
