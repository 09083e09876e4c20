// Passkeys: what Lotse adds to django-otp-webauthn's scripts (an external file: the CSP allows
// no inline script). The package's scripts run the ceremonies and announce their outcome as
// events on the page; this file acts on two of them.
(function () {
  "use strict";

  // A passkey is set up: show the second-factor page again, with it in the list (and the
  // message the server has left for that page).
  document.addEventListener("otp_webauthn.register_complete", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-passkey-done-url]") : null;
    var holder = target || document.querySelector("[data-passkey-done-url]");
    window.location.assign(holder ? holder.getAttribute("data-passkey-done-url") : window.location.href);
  });

  // Too many refused attempts (429 from the login throttling): reload, and the page says
  // that the login is locked for a while.
  document.addEventListener("otp_webauthn.verification_failed", function (event) {
    var response = event.detail && event.detail.response;
    if (response && response.status === 429) {
      window.setTimeout(function () { window.location.reload(); }, 1500);
    }
  });
})();
