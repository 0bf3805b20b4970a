import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { CHECKS } from '../checks/registry.js';
import type { CheckMeta, Status } from '../checks/types.js';
import { UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import type { Report } from './model.js';

const LEVEL: Partial<Record<Status, Result.level>> = { fail: 'error', warn: 'warning' };
/** Key of our partialFingerprints entry; bump the version if the hashed fields ever change. */
export const FINGERPRINT_KEY = 'campfireFinding/v1';

/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per check whose findings carry file locations, one
 * result per located finding. Fingerprints hash the rule, file and the finding's source line (not its
 * line number), so a result keeps its identity when code above it moves.
 */
export function buildSarif(report: Report, cwd = process.cwd()): Log {
  const metas = CHECKS.filter((c) => c.input === 'client');
  const rules = metas.map(rule);
  const results: Result[] = [];
  const seen = new Map<string, number>();
  for (const check of report.checks) {
    const ruleIndex = metas.findIndex((m) => m.id === check.id);
    if (!LEVEL[check.status] || ruleIndex < 0) continue;
    for (const f of check.findings) {
      const at = f.location;
      const level = LEVEL[f.severity ?? check.status];
      if (!at || !level) continue;
      const base = `${check.id}\0${at.file}\0${at.excerpt.replace(/\s+/g, ' ')}`;
      const occurrence = seen.get(base) ?? 0;
      seen.set(base, occurrence + 1);
      const absolute = path.isAbsolute(at.file);
      results.push({
        ruleId: check.id,
        ruleIndex,
        level,
        message: { text: f.detail },
        locations: [{
          physicalLocation: {
            artifactLocation: absolute
              ? { uri: pathToFileURL(at.file).href }
              : { uri: at.file.split('/').map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' },
            region: { startLine: at.line, startColumn: at.column, ...(at.excerpt ? { snippet: { text: at.excerpt } } : {}) },
          },
        }],
        partialFingerprints: { [FINGERPRINT_KEY]: createHash('sha256').update(`${base}\0${occurrence}`).digest('hex').slice(0, 32) },
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'campfire', semanticVersion: VERSION, version: VERSION, rules } },
      originalUriBaseIds: { SRCROOT: { uri: `${pathToFileURL(cwd).href}/` } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
}

function rule(meta: CheckMeta): ReportingDescriptor {
  const text = `${meta.verifies} Guide: ${meta.guideRef}.`;
  return {
    id: meta.id,
    name: meta.id.split(/[.-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.verifies },
    help: { text, markdown: `**${meta.title}**\n\n${meta.verifies}\n\nFrom the Campfire v2 Real-time Troubleshooting Guide: *${meta.guideRef}*. Run \`campfire checks\` for every check.` },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['supabase', 'realtime', meta.section] },
  };
}

export async function writeSarif(file: string, report: Report): Promise<void> {
  try {
    await writeFile(file, `${JSON.stringify(buildSarif(report), null, 2)}\n`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`--sarif ${file}: cannot write the file (${code}); give a path in an existing, writable folder.`);
  }
}

/** Checked before any work, so a bad --sarif path fails fast with one line and nothing is gathered. */
export function checkSarifTarget(file: string): void {
  const dir = path.dirname(path.resolve(file));
  let ok = false;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError(`--sarif ${file}: folder ${dir} does not exist; create it or give another path.`);
}
