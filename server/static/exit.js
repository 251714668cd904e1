// Quick exit, after the GOV.UK 'Exit this page' pattern, and further: the page is replaced
// in history (Back does not return to it), the chat is wiped from the page and session
// storage, and the server is told to forget the conversation.
(function () {
  "use strict";
  var PRESSES_NEEDED = 3;
  var PRESS_WINDOW_MS = 5000;
  var links = document.querySelectorAll("[data-exit]");
  if (!links.length) { return; }
  var destination = links[0].getAttribute("href");
  var status = document.getElementById("exit-status");
  // What it says, in the page's language (rendered by the server on the status element).
  var words = status ? status.dataset : {};
  var presses = 0;
  var resetTimer = null;
  var otherKeyDown = false;

  function announce(text) {
    if (status) { status.textContent = text; }
  }

  function wipePage() {
    var log = document.getElementById("chat-log");
    if (log) { log.textContent = ""; }
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
      form.reset();
    });
    Array.prototype.forEach.call(document.querySelectorAll("textarea, input"), function (field) {
      if (field.type !== "radio" && field.type !== "checkbox") { field.value = ""; }
    });
    try { window.sessionStorage.clear(); } catch (ignored) { /* storage may be blocked */ }
  }

  function tellServerToForget() {
    // A beacon still goes out while the browser leaves the page.
    if (navigator.sendBeacon && navigator.sendBeacon("/api/forget")) { return; }
    if (window.fetch) {
      fetch("/api/forget", { method: "POST", credentials: "same-origin", keepalive: true })
        .catch(function () { /* leaving matters more */ });
    }
  }

  function showOverlay() {
    var overlay = document.createElement("div");
    overlay.className = "exit-overlay";
    overlay.setAttribute("role", "alert");
    overlay.textContent = words.loading;
    document.body.classList.add("exiting");
    document.body.appendChild(overlay);
  }

  function exitPage(event) {
    if (event) { event.preventDefault(); }
    showOverlay();
    wipePage();
    tellServerToForget();
    window.location.replace(destination);
  }

  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener("click", exitPage);
  });

  function resetPresses() {
    presses = 0;
    window.clearTimeout(resetTimer);
  }

  // Shift on its own, 3 times, each within 5 seconds of the last. Any other key starts again.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Shift") {
      if (!event.repeat) { otherKeyDown = false; }
    } else {
      otherKeyDown = true;
      if (presses) { resetPresses(); announce(words.expired); }
    }
  }, true);

  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift" || otherKeyDown) { return; }
    presses += 1;
    window.clearTimeout(resetTimer);
    if (presses >= PRESSES_NEEDED) {
      resetPresses();
      exitPage();
      return;
    }
    var left = PRESSES_NEEDED - presses;
    announce(left === 1 ? words.pressOne : words.pressTwo);
    resetTimer = window.setTimeout(function () {
      presses = 0;
      announce(words.expired);
    }, PRESS_WINDOW_MS);
  }, true);

  // If the browser ever brings this page back from its cache, do not leave it blanked.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.body.classList.remove("exiting");
    Array.prototype.forEach.call(document.querySelectorAll(".exit-overlay"), function (el) {
      el.remove();
    });
  });
})();
