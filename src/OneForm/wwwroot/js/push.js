// Reminders on this device (web push): the message centre's button subscribes the installed app with the server's VAPID
// key and gives the subscription to POST /api/v1/push-subscriptions (for the signed-in account only); the second button
// takes it back. Without push support (an old browser, iOS outside the installed app) the buttons stay hidden and the
// hint says so. The service worker (/sw.js) shows what arrives.
(function () {
  'use strict';
  var box = document.querySelector('[data-push]');
  if (!box) return;
  var on = box.querySelector('[data-push-on]');
  var off = box.querySelector('[data-push-off]');
  var status = box.querySelector('[data-push-status]');
  var supported = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  if (!supported) {
    status.textContent = box.dataset.unsupported;
    return;
  }

  function key(base64url) {
    var padded = (base64url + '===='.slice(base64url.length % 4)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function show(subscribed) {
    on.hidden = subscribed;
    off.hidden = !subscribed;
    status.textContent = subscribed ? box.dataset.onText : '';
  }

  function failed() {
    status.textContent = Notification.permission === 'denied' ? box.dataset.denied : box.dataset.failed;
  }

  navigator.serviceWorker.register('/sw.js').catch(function () { /* offline.js registers it too */ });
  navigator.serviceWorker.ready.then(function (registration) {
    return registration.pushManager.getSubscription();
  }).then(function (subscription) { show(!!subscription); }).catch(failed);

  on.addEventListener('click', function () {
    on.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== 'granted') throw new Error(permission);
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key(box.dataset.key) });
    }).then(function (subscription) {
      return fetch('/api/v1/push-subscriptions', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(subscription.toJSON())
      }).then(function (response) {
        if (!response.ok) return subscription.unsubscribe().then(function () { throw new Error(response.status); });
        show(true);
      });
    }).catch(failed).then(function () { on.disabled = false; });
  });

  off.addEventListener('click', function () {
    off.disabled = true;
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) return;
      return fetch('/api/v1/push-subscriptions?endpoint=' + encodeURIComponent(subscription.endpoint), {
        method: 'DELETE', credentials: 'same-origin'
      }).then(function () { return subscription.unsubscribe(); });
    }).then(function () { show(false); status.textContent = box.dataset.offText; })
      .catch(failed).then(function () { off.disabled = false; });
  });
})();
