// OneForm's service worker: the app shell (styles, scripts, icons) from the phone, and the pages a cadre has opened
// (home, tasks, forms) from the network when there is one and from the phone when there is not. Values typed offline
// are queued by /js/offline.js in the page, not here. Nothing of the API is cached.
const SHELL = 'oneform-shell-v1';
const PAGES = 'oneform-pages-v1';
const PRELOAD = ['/offline.html', '/manifest.webmanifest', '/icons/icon-192.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(PRELOAD)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== PAGES).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('message', (event) => {
  // Signing out forgets the pages kept for the person who signed out.
  if (event.data === 'sign-out') event.waitUntil(caches.delete(PAGES));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/Account/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request)
      .then((response) => {
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          caches.open(PAGES).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request).then((kept) => kept || caches.match('/offline.html'))));
    return;
  }
  if (/\.(css|js|png|svg|webmanifest)$/.test(url.pathname)) {
    event.respondWith(caches.match(request).then((kept) => kept || fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(SHELL).then((cache) => cache.put(request, copy));
      }
      return response;
    })));
  }
});

// A message pushed by OneForm (see /js/push.js): its text, and where tapping it goes (a path inside OneForm only).
self.addEventListener('push', (event) => {
  let message = {};
  try { message = event.data ? event.data.json() : {}; } catch (e) { message = { body: event.data ? event.data.text() : '' }; }
  event.waitUntil(self.registration.showNotification(message.title || '一表通', {
    body: message.body || '',
    tag: message.tag,
    icon: '/icons/icon-192.png',
    data: { url: typeof message.url === 'string' && /^\/(?![\/\\])/.test(message.url) ? message.url : '/Messages' }
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || '/Messages', self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
    const open = windows.find((w) => w.url === url);
    if (open) return open.focus();
    return self.clients.openWindow(url);
  }));
});
