"use strict";
const $ = (s) => document.querySelector(s);
const esc = (t) => String(t ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const pages = ["resources", "details", "logs", "metrics"];
let resources = [];

// Pages: #resources, #details/<name>, #logs/<name>, #metrics
function route() {
  const [page, arg] = (location.hash || "#resources").slice(1).split("/").map(decodeURIComponent);
  const current = pages.includes(page) ? page : "resources";
  for (const name of pages) $(`#page-${name}`).classList.toggle("hidden", name !== current);
  for (const link of document.querySelectorAll("nav a")) {
    link.classList.toggle("active", link.dataset.page === (current === "details" ? "resources" : current));
  }
  if (current === "details") showDetails(arg);
  if (current === "logs") {
    const name = arg || logResource || resources[0]?.name;
    if (name && name !== logResource) followLogs(name);
  }
  if (current === "metrics") refreshMetrics();
}
window.addEventListener("hashchange", route);

// Resources, live
function uptime(startedAt) {
  if (!startedAt) return "";
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(startedAt)) / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}
const isDown = (r) => ["NotStarted", "Exited", "FailedToStart"].includes(r.state);
function endpointHtml(r) {
  if (!r.endpoint) return `<span class="muted">–</span>`;
  return r.endpoint.startsWith("http") ? `<a href="${esc(r.endpoint)}" target="_blank" rel="noopener">${esc(r.endpoint)}</a>` : esc(r.endpoint);
}
function stateHtml(r) {
  return `<span class="pill state-${esc(r.state)}"${r.detail ? ` title="${esc(r.detail)}"` : ""}>${esc(r.state)}</span>`;
}
function actionsHtml(r) {
  const logs = `<a class="button" href="#logs/${encodeURIComponent(r.name)}">Logs</a>`;
  if (r.kind !== "Project") return logs;
  const buttons = isDown(r) ? ["Start"] : ["Stop", "Restart"];
  return logs + buttons.map((a) => `<button data-action="${a.toLowerCase()}" data-name="${esc(r.name)}">${a}</button>`).join("");
}
function rowHtml(r) {
  return `<td class="name"><a href="#details/${encodeURIComponent(r.name)}">${esc(r.name)}</a></td>
    <td>${esc(r.kind)}${r.kind === "Project" ? ` <span class="muted">· replica ${r.replica}</span>` : ""}</td>
    <td>${stateHtml(r)}${isDown(r) && r.detail ? ` <span class="muted">${esc(r.detail)}</span>` : ""}</td>
    <td class="pid">${esc(r.pid)}</td><td>${endpointHtml(r)}</td><td class="uptime"></td>
    <td>${r.restarts}</td><td>${esc(r.exitCode)}</td><td class="actions">${actionsHtml(r)}</td>`;
}
// Only what changed is redrawn (uptimes tick every second): a button under the pointer stays the same element.
function setHtml(element, html) {
  if (element.dataset.html !== html) { element.innerHTML = html; element.dataset.html = html; }
}
function renderResources() {
  const body = $("#resources tbody");
  resources.forEach((r, i) => {
    let row = body.children[i];
    if (!row || row.dataset.name !== r.name) {
      row = document.createElement("tr");
      row.dataset.name = r.name;
      body.insertBefore(row, body.children[i] ?? null);
    }
    setHtml(row, rowHtml(r));
    row.querySelector(".uptime").textContent = uptime(r.startedAt);
  });
  while (body.children.length > resources.length) body.lastElementChild.remove();
  const names = resources.map((r) => r.name);
  const select = $("#log-resource");
  if ([...select.options].map((o) => o.value).join() !== names.join()) {
    select.innerHTML = names.map((n) => `<option ${n === logResource ? "selected" : ""}>${esc(n)}</option>`).join("");
  }
  renderSummary();
}
const stream = new EventSource("/api/resources/stream");
stream.addEventListener("resources", (e) => {
  const first = resources.length === 0;
  resources = JSON.parse(e.data);
  renderResources();
  if (first) route();
});
stream.onopen = () => { $("#connection").textContent = "live"; $("#connection").className = "pill state-Healthy"; };
stream.onerror = () => { $("#connection").textContent = "reconnecting…"; $("#connection").className = "pill state-Unhealthy"; };
setInterval(renderResources, 1000);

$("#resources").addEventListener("click", async (e) => {
  const { action, name } = e.target.dataset;
  if (!action) return;
  e.target.disabled = true;
  const response = await fetch(`/api/resources/${encodeURIComponent(name)}/${action}`, { method: "POST", headers: { "X-Dashboard-Action": "1" } });
  if (!response.ok) e.target.disabled = false;
});

// Details
let detailsName = null;
function renderSummary() {
  const r = resources.find((x) => x.name === detailsName);
  if (!r) return;
  const none = `<span class="muted">–</span>`;
  const rows = [
    ["Kind", `${esc(r.kind)}${r.kind === "Project" ? ` · replica ${r.replica}` : ""}`], ["State", stateHtml(r)],
    ["Detail", esc(r.detail) || none], ["PID", esc(r.pid) || none], ["Endpoint", endpointHtml(r)],
    ["Uptime", `<span class="uptime"></span>`], ["Restarts", r.restarts], ["Exit code", esc(r.exitCode) || none],
    ["Console", actionsHtml({ ...r, kind: "" })],
  ];
  const summary = $("#details-summary");
  setHtml(summary, rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join(""));
  summary.querySelector(".uptime").textContent = uptime(r.startedAt) || "–";
}
async function showDetails(name) {
  detailsName = name;
  $("#details-title").textContent = name;
  renderSummary();
  const response = await fetch(`/api/resources/${encodeURIComponent(name)}`);
  const body = $("#details-environment tbody");
  if (!response.ok) { body.innerHTML = `<tr><td>No resource named ${esc(name)}.</td></tr>`; return; }
  const d = await response.json();
  body.innerHTML = d.environment.length
    ? d.environment.map((v) => `<tr><td>${esc(v.name)}</td><td>${esc(v.value)}</td></tr>`).join("")
    : `<tr><td class="muted">Nothing set yet: it has not started.</td></tr>`;
}

// Console logs, live
let logResource = null;
let logSource = null;
let logLines = [];
function followLogs(name) {
  logResource = name;
  logLines = [];
  $("#log-lines").innerHTML = "";
  $("#log-resource").value = name;
  logSource?.close();
  logSource = new EventSource(`/api/resources/${encodeURIComponent(name)}/logs`);
  logSource.addEventListener("log", (e) => { const line = JSON.parse(e.data); logLines.push(line); if (logLines.length > 5000) logLines.shift(); appendLine(line); });
}
function lineHtml(l) {
  const t = new Date(l.timestamp);
  const ts = t.toLocaleTimeString([], { hour12: false }) + "." + String(t.getMilliseconds()).padStart(3, "0");
  return `<div class="${l.isError ? "err" : ""}"><span class="ts">${ts}</span> ${esc(l.text)}</div>`;
}
function matches(l) { const f = $("#log-filter").value.toLowerCase(); return !f || l.text.toLowerCase().includes(f); }
function appendLine(l) {
  if (!matches(l)) return;
  const box = $("#log-lines");
  box.insertAdjacentHTML("beforeend", lineHtml(l));
  if (box.childElementCount > 5000) box.firstElementChild.remove();
  if ($("#log-follow").checked) box.scrollTop = box.scrollHeight;
}
$("#log-filter").addEventListener("input", () => { $("#log-lines").innerHTML = logLines.filter(matches).map(lineHtml).join(""); });
$("#log-resource").addEventListener("change", (e) => { location.hash = `#logs/${encodeURIComponent(e.target.value)}`; });

// Event channel charts, from the Api replicas' /metrics
function drawChart(canvas, series, colors, { whole = false } = {}) {
  // Drawn at the size the page gives the canvas, in device pixels, so lines and labels stay sharp.
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight, left = 44, right = 6, top = 8, bottom = 8;
  if (w === 0) return;
  if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
    canvas.width = Math.round(w * ratio); canvas.height = Math.round(h * ratio);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const step = niceStep(Math.max(0, ...series.flat().filter((v) => v != null)) / 4, whole);
  const max = step * 4;
  const yOf = (v) => top + (h - top - bottom) * (1 - v / max);
  ctx.strokeStyle = "#263140"; ctx.fillStyle = "#8a96a6"; ctx.font = "11px DejaVu Sans, sans-serif"; ctx.lineWidth = 1; ctx.textAlign = "right";
  for (let i = 0; i <= 4; i++) {
    const y = Math.round(yOf(step * i)) + 0.5;
    ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(w - right, y); ctx.stroke();
    ctx.fillText(String(Number((step * i).toFixed(2))), left - 8, y + 4);
  }
  const slots = 120;
  series.forEach((points, s) => {
    // The newest sample at the right edge; the line grows in from the right as samples arrive.
    const xOf = (i) => left + ((w - right - left) * (slots - points.length + i)) / (slots - 1);
    ctx.strokeStyle = ctx.fillStyle = colors[s]; ctx.lineWidth = 2; ctx.lineJoin = "round";
    points.forEach((v, i) => {
      if (v == null) return;
      const previous = points[i - 1], next = points[i + 1];
      if (previous == null && next == null) { ctx.beginPath(); ctx.arc(xOf(i), yOf(v), 2.5, 0, 2 * Math.PI); ctx.fill(); return; }
      if (previous == null) { ctx.beginPath(); ctx.moveTo(xOf(i), yOf(v)); } else ctx.lineTo(xOf(i), yOf(v));
      if (next == null || i === points.length - 1) ctx.stroke();
    });
  });
}
/** The smallest of 1, 2, 2.5, 5 × 10^k at least v (at least 1 for whole numbers), so the four gridlines read well. */
function niceStep(v, whole) {
  if (v <= 0) return whole ? 1 : 0.25;
  const power = Math.pow(10, Math.floor(Math.log10(v)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((m) => m >= v);
  return whole ? Math.max(1, Math.ceil(step)) : step;
}
async function refreshMetrics() {
  if ($("#page-metrics").classList.contains("hidden")) return;
  try {
    const samples = (await (await fetch("/api/metrics")).json()).slice(-120);
    const last = samples[samples.length - 1] ?? {};
    const num = (v) => (v == null ? "–" : v.toFixed(1));
    $("#value-connections").textContent = last.activeConnections ?? "–";
    $("#value-appends").textContent = num(last.appendsPerSecond);
    $("#value-deliveries").textContent = num(last.deliveriesPerSecond);
    $("#value-latency").textContent = `${num(last.latencyP50Ms)} / ${num(last.latencyP99Ms)}`;
    drawChart($("#chart-connections"), [samples.map((s) => s.activeConnections)], ["#4ea1ff"], { whole: true });
    drawChart($("#chart-appends"), [samples.map((s) => s.appendsPerSecond)], ["#3fb950"]);
    drawChart($("#chart-deliveries"), [samples.map((s) => s.deliveriesPerSecond)], ["#d29922"]);
    drawChart($("#chart-latency"), [samples.map((s) => s.latencyP50Ms), samples.map((s) => s.latencyP99Ms)], ["#4ea1ff", "#f85149"]);
  } catch { /* the AppHost is stopping */ }
}
setInterval(refreshMetrics, 1000);
route();
