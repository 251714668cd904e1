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
        if (reply.kind === "callback") { addCallbackForm(reply.text); return; }
        var item = addMessage("bot", reply.text, reply.kind);
        if (reply.buttons && reply.buttons.length) { addButtons(item, reply.buttons); }
      });
    });
  }

  // A form shown in the chat in place of a marker: a clone of its <template>, posted as JSON
  // to its own endpoint (never into the chat itself). Once sent, the form (and the number in
  // it) goes and the confirmation takes its place; on an error, everything typed stays.
  function addFormFromTemplate(templateId, kind) {
    var template = document.getElementById(templateId);
    if (!template) { return null; }
    var item = document.createElement("li");
    item.className = "msg msg-bot msg-" + kind;
    item.appendChild(template.content.cloneNode(true));
    log.appendChild(item);
    return item;
  }

  function postForm(item, url, body, errorBox) {
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (result) { return { ok: response.ok, body: result }; });
    }).then(function (result) {
      if (!result.ok) { throw new Error(result.body.error || ""); }
      log.removeChild(item);
      result.body.messages.forEach(function (reply) { addMessage("bot", reply.text, reply.kind); });
    }).catch(function (error) {
      errorBox.textContent = error.message || words.notSent;
      errorBox.hidden = false;
    });
  }

  function checked(form, name) {
    var chosen = form.querySelector("input[name=" + name + "]:checked");
    return chosen ? chosen.value : "";
  }

  // The text-me-later form. The number goes to /api/handoff.
  function addHandoffForm() {
    var item = addFormFromTemplate("handoff-template", "sms_handoff");
    if (!item) { return; }
    var handoff = item.querySelector("form");
    handoff.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = handoff.elements;
      postForm(item, "/api/handoff", {
        number: fields.number.value,
        when: checked(handoff, "when") || "soon",
        time: fields.time.value,
        consent: fields.consent.checked
      }, item.querySelector("[data-handoff-error]"));
    });
    handoff.querySelector("input[name=number]").focus();
  }

  // Contact from the team. ``summary`` is what would be shared, one fact a line, composed by
  // the server from the conversation's facts; the answers go to /api/callback.
  function addCallbackForm(summary) {
    var item = addFormFromTemplate("callback-template", "callback");
    if (!item) { return; }
    var list = item.querySelector("[data-callback-summary]");
    (summary || "").split("\n").forEach(function (line) {
      if (!line) { return; }
      var entry = document.createElement("li");
      entry.textContent = line;
      list.appendChild(entry);
    });
    var callback = item.querySelector("form");
    callback.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = callback.elements;
      var times = Array.prototype.filter.call(
        callback.querySelectorAll("input[name=times]"), function (box) { return box.checked; }
      ).map(function (box) { return box.value; });
      postForm(item, "/api/callback", {
        method: checked(callback, "method"),
        number: fields.number.value,
        times: times,
        voicemail: checked(callback, "voicemail"),
        safe_word: fields.safe_word.value,
        consent: fields.consent.checked
      }, item.querySelector("[data-callback-error]"));
    });
    callback.querySelector("input[name=method]").focus();
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

  var callMeButton = document.getElementById("call-me-button");
  if (callMeButton) {
    callMeButton.addEventListener("click", function (event) {
      event.preventDefault();
      send("/request_callback", words.callMe).catch(function (error) {
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
