// Progressive enhancement only: every page works without JavaScript.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}

// A print button on the person's plan (without JavaScript the page says to press Ctrl+P).
document.querySelectorAll("[data-dd-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
