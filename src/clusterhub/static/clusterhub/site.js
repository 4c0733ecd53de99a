// Behaviour that would otherwise sit in inline handlers, which the Content Security Policy
// (script-src 'self') refuses. Markup opts in with data attributes:
//   <select data-autosubmit>      submits its form when the choice changes
//   <form data-confirm="…">       asks before submitting; "Cancel" keeps the page as it is
//   <input data-select-on-focus>  selects its whole text when clicked or focused
"use strict";

document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) {
    select.form.requestSubmit();
  }
});

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
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
