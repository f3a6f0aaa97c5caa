/* The rich-text editors spell-check in the language of what they edit: the release's (or the block's, the
   disclaimer's, the pipeline sentence's) language select, followed as it changes. */
(function () {
  "use strict";

  function languageFor(element) {
    const row = element.closest(".inline-related, fieldset, form");
    const own = row && row.querySelector("select[name$='language']");
    const select = own || document.getElementById("id_language");
    if (select && select.value) return select.value;
    const config = document.getElementById("release-config");
    if (config) return JSON.parse(config.textContent).language || "";
    return "";
  }

  function apply() {
    document.querySelectorAll(".ProseMirror, .field-body_html .readonly").forEach((element) => {
      const lang = languageFor(element);
      if (!lang) return;
      element.setAttribute("lang", lang);
      if (element.isContentEditable) element.setAttribute("spellcheck", "true");
    });
    document.querySelectorAll("#id_headline, #id_subheadline, #id_title, #id_correction_note").forEach((input) => {
      const lang = languageFor(input);
      if (lang) {
        input.setAttribute("lang", lang);
        input.spellcheck = true;
      }
    });
  }

  // django-prose-editor names its toolbar buttons in English and passes them through no catalogue: these
  // are its names, translated by ours (djangojs.po) in the interface's language.
  const gettext_noop = window.gettext_noop || ((text) => text);
  const gettext = window.gettext || ((text) => text);
  const BUTTONS = [
    gettext_noop("bold"), gettext_noop("italic"), gettext_noop("underline"), gettext_noop("strike"), gettext_noop("subscript"), gettext_noop("superscript"),
    gettext_noop("undo"), gettext_noop("redo"), gettext_noop("insert link"), gettext_noop("remove link"), gettext_noop("unordered list"),
    gettext_noop("ordered list"), gettext_noop("blockquote"), gettext_noop("horizontal rule"), gettext_noop("paragraph"), gettext_noop("Insert table"),
    gettext_noop("Merge cells"), gettext_noop("Split cell"), gettext_noop("Add column"), gettext_noop("Add row"), gettext_noop("Delete column"),
    gettext_noop("Delete row"), gettext_noop("Delete table"), gettext_noop("Toggle header cell"), gettext_noop("edit HTML"),
  ];

  function translateButtons() {
    document.querySelectorAll(".prose-editor button[title]").forEach((button) => {
      const english = button.dataset.englishTitle || button.getAttribute("title");
      if (!BUTTONS.includes(english)) return;
      button.dataset.englishTitle = english;
      button.setAttribute("title", gettext(english));
      button.setAttribute("aria-label", gettext(english));
    });
  }

  document.addEventListener("prose-editor:ready", () => window.setTimeout(() => {
    apply();
    translateButtons();
  }, 0));
  document.addEventListener("change", (event) => {
    if (event.target.name && event.target.name.endsWith("language")) apply();
  });
  document.addEventListener("formset:added", apply);
  if (document.readyState !== "loading") apply();
  else document.addEventListener("DOMContentLoaded", apply);
})();
