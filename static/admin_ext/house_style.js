// The company form: each house style shows the dateline it writes, updated as its options change.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const form = document.getElementById("company_form");
  if (!form) return;
  const url = form.action.replace(/\/(\d+\/change|add)\/?(\?.*)?$/, "/house-style-preview/");
  const companyId = (form.action.match(/\/(\d+)\/change\//) || [])[1] || "";

  function value(name) {
    const field = form.querySelector(`[name="${name}"]`);
    if (!field) return "";
    return field.type === "checkbox" ? (field.checked ? "1" : "") : field.value;
  }

  function refresh(row) {
    const output = row.querySelector(".house-style-preview");
    if (!output) return;
    const prefix = row.id.replace(/^(house_styles-\d+)$/, "$1");
    const params = new URLSearchParams({ company: companyId, city: value("city"), country: value("country"), time_zone: value("time_zone") });
    for (const name of ["language", "place", "pattern", "date_style", "time_style", "zone_style", "zone_in_parentheses", "punctuation_spacing"]) {
      params.set(name, value(`${prefix}-${name}`));
    }
    fetch(`${url}?${params}`, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (!data) return;
        output.replaceChildren(...data.datelines.map((line) => Object.assign(document.createElement("div"), { textContent: line })));
      });
  }

  function rows() {
    return form.querySelectorAll(".inline-related[id^='house_styles-']:not(.empty-form)");
  }

  form.addEventListener("change", (event) => {
    const row = event.target.closest(".inline-related[id^='house_styles-']");
    if (row) refresh(row);
    else if (["city", "country", "time_zone"].includes(event.target.name)) rows().forEach(refresh);
  });
  form.addEventListener("input", (event) => {
    const row = event.target.closest(".inline-related[id^='house_styles-']");
    if (row && event.target.name.endsWith("-place")) refresh(row);
  });
  document.addEventListener("formset:added", (event) => {
    const row = event.target.closest ? event.target : null;
    if (row && row.id && row.id.startsWith("house_styles-")) refresh(row);
  });
  rows().forEach(refresh);
});
