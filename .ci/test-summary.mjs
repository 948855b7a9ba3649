// Prints the test counts of a vitest JUnit report per project (unit / integration) and in total, as
// "N passed, N failed" lines, so CI logs show how many integration tests ran against the real broker.
import { readFileSync } from 'node:fs';

const xml = readFileSync(process.argv[2] ?? '.millrace/test-results/junit.xml', 'utf8');
const counts = {
  unit: { passed: 0, failed: 0, skipped: 0 },
  integration: { passed: 0, failed: 0, skipped: 0 },
};
for (const m of xml.matchAll(/<testcase\b[^>]*classname="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
  const project = m[1].includes('.integration.test.') ? 'integration' : 'unit';
  const body = m[3] ?? '';
  if (/<(failure|error)\b/.test(body)) counts[project].failed++;
  else if (/<skipped\b/.test(body)) counts[project].skipped++;
  else counts[project].passed++;
}
const line = (c) => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
console.log(`unit tests: ${line(counts.unit)}`);
console.log(`integration tests (real Kafka broker): ${line(counts.integration)}`);
const total = {
  passed: counts.unit.passed + counts.integration.passed,
  failed: counts.unit.failed + counts.integration.failed,
  skipped: counts.unit.skipped + counts.integration.skipped,
};
console.log(`total: ${line(total)}`);
