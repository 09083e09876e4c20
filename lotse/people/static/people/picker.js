/* Type-ahead pickers for nationalities and languages (progressive enhancement).

   A picker is a text input with data-picker="multi" and a list="…" pointing at a <datalist>
   (people/_picker_lists.html). Without this script the browser's own suggestions work for the
   first entry and everything is typed by hand ("Syrien, Türkei"; "Arabisch: Erstsprache") —
   the server understands both. With it, the input becomes an ARIA 1.2 combobox with a listbox
   of suggestions for the entry under the caret (entries are separated by commas):

   - typing filters (case and accents do not count; other names such as "Farsi" or "Kurmanji"
     find their entry), the first suggestion is active;
   - Arrow Down / Up move through the suggestions (Arrow Down also opens the list), Enter takes
     the active one, Escape closes the list, Tab leaves the field as always;
   - a language picker (data-picker-levels="Erstsprache|A1|…") asks for the level next: after a
     language it suggests "Language: level"; a comma goes on without one.

   Screen readers hear the number of suggestions from a polite status line; the texts come
   translated from #picker-texts. */
(function () {
  "use strict";

  var MAX_SUGGESTIONS = 8;
  var optionCache = new WeakMap();
  var pickers = 0;

  function fold(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/ß/g, "ss")
      .replace(/\s+/g, " ")
      .trim();
  }

  function texts() {
    var node = document.getElementById("picker-texts");
    return node ? node.dataset : {};
  }

  function options(list) {
    var cached = optionCache.get(list);
    if (cached) {
      return cached;
    }
    cached = Array.prototype.map.call(list.options, function (option) {
      var others = (option.dataset.match || "").split("|").map(fold).filter(Boolean);
      return { value: option.value, name: fold(option.value), others: others };
    });
    optionCache.set(list, cached);
    return cached;
  }

  /* The entry around the caret: between the commas before and after it. */
  function entryAt(input) {
    var value = input.value;
    var caret = input.selectionStart === null ? value.length : input.selectionStart;
    var start = value.lastIndexOf(",", caret - 1) + 1;
    var next = value.indexOf(",", caret);
    var end = next === -1 ? value.length : next;
    return { start: start, end: end, text: value.slice(start, end) };
  }

  function rank(option, query) {
    if (option.name.indexOf(query) === 0) {
      return 0;
    }
    if (option.others.some(function (other) { return other.indexOf(query) === 0; })) {
      return 1;
    }
    var words = option.name.split(/[\s()\-]+/).concat(option.others.join(" ").split(/[\s()\-]+/));
    if (words.some(function (word) { return word.indexOf(query) === 0; })) {
      return 2;
    }
    return option.name.indexOf(query) !== -1 ? 3 : -1;
  }

  function Picker(input, list) {
    this.input = input;
    this.list = list;
    this.levels = (input.dataset.pickerLevels || "").split("|").filter(Boolean);
    this.active = -1;
    this.suggestions = [];
    pickers += 1;
    var id = input.id || "picker-" + pickers;

    var wrapper = document.createElement("div");
    wrapper.className = "lotse-picker";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);

    this.box = document.createElement("ul");
    this.box.id = id + "-suggestions";
    this.box.className = "lotse-picker__list";
    this.box.setAttribute("role", "listbox");
    this.box.hidden = true;
    var label = input.labels && input.labels[0];
    if (label) {
      if (!label.id) {
        label.id = id + "-label";
      }
      this.box.setAttribute("aria-labelledby", label.id);
    }
    wrapper.appendChild(this.box);

    this.status = document.createElement("div");
    this.status.className = "kern-sr-only";
    this.status.setAttribute("role", "status");
    wrapper.appendChild(this.status);

    // The browser's own list would open beside ours.
    input.dataset.pickerList = input.getAttribute("list");
    input.removeAttribute("list");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.box.id);

    input.addEventListener("input", this.update.bind(this, false));
    input.addEventListener("keydown", this.keydown.bind(this));
    input.addEventListener("blur", this.blur.bind(this));
    this.box.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the input
    });
    this.box.addEventListener("click", this.click.bind(this));
  }

  Picker.prototype.compute = function (showAll) {
    var entry = entryAt(this.input);
    var text = entry.text.trim();
    var all = options(this.list);
    if (this.levels.length && text.indexOf(":") !== -1) {
      var name = text.slice(0, text.lastIndexOf(":")).trim();
      var level = fold(text.slice(text.lastIndexOf(":") + 1));
      var known = all.some(function (option) { return option.name === fold(name); });
      if (!known) {
        return [];
      }
      var match = all.filter(function (option) { return option.name === fold(name); })[0];
      return this.levels
        .filter(function (word) { return fold(word).indexOf(level) === 0; })
        .map(function (word) { return { value: match.value + ": " + word, level: true }; });
    }
    var query = fold(text);
    if (!query && !showAll) {
      return [];
    }
    var ranked = [];
    all.forEach(function (option) {
      var score = query ? rank(option, query) : 0;
      if (score >= 0) {
        ranked.push({ option: option, score: score });
      }
    });
    ranked.sort(function (a, b) { return a.score - b.score; });
    return ranked.slice(0, MAX_SUGGESTIONS).map(function (item) {
      return { value: item.option.value, level: false };
    });
  };

  Picker.prototype.update = function (showAll) {
    this.suggestions = this.compute(showAll === true);
    this.render(this.suggestions.length ? 0 : -1);
  };

  Picker.prototype.render = function (active) {
    var box = this.box;
    box.textContent = "";
    this.active = active;
    var self = this;
    this.suggestions.forEach(function (suggestion, index) {
      var item = document.createElement("li");
      item.id = box.id + "-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", index === active ? "true" : "false");
      item.dataset.index = String(index);
      item.textContent = suggestion.value;
      box.appendChild(item);
      if (index === active) {
        self.input.setAttribute("aria-activedescendant", item.id);
      }
    });
    var open = this.suggestions.length > 0;
    box.hidden = !open;
    this.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open || active < 0) {
      this.input.removeAttribute("aria-activedescendant");
    } else {
      var current = document.getElementById(box.id + "-" + active);
      if (current && current.scrollIntoView) {
        current.scrollIntoView({ block: "nearest" });
      }
    }
    var say = texts();
    var entry = entryAt(this.input).text.trim();
    if (open && this.suggestions[0].level) {
      this.status.textContent = say.levels || "";
    } else if (open) {
      this.status.textContent = (say.count || "%(count)s").replace("%(count)s", this.suggestions.length);
    } else {
      this.status.textContent = entry ? say.none || "" : "";
    }
  };

  Picker.prototype.close = function () {
    this.suggestions = [];
    this.render(-1);
    this.status.textContent = "";
  };

  Picker.prototype.choose = function (index) {
    var suggestion = this.suggestions[index];
    if (!suggestion) {
      return;
    }
    var input = this.input;
    var entry = entryAt(input);
    var before = input.value.slice(0, entry.start);
    var after = input.value.slice(entry.end);
    var askLevel = this.levels.length && !suggestion.level;
    var text = (entry.start > 0 ? " " : "") + suggestion.value + (askLevel ? ": " : "");
    var tail = after ? after : askLevel ? "" : ", ";
    input.value = before + text + tail;
    var caret = (before + text).length + (after || askLevel ? 0 : 2);
    input.setSelectionRange(caret, caret);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    if (askLevel) {
      this.update(true);
    } else {
      this.close();
    }
  };

  Picker.prototype.keydown = function (event) {
    var open = !this.box.hidden;
    var count = this.suggestions.length;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) {
        this.update(true);
        return;
      }
      this.render((this.active + 1) % count);
    } else if (event.key === "ArrowUp") {
      if (open) {
        event.preventDefault();
        this.render((this.active - 1 + count) % count);
      }
    } else if (event.key === "Enter") {
      if (open && this.active >= 0) {
        event.preventDefault(); // take the suggestion, do not send the form
        this.choose(this.active);
      }
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        this.close();
      }
    } else if (event.key === "Tab") {
      this.close();
    }
  };

  Picker.prototype.click = function (event) {
    var item = event.target.closest("[role=option]");
    if (item) {
      this.choose(Number(item.dataset.index));
    }
  };

  Picker.prototype.blur = function () {
    this.close();
    // "Syrien, " reads as unfinished: the separator left after the last choice goes.
    this.input.value = this.input.value.replace(/[,\s]+$/, "");
  };

  function enhance(root) {
    var inputs = (root.querySelectorAll ? root : document).querySelectorAll("input[data-picker][list]");
    Array.prototype.forEach.call(inputs, function (input) {
      var list = document.getElementById(input.getAttribute("list"));
      if (list) {
        new Picker(input, list);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
  // Rows that htmx brings (a member added) get their pickers too.
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
