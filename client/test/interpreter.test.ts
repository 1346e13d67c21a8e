// Interpreter selection and the Python version check, run against real processes:
// the machine's python3 and small executables that behave like an old or broken Python.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  checkPython, expandVariables, isSupported, parseVersion, problemMessage, selectInterpreter,
} from '../src/interpreter';

const vars = { workspaceFolder: '/ws', userHome: '/home/u', env: { VENV: '/opt/venv' } as Record<string, string | undefined> };

test('the hubsave.interpreter setting wins over the Python extension and PATH', () => {
  const chosen = selectInterpreter({ setting: ['/usr/bin/python3.12'], pythonExtension: ['/ext/python'], vars });
  assert.deepEqual(chosen, { command: ['/usr/bin/python3.12'], source: 'setting' });
});

test('a setting with arguments is kept whole', () => {
  const chosen = selectInterpreter({ setting: ['uv', 'run', '--python', '3.12', 'python'], vars });
  assert.deepEqual(chosen.command, ['uv', 'run', '--python', '3.12', 'python']);
});

test("the Python extension's interpreter is used when the setting is empty", () => {
  const chosen = selectInterpreter({ setting: [], pythonExtension: ['/ws/.venv/bin/python'], vars });
  assert.deepEqual(chosen, { command: ['/ws/.venv/bin/python'], source: 'python-extension' });
});

test('python3 on PATH when neither setting nor Python extension gives one', () => {
  assert.deepEqual(selectInterpreter({ setting: [], vars }), { command: ['python3'], source: 'path' });
  assert.deepEqual(selectInterpreter({ setting: [''], pythonExtension: [], vars }), { command: ['python3'], source: 'path' });
});

test('on Windows the PATH fallback is python', () => {
  assert.deepEqual(selectInterpreter({ setting: [], vars, platform: 'win32' }).command, ['python']);
  assert.deepEqual(selectInterpreter({ setting: [], vars, platform: 'linux' }).command, ['python3']);
});

test('variables in the setting are expanded', () => {
  assert.equal(expandVariables('${workspaceFolder}/.venv/bin/python', vars), '/ws/.venv/bin/python');
  assert.equal(expandVariables('${env:VENV}/bin/python', vars), '/opt/venv/bin/python');
  assert.equal(expandVariables('~/py/bin/python', vars), '/home/u/py/bin/python');
  assert.equal(expandVariables('${userHome}/x', vars), '/home/u/x');
  assert.equal(expandVariables('${env:UNSET}x', vars), 'x');
  // Without a workspace folder the variable stays visible in the error message.
  assert.equal(expandVariables('${workspaceFolder}/p', { ...vars, workspaceFolder: undefined }), '${workspaceFolder}/p');
  const chosen = selectInterpreter({ setting: ['${workspaceFolder}/.venv/bin/python'], vars });
  assert.deepEqual(chosen.command, ['/ws/.venv/bin/python']);
});

test('version parsing and the 3.10 floor', () => {
  assert.deepEqual(parseVersion('3.11.7\n'), [3, 11, 7]);
  assert.equal(parseVersion('Python 3.11.7'), undefined);
  assert.equal(isSupported([3, 10, 0]), true);
  assert.equal(isSupported([3, 9, 18]), false);
  assert.equal(isSupported([4, 0, 0]), true);
  assert.equal(isSupported([2, 7, 18]), false);
});

function fakePython(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hubsave-py-'));
  const path = join(dir, 'python');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

test("the machine's python3 passes the check", async () => {
  const result = await checkPython(['python3']);
  assert.equal(result.ok, true, JSON.stringify(result));
  if (result.ok) assert.match(result.version, /^3\.\d+\.\d+$/);
});

test('a missing interpreter is reported as missing, with what to do', async () => {
  const interpreter = { command: ['/nonexistent/bin/python3'], source: 'setting' as const };
  const result = await checkPython(interpreter.command);
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.problem, 'missing');
  const message = problemMessage(interpreter, result);
  assert.match(message, /\/nonexistent\/bin\/python3/);
  assert.match(message, /hubsave\.interpreter/);
  assert.match(message, /Restart Server/);
});

test('an interpreter older than 3.10 is reported as too old, naming its version', async () => {
  const interpreter = { command: [fakePython('echo 3.9.18')], source: 'path' as const };
  const result = await checkPython(interpreter.command);
  assert.deepEqual(result, { ok: false, problem: 'too-old', version: '3.9.18', detail: 'Python 3.9.18' });
  if (!result.ok) assert.match(problemMessage(interpreter, result), /needs Python 3\.10 or newer, but .* is 3\.9\.18/);
});

test('an interpreter that fails is reported as broken with its last error line', async () => {
  const result = await checkPython([fakePython('echo "ImportError: bad site" >&2; exit 1')]);
  assert.deepEqual(result, { ok: false, problem: 'broken', detail: 'ImportError: bad site' });
});

test('arguments of a setting come before the version probe', async () => {
  // "python3 -I -c ..." must still work: the probe is appended after the user's arguments.
  const result = await checkPython(['python3', '-I']);
  assert.equal(result.ok, true, JSON.stringify(result));
});

test('a hanging interpreter times out instead of blocking the start forever', async () => {
  const result = await checkPython([fakePython('sleep 5')], 300);
  assert.equal(result.ok, false);
  assert.deepEqual(result, { ok: false, problem: 'broken', detail: 'no answer within 0.3 s' });
});

test('in an untrusted workspace the Python extension is not used: python3 on PATH', () => {
  const chosen = selectInterpreter({ setting: [], pythonExtension: ['/ws/.venv/bin/python'], vars, trusted: false });
  assert.deepEqual(chosen, { command: ['python3'], source: 'path' });
});

test('in an untrusted workspace a user setting pointing into the workspace is skipped', () => {
  const intoWorkspace = selectInterpreter({ setting: ['${workspaceFolder}/.venv/bin/python'], vars, trusted: false });
  assert.deepEqual(intoWorkspace, { command: ['python3'], source: 'path' });
  // The same setting in a trusted workspace, and a user setting elsewhere in an untrusted one, count.
  assert.deepEqual(selectInterpreter({ setting: ['${workspaceFolder}/.venv/bin/python'], vars }).command, ['/ws/.venv/bin/python']);
  assert.deepEqual(selectInterpreter({ setting: ['/usr/bin/python3.12'], vars, trusted: false }),
    { command: ['/usr/bin/python3.12'], source: 'setting' });
});
