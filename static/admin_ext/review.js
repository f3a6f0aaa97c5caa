/* The review screen: a return needs its comment; an approval is confirmed before it freezes the release. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const comment = document.getElementById("workflow_comment");
    document.querySelectorAll("#review_form .wf-btn").forEach((button) => {
      button.addEventListener("click", (event) => {
        if (button.dataset.needsComment && comment && !comment.value.trim()) {
          event.preventDefault();
          comment.classList.add("needs-input");
          comment.setAttribute("placeholder", gettext("Write the comment first: it is needed for this step."));
          comment.focus();
          return;
        }
        if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
          event.preventDefault();
        }
      });
    });
    const since = document.getElementById("review-since");
    if (since) since.addEventListener("change", () => since.form.submit());
  });
})();
