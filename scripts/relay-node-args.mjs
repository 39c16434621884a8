// How Node is started for the relay: by `npm run relay` (package.json spells the same flags out),
// `npm start`, the tests and the benchmark, so all of them measure the process that runs.
//
// The old-space cap is there for V8's heuristics as much as for the limit: with Node's default
// (a quarter of the machine's memory), V8 let the heap grow to ~220 MB before its first major
// collection as 50,000 positions a second began, and the relay's RSS peaked at 380–410 MB while
// its live heap after a collection was ~60 MB. Capped at 1 GB it collects earlier and peaked at
// 240–280 MB, at the same CPU (docs/PERFORMANCE.md, optimisation 10). 1 GB leaves room for
// several times the fleet; a relay that outgrows it stops with V8's out-of-memory error instead of
// swapping the control-room PC.
export const RELAY_MAX_OLD_SPACE_MB = 1024;

/** Node's arguments before the relay's entry point (server/server.ts). */
export const RELAY_NODE_ARGS = [
  `--max-old-space-size=${RELAY_MAX_OLD_SPACE_MB}`,
  '--import',
  'tsx',
];
