/* The release form: reorder parts, confirm what cannot be undone, point at what to fix, keep choices in scope. */
(function () {
  "use strict";
  const gettext = window.gettext || ((text) => text);

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // -- ordered inlines: drag a row or use ↑ ↓; positions are renumbered 1, 2, 3 … ------------------------

  function rowsOf(group) {
    return Array.from(group.querySelectorAll("tbody tr.form-row")).filter(
      (tr) => !tr.classList.contains("empty-form") && !tr.id.endsWith("-empty")
    );
  }

  function renumber(group) {
    // Every part is numbered from 1, as people count (references are cited as (1), (2) …).
    let n = 1;
    rowsOf(group).forEach((tr) => {
      const input = tr.querySelector("input.position-input");
      const deleted = tr.querySelector("input[type=checkbox][name$='-DELETE']");
      if (!input) return;
      if (deleted && deleted.checked) return;
      input.value = n;
      const badge = tr.querySelector(".order-number");
      if (badge) badge.textContent = n;
      n += 1;
    });
  }

  function move(tr, delta) {
    const group = tr.closest(".ordered-inline");
    const rows = rowsOf(group);
    const i = rows.indexOf(tr);
    const j = i + delta;
    if (j < 0 || j >= rows.length) return;
    if (delta < 0) rows[j].before(tr);
    else rows[j].after(tr);
    renumber(group);
    tr.classList.add("moved");
    setTimeout(() => tr.classList.remove("moved"), 600);
  }

  function decorate(tr) {
    if (tr.dataset.ordered) return;
    const input = tr.querySelector("input.position-input");
    if (!input) return;
    tr.dataset.ordered = "1";
    tr.draggable = true;
    const cell = input.closest("td");
    cell.classList.add("order-cell");
    const tools = document.createElement("span");
    tools.className = "order-tools";
    tools.innerHTML =
      `<span class="drag-handle" title="${gettext("Drag to reorder")}" aria-hidden="true">⠿</span>` +
      `<button type="button" class="order-up" aria-label="${gettext("Move up")}" title="${gettext("Move up")}">↑</button>` +
      `<button type="button" class="order-down" aria-label="${gettext("Move down")}" title="${gettext("Move down")}">↓</button>`;
    cell.prepend(tools);
    tools.querySelector(".order-up").addEventListener("click", () => move(tr, -1));
    tools.querySelector(".order-down").addEventListener("click", () => move(tr, 1));
    tr.addEventListener("dragstart", (e) => {
      tr.classList.add("dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", tr.id);
    });
    tr.addEventListener("dragend", () => {
      tr.classList.remove("dragging");
      renumber(tr.closest(".ordered-inline"));
    });
    tr.addEventListener("dragover", (e) => {
      const dragging = tr.parentElement.querySelector("tr.dragging");
      if (!dragging || dragging === tr) return;
      e.preventDefault();
      const box = tr.getBoundingClientRect();
      if (e.clientY < box.top + box.height / 2) tr.before(dragging);
      else tr.after(dragging);
    });
  }

  function setupOrdered() {
    // Rows keep their stored positions until the writer moves, adds or removes one.
    document.querySelectorAll(".ordered-inline").forEach((group) => rowsOf(group).forEach(decorate));
    document.addEventListener("formset:added", (event) => {
      const tr = event.target;
      const group = tr.closest && tr.closest(".ordered-inline");
      if (!group) return;
      decorate(tr);
      renumber(group);
    });
    document.addEventListener("change", (event) => {
      if (event.target.name && event.target.name.endsWith("-DELETE")) {
        const group = event.target.closest(".ordered-inline");
        if (group) renumber(group);
      }
    });
  }

  // -- workflow buttons: comments, confirmation, unsaved changes -------------------------------------------

  function formSnapshot(form) {
    const data = new FormData(form);
    data.delete("workflow_comment");
    data.delete("csrfmiddlewaretoken");
    return JSON.stringify(Array.from(data.entries()).filter(([, v]) => typeof v === "string"));
  }

  function setupWorkflow() {
    const form = document.getElementById("release_form");
    if (!form) return;
    let initial = null;
    // The editor rewrites its textarea once it starts: take the reference state after that.
    setTimeout(() => (initial = formSnapshot(form)), 800);
    document.querySelectorAll(".wf-btn").forEach((button) => {
      button.addEventListener("click", (event) => {
        const comment = document.getElementById("workflow_comment");
        if (button.dataset.needsComment && comment && !comment.value.trim()) {
          event.preventDefault();
          comment.classList.add("needs-input");
          comment.focus();
          comment.setAttribute("placeholder", gettext("Write the comment first: it is needed for this step."));
          return;
        }
        if (initial !== null && initial !== formSnapshot(form) && !document.body.classList.contains("frozen")) {
          if (!window.confirm(gettext("You have unsaved changes on the form. They are not part of this step. Continue anyway?"))) {
            event.preventDefault();
            return;
          }
        }
        if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
          event.preventDefault();
        }
      });
    });
  }

  // -- checks point at the part to fix ------------------------------------------------------------------------

  function setupChecks() {
    document.querySelectorAll(".check-part[data-anchor]").forEach((link) => {
      link.addEventListener("click", (event) => {
        const target = document.getElementById(link.dataset.anchor);
        if (!target) return;
        event.preventDefault();
        const box = target.closest(".form-row, fieldset, .inline-group") || target;
        box.scrollIntoView({ behavior: "smooth", block: "center" });
        box.classList.add("flash");
        setTimeout(() => box.classList.remove("flash"), 1600);
        const focusable = box.querySelector("input:not([type=hidden]), select, textarea, .ProseMirror");
        if (focusable) focusable.focus({ preventScroll: true });
      });
    });
  }

  // -- choices follow the company and the language ----------------------------------------------------------

  function setupScope() {
    const config = document.getElementById("release-config");
    const company = document.getElementById("id_company");
    const language = document.getElementById("id_language");
    if (!config || !company || !language) return;
    const { partsUrl } = JSON.parse(config.textContent);
    async function refresh() {
      const url = `${partsUrl}?company=${encodeURIComponent(company.value)}&language=${encodeURIComponent(language.value)}`;
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return;
      const parts = await response.json();
      const fill = (select, options, chosen) => {
        const keep = chosen !== undefined ? String(chosen ?? "") : select.value;
        select.innerHTML = '<option value="">---------</option>';
        options.forEach(([value, label]) => select.add(new Option(label, value)));
        select.value = options.some(([v]) => String(v) === keep) ? keep : "";
      };
      const about = document.getElementById("id_company_about");
      if (about) fill(about, parts.company_about, about.value && parts.company_about.some(([v]) => String(v) === about.value) ? about.value : parts.default_company_about);
      document.querySelectorAll("select[name$='-block']").forEach((s) => fill(s, parts.block));
      document.querySelectorAll("select[name$='-disclaimer']").forEach((s) => fill(s, parts.disclaimer));
      // The "+" beside a part opens the new part's form for this company and language.
      document.querySelectorAll("#topic_links-group a.add-related, #disclaimer_links-group a.add-related").forEach((a) => {
        const url = new URL(a.getAttribute("href"), window.location.href);
        url.searchParams.set("company", company.value);
        url.searchParams.set("language", language.value);
        a.setAttribute("href", url.pathname + url.search);
      });
      document.querySelectorAll("select[name$='-contact']").forEach((s) => {
        const current = s.getAttribute("data-ajax--url") || "";
        s.setAttribute("data-ajax--url", current.split("?")[0] + "?company=" + company.value);
      });
    }
    company.addEventListener("change", refresh);
    language.addEventListener("change", refresh);
  }

  // -- the lead as readers will see it, composed by the server as the writer types ---------------------------

  function setupLead() {
    const config = document.getElementById("release-config");
    const form = document.getElementById("release_form");
    const row = document.querySelector(".form-row.field-body");
    if (!config || !form || !row) return;
    const { leadUrl, editable } = JSON.parse(config.textContent);
    if (!leadUrl || !editable) return;
    const box = document.createElement("div");
    box.className = "lead-preview";
    box.setAttribute("aria-live", "polite");
    box.innerHTML = '<p class="lead-title"></p><div class="lead-html"></div><p class="lead-how"></p>';
    box.querySelector(".lead-title").textContent = gettext("Lead as readers will see it:");
    row.after(box);
    let timer = null;
    let asked = 0;
    async function refresh() {
      const data = new FormData(form);
      for (const [name, value] of Array.from(data.entries())) {
        if (typeof value !== "string") data.delete(name); // never the images: only words compose the lead
      }
      data.delete("workflow_comment");
      const mine = ++asked;
      const response = await fetch(leadUrl, { method: "POST", body: data, credentials: "same-origin" });
      if (!response.ok || mine !== asked) return;
      const lead = await response.json();
      box.querySelector(".lead-html").innerHTML = lead.html; // composed by the server from sanitised text
      box.querySelector(".lead-how").textContent = lead.explanation;
      box.dataset.how = lead.how;
    }
    const later = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    // The editor writes its textarea after each change; its own events bubble as "input" from the editing area.
    document.addEventListener("prose-editor:ready", later);
    refresh();
  }

  ready(() => {
    setupOrdered();
    setupWorkflow();
    setupChecks();
    setupScope();
    setupLead();
  });
})();
