// Regenerates the README's check reference from the checks' metadata (`campfire checks --markdown`).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const table = execFileSync(process.execPath, ['bin/campfire.js', 'checks', '--markdown'], { encoding: 'utf8' });
const readme = readFileSync('README.md', 'utf8');
const next = readme.replace(/<!-- checks:start -->\n[\s\S]*?<!-- checks:end -->/, `<!-- checks:start -->\n${table}<!-- checks:end -->`);
writeFileSync('README.md', next);
