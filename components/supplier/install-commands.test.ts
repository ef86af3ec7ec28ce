import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildInstallCommands,
  DOCKER_STATE_DIR,
  dockerInstallCommand,
  nodeInstallCommand,
  npxInstallCommand,
  SYSTEMD_INSTALL,
  systemdInstallCommand,
} from '@/components/supplier/install-commands';

const input = {
  origin: 'https://backfill.example.com',
  registrationToken: 'bfr_AbC-123_xyz',
  region: 'eu-west',
  priceMicros: 450_000n,
  runner: 'docker' as const,
};
const release = { version: '0.1.0', sha256: 'a'.repeat(64), packageSha256: 'b'.repeat(64) };
const ARGS = '--api https://backfill.example.com --token bfr_AbC-123_xyz --region eu-west --price 0.45';

describe('install commands', () => {
  it('Node.js: downloads from the marketplace, checks the sha256, then registers and runs', () => {
    expect(nodeInstallCommand(input, release)).toBe(
      'curl -fsSL https://backfill.example.com/agent/backfill-agent.mjs -o backfill-agent.mjs && ' +
        `echo "${'a'.repeat(64)}  backfill-agent.mjs" | sha256sum -c - && node backfill-agent.mjs ${ARGS}`,
    );
    expect(
      nodeInstallCommand({ ...input, runner: 'process', gpus: { model: 'l4-24gb', count: 1 } }, release),
    ).toMatch(/ --runner process --gpus l4-24gb:1 --cuda 12\.4$/);
  });

  it('npx: downloads the npm package, checks its sha256, then npx runs it from the file', () => {
    expect(npxInstallCommand(input, release)).toBe(
      'curl -fsSL https://backfill.example.com/agent/backfill-agent.tgz -o backfill-agent.tgz && ' +
        `echo "${'b'.repeat(64)}  backfill-agent.tgz" | sha256sum -c - && npx --yes ./backfill-agent.tgz ${ARGS}`,
    );
  });

  it('Docker: builds the image from the marketplace’s Dockerfile with the digest, runs it with the GPUs', () => {
    const command = dockerInstallCommand(input, release);
    expect(command).toBe(
      'curl -fsSL https://backfill.example.com/agent/Dockerfile | docker build -t backfill-agent:0.1.0 ' +
        '--build-arg AGENT_URL=https://backfill.example.com/agent/backfill-agent.mjs ' +
        `--build-arg AGENT_SHA256=${'a'.repeat(64)} - && ` +
        'docker run -d --name backfill-agent --restart always --gpus all --network host ' +
        '-v /var/run/docker.sock:/var/run/docker.sock -v /var/lib/backfill-agent:/var/lib/backfill-agent ' +
        `backfill-agent:0.1.0 ${ARGS}`,
    );
    // Declared GPUs: no NVIDIA runtime to ask for.
    expect(dockerInstallCommand({ ...input, gpus: { model: 'l4-24gb', count: 1 } }, release)).not.toContain(
      '--gpus all',
    );
  });

  it('systemd: user, checked file, unit, root-only arguments, enabled service', () => {
    const command = systemdInstallCommand(input, release);
    expect(command.split(' && ')).toEqual([
      '(id -u backfill-agent >/dev/null 2>&1 || sudo useradd --system --no-create-home --home-dir /var/lib/backfill-agent --shell /usr/sbin/nologin backfill-agent)',
      'sudo usermod -aG docker backfill-agent',
      'sudo mkdir -p /usr/local/lib/backfill-agent',
      'sudo curl -fsSL https://backfill.example.com/agent/backfill-agent.mjs -o /usr/local/lib/backfill-agent/backfill-agent.mjs',
      `echo "${'a'.repeat(64)}  /usr/local/lib/backfill-agent/backfill-agent.mjs" | sha256sum -c -`,
      'sudo curl -fsSL https://backfill.example.com/agent/backfill-agent.service -o /etc/systemd/system/backfill-agent.service',
      `echo "BACKFILL_AGENT_ARGS=${ARGS}" | sudo install -m 600 /dev/stdin /etc/backfill-agent.env`,
      'sudo systemctl daemon-reload',
      'sudo systemctl enable --now backfill-agent',
    ]);
    expect(systemdInstallCommand({ ...input, runner: 'process' }, release)).not.toContain('usermod');
  });

  it('lists the bundled ways first, and only the checkout without a built agent', () => {
    expect(buildInstallCommands(input, release).map((c) => c.method)).toEqual([
      'node',
      'npx',
      'docker',
      'systemd',
      'checkout',
    ]);
    expect(buildInstallCommands(input, null)).toEqual([
      { method: 'checkout', title: 'From a checkout of the repository', command: `npm run agent -- ${ARGS}` },
    ]);
  });

  it('refuses a digest or version that is not what it claims, and words that need quoting', () => {
    expect(() => nodeInstallCommand(input, { ...release, sha256: 'abc' })).toThrow(/64 hex/);
    expect(() => npxInstallCommand(input, { ...release, packageSha256: 'B'.repeat(64) })).toThrow(/64 hex/);
    expect(() => dockerInstallCommand(input, { ...release, version: '1.0;rm' })).toThrow(/unquoted/);
    expect(() => nodeInstallCommand({ ...input, origin: 'https://x.example.com/$(id)' }, release)).toThrow(
      /unquoted/,
    );
  });

  it('agrees with the unit file and the Dockerfile in deploy/agent', () => {
    const unit = readFileSync('deploy/agent/backfill-agent.service', 'utf8');
    expect(unit).toContain(`User=${SYSTEMD_INSTALL.user}`);
    expect(unit).toContain(`EnvironmentFile=-${SYSTEMD_INSTALL.envFile}`);
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toContain(
      `ExecStart=/usr/bin/env node ${SYSTEMD_INSTALL.bundle} --state-dir ${SYSTEMD_INSTALL.stateDir} $BACKFILL_AGENT_ARGS`,
    );
    expect(unit).toContain(`StateDirectory=${SYSTEMD_INSTALL.stateDir.split('/').pop()}`);
    const dockerfile = readFileSync('deploy/agent/Dockerfile', 'utf8');
    expect(dockerfile).toContain(`"--state-dir", "${DOCKER_STATE_DIR}"`);
    expect(dockerfile).toMatch(/^ARG AGENT_SHA256$/m);
    // Every base image pinned by tag.
    for (const from of dockerfile.match(/^FROM .*$/gm) ?? []) expect(from).toMatch(/^FROM [\w./-]+:[\w.-]+/);
  });

  const systemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
  it.skipIf(!systemdAnalyze)('the unit parses without a warning (systemd-analyze verify)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'backfill-unit-'));
    try {
      copyFileSync('deploy/agent/backfill-agent.service', path.join(dir, 'backfill-agent.service'));
      const verified = spawnSync('systemd-analyze', ['verify', '--man=no', './backfill-agent.service'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(verified.stderr + verified.stdout).toBe('');
      expect(verified.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
