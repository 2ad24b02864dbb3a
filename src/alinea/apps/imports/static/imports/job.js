// The import runs in the background: follow its progress and reload when its phase changes.
(() => {
  const card = document.querySelector("[data-status-url]");
  if (!card) return;
  const bar = card.querySelector("progress");
  const label = card.querySelector("[data-testid=progress-label]");
  const phase = card.dataset.phase;
  const poll = async () => {
    try {
      const response = await fetch(card.dataset.statusUrl, { headers: { Accept: "application/json" } });
      const status = await response.json();
      if (status.phase !== phase) {
        window.location.reload();
        return;
      }
      const progress = status.progress || {};
      if (bar && progress.total) {
        bar.max = progress.total;
        bar.value = progress.done;
      }
      if (label) label.textContent = progress.file || "";
    } catch (error) {
      // a dropped poll is retried below
    }
    window.setTimeout(poll, 700);
  };
  window.setTimeout(poll, 300);
})();
