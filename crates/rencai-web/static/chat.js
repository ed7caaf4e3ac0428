// Live chat on /chat/{id}: the page works without this script (plain forms); with it, messages
// arrive over the page socket, the form sends without reloading, and a message not yet
// acknowledged is sent again with the same client id after a reconnect (the server stores it
// once). Messages are shown once each, by id.
(function () {
  "use strict";
  var log = document.getElementById("chat-log");
  var form = document.getElementById("chat-form");
  var status = document.getElementById("latest");
  if (!log || !window.WebSocket) return;
  var conversation = log.dataset.conversation;
  var lastId = parseInt(log.dataset.lastId || "0", 10);
  var pending = {};
  var socket = null;
  var retry = 500;

  function newId() {
    var a = new Uint8Array(12);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // Beijing time, as the server writes the times on the page.
  var clock = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hour12: false
  });
  function when(iso) {
    return clock.format(new Date(iso)).replace(/\//g, "-");
  }

  function label(m) {
    if (m.kind === "contact_request") return m.mine ? "你请求交换电话" : "对方请求与你交换电话（刷新页面后可回复）";
    if (m.kind === "contact_reply") return m.accepted ? "已同意交换电话" : "已拒绝交换电话";
    if (m.card) {
      if (m.card.type === "job") return "职位：" + m.card.title + " · " + m.card.company;
      if (m.card.type === "resume") return "简历：" + m.card.title;
      if (m.card.type === "interview") return "面试邀请：" + m.card.when + " · " + m.card.place;
      return "（内容已不可见）";
    }
    return m.text || "";
  }

  function show(m) {
    if (m.conversation !== conversation) return;
    if (m.id > lastId) lastId = m.id;
    if (log.querySelector('[data-id="' + m.id + '"]')) return;
    var waiting = log.querySelector('[data-client="' + m.client_id + '"]');
    var li = waiting || document.createElement("li");
    li.className = "chat-msg" + (m.mine ? " mine" : "");
    li.dataset.id = m.id;
    li.dataset.seq = m.seq;
    li.removeAttribute("data-client");
    li.textContent = "";
    var bubble = document.createElement("div");
    bubble.className = "bubble";
    bubble.textContent = label(m);
    var time = document.createElement("span");
    time.className = "chat-time muted";
    time.textContent = when(m.at);
    li.appendChild(bubble);
    li.appendChild(time);
    if (!waiting) log.appendChild(li);
    if (!m.mine && document.visibilityState === "visible") send({ type: "read", conversation: conversation, seq: m.seq });
    li.scrollIntoView({ block: "end" });
  }

  function send(frame) {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(frame));
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/chat/ws");
    socket.onopen = function () {
      retry = 500;
      send({ type: "hello", after: lastId });
      Object.keys(pending).forEach(function (k) { send(pending[k]); });
    };
    socket.onmessage = function (e) {
      var f = JSON.parse(e.data);
      if (f.type === "message") show(f.message);
      else if (f.type === "ack") { delete pending[f.client_id]; show(f.message); }
      else if (f.type === "read" && f.conversation === conversation) status.textContent = status.dataset.readLabel;
      else if (f.type === "error") {
        if (f.client_id) {
          delete pending[f.client_id];
          var li = log.querySelector('[data-client="' + f.client_id + '"]');
          if (li) li.classList.add("failed");
        }
        status.textContent = f.message;
      }
    };
    socket.onclose = function () {
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    };
  }

  if (form) {
    form.addEventListener("submit", function (e) {
      var text = form.elements.text.value.trim();
      if (!text || !socket || socket.readyState !== 1) return; // the plain form posts instead
      e.preventDefault();
      var id = newId();
      var frame = { type: "send", conversation: conversation, client_id: id, kind: "text", text: text };
      pending[id] = frame;
      var li = document.createElement("li");
      li.className = "chat-msg mine sending";
      li.dataset.client = id;
      var bubble = document.createElement("div");
      bubble.className = "bubble";
      bubble.textContent = text;
      li.appendChild(bubble);
      log.appendChild(li);
      form.elements.text.value = "";
      send(frame);
    });
  }
  connect();
})();
