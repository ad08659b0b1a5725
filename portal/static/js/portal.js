// Starts Det Fælles Designsystem's components; the CSP allows no inline script, so it lives here.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
