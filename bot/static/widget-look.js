/*
 * How the widget looks where the embedding site decides (part of /widget.js): icons drawn inline (emoji fonts are
 * often missing on office PCs), and the site's colour (data-color) turned into colours that stay readable.
 */
(function () {
  "use strict";

  var parts = (window.JilinWidgetParts = window.JilinWidgetParts || {});

  var ICONS = {
    chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    down: "M5.6 8.3 12 14.7l6.4-6.4 1.6 1.6-8 8-8-8z",
    pin: "M12 2a7 7 0 0 0-7 7c0 5 7 13 7 13s7-8 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z"
  };

  function icon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "jlw-icon");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  /* WCAG relative luminance of an sRGB colour [r, g, b] */
  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  function onWhite(rgb) {
    return 1.05 / (luminance(rgb) + 0.05);
  }

  /* the colour, darkened until it reaches `ratio` against white */
  function darkened(rgb, ratio) {
    var c = rgb.slice();
    while (onWhite(c) < ratio) {
      c = c.map(function (v) { return Math.floor(v * 0.9); });
    }
    return "rgb(" + c.join(", ") + ")";
  }

  /*
   * data-color on node (in the document): --jlw-brand as given, text on it black or white (whichever contrasts
   * more), as text on white darkened to 4.5:1 where needed, and for 长辈版 darkened to 7:1 (widget.css).
   */
  function applyColor(node, value) {
    if (!value || !window.CSS || !CSS.supports || !CSS.supports("color", value)) {
      return;
    }
    var probe = document.createElement("span");
    probe.style.color = value;
    node.appendChild(probe);
    var rgb = (window.getComputedStyle(probe).color.match(/\d+(\.\d+)?/g) || []).slice(0, 3).map(Number);
    node.removeChild(probe);
    if (rgb.length !== 3) {
      return;
    }
    var l = luminance(rgb);
    node.style.setProperty("--jlw-brand", value);
    node.style.setProperty("--jlw-brand-on", onWhite(rgb) >= (l + 0.05) / 0.05 ? "#fff" : "#000");
    node.style.setProperty("--jlw-brand-ink", darkened(rgb, 4.5));
    node.style.setProperty("--jlw-brand-strong", darkened(rgb, 7));
  }

  parts.icon = icon;
  parts.applyColor = applyColor;
})();
