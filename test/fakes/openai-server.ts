import http from "node:http";
import type { AddressInfo } from "node:net";

export async function startFakeOpenAi() {
  const server = http.createServer((req, res) => {
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
