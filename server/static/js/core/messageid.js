// RFC 5322 Message-IDs as onOffice and our backend expect them: with angle brackets.

/**
 * Restore the angle brackets Thunderbird strips; keep ids that have them.
 * Returns null when there is no id a mail server could search for
 * (empty, or Thunderbird's synthesized "md5:..." id for mails without a Message-ID header).
 */
export function normalizeMessageId(raw) {
  if (raw == null) return null;
  let id = String(raw).trim();
  if (!id) return null;
  if (id.startsWith("<") && id.endsWith(">")) id = id.slice(1, -1).trim();
  if (!id || /^md5:/i.test(id) || /[<>\s]/.test(id)) return null;
  return `<${id}>`;
}
