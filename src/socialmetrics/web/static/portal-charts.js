// The month page's charts drawn by Vega in the browser (tooltips, crisp at any zoom) from the
// very Vega-Lite specs the report's static SVGs were drawn from. The static SVG is on the page
// first and stays if Vega is missing or a spec fails. `ast: true` makes Vega interpret its
// expressions instead of compiling them with `Function`, so the page's Content-Security-Policy
// needs no 'unsafe-eval'.
(function () {
  "use strict";
  function draw() {
    if (typeof window.vegaEmbed !== "function") {
      return;
    }
    var localeElement = document.getElementById("vega-locale");
    var locale = localeElement ? JSON.parse(localeElement.textContent) : {};
    document.querySelectorAll("figure.chart > script.vega-spec").forEach(function (element) {
      var figure = element.parentElement;
      var target = document.createElement("div");
      target.className = "interactive";
      figure.appendChild(target);
      window
        .vegaEmbed(target, JSON.parse(element.textContent), {
          ast: true,
          actions: false,
          renderer: "svg",
          formatLocale: locale.format,
          timeFormatLocale: locale.time,
        })
        .then(function () {
          figure.classList.add("live");
        })
        .catch(function (error) {
          target.remove();
          console.warn("chart left as drawn by the report:", error);
        });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
