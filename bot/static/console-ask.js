/* Hotline staff console, part 2 of 3: the question panel. The answer as the citizen gets it, the same answer to
 * read to the caller (without the 依据 lines), the intent, the bureau the answer used (the conversation's slots after
 * it, so the panel never contradicts the answer), the guide section, and the conversation this panel is in. */
(function () {
  "use strict";

  var C = window.JilinConsole;
  var $ = C.$;
  var el = C.el;
  var LOW_CONFIDENCE = 0.6;
  var last = { text: "", readAloud: "" };

  function renderAnswer(data) {
    var box = $("answer");
    box.textContent = "";
    (data.replies || []).forEach(function (reply) {
      var item = el("div", { className: "reply" });
      C.appendRich(item, reply.text || "");
      var shown = reply.text || "";
      (reply.links || []).forEach(function (link) {
        if (link.url && shown.indexOf(link.url) === -1) {
          item.appendChild(el("div", {}, [C.urlLink(link.url, link.title)]));
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
    var aloud = $("read-aloud");
    aloud.textContent = "";
    C.appendRich(aloud, data.read_aloud || "");
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
    intent.appendChild(el("span", { className: low ? "low" : "", text: "  置信度 " + C.pct(conf) + (low ? "（偏低）" : "") }));
    (nlu.ranking || []).forEach(function (r) {
      var width = typeof r.confidence === "number" ? Math.max(0, Math.min(100, r.confidence * 100)) : 0;
      var fg = el("span", { className: "bar-fg" });
      fg.style.width = width + "%";
      ranking.appendChild(el("li", {}, [
        el("span", { className: "intent-name", text: r.name || "" }),
        el("span", { className: "bar-bg", "aria-hidden": "true" }, [fg]),
        C.pct(r.confidence)
      ]));
    });
    if (!nlu.entities || !nlu.entities.length) {
      entities.appendChild(el("li", { text: "（无）" }));
    }
    (nlu.entities || []).forEach(function (e) {
      entities.appendChild(el("li", { text: e.entity + " = " + e.value + (e.extractor ? "（" + e.extractor + "）" : "") }));
    });
  }

  function renderBureau(bureau) {
    var box = $("bureau");
    box.textContent = "";
    bureau = bureau || {};
    if (bureau.bureau_name || bureau.bureau_phone) {
      box.appendChild(el("div", { className: "bureau-item" }, [
        el("strong", { text: bureau.bureau_name || "社会保险局" }),
        bureau.bureau_phone ? C.telLink(bureau.bureau_phone) : ""
      ]));
    } else if (bureau.bureau_region) {
      box.appendChild(el("p", { text: "地区：" + bureau.bureau_region + "（答复列出了该地区的社保局）" }));
    } else {
      box.appendChild(el("p", { text: "本次对话还没有确定社保局。" }));
    }
    if (bureau.contact && bureau.contact.indexOf(bureau.bureau_phone || "\u0000") === -1) {
      var p = el("p", { className: "meta" }, ["建议联系："]);
      C.appendRich(p, bureau.contact);
      box.appendChild(p);
    }
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
    C.api("/console/api/ask", { method: "POST", body: { question: question, session: C.session } }).then(function (data) {
      last = { text: data.answer_text || "", readAloud: data.read_aloud || "" };
      renderAnswer(data);
      renderNlu(data.nlu);
      renderBureau(data.bureau);
      renderBasis(data.basis);
      C.renderTurns($("turns"), (data.conversation || {}).turns);
      var warnings = $("warnings");
      warnings.textContent = "";
      (data.warnings || []).forEach(function (w) {
        warnings.appendChild(el("li", { text: w }));
      });
      $("result").hidden = false;
      $("ask-status").textContent = "问题：" + data.question;
      $("question").select();
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

  /* ---------- 读给来电人: the answer without its 依据 lines, large ---------- */

  function toggleReadAloud() {
    if ($("result").hidden) {
      return;
    }
    var on = $("read-toggle").getAttribute("aria-pressed") !== "true";
    $("read-toggle").setAttribute("aria-pressed", on ? "true" : "false");
    $("read-aloud").hidden = !on;
    $("answer").hidden = on;
    if (on) {
      $("read-aloud").focus();
    }
  }
  $("read-toggle").addEventListener("click", toggleReadAloud);
  C.shortcuts.KeyR = toggleReadAloud;

  /* ---------- copy (the version shown) ---------- */

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
    var text = $("read-aloud").hidden ? last.text : last.readAloud;
    if (!text) {
      return;
    }
    var done = function () { $("copy-status").textContent = "答复已复制到剪贴板。"; };
    var failed = function () { $("copy-status").textContent = "复制失败，请手动选择文字复制。"; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () {
        if (fallbackCopy(text)) { done(); } else { failed(); }
      });
    } else if (fallbackCopy(text)) {
      done();
    } else {
      failed();
    }
  });
})();
