/*
 * Rich-text rendering shared by the citizen widget (/widget.js) and the staff console (/static/console.js):
 * plain text -> DOM nodes with line breaks, http(s) links and tel: links. Never innerHTML.
 *
 * The server serves /widget.js as this file followed by widget.js (the widget stays one <script> tag);
 * console.html loads /static/richtext.js before /static/console.js.
 */
(function () {
  "use strict";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") {
        node.textContent = attrs[name];
      } else if (name === "className") {
        node.className = attrs[name];
      } else {
        node.setAttribute(name, attrs[name]);
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var TOKEN_RE = /(https?:\/\/[^\s<>"'\u3000-\u303f\uff00-\uffef]+)|(\d*0\d{2,3}-\d{7,8}\d*)/g;
  var PHONE_RE = /^0\d{2,3}-\d{7,8}$/;

  /* the normalised href when url is an absolute http(s) URL, else null (javascript:, data:, garbage ...) */
  function safeHttpUrl(url) {
    try {
      var parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  /* className: "jlw-tel" in the widget, "tel" in the console */
  function telLink(phone, className) {
    var attrs = { href: "tel:" + phone.replace(/-/g, "") };
    if (className) {
      attrs.className = className;
    }
    attrs["aria-label"] = "拨打电话 " + phone;
    attrs.text = phone;
    return el("a", attrs);
  }

  /* a link opening in a new tab, or plain text when the URL is not a safe http(s) URL */
  function urlLink(url, label) {
    var href = safeHttpUrl(url);
    if (!href) {
      return document.createTextNode(label || url);
    }
    return el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: label || url });
  }

  /* text -> nodes appended to container; options.telClass: CSS class of the tel: links */
  function appendRich(container, text, options) {
    var telClass = (options && options.telClass) || "";
    String(text).split("\n").forEach(function (line, index) {
      if (index > 0) {
        container.appendChild(document.createElement("br"));
      }
      var last = 0;
      var match;
      TOKEN_RE.lastIndex = 0;
      while ((match = TOKEN_RE.exec(line)) !== null) {
        if (match.index > last) {
          container.appendChild(document.createTextNode(line.slice(last, match.index)));
        }
        if (match[1]) {
          var url = match[1].replace(/[.,;:!?)\]]+$/, "");
          container.appendChild(urlLink(url));
          container.appendChild(document.createTextNode(match[1].slice(url.length)));
        } else if (PHONE_RE.test(match[2])) {
          container.appendChild(telLink(match[2], telClass));
        } else {
          container.appendChild(document.createTextNode(match[2]));
        }
        last = match.index + match[0].length;
      }
      if (last < line.length) {
        container.appendChild(document.createTextNode(line.slice(last)));
      }
    });
  }

  window.JilinRichText = {
    el: el,
    safeHttpUrl: safeHttpUrl,
    telLink: telLink,
    urlLink: urlLink,
    appendRich: appendRich
  };
})();
