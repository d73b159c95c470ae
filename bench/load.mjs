// A small closed-loop HTTP load generator (loopback only): `connections` clients each send the
// next request as soon as the previous answer is read, for `seconds`. Returns requests/s.
import http from "node:http";

export async function loadTest(url, { connections = 16, seconds = 5, headers = {} } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const deadline = Date.now() + seconds * 1000;
  let ok = 0;
  let errors = 0;
  const one = () =>
    new Promise((resolve) => {
      const req = http.get(url, { agent, headers }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode === 200) ok++;
          else errors++;
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
    });
  const worker = async () => {
    while (Date.now() < deadline) await one();
  };
  const start = Date.now();
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  return { rps: ok / ((Date.now() - start) / 1000), ok, errors };
}
