// The built-in demo model: no network, deterministic, schema-valid answers built from the story's
// own inputs, prose clearly marked as demo text, realistic lengths, a small delay and streaming.
// It makes the whole product usable offline and without keys.
import { rng } from "../demo-kit";
import { stageOf } from "../stages";
import { encodePng } from "./png";
import type { ChatRequest, ChatResult, ModelProvider, Task } from "./types";

export { DEMO_NOTICE } from "../demo-kit";

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** The stage's own demo answer (src/core/stages): JSON for planning stages, prose for chapters. */
function answer(task: Task): string {
  const d = stageOf(task.stage);
  if (d.kind === "image") throw new Error(`${task.stage} makes images, not text`);
  const out = d.demo({ story: task.story, ...(task.chapterId ? { chapterId: task.chapterId } : {}) });
  return typeof out === "string" ? out : JSON.stringify(out);
}

export function createDemoProvider(opts: { delayMs?: number } = {}): ModelProvider {
  const delay = opts.delayMs ?? 250;
  return {
    name: "demo",
    async chat(req: ChatRequest): Promise<ChatResult> {
      await sleep(delay);
      return { text: answer(req.task), usage: null, finish: "stop" };
    },
    async streamChat(req, onDelta): Promise<ChatResult> {
      const text = answer(req.task);
      const pieces = text.match(/[^\n]+\n*|\n+/g) ?? [text];
      const pause = Math.max(5, Math.round((delay * 8) / pieces.length));
      for (const p of pieces) {
        await sleep(pause);
        onDelta(p);
      }
      return { text, usage: null, finish: "stop" };
    },
    async image(req) {
      await sleep(delay);
      const r = rng(`image:${req.prompt}`);
      const [h1, h2] = [r() * 360, r() * 360];
      const bytes = await encodePng(256, 384, (x, y) => {
        const t = y / 384;
        const wave = Math.sin(x / 18 + t * 9) * 0.08;
        return hsl((h1 * (1 - t) + h2 * t) % 360, 0.45, 0.25 + 0.35 * t + wave);
      });
      return { bytes, contentType: "image/png" };
    },
  };
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  l = Math.min(1, Math.max(0, l));
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}
