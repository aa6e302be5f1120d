/*
 * Talking to the server and the citizen's ratings (part of /widget.js, see bot/widget_build.py).
 *
 * postJSON: one POST with a timeout that never throws: {ok, status, body} (status 0: no answer).
 * helpfulRow: 有用 / 没用 under a substantive answer, one tap each -> POST /api/feedback {sender, helpful}.
 * RatingCard: the five-level 好差评 (非常满意 5 ... 非常不满意 1) with an optional comment
 *   -> POST /api/feedback {sender, rating, comment}.
 * A failed POST (404 while the endpoint is missing, 400, 5xx, no network) says so in a short line and keeps the
 * citizen's choice and comment, so that trying again loses nothing.
 */
(function () {
  "use strict";

  var parts = (window.JilinWidgetParts = window.JilinWidgetParts || {});
  var el = window.JilinRichText.el;

  var LEVELS = [[5, "非常满意"], [4, "满意"], [3, "基本满意"], [2, "不满意"], [1, "非常不满意"]];
  var RETRY_LATER = "暂时无法提交，请稍后再试。";

  function postJSON(url, body, timeoutMs) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, timeoutMs) : null;
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      signal: controller ? controller.signal : undefined
    })
      .then(function (resp) {
        return resp.json().catch(function () { return null; }).then(function (data) {
          return { ok: resp.ok, status: resp.status, body: data };
        });
      })
      .catch(function () {
        return { ok: false, status: 0, body: null };
      })
      .then(function (result) {
        if (timer) {
          window.clearTimeout(timer);
        }
        return result;
      });
  }

  /* the server's own message for a refused request (400 says what was wrong), else a short generic line */
  function failureText(result) {
    if (result.status === 400 && result.body && typeof result.body.error === "string" && result.body.error) {
      return result.body.error;
    }
    return RETRY_LATER;
  }

  /*
   * helpfulRow(msg, send, onRated): send({helpful}) -> Promise of postJSON's result; msg.helpful is set on success
   * and onRated() called (the caller saves it).
   */
  function helpfulRow(msg, send, onRated) {
    var row = el("div", { className: "jlw-helpful", role: "group", "aria-label": "这个回答对您有帮助吗？" });
    function thanks(focus) {
      row.textContent = "";
      var done = el("span", { className: "jlw-helpful-done", tabindex: "-1", text: "感谢您的反馈" });
      row.appendChild(done);
      if (focus) {
        done.focus({ preventScroll: true });
      }
    }
    if (typeof msg.helpful === "boolean") {
      thanks(false);
      return row;
    }
    var question = el("span", { className: "jlw-helpful-q", "aria-hidden": "true", text: "有帮助吗？" });
    var yes = el("button", { type: "button", className: "jlw-mini", text: "有用" });
    var no = el("button", { type: "button", className: "jlw-mini", text: "没用" });
    var status = el("span", { className: "jlw-helpful-status", role: "status" });
    var busy = false; /* the buttons stay enabled while sending: disabling would drop the keyboard focus */
    function choose(helpful) {
      if (busy) {
        return;
      }
      busy = true;
      status.textContent = "";
      send({ helpful: helpful }).then(function (result) {
        busy = false;
        if (result.ok) {
          msg.helpful = helpful;
          onRated();
          thanks(row.contains(document.activeElement));
          return;
        }
        status.textContent = failureText(result);
      });
    }
    yes.addEventListener("click", function () { choose(true); });
    no.addEventListener("click", function () { choose(false); });
    row.appendChild(question);
    row.appendChild(yes);
    row.appendChild(no);
    row.appendChild(status);
    return row;
  }

  /*
   * RatingCard({send, commentMax, onDone, onSkip}): one element, shown inside the conversation or floating above
   * the launcher (the caller moves card.node). send({rating, comment?}) -> Promise of postJSON's result.
   */
  function RatingCard(options) {
    var self = this;
    this.options = options;
    this.node = el("section", { className: "jlw-rate", "aria-labelledby": "jlw-rate-title", tabindex: "-1" });
    this.title = el("h3", { className: "jlw-rate-title", id: "jlw-rate-title", text: "请您对本次咨询进行评价" });
    this.form = el("form", { className: "jlw-rate-form", novalidate: "novalidate" });
    var fieldset = el("fieldset", { className: "jlw-rate-levels" }, [el("legend", { text: "满意程度" })]);
    this.radios = LEVELS.map(function (level) {
      var radio = el("input", { type: "radio", name: "jlw-rating", value: String(level[0]) });
      var label = el("label", { className: "jlw-rate-opt" }, [radio, el("span", { text: level[1] })]);
      radio.addEventListener("change", function () { self.mark(); });
      fieldset.appendChild(label);
      return radio;
    });
    var max = options.commentMax;
    this.comment = el("textarea", {
      id: "jlw-rate-comment",
      className: "jlw-rate-comment",
      rows: "2",
      maxlength: String(max),
      "aria-describedby": "jlw-rate-hint jlw-rate-count"
    });
    this.count = el("span", { className: "jlw-rate-count", id: "jlw-rate-count", text: "0/" + max });
    this.comment.addEventListener("input", function () {
      self.count.textContent = self.comment.value.length + "/" + max;
    });
    this.status = el("p", { className: "jlw-rate-status", role: "status" });
    this.submit = el("button", { type: "submit", className: "jlw-rate-submit", text: "提交评价" });
    var skip = el("button", { type: "button", className: "jlw-rate-skip", text: "不评价" });
    skip.addEventListener("click", function () { options.onSkip(); });
    this.form.appendChild(fieldset);
    this.form.appendChild(el("label", { className: "jlw-rate-label", for: "jlw-rate-comment",
                                        text: "补充意见（选填，最多" + max + "字）" }));
    this.form.appendChild(el("p", { className: "jlw-rate-hint", id: "jlw-rate-hint",
                                    text: "请不要填写身份证号、手机号、银行卡号等个人信息。" }));
    this.form.appendChild(this.comment);
    this.form.appendChild(this.count);
    this.form.appendChild(this.status);
    this.form.appendChild(el("div", { className: "jlw-rate-actions" }, [this.submit, skip]));
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.send();
    });
    this.node.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        options.onSkip();
      }
    });
    this.node.appendChild(this.title);
    this.node.appendChild(this.form);
  }

  RatingCard.prototype.mark = function () {
    this.radios.forEach(function (radio) {
      radio.parentNode.classList.toggle("jlw-checked", radio.checked);
    });
  };

  RatingCard.prototype.chosen = function () {
    var checked = this.radios.filter(function (radio) { return radio.checked; })[0];
    return checked ? Number(checked.value) : 0;
  };

  RatingCard.prototype.send = function () {
    var self = this;
    var rating = this.chosen();
    if (!rating) {
      this.status.textContent = "请先选择满意程度。";
      this.radios[0].focus();
      return;
    }
    var body = { rating: rating };
    var comment = this.comment.value.trim();
    if (comment) {
      body.comment = comment;
    }
    if (this.busy) {
      return;
    }
    this.busy = true; /* not disabled: focus stays on the button */
    this.status.textContent = "正在提交…";
    this.options.send(body).then(function (result) {
      self.busy = false;
      if (!result.ok) {
        self.status.textContent = failureText(result);
        return;
      }
      self.done(rating);
    });
  };

  RatingCard.prototype.done = function (rating) {
    var self = this;
    this.form.hidden = true;
    this.title.textContent = "感谢您的评价！";
    this.title.setAttribute("tabindex", "-1");
    var close = el("button", { type: "button", className: "jlw-rate-skip", text: "关闭" });
    close.addEventListener("click", function () { self.options.onClosed(); });
    this.node.appendChild(close);
    this.title.focus({ preventScroll: true });
    this.options.onDone(rating);
  };

  parts.postJSON = postJSON;
  parts.helpfulRow = helpfulRow;
  parts.RatingCard = RatingCard;
})();
