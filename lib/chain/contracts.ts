/** Solidity contracts in contracts/ and the artifact module each compiles to. */
export const CONTRACTS = [
  { file: 'MockUSDC.sol', name: 'MockUSDC', artifact: 'mock-usdc.ts', exportPrefix: 'mockUsdc' },
] as const;
