/* cong search box: title suggestions as one types (the ARIA 1.2 combobox pattern:
   an input with a listbox popup). The form works as a plain form without this file. */
(function () {
  "use strict";

  var DELAY = 150;      // ms of typing pause before asking the server
  var MIN_LENGTH = 2;   // characters typed before suggestions are asked for

  function setup(form) {
    var input = form.querySelector("input[name='SearchableText']");
    var url = form.getAttribute("data-suggest-url");
    if (!input || !url || !window.fetch) { return; }
    var field = input.parentNode;
    var label = form.querySelector("label[for='" + input.id + "']");
    var listId = input.id + "-suggestions";

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    if (label) { list.setAttribute("aria-label", label.textContent.trim()); }
    list.hidden = true;
    field.appendChild(list);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var options = [];
    var active = -1;
    var timer = null;
    var asked = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var option = options[index];
      input.value = option.textContent;
      close();
      window.location.assign(option.getAttribute("data-url"));
    }

    function render(items) {
      // a later answer keeps the highlighted suggestion when it still lists it
      var kept = active >= 0 ? options[active].getAttribute("data-url") : null;
      list.textContent = "";
      options = items.map(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-url", item["@id"]);
        option.textContent = item.title;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();  // keep the focus in the input
          choose(i);
        });
        list.appendChild(option);
        return option;
      });
      highlight(options.findIndex(function (option) {
        return option.getAttribute("data-url") === kept;
      }));
      status.textContent = items.length
        ? form.getAttribute("data-count-text").replace("{count}", items.length)
        : form.getAttribute("data-none-text");
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function ask() {
      var text = input.value.trim();
      if (text.length < MIN_LENGTH) { asked = ""; close(); return; }
      if (text === asked) { return; }
      asked = text;
      fetch(url + "?q=" + encodeURIComponent(text), {
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : { items: [] };
      }).then(function (data) {
        if (input.value.trim() === text && document.activeElement === input) {
          render(data.items || []);
        }
      }).catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var count = options.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) {
          if (count) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
          else { asked = ""; ask(); }
          event.preventDefault();
          return;
        }
        // the highlight cycles through the options and back to the input (-1)
        var next = active + (event.key === "ArrowDown" ? 1 : -1);
        if (next >= count) { next = -1; } else if (next < -1) { next = count - 1; }
        highlight(next);
        event.preventDefault();
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", function () { close(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.search-box[data-suggest-url]").forEach(setup);
  });
})();
