import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { create } from 'xmlbuilder2';

const XSD = readFileSync(path.resolve(import.meta.dirname, '../schemas/junit-10.xsd'), 'utf8');

/** Validates JUnit XML against the vendored Jenkins junit-10.xsd with xmllint (WebAssembly); returns the errors. */
export async function junitSchemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'report.xml', contents: xml }],
    schema: [{ fileName: 'junit-10.xsd', contents: XSD }],
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}

export interface ParsedCase {
  suite: string;
  suiteId: string;
  classname: string;
  name: string;
  time: number;
  outcome: 'failure' | 'error' | 'skipped' | 'passed';
  type?: string;
  message?: string;
  text?: string;
  systemOut?: string;
}

export interface ParsedJunit {
  attrs: Record<string, string>;
  suites: { name: string; id: string; attrs: Record<string, string> }[];
  cases: ParsedCase[];
}

/** Parses the XML back with a real XML parser (xmlbuilder2's DOM), to compare with the report. */
export function parseJunit(xml: string): ParsedJunit {
  const root = create(xml).root().node as unknown as Element;
  const attrs = (el: Element) => Object.fromEntries([...el.attributes].map((a) => [a.name, a.value]));
  const children = (el: Element, tag: string) => [...el.childNodes].filter((n): n is Element => (n as Element).tagName === tag);
  const suites: ParsedJunit['suites'] = [];
  const cases: ParsedCase[] = [];
  for (const suite of children(root, 'testsuite')) {
    const sa = attrs(suite);
    suites.push({ name: sa.name!, id: sa.id!, attrs: sa });
    for (const tc of children(suite, 'testcase')) {
      const ta = attrs(tc);
      const c: ParsedCase = {
        suite: sa.name!,
        suiteId: sa.id!,
        classname: ta.classname!,
        name: ta.name!,
        time: Number(ta.time),
        outcome: 'passed',
      };
      for (const tag of ['failure', 'error', 'skipped'] as const) {
        const [el] = children(tc, tag);
        if (!el) continue;
        c.outcome = tag;
        c.message = el.getAttribute('message') ?? undefined;
        c.type = el.getAttribute('type') ?? undefined;
        c.text = el.textContent ?? '';
      }
      const [out] = children(tc, 'system-out');
      if (out) c.systemOut = out.textContent ?? '';
      cases.push(c);
    }
  }
  return { attrs: attrs(root), suites, cases };
}
