import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { gatherClient } from '../../src/client/gather.js';
import { CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { buildReport } from '../../src/report/model.js';
import { buildSarif, FINGERPRINT_KEY } from '../../src/report/sarif.js';

// The official OASIS schema, vendored unchanged (see test/support/schemas/README.md).
const schema = JSON.parse(readFileSync('test/support/schemas/sarif-schema-2.1.0.json', 'utf8'));
const ajv = new AjvDraft04({ strict: false, allErrors: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

function sarifFor(root: string, cwd: string) {
  const stats = gatherClient(root, cwd);
  return buildSarif(buildReport(runChecks(CHECKS, { client: stats }, DEFAULT_CONFIG), {}), cwd);
}

describe('SARIF', () => {
  const log = sarifFor('fixtures/client', process.cwd());
  const run = log.runs[0];

  it('validates against the SARIF 2.1.0 schema', () => {
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check can fail: a result without a message is rejected', () => {
    const broken = structuredClone(log) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    delete broken.runs[0]?.results[0]?.message;
    expect(validate(broken)).toBe(false);
  });

  it('has one rule per client check with description and help, and results only for located findings', () => {
    expect(run?.tool.driver.rules?.map((r) => r.id)).toEqual(CHECKS.filter((c) => c.input === 'client').map((c) => c.id));
    for (const r of run?.tool.driver.rules ?? []) {
      expect(r.shortDescription?.text).toBeTruthy();
      expect(r.fullDescription?.text).toBeTruthy();
      expect(r.help?.text).toMatch(/Guide: /);
    }
    // 5 + 10 + 3 + 5 + 2 + 4 + 9 + 2 + 1 findings in the fixture (broadcast-only, channel-privacy, channel-names,
    // event-names, cleanup, heartbeat, error-handling, reuse, parse), none from the (skipped) database checks.
    expect(run?.results).toHaveLength(41);
    const first = run?.results?.find((r) => r.ruleId === 'client.heartbeat');
    expect(first).toMatchObject({
      level: 'error',
      locations: [{
        physicalLocation: {
          artifactLocation: { uri: 'fixtures/client/src/legacy/widget.js', uriBaseId: 'SRCROOT' },
          region: { startLine: 6, startColumn: 5, snippet: { text: 'heartbeatIntervalMs: 30000,' } },
        },
      }],
    });
    // (5 before; + 4 public per-conversation or unknown-topic channels, 9 unobserved subscriptions, 2 createClient modules)
    // Unknown names, events without a counterpart and channel-level settings are warnings even inside failed checks.
    expect(run?.results?.filter((r) => r.level === 'warning').length).toBe(20);
    const prints = run?.results?.map((r) => r.partialFingerprints?.[FINGERPRINT_KEY]);
    expect(new Set(prints).size).toBe(prints?.length);
  });

  it('fingerprints stay the same when the code moves down, and change when the line changes', () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'campfire-sarif-'));
    cpSync('fixtures/client', path.join(copy, 'app'), { recursive: true });
    const prints = (l: ReturnType<typeof sarifFor>) =>
      new Map(l.runs[0]?.results?.map((r) => [`${r.ruleId} ${r.message.text}`, r.partialFingerprints?.[FINGERPRINT_KEY]]));
    const before = prints(sarifFor('app', copy));
    const widget = path.join(copy, 'app/src/legacy/widget.js');
    writeFileSync(widget, `// moved\n// down\n${readFileSync(widget, 'utf8').replace('30000', '45000')}`);
    const afterLog = sarifFor('app', copy);
    const after = prints(afterLog);
    const moved = afterLog.runs[0]?.results?.find((r) => r.message.text.startsWith('reconnectAfterMs grows'));
    expect(moved?.locations?.[0]?.physicalLocation?.region?.startLine).toBe(9);
    expect(moved?.partialFingerprints?.[FINGERPRINT_KEY]).toBe(before.get(`client.heartbeat ${moved?.message.text}`));
    const changed = afterLog.runs[0]?.results?.find((r) => r.message.text.startsWith('heartbeatIntervalMs is 45000'));
    expect([...before.values()]).not.toContain(changed?.partialFingerprints?.[FINGERPRINT_KEY]);
    expect(after.size).toBe(before.size);
  });
});
