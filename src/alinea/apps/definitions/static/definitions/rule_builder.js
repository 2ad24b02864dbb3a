// Rule builder rows without a round trip: "Add a row" copies the last row of its table (empty,
// numbered after the highest row), "Remove" takes a row away. Without JavaScript the same buttons
// work through the server (add=<kind> re-renders the form; a ticked "Remove" row is ignored).
(function () {
  "use strict";
  var form = document.querySelector("[data-rule-builder]");
  if (!form) { return; }

  function rowNumber(row, kind) {
    var field = row.querySelector("[name^='" + kind + "_']");
    var match = field && field.name.slice(kind.length + 1).match(/^(\d+)_/);
    return match ? parseInt(match[1], 10) : -1;
  }

  function renumber(element, kind, from, to) {
    var old = kind + "_" + from + "_";
    var now = kind + "_" + to + "_";
    ["name", "id", "for"].forEach(function (attribute) {
      var value = element.getAttribute(attribute);
      if (value && value.indexOf(old) !== -1) {
        element.setAttribute(attribute, value.replace(old, now));
      }
    });
  }

  function clear(row) {
    row.querySelectorAll("input, select, textarea").forEach(function (field) {
      if (field.type === "checkbox") { field.checked = false; }
      else if (field.tagName === "SELECT") { field.selectedIndex = 0; }
      else { field.value = ""; }
    });
    row.querySelectorAll(".errorlist").forEach(function (list) { list.remove(); });
  }

  function addRow(kind) {
    var body = form.querySelector("[data-rule-rows='" + kind + "']");
    var rows = body.querySelectorAll("[data-rule-row]");
    var last = rows[rows.length - 1];
    var highest = -1;
    rows.forEach(function (row) { highest = Math.max(highest, rowNumber(row, kind)); });
    var copy = last.cloneNode(true);
    var from = rowNumber(last, kind);
    copy.querySelectorAll("[name], [id], [for]").forEach(function (element) {
      renumber(element, kind, from, highest + 1);
    });
    clear(copy);
    copy.style.display = "";
    // a copied button has no listener: drop it, and let enhance() make a live one
    copy.querySelectorAll("[data-remove-row]").forEach(function (button) { button.remove(); });
    copy.querySelectorAll("label").forEach(function (label) { label.style.display = ""; });
    body.appendChild(copy);
    enhance(copy);
    var first = copy.querySelector("select, input");
    if (first) { first.focus(); }
  }

  function enhance(row) {
    var box = row.querySelector("input[type='checkbox'][name$='_remove']");
    if (!box || row.querySelector("[data-remove-row]")) { return; }
    var label = box.closest("label");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.dataset.removeRow = "";
    button.textContent = label ? label.textContent.trim() : "Remove";
    button.addEventListener("click", function () {
      box.checked = true;  // the server ignores the row even if it stays in the form
      row.style.display = "none";
    });
    (label || box).style.display = "none";
    (label || box).after(button);
  }

  form.querySelectorAll("[data-rule-row]").forEach(enhance);
  form.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      addRow(button.dataset.addRow);
    });
  });
})();
