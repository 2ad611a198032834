// The report form without a round trip: "Add another place" adds a row here instead of asking
// the server, and a problem summary gets the focus so keyboard users land on it; its links
// then put the cursor in the answer they name.
// Without JavaScript the same button asks the server, which sends the form back with one more
// row and everything typed.
(function () {
  "use strict";
  var form = document.querySelector("form.report-form");
  if (!form) { return; }

  var problem = document.getElementById("problem");
  if (problem) {
    problem.focus();
    // A link in the summary puts the cursor in the answer it names, not just scrolls to it.
    problem.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var answer = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!answer) { return; }
      event.preventDefault();
      answer.focus();
      answer.scrollIntoView({block: "center"});
    });
  }

  var button = form.querySelector("button.add-place");
  var rows = form.querySelector(".place-rows");
  if (!button || !rows) { return; }
  var most = parseInt(button.getAttribute("data-max-places"), 10) || 10;

  function renumber(element, number) {
    ["id", "for", "name", "aria-labelledby"].forEach(function (name) {
      var value = element.getAttribute(name);
      if (value) { element.setAttribute(name, value.replace(/place\d+/g, "place" + number)); }
    });
  }

  function blankRow(template, number) {
    var row = template.cloneNode(true);
    // A copied row must not carry the last row's answers or its problem messages.
    Array.prototype.forEach.call(row.querySelectorAll(".field-error"), function (node) {
      node.parentNode.removeChild(node);
    });
    Array.prototype.forEach.call(row.querySelectorAll(".has-error"), function (node) {
      node.classList.remove("has-error");
    });
    renumber(row, number);
    Array.prototype.forEach.call(row.querySelectorAll("*"), function (node) {
      renumber(node, number);
      node.removeAttribute("aria-describedby");
      node.removeAttribute("autofocus");
      if (node.tagName === "INPUT") { node.value = ""; }
      if (node.tagName === "SELECT") { node.selectedIndex = 0; }
    });
    row.querySelector(".place-title").textContent = "Place " + number;
    return row;
  }

  button.addEventListener("click", function (event) {
    event.preventDefault();
    var existing = rows.querySelectorAll(".place");
    var number = existing.length + 1;
    var row = blankRow(existing[existing.length - 1], number);
    rows.appendChild(row);
    // One place needs no title of its own; two or more are told apart by theirs.
    Array.prototype.forEach.call(rows.querySelectorAll(".place-title.visually-hidden"),
      function (title) { title.classList.remove("visually-hidden"); });
    row.querySelector("select").focus();
    if (number >= most) {
      var note = document.createElement("p");
      note.className = "hint";
      note.textContent = "That's the most places we can take here. You can name any others " +
        "in your own words below.";
      button.parentNode.replaceChild(note, button);
    }
  });
}());
