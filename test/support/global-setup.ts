import type { TestProject } from 'vitest/node';
import { startTestServer } from './server.js';
import { buildTemplates, dropTemplates } from './templates.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test server (embedded Postgres 17, or $CAMPFIRE_TEST_DATABASE_URL). */
    adminUrl: string;
    /** Template databases per fixture state, made once per run. */
    templates: Record<string, string>;
    serverVersion: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startTestServer();
  let built: Awaited<ReturnType<typeof buildTemplates>>;
  try {
    built = await buildTemplates(server.adminUrl);
  } catch (err) {
    await server.stop();
    throw err;
  }
  const { templates, serverVersion } = built;
  project.provide('adminUrl', server.adminUrl);
  project.provide('templates', templates);
  project.provide('serverVersion', serverVersion);
  process.stdout.write(`[campfire tests] PostgreSQL ${serverVersion} (${server.kind})\n`);
  return async () => {
    await dropTemplates(server.adminUrl, templates);
    await server.stop();
  };
}
