// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Review form: preview the chosen photos before they are uploaded.
  document.querySelectorAll("input[type=file][name=media]").forEach(function (input) {
    var list = input.form && input.form.querySelector(".upload-preview");
    if (!list) {
      return;
    }
    input.addEventListener("change", function () {
      list.textContent = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        if (file.type.indexOf("image/") === 0) {
          var img = document.createElement("img");
          img.src = URL.createObjectURL(file);
          img.alt = "Preview of " + file.name;
          img.width = 72;
          img.height = 72;
          img.onload = function () { URL.revokeObjectURL(img.src); };
          item.appendChild(img);
        }
        var name = document.createElement("span");
        name.textContent = file.name;
        item.appendChild(name);
        list.appendChild(item);
      });
      list.hidden = input.files.length === 0;
    });
  });

  // Forms: prevent double submission (a second click while the first upload runs).
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) {
        setTimeout(function () { button.disabled = true; }, 0);
      }
    });
  });
})();
