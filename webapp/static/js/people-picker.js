// A search box above each list of people drawn from the directory (`x-directory-role`
// fields, marked data-people-picker): typing keeps the names that contain the text. The
// select still sends the user name; without JavaScript it is an ordinary list.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("select[data-people-picker]").forEach(function (select) {
    var search = document.createElement("input");
    search.type = "search";
    search.className = "people-search";
    search.id = select.id + "-search";
    search.setAttribute("autocomplete", "off");
    var label = document.querySelector('label[for="' + select.id + '"]');
    var name = label ? label.textContent.replace("*", "").replace("(required)", "").trim() : "";
    search.setAttribute("aria-label", (select.dataset.searchLabel || "Search") + " " + name);
    search.setAttribute("aria-controls", select.id);
    search.placeholder = select.dataset.searchPlaceholder || "Type to search by name";
    select.parentNode.insertBefore(search, select);
    search.addEventListener("input", function () {
      var wanted = fold(search.value.trim());
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var shown = !option.value || !wanted || fold(option.textContent).indexOf(wanted) !== -1 ||
          fold(option.value).indexOf(wanted) !== -1;
        option.hidden = !shown;
        if (shown && option.value && first === null) { first = option; }
      });
      var current = select.options[select.selectedIndex];
      if (wanted && first && (!current || current.hidden || !current.value)) {
        select.value = first.value;
      }
    });
  });
})();
