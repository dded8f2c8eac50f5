/* Autosave of the respondent portal (progressive enhancement).
 *
 * Each change posts the section form to the autosave endpoint with the id of the
 * question that changed; the server validates it with the questionnaire core,
 * saves it if valid and answers which questions are now visible (skip logic) and
 * the error messages. Without JavaScript the form's own submit does the same.
 * Each question carries the version of its stored answer in a hidden field: the server
 * refuses (409, both values returned) a change made over an answer changed elsewhere, and
 * answers the new version of each saved question. "Enregistrer et continuer" first sends
 * the changes still waiting, then the form.
 * No inline script: loaded from /static/ under the CSP "script-src 'self'".
 */
(function () {
  "use strict";
  var form = document.getElementById("portal-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("autosave-status");
  var queue = Promise.resolve();
  var pending = {};
  var TEXT_DELAY_MS = 800;
  var done = 0;
  var inflight = 0;
  var failed = false;

  function setState(state) {
    form.setAttribute("data-autosave-state", state);
  }

  function questionOf(el) {
    var block = el.closest("[data-question]");
    return block ? block.getAttribute("data-question") : null;
  }

  function blockOf(qid) {
    return form.querySelector('[data-question="' + qid + '"]');
  }

  function setVersion(qid, version) {
    var block = blockOf(qid);
    var input = block && block.querySelector("input[data-version]");
    if (input && version) {
      input.value = version;
    }
  }

  function clearInputs(block) {
    block.querySelectorAll("input:not([data-version]), select, textarea").forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = false;
      } else {
        el.value = "";
      }
    });
  }

  function showErrors(qid, messages) {
    var block = blockOf(qid);
    if (!block) {
      return;
    }
    var box = block.querySelector(".fr-messages-group");
    var group = block.querySelector(".fr-input-group, .fr-fieldset");
    if (box) {
      box.textContent = "";
      messages.forEach(function (m) {
        var p = document.createElement("p");
        p.className = "fr-message fr-message--error";
        p.textContent = m; // text only: never HTML
        box.appendChild(p);
      });
    }
    if (group) {
      var cls = group.classList.contains("fr-fieldset") ? "fr-fieldset--error" : "fr-input-group--error";
      group.classList.toggle(cls, messages.length > 0);
    }
    block.querySelectorAll("input.fr-input, textarea.fr-input").forEach(function (el) {
      el.classList.toggle("fr-input--error", messages.length > 0);
      if (messages.length > 0) {
        el.setAttribute("aria-invalid", "true");
      } else {
        el.removeAttribute("aria-invalid");
      }
    });
  }

  function showWarnings(data) {
    // Plausibility warnings never block: shown next to their question, replaced at each save.
    var warnings = data.warnings || {};
    Object.keys(data.visible || {}).forEach(function (id) {
      var box = document.getElementById(blockOf(id) ? blockOf(id).id.replace(/-block$/, "-warnings") : "");
      if (!box) {
        return;
      }
      box.querySelectorAll("[data-warning]").forEach(function (el) {
        el.remove();
      });
      (warnings[id] || []).forEach(function (m) {
        var p = document.createElement("p");
        p.className = "fr-message fr-message--warning barometre-warning";
        p.setAttribute("data-warning", "");
        p.textContent = m; // text only: never HTML
        box.appendChild(p);
      });
    });
  }

  function apply(qid, data) {
    var visible = data.visible || {};
    Object.keys(visible).forEach(function (id) {
      var block = blockOf(id);
      if (!block) {
        return;
      }
      if (!visible[id] && !block.hidden) {
        clearInputs(block); // the server deleted its answer
        showErrors(id, []);
      }
      block.hidden = !visible[id];
    });
    var versions = data.versions || {};
    (data.saved || []).concat(data.removed || []).forEach(function (id) {
      setVersion(id, versions[id]);
    });
    var conflict = data.conflicts && data.conflicts[qid];
    if (conflict) {
      // The stored value stays; the next change of this question replaces it (explicitly).
      setVersion(qid, conflict.version);
    }
    showErrors(qid, (data.errors && data.errors[qid]) || (conflict ? [data.message] : []));
    showWarnings(data);
    if (status) {
      status.textContent = data.message || data.error || "";
    }
  }

  function body(qid) {
    var fd = new FormData(form);
    fd.delete("action");
    fd.set("changed", qid);
    return fd;
  }

  function save(qid) {
    delete pending[qid];
    var fd = body(qid);
    inflight += 1;
    setState("saving");
    queue = queue.then(function () {
      return fetch(url, {
        method: "POST",
        body: fd,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (r) {
          // The server answered: a refused value (4xx) or a server error is never "offline".
          return r.json().then(
            function (data) {
              apply(qid, data);
              failed = !r.ok;
            },
            function () {
              if (status) {
                status.textContent = form.getAttribute(r.status < 500 ? "data-msg-refused" : "data-msg-server-error");
              }
              failed = true;
            }
          );
        })
        .catch(function () {
          // fetch itself failed: no answer from the server (connection lost)
          if (status) {
            status.textContent = form.getAttribute("data-msg-offline");
          }
          failed = true;
        })
        .then(function () {
          inflight -= 1;
          done += 1;
          form.setAttribute("data-autosave-count", String(done));
          if (inflight === 0 && Object.keys(pending).length === 0) {
            setState(failed ? "error" : "saved");
          }
        });
    });
  }

  function schedule(qid, delay) {
    if (pending[qid]) {
      clearTimeout(pending[qid]);
    }
    if (delay === 0) {
      save(qid);
    } else {
      pending[qid] = setTimeout(function () {
        save(qid);
      }, delay);
      setState("pending");
    }
  }

  form.addEventListener("change", function (event) {
    var qid = questionOf(event.target);
    if (qid) {
      schedule(qid, 0);
    }
  });

  form.addEventListener("input", function (event) {
    var el = event.target;
    if (el.type === "radio" || el.type === "checkbox" || el.tagName === "SELECT") {
      return; // handled by "change"
    }
    var qid = questionOf(el);
    if (qid) {
      schedule(qid, TEXT_DELAY_MS);
    }
  });

  // "Enregistrer et continuer" / "Enregistrer": send the changes still waiting first, then the
  // form itself (with the versions those saves answered), so that nothing typed is lost.
  var submitting = false;
  form.addEventListener("submit", function (event) {
    if (submitting) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    Object.keys(pending).forEach(function (qid) {
      clearTimeout(pending[qid]);
      save(qid);
    });
    queue.then(function () {
      submitting = true;
      if (submitter && submitter.name) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = submitter.name;
        hidden.value = submitter.value;
        form.appendChild(hidden);
      }
      HTMLFormElement.prototype.submit.call(form);
    });
  });

  // Leaving the page with a change not yet sent: send it anyway (the form carries its CSRF token).
  window.addEventListener("pagehide", function () {
    Object.keys(pending).forEach(function (qid) {
      clearTimeout(pending[qid]);
      delete pending[qid];
      if (navigator.sendBeacon) {
        navigator.sendBeacon(url, body(qid));
      }
    });
  });

  // Listening from now on (what an automated check waits for before it answers).
  form.setAttribute("data-autosave-ready", "true");
})();
