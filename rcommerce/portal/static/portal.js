// The advocate portal's only script (served from our own origin; the pages allow no other):
// copy buttons put their text on the clipboard, and phones get the native share sheet.
"use strict";
(function () {
  function copied(button) {
    var label = button.textContent;
    button.textContent = button.dataset.copied || label;
    setTimeout(function () { button.textContent = label; }, 2000);
  }
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = button.dataset.copy;
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { copied(button); }, function () {
          var field = document.getElementById(button.dataset.field || "");
          if (field) { field.focus(); field.select(); }
        });
      } else {
        var field = document.getElementById(button.dataset.field || "");
        if (field) { field.focus(); field.select(); }
      }
    });
  });
  document.querySelectorAll("[data-share]").forEach(function (button) {
    if (!navigator.share) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ text: button.dataset.text, url: button.dataset.share }).catch(function () {});
    });
  });
})();
