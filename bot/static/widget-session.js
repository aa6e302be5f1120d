/*
 * The conversation's life in the browser (part of /widget.js): 清空 (with 撤销), 结束咨询 (asks first, POST
 * /api/forget, then the browser's copy; when the server cannot delete, nothing is deleted here either), expiry after
 * inactivity, and the 好差评 card that is offered once per conversation (in it, or above the launcher after closing).
 */
(function () {
  "use strict";

  var parts = (window.JilinWidgetParts = window.JilinWidgetParts || {});
  var FORGET_TIMEOUT_MS = 10000;

  /*
   * Rating({store, send, commentMax, floatSlot, launcher, onInlineDone}): the one 好差评 card of a conversation.
   * It keeps the citizen's choice and comment while it moves between the conversation and the floating slot.
   */
  function Rating(options) {
    this.options = options;
    this.card = null;
  }

  Rating.prototype.due = function () {
    var state = this.options.store.state;
    return state.rating === null && state.messages.some(function (m) { return m.feedback; });
  };

  Rating.prototype.isIn = function (container) {
    return Boolean(this.card && this.card.node.parentNode === container);
  };

  /* show it at the end of container (the conversation or the floating slot); returns its node */
  Rating.prototype.showIn = function (container) {
    var self = this;
    var o = this.options;
    if (!this.card) {
      this.card = new parts.RatingCard({
        send: o.send,
        commentMax: o.commentMax,
        onDone: function (rating) {
          o.store.state.rating = rating;
          o.store.save();
        },
        onSkip: function () {
          o.store.state.rating = "skipped";
          o.store.save();
          self.closed();
        },
        onClosed: function () { self.closed(); }
      });
    }
    container.appendChild(this.card.node);
    o.floatSlot.hidden = container !== o.floatSlot;
    return this.card.node;
  };

  Rating.prototype.closed = function () {
    var floating = this.isIn(this.options.floatSlot);
    this.forget();
    if (floating) {
      this.options.launcher.focus();
    } else {
      this.options.onInlineDone();
    }
  };

  /* out of sight, its content kept */
  Rating.prototype.hide = function () {
    if (this.card && this.card.node.parentNode) {
      this.card.node.parentNode.removeChild(this.card.node);
    }
    this.options.floatSlot.hidden = true;
  };

  /* gone with its conversation */
  Rating.prototype.forget = function () {
    this.hide();
    this.card = null;
  };

  /*
   * Session({store, notice, rating, speech, render(), server, helpLine(), minutes, busy(), clearBtn, disable(nodes)})
   * render() shows the (new) conversation from the store.
   */
  function Session(options) {
    this.o = options;
  }

  Session.prototype.fresh = function () {
    this.o.speech.stop();
    this.o.rating.forget();
    var old = this.o.store.reset();
    this.o.render();
    return old;
  };

  Session.prototype.clear = function () {
    var o = this.o;
    if (o.busy()) {
      return;
    }
    var old = this.fresh();
    o.notice.show("聊天记录已清空。", [{
      label: "撤销",
      run: function () {
        o.store.restore(old);
        o.render();
        o.notice.hide(false);
        o.clearBtn.focus();
      }
    }], "button");
  };

  Session.prototype.end = function () {
    var self = this;
    if (this.o.busy()) {
      return;
    }
    this.o.notice.show("结束咨询会删除本次对话记录（本机和服务器上的）。确定结束吗？", [
      { label: "确定结束", run: function () { self.forget(); } },
      { label: "继续咨询", run: function () { self.o.notice.hide(true); } }
    ], "notice");
  };

  Session.prototype.ended = function (text) {
    this.fresh();
    this.o.notice.show(text, [], "notice");
  };

  Session.prototype.forget = function () {
    var self = this;
    var o = this.o;
    if (!o.store.state.messages.some(function (m) { return m.from === "user"; })) {
      this.ended("本次咨询已结束。感谢您的使用！"); /* nothing reached the server */
      return;
    }
    Array.prototype.forEach.call(o.notice.node.querySelectorAll("button"), function (b) { b.disabled = true; });
    parts.postJSON(o.server + "/api/forget", { sender: o.store.state.sender }, FORGET_TIMEOUT_MS)
      .then(function (result) {
        if (result.ok) {
          self.ended("本次咨询已结束，聊天记录已从本机和服务器上删除。感谢您的使用！");
        } else if (result.status === 404) {
          self.ended("本次咨询已结束，本机上的聊天记录已删除。感谢您的使用！"); /* the server has none */
        } else {
          o.notice.show("暂时无法删除服务器上的记录，请稍后再试。聊天记录仍然保留。" + o.helpLine(), [
            { label: "重试", run: function () { self.forget(); } }
          ], "notice");
        }
      });
  };

  Session.prototype.expiredNotice = function () {
    this.o.notice.show("为保护您的隐私，超过 " + this.o.minutes + " 分钟未使用，聊天记录已清除。", [], false);
  };

  /* a conversation left alone longer than data-history-minutes is forgotten by the browser */
  Session.prototype.checkExpiry = function () {
    if (this.o.store.expired()) {
      this.fresh();
      this.expiredNotice();
    }
  };

  parts.Rating = Rating;
  parts.Session = Session;
})();
