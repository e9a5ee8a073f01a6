// The unit and element pickers (Pages/Shared/_UnitPicker.cshtml, _ElementPicker.cshtml), kept out of the pages for the
// Content-Security-Policy. Without this script the fields still work: the server resolves what was typed.
// Unit: suggestions while typing (names, part of a name, pinyin initials, codes) and a county → township → village
// browser, from GET /api/v1/org-units/search; a choice sets the hidden ...Pick field to the unit's code.
// Elements: a search box that narrows the checkboxes by name.
(function () {
  if (window.oneformPickers) return;
  window.oneformPickers = true;

  function ready(fn) { if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn); else fn(); }

  function row(text, detail, onClick) {
    var li = document.createElement('li');
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'pick-row';
    var strong = document.createElement('strong');
    strong.textContent = text;
    button.appendChild(strong);
    if (detail) {
      var span = document.createElement('span');
      span.className = 'muted';
      span.textContent = ' ' + detail;
      button.appendChild(span);
    }
    button.addEventListener('click', onClick);
    li.appendChild(button);
    return li;
  }

  function unitPicker(box) {
    var input = box.querySelector('input[type=search]');
    var pick = box.querySelector('[data-unit-pick]');
    var list = box.querySelector('.unit-suggestions');
    var timer = null, asked = 0;
    var browse = document.createElement('button');
    browse.type = 'button';
    browse.className = 'secondary unit-browse';
    browse.textContent = box.dataset.browse;
    box.insertBefore(browse, list);

    function choose(unit) {
      input.value = unit.name;
      pick.value = unit.code;
      list.hidden = true;
      list.textContent = '';
      box.querySelectorAll('.unit-choices input[type=radio]').forEach(function (r) { r.checked = false; });
    }

    function load(q, under, trail) {
      var mine = ++asked;
      var url = '/api/v1/org-units/search?q=' + encodeURIComponent(q || '') + (under ? '&under=' + encodeURIComponent(under) : '');
      fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (units) { if (mine === asked) show(units, q, under, trail); })
        .catch(function () { list.hidden = true; });
    }

    function show(units, q, under, trail) {
      list.textContent = '';
      if (trail) {
        if (trail.length > 0) {
          var here = trail[trail.length - 1];
          list.appendChild(row('‹ ' + box.dataset.up, '', function () {
            var back = trail.slice(0, -1);
            load('', back.length ? back[back.length - 1].code : null, back);
          }));
          list.appendChild(row(here.name, here.levelName, function () { choose(here); }));
        }
      }
      units.forEach(function (unit) {
        var li = row(unit.name, (trail ? '' : unit.path + ' · ') + unit.levelName, function () { choose(unit); });
        if (unit.hasChildren) {
          var down = document.createElement('button');
          down.type = 'button';
          down.className = 'secondary pick-down';
          down.textContent = box.dataset.below + ' ›';
          down.addEventListener('click', function () { load('', unit.code, (trail || []).concat([unit])); });
          li.appendChild(down);
        }
        list.appendChild(li);
      });
      if (units.length === 0 && !trail) {
        var none = document.createElement('li');
        none.className = 'muted';
        none.textContent = box.dataset.none;
        list.appendChild(none);
      }
      list.hidden = false;
    }

    input.addEventListener('input', function () {
      pick.value = '';
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { list.hidden = true; return; }
      timer = setTimeout(function () { load(q, null, null); }, 200);
    });
    input.addEventListener('keydown', function (e) { if (e.key === 'Escape') list.hidden = true; });
    browse.addEventListener('click', function () {
      if (!list.hidden) { list.hidden = true; return; }
      load('', null, []);
    });
    box.querySelectorAll('.unit-choices input[type=radio]').forEach(function (radio) {
      radio.addEventListener('change', function () { if (radio.checked) { input.value = radio.dataset.name; pick.value = ''; } });
    });
  }

  function elementPicker(set) {
    var filter = set.querySelector('.element-filter');
    filter.hidden = false;
    filter.addEventListener('input', function () {
      var term = filter.value.trim().toLowerCase();
      set.querySelectorAll('label.check').forEach(function (label) {
        label.hidden = term !== '' && label.textContent.toLowerCase().indexOf(term) < 0;
      });
    });
  }

  ready(function () {
    document.querySelectorAll('[data-unit-picker]').forEach(unitPicker);
    document.querySelectorAll('[data-element-picker]').forEach(elementPicker);
  });
})();
