/*
 * The conversation as the citizen sees it (part of /widget.js): message rows with their time, 朗读 and, under the
 * latest substantive answer, 有用 / 没用; quick replies (in 长辈版 the first three, the rest behind 更多选项); and
 * the notice line under the header (清空's 撤销, 结束咨询's question, expiry).
 */
(function () {
  "use strict";

  var parts = (window.JilinWidgetParts = window.JilinWidgetParts || {});
  var rich = window.JilinRichText;
  var el = rich.el;
  var ELDER_QUICK_REPLIES = 3;
  var WELCOME_TEXT = "您好！我是吉林省失业保险金申领智能助手，可以为您解答申领条件、网上申领、现场办理，以及各地社会保险局的咨询电话。" +
    "请点击下面的问题，或直接输入您想问的内容。\n为保护您的隐私，请不要输入身份证号、银行卡号、手机号等个人信息。";
  /* the first three are the ones 长辈版 shows */
  var WELCOME_BUTTONS = [
    { title: "申领条件", payload: "/ask_eligibility" },
    { title: "现场办理", payload: "/ask_onsite_apply" },
    { title: "查社保局电话", payload: "/find_bureau" },
    { title: "网上申领", payload: "/ask_online_apply" }
  ];

  function timeLabel(ms) {
    var d = new Date(ms);
    var hm = ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
    return d.toDateString() === new Date().toDateString() ? hm : (d.getMonth() + 1) + "月" + d.getDate() + "日 " + hm;
  }

  /*
   * Messages({log, store, speech, sendFeedback, onQuickReply(payload, title), onFocusLost()})
   * Rows carry their message (row.jlwMessage); the welcome is not in the store.
   */
  function Messages(options) {
    this.log = options.log;
    this.options = options;
  }

  Messages.prototype.quickReplies = function (buttons) {
    var onQuickReply = this.options.onQuickReply;
    var group = el("div", { className: "jlw-buttons", role: "group", "aria-label": "可选问题" });
    buttons.forEach(function (button, i) {
      var b = el("button", { type: "button", className: "jlw-chip" + (i >= ELDER_QUICK_REPLIES ? " jlw-extra" : ""),
                             text: button.title });
      b.addEventListener("click", function () { onQuickReply(button.payload, button.title); });
      group.appendChild(b);
    });
    if (buttons.length > ELDER_QUICK_REPLIES) {
      var more = el("button", { type: "button", className: "jlw-chip jlw-more", "aria-expanded": "false",
                                text: "更多选项" });
      more.addEventListener("click", function () {
        group.setAttribute("data-expanded", "true");
        more.setAttribute("aria-expanded", "true");
        group.querySelector(".jlw-extra").focus();
      });
      group.appendChild(more);
    }
    return group;
  };

  Messages.prototype.render = function (msg) {
    var speech = this.options.speech;
    var who = msg.from === "user" ? "我" : msg.from === "bot" ? "助手" : "提示";
    var bubble = el("div", { className: "jlw-bubble", tabindex: "-1" }, [el("span", { className: "jlw-sr", text: who + "：" })]);
    rich.appendRich(bubble, msg.text || "", { telClass: "jlw-tel" });
    var row = el("div", { className: "jlw-msg jlw-from-" + msg.from }, [bubble]);
    row.jlwMessage = msg;
    if (msg.from === "system") {
      row.setAttribute("role", "alert");
    }
    var shown = msg.text || "";
    var links = (msg.links || []).filter(function (link) {
      return link && link.url && shown.indexOf(link.url) === -1;
    });
    if (links.length) {
      row.appendChild(el("div", { className: "jlw-links" }, links.map(function (link) {
        return rich.urlLink(link.url, link.title || link.url);
      })));
    }
    if (msg.buttons && msg.buttons.length) {
      row.appendChild(this.quickReplies(msg.buttons));
    }
    var meta = el("div", { className: "jlw-meta" }, [
      el("time", { datetime: new Date(msg.time).toISOString(), text: timeLabel(msg.time) })
    ]);
    if (msg.from === "bot") {
      var speak = el("button", { type: "button", className: "jlw-mini jlw-speak", text: "朗读" });
      speak.addEventListener("click", function () { speech.toggle(speak, msg.text); });
      meta.appendChild(speak);
    }
    row.appendChild(meta);
    return row;
  };

  Messages.prototype.rows = function () {
    return Array.prototype.slice.call(this.log.querySelectorAll(".jlw-msg:not(.jlw-typing)"));
  };

  /* all of it again: the welcome (at the conversation's start), then the stored conversation */
  Messages.prototype.renderAll = function (started) {
    var self = this;
    this.log.textContent = "";
    this.log.appendChild(this.render({ from: "bot", text: WELCOME_TEXT, buttons: WELCOME_BUTTONS, links: [],
                                       time: started }));
    this.options.store.state.messages.forEach(function (msg) {
      self.log.appendChild(self.render(msg));
    });
    this.refresh();
  };

  /*
   * Once the conversation moves on, older quick replies are disabled and 有用/没用 stays only under the latest
   * answer (the server rates the conversation's latest answer).
   */
  Messages.prototype.refresh = function () {
    var options = this.options;
    var store = options.store;
    var messages = store.state.messages;
    var lastUser = -1;
    messages.forEach(function (m, i) {
      if (m.from === "user") {
        lastUser = i;
      }
    });
    this.rows().forEach(function (row) {
      var msg = row.jlwMessage;
      var index = messages.indexOf(msg); /* -1 for the welcome and notes of the widget's own */
      var current = index > lastUser || (index === -1 && lastUser === -1 && msg.from !== "system");
      Array.prototype.forEach.call(row.querySelectorAll(".jlw-buttons button"), function (b) {
        if (!current && b === document.activeElement) {
          options.onFocusLost();
        }
        b.disabled = !current;
      });
      var helpful = row.querySelector(".jlw-helpful");
      var wanted = msg.feedback && (current || typeof msg.helpful === "boolean");
      if (wanted && !helpful) {
        row.querySelector(".jlw-meta").appendChild(
          parts.helpfulRow(msg, options.sendFeedback, function () { store.save(); }));
      } else if (!wanted && helpful) {
        helpful.parentNode.removeChild(helpful);
      }
    });
  };

  /* the start of the latest answer: the first message after the last one of the citizen's */
  Messages.prototype.latestStart = function () {
    var all = this.rows();
    var first = null;
    for (var i = all.length - 1; i >= 0 && all[i].jlwMessage.from !== "user"; i--) {
      first = all[i];
    }
    return first || all[all.length - 1];
  };

  /* the assistant is typing (or the browser is locating): a bubble at the end of the conversation */
  function typingRow() {
    return el("div", { className: "jlw-msg jlw-from-bot jlw-typing" }, [
      el("div", { className: "jlw-bubble" }, [
        el("span", { className: "jlw-dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]),
        el("span", { className: "jlw-typing-text", text: "助手正在输入…" })
      ])
    ]);
  }

  /* Notice(node, onDismissed): one line under the header, with buttons */
  function Notice(node, onDismissed) {
    this.node = node;
    this.onDismissed = onDismissed;
  }

  /* actions: [{label, run}]; focus: "button" (the first action), "notice" (the text, read first) or nothing */
  Notice.prototype.show = function (text, actions, focus) {
    var self = this;
    var node = this.node;
    node.textContent = "";
    node.appendChild(el("span", { className: "jlw-notice-text", text: text }));
    (actions || []).forEach(function (action) {
      var b = el("button", { type: "button", className: "jlw-notice-btn", text: action.label });
      b.addEventListener("click", action.run);
      node.appendChild(b);
    });
    var dismiss = el("button", { type: "button", className: "jlw-notice-btn", "aria-label": "关闭提示", text: "×" });
    dismiss.addEventListener("click", function () { self.hide(true); });
    node.appendChild(dismiss);
    node.hidden = false;
    if (focus === "button") {
      node.querySelector("button").focus();
    } else if (focus === "notice") {
      node.focus();
    }
  };

  /* hide it; focus goes on (onDismissed) when it was inside or the citizen closed it */
  Notice.prototype.hide = function (byCitizen) {
    var had = this.node.contains(document.activeElement);
    this.node.hidden = true;
    this.node.textContent = "";
    if (had || byCitizen) {
      this.onDismissed();
    }
  };

  /* open, and the citizen is not in it */
  Notice.prototype.idle = function () {
    return !this.node.hidden && !this.node.contains(document.activeElement);
  };

  parts.Messages = Messages;
  parts.typingRow = typingRow;
  parts.Notice = Notice;
})();
