export { createDemoProvider, DEMO_NOTICE } from "./demo";
export { createOpenAiProvider } from "./openai";
export { ProviderError, type ChatRequest, type ChatResult, type FinishReason, type ModelProvider, type Task, type Usage } from "./types";
