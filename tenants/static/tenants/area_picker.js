// The kecamatan / desa-kelurahan picker of the invitation and role forms (tenants/forms.py).
// Without this script the form is a plain <select> grouped by kecamatan, which works as it is.
// With it: a search box above the select narrows its options by name or code, the select
// offers a camat only kecamatan and a lurah only desa/kelurahan, and the OPD and area fields
// show only for the roles that use them. The server checks everything again.
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function fieldOf(element) {
    return element.closest(".field") || element.parentElement;
  }

  function setUp(select) {
    var form = select.form;
    var role = form.querySelector("select[name=role]");
    var opd = form.querySelector("[name=opd]");
    // The original groups, kept to rebuild the select from on every search.
    var groups = Array.prototype.map.call(select.querySelectorAll("optgroup"), function (group) {
      return {
        label: group.label,
        options: Array.prototype.map.call(group.querySelectorAll("option"), function (option) {
          return { option: option, text: fold(option.textContent + " " + group.label) };
        }),
      };
    });
    var empty = select.querySelector("option[value='']");

    var search = document.createElement("input");
    search.type = "search";
    search.id = select.id + "_search";
    search.autocomplete = "off";
    search.setAttribute("aria-controls", select.id);
    var label = document.createElement("label");
    label.htmlFor = search.id;
    label.textContent = select.dataset.searchLabel || "Cari";
    var status = document.createElement("div");
    status.className = "helptext";
    status.id = select.id + "_count";
    status.setAttribute("role", "status");
    var box = document.createElement("div");
    box.className = "area-search";
    box.appendChild(label);
    box.appendChild(search);
    box.appendChild(status);
    select.parentNode.insertBefore(box, select);

    function wantedLevel() {
      if (!role) return null;
      if (role.value === "camat") return "kecamatan";
      if (role.value === "lurah") return "village";
      return null;
    }

    function rebuild() {
      var words = fold(search.value).split(/\s+/).filter(Boolean);
      var level = wantedLevel();
      var selected = select.value;
      var count = 0;
      while (select.lastChild) select.removeChild(select.lastChild);
      if (empty) select.appendChild(empty);
      groups.forEach(function (group) {
        var element = document.createElement("optgroup");
        element.label = group.label;
        group.options.forEach(function (entry) {
          var option = entry.option;
          var fits = (!level || option.dataset.level === level) &&
            words.every(function (word) { return entry.text.indexOf(word) !== -1; });
          if (fits || option.value === selected) {
            element.appendChild(option);
            if (fits) count += 1;
          }
        });
        if (element.children.length) select.appendChild(element);
      });
      select.value = selected;
      if (words.length && select.value === "" && count === 1) {
        select.value = select.querySelector("option[data-level]:not([value=''])").value;
      }
      status.textContent = (select.dataset.countLabel || "{n}").replace("{n}", count);
    }

    function showFields() {
      var value = role ? role.value : "";
      var usesArea = value === "camat" || value === "lurah";
      fieldOf(select).hidden = role ? !usesArea : false;
      if (opd) fieldOf(opd).hidden = role ? value !== "opd" && !opd.value : false;
      rebuild();
    }

    search.addEventListener("input", rebuild);
    if (role) role.addEventListener("change", showFields);
    showFields();
  }

  document.querySelectorAll("select[data-area-picker]").forEach(setUp);
})();
