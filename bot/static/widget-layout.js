/*
 * Where the conversation is scrolled, and the panel in small or changing viewports (part of /widget.js).
 *
 * - A new answer is shown from its first line (not scrolled to its end), and stays so when the viewport changes
 *   under it (a phone's keyboard opening, a rotation, zoom): the row at the top of the view is the anchor that every
 *   resize restores, until the citizen scrolls.
 * - Which element scrolls depends on the CSS: the message list itself, or on short screens (200 %/400 % zoom, a
 *   phone with its keyboard open) the whole panel, with the header kept in view (sticky).
 * - The panel follows the visual viewport (what the phone's keyboard leaves visible) through --jlw-vvh/--jlw-vvtop.
 * - A site-wide 适老化 toolbar that zooms or transforms <body> would take the fixed widget with it (off screen):
 *   the widget then moves itself next to <body>, where the toolbar's zoom does not reach.
 */
(function () {
  "use strict";

  var parts = (window.JilinWidgetParts = window.JilinWidgetParts || {});
  var GAP = 8; /* px left above the first line of an answer */

  function Layout(root, panel, log, header) {
    this.root = root;
    this.panel = panel;
    this.log = log;
    this.header = header;
    this.anchor = null; /* the row shown at the top of the message area */
    this.expected = null; /* scrollTop we set ourselves (its scroll event is not the citizen's) */
    this.frame = 0;
    var self = this;
    function onScroll(event) {
      if (event.target === self.scroller()) {
        self.scrolled();
      }
    }
    log.addEventListener("scroll", onScroll);
    panel.addEventListener("scroll", onScroll);
  }

  /* the element that scrolls the messages: the list, or (short screens) the panel */
  Layout.prototype.scroller = function () {
    return window.getComputedStyle(this.log).overflowY === "visible" ? this.panel : this.log;
  };

  /* the part of the scroller hidden under a sticky header */
  Layout.prototype.stickyTop = function (scroller) {
    return scroller === this.panel ? this.header.offsetHeight : 0;
  };

  Layout.prototype.rowTop = function (row, scroller) {
    return row.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
  };

  Layout.prototype.setScroll = function (scroller, top) {
    var max = scroller.scrollHeight - scroller.clientHeight;
    var value = Math.max(0, Math.min(Math.round(top), max));
    this.expected = value;
    scroller.scrollTop = value;
  };

  /* show row from its first line */
  Layout.prototype.showFrom = function (row) {
    if (!row || !row.isConnected || this.panel.hidden) {
      return;
    }
    var scroller = this.scroller();
    this.anchor = row;
    this.setScroll(scroller, this.rowTop(row, scroller) - this.stickyTop(scroller) - GAP);
  };

  /* show the end of the conversation (the question just sent and the typing indicator) */
  Layout.prototype.showEnd = function () {
    var scroller = this.scroller();
    this.anchor = null;
    this.setScroll(scroller, scroller.scrollHeight);
  };

  /* a scroll event: when the citizen scrolled, the row now at the top becomes the anchor */
  Layout.prototype.scrolled = function () {
    var scroller = this.scroller();
    if (this.expected !== null && Math.abs(scroller.scrollTop - this.expected) <= 2) {
      this.expected = null;
      return;
    }
    this.expected = null;
    var top = scroller.getBoundingClientRect().top + this.stickyTop(scroller);
    var rows = this.log.querySelectorAll(".jlw-msg");
    this.anchor = null;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getBoundingClientRect().bottom > top + GAP) {
        this.anchor = rows[i];
        break;
      }
    }
  };

  /* after a resize: follow the visual viewport, keep the anchor row at the top */
  Layout.prototype.refresh = function () {
    var vv = window.visualViewport;
    if (vv && Math.abs(vv.scale - 1) < 0.01) { /* a keyboard, not the citizen's pinch zoom */
      this.root.style.setProperty("--jlw-vvh", vv.height + "px");
      this.root.style.setProperty("--jlw-vvtop", vv.offsetTop + "px");
    } else {
      this.root.style.removeProperty("--jlw-vvh");
      this.root.style.removeProperty("--jlw-vvtop");
    }
    this.escapeZoomedBody();
    if (this.anchor) {
      this.showFrom(this.anchor);
    }
  };

  /* refresh once per frame, however many resize events arrive */
  Layout.prototype.schedule = function () {
    var self = this;
    if (!this.frame) {
      this.frame = window.requestAnimationFrame(function () {
        self.frame = 0;
        self.refresh();
      });
    }
  };

  function zoomed(node) {
    var style = window.getComputedStyle(node);
    return (style.transform && style.transform !== "none") || (style.zoom && style.zoom !== "1" && style.zoom !== "normal") ||
      (style.filter && style.filter !== "none") || (style.perspective && style.perspective !== "none");
  }

  /* position: fixed is relative to a transformed or zoomed <body>, not the screen: sit beside <body> then */
  Layout.prototype.escapeZoomedBody = function () {
    var body = document.body;
    var html = document.documentElement;
    if (!body) {
      return;
    }
    var outside = this.root.parentNode === html;
    var shouldBeOutside = zoomed(body);
    if (shouldBeOutside !== outside) {
      var focused = this.root.contains(document.activeElement) ? document.activeElement : null;
      (shouldBeOutside ? html : body).appendChild(this.root);
      if (focused) {
        focused.focus({ preventScroll: true });
      }
    }
  };

  /* watch resizes, the visual viewport and toolbars restyling <html>/<body> */
  Layout.prototype.watch = function () {
    var self = this;
    function later() { self.schedule(); }
    window.addEventListener("resize", later);
    if (window.visualViewport) {
      window.visualViewport.addEventListener("resize", later);
      window.visualViewport.addEventListener("scroll", later);
    }
    if (window.MutationObserver) {
      var observer = new MutationObserver(later);
      var options = { attributes: true, attributeFilter: ["style", "class"] };
      observer.observe(document.documentElement, options);
      if (document.body) {
        observer.observe(document.body, options);
      }
    }
    if (window.ResizeObserver) {
      var resized = new ResizeObserver(later);
      resized.observe(this.panel);
      resized.observe(this.log); /* a notice above it came or went */
    }
  };

  parts.Layout = Layout;
})();
