/*
 * 吉林省失业保险金申领智能咨询 - embeddable chat widget (vanilla JS, no dependencies, no CDN).
 *
 * Embed with one tag:
 *   <script src="https://HOST/widget.js" data-server="https://HOST"
 *           data-title="失业保险金智能咨询" data-color="#1d5fa8" defer></script>
 *
 * data-server           where /api/chat lives (default: the origin widget.js was loaded from)
 * data-title            panel title;  data-color  main colour (any CSS colour; text on it is chosen for contrast)
 * data-history-minutes  the conversation is forgotten by the browser after this many minutes without use [30]
 *
 * The server serves /widget.js as bot/static/richtext.js (shared with the staff console), the widget's parts
 * (widget-*.js, see WIDGET_JS_PARTS in bot/widget_build.py) and this file, and fills in SERVER_CONFIG below: the
 * province's phone from the guide, the server's limits.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var rich = window.JilinRichText;
  var parts = window.JilinWidgetParts;
  if (!script || !rich || !parts || window.__jilinUnemploymentWidget) {
    return;
  }
  window.__jilinUnemploymentWidget = true;

  var SERVER_CONFIG = {/* SERVER_CONFIG */};
  var PROVINCE = SERVER_CONFIG.province || { name: "", phone: "" };
  var MAX_CHARS = SERVER_CONFIG.maxChars || 500;
  var COMMENT_MAX = SERVER_CONFIG.commentMax || 200;
  var MAX_HISTORY = 200;
  var REQUEST_TIMEOUT_MS = 35000;
  var FEEDBACK_TIMEOUT_MS = 10000;
  /* an answer with a 依据 line, a phone number or a link gets 有用/没用 (not a greeting, not a question back) */
  var SUBSTANTIVE_RE = /依据：|0\d{2,3}-\d{7,8}|https?:\/\//;
  /* the citizen says thanks or goodbye: the conversation has come to its end, time to ask for a rating */
  var CLOSING_RE = /谢谢|多谢|感谢|再见|拜拜|没有了|没别的|就这些/;
  var scriptUrl = new URL(script.src, window.location.href);
  var server = (script.getAttribute("data-server") || scriptUrl.origin).replace(/\/+$/, "");
  var title = script.getAttribute("data-title") || "失业保险金智能咨询";
  var color = script.getAttribute("data-color") || "";
  var minutes = parseInt(script.getAttribute("data-history-minutes") || "", 10);
  minutes = minutes > 0 ? minutes : 30;

  var store = new parts.Store(server, { expireMs: minutes * 60000, maxMessages: MAX_HISTORY });
  var el = rich.el;
  var icon = parts.icon;
  var coarse = window.matchMedia ? window.matchMedia("(pointer: coarse)") : { matches: false };

  function helpLine() {
    return PROVINCE.phone ? "如需帮助请拨打" + PROVINCE.name + "咨询电话 " + PROVINCE.phone + "。" : "";
  }

  /* ---------- build the widget ---------- */

  document.head.appendChild(el("link", { rel: "stylesheet", href: server + "/widget.css" }));

  var root = el("div", { className: "jlw", "data-open": "false", "data-elder": "false", "data-speech": "false" });
  var launcherIcon = el("span", { className: "jlw-launcher-icon" }, [icon("chat")]);
  var launcherText = el("span", { className: "jlw-launcher-text", text: "在线咨询" });
  var launcher = el("button", { type: "button", className: "jlw-launcher", "aria-expanded": "false",
                                "aria-controls": "jlw-panel" },
                    [launcherIcon, launcherText, el("span", { className: "jlw-sr", text: "：" + title })]);

  var heading = el("h2", { className: "jlw-title", id: "jlw-title", tabindex: "-1", text: title });
  var elderBtn = el("button", { type: "button", className: "jlw-hbtn jlw-elder", "aria-pressed": "false",
                                title: "大字、大按钮、高对比度" }, [document.createTextNode("长辈版")]);
  var clearBtn = el("button", { type: "button", className: "jlw-hbtn jlw-clear", "aria-label": "清空聊天记录",
                                text: "清空" });
  var closeBtn = el("button", { type: "button", className: "jlw-hbtn jlw-close", "aria-label": "关闭咨询窗口" },
                    [el("span", { className: "jlw-x", "aria-hidden": "true", text: "×" })]);
  var header = el("div", { className: "jlw-header" }, [heading, elderBtn, clearBtn, closeBtn]);
  var noticeNode = el("div", { className: "jlw-notice", role: "status", tabindex: "-1" });
  noticeNode.hidden = true;

  var log = el("div", { className: "jlw-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
                        "aria-label": "对话记录", tabindex: "0" });
  var typing = parts.typingRow();

  var geoBtn = el("button", { type: "button", className: "jlw-tool jlw-geo", "aria-label": "附近的社保局：使用我的位置查找" },
                  [icon("pin"), document.createTextNode("附近的社保局")]);
  var endBtn = el("button", { type: "button", className: "jlw-tool jlw-end", text: "结束咨询" });
  var tools = el("div", { className: "jlw-tools" }, [geoBtn, endBtn]);

  var input = el("input", { id: "jlw-input", className: "jlw-input", type: "text", maxlength: String(MAX_CHARS),
                            autocomplete: "off", enterkeyhint: "send", "aria-label": "输入您的问题",
                            placeholder: "输入问题，如：珲春社保局电话" });
  var sendBtn = el("button", { type: "submit", className: "jlw-send", text: "发送" });
  var form = el("form", { className: "jlw-form", "aria-label": "发送消息" }, [input, sendBtn]);

  var panel = el("div", { id: "jlw-panel", className: "jlw-panel", role: "dialog", "aria-modal": "false",
                          "aria-labelledby": "jlw-title" }, [header, noticeNode, log, tools, form]);
  panel.hidden = true;
  var floatSlot = el("div", { className: "jlw-float" });
  floatSlot.hidden = true;
  root.appendChild(panel);
  root.appendChild(floatSlot);
  root.appendChild(launcher);

  var layout = new parts.Layout(root, panel, log, header);
  var speech = new parts.Speech(function (available) {
    root.setAttribute("data-speech", available ? "true" : "false");
  });

  function postFeedback(body) {
    body.sender = store.state.sender;
    return parts.postJSON(server + "/api/feedback", body, FEEDBACK_TIMEOUT_MS);
  }

  /* where focus goes after an action inside the panel: the input, but on phones not (it would open the keyboard) */
  function focusAfterAction() {
    if (coarse.matches) {
      log.focus({ preventScroll: true });
    } else {
      input.focus({ preventScroll: true });
    }
  }

  var notice = new parts.Notice(noticeNode, focusAfterAction);
  var rating = new parts.Rating({
    store: store,
    send: postFeedback,
    commentMax: COMMENT_MAX,
    floatSlot: floatSlot,
    launcher: launcher,
    onInlineDone: focusAfterAction
  });
  var session = new parts.Session({
    store: store,
    notice: notice,
    rating: rating,
    speech: speech,
    render: showConversation,
    server: server,
    helpLine: helpLine,
    minutes: minutes,
    busy: function () { return pending; },
    clearBtn: clearBtn
  });
  var messages = new parts.Messages({
    log: log,
    store: store,
    speech: speech,
    sendFeedback: postFeedback,
    onQuickReply: function (payload, shown) { send(payload, shown, false); },
    onFocusLost: focusAfterAction
  });

  /* ---------- messages ---------- */

  /* the welcome and the stored conversation, its latest answer from its start */
  function showConversation() {
    messages.renderAll(store.state.started);
    layout.showFrom(messages.latestStart());
  }

  function addMessage(msg) {
    var row = messages.render(msg);
    log.insertBefore(row, typing.parentNode === log ? typing : null);
    if (msg.from !== "system") {
      store.state.messages.push(msg);
      store.touch();
    }
    return row;
  }

  function addSystem(text) {
    var row = addMessage({ from: "system", text: text, buttons: [], links: [], time: Date.now() });
    layout.showFrom(row);
    return row;
  }

  /* ---------- talking to the server ---------- */

  var pending = false;

  function setPending(on, text) {
    pending = on;
    sendBtn.disabled = on;
    geoBtn.disabled = on;
    endBtn.disabled = on;
    if (on) {
      typing.querySelector(".jlw-typing-text").textContent = text || "助手正在输入…";
      log.appendChild(typing);
      layout.showEnd();
    } else if (typing.parentNode) {
      typing.parentNode.removeChild(typing);
    }
  }

  function errorText(status, body) {
    if (body && typeof body.error === "string" && body.error) {
      return body.error;
    }
    if (status === 429) {
      return "您发送得太快了，请稍等片刻再试。";
    }
    return "服务暂时不可用，请稍后再试。" + helpLine();
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
    session.checkExpiry();
    if (notice.idle()) {
      notice.hide(false);
    }
    if (rating.isIn(log)) {
      rating.hide(); /* kept with its choice: offered again when the panel closes */
    }
    var userMsg = { from: "user", text: display || text, buttons: [], links: [], time: Date.now() };
    var userRow = addMessage(userMsg);
    if (typed) {
      input.value = "";
    }
    messages.refresh();
    setPending(true);

    function undo(reason) {
      var i = store.state.messages.lastIndexOf(userMsg);
      if (i >= 0) {
        store.state.messages.splice(i, 1);
        store.save();
      }
      if (userRow.parentNode) {
        userRow.parentNode.removeChild(userRow);
      }
      if (typed && !input.value) {
        input.value = text;
      }
      setPending(false);
      messages.refresh();
      addSystem(reason + (typed ? "（您输入的内容已保留在输入框中。）" : ""));
    }

    parts.postJSON(server + "/api/chat", { sender: store.state.sender, message: text }, REQUEST_TIMEOUT_MS)
      .then(function (result) {
        if (result.status === 0) {
          undo("无法连接服务器，请检查网络后重试。" + helpLine());
          return;
        }
        if (!result.ok || !result.body || !Array.isArray(result.body.replies) || !result.body.replies.length) {
          undo(errorText(result.status, result.body));
          return;
        }
        setPending(false);
        var added = result.body.replies.map(function (reply) {
          return addMessage({
            from: "bot",
            text: typeof reply.text === "string" ? reply.text : "",
            buttons: Array.isArray(reply.buttons) ? reply.buttons : [],
            links: Array.isArray(reply.links) ? reply.links : [],
            time: Date.now()
          });
        });
        var last = added[added.length - 1].jlwMessage;
        last.feedback = added.some(function (row) { return SUBSTANTIVE_RE.test(row.jlwMessage.text); }) || undefined;
        store.save();
        messages.refresh();
        if (typed && CLOSING_RE.test(text) && rating.due()) {
          rating.showIn(log);
        }
        layout.showFrom(added[0]);
      })
      .then(function () {
        if (panel.hidden) {
          return;
        }
        if (typed || !coarse.matches) {
          input.focus({ preventScroll: true });
        } else {
          messages.latestStart().querySelector(".jlw-bubble").focus({ preventScroll: true });
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
    setPending(true, "正在获取您的位置…");
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        setPending(false);
        var coords = {
          latitude: Math.round(pos.coords.latitude * 100000) / 100000,
          longitude: Math.round(pos.coords.longitude * 100000) / 100000
        };
        send("/share_location" + JSON.stringify(coords), "我的位置（查找附近的社保局）", false);
      },
      function (err) {
        setPending(false);
        if (err && err.code === 1) {
          addSystem("您没有允许获取位置，所以无法查找附近的社保局。您可以在浏览器设置中允许定位后重试，或直接输入您所在的市、县或区（例如“珲春”）。");
        } else {
          addSystem("暂时无法获取您的位置。请直接输入您所在的市、县或区（例如“珲春”），我来告诉您对应的社会保险局和电话。");
        }
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  }

  /* ---------- 长辈版 ---------- */

  function setElder(on, save) {
    root.setAttribute("data-elder", on ? "true" : "false");
    elderBtn.setAttribute("aria-pressed", on ? "true" : "false");
    if (save) {
      store.setPref("elder", on);
    }
    layout.schedule();
  }

  /* ---------- open / close ---------- */

  function setOpen(open, focus) {
    panel.hidden = !open;
    root.setAttribute("data-open", open ? "true" : "false");
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    launcherText.textContent = open ? "收起咨询" : "在线咨询";
    launcherIcon.replaceChild(icon(open ? "down" : "chat"), launcherIcon.firstChild);
    store.setOpen(open);
    if (open) {
      session.checkExpiry();
      if (rating.isIn(floatSlot)) {
        rating.hide();
      }
      layout.refresh();
      layout.showFrom(messages.latestStart());
      if (focus) {
        (coarse.matches ? heading : input).focus({ preventScroll: true });
      }
      return;
    }
    speech.stop();
    if (rating.due()) {
      var card = rating.showIn(floatSlot);
      if (focus) {
        card.focus();
      }
    } else if (focus) {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", function () { setOpen(panel.hidden, true); });
  closeBtn.addEventListener("click", function () { setOpen(false, true); });
  clearBtn.addEventListener("click", function () { session.clear(); });
  endBtn.addEventListener("click", function () { session.end(); });
  elderBtn.addEventListener("click", function () {
    setElder(elderBtn.getAttribute("aria-pressed") !== "true", true);
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
    parts.applyColor(root, color);
    setElder(store.pref("elder") === true, false);
    showConversation();
    if (store.expiredOnLoad) {
      session.expiredNotice();
    }
    layout.watch();
    window.setInterval(function () { session.checkExpiry(); }, 30000);
    if (store.wasOpen()) {
      setOpen(true, false);
    }
  }

  if (document.body) {
    mount();
  } else {
    document.addEventListener("DOMContentLoaded", mount);
  }
})();
