/* Hotline staff console (vanilla JS). The token lives in sessionStorage only and is sent as a Bearer header. */
(function () {
  "use strict";

  var TOKEN_KEY = "jlc:token";
  var SESSION_KEY = "jlc:session";
  var LOW_CONFIDENCE = 0.6;

  function $(id) {
    return document.getElementById(id);
  }

  /* el, urlLink, telLink, appendRich: bot/static/richtext.js (loaded first by console.html) */
  var rich = window.JilinRichText;
  var el = rich.el;
  var urlLink = rich.urlLink;

  function telLink(phone) {
    return rich.telLink(phone, "tel");
  }

  function appendRich(container, text) {
    rich.appendRich(container, text, { telClass: "tel" });
  }

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

  var token = storage("get", TOKEN_KEY) || "";
  var session = storage("get", SESSION_KEY) || randomId();
  storage("set", SESSION_KEY, session);
  var lastAnswer = "";

  function pct(value) {
    return typeof value === "number" ? (value * 100).toFixed(1) + "%" : "—";
  }

  /* ---------- API ---------- */

  function api(path, options) {
    options = options || {};
    var headers = { Authorization: "Bearer " + token };
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
        if (resp.status === 401) {
          logout("登录已失效或令牌不正确，请重新登录。");
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
  }

  /* ---------- login ---------- */

  function showApp(on) {
    $("login-view").hidden = on;
    $("app-view").hidden = !on;
    $("bar-actions").hidden = !on;
  }

  function logout(message) {
    token = "";
    storage("remove", TOKEN_KEY);
    showApp(false);
    $("login-error").textContent = message || "";
    $("token").focus();
  }

  function afterLogin() {
    showApp(true);
    $("question").focus();
    loadUnanswered();
  }

  $("login-form").addEventListener("submit", function (event) {
    event.preventDefault();
    token = $("token").value.trim();
    $("login-error").textContent = "";
    api("/console/api/session").then(function () {
      storage("set", TOKEN_KEY, token);
      $("token").value = "";
      afterLogin();
    }, function (err) {
      $("login-error").textContent = err.message;
    });
  });

  $("logout").addEventListener("click", function () {
    logout("您已退出。");
  });

  $("new-session").addEventListener("click", function () {
    session = randomId();
    storage("set", SESSION_KEY, session);
    $("ask-status").textContent = "已开始新对话（上下文已清空）。";
    $("question").focus();
  });

  /* ---------- ask ---------- */

  function renderAnswer(data) {
    var box = $("answer");
    box.textContent = "";
    (data.replies || []).forEach(function (reply) {
      var item = el("div", { className: "reply" });
      appendRich(item, reply.text || "");
      var shown = reply.text || "";
      (reply.links || []).forEach(function (link) {
        if (link.url && shown.indexOf(link.url) === -1) {
          item.appendChild(el("div", {}, [urlLink(link.url, link.title)]));
        }
      });
      if (reply.buttons && reply.buttons.length) {
        var chips = el("div", { className: "chips", role: "group", "aria-label": "市民可点击的按钮" });
        reply.buttons.forEach(function (b) {
          var chip = el("button", { type: "button", className: "chip", title: "按钮内容：" + b.payload, text: b.title });
          chip.addEventListener("click", function () {
            ask(b.payload);
          });
          chips.appendChild(chip);
        });
        item.appendChild(chips);
      }
      box.appendChild(item);
    });
  }

  function renderNlu(nlu) {
    var intent = $("intent");
    var ranking = $("ranking");
    var entities = $("entities");
    intent.textContent = "";
    ranking.textContent = "";
    entities.textContent = "";
    if (!nlu) {
      intent.textContent = "（无法获取）";
      return;
    }
    var conf = nlu.intent && nlu.intent.confidence;
    var name = (nlu.intent && nlu.intent.name) || "（无）";
    intent.appendChild(el("span", { className: "intent-name", text: name }));
    var low = name === "nlu_fallback" || (typeof conf === "number" && conf < LOW_CONFIDENCE);
    intent.appendChild(el("span", { className: low ? "low" : "", text: "  置信度 " + pct(conf) + (low ? "（偏低）" : "") }));
    (nlu.ranking || []).forEach(function (r) {
      var width = typeof r.confidence === "number" ? Math.max(0, Math.min(100, r.confidence * 100)) : 0;
      var fg = el("span", { className: "bar-fg" });
      fg.style.width = width + "%";
      ranking.appendChild(el("li", {}, [
        el("span", { className: "intent-name", text: r.name || "" }),
        el("span", { className: "bar-bg", "aria-hidden": "true" }, [fg]),
        pct(r.confidence)
      ]));
    });
    if (!nlu.entities || !nlu.entities.length) {
      entities.appendChild(el("li", { text: "（无）" }));
    }
    (nlu.entities || []).forEach(function (e) {
      entities.appendChild(el("li", { text: e.entity + " = " + e.value + (e.extractor ? "（" + e.extractor + "）" : "") }));
    });
  }

  function bureauItem(m) {
    return el("div", { className: "bureau-item" }, [
      el("strong", { text: m.bureau }),
      telLink(m.phone),
      el("span", { className: "meta", text: "  " + [m.region, m.place].filter(Boolean).join(" · ") })
    ]);
  }

  function renderLookup(lookup) {
    var box = $("bureau");
    box.textContent = "";
    if (!lookup) {
      box.appendChild(el("p", { text: "（知识库暂时不可用）" }));
      return;
    }
    var labels = { found: "已匹配", ambiguous: "有多个可能", not_found: "问题中没有识别出地名", outside_jilin: "不在吉林省" };
    box.appendChild(el("p", { text: (labels[lookup.status] || lookup.status) + (lookup.message ? "：" + lookup.message : "") }));
    (lookup.matches || []).slice(0, 8).forEach(function (m) {
      box.appendChild(bureauItem(m));
    });
  }

  function renderBasis(basis) {
    var box = $("basis");
    box.textContent = "";
    if (!basis || !basis.length) {
      box.appendChild(el("p", { text: "（答复中没有“依据”说明）" }));
      return;
    }
    basis.forEach(function (b) {
      box.appendChild(el("div", { className: "basis" }, [
        el("strong", { text: b.citation }),
        el("pre", { text: b.excerpt || "" })
      ]));
    });
  }

  function ask(question) {
    question = String(question || "").trim();
    if (!question) {
      $("ask-status").textContent = "请输入问题。";
      return;
    }
    $("ask-button").disabled = true;
    $("ask-status").textContent = "正在查询…";
    $("copy-status").textContent = "";
    api("/console/api/ask", { method: "POST", body: { question: question, session: session } }).then(function (data) {
      lastAnswer = data.answer_text || "";
      renderAnswer(data);
      renderNlu(data.nlu);
      renderLookup(data.lookup);
      renderBasis(data.basis);
      var warnings = $("warnings");
      warnings.textContent = "";
      (data.warnings || []).forEach(function (w) {
        warnings.appendChild(el("li", { text: w }));
      });
      $("result").hidden = false;
      $("ask-status").textContent = "问题：" + data.question;
    }, function (err) {
      $("ask-status").textContent = err.message;
    }).then(function () {
      $("ask-button").disabled = false;
    });
  }

  $("ask-form").addEventListener("submit", function (event) {
    event.preventDefault();
    ask($("question").value);
  });

  /* ---------- copy ---------- */

  function fallbackCopy(text) {
    var area = el("textarea", { "aria-hidden": "true" });
    area.value = text;
    area.className = "offscreen";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  }

  $("copy-answer").addEventListener("click", function () {
    if (!lastAnswer) {
      return;
    }
    var done = function () { $("copy-status").textContent = "答复已复制到剪贴板。"; };
    var failed = function () { $("copy-status").textContent = "复制失败，请手动选择文字复制。"; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(lastAnswer).then(done, function () {
        if (fallbackCopy(lastAnswer)) { done(); } else { failed(); }
      });
    } else if (fallbackCopy(lastAnswer)) {
      done();
    } else {
      failed();
    }
  });

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
    api("/console/api/offices?q=" + encodeURIComponent(q)).then(function (data) {
      if (seq !== dirSeq) {
        return;
      }
      list.textContent = "";
      (data.results || []).forEach(function (m) {
        list.appendChild(el("li", {}, [
          el("strong", { text: m.bureau + "  " }),
          telLink(m.phone),
          el("span", { className: "meta", text: [m.region, m.place ? "匹配：" + m.place : ""].filter(Boolean).join(" · ") })
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
    api("/console/api/unanswered?limit=100").then(function (data) {
      var rows = $("un-rows");
      rows.textContent = "";
      (data.items || []).forEach(function (item) {
        rows.appendChild(el("tr", {}, [
          el("td", { text: (item.time || "").replace("T", " ").slice(0, 19) }),
          el("td", { text: item.text }),
          el("td", { text: item.intent || "" }),
          el("td", { text: pct(item.confidence) }),
          el("td", { text: String(item.count || 1) })
        ]));
      });
      $("un-status").textContent = data.note || ("共 " + (data.items || []).length + " 条（置信度阈值 " + pct(data.threshold) + "）");
    }, function (err) {
      $("un-status").textContent = err.message;
    });
  }

  $("un-refresh").addEventListener("click", loadUnanswered);

  /* ---------- start ---------- */

  if (token) {
    api("/console/api/session").then(afterLogin, function () { /* logout() already shown the login */ });
  } else {
    showApp(false);
  }
})();
