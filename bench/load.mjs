// A small closed-loop HTTP load generator (loopback only): `connections` clients each send the
// next request as soon as the previous answer is read, for `seconds`. Returns requests/s.
import http from "node:http";

export async function loadTest(url, { connections = 16, seconds = 5, headers = {}, count } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const deadline = Date.now() + seconds * 1000;
  let ok = 0;
  let errors = 0;
  // Answers whose Server-Timing matches `count` (a RegExp), e.g. the story read's kept answers.
  let counted = 0;
  const one = () =>
    new Promise((resolve) => {
      const req = http.get(url, { agent, headers }, (res) => {
        if (count?.test(String(res.headers["server-timing"] ?? ""))) counted++;
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
  return { rps: ok / ((Date.now() - start) / 1000), ok, errors, counted };
}

/**
 * Route `b`'s throughput as a share of route `a`'s, each round of `b` right after one of `a`:
 * the median of the rounds' ratios. This machine's speed drifts within a run (by half, at times),
 * which separate medians of each route would fold into the ratio.
 */
export async function compareRoutes(a, b, { rounds = 9, seconds = 2, connections = 16, headers = {}, count } = {}) {
  await loadTest(a, { connections: 8, seconds: 1, headers });
  await loadTest(b, { connections: 8, seconds: 1, headers });
  const pairs = [];
  for (let i = 0; i < rounds; i++) {
    const x = await loadTest(a, { connections, seconds, headers });
    const y = await loadTest(b, { connections, seconds, headers, count });
    pairs.push({ a: x, b: y, ratio: y.rps / x.rps });
  }
  const mid = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
  const ratios = pairs.map((p) => p.ratio);
  const answers = pairs.reduce((n, p) => n + p.b.ok, 0);
  return {
    ratio: mid(ratios),
    low: Math.min(...ratios),
    high: Math.max(...ratios),
    aRps: mid(pairs.map((p) => p.a.rps)),
    bRps: mid(pairs.map((p) => p.b.rps)),
    errors: pairs.reduce((n, p) => n + p.a.errors + p.b.errors, 0),
    countedShare: answers ? pairs.reduce((n, p) => n + p.b.counted, 0) / answers : 0,
  };
}
