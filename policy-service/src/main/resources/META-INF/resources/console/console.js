// The VBO console's only script: live fleet rows and the admins' actions. No library.
(function () {
  'use strict';

  // Time to a rendered table, read by the browser benchmark: 'vbo-rendered' at the first frame after the DOM is
  // built, 'vbo-painted' once that frame's style, layout and paint are done (the next task after it).
  document.addEventListener('DOMContentLoaded', function () {
    requestAnimationFrame(function () {
      performance.mark('vbo-rendered');
      setTimeout(function () { performance.mark('vbo-painted'); }, 0);
    });
    live();
    actions();
  });

  // The fleet table's body is fetched again every refresh period (same query) while the tab is visible.
  function live() {
    var box = document.getElementById('fleet-live');
    if (!box) { return; }
    var every = parseInt(box.dataset.refresh, 10) || 5000;
    var busy = false;
    setInterval(function () {
      if (busy || document.hidden) { return; }
      busy = true;
      fetch(box.dataset.rowsUrl, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
        .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.text(); })
        .then(function (html) {
          box.innerHTML = html;
          box.dataset.updated = String(Date.now());
        })
        .catch(function () { box.dataset.stale = String(Date.now()); })
        .finally(function () { busy = false; });
    }, every);
  }

  function token() {
    var meta = document.querySelector('meta[name="vbo-csrf"]');
    return meta ? meta.content : '';
  }

  // Each action asks for confirmation, posts with the page's CSRF token and shows the decision it produced.
  function actions() {
    var result = document.getElementById('action-result');
    if (!result) { return; }
    function run(url, question, body) {
      if (!window.confirm(question)) { return; }
      var headers = { 'X-VBO-CSRF': token(), 'Accept': 'text/html' };
      if (body) { headers['Content-Type'] = 'application/x-www-form-urlencoded'; }
      result.textContent = 'working…';
      fetch(url, { method: 'POST', credentials: 'same-origin', headers: headers, body: body })
        .then(function (r) {
          return r.text().then(function (text) {
            if (r.ok) {
              result.innerHTML = text;
              return;
            }
            var detail = text;
            try { detail = JSON.parse(text).detail || text; } catch (e) { /* not problem JSON */ }
            result.innerHTML = '';
            var p = document.createElement('p');
            p.className = 'error';
            p.textContent = 'Refused (' + r.status + '): ' + detail;
            result.appendChild(p);
          });
        })
        .catch(function (e) { result.textContent = 'Failed: ' + e.message; });
    }
    document.querySelectorAll('form[data-action]').forEach(function (form) {
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        run(form.dataset.action, form.dataset.confirm, new URLSearchParams(new FormData(form)).toString());
      });
    });
    document.querySelectorAll('button[data-action]').forEach(function (b) {
      b.addEventListener('click', function () { run(b.dataset.action, b.dataset.confirm, null); });
    });
  }
})();
