/* The `pybossa` object inside the sandboxed task presenter (inlined into /project/<s>/presenter).
 *
 *   pybossa.onTask(function (task) { ... })   called with each task the volunteer should answer
 *   pybossa.submit(answer)                    sends the answer (any JSON value) for the current task
 *   pybossa.onSaved(cb) / onDone(cb) / onError(cb)   optional: answer stored / no more tasks / refusal
 *
 * The presenter runs in an opaque origin; it can only talk to its parent page, which checks every
 * message and does the (credentialed) API calls itself. */
(function () {
  "use strict";
  var parentOrigin = document.documentElement.getAttribute("data-parent-origin") || "*";
  var handlers = {task: [], saved: [], done: [], error: []};
  var current = null;

  function call(list, value) {
    list.forEach(function (cb) {
      try { cb(value); } catch (err) { if (window.console) { console.error(err); } }
    });
  }

  function send(type, extra) {
    var message = {pybossa: 1, type: type};
    if (extra) { Object.keys(extra).forEach(function (k) { message[k] = extra[k]; }); }
    window.parent.postMessage(message, parentOrigin);
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) { return; }
    if (parentOrigin !== "*" && event.origin !== parentOrigin) { return; }
    var data = event.data;
    if (!data || data.pybossa !== 1) { return; }
    if (data.type === "task") {
      current = data.task;
      call(handlers.task, current);
    } else if (data.type === "saved") {
      call(handlers.saved, data.taskrun);
    } else if (data.type === "done") {
      current = null;
      call(handlers.done, null);
    } else if (data.type === "error") {
      call(handlers.error, String(data.message || "error"));
    }
  });

  function register(name) {
    return function (cb) {
      if (typeof cb !== "function") { throw new TypeError("pybossa." + name + " needs a function"); }
      handlers[name].push(cb);
      if (name === "task" && current !== null) { call([cb], current); }
    };
  }

  window.pybossa = Object.freeze({
    onTask: register("task"),
    onSaved: register("saved"),
    onDone: register("done"),
    onError: register("error"),
    submit: function (answer) {
      // Only plain JSON travels: functions, cycles and the like fail here, in the presenter's console.
      var json = JSON.stringify(answer);
      if (json === undefined) { throw new TypeError("pybossa.submit needs a JSON value"); }
      send("submit", {answer: JSON.parse(json)});
    }
  });

  // The content's height (the body's, not the viewport's, so a taller frame does not ask for more).
  function reportHeight() {
    var body = document.body;
    var bottom = body.getBoundingClientRect().bottom + window.scrollY;
    send("resize", {height: Math.ceil(bottom + parseFloat(getComputedStyle(body).marginBottom || "0"))});
  }
  document.addEventListener("DOMContentLoaded", function () {
    send("ready");
    reportHeight();
    if (window.ResizeObserver) { new ResizeObserver(reportHeight).observe(document.body); }
  });
})();
