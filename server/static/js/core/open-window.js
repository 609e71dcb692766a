// Open a record in a new browser window from a click whose URL is still being fetched:
// the window is opened inside the click (so popup blockers allow it) and filled in later.

export function openWhenReady(win, urlPromise) {
  const w = win.open("", "_blank");
  urlPromise.then(
    (url) => {
      if (!w) return win.open(url, "_blank", "noopener");
      w.opener = null;
      w.location.href = url;
    },
    () => w?.close(),
  );
}
