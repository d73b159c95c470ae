// The continuity audit (docs/CONTINUITY.md): one call per written chapter that reads the bible,
// the digests of earlier chapters, the chapter's beats and its prose, and names objective
// contradictions with exact quotes. The engine verifies every quote before anything is kept.
import { z } from "zod";
import { AUDIT_CATEGORIES } from "../continuity";
import { storySoFar } from "../memory";
import { auditPrompt } from "../prompts/audit";
import { chapterById } from "../story";
import { TOKENS_PER_WORD } from "./chapters";
import type { JsonStage } from "./types";
import { perChapter } from "./units";

export const AuditOutput = z.strictObject({
  issues: z.array(
    z.strictObject({
      category: z.enum(AUDIT_CATEGORIES),
      description: z.string(),
      quote: z.string(),
      contradicts: z.strictObject({ chapterNumber: z.number().int().nullable(), quote: z.string() }),
    }),
  ),
});
type Audit = z.infer<typeof AuditOutput>;

export const auditStage: JsonStage<Audit> = {
  kind: "json",
  units: (s, o) => perChapter("audit", "audit", s, o, (c) => c.hasContent),
  prompt: (u, s, p) => {
    const i = s.chapters.findIndex((c) => c.id === u.chapterId);
    const earlier = s.chapters
      .slice(0, i)
      .filter((c) => c.digest && c.digestFresh)
      .map((c) => ({ number: c.number, digest: c.digest! }));
    return auditPrompt(s, u.chapterId!, p.prose?.[u.chapterId!] ?? "", storySoFar(earlier), p.bible);
  },
  predictedOutputTokens: (_s, cfg) => cfg.predictedOutputTokens,
  promptGrowsWith: [],
  unseenInputTokens: (u, s, p) => (p.prose?.[u.chapterId!] ? 0 : Math.round((chapterById(s, u.chapterId!)?.wordCount ?? 0) * TOKENS_PER_WORD)),
  output: { name: "continuity_audit", schema: AuditOutput, check: () => null },
  // The demo model's books are consistent by construction.
  demo: () => ({ issues: [] }),
};
