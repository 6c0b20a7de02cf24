// The round page's only script: every few seconds it fetches the participants table again, swaps it in when a
// participant's reply or e-mail changed, and says what changed in a polite live region. When the round's phase or
// draft version moved on, it offers to reload the page. The page works without it (the Refresh link).
(function () {
  'use strict';
  var section = document.getElementById('participants');
  var news = document.getElementById('participants-news');
  var reload = document.getElementById('participants-reload');
  if (!section || !news || !reload || !window.fetch || !window.DOMParser) {
    return;
  }

  var url = section.getAttribute('data-source');
  var every = 2500;
  var auto = document.getElementById('participants-auto');
  if (auto) {
    auto.hidden = false;
  }

  function rows(table) {
    var found = {};
    table.querySelectorAll('tr[data-participant]').forEach(function (row) {
      found[row.getAttribute('data-participant')] = row;
    });
    return found;
  }

  function said(row) {
    return row.querySelector('th').textContent.trim().replace(/\s+/g, ' ') + ': ' +
      row.querySelector('.state').textContent.trim() + ', ' + row.querySelector('.delivery').textContent.trim().replace(/\s+/g, ' ');
  }

  function apply(html) {
    var next = new DOMParser().parseFromString(html, 'text/html').getElementById('participants-table');
    var current = document.getElementById('participants-table');
    if (!next || !current) {
      return;
    }

    var before = rows(current);
    var after = rows(next);
    var changed = Object.keys(after).filter(function (code) {
      var old = before[code];
      return !old || old.getAttribute('data-state') !== after[code].getAttribute('data-state') ||
        old.getAttribute('data-delivery') !== after[code].getAttribute('data-delivery');
    });
    if (changed.length > 0) {
      current.replaceWith(document.importNode(next, true));
      news.textContent = changed.map(function (code) { return said(after[code]); }).join('; ');
    }

    if (next.getAttribute('data-phase') !== section.getAttribute('data-phase') ||
        next.getAttribute('data-version') !== section.getAttribute('data-version')) {
      reload.hidden = false;
    }
  }

  function refresh() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) { apply(html); } })
      .catch(function () { /* offline for a moment: the next round tries again */ })
      .then(function () { window.setTimeout(refresh, every); });
  }

  window.setTimeout(refresh, every);
})();
