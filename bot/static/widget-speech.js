/*
 * 朗读: an answer read aloud with the browser's own speech (Web Speech API), part of /widget.js.
 *
 * Offered only when the browser has a Chinese voice that runs on the device (localService): a network voice would
 * send the citizen's conversation to a third party, and those of foreign vendors do not answer in China anyway.
 * Phone numbers are read digit by digit; the 依据 line (the guide's section) is not read.
 */
(function () {
  "use strict";

  var parts = (window.JilinWidgetParts = window.JilinWidgetParts || {});

  function rank(voice) {
    var lang = (voice.lang || "").replace("_", "-").toLowerCase();
    return lang === "zh-cn" ? 0 : lang.indexOf("zh-hans") === 0 ? 1 : 2;
  }

  /* text as it should sound: no 依据 line, phone numbers digit by digit */
  function spoken(text) {
    return String(text)
      .split("\n")
      .filter(function (line) { return line.indexOf("依据") !== 0; })
      .join("\n")
      .replace(/0\d{2,3}-\d{7,8}/g, function (phone) {
        return phone.split("-").map(function (group) { return group.split("").join(" "); }).join("，");
      });
  }

  /* Speech(onAvailable): onAvailable(true|false) whenever a usable voice appears or goes */
  function Speech(onAvailable) {
    var self = this;
    this.synth = window.speechSynthesis || null;
    this.voice = null;
    this.current = null;
    this.onAvailable = onAvailable;
    if (this.synth && typeof this.synth.getVoices === "function" && window.SpeechSynthesisUtterance) {
      this.pick();
      if (typeof this.synth.addEventListener === "function") {
        this.synth.addEventListener("voiceschanged", function () { self.pick(); });
      }
    }
  }

  Speech.prototype.pick = function () {
    var voices = [];
    try {
      voices = this.synth.getVoices() || [];
    } catch (e) {
      voices = [];
    }
    var chinese = Array.prototype.filter.call(voices, function (voice) {
      return voice && voice.localService === true && /^zh([-_]|$)/i.test(voice.lang || "");
    });
    chinese.sort(function (a, b) { return rank(a) - rank(b); });
    var had = Boolean(this.voice);
    this.voice = chinese[0] || null;
    if (had !== Boolean(this.voice)) {
      this.onAvailable(Boolean(this.voice));
    }
  };

  Speech.prototype.available = function () {
    return Boolean(this.voice);
  };

  Speech.prototype.label = function (button, reading) {
    button.textContent = reading ? "停止朗读" : "朗读";
    button.classList.toggle("jlw-reading", reading);
  };

  Speech.prototype.stop = function () {
    if (this.current) {
      this.label(this.current, false);
      this.current = null;
    }
    if (this.synth) {
      this.synth.cancel();
    }
  };

  /* read text aloud; the same button again stops it */
  Speech.prototype.toggle = function (button, text) {
    if (!this.voice) {
      return;
    }
    if (this.current === button) {
      this.stop();
      return;
    }
    this.stop();
    var self = this;
    var utterance = new window.SpeechSynthesisUtterance(spoken(text));
    utterance.lang = this.voice.lang;
    try {
      utterance.voice = this.voice;
    } catch (e) {
      /* lang alone picks a voice of that language */
    }
    utterance.rate = 0.9;
    function finished() {
      if (self.current === button) {
        self.label(button, false);
        self.current = null;
      }
    }
    utterance.addEventListener("end", finished);
    utterance.addEventListener("error", finished);
    this.current = button;
    this.label(button, true);
    this.synth.speak(utterance);
  };

  parts.Speech = Speech;
  parts.spoken = spoken;
})();
