// Texts only the browser demo needs (its mail picker, a colleague's mail); they load with the
// demo host, never in Outlook or Thunderbird.
import { addTexts } from "../core/i18n.js";

addTexts({
  de: {
    demoPick: "Demo-E-Mail",
    demoMailbox: "Postfach {who}",
    otherMailboxTitle: "E-Mail aus einem anderen Postfach",
    otherMailboxText:
      "Diese E-Mail liegt im Postfach {mailbox}; angemeldet sind Sie als {signedIn}. Melden Sie sich für dieses Postfach an, um sie zu verknüpfen.",
  },
  en: {
    demoPick: "Demo email",
    demoMailbox: "Mailbox {who}",
    otherMailboxTitle: "Email from another mailbox",
    otherMailboxText:
      "This email is in the mailbox {mailbox}; you are signed in as {signedIn}. Sign in for that mailbox to link it.",
  },
});
