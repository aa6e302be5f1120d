/* The console's dashboard (vanilla JS + the vendored Apache ECharts, SVG renderer, no CDN).
   Reads GET /console/api/stats with the console's credentials (the token the console keeps in sessionStorage, or
   the session cookie), draws the charts, and downloads GET /console/api/stats.csv for Excel. */
(function () {
  "use strict";

  var TOKEN_KEY = "jlc:token";
  var FONT = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';
  var COLORS = ["#1d5fa8", "#e8743b", "#19a979", "#945ecf", "#13a4b4", "#d64f87", "#8a9a5b", "#c9a227", "#6b7a8f"];
  var TOP_INTENTS = 11;
  var TOP_PLACES = 15;
  var RELOAD_MS = 5000;
  var WEEKLY_AFTER = 90;
  var charts = {};
  var range = { days: 30 };

  function $(id) {
    return document.getElementById(id);
  }

  function token() {
    try {
      return window.sessionStorage.getItem(TOKEN_KEY) || "";
    } catch (e) {
      return "";
    }
  }

  function query() {
    return range.days ? "days=" + range.days : "from=" + range.from + "&to=" + range.to;
  }

  function request(path) {
    var headers = {};
    if (token()) {
      headers.Authorization = "Bearer " + token();
    }
    return fetch(path, { headers: headers, credentials: "same-origin", cache: "no-store" }).then(function (resp) {
      if (resp.status === 401) {
        showLogin();
        throw new Error("需要登录");
      }
      if (!resp.ok) {
        return resp.json().catch(function () { return {}; }).then(function (data) {
          throw new Error(data.error || "请求失败（HTTP " + resp.status + "）");
        });
      }
      return resp;
    }, function () {
      throw new Error("无法连接服务器，请检查网络。");
    });
  }

  function showLogin() {
    $("board").hidden = true;
    $("need-login").hidden = false;
  }

  function pct(rate) {
    return typeof rate === "number" ? (rate * 100).toFixed(1) + "%" : "—";
  }

  function chart(id) {
    if (!charts[id]) {
      charts[id] = window.echarts.init($(id), null, { renderer: "svg", locale: "ZH" });
    }
    return charts[id];
  }

  function base() {
    return {
      color: COLORS,
      textStyle: { fontFamily: FONT },
      aria: { enabled: true },  /* ECharts writes the chart's data into the container's aria-label */
      tooltip: { trigger: "axis", renderMode: "richText" },  /* no HTML tooltip: the page's CSP has no inline styles */
      grid: { left: 48, right: 48, top: 40, bottom: 32, containLabel: true },
      legend: { top: 0 },
      animation: false
    };
  }

  function merge(target, extra) {
    Object.keys(extra).forEach(function (key) {
      target[key] = extra[key];
    });
    return target;
  }

  function drawDaily(data) {
    var days = data.per_day.map(function (d) { return d.date; });
    chart("chart-daily").setOption(merge(base(), {
      xAxis: { type: "category", data: days },
      yAxis: { type: "value", name: "次数", minInterval: 1 },
      series: [
        { name: "问题数", type: "bar", data: data.per_day.map(function (d) { return d.questions; }) },
        { name: "会话数", type: "line", showSymbol: false, data: data.per_day.map(function (d) { return d.sessions; }) }
      ]
    }), true);
  }

  function withEmptyNote(option, empty, text) {
    if (empty) {
      option.title = { text: text, left: "center", top: "middle", textStyle: { color: "#8c959f", fontSize: 14 } };
    }
    return option;
  }

  function drawIntents(data) {
    var top = data.intents.slice(0, TOP_INTENTS).map(function (i) { return { name: i.name, value: i.count }; });
    var rest = data.intents.slice(TOP_INTENTS).reduce(function (sum, i) { return sum + i.count; }, 0);
    if (rest) {
      top.push({ name: "其他", value: rest });
    }
    var option = merge(base(), {
      tooltip: { trigger: "item", renderMode: "richText" },
      legend: { show: false },
      series: [{ name: "问题类别", type: "pie", radius: ["35%", "68%"], data: top,
                 label: { formatter: "{b}\n{d}%" } }]
    });
    chart("chart-intents").setOption(withEmptyNote(option, !top.length, "暂无问题"), true);
  }

  /* Rates and ratings of single days jump about over a long range: past WEEKLY_AFTER days they are drawn by week
     (each point the week starting that day, the last one ending today), from the same per-day figures. */
  function periods(days) {
    var size = days.length > WEEKLY_AFTER ? 7 : 1;
    var out = [];
    for (var end = days.length; end > 0; end -= size) {  /* whole weeks up to today; the oldest may be short */
      out.unshift(days.slice(Math.max(0, end - size), end));
    }
    return { size: size, chunks: out };
  }

  function sum(items, key) {
    return items.reduce(function (total, d) { return total + (d[key] || 0); }, 0);
  }

  function xAxisOf(p) {
    return { type: "category", name: p.size > 1 ? "按周" : "", data: p.chunks.map(function (c) { return c[0].date; }) };
  }

  function drawRates(data) {
    var p = periods(data.per_day);
    function percent(key) {
      return p.chunks.map(function (c) {
        var asked = sum(c, "questions");
        return asked ? +(100 * sum(c, key) / asked).toFixed(2) : null;
      });
    }
    chart("chart-rates").setOption(merge(base(), {
      xAxis: xAxisOf(p),
      yAxis: { type: "value", name: "%", axisLabel: { formatter: "{value}%" } },
      series: [
        { name: "兜底率", type: "line", showSymbol: false, connectNulls: true, data: percent("fallback") },
        { name: "低置信度率", type: "line", showSymbol: false, connectNulls: true, data: percent("low_confidence") }
      ]
    }), true);
  }

  function drawRatings(data) {
    var p = periods(data.ratings.per_day);
    var none = !data.ratings.count && !data.ratings.helpful && !data.ratings.unhelpful;
    var average = p.chunks.map(function (c) {
      var rated = sum(c, "count");
      var points = c.reduce(function (total, d) { return total + (d.average || 0) * d.count; }, 0);
      return rated ? +(points / rated).toFixed(2) : null;
    });
    chart("chart-ratings").setOption(withEmptyNote(merge(base(), {
      xAxis: xAxisOf(p),
      yAxis: [
        { type: "value", name: "次数", minInterval: 1 },
        { type: "value", name: "平均分", min: 1, max: 5, interval: 1, splitLine: { show: false } }
      ],
      series: [
        { name: "评价数", type: "bar", data: p.chunks.map(function (c) { return sum(c, "count"); }) },
        { name: "有用", type: "bar", data: p.chunks.map(function (c) { return sum(c, "helpful"); }) },
        { name: "没用", type: "bar", data: p.chunks.map(function (c) { return sum(c, "unhelpful"); }) },
        { name: "平均分", type: "line", yAxisIndex: 1, connectNulls: true, showSymbol: false, data: average }
      ]
    }), none, "这段时间没有评价"), true);
  }

  function drawPlaces(data) {
    var top = data.places.slice(0, TOP_PLACES).reverse();
    chart("chart-places").setOption(merge(base(), {
      tooltip: { trigger: "item", renderMode: "richText" },
      legend: { show: false },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: top.map(function (p) { return p.place; }), axisLabel: { interval: 0 } },
      series: [{ name: "次数", type: "bar", data: top.map(function (p) { return p.count; }),
                 label: { show: true, position: "right" } }]
    }), true);
  }

  function drawGroups(data) {
    var rows = $("group-rows");
    rows.textContent = "";
    if (!data.unanswered.length) {
      var empty = document.createElement("tr");
      var cell = document.createElement("td");
      cell.colSpan = 5;
      cell.textContent = "这段时间没有未能很好回答的问题。";
      empty.appendChild(cell);
      rows.appendChild(empty);
    }
    data.unanswered.forEach(function (g) {
      var tr = document.createElement("tr");
      [g.text, String(g.count), String(g.variants), g.last_day, g.examples.slice(1).join(" / ")].forEach(function (text, i) {
        var td = document.createElement("td");
        td.textContent = text;  /* citizens' words: text only, never HTML */
        if (i === 4) {
          td.className = "examples";
        }
        tr.appendChild(td);
      });
      rows.appendChild(tr);
    });
  }

  function render(data) {
    var t = data.totals;
    $("kpi-questions").textContent = t.questions.toLocaleString("zh-CN");
    $("kpi-sessions").textContent = t.sessions.toLocaleString("zh-CN");
    $("kpi-fallback").textContent = pct(t.fallback_rate);
    $("kpi-low").textContent = pct(t.low_confidence_rate);
    $("kpi-rating").textContent = t.average_rating === null ? "—" : t.average_rating.toFixed(2) + "（" + t.ratings + " 条）";
    $("from").value = data.range.from;
    $("to").value = data.range.to;
    drawDaily(data);
    drawIntents(data);
    drawRates(data);
    drawRatings(data);
    drawPlaces(data);
    drawGroups(data);
    $("status").textContent = data.range.from + " 至 " + data.range.to + "（" + data.range.days + " 天，北京时间）" +
      (data.note ? "。" + data.note : "");
  }

  var again = null;

  function load() {
    window.clearTimeout(again);
    $("status").textContent = "正在统计…";
    request("/console/api/stats?" + query()).then(function (resp) {
      return resp.json();
    }).then(function (data) {
      $("need-login").hidden = true;
      $("board").hidden = false;
      render(data);
      if (data.complete === false) {
        again = window.setTimeout(load, RELOAD_MS);  /* history still being counted: show more as it comes */
      }
    }, function (err) {
      $("status").textContent = err.message;
    });
  }

  function pressPreset(days) {
    Array.prototype.forEach.call(document.querySelectorAll(".preset"), function (b) {
      b.setAttribute("aria-pressed", String(Number(b.getAttribute("data-days")) === days));
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".preset"), function (button) {
    button.addEventListener("click", function () {
      range = { days: Number(button.getAttribute("data-days")) };
      pressPreset(range.days);
      load();
    });
  });

  $("range-form").addEventListener("submit", function (event) {
    event.preventDefault();
    range = { from: $("from").value, to: $("to").value };
    pressPreset(0);
    load();
  });

  $("export").addEventListener("click", function () {
    $("status").textContent = "正在导出…";
    request("/console/api/stats.csv?" + query()).then(function (resp) {
      var disposition = resp.headers.get("Content-Disposition") || "";
      var match = /filename="([^"]+)"/.exec(disposition);
      return resp.blob().then(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = match ? match[1] : "stats.csv";
        document.body.appendChild(link);
        link.click();
        document.body.removeChild(link);
        window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
        $("status").textContent = "已导出 " + link.download + "（UTF-8，可直接用 Excel 打开）。";
      });
    }).catch(function (err) {
      $("status").textContent = err.message;
    });
  });

  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (id) {
      charts[id].resize();
    });
  });

  load();
})();
