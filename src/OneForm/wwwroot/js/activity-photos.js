// Progressive enhancement of the activity form: the record goes first, then each photo on its own, scaled down on
// the phone (longest side 1600 px, JPEG) and retried with growing pauses, so a bad network loses or doubles nothing
// (the server knows a photo it already has by its content). Without script the form posts everything at once.
(function () {
  var form = document.getElementById('activity-form');
  if (!form || !window.fetch || !window.FormData || !HTMLCanvasElement.prototype.toBlob) return;
  var status = document.getElementById('photo-status');
  var token = form.querySelector('input[name="__RequestVerificationToken"]').value;
  var say = function (template, a, b) { return form.dataset[template].replace('{0}', a).replace('{1}', b); };

  function scaled(file) {
    return new Promise(function (resolve) {
      var image = new Image();
      image.onload = function () {
        var ratio = Math.min(1, 1600 / Math.max(image.naturalWidth, image.naturalHeight));
        var canvas = document.createElement('canvas');
        canvas.width = Math.round(image.naturalWidth * ratio);
        canvas.height = Math.round(image.naturalHeight * ratio);
        canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(image.src);
        canvas.toBlob(function (blob) { resolve(blob || file); }, 'image/jpeg', 0.85);
      };
      image.onerror = function () { resolve(file); };  // not something the browser can draw: the server will say why
      image.src = URL.createObjectURL(file);
    });
  }

  function send(activity, blob, line, number, total) {
    var attempt = 0;
    return new Promise(function (resolve) {
      (function tryOnce() {
        attempt++;
        line.textContent = attempt === 1 ? say('uploading', number, total) : say('retrying', number, total);
        fetch('?handler=Photo&activity=' + activity, {
          method: 'POST', body: blob, credentials: 'same-origin',
          headers: { 'Content-Type': blob.type || 'image/jpeg', 'RequestVerificationToken': token }
        }).then(function (response) {
          if (response.ok) { line.textContent = say('uploading', number, total) + ' ' + form.dataset.done; resolve(true); return; }
          if (response.status >= 400 && response.status < 500) {
            return response.json().then(function (body) { line.textContent = (body && body.problem) || say('failed', number, total); resolve(false); });
          }
          throw new Error('server ' + response.status);
        }).catch(function () {
          if (attempt >= 6) { line.textContent = say('failed', number, total); resolve(false); return; }
          setTimeout(tryOnce, Math.min(30000, 1000 * Math.pow(2, attempt - 1)));
        });
      })();
    });
  }

  form.addEventListener('submit', function (event) {
    var input = form.querySelector('input[type="file"]');
    var files = Array.prototype.slice.call(input.files || []);
    if (files.length === 0) return;  // nothing to send separately: the plain form post does it
    event.preventDefault();
    var fields = new FormData(form);
    fields.delete(input.name);
    form.querySelector('button[type="submit"]').disabled = true;
    fetch('?handler=Record', { method: 'POST', body: fields, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) { form.querySelector('button[type="submit"]').disabled = false; input.value = ''; form.submit(); return null; }
        return response.json();
      })
      .then(function (record) {
        if (!record) return;
        var results = [];
        var chain = Promise.resolve();
        files.forEach(function (file, i) {
          var line = document.createElement('li');
          status.appendChild(line);
          chain = chain.then(function () { return scaled(file); })
            .then(function (blob) { return send(record.id, blob, line, i + 1, files.length); })
            .then(function (ok) { results.push(ok); });
        });
        chain.then(function () {
          if (results.every(Boolean)) window.location.href = '/Activities#a' + record.id;
        });
      });
  });
})();
