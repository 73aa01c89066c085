"use strict";
const $ = (s) => document.querySelector(s);
const esc = (t) => String(t ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
let resources = [];
let selected = null;

// Pages
function showPage() {
  const page = (location.hash || "#resources").slice(1);
  for (const name of ["resources", "logs", "metrics"]) {
    $(`#page-${name}`).classList.toggle("hidden", name !== page);
    document.querySelector(`nav a[data-page=${name}]`).classList.toggle("active", name === page);
  }
}
window.addEventListener("hashchange", showPage);
showPage();

// Resources, live
function uptime(startedAt) {
  if (!startedAt) return "";
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(startedAt)) / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}
function renderResources() {
  $("#resources tbody").innerHTML = resources.map((r) => {
    const link = r.endpoint && r.endpoint.startsWith("http") ? `<a href="${esc(r.endpoint)}" target="_blank">${esc(r.endpoint)}</a>` : esc(r.endpoint);
    const actions = r.kind === "Project"
      ? ["start", "stop", "restart"].map((a) => `<button data-action="${a}" data-name="${esc(r.name)}">${a}</button>`).join("")
      : "";
    return `<tr><td class="name" data-name="${esc(r.name)}">${esc(r.name)}</td><td>${esc(r.kind)}${r.kind === "Project" ? ` · replica ${r.replica}` : ""}</td>
      <td><span class="pill state-${esc(r.state)}" title="${esc(r.detail)}">${esc(r.state)}</span></td><td>${esc(r.pid)}</td><td>${link}</td>
      <td>${uptime(r.startedAt)}</td><td>${r.restarts}</td><td>${esc(r.exitCode)}</td><td>${actions}</td></tr>`;
  }).join("");
  const options = resources.map((r) => `<option ${r.name === logResource ? "selected" : ""}>${esc(r.name)}</option>`).join("");
  if ($("#log-resource").options.length !== resources.length) $("#log-resource").innerHTML = options;
}
const stream = new EventSource("/api/resources/stream");
stream.addEventListener("resources", (e) => { resources = JSON.parse(e.data); renderResources(); if (!logResource && resources.length) followLogs(resources[0].name); });
stream.onopen = () => { $("#connection").textContent = "live"; $("#connection").className = "pill state-Healthy"; };
stream.onerror = () => { $("#connection").textContent = "reconnecting…"; $("#connection").className = "pill state-Unhealthy"; };
setInterval(renderResources, 1000);

$("#resources").addEventListener("click", async (e) => {
  const action = e.target.dataset.action;
  const name = e.target.dataset.name;
  if (action) {
    await fetch(`/api/resources/${encodeURIComponent(name)}/${action}`, { method: "POST", headers: { "X-Dashboard-Action": "1" } });
  } else if (name) {
    selected = selected === name ? null : name;
    showDetails();
  }
});
async function showDetails() {
  const box = $("#details");
  if (!selected) { box.classList.add("hidden"); return; }
  const d = await (await fetch(`/api/resources/${encodeURIComponent(selected)}`)).json();
  box.innerHTML = `<h2>${esc(selected)} — environment</h2><table>${d.environment.map((v) => `<tr><td>${esc(v.name)}</td><td>${esc(v.value)}</td></tr>`).join("")}</table>`;
  box.classList.remove("hidden");
}

// Console logs, live
let logResource = null;
let logSource = null;
let logLines = [];
function followLogs(name) {
  logResource = name;
  logLines = [];
  $("#log-lines").innerHTML = "";
  logSource?.close();
  logSource = new EventSource(`/api/resources/${encodeURIComponent(name)}/logs`);
  logSource.addEventListener("log", (e) => { const line = JSON.parse(e.data); logLines.push(line); if (logLines.length > 5000) logLines.shift(); appendLine(line); });
}
function lineHtml(l) {
  const ts = new Date(l.timestamp).toLocaleTimeString([], { hour12: false }) + "." + String(new Date(l.timestamp).getMilliseconds()).padStart(3, "0");
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
$("#log-resource").addEventListener("change", (e) => followLogs(e.target.value));

// Event channel charts, from the Api replicas' /metrics
function drawChart(canvas, series, colors) {
  const ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, pad = 34;
  ctx.clearRect(0, 0, w, h);
  const values = series.flat().filter((v) => v != null);
  const max = Math.max(1, ...values) * 1.15;
  ctx.strokeStyle = "#263140"; ctx.fillStyle = "#8a96a6"; ctx.font = "11px DejaVu Sans, sans-serif"; ctx.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = pad / 2 + ((h - pad) * i) / 4;
    ctx.beginPath(); ctx.moveTo(pad, y); ctx.lineTo(w - 6, y); ctx.stroke();
    ctx.fillText((max * (1 - i / 4)).toFixed(max < 10 ? 1 : 0), 2, y + 4);
  }
  series.forEach((points, s) => {
    ctx.strokeStyle = colors[s]; ctx.lineWidth = 2; ctx.beginPath();
    let started = false;
    points.forEach((v, i) => {
      if (v == null) return;
      const x = pad + ((w - pad - 6) * i) / Math.max(1, points.length - 1);
      const y = pad / 2 + (h - pad) * (1 - v / max);
      started ? ctx.lineTo(x, y) : ctx.moveTo(x, y); started = true;
    });
    ctx.stroke();
    const last = [...points].reverse().find((v) => v != null);
    if (last != null) { ctx.fillStyle = colors[s]; ctx.fillText(last.toFixed(1), w - 60, 14 + s * 14); }
  });
}
async function refreshMetrics() {
  try {
    const samples = (await (await fetch("/api/metrics")).json()).slice(-120);
    drawChart($("#chart-connections"), [samples.map((s) => s.activeConnections)], ["#4ea1ff"]);
    drawChart($("#chart-appends"), [samples.map((s) => s.appendsPerSecond)], ["#3fb950"]);
    drawChart($("#chart-deliveries"), [samples.map((s) => s.deliveriesPerSecond)], ["#d29922"]);
    drawChart($("#chart-latency"), [samples.map((s) => s.latencyP50Ms), samples.map((s) => s.latencyP99Ms)], ["#4ea1ff", "#f85149"]);
  } catch { /* the AppHost is stopping */ }
}
setInterval(refreshMetrics, 1000);
refreshMetrics();
