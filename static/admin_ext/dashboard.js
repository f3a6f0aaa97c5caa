/* Live countdowns to each scheduled release's moment. */
(function () {
  "use strict";
  function pad(n) {
    return String(n).padStart(2, "0");
  }
  function tick() {
    const now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach((el) => {
      const left = Math.round((Date.parse(el.dataset.countdown) - now) / 1000);
      if (left <= 0) {
        el.textContent = "public now";
        el.classList.add("live");
        return;
      }
      const d = Math.floor(left / 86400);
      const h = Math.floor((left % 86400) / 3600);
      const m = Math.floor((left % 3600) / 60);
      const s = left % 60;
      el.textContent = "in " + (d ? d + " d " : "") + pad(h) + ":" + pad(m) + ":" + pad(s);
    });
  }
  tick();
  setInterval(tick, 1000);
})();
