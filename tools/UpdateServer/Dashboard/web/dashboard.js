// The fleet dashboard: reads the admin API with the admin token typed in (kept in sessionStorage,
// never in the URL), renders the fleet, the rollouts with their waves and the recent failures, and
// listens to /api/v1/admin/events (server-sent events, read with fetch so the token travels in the
// Authorization header) to refresh when something changes. No framework, nothing from a CDN.
"use strict";

const api = "/api/v1/admin";
let token = sessionStorage.getItem("secure-ota-admin-token");
let refreshTimer = null;
let stream = null;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return e;
}

function stateBadge(state) {
  return el("span", { class: "state state-" + state, "data-state": state }, state);
}

function ago(unixSeconds) {
  if (!unixSeconds) return "never";
  const s = Math.max(0, Math.round(Date.now() / 1000 - unixSeconds));
  if (s < 60) return s + " s ago";
  if (s < 3600) return Math.round(s / 60) + " min ago";
  if (s < 86400) return Math.round(s / 3600) + " h ago";
  return new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace("T", " ");
}

async function get(path) {
  const r = await fetch(api + path, { headers: { Authorization: "Bearer " + token }, cache: "no-store" });
  if (r.status === 401) throw new Error("unauthorized");
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}

async function post(path) {
  const r = await fetch(api + path, { method: "POST", headers: { Authorization: "Bearer " + token } });
  if (!r.ok) alert((await r.json().catch(() => ({}))).error || "HTTP " + r.status);
}

let historyOf = null; // the device whose history is open, refreshed with the rest

async function showHistory(id) {
  historyOf = id;
  const reports = await get("/devices/" + encodeURIComponent(id) + "/reports");
  document.getElementById("history-device").textContent = id;
  document.getElementById("history-rows").replaceChildren(...(reports.length ? reports.map(r => el("tr", {},
    el("td", {}, stateBadge(r.state)), el("td", {}, String(r.sequence)),
    el("td", {}, (r.failure ? `${r.failure}/${r.code}: ` : "") + (r.message || "")), el("td", {}, ago(r.at))))
    : [el("tr", {}, el("td", { class: "hint" }, "No report yet."))]));
  document.getElementById("history").hidden = false;
}

function renderFleet(devices) {
  const rows = devices.map(d => el("tr", { "data-device": d.id, class: "clickable" },
    el("td", { class: "mono" }, d.id),
    el("td", { class: "mono", title: d.classId }, d.classId.slice(0, 8)),
    el("td", { "data-testid": "version" }, d.version || "—"),
    el("td", {}, String(d.sequence)),
    el("td", { "data-testid": "state" }, stateBadge(d.state)),
    el("td", {}, ago(d.lastSeen)),
    el("td", {}, d.lastReason || "")));
  rows.forEach(tr => { tr.onclick = () => showHistory(tr.getAttribute("data-device")).catch(e => setLive(false, "error: " + e.message)); });
  document.getElementById("fleet-rows").replaceChildren(...rows);
  const count = s => devices.filter(d => d.state === s).length;
  // Issue 18: boards holding a verified update back (consent, window) and boards whose update channel looks blocked.
  const held = [["waiting-consent", "waiting for consent"], ["waiting-window", "waiting for their window"], ["channel-blocked", "update channel blocked"]]
    .filter(([s]) => count(s) > 0).map(([s, label]) => ` · ${count(s)} ${label}`).join("");
  document.getElementById("fleet-summary").textContent =
    `${devices.length} devices · ${count("confirmed")} confirmed · ${count("failed") + count("reverted")} failed or reverted` + held;
}

// A rollout's progress over time as a small SVG chart drawn here: confirmed (green) and failed (red)
// boards as a share of its devices, from its creation to now, one step per report.
const svgNs = "http://www.w3.org/2000/svg";
function progressChart(progress) {
  const w = 600, h = 70, now = Math.max(Date.now() / 1000, ...progress.points.map(p => p.at));
  const span = Math.max(1, now - progress.created), devices = Math.max(1, progress.devices);
  const x = at => (w * (at - progress.created) / span).toFixed(1), y = n => (h - h * n / devices).toFixed(1);
  const line = (key, cls) => {
    let last = 0, points = [`0,${h}`];
    for (const p of progress.points) { points.push(`${x(p.at)},${y(last)}`, `${x(p.at)},${y(p[key])}`); last = p[key]; }
    points.push(`${w},${y(last)}`);
    const pl = document.createElementNS(svgNs, "polyline");
    pl.setAttribute("points", points.join(" "));
    pl.setAttribute("class", cls);
    pl.setAttribute("data-last", String(last));
    return pl;
  };
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("class", "progress");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "boards confirmed and failed over time");
  svg.append(line("confirmed", "confirmed"), line("failed", "failed"));
  return svg;
}

// A rollout's install policy in words: automatic, on consent, or its window in the boards' local time.
function installText(p) {
  if (!p || p.policy === "automatic") return "automatically";
  if (p.policy === "on-consent") return "on consent";
  const hm = m => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  return `in the window ${hm(p.windowStart)}–${hm(p.windowEnd)} local` +
    (p.deadline ? `, anyway after ${new Date(p.deadline * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC` : ", never outside it");
}

function renderRollouts(rollouts, progress) {
  const boxes = rollouts.slice().reverse().map(r => {
    const actions = el("span", {});
    const add = (label, path) => { const b = el("button", { type: "button" }, label); b.onclick = () => post(`/rollouts/${r.id}/${path}`).then(refresh); actions.append(b); };
    if (r.state === "running") add("Pause", "pause");
    if (r.state === "paused" || r.state === "halted") add("Resume", "resume");
    if (["running", "paused", "halted"].includes(r.state)) add("Cancel", "cancel");
    const waves = r.waves.map(w => {
      const ok = w.devices ? 100 * w.confirmed / w.devices : 0, bad = w.devices ? 100 * w.failed / w.devices : 0;
      const okBar = el("span", { class: "ok" }); okBar.style.width = ok + "%";
      const badBar = el("span", { class: "bad" }); badBar.style.left = ok + "%"; badBar.style.width = Math.min(bad, 100 - ok) + "%";
      return el("div", { class: "wave" + (w.wave <= r.currentWave ? " open" : ""), "data-wave": String(w.wave) },
        el("span", { class: "label" }, `Wave ${w.wave} (${w.percent}%)${w.wave <= r.currentWave ? "" : " · waiting"}`),
        el("div", { class: "bar" }, okBar, badBar),
        el("span", { "data-testid": "wave-progress" }, `${w.confirmed}/${w.devices} confirmed, ${w.failed} failed`));
    });
    return el("div", { class: "rollout", "data-rollout": String(r.id) },
      el("div", {}, el("strong", {}, `Rollout ${r.id}`), ` · sequence ${r.sequence} · class `, el("span", { class: "mono" }, r.classId.slice(0, 8)),
        " · ", stateBadge(r.state),
        ` · next wave at ${r.successThreshold}% confirmed · halts at ${r.errorThreshold} failed · installs `,
        el("span", { "data-testid": "install" }, installText(r.install)), " ", actions),
      ...waves, progress[r.id] ? progressChart(progress[r.id]) : "");
  });
  document.getElementById("rollouts").replaceChildren(...(boxes.length ? boxes : [el("p", { class: "hint" }, "No rollouts yet.")]));
}

function renderFailures(failures) {
  if (failures.length === 0) {
    const cell = el("td", { class: "hint" }, "No failure reported.");
    cell.colSpan = 5;
    return document.getElementById("failure-rows").replaceChildren(el("tr", {}, cell));
  }
  document.getElementById("failure-rows").replaceChildren(...failures.map(f => el("tr", {},
    el("td", { class: "mono" }, f.device), el("td", {}, stateBadge(f.state)), el("td", {}, String(f.sequence)),
    el("td", {}, `${f.failure}/${f.code}: ${f.message || ""}`), el("td", {}, ago(f.at)))));
}

// Failures by reason (failure kind/code), one bar each, its length the share of all failed reports.
function renderReasons(reasons) {
  const total = reasons.reduce((n, r) => n + r.reports, 0);
  document.getElementById("reasons").replaceChildren(...reasons.map(r => {
    const bar = el("span", { class: "bad" }); bar.style.width = (100 * r.reports / total) + "%";
    return el("div", { class: "reason", "data-reason": `${r.failure}/${r.code}` },
      el("span", { class: "label mono" }, `${r.failure}/${r.code}`),
      el("div", { class: "bar" }, bar),
      el("span", { "data-testid": "reason-count" }, `${r.reports} reports, ${r.devices} boards`),
      el("span", { class: "hint" }, r.latest || ""));
  }));
}

async function refresh() {
  try {
    const [devices, rollouts, failures, reasons] = await Promise.all([get("/devices"), get("/rollouts"), get("/failures?limit=20"), get("/failures/reasons")]);
    renderFleet(devices);
    const charts = await Promise.all(rollouts.map(r => get(`/rollouts/${r.id}/progress`)));
    renderRollouts(rollouts, Object.fromEntries(rollouts.map((r, i) => [r.id, charts[i]])));
    renderFailures(failures);
    renderReasons(reasons);
    if (historyOf) await showHistory(historyOf);
  } catch (e) {
    if (e.message === "unauthorized") return logout("That token was refused.");
    setLive(false, "error: " + e.message);
  }
}

function scheduleRefresh() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => { refreshTimer = null; refresh(); }, 200);
}

function setLive(on, text) {
  const live = document.getElementById("live");
  live.className = "live " + (on ? "on" : "off");
  live.textContent = text;
}

// Server-sent events through fetch: each "change" event schedules one refresh; reconnects with a delay.
async function listen() {
  const controller = new AbortController();
  stream = controller;
  while (stream === controller) {
    try {
      const r = await fetch(api + "/events", { headers: { Authorization: "Bearer " + token }, signal: controller.signal });
      if (r.status === 401) return logout("That token was refused.");
      if (!r.ok || !r.body) throw new Error("HTTP " + r.status);
      setLive(true, "live");
      scheduleRefresh();
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: change$/m.test(frame)) scheduleRefresh();
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
    }
    setLive(false, "reconnecting…");
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

function logout(message) {
  if (stream) stream.abort();
  stream = null;
  token = null;
  sessionStorage.removeItem("secure-ota-admin-token");
  document.getElementById("board").hidden = true;
  document.getElementById("login").hidden = false;
  document.getElementById("login-error").textContent = message || "";
  setLive(false, "not connected");
}

function start() {
  document.getElementById("login").hidden = true;
  document.getElementById("board").hidden = false;
  refresh();
  listen();
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("login").addEventListener("submit", e => {
    e.preventDefault();
    token = document.getElementById("token").value.trim();
    sessionStorage.setItem("secure-ota-admin-token", token);
    start();
  });
  document.getElementById("history-close").addEventListener("click", () => { historyOf = null; document.getElementById("history").hidden = true; });
  setInterval(() => { if (token) refresh(); }, 30000); // "last seen" ages, and a safety net for a lost notice
  if (token) start();
});
