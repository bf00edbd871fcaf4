/* PIC grants: small progressive enhancements; every page works without them. */
(function () {
  "use strict";

  /* A table wider than the screen scrolls inside itself (see pic.css): make it reachable and
     named for keyboard and screen-reader users, whatever page it is on (WCAG 2.1.1). */
  function labelOf(table, box) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var node = box.previousElementSibling;
    while (node && !/^H[1-6]$/.test(node.tagName)) node = node.previousElementSibling;
    return node ? node.textContent.trim() : document.title;
  }

  function markScrollableTables() {
    document.querySelectorAll("main table").forEach(function (table) {
      var box = table.parentElement;
      if (!box.classList.contains("table-scroll")) {
        /* Wrap it: the wrapper scrolls and carries the region role; the table keeps its own. */
        box = document.createElement("div");
        box.className = "table-scroll";
        table.parentNode.insertBefore(box, table);
        box.appendChild(table);
      }
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("role")) box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          box.setAttribute("aria-label", labelOf(table, box));
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", markScrollableTables);
  window.addEventListener("resize", markScrollableTables);

  /* The pages carry no inline script or event handler (the Content-Security-Policy forbids
     them): behaviour is declared with data- attributes and wired here. */

  /* Confirmation before an irreversible action: data-confirm="Question?" on the form, or on
     the button that submits it. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.dataset && button.dataset.confirm) || form.dataset.confirm;
    if (!question) {
      var only = form.querySelector("button[data-confirm]");
      question = only && only.dataset.confirm;
    }
    if (question && !window.confirm(question)) event.preventDefault();
  });

  /* A print button: <button type="button" data-print>. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });

  /* What is typed in a form with data-draft-key is also kept in this browser tab (sessionStorage,
     the person's own: see clearDrafts below) until the server has it, so an expired session
     (login, then back here) or a lost connection loses nothing. data-draft-restored is the note shown when something was put back. */
  function keepDraft(form) {
    var key = form.dataset.draftKey;
    if (!window.sessionStorage) return;
    function fields() {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" &&
          el.type !== "submit" && el.type !== "hidden" && el.tagName !== "BUTTON";
      });
    }
    var stored = null;
    try { stored = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { stored = null; }
    if (stored) {
      var restored = 0;
      fields().forEach(function (el) {
        if (Object.prototype.hasOwnProperty.call(stored, el.name) && stored[el.name] !== el.value) {
          el.value = stored[el.name]; restored += 1;
        }
      });
      if (restored) {
        var note = document.createElement("p");
        note.className = "message message-warning";
        note.setAttribute("role", "status");
        note.textContent = form.dataset.draftRestored || "";
        form.parentNode.insertBefore(note, form);
      } else { sessionStorage.removeItem(key); }
    }
    function keep() {
      var data = {};
      fields().forEach(function (el) { data[el.name] = el.value; });
      try { sessionStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full */ }
    }
    form.addEventListener("input", keep);
    form.addEventListener("submit", keep);
  }

  /* Law 25 on a shared computer: the proposal drafts kept in this browser (sessionStorage, gone
     with the tab; keyed "pic-proposal-draft-<person>-<proposal>", see proposal_edit.html) never
     outlive the person's session: logging out (forms marked data-pic-clear-drafts) clears them
     all, and a page seen by another person (body data-pic-user) drops every draft not theirs.
     Copies left in localStorage by earlier versions go too. */
  var DRAFT_PREFIX = "pic-proposal-draft-";

  function clearDrafts(keepPrefix) {
    [window.sessionStorage, window.localStorage].forEach(function (storage) {
      try {
        for (var i = storage.length - 1; i >= 0; i -= 1) {
          var key = storage.key(i);
          if (!key || key.indexOf(DRAFT_PREFIX) !== 0) continue;
          if (storage === window.sessionStorage && keepPrefix && key.indexOf(keepPrefix) === 0) {
            continue;
          }
          storage.removeItem(key);
        }
      } catch (e) { /* storage disabled: nothing kept */ }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var person = document.body.getAttribute("data-pic-user");
    if (person) clearDrafts(DRAFT_PREFIX + person + "-");
    document.querySelectorAll("form[data-pic-clear-drafts]").forEach(function (form) {
      form.addEventListener("submit", function () { clearDrafts(null); });
    });
    document.querySelectorAll("form[data-draft-key]").forEach(keepDraft);
  });

  /* After an action (a form sent, then this page), focus goes where the outcome is said: the
     error summary when there are errors, else the page's message, so that a keyboard or
     screen-reader user hears it and continues from there (a link to #an-anchor keeps its
     own target). */
  document.addEventListener("DOMContentLoaded", function () {
    if (window.location.hash) return;
    var target = document.querySelector("#error-summary, .form-errors[role=alert]") ||
      document.querySelector("main .messages");
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  });
})();
