// The console's page-wide script: it refreshes the parts of a page marked data-refresh="seconds" from the page's own URL,
// so that progress shows without reloading (the round page's participants have their own, RoundPageRefresh.js, which also
// says what changed). Every page works without it. Served from the console's own route: scripts from this origin are
// all the pages' content policy allows.
(function () {
  "use strict";
  var regions = document.querySelectorAll("[data-refresh]");
  if (!regions.length || !window.fetch || !window.DOMParser) {
    return;
  }

  var seconds = Math.max(5, parseInt(regions[0].getAttribute("data-refresh"), 10) || 30);
  function refresh() {
    if (document.hidden) {
      return;
    }

    fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) {
          return;
        }

        var fresh = new DOMParser().parseFromString(html, "text/html");
        regions.forEach(function (region) {
          var next = region.id && fresh.getElementById(region.id);
          // Never under the reader's hands: a region holding the focus waits for the next turn.
          if (next && !region.contains(document.activeElement)) {
            region.replaceChildren.apply(region, Array.prototype.map.call(next.childNodes, function (node) {
              return document.importNode(node, true);
            }));
          }
        });
      })
      .catch(function () { /* The next turn tries again. */ });
  }

  setInterval(refresh, seconds * 1000);
})();
