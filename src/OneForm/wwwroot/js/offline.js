// Works without a network: registers the service worker (the app shell and the pages already opened come from the
// phone), keeps what a cadre saves in a form while offline in a queue on the phone, shows the queue, and sends it when
// the network is back. A value someone else changed meanwhile is not overwritten: the server refuses it as it does
// online, and the queue shows its message with a link to the form.
(function () {
  var body = document.body;
  var user = body.dataset.user;
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(function () { /* an old browser: online only */ });
    // Every sign-out form (the desk's menu, the phone's 我的 page) forgets the pages kept on this device.
    document.querySelectorAll('form[action="/Account/Logout"]').forEach(function (out) {
      out.addEventListener('submit', function () {
        if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage('sign-out');
      });
    });
  }
  if (!user || !window.localStorage || !window.fetch) return;
  var key = 'oneform.queue.' + user;
  var text = body.dataset;
  var load = function () { try { return JSON.parse(localStorage.getItem(key) || '[]'); } catch (e) { return []; } };
  var store = function (queue) { localStorage.setItem(key, JSON.stringify(queue)); render(); };

  var banner = document.createElement('section');
  banner.className = 'card queue';
  banner.setAttribute('data-testid', 'offline-queue');
  banner.setAttribute('aria-live', 'polite');
  document.querySelector('main').prepend(banner);

  function render() {
    var queue = load();
    banner.hidden = queue.length === 0;
    banner.innerHTML = '';
    if (queue.length === 0) return;
    var waiting = queue.filter(function (q) { return !q.problem; }).length;
    [[waiting, text.queueWaiting], [queue.length - waiting, text.queueRefused]].forEach(function (line) {
      if (line[0] === 0) return;
      var head = document.createElement('p');
      head.textContent = line[1].replace('{0}', line[0]);
      banner.appendChild(head);
    });
    var list = document.createElement('ul');
    queue.forEach(function (q, i) {
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.href = q.page;
      link.textContent = q.title + ' · ' + q.at;
      item.appendChild(link);
      if (q.problem) {
        var problem = document.createElement('span');
        problem.className = 'error';
        problem.textContent = ' ' + text.queueProblem + ' ' + q.problem;
        item.appendChild(problem);
        var drop = document.createElement('button');
        drop.type = 'button';
        drop.className = 'link';
        drop.textContent = text.queueDrop;
        drop.addEventListener('click', function () { var all = load(); all.splice(i, 1); store(all); });
        item.appendChild(drop);
      }
      list.appendChild(item);
    });
    banner.appendChild(list);
    if (waiting > 0 && navigator.onLine) {
      var now = document.createElement('button');
      now.type = 'button';
      now.textContent = text.queueSend;
      now.addEventListener('click', send);
      banner.appendChild(now);
    }
  }

  var sending = false;
  function send() {
    if (sending || !navigator.onLine) return;
    var queue = load();
    var next = queue.findIndex(function (q) { return !q.problem; });
    if (next < 0) return;
    sending = true;
    var entry = queue[next];
    fetch(entry.url, {
      method: 'POST', body: entry.body, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }
    }).then(function (response) {
      return response.text().then(function (html) {
        var all = load();
        var at = all.findIndex(function (q) { return q.id === entry.id; });
        if (at < 0) return;
        var alert = new DOMParser().parseFromString(html, 'text/html').querySelector('main .alert');
        if (response.ok && (response.redirected || !alert)) {
          all.splice(at, 1);
        } else {
          all[at].problem = alert ? alert.textContent.replace(/\s+/g, ' ').trim() : String(response.status);
        }
        store(all);
      });
    }).catch(function () { /* still no network: try again when it is back */ })
      .then(function () { sending = false; if (load().some(function (q) { return !q.problem; }) && navigator.onLine) setTimeout(send, 0); });
  }

  document.querySelectorAll('form.fill').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (navigator.onLine) return;  // online: the plain form post
      event.preventDefault();
      var submitter = event.submitter;
      var data = new FormData(form, submitter || undefined);
      var queue = load();
      queue.push({
        id: Date.now() + '-' + Math.random().toString(36).slice(2),
        url: (submitter && submitter.getAttribute('formaction')) || form.getAttribute('action') || location.pathname + location.search,
        page: location.pathname,
        title: document.querySelector('h1') ? document.querySelector('h1').textContent.trim() : document.title,
        at: new Date().toLocaleString(document.documentElement.lang || undefined),
        body: new URLSearchParams(data).toString()
      });
      store(queue);
    });
  });

  window.addEventListener('online', send);
  window.addEventListener('offline', render);
  render();
  send();
})();
