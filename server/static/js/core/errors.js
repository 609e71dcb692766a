// Which plain-language text and which way out the pane offers for a backend error code.

const KNOWN = {
  message_not_found: { key: "err_message_not_found", action: "retry" },
  identity_not_mapped: { key: "err_identity_not_mapped", action: null },
  mailbox_not_allowed: { key: "err_mailbox_not_allowed", action: null },
  onoffice_unreachable: { key: "err_unreachable", action: "retry" },
  onoffice_timeout: { key: "err_unreachable", action: "retry" },
  mail_server_unreachable: { key: "err_mail_unreachable", action: "retry" },
  network: { key: "err_network", action: "retry" },
  unauthorized: { key: "signedOutText", titleKey: "signedOutTitle", action: "signin" },
};

/**
 * @returns {{code: string, title: string, text: string, action: "retry"|"signin"|null}}
 */
export function describeError(err, t) {
  const code = err?.code || "unknown";
  const known = KNOWN[code];
  if (known) {
    return {
      code,
      title: t(known.titleKey || `${known.key}_title`),
      text: t(known.key, err?.details || {}),
      action: known.action,
    };
  }
  // Anything else: the server's own sentence is the best we have (design.md: "a sentence a user can act on").
  return {
    code,
    title: t("err_generic_title"),
    text: err?.message && err.message !== code ? err.message : t("err_generic_fallback"),
    action: "retry",
  };
}
