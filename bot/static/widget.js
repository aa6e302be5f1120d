/*
 * 吉林省失业保险金申领智能咨询 - embeddable chat widget (vanilla JS, no dependencies, no CDN).
 *
 * Embed with one tag:
 *   <script src="https://HOST/widget.js" data-server="https://HOST"
 *           data-title="失业保险金智能咨询" data-color="#1d5fa8" defer></script>
 *
 * data-server  where /api/chat lives (default: the origin widget.js was loaded from)
 * data-title   panel title;  data-color  main colour (any CSS colour)
 *
 * The server serves /widget.js as bot/static/richtext.js (window.JilinRichText, shared with the staff console)
 * followed by this file, so embedding sites still need one tag.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var rich = window.JilinRichText;
  if (!script || !rich || window.__jilinUnemploymentWidget) {
    return;
  }
  window.__jilinUnemploymentWidget = true;

  var PROVINCE_PHONE = "0431-85821827";
  var MAX_CHARS = 500;
  var MAX_HISTORY = 200;
  var REQUEST_TIMEOUT_MS = 35000;
  var WELCOME = {
    from: "bot",
    text: "您好！我是吉林省失业保险金申领智能助手，可以为您解答申领条件、网上申领、现场办理，以及各地社会保险局的咨询电话。请点击下面的问题，或直接输入您想问的内容。",
    buttons: [
      { title: "申领条件", payload: "/ask_eligibility" },
      { title: "网上申领", payload: "/ask_online_apply" },
      { title: "现场办理", payload: "/ask_onsite_apply" },
      { title: "查社保局电话", payload: "/find_bureau" }
    ],
    links: []
  };

  var scriptUrl = new URL(script.src, window.location.href);
  var server = (script.getAttribute("data-server") || scriptUrl.origin).replace(/\/+$/, "");
  var title = script.getAttribute("data-title") || "失业保险金智能咨询";
  var color = script.getAttribute("data-color") || "";
  var storeKey = "jlw:v1:" + server;
  var openKey = "jlw:v1:open:" + server;

  /* ---------- storage (localStorage may be unavailable: private mode, disabled) ---------- */

  var memoryStore = {};
  function storeGet(storage, key) {
    try {
      return window[storage].getItem(key);
    } catch (e) {
      return Object.prototype.hasOwnProperty.call(memoryStore, key) ? memoryStore[key] : null;
    }
  }
  function storeSet(storage, key, value) {
    try {
      window[storage].setItem(key, value);
    } catch (e) {
      memoryStore[key] = value;
    }
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

  function loadState() {
    try {
      var state = JSON.parse(storeGet("localStorage", storeKey) || "null");
      if (state && /^[A-Za-z0-9_-]{1,64}$/.test(state.sender) && Array.isArray(state.messages)) {
        return state;
      }
    } catch (e) {
      /* corrupt history: start again */
    }
    return { sender: newSenderId(), messages: [] };
  }

  var state = loadState();
  function saveState() {
    if (state.messages.length > MAX_HISTORY) {
      state.messages = state.messages.slice(-MAX_HISTORY);
    }
    storeSet("localStorage", storeKey, JSON.stringify(state));
  }

  /* ---------- DOM helpers ---------- */

  /* el, appendRich, urlLink: bot/static/richtext.js, served in front of this file as one /widget.js */
  var el = rich.el;
  var urlLink = rich.urlLink;
  function appendRich(container, text) {
    rich.appendRich(container, text, { telClass: "jlw-tel" });
  }

  /* inline SVG icons: emoji fonts are often missing on office PCs */
  var ICONS = {
    chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
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

  /* ---------- build the widget ---------- */

  var css = el("link", { rel: "stylesheet", href: server + "/widget.css" });
  document.head.appendChild(css);

  var root = el("div", { className: "jlw", "data-open": "false" });
  if (color && window.CSS && CSS.supports && CSS.supports("color", color)) {
    root.style.setProperty("--jlw-color", color);
  }

  var launcher = el("button", {
    type: "button",
    className: "jlw-launcher",
    "aria-label": "打开在线咨询：" + title,
    "aria-expanded": "false",
    "aria-controls": "jlw-panel"
  }, [
    icon("chat"),
    el("span", { className: "jlw-launcher-text", text: "在线咨询" })
  ]);

  var closeBtn = el("button", { type: "button", className: "jlw-icon-btn jlw-close", "aria-label": "关闭咨询窗口", text: "×" });
  var clearBtn = el("button", { type: "button", className: "jlw-icon-btn jlw-clear", "aria-label": "清空聊天记录，开始新的对话", text: "清空" });
  var header = el("div", { className: "jlw-header" }, [
    el("h2", { className: "jlw-title", id: "jlw-title", text: title }),
    clearBtn,
    closeBtn
  ]);

  var log = el("div", {
    className: "jlw-log",
    role: "log",
    "aria-live": "polite",
    "aria-relevant": "additions",
    "aria-label": "对话记录",
    tabindex: "0"
  });
  var typing = el("div", { className: "jlw-typing", role: "status", "aria-live": "polite" });
  var typingDots = el("span", { className: "jlw-dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]);
  var typingText = el("span", { className: "jlw-sr", text: "" });
  typing.appendChild(typingDots);
  typing.appendChild(typingText);
  typing.hidden = true;

  var geoBtn = el("button", { type: "button", className: "jlw-chip jlw-geo", "aria-label": "附近的社保局：使用我的位置查找" }, [
    icon("pin"),
    document.createTextNode("附近的社保局")
  ]);
  var tools = el("div", { className: "jlw-tools" }, [geoBtn]);

  var input = el("input", {
    id: "jlw-input",
    className: "jlw-input",
    type: "text",
    maxlength: String(MAX_CHARS),
    autocomplete: "off",
    enterkeyhint: "send",
    "aria-label": "输入您的问题",
    placeholder: "请输入您的问题，如：珲春社保局电话"
  });
  var sendBtn = el("button", { type: "submit", className: "jlw-send", "aria-label": "发送消息", text: "发送" });
  var form = el("form", { className: "jlw-form", "aria-label": "发送消息" }, [input, sendBtn]);

  var panel = el("div", {
    id: "jlw-panel",
    className: "jlw-panel",
    role: "dialog",
    "aria-modal": "false",
    "aria-labelledby": "jlw-title"
  }, [header, log, typing, tools, form]);
  panel.hidden = true;

  root.appendChild(panel);
  root.appendChild(launcher);

  /* ---------- messages ---------- */

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function renderMessage(msg) {
    var who = msg.from === "user" ? "我" : msg.from === "bot" ? "助手" : "提示";
    var bubble = el("div", { className: "jlw-bubble" }, [el("span", { className: "jlw-sr", text: who + "：" })]);
    appendRich(bubble, msg.text || "");
    var row = el("div", { className: "jlw-msg jlw-from-" + msg.from }, [bubble]);
    if (msg.from === "system") {
      row.setAttribute("role", "alert");
    }
    var shown = msg.text || "";
    var links = (msg.links || []).filter(function (link) {
      return link && link.url && shown.indexOf(link.url) === -1;
    });
    if (links.length) {
      var linkBox = el("div", { className: "jlw-links" });
      links.forEach(function (link) {
        linkBox.appendChild(urlLink(link.url, link.title || link.url));
      });
      row.appendChild(linkBox);
    }
    if (msg.buttons && msg.buttons.length) {
      var group = el("div", { className: "jlw-buttons", role: "group", "aria-label": "可选问题" });
      msg.buttons.forEach(function (button) {
        var b = el("button", { type: "button", className: "jlw-chip", text: button.title });
        b.addEventListener("click", function () {
          send(button.payload, button.title, false);
        });
        group.appendChild(b);
      });
      row.appendChild(group);
    }
    log.appendChild(row);
    return row;
  }

  function addMessage(msg, persist) {
    var row = renderMessage(msg);
    if (persist !== false) {
      state.messages.push(msg);
      saveState();
    }
    scrollToEnd();
    return row;
  }

  function addSystem(text) {
    return addMessage({ from: "system", text: text, buttons: [], links: [] }, false);
  }

  function renderHistory() {
    log.textContent = "";
    if (!state.messages.length) {
      state.messages.push(WELCOME);
      saveState();
    }
    state.messages.forEach(renderMessage);
    scrollToEnd();
  }

  /* ---------- talking to the server ---------- */

  var pending = false;

  function setPending(on) {
    pending = on;
    typing.hidden = !on;
    typingText.textContent = on ? "助手正在输入…" : "";
    sendBtn.disabled = on;
    geoBtn.disabled = on;
    if (on) {
      scrollToEnd();
    }
  }

  function errorText(status, body) {
    if (body && typeof body.error === "string" && body.error) {
      return body.error;
    }
    if (status === 429) {
      return "您发送得太快了，请稍等片刻再试。";
    }
    return "服务暂时不可用，请稍后再试。如需帮助请拨打 " + PROVINCE_PHONE + "。";
  }

  function restoreInput(typed) {
    if (typed && !input.value) {
      input.value = typed;
    }
  }

  function send(message, display, typed) {
    var text = String(message || "").trim();
    if (!text || pending) {
      return;
    }
    if (text.length > MAX_CHARS) {
      addSystem("您的问题太长了，请控制在 " + MAX_CHARS + " 字以内。");
      return;
    }
    var typedText = typed ? text : "";
    var userMsg = { from: "user", text: display || text, buttons: [], links: [] };
    var row = addMessage(userMsg);
    if (typed) {
      input.value = "";
    }
    setPending(true);

    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;

    function undoUserMessage() {
      var i = state.messages.lastIndexOf(userMsg);
      if (i >= 0) {
        state.messages.splice(i, 1);
        saveState();
      }
      if (row.parentNode) {
        row.parentNode.removeChild(row);
      }
    }

    fetch(server + "/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.sender, message: text }),
      credentials: "omit",
      signal: controller ? controller.signal : undefined
    })
      .then(function (resp) {
        return resp.json().catch(function () { return null; }).then(function (body) {
          if (!resp.ok || !body || !Array.isArray(body.replies)) {
            undoUserMessage();
            restoreInput(typedText);
            addSystem(errorText(resp.status, body) + (typedText ? "（您输入的内容已保留在输入框中。）" : ""));
            return;
          }
          body.replies.forEach(function (reply) {
            addMessage({
              from: "bot",
              text: typeof reply.text === "string" ? reply.text : "",
              buttons: Array.isArray(reply.buttons) ? reply.buttons : [],
              links: Array.isArray(reply.links) ? reply.links : []
            });
          });
        });
      })
      .catch(function () {
        undoUserMessage();
        restoreInput(typedText);
        addSystem(
          "无法连接服务器，请检查网络后重试。" + (typedText ? "您输入的内容已保留在输入框中。" : "") +
          "如需帮助请拨打吉林省社会保险局咨询电话 " + PROVINCE_PHONE + "。"
        );
      })
      .then(function () {
        if (timer) {
          window.clearTimeout(timer);
        }
        setPending(false);
        if (!panel.hidden) {
          input.focus();
        }
      });
  }

  /* ---------- location ---------- */

  function shareLocation() {
    if (pending) {
      return;
    }
    if (!navigator.geolocation) {
      addSystem("您的浏览器不支持定位。请直接输入您所在的市、县或区（例如“珲春”），我来告诉您对应的社会保险局和电话。");
      return;
    }
    geoBtn.disabled = true;
    typingText.textContent = "正在获取您的位置…";
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        geoBtn.disabled = false;
        var coords = {
          latitude: Math.round(pos.coords.latitude * 100000) / 100000,
          longitude: Math.round(pos.coords.longitude * 100000) / 100000
        };
        send("/share_location" + JSON.stringify(coords), "我的位置（查找附近的社保局）", false);
      },
      function (err) {
        geoBtn.disabled = false;
        typingText.textContent = "";
        if (err && err.code === 1) {
          addSystem("您没有允许获取位置，所以无法查找附近的社保局。您可以在浏览器设置中允许定位后重试，或直接输入您所在的市、县或区（例如“珲春”）。");
        } else {
          addSystem("暂时无法获取您的位置。请直接输入您所在的市、县或区（例如“珲春”），我来告诉您对应的社会保险局和电话。");
        }
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  }

  /* ---------- open / close ---------- */

  function setOpen(open, focus) {
    panel.hidden = !open;
    root.setAttribute("data-open", open ? "true" : "false");
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    launcher.setAttribute("aria-label", (open ? "关闭在线咨询：" : "打开在线咨询：") + title);
    storeSet("sessionStorage", openKey, open ? "1" : "0");
    if (open) {
      scrollToEnd();
      if (focus) {
        input.focus();
      }
    } else if (focus) {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", function () {
    setOpen(panel.hidden, true);
  });
  closeBtn.addEventListener("click", function () {
    setOpen(false, true);
  });
  clearBtn.addEventListener("click", function () {
    state = { sender: newSenderId(), messages: [] };
    saveState();
    renderHistory();
    input.focus();
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false, true);
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.value, null, true);
  });
  geoBtn.addEventListener("click", shareLocation);

  function mount() {
    document.body.appendChild(root);
    renderHistory();
    if (storeGet("sessionStorage", openKey) === "1") {
      setOpen(true, false);
    }
  }

  if (document.body) {
    mount();
  } else {
    document.addEventListener("DOMContentLoaded", mount);
  }
})();
