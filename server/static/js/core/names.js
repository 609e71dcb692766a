// A display name ("Dr. Jürgen Müller", "Müller, Jürgen", "MÜLLER Jürgen") split into the
// fields of a new onOffice address. Salutation is never guessed: the agent picks it.

const TITLE = /^(?:Dr|Prof|Dipl|Mag|Ing|Dr\.-Ing|Dipl\.-\w+|Dr\.\s?\w+|med|rer|nat|jur|phil|habil|h\.c|MBA|B\.?A|M\.?A|M\.?Sc|B\.?Sc|LL\.?M)\.?$/i;
const SALUTATION = /^(?:Herr|Herrn|Frau|Mr|Mrs|Ms|Miss)\.?$/i;
const PARTICLE = /^(?:von|van|de|der|den|zu|zur|vom|ten|ter|da|di|del|la|le)$/;
const COMPANY = /\b(?:GmbH|mbH|AG|KG|OHG|UG|GbR|e\.\s?K\.|e\.\s?V\.|SE|Ltd\.?|Inc\.?|LLC|Immobilien|Hausverwaltung|Verwaltung|Team|Redaktion|Service|Support|Info|Newsletter)\b/i;

const EMPTY = { title: "", firstName: "", lastName: "", company: "" };

/** "MÜLLER" -> "Müller", "MÜLLER-LÜDENSCHEIDT" -> "Müller-Lüdenscheidt"; mixed case stays. */
function tidyCase(word) {
  if (word !== word.toUpperCase() || word.length < 2) return word;
  return word.toLowerCase().replace(/(^|[-'’])(\p{L})/gu, (m, sep, c) => sep + c.toUpperCase());
}

const isShouted = (w) => w.length > 1 && /\p{Lu}/u.test(w) && w === w.toUpperCase() && !/\./.test(w);

/** Leading titles off a list of words: ["Prof.", "Dr.", "Anna"] -> ["Prof. Dr.", ["Anna"]]. */
function takeTitles(words) {
  const titles = [];
  const rest = [...words];
  while (rest.length > 1 && (TITLE.test(rest[0]) || SALUTATION.test(rest[0]))) {
    const w = rest.shift();
    if (!SALUTATION.test(w)) titles.push(w);
  }
  return [titles.join(" "), rest];
}

/** Surname with its particles: ["Ursula", "von", "der", "Leyen"] -> ["Ursula", "von der Leyen"]. */
function splitLast(words) {
  let i = words.length - 1;
  while (i > 1 && PARTICLE.test(words[i - 1])) i -= 1;
  return [words.slice(0, i).join(" "), words.slice(i).join(" ")];
}

/**
 * @param {string} displayName as the mail client shows it
 * @param {string} [email]
 * @returns {{title: string, firstName: string, lastName: string, company: string}}
 */
export function parseDisplayName(displayName, email = "") {
  let name = String(displayName || "").replace(/["“”„]/g, "").replace(/\s+/g, " ").trim();
  name = name.replace(/^'(.*)'$/, "$1").trim(); // Outlook shows some names in single quotes
  name = name.replace(/\s*\(.*?\)\s*/g, " ").trim(); // "Jürgen Müller (Müller & Partner)"
  if (!name || name.includes("@") || name.toLowerCase() === String(email).toLowerCase()) return { ...EMPTY };
  if (COMPANY.test(name)) return { ...EMPTY, company: name };
  if (name.includes(",")) {
    // "Müller, Jürgen" and "Müller, Dr. Jürgen"
    const [last, first] = name.split(",", 2).map((s) => s.trim());
    const [title, firstWords] = takeTitles(first.split(" ").filter(Boolean));
    return { ...EMPTY, title, firstName: firstWords.map(tidyCase).join(" "), lastName: tidyCase(last) };
  }
  const [title, words] = takeTitles(name.split(" "));
  if (words.length === 1) return { ...EMPTY, title, lastName: tidyCase(words[0]) };
  const shouted = words.filter(isShouted);
  if (shouted.length && shouted.length < words.length) {
    // "MÜLLER Jürgen": the capitalised word is the surname, wherever it stands.
    return {
      ...EMPTY,
      title,
      firstName: words.filter((w) => !isShouted(w)).join(" "),
      lastName: shouted.map(tidyCase).join(" "),
    };
  }
  const [first, last] = splitLast(words.map(tidyCase));
  return { ...EMPTY, title, firstName: first, lastName: last };
}
