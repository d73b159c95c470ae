// A fake Mailgun HTTP API for tests: POST /v3/<domain>/messages with HTTP Basic auth
// and a form body, as the real API takes it. GET /__control/messages lists what was "sent";
// POST /__control/reset forgets it; POST /__control/latency {"ms": 400} makes sending that slow.
import http from "node:http";

export async function startFakeMailgun({ port = 0, host = "127.0.0.1" } = {}) {
  const messages = [];
  let latencyMs = 0;
  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const part of req) raw += part;
    const json = (status, body) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/__control/messages") return json(200, { messages });
    if (req.url === "/__control/reset") {
      messages.length = 0;
      latencyMs = 0;
      return json(200, { ok: true });
    }
    if (req.url === "/__control/latency") {
      latencyMs = Number(JSON.parse(raw || "{}").ms) || 0;
      return json(200, { ok: true, latencyMs });
    }
    const m = req.method === "POST" && req.url?.match(/^\/v3\/([^/]+)\/messages$/);
    if (!m) return json(404, { message: "Not found" });
    if (!req.headers.authorization?.startsWith("Basic ")) return json(401, { message: "Forbidden" });
    if (latencyMs) await new Promise((r) => setTimeout(r, latencyMs));
    const form = Object.fromEntries(new URLSearchParams(raw));
    if (!form.to || !form.from || !form.subject) return json(400, { message: "'to', 'from' and 'subject' are required" });
    messages.push({ domain: m[1], ...form });
    json(200, { id: `<${messages.length}@${m[1]}>`, message: "Queued. Thank you." });
  });
  await new Promise((r) => server.listen(port, host, r));
  return {
    url: `http://${host}:${server.address().port}`,
    messages,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
