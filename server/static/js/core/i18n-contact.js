// Texts of the create-contact form, German and English; they load with the form, not the pane.
import { addTexts } from "./i18n.js";

export const CONTACT_TEXTS = {
  de: {
    f_salutation: "Anrede",
    f_title: "Titel",
    f_first: "Vorname",
    f_last: "Nachname",
    f_company: "Firma",
    f_email: "E-Mail",
    mr: "Herr",
    ms: "Frau",
    cancel: "Abbrechen",
    exists:
      "In onOffice gibt es schon einen Kontakt mit {email}. Es wurde kein neuer angelegt: verknüpfen Sie den vorhandenen über die Suche.",
    noWriteRight:
      "Der onOffice-API-Benutzer darf keine Adressen anlegen. Bitten Sie Ihre Administration, ihm in onOffice enterprise das Recht zu geben, Adressen zu schreiben (onOffice-Fehler {code}).",
  },
  en: {
    f_salutation: "Salutation",
    f_title: "Title",
    f_first: "First name",
    f_last: "Last name",
    f_company: "Company",
    f_email: "Email",
    mr: "Mr",
    ms: "Ms",
    cancel: "Cancel",
    exists: "onOffice already has a contact with {email}. No new one was created: link the existing one from the search.",
    noWriteRight:
      "The onOffice API user may not create addresses. Ask your administrator to grant it the right to write addresses in onOffice enterprise (onOffice error {code}).",
  },
};

addTexts(CONTACT_TEXTS);
