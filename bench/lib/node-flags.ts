/**
 * The Node.js flags of the Node contenders (Millrace and the ceiling): the ones `npm start`, `npm run
 * millrace` and the Docker image run Millrace with (package.json, Dockerfile), so the benchmark measures the
 * deployment as shipped, as the reference runs with its JVM options (java.ts).
 *
 * `--max-semi-space-size=64`: a 64 MiB young generation semi-space (V8 sizes it at most 16 MiB by default on
 * this machine). A stream processor allocates short-lived objects per record (decoded records, parsed JSON,
 * produced records) at a high rate; with small semi-spaces they are scavenged often and the survivors of a
 * commit interval get promoted and collected again by full GCs. Profiles at 1,000,000 events: 47.7 s → 38.2 s
 * of CPU (docs/benchmarks.md).
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
