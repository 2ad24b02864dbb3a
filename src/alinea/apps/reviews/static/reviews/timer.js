// The per-team timers of a goal-setting session. The server stores the time each team used and
// the instant the running timer started; this script only shows it ticking. Each timer element
// carries data-used (seconds used when the page was rendered), data-budget (seconds per team)
// and data-running ("true" for the team that has the floor).
(function () {
  "use strict";

  function clock(seconds) {
    var whole = Math.max(0, Math.floor(seconds));
    var minutes = Math.floor(whole / 60);
    var rest = whole % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function show(timer, used) {
    var budget = parseFloat(timer.dataset.budget);
    timer.querySelector("[data-clock]").textContent = clock(used);
    timer.querySelector("[data-left]").textContent = clock(budget - used);
    timer.querySelector(".timer-bar span").style.width = Math.min(100, (100 * used) / budget) + "%";
    timer.classList.toggle("is-over", used > budget);
  }

  function start() {
    var loaded = Date.now();
    var timers = Array.prototype.slice.call(document.querySelectorAll("[data-timer]"));
    function tick() {
      timers.forEach(function (timer) {
        var used = parseFloat(timer.dataset.used);
        if (timer.dataset.running === "true") {
          used += (Date.now() - loaded) / 1000;
        }
        show(timer, used);
      });
    }
    tick();
    if (timers.some(function (t) { return t.dataset.running === "true"; })) {
      window.setInterval(tick, 250);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
