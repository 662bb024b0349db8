/**
 * The provisioning script's failure modes, each run as the real CLI in a child process with its own
 * ENGINE_HOME and port, so the shared test engine is never touched.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = join(process.cwd(), 'scripts', 'engine.ts');

function runCli(args: string[], env: Record<string, string>): { code: number | null; output: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    timeout: 120_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A free port the runner accepts (it caps HTTP ports at 9299). */
async function listenOnFreePort(): Promise<{ port: number; server: Server }> {
  for (let port = 9250; port <= 9299; port += 1) {
    const server = createServer((socket) => socket.end('not an engine\r\n'));
    const ok = await new Promise<boolean>((done) => {
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => done(true));
    });
    if (ok) return { port, server };
  }
  throw new Error('no free port in 9250-9299');
}

async function freePort(): Promise<number> {
  const { port, server } = await listenOnFreePort();
  await new Promise((done) => server.close(done));
  return port;
}

describe('local engine provisioning', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'argus-engine-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  test('when the port is taken by another program, refuses in one line naming ENGINE_PORT', async () => {
    const { port, server } = await listenOnFreePort();
    try {
      const { code, output } = runCli(['start'], { ENGINE_HOME: home, ENGINE_PORT: String(port) });
      expect(code).toBe(1);
      expect(output.trim()).toBe(
        `engine: Port ${port} is taken by another program: set ENGINE_PORT to a free port.`,
      );
    } finally {
      server.close();
    }
  });

  test('when there is no Java on the PATH, says so in one line', async () => {
    const port = await freePort();
    const bin = join(home, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const { code, output } = runCli(['start'], { ENGINE_HOME: home, ENGINE_PORT: String(port), PATH: bin });
    expect(code).toBe(1);
    expect(output.trim()).toMatch(/^engine: No Java found/);
  });

  test('when Maven Central is unreachable, says so in one line', async () => {
    const port = await freePort();
    const settings = join(home, 'settings.xml');
    writeFileSync(
      settings,
      `<settings><localRepository>${join(home, 'm2')}</localRepository><mirrors><mirror><id>dead</id>` +
        `<mirrorOf>*</mirrorOf><url>http://127.0.0.1:9/maven2</url></mirror></mirrors></settings>`,
    );
    const { code, output } = runCli(['start'], {
      ENGINE_HOME: home,
      ENGINE_PORT: String(port),
      ENGINE_MAVEN_SETTINGS: settings,
    });
    expect(code).toBe(1);
    expect(output.trim().split('\n').at(-1)).toMatch(
      /^engine: Could not obtain OpenSearch [\d.]+: Maven Central is unreachable$/,
    );
  });

  test('when the node is not healthy in time, stops it and prints the log tail', async () => {
    const port = await freePort();
    const { code, output } = runCli(['start'], {
      ENGINE_HOME: home,
      ENGINE_PORT: String(port),
      ENGINE_START_TIMEOUT_MS: '300',
    });
    expect(code).toBe(1);
    expect(output).toMatch(/engine: Engine not healthy within 300 ms; log tail/);
    const status = runCli(['status'], { ENGINE_HOME: home, ENGINE_PORT: String(port) });
    expect(JSON.parse(status.output)).toMatchObject({ running: false });
    // Nothing may linger and hold the port or the memory.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const survivors = spawnSync('pgrep', ['-f', home], { encoding: 'utf8' });
    expect(survivors.stdout.trim()).toBe('');
  });
});
