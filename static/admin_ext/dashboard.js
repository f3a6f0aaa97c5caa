/* Live countdowns to each scheduled release's moment, in the interface's language. */
(function () {
  "use strict";
  const gettext = window.gettext || ((text) => text);
  const ngettext = window.ngettext || ((one, many, n) => (n === 1 ? one : many));
  const interpolate = window.interpolate || ((format, args) => format.replace(/%s/g, () => args.shift()));

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  function left(seconds) {
    const d = Math.floor(seconds / 86400);
    const clock = [Math.floor((seconds % 86400) / 3600), Math.floor((seconds % 3600) / 60), seconds % 60].map(pad).join(":");
    // Translators: a countdown, e.g. "in 2 days 04:30:00".
    const days = d ? interpolate(ngettext("%s day", "%s days", d), [d]) + " " : "";
    return interpolate(gettext("in %s"), [days + clock]);
  }

  function tick() {
    const now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach((el) => {
      const seconds = Math.round((Date.parse(el.dataset.countdown) - now) / 1000);
      if (seconds <= 0) {
        el.textContent = gettext("public now");
        el.classList.add("live");
        return;
      }
      el.textContent = left(seconds);
    });
  }
  tick();
  setInterval(tick, 1000);
})();
