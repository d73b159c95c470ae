import { describe, expect, it } from "vitest";
import { admin, newStory, newUser } from "../support/client";

describe("smoke", () => {
  it("registers, creates a story", async () => {
    const u = await newUser();
    const me = await u.get("/api/me");
    expect(me.status).toBe(200);
    const s = await newStory(u);
    expect(s.chapters).toHaveLength(3);
    const a = await admin();
    expect(a.user.isAdmin).toBe(true);
  });
});
