// A stand-in for the Campfire server in recover's restart tests: answers every request with its pid.
// Usage: node app.mjs PORT PIDFILE. It starts listening only after a short delay, as a real server
// does after a restart, so recover has to wait for --app-url to answer.
import { writeFileSync } from 'node:fs';
import http from 'node:http';

const [port, pidFile] = process.argv.slice(2);
const server = http.createServer((_req, res) => res.end(JSON.stringify({ pid: process.pid })));
setTimeout(() => {
  server.listen(Number(port), '127.0.0.1', () => writeFileSync(pidFile, String(process.pid)));
}, 300);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
