// The update server's dashboard in a real browser (Playwright driving Debian's chromium, headless):
// it loads from the server alone, refuses a wrong token, shows the fleet, and follows a rollout live
// (server-sent events) while simulated boards update, without a reload.
// Needs `make build` (out/bin) and Debian's chromium (/usr/bin/chromium, installed by the Makefile).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, mkdirSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash, randomBytes } from "node:crypto";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = join(root, "out", "bin");
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
const token = randomBytes(16).toString("hex");
const work = mkdtempSync(join(tmpdir(), "dashboard-test-"));
let server, url, browser;

function run(tool, ...args) {
  return execFileSync(join(bin, tool), args, { cwd: work, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

async function admin(path, init = {}) {
  const r = await fetch(url + "/api/v1/admin" + path, { ...init, headers: { Authorization: "Bearer " + token, ...(init.headers || {}) } });
  assert.ok(r.ok, `${path}: HTTP ${r.status} ${await r.clone().text()}`);
  return r.json();
}

before(async () => {
  for (const tool of ["update-server", "update-tool", "device-sim", "bootsim"])
    assert.ok(existsSync(join(bin, tool)), `out/bin/${tool} is missing: run 'make build' first`);
  assert.ok(existsSync(browserPath), `${browserPath} is missing: apt-get install chromium (the Makefile does)`);
  run("update-tool", "keygen", "--out", "vendor", "--master-secret");
  run("update-tool", "keygen", "--out", "channel"); // the update channel key: signs each check-in's freshness statement (issue 18)
  writeFileSync(join(work, "admin-token"), token, { mode: 0o600 });
  server = spawn(join(bin, "update-server"), ["--data", join(work, "server"), "--urls", "http://127.0.0.1:0", "--admin-token-file", join(work, "admin-token"),
    "--vendor-key", join(work, "vendor.pub.pem"), "--channel-key", join(work, "channel.key.pem"), "--device-rate-limit", "100000", "--source-rate-limit", "10000000", "--nonce-rate-limit", "10000000"], { stdio: ["ignore", "pipe", "pipe"] });
  url = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("update-server did not start within 30 s: " + out)), 30000);
    server.stdout.on("data", chunk => {
      out += chunk;
      const m = /Now listening on: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on("exit", code => reject(new Error(`update-server exited ${code}: ${out}`)));
  });
  run("device-sim", "provision", "--dir", "fleet", "--count", "3", "--vendor-pub", "vendor.pub.pem", "--master-secret", "vendor.master.hex",
    "--vendor-domain", "vendor.example", "--class-name", "esp32-trustx", "--server", url, "--admin-token", token);
  browser = await chromium.launch({
    executablePath: browserPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(work, { recursive: true, force: true });
});

async function openDashboard(withToken) {
  const page = await browser.newPage();
  const foreign = [];
  page.on("request", r => { if (!r.url().startsWith(url)) foreign.push(r.url()); });
  await page.goto(url + "/");
  await page.fill("#token", withToken);
  await page.click("#login button[type=submit]");
  return { page, foreign };
}

test("a wrong token is refused and the board stays hidden", async () => {
  const { page } = await openDashboard("not-the-token");
  await page.waitForSelector("#login-error:has-text('refused')", { timeout: 10000 });
  assert.equal(await page.isVisible("#board"), false);
  await page.close();
});

test("the dashboard shows the fleet, follows rollouts and failures live, and loads nothing from elsewhere", async () => {
  const { page, foreign } = await openDashboard(token);
  await page.waitForSelector("#live:has-text('live')", { timeout: 10000 });
  await page.waitForFunction(() => document.querySelectorAll("#fleet-rows tr").length === 3, null, { timeout: 10000 });
  const states = await page.$$eval("#fleet-rows [data-testid=state] .state", e => e.map(x => x.textContent));
  assert.deepEqual(states, ["registered", "registered", "registered"]);
  await page.evaluate(() => { window.notReloaded = true; });

  // A release, published and rolled out in two waves while the page is open.
  run("device-sim", "firmware", "--version", "1.1.0", "--size", "65536", "--out", "app.bin");
  run("update-tool", "create", "--key", "vendor.key.pem", "--image", "app.bin", "--sequence", "1", "--version", "1.1.0",
    "--vendor-domain", "vendor.example", "--class-name", "esp32-trustx", "--component", "deploy",
    "--encrypt", "--master-secret", "vendor.master.hex", "--out", "app.suit");
  const dataSet = readFileSync(join(work, "app.suit"));
  await admin("/datasets", { method: "POST", body: dataSet, headers: { "Content-Type": "application/octet-stream" } });
  const digest = createHash("sha256").update(dataSet).digest("hex");
  const rollout = await admin("/rollouts", { method: "POST", body: JSON.stringify({ digest, waves: [34, 100] }), headers: { "Content-Type": "application/json" } });
  await page.waitForSelector(`[data-rollout="${rollout.id}"] [data-wave="2"]`, { timeout: 10000 });
  assert.match(await page.textContent(`[data-rollout="${rollout.id}"] [data-wave="2"]`), /waiting/);

  // The boards update; the page follows without a reload.
  const fleet = spawn(join(bin, "device-sim"), ["run", "--dir", join(work, "fleet"), "--server", url, "--timeout", "120", "--poll-ms", "300"], { cwd: work, stdio: "ignore" });
  const exited = new Promise(resolve => fleet.on("exit", resolve));
  await page.waitForFunction(() => [...document.querySelectorAll("#fleet-rows tr")].every(tr =>
    tr.querySelector("[data-testid=state]").textContent === "confirmed" && tr.querySelector("[data-testid=version]").textContent === "1.1.0"),
    null, { timeout: 120000 });
  assert.equal(await exited, 0, "device-sim run did not update every board");
  await page.waitForSelector(`[data-rollout="${rollout.id}"] .state-completed`, { timeout: 10000 });
  assert.equal(await page.textContent(`[data-rollout="${rollout.id}"] [data-wave="2"] [data-testid=wave-progress]`), "1/1 confirmed, 0 failed"); // 34% of 3 = 2 devices in wave 1, 1 in wave 2
  assert.match(await page.textContent("#fleet-summary"), /3 devices · 3 confirmed · 0 failed or reverted/);
  // Progress over time: the chart steps up once per board to all three confirmed, as the server counts.
  const progress = await admin(`/rollouts/${rollout.id}/progress`);
  assert.deepEqual(progress.points.map(p => p.confirmed), [1, 2, 3]);
  await page.waitForSelector(`[data-rollout="${rollout.id}"] svg.progress polyline.confirmed[data-last="3"]`, { timeout: 10000 });
  const steps = await page.getAttribute(`[data-rollout="${rollout.id}"] svg.progress polyline.confirmed`, "points");
  assert.equal(steps.trim().split(/\s+/).length, 2 + 2 * progress.points.length, "one step per confirmation");
  assert.equal(await page.evaluate(() => window.notReloaded), true, "the page reloaded instead of updating live");
  assert.deepEqual(foreign, [], "the dashboard requested something from another origin");

  // A device's history: every report it sent for the update, in order, shown on a click.
  const first = await page.getAttribute("#fleet-rows tr:first-child", "data-device");
  await page.click("#fleet-rows tr:first-child");
  await page.waitForSelector("#history:not([hidden]) #history-rows tr", { timeout: 10000 });
  assert.equal(await page.textContent("#history-device"), first);
  const history = await page.$$eval("#history-rows .state", e => e.map(x => x.textContent));
  const expected = await admin("/devices/" + encodeURIComponent(first) + "/reports");
  assert.deepEqual(history, expected.map(r => r.state), "the history shows what the server recorded");
  for (const state of ["downloading", "verified", "staged", "installed", "confirmed"])
    assert.ok(history.includes(state), `the history lacks ${state}: ${history.join(", ")}`);
  assert.ok(history.indexOf("downloading") < history.indexOf("confirmed"), "oldest first");

  // A second release whose downloads are damaged in transit: the failures and their reason show up live.
  run("device-sim", "firmware", "--version", "1.2.0", "--size", "65536", "--out", "app2.bin");
  run("update-tool", "create", "--key", "vendor.key.pem", "--image", "app2.bin", "--sequence", "2", "--version", "1.2.0",
    "--vendor-domain", "vendor.example", "--class-name", "esp32-trustx", "--component", "deploy", "--out", "app2.suit");
  const second = readFileSync(join(work, "app2.suit"));
  await admin("/datasets", { method: "POST", body: second, headers: { "Content-Type": "application/octet-stream" } });
  const halting = await admin("/rollouts", { method: "POST", body: JSON.stringify({ digest: createHash("sha256").update(second).digest("hex"), errorThreshold: 1 }), headers: { "Content-Type": "application/json" } });
  const damaged = spawn(join(bin, "device-sim"), ["run", "--dir", join(work, "fleet"), "--server", url, "--timeout", "20", "--poll-ms", "300", "--faults", "corrupt=1",
    "--report", join(work, "damaged.json"), "--report-html", join(work, "damaged.html")], { cwd: work, stdio: "ignore" });
  const damagedExit = new Promise(resolve => damaged.on("exit", resolve));
  await page.waitForSelector("#failure-rows td:has-text('does not match image-digest')", { timeout: 30000 });
  await page.waitForSelector(`[data-rollout="${halting.id}"] .state-halted`, { timeout: 30000 });
  assert.equal(await damagedExit, 4, "device-sim should report that not every board updated");
  // The breakdown by reason: the digest mismatch (failure 1, SuitError 17) for every board, as the server counts it.
  const reasons = await admin("/failures/reasons");
  const digestMismatch = reasons.find(r => r.failure === 1 && r.code === 17);
  assert.ok(digestMismatch && digestMismatch.devices === 3, JSON.stringify(reasons));
  await page.waitForSelector(`[data-reason="1/17"] [data-testid=reason-count]:has-text("${digestMismatch.reports} reports, 3 boards")`, { timeout: 10000 });
  mkdirSync(join(root, "out", "test-logs"), { recursive: true });
  await page.screenshot({ path: join(root, "out", "test-logs", "dashboard.png"), fullPage: true });
  await page.close();
});

test("the dashboard shows boards waiting for consent, waiting for their window, and a blocked update channel", async () => {
  // Issue 18: three small fleets of one class, provisioned with the channel key's certificate (E0E8), one rollout
  // whose window never opens: boards set to on-consent wait for their operator, the others for the window, and
  // one behind an attacker who strips the offers finds its channel blocked.
  const cls = ["--vendor-domain", "vendor.example", "--class-name", "esp32-held"];
  for (const [dir, prefix, count] of [["held-a", "a-", 2], ["held-b", "b-", 2], ["held-c", "c-", 1]])
    run("device-sim", "provision", "--dir", dir, "--count", String(count), "--id-prefix", prefix, "--vendor-pub", "vendor.pub.pem", "--master-secret", "vendor.master.hex",
      ...cls, "--channel-pub", "channel.pub.pem", "--server", url, "--admin-token", token);
  run("device-sim", "firmware", "--version", "2.0.0", "--size", "65536", "--out", "held.bin");
  run("update-tool", "create", "--key", "vendor.key.pem", "--image", "held.bin", "--sequence", "1", "--version", "2.0.0", ...cls, "--component", "deploy",
    "--encrypt", "--master-secret", "vendor.master.hex", "--out", "held.suit");
  const dataSet = readFileSync(join(work, "held.suit"));
  await admin("/datasets", { method: "POST", body: dataSet, headers: { "Content-Type": "application/octet-stream" } });
  const minute = Math.floor(Date.now() / 60000) % 1440, far = (minute + 720) % 1440;
  const rollout = await admin("/rollouts", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ digest: createHash("sha256").update(dataSet).digest("hex"), install: { policy: "window", windowStart: far, windowEnd: (far + 60) % 1440, deadline: 0 } }) });
  const { page } = await openDashboard(token);
  await page.waitForSelector("#live:has-text('live')", { timeout: 10000 });
  assert.match(await page.textContent(`[data-rollout="${rollout.id}"] [data-testid=install]`), /^in the window \d\d:\d\d–\d\d:\d\d local, never outside it$/);

  const sim = (dir, ...extra) => new Promise(resolve => spawn(join(bin, "device-sim"), ["run", "--dir", join(work, dir), "--server", url, "--timeout", "60", "--poll-ms", "20", ...extra],
    { cwd: work, stdio: "ignore" }).on("exit", resolve));
  const exits = await Promise.all([
    sim("held-a", "--local-consent", "--consent-after", "-1", "--stop-when-waiting"),
    sim("held-b", "--stop-when-waiting"),
    sim("held-c", "--attack", "withhold", "--freshness-limit", "1800"),
  ]);
  assert.deepEqual(exits, [4, 4, 4], "no board of these fleets may update");
  const stateOf = async prefix => page.$$eval(`#fleet-rows tr[data-device^="${prefix}"] [data-testid=state]`, e => e.map(x => x.textContent));
  await page.waitForFunction(() => document.querySelectorAll('#fleet-rows tr[data-device^="c-"] .state-channel-blocked').length === 1, null, { timeout: 20000 });
  // Each fleet's last live event may arrive after another's: wait (bounded) for each before reading it.
  for (const [prefix, state] of [["a-", "waiting-consent"], ["b-", "waiting-window"]])
    await page.waitForFunction(([p, s]) => [...document.querySelectorAll(`#fleet-rows tr[data-device^="${p}"] [data-testid=state]`)].filter(e => e.textContent === s).length === 2,
      [prefix, state], { timeout: 20000 }).catch(() => {});
  assert.deepEqual(await stateOf("a-"), ["waiting-consent", "waiting-consent"]);
  assert.deepEqual(await stateOf("b-"), ["waiting-window", "waiting-window"]);
  assert.deepEqual(await stateOf("c-"), ["channel-blocked"]);
  assert.match(await page.textContent("#fleet-summary"), /· 2 waiting for consent · 2 waiting for their window · 1 update channel blocked$/);
  // What the server recorded agrees with the page.
  const devices = await admin("/devices");
  assert.equal(devices.filter(d => d.state === "waiting-consent").length, 2);
  assert.equal(devices.filter(d => d.state === "waiting-window").length, 2);
  const blocked = await admin("/devices/c-001/reports");
  assert.match(blocked.at(-1).message, /^update channel blocked: sequence 1 was announced \d+ s ago and never offered/);
  await page.screenshot({ path: join(root, "out", "test-logs", "dashboard-waiting.png"), fullPage: true });
  await page.close();
});

test("device-sim's HTML report loads nothing from anywhere and shows the JSON report's numbers", async () => {
  // The damaged run of the test before wrote both reports (every board failed, the rollout halted).
  const report = JSON.parse(readFileSync(join(work, "damaged.json"), "utf8"));
  const page = await browser.newPage();
  const file = "file://" + join(work, "damaged.html");
  const requests = [];
  page.on("request", r => requests.push(r.url()));
  await page.goto(file);
  assert.deepEqual(requests, [file], "the report requested something besides itself");
  const value = async key => Number(await page.getAttribute(`tr[data-key="${key}"] td`, "data-value"));
  assert.equal(await value("devices"), report.devices);
  assert.equal(await value("updated"), report.updated);
  assert.equal(await value("failed"), report.failed);
  assert.equal(await value("faults injected"), report.faultsInjected);
  assert.equal(await value("modeled busy time, median s"), report.modeledBusyMedian);
  assert.equal(await value("boards per host second"), report.boardsPerSecond);
  // The failures by reason: the digest mismatch (1/17) as often as the boards reported it.
  const reported = report.deviceResults.flatMap(d => d.reports).filter(r => r.startsWith("failed 2 (1/17:")).length;
  assert.ok(reported > 0, "the damaged run reported no digest mismatch");
  assert.equal(Number(await page.getAttribute('li[data-reason="1/17"]', "data-value")), reported);
  // Every chart is drawn (an SVG each) and visible.
  for (const chart of ["update-times", "phases", "waves", "reasons"])
    assert.ok(await page.isVisible(`figure[data-chart="${chart}"] svg`), `the ${chart} chart is missing`);
  await page.screenshot({ path: join(root, "out", "test-logs", "report.png"), fullPage: true });
  await page.close();
});
