import { AGENT_FILE_NAME, AGENT_PACKAGE_NAME, AGENT_PATHS } from '@/lib/agent/install-paths';
import {
  agentArguments,
  assertSafeWord,
  buildAgentCommand,
  type AgentCommandInput,
} from '@/components/supplier/agent-command';

/** The bundled agent this marketplace serves: what the commands download and check. */
export interface AgentReleaseInfo {
  version: string;
  /** sha256 of the served file, hex. */
  sha256: string;
  /** sha256 of the served npm package of it (backfill-agent.tgz), hex. */
  packageSha256: string;
}

export type InstallMethod = 'node' | 'npx' | 'docker' | 'systemd' | 'checkout';

export interface InstallCommand {
  method: InstallMethod;
  /** What it installs, e.g. "Node.js, one file". */
  title: string;
  /** One line for a POSIX shell, token included. */
  command: string;
}

/**
 * Where the systemd install puts things; deploy/agent/backfill-agent.service names the same paths (a test
 * keeps them in step).
 */
export const SYSTEMD_INSTALL = {
  user: 'backfill-agent',
  bundle: `/usr/local/lib/backfill-agent/${AGENT_FILE_NAME}`,
  unit: '/etc/systemd/system/backfill-agent.service',
  envFile: '/etc/backfill-agent.env',
  stateDir: '/var/lib/backfill-agent',
} as const;

/** The agent image's state directory, mounted at the same path on the host (deploy/agent/Dockerfile). */
export const DOCKER_STATE_DIR = '/var/lib/backfill-agent';

function checkedRelease(release: AgentReleaseInfo): AgentReleaseInfo {
  for (const digest of [release.sha256, release.packageSha256])
    if (!/^[0-9a-f]{64}$/.test(digest)) throw new Error('the agent’s sha256 is not 64 hex digits');
  assertSafeWord(release.version);
  return release;
}

/** `echo "<sha256>  <file>" | sha256sum -c -`: stops the line (`&&`) unless the download is the file served. */
function checkDigest(sha256: string, file: string): string {
  return `echo "${sha256}  ${file}" | sha256sum -c -`;
}

/**
 * Node.js alone: download the bundled agent into the current directory, check its sha256, then register and
 * run it. Later runs: `node backfill-agent.mjs` (the node token is kept in ~/.backfill-agent).
 */
export function nodeInstallCommand(input: AgentCommandInput, release: AgentReleaseInfo): string {
  const { sha256 } = checkedRelease(release);
  const url = assertSafeWord(`${input.origin}${AGENT_PATHS.bundle}`);
  return [
    `curl -fsSL ${url} -o ${AGENT_FILE_NAME}`,
    checkDigest(sha256, AGENT_FILE_NAME),
    ['node', AGENT_FILE_NAME, ...agentArguments(input)].join(' '),
  ].join(' && ');
}

/**
 * npx: the same agent as an npm package (no dependencies), downloaded and checked first, then run by npx
 * from the file. Later runs: the same npx line without --token.
 */
export function npxInstallCommand(input: AgentCommandInput, release: AgentReleaseInfo): string {
  const { packageSha256 } = checkedRelease(release);
  const url = assertSafeWord(`${input.origin}${AGENT_PATHS.package}`);
  return [
    `curl -fsSL ${url} -o ${AGENT_PACKAGE_NAME}`,
    checkDigest(packageSha256, AGENT_PACKAGE_NAME),
    ['npx', '--yes', `./${AGENT_PACKAGE_NAME}`, ...agentArguments(input)].join(' '),
  ].join(' && ');
}

/**
 * Docker: build the agent image from the marketplace's Dockerfile (it downloads the agent and checks its
 * sha256), then run it with the GPUs, the host's Docker socket and the state directory. A machine whose GPUs
 * are declared has no NVIDIA runtime to give it, so `--gpus all` is left out there.
 */
export function dockerInstallCommand(input: AgentCommandInput, release: AgentReleaseInfo): string {
  const { sha256, version } = checkedRelease(release);
  const image = `backfill-agent:${version}`;
  const build = [
    `curl -fsSL ${assertSafeWord(`${input.origin}${AGENT_PATHS.dockerfile}`)}`,
    '|',
    'docker build',
    `-t ${image}`,
    `--build-arg AGENT_URL=${assertSafeWord(`${input.origin}${AGENT_PATHS.bundle}`)}`,
    `--build-arg AGENT_SHA256=${sha256}`,
    '-',
  ].join(' ');
  const run = [
    'docker run -d --name backfill-agent --restart always',
    ...(input.gpus ? [] : ['--gpus all']),
    '--network host',
    '-v /var/run/docker.sock:/var/run/docker.sock',
    `-v ${DOCKER_STATE_DIR}:${DOCKER_STATE_DIR}`,
    image,
    ...agentArguments(input),
  ].join(' ');
  return `${build} && ${run}`;
}

/**
 * systemd: a system user, the agent under /usr/local/lib (sha256 checked), the unit from the marketplace,
 * the agent's arguments in a root-only environment file, then the service enabled and started. With the
 * docker runner the user joins the docker group.
 */
export function systemdInstallCommand(input: AgentCommandInput, release: AgentReleaseInfo): string {
  const { sha256 } = checkedRelease(release);
  const s = SYSTEMD_INSTALL;
  const steps = [
    `(id -u ${s.user} >/dev/null 2>&1 || sudo useradd --system --no-create-home --home-dir ${s.stateDir} --shell /usr/sbin/nologin ${s.user})`,
    ...(input.runner === 'docker' ? [`sudo usermod -aG docker ${s.user}`] : []),
    `sudo mkdir -p ${s.bundle.slice(0, s.bundle.lastIndexOf('/'))}`,
    `sudo curl -fsSL ${assertSafeWord(`${input.origin}${AGENT_PATHS.bundle}`)} -o ${s.bundle}`,
    checkDigest(sha256, s.bundle),
    `sudo curl -fsSL ${assertSafeWord(`${input.origin}${AGENT_PATHS.systemdUnit}`)} -o ${s.unit}`,
    `echo "BACKFILL_AGENT_ARGS=${agentArguments(input).join(' ')}" | sudo install -m 600 /dev/stdin ${s.envFile}`,
    'sudo systemctl daemon-reload',
    'sudo systemctl enable --now backfill-agent',
  ];
  return steps.join(' && ');
}

/**
 * Every way to install the agent on the machine, recommended first. Without a built agent on this server
 * (`release` null: a development server) only the checkout command can work.
 */
export function buildInstallCommands(
  input: AgentCommandInput,
  release: AgentReleaseInfo | null,
): InstallCommand[] {
  const checkout: InstallCommand = {
    method: 'checkout',
    title: 'From a checkout of the repository',
    command: buildAgentCommand(input),
  };
  if (!release) return [checkout];
  return [
    { method: 'node', title: 'Node.js 20 or later, one file', command: nodeInstallCommand(input, release) },
    { method: 'npx', title: 'npx, as an npm package', command: npxInstallCommand(input, release) },
    { method: 'docker', title: 'Docker image', command: dockerInstallCommand(input, release) },
    { method: 'systemd', title: 'systemd service', command: systemdInstallCommand(input, release) },
    checkout,
  ];
}
