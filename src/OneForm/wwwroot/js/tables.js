// On a phone a table wider than the screen scrolls inside itself (site.css); this says so above it, in the page's
// language, and only where there is more to see.
(() => {
  const hint = document.body.dataset.scrollHint;
  if (!hint) return;
  const mark = () => {
    for (const table of document.querySelectorAll('main table')) {
      const wide = table.scrollWidth > table.clientWidth + 1;
      const before = table.previousElementSibling;
      const shown = before !== null && before.classList.contains('scroll-hint');
      if (wide && !shown) {
        const p = document.createElement('p');
        p.className = 'scroll-hint';
        p.dataset.testid = 'scroll-hint';
        p.textContent = hint;
        table.before(p);
      } else if (!wide && shown) {
        before.remove();
      }
    }
  };
  mark();
  window.addEventListener('resize', mark);
})();
