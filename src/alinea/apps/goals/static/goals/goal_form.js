// Live preview of the goal form's target: "from baseline X to target Y", measured by the server.
(function () {
  "use strict";
  var form = document.querySelector("[data-goal-form]");
  var preview = document.querySelector("[data-target-preview]");
  if (!form || !preview) { return; }
  var timer = null;
  function refresh() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") { params.append(name, value); }
    });
    fetch(preview.dataset.url + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (answer) { preview.textContent = answer.text; })
      .catch(function () { preview.textContent = ""; });
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  refresh();
})();
