// Progressive enhancement: a "Copy" button beside each referral text. Without JavaScript the text
// sits in a read-only box to select and copy by hand.
for (const button of document.querySelectorAll("[data-copy-target]")) {
  const target = document.getElementById(button.dataset.copyTarget);
  const status = document.getElementById(button.dataset.copyStatus);
  if (!target || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(target.value);
      if (status) status.textContent = "Copied. Paste it into your email or the agency's form.";
    } catch (error) {
      target.select();
      if (status) status.textContent = "Select the text and copy it (Ctrl+C).";
    }
  });
}
