// SIIMOP's small interactions, out of the templates: the Content-Security-Policy runs
// no inline script, no on*= handler and no style attribute. The templates say what they
// want with data- attributes; without JavaScript, every form still works.
(function () {
  "use strict";

  // <form data-confirm="…"> or <button data-confirm="…">: ask before sending.
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var message =
      (submitter && submitter.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // <select data-autosubmit>: choosing sends the form (a <noscript> button otherwise).
  // <select data-fills="id">: the chosen option's value goes into that field.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches("select[data-autosubmit]") && field.form) {
      field.form.submit();
    }
    if (field.matches("select[data-fills]")) {
      var target = document.getElementById(field.dataset.fills);
      if (target) {
        target.value = field.value;
      }
    }
  });

  // django-dsfr's closable site notice: its onclick= is refused by the policy.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".fr-notice .fr-btn--close");
    if (button) {
      button.closest(".fr-notice").remove();
    }
  });

  function ready(run) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", run);
    } else {
      run();
    }
  }

  // A link of a form's error summary: focus the field itself (a fragment alone only
  // scrolls), its label in view above it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      var group = field.closest(".fr-input-group, .fr-select-group, .fr-fieldset, " +
        ".fr-checkbox-group, .fr-radio-group, .fr-upload-group") || field;
      group.scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    }
  });

  ready(function () {
    // A refused form: its error summary takes the focus (read first by a screen reader,
    // seen first by everyone), once per page.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }

    // <form data-submit-on-load>: the SAML POST binding sends itself (its button stays
    // for a browser without JavaScript).
    document.querySelectorAll("form[data-submit-on-load]").forEach(function (form) {
      form.submit();
    });

    // Bars whose length is data, set through the CSSOM (allowed by the policy, unlike
    // a style attribute): <span class="siimop-bar" data-bar-width="42%">.
    document.querySelectorAll("[data-bar-width]").forEach(function (bar) {
      bar.style.width = bar.dataset.barWidth;
    });

    // A table's "select all" box ticks every row of the bulk form.
    document.querySelectorAll("[data-select-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        document.querySelectorAll('input[name="selection"]').forEach(function (row) {
          row.checked = box.checked;
        });
      });
    });

    // A matching round still computing: reload every 3 s while a progress bar shows
    // above the marker (the runs of that round, or of an earlier one).
    document.querySelectorAll("[data-reload-while-progress]").forEach(function (marker) {
      var running = Array.prototype.some.call(
        document.querySelectorAll("progress"),
        function (bar) {
          return marker.compareDocumentPosition(bar) & Node.DOCUMENT_POSITION_PRECEDING;
        }
      );
      if (running) {
        setTimeout(function () {
          location.reload();
        }, Number(marker.dataset.reloadWhileProgress) || 3000);
      }
    });

    // An import being checked or written: poll its progress, reload when it ends.
    var block = document.getElementById("progress-block");
    if (block && block.dataset.url) {
      var poll = function () {
        fetch(block.dataset.url, { credentials: "same-origin" })
          .then(function (r) {
            return r.json();
          })
          .then(function (data) {
            var bar = document.getElementById("import-progress");
            bar.max = data.total || 1;
            bar.value = data.done;
            document.getElementById("progress-text").textContent =
              data.done + " / " + data.total;
            if (data.status === "checking" || data.status === "committing") {
              setTimeout(poll, 1000);
            } else {
              window.location.reload();
            }
          });
      };
      setTimeout(poll, 1000);
    }

    // UNESS Assistance: articles of the knowledge base matching the words typed,
    // before sending.
    var form = document.getElementById("demande");
    var box = document.getElementById("suggestions");
    if (form && box && box.dataset.url) {
      var timer;
      var look = function () {
        var q = new URLSearchParams({
          title: form.title.value,
          description: form.description.value,
        });
        fetch(box.dataset.url + "?" + q)
          .then(function (r) {
            return r.text();
          })
          .then(function (html) {
            box.innerHTML = html;
          });
      };
      ["title", "description"].forEach(function (name) {
        form[name].addEventListener("input", function () {
          clearTimeout(timer);
          timer = setTimeout(look, 400);
        });
      });
    }
  });
})();
