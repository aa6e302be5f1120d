/*
 * The widget's memory in the browser (part of /widget.js, see bot/widget_build.py): the conversation (sender id,
 * messages, when it was last used), which expires after a period of inactivity so that the next person at a shared
 * computer (a library, a 社区 service point) does not see it; the citizen's preferences (长辈版), which do not
 * expire; whether the panel is open in this tab.
 *
 * localStorage may be unavailable (private mode, disabled): the widget then keeps everything in memory.
 */
(function () {
  "use strict";

  var parts = (window.JilinWidgetParts = window.JilinWidgetParts || {});
  var memory = {};

  function storeGet(kind, key) {
    try {
      return window[kind].getItem(key);
    } catch (e) {
      return Object.prototype.hasOwnProperty.call(memory, kind + key) ? memory[kind + key] : null;
    }
  }

  function storeSet(kind, key, value) {
    try {
      window[kind].setItem(key, value);
    } catch (e) {
      memory[kind + key] = value;
    }
  }

  function storeRemove(kind, key) {
    try {
      window[kind].removeItem(key);
    } catch (e) {
      /* storage unavailable: only the memory copy exists */
    }
    delete memory[kind + key];
  }

  function newSenderId() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    var hex = "";
    for (var i = 0; i < bytes.length; i++) {
      hex += ("0" + bytes[i].toString(16)).slice(-2);
    }
    return "web_" + hex;
  }

  function isMessage(m) {
    return m && (m.from === "user" || m.from === "bot") && typeof m.text === "string" && typeof m.time === "number";
  }

  /*
   * Store(server, {expireMs, maxMessages}). state: {sender, messages, started, last, rating}
   *   messages: {from: "user"|"bot", text, buttons, links, time, feedback?: true, helpful?: bool}
   *   last: when the citizen last sent or received something (ms); rating: null, a level 1..5, or "skipped"
   */
  function Store(server, options) {
    this.key = "jlw:v2:" + server;
    this.prefsKey = "jlw:prefs:" + server;
    this.openKey = "jlw:v2:open:" + server;
    this.expireMs = options.expireMs;
    this.maxMessages = options.maxMessages;
    this.expiredOnLoad = false;
    storeRemove("localStorage", "jlw:v1:" + server); /* version 1 kept conversations for ever */
    this.state = this.load();
  }

  Store.prototype.fresh = function () {
    var now = Date.now();
    return { sender: newSenderId(), messages: [], started: now, last: now, rating: null };
  };

  Store.prototype.load = function () {
    var state = null;
    try {
      state = JSON.parse(storeGet("localStorage", this.key) || "null");
    } catch (e) {
      state = null; /* corrupt history: start again */
    }
    if (!state || !/^[A-Za-z0-9_-]{1,64}$/.test(state.sender) || !Array.isArray(state.messages) ||
        typeof state.last !== "number") {
      return this.fresh();
    }
    state.messages = state.messages.filter(isMessage);
    if (this.isExpired(state, Date.now())) {
      storeRemove("localStorage", this.key);
      this.expiredOnLoad = true;
      return this.fresh();
    }
    return state;
  };

  Store.prototype.isExpired = function (state, now) {
    return state.messages.length > 0 && now - state.last > this.expireMs;
  };

  /* true when the conversation has expired (the caller then resets it) */
  Store.prototype.expired = function () {
    return this.isExpired(this.state, Date.now());
  };

  Store.prototype.save = function () {
    var state = this.state;
    if (state.messages.length > this.maxMessages) {
      state.messages = state.messages.slice(-this.maxMessages);
    }
    if (!state.messages.length) {
      storeRemove("localStorage", this.key); /* nothing said yet: nothing to keep */
      return;
    }
    storeSet("localStorage", this.key, JSON.stringify(state));
  };

  /* the citizen did something: the inactivity period starts again */
  Store.prototype.touch = function () {
    this.state.last = Date.now();
    this.save();
  };

  /* a new conversation; returns the old state (for 撤销) */
  Store.prototype.reset = function () {
    var old = this.state;
    this.state = this.fresh();
    storeRemove("localStorage", this.key);
    return old;
  };

  Store.prototype.restore = function (old) {
    this.state = old;
    this.touch();
  };

  Store.prototype.pref = function (name) {
    try {
      var prefs = JSON.parse(storeGet("localStorage", this.prefsKey) || "{}");
      return prefs && typeof prefs === "object" ? prefs[name] : undefined;
    } catch (e) {
      return undefined;
    }
  };

  Store.prototype.setPref = function (name, value) {
    var prefs = {};
    try {
      prefs = JSON.parse(storeGet("localStorage", this.prefsKey) || "{}") || {};
    } catch (e) {
      prefs = {};
    }
    prefs[name] = value;
    storeSet("localStorage", this.prefsKey, JSON.stringify(prefs));
  };

  Store.prototype.wasOpen = function () {
    return storeGet("sessionStorage", this.openKey) === "1";
  };

  Store.prototype.setOpen = function (open) {
    storeSet("sessionStorage", this.openKey, open ? "1" : "0");
  };

  parts.Store = Store;
})();
