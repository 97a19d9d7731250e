// The dashboard's live preview: loads the real widget with the publishable key from this page's fragment, opened.
(function () {
  var key = new URLSearchParams(location.hash.slice(1)).get('key');
  if (!key) return;
  var script = document.createElement('script');
  script.src = '../widget.js';
  script.dataset.key = key;
  script.dataset.open = 'true';
  document.body.appendChild(script);
})();
