import { describe, expect, it } from "vitest";
import { createApp } from "../../src/worker/app";
import { STATUS } from "../../src/domain/errors";
import { OPERATIONS, openApiDocument, operationList } from "../../src/worker/openapi";
import { anonymous } from "../support/client";

const toOpenApiPath = (p: string) => p.replace(/:(\w+)/g, "{$1}");

describe("OpenAPI", () => {
  it("documents exactly the routes the app serves", () => {
    const served = new Set(
      createApp()
        .routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/api/"))
        .map((r) => `${r.method.toLowerCase()} ${toOpenApiPath(r.path)}`),
    );
    const documented = new Set(
      Object.entries(OPERATIONS).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)),
    );
    expect([...served].filter((r) => !documented.has(r)), "served but undocumented").toEqual([]);
    expect([...documented].filter((r) => !served.has(r)), "documented but not served").toEqual([]);
  });

  it("serves an OpenAPI 3.1 document whose schemas come from the validators", async () => {
    const res = await anonymous().get("/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const create = res.body.paths["/api/stories"].post.requestBody.content["application/json"].schema;
    expect(create.required).toEqual(expect.arrayContaining(["title", "chaptersCount"]));
    expect(create.properties.chaptersCount).toMatchObject({ type: "integer", minimum: 1, maximum: 100 });
    expect(create.additionalProperties).toBe(false);
    const gen = res.body.paths["/api/stories/{id}/generate"].post;
    expect(gen.parameters[0]).toMatchObject({ name: "id", in: "path", required: true });
    expect(gen.requestBody.content["application/json"].schema.properties.stage.enum).toContain("book");
  });

  it("is the document scripts/lint-openapi.mjs lints, with an operationId and a response per operation", async () => {
    const res = await anonymous().get("/api/openapi.json");
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    const ids = operationList().map((r) => r.op.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z]+$/);
    const story = res.body.paths["/api/stories/{id}"].get;
    expect(story.operationId).toBe("getStory");
    expect(story.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/StoryDetail" });
    expect(Object.keys(res.body.paths["/api/stories/{id}/generate"].post.responses)).toEqual(
      expect.arrayContaining(["202", "400", "401", "402", "403", "404", "409", "413", "429", "503"]),
    );
    expect(res.body.components.schemas.Error.properties.error.properties.code.enum).toEqual(Object.keys(STATUS));
    expect(res.body.components.schemas.StoryDetail.properties.story).toEqual({ $ref: "#/components/schemas/Story" });
  });

  it("renders a docs page without scripts", async () => {
    const res = await anonymous().get("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.body).toContain("/api/stories/{id}/generate");
    expect(res.body).toContain('href="#schema-StoryDetail"');
    expect(res.body).toContain('id="schema-Error"');
    expect(res.body).not.toMatch(/<script/i);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
  });
});
