// A stand-in for the Campfire server in recover's restart tests: answers every request with its pid.
// Usage: node app.mjs PORT. It starts listening only after a short delay, as a real server does after a
// restart, so recover has to wait for --app-url to answer.
import http from 'node:http';

const port = Number(process.argv[2]);
const server = http.createServer((_req, res) => res.end(JSON.stringify({ pid: process.pid })));
setTimeout(() => server.listen(port, '127.0.0.1'), 300);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
