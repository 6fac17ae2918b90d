/*
 * Draws the report's plotly figures: each is a <script type="application/vnd.plotly.v1+json"> (the
 * figure's JSON) after an empty <div>. plotly.js comes gzip-compressed and base64-encoded in
 * window.SPOTIFY_PLOTLY_GZ (plotly-bundle.js, made by scripts/report.js); the browser unpacks it
 * (DecompressionStream) and runs it once, with AMD/CommonJS hidden so it always sets window.Plotly.
 */
(function () {
  'use strict';
  var sources = Array.prototype.slice.call(document.querySelectorAll('script[type="application/vnd.plotly.v1+json"]'));
  if (!sources.length) return;
  function say(text) {
    sources.forEach(function (source) {
      source.previousElementSibling.textContent = text;
    });
  }
  function draw() {
    sources.forEach(function (source) {
      var figure = JSON.parse(source.textContent);
      var target = source.previousElementSibling;
      target.style.height = (figure.layout && figure.layout.height ? figure.layout.height : 450) + 'px';
      window.Plotly.newPlot(target, figure.data, figure.layout, { responsive: true });
    });
  }
  if (window.Plotly) {
    draw();
    return;
  }
  if (typeof DecompressionStream === 'undefined' || !window.SPOTIFY_PLOTLY_GZ) {
    say(
      'This figure needs a browser that can unpack the embedded plotly.js (DecompressionStream: Chrome 80+, Firefox 113+, Safari 16.4+).',
    );
    return;
  }
  var packed = atob(window.SPOTIFY_PLOTLY_GZ);
  var bytes = new Uint8Array(packed.length);
  for (var i = 0; i < packed.length; i++) bytes[i] = packed.charCodeAt(i);
  new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')))
    .text()
    .then(function (code) {
      var script = document.createElement('script');
      script.textContent = '(function (define, module, exports) {\n' + code + '\n}).call(window);';
      document.head.appendChild(script);
      draw();
    })
    .catch(function (error) {
      say('Could not unpack the embedded plotly.js: ' + error);
    });
})();
