// End-to-end test of the packaged extension in a real VS Code (code-server from npm),
// driven through Debian's Chromium by playwright-core.
//
//   node tests/e2e/vscode/e2e.mjs --vsix hubsave-0.1.0.vsix [--restricted]
//
// --restricted: Restricted Mode instead (workspace trust on, the workspace not trusted),
// in a repository whose pyproject.toml and .vscode/settings.json name its own program as
// the interpreter: diagnostics must come from the bundled server and the program never runs.
//
// Needs HUBSAVE_E2E_NODE24 and HUBSAVE_E2E_CODE_SERVER (from setup.sh's env.sh); run.sh
// sets everything up. Writes output/result.json (one entry per check) and screenshots
// to tests/e2e/vscode/output/; exits non-zero when a check fails.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');
const { values: opts } = parseArgs({
  options: {
    vsix: { type: 'string' },
    out: { type: 'string' },
    restricted: { type: 'boolean', default: false },
    chromium: { type: 'string', default: process.env.HUBSAVE_E2E_CHROMIUM ?? '/usr/bin/chromium' },
  },
});
if (!opts.vsix) throw new Error('--vsix is required');
const nodeBin = process.env.HUBSAVE_E2E_NODE24;
const codeServer = process.env.HUBSAVE_E2E_CODE_SERVER;
if (!nodeBin || !codeServer) throw new Error('HUBSAVE_E2E_NODE24 and HUBSAVE_E2E_CODE_SERVER must be set (source setup.sh env.sh)');

const OUT = resolve(opts.out ?? join(HERE, 'output', ...(opts.restricted ? ['restricted'] : [])));
rmSync(OUT, { recursive: true, force: true });
const dirs = {
  workspace: join(OUT, 'workspace'),
  userData: join(OUT, 'user-data'),
  extensions: join(OUT, 'extensions'),
  hfHome: join(OUT, 'hf-home'),
  xdgConfig: join(OUT, 'xdg-config'),
};
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
// The workspace: a copy of the repository's example scripts, or (--restricted) a cloned
// repository that tries to make hubsave run its own program (as tests/hostile_repo.py).
const MARKER = join(dirs.workspace, 'PWNED');
if (opts.restricted) {
  writeFileSync(join(dirs.workspace, 'evil.sh'), `#!/bin/sh\necho "$0 $*" >> "${MARKER}"\nexit 1\n`, { mode: 0o755 });
  writeFileSync(join(dirs.workspace, 'pyproject.toml'), '[tool.hubsave]\ninterpreter = "./evil.sh"\n');
  mkdirSync(join(dirs.workspace, '.vscode'));
  writeFileSync(join(dirs.workspace, '.vscode', 'settings.json'), JSON.stringify({
    'hubsave.interpreter': ['${workspaceFolder}/evil.sh'], 'hubsave.importStrategy': 'fromEnvironment',
  }));
  writeFileSync(join(dirs.workspace, 'train.py'), 'from trl import SFTConfig\n'
    + 'config = SFTConfig(output_dir="out", max_seq_length=10, push_to_hub=True, hub_model_id="alice/x")\n');
} else {
  cpSync(join(ROOT, 'examples'), dirs.workspace, { recursive: true });
  // And a shell script that submits a job: command lines are served like Python.
  cpSync(join(ROOT, 'tests', 'fixtures', 'kinds', 'bad', 'launch.sh'), join(dirs.workspace, 'launch_sft.sh'));
  // At the top, so the explorer shows it: placeholders copied from the docs (HS204, HS402).
  cpSync(join(ROOT, 'examples', 'seed', 'push_model.py'), join(dirs.workspace, 'push_model.py'));
}

mkdirSync(join(dirs.userData, 'User'), { recursive: true });
const userSettings = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': Boolean(opts.restricted),
  // Restricted Mode without the modal "Do you trust the authors?" question.
  'security.workspace.trust.startupPrompt': 'never',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'editor.minimap.enabled': false,
  'editor.hover.delay': 150,
  'files.autoSave': 'off',
  // The workspace copy lives inside this repository's checkout: keep git quiet about it.
  'git.enabled': false,
  // No hubsave.interpreter: the extension must find python3 on PATH by itself.
};
writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));

const env = {
  ...process.env,
  PATH: `${dirname(nodeBin)}:${process.env.PATH}`,
  XDG_CONFIG_HOME: dirs.xdgConfig,
  // The server must never see a real login or reach the real Hub.
  HF_HOME: dirs.hfHome,
  HF_HUB_OFFLINE: '1',
  HF_ENDPOINT: 'http://127.0.0.1:9',
};
delete env.HF_TOKEN;
delete env.HUGGING_FACE_HUB_TOKEN;

const checks = [];
const timings = {};
const started = Date.now();
function check(name, ok, detail = '') {
  checks.push({ name, ok: Boolean(ok), detail: String(detail).slice(0, 2000) });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail && !ok ? `: ${String(detail).slice(0, 300)}` : ''}`);
}
function skip(name, reason) {
  checks.push({ name, ok: true, skipped: reason });
  console.log(`SKIP ${name}: ${reason}`);
}
function mark(step) {
  timings[step] = (Date.now() - started) / 1000;
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

async function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

const csArgs = ['--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData];
execFileSync(codeServer, [...csArgs, '--install-extension', resolve(opts.vsix)], { env, stdio: 'inherit' });
mark('extension installed');

const port = await freePort();
const server = spawn(codeServer, [
  ...csArgs, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, ...(opts.restricted ? [] : ['--disable-workspace-trust']),
  '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', dirs.workspace,
], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
const serverLog = [];
server.stdout.on('data', (d) => serverLog.push(String(d)));
server.stderr.on('data', (d) => serverLog.push(String(d)));

let browser;
let page;
async function shot(name) {
  await page.screenshot({ path: join(OUT, `${name}.png`) });
}

const SQUIGGLE = '.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning';

async function runCommand(label) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${label}`);
  // Click the row with exactly this label: the first row may still be an older match.
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await page.locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) }).first().click();
}

async function openFile(name) {
  // Double-click: a pinned tab, not a preview that the next file would replace (and close).
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().dblclick();
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
}

async function problemsText() {
  return page.locator('.markers-panel').innerText().catch(() => '');
}

async function waitUntil(fn, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const statusItem = () => page.locator('.statusbar-item', { hasText: 'hubsave' }).first();

async function fullScenario() {
  // 1. Squiggles: HS301 in the job submissions, HS101 in the training script.
  await openFile('submit_jobs.py');
  const submitSquiggle = await page.locator('.monaco-editor .squiggly-error').first()
    .waitFor({ timeout: 90_000 }).then(() => true, (e) => e);
  check('error squiggle in submit_jobs.py (HS301)', submitSquiggle === true, submitSquiggle);
  mark('first diagnostics');
  await shot('01-submit-squiggle');

  await openFile('train_sft.py');
  const trainSquiggle = await page.locator(SQUIGGLE).first().waitFor({ timeout: 30_000 }).then(() => true, (e) => e);
  check('squiggle in train_sft.py (HS101)', trainSquiggle === true, trainSquiggle);
  await shot('02-train-squiggle');

  // 2. Problems panel entries with the rule codes.
  await runCommand('Problems: Focus on Problems View');
  const problems = await waitUntil(async () => {
    const text = await problemsText();
    return text.includes('HS101') && text.includes('HS301') ? text : undefined;
  }, 20_000, 'HS101 and HS301 in the Problems panel').catch(async (e) => `${e.message}\n${await problemsText()}`);
  check('Problems panel lists HS101', problems.includes('HS101'), problems);
  check('Problems panel lists HS301', problems.includes('HS301'), problems);
  await shot('03-problems');

  // 3. Hover on the HS101 squiggle. Find it by its line: the SFTConfig call.
  await page.locator('.monaco-editor .view-lines').click({ position: { x: 5, y: 5 } });
  const line = page.locator('.monaco-editor .view-line', { hasText: 'config = SFTConfig(' });
  const lineBox = await line.boundingBox();
  const squiggles = await page.locator(SQUIGGLE).all();
  let target;
  for (const s of squiggles) {
    const box = await s.boundingBox();
    if (box && lineBox && Math.abs(box.y + box.height / 2 - (lineBox.y + lineBox.height / 2)) < lineBox.height) target = box;
  }
  check('HS101 squiggle is on the SFTConfig line', Boolean(target), `squiggles: ${squiggles.length}`);
  if (target) {
    const x = target.x + Math.min(target.width / 2, 40);
    const y = target.y + target.height / 2;
    await page.mouse.move(x, y);
    const hover = await waitUntil(async () => {
      const text = await page.locator('.monaco-hover:visible').first().innerText().catch(() => '');
      // The diagnostic part shows first; the server's hover joins it a moment later.
      return text.includes('HS101') && text.includes('push-to-hub-missing') ? text : undefined;
    }, 15_000, "a hover with HS101 and the server's rule doc")
      .catch(async (e) => `${e.message}\n${await page.locator('.monaco-hover:visible').first().innerText().catch(() => '')}`);
    check('hover on the diagnostic shows HS101 and its message', hover.includes('HS101') && /push_to_hub/.test(hover), hover);
    check("hover shows the server's rule doc (push-to-hub-missing)", /push-to-hub-missing/.test(hover), hover);
    await shot('04-hover');

    // 4. Quick fix: cursor into the squiggle, Ctrl+. and Enter.
    await page.mouse.click(x, y);
    await page.mouse.move(10, 10);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)');
    const menuText = await menu.waitFor({ state: 'visible', timeout: 10_000 })
      .then(() => menu.innerText(), (e) => e.message);
    check('quick-fix menu offers push_to_hub=True', /push_to_hub/.test(menuText), menuText);
    await shot('05-quickfix-menu');
    const menuBox = await menu.boundingBox();
    if (menuBox) {
      // A small picture for the README: the flagged line and the open quick-fix menu.
      const top = Math.max(0, Math.min(lineBox.y, menuBox.y) - 60);
      const left = Math.max(0, lineBox.x - 60);
      await page.screenshot({
        path: join(OUT, 'quickfix-crop.png'),
        clip: { x: left, y: top, width: menuBox.x + menuBox.width + 40 - left, height: Math.min(800 - top, menuBox.y + menuBox.height - top + 40) },
      });
    }
    await page.keyboard.press('Enter');
    const fixed = await waitUntil(async () => {
      const text = await page.locator('.monaco-editor .view-lines').innerText();
      return /push_to_hub\s*=\s*True/.test(text.replace(/\u00a0/g, ' ')) ? text : undefined;
    }, 10_000, 'push_to_hub=True in the editor').then(() => true, (e) => e);
    check('quick fix adds push_to_hub=True in the editor', fixed === true, fixed);
    await runCommand('File: Save');
    const onDisk = await waitUntil(async () => {
      const text = readFileSync(join(dirs.workspace, 'train_sft.py'), 'utf8');
      return /push_to_hub\s*=\s*True/.test(text) ? text : undefined;
    }, 10_000, 'the saved file').catch((e) => e.message);
    check('the saved train_sft.py has push_to_hub=True', /push_to_hub\s*=\s*True/.test(onDisk), onDisk);
    await runCommand('Problems: Focus on Problems View');
    const after = await waitUntil(async () => {
      const text = await problemsText();
      return text.includes('HS301') && !text.includes('HS101') ? text : undefined;
    }, 20_000, 'HS101 to leave the Problems panel').catch(async (e) => `${e.message}\n${await problemsText()}`);
    check('HS101 is gone after the fix (HS301 stays)', after.includes('HS301') && !after.includes('HS101'), after);
    await shot('06-after-fix');
  }

  // 5. A notebook: its Python cells are checked together (HS102 in a TrainingArguments cell).
  await openFile('course_trainer.ipynb');
  await page.locator('.notebook-editor').first().waitFor({ timeout: 30_000 });
  await runCommand('Problems: Focus on Problems View');
  const nbProblems = await waitUntil(async () => {
    const text = await problemsText();
    return text.includes('HS102') ? text : undefined;
  }, 30_000, 'HS102 in the Problems panel').catch(async (e) => `${e.message}\n${await problemsText()}`);
  check('Problems panel lists HS102 from the notebook', /course_trainer\.ipynb[\s\S]*HS102/.test(nbProblems), nbProblems);
  // Clicking the entry reveals its cell; the squiggle is then in that cell's editor.
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'HS102' }).first().click().catch(() => {});
  const nbSquiggle = await page.locator('.notebook-editor .squiggly-error, .notebook-editor .squiggly-warning').first()
    .waitFor({ timeout: 15_000 }).then(() => true, (e) => e);
  check('squiggle in the notebook cell (HS102)', nbSquiggle === true, nbSquiggle);
  await shot('07-notebook');

  // 5b. Default settings give what `hubsave check` gives: the built-in placeholder list is
  // in force (the extension sends no setting the user did not set), so HS204 shows.
  await openFile('push_model.py');
  await runCommand('Problems: Focus on Problems View');
  const seedProblems = await waitUntil(async () => {
    const text = await problemsText();
    return /HS204/.test(text) && /HS402/.test(text) ? text : undefined;
  }, 30_000, 'HS204 and HS402 in the Problems panel').catch(async (e) => `${e.message}\n${await problemsText()}`);
  check('default settings: push_model.py shows HS204 and HS402, as hubsave check does',
    /HS204/.test(seedProblems) && /HS402/.test(seedProblems), seedProblems);

  // 6. A shell script: a squiggle on the `hf jobs` command line, a quick fix written as shell.
  await openFile('launch_sft.sh');
  const shLine = page.locator('.monaco-editor .view-line', { hasText: 'hf jobs uv run --flavor a100-large' }).first();
  const shSquiggle = await page.locator('.monaco-editor .squiggly-error').first()
    .waitFor({ timeout: 30_000 }).then(() => true, (e) => e);
  check('error squiggle in launch_sft.sh (HS301)', shSquiggle === true, shSquiggle);
  await shot('08-shell-squiggle');
  const shBox = await shLine.boundingBox().catch(() => null);
  if (shBox) {
    await page.mouse.click(shBox.x + 10, shBox.y + shBox.height / 2);
    await page.mouse.move(10, 10);
    await page.keyboard.press('Control+.');
    const shMenu = page.locator('.action-widget:not(.action-list-submenu-panel)');
    const shMenuText = await shMenu.waitFor({ state: 'visible', timeout: 10_000 })
      .then(() => shMenu.innerText(), (e) => e.message);
    check('quick-fix menu in the shell script offers --secrets HF_TOKEN', /--secrets HF_TOKEN/.test(shMenuText), shMenuText);
    await shot('09-shell-quickfix-menu');
    await shMenu.locator('.monaco-list-row', { hasText: '--secrets HF_TOKEN' }).first().click().catch(() => {});
    const shFixed = await waitUntil(async () => {
      // The notebook's cell editors are still in the page: read the one showing the script.
      const editor = page.locator('.monaco-editor .view-lines', { hasText: 'hf jobs uv run' }).first();
      const text = (await editor.innerText()).replace(/\u00a0/g, ' ');
      return /--secrets HF_TOKEN/.test(text) ? text : undefined;
    }, 10_000, '--secrets HF_TOKEN in the shell script').then(() => true, (e) => e);
    check('the quick fix adds --secrets HF_TOKEN to the command line', shFixed === true, shFixed);
  } else {
    check('the hf jobs line is shown in launch_sft.sh', false, 'line not found');
  }

  // 7. Status bar and Show Hub Login. The server runs with no token and HF_HUB_OFFLINE.
  const statusHtml = await statusItem().innerHTML().catch((e) => e.message);
  check('status bar shows the hubsave server running', /codicon-check/.test(statusHtml), statusHtml);
  await runCommand('hubsave: Show Hub Login');
  const toast = page.locator('.notification-toast', { hasText: 'hubsave' }).last();
  const login = await toast.waitFor({ timeout: 15_000 }).then(() => toast.innerText(), (e) => e.message);
  await shot('08-hub-login');
  if (/Method Not Found: hubsave\/hubLogin/i.test(login)) {
    skip('Show Hub Login says not logged in', 'the server does not implement hubsave/hubLogin yet');
  } else {
    check('Show Hub Login says not logged in', /not logged in|could not ask/.test(login) && !/hf_[A-Za-z0-9]{10,}/.test(login), login);
    const status = await statusItem().innerText().catch((e) => e.message);
    check('status bar shows the login state', /hubsave: not logged in/.test(status), status);
  }

  // 8. A missing Python: one clear notification, a warning in the status bar, no crash loop.
  await page.locator('.notifications-toasts .codicon-notifications-clear-all').first().click().catch(() => {});
  // Workspace settings: VS Code watches the workspace folder for them (not the user file).
  mkdirSync(join(dirs.workspace, '.vscode'), { recursive: true });
  writeFileSync(join(dirs.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'hubsave.interpreter': ['/nonexistent/bin/python3'] }));
  const noPython = page.locator('.notification-toast', { hasText: 'cannot start Python' });
  const noPythonText = await noPython.first().waitFor({ timeout: 20_000 }).then(() => noPython.first().innerText(), (e) => e.message);
  check('a missing Python gives a notification naming it and the setting',
    /nonexistent\/bin\/python3/.test(noPythonText) && /hubsave\.interpreter/.test(noPythonText), noPythonText);
  await page.waitForTimeout(5000);
  const toasts = await page.locator('.notification-toast', { hasText: 'hubsave' }).allInnerTexts();
  check('a missing Python gives exactly one notification (no restart loop)', toasts.length === 1, toasts.join('\n---\n'));
  const warnHtml = await statusItem().innerHTML().catch((e) => e.message);
  check('status bar shows the missing Python', /codicon-warning/.test(warnHtml), warnHtml);
  await shot('09-missing-python');
}

async function restrictedScenario() {
  const restricted = await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).filter({ hasNotText: 'hubsave' }).first()
    .waitFor({ timeout: 30_000 }).then(() => true, (e) => e);
  check('restricted: VS Code runs the workspace in Restricted Mode', restricted === true, restricted);
  await openFile('train.py');
  const squiggle = await page.locator(SQUIGGLE).first().waitFor({ timeout: 90_000 }).then(() => true, (e) => e);
  check('restricted: squiggle in train.py (HS109)', squiggle === true, squiggle);
  mark('first diagnostics');
  await runCommand('Problems: Focus on Problems View');
  const problems = await waitUntil(async () => {
    const text = await problemsText();
    return text.includes('HS109') ? text : undefined;
  }, 20_000, 'HS109 in the Problems panel').catch(async (e) => `${e.message}\n${await problemsText()}`);
  check('restricted: Problems panel lists HS109 from the bundled schema',
    /HS109/.test(problems) && /max_seq_length \(trl 1\.16\.0\)/.test(problems), problems);
  await shot('r1-restricted-diagnostics');
  const ignored = await page.locator('.notification-toast', { hasText: 'is ignored' }).allInnerTexts();
  check("restricted: one notification that pyproject.toml's interpreter is ignored",
    ignored.length === 1 && /interpreter/.test(ignored[0]), ignored.join('\n---\n'));
  const status = await statusItem().innerText().catch((e) => e.message);
  check('restricted: the hubsave status bar item says Restricted Mode',
    /hubsave \(Restricted Mode\)/.test(status) && !/codicon-warning/.test(await statusItem().innerHTML()), status);
  await page.waitForTimeout(3000); // anything started late would have written by now
  check("restricted: the repository's program never ran", !existsSync(MARKER), existsSync(MARKER) ? readFileSync(MARKER, 'utf8') : '');
}

try {
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
  mark('code-server up');
  browser = await chromium.launch({
    executablePath: opts.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`);
  const firstFile = opts.restricted ? 'train.py' : 'train_sft.py';
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: firstFile }).first().waitFor({ timeout: 60_000 });
  mark('workbench loaded');
  await (opts.restricted ? restrictedScenario() : fullScenario());
  mark('done');
} catch (e) {
  check('no unexpected error', false, e.stack ?? e);
  if (page) await shot('99-error').catch(() => {});
} finally {
  await browser?.close().catch(() => {});
  try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
  writeFileSync(join(OUT, 'code-server.log'), serverLog.join(''));
}

const ok = checks.length > 0 && checks.every((c) => c.ok);
writeFileSync(join(OUT, 'result.json'), JSON.stringify({ ok, checks, timings, seconds: (Date.now() - started) / 1000 }, null, 2));
const skipped = checks.filter((c) => c.skipped).length;
console.log(`${checks.filter((c) => c.ok).length - skipped} passed, ${checks.filter((c) => !c.ok).length} failed, ${skipped} skipped`);
console.log(`screenshots and result.json in ${OUT}`);
process.exit(ok ? 0 : 1);
