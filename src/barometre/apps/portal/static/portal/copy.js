/* Copy-link buttons: copy the text of the field named by data-copy, say so in the status line.
 * Without JavaScript (or clipboard access) the button stays hidden and the link can be selected. */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById("portal-copy-status");
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var say = function (text) {
        if (status) {
          status.textContent = text;
        }
      };
      var fallback = function () {
        field.focus();
        field.select();
        var ok = false;
        try {
          ok = document.execCommand("copy");
        } catch (e) {
          ok = false;
        }
        say(ok ? button.getAttribute("data-copied") : button.getAttribute("data-copy-failed"));
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          say(button.getAttribute("data-copied"));
        }, fallback);
      } else {
        fallback();
      }
    });
  });
})();
