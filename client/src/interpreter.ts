// Which Python runs the hubsave server, and whether it is new enough.
// Pure: no `vscode` import, so node's test runner can drive it directly.
import { execFile } from 'node:child_process';

export const MIN_PYTHON: readonly [number, number] = [3, 10];

export type InterpreterSource = 'setting' | 'python-extension' | 'path';

export interface Interpreter {
  /** Executable followed by its own arguments (e.g. ["uv", "run", "python"]). */
  command: string[];
  source: InterpreterSource;
}

export interface SelectionInputs {
  /** The hubsave.interpreter setting. */
  setting: readonly string[];
  /** The Python extension's active interpreter, when that extension is installed. */
  pythonExtension?: readonly string[];
  /** Values for ${workspaceFolder}, ${userHome}, ${env:NAME}. */
  vars: { workspaceFolder?: string; userHome: string; env: Record<string, string | undefined> };
  /** process.platform: Windows installs `python`, not `python3`, on PATH. */
  platform?: string;
  /** False in an untrusted workspace (Restricted Mode), see `selectInterpreter`. */
  trusted?: boolean;
}

/** Expand the variables VS Code users write in path settings. */
export function expandVariables(value: string, vars: SelectionInputs['vars']): string {
  let out = value.replace(/\$\{(workspaceFolder|userHome|env:([A-Za-z_][A-Za-z0-9_]*))\}/g,
    (whole, name: string, envName?: string) => {
      if (envName !== undefined) return vars.env[envName] ?? '';
      if (name === 'userHome') return vars.userHome;
      return vars.workspaceFolder ?? whole;
    });
  if (out === '~' || out.startsWith('~/')) out = vars.userHome + out.slice(1);
  return out;
}

/** The setting wins, then the Python extension, then python3 (Windows: python) on PATH.
 *
 * In an untrusted workspace nothing in it may pick the program that runs: VS Code already
 * hides the workspace's value of the setting (package.json `restrictedConfigurations`), a
 * user setting naming `${workspaceFolder}` is skipped, and the Python extension's choice
 * (which the workspace can make) is not used. */
export function selectInterpreter(inputs: SelectionInputs): Interpreter {
  const restricted = inputs.trusted === false;
  const intoWorkspace = restricted && inputs.setting.some((part) => part.includes('${workspaceFolder}'));
  const setting = intoWorkspace ? [] : inputs.setting.map((part) => expandVariables(part, inputs.vars)).filter((p) => p.trim() !== '');
  if (setting.length > 0) return { command: setting, source: 'setting' };
  const fromExtension = restricted ? [] : (inputs.pythonExtension ?? []).filter((p) => p.trim() !== '');
  if (fromExtension.length > 0) return { command: [...fromExtension], source: 'python-extension' };
  return { command: [inputs.platform === 'win32' ? 'python' : 'python3'], source: 'path' };
}

// Prints e.g. "3.11.7"; valid on Python 2 and 3 alike, so an old `python` still
// reports its version instead of a syntax error.
const VERSION_PROBE = 'import sys; print("%d.%d.%d" % sys.version_info[:3])';

export type PythonCheck =
  | { ok: true; version: string }
  | { ok: false; problem: 'missing' | 'too-old' | 'broken'; version?: string; detail: string };

export function parseVersion(text: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\s*$/m.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function isSupported(version: readonly number[]): boolean {
  return version[0] > MIN_PYTHON[0] || (version[0] === MIN_PYTHON[0] && version[1] >= MIN_PYTHON[1]);
}

/** Run the interpreter once to read its version. */
export function checkPython(command: readonly string[], timeoutMs = 15000): Promise<PythonCheck> {
  return new Promise((resolve) => {
    execFile(command[0], [...command.slice(1), '-c', VERSION_PROBE], { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES') {
          resolve({ ok: false, problem: 'missing', detail: `${command[0]} was not found` });
        } else if (error.killed) {
          resolve({ ok: false, problem: 'broken', detail: `no answer within ${timeoutMs / 1000} s` });
        } else {
          resolve({ ok: false, problem: 'broken', detail: (stderr || error.message).trim().split('\n').slice(-1)[0] });
        }
        return;
      }
      const version = parseVersion(stdout);
      if (!version) {
        resolve({ ok: false, problem: 'broken', detail: `unexpected version output: ${stdout.trim().slice(0, 80)}` });
      } else if (!isSupported(version)) {
        resolve({ ok: false, problem: 'too-old', version: version.join('.'), detail: `Python ${version.join('.')}` });
      } else {
        resolve({ ok: true, version: version.join('.') });
      }
    });
  });
}

const SOURCE_NAMES: Record<InterpreterSource, string> = {
  setting: 'the hubsave.interpreter setting',
  'python-extension': "the Python extension's selected interpreter",
  path: 'found on PATH',
};

/** One message that says what is wrong and what to do. */
export function problemMessage(interpreter: Interpreter, check: Exclude<PythonCheck, { ok: true }>): string {
  const shown = interpreter.command.join(' ');
  const what = check.problem === 'missing'
    ? `cannot start Python: ${shown} (${SOURCE_NAMES[interpreter.source]}) was not found.`
    : check.problem === 'too-old'
      ? `needs Python ${MIN_PYTHON.join('.')} or newer, but ${shown} (${SOURCE_NAMES[interpreter.source]}) is ${check.version}.`
      : `cannot run ${shown} (${SOURCE_NAMES[interpreter.source]}): ${check.detail}.`;
  return `hubsave ${what} Install Python ${MIN_PYTHON.join('.')}+ and set "hubsave.interpreter" `
    + '(or select it with the Python extension), then run "hubsave: Restart Server".';
}
