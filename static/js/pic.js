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
     the person's own: see clearDrafts below) until the server has it: the fallback when the
     server cannot be reached (an expired session, a lost connection). The copy remembers the
     version of the draft it was typed on (the form's hidden "version" field, pic/drafts.py)
     and is put back only onto that same version: never over a newer save. data-draft-restored
     is the note shown when something was put back. */
  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" &&
        el.type !== "submit" && el.type !== "hidden" && el.tagName !== "BUTTON";
    });
  }

  function versionOf(form) {
    var input = form.querySelector('input[name="version"]');
    return input ? input.value : "";
  }

  function keepDraft(form) {
    var key = form.dataset.draftKey;
    if (!window.sessionStorage) return;
    var stored = null;
    try { stored = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { stored = null; }
    if (stored && stored.__version !== undefined && stored.__version !== versionOf(form)) {
      stored = null; /* saved since: the server's text is the newer one */
      sessionStorage.removeItem(key);
    }
    if (stored) {
      var restored = 0;
      draftFields(form).forEach(function (el) {
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
        form.dispatchEvent(new Event("input")); /* and the autosave sends it */
      } else { sessionStorage.removeItem(key); }
    }
    function keep() {
      var data = {__version: versionOf(form)};
      draftFields(form).forEach(function (el) { data[el.name] = el.value; });
      try { sessionStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full */ }
    }
    form.addEventListener("input", keep);
    form.addEventListener("submit", keep);
  }

  /* A form with data-autosave saves itself to the server (the same POST as its « Enregistrer »
     button, with the header X-PIC-Autosave: the answer is JSON) three seconds after typing
     stops and when the page is left; it shows « Enregistré à 14 h 32 » in its
     [data-autosave-status]. A newer save made elsewhere (409) stops it, with the server's
     message; what was typed stays on the page. Without JavaScript the button does the same. */
  var AUTOSAVE_DELAY_MS = 3000;

  function autosave(form) {
    var status = form.querySelector("[data-autosave-status]");
    var version = form.querySelector('input[name="version"]');
    var timer = null, dirty = false, stopped = false, inflight = null;

    function say(text, alert) {
      if (!status) return;
      status.textContent = text || "";
      status.classList.toggle("error", !!alert);
      if (alert) status.setAttribute("role", "alert");
    }

    function payload() {
      var data = new FormData(form);
      data.delete("file"); /* a document goes with a button, never by itself */
      return data;
    }

    function send(keepalive) {
      var options = {method: "POST", body: payload(), credentials: "same-origin",
                     redirect: "manual", headers: {"X-PIC-Autosave": "1"}};
      if (keepalive) options.keepalive = true;
      try { return fetch(form.action, options); } catch (e) {
        delete options.keepalive; /* a body over the keepalive limit: an ordinary request */
        return fetch(form.action, options);
      }
    }

    function save(keepalive) {
      if (!dirty || stopped || inflight || !window.fetch) return;
      dirty = false;
      say(form.dataset.autosaveSaving);
      inflight = send(keepalive).then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
        if (!json) throw new Error("not saved");
        return response.json().then(function (answer) {
          if (answer.version && version) version.value = answer.version;
          if (response.status === 409) {
            stopped = true; /* never overwrite the newer save by ourselves */
            say(answer.message, true);
            return;
          }
          if (!response.ok) throw new Error("not saved");
          say(answer.message);
          try { sessionStorage.removeItem(form.dataset.draftKey); } catch (e) { /* none */ }
        });
      }).catch(function () {
        dirty = true;
        say(form.dataset.autosaveFailed);
      }).then(function () { inflight = null; });
    }

    function changed() {
      if (stopped) return;
      dirty = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { save(false); }, AUTOSAVE_DELAY_MS);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (event) {
      window.clearTimeout(timer);
      if (inflight && !event.defaultPrevented) {
        /* wait for the autosave (its new version), then send the button's POST */
        event.preventDefault();
        var button = event.submitter;
        inflight.then(function () {
          stopped = true;
          if (form.requestSubmit) form.requestSubmit(button); else form.submit();
        });
        return;
      }
      stopped = true;
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save(false);
    });
    window.addEventListener("pagehide", function () { save(true); });
  }

  /* Law 25 on a shared computer: the proposal drafts kept in this browser (sessionStorage, gone
     with the tab; keyed "pic-proposal-draft-<person>-<proposal>", see proposal_edit.html) never
     outlive the person's session: logging out (forms marked data-pic-clear-drafts) clears them
     all, and a page seen by another person (body data-pic-user) drops every draft not theirs.
     Copies left in localStorage by earlier versions go too. */
  var DRAFT_PREFIX = "pic-proposal-draft-";
  var REPORT_DRAFT_PREFIX = "pic-report-draft-"; /* the reports' copies: the same rule */

  function clearDrafts(keepPrefix) {
    [window.sessionStorage, window.localStorage].forEach(function (storage) {
      try {
        for (var i = storage.length - 1; i >= 0; i -= 1) {
          var key = storage.key(i);
          if (!key || (key.indexOf(DRAFT_PREFIX) !== 0 && key.indexOf(REPORT_DRAFT_PREFIX) !== 0)) {
            continue;
          }
          if (storage === window.sessionStorage && keepPrefix && keepPrefix.some(function (p) {
            return key.indexOf(p) === 0;
          })) {
            continue;
          }
          storage.removeItem(key);
        }
      } catch (e) { /* storage disabled: nothing kept */ }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var person = document.body.getAttribute("data-pic-user");
    if (person) clearDrafts([DRAFT_PREFIX + person + "-", REPORT_DRAFT_PREFIX + person + "-"]);
    document.querySelectorAll("form[data-pic-clear-drafts]").forEach(function (form) {
      form.addEventListener("submit", function () { clearDrafts(null); });
    });
    document.querySelectorAll("form[data-autosave]").forEach(autosave);
    document.querySelectorAll("form[data-draft-key]").forEach(keepDraft);
    /* An error summary is focused when the page opens (GOV.UK's pattern): its links lead to
       the fields. */
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
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
