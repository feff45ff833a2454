// Combobox: a text input that suggests values from an autocomplete fragment
// (templates/reference/autocomplete.html) and keeps the picked code in a hidden input, or, with
// data-combobox-add="BOX_ID" and data-combobox-name="NAME", adds a checked box NAME=code in BOX_ID
// for each pick (a filter of several values).
//
//   <input type="text" name="appellation" id="id_appellation" data-combobox="id_appellation_code"
//          role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="appellation-options"
//          hx-get="/autocomplete/jobs" hx-trigger="input changed delay:200ms" hx-target="#appellation-options">
//   <input type="hidden" name="appellation_code" id="id_appellation_code">
//   <div id="appellation-options"></div>
//
// htmx fetches and swaps the options; this script sends the typed text as `q`, and lets the user
// pick an option with the mouse or the keyboard (arrows, Enter, Escape), following the ARIA 1.2
// combobox pattern. Without JavaScript the input is a plain text field: the server accepts a code
// or an exact label. A live region says how many options came (the listbox
// itself is not announced until the user moves into it).
(function () {
  "use strict";

  function hiddenOf(input) {
    return document.getElementById(input.getAttribute("data-combobox"));
  }
  function listOf(input) {
    return document.getElementById(input.getAttribute("aria-controls"));
  }
  function options(input) {
    var list = listOf(input);
    return list ? Array.prototype.slice.call(list.querySelectorAll('[role="option"]')) : [];
  }
  // One live region for the page, made at load and outside any swapped block: a region created
  // at the moment it speaks is not announced.
  var status = document.createElement("p");
  status.className = "fr-sr-only";
  status.setAttribute("role", "status");
  status.id = "combobox-status";
  document.body.appendChild(status);
  function announce(input) {
    var n = options(input).length;
    var list = listOf(input);
    status.textContent = n > 0
      ? n + (n > 1 ? " suggestions" : " suggestion") + " : flèches haut et bas pour parcourir, Entrée pour choisir."
      : (list ? list.textContent.trim() : "");
  }
  function close(input) {
    var list = listOf(input);
    if (list) list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function highlight(input, index) {
    var opts = options(input);
    opts.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (index >= 0 && index < opts.length) {
      input.setAttribute("aria-activedescendant", opts[index].id);
      opts[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function activeIndex(input) {
    var id = input.getAttribute("aria-activedescendant");
    return options(input).findIndex(function (o) { return o.id === id; });
  }
  function choose(input, option) {
    var box = document.getElementById(input.getAttribute("data-combobox-add") || "");
    if (box) {
      addChecked(box, input.getAttribute("data-combobox-name"), option);
      input.value = "";
    } else {
      input.value = option.getAttribute("data-label");
      var hidden = hiddenOf(input);
      if (hidden) hidden.value = option.getAttribute("data-value");
    }
    close(input);
    input.focus();
  }
  // addChecked puts a checked box for option in box (a searchable filter's chosen values),
  // or checks the one already there.
  function addChecked(box, name, option) {
    var value = option.getAttribute("data-value");
    var id = name + "-" + value;
    var existing = document.getElementById(id);
    if (!existing) {
      var group = document.createElement("div");
      group.className = "fr-checkbox-group fr-checkbox-group--sm";
      existing = document.createElement("input");
      existing.type = "checkbox";
      existing.name = name;
      existing.id = id;
      existing.value = value;
      var label = document.createElement("label");
      label.className = "fr-label";
      label.htmlFor = id;
      label.textContent = option.getAttribute("data-label");
      group.appendChild(existing);
      group.appendChild(label);
      box.appendChild(group);
    }
    existing.checked = true;
    status.textContent = option.getAttribute("data-label") + " ajouté aux filtres.";
  }
  function comboboxOf(el) {
    return el && el.matches && el.matches("input[data-combobox]") ? el : null;
  }

  // The autocomplete endpoints read the text in `q`, whatever the input's own name.
  document.addEventListener("htmx:configRequest", function (e) {
    var input = comboboxOf(e.detail.elt);
    if (!input) return;
    delete e.detail.parameters[input.name];
    e.detail.parameters.q = input.value;
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    var list = e.detail.target;
    if (!list || !list.id) return;
    var input = document.querySelector('input[data-combobox][aria-controls="' + list.id + '"]');
    if (!input) return;
    if (document.activeElement !== input) { close(input); return; }
    input.setAttribute("aria-expanded", options(input).length > 0 ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
    announce(input);
  });

  document.addEventListener("input", function (e) {
    var input = comboboxOf(e.target);
    if (!input) return;
    var hidden = hiddenOf(input);
    if (hidden) hidden.value = ""; // a new text: the picked code no longer applies
  });

  document.addEventListener("keydown", function (e) {
    var input = comboboxOf(e.target);
    if (!input) return;
    var opts = options(input);
    var i = activeIndex(input);
    switch (e.key) {
      case "ArrowDown":
        if (!opts.length) return;
        e.preventDefault();
        input.setAttribute("aria-expanded", "true");
        highlight(input, i + 1 >= opts.length ? 0 : i + 1);
        break;
      case "ArrowUp":
        if (!opts.length) return;
        e.preventDefault();
        highlight(input, i <= 0 ? opts.length - 1 : i - 1);
        break;
      case "Enter":
        if (i >= 0) { e.preventDefault(); choose(input, opts[i]); }
        break;
      case "Escape":
        if (opts.length) { e.preventDefault(); close(input); }
        break;
    }
  });

  // mousedown (not click) so that the input keeps the focus until the option is taken.
  document.addEventListener("mousedown", function (e) {
    var option = e.target.closest && e.target.closest('[role="option"]');
    if (!option) return;
    var list = option.parentElement.closest("[id]"); // the htmx target holding the listbox
    var input = list && document.querySelector('input[data-combobox][aria-controls="' + list.id + '"]');
    if (!input) return;
    e.preventDefault();
    choose(input, option);
  });

  document.addEventListener("focusout", function (e) {
    var input = comboboxOf(e.target);
    if (input) close(input);
  });
})();
