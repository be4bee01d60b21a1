/* The trusted side of the task presenter bridge (contribute page).
 *
 * The presenter runs in <iframe sandbox="allow-scripts"> (opaque origin). This script accepts messages
 * only from that frame's window, only the small pybossa protocol, and only JSON answers up to a size
 * limit; it fetches tasks and stores answers with same-origin requests that carry the volunteer's
 * session, which the presenter itself never sees. */
(function () {
  "use strict";
  var frame = document.getElementById("presenter-frame");
  if (!frame) { return; }
  var cfg = frame.dataset;
  var preview = cfg.mode === "preview";
  var maxBytes = parseInt(cfg.maxAnswerBytes, 10) || 65536;
  var statusBox = document.getElementById("contribute-status");
  var counter = document.getElementById("answered-count");
  var state = {task: null, busy: false, done: false, answered: 0, skipped: 0, resizes: 0};

  function show(text, kind) {
    if (!statusBox) { return; }
    statusBox.textContent = text;
    statusBox.className = "alert alert-" + (kind || "info");
    statusBox.setAttribute("data-state", kind || "info");
  }

  function toFrame(message) {
    message.pybossa = 1;
    // "*": a sandboxed frame's opaque origin cannot be named as a target. Only task data goes this way.
    frame.contentWindow.postMessage(message, "*");
  }

  function errorText(body, fallback) {
    if (body && typeof body === "object") {
      return body.exception_msg || body.description || body.message || body.flash || fallback;
    }
    return fallback;
  }

  function readJson(response) {
    return response.text().then(function (text) {
      var body = null;
      try { body = text ? JSON.parse(text) : {}; } catch (err) { body = null; }
      return {ok: response.ok, status: response.status, body: body};
    });
  }

  function giveTask(task) {
    state.task = task;
    toFrame({type: "task", task: task});
    show(preview ? "Preview: answers are shown here, not saved." : "Task " + task.id + ": your answer, please.",
         "info");
  }

  function loadNext() {
    if (preview) { giveTask(JSON.parse(cfg.previewTask)); return; }
    state.task = null;
    state.busy = true;
    // PYBOSSA's newtask takes an offset: skipped tasks stay first in line, so step over them.
    var url = cfg.newtaskUrl + (state.skipped ? "?offset=" + state.skipped : "");
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(readJson)
      .then(function (res) {
        state.busy = false;
        if (!res.ok) {
          var text = errorText(res.body, "Could not load a task (" + res.status + ").");
          show(text, "danger");
          toFrame({type: "error", message: text});
        } else if (!res.body || !res.body.id) {
          state.done = true;
          show("Thank you! There are no more tasks for you in this project.", "success");
          toFrame({type: "done"});
        } else {
          giveTask(res.body);
        }
      })
      .catch(function () {
        state.busy = false;
        show("The server could not be reached. Check your connection and reload the page.", "danger");
      });
  }

  function refuse(text) {
    show(text, "warning");
    toFrame({type: "error", message: text});
  }

  function submit(answer) {
    if (!state.task || state.busy) { refuse("No task is waiting for an answer."); return; }
    var json;
    try { json = JSON.stringify(answer); } catch (err) { json = undefined; }
    if (json === undefined) { refuse("The answer is not JSON."); return; }
    if (new Blob([json]).size > maxBytes) { refuse("The answer is too large (over " + maxBytes + " bytes)."); return; }
    if (preview) {
      show("Preview: the answer would be " + json, "info");
      toFrame({type: "saved", taskrun: {id: null, task_id: state.task.id, preview: true}});
      return;
    }
    state.busy = true;
    var body = JSON.stringify({project_id: parseInt(cfg.projectId, 10), task_id: state.task.id,
                               info: JSON.parse(json)});
    fetch(cfg.taskrunUrl, {method: "POST", credentials: "same-origin", body: body,
                           headers: {"Content-Type": "application/json", "Accept": "application/json",
                                     "X-CSRFToken": cfg.csrf}})
      .then(readJson)
      .then(function (res) {
        state.busy = false;
        if (res.ok) {
          state.answered += 1;
          if (counter) { counter.textContent = String(state.answered); }
          show("Answer saved. Loading the next task…", "success");
          toFrame({type: "saved", taskrun: {id: res.body && res.body.id, task_id: state.task.id}});
          loadNext();
        } else {
          refuse(errorText(res.body, "The answer was not saved (" + res.status + ")."));
        }
      })
      .catch(function () {
        state.busy = false;
        refuse("The server could not be reached; the answer was not saved.");
      });
  }

  window.addEventListener("message", function (event) {
    // Only the presenter frame, and only while it still holds our sandboxed document (opaque origin).
    if (event.source !== frame.contentWindow || event.origin !== "null") { return; }
    var data = event.data;
    if (!data || typeof data !== "object" || data.pybossa !== 1 || typeof data.type !== "string") { return; }
    if (data.type === "ready") {
      if (state.task) { toFrame({type: "task", task: state.task}); }
      else if (state.done) { toFrame({type: "done"}); }
      else if (!state.busy) { loadNext(); }
    } else if (data.type === "submit") {
      submit(data.answer);
    } else if (data.type === "resize") {
      // Bounded, and only a limited number of times: a presenter sized in vh units would chase its tail.
      var height = Number(data.height);
      if (isFinite(height) && state.resizes < 50) {
        state.resizes += 1;
        frame.style.height = Math.min(Math.max(Math.ceil(height) + 2, 240), 4000) + "px";
      }
    }
  });

  var skip = document.getElementById("skip-task");
  if (skip && !preview) {
    skip.addEventListener("click", function () {
      if (!state.busy && !state.done && state.task) { state.skipped += 1; loadNext(); }
    });
  }

  // Load the presenter only now, so its first message finds the listener above.
  frame.src = cfg.src;
})();
