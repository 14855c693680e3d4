// Checks a copy of a signed document against the published SHA-256 fingerprints, in the
// browser (Web Crypto): the file never leaves the visitor's device. Loaded as a file, so the
// site's Content-Security-Policy (no inline script) allows it.
(function () {
  "use strict";
  var box = document.getElementById("verify");
  if (!box) return;
  var input = document.getElementById("verify-file");
  var result = document.getElementById("verify-result");
  var published = (box.dataset.fingerprints || "").split(" ").filter(Boolean);

  function hex(buffer) {
    return Array.prototype.map
      .call(new Uint8Array(buffer), function (b) { return b.toString(16).padStart(2, "0"); })
      .join("");
  }

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file) { result.textContent = ""; return; }
    if (!(window.crypto && window.crypto.subtle && file.arrayBuffer)) {
      result.textContent = box.dataset.unsupported;
      return;
    }
    result.textContent = box.dataset.working;
    file.arrayBuffer()
      .then(function (data) { return window.crypto.subtle.digest("SHA-256", data); })
      .then(function (digest) {
        var value = hex(digest);
        var ok = published.indexOf(value) !== -1;
        result.textContent = (ok ? box.dataset.match : box.dataset.mismatch) + " SHA-256: " + value;
        result.className = ok ? "message success" : "message warning";
      })
      .catch(function () { result.textContent = box.dataset.unsupported; });
  });
})();
