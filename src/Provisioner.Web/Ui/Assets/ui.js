// Live parts of the pages. The server says what changed over Server-Sent Events (/live); the page
// fetches itself again and swaps in its live regions (elements with data-live and an id), so all
// HTML, and all escaping, comes from the server. No framework, no build step.
(() => {
  "use strict";
  const regions = () => document.querySelectorAll("[data-live][id]");
  if (!regions().length || !window.EventSource) return;
  const wants = (document.body.dataset.live || "").split(" ").filter(Boolean);
  const hostId = document.body.dataset.hostId;
  let busy = false;
  let again = false;
  // Once a form is sent the page is on its way out; a refresh now would only race the next page.
  let leaving = false;
  document.addEventListener("submit", () => { leaving = true; });

  // A region the operator is typing in is left alone until they are done.
  const editing = (region) => {
    const active = document.activeElement;
    return region.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName);
  };

  // Checked boxes (hosts chosen for a build) survive the swap.
  const checked = (region) => new Set([...region.querySelectorAll("input[type=checkbox]:checked")].map((c) => c.name + "=" + c.value));

  async function refresh() {
    if (leaving) return;
    if (busy) { again = true; return; }
    busy = true;
    try {
      const response = await fetch(location.href, { credentials: "same-origin", headers: { "X-Live": "1" } });
      if (!response.ok || response.redirected) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const region of regions()) {
        const next = fresh.getElementById(region.id);
        if (!next || next.innerHTML === region.innerHTML || editing(region)) continue;
        const keep = checked(region);
        // A log scrolled to its end follows new lines; one scrolled up stays where the reader is.
        const tail = region.querySelector("pre.log");
        const following = !tail || tail.scrollTop + tail.clientHeight >= tail.scrollHeight - 4;
        region.innerHTML = next.innerHTML;
        const newLog = region.querySelector("pre.log");
        if (newLog && following) newLog.scrollTop = newLog.scrollHeight;
        for (const box of region.querySelectorAll("input[type=checkbox]")) {
          if (keep.has(box.name + "=" + box.value)) box.checked = true;
        }
      }
      document.body.dataset.refreshed = String(Date.now());
    } catch (e) {
      // Network blip: the next event tries again.
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }

  for (const log of document.querySelectorAll("pre.log")) log.scrollTop = log.scrollHeight;

  const events = new EventSource("/live");
  window.addEventListener("pagehide", () => events.close());
  events.addEventListener("open", () => { document.body.dataset.liveConnected = "true"; });
  events.addEventListener("host", (e) => {
    if (wants.includes("host") && (!hostId || e.data === hostId)) refresh();
  });
  // data: the ids of the hosts whose files are on their way; a host's page cares only for its own.
  events.addEventListener("transfers", (e) => {
    if (wants.includes("transfers") && (!hostId || e.data.split(",").includes(hostId))) refresh();
  });
  for (const name of ["discovered", "mirror", "images"]) {
    events.addEventListener(name, () => { if (wants.includes(name)) refresh(); });
  }
})();
