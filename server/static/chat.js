// The chat widget: sends messages to /api/chat and shows the replies in the page.
// It keeps nothing on the device: no localStorage, no cookies of its own.
(function () {
  "use strict";
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var log = document.getElementById("chat-log");
  var errorBox = document.getElementById("chat-error");
  if (!form || !input || !log) { return; }
  // The widget's own words, in the page's language (rendered by the server on the form).
  var words = form.dataset;

  function addMessage(who, text, kind) {
    var item = document.createElement("li");
    item.className = "msg msg-" + who + (kind ? " msg-" + kind : "");
    if (who === "you") {
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = words.youSaid + " ";
      item.appendChild(hidden);
    }
    item.appendChild(document.createTextNode(text));
    log.appendChild(item);
    return item;
  }

  function addButtons(item, buttons) {
    var group = document.createElement("div");
    group.className = "choices";
    buttons.forEach(function (button) {
      var el = document.createElement("button");
      el.type = "button";
      el.textContent = button.title;
      el.addEventListener("click", function () { send(button.payload, button.title); });
      group.appendChild(el);
    });
    item.appendChild(group);
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  // A language chosen in the chat: the page's direction follows at once, its own words
  // on the next page.
  function followLanguage(language) {
    if (!language) { return; }
    document.documentElement.lang = language.code;
    document.documentElement.dir = language.direction;
  }

  function send(message, shown) {
    showError("");
    addMessage("you", shown || message);
    return fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ message: message })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (!result.ok) { throw new Error(result.body.error || ""); }
      followLanguage(result.body.language);
      result.body.messages.forEach(function (reply) {
        if (reply.kind === "sms_handoff") { addHandoffForm(); return; }
        var item = addMessage("bot", reply.text, reply.kind);
        if (reply.buttons && reply.buttons.length) { addButtons(item, reply.buttons); }
      });
    });
  }

  // The text-me-later form. The number goes to /api/handoff, never into the chat itself.
  function addHandoffForm() {
    var template = document.getElementById("handoff-template");
    if (!template) { return; }
    var item = document.createElement("li");
    item.className = "msg msg-bot msg-sms_handoff";
    item.appendChild(template.content.cloneNode(true));
    log.appendChild(item);
    var handoff = item.querySelector("form");
    var handoffError = item.querySelector("[data-handoff-error]");
    handoff.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = handoff.elements;
      var when = handoff.querySelector("input[name=when]:checked");
      fetch("/api/handoff", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({
          number: fields.number.value,
          when: when ? when.value : "soon",
          time: fields.time.value,
          consent: fields.consent.checked
        })
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (!result.ok) { throw new Error(result.body.error || ""); }
        // The form (and the number in it) goes; the confirmation takes its place.
        log.removeChild(item);
        result.body.messages.forEach(function (reply) { addMessage("bot", reply.text, reply.kind); });
      }).catch(function (error) {
        handoffError.textContent = error.message || words.notSent;
        handoffError.hidden = false;
      });
    });
    handoff.querySelector("input[name=number]").focus();
  }

  var textMeLink = document.getElementById("text-me-link");
  if (textMeLink) {
    textMeLink.addEventListener("click", function (event) {
      event.preventDefault();
      send("/request_text", words.textMe).catch(function (error) {
        showError(error.message || words.notSent);
      });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim()) { showError(words.empty); return; }
    send(text).then(function () {
      input.value = "";
    }).catch(function (error) {
      // Keep what they typed in the box so nothing is lost.
      showError(error.message || words.notSent);
    });
  });
})();
