// Kompetenceportalen: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Ask before destructive or final actions: <form data-confirm="Er du sikker?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // Print buttons: <button data-print>.
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-print]");
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
  // Menu dropdowns (<details class="nav-group">) work without this; with it, a click elsewhere or Escape
  // closes an open one, as people expect of a menu.
  function closeGroups(except) {
    document.querySelectorAll("details.nav-group[open]").forEach(function (group) {
      if (group !== except) {
        group.removeAttribute("open");
      }
    });
  }
  document.addEventListener("click", function (event) {
    closeGroups(event.target.closest && event.target.closest("details.nav-group"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var open = event.target.closest && event.target.closest("details.nav-group[open]");
    closeGroups(null);
    if (open) {
      open.querySelector("summary").focus();
    }
  });
})();
