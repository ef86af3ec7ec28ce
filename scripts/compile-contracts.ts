/**
 * `npm run contracts:compile` — compile contracts/ with solc-js (bundled, offline) and write the artifacts
 * committed under lib/chain/artifacts/. CI needs no compiler; a test proves the artifacts match the source.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONTRACTS } from '@/lib/chain/contracts';
import { artifactModule, compileContract } from '@/lib/chain/compile';

const dir = path.join(process.cwd(), 'lib', 'chain', 'artifacts');
mkdirSync(dir, { recursive: true });
for (const contract of CONTRACTS) {
  const compiled = compileContract(contract.file, contract.name);
  writeFileSync(path.join(dir, contract.artifact), artifactModule(compiled, contract.exportPrefix));
  console.log(
    `• ${contract.name}: ${(compiled.bytecode.length - 2) / 2} bytes → lib/chain/artifacts/${contract.artifact}`,
  );
}
