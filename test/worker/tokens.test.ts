import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";
import { describe, expect, it } from "vitest";
import { countPromptTokens, countTokens } from "../../src/core/tokens";

const samples = [
  "Hello, world!",
  "The wind came off the water in long grey breaths, and Ada pulled the collar of the coat higher.",
  "  leading spaces\n\n\ttabs and\r\nnewlines   trailing  ",
  "Ünïcödé façade — naïve café; 東京の夜は静か。 Ελληνικά, русский текст 🌊🏝️👩‍👩‍👧",
  "Numbers 1234567 3.14159 2026-11-26 and $19.99, 1e-9",
  'JSON: {"characters": [{"name": "Ada", "example_dialogue": "\\"Tide\'s turning.\\""}]}',
  "<book><title>The &amp; Keeper</title></book> don't won't she'll I'VE",
  "x".repeat(500) + " antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
];

describe("token counting", () => {
  it("counts exactly as js-tiktoken/lite does with the o200k_base ranks", async () => {
    const reference = new Tiktoken(o200k);
    for (const text of samples) expect(await countTokens(text), text.slice(0, 40)).toBe(reference.encode(text).length);
    const long = samples.join("\n").repeat(30);
    expect(await countTokens(long)).toBe(reference.encode(long).length);
    // Memoised for long texts: the same answer the second time.
    expect(await countTokens(long)).toBe(reference.encode(long).length);
  });

  it("counts chat prompts with OpenAI's per-message framing", async () => {
    const n = await countPromptTokens([
      { role: "system", content: "You are a novelist." },
      { role: "user", content: "Write." },
    ]);
    expect(n).toBe(3 + 4 + (await countTokens("You are a novelist.")) + 4 + (await countTokens("Write.")));
  });
});
