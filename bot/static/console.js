/* Hotline staff console (vanilla JS), part 1 of 3: login, the API, keyboard shortcuts, directory, unanswered list.
 * console-ask.js (the question panel) and console-cases.js (咨询编号, bad ratings, audit) add to window.JilinConsole.
 * A staff member logs in with an account (an HttpOnly session cookie the page never sees); a machine or an admin
 * may use the console token instead, kept in sessionStorage only and sent as a Bearer header. */
(function () {
  "use strict";

  var TOKEN_KEY = "jlc:token";
  var SESSION_KEY = "jlc:session";

  function $(id) {
    return document.getElementById(id);
  }

  /* el, urlLink, telLink, appendRich: bot/static/richtext.js (loaded first by console.html) */
  var rich = window.JilinRichText;

  function storage(op, key, value) {
    try {
      if (op === "get") {
        return window.sessionStorage.getItem(key);
      }
      if (op === "set") {
        window.sessionStorage.setItem(key, value);
      } else {
        window.sessionStorage.removeItem(key);
      }
    } catch (e) {
      /* storage disabled: the token is then asked again after a reload */
    }
    return null;
  }

  function randomId() {
    var bytes = new Uint8Array(8);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  var C = window.JilinConsole = {
    $: $,
    el: rich.el,
    urlLink: rich.urlLink,
    telLink: function (phone) { return rich.telLink(phone, "tel"); },
    appendRich: function (container, text) { rich.appendRich(container, text, { telClass: "tel" }); },
    pct: function (value) { return typeof value === "number" ? (value * 100).toFixed(1) + "%" : "—"; },
    when: function (iso) { return String(iso || "").replace("T", " ").slice(0, 16); },
    token: storage("get", TOKEN_KEY) || "",
    session: storage("get", SESSION_KEY) || randomId(),
    user: null,
    onLogin: [],  /* called with the session ({user, role, via}) after every login */
    shortcuts: {}  /* KeyboardEvent.code -> function, with Alt */
  };
  storage("set", SESSION_KEY, C.session);

  /* ---------- API ---------- */

  C.api = function (path, options) {
    options = options || {};
    var headers = {};
    if (C.token) {
      headers.Authorization = "Bearer " + C.token;
    }
    if (options.body) {
      headers["Content-Type"] = "application/json";
    }
    return fetch(path, {
      method: options.method || "GET",
      headers: headers,
      body: options.body ? JSON.stringify(options.body) : undefined,
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) {
        if (resp.status === 401 && !options.login) {
          showLogin("登录已失效，请重新登录。");
          throw new Error(data.error || "需要登录");
        }
        if (!resp.ok) {
          throw new Error(data.error || "请求失败（HTTP " + resp.status + "）");
        }
        return data;
      });
    }, function () {
      throw new Error("无法连接服务器，请检查网络。");
    });
  };

  /* ---------- login ---------- */

  function showApp(on) {
    $("login-view").hidden = on;
    $("app-view").hidden = !on;
    $("bar-actions").hidden = !on;
  }

  function showLogin(message) {
    C.token = "";
    C.user = null;
    storage("remove", TOKEN_KEY);
    showApp(false);
    $("login-error").textContent = message || "";
    $("username").focus();
  }

  function afterLogin(who) {
    C.user = who;
    $("whoami").textContent = who.via === "token" ? "令牌登录" : who.user + (who.role === "admin" ? "（管理员）" : "");
    showApp(true);
    $("handoff-code").focus();
    loadUnanswered();
    C.onLogin.forEach(function (fn) { fn(who); });
  }

  function checkSession() {
    return C.api("/console/api/session", { login: true }).then(afterLogin);
  }

  $("login-form").addEventListener("submit", function (event) {
    event.preventDefault();
    $("login-error").textContent = "";
    C.token = "";
    storage("remove", TOKEN_KEY);
    var body = { username: $("username").value.trim(), password: $("password").value };
    C.api("/console/api/login", { method: "POST", body: body, login: true }).then(function () {
      $("password").value = "";
      return checkSession();
    }).catch(function (err) {
      $("login-error").textContent = err.message;
      $("password").select();
    });
  });

  $("token-form").addEventListener("submit", function (event) {
    event.preventDefault();
    C.token = $("token").value.trim();
    $("login-error").textContent = "";
    checkSession().then(function () {
      storage("set", TOKEN_KEY, C.token);
      $("token").value = "";
    }, function (err) {
      C.token = "";
      $("login-error").textContent = err.message === "需要登录" ? "令牌不正确。" : err.message;
    });
  });

  $("logout").addEventListener("click", function () {
    var wasToken = !!C.token;
    C.token = "";
    (wasToken ? Promise.resolve() : C.api("/console/api/logout", { method: "POST", login: true }))
      .catch(function () { /* the cookie expires anyway */ })
      .then(function () { showLogin("您已退出。"); });
  });

  function newSession() {
    C.session = randomId();
    storage("set", SESSION_KEY, C.session);
    $("ask-status").textContent = "已开始新对话（上下文已清空）。";
    $("turns").textContent = "";
    $("question").focus();
  }
  $("new-session").addEventListener("click", newSession);

  /* ---------- keyboard: Alt+K 咨询编号, Alt+Q 问题, Alt+R 读给来电人, Alt+N 新对话; "/" also goes to 问题 ---------- */

  C.shortcuts.KeyK = function () { $("handoff-code").focus(); $("handoff-code").select(); };
  C.shortcuts.KeyQ = function () { $("question").focus(); $("question").select(); };
  C.shortcuts.KeyN = newSession;

  document.addEventListener("keydown", function (event) {
    if ($("app-view").hidden) {
      return;
    }
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
    var action = event.altKey && !event.ctrlKey && !event.metaKey ? C.shortcuts[event.code] : null;
    if (!action && event.key === "/" && !typing) {
      action = C.shortcuts.KeyQ;
    }
    if (action) {
      event.preventDefault();
      action();
    }
  });

  /* ---------- a conversation: its turns and the facts gathered (question panel and 咨询编号 alike) ---------- */

  var FACTS = [
    ["contribution_said", "缴费时长（市民原话）"], ["contribution_months", "缴费时长（按月计，至少）"],
    ["leave_reason", "离职原因"], ["paid_by", "缴费情况"], ["employment", "就业状态"],
    ["insured_place", "最后参保地"], ["residence_place", "现居住地"], ["bureau_name", "社保局"],
    ["bureau_phone", "社保局电话"], ["bureau_region", "地区"], ["contact", "建议联系"]
  ];
  var VALUES = {
    voluntary: "本人意愿离职（辞职等）", involuntary: "非本人意愿中断就业（被辞退、单位倒闭等）",
    employer_never_paid: "单位从未缴费", employer_stopped: "单位已停缴", self_paid: "本人自行缴费",
    never_paid: "从未缴费", still_employed: "仍在职", unemployed: "已失业"
  };

  C.renderFacts = function (dl, facts) {
    dl.textContent = "";
    var shown = FACTS.filter(function (f) { return facts && facts[f[0]] !== undefined && facts[f[0]] !== null; });
    if (!shown.length) {
      dl.appendChild(C.el("dd", { text: "（助手还没有了解到具体情况）" }));
    }
    shown.forEach(function (f) {
      var value = facts[f[0]];
      var dd = C.el("dd", {});
      C.appendRich(dd, VALUES[value] || String(value));
      dl.appendChild(C.el("dt", { text: f[1] }));
      dl.appendChild(dd);
    });
  };

  C.renderTurns = function (list, turns) {
    list.textContent = "";
    (turns || []).forEach(function (t) {
      var text = C.el("div", { className: "turn-text" });
      C.appendRich(text, t.text || "");
      list.appendChild(C.el("li", { className: "turn " + (t.who === "user" ? "user" : "bot") }, [
        C.el("span", { className: "who", text: (t.who === "user" ? "市民" : "助手") + " " + C.when(t.time).slice(11) }),
        text
      ]));
    });
  };

  /* ---------- directory ---------- */

  var dirTimer = null;
  var dirSeq = 0;
  $("dir-query").addEventListener("input", function () {
    window.clearTimeout(dirTimer);
    dirTimer = window.setTimeout(searchDirectory, 150);
  });

  function searchDirectory() {
    var q = $("dir-query").value.trim();
    var list = $("dir-results");
    var seq = ++dirSeq;
    if (!q) {
      list.textContent = "";
      $("dir-status").textContent = "";
      return;
    }
    C.api("/console/api/offices?q=" + encodeURIComponent(q)).then(function (data) {
      if (seq !== dirSeq) {
        return;
      }
      list.textContent = "";
      (data.results || []).forEach(function (m) {
        list.appendChild(C.el("li", {}, [
          C.el("strong", { text: m.bureau + "  " }),
          C.telLink(m.phone),
          C.el("span", { className: "meta", text: [m.region, m.place ? "匹配：" + m.place : ""].filter(Boolean).join(" · ") })
        ]));
      });
      $("dir-status").textContent = (data.results || []).length ? "找到 " + data.results.length + " 条" : "没有找到匹配的社保局";
    }, function (err) {
      if (seq === dirSeq) {
        $("dir-status").textContent = err.message;
      }
    });
  }

  /* ---------- unanswered ---------- */

  function loadUnanswered() {
    $("un-status").textContent = "正在读取…";
    C.api("/console/api/unanswered?limit=100").then(function (data) {
      var rows = $("un-rows");
      rows.textContent = "";
      (data.items || []).forEach(function (item) {
        rows.appendChild(C.el("tr", {}, [
          C.el("td", { text: (item.time || "").replace("T", " ").slice(0, 19) }),
          C.el("td", { text: item.text }),
          C.el("td", { text: item.intent || "" }),
          C.el("td", { text: C.pct(item.confidence) }),
          C.el("td", { text: String(item.count || 1) })
        ]));
      });
      $("un-status").textContent = data.note || ("共 " + (data.items || []).length + " 条（置信度阈值 " + C.pct(data.threshold) + "）");
    }, function (err) {
      $("un-status").textContent = err.message;
    });
  }

  $("un-refresh").addEventListener("click", loadUnanswered);

  /* ---------- start: after console-ask.js and console-cases.js have added their parts ---------- */

  document.addEventListener("DOMContentLoaded", function () {
    checkSession().catch(function () { showLogin(""); });
  });
})();
