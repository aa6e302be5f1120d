/* Hotline staff console, part 3 of 3: the conversations an agent continues. The 咨询编号 a caller reads out opens
 * the citizen's conversation (turns masked, the facts gathered); the bad ratings (没用, 1-2) list their conversation
 * to follow up; an admin sees the audit log of who opened what and when. */
(function () {
  "use strict";

  var C = window.JilinConsole;
  var $ = C.$;
  var el = C.el;
  var STARS = { 5: "非常满意", 4: "满意", 3: "一般", 2: "不满意", 1: "非常不满意" };
  var ACTIONS = { login: "登录", login_failed: "登录失败", open_handoff: "按咨询编号查看对话",
                  open_conversation: "查看差评对话" };

  function showCase(data, label) {
    $("case-meta").textContent = label;
    C.renderFacts($("case-facts"), data.facts);
    C.renderTurns($("case-turns"), data.turns);
    $("case").hidden = false;
  }

  function openCode(typed) {
    var code = String(typed || "").replace(/[\s\-：:]|咨询编号/g, "").toUpperCase();
    if (!code) {
      $("handoff-status").textContent = "请输入来电人报的咨询编号。";
      return;
    }
    $("handoff-status").textContent = "正在查找…";
    C.api("/console/api/handoff/" + encodeURIComponent(code)).then(function (data) {
      showCase(data, "咨询编号 " + data.code + " · 生成于 " + C.when(data.created) + " · 有效至 " + C.when(data.expires));
      $("handoff-status").textContent = "已打开编号 " + data.code + " 的对话（共 " + data.turns.length + " 条）。";
      $("case").scrollIntoView({ block: "nearest" });
    }, function (err) {
      $("case").hidden = true;
      $("handoff-status").textContent = err.message;
      $("handoff-code").select();
    });
  }

  $("handoff-form").addEventListener("submit", function (event) {
    event.preventDefault();
    openCode($("handoff-code").value);
  });

  function openConversation(sender) {
    $("handoff-status").textContent = "正在读取对话…";
    C.api("/console/api/conversations/" + encodeURIComponent(sender)).then(function (data) {
      showCase(data, "差评跟进 · 会话 " + data.sender);
      $("handoff-status").textContent = "已打开差评对应的对话。";
      $("case").scrollIntoView({ block: "nearest" });
    }, function (err) {
      $("handoff-status").textContent = err.message;
    });
  }

  /* ---------- bad ratings ---------- */

  function loadFeedback() {
    $("fb-status").textContent = "正在读取…";
    C.api("/console/api/feedback?limit=100").then(function (data) {
      var rows = $("fb-rows");
      rows.textContent = "";
      (data.items || []).forEach(function (item) {
        var open = el("button", { type: "button", className: "ghost-dark", text: "查看对话" });
        open.addEventListener("click", function () { openConversation(item.sender); });
        var said = [item.question ? "问：" + item.question : "", item.comment ? "意见：" + item.comment : ""];
        rows.appendChild(el("tr", {}, [
          el("td", { text: C.when(item.time) }),
          el("td", { className: "bad", text: item.rating ? item.rating + " 分 " + STARS[item.rating] : "没用" }),
          el("td", { text: said.filter(Boolean).join("\n") }),
          el("td", {}, [open])
        ]));
      });
      $("fb-status").textContent = "共 " + (data.items || []).length + " 条";
    }, function (err) {
      $("fb-status").textContent = err.message;
    });
  }
  $("fb-refresh").addEventListener("click", loadFeedback);

  /* ---------- audit (admins and the token) ---------- */

  function loadAudit() {
    C.api("/console/api/audit?limit=200").then(function (data) {
      var rows = $("audit-rows");
      rows.textContent = "";
      (data.entries || []).forEach(function (e) {
        rows.appendChild(el("tr", {}, [
          el("td", { text: C.when(e.at) }), el("td", { text: e.username }),
          el("td", { text: ACTIONS[e.action] || e.action }), el("td", { text: e.target })
        ]));
      });
    }, function () { /* shown only to those allowed */ });
  }
  $("audit-refresh").addEventListener("click", loadAudit);

  C.onLogin.push(function (who) {
    $("case").hidden = true;
    $("handoff-status").textContent = "";
    loadFeedback();
    $("audit").hidden = !(who.role === "admin" || who.role === "machine");
    if (!$("audit").hidden) {
      loadAudit();
    }
  });
})();
