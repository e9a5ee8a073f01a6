// Small conveniences for forms, kept out of the pages so that no inline script is needed (Content-Security-Policy):
// say what is wrong with a field while typing (the server checks again either way), and submit a filter form when a
// control marked data-autosubmit changes.
(function () {
  document.querySelectorAll('form [name^="Typed["]').forEach(function (input) {
    input.addEventListener('input', function () {
      var hint = document.querySelector('[data-hint-for="' + input.id + '"]');
      if (hint) { hint.textContent = input.validity.valid ? '' : input.validationMessage; }
    });
  });
  document.querySelectorAll('[data-autosubmit]').forEach(function (control) {
    control.addEventListener('change', function () { if (control.form) control.form.submit(); });
  });
})();
