// Behaviour that would otherwise sit in inline handlers, which the Content Security Policy
// (script-src 'self') refuses. Markup opts in with data attributes:
//   <select data-autosubmit>      submits its form when the choice changes
//   <form data-confirm="…">       asks before submitting; "Cancel" keeps the page as it is
//   <button data-confirm="…">     the same, for one submit button of a form that has several
//   <input data-select-on-focus>  selects its whole text when clicked or focused
"use strict";

document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) {
    select.form.requestSubmit();
  }
});

// Capture phase on the document runs before htmx's listener on the form, so stopping the
// event here also keeps an hx-post form from sending its request.
document.addEventListener("submit", (event) => {
  const button = event.submitter && event.submitter.closest("button[data-confirm]");
  const form = event.target.closest("form[data-confirm]");
  const question = button ? button.dataset.confirm : form && form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

for (const type of ["click", "focusin"]) {
  document.addEventListener(type, (event) => {
    const input = event.target.closest("input[data-select-on-focus]");
    if (input) {
      input.select();
    }
  });
}
