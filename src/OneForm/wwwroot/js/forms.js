// Small conveniences for forms, kept out of the pages so that no inline script is needed (Content-Security-Policy):
// say what is wrong with a field while typing (the server checks again either way), and submit a filter form when a
// control marked data-autosubmit changes, and say a chosen file is larger than the page takes before it is sent (the
// server would close the connection mid-upload, which the browser shows as a network error).
(function () {
  document.querySelectorAll('form [name^="Typed["]').forEach(function (input) {
    input.addEventListener('input', function () {
      var hint = document.querySelector('[data-hint-for="' + input.id + '"]');
      if (hint) { hint.textContent = input.validity.valid ? '' : input.validationMessage; }
    });
  });
  document.querySelectorAll('input[type="file"][data-max-bytes]').forEach(function (input) {
    input.addEventListener('change', function () {
      var most = Number(input.dataset.maxBytes);
      var chosen = Array.prototype.reduce.call(input.files || [], function (sum, file) { return sum + file.size; }, 0);
      var mb = function (bytes) { return (bytes / 1048576).toFixed(1); };
      var message = chosen > most ? document.body.dataset.fileTooLarge.replace('{0}', mb(chosen)).replace('{1}', mb(most)) : '';
      input.setCustomValidity(message);
      var hint = input.parentNode.querySelector('[data-testid="file-too-large"]');
      if (!hint && !message) return;
      if (!hint) {
        hint = document.createElement('span');
        hint.className = 'error';
        hint.setAttribute('data-testid', 'file-too-large');
        hint.setAttribute('role', 'alert');
        input.insertAdjacentElement('afterend', hint);
      }
      hint.textContent = message;
    });
    // Also where the button skips the form's checks (formnovalidate): the server would refuse the file anyway.
    if (input.form) {
      input.form.addEventListener('submit', function (event) {
        if (input.validationMessage && input.dataset.maxBytes) { event.preventDefault(); input.reportValidity(); }
      });
    }
  });
  document.querySelectorAll('[data-autosubmit]').forEach(function (control) {
    control.addEventListener('change', function () { if (control.form) control.form.submit(); });
  });
})();
